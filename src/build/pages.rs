//! The articles pass: every article goes Markdown → page file → search terms while its
//! text is at hand. With the build cache, an article whose keys match the last build's is
//! skipped, whole or in part ([`Plan`]).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::search::SearchPass;
use crate::base::digest::{Digest, Key};
use crate::base::timings::CpuMeter;
use crate::cache::PageEntry;
use crate::content::{Body, ReadBodyError};
use crate::diagnostics::Diagnostics;
use crate::error::{Error, Result};
use crate::markdown::Rendered;
use crate::output::Sink;
use crate::render::{Renderer, Theme};
use crate::search::index::PageOut;
use crate::search::related::Signature;
use crate::site::{PageId, Site};

/// What the cache lets an article skip, decided before any rendering.
pub(super) struct Plan {
    /// Digest of its source file (0 without the cache).
    pub(super) hash: Digest,
    /// Its Markdown would render exactly as last time: same source, and every question it
    /// asked the site gets the same answer.
    pub(super) md_ok: bool,
    /// Key of its HTML file, when its Markdown is the last build's (else it is made after
    /// the Markdown is rendered again).
    pub(super) html: Option<Digest>,
    /// Key of its search terms (source and trail).
    pub(super) terms: Digest,
    /// Key of its Markdown, when it is the last build's.
    pub(super) markdown: Option<Digest>,
}

/// The cache's part in the articles pass: this build's setup digest and the last build's
/// records of the articles.
pub(super) struct Prior<'a> {
    pub(super) caching: bool,
    pub(super) setup: Digest,
    /// What this build's load recorded of each source (its digest), by content-relative
    /// path.
    pub(super) sources: &'a HashMap<String, crate::content::Record>,
    pub(super) pages: &'a HashMap<String, PageEntry>,
}

/// Plan every article (in parallel): which of its Markdown, HTML and terms the last build's
/// are still right for.
pub(super) fn plan(site: &Site, renderer: &Renderer, prior: &Prior) -> Vec<Plan> {
    if !prior.caching {
        let none = || Plan { hash: 0, md_ok: false, html: None, terms: 0, markdown: None };
        return (0..site.pages.len()).map(|_| none()).collect();
    }
    (0..site.pages.len())
        .into_par_iter()
        .map(|id| {
            let src = &site.pages[id].source;
            let hash = prior.sources.get(&src.rel_path).map_or(0, |r| r.hash);
            let before = prior.pages.get(&src.rel_path).filter(|p| p.hash == hash);
            let md_ok = before.is_some_and(|p| p.deps.iter().all(|d| d.holds(site)));
            let markdown = before.filter(|_| md_ok).map(|p| markdown_key(prior.setup, hash, &p.deps));
            let html = markdown.and_then(|m| renderer.page_key(site, id, m));
            let terms = crate::search::keys::terms_key(prior.setup, hash, site.trail(site.pages[id].section));
            Plan { hash, md_ok, html, terms, markdown }
        })
        .collect()
}

/// The key of an article's rendered Markdown under this build's configuration and theme.
fn markdown_key(setup: Digest, source: Digest, deps: &[crate::markdown::Dep]) -> Digest {
    Key::new().num(setup).num(crate::markdown::key(source, deps)).finish()
}

/// What this build records of an article.
pub(super) enum Record {
    /// Nothing (no cache).
    None,
    /// The last build's record, unchanged.
    Same,
    /// A new one.
    New(PageEntry),
}

/// One article's results: what the index needs of its text, its terms, its record.
pub(super) type Article = (Rendered, Option<PageOut>, Record);

/// Everything the articles pass works with, shared by its workers.
pub(super) struct Pass<'a> {
    pub(super) site: &'a Site,
    pub(super) renderer: &'a Renderer,
    pub(super) theme: &'a Theme,
    pub(super) plans: &'a [Plan],
    pub(super) prior: &'a Prior<'a>,
    pub(super) search: &'a SearchPass,
    pub(super) sink: &'a dyn Sink,
    pub(super) diags: &'a Diagnostics,
    /// CPU time of the Markdown, the templates and the search terms.
    pub(super) meters: &'a [CpuMeter; 3],
    /// Articles whose Markdown was rendered.
    pub(super) rendered: &'a AtomicUsize,
    /// Each article's body signature, for its record.
    pub(super) signatures: &'a [Signature],
    /// By article: its HTML is kept for a printable page.
    pub(super) keep_html: &'a [bool],
}

impl Pass<'_> {
    /// Render every article (in parallel, each on its own), releasing its Markdown and
    /// HTML as soon as they are used.
    pub(super) fn run(&self, bodies: Vec<Option<Body>>) -> Result<Vec<Article>> {
        bodies
            .into_par_iter()
            .enumerate()
            .map_init(|| self.search.worker(), |worker, (id, body)| self.article(id, body, worker))
            .collect()
    }

    /// One article: kept whole when its HTML, terms and text are all the last build's;
    /// otherwise its Markdown rendered (its body read first if the load skipped it), its
    /// page rendered unless kept, its terms counted unless stored.
    fn article(
        &self,
        id: PageId,
        body: Option<Body>,
        worker: &mut crate::search::index::WorkerTerms,
    ) -> Result<Article> {
        let (site, p) = (self.site, &self.plans[id]);
        let src = &site.pages[id].source;
        let before = self.prior.pages.get(&src.rel_path);
        let out = Renderer::page_path(site, id);
        let html_kept = p.html.is_some() && before.is_some_and(|b| b.html == p.html) && self.sink.keep(&out);
        let stored = self.search.cached_terms(id)?;
        let needs_terms = self.search.index_now && stored.is_none();
        let keep_html = self.keep_html[id];
        if html_kept && !needs_terms && !self.search.needs_text(id) && !keep_html {
            let before = before.expect("a kept page has a record");
            self.diags.extend(before.diagnostics.iter().cloned());
            // Its links and anchors travel in its record (read there by the check).
            let record = if self.prior.caching { Record::Same } else { Record::None };
            return Ok((Rendered { diagrams: before.diagrams, ..Rendered::default() }, stored, record));
        }
        let body = match body {
            Some(b) => b,
            None => read_body(site, id, p.hash)?,
        };
        self.rendered.fetch_add(1, Ordering::Relaxed);
        let mut local = Vec::new();
        let mut r = self.meters[0].time(|| super::render_markdown(site, src, &body, &mut local));
        drop(body);
        let html = match (html_kept, self.prior.caching) {
            (true, _) => p.html,
            (false, caching) => {
                self.meters[1].time(|| self.renderer.page(site, id, &r, self.theme, self.sink))?;
                let markdown = markdown_key(self.prior.setup, p.hash, &r.deps);
                caching.then(|| self.renderer.page_key(site, id, markdown)).flatten()
            }
        };
        if !keep_html {
            r.html = String::new();
        }
        let terms = match stored {
            Some(t) => Some(t),
            None if self.search.index_now => {
                Some(self.meters[2].time(|| self.search.index(site, id, &r, p.terms, worker))?)
            }
            None => None,
        };
        self.diags.extend(local.iter().cloned());
        // The record takes what the next build needs (before the text is cut down to what
        // the index's fragments need).
        let record = if self.prior.caching {
            Record::New(PageEntry {
                hash: p.hash,
                deps: std::mem::take(&mut r.deps),
                diagnostics: local,
                html,
                links: std::mem::take(&mut r.links),
                anchors: std::mem::take(&mut r.anchors),
                diagrams: r.diagrams,
                signature: self.signatures.get(id).cloned().unwrap_or_default(),
            })
        } else {
            Record::None
        };
        crate::search::keep_for_fragments(&mut r);
        Ok((r, terms, record))
    }
}

/// Read an article's body the load skipped (the cache knew its front matter), checking it
/// is the file the cache's record was made from.
pub(super) fn read_body(site: &Site, id: PageId, hash: Digest) -> Result<Body> {
    let root = site.root();
    let keys = &site.config.front_matter;
    crate::content::read_body(&root, &site.content_dir, &site.pages[id].source, hash, keys).map_err(|e| {
        match e {
            ReadBodyError::Io(path, e) => Error::io("reading", path, e),
            ReadBodyError::Content(d) => Error::Content(d),
        }
    })
}

/// Each article's body signature for related articles: from its Markdown when the load
/// read it, else from the last build's record of the same source (else read now).
pub(super) fn signatures(site: &Site, bodies: &[Option<Body>], prior: &Prior) -> Result<Vec<Signature>> {
    if site.config.related.limit == 0 {
        return Ok(vec![Signature::default(); site.pages.len()]);
    }
    (0..site.pages.len())
        .into_par_iter()
        .map_init(
            || crate::search::related::Signer::for_site(site),
            |signer, id| {
                if let Some(body) = &bodies[id] {
                    return Ok(signer.body(&body.text));
                }
                let rel = &site.pages[id].source.rel_path;
                let hash = prior.sources.get(rel).map_or(0, |r| r.hash);
                match prior.pages.get(rel).filter(|e| e.hash == hash) {
                    Some(e) => Ok(e.signature.clone()),
                    None => Ok(signer.body(&read_body(site, id, hash)?.text)),
                }
            },
        )
        .collect()
}
