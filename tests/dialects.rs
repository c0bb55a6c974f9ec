//! Sites written for other tools build as their authors meant: their front matter keys and
//! dates, their folder metadata files, and their Markdown dialects.

mod common;
use common::*;

#[test]
fn folder_metadata_files_label_describe_and_order_their_folder() {
    let site = Site::with_files(&[
        ("site.toml", "title = \"Docs\"\n[folders.\"guides/overridden\"]\nlabel = \"From site.toml\"\n"),
        ("content/guides/basics/a.md", "# Basics page\n"),
        ("content/guides/basics/_category_.json", r#"{"label": "The basics", "position": 2, "link": {"type": "generated-index", "description": "Start here"}}"#),
        ("content/guides/advanced/b.md", "# Advanced page\n"),
        ("content/guides/advanced/_category_.yml", "label: Going further\nposition: 1\n"),
        ("content/guides/api/c.md", "# API page\n"),
        ("content/guides/api/.pages", "title: API reference\n"),
        ("content/guides/overridden/d.md", "# D\n"),
        ("content/guides/overridden/_category_.json", r#"{"label": "From the file"}"#),
        ("content/guides/broken/e.md", "# E\n"),
        ("content/guides/broken/_category_.json", r#"{"label": "#),
    ]);
    let run = site.build(&[]).ok();
    let html = site.out("guides/index.html");
    let at = |label: &str| html.find(&format!(">{label}<")).unwrap_or_else(|| panic!("{label} on the category page"));
    // position orders the folders: "Going further" (1) before "The basics" (2).
    assert!(at("Going further") < at("The basics"));
    assert!(html.contains("Start here"), "link.description describes the folder");
    assert!(html.contains(">API reference<"), ".pages title");
    assert!(html.contains(">From site.toml<") && !html.contains("From the file"), "site.toml wins");
    assert!(!site.exists("guides/basics/_category_.json"), "metadata is not published");
    let w = run.diag("_category_.json");
    assert!(w.starts_with("warning: content/guides/broken/_category_.json") && w.contains("invalid JSON"), "{w}");
    assert!(site.exists("guides/broken/e/index.html"), "the folder still builds");
}
