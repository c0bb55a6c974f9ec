//! The default theme in a real headless Chromium (issue 2, point 10): no horizontal
//! scrolling at 360 px, the navigation drawer, the dark-mode toggle that persists, and
//! copy buttons on code blocks. Skips without Chromium, except under CI=true.

#[path = "common/browser.rs"]
mod browser;
mod common;

use common::*;
use std::path::Path;

/// The example site, built and served, and a browser tab of the given size; `None` when
/// there is no Chromium (and not under CI).
fn open(width: u32, height: u32) -> Option<(Site, String, headless_chrome::Browser)> {
    let chrome = browser::chromium()?;
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = Site::with_files(&[]);
    copy_dir(&repo.join("content"), &site.root().join("content"));
    std::fs::copy(repo.join("site.toml"), site.root().join("site.toml")).unwrap();
    site.build(&[]).ok();
    let base = browser::serve(&site.public());
    Some((site, base, browser::launch(&chrome, width, height)))
}

/// Navigate and wait until the page has loaded and run its scripts.
fn goto(tab: &headless_chrome::Tab, url: &str) {
    tab.navigate_to(url).unwrap().wait_until_navigated().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while eval(tab, "document.readyState") != "complete" {
        assert!(std::time::Instant::now() < deadline, "{url} did not finish loading");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

fn eval(tab: &headless_chrome::Tab, js: &str) -> serde_json::Value {
    tab.evaluate(js, false).expect("evaluate").value.unwrap_or(serde_json::Value::Null)
}

const PAGES: &[&str] = &[
    "/",
    "/getting-started/",
    "/getting-started/devices/enroll-your-laptop/",
    "/getting-started/accounts/password-rules/",
    "/problems-solutions/mailflow-issues/messages-stuck-in-outbox/",
    "/admin-guides/policies/acceptable-use-portal/",
    "/networking/wi-fi/connect-to-office-wi-fi/",
    "/tags/",
    "/no-such-page/",
];

#[test]
fn phone_width_has_no_horizontal_scroll_and_a_working_drawer() {
    let Some((_site, base, b)) = open(360, 780) else { return };
    let tab = b.new_tab().unwrap();
    for page in PAGES {
        goto(&tab, &format!("{base}{page}"));
        let widths = eval(&tab, "[document.documentElement.scrollWidth, window.innerWidth].join('x')");
        let w = widths.as_str().unwrap().to_string();
        let (scroll, inner) = w.split_once('x').unwrap();
        assert!(
            scroll.parse::<u32>().unwrap() <= inner.parse::<u32>().unwrap(),
            "{page} scrolls sideways at 360px: {w}"
        );
    }
    goto(&tab, &format!("{base}/getting-started/devices/enroll-your-laptop/"));
    let hidden = eval(&tab, "getComputedStyle(document.getElementById('sidebar')).visibility");
    assert_eq!(hidden, "hidden", "drawer closed by default on phones");
    tab.find_element(".nav-toggle").unwrap().click().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(400));
    assert_eq!(eval(&tab, "getComputedStyle(document.getElementById('sidebar')).visibility"), "visible");
    assert_eq!(eval(&tab, "document.querySelector('.nav-toggle').getAttribute('aria-expanded')"), "true");
    assert_eq!(
        eval(&tab, "document.activeElement.closest('#sidebar') !== null"),
        true,
        "focus moves into the drawer"
    );
}

#[test]
fn dark_mode_toggle_persists_across_pages() {
    let Some((_site, base, b)) = open(1280, 900) else { return };
    let tab = b.new_tab().unwrap();
    goto(&tab, &format!("{base}/"));
    let before = eval(&tab, "document.documentElement.dataset.theme");
    let bg_before = eval(&tab, "getComputedStyle(document.body).backgroundColor");
    tab.find_element(".theme-toggle").unwrap().click().unwrap();
    let after = eval(&tab, "document.documentElement.dataset.theme");
    assert_ne!(before, after);
    assert_ne!(bg_before, eval(&tab, "getComputedStyle(document.body).backgroundColor"), "palette changes");
    goto(&tab, &format!("{base}/networking/"));
    assert_eq!(eval(&tab, "document.documentElement.dataset.theme"), after, "choice persists");
    assert_eq!(eval(&tab, "localStorage.getItem('kiln-theme')"), after);
}

#[test]
fn code_blocks_get_copy_buttons_and_toc_is_visible_on_desktop() {
    let Some((_site, base, b)) = open(1440, 900) else { return };
    let tab = b.new_tab().unwrap();
    goto(&tab, &format!("{base}/admin-guides/powershell/remove-a-restricted-sender/"));
    let blocks = eval(&tab, "document.querySelectorAll('.code-block').length").as_u64().unwrap();
    let buttons =
        eval(&tab, "document.querySelectorAll('.code-block .copy-button').length").as_u64().unwrap();
    assert!(blocks >= 3);
    assert_eq!(blocks, buttons);
    // Copying is said through the page's live region (the button keeps its label).
    let status = "document.querySelector('.copy-status[role=status][aria-live=polite]')";
    assert_eq!(eval(&tab, &format!("{status}.textContent")), "", "the region exists, empty, before any copy");
    eval(&tab, "document.querySelector('.copy-button').click(), 1");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while eval(&tab, &format!("{status}.textContent")) != "Copied to the clipboard" {
        assert!(std::time::Instant::now() < deadline, "\"Copied\" is announced");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    goto(&tab, &format!("{base}/getting-started/accounts/set-up-your-work-account/"));
    assert_eq!(eval(&tab, "getComputedStyle(document.querySelector('.toc')).display"), "block");
    assert_eq!(eval(&tab, "getComputedStyle(document.querySelector('.nav-toggle')).display"), "none");
    // Keyboard users see the skip link first. The page gets the window's focus first (a
    // headless window may start without it), and the focus is waited for, not assumed.
    tab.bring_to_front().unwrap();
    eval(&tab, "window.focus(), 1");
    tab.press_key("Tab").unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let mut focused = eval(&tab, "document.activeElement.className");
    while focused != "skip-link" && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
        focused = eval(&tab, "document.activeElement.className");
    }
    assert_eq!(focused, "skip-link", "the first Tab focuses the skip link");
}

/// WCAG contrast of every visible text node against its effective background.
const CONTRAST_JS: &str = r#"
(() => {
  const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const blend = (top, bottom) => { const a = top[3]; return [0,1,2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]); };
  const bgOf = el => { const layers = []; for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor); if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
    let bg = [255, 255, 255, 1]; if (!layers.length || layers[layers.length - 1][3] < 1) bg = document.documentElement.dataset.theme === 'dark' ? [15,18,23,1] : [255,255,255,1];
    for (let i = layers.length - 1; i >= 0; i--) bg = blend(layers[i], bg); return bg; };
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const t = walker.currentNode; if (!t.textContent.trim()) continue;
    const el = t.parentElement; const cs = getComputedStyle(el);
    if (cs.visibility !== 'visible' || cs.display === 'none' || el.closest('[hidden],details:not([open]) > :not(summary)')) continue;
    const r = el.getBoundingClientRect(); if (r.width === 0 || r.height === 0) continue;
    if (parseFloat(cs.opacity) === 0 || el.closest('.anchor,.copy-button,.skip-link')) continue;
    const fg = blend(parse(cs.color), bgOf(el)); const bg = bgOf(el);
    const [a, b] = [lum(fg), lum(bg)]; const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const large = parseFloat(cs.fontSize) >= 24 || (parseFloat(cs.fontSize) >= 18.66 && parseInt(cs.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) bad.push(ratio.toFixed(2) + ' ' + el.tagName + '.' + el.className + ' "' + t.textContent.trim().slice(0, 30) + '"');
  }
  return bad.slice(0, 15).join('\n');
})()
"#;

#[test]
fn text_meets_aa_contrast_in_light_and_dark() {
    let Some((_site, base, b)) = open(1440, 900) else { return };
    let tab = b.new_tab().unwrap();
    let mut failures = Vec::new();
    for theme in ["light", "dark"] {
        goto(&tab, &format!("{base}/"));
        eval(&tab, &format!("localStorage.setItem('kiln-theme', '{theme}')"));
        for page in PAGES {
            goto(&tab, &format!("{base}{page}"));
            assert_eq!(eval(&tab, "document.documentElement.dataset.theme"), theme);
            let bad = eval(&tab, CONTRAST_JS);
            let bad = bad.as_str().unwrap_or("");
            if !bad.is_empty() {
                failures.push(format!("{theme} {page}:\n{bad}"));
            }
        }
    }
    assert!(failures.is_empty(), "text below WCAG AA contrast:\n{}", failures.join("\n"));
}
