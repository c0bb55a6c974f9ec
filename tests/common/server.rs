//! Running `kiln serve` in tests: start it on a free port, speak plain HTTP/1.1 to it, and
//! read its server-sent events.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A running `kiln serve`, killed on drop.
pub struct Server {
    child: Child,
    /// `127.0.0.1:port`.
    pub addr: String,
    /// Lines the server printed (stdout and stderr).
    pub log: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Start `kiln serve --root <root> --port 0` and wait for its URL.
    pub fn start(root: &Path) -> Server {
        Server::start_with(root, &[])
    }

    /// [`Server::start`] with more arguments.
    pub fn start_with(root: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kiln"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start kiln serve");
        let (tx, rx) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        let err = child.stderr.take().unwrap();
        for stream in [Box::new(out) as Box<dyn Read + Send>, Box::new(err)] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        while let Ok(line) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            if let Some(rest) = line.split("serving http://").nth(1) {
                let addr = rest.split('/').next().unwrap().to_string();
                return Server { child, addr, log: rx };
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("kiln serve did not print its URL");
    }

    /// GET `path` (sent as is, unnormalised): (status, headers, body).
    pub fn get(&self, path: &str) -> (u16, String, String) {
        request(&self.addr, path)
    }

    /// Wait for a log line containing `needle`.
    pub fn wait_log(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        while let Ok(line) = self.log.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            if line.contains(needle) {
                return line;
            }
        }
        panic!("no log line with {needle:?}");
    }

    /// Subscribe to the event stream.
    pub fn events(&self) -> Events {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        write!(s, "GET /__kiln/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n", self.addr)
            .unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut event = String::new();
            for line in BufReader::new(s).lines().map_while(Result::ok) {
                if let Some(e) = line.strip_prefix("event: ") {
                    event = e.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    let _ = tx.send((event.clone(), d.to_string()));
                }
            }
        });
        let events = Events { rx };
        events.expect("hello", |_| true);
        events
    }
}

/// Events received from the server, as (event, data).
pub struct Events {
    rx: mpsc::Receiver<(String, String)>,
}

impl Events {
    /// Wait for an event of kind `kind` whose data satisfies `ok`; returns its data.
    pub fn expect(&self, kind: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut seen = Vec::new();
        while let Ok((k, d)) = self.rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            if k == kind && ok(&d) {
                return d;
            }
            seen.push((k, d));
        }
        panic!("no {kind} event as expected; saw {seen:?}");
    }

    /// Events that arrive within `wait`.
    pub fn drain(&self, wait: Duration) -> Vec<(String, String)> {
        let deadline = Instant::now() + wait;
        let mut out = Vec::new();
        while let Ok(e) = self.rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            out.push(e);
        }
        out
    }
}

/// One HTTP/1.1 GET with `Connection: close`.
pub fn request(addr: &str, path: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, head.to_string(), body.to_string())
}
