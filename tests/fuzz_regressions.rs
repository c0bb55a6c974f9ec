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
