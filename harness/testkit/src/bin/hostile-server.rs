//! `hostile-server`: runs [`HostileServer`]s from the command line.
//!
//! ```text
//! hostile-server [--listen 127.0.0.1:0] --mode MODE     prints the URL (http://ADDR or ws://ADDR/)
//! hostile-server [--listen 127.0.0.1:0] --all           prints `MODE URL`, one line per mode
//! hostile-server --list                                 prints every mode and what it does
//! ```

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;

use wirecheck_testkit::{HostileMode, HostileServer};

/// The usage text.
const USAGE: &str = "usage: hostile-server [--listen ADDR] --mode MODE
       hostile-server [--listen ADDR] --all
       hostile-server --list

Serves on ADDR (default 127.0.0.1:0) and mistreats every connection as MODE says.
Prints the URL to test (http://ADDR, or ws://ADDR/ for the ws- modes) on stdout once
listening, and serves until SIGTERM or ctrl-c. --all listens on one port per mode
(port 0: any free ports; port P: P, P+1, ...) and prints one `MODE URL` line per mode.
--list prints every mode and what it does.";

/// What the command line asks for.
enum Command {
    /// Serve `modes` from `addr` on.
    Serve {
        /// The address to bind (the first one, with `--all`).
        addr: SocketAddr,
        /// The modes, one listener each; `all` prints the mode names.
        modes: Vec<HostileMode>,
        /// `--all` was given.
        all: bool,
    },
    /// Print the modes.
    List,
    /// Print the usage.
    Help,
}

/// Parses the arguments after the program name.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Command, String> {
    let mut addr = SocketAddr::from(([127, 0, 0, 1], 0));
    let mut mode = None;
    let mut all = false;
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg, None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--listen" => {
                let text = value()?;
                addr = text
                    .parse()
                    .map_err(|_| format!("--listen: {text:?} is not an IP:PORT address"))?;
            }
            "--mode" => {
                let name = value()?;
                mode = Some(
                    HostileMode::parse(&name)
                        .ok_or_else(|| format!("unknown mode {name:?} (see --list)"))?,
                );
            }
            "--all" => all = true,
            "--list" => return Ok(Command::List),
            "-h" | "--help" => return Ok(Command::Help),
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    let modes = match (mode, all) {
        (Some(_), true) => return Err("--mode and --all exclude each other".into()),
        (Some(m), false) => vec![m],
        (None, true) => HostileMode::ALL.to_vec(),
        (None, false) => return Err("--mode MODE or --all is required".into()),
    };
    Ok(Command::Serve { addr, modes, all })
}

#[tokio::main]
async fn main() -> ExitCode {
    let (addr, modes, all) = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Serve { addr, modes, all }) => (addr, modes, all),
        Ok(Command::List) => {
            for mode in HostileMode::ALL {
                println!("{:<20} {}", mode.name(), mode.describe());
            }
            return ExitCode::SUCCESS;
        }
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("hostile-server: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let terminated = match wirecheck_testkit::termination() {
        Ok(terminated) => terminated,
        Err(error) => {
            eprintln!("hostile-server: cannot install signal handlers: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut servers = Vec::new();
    for (i, mode) in modes.into_iter().enumerate() {
        let mut at = addr;
        if addr.port() != 0 {
            let Some(port) = u16::try_from(i)
                .ok()
                .and_then(|i| addr.port().checked_add(i))
            else {
                eprintln!("hostile-server: ports from {} run out", addr.port());
                return ExitCode::FAILURE;
            };
            at.set_port(port);
        }
        match HostileServer::start(at, mode).await {
            Ok(server) => servers.push(server),
            Err(error) => {
                eprintln!("hostile-server: cannot listen on {at}: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    let mut stdout = std::io::stdout().lock();
    let printed = servers.iter().try_for_each(|s| {
        if all {
            writeln!(stdout, "{} {}", s.mode().name(), s.url())
        } else {
            writeln!(stdout, "{}", s.url())
        }
    });
    if printed.and_then(|()| stdout.flush()).is_err() {
        return ExitCode::FAILURE;
    }
    drop(stdout);
    terminated.await;
    for server in servers {
        server.shutdown().await;
    }
    ExitCode::SUCCESS
}
