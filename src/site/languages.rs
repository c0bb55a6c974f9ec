//! A multilingual site is one [`Site`] per language, each at its own path (`/fr/`); this is
//! what links them: every language's home, and for every page and section the URL of each
//! language's version of it (by translation key for pages, by place for sections).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::{PageId, SectionId, Site};

/// One language as every page's switcher shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LangHome {
    /// BCP 47 code (`pt-br`).
    pub code: String,
    /// Its name in itself ("Português").
    pub label: String,
    /// Its home page.
    pub url: String,
    /// Written right to left.
    pub rtl: bool,
}

/// A site's place among the languages of a multilingual site.
#[derive(Debug, Clone, Default)]
pub struct SiteLanguages {
    /// This site's language: an index into `all`.
    pub current: usize,
    /// Every language, the default first.
    pub all: Arc<Vec<LangHome>>,
    /// Per page: each language's version of it (`None` where there is none).
    pub pages: Vec<Vec<Option<String>>>,
    /// Per section: each language's section at the same place.
    pub sections: Vec<Vec<Option<String>>>,
    /// Per page: shown in the default language because this language lacks it.
    pub fallback: Vec<bool>,
    /// Per page: the date its original (the default language's version) was updated, when
    /// that is later than this translation's own.
    pub outdated: Vec<Option<String>>,
}

impl SiteLanguages {
    /// Whether page `id` is the default language's text shown for want of a translation.
    pub fn is_fallback(&self, id: PageId) -> bool {
        self.fallback.get(id).copied().unwrap_or(false)
    }

    /// When page `id` is a translation older than its original: the original's date.
    pub fn outdated(&self, id: PageId) -> Option<&str> {
        self.outdated.get(id).and_then(|d| d.as_deref())
    }
}

/// What the content stage knew of one language's pages.
pub struct Keys<'a> {
    /// Translation key by page path.
    pub keys: &'a HashMap<String, String>,
    /// Paths of the pages shown for want of a translation.
    pub fallbacks: &'a HashSet<String>,
}

/// Link the languages' sites (`sites[0]` the default language's) to one another.
pub fn link(sites: &mut [Site], homes: Vec<LangHome>, keys: &[Keys]) {
    let n = sites.len();
    // Translation key → each language's URL of it (translations only, not fallbacks), and
    // the original's last-updated date.
    let mut by_key: HashMap<&str, Vec<Option<String>>> = HashMap::new();
    let mut original: HashMap<&str, &str> = HashMap::new();
    for (lang, site) in sites.iter().enumerate() {
        for p in &site.pages {
            let rel = &p.source.rel_path;
            if keys[lang].fallbacks.contains(rel) {
                continue;
            }
            if let Some(k) = keys[lang].keys.get(rel) {
                by_key.entry(k.as_str()).or_insert_with(|| vec![None; n])[lang] = Some(p.url.clone());
                if let (0, Some(date)) = (lang, &p.updated) {
                    original.insert(k.as_str(), date.as_str());
                }
            }
        }
    }
    let by_slugs: Vec<HashMap<&[String], SectionId>> = sites
        .iter()
        .map(|s| s.sections.iter().enumerate().map(|(id, sec)| (sec.slugs.as_slice(), id)).collect())
        .collect();
    let all = Arc::new(homes);
    let mut made = Vec::with_capacity(n);
    for (lang, site) in sites.iter().enumerate() {
        let mut fallback = Vec::with_capacity(site.pages.len());
        let mut outdated = Vec::with_capacity(site.pages.len());
        let pages = site
            .pages
            .iter()
            .map(|p| {
                let rel = &p.source.rel_path;
                let is_fallback = keys[lang].fallbacks.contains(rel);
                fallback.push(is_fallback);
                let key = keys[lang].keys.get(rel).map(String::as_str);
                let since = key.and_then(|k| original.get(k)).filter(|_| lang > 0 && !is_fallback);
                outdated.push(match (since, &p.updated) {
                    (Some(o), Some(own)) if crate::base::date::later(o, own) => Some(o.to_string()),
                    _ => None,
                });
                let mut versions = key.and_then(|k| by_key.get(k)).cloned().unwrap_or_else(|| vec![None; n]);
                versions[lang] = Some(p.url.clone());
                versions
            })
            .collect();
        let sections = site
            .sections
            .iter()
            .map(|s| {
                (0..n)
                    .map(|l| by_slugs[l].get(s.slugs.as_slice()).map(|&id| sites[l].sections[id].url.clone()))
                    .collect()
            })
            .collect();
        made.push(SiteLanguages { current: lang, all: all.clone(), pages, sections, fallback, outdated });
    }
    for ((lang, site), langs) in sites.iter_mut().enumerate().zip(made) {
        site.languages = Some(langs);
        by_translation_key(site, &keys[lang]);
    }
}

/// Index a language's pages by translation key (`key:` ones aside: they name no path), and
/// find the folder its translations sit in (the part of a translation's path before its
/// key: `de/`), so links written for another language's place resolve.
fn by_translation_key(site: &mut Site, keys: &Keys) {
    let mut by_key = HashMap::new();
    let mut prefix = None;
    for (id, p) in site.pages.iter().enumerate() {
        let rel = &p.source.rel_path;
        let Some(key) = keys.keys.get(rel).filter(|k| !k.starts_with("key:")) else { continue };
        by_key.entry(key.clone()).or_insert(id);
        if prefix.is_none() && rel != key && rel.ends_with(key.as_str()) {
            prefix = Some(rel[..rel.len() - key.len()].to_string());
        }
    }
    site.page_by_key = by_key;
    site.key_prefix = prefix.filter(|p| p.ends_with('/'));
}
