//! A multilingual site in a real headless Chromium: the language switcher, used from the
//! keyboard, lands on the page's translation (or the language's home); the search box of a
//! Japanese and of an Arabic page finds words inside their text, in that language only, and
//! opens the result.

#[path = "common/browser.rs"]
mod browser;
mod common;

use browser::{goto, js, wait};
use common::*;
use headless_chrome::Tab;

struct Fixture {
    _site: Site,
    base: String,
    _browser: headless_chrome::Browser,
    tab: std::sync::Arc<Tab>,
}

fn open() -> Option<Fixture> {
    let chrome = browser::chromium()?;
    let site = Site::fixture("multilingual/folders");
    site.build(&[]).ok();
    let base = browser::serve(&site.public());
    let b = browser::launch(&chrome, 1280, 900);
    let tab = b.new_tab().unwrap();
    Some(Fixture { _site: site, base, _browser: b, tab })
}

/// Open the switcher from the keyboard, Tab to the link of `label` and press Enter.
fn switch_to(tab: &Tab, label: &str) {
    js(tab, "document.querySelector('.lang-switch summary').focus(), 1");
    tab.press_key("Enter").unwrap();
    wait(tab, "document.querySelector('.lang-switch').open");
    let lit = serde_json::to_string(label).unwrap();
    for _ in 0..8 {
        tab.press_key("Tab").unwrap();
        if js(tab, &format!("document.activeElement.textContent === {lit}")) == true {
            tab.press_key("Enter").unwrap();
            return;
        }
    }
    panic!("no switcher entry {label} within reach of Tab");
}

#[test]
fn the_switcher_lands_on_the_translation_from_the_keyboard() {
    let Some(f) = open() else { return };
    let tab = &f.tab;
    goto(tab, &format!("{}/getting-started/install/", f.base));
    switch_to(tab, "日本語");
    wait(tab, "location.pathname === '/ja/getting-started/install/'");
    wait(tab, "document.readyState === 'complete'");
    assert_eq!(js(tab, "document.documentElement.lang"), "ja");
    assert_eq!(js(tab, "document.querySelector('h1').textContent"), "デスクトップアプリをインストールする");
    switch_to(tab, "العربية");
    wait(tab, "location.pathname === '/ar/getting-started/install/'");
    wait(tab, "document.readyState === 'complete'");
    assert_eq!(js(tab, "document.documentElement.dir"), "rtl");
    // The header is mirrored: the switcher sits left of the site's name.
    let mirrored = js(
        tab,
        "document.querySelector('.lang-switch').getBoundingClientRect().left < document.querySelector('.brand').getBoundingClientRect().left",
    );
    assert_eq!(mirrored, true);
    // A page Arabic lacks: the switcher's French entry goes to the French home.
    goto(tab, &format!("{}/getting-started/reset-password/", f.base));
    switch_to(tab, "Français");
    wait(tab, "location.pathname === '/fr/'");
}

/// Put `q` in the header search box as an input method would, wait for the options, open
/// the first with the keyboard; returns the option titles.
fn search_and_open(tab: &Tab, q: &str) -> Vec<String> {
    let titles = options(tab, q);
    tab.press_key("ArrowDown").unwrap();
    tab.press_key("Enter").unwrap();
    titles
}

/// Put `q` in the header search box as an input method would; the option titles shown.
fn options(tab: &Tab, q: &str) -> Vec<String> {
    let lit = serde_json::to_string(q).unwrap();
    js(
        tab,
        &format!(
            "(() => {{ const i = document.querySelector('.search-form input'); i.focus(); i.value = {lit}; i.dispatchEvent(new Event('input', {{ bubbles: true }})); return 1; }})()"
        ),
    );
    wait(tab, &format!("document.getElementById('kiln-results').dataset.query === {lit}"));
    let titles = js(
        tab,
        "JSON.stringify([...document.querySelectorAll('#kiln-results .search-option:not(.search-sub) .search-title')].map(e => e.textContent))",
    );
    serde_json::from_str(titles.as_str().unwrap()).unwrap()
}

#[test]
fn japanese_search_finds_a_word_inside_unspaced_text_and_opens_it() {
    let Some(f) = open() else { return };
    let tab = &f.tab;
    goto(tab, &format!("{}/ja/", f.base));
    // Two characters are one term: no one-typo match (管現 is not 管理).
    assert_eq!(options(tab, "管理"), ["シングルサインオンでサインインする"]);
    assert!(options(tab, "管現").is_empty());
    // 管理者 ("administrator") sits inside 場合は管理者に連絡してください, with no space around it.
    let titles = search_and_open(tab, "管理者");
    assert_eq!(titles, ["シングルサインオンでサインインする"]);
    wait(tab, "location.pathname === '/ja/getting-started/sign-in/'");
    // The search page of the language searches that language only: the English page
    // naming "password" is not among the Japanese results for it.
    goto(tab, &format!("{}/ja/search/?q=%E3%83%91%E3%82%B9%E3%83%AF%E3%83%BC%E3%83%89", f.base));
    wait(tab, "document.querySelector('.search-results[data-render-ms]') !== null");
    let urls = js(
        tab,
        "JSON.stringify([...document.querySelectorAll('.search-hit a.search-title')].map(a => a.getAttribute('href')))",
    );
    let urls: Vec<String> = serde_json::from_str(urls.as_str().unwrap()).unwrap();
    assert!(!urls.is_empty() && urls.iter().all(|u| u.starts_with("/ja/")), "{urls:?}");
}

#[test]
fn arabic_search_finds_a_word_and_opens_it() {
    let Some(f) = open() else { return };
    let tab = &f.tab;
    goto(tab, &format!("{}/ar/", f.base));
    assert_eq!(js(tab, "document.documentElement.dir"), "rtl");
    // The page says حساب شركتك ("your company's account"); the query is the bare word.
    let titles = search_and_open(tab, "حساب");
    assert_eq!(titles, ["تسجيل الدخول باستخدام الدخول الموحد"]);
    wait(tab, "location.pathname === '/ar/getting-started/sign-in/'");
}
