//! The default theme and overrides (issue 2, points 9 and 10): embedded templates,
//! per-site overrides, accessibility landmarks, no network, page weight independent of
//! site size.

mod common;
use common::*;

fn basic() -> Site {
    let site = Site::fixture("basic");
    site.build(&[]).ok();
    site
}

#[test]
fn pages_have_landmarks_skip_link_and_theme_toggle() {
    let site = basic();
    let html = site.out("email-delivery/ndr/step-2/index.html");
    for needle in [
        "<html lang=\"en\">",
        "<a class=\"skip-link\" href=\"#main\">",
        "<header class=\"site-header\">",
        "<nav id=\"sidebar\" class=\"sidebar\" aria-label=",
        "<main id=\"main\"",
        "<footer class=\"site-footer\">",
        "class=\"theme-toggle\"",
        "role=\"search\"",
        "name=\"viewport\"",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
}

#[test]
fn nothing_is_loaded_from_the_network() {
    let site = basic();
    for entry in walkdir::WalkDir::new(site.public()) {
        let entry = entry.unwrap();
        let name = entry.path().to_string_lossy().to_string();
        if !(name.ends_with(".html") || name.ends_with(".css") || name.ends_with(".js")) {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for bad in [
            "<script src=\"http",
            "<script src=\"//",
            "<link rel=\"stylesheet\" href=\"http",
            "@import",
            "url(http",
            "fonts.googleapis",
            "cdn.",
        ] {
            assert!(!text.contains(bad), "{name} references the network: {bad}");
        }
    }
}

#[test]
fn stylesheet_has_dark_palette_print_styles_and_small_screens() {
    let site = basic();
    let css = site.asset("assets/style.css");
    assert!(css.contains(":root[data-theme=\"dark\"]"));
    assert!(css.contains("@media print"));
    assert!(css.contains("@media (max-width: 56rem)"));
    assert!(css.contains(":focus-visible"));
    let js = site.asset("assets/kiln.js");
    assert!(js.contains("copy-button") && js.contains("localStorage"));
}

#[test]
fn not_found_page() {
    let site = basic();
    let html = site.out("404.html");
    assert!(html.contains("We couldn’t find that page"));
    assert!(html.contains("href=\"/\""));
}

#[test]
fn site_templates_override_by_name() {
    let site = Site::fixture("basic");
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}CUSTOM 404{% endblock main %}",
    );
    site.write("static/assets/style.css", "/* site css */");
    site.write("static/robots.txt", "User-agent: *");
    site.build(&[]).ok();
    let html = site.out("404.html");
    assert!(
        html.contains("CUSTOM 404") && html.contains("class=\"site-header\""),
        "extends the embedded base"
    );
    assert_eq!(site.asset("assets/style.css"), "/* site css */");
    assert_eq!(site.out("robots.txt"), "User-agent: *");
    assert!(site.out("index.html").contains("Browse by category"), "others stay default");
}

#[test]
fn named_theme_folder_overrides_and_site_templates_win_over_it() {
    let site = Site::fixture("basic");
    let cfg = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &cfg.replacen("title = \"Fixture KB\"", "title = \"Fixture KB\"\ntheme = \"corp\"", 1),
    );
    site.write("themes/corp/templates/tags.html", "CORP TAGS");
    site.write("themes/corp/templates/tag.html", "CORP TAG");
    site.write("templates/tag.html", "SITE TAG");
    site.build(&[]).ok();
    assert_eq!(site.out("tags/index.html"), "CORP TAGS");
    assert_eq!(site.out("tags/email/index.html"), "SITE TAG");
}

#[test]
fn unknown_theme_is_a_usage_error() {
    let site = Site::with_files(&[("content/a.md", "x"), ("site.toml", "theme = \"nope\"\n")]);
    let r = site.build(&[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("theme \"nope\" not found"), "{}", r.stderr);
}

#[test]
fn page_weight_does_not_grow_with_site_size() {
    // 40 folders of 40 articles in 4 categories: each page inlines the categories, its own
    // category's folders and its own folder's articles, never all 1,600 nor all 40 folders.
    let mut files = Vec::new();
    for f in 0..40 {
        for p in 0..40 {
            files.push((
                format!("content/cat-{}/folder-{f}/page-{p}.md", f % 4),
                format!("---\ntitle: Page {f}-{p}\n---\nBody.\n"),
            ));
        }
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let site = Site::with_files(&refs);
    site.build(&[]).ok();
    let html = site.out("cat-1/folder-5/page-7/index.html");
    assert_eq!(html.matches("class=\"nav-page\"").count(), 40, "only the current folder's articles");
    assert_eq!(html.matches("nav-depth-2").count(), 10, "its category's folders");
    assert_eq!(html.matches("nav-depth-1").count(), 4, "every category");
    assert_eq!(
        html.matches("class=\"nav-section nav-closed nav-depth-1\"").count(),
        3,
        "other categories closed"
    );
    assert!(!html.contains("href=\"/cat-2/folder-6/\""), "another category's folder");
    assert!(html.len() < 20_000, "page is {} bytes", html.len());
    let other = site.out("cat-2/folder-6/page-1/index.html");
    assert!(other.contains("aria-current=\"page\">Page 6-1<"));
}

#[test]
fn search_client_is_small_and_self_contained() {
    use std::io::Write;
    let js = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/assets/search.js"),
    )
    .unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&js).unwrap();
    let size = gz.finish().unwrap().len();
    assert!(size <= 20 * 1024, "search.js is {size} bytes gzipped");
    let text = String::from_utf8(js).unwrap();
    assert!(!text.contains("import ") && !text.contains("require("), "no modules or dependencies");
}
