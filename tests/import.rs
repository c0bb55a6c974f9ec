//! `kiln import` from saved API responses (`tests/fixtures/import/<vendor>/`, written from
//! the vendors' documented response schemas): structure, front matter, converted bodies
//! (snapshots), links and files, internal articles, re-runs, and a clean `kiln check`.

mod common;
use common::*;

use std::path::{Path, PathBuf};

fn fixture(vendor: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(vendor)
}

/// `kiln import <vendor> --from <dir> --into <site>`.
fn import(vendor: &str, from: &Path, into: &Path, more: &[&str]) -> Run {
    let mut args = vec!["import", vendor, "--from", from.to_str().unwrap(), "--into", into.to_str().unwrap()];
    args.extend_from_slice(more);
    run(&args)
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every output file's text (gzip left out), for "no word of it reaches the output".
fn all_text(dir: &Path) -> String {
    tree(dir).into_values().map(|b| String::from_utf8_lossy(&b).into_owned()).collect()
}

#[test]
fn freshdesk_import_keeps_structure_order_files_links_and_builds_clean() {
    let site = tempfile::tempdir().unwrap();
    let root = site.path().join("kb");
    let imported = import("freshdesk", &fixture("freshdesk"), &root, &[]).ok();
    assert!(
        imported.stdout.contains(
            "5 articles (1 translations), 2 categories, 5 folders, 1 drafts, 1 internal, 2 attachments"
        ),
        "{}",
        imported.stdout
    );
    // Items that need a human look, each with its file and line.
    let missing =
        "note: content/getting-started/account-setup/create-your-account.md:30: file not in the export";
    assert!(imported.stderr.contains(missing), "{}", imported.stderr);
    assert!(
        imported.stderr.contains("reset-your-password.md:")
            && imported.stderr.contains("links to article 3999"),
        "{}",
        imported.stderr
    );
    assert!(
        imported.stderr.contains("update-billing-details.md:17: table kept as HTML (no header row)"),
        "{}",
        imported.stderr
    );
    let line30 = read(&root, "content/getting-started/account-setup/create-your-account.md")
        .lines()
        .nth(29)
        .unwrap()
        .to_string();
    assert!(
        line30.contains("https://cdn.example.com/gone.png"),
        "the note's line holds the kept URL: {line30}"
    );

    let folder = read(&root, "content/troubleshooting/agent-playbooks/index.md");
    assert!(
        folder.contains("title: \"Agent playbooks\"") && folder.contains("audience: internal"),
        "{folder}"
    );
    assert!(
        folder.contains(
            "aliases: [\"/support/solutions/folders/2004\", \"/en/support/solutions/folders/2004\"]"
        ),
        "a multilingual portal's URLs carry the language: {folder}"
    );
    let sub = read(&root, "content/troubleshooting/email/bounce-messages/index.md");
    assert!(sub.contains("description: \"Non-delivery reports\""), "sub-folder under its folder: {sub}");
    let category = read(&root, "content/troubleshooting/index.md");
    assert!(
        category.contains("description: \"When something goes wrong\"") && category.contains("weight: 2"),
        "{category}"
    );
    let draft = read(&root, "content/getting-started/billing/update-billing-details.md");
    assert!(draft.contains("draft: true"), "{draft}");
    assert!(root.join("content/getting-started/account-setup/create-your-account/signup-form.png").is_file());
    assert!(
        root.join("content/getting-started/account-setup/reset-your-password/Password-policy--v2-.pdf")
            .is_file()
    );

    let check = run_env(&["check", "--root", root.to_str().unwrap()], &[]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    assert!(check.stdout.contains("0 warnings, 0 errors"), "{}", check.stdout);
    let internal = run(&["check", "--root", root.to_str().unwrap(), "--audience", "internal"]);
    assert_eq!(internal.code, 0, "{}", internal.stderr);

    let out = site.path().join("public");
    run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]).ok();
    let folder_page = std::fs::read_to_string(out.join("getting-started/account-setup/index.html")).unwrap();
    let (reset, create) = (
        folder_page.find(">Reset your password<").unwrap(),
        folder_page.find(">Create your account<").unwrap(),
    );
    assert!(reset < create, "the source's order: Reset (first in articles.json) before Create");
    let category_page = std::fs::read_to_string(out.join("troubleshooting/index.html")).unwrap();
    assert!(
        category_page.contains(">Email<") && !category_page.contains("Agent playbooks"),
        "internal folder left out"
    );
    assert!(!all_text(&out).contains("PLATYPUS"), "an agent-only article's words stay out of a public build");
    let old =
        std::fs::read_to_string(out.join("support/solutions/articles/3001-reset-your-password/index.html"))
            .unwrap();
    assert!(old.contains("getting-started/account-setup/reset-your-password/"), "old URL redirects: {old}");
    let article =
        std::fs::read_to_string(out.join("getting-started/account-setup/create-your-account/index.html"))
            .unwrap();
    assert!(
        article.contains("href=\"/getting-started/account-setup/reset-your-password/#expiry\""),
        "internal link by old URL"
    );
    assert!(article.contains("x^2 stays text; C++ too; :smile: too"), "escaped text reads back as written");
    assert!(
        article.contains("alt=\"The sign-up form\" width=\"490\">"),
        "the image keeps the width its style gave it"
    );

    let agents = site.path().join("agents");
    run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        agents.to_str().unwrap(),
        "--audience",
        "internal",
    ])
    .ok();
    assert!(all_text(&agents).contains("PLATYPUS"), "internal articles with --audience internal");
}

#[test]
fn converted_bodies_match_their_snapshots() {
    for vendor in ["freshdesk", "zendesk"] {
        let site = tempfile::tempdir().unwrap();
        import(vendor, &fixture(vendor), site.path(), &[]).ok();
        for (rel, bytes) in tree(&site.path().join("content")) {
            if rel.ends_with(".md") && !rel.ends_with("index.md") {
                let name = format!("{vendor}__{}", rel.replace('/', "__"));
                insta::assert_snapshot!(name, String::from_utf8(bytes).unwrap());
            }
        }
    }
}

#[test]
fn zendesk_import_reads_pages_translations_promoted_and_segments() {
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    let imported = import("zendesk", &fixture("zendesk"), root, &[]).ok();
    assert!(
        imported
            .stdout
            .contains("5 articles (1 translations), 2 categories, 3 folders, 1 drafts, 1 internal"),
        "{}",
        imported.stdout
    );
    let toml = read(root, "site.toml");
    assert!(toml.contains("default_language = \"en-us\"") && toml.contains("[languages.fr]"), "{toml}");
    let intro = read(root, "content/general/faq/what-is-acme.md");
    assert!(intro.contains("featured: true") && intro.contains("tags: [\"intro\", \"overview\"]"), "{intro}");
    assert!(intro.contains("[SSO setup](../../administration/single-sign-on/configure-sso.md)"), "{intro}");
    assert!(
        intro.contains("[the Okta guide](../../administration/single-sign-on/okta/okta-guide.md)"),
        "{intro}"
    );
    assert!(intro.contains(":::tip\nTry the **free plan** first.\n:::"), "{intro}");
    let okta = read(root, "content/administration/single-sign-on/okta/okta-internal-notes.md");
    assert!(okta.contains("audience: internal"), "user_segment_id set: {okta}");
    let fr = read(root, "content/fr/general/faq/what-is-acme.md");
    assert!(
        fr.contains("aliases: [\"/hc/fr/articles/500-Qu-est-ce-qu-Acme\", \"/hc/fr/articles/500\"]"),
        "{fr}"
    );
    // Category and section labels from categories-fr.json / sections-fr.json; one the
    // locale leaves as it is ("Okta") gets no file of its own.
    let fr_category = read(root, "content/fr/general/index.md");
    assert!(
        fr_category.contains("title: \"Général\"") && fr_category.contains("\"/hc/fr/categories/100\""),
        "{fr_category}"
    );
    assert!(read(root, "content/fr/general/faq/index.md").contains("title: \"Questions fréquentes\""));
    assert!(!root.join("content/fr/administration/single-sign-on/okta/index.md").exists());
    assert!(!root.join("content/fr/administration/index.md").exists(), "same label and no description");
    let check = run_env(&["check", "--root", root.to_str().unwrap()], &[]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    assert!(check.stdout.contains("0 errors"), "{}", check.stdout);
    let out = site.path().join("public");
    run_env(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()], &[]).ok();
    let fr_page = std::fs::read_to_string(out.join("fr/general/faq/what-is-acme/index.html")).unwrap();
    assert!(
        fr_page.contains(">Général<") && fr_page.contains(">Questions fréquentes<"),
        "the French navigation shows the French labels"
    );
    let again = import("zendesk", &fixture("zendesk"), root, &[]).ok();
    assert!(
        !again.stdout.contains("add to site.toml"),
        "the created site has its languages: {}",
        again.stdout
    );

    // Into a site of one language: the lines its site.toml lacks, as they are to be written.
    let plain = site.path().join("plain");
    run(&["init", plain.to_str().unwrap()]).ok();
    let into_plain = import("zendesk", &fixture("zendesk"), &plain, &[]).ok();
    for line in ["    default_language = \"en-us\"\n", "    [languages.en-us]\n", "    [languages.fr]\n"] {
        assert!(into_plain.stdout.contains(line), "{line:?} in {}", into_plain.stdout);
    }
    assert!(
        out.join("hc/en-us/articles/502-Okta-guide/index.html").is_file(),
        "page 2 of articles.json read"
    );
    assert!(!all_text(&out).contains("vault"), "segment-only article left out of the public build");
}

#[test]
fn a_second_import_changes_nothing_and_local_edits_survive_updates() {
    let site = tempfile::tempdir().unwrap();
    let root = site.path().join("kb");
    import("freshdesk", &fixture("freshdesk"), &root, &[]).ok();
    let first = tree(&root);
    let stamp = |rel: &str| std::fs::metadata(root.join(rel)).unwrap().modified().unwrap();
    let article = "content/getting-started/account-setup/create-your-account.md";
    let before = stamp(article);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let again = import("freshdesk", &fixture("freshdesk"), &root, &[]).ok();
    assert!(again.stdout.contains("0 files written"), "{}", again.stdout);
    assert_eq!(tree(&root), first, "byte-identical");
    assert_eq!(stamp(article), before, "not even rewritten");

    // The source changes two articles and drops one; one of the changed ones was edited here.
    let changed = site.path().join("export");
    copy_dir(&fixture("freshdesk"), &changed);
    let text = std::fs::read_to_string(changed.join("articles.json")).unwrap();
    let text = text
        .replace("A quote from the team.", "A new quote.")
        .replace("the address does not exist", "the mailbox does not exist");
    let mut articles: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    articles.retain(|a| a["id"] != 3002);
    std::fs::write(changed.join("articles.json"), serde_json::to_string(&articles).unwrap()).unwrap();
    let bounce = "content/troubleshooting/email/bounce-messages/emails-bounce-with-550.md";
    let edited = read(&root, bounce) + "\nA local addition.\n";
    std::fs::write(root.join(bounce), &edited).unwrap();
    let update = import("freshdesk", &changed, &root, &[]).ok();
    assert!(
        update.stdout.contains("1 files written")
            && update.stdout.contains("1 removed")
            && update.stdout.contains("1 kept"),
        "{}",
        update.stdout
    );
    assert!(
        update.stderr.contains(&format!("note: {bounce}: edited since the last import")),
        "{}",
        update.stderr
    );
    assert!(read(&root, article).contains("A new quote."));
    assert_eq!(read(&root, bounce), edited, "the local edit is kept");
    assert!(
        !root.join("content/getting-started/billing/update-billing-details.md").exists(),
        "removed at the source"
    );
    let unchanged_rest: Vec<_> =
        tree(&root).into_iter().filter(|(p, _)| p.ends_with(".png") || p.ends_with("index.md")).collect();
    assert!(
        unchanged_rest.iter().all(|(p, b)| first.get(p) == Some(b) || !p.contains("billing")),
        "the rest is as it was"
    );
    let forced = import("freshdesk", &changed, &root, &["--force"]).ok();
    assert!(forced.stdout.contains("1 files written"), "{}", forced.stdout);
    assert!(
        read(&root, bounce).contains("the mailbox does not exist")
            && !read(&root, bounce).contains("A local addition.")
    );

    // An article removed here (or moved: the same) is not brought back; --force brings it.
    std::fs::remove_file(root.join(article)).unwrap();
    let after_removal = import("freshdesk", &changed, &root, &[]).ok();
    assert!(!root.join(article).exists(), "not written again: {}", after_removal.stdout);
    assert!(after_removal.stdout.contains("0 files written"), "{}", after_removal.stdout);
    assert!(
        after_removal
            .stderr
            .contains(&format!("note: {article}: removed or moved here since the last import")),
        "{}",
        after_removal.stderr
    );
    let again = import("freshdesk", &changed, &root, &[]).ok();
    assert!(!root.join(article).exists(), "still not, the next time: {}", again.stdout);
    import("freshdesk", &changed, &root, &["--force"]).ok();
    assert!(read(&root, article).contains("A new quote."), "--force writes it again");
}

#[test]
fn bad_exports_and_arguments_are_clear_errors() {
    let site = tempfile::tempdir().unwrap();
    let empty = site.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let r = import("zendesk", &empty, &site.path().join("kb"), &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("categories.json is missing"), "{}", r.stderr);
    std::fs::write(empty.join("categories.json"), "{\"categories\": [").unwrap();
    let r = import("zendesk", &empty, &site.path().join("kb"), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("categories.json:1:"), "file and line: {}", r.stderr);
    let r = run(&["import", "freshdesk", "--into", site.path().to_str().unwrap()]);
    assert_eq!(r.code, 2, "neither --url nor --from: {}", r.stderr);
    let r = run_env(
        &[
            "import",
            "freshdesk",
            "--url",
            "http://acme.freshdesk.com",
            "--into",
            site.path().to_str().unwrap(),
        ],
        &[("FRESHDESK_API_KEY", "k")],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("https://"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn a_link_where_the_import_puts_a_folder_stops_it_before_anything_is_written_outside() {
    let site = tempfile::tempdir().unwrap();
    let (root, outside) = (site.path().join("kb"), site.path().join("outside"));
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(root.join("site.toml"), "title = \"KB\"\n").unwrap();
    std::os::unix::fs::symlink(&outside, root.join("content/getting-started")).unwrap();
    let r = import("freshdesk", &fixture("freshdesk"), &root, &[]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("a link or a file stands where the import puts a folder"), "{}", r.stderr);
    assert!(r.stderr.contains("getting-started"), "names the path: {}", r.stderr);
    assert!(tree(&outside).is_empty(), "nothing written through the link");
    assert!(std::fs::read_dir(&outside).unwrap().next().is_none(), "no folder made through it either");
    assert_eq!(tree(&root.join("content")).len(), 0, "stopped before any file was written");
    assert!(!root.join("content/troubleshooting").exists(), "or any folder made");
}

#[test]
fn links_from_public_articles_to_drafts_and_internal_ones_are_noted_where_check_finds_them() {
    let site = tempfile::tempdir().unwrap();
    let export = site.path().join("export");
    copy_dir(&fixture("freshdesk"), &export);
    let text = std::fs::read_to_string(export.join("articles.json")).unwrap();
    let linked = "<p>See <a href=\"/support/solutions/articles/3002\">billing</a> and <a href=\"/support/solutions/articles/3004-escalation-checklist\">escalation</a>.</p>";
    let text = text.replacen(
        "<p>A <code>550 5.1.1</code> bounce",
        &format!("{}<p>A <code>550 5.1.1</code> bounce", linked.replace('"', "\\\"")),
        1,
    );
    std::fs::write(export.join("articles.json"), text).unwrap();
    let root = site.path().join("kb");
    let imported = import("freshdesk", &export, &root, &[]).ok();
    let bounce = "content/troubleshooting/email/bounce-messages/emails-bounce-with-550.md";
    let notes: Vec<&str> = imported
        .stderr
        .lines()
        .filter(|l| l.starts_with(&format!("note: {bounce}:")) && l.contains("links to article"))
        .collect();
    assert!(
        notes.iter().any(|n| n.contains("links to article 3002, which is a draft"))
            && notes.iter().any(|n| n.contains("links to article 3004, which is internal")),
        "{}",
        imported.stderr
    );
    // The note's line is the line kiln check reports.
    let check = run(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    let line = |n: &str| n.split(':').nth(2).unwrap().to_string();
    for n in &notes {
        let at = format!("error: {bounce}:{}:", line(n));
        assert!(check.stderr.contains(&at), "{at} in {}", check.stderr);
    }
}
