//! The `wirecheck` binary: parse arguments, dispatch, exit with a documented code
//! (see `wirecheck::exit`).

mod args;
mod commands;
mod common;
mod progress;
mod report_args;
mod reports;
mod tls_args;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let code = match cli.command {
        args::Command::Run(a) => commands::run(*a),
        args::Command::Check(a) => commands::check(a),
        args::Command::List(a) => commands::list(a),
        args::Command::Serve(a) => commands::serve(a),
        args::Command::Report(a) => commands::report(a),
        args::Command::Expectations(a) => commands::expectations(a),
        args::Command::Coverage(a) => commands::coverage(a),
    };
    ExitCode::from(code)
}
