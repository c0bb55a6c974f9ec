//! Help-centre features on fixture sites: the feedback form (`[feedback]`).

mod common;

use common::*;

const ARTICLE: &str = "---\ntitle: Reset a \"locked\" account\n---\nText.\n";

fn site_with(toml: &str) -> Site {
    Site::with_files(&[("site.toml", toml), ("content/accounts/reset.md", ARTICLE)])
}

#[test]
fn feedback_form_posts_to_the_endpoint_with_the_page_and_constant_fields() {
    let site = site_with(
        "title = \"KB\"\nbase_url = \"https://help.example.com/\"\n[feedback]\nendpoint = \"https://forms.example.com/f/abc\"\n[feedback.fields]\n_subject = \"KB feedback\"\n",
    );
    site.build(&[]).ok();
    let page = site.out("accounts/reset/index.html");
    assert!(
        page.contains("<form class=\"kiln-feedback\" action=\"https://forms.example.com/f/abc\" method=\"post\" data-thanks=\"Thank you for your feedback.\""),
        "{page}"
    );
    for field in [
        "<input type=\"hidden\" name=\"url\" value=\"https://help.example.com/accounts/reset/\">",
        "<input type=\"hidden\" name=\"title\" value=\"Reset a &quot;locked&quot; account\">",
        "<input type=\"hidden\" name=\"language\" value=\"en\">",
        "<input type=\"hidden\" name=\"_subject\" value=\"KB feedback\">",
        "<textarea name=\"comment\"",
        "<button type=\"submit\" name=\"answer\" value=\"yes\">Yes</button>",
        "<button type=\"submit\" name=\"answer\" value=\"no\">No</button>",
        "<legend>Was this article helpful?</legend>",
    ] {
        assert!(page.contains(field), "{field}: {page}");
    }
    // Listings carry no form.
    assert!(!site.out("accounts/index.html").contains("kiln-feedback"));
}

#[test]
fn feedback_is_off_unless_configured_and_mailto_sends_text() {
    let site = site_with("title = \"KB\"\n");
    site.build(&[]).ok();
    assert!(!site.out("accounts/reset/index.html").contains("kiln-feedback"));
    let site = site_with("[feedback]\nendpoint = \"mailto:kb@example.com\"\nmethod = \"POST\"\n");
    site.build(&[]).ok();
    let page = site.out("accounts/reset/index.html");
    assert!(
        page.contains("action=\"mailto:kb@example.com\" method=\"post\" enctype=\"text/plain\""),
        "{page}"
    );
}

#[test]
fn feedback_settings_are_checked() {
    for (toml, needle, line) in [
        ("[feedback]\nendpoint = \"javascript:alert(1)\"\n", "must be an https:// or http:// URL", 2),
        ("[feedback]\nendpoint = \"//evil.example/x\"\n", "a path on this site", 2),
        ("[feedback]\nendpoint = \"https://x.example/a b\"\n", "must be an https://", 2),
        ("[feedback]\nendpoint = \"/api/feedback\"\nmethod = \"put\"\n", "must be \"post\" or \"get\"", 3),
        ("[feedback]\nendpoint = \"/api\"\n[feedback.fields]\nanswer = \"x\"\n", "not one the form sends", 4),
        ("[feedback]\nendpoint = \"/api\"\n[feedback.fields]\n\"a b\" = \"x\"\n", "letters, digits", 4),
    ] {
        let site = site_with(toml);
        let run = site.build(&[]);
        assert_eq!(run.code, 2, "{toml}: {}", run.stderr);
        let d = run.diag(needle);
        assert!(d.starts_with(&format!("error: site.toml:{line}:")), "{toml}: {d}");
    }
}

#[test]
fn feedback_words_follow_the_language() {
    let site = site_with("language = \"de\"\n[feedback]\nendpoint = \"/api/feedback\"\nmethod = \"get\"\n");
    site.build(&[]).ok();
    let page = site.out("accounts/reset/index.html");
    assert!(page.contains("<legend>War dieser Artikel hilfreich?</legend>"), "{page}");
    assert!(page.contains("action=\"/api/feedback\" method=\"get\""), "{page}");
    assert!(page.contains("value=\"yes\">Ja</button>"), "{page}");
}

/// The JSON-LD of a page, parsed.
fn json_ld(html: &str) -> serde_json::Value {
    let start = html.find("<script type=\"application/ld+json\">").expect("a JSON-LD script") + 35;
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end])
        .unwrap_or_else(|e| panic!("invalid JSON-LD ({e}): {}", &html[start..end]))
}

#[test]
fn every_article_has_tech_article_and_breadcrumb_json_ld() {
    let site = Site::with_files(&[
        (
            "site.toml",
            "title = \"Contoso Help\"\nbase_url = \"https://help.example.com/kb/\"\nlanguage = \"en-gb\"\n",
        ),
        (
            "content/email/mailflow/ndr.md",
            "---\ntitle: NDR 550 5.1.8 </script><script>alert(1)</script>\nslug: ndr-550\ndescription: Why \"550\" bounces\ndate: 2024-05-01\nupdated: 2024-06-02\n---\nText.\n",
        ),
        ("content/email/plain.md", "# Plain\n\nNo dates.\n"),
    ]);
    site.build(&[]).ok();
    let html = site.out("email/mailflow/ndr-550/index.html");
    assert!(!html.contains("<script>alert(1)"), "the title cannot close the script: {html}");
    let ld = json_ld(&html);
    assert_eq!(ld["@context"], "https://schema.org");
    let article = &ld["@graph"][0];
    assert_eq!(article["@type"], "TechArticle");
    assert_eq!(article["headline"], "NDR 550 5.1.8 </script><script>alert(1)</script>");
    assert_eq!(article["description"], "Why \"550\" bounces");
    assert_eq!(article["datePublished"], "2024-05-01");
    assert_eq!(article["dateModified"], "2024-06-02");
    assert_eq!(article["inLanguage"], "en-gb");
    let url = "https://help.example.com/kb/email/mailflow/ndr-550/";
    assert_eq!(article["url"], url);
    let crumbs = &ld["@graph"][1];
    assert_eq!(crumbs["@type"], "BreadcrumbList");
    let items: Vec<(u64, String, String)> = crumbs["itemListElement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["position"].as_u64().unwrap(),
                i["name"].as_str().unwrap().into(),
                i["item"].as_str().unwrap().into(),
            )
        })
        .collect();
    let want = [
        (1, "Contoso Help", "https://help.example.com/kb/"),
        (2, "Email", "https://help.example.com/kb/email/"),
        (3, "Mailflow", "https://help.example.com/kb/email/mailflow/"),
        (4, "NDR 550 5.1.8 </script><script>alert(1)</script>", url),
    ]
    .map(|(p, n, u)| (p, n.to_string(), u.to_string()));
    assert_eq!(items, want);
    // No dates, no description: those keys are left out, the rest is there.
    let plain = json_ld(&site.out("email/plain/index.html"));
    assert_eq!(plain["@graph"][0]["headline"], "Plain");
    assert!(
        plain["@graph"][0].get("datePublished").is_none() && plain["@graph"][0].get("description").is_none()
    );
    // Listings have none.
    assert!(!site.out("email/index.html").contains("application/ld+json"));
}

#[test]
fn contact_support_ends_articles_the_404_and_the_search_page_per_category() {
    let site = Site::with_files(&[
        (
            "site.toml",
            "[support]\ntext = \"Still stuck? Open a ticket\"\nurl = \"https://desk.example.com/new\"\n[support.categories.billing]\ntext = \"Ask the billing team\"\nurl = \"mailto:billing@example.com\"\n",
        ),
        ("content/accounts/reset.md", ARTICLE),
        ("content/billing/refunds.md", "# Refunds\n\nText.\n"),
    ]);
    site.build(&[]).ok();
    let link = "<p class=\"kiln-support\"><a href=\"https://desk.example.com/new\">Still stuck? Open a ticket</a></p>";
    assert!(site.out("accounts/reset/index.html").contains(link));
    let billing = site.out("billing/refunds/index.html");
    assert!(
        billing.contains(
            "<p class=\"kiln-support\"><a href=\"mailto:billing@example.com\">Ask the billing team</a></p>"
        ),
        "{billing}"
    );
    assert!(site.out("404.html").contains(link));
    let search = site.out("search/index.html");
    assert!(
        search.contains(
            "<p class=\"kiln-support search-support\" hidden><a href=\"https://desk.example.com/new\">"
        ),
        "{search}"
    );
    assert!(
        search.contains("<a class=\"search-support\" href=\"https://desk.example.com/new\" hidden>"),
        "{search}"
    );
    // Without [support], none of it.
    let plain = site_with("title = \"KB\"\n");
    plain.build(&[]).ok();
    assert!(!plain.out("accounts/reset/index.html").contains("kiln-support"));
    assert!(!plain.out("404.html").contains("kiln-support"));
    assert!(!plain.out("search/index.html").contains("search-support"));
}

#[test]
fn support_settings_are_checked() {
    for (toml, line) in [
        ("[support]\ntext = \"Help\"\nurl = \"javascript:x\"\n", 3),
        ("[support]\ntext = \"Help\"\nurl = \"/ok\"\n[support.categories.a]\nurl = \"ftp://x\"\n", 5),
        ("[support]\ntext = \"Help\"\nurl = \"java\\\"script\"\n", 1),
    ] {
        let run = site_with(toml).build(&[]);
        assert_eq!(run.code, 2, "{toml}: {}", run.stderr);
        let d = run.diag("must be an https:// or http:// URL");
        assert!(d.starts_with(&format!("error: site.toml:{line}:")), "{toml}: {d}");
    }
    let run = site_with("[support]\nurl = \"/help\"\n").build(&[]);
    assert_eq!(run.code, 2);
    run.diag("needs a `text`");
}

#[test]
fn featured_articles_lead_the_home_and_their_category_page() {
    let site = Site::with_files(&[
        (
            "content/email/setup/outlook.md",
            "---\ntitle: Set up Outlook\nfeatured: true\nweight: 2\n---\nText.\n",
        ),
        (
            "content/email/setup/mobile.md",
            "---\ntitle: Mail on your phone\nfeatured: true\nweight: 1\n---\nText.\n",
        ),
        ("content/email/quota.md", "---\ntitle: Mailbox full\n---\nText.\n"),
        ("content/network/vpn.md", "---\ntitle: Connect to the VPN\nfeatured: yes\n---\nText.\n"),
        ("content/network/hidden.md", "---\ntitle: Hidden\nfeatured: true\nunlisted: true\n---\nText.\n"),
    ]);
    site.build(&[]).ok();
    let titles = |html: &str, class: &str| -> Vec<String> {
        let Some(start) = html.find(&format!("<ul class=\"article-list {class}\">")) else {
            return Vec::new();
        };
        let list = &html[start..start + html[start..].find("</ul>").unwrap()];
        list.split("\">").skip(2).filter_map(|s| s.split_once("</a>").map(|(t, _)| t.to_string())).collect()
    };
    let home = site.out("index.html");
    assert_eq!(
        titles(&home, "featured-list"),
        ["Mail on your phone", "Set up Outlook", "Connect to the VPN"],
        "{home}"
    );
    assert!(home.contains("<h2 class=\"list-heading\" id=\"featured-heading\">Featured</h2>"));
    let email = site.out("email/index.html");
    assert_eq!(titles(&email, "featured-list"), ["Mail on your phone", "Set up Outlook"], "{email}");
    assert_eq!(titles(&site.out("network/index.html"), "featured-list"), ["Connect to the VPN"]);
    // Folder pages list their articles as always; no block, and none without `featured`.
    assert!(!site.out("email/setup/index.html").contains("featured-list"));
    assert!(!site.out("email/index.html").contains("popular-list"));
}

#[test]
fn popular_articles_come_from_the_views_file() {
    let mut files: Vec<(String, String)> = (1..=7)
        .map(|i| (format!("content/guides/g{i}.md"), format!("---\ntitle: Guide {i}\n---\nText.\n")))
        .collect();
    files.push(("content/other/o.md".into(), "---\ntitle: Other\n---\nText.\n".into()));
    files.push(("site.toml".into(), "base_url = \"https://kb.example.com/help/\"\n".into()));
    files.push((
        "data/popularity.csv".into(),
        "url,views\nhttps://kb.example.com/help/guides/g3/?utm=x,900\n/help/guides/g1/,500\n/guides/g2,700\n/help/guides/g4/,lots\n/help/guides/g5/,100\n/help/guides/g6/,50\n/help/guides/g7/,10\n/help/other/o/,300\n/help/gone/,9999\n"
            .into(),
    ));
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let site = Site::with_files(&refs);
    let run = site.build(&[]).ok();
    let d = run.diag("is not a number of views");
    assert!(d.starts_with("warning: data/popularity.csv:5:"), "{d}");
    let popular = |html: &str| -> Vec<String> {
        let start = html.find("<ol class=\"article-list popular-list\">").expect("a popular list");
        let list = &html[start..start + html[start..].find("</ol>").unwrap()];
        list.split("<a href=\"")
            .skip(1)
            .map(|s| s.split_once("\">").unwrap().1.split_once("</a>").unwrap().0.to_string())
            .collect()
    };
    assert_eq!(popular(&site.out("index.html")), ["Guide 3", "Guide 2", "Guide 1", "Other", "Guide 5"]);
    assert_eq!(
        popular(&site.out("guides/index.html")),
        ["Guide 3", "Guide 2", "Guide 1", "Guide 5", "Guide 6"]
    );
    assert_eq!(popular(&site.out("other/index.html")), ["Other"]);
}

/// `kiln` with `SOURCE_DATE_EPOCH` set: "today" is that day.
fn kiln_on(day_epoch: u64, args: &[&str]) -> Run {
    run_env(args, &[("SOURCE_DATE_EPOCH", &day_epoch.to_string())])
}

/// 2027-04-01 00:00 UTC.
const APRIL_2027: u64 = 1_806_537_600;

fn review_site(extra: &str) -> Site {
    Site::with_files(&[
        ("site.toml", &format!("git_dates = false\n[review]\nmax_age_days = 365\n{extra}")),
        ("content/kb/due.md", "---\ntitle: Due\nreview_by: 2027-03-31\n---\nText.\n"),
        (
            "content/kb/later.md",
            "---\ntitle: Later\nreview_by: 2027-04-01\nupdated: 2020-01-01\n---\nText.\n",
        ),
        ("content/kb/old.md", "---\ntitle: Old\ndate: 2025-01-01\nupdated: 2026-03-30\n---\nText.\n"),
        ("content/kb/fresh.md", "---\ntitle: Fresh\nupdated: 2026-04-01\n---\nText.\n"),
        ("content/kb/undated.md", "# Undated\n\nText.\n"),
    ])
}

#[test]
fn check_reports_articles_overdue_for_review_in_every_format() {
    let site = review_site("");
    let root = site.root().to_str().unwrap();
    let run = kiln_on(APRIL_2027, &["check", "--root", root, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let stale: Vec<(String, u64, String)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "stale")
        .map(|d| {
            (
                d["file"].as_str().unwrap().replace('\\', "/"),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        stale,
        [
            ("content/kb/due.md".to_string(), 3, "due for review since 2027-03-31 (review_by)".to_string()),
            (
                "content/kb/old.md".to_string(),
                4,
                "due for review since 2027-03-30: last updated 2026-03-30, more than 365 days ago ([review] max_age_days)".to_string()
            ),
        ]
    );
    let github = kiln_on(APRIL_2027, &["check", "--root", root, "--format", "github"]);
    assert!(
        github.stdout.lines().any(|l| l
            == "::warning file=content/kb/due.md,line=3,col=1::due for review since 2027-03-31 (review_by)"),
        "{}",
        github.stdout
    );
    let human = kiln_on(APRIL_2027, &["check", "--root", root]);
    human.diag("content/kb/old.md:4:1: due for review since 2027-03-30");
    // --strict makes them errors; a build does not look.
    assert_eq!(kiln_on(APRIL_2027, &["check", "--root", root, "--strict"]).code, 1);
    let build = kiln_on(APRIL_2027, &["build", "--root", root]);
    assert_eq!(build.code, 0);
    assert!(!build.stderr.contains("review"), "{}", build.stderr);
    // A year earlier nothing is due.
    let early = kiln_on(APRIL_2027 - 365 * 86_400, &["check", "--root", root, "--format", "json"]);
    assert!(!early.stdout.contains("\"stale\""), "{}", early.stdout);
}

#[test]
fn overdue_articles_show_a_notice_when_the_site_asks() {
    let site = review_site("notice = true\n");
    let root = site.root().to_str().unwrap();
    assert_eq!(kiln_on(APRIL_2027, &["build", "--root", root]).code, 0);
    let notice = "<p class=\"kiln-notice review-notice\" role=\"note\">This article is due for review and may be out of date.</p>";
    assert!(site.out("kb/due/index.html").contains(notice));
    assert!(site.out("kb/old/index.html").contains(notice));
    for fresh in ["later", "fresh", "undated"] {
        assert!(!site.out(&format!("kb/{fresh}/index.html")).contains("review-notice"), "{fresh}");
    }
    let quiet = review_site("");
    let root = quiet.root().to_str().unwrap();
    assert_eq!(kiln_on(APRIL_2027, &["build", "--root", root]).code, 0);
    assert!(!quiet.out("kb/due/index.html").contains("review-notice"));
}

#[test]
fn kiln_new_writes_an_article_from_the_built_in_template() {
    let site = Site::with_files(&[("site.toml", "title = \"KB\"\n")]);
    let root = site.root().to_str().unwrap();
    let args = [
        "new",
        "Error 0x80070005: \"Access denied\"",
        "--category",
        "Problems & Solutions",
        "--folder",
        "Windows/Update errors",
        "--root",
        root,
    ];
    let run = kiln_on(APRIL_2027, &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rel = "content/problems-solutions/windows/update-errors/error-0x80070005-access-denied.md";
    assert_eq!(run.stdout.trim(), format!("kiln: wrote {rel}"));
    let text = std::fs::read_to_string(site.root().join(rel)).unwrap();
    assert!(text.starts_with("---\ntitle: \"Error 0x80070005: \\\"Access denied\\\"\"\ndescription: \"\"\ntags: []\ndate: 2027-04-01\n---\n"), "{text}");
    for part in [":::info Error message", "## Problem", "## Cause", "## Solution"] {
        assert!(text.contains(part), "{part}: {text}");
    }
    // It builds, with the title read back exactly.
    site.build(&[]).ok();
    let page = site.out("problems-solutions/windows/update-errors/error-0x80070005-access-denied/index.html");
    assert!(
        page.contains(
            "<h1 id=\"error-0x80070005-access-denied\">Error 0x80070005: &quot;Access denied&quot;</h1>"
        ),
        "{page}"
    );
    assert!(page.contains("<aside class=\"admonition admonition-info\""), "{page}");
    // Never over an existing file.
    let again = kiln_on(APRIL_2027, &args);
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(again.stderr.contains("exists; not overwriting it"), "{}", again.stderr);
    assert!(std::fs::read_to_string(site.root().join(rel)).unwrap() == text);
}

#[test]
fn kiln_new_uses_the_site_template_and_refuses_bad_names() {
    let site = Site::with_files(&[
        ("site.toml", "title = \"KB\"\n"),
        (
            "templates/articles/howto.md",
            "+++\ntitle = {{ title }}\ndate = {{date}}\n+++\n\nSteps for {{ slug }}.\n",
        ),
    ]);
    let root = site.root().to_str().unwrap();
    let run = kiln_on(APRIL_2027, &["new", "Map a drive", "--template", "howto", "--root", root]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(site.root().join("content/map-a-drive.md")).unwrap();
    assert_eq!(text, "+++\ntitle = \"Map a drive\"\ndate = 2027-04-01\n+++\n\nSteps for map-a-drive.\n");
    // The site's templates folder still builds: article templates are not page templates.
    site.build(&[]).ok();
    for (args, needle) in [
        (vec!["new", "X", "--template", "missing"], "no article template \"missing\""),
        (vec!["new", "X", "--template", "../site"], "a name is letters, digits"),
        (vec!["new", "  "], "the title must be one line"),
        (vec!["new", "!!!"], "makes no file name"),
        (vec!["new", "X", "--folder", "f"], "--category"),
    ] {
        let mut all = args.clone();
        all.extend(["--root", root]);
        let r = kiln_on(APRIL_2027, &all);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(needle), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn kiln_init_ships_the_article_template() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("kb");
    let run = run(&["init", site.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let template = std::fs::read_to_string(site.join("templates/articles/article.md")).unwrap();
    assert!(template.contains("title: {{ title }}") && template.contains("## Solution"), "{template}");
    let built = common::run(&["build", "--root", site.to_str().unwrap()]);
    assert_eq!(built.code, 0, "{}", built.stderr);
}
