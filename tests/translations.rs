//! Translation status of a multilingual site: a translation older than its original (by
//! `updated` or by git dates) says so and links the original, every translated page lists
//! its other languages, and `kiln check` reports missing and outdated translations per
//! language in its three formats.

mod common;

use std::path::Path;

use common::{Site, git};

#[test]
fn an_outdated_translation_says_so_and_links_its_original() {
    let site = Site::fixture("multilingual/folders");
    site.build(&[]).ok();
    // fr sign-in: updated 2025-12-01; its English original 2026-01-10.
    let fr = site.out("fr/getting-started/sign-in/index.html");
    assert!(
        fr.contains(
            "<p class=\"kiln-notice lang-outdated\" role=\"note\">L’original de cet article a été mis à jour \
             depuis sa traduction. <a href=\"/getting-started/sign-in/\" hreflang=\"en\">Lire l’original en English</a></p>"
        ),
        "{fr}"
    );
    // ja sign-in (2026-02-01) and fr install (2026-03-02, original 2026-03-01) are current.
    assert!(!site.out("ja/getting-started/sign-in/index.html").contains("lang-outdated"));
    assert!(!site.out("fr/getting-started/install/index.html").contains("lang-outdated"));
    // The originals carry no notice.
    assert!(!site.out("getting-started/sign-in/index.html").contains("lang-outdated"));
}

#[test]
fn a_translated_page_lists_its_other_languages() {
    let site = Site::fixture("multilingual/folders");
    site.build(&[]).ok();
    let fr = site.out("fr/getting-started/install/index.html");
    assert!(
        fr.contains(
            "<p class=\"lang-versions\"><span class=\"lang-versions-label\">Cet article dans d’autres langues</span> \
             <a href=\"/getting-started/install/\" hreflang=\"en\" lang=\"en\">English</a> \
             <a href=\"/ar/getting-started/install/\" hreflang=\"ar\" lang=\"ar\" dir=\"rtl\">العربية</a> \
             <a href=\"/ja/getting-started/install/\" hreflang=\"ja\" lang=\"ja\">日本語</a></p>"
        ),
        "{fr}"
    );
    // An original nobody translated lists nothing; nor does the fallback shown in French.
    assert!(!site.out("getting-started/reset-password/index.html").contains("lang-versions"));
    assert!(!site.out("fr/getting-started/reset-password/index.html").contains("lang-versions"));
}

#[test]
fn check_reports_missing_and_outdated_translations_per_language() {
    let site = Site::fixture("multilingual/folders");
    let run = site.check_with(&["--format", "json"]).ok();
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let status: Vec<(String, u64, u64, u64)> = doc["translations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let n = |k: &str| t[k].as_u64().unwrap();
            (t["language"].as_str().unwrap().to_string(), n("articles"), n("translated"), n("outdated"))
        })
        .collect();
    let want = [("ar", 3, 2, 0), ("fr", 3, 2, 1), ("ja", 3, 2, 0)];
    assert_eq!(status, want.map(|(l, a, t, o)| (l.to_string(), a, t, o)), "{}", run.stdout);
    let notes: Vec<(String, String, String, u64)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "note")
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (s("code"), s("file"), s("message"), d["line"].as_u64().unwrap())
        })
        .collect();
    let missing: Vec<&str> =
        notes.iter().filter(|n| n.0 == "missing-translation").map(|n| n.2.as_str()).collect();
    assert_eq!(missing, ["no translation into ar", "no translation into fr", "no translation into ja"]);
    assert!(
        notes.iter().filter(|n| n.0 == "missing-translation").all(|n| n.1.ends_with("reset-password.md"))
    );
    let outdated: Vec<_> = notes.iter().filter(|n| n.0 == "outdated-translation").collect();
    assert_eq!(outdated.len(), 1, "{notes:?}");
    let (_, file, message, line) = outdated[0];
    assert_eq!((Path::new(file), *line), (Path::new("content/fr/getting-started/sign-in.md"), 3));
    assert!(message.contains("was updated 2026-01-10, the translation 2025-12-01"), "{message}");
    assert!(message.contains("getting-started/sign-in.md"), "{message}");
    assert_eq!(doc["errors"], 0, "{}", run.stdout);
    assert_eq!(doc["warnings"], 0, "notes are not warnings: {}", run.stdout);
}

#[test]
fn translation_notes_stay_notes_under_strict_in_every_format() {
    let site = Site::fixture("multilingual/folders");
    let human = site.check_with(&["--strict"]).ok();
    assert!(human.stderr.contains("translations: fr: 2 of 3 articles translated (1 missing, 1 outdated)\n"));
    assert!(human.stderr.contains("translations: ja: 2 of 3 articles translated (1 missing, 0 outdated)\n"));
    assert!(
        human
            .stderr
            .lines()
            .any(|l| l.starts_with("note: ") && l.ends_with("reset-password.md:1:1: no translation into fr")),
        "{}",
        human.stderr
    );
    assert!(human.errors().is_empty(), "{}", human.stderr);
    let github = site.check_with(&["--format", "github"]).ok();
    let lines: Vec<&str> = github.stdout.lines().collect();
    assert!(
        lines.iter().any(|l| l.starts_with(
            "::notice file=content/fr/getting-started/sign-in.md,line=3,col=1::outdated fr translation"
        )),
        "{}",
        github.stdout
    );
    assert!(
        lines.contains(&"::notice::translations: ar: 2 of 3 articles translated (1 missing, 0 outdated)")
    );
    // A build says nothing of translations.
    let build = site.build(&[]).ok();
    assert!(!build.stderr.contains("translation"), "{}", build.stderr);
}

#[test]
fn git_dates_tell_an_outdated_translation_in_either_layout() {
    for (original, translation) in
        [("content/guide.md", "content/de/guide.md"), ("content/guide.md", "content/guide.de.md")]
    {
        let site = Site::with_files(&[
            (
                "site.toml",
                "title = \"KB\"\ndefault_language = \"en\"\n[languages.en]\nlabel = \"English\"\n[languages.de]\nlabel = \"Deutsch\"\n",
            ),
            (translation, "# Anleitung\n\nText.\n"),
        ]);
        let root = site.root();
        git(root, &["init", "-q"], "2024-01-01T00:00:00Z");
        git(root, &["add", "."], "2024-01-01T00:00:00Z");
        git(root, &["commit", "-qm", "de"], "2024-01-01T10:00:00Z");
        site.write(original, "# Guide\n\nText.\n");
        git(root, &["add", "."], "2024-06-01T10:00:00Z");
        git(root, &["commit", "-qm", "en"], "2024-06-01T10:00:00Z");
        site.build(&["--no-cache"]).ok();
        let de = site.out("de/guide/index.html");
        assert!(de.contains("lang-outdated"), "{translation}: {de}");
        assert!(de.contains("<time datetime=\"2024-01-01T10:00:00Z\">"), "{translation}: its own date: {de}");
        // Translated again after the original: current.
        site.write(translation, "# Anleitung\n\nNeuer Text.\n");
        git(root, &["commit", "-qam", "de again"], "2024-07-01T10:00:00Z");
        site.build(&["--no-cache"]).ok();
        assert!(!site.out("de/guide/index.html").contains("lang-outdated"), "{translation}");
    }
}
