//! Inputs the fuzzers (`scripts/fuzz.sh`) found, built by the real binary: each must give
//! diagnostics that point inside its file, never a panic.

mod common;
use common::*;

/// Build a site holding `bytes` as its one article; return the run and the file's lines.
fn build_page(name: &str, bytes: &[u8]) -> (Run, usize) {
    let lines = bytes.split(|&b| b == b'\n').count();
    let site = Site::with_files(&[]);
    site.write_bytes("content/a/page.md", bytes);
    // A deadline, so that a hang found by fuzzing fails the test instead of the CI run.
    let run =
        run_within(std::time::Duration::from_secs(120), &["build", "--root", site.root().to_str().unwrap()]);
    assert!(run.code == 0 || run.code == 1, "{name}: exit {}\n{}", run.code, run.stderr);
    assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
    (run, lines)
}

/// The line numbers of the diagnostics about `content/a/page.md`.
fn lines_named(run: &Run) -> Vec<usize> {
    run.stderr
        .lines()
        .filter_map(|l| l.split("content/a/page.md:").nth(1))
        .filter_map(|rest| rest.split(':').next()?.parse().ok())
        .collect()
}

#[test]
fn a_lone_carriage_return_in_front_matter_keeps_error_lines_in_the_file() {
    // YAML reads each lone CR as a line break; the file (and every editor's line count
    // that Kiln's other positions use) does not.
    let page = b"---\ntitle: 'x'\ntemplate: a\ndescription: b \r\r\r\r\r\r\r\r\rc: [d\n---\nbody\n";
    let (run, lines) = build_page("lone CRs", page);
    let found = lines_named(&run);
    assert!(!found.is_empty(), "the error names its line: {}", run.stderr);
    assert!(
        found.iter().all(|&l| l >= 1 && l <= lines),
        "lines {found:?} in a {lines}-line file:\n{}",
        run.stderr
    );
}

#[test]
fn a_javascript_block_that_loops_the_highlighter_is_shown_plain() {
    // The JavaScript syntax two-face ships `set`s two contexts into each other at one
    // position on these lines (syntect #460, #706); the vendored syntect bounds the steps.
    for code in ["x /*", "  /**\n   */\n    | string\n  /**"] {
        let page = format!("---\ntitle: Js\n---\n\n```js\n{code}\n```\n\nAfter.\n");
        let (run, _) = build_page("looping js", page.as_bytes());
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
}

#[test]
fn import_html_note_markers_inside_an_href_never_reach_the_markdown() {
    // fuzz/artifacts/import_html/crash-b79a0d0b…: U+E000/U+E001, the converter's own note
    // markers, inside `href` values.
    let body = "<p>Acme garde les réponseVoir3.A href=\"https://Acme ga$de les réponses de votre équipe. Voir <a href=\"javascrip\u{E001}t:https://acme.zendesulcom/hc/fr/ équipe. Voir <a href=\"javascrip\u{E000}t:https://a<tr><th></ol><p>=\"h_01ABC\">StPNNNabl/h2bl";
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    std::fs::create_dir(&export).unwrap();
    std::fs::write(export.join("categories.json"), r#"{"categories": [{"id": 1, "name": "General"}]}"#)
        .unwrap();
    std::fs::write(
        export.join("sections.json"),
        r#"{"sections": [{"id": 2, "name": "FAQ", "category_id": 1}]}"#,
    )
    .unwrap();
    let articles =
        serde_json::json!({"articles": [{"id": 3, "title": "Fuzzed", "section_id": 2, "body": body}]});
    std::fs::write(export.join("articles.json"), articles.to_string()).unwrap();
    let site = dir.path().join("kb");
    let r = run(&["import", "zendesk", "--from", export.to_str().unwrap(), "--into", site.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let md = std::fs::read_to_string(site.join("content/general/faq/fuzzed.md")).unwrap();
    assert!(!md.contains(['\u{E000}', '\u{E001}']), "{md}");
}
