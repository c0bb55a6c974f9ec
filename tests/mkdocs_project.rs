//! A MkDocs project builds as it is: `mkdocs.yml` gives the settings, `nav` the order and
//! labels, pymdownx snippets pull files in, and `kiln init --from mkdocs.yml` writes the
//! equivalent site.toml.

mod common;
#[path = "common/server.rs"]
mod server;
use common::*;

fn sidebar_pages(html: &str) -> Vec<String> {
    html.split("<li class=\"nav-page\"><a href=\"")
        .skip(1)
        .map(|s| s.split_once('>').unwrap().1.split('<').next().unwrap().to_string())
        .collect()
}

#[test]
fn a_mkdocs_project_builds_as_it_is_in_nav_order_with_its_labels() {
    let site = Site::fixture("mkdocs-project");
    let run = site.build(&[]).ok();
    assert!(run.errors().is_empty(), "{}", run.stderr);
    let ignored = run.diag("mkdocs.yml");
    for name in
        ["plugins.blog", "theme.features", "theme.palette", "markdown_extensions.mdx_truly_sane_lists"]
    {
        assert!(ignored.contains(name), "{ignored}");
    }
    assert!(!ignored.contains("plugins.search") && !ignored.contains("pymdownx.snippets"), "{ignored}");
    // site_name, site_url (its path prefixes links), docs_dir's default `docs`.
    let home = site.out("index.html");
    assert!(home.contains("<title>Widget Docs</title>"), "{home}");
    let guide = site.out("guide/alpha/index.html");
    assert!(guide.contains("href=\"/widgets/guide/zeta/\""), "{guide}");
    // nav order: Tutorial before Guide (alphabetical would swap them), zeta before alpha.
    let (tutorial, guide_at) = (guide.find(">Tutorial</a>").unwrap(), guide.find(">Guide</a>").unwrap());
    assert!(tutorial < guide_at);
    assert_eq!(sidebar_pages(&guide), ["Zeta guide", "Alpha guide"]);
    // A nav title labels the page in navigation; the article keeps its heading.
    let start = site.out("tutorial/start/index.html");
    assert_eq!(sidebar_pages(&start), ["Getting started", "Going further"]);
    let advanced = site.out("tutorial/advanced/index.html");
    assert!(advanced.contains("<h1") && advanced.contains(">Advanced widgets</h1>"), "{advanced}");
}

#[test]
fn snippets_include_files_lines_and_sections_from_the_snippet_folders() {
    let site = Site::fixture("mkdocs-project");
    let run = site.build(&[]).ok();
    let page = site.out("tutorial/start/index.html");
    let body = body_of(&page);
    let text = |html: &str| {
        let mut t = String::new();
        let mut tag = false;
        for c in html.chars() {
            match c {
                '<' => tag = true,
                '>' => tag = false,
                c if !tag => t.push(c),
                _ => {}
            }
        }
        t
    };
    let visible = text(body);
    // Lines 2–3 of a file, inside a fence.
    assert!(visible.contains("pip install widgets\nwidgets --init\n"), "{visible}");
    assert!(!visible.contains("#!/bin/sh") && !visible.contains("echo done"), "{visible}");
    // A section of a file: only its lines, without the markers.
    assert!(visible.contains("app = Widget()"), "{visible}");
    // Block form: notice.md once (`;notice.md` is skipped), from the second snippet folder.
    assert_eq!(body.matches("admonition-note").count(), 1, "{body}");
    assert!(body.contains("This notice comes from a snippet."), "{body}");
    // auto_append: the link reference defined in includes/links.md resolves.
    assert!(body.contains("<a href=\"https://example.com/manual\">widget manual</a>"), "{body}");
    // An escaped marker is text.
    assert!(body.contains("<p>--8&lt;-- \"escaped.md\"</p>"), "{body}");
    // FastAPI code include looked up in the snippet folders, its line marked.
    assert!(body.contains("<span class=\"line hl-line\">"), "{body}");
    assert!(!visible.contains("{*"), "{visible}");
    // A missing file and one outside the site are warnings at their lines; nothing leaks.
    let missing = run.diag("missing.md");
    assert!(missing.starts_with("warning: docs/tutorial/start.md:28:"), "{missing}");
    let outside = run.diag("etc/hostname");
    assert!(
        outside.starts_with("warning: docs/tutorial/start.md:30:") && outside.contains("outside the site"),
        "{outside}"
    );
    assert!(!body.contains("missing.md") && !body.contains("hostname"), "{body}");
    // The home page pulls its notice from `includes/` too.
    assert!(site.out("index.html").contains("Shared notice"));
}

#[test]
fn a_snippet_edit_rebuilds_the_pages_that_include_it() {
    let site = Site::fixture("mkdocs-project");
    site.build(&[]).ok();
    site.write("includes/notice.md", "!!! warning \"Changed notice\"\n    New text.\n");
    site.build(&[]).ok();
    let page = site.out("tutorial/start/index.html");
    assert!(
        page.contains("Changed notice") && !page.contains("Shared notice"),
        "warm build kept a stale snippet"
    );
}

#[test]
fn init_from_mkdocs_writes_the_equivalent_site_toml() {
    let site = Site::fixture("mkdocs-project");
    let (plain_dir, toml_dir) = (site.root().join("plain"), site.root().join("from-toml"));
    let plain = site.build(&["--output", plain_dir.to_str().unwrap()]).ok();
    let mkdocs = site.root().join("mkdocs.yml");
    let init = run(&["init", "--from", mkdocs.to_str().unwrap()]).ok();
    assert!(init.stderr.contains("plugins.blog"), "init names the ignored settings: {}", init.stderr);
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    assert!(toml.contains("title = \"Widget Docs\"") && toml.contains("content_dir = \"docs\""), "{toml}");
    assert!(toml.contains("snippet_dirs = [") && toml.contains("[pages.\"guide/zeta.md\"]"), "{toml}");
    assert!(!toml.contains("recent_count"), "defaults are left out: {toml}");
    // With site.toml beside it, mkdocs.yml is not read (no warning about it) and the site
    // is the same.
    let again = site.build(&["--output", toml_dir.to_str().unwrap()]).ok();
    assert!(!again.stderr.contains("mkdocs.yml"), "{}", again.stderr);
    assert_eq!(plain.warnings().len(), again.warnings().len() + 1, "{}\n{}", plain.stderr, again.stderr);
    assert_same(&plain_dir, &toml_dir);
    // It never overwrites.
    let refused = run(&["init", "--from", mkdocs.to_str().unwrap()]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
}

#[test]
fn content_dir_stays_inside_the_site_and_the_output_out_of_it() {
    let site =
        Site::with_files(&[("site.toml", "content_dir = \"../elsewhere\"\n"), ("content/a/b/c.md", "# C\n")]);
    let run = site.build(&[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("content_dir"), "{}", run.stderr);
    let site = Site::with_files(&[("site.toml", "content_dir = \"docs\"\n"), ("docs/a/b/c.md", "# C\n")]);
    site.build(&[]).ok();
    assert!(site.exists("a/b/c/index.html"));
    let inside = site.root().join("docs/out");
    let run = site.build(&["--output", inside.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("content folder"), "{}", run.stderr);
}

/// The preview of a MkDocs project: pages from `docs/`, and a save in a snippet folder
/// shows on the pages that include it.
#[test]
fn the_preview_serves_a_mkdocs_project_and_follows_its_snippets() {
    let site = Site::fixture("mkdocs-project");
    let server = server::Server::start(site.root());
    let (status, _, page) = server.get("/tutorial/start/");
    assert_eq!(status, 200);
    assert!(page.contains("Shared notice"), "{page}");
    site.write("includes/notice.md", "!!! tip \"Edited notice\"\n    Changed.\n");
    server.wait_log("includes/notice.md");
    let page = server.get("/tutorial/start/").2;
    assert!(page.contains("Edited notice") && !page.contains("Shared notice"), "{page}");
    site.write("docs/guide/zeta.md", "# Zeta guide\n\nA new body.\n");
    server.wait_log("docs/guide/zeta.md");
    assert!(server.get("/guide/zeta/").2.contains("A new body."));
}
