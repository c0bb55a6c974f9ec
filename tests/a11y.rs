//! Accessibility in a real headless Chromium: axe-core (WCAG 2.1 A and AA rules) over every
//! page type of the example site and of a fixture with every Markdown construct, at desktop
//! and phone widths, light and dark, with the header search list and the phone menu open;
//! and the keyboard path from the first Tab. axe-core comes from `tests/a11y/node_modules`
//! (`npm ci --prefix tests/a11y`, which `.ci/run` does); without it or without Chromium the
//! tests skip, except under CI=true where they must run.

#[path = "common/browser.rs"]
mod browser;
mod common;

use common::*;
use headless_chrome::Tab;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn js(tab: &Tab, code: &str) -> serde_json::Value {
    tab.evaluate(code, true).expect("evaluate").value.unwrap_or(serde_json::Value::Null)
}

fn goto(tab: &Tab, url: &str) {
    tab.navigate_to(url).unwrap().wait_until_navigated().unwrap();
    wait(tab, "document.readyState === 'complete'");
}

fn wait(tab: &Tab, cond: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while js(tab, cond) != serde_json::Value::Bool(true) {
        assert!(Instant::now() < deadline, "timed out waiting for {cond}");
        std::thread::sleep(Duration::from_millis(40));
    }
}

/// axe-core's browser bundle, or `None` (skip) when it is not installed and not under CI.
fn axe_source() -> Option<String> {
    let path = std::env::var_os("KILN_AXE").map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/a11y/node_modules/axe-core/axe.min.js")
    });
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(_) => {
            assert!(
                std::env::var("CI").map_or(true, |v| v != "true"),
                "CI=true but no axe-core at {}: run npm ci --prefix tests/a11y",
                path.display()
            );
            eprintln!("skipping accessibility test: no axe-core (npm ci --prefix tests/a11y)");
            None
        }
    }
}

/// A built site served over loopback, with a browser of each width.
struct Served {
    _site: Site,
    base: String,
    axe: String,
    wide: headless_chrome::Browser,
    phone: headless_chrome::Browser,
}

fn serve(site: Site) -> Option<Served> {
    let axe = axe_source()?;
    let chrome = browser::chromium()?;
    site.build(&[]).ok();
    let base = browser::serve(&site.public());
    let wide = browser::launch(&chrome, 1280, 900);
    let phone = browser::launch(&chrome, 390, 844);
    Some(Served { _site: site, base, axe, wide, phone })
}

fn example_site() -> Site {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = Site::with_files(&[]);
    copy_dir(&repo.join("content"), &site.root().join("content"));
    std::fs::copy(repo.join("site.toml"), site.root().join("site.toml")).unwrap();
    site
}

/// What the page looks like while axe runs.
#[derive(Clone, Copy, Debug)]
enum Mode {
    Plain,
    /// The header search list open on a query.
    SearchList(&'static str),
    /// The phone navigation drawer open.
    Menu,
}

/// Run axe on the open page in the given theme; return its violations, one line each.
fn violations(tab: &Tab, axe: &str, theme: &str) -> Vec<String> {
    if js(tab, "typeof axe") != "object" {
        tab.evaluate(axe, false).expect("inject axe-core");
    }
    js(tab, &format!("document.documentElement.setAttribute('data-theme', '{theme}'); 1"));
    // Let colour transitions finish before contrast is measured.
    std::thread::sleep(Duration::from_millis(350));
    // `.pasted` is an author's raw HTML with an inline colour (tests/fixtures/markdown):
    // passed through as written, its contrast is the author's, not the theme's.
    let report = js(
        tab,
        "axe.run({ exclude: [['.pasted']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
           .then(r => JSON.stringify(r.violations.map(v => v.id + ' (' + v.impact + '): '
             + v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' — ' + (n.any.concat(n.all)[0] || {}).message).join(' | '))))",
    );
    serde_json::from_str(report.as_str().expect("axe report")).unwrap()
}

/// Open `path` in `mode` and collect axe's violations in light and dark.
fn audit(tab: &Tab, s: &Served, path: &str, mode: Mode, label: &str) -> Vec<String> {
    goto(tab, &format!("{}{path}", s.base));
    match mode {
        Mode::Plain => {}
        Mode::SearchList(q) => {
            js(tab, "document.querySelector('.search-form input').focus(); 1");
            tab.type_str(q).unwrap();
            wait(tab, "!document.querySelector('.search-panel').hidden && document.querySelectorAll('#kiln-results [role=option]').length > 0");
        }
        Mode::Menu => {
            tab.find_element(".nav-toggle").unwrap().click().unwrap();
            wait(tab, "getComputedStyle(document.getElementById('sidebar')).visibility === 'visible'");
        }
    }
    let mut found = Vec::new();
    for theme in ["light", "dark"] {
        for v in violations(tab, &s.axe, theme) {
            found.push(format!("{label} {path} {mode:?} {theme}: {v}"));
        }
    }
    found
}

fn audit_all(s: &Served, pages: &[&str], search: &'static str) -> Vec<String> {
    let mut found = Vec::new();
    for (browser, label) in [(&s.wide, "1280px"), (&s.phone, "390px")] {
        let tab = browser.new_tab().unwrap();
        for page in pages {
            found.extend(audit(&tab, s, page, Mode::Plain, label));
        }
        found.extend(audit(&tab, s, pages[0], Mode::SearchList(search), label));
        if label == "390px" {
            found.extend(audit(&tab, s, pages[1], Mode::Menu, label));
        }
    }
    found
}

#[test]
fn example_site_has_no_axe_violations() {
    let Some(s) = serve(example_site()) else { return };
    let pages = [
        "/",
        "/getting-started/",
        "/getting-started/devices/",
        "/getting-started/devices/enroll-your-laptop/",
        "/problems-solutions/mailflow-issues/messages-stuck-in-outbox/",
        "/admin-guides/powershell/",
        "/tags/",
        "/tags/vpn/",
        "/search/?q=vpn",
        "/no-such-page/",
    ];
    let found = audit_all(&s, &pages, "vpn");
    assert!(found.is_empty(), "axe-core violations:\n{}", found.join("\n"));
}

#[test]
fn every_markdown_construct_has_no_axe_violations() {
    let site = Site::fixture("markdown");
    // What overflows at 390 px: a wide table and a long line of code.
    let row = (1..=12).map(|i| format!("| column {i} ")).collect::<String>();
    let rule = "| --- ".repeat(12);
    site.write(
        "content/docs/md/wide.md",
        &format!("---\ntitle: Wide\n---\n{row}|\n{rule}|\n{row}|\n\n```powershell\n{}\n```\n", "Get-Item -Path C:\\Temp ".repeat(20)),
    );
    let Some(s) = serve(site) else { return };
    let pages = [
        "/docs/md/wide/",
        "/docs/md/admonitions/",
        "/docs/md/alerts/",
        "/docs/md/code/",
        "/docs/md/gfm/",
        "/docs/md/headings/",
        "/docs/md/links/",
        "/docs/md/mkdocs/",
        "/docs/",
    ];
    let found = audit_all(&s, &pages, "code");
    assert!(found.is_empty(), "axe-core violations:\n{}", found.join("\n"));
}
