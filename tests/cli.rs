//! The command line: help, version, init, check, exit codes and the summary line
//! (issue 2, point 2).

mod common;
use common::*;

#[test]
fn help_for_every_command_and_version() {
    let r = run(&["--help"]).ok();
    for cmd in ["build", "check", "init"] {
        assert!(r.stdout.contains(cmd), "{cmd} listed in --help");
    }
    let b = run(&["build", "--help"]).ok();
    for flag in ["--root", "--output", "--base-url", "--drafts"] {
        assert!(b.stdout.contains(flag), "build --help lists {flag}");
    }
    assert!(run(&["check", "--help"]).ok().stdout.contains("--root"));
    assert!(run(&["init", "--help"]).ok().stdout.contains("DIR"));
    let v = run(&["--version"]).ok();
    assert_eq!(v.stdout.trim(), format!("kiln {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["build", "--no-such-flag"]).code, 2);
    assert_eq!(run(&["frobnicate"]).code, 2);
    assert_eq!(run(&[]).code, 2);
}

#[test]
fn summary_line_counts_everything() {
    let site = Site::fixture("basic");
    let r = site.build(&[]).ok();
    let last = r.stdout.lines().last().unwrap();
    assert!(
        last.starts_with("kiln: built 12 pages, 4 categories, 9 folders, 1 warning, 0 errors in "),
        "{last}"
    );
    assert!(last.contains(" s → "), "elapsed time and output folder: {last}");
}

#[test]
fn check_renders_everything_but_writes_nothing() {
    let site = Site::fixture("basic");
    let r = site.check().ok();
    assert!(r.stdout.contains("kiln: checked 12 pages"), "{}", r.stdout);
    assert_eq!(r.warnings().len(), 1, "check prints every diagnostic: {}", r.stderr);
    assert!(!site.public().exists());
    let leftovers = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("kiln"))
        .count();
    assert_eq!(leftovers, 0);

    site.write("content/broken.md", "---\ntitle: [\n---\n");
    let r = site.check();
    assert_eq!(r.code, 1);
    assert!(r.diag("invalid YAML").starts_with("error: content/broken.md:"));
}

#[test]
fn check_catches_template_errors_too() {
    let site = Site::fixture("basic");
    site.write("templates/section.html", "{% for x in %}");
    let r = site.check();
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("section.html"), "{}", r.stderr);
}

#[test]
fn init_scaffolds_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new-kb");
    run(&["init", target.to_str().unwrap()]).ok();
    assert!(target.join("site.toml").exists());
    assert!(!target.join("themes").exists(), "theme is embedded, nothing copied");
    let r = run(&["build", "--root", target.to_str().unwrap()]).ok();
    assert!(r.stdout.contains("built 1 page, 1 category, 1 folder, 0 warnings, 0 errors"), "{}", r.stdout);
    let html =
        std::fs::read_to_string(target.join("public/getting-started/basics/welcome/index.html")).unwrap();
    assert!(html.contains("admonition admonition-tip"));
    // A second init refuses to overwrite.
    let again = run(&["init", target.to_str().unwrap()]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already holds a site"));
}

#[test]
fn a_folder_with_only_content_builds_with_defaults() {
    let site = Site::with_files(&[("content/a/b/page.md", "Hello.\n")]);
    site.build(&[]).ok();
    let home = site.out("index.html");
    assert!(home.contains("<title>Knowledge base</title>"));
    assert!(site.exists("a/b/page/index.html"));
}

#[test]
fn diagnostics_as_github_annotations_and_json() {
    let site = Site::fixture("basic");
    site.write("content/broken.md", "---\ntitle: Broken\n---\n\n:::warning\nnever closed\n");
    let r = site.build(&["--format", "github"]);
    assert_eq!(r.code, 1);
    let ann: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert!(
        ann.iter().any(|l| l.starts_with("::error file=content/broken.md,line=5::`:::warning` opened here")),
        "{}",
        r.stdout
    );
    assert!(ann.iter().any(|l| l.starts_with("::warning file=")), "warnings are annotated too: {}", r.stdout);
    assert!(r.stdout.lines().last().unwrap().starts_with("kiln: failed:"), "the summary still ends it");

    let r = site.check_with(&["--format", "json"]);
    assert_eq!(r.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("stdout is one JSON document");
    assert!(doc["errors"].as_u64().unwrap() >= 1);
    let d = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["file"] == "content/broken.md")
        .expect("the broken file is reported");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["line"], 5);
    assert!(r.stderr.contains("kiln: failed:"), "the summary goes to stderr");
}

#[test]
fn github_annotations_escape_what_the_runner_reads() {
    let d = kiln::diagnostics::Diagnostic::error("a,b:c.md", "50% done\nnext").at(3, Some(4));
    assert_eq!(kiln::cli::github_annotation(&d), "::error file=a%2Cb%3Ac.md,line=3,col=4::50%25 done%0Anext");
}

#[test]
fn strict_makes_every_warning_an_error_in_build_and_check() {
    let site = Site::fixture("basic");
    // The fixture builds with one warning (a title taken from the file name).
    assert_eq!(site.build(&[]).ok().warnings().len(), 1);
    let before = common::tree(&site.public());
    for r in [site.build(&["--strict"]), site.check_with(&["--strict"])] {
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(r.warnings().is_empty());
        assert!(r.diag("no `title` in front matter").starts_with("error: content/accounts/mfa/"));
    }
    assert_eq!(common::tree(&site.public()), before, "the strict build wrote nothing");
}
