//! The files an import writes: every section's `index.md`, every article and translation as
//! front matter and converted Markdown, every file an article carries next to it.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};

use rayon::prelude::*;
use serde_json::Value;

use super::export::Export;
use super::html::{self, Target, Urls};
use super::layout::{Layout, relative};
use super::model::{Article, Kb, Section, SectionTranslation, Translation, Vendor, safe_file_name};
use crate::error::Result;

/// One file to write, content-relative.
#[derive(Debug)]
pub struct Planned {
    /// Content-relative path, `/`-separated.
    pub path: String,
    /// Its bytes, or where to copy them from.
    pub bytes: Bytes,
    /// What it is, for the manifest (`article:3001`, `section:f2000`, `file:3001/x.png`).
    pub key: String,
}

/// What a planned file holds: text made here, or an attachment copied from the export,
/// read only when compared or written (a knowledge base's files may not fit in memory).
#[derive(Debug)]
pub enum Bytes {
    /// Made by the import.
    Made(Vec<u8>),
    /// The export's `attachments/<article>/<name>`.
    Attachment(Export, u64, String),
}

impl Bytes {
    /// The bytes.
    pub fn load(&self) -> Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            Bytes::Made(b) => Ok(std::borrow::Cow::Borrowed(b)),
            Bytes::Attachment(export, article, name) => export.attachment(*article, name).map(Into::into),
        }
    }
}

/// Something in a written file a person should look at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    /// Content-relative path.
    pub path: String,
    /// 1-based line in the file.
    pub line: usize,
    /// What to look at.
    pub message: String,
}

/// Everything to write, and the notes.
#[derive(Debug, Default)]
pub struct Pages {
    /// The files.
    pub files: Vec<Planned>,
    /// Notes by file and line.
    pub notes: Vec<Note>,
}

/// Build every file of the import.
pub fn pages(kb: &Kb, vendor: Vendor, layout: &Layout, export: &Export) -> Result<Pages> {
    let mut out = Pages::default();
    for s in &kb.sections {
        if let Some(dir) = layout.dirs.get(&s.key) {
            out.files.push(section_index(s, None, vendor, dir, layout));
            for t in &s.translations {
                out.files.push(section_index(s, Some(t), vendor, dir, layout));
            }
        }
    }
    let index = LinkIndex::new(kb, layout);
    // Articles convert independently; the files keep the source's order.
    let each: Vec<Pages> = kb
        .articles
        .par_iter()
        .map(|a| {
            let mut one = Pages::default();
            article(a, vendor, layout, export, &index, &mut one).map(|()| one)
        })
        .collect::<Result<_>>()?;
    for one in each {
        out.files.extend(one.files);
        out.notes.extend(one.notes);
    }
    Ok(out)
}

/// A section's `index.md`, or its translation's under `<locale>/`.
fn section_index(
    s: &Section,
    translation: Option<&SectionTranslation>,
    vendor: Vendor,
    dir: &str,
    layout: &Layout,
) -> Planned {
    let (name, description, old_paths) = match translation {
        Some(t) => (&t.name, &t.description, &t.old_paths),
        None => (&s.name, &s.description, &s.old_paths),
    };
    let mut fm = FrontMatter::default();
    fm.string("title", name);
    if let Some(d) = description.as_deref().map(plain_text).filter(|d| !d.is_empty()) {
        fm.string("description", &d);
    }
    fm.raw("weight", &layout.section_rank.get(&s.key).copied().unwrap_or(0).to_string());
    if s.internal {
        fm.raw("audience", "internal");
    }
    fm.list("aliases", old_paths);
    fm.extra(vendor, &serde_json::Map::from_iter([("id".to_string(), Value::from(s.id))]));
    let (path, key) = match translation {
        Some(t) => (format!("{}/{dir}/index.md", t.locale), format!("section:{}:{}", s.key, t.locale)),
        None => (format!("{dir}/index.md"), format!("section:{}", s.key)),
    };
    Planned { path, bytes: Bytes::Made(fm.finish("").into_bytes()), key }
}

/// An article's file, its files and each translation, in the order they are written.
fn article(
    a: &Article,
    vendor: Vendor,
    layout: &Layout,
    export: &Export,
    index: &LinkIndex,
    out: &mut Pages,
) -> Result<()> {
    let Some(stem) = layout.articles.get(&a.id) else { return Ok(()) };
    let dir = stem.rsplit_once('/').map_or("", |(d, _)| d);
    let available = export.attachments(a.id);
    let urls = ArticleUrls::new(index, dir.to_string(), None, stem, &available, a);
    let converted = html::convert(&a.body, &urls);
    let fm = front_matter(a, None, vendor, layout);
    let body = with_attachments(converted.markdown, &available, &urls.used.borrow(), stem, dir);
    push(out, format!("{stem}.md"), format!("article:{}", a.id), fm, &body, &converted.notes);
    for name in &available {
        out.files.push(Planned {
            path: format!("{stem}/{name}"),
            bytes: Bytes::Attachment(export.clone(), a.id, name.clone()),
            key: format!("file:{}/{name}", a.id),
        });
    }
    for t in &a.translations {
        let urls =
            ArticleUrls::new(index, format!("{}/{dir}", t.locale), Some(&t.locale), stem, &available, a);
        let converted = html::convert(&t.body, &urls);
        let fm = front_matter(a, Some(t), vendor, layout);
        let (path, key) = (format!("{}/{stem}.md", t.locale), format!("article:{}:{}", a.id, t.locale));
        push(out, path, key, fm, &converted.markdown, &converted.notes);
    }
    Ok(())
}

/// An article's front matter, or its translation's: the title, dates, draft state and old
/// paths are the translation's own; tags, order, promotion and audience are the article's.
fn front_matter(a: &Article, t: Option<&Translation>, vendor: Vendor, layout: &Layout) -> FrontMatter {
    let mut fm = FrontMatter::default();
    fm.string("title", t.map_or(&a.title, |t| &t.title));
    if let Some(d) = a.description.as_deref().filter(|d| t.is_none() && !d.trim().is_empty()) {
        fm.string("description", d.trim());
    }
    fm.list("tags", &a.tags);
    fm.opt("date", t.map_or(a.created.as_deref(), |t| t.created.as_deref()));
    fm.opt("updated", t.map_or(a.updated.as_deref(), |t| t.updated.as_deref()));
    if t.map_or(a.draft, |t| t.draft) {
        fm.raw("draft", "true");
    }
    fm.raw("weight", &layout.article_rank.get(&a.id).copied().unwrap_or(0).to_string());
    if a.featured {
        fm.raw("featured", "true");
    }
    if a.internal {
        fm.raw("audience", "internal");
    }
    fm.list("aliases", t.map_or(&a.old_paths, |t| &t.old_paths));
    match t {
        Some(_) => fm.extra(vendor, &serde_json::Map::from_iter([("id".to_string(), Value::from(a.id))])),
        None => fm.extra(vendor, &a.extra),
    }
    fm
}

/// Add a written page and its notes (lines counted from the file's top).
fn push(out: &mut Pages, path: String, key: String, fm: FrontMatter, body: &str, notes: &[(usize, String)]) {
    push_notes(out, &path, fm.lines() + 2, notes);
    out.files.push(Planned { path, bytes: Bytes::Made(fm.finish(body).into_bytes()), key });
}

fn push_notes(out: &mut Pages, path: &str, body_line: usize, notes: &[(usize, String)]) {
    for (line, message) in notes {
        out.notes.push(Note { path: path.to_string(), line: body_line + line - 1, message: message.clone() });
    }
}

/// The body, then a list of the attached files it does not show or link already.
fn with_attachments(
    body: String,
    available: &[String],
    used: &BTreeSet<String>,
    files_dir: &str,
    dir: &str,
) -> String {
    let rest: Vec<&String> = available.iter().filter(|n| !used.contains(*n)).collect();
    if rest.is_empty() {
        return body;
    }
    let mut out = body;
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str("## Attachments\n\n");
    for name in rest {
        let link = relative(dir, &format!("{files_dir}/{name}"));
        out.push_str(&format!("- [{}]({link})\n", html::escape_text(name)));
    }
    out
}

/// Text of a description that may be HTML, on one line.
fn plain_text(s: &str) -> String {
    let doc = scraper::Html::parse_fragment(s);
    let text: String = doc.root_element().text().collect::<Vec<_>>().join(" ");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every article's place by id, and each section's, for links by old URL.
struct LinkIndex {
    articles: HashMap<u64, Linked>,
    sections: HashMap<String, String>,
    /// Article id → the ids in it that other articles link to.
    fragments: HashMap<u64, HashSet<String>>,
}

/// What a link to an article needs to know of it.
struct Linked {
    /// Its file, content-relative.
    path: String,
    /// The locales it is translated into.
    locales: BTreeSet<String>,
    /// Left out of the public site, and why.
    hidden: Option<Hidden>,
}

/// Why an article is not on the public site.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hidden {
    Draft,
    Internal,
}

impl LinkIndex {
    fn new(kb: &Kb, layout: &Layout) -> LinkIndex {
        let articles = kb
            .articles
            .iter()
            .filter_map(|a| {
                let stem = layout.articles.get(&a.id)?;
                let hidden = if layout.is_internal(a) {
                    Some(Hidden::Internal)
                } else {
                    a.draft.then_some(Hidden::Draft)
                };
                let locales = a.translations.iter().map(|t| t.locale.clone()).collect();
                Some((a.id, Linked { path: format!("{stem}.md"), locales, hidden }))
            })
            .collect();
        let sections = layout.dirs.iter().map(|(k, d)| (k.clone(), format!("{d}/index.md"))).collect();
        let mut fragments: HashMap<u64, HashSet<String>> = HashMap::new();
        let bodies = kb
            .articles
            .iter()
            .flat_map(|a| std::iter::once(&a.body).chain(a.translations.iter().map(|t| &t.body)));
        for (id, fragment) in bodies.flat_map(|b| super::links::article_fragments(b)) {
            fragments.entry(id).or_default().insert(fragment);
        }
        LinkIndex { articles, sections, fragments }
    }
}

impl LinkIndex {
    /// Why article `id` is not on the public site, if it is not.
    fn hidden(&self, id: u64) -> Option<Hidden> {
        self.articles.get(&id).and_then(|l| l.hidden)
    }
}

/// How one article's (or translation's) links and files are rewritten.
struct ArticleUrls<'a> {
    index: &'a LinkIndex,
    /// The folder of the file being written (content-relative).
    dir: String,
    locale: Option<&'a str>,
    files_dir: &'a str,
    available: &'a [String],
    article: &'a Article,
    used: RefCell<BTreeSet<String>>,
}

impl<'a> ArticleUrls<'a> {
    fn new(
        index: &'a LinkIndex,
        dir: String,
        locale: Option<&'a str>,
        files_dir: &'a str,
        available: &'a [String],
        article: &'a Article,
    ) -> Self {
        ArticleUrls { index, dir, locale, files_dir, available, article, used: RefCell::default() }
    }
}

impl Urls for ArticleUrls<'_> {
    fn link(&self, href: &str) -> Target {
        let keep = Target { url: href.to_string(), note: None };
        if href.starts_with('#') || href.starts_with("mailto:") || href.starts_with("tel:") {
            return keep;
        }
        let (before, fragment) = match href.split_once('#') {
            Some((b, f)) => (b, format!("#{f}")),
            None => (href, String::new()),
        };
        let path =
            if before.contains("://") { super::vendors::url_path(before) } else { Some(before.to_string()) };
        let Some(path) = path else { return keep };
        match super::links::classify(&path) {
            Some(super::links::Old::Article(id)) => match self.index.articles.get(&id) {
                Some(linked) => {
                    let target = match self.locale {
                        Some(l) if linked.locales.contains(l) => format!("{l}/{}", linked.path),
                        _ => linked.path.clone(),
                    };
                    let url = format!("{}{fragment}", relative(&self.dir, &target));
                    Target { note: self.hidden_note(id, linked), url }
                }
                None => Target {
                    note: Some(format!("links to article {id}, which is not in the export; kept as {href}")),
                    ..keep
                },
            },
            Some(super::links::Old::Section(key)) => match self.index.sections.get(&key) {
                Some(target) => Target { url: relative(&self.dir, target), note: None },
                None => keep,
            },
            None => match self.found_file(&path) {
                Some(url) => Target { url, note: None },
                None => keep,
            },
        }
    }

    fn linked_ids(&self) -> Option<&HashSet<String>> {
        self.index.fragments.get(&self.article.id)
    }

    fn file(&self, src: &str) -> Target {
        match self.found_file(src) {
            Some(url) => Target { url, note: None },
            None if src.starts_with("data:") => Target { url: src.to_string(), note: None },
            None => Target {
                url: src.to_string(),
                note: Some(format!("file not in the export; kept as a link to {src}")),
            },
        }
    }
}

impl ArticleUrls<'_> {
    /// A note for a link from a published page to an article the public site leaves out.
    fn hidden_note(&self, id: u64, linked: &Linked) -> Option<String> {
        let (from_hidden, what) = match linked.hidden? {
            Hidden::Internal => (self.index.hidden(self.article.id) == Some(Hidden::Internal), "internal"),
            Hidden::Draft => (self.article.draft, "a draft"),
        };
        (!from_hidden).then(|| {
            format!("links to article {id}, which is {what}: the public site leaves it out (kiln check reports the link)")
        })
    }

    /// The relative link to a saved file the URL names: by file name, or (Freshdesk's
    /// `/helpdesk/attachments/<id>`) by the attachment's id.
    fn found_file(&self, url: &str) -> Option<String> {
        let name = safe_file_name(url);
        let by_id = || {
            let segments: Vec<&str> = url.split(['/', '?', '#']).collect();
            let a = self
                .article
                .attachments
                .iter()
                .find(|a| a.id.is_some_and(|id| segments.contains(&id.to_string().as_str())))?;
            Some(a.name.clone())
        };
        let name = if self.available.contains(&name) {
            name
        } else {
            by_id().filter(|n| self.available.contains(n))?
        };
        self.used.borrow_mut().insert(name.clone());
        Some(relative(&self.dir, &format!("{}/{name}", self.files_dir)))
    }
}

/// Front matter written as YAML, every string JSON-quoted (valid YAML, every character
/// escaped that needs it), keys in a fixed order.
#[derive(Default)]
struct FrontMatter {
    lines: Vec<String>,
}

impl FrontMatter {
    fn string(&mut self, key: &str, value: &str) {
        self.lines.push(format!("{key}: {}", quote(value)));
    }

    fn opt(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.string(key, v);
        }
    }

    fn raw(&mut self, key: &str, value: &str) {
        self.lines.push(format!("{key}: {value}"));
    }

    fn list(&mut self, key: &str, values: &[String]) {
        if !values.is_empty() {
            let items: Vec<String> = values.iter().map(|v| quote(v)).collect();
            self.lines.push(format!("{key}: [{}]", items.join(", ")));
        }
    }

    fn extra(&mut self, vendor: Vendor, fields: &serde_json::Map<String, Value>) {
        let json = serde_json::to_string(fields).unwrap_or_else(|_| "{}".into());
        self.lines.push(format!("extra:\n  {}: {json}", vendor.name()));
    }

    /// Lines the front matter takes, fences included.
    fn lines(&self) -> usize {
        self.lines.iter().map(|l| l.lines().count()).sum::<usize>() + 2
    }

    fn finish(&self, body: &str) -> String {
        let mut out = String::from("---\n");
        for l in &self.lines {
            out.push_str(l);
            out.push('\n');
        }
        out.push_str("---\n");
        if !body.is_empty() {
            out.push('\n');
            out.push_str(body);
        }
        out
    }
}

fn quote(s: &str) -> String {
    let one_line = s.replace(['\r', '\n'], " ");
    serde_json::to_string(&one_line).unwrap_or_else(|_| "\"\"".into())
}
