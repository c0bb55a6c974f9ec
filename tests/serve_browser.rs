//! `kiln serve` in a real headless Chromium (issue 4, point 7): an open page shows an edit
//! without a manual reload and keeps its scroll position; a bad save raises the overlay and
//! fixing it clears it. Skips without Chromium, except under CI=true.

#[path = "common/browser.rs"]
mod browser;
mod common;
#[path = "common/server.rs"]
mod server;

use std::time::{Duration, Instant};

use common::Site;
use headless_chrome::Tab;
use server::Server;

const STEP10: &str = "content/email-delivery/ndr/step-10.md";

fn eval(tab: &Tab, js: &str) -> serde_json::Value {
    tab.evaluate(js, false).expect("evaluate").value.unwrap_or(serde_json::Value::Null)
}

/// Poll `js` until it is true.
fn wait_for(tab: &Tab, js: &str, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while eval(tab, js) != serde_json::Value::Bool(true) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

#[test]
fn an_open_page_shows_edits_and_errors_without_a_manual_reload() {
    let Some(chrome) = browser::chromium() else { return };
    let site = Site::fixture("basic");
    let long: String = (0..80).map(|i| format!("Paragraph number {i} of filler text.\n\n")).collect();
    let good = format!("---\ntitle: Step 10\n---\n## Fix it\n\n{long}Done.\n");
    site.write(STEP10, &good);
    let server = Server::start(site.root());
    let browser = browser::launch(&chrome, 1000, 700);
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("http://{}/email-delivery/ndr/step-10/", server.addr)).unwrap();
    tab.wait_until_navigated().unwrap();
    wait_for(&tab, "document.documentElement.dataset.kilnLive === '1'", "the live-reload connection");
    eval(&tab, "window.scrollTo(0, 900); window.__notReloaded = true; true");
    wait_for(&tab, "window.scrollY > 800", "the scroll");

    // The default theme opts in to in-place updates: the new text appears without a
    // navigation (the window keeps its state), and a new code block gets its copy button.
    let code = "```sh\necho wombat\n```\n\n";
    site.write(STEP10, &good.replace("Done.", &format!("{code}Done, and the wombat agrees.")));
    wait_for(&tab, "document.body.innerText.includes('the wombat agrees')", "the edit to appear");
    assert_eq!(eval(&tab, "window.__notReloaded === true"), serde_json::Value::Bool(true), "page navigated");
    assert!(eval(&tab, "window.scrollY > 800").as_bool().unwrap(), "scroll kept");
    wait_for(
        &tab,
        "document.querySelectorAll('main .code-block').length > 0 && document.querySelectorAll('main .code-block').length === document.querySelectorAll('main .code-block .copy-button').length",
        "copy buttons on the new code block",
    );
    assert_eq!(eval(&tab, "document.querySelectorAll('script[src^=\"/__kiln/live.js\"]').length"), 1);

    // A theme that does not opt in gets a full reload, which restores the scroll position.
    eval(&tab, "document.documentElement.removeAttribute('data-kiln-patch'), 1");
    site.write(STEP10, &good.replace("Done.", "Done, and the wombat agrees."));
    wait_for(
        &tab,
        "window.__notReloaded === undefined && document.readyState === 'complete'",
        "a full reload",
    );
    wait_for(
        &tab,
        "document.body.innerText.includes('the wombat agrees') && !document.querySelector('main .code-block')",
        "the edit",
    );
    wait_for(&tab, "window.scrollY > 800", "the scroll position to be restored");
    wait_for(&tab, "document.documentElement.dataset.kilnLive === '1'", "the live-reload connection");
    server.wait_log("search index");
    // Search in the preview knows the new word.
    eval(
        &tab,
        "(() => { const i = document.querySelector('.search-form input'); i.value = ''; i.focus(); return 1; })()",
    );
    tab.type_str("wombat").unwrap();
    wait_for(
        &tab,
        "document.getElementById('kiln-results').dataset.query === 'wombat' && [...document.querySelectorAll('#kiln-results .search-title')].some(e => e.textContent === 'Step 10')",
        "the edited page in the search results",
    );
    eval(&tab, "document.activeElement.blur(), 1");

    // A broken save: overlay with file and line, the last good page beneath it.
    site.write(STEP10, "---\ntitle: [unclosed\n---\nBody.\n");
    wait_for(&tab, "!!document.getElementById('kiln-overlay')", "the error overlay");
    let text = eval(&tab, "document.getElementById('kiln-overlay').innerText").as_str().unwrap().to_string();
    assert!(text.contains("content/email-delivery/ndr/step-10.md:2"), "{text}");
    assert!(eval(&tab, "document.body.innerText.includes('the wombat agrees')").as_bool().unwrap());

    site.write(STEP10, &good);
    wait_for(&tab, "!document.getElementById('kiln-overlay')", "the overlay to clear");
    wait_for(&tab, "!document.body.innerText.includes('the wombat agrees')", "the fixed page");
}
