//! The two vendors' export JSON read into a [`Kb`]: Freshdesk's `categories.json`,
//! `folders.json` and `articles.json` (arrays, as its API answers), Zendesk's
//! `categories.json`, `sections.json`, `articles.json` (`{"articles": […], "next_page": …}`
//! with further pages as `articles-2.json` …); their languages by `translations.rs`. Fields
//! documented by the vendors are read leniently: a missing or odd value is left out, never
//! the end of the import.

use serde_json::{Map, Value};

use super::export::{Export, items};
use super::model::{Article, Attachment, Kb, Section, Vendor, safe_file_name};
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
        if kb.source_locale.is_none() {
            kb.source_locale = super::translations::freshdesk_language(a);
        }
    }
    super::translations::read(Vendor::Freshdesk, export, &mut kb)?;
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
    kb.source_locale = articles.iter().find_map(|a| text(a, "source_locale").or(text(a, "locale")));
    super::translations::read(Vendor::Zendesk, export, &mut kb)?;
    Ok(kb)
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
pub(super) fn old_paths(v: &Value, kind: &str, id: u64) -> Vec<String> {
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

pub(super) fn int(v: &Value, key: &str) -> Option<u64> {
    match v.get(key)? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

pub(super) fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)?.as_str().map(str::to_string)
}

pub(super) fn strings(v: &Value, key: &str) -> Vec<String> {
    let list = v.get(key).and_then(Value::as_array).into_iter().flatten();
    list.filter_map(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// A date as RFC 3339 (`2024-05-02T08:30:00Z`), if it reads as one.
pub(super) fn date(v: &Value, key: &str) -> Option<String> {
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
