//! Bad input: every error names file, line and column, all errors of a build are
//! reported, the exit code is 1, and the previous output is left untouched
//! (issue 2, points 2, 4, 5, 7 and 11).

mod common;
use common::*;

const GOOD: &str = "---\ntitle: Good\n---\nFine.\n";

fn failing(files: &[(&str, &str)]) -> Run {
    let site = Site::with_files(files);
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "content errors exit 1; stderr:\n{}", run.stderr);
    assert!(!site.public().exists(), "a failed first build writes nothing");
    run
}

#[test]
fn invalid_yaml_names_file_line_and_column() {
    let run = failing(&[("content/a/b/bad.md", "---\ntitle: ok\ntags: [a, b\n---\nbody\n")]);
    let d = run.diag("invalid YAML front matter");
    assert!(d.starts_with("error: content/a/b/bad.md:"), "{d}");
    let loc: Vec<&str> = d.split(':').collect();
    assert!(loc[2].trim().parse::<usize>().unwrap() >= 3, "line inside the front matter: {d}");
    assert!(loc[3].trim().parse::<usize>().is_ok(), "column present: {d}");
}

#[test]
fn invalid_toml_names_file_line_and_column() {
    let run = failing(&[("content/a/b/bad.md", "+++\ntitle = \"ok\"\nweight = = 3\n+++\nbody\n")]);
    let d = run.diag("invalid TOML front matter");
    assert!(d.starts_with("error: content/a/b/bad.md:3:"), "{d}");
}

/// A value Kiln cannot read is a warning at the value, the field is ignored and the rest of
/// the site builds; `--strict` makes it an error.
#[test]
fn a_value_kiln_cannot_read_is_a_warning_at_the_value_and_strict_makes_it_an_error() {
    let site = Site::with_files(&[
        ("content/a/b/good.md", GOOD),
        ("content/a/b/heavy.md", "---\ntitle: Heavy\nweight: heavy\n---\nBody.\n"),
        ("content/a/b/when.md", "---\ntitle: When\ndate: last tuesday\n---\nBody.\n"),
        ("content/a/b/maybe.md", "---\ntitle: Maybe\ndraft: sometimes\n---\nBody.\n"),
        // Microsoft's support articles and MkDocs Material's blog write dates so.
        ("content/a/b/ms.md", "---\ntitle: MS\nms.date: 3/16/2020\n---\nBody.\n"),
        (
            "content/a/b/blog.md",
            "---\ntitle: Blog\ndate:\n  created: 2023-01-31\n  updated: 2024-02-01\n---\nBody.\n",
        ),
    ]);
    let run = site.build(&[]).ok();
    assert!(run.diag("`weight`").starts_with("warning: content/a/b/heavy.md:3:9:"), "{}", run.stderr);
    assert!(run.diag("\"last tuesday\" is no date").starts_with("warning: content/a/b/when.md:3:7:"));
    assert!(run.diag("`draft`").starts_with("warning: content/a/b/maybe.md:3:8:"));
    assert!(site.exists("a/b/heavy/index.html") && site.exists("a/b/when/index.html"), "the pages build");
    assert!(!site.exists("a/b/maybe/index.html"), "an unreadable draft flag keeps the page out");
    assert!(site.out("a/b/ms/index.html").contains("<time datetime=\"2020-03-16\">"));
    assert!(site.out("a/b/blog/index.html").contains("<time datetime=\"2024-02-01\">"));
    assert_eq!(run.warnings().len(), 3, "{}", run.stderr);
    let strict = site.build(&["--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert!(strict.diag("`weight`").starts_with("error: content/a/b/heavy.md:3:9:"));
}

#[test]
fn non_utf8_file_points_at_first_bad_byte() {
    let site = Site::with_files(&[("content/a/b/ok.md", GOOD)]);
    site.write_bytes("content/a/b/latin1.md", b"---\ntitle: ok\n---\nCaf\xe9 au lait\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    let d = run.diag("not valid UTF-8");
    assert!(d.starts_with("error: content/a/b/latin1.md:4:4:"), "{d}");
}

#[test]
fn unclosed_front_matter_is_an_error() {
    let run = failing(&[("content/x.md", "---\ntitle: never closed\n\nbody\n")]);
    assert!(run.diag("never closed").starts_with("error: content/x.md:1:1:"));
}

#[test]
fn unclosed_admonition_names_opener_line() {
    let run = failing(&[(
        "content/a/b/adm.md",
        "---\ntitle: A\n---\nIntro.\n\n:::warning Careful\nNever closed.\n",
    )]);
    let d = run.diag("never closed");
    assert!(d.starts_with("error: content/a/b/adm.md:6:"), "{d}");
    assert!(d.contains(":::warning"), "{d}");
}

#[test]
fn escaping_slug_is_an_error() {
    let run = failing(&[("content/a/b/evil.md", "---\ntitle: Evil\nslug: ../../../etc\n---\n")]);
    let d = run.diag("escape the output folder");
    assert!(d.starts_with("error: content/a/b/evil.md:3:"), "{d}");
}

#[test]
fn two_pages_on_one_url_name_both_files() {
    let run = failing(&[
        ("content/a/b/page.md", GOOD),
        ("content/a/b/other.md", "---\ntitle: Other\nslug: page\n---\n"),
    ]);
    let d = run.diag("URL /a/b/page/");
    assert!(d.contains("content/a/b/page.md") && d.contains("content/a/b/other.md"), "{d}");
}

#[test]
fn all_errors_are_reported_not_just_the_first() {
    let run = failing(&[
        ("content/a/b/one.md", "---\ntitle: [unclosed\n---\n"),
        ("content/a/b/two.md", "---\ntitle: [unclosed, also\n---\n"),
        ("content/c/d/three.md", "---\ntitle: T\n---\n:::note\nopen\n"),
        ("content/c/d/fine.md", GOOD),
    ]);
    assert_eq!(run.errors().len(), 3, "{}", run.stderr);
    assert!(run.stdout.contains("3 errors"), "summary counts errors: {}", run.stdout);
}

#[test]
fn failed_build_leaves_previous_output_intact() {
    let site = Site::with_files(&[("content/a/b/page.md", GOOD)]);
    site.build(&[]).ok();
    let before = site.out("a/b/page/index.html");
    site.write("content/a/b/page.md", "---\ntitle: Changed\n---\n:::danger\nunclosed\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("left untouched"), "{}", run.stdout);
    assert_eq!(site.out("a/b/page/index.html"), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("kiln-tmp") || n.contains("kiln-old"))
        .collect();
    assert!(leftovers.is_empty(), "no staging folders left behind: {leftovers:?}");
}

#[test]
fn successful_rebuild_replaces_output_and_drops_stale_files() {
    let site = Site::with_files(&[
        ("content/a/b/page.md", GOOD),
        ("content/a/b/gone.md", GOOD.replace("Good", "Gone").as_str()),
    ]);
    site.build(&[]).ok();
    assert!(site.exists("a/b/gone/index.html"));
    std::fs::remove_file(site.root().join("content/a/b/gone.md")).unwrap();
    site.build(&[]).ok();
    assert!(!site.exists("a/b/gone/index.html"), "stale page removed");
}

#[test]
fn unknown_config_key_is_a_usage_error_with_line() {
    let site = Site::with_files(&[
        ("content/a/b/page.md", GOOD),
        ("site.toml", "title = \"T\"\n\n[categories.x]\nlable = \"typo\"\n"),
    ]);
    let run = site.build(&[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let d = run.diag("lable");
    assert!(d.starts_with("error: site.toml:4:"), "{d}");
}

#[test]
fn output_folder_that_would_swallow_the_site_is_refused() {
    let site = Site::with_files(&[("content/a/b/page.md", GOOD)]);
    let run = site.build(&["--output", site.root().to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("refusing"), "{}", run.stderr);
    assert!(site.root().join("content/a/b/page.md").exists());
}

#[test]
fn missing_content_folder_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = run(&["build", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no content folder"));
}

#[test]
fn template_error_is_reported_not_panicked() {
    let site =
        Site::with_files(&[("content/a/b/page.md", GOOD), ("templates/page.html", "{{ page.nope.deeper }}")]);
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("template error") && run.stderr.contains("page.html"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"));
    assert!(!site.public().exists());
}

#[test]
fn two_index_files_for_one_folder_name_both() {
    let run = failing(&[
        ("content/a/b/index.md", "---\ntitle: One\n---\n"),
        ("content/a/b/README.md", "---\ntitle: Two\n---\n"),
        ("content/a/b/page.md", GOOD),
    ]);
    let d = run.diag("already introduces");
    assert!(d.contains("content/a/b/index.md") && d.contains("content/a/b/README.md"), "{d}");
}

#[test]
fn a_category_named_tags_collides_with_the_tag_index() {
    let run = failing(&[("content/tags/x/page.md", GOOD)]);
    assert!(run.diag("URL /tags/").contains("tag index"), "{}", run.stderr);
}
