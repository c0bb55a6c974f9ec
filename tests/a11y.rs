//! Accessibility in a real headless Chromium: axe-core (WCAG 2.1 A and AA rules) over every
//! page type of the example site and of a fixture with every Markdown construct, at desktop
//! and phone widths, light and dark, with the header search list and the phone menu open;
//! and the keyboard path from the first Tab. axe-core comes from `tests/a11y/node_modules`
//! (`npm ci --prefix tests/a11y`, which `.ci/run` does); without it or without Chromium the
//! tests skip, except under CI=true where they must run.

#[path = "common/browser.rs"]
mod browser;
mod common;

use browser::{goto, js, wait};
use common::*;
use headless_chrome::Tab;
use std::path::{Path, PathBuf};
use std::time::Duration;

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
    // Diagrams are drawn after load: audit what the reader sees.
    wait(tab, "[...document.querySelectorAll('pre.mermaid')].every(p => p.querySelector('svg'))");
    match mode {
        Mode::Plain => {}
        Mode::SearchList(q) => {
            js(tab, "document.querySelector('.search-form input').focus(); 1");
            tab.type_str(q).unwrap();
            wait(
                tab,
                "!document.querySelector('.search-panel').hidden && document.querySelectorAll('#kiln-results [role=option]').length > 0",
            );
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
        &format!(
            "---\ntitle: Wide\n---\n{row}|\n{rule}|\n{row}|\n\n```powershell\n{}\n```\n",
            "Get-Item -Path C:\\Temp ".repeat(20)
        ),
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

/// What has focus, as `tag.class` or `tag.class@sidebar` / `@header`, or the link text.
const FOCUSED: &str = "(() => { const e = document.activeElement; if (!e || e === document.body) return 'body';
  const where = e.closest('#sidebar') ? '@sidebar' : e.closest('.site-header') ? '@header' : e.closest('main') ? '@main' : '';
  return e.tagName.toLowerCase() + (e.classList.length ? '.' + e.classList[0] : '') + where; })()";

/// The first `n` stops of sequential focus from the top of a freshly loaded page.
fn tab_path(tab: &Tab, url: &str, n: usize) -> Vec<String> {
    goto(tab, url);
    (0..n)
        .map(|_| {
            tab.press_key("Tab").unwrap();
            js(tab, FOCUSED).as_str().unwrap_or("?").to_string()
        })
        .collect()
}

const PAGE_TYPES: &[&str] = &[
    "/",
    "/getting-started/",
    "/getting-started/devices/",
    "/getting-started/devices/enroll-your-laptop/",
    "/problems-solutions/mailflow-issues/messages-stuck-in-outbox/",
    "/tags/",
    "/tags/vpn/",
    "/search/?q=vpn",
    "/no-such-page/",
];

#[test]
fn the_first_tab_goes_to_the_skip_link_then_the_header_then_the_sidebar() {
    let Some(s) = serve(example_site()) else { return };
    let wide = s.wide.new_tab().unwrap();
    for page in PAGE_TYPES {
        let path = tab_path(&wide, &format!("{}{page}", s.base), 5);
        let want = ["a.skip-link", "a.brand@header", "input@header", "button.theme-toggle@header"];
        assert_eq!(path[..4], want, "{page} at 1280 px: {path:?}");
        assert!(path[4].ends_with("@sidebar"), "{page}: after the header comes the sidebar: {path:?}");
    }
    // On phones the menu button leads the header and the drawer is closed (out of the
    // focus order), so the page's own content follows the header.
    let phone = s.phone.new_tab().unwrap();
    for page in PAGE_TYPES {
        let path = tab_path(&phone, &format!("{}{page}", s.base), 6);
        let want = [
            "a.skip-link",
            "button.nav-toggle@header",
            "a.brand@header",
            "input@header",
            "button.theme-toggle@header",
        ];
        assert_eq!(path[..5], want, "{page} at 390 px: {path:?}");
        assert!(!path[5].ends_with("@sidebar"), "{page}: the closed drawer takes no focus: {path:?}");
    }
}

#[test]
fn the_sidebar_shows_the_current_page_without_taking_focus_and_sections_fold() {
    let Some(s) = serve(example_site()) else { return };
    // A short window: the current article's link is low in the sidebar.
    let short = browser::launch(&browser::chromium().unwrap(), 1280, 360);
    let tab = short.new_tab().unwrap();
    let page = "/networking/wi-fi/connect-to-office-wi-fi/";
    goto(&tab, &format!("{}{page}", s.base));
    let in_view = "(() => { const a = document.querySelector('#sidebar [aria-current=page]').getBoundingClientRect();
        const s = document.getElementById('sidebar').getBoundingClientRect(); return a.top >= s.top && a.bottom <= s.bottom; })()";
    assert_eq!(js(&tab, in_view), true, "the current page's link is in view in the sidebar");
    assert_eq!(
        js(&tab, "document.getElementById('sidebar').scrollTop > 0"),
        true,
        "the sidebar scrolled to it"
    );
    assert_eq!(js(&tab, "window.scrollY"), 0, "the page itself did not scroll");
    tab.press_key("Tab").unwrap();
    assert_eq!(js(&tab, FOCUSED), "a.skip-link", "and focus still starts at the top");

    // Every section is a fold button and a link, nothing interactive inside another.
    let nested = "document.querySelectorAll('#sidebar :is(a, button, summary, input) :is(a, button, summary, input)').length";
    assert_eq!(js(&tab, nested), 0);
    assert_eq!(js(&tab, "document.querySelectorAll('#sidebar summary, #sidebar details').length"), 0);
    let sections = "[...document.querySelectorAll('#sidebar .nav-section:not(.nav-closed) > .nav-head')]
        .every(h => h.querySelectorAll('button.nav-fold').length === 1 && h.querySelectorAll('a').length === 1)";
    assert_eq!(js(&tab, sections), true);
    // The fold button is a disclosure: Enter folds and unfolds the section's list.
    let list =
        "document.querySelector('#sidebar .nav-fold').closest('.nav-section').querySelector(':scope > ul')";
    js(&tab, "document.querySelector('#sidebar .nav-fold').focus(), 1");
    tab.press_key("Enter").unwrap();
    assert_eq!(
        js(&tab, "document.querySelector('#sidebar .nav-fold').getAttribute('aria-expanded')"),
        "false"
    );
    assert_eq!(js(&tab, &format!("getComputedStyle({list}).display")), "none");
    tab.press_key("Enter").unwrap();
    assert_eq!(
        js(&tab, "document.querySelector('#sidebar .nav-fold').getAttribute('aria-expanded')"),
        "true"
    );
    assert_eq!(js(&tab, &format!("getComputedStyle({list}).display")), "block");
}

/// Contrast of a search box's placeholder against the box (axe-core does not check
/// placeholders), focused and not, light and dark.
#[test]
fn search_placeholders_meet_aa_contrast() {
    let Some(s) = serve(example_site()) else { return };
    let tab = s.wide.new_tab().unwrap();
    let ratio = "((sel) => { const i = document.querySelector(sel);
        const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
        const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
          return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
        const a = lum(rgb(getComputedStyle(i, '::placeholder').color)), b = lum(rgb(getComputedStyle(i).backgroundColor));
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); })";
    for theme in ["light", "dark"] {
        for (page, input) in [("/", ".search-form input"), ("/search/", "#kiln-page-q")] {
            goto(&tab, &format!("{}{page}", s.base));
            js(&tab, &format!("document.documentElement.setAttribute('data-theme', '{theme}'); 1"));
            for focused in [false, true] {
                if focused {
                    js(&tab, &format!("document.querySelector('{input}').focus(), 1"));
                }
                std::thread::sleep(Duration::from_millis(350));
                let r = js(&tab, &format!("{ratio}('{input}')")).as_f64().unwrap();
                assert!(
                    r >= 4.5,
                    "{theme} {page} {input} (focused: {focused}): placeholder contrast {r:.2}:1"
                );
            }
        }
    }
}

/// Tabs, steps, cards, link cards, buttons, badges and file trees from MDX components
/// (`tests/fixtures/dialects`).
#[test]
fn dialect_components_have_no_axe_violations() {
    let Some(s) = serve(Site::fixture("dialects")) else { return };
    let pages = [
        "/starlight/components/",
        "/docusaurus/tutorial/",
        "/docusaurus/tutorial/more-tabs/",
        "/docusaurus/tutorial/tabs/",
        "/mkdocs/tutorial/first-steps/",
        "/vitepress/code/",
        "/docfx/zones/",
        "/mermaid/diagram/",
        "/mkdocs/tutorial/formulas/",
        "/mkdocs/tutorial/annotated/",
    ];
    let found = audit_all(&s, &pages, "tabs");
    assert!(found.is_empty(), "axe-core violations:\n{}", found.join("\n"));
}
