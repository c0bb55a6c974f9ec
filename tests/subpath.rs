//! Hosting under a sub-path (issue 6, point 2): the example site built for
//! `https://org.github.io/kb/` and laid out as a static host would serve it (the output in
//! `<root>/kb/`) is crawled from its home page: every link, stylesheet, script, image,
//! redirect target and search file it names must exist, with no rewrite rules.

mod common;

use std::collections::{BTreeSet, VecDeque};
use std::path::Path;

use common::run;

/// Values of `href="…"`, `src="…"` and meta-refresh `url=…` in an HTML page.
fn references(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            rest = &rest[at + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].replace("&amp;", "&"));
            }
        }
    }
    if let Some(at) = html.find("content=\"0; url=") {
        let rest = &html[at + "content=\"0; url=".len()..];
        out.push(rest[..rest.find('"').unwrap()].to_string());
    }
    out
}

/// The file a static server would answer `path` (site-absolute, no host) with.
fn served(root: &Path, path: &str) -> Option<std::path::PathBuf> {
    let path = path.split(['#', '?']).next().unwrap();
    let file = root.join(path.trim_start_matches('/'));
    let file = if path.ends_with('/') { file.join("index.html") } else { file };
    file.is_file().then_some(file)
}

#[test]
fn every_link_and_asset_resolves_under_a_sub_path() {
    let host = tempfile::tempdir().unwrap();
    let out = host.path().join("kb");
    let repo = env!("CARGO_MANIFEST_DIR");
    run(&[
        "build",
        "--root",
        repo,
        "--output",
        out.to_str().unwrap(),
        "--base-url",
        "https://org.github.io/kb/",
        "--no-cache",
    ])
    .ok();

    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<String> = VecDeque::from(["/kb/".to_string()]);
    let mut broken = Vec::new();
    while let Some(url) = queue.pop_front() {
        if !seen.insert(url.clone()) {
            continue;
        }
        let Some(file) = served(host.path(), &url) else {
            broken.push(url);
            continue;
        };
        if file.extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(&file).unwrap();
            for r in references(&html) {
                if r.starts_with('#') || r.starts_with("mailto:") || r.starts_with("data:") {
                    continue;
                }
                let abs = if let Some(p) = r.strip_prefix("https://org.github.io") {
                    p.to_string()
                } else if r.starts_with("http://") || r.starts_with("https://") {
                    continue; // another site
                } else if r.starts_with('/') {
                    r.clone()
                } else {
                    panic!("{url} has a relative reference {r:?}, which breaks when the page moves");
                };
                assert!(abs.starts_with("/kb/"), "{url} links outside the sub-path: {r}");
                queue.push_back(abs.split('#').next().unwrap().to_string());
            }
        }
    }
    assert!(broken.is_empty(), "broken under /kb/: {broken:?}");
    assert!(seen.len() > 40, "the crawl reached the site: {} URLs", seen.len());
    assert!(seen.iter().any(|u| u.ends_with(".css")) && seen.iter().any(|u| u.ends_with(".js")));

    // What the search script fetches is named from the base path it reads in each page.
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains(r#"<meta name="kiln-base" content="/kb/">"#));
    assert!(out.join("search/meta.json").is_file());
    // The feed, sitemap and robots entries point under the sub-path too.
    for f in ["sitemap.xml", "robots.txt"] {
        let text = std::fs::read_to_string(out.join(f)).unwrap();
        for loc in text.split("https://org.github.io").skip(1) {
            assert!(loc.starts_with("/kb/"), "{f}: {loc}");
        }
    }
}
