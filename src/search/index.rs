//! Building the search index from what the earlier stages produced: titles, headings,
//! descriptions, tags, the category/folder trail and the rendered body text. No HTML is
//! parsed again.
//!
//! Scores are BM25F, computed here where document frequencies are known, and stored as one
//! byte per posting, so the browser only adds numbers.

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
    /// Postings per term id: (doc id, quantised impact 1..=255), by doc id.
    pub postings: Vec<Vec<(u32, u8)>>,
    /// Every surface form seen, with the term id it maps to.
    pub surfaces: Vec<(String, u32)>,
    /// The impact that 255 stands for.
    pub scale: f32,
}

/// What one document contributes: weighted term frequencies, weighted length, and the
/// (surface, stem) pairs its thread saw first.
struct DocOut {
    tf: Vec<(Box<str>, f32)>,
    len: f32,
    words: Vec<(Box<str>, Box<str>)>,
}

/// Build the index of every article of the site.
pub fn build(site: &Site, bodies: &[Rendered]) -> Index {
    let (order, sections) = doc_order(site);
    let per_doc: Vec<DocOut> =
        order.par_iter().map(|&(page, _)| doc_terms(site, page, &bodies[page])).collect();

    // Term ids in first-seen order (deterministic: docs are visited in index order).
    let mut term_ids: FxHashMap<&str, u32> = FxHashMap::default();
    let mut terms: Vec<&str> = Vec::new();
    let mut postings_wtf: Vec<Vec<(u32, f32)>> = Vec::new();
    for (doc, out) in per_doc.iter().enumerate() {
        for (term, wtf) in &out.tf {
            let id = *term_ids.entry(term).or_insert_with(|| {
                terms.push(term);
                postings_wtf.push(Vec::new());
                (terms.len() - 1) as u32
            });
            postings_wtf[id as usize].push((doc as u32, *wtf));
        }
    }
    // Surfaces: every word seen maps to its stem's term; every code is its own term.
    let mut surface_map: FxHashMap<&str, u32> = FxHashMap::default();
    for out in &per_doc {
        for (surface, stem) in &out.words {
            if let Some(&id) = term_ids.get(&**stem) {
                surface_map.insert(surface, id);
            }
        }
    }
    for (&term, &id) in &term_ids {
        if !term.chars().all(char::is_alphabetic) {
            surface_map.insert(term, id);
        }
    }

    let lengths: Vec<f32> = per_doc.iter().map(|d| d.len).collect();
    let n = lengths.len().max(1) as f32;
    let avg = lengths.iter().sum::<f32>() / n;
    let impacts: Vec<Vec<(u32, f32)>> = postings_wtf
        .par_iter()
        .map(|list| {
            let df = list.len() as f32;
            list.iter().map(|&(doc, wtf)| (doc, bm25(wtf, lengths[doc as usize], avg, df, n))).collect()
        })
        .collect();
    let scale = impacts.iter().flatten().map(|&(_, s)| s).fold(0.0f32, f32::max).max(f32::EPSILON);
    let postings = impacts
        .into_par_iter()
        .map(|list| {
            list.into_iter()
                .map(|(d, s)| (d, ((s / scale) * 255.0).round().clamp(1.0, 255.0) as u8))
                .collect()
        })
        .collect();
    let mut surfaces: Vec<(String, u32)> =
        surface_map.into_iter().map(|(s, id)| (s.to_string(), id)).collect();
    surfaces.par_sort_unstable();
    let terms = terms.into_iter().map(String::from).collect();
    let docs = order.into_iter().map(|(page, _)| Doc { page }).collect();
    Index { docs, sections, terms, postings, surfaces, scale }
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
fn doc_terms(site: &Site, page: PageId, body: &Rendered) -> DocOut {
    thread_local! {
        static STEMS: std::cell::RefCell<FxHashMap<String, Box<str>>> = std::cell::RefCell::new(FxHashMap::default());
        static STEMMER: rust_stemmers::Stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    }
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
    let mut tf: FxHashMap<Box<str>, f32> = FxHashMap::default();
    let mut words = Vec::new();
    let mut len = 0.0;
    STEMS.with(|cache| {
        STEMMER.with(|stemmer| {
            let mut cache = cache.borrow_mut();
            for (weight, text) in fields {
                tokenize::each_token(text, &mut |token, kind| {
                    if kind == Kind::Word && tokenize::is_stop_word(token) {
                        return;
                    }
                    len += weight;
                    let term: &str = match kind {
                        Kind::Code => token,
                        Kind::Word => match cache.get(token) {
                            Some(stem) => stem,
                            None => {
                                let stem: Box<str> = stemmer.stem(token).into();
                                words.push((Box::<str>::from(token), stem.clone()));
                                cache.entry(token.to_string()).or_insert(stem)
                            }
                        },
                    };
                    match tf.get_mut(term) {
                        Some(v) => *v += weight,
                        None => {
                            tf.insert(term.into(), weight);
                        }
                    }
                });
            }
        })
    });
    // FxHash has no random seed, so this order is the same on every run.
    let tf: Vec<(Box<str>, f32)> = tf.into_iter().collect();
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
