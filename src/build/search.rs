//! The search index's part in a build: which articles' terms the build cache still holds,
//! which fragment files can stay, the terms of every other article counted as it renders,
//! and the index assembled and written at the end.

use std::sync::Mutex;

use super::pages::Plan;
use crate::base::digest::Digest;
use crate::cache::reuse::Derived;
use crate::error::Result;
use crate::markdown::Rendered;
use crate::output::Sink;
use crate::search::index::{Indexer, PageOut, Terms, WorkerTerms, doc_order};
use crate::search::write::{BUNDLE, Reuse, bundle_path};
use crate::search::{keys, stored};
use crate::site::{PageId, Site};

/// The search index during one build.
pub(super) struct SearchPass {
    /// Whether the index is built and written this time (off with `search = false`, or
    /// when the whole index is the last build's).
    pub(super) index_now: bool,
    indexer: Indexer,
    /// The terms the last build stored, for articles whose key still matches.
    store: Option<stored::Stored>,
    stored: Vec<Mutex<Option<stored::Cached>>>,
    /// Where this build stores its articles' terms (with the cache).
    writer: Option<stored::Writer>,
    /// Articles whose fragment bundle is written again: their text is needed.
    needs_text: Vec<bool>,
    bundle_kept: Vec<bool>,
}

impl SearchPass {
    /// Decide what the search index can keep: all of it when no article's terms or place
    /// changed; otherwise the stored terms of unchanged articles and the fragment bundles
    /// whose documents are all unchanged. Returns the index's key for the build's record.
    pub(super) fn plan(
        site: &Site,
        plans: &[Plan],
        (setup, prior_search): (Digest, Option<Digest>),
        derived: &Derived,
        terms_file: Option<&std::path::Path>,
        caching: bool,
    ) -> Result<(SearchPass, Option<Digest>)> {
        let n = site.pages.len();
        let mut pass = SearchPass {
            index_now: false,
            indexer: Indexer::for_site(site),
            store: None,
            stored: Vec::new(),
            writer: None,
            needs_text: vec![false; n],
            bundle_kept: Vec::new(),
        };
        if !site.config.search {
            return Ok((pass, None));
        }
        let (order, ranges) = doc_order(site);
        let frag = |id: PageId| keys::doc_key(plans[id].terms, &site.pages[id].url);
        let whole = keys::index_key(setup, order.iter().map(|&(id, _)| frag(id)), &ranges);
        let unchanged = order.iter().all(|&(id, _)| plans[id].md_ok);
        if caching && prior_search == Some(whole) && unchanged {
            // Every file of the last index is kept; should one be missing, the index is
            // made again, and the files kept here match it (same documents, same keys).
            if derived.prior_paths("search/").iter().all(|p| derived.keep_file(p)) {
                derived.carry(|p| p.starts_with("search/"));
                return Ok((pass, Some(whole)));
            }
        }
        pass.index_now = true;
        pass.load_stored(site, plans, terms_file.filter(|_| caching));
        for (n, docs) in order.chunks(BUNDLE).enumerate() {
            let path = bundle_path(n);
            let key = keys::bundle_key(docs.iter().map(|&(id, _)| frag(id)));
            let keep = if docs.iter().all(|&(id, _)| plans[id].md_ok) {
                derived.keep(&path, key)
            } else {
                derived.note(&path, key);
                false
            };
            if !keep {
                docs.iter().for_each(|&(id, _)| pass.needs_text[id] = true);
            }
            pass.bundle_kept.push(keep);
        }
        if let Some(path) = terms_file.filter(|_| caching) {
            pass.writer = Some(stored::Writer::create(path)?);
        }
        Ok((pass, Some(whole)))
    }

    /// The last build's stored terms of every article whose terms key still matches.
    fn load_stored(&mut self, site: &Site, plans: &[Plan], terms_file: Option<&std::path::Path>) {
        let mut stored: Vec<Option<stored::Cached>> = (0..site.pages.len()).map(|_| None).collect();
        self.store = terms_file.and_then(stored::read);
        if let Some(c) = &mut self.store {
            let (t, s) = (std::mem::take(&mut c.tables.0), std::mem::take(&mut c.tables.1));
            self.indexer = Indexer::with_terms(Terms::from_tables(t, s), site);
            for (id, p) in plans.iter().enumerate() {
                if p.md_ok
                    && let Some(cached) = c.pages.remove(&site.pages[id].source.rel_path)
                    && cached.key == p.terms
                {
                    stored[id] = Some(cached);
                }
            }
        }
        self.stored = stored.into_iter().map(Mutex::new).collect();
    }

    /// Whether article `id`'s text is needed for a fragment bundle written again.
    pub(super) fn needs_text(&self, id: PageId) -> bool {
        self.needs_text[id]
    }

    /// A term cache for one worker thread.
    pub(super) fn worker(&self) -> WorkerTerms<'_> {
        self.indexer.interner()
    }

    /// Article `id`'s terms as the last build stored them, if they still hold: decoded here
    /// (in parallel), its surfaces marked, its record copied into this build's file.
    pub(super) fn cached_terms(&self, id: PageId) -> Result<Option<PageOut>> {
        let cached = match self.stored.get(id) {
            Some(s) if self.index_now => s.lock().unwrap_or_else(|e| e.into_inner()).take(),
            _ => None,
        };
        let (Some(c), Some(store)) = (cached, &self.store) else { return Ok(None) };
        let Some(out) = store.terms(&c) else { return Ok(None) };
        self.indexer.cached(store.surfaces(&c));
        if let Some(w) = &self.writer {
            w.record_raw(store.record(&c))?;
        }
        Ok(Some(out))
    }

    /// Count article `id`'s terms from its rendered body, and store them for the next build.
    pub(super) fn index(
        &self,
        site: &Site,
        id: PageId,
        body: &Rendered,
        key: Digest,
        worker: &mut WorkerTerms,
    ) -> Result<PageOut> {
        let mut terms = self.indexer.page(site, id, body, worker);
        if let Some(w) = &self.writer {
            w.record(&site.pages[id].source.rel_path, key, &terms)?;
        }
        terms.release_surfaces();
        Ok(terms)
    }

    /// Assemble the index from every article's terms and write it, keeping the files whose
    /// key is unchanged; the stored terms' tables are written meanwhile.
    pub(super) fn finish(
        self,
        site: &Site,
        per_page: Vec<PageOut>,
        texts: &[Rendered],
        sink: &dyn Sink,
        derived: &Derived,
    ) -> Result<()> {
        if !self.index_now {
            return Ok(());
        }
        let SearchPass { indexer, writer, bundle_kept, .. } = self;
        let reuse = Reused { derived, bundles: &bundle_kept };
        let tables = writer.as_ref().map(|_| indexer.terms().tables());
        let (stored, index) = rayon::join(
            || writer.zip(tables.as_ref()).map_or(Ok(()), |(w, t)| w.finish(t)),
            || crate::search::finish_and_write(indexer, per_page, site, texts, sink, &reuse),
        );
        stored?;
        index.map(|_| ())
    }
}

/// The search writer's view of the cache.
struct Reused<'a> {
    derived: &'a Derived<'a>,
    bundles: &'a [bool],
}

impl Reuse for Reused<'_> {
    fn raw(&self, path: &str, key: Digest) -> bool {
        self.derived.keep(path, key)
    }

    fn bundle(&self, n: usize) -> bool {
        self.bundles.get(n).copied().unwrap_or(false)
    }
}
