//! `kiln import --url`: fetch a knowledge base through the helpdesk's API into a folder in
//! exactly the `--from` format (each response saved unchanged, pages as `name-2.json` …,
//! files under `attachments/<article id>/`), so a live import is an offline import of what
//! was just fetched, and `--save-export` keeps it.

mod client;

use std::path::Path;

use serde_json::Value;

pub use client::{Client, basic};

use super::export::ATTACHMENTS;
use super::model::safe_file_name;
use crate::error::{Error, Result};

/// Most pages followed for one list (100 items each).
const MAX_PAGES: usize = 10_000;

/// What a fetch could not get (files), to report; the import goes on without them.
pub type Missed = Vec<String>;

/// Fetch a Freshdesk knowledge base into `dir`.
pub fn freshdesk(client: &Client, dir: &Path) -> Result<Missed> {
    let categories = array_pages(client, "/api/v2/solutions/categories?per_page=100", &[])?;
    save(dir, "categories.json", &Value::Array(categories.clone()))?;
    let mut folders = Vec::new();
    for c in &categories {
        let Some(id) = c.get("id").and_then(Value::as_u64) else { continue };
        let url = format!("/api/v2/solutions/categories/{id}/folders?per_page=100");
        for mut f in array_pages(client, &url, &[])? {
            set_default(&mut f, "category_id", Value::from(id));
            folders.push(f);
        }
    }
    // Sub-folders, breadth first; accounts without them answer 404.
    let mut i = 0;
    while i < folders.len() {
        let (id, category) =
            (folders[i].get("id").and_then(Value::as_u64), folders[i].get("category_id").cloned());
        i += 1;
        let Some(id) = id else { continue };
        let subs =
            array_pages(client, &format!("/api/v2/solutions/folders/{id}/subfolders?per_page=100"), &[404])?;
        folders.extend(subs.into_iter().map(|mut s| {
            set_default(&mut s, "parent_folder_id", Value::from(id));
            set_default(&mut s, "category_id", category.clone().unwrap_or(Value::Null));
            s
        }));
    }
    save(dir, "folders.json", &Value::Array(folders.clone()))?;
    let mut articles = Vec::new();
    for f in &folders {
        let Some(id) = f.get("id").and_then(Value::as_u64) else { continue };
        let url = format!("/api/v2/solutions/folders/{id}/articles?per_page=100");
        articles.extend(array_pages(client, &url, &[])?);
    }
    save(dir, "articles.json", &Value::Array(articles.clone()))?;
    let translated = freshdesk_languages(client, dir, [&categories, &folders, &articles])?;
    eprintln!(
        "kiln import: fetched {} categories, {} folders, {} articles, {} translations",
        categories.len(),
        folders.len(),
        articles.len(),
        translated.len()
    );
    let mut missed = Vec::new();
    for a in &articles {
        let Some(id) = a.get("id").and_then(Value::as_u64) else { continue };
        let listed = a.get("attachments").and_then(Value::as_array).into_iter().flatten();
        let files = listed.filter_map(|f| {
            Some((f.get("attachment_url")?.as_str()?.to_string(), f.get("name")?.as_str()?.to_string()))
        });
        let body = a.get("description").and_then(Value::as_str).unwrap_or("");
        let in_translations = translated
            .iter()
            .filter(|t| t.get("id").and_then(Value::as_u64) == Some(id))
            .flat_map(|t| images(t.get("description").and_then(Value::as_str).unwrap_or("")));
        let files = files.chain(images(body)).chain(in_translations).collect();
        download_all(client, dir, id, files, &mut missed)?;
    }
    Ok(missed)
}

/// A multilingual Freshdesk knowledge base: the helpdesk's languages (`settings.json`), and
/// for each language but the primary one every category, folder and article in it, one
/// request each (`/solutions/articles/<id>/<lang>`; 404: not translated), saved as
/// `categories-<lang>.json`, `folders-<lang>.json`, `translations-<lang>.json`. Returns the
/// translated articles. An API key that may not read the settings gets the primary
/// language only.
fn freshdesk_languages(
    client: &Client,
    dir: &Path,
    [categories, folders, articles]: [&[Value]; 3],
) -> Result<Vec<Value>> {
    let Some((settings, _)) = client.json_unless("/api/v2/settings/helpdesk", &[403, 404])? else {
        eprintln!(
            "kiln import: the helpdesk's languages cannot be read with this key; importing the primary language only"
        );
        return Ok(Vec::new());
    };
    save(dir, "settings.json", &settings)?;
    let primary = settings.get("primary_language").and_then(Value::as_str).unwrap_or("");
    let languages = other_locales(settings.get("supported_languages"), primary);
    let mut translated = Vec::new();
    for lang in languages {
        for (kind, items, file) in [
            ("categories", categories, "categories"),
            ("folders", folders, "folders"),
            ("articles", articles, "translations"),
        ] {
            let mut found = Vec::new();
            for item in items {
                let Some(id) = item.get("id").and_then(Value::as_u64) else { continue };
                let url = format!("/api/v2/solutions/{kind}/{id}/{lang}");
                found.extend(client.json_unless(&url, &[404])?.map(|(v, _)| v));
            }
            if found.is_empty() {
                continue;
            }
            let found = Value::Array(found);
            save(dir, &format!("{file}-{lang}.json"), &found)?;
            if let ("articles", Value::Array(found)) = (kind, found) {
                translated.extend(found);
            }
        }
    }
    Ok(translated)
}

/// Fetch a Zendesk Guide knowledge base, with its translations, into `dir`.
pub fn zendesk(client: &Client, dir: &Path) -> Result<Missed> {
    let (locales, _) = client.json("/api/v2/help_center/locales.json")?;
    save(dir, "locales.json", &locales)?;
    let default = locales.get("default_locale").and_then(Value::as_str).unwrap_or("en-us").to_string();
    let others = other_locales(locales.get("locales"), &default);
    if !super::export::is_locale(&default) {
        return Err(Error::Remote {
            url: client.origin.clone(),
            message: format!("default locale {default:?} is not a locale code"),
        });
    }
    for name in ["categories", "sections", "articles"] {
        object_pages(client, dir, &format!("/api/v2/help_center/{default}/{name}.json?per_page=100"), name)?;
    }
    for l in &others {
        object_pages(
            client,
            dir,
            &format!("/api/v2/help_center/{l}/articles.json?per_page=100"),
            &format!("translations-{l}"),
        )?;
        for name in ["categories", "sections"] {
            let first = format!("/api/v2/help_center/{l}/{name}.json?per_page=100");
            object_pages(client, dir, &first, &format!("{name}-{l}"))?;
        }
    }
    let export = super::export::Export::open(dir)?;
    let pages = export.required("articles")?;
    let articles = super::export::items(&pages, "articles");
    eprintln!("kiln import: fetched {} articles in {} languages", articles.len(), others.len() + 1);
    let mut missed = Vec::new();
    for a in articles {
        let Some(id) = a.get("id").and_then(Value::as_u64) else { continue };
        let (listed, _) = client.json(&format!("/api/v2/help_center/articles/{id}/attachments.json"))?;
        let listed = listed.get("article_attachments").and_then(Value::as_array).cloned().unwrap_or_default();
        let files = listed.iter().filter_map(|f| {
            Some((f.get("content_url")?.as_str()?.to_string(), f.get("file_name")?.as_str()?.to_string()))
        });
        let body = a.get("body").and_then(Value::as_str).unwrap_or("");
        download_all(client, dir, id, files.chain(images(body)).collect(), &mut missed)?;
    }
    Ok(missed)
}

/// Every page of a list whose pages are JSON arrays, following `Link: rel="next"`; a page
/// answered with one of `none` (404: accounts without sub-folders) ends the list.
fn array_pages(client: &Client, first: &str, none: &[u16]) -> Result<Vec<Value>> {
    let mut items = Vec::new();
    let mut url = client.on_origin(first)?;
    for _ in 0..MAX_PAGES {
        let Some((page, next)) = client.json_unless(&url, none)? else { break };
        let Value::Array(page) = page else {
            return Err(Error::Remote {
                url,
                message: "expected a JSON list: check that --url is a Freshdesk helpdesk".into(),
            });
        };
        let empty = page.is_empty();
        items.extend(page);
        match next {
            Some(n) if !empty => url = client.on_origin(&n)?,
            _ => break,
        }
    }
    Ok(items)
}

/// Every page of a Zendesk list, each saved as it came (`name.json`, `name-2.json`, …),
/// following `next_page` or, with cursor pagination, `links.next` while `meta.has_more`.
fn object_pages(client: &Client, dir: &Path, first: &str, name: &str) -> Result<()> {
    let mut url = client.on_origin(first)?;
    for n in 1..=MAX_PAGES {
        let (page, _) = client.json(&url)?;
        save(dir, &if n == 1 { format!("{name}.json") } else { format!("{name}-{n}.json") }, &page)?;
        let next = page.get("next_page").and_then(Value::as_str).map(str::to_string).or_else(|| {
            let more = page.pointer("/meta/has_more").and_then(Value::as_bool).unwrap_or(false);
            more.then(|| page.pointer("/links/next").and_then(Value::as_str).map(str::to_string)).flatten()
        });
        match next {
            Some(next) => url = client.on_origin(&next)?,
            None => break,
        }
    }
    Ok(())
}

/// The images a body shows: `(url, name)`.
fn images(body: &str) -> Vec<(String, String)> {
    let doc = scraper::Html::parse_fragment(body);
    doc.tree
        .values()
        .filter_map(|n| n.as_element())
        .filter(|e| e.name() == "img")
        .filter_map(|e| e.attr("src"))
        .filter(|s| s.starts_with("https://") || s.starts_with("http://") || s.starts_with('/'))
        .map(|s| (s.to_string(), s.to_string()))
        .collect()
}

/// Download an article's files into `attachments/<id>/`; what fails is noted, not fatal.
fn download_all(
    client: &Client,
    dir: &Path,
    id: u64,
    files: Vec<(String, String)>,
    missed: &mut Missed,
) -> Result<()> {
    let folder = dir.join(ATTACHMENTS).join(id.to_string());
    for (url, name) in files {
        let path = folder.join(safe_file_name(&name));
        if path.exists() {
            continue;
        }
        match client.download(&url) {
            Ok(bytes) => {
                std::fs::create_dir_all(&folder).map_err(|e| Error::io("creating", &folder, e))?;
                std::fs::write(&path, bytes).map_err(|e| Error::io("writing", &path, e))?;
            }
            Err(e) => missed.push(format!("article {id}: {e}")),
        }
    }
    Ok(())
}

/// The locale codes of a JSON list of them other than `default`.
fn other_locales(list: Option<&Value>, default: &str) -> Vec<String> {
    let codes = list.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str);
    codes.filter(|l| *l != default && super::export::is_locale(l)).map(str::to_string).collect()
}

fn set_default(v: &mut Value, key: &str, value: Value) {
    if let Value::Object(o) = v
        && o.get(key).is_none_or(Value::is_null)
    {
        o.insert(key.to_string(), value);
    }
}

fn save(dir: &Path, name: &str, value: &Value) -> Result<()> {
    let path = dir.join(name);
    let text =
        serde_json::to_vec_pretty(value).map_err(|e| Error::internal(Some(path.clone()), e.to_string()))?;
    std::fs::write(&path, text).map_err(|e| Error::io("writing", &path, e))
}
