//! Headless Chromium for browser tests: find it, launch it with the flags this closed
//! network needs, and serve a built site to it over loopback HTTP.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use headless_chrome::{Browser, LaunchOptions, Tab};
use std::time::{Duration, Instant};

/// Chromium's path, or `None` (tests then skip, except under CI where they must run).
pub fn chromium() -> Option<PathBuf> {
    let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
    let found = std::env::var_os("KILN_CHROMIUM")
        .map(PathBuf::from)
        .into_iter()
        .chain(candidates.iter().map(PathBuf::from))
        .find(|p| p.exists());
    if found.is_none() {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI=true but no Chromium found: browser tests must run in CI (apt-get install chromium)"
        );
        eprintln!("skipping browser test: no Chromium found (set KILN_CHROMIUM or install chromium)");
    }
    found
}

/// Launch headless Chromium with a window of `width`×`height`.
pub fn launch(path: &Path, width: u32, height: u32) -> Browser {
    let args: Vec<&std::ffi::OsStr> = [
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
    ]
    .iter()
    .map(std::ffi::OsStr::new)
    .collect();
    let opts = LaunchOptions::default_builder()
        .path(Some(path.to_path_buf()))
        .sandbox(false)
        .window_size(Some((width, height)))
        .args(args)
        .idle_browser_timeout(std::time::Duration::from_secs(600))
        .build()
        .expect("launch options");
    Browser::new(opts).expect("launch chromium")
}

/// Serve `root` on 127.0.0.1 (a free port) from a background thread; returns the base URL.
pub fn serve(root: &Path) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().unwrap();
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let root = root.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request = String::new();
                if reader.read_line(&mut request).is_err() {
                    return;
                }
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                }
                let path = request.split_whitespace().nth(1).unwrap_or("/");
                let path = path.split(['?', '#']).next().unwrap_or("/");
                let mut file = root.join(path.trim_start_matches('/'));
                if path.split('/').any(|s| s == "..") {
                    file = root.join("404.html");
                }
                if file.is_dir() {
                    file = file.join("index.html");
                }
                let (status, body, file) = match std::fs::read(&file) {
                    Ok(b) => ("200 OK", b, file),
                    Err(_) => (
                        "404 Not Found",
                        std::fs::read(root.join("404.html")).unwrap_or_default(),
                        root.join("404.html"),
                    ),
                };
                let ctype = match file.extension().and_then(|e| e.to_str()) {
                    Some("html") => "text/html; charset=utf-8",
                    Some("css") => "text/css",
                    Some("js") => "text/javascript",
                    Some("svg") => "image/svg+xml",
                    Some("png") => "image/png",
                    Some("json") => "application/json",
                    _ => "application/octet-stream",
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(&body);
            });
        }
    });
    format!("http://{addr}")
}

/// Evaluate `code` in the page (awaiting a promise it returns) and give its value.
pub fn js(tab: &Tab, code: &str) -> serde_json::Value {
    tab.evaluate(code, true).expect("evaluate").value.unwrap_or(serde_json::Value::Null)
}

/// Navigate and wait until the page has loaded and run its scripts.
pub fn goto(tab: &Tab, url: &str) {
    tab.navigate_to(url).unwrap().wait_until_navigated().unwrap();
    wait(tab, "document.readyState === 'complete'");
}

/// Wait (at most 15 s) until the expression `cond` is true in the page.
pub fn wait(tab: &Tab, cond: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while js(tab, cond) != serde_json::Value::Bool(true) {
        assert!(Instant::now() < deadline, "timed out waiting for {cond}");
        std::thread::sleep(Duration::from_millis(40));
    }
}
