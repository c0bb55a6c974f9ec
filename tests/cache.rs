//! The build cache (issue 5): a warm build writes exactly what a cold build writes, after
//! every kind of change, and redoes only what the change touched.

mod common;

use std::path::{Path, PathBuf};

use common::{Run, Site, assert_same, run};

/// A site big enough to spread over threads, with links, an include, tags and an image.
fn site() -> Site {
    let site = Site::fixture("basic");
    for i in 0..40 {
        site.write(
            &format!("content/bulk/f{}/page-{i}.md", i % 3),
            &format!(
                "---\ntitle: Page {i}\ntags: [t{}, shared]\n---\nWord{i} text, see [the next](page-{}.md).\n\n\
                 ```bash\necho {i}\n```\n",
                i % 5,
                i + 3
            ),
        );
    }
    site.write(
        "content/bulk/f0/with-include.md",
        "---\ntitle: With include\n---\nBefore.\n\n[!INCLUDE [note](../snippets/note.md)]\n",
    );
    site.write("content/bulk/snippets/note.md", "---\ntitle: Note snippet\n---\nShared sentence alpha.\n");
    site
}

/// `kiln build` into the site's public/ (cache on).
fn warm(site: &Site) -> Run {
    site.build(&[]).ok()
}

/// A `--no-cache` build of the same input into a fresh folder, compared with public/.
fn assert_as_cold(site: &Site) {
    let cold = tempfile::tempdir().unwrap();
    let out = cold.path().join("out");
    site.build(&["--no-cache", "--output", out.to_str().unwrap()]).ok();
    assert_same(&out, &site.public());
}

/// Files written and kept, from the warm build's report line.
fn counts(r: &Run) -> (usize, usize) {
    let line =
        r.stderr.lines().find(|l| l.contains("updated the last build in place")).unwrap_or_else(|| {
            panic!("not a warm build:\n{}", r.stderr);
        });
    let num = |after: &str| -> usize {
        let rest = &line[line.find(after).unwrap() + after.len()..];
        rest.trim_start().split(' ').next().unwrap().parse().unwrap()
    };
    (num("in place:"), num("written,"))
}

fn modified(p: &Path) -> std::time::SystemTime {
    std::fs::metadata(p).unwrap().modified().unwrap()
}

#[test]
fn nothing_changed_writes_nothing_and_matches_a_cold_build() {
    let site = site();
    let first = warm(&site);
    assert!(!first.stderr.contains("updated the last build"), "the first build is cold");
    assert!(site.root().join(".kiln-cache").is_dir());
    let page = site.public().join("bulk/f1/page-1/index.html");
    let before = modified(&page);
    let again = warm(&site);
    let (written, kept) = counts(&again);
    assert_eq!(written, 0, "{}", again.stderr);
    assert!(kept > 50);
    assert_eq!(modified(&page), before, "unchanged files are not rewritten");
    // Warnings of pages that were not rendered again are still reported.
    assert_eq!(again.warnings(), first.warnings());
    assert_as_cold(&site);
}

#[test]
fn a_warm_build_with_nothing_changed_renders_nothing_and_keeps_its_record() {
    let site = site();
    // Files written less than 2 s before a build are never trusted by their stamps.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    warm(&site);
    let record = site.root().join(".kiln-cache/build.bin");
    let saved = modified(&record);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let again = site.build(&["--timings"]).ok();
    let markdown = again.stderr.lines().find(|l| l.trim_start().starts_with("timing:   markdown")).unwrap();
    assert!(markdown.contains(" 0.000 s"), "no page's Markdown is rendered again: {markdown}");
    // A build that renders nothing leaves the record as it was: its pages' dependencies,
    // keys and links were all carried over.
    assert_eq!(modified(&record), saved, "{}", again.stderr);
}

#[test]
fn an_edited_article_rewrites_its_page_and_search_files_only() {
    let site = site();
    warm(&site);
    let other = site.public().join("bulk/f2/page-2/index.html");
    let before = modified(&other);
    site.write(
        "content/bulk/f1/page-4.md",
        "---\ntitle: Page 4\ntags: [t4, shared]\n---\nWord4 text, now about quarantinetoken.\n",
    );
    let r = warm(&site);
    let (written, _) = counts(&r);
    assert!((2..20).contains(&written), "the page and a few search files: {}", r.stderr);
    assert_eq!(modified(&other), before);
    assert!(site.out("bulk/f1/page-4/index.html").contains("quarantinetoken"));
    assert_as_cold(&site);
}

#[test]
fn structure_changes_match_a_cold_build() {
    let site = site();
    warm(&site);
    // A new article (its folder's sidebar and listing change), then a renamed title, a
    // removed article (its folder goes), a moved one (links to it follow) and a new tag.
    site.write("content/bulk/f1/new-one.md", "---\ntitle: A new one\ntags: [fresh]\n---\nNew text.\n");
    warm(&site);
    assert_as_cold(&site);
    site.write("content/bulk/f1/page-1.md", "---\ntitle: Renamed page\n---\nOther words.\n");
    warm(&site);
    assert_as_cold(&site);
    assert!(site.out("bulk/f1/page-4/index.html").contains("Renamed page"), "sidebars follow the title");
    std::fs::remove_file(site.root().join("content/bulk/f2/page-5.md")).unwrap();
    warm(&site);
    assert_as_cold(&site);
    assert!(!site.exists("bulk/f2/page-5/index.html"));
    assert!(!site.public().join("bulk/f2/page-5").exists(), "its folder is removed too");
    std::fs::rename(
        site.root().join("content/bulk/f0/page-6.md"),
        site.root().join("content/bulk/f1/page-6.md"),
    )
    .unwrap();
    let r = warm(&site);
    assert_as_cold(&site);
    // page-3 linked to it as `page-6.md` beside it: that link no longer resolves, and the
    // page is rendered again to say so (its Markdown asked for a page that moved).
    assert!(!site.out("bulk/f0/page-3/index.html").contains("/bulk/f0/page-6/"));
    assert!(r.warnings().iter().any(|w| w.contains("page-3.md") && w.contains("page-6.md")), "{}", r.stderr);
}

#[test]
fn includes_templates_config_and_assets_are_dependencies() {
    let site = site();
    warm(&site);
    site.write("content/bulk/snippets/note.md", "---\ntitle: Note snippet\n---\nShared sentence beta.\n");
    warm(&site);
    assert!(site.out("bulk/f0/with-include/index.html").contains("sentence beta"));
    assert_as_cold(&site);
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}<p class=custom>{{ page.title }}</p>{% endblock %}",
    );
    warm(&site);
    assert!(site.out("bulk/f1/page-1/index.html").contains("class=custom"));
    assert_as_cold(&site);
    std::fs::remove_dir_all(site.root().join("templates")).unwrap();
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write("site.toml", &toml.replace("title = \"", "title = \"Renamed "));
    warm(&site);
    assert_as_cold(&site);
    site.write_bytes("content/email-delivery/ndr/shot.png", b"\x89PNG changed");
    warm(&site);
    assert_as_cold(&site);
}

#[test]
fn foreign_and_edited_output_files_are_put_right() {
    let site = site();
    warm(&site);
    site.write("public/stray.txt", "left by hand");
    site.write("public/bulk/f1/page-1/notes.txt", "left by hand");
    let page = site.public().join("bulk/f2/page-2/index.html");
    std::fs::write(&page, "tampered").unwrap();
    warm(&site);
    assert!(!site.exists("stray.txt") && !site.exists("bulk/f1/page-1/notes.txt"));
    assert!(site.out("bulk/f2/page-2/index.html").contains("Page 2"));
    assert_as_cold(&site);
}

#[test]
fn no_cache_neither_reads_nor_writes_the_cache() {
    let site = site();
    site.build(&["--no-cache"]).ok();
    assert!(!site.root().join(".kiln-cache").exists());
    warm(&site);
    let manifest: PathBuf = site.root().join(".kiln-cache/build.bin");
    let before = modified(&manifest);
    site.write("content/bulk/f1/page-4.md", "---\ntitle: Page 4\n---\nChanged.\n");
    let r = site.build(&["--no-cache"]).ok();
    assert!(!r.stderr.contains("updated the last build"));
    assert_eq!(modified(&manifest), before);
    // The next cached build notices that public/ is not what the cache recorded.
    warm(&site);
    assert_as_cold(&site);
}

#[test]
fn a_failed_warm_build_leaves_output_and_cache_alone() {
    let site = site();
    warm(&site);
    let before = common::tree(&site.public());
    site.write("content/bulk/f1/page-4.md", "---\ntitle: [broken\n---\n");
    let r = site.build(&[]);
    assert_eq!(r.code, 1);
    assert_eq!(common::tree(&site.public()), before, "output untouched");
    site.write("content/bulk/f1/page-4.md", "---\ntitle: Page 4 fixed\n---\nBack.\n");
    warm(&site);
    assert_as_cold(&site);
}

#[test]
fn a_damaged_cache_is_ignored() {
    let site = site();
    warm(&site);
    for f in ["build.bin", "terms.bin"] {
        let p = site.root().join(".kiln-cache").join(f);
        let mut bytes = std::fs::read(&p).unwrap();
        let n = bytes.len();
        bytes.truncate(n / 2);
        std::fs::write(&p, bytes).unwrap();
    }
    site.write("content/bulk/f1/page-4.md", "---\ntitle: Page 4\n---\nAfter the damage.\n");
    warm(&site);
    assert_as_cold(&site);
    // And the example site of the repository stays reproducible through the cache.
    let out = tempfile::tempdir().unwrap();
    let o = out.path().join("x");
    let root = env!("CARGO_MANIFEST_DIR");
    run(&["build", "--root", root, "--output", o.to_str().unwrap()]).ok();
    let r = run(&["build", "--root", root, "--output", o.to_str().unwrap()]).ok();
    assert!(r.stderr.contains("0 files written"), "{}", r.stderr);
}

/// Front matter is read through `[front_matter]` in site.toml: a warm build after that
/// table changes reads every page's front matter again.
#[test]
fn a_changed_front_matter_mapping_is_applied_to_unchanged_pages() {
    let site = Site::with_files(&[
        ("site.toml", "title = \"KB\"\n"),
        ("content/a/b/page.md", "---\ntitle: Long title\nnav_label: Short\n---\nBody.\n"),
    ]);
    std::thread::sleep(std::time::Duration::from_millis(2100));
    site.build(&[]).ok();
    assert!(site.out("a/b/page/index.html").contains("<h1 id=\"long-title\">Long title</h1>"));
    site.write("site.toml", "title = \"KB\"\n[front_matter]\ntitle = [\"nav_label\", \"title\"]\n");
    site.build(&[]).ok();
    assert!(site.out("a/b/page/index.html").contains("<h1 id=\"short\">Short</h1>"));
    assert_as_cold(&site);
}

/// A page listing its folder (`<DocCardList />`) is rendered again when the folder gains
/// an article, though its own file did not change.
#[test]
fn a_folder_listing_follows_its_folder_on_warm_builds() {
    let site = Site::with_files(&[
        ("content/guide/start/overview.mdx", "---\ntitle: Overview\n---\n<DocCardList />\n"),
        ("content/guide/start/first.md", "---\ntitle: First\n---\nx\n"),
    ]);
    std::thread::sleep(std::time::Duration::from_millis(2100));
    site.build(&[]).ok();
    assert!(!site.out("guide/start/overview/index.html").contains("Second"));
    site.write("content/guide/start/second.md", "---\ntitle: Second\n---\ny\n");
    site.build(&[]).ok();
    assert!(site.out("guide/start/overview/index.html").contains(">Second</span>"));
    assert_as_cold(&site);
}
