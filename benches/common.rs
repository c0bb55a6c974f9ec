//! Helpers the benchmarks share: building the release binary, a logging static server that
//! gzips text as static hosts do, a headless Chromium with fresh tabs, and formatting.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use headless_chrome::{Browser, Tab};

#[path = "../tests/common/browser.rs"]
mod browser;

pub fn build_kiln(repo: &Path) -> PathBuf {
    run(Command::new("cargo").args(["build", "--release", "--quiet"]).current_dir(repo));
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo.join("target"));
    target.join("release/kiln")
}

pub fn dir_stats(dir: &Path) -> (usize, u64, u64) {
    let (mut files, mut bytes, mut largest) = (0, 0, 0);
    for e in walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file())
    {
        let len = e.metadata().map(|m| m.len()).unwrap_or(0);
        files += 1;
        bytes += len;
        largest = largest.max(len);
    }
    (files, bytes, largest)
}

pub fn launch(chrome: &Path) -> Browser {
    browser::launch(chrome, 1280, 900)
}

pub fn eval(tab: &Tab, js: &str) -> serde_json::Value {
    tab.evaluate(js, true).expect("evaluate").value.unwrap_or(serde_json::Value::Null)
}

pub fn fresh(browser: &Browser, url: &str) -> std::sync::Arc<Tab> {
    let tab = browser.new_tab().unwrap();
    tab.call_method(headless_chrome::protocol::cdp::Network::Enable {
        max_total_buffer_size: None,
        max_resource_buffer_size: None,
        max_post_data_size: None,
        report_direct_socket_traffic: None,
        enable_durable_messages: None,
    })
    .ok();
    tab.call_method(headless_chrome::protocol::cdp::Network::ClearBrowserCache(None)).unwrap();
    tab.navigate_to(url).unwrap().wait_until_navigated().unwrap();
    tab
}

pub fn kb(b: u64) -> String {
    if b >= 1024 * 1024 {
        format!("{:.1} MB", b as f64 / 1048576.0)
    } else {
        format!("{:.1} KB", b as f64 / 1024.0)
    }
}

pub fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr));
}

/// A static server on loopback that gzips text responses, as static hosts do; Kiln's and
/// Pagefind's index files are already compressed and are sent as they are.
/// Every response the server sent: (path, body bytes on the wire).
pub type Log = std::sync::Arc<std::sync::Mutex<Vec<(String, u64)>>>;

pub fn serve(root: &Path) -> String {
    serve_logged(root).0
}

pub fn serve_logged(root: &Path) -> (String, Log) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let root = root.to_path_buf();
    let log: Log = Default::default();
    let server_log = log.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            let log = server_log.clone();
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut req = String::new();
                if reader.read_line(&mut req).is_err() {
                    return;
                }
                let mut line = String::new();
                while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
                    line.clear();
                }
                let path = req
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("/")
                    .split(['?', '#'])
                    .next()
                    .unwrap_or("/")
                    .to_string();
                let mut file = root.join(path.trim_start_matches('/'));
                if file.is_dir() {
                    file = file.join("index.html");
                }
                let Ok(body) = std::fs::read(&file) else {
                    let _ = stream.write_all(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    );
                    return;
                };
                let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
                let ctype = match ext {
                    "html" => "text/html; charset=utf-8",
                    "css" => "text/css",
                    "js" => "text/javascript",
                    "json" => "application/json",
                    _ => "application/octet-stream",
                };
                let (body, enc) = if matches!(ext, "html" | "css" | "js" | "json") {
                    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                    gz.write_all(&body).unwrap();
                    (gz.finish().unwrap(), "Content-Encoding: gzip\r\n")
                } else {
                    (body, "")
                };
                log.lock().unwrap().push((path.clone(), body.len() as u64));
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\n{enc}Content-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(&body);
            });
        }
    });
    (format!("http://{addr}"), log)
}

/// Bytes of logged responses whose path satisfies `keep`, then clear the log.
pub fn take(log: &Log, keep: impl Fn(&str) -> bool) -> u64 {
    let mut l = log.lock().unwrap();
    let n = l.iter().filter(|(p, _)| keep(p)).map(|(_, b)| b).sum();
    l.clear();
    n
}
