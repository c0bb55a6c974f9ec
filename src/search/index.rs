//! Building the search index from what the earlier stages produced: titles, headings,
//! descriptions, tags, the category/folder trail and the rendered body text. No HTML is
//! parsed again.
//!
//! Scores are BM25F, computed here where document frequencies are known, and stored as one
//! byte per posting, so the browser only adds numbers.

use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use rayon::prelude::*;

use super::tokenize::{self, Kind};
use crate::markdown::Rendered;
use crate::site::{PageId, ROOT, SectionId, Site};

/// Field weights for BM25F: a match in the title counts six times one in the body.
const W_TITLE: f32 = 10.0;
const W_HEADING: f32 = 2.5;
const W_DESCRIPTION: f32 = 2.0;
const W_TAG: f32 = 3.0;
const W_TRAIL: f32 = 1.5;
const W_BODY: f32 = 1.0;
/// The file name (slug) says what a KB article is about as well as its title does.
const W_SLUG: f32 = 4.0;
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// One document of the index, in index order.
#[derive(Debug)]
pub struct Doc {
    /// The page it stands for.
    pub page: PageId,
}

/// A section's place in index order: its documents (and its sub-sections') are contiguous.
#[derive(Debug, Clone)]
pub struct SectionRange {
    /// The section.
    pub id: SectionId,
    /// Label.
    pub label: String,
    /// Index of the parent in the ranges list (`None` for categories).
    pub parent: Option<usize>,
    /// 1 for categories, 2 for folders, …
    pub depth: usize,
    /// First doc id.
    pub start: u32,
    /// One past the last doc id (sub-sections included).
    pub end: u32,
}

/// The built index, before it is cut into files.
#[derive(Debug)]
pub struct Index {
    /// Documents in index order.
    pub docs: Vec<Doc>,
    /// Sections in depth-first order, with their doc ranges.
    pub sections: Vec<SectionRange>,
    /// Term strings, by term id.
    pub terms: Vec<String>,
    /// Where each term's postings start in `postings` (one more entry than terms).
    pub offsets: Vec<u32>,
    /// Postings of every term, term after term: (doc id, quantised impact 1..=255), by doc
    /// id within a term. Read them with [`Index::postings`].
    pub postings: Vec<(u32, u8)>,
    /// Every surface form seen, with the term id it maps to.
    pub surfaces: Vec<(String, u32)>,
    /// The impact that 255 stands for.
    pub scale: f32,
}

/// What one document contributes: weighted term frequencies by term id, weighted length,
/// and the ids of the surface forms it contains (each once).
struct DocOut {
    tf: Vec<(u32, f32)>,
    len: f32,
    surfaces: Vec<u32>,
}

/// The site's term and surface tables, shared by the workers. Ids are handed out in
/// whatever order the workers arrive; nothing written depends on them (files are laid out by
/// term text), so the output stays deterministic. Workers only come here for surfaces new
/// to them.
#[derive(Default)]
pub struct Terms {
    table: Mutex<TermTable>,
    surfaces: Mutex<SurfaceTable>,
}

/// Terms by id, and (surface, term id) by surface id: what the build cache stores.
pub type Tables = (Vec<Arc<str>>, Vec<(Arc<str>, u32)>);

/// Term → id, and the terms by id.
type TermTable = (FxHashMap<Arc<str>, u32>, Vec<Arc<str>>);
/// Surface → id, and (surface, term id) by surface id.
type SurfaceTable = (FxHashMap<Arc<str>, u32>, Vec<(Arc<str>, u32)>);

impl Terms {
    /// Number of terms.
    pub fn len(&self) -> usize {
        self.table.lock().unwrap_or_else(|e| e.into_inner()).1.len()
    }

    /// Whether there are no terms.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Tables of an earlier build, so that its cached per-page terms keep their ids.
    pub fn from_tables(terms: Vec<Arc<str>>, surfaces: Vec<(Arc<str>, u32)>) -> Terms {
        let term_ids = terms.iter().enumerate().map(|(i, t)| (t.clone(), i as u32)).collect();
        let surface_ids = surfaces.iter().enumerate().map(|(i, (s, _))| (s.clone(), i as u32)).collect();
        Terms { table: Mutex::new((term_ids, terms)), surfaces: Mutex::new((surface_ids, surfaces)) }
    }

    /// Every term by id and every (surface, term id) by surface id.
    pub fn tables(&self) -> Tables {
        let terms = self.table.lock().unwrap_or_else(|e| e.into_inner()).1.clone();
        let surfaces = self.surfaces.lock().unwrap_or_else(|e| e.into_inner()).1.clone();
        (terms, surfaces)
    }

    fn surface_id(&self, surface: &str, term: u32) -> u32 {
        let mut guard = self.surfaces.lock().unwrap_or_else(|e| e.into_inner());
        let (ids, list) = &mut *guard;
        if let Some(&id) = ids.get(surface) {
            return id;
        }
        let surface: Arc<str> = surface.into();
        list.push((surface.clone(), term));
        let id = (list.len() - 1) as u32;
        ids.insert(surface, id);
        id
    }

    fn id(&self, term: &str) -> u32 {
        let mut guard = self.table.lock().unwrap_or_else(|e| e.into_inner());
        let (ids, list) = &mut *guard;
        if let Some(&id) = ids.get(term) {
            return id;
        }
        let term: Arc<str> = term.into();
        list.push(term.clone());
        let id = (list.len() - 1) as u32;
        ids.insert(term, id);
        id
    }
}

/// A worker's memory of the surfaces it has met: each maps to its term id (or to [`STOP`])
/// and its surface id, packed as `term << 32 | surface`, so a token costs one hash lookup
/// and term frequencies live in a dense array.
struct Interner<'a> {
    shared: &'a Terms,
    stemmer: rust_stemmers::Stemmer,
    /// Surfaces of up to 16 bytes, packed into the key itself: no pointer to chase.
    short: FxHashMap<u128, u64>,
    /// A direct-mapped front for `short` small enough to stay in the core's cache: word
    /// frequencies are Zipfian, so most tokens are answered here.
    hot: Vec<(u128, u64)>,
    surfaces: FxHashMap<Box<str>, u64>,
    tf: Vec<f32>,
    touched: Vec<u32>,
    /// Per surface id, the last document it was recorded for (`doc` below).
    seen: Vec<u32>,
    doc: u32,
    doc_surfaces: Vec<u32>,
}

const HOT_BITS: u32 = 13;
const HOT_SLOTS: usize = 1 << HOT_BITS;

/// Term id of a stop word.
const STOP: u32 = u32::MAX;

impl<'a> Interner<'a> {
    fn new(shared: &'a Terms) -> Self {
        Interner {
            shared,
            stemmer: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English),
            short: FxHashMap::default(),
            hot: vec![(0, 0); HOT_SLOTS],
            surfaces: FxHashMap::default(),
            tf: Vec::new(),
            touched: Vec::new(),
            seen: Vec::new(),
            doc: 0,
            doc_surfaces: Vec::new(),
        }
    }

    /// The term id of a surface form (or [`STOP`]), noting the surface for the current
    /// document.
    fn term(&mut self, token: &str, kind: Kind) -> u32 {
        let packed = pack(token);
        let slot = packed.map(|k| {
            let h = (k as u64 ^ (k >> 64) as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            (h >> (64 - HOT_BITS)) as usize
        });
        let both = match (packed, slot) {
            (Some(k), Some(i)) if self.hot[i].0 == k => self.hot[i].1,
            _ => {
                let known = match packed {
                    Some(k) => self.short.get(&k).copied(),
                    None => self.surfaces.get(token).copied(),
                };
                let both = known.unwrap_or_else(|| self.learn(token, kind, packed));
                if let (Some(k), Some(i)) = (packed, slot) {
                    self.hot[i] = (k, both);
                }
                both
            }
        };
        let (term, surface) = ((both >> 32) as u32, both as u32);
        if term != STOP {
            let s = surface as usize;
            if s >= self.seen.len() {
                self.seen.resize(s + 1, u32::MAX);
            }
            if self.seen[s] != self.doc {
                self.seen[s] = self.doc;
                self.doc_surfaces.push(surface);
            }
        }
        term
    }

    /// Look a surface new to this worker up in the shared tables.
    fn learn(&mut self, token: &str, kind: Kind, packed: Option<u128>) -> u64 {
        let both = if kind == Kind::Word && tokenize::is_stop_word(token) {
            (STOP as u64) << 32
        } else {
            let term = match kind {
                Kind::Word => self.shared.id(&self.stemmer.stem(token)),
                Kind::Code => self.shared.id(token),
            };
            ((term as u64) << 32) | self.shared.surface_id(token, term) as u64
        };
        match packed {
            Some(k) => self.short.insert(k, both),
            None => self.surfaces.insert(token.into(), both),
        };
        both
    }

    /// Add `weight` to the frequency of term `t` in the current page.
    fn count(&mut self, t: u32, weight: f32) {
        let t = t as usize;
        if t >= self.tf.len() {
            self.tf.resize(t + 1, 0.0);
        }
        if self.tf[t] == 0.0 {
            self.touched.push(t as u32);
        }
        self.tf[t] += weight;
    }
}

/// A surface of 1–16 bytes as one number (tokens never contain NUL, so zero padding is
/// unambiguous).
fn pack(token: &str) -> Option<u128> {
    let b = token.as_bytes();
    (b.len() <= 16).then(|| {
        let mut k = [0u8; 16];
        k[..b.len()].copy_from_slice(b);
        u128::from_le_bytes(k)
    })
}

/// What an index build leaves for incremental updates (`kiln serve`).
pub struct Kept {
    /// The term table; ids stay valid, new terms are appended.
    pub terms: Terms,
    /// Per document: (term id, weighted term frequency).
    pub doc_tf: Vec<Vec<(u32, f32)>>,
    /// Per document: weighted length.
    pub lengths: Vec<f32>,
    /// Average weighted length when the index was built.
    pub avg: f32,
}

/// Build the index of every article of the site.
pub fn build(site: &Site, bodies: &[Rendered]) -> Index {
    let indexer = Indexer::default();
    let per_page: Vec<PageOut> = (0..site.pages.len())
        .into_par_iter()
        .map_init(|| indexer.interner(), |interner, page| indexer.page(site, page, &bodies[page], interner))
        .collect();
    indexer.finish(site, per_page)
}

/// Build the index, keeping what an incremental update needs.
pub fn build_keeping(site: &Site, bodies: &[Rendered]) -> (Index, Kept) {
    let indexer = Indexer::default();
    let per_page: Vec<PageOut> = (0..site.pages.len())
        .into_par_iter()
        .map_init(|| indexer.interner(), |interner, page| indexer.page(site, page, &bodies[page], interner))
        .collect();
    indexer.finish_keeping(site, per_page)
}

/// Indexes pages one by one, on any thread and in any order (the build does it while each
/// page's rendered text is at hand), then assembles the index.
#[derive(Default)]
pub struct Indexer {
    shared: Terms,
    /// Bit set of the surface ids some indexed page contains.
    present: Mutex<Vec<u64>>,
}

/// One page's terms, as the [`Indexer`] collects them.
pub struct PageOut(DocOut);

impl PageOut {
    /// What a page contributes, as the build cache stores it: (term id, weighted
    /// frequency) pairs, weighted length, surface ids.
    pub fn parts(&self) -> (&[(u32, f32)], f32, &[u32]) {
        (&self.0.tf, self.0.len, &self.0.surfaces)
    }

    /// A page's terms read back from the build cache (ids from [`Terms::tables`] of the
    /// build that stored them).
    pub fn from_parts(tf: Vec<(u32, f32)>, len: f32, surfaces: Vec<u32>) -> PageOut {
        PageOut(DocOut { tf, len, surfaces })
    }

    /// Drop the surface ids once the cache has them (assembling needs only the term
    /// frequencies; the surfaces are already marked present).
    pub fn release_surfaces(&mut self) {
        self.0.surfaces = Vec::new();
    }
}

/// A worker's term cache for [`Indexer::page`].
pub struct WorkerTerms<'a>(Interner<'a>);

impl Indexer {
    /// An indexer whose tables start from an earlier build's (see [`Terms::from_tables`]).
    pub fn with_terms(shared: Terms) -> Indexer {
        Indexer { shared, present: Mutex::default() }
    }

    /// The term and surface tables.
    pub fn terms(&self) -> &Terms {
        &self.shared
    }

    /// A term cache for one worker thread.
    pub fn interner(&self) -> WorkerTerms<'_> {
        WorkerTerms(Interner::new(&self.shared))
    }

    /// Index one article.
    pub fn page(&self, site: &Site, page: PageId, body: &Rendered, worker: &mut WorkerTerms) -> PageOut {
        let out = doc_terms(site, page, body, &mut worker.0);
        self.mark(&out.surfaces);
        PageOut(out)
    }

    /// Count the surfaces of an article whose terms came from the build cache.
    pub fn cached(&self, surfaces: impl Iterator<Item = u32>) {
        let mut bits = self.present.lock().unwrap_or_else(|e| e.into_inner());
        for s in surfaces {
            let (word, bit) = (s as usize / 64, s % 64);
            if word >= bits.len() {
                bits.resize(word + 1, 0);
            }
            bits[word] |= 1 << bit;
        }
    }

    fn mark(&self, surfaces: &[u32]) {
        let mut bits = self.present.lock().unwrap_or_else(|e| e.into_inner());
        for &s in surfaces {
            let (word, bit) = (s as usize / 64, s % 64);
            if word >= bits.len() {
                bits.resize(word + 1, 0);
            }
            bits[word] |= 1 << bit;
        }
    }

    /// Assemble the index from every article's terms (`per_page[id]` for page `id`).
    pub fn finish(self, site: &Site, per_page: Vec<PageOut>) -> Index {
        let present = self.present.into_inner().unwrap_or_else(|e| e.into_inner());
        assemble(site, self.shared, &present, per_page, false).0
    }

    /// [`Self::finish`], keeping what an incremental update needs (`kiln serve`).
    pub fn finish_keeping(self, site: &Site, per_page: Vec<PageOut>) -> (Index, Kept) {
        let present = self.present.into_inner().unwrap_or_else(|e| e.into_inner());
        let (index, kept) = assemble(site, self.shared, &present, per_page, true);
        (index, kept.expect("asked to keep"))
    }
}

fn assemble(
    site: &Site,
    shared: Terms,
    present: &[u64],
    per_page: Vec<PageOut>,
    keep: bool,
) -> (Index, Option<Kept>) {
    let (order, sections) = doc_order(site);
    let mut per_page: Vec<Option<DocOut>> = per_page.into_iter().map(|p| Some(p.0)).collect();
    let mut per_doc: Vec<DocOut> =
        order.iter().map(|&(page, _)| per_page[page].take().expect("every article indexed once")).collect();
    let (all_terms, all_surfaces) = shared.tables();

    // Terms no page has any more (the cache's tables remember every term an earlier build
    // saw) are dropped and the rest renumbered, so the index is what a cold build makes.
    let mut df = vec![0u32; all_terms.len()];
    for out in &per_doc {
        for &(id, _) in &out.tf {
            df[id as usize] += 1;
        }
    }
    let mut remap = vec![u32::MAX; all_terms.len()];
    let mut terms = Vec::new();
    for (old, t) in all_terms.iter().enumerate() {
        if df[old] > 0 {
            remap[old] = terms.len() as u32;
            terms.push(t.to_string());
        }
    }
    if terms.len() != all_terms.len() {
        for out in &mut per_doc {
            for p in &mut out.tf {
                p.0 = remap[p.0 as usize];
            }
        }
    }

    // Postings of all terms in one array, term after term (a counting sort by term id):
    // two passes over the pages instead of a growing list per term.
    let mut offsets = vec![0u32; terms.len() + 1];
    for out in &per_doc {
        for &(id, _) in &out.tf {
            offsets[id as usize + 1] += 1;
        }
    }
    for t in 0..terms.len() {
        offsets[t + 1] += offsets[t];
    }
    let mut cursor = offsets[..terms.len()].to_vec();
    let mut flat = vec![(0u32, 0f32); offsets[terms.len()] as usize];
    for (doc, out) in per_doc.iter_mut().enumerate() {
        for &(id, wtf) in &out.tf {
            let at = &mut cursor[id as usize];
            flat[*at as usize] = (doc as u32, wtf);
            *at += 1;
        }
        // A build has no use for a page's terms once they are in `flat`: releasing them
        // here keeps a 100k-page build from holding every posting three times over.
        if !keep {
            out.tf = Vec::new();
        }
    }
    drop(cursor);

    // Scores: BM25F per posting, then quantised against the highest.
    let lengths: Vec<f32> = per_doc.iter().map(|d| d.len).collect();
    let n = lengths.len().max(1) as f32;
    let avg = lengths.iter().sum::<f32>() / n;
    let mut per_term: Vec<&mut [(u32, f32)]> = Vec::with_capacity(terms.len());
    let mut rest = &mut flat[..];
    for t in 0..terms.len() {
        let (list, tail) = rest.split_at_mut((offsets[t + 1] - offsets[t]) as usize);
        per_term.push(list);
        rest = tail;
    }
    per_term.par_iter_mut().with_min_len(256).for_each(|list| {
        let idf = idf(list.len() as f32, n);
        for p in list.iter_mut() {
            p.1 = bm25_idf(idf, p.1, lengths[p.0 as usize], avg);
        }
    });
    drop(per_term);
    let scale = flat.par_iter().map(|p| p.1).reduce(|| 0.0f32, f32::max).max(f32::EPSILON);
    let postings = flat.par_iter().map(|&(d, s)| (d, quantise(s, scale))).collect();

    // Surfaces: every word met maps to its stem's term; every code is its own term.
    let is_present = |i: usize| present.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0);
    let mut surfaces: Vec<(String, u32)> = all_surfaces
        .iter()
        .enumerate()
        .filter(|&(i, _)| is_present(i))
        .map(|(_, (s, t))| (s.to_string(), remap[*t as usize]))
        .collect();
    surfaces.par_sort_unstable();
    let docs = order.into_iter().map(|(page, _)| Doc { page }).collect();
    let doc_tf = per_doc.into_iter().map(|d| d.tf).collect();
    let kept = keep.then_some(Kept { terms: shared, doc_tf, lengths, avg });
    (Index { docs, sections, terms, offsets, postings, surfaces, scale }, kept)
}

/// A score as its stored byte, 255 standing for `scale` (higher scores are clamped).
pub fn quantise(score: f32, scale: f32) -> u8 {
    ((score / scale) * 255.0).round().clamp(1.0, 255.0) as u8
}

/// One page's terms against an existing term table (new terms are added to it).
pub fn page_terms(site: &Site, page: PageId, body: &Rendered, terms: &Terms) -> PageTerms {
    let out = doc_terms(site, page, body, &mut Interner::new(terms));
    let table = terms.surfaces.lock().unwrap_or_else(|e| e.into_inner());
    let words = out
        .surfaces
        .iter()
        .map(|&s| (table.1[s as usize].0.as_ref().into(), table.1[s as usize].1))
        .collect();
    PageTerms { tf: out.tf, len: out.len, words }
}

/// A page's contribution to the index.
pub struct PageTerms {
    /// (term id, weighted frequency).
    pub tf: Vec<(u32, f32)>,
    /// Weighted length.
    pub len: f32,
    /// Every (surface, term id) the page has, each once.
    pub words: Vec<(Box<str>, u32)>,
}

impl Index {
    /// Postings of term `t`: (doc id, impact), by doc id.
    pub fn postings(&self, t: u32) -> &[(u32, u8)] {
        &self.postings[self.offsets[t as usize] as usize..self.offsets[t as usize + 1] as usize]
    }
}

/// BM25 with field-weighted term frequency `wtf` in a document of weighted length `len`.
pub fn bm25(wtf: f32, len: f32, avg_len: f32, df: f32, n: f32) -> f32 {
    bm25_idf(idf(df, n), wtf, len, avg_len)
}

/// The inverse document frequency part of [`bm25`], the same for a term's every posting.
fn idf(df: f32, n: f32) -> f32 {
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// [`bm25`] with the term's [`idf`] computed once.
fn bm25_idf(idf: f32, wtf: f32, len: f32, avg_len: f32) -> f32 {
    let norm = K1 * (1.0 - B + B * len / avg_len.max(1.0));
    idf * wtf * (K1 + 1.0) / (wtf + norm)
}

/// Documents in depth-first section order, so that every section's documents (with its
/// sub-sections') form one contiguous id range — facets are then a range check.
pub fn doc_order(site: &Site) -> (Vec<(PageId, SectionId)>, Vec<SectionRange>) {
    fn walk(
        site: &Site,
        id: SectionId,
        parent: Option<usize>,
        order: &mut Vec<(PageId, SectionId)>,
        ranges: &mut Vec<SectionRange>,
    ) {
        let s = &site.sections[id];
        let me = (id != ROOT).then(|| {
            ranges.push(SectionRange {
                id,
                label: s.label.clone(),
                parent,
                depth: s.depth,
                start: order.len() as u32,
                end: 0,
            });
            ranges.len() - 1
        });
        order.extend(s.pages.iter().map(|&p| (p, id)));
        for &c in &s.children {
            walk(site, c, me, order, ranges);
        }
        if let Some(me) = me {
            ranges[me].end = order.len() as u32;
        }
    }
    let mut order = Vec::with_capacity(site.pages.len());
    let mut ranges = Vec::new();
    walk(site, ROOT, None, &mut order, &mut ranges);
    (order, ranges)
}

/// Weighted term frequencies of one page, its weighted length, and its new surface forms.
fn doc_terms(site: &Site, page: PageId, body: &Rendered, interner: &mut Interner) -> DocOut {
    let p = &site.pages[page];
    let trail = site.trail(p.section);
    let headings: Vec<&str> = body.headings.iter().map(|h| h.title.as_str()).collect();
    let description = p.source.meta.description.as_deref().unwrap_or("");
    let tags = p.source.meta.tags.join("\n");
    let slug = p.source.slug.replace(['-', '_', '/'], " ");
    let fields: [(f32, &str); 7] = [
        (W_TITLE, &p.source.title),
        (W_SLUG, &slug),
        (W_HEADING, &headings.join("\n")),
        (W_DESCRIPTION, description),
        (W_TAG, &tags),
        (W_TRAIL, &trail.join("\n")),
        (W_BODY, &body.text),
    ];
    interner.doc = interner.doc.wrapping_add(1);
    let mut len = 0.0;
    for (weight, text) in fields {
        tokenize::each_token(text, &mut |token, kind| {
            let t = interner.term(token, kind);
            if t != STOP {
                len += weight;
                interner.count(t, weight);
            }
        });
    }
    let tf = interner.touched.drain(..).map(|t| (t, std::mem::take(&mut interner.tf[t as usize]))).collect();
    let surfaces = std::mem::take(&mut interner.doc_surfaces);
    DocOut { tf, len, surfaces }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_match_outweighs_a_body_match() {
        assert!(bm25(W_TITLE, 300.0, 300.0, 10.0, 1000.0) > bm25(W_BODY, 300.0, 300.0, 10.0, 1000.0));
        assert!(bm25(W_TITLE, 300.0, 300.0, 10.0, 1000.0) > bm25(3.0 * W_BODY, 300.0, 300.0, 10.0, 1000.0));
    }

    #[test]
    fn rare_terms_and_short_documents_score_higher() {
        assert!(bm25(1.0, 300.0, 300.0, 2.0, 1000.0) > bm25(1.0, 300.0, 300.0, 500.0, 1000.0));
        assert!(bm25(1.0, 100.0, 300.0, 10.0, 1000.0) > bm25(1.0, 900.0, 300.0, 10.0, 1000.0));
    }

    #[test]
    fn term_frequency_saturates() {
        let gain_low = bm25(2.0, 300.0, 300.0, 10.0, 1000.0) - bm25(1.0, 300.0, 300.0, 10.0, 1000.0);
        let gain_high = bm25(21.0, 300.0, 300.0, 10.0, 1000.0) - bm25(20.0, 300.0, 300.0, 10.0, 1000.0);
        assert!(gain_low > 10.0 * gain_high);
    }
}
