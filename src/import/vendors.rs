//! The two vendors' export JSON read into a [`Kb`]: Freshdesk's `categories.json`,
//! `folders.json` and `articles.json` (arrays, as its API answers), Zendesk's
//! `categories.json`, `sections.json`, `articles.json` (`{"articles": […], "next_page": …}`
//! with further pages as `articles-2.json` …), `translations-<locale>.json`, optionally
//! `categories-<locale>.json` and `sections-<locale>.json` (the lists in that locale), and
//! `locales.json`. Fields documented by the vendors are read leniently: a missing or odd
//! value is left out, never the end of the import.

use serde_json::{Map, Value};

use super::export::{Export, items};
use super::model::{
    Article, Attachment, Kb, Section, SectionTranslation, Translation, Vendor, safe_file_name,
};
use crate::error::Result;

/// Read an export of `vendor`.
pub fn read(vendor: Vendor, export: &Export) -> Result<Kb> {
    match vendor {
        Vendor::Freshdesk => freshdesk(export),
        Vendor::Zendesk => zendesk(export),
    }
}

fn freshdesk(export: &Export) -> Result<Kb> {
    let mut kb = Kb::default();
    for c in items(&export.required("categories")?, "categories") {
        let Some(id) = int(c, "id") else { continue };
        kb.sections.push(section(c, format!("c{id}"), None, vec![format!("/support/solutions/{id}")]));
    }
    for f in items(&export.required("folders")?, "folders") {
        let Some(id) = int(f, "id") else { continue };
        let parent = int(f, "parent_folder_id")
            .map(|p| format!("f{p}"))
            .or(int(f, "category_id").map(|c| format!("c{c}")));
        let mut s = section(f, format!("f{id}"), parent, vec![format!("/support/solutions/folders/{id}")]);
        // 1: all users; 2 logged-in users, 3 agents, 4 companies, 5+ segments: not public.
        s.internal = int(f, "visibility").is_some_and(|v| v != 1);
        kb.sections.push(s);
    }
    for a in items(&export.required("articles")?, "articles") {
        let (Some(id), Some(folder)) = (int(a, "id"), int(a, "folder_id")) else { continue };
        let title = text(a, "title").unwrap_or_default();
        let slug = crate::base::slug::slugify(&title);
        let attachments = a.get("attachments").and_then(Value::as_array).into_iter().flatten();
        kb.articles.push(Article {
            id,
            section: format!("f{folder}"),
            body: text(a, "description").unwrap_or_default(),
            description: a.get("seo_data").and_then(|s| text(s, "meta_description")),
            tags: strings(a, "tags"),
            created: date(a, "created_at"),
            updated: date(a, "updated_at"),
            draft: int(a, "status") == Some(1),
            position: int(a, "position").map(|p| p as i64),
            old_paths: vec![
                format!("/support/solutions/articles/{id}-{slug}"),
                format!("/support/solutions/articles/{id}"),
            ],
            extra: pick(
                a,
                &["id", "folder_id", "category_id", "type", "agent_id", "thumbs_up", "thumbs_down", "hits"],
            ),
            attachments: attachments
                .filter_map(|f| {
                    let url = text(f, "attachment_url")?;
                    let name = safe_file_name(&text(f, "name").unwrap_or_else(|| url.clone()));
                    Some(Attachment { id: int(f, "id"), name, url })
                })
                .collect(),
            title,
            ..Article::default()
        });
    }
    Ok(kb)
}

fn zendesk(export: &Export) -> Result<Kb> {
    let mut kb = Kb::default();
    for c in items(&export.required("categories")?, "categories") {
        let Some(id) = int(c, "id") else { continue };
        kb.sections.push(section(c, format!("c{id}"), None, old_paths(c, "categories", id)));
    }
    for s in items(&export.required("sections")?, "sections") {
        let Some(id) = int(s, "id") else { continue };
        let parent = int(s, "parent_section_id")
            .map(|p| format!("s{p}"))
            .or(int(s, "category_id").map(|c| format!("c{c}")));
        kb.sections.push(section(s, format!("s{id}"), parent, old_paths(s, "sections", id)));
    }
    let articles = export.required("articles")?;
    let articles = items(&articles, "articles");
    for a in &articles {
        let (Some(id), Some(section)) = (int(a, "id"), int(a, "section_id")) else { continue };
        kb.articles.push(Article {
            id,
            section: format!("s{section}"),
            title: text(a, "title").or(text(a, "name")).unwrap_or_default(),
            body: text(a, "body").unwrap_or_default(),
            tags: strings(a, "label_names"),
            created: date(a, "created_at"),
            updated: date(a, "edited_at").or(date(a, "updated_at")),
            draft: a.get("draft").and_then(Value::as_bool).unwrap_or(false),
            position: int(a, "position").map(|p| p as i64),
            featured: a.get("promoted").and_then(Value::as_bool).unwrap_or(false),
            internal: a.get("user_segment_id").is_some_and(|v| !v.is_null()),
            old_paths: old_paths(a, "articles", id),
            extra: pick(
                a,
                &[
                    "id",
                    "section_id",
                    "author_id",
                    "vote_sum",
                    "vote_count",
                    "permission_group_id",
                    "user_segment_id",
                    "html_url",
                ],
            ),
            ..Article::default()
        });
    }
    let locales = export.json("locales.json")?;
    let default = locales
        .as_ref()
        .and_then(|l| text(l, "default_locale"))
        .or_else(|| articles.iter().find_map(|a| text(a, "source_locale").or(text(a, "locale"))));
    let mut others: Vec<String> = match &locales {
        Some(l) => strings(l, "locales"),
        None => export.translation_locales(),
    };
    others.retain(|l| Some(l) != default.as_ref() && super::export::is_locale(l));
    for locale in &others {
        read_translations(export, locale, &mut kb.articles)?;
    }
    kb.locales = others
        .into_iter()
        .filter(|l| kb.articles.iter().any(|a| a.translations.iter().any(|t| &t.locale == l)))
        .collect();
    for locale in &kb.locales {
        read_section_names(export, locale, &mut kb.sections)?;
    }
    kb.default_locale = default.filter(|d| super::export::is_locale(d));
    Ok(kb)
}

/// `categories-<locale>.json` and `sections-<locale>.json`, when saved: the labels of the
/// categories and sections in that locale, by id.
fn read_section_names(export: &Export, locale: &str, sections: &mut [Section]) -> Result<()> {
    for (list, prefix) in [("categories", "c"), ("sections", "s")] {
        let Some(pages) = export.pages(&format!("{list}-{locale}"))? else { continue };
        for item in items(&pages, list) {
            let Some(id) = int(item, "id") else { continue };
            let Some(name) = text(item, "name").filter(|n| !n.trim().is_empty()) else { continue };
            let key = format!("{prefix}{id}");
            let Some(s) = sections.iter_mut().find(|s| s.key == key) else { continue };
            let description = text(item, "description").filter(|d| !d.trim().is_empty());
            let same = name == s.name && description == s.description;
            if !same && !s.translations.iter().any(|t| t.locale == locale) {
                s.translations.push(SectionTranslation {
                    locale: locale.to_string(),
                    name,
                    description,
                    old_paths: old_paths(item, list, id)
                        .into_iter()
                        .filter(|p| p.contains(&format!("/{locale}/")))
                        .collect(),
                });
            }
        }
    }
    Ok(())
}

/// `translations-<locale>.json`: the locale's article list (`{"articles": […]}`, ids as the
/// articles') or translation objects (`{"translations": […]}`, `source_id`).
fn read_translations(export: &Export, locale: &str, articles: &mut [Article]) -> Result<()> {
    let Some(pages) = export.pages(&format!("translations-{locale}"))? else { return Ok(()) };
    let mut found: Vec<(u64, Translation)> = Vec::new();
    for (key, id_key) in [("articles", "id"), ("translations", "source_id")] {
        for t in items(&pages, key) {
            let Some(id) = int(t, id_key) else { continue };
            if text(t, "source_type").is_some_and(|s| s != "Article") {
                continue;
            }
            found.push((
                id,
                Translation {
                    locale: locale.to_string(),
                    title: text(t, "title").unwrap_or_default(),
                    body: text(t, "body").unwrap_or_default(),
                    draft: t.get("draft").and_then(Value::as_bool).unwrap_or(false),
                    created: date(t, "created_at"),
                    updated: date(t, "edited_at").or(date(t, "updated_at")),
                    old_paths: old_paths(t, "articles", id)
                        .into_iter()
                        .filter(|p| p.contains(&format!("/{locale}/")))
                        .collect(),
                },
            ));
        }
    }
    let at: std::collections::HashMap<u64, usize> =
        articles.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
    for (id, mut t) in found {
        if let Some(&i) = at.get(&id) {
            if t.old_paths.is_empty() {
                t.old_paths = vec![format!("/hc/{locale}/articles/{id}")];
            }
            articles[i].translations.push(t);
        }
    }
    Ok(())
}

fn section(v: &Value, key: String, parent: Option<String>, old_paths: Vec<String>) -> Section {
    Section {
        id: int(v, "id").unwrap_or(0),
        key,
        parent,
        name: text(v, "name").unwrap_or_default(),
        description: text(v, "description").filter(|d| !d.trim().is_empty()),
        position: int(v, "position").map(|p| p as i64),
        internal: false,
        old_paths,
        translations: Vec::new(),
    }
}

/// Zendesk's old paths of an item: its `html_url`'s path, and the path without the slug.
fn old_paths(v: &Value, kind: &str, id: u64) -> Vec<String> {
    let mut paths = Vec::new();
    let locale = text(v, "locale");
    if let Some(path) = text(v, "html_url").and_then(|u| url_path(&u)) {
        paths.push(path);
    }
    if let Some(l) = locale.filter(|l| super::export::is_locale(l)) {
        let bare = format!("/hc/{l}/{kind}/{id}");
        if !paths.contains(&bare) {
            paths.push(bare);
        }
    }
    paths
}

/// The path of an absolute URL, if it is a plain one.
pub fn url_path(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let path = &rest[rest.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or("");
    path.chars().all(|c| c.is_ascii_graphic()).then(|| path.to_string())
}

fn int(v: &Value, key: &str) -> Option<u64> {
    match v.get(key)? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)?.as_str().map(str::to_string)
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    let list = v.get(key).and_then(Value::as_array).into_iter().flatten();
    list.filter_map(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// A date as RFC 3339 (`2024-05-02T08:30:00Z`), if it reads as one.
fn date(v: &Value, key: &str) -> Option<String> {
    let d = text(v, key)?;
    let plain = d.len() >= 10 && d.chars().all(|c| c.is_ascii_digit() || "-:TZ+.".contains(c));
    (plain && crate::base::date::read(&d).is_some()).then_some(d)
}

/// The named fields that are plain values, for front matter `extra`.
fn pick(v: &Value, keys: &[&str]) -> Map<String, Value> {
    keys.iter()
        .filter_map(|k| {
            let value = v.get(*k)?;
            let plain = matches!(value, Value::Number(_) | Value::Bool(_))
                || value.as_str().is_some_and(|s| s.len() < 500 && !s.chars().any(char::is_control));
            plain.then(|| (k.to_string(), value.clone()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_of_urls() {
        assert_eq!(
            super::url_path("https://acme.zendesk.com/hc/en-us/articles/1-A?x=1").as_deref(),
            Some("/hc/en-us/articles/1-A")
        );
        assert_eq!(super::url_path("nope"), None);
    }
}
