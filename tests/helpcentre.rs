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
