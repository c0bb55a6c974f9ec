//! Untrusted content: file names, links and includes never reach a file outside the site;
//! values written into `_redirects` and diagnostics are validated or escaped; inputs built
//! to blow up time or memory stay linear (each run is bounded by a deadline so a
//! regression fails instead of hanging; the speed figures are in `scripts/bench-limits.py`).

mod common;
use std::path::Path;
use std::time::Duration;

use common::*;

/// Does any file under `dir` contain `needle`?
fn contains(dir: &Path, needle: &str) -> bool {
    tree(dir).values().any(|b| String::from_utf8_lossy(b).contains(needle))
}

#[cfg(unix)]
#[test]
fn file_names_with_backslashes_publish_nothing_from_outside() {
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(outer.path().join("secret.txt"), "TOP-SECRET-1").unwrap();
    std::fs::write(outer.path().join("secret.md"), "---\ntitle: Leak\n---\nTOP-SECRET-2\n").unwrap();
    let site = outer.path().join("site");
    std::fs::create_dir_all(site.join("content/gen")).unwrap();
    std::fs::write(site.join("content/gen/ok.md"), "---\ntitle: Ok\n---\nfine\n").unwrap();
    let up = "..\\".repeat(12);
    let dir = outer.path().to_str().unwrap().trim_start_matches('/').replace('/', "\\");
    for name in [format!("gen\\{up}{dir}\\secret.txt"), format!("gen\\{up}{dir}\\secret.md")] {
        std::fs::write(site.join("content").join(&name), "decoy").unwrap();
    }
    let run = run(&["build", "--root", site.to_str().unwrap()]).ok();
    assert_eq!(run.warnings().iter().filter(|w| w.contains("backslash")).count(), 2, "{}", run.stderr);
    let public = site.join("public");
    assert!(!contains(&public, "TOP-SECRET"), "an outside file was published");
    assert!(!contains(&public, "decoy"), "a backslash name became a path");
    assert!(public.join("gen/ok/index.html").is_file());
}

#[cfg(unix)]
#[test]
fn links_out_of_the_site_are_never_read_by_includes_assets_or_themes() {
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(outer.path().join("secret.md"), "TOP-SECRET-INCLUDED").unwrap();
    std::fs::create_dir_all(outer.path().join("dir")).unwrap();
    std::fs::write(outer.path().join("dir/x.md"), "TOP-SECRET-DIR").unwrap();
    std::fs::write(outer.path().join("dir/page.html"), "TOP-SECRET-TEMPLATE").unwrap();
    let site = outer.path().join("site");
    std::fs::create_dir_all(site.join("content/a")).unwrap();
    std::fs::create_dir_all(site.join("static")).unwrap();
    let link = |from: &Path, to: &str| std::os::unix::fs::symlink(outer.path().join(to), from).unwrap();
    link(&site.join("content/a/inc.md"), "secret.md");
    link(&site.join("content/a/shared"), "dir");
    link(&site.join("static/leak.txt"), "secret.md");
    link(&site.join("templates"), "dir");
    std::fs::write(
        site.join("content/a/page.md"),
        "---\ntitle: Page\n---\n\n[!INCLUDE [x](inc.md)]\n\n[!INCLUDE [y](shared/x.md)]\n",
    )
    .unwrap();
    let run = run(&["build", "--root", site.to_str().unwrap()]);
    // A templates/ folder that is a link out of the site is refused outright.
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("outside the site"), "{}", run.stderr);
    std::fs::remove_file(site.join("templates")).unwrap();
    let run = common::run(&["build", "--root", site.to_str().unwrap()]).ok();
    let outside = run.warnings().iter().filter(|w| w.contains("outside the site")).count();
    assert!(outside >= 3, "each link is reported: {}", run.stderr);
    assert!(!contains(&site.join("public"), "TOP-SECRET"), "an outside file was published");
}

#[test]
fn aliases_that_would_inject_redirect_rules_are_errors_at_their_line() {
    let site = Site::with_files(&[
        ("content/a/one.md", "---\ntitle: One\naliases:\n  - \"/old/\\n/*  /x/  200!\"\n---\nx\n"),
        ("content/a/two.md", "---\ntitle: Two\naliases: [\"/old two/\"]\n---\nx\n"),
        ("content/a/three.md", "---\ntitle: Three\naliases: [\"/old/*\", \"/:lang/x/\", \"/x/!\"]\n---\nx\n"),
        ("content/a/four.md", "---\ntitle: Four\naliases: [\"/fine/old-page/\"]\n---\nx\n"),
    ]);
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors = run.errors();
    assert_eq!(errors.len(), 5, "{}", run.stderr);
    assert!(errors.iter().any(|e| e.starts_with("error: content/a/one.md:3:") && e.contains("white space")));
    assert!(errors.iter().any(|e| e.starts_with("error: content/a/two.md:3:") && e.contains("white space")));
    assert_eq!(errors.iter().filter(|e| e.contains("three.md:3:") && e.contains("pattern")).count(), 3);
    assert!(!site.public().exists(), "nothing written");
    // Alone, the valid alias builds and writes one line.
    let good = Site::with_files(&[(
        "content/a/four.md",
        "---\ntitle: Four\naliases: [\"/fine/old-page/\"]\n---\nx\n",
    )]);
    good.build(&[]).ok();
    assert_eq!(good.out("_redirects").lines().count(), 1);
}

#[cfg(unix)]
#[test]
fn control_characters_in_file_names_are_escaped_in_every_format() {
    let site = Site::with_files(&[("content/a/ok.md", "---\ntitle: Ok\n---\nok\n")]);
    site.write("content/a/evil\n::error file=x::owned.md", "---\ntitle: Evil\n---\n:::note\nunclosed\n");
    let run = site.build(&[]);
    assert!(
        run.stderr.lines().all(|l| !l.starts_with("::")),
        "a workflow command in the log:\n{}",
        run.stderr
    );
    assert!(run.stderr.contains("evil\\n::error"), "escaped: {}", run.stderr);
    let run = site.check_with(&["--format", "github"]);
    assert!(run.stdout.lines().all(|l| !l.starts_with("::error file=x")), "{}", run.stdout);
}

#[test]
fn long_slugs_are_reported_by_check_at_their_line_before_build_fails() {
    let long = "a".repeat(300);
    let site = Site::with_files(&[
        ("content/a/ok.md", "---\ntitle: Ok\n---\nok\n"),
        ("content/a/long.md", &format!("---\ntitle: Long\nslug: {long}\n---\nx\n")),
    ]);
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let d = run.diag("file systems allow");
    assert!(d.starts_with("error: content/a/long.md:3:"), "{d}");
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.diag("file systems allow").starts_with("error: content/a/long.md:3:"));
}

#[test]
fn pathological_inputs_stay_linear() {
    // A hang detector, not a speed target (the debug binary is ~20 times slower than the
    // release one; scripts/bench-limits.py measures the release figures).
    let limit = Duration::from_secs(180);
    let headings = "## Solution\n\ntext\n\n".repeat(100_000);
    let mkdocs: String = (0..2000).map(|i| format!("{}!!! note\n", "    ".repeat(i))).collect();
    let colons: String = (0..2000).map(|i| format!("{}note\n", ":".repeat(2003 - i))).collect();
    let lists: String = (0..3000).map(|i| format!("{}- item\n", "  ".repeat(i))).collect();
    let closers: String = (0..2000).map(|i| format!("{}\n", ":".repeat(4 + i))).collect();
    let site = Site::with_files(&[
        ("content/a/headings.md", &format!("---\ntitle: H\n---\n\n{headings}")),
        ("content/a/mkdocs.md", &format!("---\ntitle: M\n---\n\n{mkdocs}deep\n")),
        ("content/a/colons.md", &format!("---\ntitle: C\n---\n\n{colons}deep\n{closers}")),
        ("content/a/quotes.md", &format!("---\ntitle: Q\n---\n\n{} deep\n", ">".repeat(5000))),
        ("content/a/lists.md", &format!("---\ntitle: L\n---\n\n{lists}")),
    ]);
    let run = run_within(limit, &["build", "--root", site.root().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.out("a/headings/index.html");
    assert!(page.contains("id=\"solution-99999\""), "every heading has its own id");
    assert_eq!(run.warnings().iter().filter(|w| w.contains("nested more than 32")).count(), 2);

    let deep =
        Site::with_files(&[("content/a/f.md", &format!("---\ntitle: {}\n---\nx\n", "[".repeat(200_000)))]);
    let run = run_within(limit, &["build", "--root", deep.root().to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.diag("nests").starts_with("error: content/a/f.md:2:"), "{}", run.stderr);
}
