//! The search index `kiln serve` keeps up to date: after an article's body changes, only
//! the files holding its old and new terms are rewritten — the postings chunks of those
//! terms, the dictionary buckets of their surface forms, and the article's fragment bundle.
//!
//! To keep every other file valid, the preview holds the document count, average length
//! and score scale of the full build fixed (a new full build recomputes them); terms new
//! to the site go into an extra postings chunk.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use super::index::{self, Index, Kept, quantise};
use super::write::{self, Layout, bundle_file};
use crate::error::Result;
use crate::markdown::Rendered;
use crate::output::Sink;
use crate::site::{PageId, Site};

/// A built index with what it takes to update it page by page.
pub struct Live {
    index: Index,
    kept: Kept,
    layout: Layout,
    /// Per term: (doc, weighted frequency), by doc.
    wtf: Vec<Vec<(u32, f32)>>,
    /// Per term: (doc, stored impact), by doc.
    impacts: Vec<Vec<(u32, u8)>>,
    /// Surface → its index in `index.surfaces`.
    surface_ids: FxHashMap<String, u32>,
    /// Per term: indexes of its surfaces.
    term_surfaces: Vec<Vec<u32>>,
    doc_of_page: FxHashMap<PageId, u32>,
    /// The chunk that terms new since the full build go to.
    overflow: Option<u32>,
}

impl Live {
    /// Build the whole index, write it into `sink`, and keep it.
    pub fn build(site: &Site, bodies: &[Rendered], sink: &dyn Sink) -> Result<Live> {
        let (index, kept) = index::build_keeping(site, bodies);
        let (_, layout) = write::write(&index, site, bodies, sink, &write::NoReuse)?;
        let terms = index.terms.len();
        let mut wtf: Vec<Vec<(u32, f32)>> = vec![Vec::new(); terms];
        for (doc, tf) in kept.doc_tf.iter().enumerate() {
            for &(t, w) in tf {
                wtf[t as usize].push((doc as u32, w));
            }
        }
        let impacts = (0..terms as u32).map(|t| index.postings(t).to_vec()).collect();
        let mut term_surfaces = vec![Vec::new(); terms];
        let mut surface_ids = FxHashMap::default();
        for (i, (surface, t)) in index.surfaces.iter().enumerate() {
            term_surfaces[*t as usize].push(i as u32);
            surface_ids.insert(surface.clone(), i as u32);
        }
        let doc_of_page = index.docs.iter().enumerate().map(|(d, doc)| (doc.page, d as u32)).collect();
        Ok(Live {
            index,
            kept,
            layout,
            wtf,
            impacts,
            surface_ids,
            term_surfaces,
            doc_of_page,
            overflow: None,
        })
    }

    /// Re-index `page` (its body changed) and rewrite the files that changed; returns how
    /// many files were written.
    pub fn update(
        &mut self,
        site: &Site,
        bodies: &[Rendered],
        page: PageId,
        sink: &dyn Sink,
    ) -> Result<usize> {
        let Some(&d) = self.doc_of_page.get(&page) else { return Ok(0) };
        let index::PageTerms { tf, len, words, title } =
            index::page_terms(site, page, &bodies[page], &self.kept.terms);
        self.kept.titles[d as usize] = title;
        let terms = self.kept.terms.len();
        let known = self.wtf.len();
        self.wtf.resize(terms, Vec::new());
        self.impacts.resize(terms, Vec::new());
        self.term_surfaces.resize(terms, Vec::new());
        let touched = self.retally(d, tf, len);
        let (rescored, df_changed) = self.rescore(&touched, known);
        self.place_new_terms(known, terms);
        let mut buckets = self.place_new_surfaces(words);
        let chunks: BTreeSet<u32> = rescored.iter().map(|&t| self.layout.location[t as usize].0).collect();
        buckets.extend(
            df_changed
                .iter()
                .flat_map(|&t| &self.term_surfaces[t as usize])
                .map(|&i| self.layout.bucket_of(&self.index.surfaces[i as usize].0)),
        );
        let impacts = &self.impacts;
        let postings = |t: u32| impacts[t as usize].as_slice();
        let df = |t: u32| self.wtf[t as usize].len() as u32;
        let mut written = 0;
        for c in chunks {
            let (path, bytes) = self.layout.chunk_file(c as usize, &postings);
            sink.write(&path, &bytes)?;
            written += 1;
        }
        for b in buckets {
            for (path, bytes) in self.layout.bucket_files(b, &self.index.surfaces, &df)? {
                sink.write(&path, &bytes)?;
                written += 1;
            }
        }
        let (path, bytes) = bundle_file(d as usize / write::BUNDLE, &self.index, site, bodies)?;
        sink.write(&path, &bytes)?;
        Ok(written + 1)
    }

    /// Replace document `d`'s term frequencies and length; returns the terms it had or has.
    fn retally(&mut self, d: u32, tf: Vec<(u32, f32)>, len: f32) -> BTreeSet<u32> {
        let mut touched: BTreeSet<u32> = self.kept.doc_tf[d as usize].iter().map(|p| p.0).collect();
        touched.extend(tf.iter().map(|p| p.0));
        for &(t, _) in &self.kept.doc_tf[d as usize] {
            let list = &mut self.wtf[t as usize];
            if let Ok(i) = list.binary_search_by_key(&d, |p| p.0) {
                list.remove(i);
            }
        }
        for &(t, w) in &tf {
            let list = &mut self.wtf[t as usize];
            match list.binary_search_by_key(&d, |p| p.0) {
                Ok(i) => list[i].1 = w,
                Err(i) => list.insert(i, (d, w)),
            }
        }
        self.kept.doc_tf[d as usize] = tf;
        self.kept.lengths[d as usize] = len;
        touched
    }

    /// Score the touched terms again. Only files whose bytes change are rewritten: a chunk
    /// when one of its terms' stored impacts moved (most stay on the same byte), a bucket
    /// when a document frequency changed or a surface is new. Returns (terms rescored,
    /// terms whose document frequency changed); terms from `known` on are new.
    fn rescore(&mut self, touched: &BTreeSet<u32>, known: usize) -> (BTreeSet<u32>, BTreeSet<u32>) {
        let n = self.kept.lengths.len() as f32;
        let (avg, scale) = (self.kept.avg, self.index.scale);
        let mut rescored = BTreeSet::new();
        let mut df_changed = BTreeSet::new();
        for &t in touched {
            let list = &self.wtf[t as usize];
            let df = list.len() as f32;
            let (lengths, titles) = (&self.kept.lengths, &self.kept.titles);
            let idf = index::idf(df, n);
            let impacts: Vec<(u32, u8)> = list
                .iter()
                .map(|&(doc, w)| {
                    let d = doc as usize;
                    let share = index::share_of(&titles[d], t);
                    (doc, quantise(index::score(idf, w, lengths[d], avg, share), scale))
                })
                .collect();
            let new_term = t as usize >= known;
            if new_term || impacts.len() != self.impacts[t as usize].len() {
                df_changed.insert(t);
            }
            if new_term || impacts != self.impacts[t as usize] {
                rescored.insert(t);
                self.impacts[t as usize] = impacts;
            }
        }
        (rescored, df_changed)
    }

    /// Terms new to the site (ids `known..terms`) get a place in the overflow chunk.
    fn place_new_terms(&mut self, known: usize, terms: usize) {
        for t in known..terms {
            let c = match self.overflow {
                Some(c) => c,
                None => {
                    self.layout.chunks.push(Vec::new());
                    let c = (self.layout.chunks.len() - 1) as u32;
                    self.overflow = Some(c);
                    c
                }
            };
            self.layout.location.push((c, self.layout.chunks[c as usize].len() as u32));
            self.layout.chunks[c as usize].push(t as u32);
        }
    }

    /// Surfaces new to the site join their key's rows, in order; returns the buckets that
    /// changed.
    fn place_new_surfaces(&mut self, words: Vec<(Box<str>, u32)>) -> BTreeSet<usize> {
        let mut buckets = BTreeSet::new();
        for (surface, t) in words {
            if self.surface_ids.contains_key(&*surface) {
                continue;
            }
            let i = self.index.surfaces.len() as u32;
            self.index.surfaces.push((surface.to_string(), t));
            self.surface_ids.insert(surface.to_string(), i);
            self.term_surfaces[t as usize].push(i);
            let b = self.layout.bucket_of(&surface);
            let rows = self.layout.buckets[b].entry(write::key_of(&surface).to_string()).or_default();
            let surfaces = &self.index.surfaces;
            let at = rows.partition_point(|&r| surfaces[r as usize].0.as_str() < &*surface);
            rows.insert(at, i);
            buckets.insert(b);
        }
        buckets
    }
}
