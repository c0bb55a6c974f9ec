//! The languages of an export: which locale the articles are written in, which others they
//! are translated into, each article's translations and each category's and folder's
//! (section's) label in those locales.
//!
//! Zendesk: `locales.json` (`default_locale`, `locales`), `translations-<locale>.json` (the
//! article list in that locale, or translation objects with `source_id`),
//! `categories-<locale>.json` and `sections-<locale>.json`. Freshdesk: `settings.json` (the
//! helpdesk settings: `primary_language`, `supported_languages`), `translations-<lang>.json`
//! (a list of the articles as `/solutions/articles/<id>/<lang>` answers them),
//! `categories-<lang>.json` and `folders-<lang>.json`. Without the locale list, the
//! `translations-*.json` files present name the locales.

use std::collections::HashMap;

use serde_json::Value;

use super::export::{Export, is_locale, items};
use super::model::{Kb, Section, SectionTranslation, Translation, Vendor};
use super::vendors::{date, int, old_paths, strings, text};
use crate::error::Result;

/// Read the export's languages into `kb` (articles and sections read already).
pub fn read(vendor: Vendor, export: &Export, kb: &mut Kb) -> Result<()> {
    let (default, listed) = match vendor {
        Vendor::Zendesk => {
            let locales = export.json("locales.json")?;
            let default = locales.as_ref().and_then(|l| text(l, "default_locale"));
            (default, locales.map(|l| strings(&l, "locales")))
        }
        Vendor::Freshdesk => {
            let settings = export.json("settings.json")?;
            let primary = settings.as_ref().and_then(|s| text(s, "primary_language"));
            (primary, settings.map(|s| strings(&s, "supported_languages")))
        }
    };
    let default = default.or_else(|| kb.source_locale.clone());
    let mut others = listed.unwrap_or_else(|| export.translation_locales());
    others.retain(|l| Some(l) != default.as_ref() && is_locale(l));
    others.dedup();
    let at: HashMap<u64, usize> = kb.articles.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
    for locale in &others {
        for (id, t) in article_translations(vendor, export, locale)? {
            if let Some(&i) = at.get(&id) {
                kb.articles[i].translations.push(t);
            }
        }
    }
    kb.locales = others
        .into_iter()
        .filter(|l| kb.articles.iter().any(|a| a.translations.iter().any(|t| &t.locale == l)))
        .collect();
    for locale in &kb.locales {
        section_names(vendor, export, locale, &mut kb.sections)?;
    }
    kb.default_locale = default.filter(|d| is_locale(d));
    if vendor == Vendor::Freshdesk
        && let Some(primary) = kb.default_locale.clone().filter(|_| !kb.locales.is_empty())
    {
        add_primary_paths(&primary, kb);
    }
    Ok(())
}

/// The translations in `translations-<locale>.json`, by article id.
fn article_translations(vendor: Vendor, export: &Export, locale: &str) -> Result<Vec<(u64, Translation)>> {
    let Some(pages) = export.pages(&format!("translations-{locale}"))? else { return Ok(Vec::new()) };
    let mut found = Vec::new();
    for (key, id_key) in [("articles", "id"), ("translations", "source_id")] {
        for t in items(&pages, key) {
            let Some(id) = int(t, id_key) else { continue };
            if text(t, "source_type").is_some_and(|s| !s.eq_ignore_ascii_case("article")) {
                continue;
            }
            let translation = match vendor {
                Vendor::Zendesk => zendesk_translation(t, locale, id),
                Vendor::Freshdesk => freshdesk_translation(t, locale, id),
            };
            found.push((id, translation));
        }
    }
    Ok(found)
}

fn zendesk_translation(t: &Value, locale: &str, id: u64) -> Translation {
    let mut paths: Vec<String> =
        old_paths(t, "articles", id).into_iter().filter(|p| p.contains(&format!("/{locale}/"))).collect();
    if paths.is_empty() {
        paths.push(format!("/hc/{locale}/articles/{id}"));
    }
    Translation {
        locale: locale.to_string(),
        title: text(t, "title").unwrap_or_default(),
        body: text(t, "body").unwrap_or_default(),
        draft: t.get("draft").and_then(Value::as_bool).unwrap_or(false),
        created: date(t, "created_at"),
        updated: date(t, "edited_at").or(date(t, "updated_at")),
        old_paths: paths,
    }
}

fn freshdesk_translation(t: &Value, locale: &str, id: u64) -> Translation {
    let title = text(t, "title").unwrap_or_default();
    let slug = crate::base::slug::slugify(&title);
    Translation {
        locale: locale.to_string(),
        body: text(t, "description").unwrap_or_default(),
        draft: int(t, "status") == Some(1),
        created: date(t, "created_at"),
        updated: date(t, "updated_at"),
        old_paths: vec![
            format!("/{locale}/support/solutions/articles/{id}-{slug}"),
            format!("/{locale}/support/solutions/articles/{id}"),
        ],
        title,
    }
}

/// The labels of the categories and folders (sections) in `locale`, where saved.
fn section_names(vendor: Vendor, export: &Export, locale: &str, sections: &mut [Section]) -> Result<()> {
    let lists: [(&str, &str); 2] = match vendor {
        Vendor::Zendesk => [("categories", "c"), ("sections", "s")],
        Vendor::Freshdesk => [("categories", "c"), ("folders", "f")],
    };
    let at: HashMap<String, usize> = sections.iter().enumerate().map(|(i, s)| (s.key.clone(), i)).collect();
    for (list, prefix) in lists {
        let Some(pages) = export.pages(&format!("{list}-{locale}"))? else { continue };
        for item in items(&pages, list) {
            let Some(id) = int(item, "id") else { continue };
            let Some(name) = text(item, "name").filter(|n| !n.trim().is_empty()) else { continue };
            let Some(&i) = at.get(&format!("{prefix}{id}")) else { continue };
            let s = &mut sections[i];
            let description = text(item, "description").filter(|d| !d.trim().is_empty());
            if (name == s.name && description == s.description)
                || s.translations.iter().any(|t| t.locale == locale)
            {
                continue;
            }
            let old = match vendor {
                Vendor::Zendesk => old_paths(item, list, id)
                    .into_iter()
                    .filter(|p| p.contains(&format!("/{locale}/")))
                    .collect(),
                Vendor::Freshdesk => s.old_paths.iter().map(|p| format!("/{locale}{p}")).collect(),
            };
            s.translations.push(SectionTranslation {
                locale: locale.to_string(),
                name,
                description,
                old_paths: old,
            });
        }
    }
    Ok(())
}

/// A multilingual Freshdesk portal puts the primary language in its URLs too
/// (`/en/support/solutions/articles/…`): those are old paths of the articles and folders.
fn add_primary_paths(primary: &str, kb: &mut Kb) {
    let prefixed =
        |paths: &[String]| -> Vec<String> { paths.iter().map(|p| format!("/{primary}{p}")).collect() };
    for a in &mut kb.articles {
        let more = prefixed(&a.old_paths);
        a.old_paths.extend(more);
    }
    for s in &mut kb.sections {
        let more = prefixed(&s.old_paths);
        s.old_paths.extend(more);
    }
}

/// An article of Freshdesk's with its language in `hierarchy` (`[{"data": {"language":
/// "en"}}, …]`): the language of the articles when the settings are not saved.
pub fn freshdesk_language(article: &Value) -> Option<String> {
    let first = article.get("hierarchy")?.as_array()?.first()?;
    text(first.get("data")?, "language")
}

#[cfg(test)]
mod tests {
    #[test]
    fn freshdesk_language_from_the_hierarchy() {
        let a = serde_json::json!({"hierarchy": [{"level": 0, "data": {"id": 3, "language": "en"}}]});
        assert_eq!(super::freshdesk_language(&a).as_deref(), Some("en"));
        assert_eq!(super::freshdesk_language(&serde_json::json!({})), None);
    }
}
