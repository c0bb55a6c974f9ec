//! Search benchmark (issue 3): index size and build cost at 1k/10k/100k generated pages,
//! bytes a browser transfers per query for Kiln and for Pagefind indexing the same built
//! site, and relevance (success@1, MRR@10) on the real corpora in ../shared/corpora.
//!
//! Run: `cargo bench --bench search -- [--sizes 1000,10000,100000] [--no-pagefind]
//! [--no-relevance]`. Needs python3, Debian chromium and `npm install pagefind` (done in
//! target/bench/ on first use). Prints Markdown tables; `docs/benchmarks.md` holds a run.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use headless_chrome::Browser;

mod common;
use common::*;

const ONE: &[&str] = &["salesforce", "autodiscover", "0x80070005", "5.7.520", "certificate"];
const TWO: &[&str] =
    &["salesforce password", "event 1129", "vpn certificate", "outlook autodiscover", "printer driver"];
const THREE: &[&str] = &[
    "outlook certificate warning",
    "vpn password blank",
    "event 1129 salesforce",
    "printer driver offline",
    "550 5.7.520 firewall",
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let sizes: Vec<usize> = arg("--sizes")
        .unwrap_or_else(|| "1000,10000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let pagefind = !args.iter().any(|a| a == "--no-pagefind");
    let relevance = !args.iter().any(|a| a == "--no-relevance");
    let pairs: usize = arg("--pairs").and_then(|p| p.parse().ok()).unwrap_or(5);
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let work = repo.join("target/bench");
    std::fs::create_dir_all(&work).unwrap();
    let kiln = build_kiln(&repo);
    let chrome =
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].iter().map(PathBuf::from).find(|p| p.exists());
    let chrome = chrome.expect("Debian chromium is needed: apt-get install chromium");
    if pagefind {
        ensure_pagefind(&work);
    }

    println!("## Index size and build cost\n");
    println!(
        "| pages | build (s) | build, `search = false` (s) | added by search | search files | index size | largest file | Pagefind time (s) | Pagefind files | Pagefind size |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut transfer_rows = Vec::new();
    for &n in &sizes {
        let site = work.join(format!("kb-{n}"));
        if !site.join("content").exists() {
            run(Command::new("python3")
                .args([
                    "../../../shared/bench/gen_corpus.py",
                    "--pages",
                    &n.to_string(),
                    "--seed",
                    "42",
                    "--out",
                ])
                .arg(&site)
                .current_dir(&work));
        }
        let (with, without) = kiln_build(&kiln, &site, pairs);
        let (files, bytes, largest) = dir_stats(&site.join("public/search"));
        let (pf_time, pf_files, pf_bytes) = if pagefind {
            let t = Instant::now();
            run(Command::new(work.join("node_modules/.bin/pagefind"))
                .args(["--site"])
                .arg(site.join("public"))
                .arg("--quiet"));
            let t = t.elapsed().as_secs_f64();
            let (f, b, _) = dir_stats(&site.join("public/pagefind"));
            (format!("{t:.1}"), f.to_string(), kb(b))
        } else {
            ("not run".into(), "–".into(), "–".into())
        };
        println!(
            "| {n} | {with:.2} | {without:.2} | {:.0}% | {files} | {} | {} | {pf_time} | {pf_files} | {pf_bytes} |",
            100.0 * (with - without) / without,
            kb(bytes),
            kb(largest)
        );
        std::fs::write(site.join("public/bench.html"), "<!doctype html><title>bench</title>").unwrap();
        let (base, log) = serve_logged(&site.join("public"));
        let browser = launch(&chrome);
        for (label, set) in [("1 term", ONE), ("2 terms", TWO), ("3 terms", THREE)] {
            let mut kiln_first = Vec::new();
            let mut kiln_ms = Vec::new();
            let mut pf_first = Vec::new();
            for q in set {
                let (bytes, ms) = kiln_query(&browser, &base, &log, q);
                kiln_first.push(bytes);
                kiln_ms.push(ms);
                if pagefind {
                    pf_first.push(pagefind_query(&browser, &base, &log, q));
                }
            }
            transfer_rows.push((n, label, kiln_first, kiln_ms, pf_first));
        }
        let further = further_term(&browser, &base, &log);
        transfer_rows.push((n, "each further term", further, vec![], vec![]));
    }
    println!(
        "\n## Bytes transferred per query (cold cache, gzip; Kiln: script + index + first 5 results' data)\n"
    );
    println!(
        "| pages | query | Kiln median | Kiln max | Kiln score + render (ms, max) | Pagefind median | Pagefind max |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|");
    for (n, label, k, ms, p) in &transfer_rows {
        println!(
            "| {n} | {label} | {} | {} | {} | {} | {} |",
            kb(median(k)),
            kb(k.iter().copied().max().unwrap_or(0)),
            ms.iter()
                .copied()
                .fold(None, |a: Option<f64>, b| Some(a.map_or(b, |a| a.max(b))))
                .map_or("–".into(), |m| format!("{m:.1}")),
            if p.is_empty() { "–".into() } else { kb(median(p)) },
            p.iter().copied().max().map_or("–".into(), kb)
        );
    }
    if relevance {
        relevance_table(&repo, &work, &kiln, &chrome, pagefind);
    }
}

fn ensure_pagefind(work: &Path) {
    if !work.join("node_modules/.bin/pagefind").exists() {
        run(Command::new("npm").args(["install", "--silent", "pagefind@1"]).current_dir(work));
    }
}

/// Median wall time of `pairs` builds with search and as many without (`search = false`),
/// alternated so that drift on a shared machine hits both alike: (with, without).
fn kiln_build(kiln: &Path, site: &Path, pairs: usize) -> (f64, f64) {
    if pairs == 0 {
        // Reuse the site already built (with search) in `public/`.
        return (f64::NAN, f64::NAN);
    }
    let (mut on, mut off) = (Vec::new(), Vec::new());
    let toml = site.join("site.toml");
    for _ in 0..pairs {
        for search in [false, true] {
            if search {
                let _ = std::fs::remove_file(&toml);
            } else {
                std::fs::write(&toml, "search = false\n").unwrap();
            }
            let t = Instant::now();
            let out = Command::new(kiln).args(["build", "--root"]).arg(site).output().expect("run kiln");
            let secs = t.elapsed().as_secs_f64();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            if search { on.push(secs) } else { off.push(secs) }
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (median(&mut on), median(&mut off))
}

/// Cold query on Kiln's search page: bytes for the script, index and 5 results' data, and
/// the milliseconds from the shards' arrival to results on screen (scoring plus rendering
/// the search page's list; the larger of the two runs).
fn kiln_query(browser: &Browser, base: &str, log: &Log, q: &str) -> (u64, f64) {
    take(log, |_| false);
    let tab = fresh(browser, &format!("{base}/search/"));
    let lit = serde_json::to_string(q).unwrap();
    let ms = eval(
        &tab,
        &format!("kilnSearch.run({lit}).then(r => kilnSearch.resolve(r, 5, -1).then(() => r.scoreMs))"),
    );
    let bytes = take(log, is_kiln_search);
    // The search page itself, same query: scoring plus building the result list (20 hits,
    // facets, snippets), as the page records it once the shards are in.
    let url = format!("{base}/search/?q={}", q.replace(' ', "+"));
    tab.navigate_to(&url).unwrap().wait_until_navigated().unwrap();
    let cond = format!(
        "(document.querySelector('.search-results') || {{}}).dataset?.query === {lit} ? +document.querySelector('.search-results').dataset.renderMs : null"
    );
    let deadline = Instant::now() + std::time::Duration::from_secs(60);
    let shown = loop {
        let v = eval(&tab, &cond);
        if let Some(v) = v.as_f64() {
            break v;
        }
        assert!(Instant::now() < deadline, "search page did not show {q}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    take(log, |_| false);
    tab.close(false).ok();
    if std::env::var_os("KILN_BENCH_VERBOSE").is_some() {
        eprintln!(
            "query {q:?}: scoring {:.1} ms (cold), search page score + render {shown:.1} ms",
            ms.as_f64().unwrap_or(f64::NAN)
        );
    }
    (bytes, ms.as_f64().unwrap_or(f64::NAN).max(shown))
}

/// Bytes for each term added to a query already run (Kiln): `a` then `a b`.
fn further_term(browser: &Browser, base: &str, log: &Log) -> Vec<u64> {
    let mut out = Vec::new();
    for (a, b) in [
        ("salesforce", "password"),
        ("outlook", "certificate"),
        ("vpn", "blank"),
        ("printer", "offline"),
        ("event", "1129"),
    ] {
        let tab = fresh(browser, &format!("{base}/search/"));
        take(log, |_| false);
        let run = |q: &str| {
            let lit = serde_json::to_string(q).unwrap();
            eval(
                &tab,
                &format!("kilnSearch.run({lit}).then(r => kilnSearch.resolve(r, 5, -1)).then(() => 1)"),
            );
            if std::env::var_os("KILN_BENCH_VERBOSE").is_some() {
                for (path, bytes) in log.lock().unwrap().iter().filter(|(p, _)| is_kiln_search(p)) {
                    eprintln!("  {q:?}: {path} {bytes}");
                }
            }
            take(log, is_kiln_search)
        };
        run(a);
        let bytes = run(&format!("{a} {b}"));
        eprintln!("further term: {a:?} then {a:?} {b:?}: {bytes} bytes");
        out.push(bytes);
        tab.close(false).ok();
    }
    out
}

fn pagefind_query(browser: &Browser, base: &str, log: &Log, q: &str) -> u64 {
    take(log, |_| false);
    let tab = fresh(browser, &format!("{base}/bench.html"));
    let lit = serde_json::to_string(q).unwrap();
    let got = eval(
        &tab,
        &format!(
            "(async () => {{ try {{ const pf = await import('/pagefind/pagefind.js'); await pf.init(); const r = await pf.search({lit}); const d = await Promise.all(r.results.slice(0, 5).map(x => x.data())); return r.results.length + ' ' + d.length; }} catch (e) {{ return 'ERR ' + e; }} }})()"
        ),
    );
    assert!(got.as_str().is_some_and(|g| !g.starts_with("ERR")), "pagefind failed on {q:?}: {got}");
    let bytes = take(log, |p| p.starts_with("/pagefind/"));
    tab.close(false).ok();
    bytes
}

/// success@1 and MRR@10 on `benches/relevance.tsv` over a site made of every corpus.
fn relevance_table(repo: &Path, work: &Path, kiln: &Path, chrome: &Path, pagefind: bool) {
    let corpora = repo.join("../shared/corpora");
    if !corpora.exists() {
        println!("\n(relevance skipped: ../shared/corpora is absent)");
        return;
    }
    let site = work.join("corpora-site");
    let _ = std::fs::remove_dir_all(&site);
    std::fs::create_dir_all(site.join("content")).unwrap();
    for entry in std::fs::read_dir(&corpora).unwrap().filter_map(Result::ok) {
        let dst = site.join("content").join(entry.file_name());
        run(Command::new("cp").arg("-R").arg(entry.path()).arg(&dst));
    }
    run(Command::new("sh")
        .arg("-c")
        .arg("find content -name '*.mdx' -exec sh -c 'mv \"$1\" \"${1%.mdx}.md\"' _ {} \\;")
        .current_dir(&site));
    std::fs::write(site.join("site.toml"), "title = \"Corpora\"\n").unwrap();
    let out = Command::new(kiln).args(["build", "--root"]).arg(&site).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    if pagefind {
        run(Command::new(work.join("node_modules/.bin/pagefind"))
            .args(["--site"])
            .arg(site.join("public"))
            .args(["--quiet", "--root-selector", "main"]));
    }
    // Source path → URL, from the site model.
    let diags = kiln::diagnostics::Diagnostics::new();
    let content = kiln::content::load(&site, &site.join("content"), false, &Default::default(), &diags);
    let (model, _) =
        kiln::site::Site::build(kiln::config::SiteConfig::default(), content, site.join("content"), &diags);
    let url_of: std::collections::HashMap<String, String> =
        model.pages.iter().map(|p| (p.source.rel_path.clone(), p.url.clone())).collect();

    let cases: Vec<(String, String)> = std::fs::read_to_string(repo.join("benches/relevance.tsv"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && l.contains('\t'))
        .map(|l| {
            let (q, p) = l.split_once('\t').unwrap();
            (q.to_string(), p.to_string())
        })
        .collect();
    std::fs::write(site.join("public/bench.html"), "<!doctype html><title>bench</title>").unwrap();
    let base = serve(&site.join("public"));
    let browser = launch(chrome);
    let tab = fresh(&browser, &format!("{base}/search/"));
    let pf_tab = fresh(&browser, &format!("{base}/bench.html"));
    let (mut k1, mut kmrr, mut p1, mut pmrr) = (0.0, 0.0, 0.0, 0.0);
    let mut misses = Vec::new();
    for (q, path) in &cases {
        let want =
            url_of.get(path).unwrap_or_else(|| panic!("relevance.tsv names {path}, which is not a page"));
        let lit = serde_json::to_string(q).unwrap();
        let kiln_urls = eval(
            &tab,
            &format!(
                "kilnSearch.run({lit}).then(r => kilnSearch.resolve(r, 10, -1)).then(rows => JSON.stringify(rows.map(x => x.f.u)))"
            ),
        );
        let kiln_urls: Vec<String> =
            serde_json::from_str(kiln_urls.as_str().unwrap_or("[]")).unwrap_or_default();
        let rank = kiln_urls.iter().position(|u| u == want);
        if rank == Some(0) {
            k1 += 1.0;
        } else {
            misses.push(format!(
                "{q} → {}",
                rank.map_or("not in top 10".into(), |r| format!("rank {}", r + 1))
            ));
        }
        kmrr += rank.map_or(0.0, |r| 1.0 / (r as f64 + 1.0));
        if pagefind {
            let pf = eval(
                &pf_tab,
                &format!(
                    "(async () => {{ const pf = await import('/pagefind/pagefind.js'); const r = await pf.search({lit}); const d = await Promise.all(r.results.slice(0, 10).map(x => x.data())); return JSON.stringify(d.map(x => x.url)); }})()"
                ),
            );
            let pf: Vec<String> = serde_json::from_str(pf.as_str().unwrap_or("[]")).unwrap_or_default();
            let rank = pf.iter().position(|u| u.trim_end_matches("index.html") == want);
            p1 += (rank == Some(0)) as u8 as f64;
            pmrr += rank.map_or(0.0, |r| 1.0 / (r as f64 + 1.0));
        }
    }
    let n = cases.len() as f64;
    println!("\n## Relevance on ../shared/corpora ({} queries, benches/relevance.tsv)\n", cases.len());
    println!("| engine | success@1 | MRR@10 |\n|---|---:|---:|");
    println!("| Kiln | {:.2} | {:.3} |", k1 / n, kmrr / n);
    if pagefind {
        println!("| Pagefind 1.x | {:.2} | {:.3} |", p1 / n, pmrr / n);
    }
    println!(
        "\nKiln misses at rank 1: {}",
        if misses.is_empty() { "none".into() } else { misses.join("; ") }
    );
}

fn median(v: &[u64]) -> u64 {
    let mut s = v.to_vec();
    s.sort_unstable();
    s.get(s.len() / 2).copied().unwrap_or(0)
}

fn is_kiln_search(p: &str) -> bool {
    (p.contains("/search/") && p != "/search/") || p.ends_with("/search.js")
}
