//! Tabs from MDX `<Tabs>` in a real headless Chromium: a tablist made from the panels,
//! clicks and arrow keys, sets of one group kept in step, the choice remembered on the
//! next page, and every panel printed.

#[path = "common/browser.rs"]
mod browser;
mod common;

use browser::{goto, js};
use common::*;
use headless_chrome::Tab;

/// The label of the selected tab and the text of the visible panel of each tab set.
fn shown(tab: &Tab) -> Vec<String> {
    let v = js(
        tab,
        "JSON.stringify([...document.querySelectorAll('.kiln-tabs')].map(t =>
           t.querySelector('[role=tab][aria-selected=true]').textContent + ': ' +
           [...t.querySelectorAll('[role=tabpanel]')].filter(p => !p.hidden && p.offsetHeight > 0).map(p => p.innerText.trim()).join('|')))",
    );
    serde_json::from_str(v.as_str().unwrap()).unwrap()
}

#[test]
fn tabs_click_keys_sync_remember_and_print() {
    let Some(chrome) = browser::chromium() else { return };
    let site = Site::fixture("dialects");
    site.build(&[]).ok();
    let base = browser::serve(&site.public());
    let b = browser::launch(&chrome, 1280, 900);
    let tab = b.new_tab().unwrap();
    goto(&tab, &format!("{base}/docusaurus/tutorial/more-tabs/"));
    assert_eq!(shown(&tab), ["Windows: Open Settings.", "Windows: Press Ctrl."]);
    let roles = "[...document.querySelectorAll('.kiln-tabs')].every(t => t.querySelector(':scope > [role=tablist]')
        && [...t.querySelectorAll('[role=tab]')].every(b => document.getElementById(b.getAttribute('aria-controls')).getAttribute('aria-labelledby') === b.id))";
    assert_eq!(js(&tab, roles), true, "a tablist whose tabs control their panels");

    // A click chooses the label in every set of the group.
    js(&tab, "[...document.querySelectorAll('[role=tab]')].find(b => b.textContent === 'macOS').click(), 1");
    assert_eq!(shown(&tab), ["macOS: Open System Settings.", "macOS: Press Cmd."]);

    // Arrow keys move along the tablist, choosing and focusing; End, Home.
    js(&tab, "document.querySelectorAll('.kiln-tabs')[1].querySelector('[aria-selected=true]').focus(), 1");
    tab.press_key("ArrowRight").unwrap();
    assert_eq!(shown(&tab)[1], "Linux: Press Ctrl too.");
    assert_eq!(js(&tab, "document.activeElement.textContent"), "Linux");
    assert_eq!(shown(&tab)[0], "macOS: Open System Settings.", "a set without the label keeps its choice");
    tab.press_key("Home").unwrap();
    assert_eq!(shown(&tab), ["Windows: Open Settings.", "Windows: Press Ctrl."]);
    tab.press_key("ArrowLeft").unwrap();
    assert_eq!(
        js(&tab, "document.activeElement.textContent"),
        "Linux",
        "ArrowLeft from the first wraps to the last"
    );
    tab.press_key("ArrowLeft").unwrap();
    assert_eq!(shown(&tab), ["macOS: Open System Settings.", "macOS: Press Cmd."]);
    assert_eq!(
        js(&tab, "[...document.querySelectorAll('[role=tab]')].filter(b => b.tabIndex === 0).length"),
        2,
        "one stop per tablist"
    );

    // The choice is remembered on the next page of the group.
    goto(&tab, &format!("{base}/docusaurus/tutorial/tabs/"));
    assert_eq!(shown(&tab), ["macOS: Use Terminal."]);

    // Printed, every panel shows with its label, and the tablist does not.
    tab.call_method(headless_chrome::protocol::cdp::Emulation::SetEmulatedMedia {
        media: Some("print".into()),
        features: None,
    })
    .unwrap();
    let printed = js(
        &tab,
        "[...document.querySelectorAll('.kiln-tab-panel')].every(p => getComputedStyle(p).display !== 'none' && getComputedStyle(p.querySelector('.kiln-tab-label')).display !== 'none')
          && getComputedStyle(document.querySelector('.kiln-tablist')).display === 'none'",
    );
    assert_eq!(printed, true);
}
