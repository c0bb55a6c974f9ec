//! The theme's words in a page's language: the default theme's table
//! (`themes/default/strings.toml`, 19 languages), a language's missing words taken from its
//! base language (`pt-br` → `pt`) and then English, and the site's own `[strings.<code>]`
//! on top. Templates read them as `t.<key>`; the scripts get theirs as JSON in the page.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};

const DEFAULT: &str = include_str!("../../themes/default/strings.toml");

/// The words the scripts (`kiln.js`, `search.js`) use.
const JS_KEYS: &[&str] = &[
    "open_navigation",
    "close_navigation",
    "copy",
    "copy_code",
    "copied",
    "copied_clipboard",
    "see_all_results",
    "open_search_page",
    "no_results_for",
    "results",
    "results_for",
    "show_more_results",
    "link_copied",
    "open_image",
    "close",
];

/// A page language's words.
#[derive(Debug, Clone)]
pub struct Strings {
    /// Every key, as templates read it (`t.on_this_page`).
    pub map: Map<String, Value>,
    /// The scripts' words as JSON safe inside `<script>`, when they are not the English
    /// defaults the scripts carry.
    pub js: Option<String>,
}

fn table() -> &'static BTreeMap<String, Map<String, Value>> {
    static TABLE: OnceLock<BTreeMap<String, Map<String, Value>>> = OnceLock::new();
    // The table ships in the binary and a test reads it: it cannot fail to parse.
    TABLE.get_or_init(|| toml::from_str(DEFAULT).unwrap_or_default())
}

/// The table's languages a code falls back through, most specific first.
fn chain(code: &str) -> Vec<String> {
    let mut out = vec![code.to_string()];
    let alias = match code {
        "zh" | "zh-hans" | "zh-sg" => Some("zh-cn"),
        "zh-tw" | "zh-hk" | "zh-mo" => Some("zh-hant"),
        "iw" => Some("he"),
        _ => None,
    };
    out.extend(alias.map(str::to_string));
    if let Some((base, _)) = code.split_once('-') {
        out.push(base.to_string());
    }
    out.push("en".to_string());
    out
}

/// The words of language `code`, with the site's `overrides` (`[strings.<code>]`).
pub fn for_language(code: &str, overrides: &BTreeMap<String, toml::Table>) -> Result<Strings> {
    let table = table();
    let english = table.get("en").cloned().unwrap_or_default();
    let mut map = english.clone();
    for lang in chain(code).iter().rev() {
        if let Some(words) = table.get(lang) {
            map.extend(words.clone());
        }
    }
    if let Some(own) = overrides.get(code) {
        for (key, value) in own {
            if !english.contains_key(key) {
                let known: Vec<&str> = english.keys().map(String::as_str).collect();
                return Err(Error::Config(Diagnostic::error(
                    crate::config::CONFIG_FILE,
                    format!("[strings.{code}] has no key `{key}`; the keys are: {}", known.join(", ")),
                )));
            }
            let value = serde_json::to_value(value)
                .map_err(|e| Error::Config(Diagnostic::error(crate::config::CONFIG_FILE, e.to_string())))?;
            map.insert(key.clone(), value);
        }
    }
    let js: Map<String, Value> =
        JS_KEYS.iter().filter_map(|&k| Some((k.to_string(), map.get(k)?.clone()))).collect();
    let same = JS_KEYS.iter().all(|&k| js.get(k) == english.get(k));
    // `<` is the one character that could end the script element early.
    let js = (!same).then(|| serde_json::to_string(&js).unwrap_or_default().replace('<', "\\u003c"));
    Ok(Strings { map, js })
}

/// Check every `[strings.<code>]` table of the site against the theme's keys.
pub fn check(overrides: &BTreeMap<String, toml::Table>) -> Result<()> {
    overrides.keys().try_for_each(|code| for_language(code, overrides).map(|_| ()))
}

/// The CLDR plural category of `n` in language `code`, for the languages the table has.
pub fn plural_category(code: &str, n: u64) -> &'static str {
    let base = code.split('-').next().unwrap_or(code);
    let (m10, m100) = (n % 10, n % 100);
    match base {
        "ja" | "ko" | "zh" => "other",
        "fr" | "pt" | "hi" | "fa" if n <= 1 => "one",
        "fr" | "pt" | "hi" | "fa" => "other",
        "ru" | "uk" if m10 == 1 && m100 != 11 => "one",
        "ru" | "uk" if (2..=4).contains(&m10) && !(12..=14).contains(&m100) => "few",
        "ru" | "uk" => "many",
        "pl" if n == 1 => "one",
        "pl" if (2..=4).contains(&m10) && !(12..=14).contains(&m100) => "few",
        "pl" => "many",
        "ar" => match n {
            0 => "zero",
            1 => "one",
            2 => "two",
            _ if (3..=10).contains(&m100) => "few",
            _ if (11..=99).contains(&m100) => "many",
            _ => "other",
        },
        "he" => match n {
            1 => "one",
            2 => "two",
            _ => "other",
        },
        _ if n == 1 => "one",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_key_and_every_form_it_needs() {
        let table = table();
        assert!(table.len() >= 19, "{} languages", table.len());
        let english = &table["en"];
        for (lang, words) in table {
            for key in words.keys() {
                assert!(english.contains_key(key), "[{lang}] {key} is not an English key");
            }
            for key in english.keys() {
                assert!(words.contains_key(key), "[{lang}] lacks {key}");
            }
            for (key, value) in words {
                if let Value::Object(forms) = value {
                    for n in 0..200 {
                        let cat = plural_category(lang, n);
                        assert!(forms.contains_key(cat), "[{lang}] {key} lacks the `{cat}` form ({n})");
                    }
                }
            }
        }
    }

    #[test]
    fn fallback_and_overrides() {
        let mut o = BTreeMap::new();
        let mut fr = toml::Table::new();
        fr.insert("on_this_page".into(), "Dans cet article".into());
        o.insert("fr".to_string(), fr);
        let s = for_language("fr", &o).unwrap();
        assert_eq!(s.map["on_this_page"], "Dans cet article");
        assert_eq!(s.map["search"], "Rechercher");
        assert_eq!(for_language("pt-br", &o).unwrap().map["search"], "Pesquisar");
        assert_eq!(for_language("zh", &o).unwrap().map["search"], "搜索");
        assert_eq!(for_language("sw", &o).unwrap().map["search"], "Search");
        assert!(for_language("en", &o).unwrap().js.is_none(), "English pages carry no strings");
        assert!(for_language("ja", &o).unwrap().js.is_some());
        let mut bad = toml::Table::new();
        bad.insert("on_this_pgae".into(), "x".into());
        o.insert("de".to_string(), bad);
        assert!(for_language("de", &o).is_err());
    }

    #[test]
    fn plural_rules() {
        let cats = |l: &str| [0, 1, 2, 3, 5, 11, 21, 22, 25, 101, 111].map(|n| plural_category(l, n));
        assert_eq!(
            cats("en"),
            ["other", "one", "other", "other", "other", "other", "other", "other", "other", "other", "other"]
        );
        assert_eq!(
            cats("ru"),
            ["many", "one", "few", "few", "many", "many", "one", "few", "many", "one", "many"]
        );
        assert_eq!(cats("pl")[1..4], ["one", "few", "few"]);
        assert_eq!(cats("pl")[6], "many");
        assert_eq!(
            cats("ar"),
            ["zero", "one", "two", "few", "few", "many", "many", "many", "many", "other", "many"]
        );
        assert_eq!(cats("fr")[..3], ["one", "one", "other"]);
        assert_eq!(cats("ja")[1], "other");
    }
}
