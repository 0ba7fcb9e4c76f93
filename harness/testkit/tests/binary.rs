//! The `broken-server` binary: `--list`, argument errors, and serving
//! until SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use wirecheck_testkit::Switch;

const BIN: &str = env!("CARGO_BIN_EXE_broken-server");
const STEP: Duration = Duration::from_secs(10);

/// Waits for `child` to exit, killing it after [`STEP`].
fn wait_bounded(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + STEP;
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("broken-server did not exit in time");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn list_prints_every_switch_with_its_requirement() {
    let output = Command::new(BIN).arg("--list").output().expect("runs");
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text.lines().count(), Switch::ALL.len());
    for (line, switch) in text.lines().zip(Switch::ALL) {
        assert!(line.starts_with(switch.name()), "{line}");
        assert!(line.ends_with(switch.requirement()), "{line}");
    }
}

#[test]
fn unknown_switch_is_a_usage_error() {
    let output = Command::new(BIN)
        .args(["--switch", "no-such-thing"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no-such-thing"));
}

#[cfg(unix)]
#[test]
fn serves_with_switches_until_sigterm() {
    let mut child = Command::new(BIN)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--switch",
            "no-date",
            "--switch=wrong-version",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");
    let stdout = child.stdout.take().unwrap();
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = send.send(line);
    });
    let line = match receive.recv_timeout(STEP) {
        Ok(line) => line,
        Err(_) => {
            let _ = child.kill();
            panic!("no address line in time");
        }
    };
    let addr = line
        .trim_end()
        .strip_prefix("http://")
        .expect("http://ADDR line")
        .to_owned();
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");

    let mut stream = TcpStream::connect(&addr).expect("connects");
    stream.set_read_timeout(Some(STEP)).unwrap();
    stream
        .write_all(b"GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .expect("reads to the close");
    assert!(response.starts_with("HTTP/1.0 200 OK\r\n"), "{response}");
    assert!(!response.contains("\r\nDate:"), "{response}");
    assert!(
        response.ends_with("\r\n\r\nHello, wirecheck!\n"),
        "{response}"
    );

    let terminated = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(terminated.success());
    assert!(wait_bounded(&mut child).success());
}
