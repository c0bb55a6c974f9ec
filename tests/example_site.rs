//! The example knowledge base in `content/` (issue 2, point 1): it builds cleanly and
//! exercises the features it is meant to show.

mod common;
use common::*;
use std::path::Path;

#[test]
fn example_site_builds_cleanly_and_covers_the_features() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = Site::with_files(&[]);
    copy_dir(&repo.join("content"), &site.root().join("content"));
    std::fs::copy(repo.join("site.toml"), site.root().join("site.toml")).unwrap();
    let r = site.build(&[]).ok();
    assert!(r.warnings().is_empty(), "example site has warnings:\n{}", r.stderr);

    // The article the project started from, under its front-matter category and folder.
    let ndr = site.out("problems-solutions/mailflow-issues/ndr-550-5-1-8-bad-outbound-sender/index.html");
    assert!(ndr.contains("admonition admonition-info") && ndr.contains("admonition admonition-warning"));

    // At least 20 articles of our own, 3+ categories with 2+ folders each.
    let last = r.stdout.lines().last().unwrap();
    let pages: usize = last.split("built ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert!(pages >= 21, "{last}");
    let home = site.out("index.html");
    let cards = home.matches("<li class=\"card\">").count();
    assert!(cards >= 3, "categories on the home page: {cards}");
    for cat in ["getting-started", "problems-solutions", "networking", "admin-guides"] {
        let html = site.out(&format!("{cat}/index.html"));
        let folders = main_of(&html).matches("<li class=\"card\">").count();
        assert!(folders >= 2, "{cat} has {folders} folders");
    }

    // Every admonition style and the main Markdown features appear somewhere.
    let mut all = String::new();
    for entry in walkdir::WalkDir::new(site.public()) {
        let e = entry.unwrap();
        if e.path().extension().is_some_and(|x| x == "html") {
            all.push_str(&std::fs::read_to_string(e.path()).unwrap());
        }
    }
    for needle in [
        "admonition-note",
        "admonition-tip",
        "admonition-info",
        "admonition-warning",
        "admonition-caution",
        "admonition-danger",
        "admonition-important",
        "admonition-details",
        "admonition-bug",
        "<table>",
        "type=\"checkbox\"",
        "<del>",
        "footnote-definition",
        "class=\"language-powershell hl-code\"",
        "class=\"language-toml hl-code\"",
        "class=\"language-dockerfile hl-code\"",
        "<kbd>",
        "<img src=",
        "id=\"rules\"",
    ] {
        assert!(all.contains(needle), "example site never shows {needle}");
    }
    // Drafts stay out; the transliterated file name works.
    assert!(!site.exists("networking/wi-fi/new-access-points-rollout/index.html"));
    assert!(site.exists("problems-solutions/sign-in-issues/securite-des-comptes/index.html"));
}
