//! Publishing outputs (issue 6, points 3 and 4, in part): front matter `aliases` give a
//! redirect page at each old URL and a line of `_redirects`, under a sub-path base URL, and
//! bad or clashing aliases are errors at their line; `sitemap.xml` and `robots.txt` list
//! the pages; Atom feeds for the site and each category; canonical and link-preview meta.

mod common;

use common::{Site, assert_same};

fn site() -> Site {
    Site::with_files(&[
        ("site.toml", "title = \"KB\"\nbase_url = \"https://org.github.io/kb/\"\n"),
        (
            "content/mail/delivery/ndr-550.md",
            "---\ntitle: \"NDR 550 5.1.8 <explained>\"\naliases:\n  - /old/ndr-550/\n  - legacy/ndr.html\n  - https://org.github.io/kb/older/ndr\n---\nBody.\n",
        ),
        ("content/mail/delivery/other.md", "---\ntitle: Other\n---\nText.\n"),
    ])
}

#[test]
fn each_alias_gets_a_redirect_page_and_a_redirects_line() {
    let site = site();
    site.build(&[]).ok();
    for old in ["old/ndr-550/index.html", "legacy/ndr.html", "older/ndr/index.html"] {
        let html = site.out(old);
        assert!(
            html.contains(r#"<meta http-equiv="refresh" content="0; url=/kb/mail/delivery/ndr-550/">"#),
            "{old}: {html}"
        );
        assert!(
            html.contains(r#"<link rel="canonical" href="https://org.github.io/kb/mail/delivery/ndr-550/">"#)
        );
        assert!(html.contains("NDR 550 5.1.8 &lt;explained&gt;"), "the title is escaped");
        assert!(html.contains(r#"<meta name="robots" content="noindex">"#));
    }
    assert_eq!(
        site.out("_redirects"),
        "/kb/legacy/ndr.html /kb/mail/delivery/ndr-550/ 301\n\
         /kb/old/ndr-550/ /kb/mail/delivery/ndr-550/ 301\n\
         /kb/older/ndr/ /kb/mail/delivery/ndr-550/ 301\n"
    );
    // A warm build after removing one alias drops its page, as a cold build would.
    site.write(
        "content/mail/delivery/ndr-550.md",
        "---\ntitle: \"NDR 550 5.1.8 <explained>\"\naliases: [/old/ndr-550/]\n---\nBody.\n",
    );
    site.build(&[]).ok();
    assert!(!site.exists("legacy/ndr.html") && !site.exists("older/ndr/index.html"));
    let cold = tempfile::tempdir().unwrap();
    site.build(&["--no-cache", "--output", cold.path().join("o").to_str().unwrap()]).ok();
    assert_same(&cold.path().join("o"), &site.public());
}

#[test]
fn a_site_without_aliases_has_no_redirects_file() {
    let site = Site::fixture("basic");
    site.build(&[]).ok();
    assert!(!site.exists("_redirects"));
}

#[test]
fn bad_and_clashing_aliases_are_errors_at_their_line() {
    let site = site();
    site.write(
        "content/mail/delivery/clash.md",
        "---\ntitle: Clash\naliases:\n  - /mail/delivery/other/\n  - ../../etc/passwd\n  - /old/ndr-550/\n---\nx\n",
    );
    let r = site.build(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let clash = r.diag("\"/mail/delivery/other/\"");
    assert!(clash.starts_with("error: content/mail/delivery/clash.md:4:"), "{clash}");
    assert!(clash.contains("is the URL of /kb/mail/delivery/other/"), "{clash}");
    let escape = r.diag("../../etc/passwd");
    assert!(escape.starts_with("error: content/mail/delivery/clash.md:5:"), "{escape}");
    let twice = r.diag("\"/old/ndr-550/\"");
    assert!(twice.contains("an alias of content/mail/delivery/"), "{twice}");
    assert!(!site.public().exists(), "nothing written");

    // `kiln check` finds them too, as GitHub annotations at the alias's line.
    let c = site.check_with(&["--format", "github"]);
    assert_eq!(c.code, 1);
    assert!(c.stdout.contains("::error file=content/mail/delivery/clash.md,line=4,col="), "{}", c.stdout);
}

#[test]
fn sitemap_and_robots_list_every_page_under_the_base_url() {
    let site = site();
    site.write(
        "content/mail/delivery/other.md",
        "---\ntitle: Other\nupdated: 2025-03-04T08:00:00Z\ntags: [smtp]\n---\nText.\n",
    );
    site.build(&[]).ok();
    let xml = site.out("sitemap.xml");
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset"), "{xml}");
    for loc in
        ["https://org.github.io/kb/", "https://org.github.io/kb/mail/", "https://org.github.io/kb/tags/smtp/"]
    {
        assert!(xml.contains(&format!("<url><loc>{loc}</loc>")), "{loc} in {xml}");
    }
    assert!(
        xml.contains("<loc>https://org.github.io/kb/mail/delivery/other/</loc><lastmod>2025-03-04</lastmod>")
    );
    assert!(!xml.contains("old/ndr-550"), "redirect pages are not listed");
    assert!(!xml.contains("404"), "nor the 404 page");
    assert_eq!(
        site.out("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://org.github.io/kb/sitemap.xml\n"
    );
    // A site's own robots.txt wins.
    site.write("static/robots.txt", "User-agent: *\nDisallow: /drafts/\n");
    site.build(&[]).ok();
    assert_eq!(site.out("robots.txt"), "User-agent: *\nDisallow: /drafts/\n");
}

#[test]
fn every_page_but_the_404_has_canonical_and_link_preview_meta() {
    let site = site();
    site.write(
        "content/mail/delivery/other.md",
        "---\ntitle: \"Other & more\"\ndescription: Why mail bounces.\ntags: [smtp]\n---\nText.\n",
    );
    site.write(
        "site.toml",
        "title = \"KB\"\ndescription = \"The help center\"\nbase_url = \"https://org.github.io/kb/\"\n",
    );
    site.build(&[]).ok();
    let article = site.out("mail/delivery/other/index.html");
    for tag in [
        r#"<link rel="canonical" href="https://org.github.io/kb/mail/delivery/other/">"#,
        r#"<meta property="og:type" content="article">"#,
        r#"<meta property="og:title" content="Other &amp; more">"#,
        r#"<meta property="og:url" content="https://org.github.io/kb/mail/delivery/other/">"#,
        r#"<meta property="og:description" content="Why mail bounces.">"#,
        r#"<meta name="twitter:card" content="summary">"#,
        r#"<meta name="twitter:description" content="Why mail bounces.">"#,
    ] {
        assert!(article.contains(tag), "{tag} missing in the article's head");
    }
    // Without a description of its own a page falls back on the site's.
    let section = site.out("mail/index.html");
    assert!(section.contains(r#"<link rel="canonical" href="https://org.github.io/kb/mail/">"#));
    assert!(section.contains(r#"<meta property="og:description" content="The help center">"#));
    assert!(site.out("tags/smtp/index.html").contains(r#"href="https://org.github.io/kb/tags/smtp/""#));
    assert!(site.out("index.html").contains(r#"<meta property="og:type" content="website">"#));
    assert!(!site.out("404.html").contains("canonical"), "the 404 page names no canonical URL");
}

#[test]
fn atom_feeds_for_the_site_and_each_category_without_build_timestamps() {
    let site = site();
    site.build(&[]).ok();
    assert!(!site.exists("atom.xml"), "no dated article, no feed");
    assert!(!site.out("mail/delivery/other/index.html").contains("application/atom+xml"));
    // One dated article: the feeds appear and every page links the site feed; the warm
    // build that notices it matches a cold build.
    site.write(
        "content/mail/delivery/other.md",
        "---\ntitle: Other\ndate: 2025-01-02\nupdated: 2025-03-04T08:00:00Z\ndescription: Why & how.\n---\nText.\n",
    );
    site.build(&[]).ok();
    // Only the feed link changed on the other pages; the warm build must notice.
    assert!(
        site.out("mail/delivery/ndr-550/index.html")
            .contains(r#"<link rel="alternate" type="application/atom+xml" title="KB" href="/kb/atom.xml">"#)
    );
    let cold = tempfile::tempdir().unwrap();
    site.build(&["--no-cache", "--output", cold.path().join("o").to_str().unwrap()]).ok();
    assert_same(&cold.path().join("o"), &site.public());
    site.write("content/vpn/setup.md", "---\ntitle: VPN setup\ndate: 2024-12-01\n---\nText.\n");
    site.build(&[]).ok();
    let feed = site.out("atom.xml");
    assert!(feed.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
    ));
    assert!(feed.contains("<updated>2025-03-04T08:00:00Z</updated>"), "the newest entry's time: {feed}");
    let first = feed.find("<title>Other</title>").unwrap();
    let second = feed.find("<title>VPN setup</title>").unwrap();
    assert!(first < second, "newest first");
    assert!(feed.contains("<id>https://org.github.io/kb/mail/delivery/other/</id>"));
    assert!(feed.contains("<published>2025-01-02T00:00:00Z</published>"));
    assert!(feed.contains("<summary>Why &amp; how.</summary>"));
    let mail = site.out("mail/atom.xml");
    assert!(mail.contains("<title>Mail · KB</title>") && !mail.contains("VPN setup"), "{mail}");
    assert!(site.exists("vpn/atom.xml"));
    let cold = tempfile::tempdir().unwrap();
    site.build(&["--no-cache", "--output", cold.path().join("o").to_str().unwrap()]).ok();
    assert_same(&cold.path().join("o"), &site.public());
}

#[test]
fn stylesheets_and_scripts_are_fingerprinted_and_html_is_not() {
    let site = Site::fixture("basic");
    site.write(
        "content/email-delivery/ndr/with-code.md",
        "---\ntitle: With code\n---\n```sh\necho hi\n```\n",
    );
    site.build(&[]).ok();
    let html = site.out("email-delivery/ndr/step-2/index.html");
    let with_code = site.out("email-delivery/ndr/with-code/index.html");
    for plain in ["assets/style.css", "assets/syntax.css", "assets/kiln.js", "assets/search.js"] {
        let hashed = site.asset_path(plain);
        assert!(with_code.contains(&format!("\"/{hashed}\"")), "the page links {hashed}");
        assert!(!site.exists(plain), "no unhashed {plain}");
    }
    // The highlighting stylesheet only where there is highlighted code; the search script
    // is named for kiln.js to load on first use, not loaded with the page.
    let syntax = site.asset_path("assets/syntax.css");
    assert!(!html.contains(&syntax), "a page without code does not link {syntax}");
    let search = site.asset_path("assets/search.js");
    assert!(html.contains(&format!("data-script=\"/{search}\"")));
    assert!(!html.contains(&format!("<script src=\"/{search}\"")));
    assert!(site.out("search/index.html").contains(&format!("<script src=\"/{search}\" defer>")));
    assert!(
        site.exists("email-delivery/ndr/step-2/index.html") && site.exists("index.html"),
        "HTML keeps its names"
    );
    let before = site.asset_path("assets/style.css");
    let js_before = site.asset_path("assets/kiln.js");

    // A changed stylesheet gets a new name and every page links the new one; the unchanged
    // script keeps its name.
    site.write("static/assets/style.css", "body { color: teal }\n");
    site.build(&[]).ok();
    let after = site.asset_path("assets/style.css");
    assert_ne!(before, after);
    assert_eq!(site.asset_path("assets/kiln.js"), js_before);
    assert!(site.out("index.html").contains(&format!("\"/{after}\"")));
    assert!(!site.exists(&before), "the old name is gone");

    // `kiln serve` keeps plain names so a saved stylesheet can be swapped in place: covered
    // by tests/serve.rs (`/assets/style.css`).
}

#[test]
fn edit_url_puts_an_edit_link_on_every_article() {
    let site = Site::with_files(&[
        ("site.toml", "title = \"KB\"\nedit_url = \"https://github.com/org/kb/edit/main/{path}\"\n"),
        ("content/mail/delivery/ndr-550.md", "---\ntitle: NDR\n---\nBody.\n"),
        ("content/mail/Odd name (copy).md", "---\ntitle: Odd\n---\nBody.\n"),
        ("content/mail/_index.md", "---\ntitle: Mail\n---\nIntro.\n"),
    ]);
    site.build(&[]).ok();
    let link = |page: &str| {
        let html = site.out(page);
        let at = html.find("class=\"edit-link\"").unwrap_or_else(|| panic!("no edit link on {page}"));
        html[at..].split('"').nth(3).unwrap().to_string()
    };
    assert_eq!(
        link("mail/delivery/ndr-550/index.html"),
        "https://github.com/org/kb/edit/main/content/mail/delivery/ndr-550.md"
    );
    assert_eq!(
        link("mail/odd-name-copy/index.html"),
        "https://github.com/org/kb/edit/main/content/mail/Odd%20name%20(copy).md"
    );
    assert!(site.out("mail/delivery/ndr-550/index.html").contains(">Edit this page</a>"));

    // Without `edit_url`, no link.
    site.write("site.toml", "title = \"KB\"\n");
    site.build(&[]).ok();
    assert!(!site.out("mail/delivery/ndr-550/index.html").contains("edit-link"));
}

/// The `kiln` command lines of docs/publishing.md's CI examples, as a shell would run them.
fn documented_commands() -> Vec<String> {
    let doc =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/publishing.md"))
            .unwrap();
    doc.lines()
        .map(|l| l.trim().trim_start_matches("- ").trim_start_matches("run: ").trim())
        .filter(|l| l.starts_with("kiln ") || l.starts_with("rsync ") || l.starts_with("awk "))
        .map(|l| {
            l.replace("\"${{ steps.pages.outputs.base_url }}/\"", "https://org.github.io/kb/")
                .replace("\"$CI_PAGES_URL/\"", "https://org.gitlab.io/kb/")
                .replace("deploy@kb.example.org:/srv/kb/", "deployed/")
                .replace("/etc/nginx/snippets/kb-redirects.conf", "redirects.conf")
        })
        .collect()
}

#[test]
fn the_ci_examples_in_the_publishing_guide_run() {
    let cmds = documented_commands();
    assert!(cmds.iter().filter(|c| c.starts_with("kiln check")).count() >= 3, "{cmds:#?}");
    assert!(cmds.iter().any(|c| c.contains("--format github")));
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = Site::with_files(&[]);
    common::copy_dir(&repo.join("content"), &site.root().join("content"));
    std::fs::copy(repo.join("site.toml"), site.root().join("site.toml")).unwrap();
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_kiln")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let has_rsync =
        std::process::Command::new("sh").args(["-c", "command -v rsync"]).status().unwrap().success();
    for cmd in &cmds {
        if cmd.starts_with("rsync") && !has_rsync {
            continue;
        }
        let out = std::process::Command::new("sh")
            .args(["-c", cmd])
            .current_dir(site.root())
            .env("PATH", &path)
            .output()
            .unwrap();
        assert!(out.status.success(), "`{cmd}` failed: {}", String::from_utf8_lossy(&out.stderr));
        if cmd.contains("--base-url https://org.github.io/kb/") {
            assert!(site.out("index.html").contains("href=\"/kb/"), "{cmd}");
        }
    }
    if has_rsync {
        assert!(site.root().join("deployed/index.html").is_file(), "rsync copied the site");
    }
    // The alias → nginx rewrite one-liner ran last.
    assert!(cmds.last().unwrap().starts_with("awk "), "{cmds:#?}");
    let rules = std::fs::read_to_string(site.root().join("redirects.conf")).unwrap();
    assert!(
        rules.starts_with("rewrite ^/problems-solutions/sign-in/mfa-required/$ /problems-solutions/"),
        "{rules}"
    );
    assert!(rules.trim_end().ends_with(" permanent;"), "{rules}");
}
