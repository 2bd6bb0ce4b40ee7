//! `corridor serve` end to end: the binary starts on a free port of the
//! loopback, answers over a real socket with the very bytes the other
//! commands print for the same questions (each run here as its own
//! `corridor` process), and stops cleanly on SIGTERM. Startup failures
//! are the CLI's errors with exit 1.

use assert_cmd::Command;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A running `corridor serve`, its address and its log so far.
struct Server {
    child: Child,
    addr: String,
    log: mpsc::Receiver<String>,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("corridor"))
            .current_dir(root())
            .env("RUST_LOG", "info")
            .arg("serve")
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, log) = mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let addr = loop {
            let line = log
                .recv_timeout(Duration::from_secs(60))
                .expect("corridor serve says where it listens within a minute");
            if let Some(rest) = line.split("listening on http://").nth(1) {
                break rest.split_whitespace().next().unwrap().to_string();
            }
        };
        Server { child, addr, log }
    }

    /// One request over a fresh connection: status and body.
    fn request(&self, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let body = body.unwrap_or("");
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8(raw).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        assert!(
            head.to_ascii_lowercase().contains("content-length:"),
            "answers have a length: {head}"
        );
        (status, body.to_string())
    }

    /// SIGTERM, then the exit status and the rest of the log.
    fn stop(&mut self) -> (std::process::ExitStatus, Vec<String>) {
        let ok = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
        let status = self.child.wait().unwrap();
        let rest = self.log.try_iter().collect();
        (status, rest)
    }
}

/// A test that fails midway leaves no server behind.
impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// What `corridor ARGS` prints on stdout.
fn cli(args: &[&str]) -> String {
    let out = Command::cargo_bin("corridor")
        .unwrap()
        .current_dir(root())
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "corridor {args:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_server_answers_what_the_commands_print_and_stops_on_sigterm() {
    let mut server = Server::start(&[]);
    let (status, body) = server.request("GET", "/health", None);
    assert_eq!(
        (status, body.as_str()),
        (200, "{\n  \"status\": \"ok\",\n  \"networks\": 2\n}\n")
    );

    let (status, body) = server.request("GET", "/api/networks/grain-corridors", None);
    assert_eq!(status, 200);
    assert_eq!(
        body,
        cli(&["info", "examples/grain-corridors", "--format", "json"])
    );

    let q =
        r#"{"from": "kyiv", "to": "gdansk", "commodity": "grain", "tonnes": 1000, "pareto": true}"#;
    let (status, body) = server.request("POST", "/api/networks/triangle/route", Some(q));
    assert_eq!(status, 200);
    let args = [
        "route",
        "examples/triangle.toml",
        "--from",
        "kyiv",
        "--to",
        "gdansk",
        "--commodity",
        "grain",
        "--tonnes",
        "1000",
        "--pareto",
    ];
    assert_eq!(body, cli(&[&args[..], &["--format", "json"]].concat()));
    let (_, map) = server.request(
        "POST",
        "/api/networks/triangle/route?format=geojson",
        Some(q),
    );
    assert_eq!(map, cli(&[&args[..], &["--format", "geojson"]].concat()));

    let from = "vinnytsia,kropyvnytskyi,poltava,khmelnytskyi,ternopil";
    let q = r#"{"from": ["vinnytsia", "kropyvnytskyi", "poltava", "khmelnytskyi", "ternopil"],
        "to": ["gdansk", "constanta", "rotterdam"], "minimize": "time",
        "scenarios": ["restore-black-sea-ports"]}"#;
    let (status, body) = server.request("POST", "/api/networks/grain-corridors/capacity", Some(q));
    assert_eq!(status, 200);
    let restore = "examples/grain-corridors/scenarios/restore-black-sea-ports.toml";
    let expected = cli(&[
        "capacity",
        "examples/grain-corridors",
        "--from",
        from,
        "--to",
        "gdansk,constanta,rotterdam",
        "--minimize",
        "time",
        "--scenario",
        restore,
        "--format",
        "json",
    ]);
    assert_eq!(body, expected);

    let (status, body) = server.request("POST", "/api/networks/triangle/route", Some("{"));
    assert_eq!(status, 400);
    assert!(
        body.starts_with("{\n  \"error\": \"the body is not valid JSON"),
        "{body}"
    );
    let (status, _) = server.request("GET", "/api/networks/..%2F..%2Fetc%2Fpasswd", None);
    assert_eq!(status, 404);

    let (status, rest) = server.stop();
    assert!(status.success(), "{status}: {rest:?}");
    assert!(rest.iter().any(|l| l.contains("stopped")), "{rest:?}");
}

#[test]
fn networks_the_cli_refuses_stop_the_server_at_start() {
    let out = Command::cargo_bin("corridor")
        .unwrap()
        .current_dir(root())
        .args([
            "serve",
            "--port",
            "0",
            "crates/corridor-cli/tests/data/broken.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: crates/corridor-cli/tests/data/broken.toml has 1 error(s):\n"),
        "{stderr}"
    );
    let out = Command::cargo_bin("corridor")
        .unwrap()
        .current_dir(root())
        .args([
            "serve",
            "--port",
            "0",
            "examples/triangle.toml",
            "examples/triangle.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("two networks are named \"triangle\""));
}
