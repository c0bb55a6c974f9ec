//! What a page's Markdown asked the site model while it rendered, with a digest of each
//! answer. The rendered body depends on the rest of the site only through these answers,
//! so it stays right for as long as every one of them [`holds`](Dep::holds): the build
//! cache keeps a page's Markdown on that condition, and the preview re-renders exactly the
//! pages whose answers moved when articles appear, go or move.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::Resolver;
use crate::base::digest::{Digest, Key};

/// One answer the site model gave.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Dep {
    /// `page_url(path)` returned a URL (or none) with this digest.
    Page(String, Digest),
    /// `asset_url(path)` returned a URL (or none) with this digest.
    Asset(String, Digest),
    /// `include(path)` returned text (or an error) with this digest.
    Include(String, Digest),
    /// `folder(path)` returned entries with this digest.
    Folder(String, Digest),
    /// `snippet(name)` returned text (or an error) with this digest.
    Snippet(String, Digest),
}

impl Dep {
    /// Does the site model still give the same answer?
    pub fn holds(&self, site: &dyn Resolver) -> bool {
        match self {
            Dep::Page(rel, d) => page_answer(site, rel).1 == *d,
            Dep::Asset(rel, d) => url_digest(&site.asset_url(rel)) == *d,
            Dep::Include(rel, d) => include_digest(&site.include(rel)) == *d,
            Dep::Folder(rel, d) => folder_digest(&site.folder(rel)) == *d,
            Dep::Snippet(name, d) => include_digest(&site.snippet(name)) == *d,
        }
    }
}

fn url_digest(url: &Option<String>) -> Digest {
    Key::new().opt(url.as_deref()).finish()
}

fn folder_digest(entries: &[super::FolderEntry]) -> Digest {
    let mut k = Key::new();
    for e in entries {
        k.str(&e.title).str(&e.url).opt(e.description.as_deref());
    }
    k.finish()
}

fn include_digest(r: &Result<String, String>) -> Digest {
    match r {
        Ok(text) => Key::new().num(1).str(text).finish(),
        Err(why) => Key::new().num(0).str(why).finish(),
    }
}

/// A resolver that notes every question asked of the site model and its answer.
pub(super) struct Recorder<'a> {
    inner: &'a dyn Resolver,
    deps: Mutex<Vec<Dep>>,
}

impl<'a> Recorder<'a> {
    /// Record the questions asked of `inner`.
    pub(super) fn new(inner: &'a dyn Resolver) -> Self {
        Recorder { inner, deps: Mutex::default() }
    }

    /// The answers, sorted and each once.
    pub(super) fn into_deps(self) -> Vec<Dep> {
        let mut deps = self.deps.into_inner().unwrap_or_else(|e| e.into_inner());
        deps.sort_unstable();
        deps.dedup();
        deps
    }

    fn note(&self, d: Dep) {
        self.deps.lock().unwrap_or_else(|e| e.into_inner()).push(d);
    }
}

/// `page_url(rel)` and the digest of the answer, which tells a page that is not there from
/// an internal one a public build left out (their links are reported differently).
fn page_answer(site: &dyn Resolver, rel: &str) -> (Option<String>, Digest) {
    let url = site.page_url(rel);
    let digest = match &url {
        None if site.is_left_out(rel) => url_digest(&Some("\0left out".to_string())),
        _ => url_digest(&url),
    };
    (url, digest)
}

impl Resolver for Recorder<'_> {
    fn page_url(&self, rel: &str) -> Option<String> {
        let (url, digest) = page_answer(self.inner, rel);
        self.note(Dep::Page(rel.to_string(), digest));
        url
    }

    fn is_left_out(&self, rel: &str) -> bool {
        // Part of the `page_url` answer's digest: no separate dependency.
        self.inner.is_left_out(rel)
    }

    fn asset_url(&self, rel: &str) -> Option<String> {
        let url = self.inner.asset_url(rel);
        self.note(Dep::Asset(rel.to_string(), url_digest(&url)));
        url
    }

    fn include(&self, rel: &str) -> Result<String, String> {
        let text = self.inner.include(rel);
        self.note(Dep::Include(rel.to_string(), include_digest(&text)));
        text
    }

    fn folder(&self, rel: &str) -> Vec<super::FolderEntry> {
        let entries = self.inner.folder(rel);
        self.note(Dep::Folder(rel.to_string(), folder_digest(&entries)));
        entries
    }

    fn snippet(&self, name: &str) -> Result<String, String> {
        let text = self.inner.snippet(name);
        self.note(Dep::Snippet(name.to_string(), include_digest(&text)));
        text
    }

    fn auto_append(&self) -> &[String] {
        self.inner.auto_append()
    }

    fn external_base(&self) -> Option<&str> {
        self.inner.external_base()
    }
}

/// The key of a page's rendered Markdown: its source's digest and every answer it got from
/// the site model (the same key, the same HTML, text, headings and links).
pub fn key(source: Digest, deps: &[Dep]) -> Digest {
    let mut k = Key::new();
    k.num(source);
    for d in deps {
        match d {
            Dep::Page(rel, a) => k.num(0).str(rel).num(*a),
            Dep::Asset(rel, a) => k.num(1).str(rel).num(*a),
            Dep::Include(rel, a) => k.num(2).str(rel).num(*a),
            Dep::Folder(rel, a) => k.num(3).str(rel).num(*a),
            Dep::Snippet(name, a) => k.num(4).str(name).num(*a),
        };
    }
    k.finish()
}
