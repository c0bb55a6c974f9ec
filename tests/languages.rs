//! Multilingual sites: the three content layouts (a folder per language with the default at
//! the root, a content folder per language, file suffixes), one site per language at
//! `/<code>/` with its own navigation, tags, feed and search index, translations linked by
//! path or `translation_key`, fallback pages, the theme's words and text direction.

mod common;
#[path = "common/server.rs"]
mod server;
use common::*;

/// The `href`s of the language switcher's entries, in order, with their language.
fn switcher(html: &str) -> Vec<(String, String)> {
    let list = html
        .split("<ul class=\"lang-list\">")
        .nth(1)
        .expect("a language switcher")
        .split("</ul>")
        .next()
        .unwrap();
    list.split("<a href=\"")
        .skip(1)
        .map(|s| {
            let href = s.split('"').next().unwrap().to_string();
            let lang = s.split("hreflang=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
            (lang, href)
        })
        .collect()
}

fn hreflangs(html: &str) -> Vec<String> {
    html.lines()
        .filter(|l| l.starts_with("<link rel=\"alternate\" hreflang="))
        .map(|l| l.to_string())
        .collect()
}

#[test]
fn a_folder_per_language_builds_one_site_per_language() {
    let site = Site::fixture("multilingual/folders");
    let run = site.build(&[]).ok();
    assert!(run.warnings().is_empty(), "{}", run.stderr);
    // The default language at the root, the others under their code, each with its own
    // home, search page and index, tags and feed; the theme's files once, at the root.
    for path in [
        "index.html",
        "fr/index.html",
        "ar/index.html",
        "ja/index.html",
        "fr/getting-started/install/index.html",
        "fr/search/index.html",
        "fr/search/meta.json",
        "ja/search/meta.json",
        "search/meta.json",
        "fr/tags/installation/index.html",
        "tags/setup/index.html",
        "fr/atom.xml",
    ] {
        assert!(site.exists(path), "{path}");
    }
    assert!(!site.exists("fr/assets") && !site.exists("fr/sitemap.xml") && !site.exists("fr/tags/setup"));
    assert!(!site.exists("tags/installation"), "tags belong to their language");
    let fr = site.out("fr/getting-started/install/index.html");
    assert!(fr.starts_with("<!doctype html>\n<html lang=\"fr\" dir=\"ltr\">"), "{fr}");
    assert!(fr.contains("<title>Installer l&#39;application de bureau · Centre d&#39;aide Acme</title>"));
    assert!(fr.contains(&format!("href=\"/{}\"", site.asset_path("assets/style.css"))), "shared stylesheet");
    assert!(fr.contains("<meta name=\"kiln-base\" content=\"/fr/\">"), "search looks under /fr/search/");
    // Its navigation is the French site's: French titles, and the untranslated page in the
    // default language under French navigation.
    let nav = fr.split("id=\"sidebar\"").nth(1).unwrap().split("</nav>").next().unwrap();
    assert!(
        nav.contains(">Premiers pas<") && nav.contains(">Se connecter avec l&#39;authentification unique<"),
        "{nav}"
    );
    assert!(nav.contains("href=\"/fr/getting-started/reset-password/\""), "{nav}");
    assert!(!nav.contains("Sign in with single sign-on"), "{nav}");
    // Relative links stay within the language.
    assert!(fr.contains("href=\"/fr/getting-started/sign-in/\">la connexion</a>"), "{fr}");
}

#[test]
fn translations_are_linked_by_path_with_a_switcher_hreflang_and_sitemap_alternates() {
    let site = Site::fixture("multilingual/folders");
    site.build(&[]).ok();
    let fr = site.out("fr/getting-started/install/index.html");
    assert_eq!(
        switcher(&fr),
        [
            ("en".to_string(), "/getting-started/install/".to_string()),
            ("ar".to_string(), "/ar/getting-started/install/".to_string()),
            ("fr".to_string(), "/fr/getting-started/install/".to_string()),
            ("ja".to_string(), "/ja/getting-started/install/".to_string()),
        ]
    );
    assert!(fr.contains("hreflang=\"fr\" lang=\"fr\" aria-current=\"true\""), "{fr}");
    assert!(fr.contains("hreflang=\"ar\" lang=\"ar\" dir=\"rtl\""), "{fr}");
    let links = hreflangs(&fr);
    assert_eq!(links.len(), 5, "{links:?}");
    assert!(links.contains(&"<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://help.example.com/getting-started/install/\">".to_string()));
    assert!(links.contains(&"<link rel=\"alternate\" hreflang=\"ja\" href=\"https://help.example.com/ja/getting-started/install/\">".to_string()));
    // A page with no Japanese translation: the switcher leads to the Japanese home.
    let reset = site.out("getting-started/reset-password/index.html");
    let ja = switcher(&reset).into_iter().find(|(l, _)| l == "ja").unwrap();
    assert_eq!(ja.1, "/ja/");
    assert!(reset.contains("href=\"/ja/\" hreflang=\"ja\" lang=\"ja\" class=\"lang-home\""), "{reset}");
    let sitemap = site.out("sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    assert!(sitemap.contains(
        "<url><loc>https://help.example.com/fr/getting-started/install/</loc><lastmod>2026-03-02</lastmod><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://help.example.com/getting-started/install/\"/>"
    ), "{sitemap}");
    // Fallback pages are not the language's own: not in the sitemap.
    assert!(!sitemap.contains("/fr/getting-started/reset-password/"), "{sitemap}");
    assert!(site.out("robots.txt").contains("Sitemap: https://help.example.com/sitemap.xml"));
}

#[test]
fn an_untranslated_page_is_shown_in_the_default_language_with_a_notice() {
    let site = Site::fixture("multilingual/folders");
    let run = site.build(&[]).ok();
    assert!(run.warnings().is_empty(), "links between fallback and translated pages resolve: {}", run.stderr);
    let page = site.out("fr/getting-started/reset-password/index.html");
    assert!(page.contains("class=\"kiln-notice lang-fallback\" role=\"note\">Cet article n’est pas encore traduit ; il est affiché en English.</p>"), "{page}");
    assert!(
        page.contains("<div class=\"article-body\" lang=\"en\" dir=\"ltr\">\n<p>Open <a href="),
        "{page}"
    );
    // Its links lead to the French versions of translated pages (the English text links
    // `sign-in.md`, which here is `fr/getting-started/sign-in.md`), and French pages' links
    // to it (`reset-password.md`, no French file) reach it.
    assert!(page.contains("href=\"/fr/getting-started/sign-in/\">the sign-in page</a>"), "{page}");
    let install = site.out("fr/getting-started/install/index.html");
    assert!(
        install.contains("href=\"/fr/getting-started/reset-password/\">Réinitialisez-le</a>"),
        "{install}"
    );
    // Not announced to search engines as a French page.
    assert!(hreflangs(&page).is_empty(), "{page}");
    // Translated pages carry no notice.
    assert!(!site.out("fr/getting-started/install/index.html").contains("lang-fallback"));
}

#[test]
fn theme_words_and_direction_follow_the_language() {
    let site = Site::fixture("multilingual/folders");
    site.build(&[]).ok();
    let fr = site.out("fr/getting-started/install/index.html");
    for words in [
        "Sur cette page",
        "Mis à jour le <time datetime=\"2026-03-02\">2 mars 2026</time>",
        "Aller au contenu",
        "placeholder=\"Rechercher\"",
        ">Accueil</a>",
    ] {
        assert!(fr.contains(words), "{words}: {fr}");
    }
    // The scripts get their words as JSON; English pages carry none.
    let strings =
        fr.split("<script type=\"application/json\" id=\"kiln-strings\">").nth(1).expect("the words' JSON");
    let strings: serde_json::Value =
        serde_json::from_str(strings.split("</script>").next().unwrap()).unwrap();
    assert_eq!(strings["close_navigation"], "Fermer la navigation");
    assert_eq!(strings["link_copied"], "Lien copié dans le presse-papiers");
    assert!(!site.out("getting-started/install/index.html").contains("kiln-strings"));
    let ar = site.out("ar/getting-started/install/index.html");
    assert!(ar.starts_with("<!doctype html>\n<html lang=\"ar\" dir=\"rtl\">"), "{ar}");
    assert!(ar.contains(">في هذه الصفحة<") && ar.contains("5 مارس 2026"), "{ar}");
    let ja = site.out("ja/getting-started/index.html");
    assert!(ja.contains("2 件の記事") || ja.contains("3 件の記事"), "{ja}");
    // Counted phrases follow the language's plural rules.
    let home = site.out("index.html");
    assert!(home.contains("3 articles"), "{home}");
}

#[test]
fn suffixes_and_translation_keys_link_translations_without_fallback() {
    let site = Site::fixture("multilingual/suffix");
    let run = site.build(&[]).ok();
    assert!(run.warnings().is_empty(), "{}", run.stderr);
    assert!(site.exists("fa/billing/invoices/index.html") && site.exists("de/billing/erstattung/index.html"));
    // `fallback = false`: no Persian refunds page, and the switcher goes to the Persian home.
    assert!(!site.exists("fa/billing/refunds/index.html") && !site.exists("billing/refunds-fa/index.html"));
    let refunds = site.out("billing/refunds/index.html");
    let langs = switcher(&refunds);
    assert!(langs.contains(&("de".to_string(), "/de/billing/erstattung/".to_string())), "{langs:?}");
    assert!(langs.contains(&("fa".to_string(), "/fa/".to_string())), "{langs:?}");
    // The suffix is the language, not part of the name; an index page in a language.
    let fa = site.out("fa/billing/index.html");
    assert!(fa.starts_with("<!doctype html>\n<html lang=\"fa\" dir=\"rtl\">"));
    assert!(fa.contains("<h1>صورتحساب</h1>"), "{fa}");
    let de = site.out("de/billing/invoices/index.html");
    assert!(de.contains("<title>Eine Rechnung herunterladen · Hilfe zur Abrechnung</title>"), "{de}");
    // German has no index page for the category: site.toml labels it in German.
    let category = site.out("de/billing/index.html");
    assert!(category.contains("<h1>Abrechnung</h1>"), "{category}");
    assert!(category.contains("Rechnungen, Erstattungen und Zahlungen"), "{category}");
    assert!(de.contains(">Abrechnung</a>"), "{de}");
}

#[test]
fn every_language_in_its_own_content_folder_with_the_default_under_its_code() {
    let site = Site::fixture("multilingual/dirs");
    let run = site.build(&[]).ok();
    assert!(run.warnings().is_empty(), "{}", run.stderr);
    assert!(site.exists("en/guide/first-steps/index.html") && site.exists("de/guide/first-steps/index.html"));
    assert!(!site.exists("guide"), "the default language is under /en/");
    // The root chooses a language; the 404 page is at the root too.
    let root = site.out("index.html");
    assert!(root.contains("<a href=\"/en/\" hreflang=\"en\" lang=\"en\">English</a>"), "{root}");
    assert!(root.contains("<a href=\"/de/\" hreflang=\"de\" lang=\"de\">Deutsch</a>"), "{root}");
    assert!(site.out("404.html").contains("<html lang=\"en\""));
    let de = site.out("de/index.html");
    assert!(de.contains("href=\"/de/guide/first-steps/\">Anleitung</a>"), "{de}");
    // Not translated into German: the English page under German navigation.
    assert!(site.out("de/guide/advanced/index.html").contains("lang-fallback"));
}

#[test]
fn language_settings_are_checked() {
    for (toml, needle) in [
        ("default_language = \"en\"\n[languages.en]\n[languages.FR]\n", "languages.FR"),
        ("default_language = \"de\"\n[languages.en]\n", "default_language = \"de\" has no [languages.de]"),
        ("[languages.en]\n", "needs default_language"),
        ("default_language = \"en\"\n[languages.en]\ndirection = \"up\"\n", "direction"),
        ("content_dir = \"docs/{lang}\"\n", "{lang}"),
        ("default_language = \"en\"\ncontent_dir = \"../{lang}\"\n[languages.en]\n", "content_dir"),
        ("language = \"fr\"\n[strings.fr]\non_this_pgae = \"x\"\n", "on_this_pgae"),
        ("[strings.de]\non_this_pgae = \"x\"\n", "on_this_pgae"),
    ] {
        let site = Site::with_files(&[("site.toml", toml), ("content/a.md", "# A\n")]);
        let run = site.build(&[]);
        assert_eq!(run.code, 2, "{toml}: {}", run.stderr);
        assert!(run.stderr.contains(needle), "{toml}: {}", run.stderr);
    }
}

#[test]
fn a_site_overrides_the_theme_words() {
    let site = Site::with_files(&[
        ("site.toml", "language = \"fr\"\n[strings.fr]\non_this_page = \"Dans cet article\"\n"),
        ("content/a/b.md", "---\ntitle: B\n---\n## Un\n\n## Deux\n"),
    ]);
    site.build(&[]).ok();
    let page = site.out("a/b/index.html");
    assert!(page.contains(">Dans cet article<") && page.contains(">Aller au contenu<"), "{page}");
    // One language, written left to right: no `dir`, as before.
    assert!(page.contains("<html lang=\"fr\">"), "{page}");
}

#[test]
fn the_preview_serves_every_language() {
    let site = Site::fixture("multilingual/folders");
    let server = server::Server::start(site.root());
    let (status, _, page) = server.get("/ja/getting-started/install/");
    assert_eq!(status, 200);
    assert!(page.contains("<html lang=\"ja\""), "{page}");
    site.write("content/ja/getting-started/install.md", "---\ntitle: 新しいタイトル\n---\n本文。\n");
    server.wait_log("content/ja/getting-started/install.md");
    assert!(server.get("/ja/getting-started/install/").2.contains("新しいタイトル"));
    assert_eq!(server.get("/fr/").0, 200);
}
