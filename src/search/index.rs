//! Building the search index from what the earlier stages produced: titles, headings,
//! descriptions, tags, the category/folder trail and the rendered body text. No HTML is
//! parsed again.
//!
//! Scores are BM25F, computed here where document frequencies are known, and stored as one
//! byte per posting, so the browser only adds numbers.

use std::sync::Mutex;

use rayon::prelude::*;

use super::terms::{Interner, STOP};
pub use super::terms::{Tables, Terms};
use super::tokenize::{self, Lang};
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
/// What a term adds, times its idf, for the share of the title's words it is: a query
/// naming an article's whole title ("CLI", "Request Body") finds that article before the
/// long pages that use the words more often, and before longer titles holding them.
const TITLE_COVER: f32 = 1.0;

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
    /// The stop words its language drops (queries drop them too).
    pub stop: &'static [&'static str],
}

/// What one document contributes: weighted term frequencies by term id, weighted length,
/// and the ids of the surface forms it contains (each once).
struct DocOut {
    tf: Vec<(u32, f32)>,
    len: f32,
    surfaces: Vec<u32>,
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
    /// Per document: (term id, its share of the title's words).
    pub titles: Vec<Vec<(u32, f32)>>,
}

/// Build the index of every article of the site.
pub fn build(site: &Site, bodies: &[Rendered]) -> Index {
    let indexer = Indexer::for_site(site);
    let per_page = index_all(&indexer, site, bodies);
    indexer.finish(site, per_page)
}

/// Build the index, keeping what an incremental update needs.
pub fn build_keeping(site: &Site, bodies: &[Rendered]) -> (Index, Kept) {
    let indexer = Indexer::for_site(site);
    let per_page = index_all(&indexer, site, bodies);
    indexer.finish_keeping(site, per_page)
}

fn index_all(indexer: &Indexer, site: &Site, bodies: &[Rendered]) -> Vec<PageOut> {
    (0..site.pages.len())
        .into_par_iter()
        .map_init(|| indexer.interner(), |interner, page| indexer.page(site, page, &bodies[page], interner))
        .collect()
}

/// Indexes pages one by one, on any thread and in any order (the build does it while each
/// page's rendered text is at hand), then assembles the index.
#[derive(Default)]
pub struct Indexer {
    shared: Terms,
    /// Bit set of the surface ids some indexed page contains.
    present: Mutex<Vec<u64>>,
    /// How the site's language makes words terms.
    lang: Lang,
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
    /// An empty indexer for the articles of `site` (in its language).
    pub fn for_site(site: &Site) -> Indexer {
        Indexer { lang: Lang::of(&site.config.language), ..Indexer::default() }
    }

    /// An indexer whose tables start from an earlier build's (see [`Terms::from_tables`]).
    pub fn with_terms(shared: Terms, site: &Site) -> Indexer {
        Indexer { shared, present: Mutex::default(), lang: Lang::of(&site.config.language) }
    }

    /// The term and surface tables.
    pub fn terms(&self) -> &Terms {
        &self.shared
    }

    /// A term cache for one worker thread.
    pub fn interner(&self) -> WorkerTerms<'_> {
        WorkerTerms(Interner::new(&self.shared, self.lang))
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
    let mid = per_doc.len() / 2;
    let (terms, remap, (df_a, df_b)) = live_terms(&all_terms, &mut per_doc, mid);
    let (offsets, mut flat) = fill_postings(&mut per_doc, mid, terms.len(), (&df_a, &df_b), keep);

    // Scores: BM25F per posting plus the title's share, then quantised against the highest.
    let lengths: Vec<f32> = per_doc.iter().map(|d| d.len).collect();
    let n = lengths.len().max(1) as f32;
    let avg = lengths.iter().sum::<f32>() / n;
    let mut interner = Interner::new(&shared, Lang::of(&site.config.language));
    let titles: Vec<Vec<(u32, f32)>> = order
        .iter()
        .map(|&(page, _)| {
            let mut shares = title_shares(&site.pages[page].source.title, &mut interner);
            shares.iter_mut().for_each(|p| p.0 = remap[p.0 as usize]);
            shares
        })
        .collect();
    drop(interner);
    let mut per_term: Vec<&mut [(u32, f32)]> = Vec::with_capacity(terms.len());
    let mut rest = &mut flat[..];
    for t in 0..terms.len() {
        let (list, tail) = rest.split_at_mut((offsets[t + 1] - offsets[t]) as usize);
        per_term.push(list);
        rest = tail;
    }
    per_term.par_iter_mut().enumerate().with_min_len(256).for_each(|(t, list)| {
        let idf = idf(list.len() as f32, n);
        for p in list.iter_mut() {
            let d = p.0 as usize;
            p.1 = score(idf, p.1, lengths[d], avg, share_of(&titles[d], t as u32));
        }
    });
    drop(per_term);
    let scale = flat.par_iter().map(|p| p.1).reduce(|| 0.0f32, f32::max).max(f32::EPSILON);
    // Same size and alignment: the postings reuse the memory of `flat`.
    let postings = flat.into_iter().map(|(d, s)| (d, quantise(s, scale))).collect();

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
    let kept = keep.then_some(Kept { terms: shared, doc_tf, lengths, avg, titles });
    let stop = Lang::of(&site.config.language).stop_words();
    (Index { docs, sections, terms, offsets, postings, surfaces, scale, stop }, kept)
}

/// Document frequencies per term, counted over the two halves of the documents at once
/// (the halves also fill the postings at once); terms no page has any more (the cache's
/// tables remember every term an earlier build saw) are dropped and the rest renumbered,
/// so the index is what a cold build makes. Returns the terms, the old → new id map and
/// each half's frequencies.
fn live_terms(all_terms: &[std::sync::Arc<str>], per_doc: &mut [DocOut], mid: usize) -> LiveTerms {
    let count = |docs: &[DocOut]| {
        let mut df = vec![0u32; all_terms.len()];
        for out in docs {
            for &(id, _) in &out.tf {
                df[id as usize] += 1;
            }
        }
        df
    };
    let (mut df_a, mut df_b) = rayon::join(|| count(&per_doc[..mid]), || count(&per_doc[mid..]));
    let mut remap = vec![u32::MAX; all_terms.len()];
    let mut terms = Vec::new();
    for (old, t) in all_terms.iter().enumerate() {
        if df_a[old] + df_b[old] > 0 {
            remap[old] = terms.len() as u32;
            terms.push(t.to_string());
        }
    }
    if terms.len() != all_terms.len() {
        per_doc.par_iter_mut().for_each(|out| {
            for p in &mut out.tf {
                p.0 = remap[p.0 as usize];
            }
        });
        let squeeze =
            |df: &[u32]| (0..df.len()).filter(|&old| remap[old] != u32::MAX).map(|old| df[old]).collect();
        (df_a, df_b) = (squeeze(&df_a), squeeze(&df_b));
    }
    (terms, remap, (df_a, df_b))
}

/// What [`live_terms`] gives: terms, old → new ids, each half's document frequencies.
type LiveTerms = (Vec<String>, Vec<u32>, (Vec<u32>, Vec<u32>));

/// Postings of all terms in one array, term after term (a counting sort by term id), each
/// term's run split between the two halves of the documents, which fill their parts in
/// parallel. Returns each term's offset and the (doc, weighted frequency) postings.
fn fill_postings(
    per_doc: &mut [DocOut],
    mid: usize,
    terms: usize,
    (df_a, df_b): (&[u32], &[u32]),
    keep: bool,
) -> (Vec<u32>, Vec<(u32, f32)>) {
    let mut offsets = vec![0u32; terms + 1];
    for t in 0..terms {
        offsets[t + 1] = offsets[t] + df_a[t] + df_b[t];
    }
    let mut flat = vec![(0u32, 0f32); offsets[terms] as usize];
    let (mut part_a, mut part_b) = (Vec::with_capacity(terms), Vec::with_capacity(terms));
    let mut rest = &mut flat[..];
    for t in 0..terms {
        let (a, tail) = rest.split_at_mut(df_a[t] as usize);
        let (b, tail) = tail.split_at_mut(df_b[t] as usize);
        part_a.push(a);
        part_b.push(b);
        rest = tail;
    }
    let fill = |docs: &mut [DocOut], first: usize, parts: &mut Vec<&mut [(u32, f32)]>| {
        let mut at = vec![0u32; parts.len()];
        for (i, out) in docs.iter_mut().enumerate() {
            for &(id, wtf) in &out.tf {
                let k = &mut at[id as usize];
                parts[id as usize][*k as usize] = ((first + i) as u32, wtf);
                *k += 1;
            }
            // A build has no use for a page's terms once they are in `flat`: releasing
            // them here keeps a 100k-page build from holding every posting three times.
            if !keep {
                out.tf = Vec::new();
            }
        }
    };
    let (docs_a, docs_b) = per_doc.split_at_mut(mid);
    rayon::join(|| fill(docs_a, 0, &mut part_a), || fill(docs_b, mid, &mut part_b));
    drop((part_a, part_b));
    (offsets, flat)
}

/// A score as its stored byte, 255 standing for `scale` (higher scores are clamped).
pub fn quantise(score: f32, scale: f32) -> u8 {
    ((score / scale) * 255.0).round().clamp(1.0, 255.0) as u8
}

/// One page's terms against an existing term table (new terms are added to it).
pub fn page_terms(site: &Site, page: PageId, body: &Rendered, terms: &Terms) -> PageTerms {
    let mut interner = Interner::new(terms, Lang::of(&site.config.language));
    let out = doc_terms(site, page, body, &mut interner);
    let title = title_shares(&site.pages[page].source.title, &mut interner);
    let words = terms.surface_words(&out.surfaces);
    PageTerms { tf: out.tf, len: out.len, words, title }
}

/// A page's contribution to the index.
pub struct PageTerms {
    /// (term id, weighted frequency).
    pub tf: Vec<(u32, f32)>,
    /// Weighted length.
    pub len: f32,
    /// Every (surface, term id) the page has, each once.
    pub words: Vec<(Box<str>, u32)>,
    /// (term id, share of the title's words).
    pub title: Vec<(u32, f32)>,
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

/// A posting's score: [`bm25`] with the term's `idf`, plus the term's `share` of the
/// title's words (see [`TITLE_COVER`]).
pub fn score(idf: f32, wtf: f32, len: f32, avg_len: f32, share: f32) -> f32 {
    bm25_idf(idf, wtf, len, avg_len) + TITLE_COVER * idf * share
}

/// The share of title words that are term `t`, from a document's [`title_shares`].
pub fn share_of(title: &[(u32, f32)], t: u32) -> f32 {
    title.iter().find(|p| p.0 == t).map_or(0.0, |p| p.1)
}

/// Each term of a title with the share of the title's words it is ("Request Body":
/// request ½, body ½).
fn title_shares(title: &str, interner: &mut Interner) -> Vec<(u32, f32)> {
    let mut ids = Vec::new();
    tokenize::each_token(title, &mut |token, kind| {
        let t = interner.term(token, kind);
        if t != STOP {
            ids.push(t);
        }
    });
    let n = ids.len() as f32;
    ids.sort_unstable();
    let mut out: Vec<(u32, f32)> = Vec::new();
    for t in ids {
        match out.last_mut() {
            Some(last) if last.0 == t => last.1 += 1.0 / n,
            _ => out.push((t, 1.0 / n)),
        }
    }
    out
}

/// The inverse document frequency part of [`bm25`], the same for a term's every posting.
pub fn idf(df: f32, n: f32) -> f32 {
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
        order.extend(s.pages.iter().chain(&s.unlisted).map(|&p| (p, id)));
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
    interner.start_doc();
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
    let (tf, surfaces) = interner.finish_doc();
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
