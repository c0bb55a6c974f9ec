//! The preview answers only the local browser: other `Host` names (DNS rebinding) and other
//! sites' `Origin`s get 403, methods other than GET and HEAD get 405, and a connection that
//! sends nothing is closed after the header timeout while the event stream stays open.

mod common;
#[path = "common/server.rs"]
mod server;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::Site;
use server::Server;

/// One raw request; returns the status code and the whole response.
fn raw(addr: &str, request: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, text)
}

fn get(addr: &str, path: &str, headers: &str) -> (u16, String) {
    raw(addr, &format!("GET {path} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n"))
}

#[test]
fn only_local_hosts_and_origins_are_answered() {
    let site = Site::fixture("basic");
    site.write("content/getting-started/secret-draft.md", "---\ntitle: Draft\ndraft: true\n---\nsecret\n");
    let server = Server::start(site.root());
    let addr = server.addr.clone();
    let port = addr.rsplit(':').next().unwrap();
    for host in [format!("localhost:{port}"), addr.clone(), format!("[::1]:{port}"), "app.localhost".into()] {
        let (code, _) = get(&addr, "/", &format!("Host: {host}\r\n"));
        assert_eq!(code, 200, "Host: {host}");
    }
    for host in [format!("rebind.example.com:{port}"), "localhost.evil.example".into(), "10.1.2.3".into()] {
        let (code, body) = get(&addr, "/", &format!("Host: {host}\r\n"));
        assert_eq!(code, 403, "Host: {host}");
        assert!(body.contains("--allow-host"), "the refusal says what to do: {body}");
        let (code, _) = get(&addr, "/__kiln/events", &format!("Host: {host}\r\n"));
        assert_eq!(code, 403, "event stream, Host: {host}");
    }
    let (code, _) = get(&addr, "/", "");
    assert_eq!(code, 403, "no Host at all");
    let local = format!("Host: {addr}\r\n");
    let (code, _) = get(&addr, "/__kiln/events", &format!("{local}Origin: http://evil.example\r\n"));
    assert_eq!(code, 403, "another site's page cannot open the event stream");
    let (code, _) = get(&addr, "/", &format!("{local}Origin: null\r\n"));
    assert_eq!(code, 403);
    for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
        for path in ["/", "/__kiln/events", "/__kiln/live.js"] {
            let (code, _) = raw(
                &addr,
                &format!("{method} {path} HTTP/1.1\r\n{local}Content-Length: 0\r\nConnection: close\r\n\r\n"),
            );
            assert_eq!(code, 405, "{method} {path}");
        }
    }
    let (code, head) = raw(&addr, &format!("HEAD / HTTP/1.1\r\n{local}Connection: close\r\n\r\n"));
    assert_eq!(code, 200);
    assert!(!head.contains("<html"), "HEAD has no body");
}

#[test]
fn allowed_host_names_are_answered() {
    let site = Site::fixture("basic");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kiln"))
        .args(["serve", "--port", "0", "--allow-host", "preview.test", "--root"])
        .arg(site.root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while !line.contains("serving http://") {
        line.clear();
        assert!(std::io::BufRead::read_line(&mut out, &mut line).unwrap() > 0, "no URL printed");
    }
    let addr = line.split("serving http://").nth(1).unwrap().split('/').next().unwrap().to_string();
    assert_eq!(get(&addr, "/", "Host: preview.test:80\r\n").0, 200);
    assert_eq!(get(&addr, "/", "Host: other.test\r\n").0, 403);
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn idle_connections_time_out_but_the_event_stream_stays_open() {
    let site = Site::fixture("basic");
    let server = Server::start(site.root());
    // A client that connects and sends nothing, and one that sends half a request.
    let mut silent = TcpStream::connect(&server.addr).unwrap();
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n").unwrap();
    let mut events = TcpStream::connect(&server.addr).unwrap();
    write!(events, "GET /__kiln/events HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr).unwrap();
    let start = Instant::now();
    for s in [&mut silent, &mut slow] {
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let mut buf = [0u8; 64];
        let n = s.read(&mut buf).unwrap_or(0);
        assert_eq!(n, 0, "closed without an answer");
    }
    let waited = start.elapsed();
    assert!(waited < Duration::from_secs(40), "closed by the header timeout, not kept forever: {waited:?}");
    // The event stream answered and is still open past the header timeout.
    events.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = events.read(&mut buf) {
        if n == 0 {
            panic!("the event stream was closed");
        }
        got.extend_from_slice(&buf[..n]);
    }
    assert!(String::from_utf8_lossy(&got).contains("event: hello"), "{}", String::from_utf8_lossy(&got));
}
