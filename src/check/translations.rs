//! A multilingual site's translation status: for each language, the default language's
//! articles it has no translation of, and its translations whose original was updated
//! after them. Reported as notes (not warnings: a site may well publish some pages in one
//! language only, and `--strict` must not fail it for that), plus a count per language.

use std::collections::HashMap;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::site::Site;

/// One language's translation status.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TranslationStatus {
    /// BCP 47 code.
    pub language: String,
    /// Articles in the default language.
    pub articles: usize,
    /// Of those, how many this language has a translation of.
    pub translated: usize,
    /// Translations older than their original.
    pub outdated: usize,
}

impl TranslationStatus {
    /// Articles without a translation.
    pub fn missing(&self) -> usize {
        self.articles - self.translated
    }
}

/// Note every missing and outdated translation in `sites` (one per language, the default
/// first, linked) and count them per language. A site in one language has no status.
pub fn translations(sites: &[&Site], diags: &Diagnostics) -> Vec<TranslationStatus> {
    let Some((default, others)) = sites.split_first() else { return Vec::new() };
    let Some(links) = default.languages.as_ref() else { return Vec::new() };
    let articles: Vec<usize> =
        (0..default.pages.len()).filter(|&id| !default.pages[id].source.is_index).collect();
    let by_url: HashMap<&str, usize> =
        default.pages.iter().enumerate().map(|(id, p)| (p.url.as_str(), id)).collect();
    let mut out = Vec::with_capacity(others.len());
    for site in others {
        let Some(langs) = site.languages.as_ref() else { continue };
        let (lang, code) = (langs.current, langs.all[langs.current].code.as_str());
        let mut status = TranslationStatus {
            language: code.to_string(),
            articles: articles.len(),
            translated: 0,
            outdated: 0,
        };
        for &id in &articles {
            if links.pages[id].get(lang).is_some_and(Option::is_some) {
                status.translated += 1;
                continue;
            }
            let p = &default.pages[id];
            diags.push(
                Diagnostic::note(&p.source.file, format!("no translation into {code}"))
                    .at(1, Some(1))
                    .code(Code::MissingTranslation),
            );
        }
        for (id, p) in site.pages.iter().enumerate() {
            let Some(since) = langs.outdated(id) else { continue };
            status.outdated += 1;
            let original = langs.pages[id].first().and_then(|u| u.as_deref()).and_then(|u| by_url.get(u));
            let original =
                original.map_or(String::new(), |&o| format!(" {}", default.pages[o].source.file.display()));
            let own = p.updated.as_deref().unwrap_or("");
            let line = p.source.positions.key("updated").map_or(1, |(line, _)| line);
            diags.push(
                Diagnostic::note(
                    &p.source.file,
                    format!("outdated {code} translation: its original{original} was updated {since}, the translation {own}"),
                )
                .at(line, Some(1))
                .code(Code::OutdatedTranslation),
            );
        }
        out.push(status);
    }
    out
}
