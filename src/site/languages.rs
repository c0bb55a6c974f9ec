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
}

impl SiteLanguages {
    /// Whether page `id` is the default language's text shown for want of a translation.
    pub fn is_fallback(&self, id: PageId) -> bool {
        self.fallback.get(id).copied().unwrap_or(false)
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
    // Translation key → each language's URL of it (translations only, not fallbacks).
    let mut by_key: HashMap<&str, Vec<Option<String>>> = HashMap::new();
    for (lang, site) in sites.iter().enumerate() {
        for p in &site.pages {
            let rel = &p.source.rel_path;
            if keys[lang].fallbacks.contains(rel) {
                continue;
            }
            if let Some(k) = keys[lang].keys.get(rel) {
                by_key.entry(k.as_str()).or_insert_with(|| vec![None; n])[lang] = Some(p.url.clone());
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
        let pages = site
            .pages
            .iter()
            .map(|p| {
                let rel = &p.source.rel_path;
                fallback.push(keys[lang].fallbacks.contains(rel));
                let mut versions = keys[lang]
                    .keys
                    .get(rel)
                    .and_then(|k| by_key.get(k.as_str()))
                    .cloned()
                    .unwrap_or_else(|| vec![None; n]);
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
        made.push(SiteLanguages { current: lang, all: all.clone(), pages, sections, fallback });
    }
    for (site, langs) in sites.iter_mut().zip(made) {
        site.languages = Some(langs);
    }
}
