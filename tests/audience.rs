//! Internal and public audiences from one source: `audience: internal` on an article, or on
//! a folder's index page, keeps it out of a public build entirely — no file of the output
//! holds any of its words — and shows it with a badge in an internal build.

mod common;

use std::io::Read;

use common::*;

/// A word only the internal articles, their folder, tags, aliases and files contain.
const SECRET: &str = "zqxvortex";

fn site() -> Site {
    Site::with_files(&[
        ("site.toml", "title = \"KB\"\nbase_url = \"https://kb.example.com/\"\n"),
        (
            "content/email/setup.md",
            "---\ntitle: Set up mail\ntags: [mail]\n---\nOpen Outlook. See [the runbook](reset.md).\n",
        ),
        (
            "content/email/reset.md",
            "---\ntitle: Zqxvortex reset runbook\naudience: internal\ntags: [zqxvortex-tag]\naliases: [/zqxvortex-old/]\ndescription: Zqxvortex steps\n---\n## Zqxvortex escalation\n\nRun zqxvortex-tool. ![diagram](zqxvortex-diagram.svg)\n",
        ),
        (
            "content/email/zqxvortex-diagram.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>zqxvortex</text></svg>",
        ),
        (
            "content/agents-zqxvortex/_index.md",
            "---\ntitle: Agents zqxvortex\naudience: internal\n---\nFor agents.\n",
        ),
        (
            "content/agents-zqxvortex/macros.md",
            "# Zqxvortex macros\n\nNo marker of its own: its folder is internal.\n",
        ),
        ("content/agents-zqxvortex/sub/deeper.md", "# Deeper zqxvortex\n\nText.\n"),
        ("content/agents-zqxvortex/notes.txt", "zqxvortex notes"),
        ("content/network/vpn.md", "---\ntitle: VPN\naudience: public\n---\nConnect.\n"),
    ])
}

/// Every output file's text (gzip files inflated) with the given word, by path.
fn files_with(dir: &std::path::Path, word: &str) -> Vec<String> {
    let mut hits = Vec::new();
    for e in walkdir::WalkDir::new(dir).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        let bytes = std::fs::read(e.path()).unwrap();
        let mut text = bytes.clone();
        if bytes.starts_with(&[0x1f, 0x8b]) {
            text.clear();
            flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut text).unwrap();
        }
        let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
        if String::from_utf8_lossy(&text).to_lowercase().contains(word) || rel.to_lowercase().contains(word) {
            hits.push(rel);
        }
    }
    hits
}

#[test]
fn a_public_build_holds_no_word_of_an_internal_article() {
    let site = site();
    let run = site.build(&[]).ok();
    assert_eq!(files_with(&site.public(), SECRET), Vec::<String>::new());
    // The public articles are all there.
    assert!(site.exists("email/setup/index.html") && site.exists("network/vpn/index.html"));
    assert!(!site.exists("email/reset/index.html") && !site.exists("agents-zqxvortex/index.html"));
    // The public page's link to the internal one: a warning naming it in a build…
    let d = run.diag("link to internal article `reset.md`");
    assert!(d.starts_with("warning: content/email/setup.md:5:"), "{d}");
    // …and an error in a check.
    let check = site.check();
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(
        check
            .stderr
            .lines()
            .any(|l| l.starts_with("error: content/email/setup.md:5:") && l.contains("internal article"))
    );
    // The internal articles' own words are searched for nowhere, including in the index.
    let search = files_with(&site.public().join("search"), "outlook");
    assert!(!search.is_empty(), "the public article is indexed");
}

#[test]
fn an_internal_build_has_everything_with_a_badge() {
    let site = site();
    site.build(&["--audience", "internal"]).ok();
    let reset = site.out("email/reset/index.html");
    assert!(
        reset.contains("<p class=\"badge-internal\" role=\"note\">Internal: for agents only</p>"),
        "{reset}"
    );
    assert!(site.out("agents-zqxvortex/macros/index.html").contains("badge-internal"));
    assert!(site.out("agents-zqxvortex/sub/deeper/index.html").contains("badge-internal"));
    assert!(!site.out("email/setup/index.html").contains("badge-internal"));
    assert!(site.exists("email/zqxvortex-diagram.svg") && site.exists("agents-zqxvortex/notes.txt"));
    assert!(
        !files_with(&site.public().join("search"), SECRET).is_empty(),
        "internal articles are searchable"
    );
    // The link works here, and no warning is given about it.
    assert!(site.out("email/setup/index.html").contains("href=\"/email/reset/\""));
}

#[test]
fn switching_audience_never_reuses_the_other_build() {
    let site = site();
    site.build(&["--audience", "internal"]).ok();
    assert!(site.exists("email/reset/index.html"));
    // A warm public build after an internal one: nothing internal survives in place.
    site.build(&[]).ok();
    assert_eq!(files_with(&site.public(), SECRET), Vec::<String>::new());
    site.build(&["--audience", "internal"]).ok();
    assert!(site.exists("email/reset/index.html"));
}

#[test]
fn an_unreadable_audience_keeps_the_article_internal() {
    let site = Site::with_files(&[
        ("content/a/typo.md", "---\ntitle: Typo\naudience: interal\n---\nZqxvortex.\n"),
        ("content/a/ok.md", "# OK\n\nText.\n"),
    ]);
    let run = site.build(&[]).ok();
    run.diag("audience \"interal\" is neither `internal` nor `public` (read as internal)");
    assert!(!site.exists("a/typo/index.html"));
    assert_eq!(files_with(&site.public(), SECRET), Vec::<String>::new());
}

#[test]
fn other_tools_audiences_are_theirs_and_stay_public() {
    let site = Site::with_files(&[
        (
            "content/a/itpro.md",
            "---
title: For IT pros
audience: ITPro
---
Text.
",
        ),
        (
            "content/a/all.md",
            "---
title: All staff
audience: all-staff
---
Text.
",
        ),
        (
            "templates/page.html",
            "{% extends \"base.html\" %}{% block main %}[{{ page.extra.audience }}]{% endblock main %}",
        ),
    ]);
    let run = site.build(&[]).ok();
    assert!(run.warnings().is_empty(), "{}", run.stderr);
    assert!(site.out("a/itpro/index.html").contains("[ITPro]"));
    assert!(site.out("a/all/index.html").contains("[all-staff]"));
}

#[path = "common/server.rs"]
mod server;

#[test]
fn the_preview_takes_the_audience_too() {
    let site = site();
    let public = server::Server::start(site.root());
    assert_eq!(public.get("/email/setup/").0, 200);
    assert_eq!(public.get("/email/reset/").0, 404);
    drop(public);
    let agents = server::Server::start_with(site.root(), &["--audience", "internal"]);
    let (status, _, body) = agents.get("/email/reset/");
    assert_eq!(status, 200);
    assert!(body.contains("badge-internal"), "{body}");
}

#[test]
fn a_save_that_makes_an_article_internal_takes_it_out_of_the_public_preview() {
    let site = site();
    let preview = server::Server::start(site.root());
    assert_eq!(preview.get("/network/vpn/").0, 200);
    site.write("content/network/vpn.md", "---\ntitle: VPN\naudience: internal\n---\nConnect.\n");
    preview.wait_log("vpn.md");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while preview.get("/network/vpn/").0 != 404 {
        assert!(std::time::Instant::now() < deadline, "the article stayed in the public preview");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(preview.get("/email/setup/").0, 200);
}

#[test]
fn an_internal_article_takes_its_own_files_not_every_file_of_the_same_name() {
    let png = "\u{89}PNG\r\n\u{1a}\n";
    let site = Site::with_files(&[
        ("site.toml", "title = \"KB\"\n"),
        ("content/email/setup.md", "---\ntitle: Set up mail\n---\n![The form](setup/screen.png)\n"),
        ("content/email/setup/screen.png", png),
        (
            "content/email/escalate.md",
            "---\ntitle: Escalate\naudience: internal\n---\n![Agent view](escalate/screen.png)\n",
        ),
        ("content/email/escalate/screen.png", png),
    ]);
    site.build(&[]).ok();
    assert!(site.exists("email/setup/screen.png"), "the public article keeps its screen.png");
    assert!(!site.exists("email/escalate/screen.png"), "the internal article's own file is left out");
    let check = site.check();
    assert_eq!(check.code, 0, "{}", check.stderr);
}
