//! A multilingual site's content split by language: each page goes to its language's share,
//! placed as that language's site sees it (its language folder or suffix taken out of its
//! category, folders and name), with its translation key — the path it has relative to its
//! language's root, or its front matter's `translation_key` — which links it to its
//! translations.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::{Content, Source, page};
use crate::config::{Language, Layout};

/// The front matter key that links translations whose paths differ.
pub const TRANSLATION_KEY: &str = "translation_key";

/// One language's part of the content.
#[derive(Debug, Default)]
pub struct Share {
    /// Its pages (and, with fallback, the default language's pages it lacks), assets, git
    /// dates and folder metadata.
    pub content: Content,
    /// Each page's translation key, by its path under the content folder.
    pub keys: HashMap<String, String>,
    /// The pages shown in the default language because this one lacks them (their paths).
    pub fallbacks: HashSet<String>,
}

/// How one page's language shows in its path.
struct Place {
    lang: usize,
    lead_dirs: usize,
    suffix: Option<String>,
}

/// The language of the page at `rel` and what of its path says so.
fn place_of(rel: &str, langs: &[Language], layout: Layout) -> Place {
    let default = Place { lang: 0, lead_dirs: 0, suffix: None };
    match layout {
        Layout::Folders => {
            let first = rel.split_once('/').map(|(f, _)| f);
            let lang = first.and_then(|f| langs.iter().position(|l| l.folder.eq_ignore_ascii_case(f)));
            lang.map_or(default, |lang| Place { lang, lead_dirs: 1, suffix: None })
        }
        Layout::Suffix => {
            let name = rel.rsplit('/').next().unwrap_or(rel);
            let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
            let suffix = stem.rsplit_once('.').map(|(_, s)| s);
            let lang = suffix.and_then(|s| langs.iter().skip(1).position(|l| l.code.eq_ignore_ascii_case(s)));
            match (lang, suffix) {
                (Some(i), Some(s)) => Place { lang: i + 1, lead_dirs: 0, suffix: Some(s.to_string()) },
                _ => default,
            }
        }
    }
}

/// A page's translation key: its `translation_key`, else its path under its language's
/// root without the language suffix.
fn key_of(source: &Source, place: &Place) -> String {
    if let Some(k) = source.page.extra.get(TRANSLATION_KEY).and_then(|v| v.as_str()) {
        return format!("key:{}", k.trim());
    }
    let rel = &source.page.rel_path;
    let rel = rel.splitn(place.lead_dirs + 1, '/').last().unwrap_or(rel);
    match &place.suffix {
        Some(s) => {
            let (stem, ext) = rel.rsplit_once('.').unwrap_or((rel, ""));
            let stem = stem.strip_suffix(s.as_str()).and_then(|b| b.strip_suffix('.')).unwrap_or(stem);
            format!("{stem}.{ext}")
        }
        None => rel.to_string(),
    }
}

/// Split `content` (one content folder holding every language) into one share per
/// language of `langs` (the default first).
pub fn split(content: Content, langs: &[Language], layout: Layout) -> Vec<Share> {
    let mut shares: Vec<Share> = langs.iter().map(|_| Share::default()).collect();
    for mut source in content.pages {
        let place = place_of(&source.page.rel_path, langs, layout);
        if place.lead_dirs > 0 || place.suffix.is_some() {
            page::relocate(&mut source.page, place.lead_dirs, place.suffix.as_deref());
        }
        let share = &mut shares[place.lang];
        share.keys.insert(source.page.rel_path.clone(), key_of(&source, &place));
        share.content.pages.push(source);
    }
    let mut folders: Vec<BTreeMap<_, _>> = langs.iter().map(|_| BTreeMap::new()).collect();
    for (key, meta) in content.folders {
        let place = place_of(&format!("{key}/_"), langs, Layout::Folders);
        let key =
            if place.lead_dirs > 0 { key.split_once('/').map_or("", |(_, k)| k).to_string() } else { key };
        folders[place.lang].insert(key, meta);
    }
    for (share, folders) in shares.iter_mut().zip(folders) {
        share.content.assets = content.assets.clone();
        share.content.views = content.views.clone();
        share.content.internal = content.internal.clone();
        share.content.git_dates = content.git_dates.clone();
        share.content.folders = folders;
    }
    shares
}

/// One share per language of a site whose languages each have a content folder: their
/// keys are their paths there.
pub fn own(content: Content) -> Share {
    let keys = content
        .pages
        .iter()
        .map(|s| (s.page.rel_path.clone(), key_of(s, &Place { lang: 0, lead_dirs: 0, suffix: None })))
        .collect();
    Share { content, keys, fallbacks: HashSet::new() }
}

/// Give every language the default language's articles it has no translation of (shown
/// with a notice), when the site asks for fallback.
pub fn fill_fallbacks(shares: &mut [Share]) {
    let Some((default, others)) = shares.split_first_mut() else { return };
    for share in others {
        let have: HashSet<&String> = share.keys.values().collect();
        // A page and a folder of the same name make the same URL: a missing page is not
        // filled in where the translation has a folder of its name, nor inside a folder
        // the translation made a page of (Starlight sites do both).
        let stem = |k: &str| k.rsplit_once('.').map_or(k, |(s, _)| s).to_string();
        let pages: HashSet<String> = share.keys.values().map(|k| stem(k)).collect();
        let folders: HashSet<String> =
            share.keys.values().flat_map(|k| ancestors(k).map(str::to_string).collect::<Vec<_>>()).collect();
        let clashes = |k: &str| folders.contains(&stem(k)) || ancestors(k).any(|a| pages.contains(a));
        let missing: Vec<Source> = default
            .content
            .pages
            .iter()
            .filter(|s| !s.page.is_index)
            .filter(|s| {
                let key = &default.keys[&s.page.rel_path];
                !have.contains(key) && !clashes(key)
            })
            .cloned()
            .collect();
        let taken: HashSet<String> = share.content.pages.iter().map(|s| s.page.rel_path.clone()).collect();
        for mut source in missing {
            let rel = source.page.rel_path.clone();
            // The old URLs are the original's: it answers them once, for every language.
            source.page.meta.aliases.clear();
            // Two pages cannot share a path in one site (a per-language content folder
            // with a translation whose `translation_key` differs): the translation stays.
            if taken.contains(&rel) {
                continue;
            }
            share.keys.insert(rel.clone(), default.keys[&rel].clone());
            share.fallbacks.insert(rel);
            share.content.pages.push(source);
        }
    }
}

/// The folders above a `/`-separated path, innermost first (`a/b/c.md` → `a/b`, `a`).
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    let mut rest = path;
    std::iter::from_fn(move || {
        let (dir, _) = rest.rsplit_once('/')?;
        rest = dir;
        Some(dir)
    })
}
