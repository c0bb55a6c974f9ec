//! Search in a real headless Chromium (issue 3, point 7): type into the built site and
//! assert on the results — every code form, typos, phrases, facets, keyboard use,
//! sub-results landing on their heading, a sub-path base URL, and the browser tokenizer
//! agreeing with the Rust one.

#[path = "common/browser.rs"]
mod browser;
mod common;

use browser::{goto, js, wait};
use common::*;
use headless_chrome::Tab;

/// Type `q` into the header search box and return the titles of the options shown.
fn header_search(tab: &Tab, q: &str) -> Vec<String> {
    js(
        tab,
        "(() => { const i = document.querySelector('.search-form input'); i.value = ''; i.focus(); return 1; })()",
    );
    tab.type_str(q).unwrap();
    let lit = serde_json::to_string(q).unwrap();
    wait(tab, &format!("document.getElementById('kiln-results').dataset.query === {lit}.trim()"));
    let titles = js(
        tab,
        "JSON.stringify([...document.querySelectorAll('#kiln-results .search-option:not(.search-sub) .search-title')].map(e => e.textContent))",
    );
    serde_json::from_str(titles.as_str().unwrap()).unwrap()
}

struct Fixture {
    _site: Site,
    base: String,
    _browser: headless_chrome::Browser,
    tab: std::sync::Arc<Tab>,
}

fn open(base_url: Option<&str>) -> Option<Fixture> {
    let chrome = browser::chromium()?;
    let site = Site::fixture("search");
    let (args, mount) = match base_url {
        Some(u) => (vec!["--base-url", u], "kb"),
        None => (vec![], ""),
    };
    site.build(&args).ok();
    let served = if mount.is_empty() {
        site.public()
    } else {
        let root = site.root().join("served");
        copy_dir(&site.public(), &root.join(mount));
        std::fs::copy(site.public().join("404.html"), root.join("404.html")).unwrap();
        root
    };
    let base = browser::serve(&served);
    let b = browser::launch(&chrome, 1280, 900);
    let tab = b.new_tab().unwrap();
    let start = if mount.is_empty() { format!("{base}/") } else { format!("{base}/{mount}/") };
    goto(&tab, &start);
    Some(Fixture { _site: site, base, _browser: b, tab })
}

#[test]
fn every_code_form_finds_its_article_first() {
    let Some(f) = open(None) else { return };
    for (q, want) in [
        ("5.1.8", "Bad outbound sender bounce"),
        ("550 5.1.8", "Bad outbound sender bounce"),
        ("0x80070005", "Access denied during setup"),
        ("AS(41000001)", "Bad outbound sender bounce"),
        ("41000001", "Bad outbound sender bounce"),
        ("Set-OutboundConnector", "Configure an outbound connector"),
        ("KB5034441", "January security update fails"),
        (r"C:\Windows\System32", "Repair system files"),
        ("event 7031", "Access denied during setup"),
        ("Sécurité", ""),
    ] {
        let titles = header_search(&f.tab, q);
        if want.is_empty() {
            continue;
        }
        assert_eq!(titles.first().map(String::as_str), Some(want), "query {q:?} gave {titles:?}");
    }
}

#[test]
fn exact_code_ranks_above_near_misses() {
    let Some(f) = open(None) else { return };
    let titles = header_search(&f.tab, "5.1.8");
    assert_eq!(titles[0], "Bad outbound sender bounce");
    let near = titles.iter().position(|t| t == "Other delivery failures");
    assert!(near.is_none_or(|p| p > 0), "518 / 5.1.9 never outrank 5.1.8: {titles:?}");
}

#[test]
fn one_typo_is_tolerated_and_prefixes_match_as_you_type() {
    let Some(f) = open(None) else { return };
    assert_eq!(header_search(&f.tab, "conector")[0], "Configure an outbound connector");
    assert_eq!(header_search(&f.tab, "mailbx")[0], "Mailbox size limits");
    assert!(header_search(&f.tab, "recieve").contains(&"Mailbox size limits".to_string()));
    assert_eq!(header_search(&f.tab, "outbou")[0], "Configure an outbound connector", "prefix");
    assert!(header_search(&f.tab, "xqzvw").is_empty());
}

#[test]
fn partial_matches_when_a_word_is_missing_everywhere() {
    let Some(f) = open(None) else { return };
    let titles = header_search(&f.tab, "spooler not working");
    assert!(!titles.is_empty(), "best partial matches instead of nothing");
    assert!(titles.iter().all(|t| t.contains("pool") || t.contains("Print")), "{titles:?}");
}

#[test]
fn quoted_phrase_on_the_search_page_and_facets() {
    let Some(f) = open(None) else { return };
    let tab = &f.tab;
    goto(tab, &format!("{}/search/?q=%22restart%20the%20spooler%22", f.base));
    wait(tab, "document.querySelector('.search-results').dataset.query === '\"restart the spooler\"'");
    let titles = js(
        tab,
        "[...document.querySelectorAll('.search-hit .search-title')].map(e => e.textContent).join('|')",
    );
    assert_eq!(titles, "Printing stops on shared printers", "only the page with the exact phrase");

    // Facets: counts per category; clicking filters and survives a reload.
    goto(tab, &format!("{}/search/?q=sender", f.base));
    wait(tab, "document.querySelector('.search-results').dataset.query === 'sender'");
    let facets = js(tab, "[...document.querySelectorAll('.facet')].map(b => b.textContent.trim()).join('|')");
    assert!(facets.as_str().unwrap().contains("Mail 2"), "{facets}");
    js(tab, "document.querySelector('.facet').click(), 1");
    wait(tab, "location.search.includes('in=')");
    wait(tab, "document.querySelector('.facet[aria-pressed=true]') !== null");
    let url = js(tab, "location.href");
    goto(tab, url.as_str().unwrap());
    wait(tab, "document.querySelector('.search-results').dataset.query === 'sender'");
    assert_eq!(
        js(tab, "document.querySelector('.search-page input').value"),
        "sender",
        "reload keeps the query"
    );
    assert_eq!(
        js(tab, "document.querySelector('.facet[aria-pressed=true]') !== null"),
        true,
        "and the filter"
    );
    let trails = js(
        tab,
        "[...document.querySelectorAll('.search-hit .search-trail')].every(p => p.textContent.startsWith('Mail'))",
    );
    assert_eq!(trails, true);
}

#[test]
fn keyboard_slash_arrows_enter_escape() {
    let Some(f) = open(None) else { return };
    let tab = &f.tab;
    js(tab, "document.activeElement.blur(), 1");
    tab.press_key("/").unwrap();
    assert_eq!(js(tab, "document.activeElement === document.querySelector('.search-form input')"), true);
    tab.type_str("spooler").unwrap();
    wait(tab, "document.getElementById('kiln-results').dataset.query === 'spooler'");
    assert_eq!(js(tab, "document.querySelector('.search-form input').getAttribute('aria-expanded')"), "true");
    tab.press_key("ArrowDown").unwrap();
    let active =
        js(tab, "document.querySelector('.search-form input').getAttribute('aria-activedescendant')");
    assert_eq!(active, "kiln-opt-0");
    assert_eq!(js(tab, "document.getElementById('kiln-opt-0').getAttribute('aria-selected')"), "true");
    tab.press_key("Escape").unwrap();
    assert_eq!(js(tab, "document.querySelector('.search-panel').hidden"), true);
    tab.press_key("ArrowDown").unwrap();
    wait(tab, "!document.querySelector('.search-panel').hidden");
    tab.press_key("ArrowDown").unwrap();
    let href = js(tab, "document.getElementById('kiln-opt-0').dataset.href");
    tab.press_key("Enter").unwrap();
    wait(tab, &format!("location.pathname === {}", serde_json::to_string(href.as_str().unwrap()).unwrap()));
    // Ctrl+K focuses the box from anywhere.
    wait(tab, "document.readyState === 'complete'");
    tab.press_key_with_modifiers("k", Some(&[headless_chrome::browser::tab::ModifierKey::Ctrl])).unwrap();
    assert_eq!(js(tab, "document.activeElement === document.querySelector('.search-form input')"), true);
}

#[test]
fn closing_the_list_clears_the_choice_up_picks_the_last_and_enter_opens_the_search_page() {
    let Some(f) = open(None) else { return };
    let tab = &f.tab;
    let titles = header_search(tab, "spooler");
    assert!(titles.len() >= 2, "a query with several results: {titles:?}");
    let input = "document.querySelector('.search-form input')";
    // ArrowUp with nothing selected goes to the last result.
    tab.press_key("ArrowUp").unwrap();
    let last = js(tab, "[...document.querySelectorAll('#kiln-results [role=option]')].at(-1).id");
    assert_eq!(js(tab, &format!("{input}.getAttribute('aria-activedescendant')")), last);
    // Escape closes the list and forgets the choice.
    tab.press_key("Escape").unwrap();
    assert_eq!(js(tab, "document.querySelector('.search-panel').hidden"), true);
    assert_eq!(js(tab, &format!("{input}.hasAttribute('aria-activedescendant')")), false);
    assert_eq!(js(tab, "document.querySelectorAll('#kiln-results [aria-selected=true]').length"), 0);
    // Enter with nothing chosen opens the full search page for the query.
    tab.press_key("Enter").unwrap();
    wait(tab, "location.pathname === '/search/'");
    assert_eq!(js(tab, "new URLSearchParams(location.search).get('q')"), "spooler");
}

#[test]
fn heading_sub_result_lands_on_its_heading() {
    let Some(f) = open(None) else { return };
    let tab = &f.tab;
    header_search(tab, "reset print spooler");
    let sub = js(tab, "(document.querySelector('#kiln-results .search-sub') || {}).dataset?.href");
    let sub = sub.as_str().expect("a heading sub-result").to_string();
    assert!(sub.ends_with("#reset-the-print-spooler"), "{sub}");
    js(tab, "document.querySelector('#kiln-results .search-sub .search-choice').click(), 1");
    wait(tab, "location.hash === '#reset-the-print-spooler'");
    wait(tab, "document.readyState === 'complete'");
    let visible = js(
        tab,
        "(() => { const r = document.getElementById('reset-the-print-spooler').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })()",
    );
    assert_eq!(visible, true, "the heading is on screen");
}

#[test]
fn works_under_a_sub_path_base_url() {
    let Some(f) = open(Some("https://docs.example.org/kb/")) else { return };
    let titles = header_search(&f.tab, "KB5034441");
    assert_eq!(titles[0], "January security update fails");
    let href = js(&f.tab, "document.getElementById('kiln-opt-0').dataset.href");
    assert!(href.as_str().unwrap().starts_with("/kb/windows/"), "{href}");

    // The result leads to the article, served from the sub-path with its assets.
    goto(&f.tab, &format!("{}{}", f.base, href.as_str().unwrap()));
    assert_eq!(js(&f.tab, "document.querySelector('h1').textContent"), "January security update fails");
    let css_loaded = "[...document.styleSheets].every(s => s.href && s.cssRules.length > 0)";
    assert_eq!(js(&f.tab, css_loaded), true, "fingerprinted stylesheets load under /kb/");

    // The full search page under the sub-path fetches the index from /kb/search/.
    goto(&f.tab, &format!("{}/kb/search/?q=KB5034441", f.base));
    wait(&f.tab, "document.querySelector('.search-results').dataset.query === 'KB5034441'");
    let first = js(&f.tab, "document.querySelector('.search-hit .search-title').textContent");
    assert_eq!(first, "January security update fails");
    let link = js(&f.tab, "document.querySelector('.search-hit a').getAttribute('href')");
    assert!(link.as_str().unwrap().starts_with("/kb/windows/"), "{link}");
}

#[test]
fn browser_tokenizer_agrees_with_the_index_tokenizer() {
    let Some(f) = open(None) else { return };
    // The search script arrives when the search box is first focused.
    js(&f.tab, "document.querySelector('.search-form input').focus(), 1");
    wait(&f.tab, "typeof window.kilnSearch === 'object'");
    for text in [
        "550 5.1.8 Access denied AS(41000001).",
        "Set-OutboundConnector -Identity \"Contoso\"",
        r"C:\Windows\System32 KB5034441 0x80070005",
        "Sécurité naïve HTTPServer sign-in x64 event 7031 (parenthetical) port 8",
        "https://docs.microsoft.com/en-gb/office365/troubleshoot/sign-In/determine",
        "インストーラーをダウンロードして実行します。Windows11の設定を開く",
        "「設定」→『更新』 ｶﾀｶﾅ ガイド 猫",
        "설치하려면 관리자에게 문의하세요 (KB123)",
        "安装 Kiln 之前，请先阅读《说明》。version 2.0版",
    ] {
        let rust: Vec<String> = kiln::search::tokenize::tokenize(text).into_iter().map(|t| t.text).collect();
        let lit = serde_json::to_string(text).unwrap();
        let js_out = js(&f.tab, &format!("JSON.stringify(kilnSearch.tokenize({lit}).map(t => t.t))"));
        let js_tokens: Vec<String> = serde_json::from_str(js_out.as_str().unwrap()).unwrap();
        assert_eq!(js_tokens, rust, "tokenizers disagree on {text:?}");
    }
}

#[test]
fn the_search_script_loads_on_first_use_and_the_shortcuts_work_before_it() {
    let Some(f) = open(None) else { return };
    let tab = &f.tab;
    let loaded = "[...document.scripts].some(s => /search(\\.[0-9a-f]+)?\\.js$/.test(s.src))";
    assert_eq!(js(tab, loaded), false, "no search script before the reader searches");
    // `/` focuses the box at once (kiln.js), which loads the script.
    tab.press_key("/").unwrap();
    assert_eq!(js(tab, "document.activeElement === document.querySelector('.search-form input')"), true);
    wait(tab, loaded);
    // What is typed right after the shortcut is searched when the script arrives.
    tab.type_str("spooler").unwrap();
    wait(tab, "document.getElementById('kiln-results').dataset.query === 'spooler'");
    // Ctrl-K from elsewhere on a fresh page.
    goto(tab, &format!("{}/windows/", f.base));
    assert_eq!(js(tab, loaded), false);
    js(tab, "document.body.focus(), 1");
    tab.press_key_with_modifiers("k", Some(&[headless_chrome::browser::tab::ModifierKey::Ctrl])).unwrap();
    assert_eq!(js(tab, "document.activeElement === document.querySelector('.search-form input')"), true);
    wait(tab, loaded);
    // The search page loads it with the page.
    goto(tab, &format!("{}/search/?q=spooler", f.base));
    wait(tab, "document.querySelectorAll('.search-hit').length > 0");
}

/// Titles decide known-item queries: the page a query names whole comes first, above a
/// long page that uses the words more and a page whose code holds rare tokens starting
/// with the last word (`headers={"x-token` completes `headers`).
#[test]
fn the_page_a_query_names_comes_first() {
    let Some(chrome) = browser::chromium() else { return };
    let code = "```python\nresponse = client.get(\"/items/\", headers={\"X-Token\": \"secret\"})\n```\n\n";
    let testing = format!(
        "# Testing\n\nUse the test client; check the response and its headers.\n\n{}",
        code.repeat(6)
    );
    let long = format!(
        "# Response headers and cookies in depth\n\n{}",
        "The response carries headers; each response header has a name. ".repeat(40)
    );
    let site = Site::with_files(&[
        ("site.toml", "title = \"API\"\n"),
        ("content/guide/testing.md", &testing),
        ("content/guide/response-headers.md", "# Response headers\n\nSet headers on the response object.\n"),
        ("content/guide/depth.md", &long),
        ("content/guide/other.md", "# Other\n\nNothing here about it.\n"),
    ]);
    site.build(&[]).ok();
    let base = browser::serve(&site.public());
    let b = browser::launch(&chrome, 1280, 900);
    let tab = b.new_tab().unwrap();
    goto(&tab, &format!("{base}/"));
    assert_eq!(header_search(&tab, "response headers").first().map(String::as_str), Some("Response headers"));
    assert_eq!(header_search(&tab, "testing").first().map(String::as_str), Some("Testing"));
}
