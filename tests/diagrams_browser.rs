//! Mermaid diagrams in a real headless Chromium: drawn from the script shipped in the
//! binary, loaded only by pages with a diagram, labels kept as text, drawn again in the
//! other colour theme, and nothing fetched from elsewhere.

#[path = "common/browser.rs"]
mod browser;
mod common;

use browser::{goto, js, wait};
use common::*;

const DRAWN: &str = "!!document.querySelector('pre.mermaid svg')";

#[test]
fn diagrams_are_drawn_only_where_they_are_and_follow_the_theme() {
    let Some(chrome) = browser::chromium() else { return };
    let site = Site::fixture("dialects");
    site.build(&[]).ok();
    let base = browser::serve(&site.public());
    let b = browser::launch(&chrome, 1280, 900);
    let tab = b.new_tab().unwrap();
    goto(&tab, &format!("{base}/mermaid/diagram/"));
    wait(&tab, DRAWN);
    let labels = js(
        &tab,
        "[...document.querySelectorAll('pre.mermaid svg .nodeLabel')].map(n => n.textContent).join('|')",
    );
    let labels = labels.as_str().unwrap();
    assert!(labels.contains("Browser") && labels.contains("App"), "{labels}");
    // Plain code next to it is still a code block.
    assert_eq!(js(&tab, "document.querySelectorAll('.code-block[data-lang=python]').length"), 1);
    // Everything came from this site.
    let foreign = js(
        &tab,
        &format!(
            "performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith('{base}')).join(' ')"
        ),
    );
    assert_eq!(foreign, "", "requests to other hosts");
    assert_eq!(
        js(
            &tab,
            "performance.getEntriesByType('resource').some(e => /mermaid\\.[0-9a-f]{10}\\.js$/.test(e.name))"
        ),
        true
    );

    // The colour theme's toggle draws it again in the other palette.
    let before = js(&tab, "document.querySelector('pre.mermaid svg').outerHTML");
    js(&tab, "document.querySelector('.theme-toggle').click(), 1");
    wait(&tab, &format!("{DRAWN} && document.querySelector('pre.mermaid svg').outerHTML !== {before}"));
    assert_eq!(js(&tab, "document.querySelectorAll('pre.mermaid svg').length"), 1, "drawn once, not twice");

    // A page without a diagram loads no diagram script.
    goto(&tab, &format!("{base}/docfx/zones/"));
    assert_eq!(
        js(&tab, "performance.getEntriesByType('resource').some(e => e.name.includes('mermaid'))"),
        false
    );
    assert_eq!(js(&tab, "!!window.mermaid"), false);
}

/// Diagrams come from pull requests: a label's markup must run no script.
#[test]
fn a_diagram_label_runs_no_script() {
    let Some(chrome) = browser::chromium() else { return };
    let site = Site::with_files(&[(
        "content/a/b/page.md",
        "# Page\n\n```mermaid\nflowchart LR\n  A[\"<img src=x onerror=window.pwned=1>\"] --> B[\"<script>window.pwned=2</script>\"]\n  click A call pwn()\n  click B href \"javascript:window.pwned=4\"\n```\n",
    )]);
    site.build(&[]).ok();
    let base = browser::serve(&site.public());
    let b = browser::launch(&chrome, 1280, 900);
    let tab = b.new_tab().unwrap();
    goto(&tab, &format!("{base}/a/b/page/"));
    wait(&tab, DRAWN);
    // Clicking the nodes: `click … call` and `javascript:` links run nothing either.
    js(
        &tab,
        "window.pwn = () => { window.pwned = 3 }; document.querySelectorAll('pre.mermaid g.node').forEach(n => { n.dispatchEvent(new MouseEvent('click', {bubbles: true})); const a = n.closest('a') || n.querySelector('a'); if (a) a.click(); }), 1",
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(js(&tab, "String(window.pwned)"), "undefined");
    assert_eq!(
        js(
            &tab,
            "document.querySelectorAll('pre.mermaid [onerror], pre.mermaid script, pre.mermaid [onclick]').length"
        ),
        0
    );
}

#[test]
fn the_diagram_script_is_written_only_for_sites_with_a_diagram() {
    let with = Site::fixture("dialects");
    with.build(&[]).ok();
    let script = with.asset_path("assets/mermaid.js");
    assert!(with.out("mermaid/diagram/index.html").contains(&format!("/{script}\" defer")));
    assert!(!with.out("docfx/zones/index.html").contains("mermaid."), "pages without one do not load it");
    // Without JavaScript the source reads as text.
    let page = with.out("mermaid/diagram/index.html");
    assert!(page.contains("<pre class=\"mermaid\" tabindex=\"0\">flowchart LR"), "{page}");
    assert!(page.contains("Proxy[&quot;Reverse proxy&quot;]"), "escaped: {page}");
    // Warm build: kept pages still count, so the script stays.
    with.write(
        "content/docfx/zones.md",
        &(std::fs::read_to_string(with.root().join("content/docfx/zones.md")).unwrap() + "\nMore.\n"),
    );
    with.build(&[]).ok();
    assert!(
        with.public().join(&script).is_file(),
        "a warm build that re-rendered no diagram keeps the script"
    );

    let without = Site::with_files(&[("content/a/b/page.md", "# Page\n\n```js\nlet a = 1;\n```\n")]);
    without.build(&[]).ok();
    let assets: Vec<String> = std::fs::read_dir(without.public().join("assets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!assets.iter().any(|a| a.starts_with("mermaid")), "{assets:?}");
}
