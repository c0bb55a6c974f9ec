//! Markdown, admonitions and highlighting on the `markdown` fixture site
//! (issue 2, points 6, 7 and 8), with snapshots of the rendered bodies.

mod common;
use common::*;
use std::sync::OnceLock;

/// The fixture is built once; every test reads from it.
fn site() -> &'static (Site, Run) {
    static SITE: OnceLock<(Site, Run)> = OnceLock::new();
    SITE.get_or_init(|| {
        let site = Site::fixture("markdown");
        let run = site.build(&[]).ok();
        (site, run)
    })
}

fn body(page: &str) -> String {
    let html = site().0.out(&format!("docs/md/{page}/index.html"));
    body_of(&html).to_string()
}

#[test]
fn gfm_features() {
    let b = body("gfm");
    assert!(b.contains("<table>") && b.contains("<th style=\"text-align: center\">Meaning</th>"));
    assert!(b.contains(
        "<input type=\"checkbox\" class=\"task-box\" disabled=\"\" checked=\"\" aria-label=\"Done\"/>"
    ));
    assert!(b.contains("<input type=\"checkbox\" class=\"task-box\" disabled=\"\" aria-label=\"Done\"/>"));
    assert!(b.contains("<del>old</del>"));
    assert!(b.contains("<a href=\"https://example.org\">https://example.org</a>"));
    assert!(b.contains("class=\"footnote-reference\""));
    assert!(b.contains("<div class=\"pasted\" style=\"color: red\">Raw <b>HTML</b> passes through.</div>"));
    insta::assert_snapshot!("gfm", b);
}

#[test]
fn heading_ids_are_unique_custom_and_anchored() {
    let b = body("headings");
    // The permalink is beside the heading, not inside it (no part of the heading's name).
    assert!(b.contains("<div class=\"heading-wrap heading-wrap-h2\"><h2 id=\"solution\">Solution</h2><a class=\"anchor\" href=\"#solution\" aria-label=\"Permalink to Solution\">#</a></div>"));
    assert!(b.contains("<h2 id=\"solution-1\">"));
    assert!(b.contains("<h2 id=\"my-anchor\">Custom anchor</h2><a class=\"anchor\""));
    assert!(b.contains("<h4 id=\"fourth-level\">Fourth level</h4><a class=\"anchor\""));
    assert!(b.contains("<h5 id=\"fifth-level\">Fifth level</h5>"), "no anchor below h4");
    let page = site().0.out("docs/md/headings/index.html");
    let toc = &page[page.find("class=\"toc\"").expect("toc")..];
    assert!(toc.contains("href=\"#details-code-and-emphasis\">Details code and emphasis</a>"));
    assert!(!toc.contains("fourth-level"), "toc holds h2-h3 only");
    insta::assert_snapshot!("headings", b);
}

#[test]
fn links_to_md_files_are_rewritten() {
    let b = body("links");
    assert!(b.contains("href=\"/docs/md/headings/\""));
    assert!(b.contains("href=\"/docs/md/headings/#solution-1\""));
    assert!(b.contains("href=\"/docs/other/target/#top\""));
    assert!(b.matches("href=\"/docs/other/target/").count() >= 2, "absolute link resolved too");
    assert!(b.contains("href=\"/docs/other/\""), "index file links to its folder page");
    assert!(b.contains("href=\"https://example.org/page.md\""), "external untouched");
    assert!(b.contains("src=\"/docs/md/img/diagram.png\""));
    assert!(site().0.exists("docs/md/img/diagram.png"), "asset copied next to its page's folder");
}

#[test]
fn broken_links_are_warnings_with_file_and_line() {
    let run = &site().1;
    let w = run.diag("link to missing page `nowhere.md`");
    assert!(w.starts_with("warning: content/docs/md/links.md:8:"), "{w}");
    let w = run.diag("`img/none.png` not found: no file content/docs/md/img/none.png");
    assert!(w.starts_with("warning: content/docs/md/links.md:10:"), "{w}");
}

#[test]
fn code_is_highlighted_with_classes() {
    let b = body("code");
    assert!(b.contains("<code class=\"language-powershell hl-code\">"), "{b}");
    assert!(b.contains("<span class=\"hl-"));
    assert!(!b.contains("style=\"color"), "classes, not inline colours");
    assert!(b.contains("class=\"language-toml hl-code\""));
    assert!(b.contains("<code class=\"language-klingon\">Qapla&#39;\n</code>"), "unknown language is plain");
    assert!(b.contains("no language &lt;tag&gt;"));
    let css = site().0.asset("assets/syntax.css");
    assert!(css.contains(":root[data-theme=\"dark\"] .hl-"));
    insta::assert_snapshot!("code", b);
}

#[test]
fn every_directive_form_renders_as_admonition() {
    let b = body("admonitions");
    // A custom title keeps the type in what screen readers say: "Tip: Bracket title".
    let hidden = |kind: &str| format!("<span class=\"visually-hidden\">{kind}: </span>");
    for (class, label, title) in [
        ("admonition admonition-note", "Note", "Note".to_string()),
        ("admonition admonition-tip", "Tip: Bracket title", hidden("Tip") + "Bracket <em>title</em>"),
        ("admonition admonition-info", "Info: Space title", hidden("Info") + "Space title"),
        ("admonition admonition-warning", "Warning: Spaced opener", hidden("Warning") + "Spaced opener"),
        ("admonition admonition-danger", "Danger: Attr title", hidden("Danger") + "Attr title"),
        ("admonition admonition-important", "Important: Outer", hidden("Important") + "Outer"),
        ("admonition admonition-caution", "Caution: Inner", hidden("Caution") + "Inner"),
        ("admonition admonition-success", "Success", "Success".to_string()),
        ("admonition admonition-danger admonition-bug", "Bug", "Bug".to_string()),
        (
            "admonition admonition-note admonition-my-custom-type",
            "My custom type: Custom",
            hidden("My custom type") + "Custom",
        ),
    ] {
        let open = format!("<aside class=\"{class}\" role=\"note\" aria-label=\"{label}\">");
        let at = b.find(&open).unwrap_or_else(|| panic!("missing {open}\n{b}"));
        let title_html = format!("<p class=\"admonition-title\">{title}</p>");
        assert!(b[at..].starts_with(&open) && b[at..at + 300].contains(&title_html), "{title_html}");
    }
    assert!(b.contains("<details class=\"admonition admonition-details\"><summary class=\"admonition-title\">Click to expand</summary>"));
    assert!(!b.contains("<p>:::"), "no literal ::: paragraphs");
    assert!(b.contains("<li>one</li>"), "Markdown inside admonitions");
    // Nesting: Inner closes before "Back in outer", which is still inside Outer.
    let inner_close = b.find("Inner body").map(|i| i + b[i..].find("</aside>").unwrap()).unwrap();
    let back = b.find("Back in outer").unwrap();
    let outer_close = back + b[back..].find("</aside>").unwrap();
    assert!(inner_close < back && back < outer_close);
    // ::: in fenced code stays literal.
    assert!(b.contains("literal in code"));
    assert!(b.contains("echo"));
    // docfx images never open a block.
    assert!(b.contains("<img src=\"/docs/md/img/diagram.png\" alt=\"Gear icon\" />"));
    assert!(b.contains("<img src=\"/docs/md/img/diagram.png\" alt=\"A screenshot.\" />"));
    assert!(b.contains("<p>Still here after the image.</p>"));
    insta::assert_snapshot!("admonitions", b);
}

#[test]
fn unknown_type_warns() {
    let w = site().1.diag("unknown admonition type `my-custom-type`");
    assert!(w.starts_with("warning: content/docs/md/admonitions.md:"), "{w}");
}

#[test]
fn github_alerts_including_in_list_items() {
    let b = body("alerts");
    for t in ["note", "tip", "important", "warning", "caution"] {
        assert!(b.contains(&format!("<aside class=\"admonition admonition-{t}\" role=\"note\"")), "{t}");
    }
    let li = b.find("Alert inside a list item").unwrap();
    let li_open = b[..li].rfind("<li>").unwrap();
    assert!(b[li_open..li].contains("admonition-note"), "alert nested in the list item");
    assert!(b.contains("<blockquote>\n<p>A plain quote stays a quote.</p>"));
    assert!(!b.contains("[!NOTE]"));
    let warning = &b[b.find("admonition-warning").unwrap()..];
    let warning = &warning[..warning.find("</aside>").unwrap()];
    assert!(
        warning.contains("<code class=\"language-powershell hl-code\">"),
        "code in alerts is highlighted"
    );
    insta::assert_snapshot!("alerts", b);
}

#[test]
fn mkdocs_blocks_and_collapsibles() {
    let b = body("mkdocs");
    assert!(b.contains("admonition-note\" role=\"note\" aria-label=\"Note: Custom title\"><p class=\"admonition-title\"><span class=\"visually-hidden\">Note: </span>Custom title</p>"));
    assert!(b.contains("<p>Second paragraph.</p>"));
    assert!(b.contains("admonition admonition-danger admonition-failure"));
    assert!(b.contains("<details class=\"admonition admonition-details\"><summary class=\"admonition-title\">Collapsed</summary>"));
    assert!(b.contains("<details class=\"admonition admonition-details\" open><summary class=\"admonition-title\">Open by default</summary>"));
    let nested = b.find("Nested inside").unwrap();
    let details_close = b.find("</details>\n<p>After all blocks.</p>").expect("closes before trailing text");
    assert!(b[..nested].contains("admonition-tip") && nested < details_close);
    insta::assert_snapshot!("mkdocs", b);
}
