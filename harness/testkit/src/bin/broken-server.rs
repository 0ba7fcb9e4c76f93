//! `broken-server`: runs a [`BrokenServer`] from the command line.
//!
//! ```text
//! broken-server --listen 127.0.0.1:0 [--switch NAME]...
//! broken-server --list
//! ```

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;

use wirecheck_testkit::{BrokenServer, Switch};

/// The usage text.
const USAGE: &str = "usage: broken-server [--listen ADDR] [--switch NAME]...
       broken-server --list

Serves HTTP/1.1 on ADDR (default 127.0.0.1:0), with a WebSocket echo at
/ws, conformant except for the named switches; prints http://ADDR on stdout
once listening and serves until SIGTERM or ctrl-c. --list prints every
switch, the checklist id it breaks (or -) and the rule.";

/// What the command line asks for.
enum Command {
    /// Serve on `addr` with `switches`.
    Serve {
        /// The address to bind.
        addr: SocketAddr,
        /// The switches to turn on.
        switches: Vec<Switch>,
    },
    /// Print the switches.
    List,
    /// Print the usage.
    Help,
}

/// Parses the arguments after the program name.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Command, String> {
    let mut addr = SocketAddr::from(([127, 0, 0, 1], 0));
    let mut switches = Vec::new();
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
            "--switch" => {
                let name = value()?;
                let switch = Switch::parse(&name)
                    .ok_or_else(|| format!("unknown switch {name:?} (see --list)"))?;
                switches.push(switch);
            }
            "--list" => return Ok(Command::List),
            "-h" | "--help" => return Ok(Command::Help),
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    Ok(Command::Serve { addr, switches })
}

#[tokio::main]
async fn main() -> ExitCode {
    let (addr, switches) = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Serve { addr, switches }) => (addr, switches),
        Ok(Command::List) => {
            for switch in Switch::ALL {
                let check = switch.check().unwrap_or("-");
                println!("{:<34} {check:<4} {}", switch.name(), switch.requirement());
            }
            return ExitCode::SUCCESS;
        }
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("broken-server: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let terminated = match wirecheck_testkit::termination() {
        Ok(terminated) => terminated,
        Err(error) => {
            eprintln!("broken-server: cannot install signal handlers: {error}");
            return ExitCode::FAILURE;
        }
    };
    let server = match BrokenServer::start(addr, &switches).await {
        Ok(server) => server,
        Err(error) => {
            eprintln!("broken-server: cannot listen on {addr}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "http://{}", server.local_addr())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    drop(stdout);
    terminated.await;
    server.shutdown().await;
    ExitCode::SUCCESS
}
