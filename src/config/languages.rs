//! The languages of a multilingual site: `default_language`, one `[languages.<code>]` table
//! per language, and where each language's articles live (the layout).
//!
//! Three layouts are read, as the tools sites come from write them:
//! - a folder per language but the default, whose articles sit at the root of the content
//!   folder (Starlight, VitePress: `content/fr/guide.md`);
//! - a folder for every language, the default included (`content/en/…`, `content/fr/…`),
//!   or a content folder per language (`content_dir = "docs/{lang}/docs"`, FastAPI);
//! - a suffix before the extension (`guide.fr.md`, Zola and Hugo).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, line_col};
use crate::error::{Error, Result};

/// What `content_dir` holds in place of a language's folder name, for a site whose
/// languages each have their own content folder.
pub const LANG_PLACEHOLDER: &str = "{lang}";

/// One `[languages.<code>]` table.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct LanguageConfig {
    /// Name in the language switcher, in the language itself ("Français").
    pub label: Option<String>,
    /// The site title in this language.
    pub title: Option<String>,
    /// The site description in this language.
    pub description: Option<String>,
    /// `ltr` (default) or `rtl`.
    pub direction: Option<String>,
    /// Order in the language switcher (lower first; the default language leads).
    pub weight: Option<i64>,
    /// The folder holding this language's articles when it is not the code itself
    /// (Starlight's `zh-CN` for `zh-cn`); folders are matched ignoring case anyway.
    pub folder: Option<String>,
    /// Category labels and descriptions in this language, by category slug (as the
    /// site-wide `[categories.<slug>]`).
    pub categories: BTreeMap<String, super::SectionConfig>,
    /// Folder labels and descriptions in this language (as `[folders."<category>/<folder>"]`).
    pub folders: BTreeMap<String, super::SectionConfig>,
}

/// Where each language's articles are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// A folder per language; the default language's folder too when it has one.
    Folders,
    /// `page.<code>.md` beside `page.md`.
    Suffix,
}

/// One language of the site, resolved from the settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Language {
    /// BCP 47 code, lower case (`pt-br`).
    pub code: String,
    /// Name in the switcher.
    pub label: String,
    /// Whether it is written right to left.
    pub rtl: bool,
    /// Folder name under the content folder (folder layouts).
    pub folder: String,
    /// The table it came from.
    pub config: LanguageConfig,
}

/// Whether `code` is a BCP 47 tag as sites write them: a 2–3 letter language, then
/// subtags of 2–8 letters or digits (`en`, `pt-br`, `zh-hant`, `es-419`). Lower case only,
/// since the code is a URL segment.
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let lang = parts.next().unwrap_or("");
    let ok_lang = (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_lowercase());
    ok_lang
        && parts.all(|p| {
            (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Right-to-left scripts' languages, for a language whose table does not say.
const RTL: &[&str] = &["ar", "arc", "dv", "fa", "ha", "he", "khw", "ks", "ku", "ps", "sd", "ur", "yi"];

/// Whether text in `code` runs right to left when its settings do not say.
pub fn is_rtl(code: &str) -> bool {
    RTL.contains(&code.split('-').next().unwrap_or(code))
}

/// An error in `site.toml` at the first place `needle` is written.
pub(super) fn config_error(text: &str, needle: &str, message: String) -> Error {
    let mut d = Diagnostic::error(super::CONFIG_FILE, message);
    if let Some(at) = text.find(needle) {
        let (line, col) = line_col(text, at);
        d = d.at(line, Some(col));
    }
    Error::Config(d)
}

/// Check the language settings of a parsed `site.toml` (`text`, for the error's place).
pub fn validate(
    text: &str,
    default: Option<&str>,
    languages: &BTreeMap<String, LanguageConfig>,
    content_dir: &Path,
) -> Result<()> {
    for (code, lang) in languages {
        if !is_language_code(code) {
            return Err(config_error(
                text,
                &format!("languages.{code}"),
                format!(
                    "[languages.{code}]: {code:?} is not a language code such as \"fr\", \"pt-br\" or \"zh-hant\" (lower case)"
                ),
            ));
        }
        if let Some(dir) = &lang.direction
            && dir != "ltr"
            && dir != "rtl"
        {
            return Err(config_error(
                text,
                "direction",
                format!("[languages.{code}] direction = {dir:?} must be \"ltr\" or \"rtl\""),
            ));
        }
        if let Some(f) = &lang.folder
            && (f.is_empty() || f.contains(['/', '\\']) || f == "." || f == "..")
        {
            return Err(config_error(
                text,
                "folder",
                format!("[languages.{code}] folder = {f:?} must be one folder name"),
            ));
        }
    }
    let has_placeholder = content_dir.to_string_lossy().contains(LANG_PLACEHOLDER);
    match default {
        Some(d) if !languages.is_empty() && !languages.contains_key(d) => Err(config_error(
            text,
            "default_language",
            format!("default_language = {d:?} has no [languages.{d}] table"),
        )),
        Some(d) if !is_language_code(d) => Err(config_error(
            text,
            "default_language",
            format!("default_language = {d:?} is not a language code such as \"en\""),
        )),
        None if !languages.is_empty() => Err(config_error(
            text,
            "[languages",
            "[languages.…] needs default_language = \"<code>\": the language of the articles that are not translations".into(),
        )),
        _ if has_placeholder && languages.is_empty() => Err(config_error(
            text,
            "content_dir",
            format!("content_dir holds {LANG_PLACEHOLDER} but no [languages.…] are set"),
        )),
        _ => Ok(()),
    }
}

/// The site's languages, the default first, then by weight and code.
pub fn resolve(default: &str, languages: &BTreeMap<String, LanguageConfig>) -> Vec<Language> {
    let mut out: Vec<Language> = languages
        .iter()
        .map(|(code, c)| Language {
            code: code.clone(),
            label: c.label.clone().unwrap_or_else(|| code.clone()),
            rtl: c.direction.as_deref().map_or_else(|| is_rtl(code), |d| d == "rtl"),
            folder: c.folder.clone().unwrap_or_else(|| code.clone()),
            config: c.clone(),
        })
        .collect();
    out.sort_by(|a, b| {
        (a.code != default, a.config.weight.unwrap_or(0), &a.code).cmp(&(
            b.code != default,
            b.config.weight.unwrap_or(0),
            &b.code,
        ))
    });
    out
}

impl super::SiteConfig {
    /// The settings one language's site is built with: its title, description and code,
    /// served at `/<code>/` under the site's base (`prefixed`) or at the base itself (the
    /// default language). Category and folder labels written in site.toml are the default
    /// language's: other languages keep their order and weights and take their names from
    /// their own index pages.
    pub fn for_language(&self, lang: &Language, prefixed: bool) -> super::SiteConfig {
        let mut c = self.clone();
        c.language = lang.code.clone();
        if let Some(t) = &lang.config.title {
            c.title = t.clone();
        }
        if let Some(d) = &lang.config.description {
            c.description = d.clone();
        }
        if prefixed {
            c.base_url = format!("{}{}/", self.base_url, lang.code);
            c.root_url = Some(self.base_url.clone());
        }
        if Some(&lang.code) != self.default_language.as_ref() {
            for s in c.categories.values_mut().chain(c.folders.values_mut()) {
                s.label = None;
                s.description = None;
            }
            for p in c.pages.values_mut() {
                p.label = None;
            }
        }
        let own = [(&mut c.categories, &lang.config.categories), (&mut c.folders, &lang.config.folders)];
        for (all, mine) in own {
            for (key, s) in mine {
                let entry = all.entry(key.clone()).or_default();
                entry.label = s.label.clone().or(entry.label.take());
                entry.description = s.description.clone().or(entry.description.take());
                entry.weight = s.weight.or(entry.weight);
            }
        }
        c
    }

    /// The content folder of one language under `root`: `content_dir` with its `{lang}`
    /// replaced by the language's folder, or `content_dir` itself when it has none.
    pub fn content_path_for(&self, root: &Path, lang: &Language) -> Result<std::path::PathBuf> {
        let dir = self.content_dir.to_string_lossy();
        if dir.contains(LANG_PLACEHOLDER) {
            super::folder_inside(root, Path::new(&dir.replace(LANG_PLACEHOLDER, &lang.folder)))
        } else {
            self.content_path(root)
        }
    }

    /// Whether each language has a content folder of its own (`content_dir` holds `{lang}`).
    pub fn per_language_content(&self) -> bool {
        self.content_dir.to_string_lossy().contains(LANG_PLACEHOLDER)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes() {
        for ok in ["en", "pt-br", "zh-hant", "es-419", "fil"] {
            assert!(is_language_code(ok), "{ok}");
        }
        for bad in ["", "e", "EN", "pt_BR", "zh-", "../x", "en/fr", "english", "x-verylongsubtag"] {
            assert!(!is_language_code(bad), "{bad}");
        }
    }

    #[test]
    fn default_first_then_weight() {
        let mut m = BTreeMap::new();
        m.insert("ar".to_string(), LanguageConfig::default());
        m.insert("de".to_string(), LanguageConfig { weight: Some(-1), ..Default::default() });
        m.insert("fr".to_string(), LanguageConfig::default());
        let codes: Vec<_> = resolve("fr", &m).into_iter().map(|l| (l.code, l.rtl)).collect();
        assert_eq!(codes, [("fr".into(), false), ("de".into(), false), ("ar".into(), true)]);
    }
}
