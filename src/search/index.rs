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
/// and the (surface, term id) pairs its worker met first.
struct DocOut {
    tf: Vec<(u32, f32)>,
    len: f32,
    words: Vec<(Box<str>, u32)>,
}

/// The site's term table, shared by the workers. Ids are handed out in whatever order the
/// workers arrive; nothing written depends on them (files are laid out by term text), so the
/// output stays deterministic. Workers only come here for surfaces new to them.
#[derive(Default)]
pub struct Terms {
    table: Mutex<TermTable>,
}

/// Term → id, and the terms by id.
type TermTable = (FxHashMap<Arc<str>, u32>, Vec<Arc<str>>);

impl Terms {
    /// Number of terms.
    pub fn len(&self) -> usize {
        self.table.lock().unwrap_or_else(|e| e.into_inner()).1.len()
    }

    /// Whether there are no terms.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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

/// A worker's memory of the surfaces it has met: each maps to a term id (or to [`STOP`]),
/// so a token costs one hash lookup and term frequencies live in a dense array.
struct Interner<'a> {
    shared: &'a Terms,
    stemmer: rust_stemmers::Stemmer,
    /// Surfaces of up to 16 bytes, packed into the key itself: no pointer to chase.
    short: FxHashMap<u128, u32>,
    /// A direct-mapped front for `short` small enough to stay in the core's cache: word
    /// frequencies are Zipfian, so most tokens are answered here.
    hot: Vec<(u128, u32)>,
    surfaces: FxHashMap<Box<str>, u32>,
    tf: Vec<f32>,
    touched: Vec<u32>,
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
        }
    }

    /// The term id of a surface form, recording it in `words` the first time.
    fn term(&mut self, token: &str, kind: Kind, words: &mut Vec<(Box<str>, u32)>) -> u32 {
        let packed = pack(token);
        let slot = packed.map(|k| {
            let h = (k as u64 ^ (k >> 64) as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            (h >> (64 - HOT_BITS)) as usize
        });
        if let (Some(k), Some(i)) = (packed, slot)
            && self.hot[i].0 == k
        {
            return self.hot[i].1;
        }
        let known = match packed {
            Some(k) => self.short.get(&k),
            None => self.surfaces.get(token),
        };
        if let Some(&t) = known {
            if let (Some(k), Some(i)) = (packed, slot) {
                self.hot[i] = (k, t);
            }
            return t;
        }
        let id = if kind == Kind::Word && tokenize::is_stop_word(token) {
            STOP
        } else {
            let id = match kind {
                Kind::Word => self.shared.id(&self.stemmer.stem(token)),
                Kind::Code => self.shared.id(token),
            };
            words.push((token.into(), id));
            id
        };
        match packed {
            Some(k) => self.short.insert(k, id),
            None => self.surfaces.insert(token.into(), id),
        };
        id
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
    build_keeping(site, bodies).0
}

/// Build the index, keeping what an incremental update needs.
pub fn build_keeping(site: &Site, bodies: &[Rendered]) -> (Index, Kept) {
    let indexer = Indexer::default();
    let per_page: Vec<PageOut> = (0..site.pages.len())
        .into_par_iter()
        .map_init(|| indexer.interner(), |interner, page| indexer.page(site, page, &bodies[page], interner))
        .collect();
    indexer.finish(site, per_page)
}

/// Indexes pages one by one, on any thread and in any order (the build does it while each
/// page's rendered text is at hand), then assembles the index.
#[derive(Default)]
pub struct Indexer {
    shared: Terms,
}

/// One page's terms, as the [`Indexer`] collects them.
pub struct PageOut(DocOut);

/// A worker's term cache for [`Indexer::page`].
pub struct WorkerTerms<'a>(Interner<'a>);

impl Indexer {
    /// A term cache for one worker thread.
    pub fn interner(&self) -> WorkerTerms<'_> {
        WorkerTerms(Interner::new(&self.shared))
    }

    /// Index one article.
    pub fn page(&self, site: &Site, page: PageId, body: &Rendered, worker: &mut WorkerTerms) -> PageOut {
        PageOut(doc_terms(site, page, body, &mut worker.0))
    }

    /// Assemble the index from every article's terms (`per_page[id]` for page `id`).
    pub fn finish(self, site: &Site, per_page: Vec<PageOut>) -> (Index, Kept) {
        assemble(site, self.shared, per_page)
    }
}

fn assemble(site: &Site, shared: Terms, per_page: Vec<PageOut>) -> (Index, Kept) {
    let (order, sections) = doc_order(site);
    let mut per_page: Vec<Option<DocOut>> = per_page.into_iter().map(|p| Some(p.0)).collect();
    let per_doc: Vec<DocOut> =
        order.iter().map(|&(page, _)| per_page[page].take().expect("every article indexed once")).collect();
    let terms: Vec<Arc<str>> = shared.table.lock().unwrap_or_else(|e| e.into_inner()).1.clone();

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
    for (doc, out) in per_doc.iter().enumerate() {
        for &(id, wtf) in &out.tf {
            let at = &mut cursor[id as usize];
            flat[*at as usize] = (doc as u32, wtf);
            *at += 1;
        }
    }

    // Scores: BM25F per posting, then quantised against the highest.
    let lengths: Vec<f32> = per_doc.iter().map(|d| d.len).collect();
    let n = lengths.len().max(1) as f32;
    let avg = lengths.iter().sum::<f32>() / n;
    for t in 0..terms.len() {
        let range = offsets[t] as usize..offsets[t + 1] as usize;
        let df = range.len() as f32;
        for p in &mut flat[range] {
            p.1 = bm25(p.1, lengths[p.0 as usize], avg, df, n);
        }
    }
    let scale = flat.iter().map(|p| p.1).fold(0.0f32, f32::max).max(f32::EPSILON);
    let postings = flat.iter().map(|&(d, s)| (d, quantise(s, scale))).collect();

    // Surfaces: every word met maps to its stem's term; every code is its own term.
    let mut surface_map: FxHashMap<&str, u32> = FxHashMap::default();
    for out in &per_doc {
        for (surface, id) in &out.words {
            surface_map.insert(surface, *id);
        }
    }
    let mut surfaces: Vec<(String, u32)> =
        surface_map.into_iter().map(|(s, id)| (s.to_string(), id)).collect();
    surfaces.par_sort_unstable();
    let terms = terms.iter().map(|t| t.to_string()).collect();
    let docs = order.into_iter().map(|(page, _)| Doc { page }).collect();
    let doc_tf = per_doc.into_iter().map(|d| d.tf).collect();
    let kept = Kept { terms: shared, doc_tf, lengths, avg };
    (Index { docs, sections, terms, offsets, postings, surfaces, scale }, kept)
}

/// A score as its stored byte, 255 standing for `scale` (higher scores are clamped).
pub fn quantise(score: f32, scale: f32) -> u8 {
    ((score / scale) * 255.0).round().clamp(1.0, 255.0) as u8
}

/// One page's terms against an existing term table (new terms are added to it).
pub fn page_terms(site: &Site, page: PageId, body: &Rendered, terms: &Terms) -> PageTerms {
    let out = doc_terms(site, page, body, &mut Interner::new(terms));
    PageTerms { tf: out.tf, len: out.len, words: out.words }
}

/// A page's contribution to the index.
pub struct PageTerms {
    /// (term id, weighted frequency).
    pub tf: Vec<(u32, f32)>,
    /// Weighted length.
    pub len: f32,
    /// Every (surface, term id) the page has.
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
    let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
    let norm = K1 * (1.0 - B + B * len / avg_len.max(1.0));
    idf * wtf * (K1 + 1.0) / (wtf + norm)
}

/// Documents in depth-first section order, so that every section's documents (with its
/// sub-sections') form one contiguous id range — facets are then a range check.
fn doc_order(site: &Site) -> (Vec<(PageId, SectionId)>, Vec<SectionRange>) {
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
    let mut words = Vec::new();
    let mut len = 0.0;
    for (weight, text) in fields {
        tokenize::each_token(text, &mut |token, kind| {
            let t = interner.term(token, kind, &mut words);
            if t != STOP {
                len += weight;
                interner.count(t, weight);
            }
        });
    }
    let tf = interner.touched.drain(..).map(|t| (t, std::mem::take(&mut interner.tf[t as usize]))).collect();
    DocOut { tf, len, words }
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
