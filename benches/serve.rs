//! Live preview benchmark (issue 4): `kiln serve` on a generated site, a page open in
//! headless Chromium, and one article's body saved N times. Each save is timed from the
//! file write to the start of the browser frame that paints the new text (an in-place
//! update; for a full reload, the reloaded page's `DOMContentLoaded`), both clocks being the
//! machine's wall clock, and reported as p50/p95 beside the initial full build.
//!
//! Run: `cargo bench --bench serve -- [--pages 10000] [--saves 20] [--no-patch]` (generates the site with
//! ../shared/bench/gen_corpus.py into target/bench/ if missing; needs Debian chromium).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

#[path = "../tests/common/browser.rs"]
mod browser;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let pages: usize = arg("--pages").and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let saves: usize = arg("--saves").and_then(|v| v.parse().ok()).unwrap_or(20);
    // Time the full-reload path (themes that do not opt in to in-place updates).
    let no_patch = args.iter().any(|a| a == "--no-patch");
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let work = repo.join("target/bench");
    std::fs::create_dir_all(&work).unwrap();
    let site = work.join(format!("kb-{pages}"));
    if !site.join("content").exists() {
        let ok = Command::new("python3")
            .args([
                "../../../shared/bench/gen_corpus.py",
                "--pages",
                &pages.to_string(),
                "--seed",
                "42",
                "--out",
            ])
            .arg(&site)
            .current_dir(&work)
            .status()
            .unwrap();
        assert!(ok.success());
    }
    assert!(
        Command::new("cargo")
            .args(["build", "--release", "--quiet"])
            .current_dir(&repo)
            .status()
            .unwrap()
            .success()
    );
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo.join("target"));
    let chrome = browser::chromium().expect("Debian chromium is needed");

    let mut child = Command::new(target.join("release/kiln"))
        .args(["serve", "--port", "0", "--root"])
        .arg(&site)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let (mut addr, mut initial) = (String::new(), String::new());
    while addr.is_empty() {
        let line = rx.recv_timeout(Duration::from_secs(900)).expect("kiln serve started");
        if line.contains("initial build") {
            initial = line.split(" in ").nth(1).and_then(|s| s.split(',').next()).unwrap_or("").to_string();
        }
        if let Some(rest) = line.split("serving http://").nth(1) {
            addr = rest.split('/').next().unwrap().to_string();
        }
    }

    let mut articles: Vec<PathBuf> = walkdir::WalkDir::new(site.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && p.components().count() > 3)
        .collect();
    articles.sort();
    let article = articles[articles.len() / 2].clone();
    let rel = article.strip_prefix(site.join("content")).unwrap().to_string_lossy().replace('\\', "/");
    let url = format!("http://{addr}/{}/", rel.trim_end_matches(".md"));
    let original = std::fs::read_to_string(&article).unwrap();

    let b = browser::launch(&chrome, 1200, 800);
    let tab = b.new_tab().unwrap();
    tab.navigate_to(&url).unwrap().wait_until_navigated().unwrap();
    let eval = |js: &str| tab.evaluate(js, false).unwrap().value.unwrap_or(serde_json::Value::Null);
    let wait = |js: &str| {
        let deadline = Instant::now() + Duration::from_secs(60);
        while eval(js) != serde_json::Value::Bool(true) {
            assert!(Instant::now() < deadline, "timed out: {js}");
            std::thread::sleep(Duration::from_millis(5));
        }
    };
    wait("document.documentElement.dataset.kilnLive === '1'");
    let (mut ms, mut seen, mut reloads) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..saves {
        let marker = format!("bench-marker-{i}");
        // An in-place update is seen by a mutation observer: the time the text is in the
        // page, then the start of the frame that paints it. A full reload loses the
        // observer; then its navigation timing is used (DOMContentLoaded).
        eval(&format!(
            "window.__seen = null; window.__painted = null; new MutationObserver(function (m, o) {{ \
             if (!document.body.textContent.includes('{marker}')) return; o.disconnect(); \
             window.__seen = performance.timeOrigin + performance.now(); \
             requestAnimationFrame(function () {{ window.__painted = performance.timeOrigin + performance.now(); }}); }})\
             .observe(document.body, {{ subtree: true, childList: true, characterData: true }}); 1"
        ));
        if no_patch {
            eval("document.documentElement.removeAttribute('data-kiln-patch'), 1");
        }
        let t0 = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs_f64() * 1000.0;
        std::fs::write(&article, format!("{original}\n{marker}\n")).unwrap();
        wait(&format!(
            "document.body.innerText.includes('{marker}') && document.readyState === 'complete' && (window.__seen === undefined || window.__painted !== null)"
        ));
        let patched = eval("typeof window.__painted === 'number'").as_bool().unwrap_or(false);
        if patched {
            seen.push(eval("window.__seen").as_f64().unwrap() - t0);
            ms.push(eval("window.__painted").as_f64().unwrap() - t0);
            reloads.push(false);
        } else {
            let loaded = eval(
                "performance.timeOrigin + performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd",
            );
            ms.push(loaded.as_f64().unwrap() - t0);
            seen.push(*ms.last().unwrap());
            reloads.push(true);
        }
        if std::env::var_os("KILN_BENCH_VERBOSE").is_some() {
            let nav = if patched {
                String::new()
            } else {
                eval("JSON.stringify(performance.getEntriesByType('navigation')[0])").to_string()
            };
            eprintln!(
                "save {i}: {} at {:.0} ms {nav}",
                if patched { "patched" } else { "reloaded" },
                ms.last().unwrap()
            );
        }
        wait("document.documentElement.dataset.kilnLive === '1'");
        std::thread::sleep(Duration::from_millis(300));
    }
    std::fs::write(&article, original).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let pct = |v: &mut Vec<f64>, p: f64| {
        v.sort_by(f64::total_cmp);
        v[((p / 100.0) * (v.len() - 1) as f64).round() as usize]
    };
    let full = reloads.iter().filter(|r| **r).count();
    println!(
        "| pages | initial build (in memory) | saves (full reloads) | save → new text in the page p50 / p95 | save → next frame (painting it) p50 | p95 | max |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {pages} | {initial} | {saves} ({full}) | {:.0} / {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms |",
        pct(&mut seen, 50.0),
        pct(&mut seen, 95.0),
        pct(&mut ms, 50.0),
        pct(&mut ms, 95.0),
        ms[ms.len() - 1]
    );
}
