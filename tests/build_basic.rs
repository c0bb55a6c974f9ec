//! Layout, content loading, URLs and navigation on the `basic` fixture site
//! (issue 2, points 3, 4, 5 and 9).

mod common;
use common::*;

fn built() -> (Site, Run) {
    let site = Site::fixture("basic");
    let run = site.build(&[]).ok();
    (site, run)
}

#[test]
fn pretty_urls_for_every_level() {
    let (site, _) = built();
    for rel in [
        "index.html",
        "email-delivery/index.html",
        "email-delivery/ndr/index.html",
        "email-delivery/ndr/step-2/index.html",
        "email-delivery/ndr/deep/deeper/nested/index.html",
        "top-level/index.html",
        "tags/index.html",
        "tags/email/index.html",
        "404.html",
    ] {
        assert!(site.exists(rel), "missing {rel}");
    }
}

#[test]
fn category_and_folder_from_front_matter_nest_with_slash() {
    let (site, _) = built();
    let html = site.out("problems-solutions/mailflow-issues/ndr/fm-placed/index.html");
    assert!(html.contains(">Problems &amp; Solutions</a>"), "breadcrumb label from front matter");
    assert!(html.contains(">Mailflow issues</a>"));
    assert!(html.contains(">NDR</a>"));
}

#[test]
fn slugs_are_transliterated_and_same_file_names_coexist() {
    let (site, _) = built();
    assert!(site.exists("misc/other/securite-co/index.html"));
    assert!(site.exists("misc/notes/same-name/index.html"));
    assert!(site.exists("accounts/mfa/same-name/index.html"));
}

#[test]
fn hidden_files_and_drafts_are_skipped_unless_drafts_flag() {
    let (site, run) = built();
    assert!(!site.exists("accounts/mfa/hidden/index.html"));
    assert!(!site.public().join(".git").exists());
    assert!(!site.exists("accounts/reset/draft/index.html"));
    assert!(run.stdout.contains("12 pages"), "{}", run.stdout);
    site.build(&["--drafts"]).ok();
    assert!(site.exists("accounts/reset/draft/index.html"));
}

#[test]
fn missing_titles_fall_back_with_warnings() {
    let (site, run) = built();
    // The first heading is a title as good as front matter's (MkDocs and VitePress sites
    // name pages so); only a page with neither is worth a warning.
    assert!(!run.stderr.contains("h1-title.md"), "{}", run.stderr);
    let w = run.diag("using the file name: \"No title file\"");
    assert!(w.contains("no `title` in front matter and no `# heading`"), "{w}");
    let html = site.out("accounts/mfa/h1-title/index.html");
    assert!(html.contains("<h1 id=\"title-from-the-heading\">Title from the heading</h1>"));
    assert_eq!(html.matches("Title from the heading</h1>").count(), 1, "H1 rendered once");
    assert!(
        site.out("accounts/mfa/no-title-file/index.html")
            .contains("<h1 id=\"no-title-file\">No title file</h1>")
    );
}

#[test]
fn toml_front_matter_tags_and_extra() {
    let (site, _) = built();
    let html = site.out("accounts/reset/toml-page/index.html");
    assert!(html.contains("<h1 id=\"toml-page\">TOML page</h1>"));
    assert!(html.contains("Front matter in TOML."));
    assert!(html.contains("href=\"/tags/accounts/\""));
    // Comma-separated tags string.
    assert!(site.out("accounts/mfa/h1-title/index.html").contains("href=\"/tags/mfa/\""));
}

#[test]
fn extra_front_matter_reaches_templates() {
    let site = Site::fixture("basic");
    site.write(
        "templates/page.html",
        "{{ page.extra.product | default(value='-') }}|{% if page.extra.support %}{{ page.extra.support.tier }}{% endif %}|{{ site.extra.brand_color }}|{{ page.title }}",
    );
    site.build(&[]).ok();
    assert_eq!(site.out("accounts/reset/toml-page/index.html"), "Exchange|2|#ff6600|TOML page");
}

#[test]
fn index_files_introduce_their_section() {
    let (site, _) = built();
    let cat = site.out("email-delivery/index.html");
    assert!(cat.contains("<h1>Email delivery</h1>"));
    assert!(cat.contains("Everything about mail flow."));
    assert!(cat.contains("Category intro <strong>body</strong>."));
    // Folder cards preview their first articles in navigation order.
    let card = &cat[cat.find("<span class=\"card-title\">NDR codes</span>").expect("ndr card")..];
    let card = &card[..card.find("</li>\n</ul>").unwrap()];
    let (w, s2) = (
        card.find("/email-delivery/ndr/weighted/").unwrap(),
        card.find("/email-delivery/ndr/step-2/").unwrap(),
    );
    assert!(w < s2);
    let folder = site.out("email-delivery/ndr/index.html");
    assert!(folder.contains("<h1>NDR codes</h1>"));
    assert!(folder.contains("Folder intro body."));
    assert!(folder.contains("Bounce messages."), "description from site.toml");
    assert!(!site.exists("email-delivery/readme/index.html"));
    let home = site.out("index.html");
    assert!(home.contains("Home intro text."));
}

#[test]
fn ordering_weight_then_natural_title() {
    let (site, _) = built();
    let folder = site.out("email-delivery/ndr/index.html");
    let main = main_of(&folder);
    let z = main.find(">Zebra comes first by weight<").unwrap();
    let s2 = main.find(">Step 2<").unwrap();
    let s10 = main.find(">Step 10<").unwrap();
    assert!(z < s2 && s2 < s10, "weight first, then Step 2 before Step 10");
}

#[test]
fn categories_follow_config_order_then_title() {
    let (site, _) = built();
    let home = site.out("index.html");
    let main = main_of(&home);
    let pos = |t: &str| main.find(&format!(">{t}<")).unwrap_or_else(|| panic!("{t} on home"));
    assert!(pos("Accounts") < pos("Email delivery"));
    assert!(pos("Email delivery") < pos("Miscellaneous"));
    assert!(pos("Miscellaneous") < pos("Problems &amp; Solutions"));
}

#[test]
fn article_page_has_navigation_parts() {
    let (site, _) = built();
    let html = site.out("email-delivery/ndr/step-10/index.html");
    // Breadcrumbs Home › Category › Folder › Article.
    let crumbs = &html[html.find("class=\"breadcrumbs\"").unwrap()..];
    let crumbs = &crumbs[..crumbs.find("</nav>").unwrap()];
    let order: Vec<usize> = [">Home<", ">Email delivery<", ">NDR codes<", ">Step 10<"]
        .iter()
        .map(|t| crumbs.find(t).unwrap_or_else(|| panic!("{t} in breadcrumbs")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]));
    // Sidebar: current page marked, its folder open.
    assert!(html.contains("href=\"/email-delivery/ndr/step-10/\" aria-current=\"page\""));
    assert!(html.contains("<div class=\"nav-section nav-depth-2\">\n<div class=\"nav-head\"><button class=\"nav-fold\" type=\"button\" aria-expanded=\"true\""));
    // Prev/next within the folder.
    assert!(html.contains("rel=\"prev\""));
    assert!(html.contains("href=\"/email-delivery/ndr/step-2/\" rel=\"prev\""));
    // TOC, tags, dates, edit link.
    assert!(html.contains("class=\"toc\""));
    assert!(html.contains("<a href=\"#fix-it\">Fix it</a>"));
    assert!(html.contains("href=\"/tags/email/\""));
    assert!(html.contains("datetime=\"2026-02-01\">1 February 2026</time>"));
    assert!(html.contains("https://git.example.org/kb/edit/main/content/email-delivery/ndr/step-10.md"));
}

#[test]
fn home_lists_categories_with_counts_and_recent_articles() {
    let (site, _) = built();
    let home = site.out("index.html");
    let card = &home[home.find("href=\"/email-delivery/\"><span class=\"card-title\">").expect("card")..];
    assert!(card[..card.find("</li>").unwrap()].contains("4 articles"), "3 in ndr + 1 nested below it");
    let recent = &home[home.find("Recently updated").expect("recent list")..];
    let toml = recent.find(">TOML page<").unwrap();
    let step10 = recent.find(">Step 10<").unwrap();
    assert!(toml < step10, "newest first");
}

#[test]
fn tag_pages_list_articles() {
    let (site, _) = built();
    let tag = site.out("tags/email/index.html");
    assert!(tag.contains(">Step 2<") && tag.contains(">Step 10<"));
    assert!(site.out("tags/index.html").contains("href=\"/tags/ndr/\""));
}

#[test]
fn base_url_flag_prefixes_every_link() {
    let site = Site::fixture("basic");
    site.build(&["--base-url", "https://org.github.io/kb/"]).ok();
    let html = site.out("email-delivery/ndr/step-2/index.html");
    assert!(html.contains("href=\"/kb/email-delivery/ndr/step-10/#fix-it\""));
    assert!(html.contains(&format!("href=\"/kb/{}\"", site.asset_path("assets/style.css"))));
    assert!(!html.contains("href=\"/email-delivery/"), "no link escapes the base path");
}

#[test]
fn output_flag_and_default_output_dir() {
    let site = Site::fixture("basic");
    let out = site.root().join("elsewhere/site");
    site.build(&["--output", out.to_str().unwrap()]).ok();
    assert!(out.join("index.html").exists());
    assert!(!site.public().exists());
}

#[test]
fn slugs_from_front_matter_relative_and_absolute() {
    let site = Site::with_files(&[
        ("content/a/b/one.md", "---\ntitle: One\nslug: Nice Name\n---\n"),
        ("content/a/b/two.md", "---\ntitle: Two\nslug: /guides/Admonitions\n---\n"),
    ]);
    site.build(&[]).ok();
    assert!(site.exists("a/b/nice-name/index.html"));
    assert!(site.exists("guides/admonitions/index.html"), "Docusaurus-style absolute slug");
}

#[test]
fn only_md_and_markdown_files_are_articles() {
    let site = Site::with_files(&[
        ("content/a/b/one.markdown", "---\ntitle: Long extension\n---\n"),
        ("content/a/b/notes.txt", "plain text asset"),
        ("content/a/b/page.mdown", "not an article"),
    ]);
    let r = site.build(&[]).ok();
    assert!(r.stdout.contains("built 1 page"), "{}", r.stdout);
    assert!(site.exists("a/b/one/index.html"));
    assert_eq!(site.out("a/b/notes.txt"), "plain text asset");
    assert!(site.exists("a/b/page.mdown"), "other files are copied as assets");
}

#[test]
fn search_false_leaves_out_the_index_and_the_box() {
    let site = Site::with_files(&[
        ("site.toml", "title = \"KB\"\nsearch = false\n"),
        ("content/help/a.md", "---\ntitle: A\n---\nText.\n"),
    ]);
    site.build(&[]).ok();
    let html = site.out("help/a/index.html");
    assert!(!html.contains("kiln-search"), "no search box");
    assert!(!html.contains("search.js"), "no search script");
    assert!(!site.exists("search/meta.json") && !site.exists("search/index.html"));

    site.write("site.toml", "title = \"KB\"\n");
    site.build(&[]).ok();
    assert!(site.out("help/a/index.html").contains("kiln-search"));
    assert!(site.exists("search/meta.json") && site.exists("search/index.html"));
}

#[test]
fn sidebar_lists_at_most_sidebar_pages_and_always_the_current_article() {
    let (site, _) = built();
    assert!(!site.out("email-delivery/ndr/step-10/index.html").contains("nav-more"), "3 articles, limit 50");

    let site = Site::fixture("basic");
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write("site.toml", &toml.replacen("title =", "sidebar_pages = 1\ntitle =", 1));
    site.build(&[]).ok();
    for page in ["step-2", "step-10", "weighted"] {
        let html = site.out(&format!("email-delivery/ndr/{page}/index.html"));
        let nav = &html[html.find("id=\"sidebar\"").unwrap()..];
        let nav = &nav[..nav.find("</nav>").unwrap()];
        assert_eq!(nav.matches("aria-current=\"page\"").count(), 1, "{page}: {nav}");
        assert!(
            nav.contains(&format!("href=\"/email-delivery/ndr/{page}/\" aria-current=\"page\"")),
            "{page}"
        );
        assert!(
            nav.contains("<li class=\"nav-more\"><a href=\"/email-delivery/ndr/\">2 more in NDR codes</a>"),
            "{nav}"
        );
        // The folder lists one article, plus the current one when it is not that one.
        let listed =
            nav[nav.find("href=\"/email-delivery/ndr/\"").unwrap()..].matches("class=\"nav-page\"").count();
        assert!((1..=2).contains(&listed), "{page}: {listed}");
    }
}

#[test]
fn a_category_or_folder_page_marks_itself_current_in_the_sidebar() {
    let site = Site::fixture("basic");
    site.build(&[]).ok();
    let html = site.out("email-delivery/ndr/index.html");
    let nav = sidebar_of(&html);
    assert_eq!(nav.matches("aria-current=\"page\"").count(), 1, "{nav}");
    assert!(
        nav.contains("href=\"/email-delivery/ndr/\" class=\"nav-current-section\" aria-current=\"page\""),
        "{nav}"
    );
    // On an article of that folder, the article is the current page, not the folder.
    let html = site.out("email-delivery/ndr/step-10/index.html");
    let nav = sidebar_of(&html);
    assert_eq!(nav.matches("aria-current=\"page\"").count(), 1, "{nav}");
    assert!(nav.contains("href=\"/email-delivery/ndr/step-10/\" aria-current=\"page\""));
}

/// The sidebar `<nav>` of a page.
fn sidebar_of(html: &str) -> &str {
    let nav = &html[html.find("id=\"sidebar\"").unwrap()..];
    &nav[..nav.find("</nav>").unwrap()]
}

#[test]
fn every_page_links_the_site_icon_which_site_toml_can_change() {
    let site = Site::fixture("basic");
    let run = site.build(&[]).ok();
    assert!(!run.stderr.contains("favicon"), "{}", run.stderr);
    assert!(site.out("index.html").contains("<link rel=\"icon\" href=\"/assets/favicon.svg\">"));
    assert!(site.out("email-delivery/ndr/step-10/index.html").contains("href=\"/assets/favicon.svg\""));
    assert!(site.exists("assets/favicon.svg"), "the default theme ships one");
    // A site's own icon from static/.
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write("site.toml", &format!("favicon = \"logo.png\"\n{toml}"));
    site.write("static/logo.png", "png");
    site.build(&[]).ok();
    assert!(site.out("index.html").contains("<link rel=\"icon\" href=\"/logo.png\">"));
    // One that is not there is a warning at site.toml.
    site.write("site.toml", &format!("favicon = \"missing.ico\"\n{toml}"));
    let run = site.build(&[]).ok();
    assert!(run.diag("favicon").starts_with("warning: site.toml"), "{}", run.stderr);
    site.write("site.toml", &format!("favicon = \"\"\n{toml}"));
    site.build(&[]).ok();
    assert!(!site.out("index.html").contains("rel=\"icon\""));
}

#[test]
fn each_page_has_one_labelled_search_landmark() {
    let site = Site::fixture("basic");
    site.build(&[]).ok();
    for page in
        ["index.html", "email-delivery/ndr/index.html", "email-delivery/ndr/step-10/index.html", "404.html"]
    {
        let html = site.out(page);
        assert_eq!(html.matches("role=\"search\"").count(), 1, "{page}");
        assert!(html.contains("role=\"search\" aria-label=\"Site search\""), "{page}");
    }
    // The search page's landmark is its own form; the header's box is still there.
    let html = site.out("search/index.html");
    assert_eq!(html.matches("role=\"search\"").count(), 1);
    assert!(html.contains(
        "class=\"search-page-form\" action=\"/search/\" method=\"get\" role=\"search\" aria-label="
    ));
    assert!(html.contains("class=\"search-form\""), "the header box stays");
}
