//! Related articles, worked out before any page renders: each article's words (title,
//! description, tags, headings, body) weighed as the search index weighs them, compared
//! by cosine similarity of their tf–idf vectors, with articles of the same category
//! weighted up.
//!
//! The body's part is read from the Markdown source, not the rendered HTML, so that every
//! article's related set is known before the first page template runs (a build renders
//! each article's Markdown and page in one step and keeps neither). It is the article's
//! most frequent terms ([`Signature`]), which depend on the source alone: the build cache
//! keeps them with the article, so a warm build reads no file it would not read anyway.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::tokenize::{self, Kind, Lang, Token};
use crate::site::{PageId, SectionId, Site};

/// Words of a body's text read (every heading is read): an article says what it is about
/// at its start, and reading it all costs more than it changes (on the Microsoft support
/// corpus the share of choices in the article's own folder was 0.310 reading it all,
/// 0.309 reading this many).
const BODY_WORDS: usize = 200;
/// Terms of a body kept in its signature.
const SIGNATURE_TERMS: usize = 64;
/// Weight of a title's terms, a tag, a description's terms and a heading's terms against
/// a body word's 1 (the search index's field weights, rounded).
const TITLE: u32 = 4;
const TAG: u32 = 3;
const DESCRIPTION: u32 = 2;
const HEADING: u32 = 2;
/// Score factor for an article in the same category.
const SAME_CATEGORY: f32 = 1.5;
/// Terms of an article that find others (its highest-weighted), and terms by which it can
/// be found: comparing every article's every term with every other's costs time
/// quadratic in the site, and the low-weighted terms change few choices.
const QUERY_TERMS: usize = 12;
const POSTED_TERMS: usize = 40;
/// Least cosine similarity shown: below it, articles share little more than common words.
const MIN_SCORE: f32 = 0.05;

/// A body's most frequent terms: (term digest, weighted count), sorted by digest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Signature(Vec<(u64, u16)>);

/// Turns text into terms as the site's language does (one per worker thread: a stemmer is
/// not shared).
pub struct Signer {
    lang: Lang,
    stemmer: Option<rust_stemmers::Stemmer>,
    /// Each word's term digest, as found (a knowledge base repeats its words; stemming
    /// each once halves the time).
    seen: FxHashMap<Box<str>, u64>,
    /// A body's term counts (kept for the next body: no allocation per article).
    counts: FxHashMap<u64, u32>,
}

/// Words a signer remembers before it starts again (bounds its memory).
const SEEN_WORDS: usize = 1 << 16;

impl Signer {
    /// The signer for `site`'s language.
    pub fn for_site(site: &Site) -> Signer {
        let lang = Lang::of(&site.config.language);
        Signer { lang, stemmer: lang.stemmer(), seen: FxHashMap::default(), counts: FxHashMap::default() }
    }

    /// The signature of an article's Markdown body: the words of its headings and of its
    /// first [`BODY_WORDS`] words of text, outside code blocks, link targets and tags;
    /// headings weighted up, stop words and one-letter words left out.
    pub fn body(&mut self, markdown: &str) -> Signature {
        let mut counts = std::mem::take(&mut self.counts);
        let mut fence: Option<(u8, usize)> = None;
        let mut words = 0usize;
        let mut text = String::new();
        for line in markdown.lines() {
            let t = line.trim_start();
            let run = t.bytes().take_while(|&b| b == b'`' || b == b'~').count();
            if run >= 3 && t.bytes().take(run).all(|b| b == t.as_bytes()[0]) {
                let mark = (t.as_bytes()[0], run);
                fence = match fence {
                    None => Some(mark),
                    Some(open) if open.0 == mark.0 && run >= open.1 => None,
                    open => open,
                };
                continue;
            }
            if fence.is_some() {
                continue;
            }
            let heading = t.starts_with('#');
            if !heading && words >= BODY_WORDS {
                continue;
            }
            let weight = if heading { HEADING } else { 1 };
            prose(t, &mut text);
            self.terms(&text, &mut |term| {
                words += 1;
                *counts.entry(term).or_default() += weight
            });
        }
        let mut top: Vec<(u64, u32)> = counts.drain().collect();
        self.counts = counts;
        top.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        top.truncate(SIGNATURE_TERMS);
        let mut sig: Vec<(u64, u16)> =
            top.into_iter().map(|(t, n)| (t, n.min(u16::MAX as u32) as u16)).collect();
        sig.sort_unstable();
        Signature(sig)
    }

    /// Call `f` with the digest of each term of `text` worth comparing.
    fn terms(&mut self, text: &str, f: &mut impl FnMut(u64)) {
        let (lang, stemmer, seen) = (self.lang, self.stemmer.as_ref(), &mut self.seen);
        tokenize::each_token(text, &mut |word, kind| {
            if let Some(&t) = seen.get(word) {
                if t != 0 {
                    f(t);
                }
                return;
            }
            let short = word.len() < 2 || kind == Kind::Code && word.bytes().all(|b| b.is_ascii_digit());
            let t = if short || lang.stop_words().contains(&word) {
                0
            } else {
                let token = Token { text: word.to_string(), kind };
                term_digest(&tokenize::term_of(&token, stemmer)) | 1
            };
            if seen.len() >= SEEN_WORDS {
                seen.clear();
            }
            seen.insert(word.into(), t);
            if t != 0 {
                f(t);
            }
        });
    }
}

/// A line of Markdown without what is not prose (link targets, HTML tags, bare URLs),
/// written into `out` (cleared first).
fn prose(line: &str, out: &mut String) {
    out.clear();
    let mut rest = line;
    while let Some(i) = rest.find(['<', ']', ':']) {
        let tail = &rest[i..];
        let end = if tail.starts_with("](") {
            tail.find(')').map(|e| e + 1)
        } else if tail.starts_with('<') {
            tail.find('>').map(|e| e + 1)
        } else if tail.starts_with("://") {
            // A bare URL: back to the start of its word, on to its end.
            let start = rest[..i].rfind(char::is_whitespace).map_or(0, |s| s + 1);
            out.push_str(&rest[..start]);
            rest = &rest[start..];
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            out.push(' ');
            rest = &rest[end..];
            continue;
        } else {
            None
        };
        out.push_str(&rest[..i]);
        out.push(' ');
        rest = &tail[end.unwrap_or(1)..];
    }
    out.push_str(rest);
}

fn term_digest(term: &str) -> u64 {
    crate::base::digest::digest(term.as_bytes()) as u64
}

/// A tag's own term, apart from the words of its label.
fn tag_digest(slug: &str) -> u64 {
    term_digest(&format!("\u{0}tag\u{0}{slug}")) | 1
}

/// Each article's related articles (at most `limit`, pinned ones first), in order; none
/// for an article with `related: false`. Deterministic: ties go to the earlier article.
pub fn choose(site: &Site, bodies: &[Signature], limit: usize) -> Vec<Vec<PageId>> {
    let n = site.pages.len();
    if limit == 0 {
        return vec![Vec::new(); n];
    }
    let vectors = weighted_vectors(site, bodies);
    let shown = |id: PageId| {
        !site.pages[id].source.meta.unlisted && !site.languages.as_ref().is_some_and(|l| l.is_fallback(id))
    };
    let categories: Vec<SectionId> = site.pages.iter().map(|p| category_of(site, p.section)).collect();
    let postings = Postings::new(&vectors, &categories, shown);
    (0..n)
        .into_par_iter()
        .map_init(
            || (vec![0f32; n], Vec::new()),
            |(acc, touched), id| {
                let page = &site.pages[id];
                if page.source.meta.related == crate::content::frontmatter::Related::Off {
                    return Vec::new();
                }
                let mut out: Vec<PageId> = page.pinned.iter().copied().take(limit).collect();
                for &(t, w) in vectors[id].iter().take(QUERY_TERMS) {
                    for &(other, w2) in postings.get(t, categories[id]) {
                        let other = other as usize;
                        if acc[other] == 0.0 {
                            touched.push(other);
                        }
                        acc[other] += w * w2;
                    }
                }
                let mut scored: Vec<(f32, PageId)> = Vec::with_capacity(touched.len());
                for o in touched.drain(..) {
                    let score = std::mem::take(&mut acc[o]);
                    let score = if categories[o] == categories[id] { score * SAME_CATEGORY } else { score };
                    if o != id && score >= MIN_SCORE && !out.contains(&o) {
                        scored.push((score, o));
                    }
                }
                scored.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                out.extend(scored.into_iter().map(|(_, o)| o).take(limit.saturating_sub(out.len())));
                out
            },
        )
        .collect()
}

/// The first-level section above `section` (the home for articles at the top).
fn category_of(site: &Site, section: SectionId) -> SectionId {
    let mut cur = section;
    while let Some(parent) = site.sections[cur].parent {
        if site.sections[parent].parent.is_none() {
            return cur;
        }
        cur = parent;
    }
    cur
}

/// Each article's terms as a unit-length tf–idf vector: (term digest, weight).
fn weighted_vectors(site: &Site, bodies: &[Signature]) -> Vec<Vec<(u64, f32)>> {
    let counts: Vec<Vec<(u64, u32)>> = (0..site.pages.len())
        .into_par_iter()
        .map_init(
            || Signer::for_site(site),
            |signer, id| {
                let src = &site.pages[id].source;
                let body = bodies.get(id).map_or(&[][..], |s| s.0.as_slice());
                let mut c: Vec<(u64, u32)> = body.iter().map(|&(t, n)| (t, n as u32)).collect();
                let description = src.meta.description.as_deref().unwrap_or("");
                let tags = src.meta.tags.iter().map(|t| (t.as_str(), TAG));
                for (text, weight) in
                    [(src.title.as_str(), TITLE), (description, DESCRIPTION)].into_iter().chain(tags)
                {
                    signer.terms(text, &mut |t| c.push((t, weight)));
                }
                c.extend(site.pages[id].tag_slugs.iter().map(|slug| (tag_digest(slug), TAG)));
                c.sort_unstable_by_key(|&(t, _)| t);
                c.dedup_by(|next, kept| {
                    let same = next.0 == kept.0;
                    if same {
                        kept.1 += next.1;
                    }
                    same
                });
                c
            },
        )
        .collect();
    let mut df: FxHashMap<u64, u32> = FxHashMap::default();
    for c in &counts {
        for &(t, _) in c {
            *df.entry(t).or_default() += 1;
        }
    }
    let n = counts.len() as f32;
    counts
        .into_par_iter()
        .map(|c| {
            let mut v: Vec<(u64, f32)> = c
                .into_iter()
                .map(|(t, tf)| (t, (1.0 + (tf as f32).ln()) * (n / df[&t] as f32).ln()))
                .filter(|&(_, w)| w > 0.0)
                .collect();
            let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            v.iter_mut().for_each(|(_, w)| *w /= norm);
            // Highest weight first (ties by term, so every run sums in one order); only
            // the first terms are ever compared.
            v.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            v.truncate(POSTED_TERMS.max(QUERY_TERMS));
            v
        })
        .collect()
}

/// Where a term's articles are looked up: a rare term's among all articles, a common one's
/// among the asking article's category only (the articles a common term would bring from
/// other categories score low there, and visiting them all is what would make the
/// comparison quadratic in the site's size).
#[derive(Default)]
struct Postings {
    rare: FxHashMap<u64, Vec<(u32, f32)>>,
    common: FxHashMap<(u64, SectionId), Vec<(u32, f32)>>,
}

/// Articles a term may have before it is looked up by category.
const RARE: usize = 256;

impl Postings {
    /// Term → the articles that may be shown as related and have it among their
    /// highest-weighted terms, with its weight there.
    fn new(
        vectors: &[Vec<(u64, f32)>],
        categories: &[SectionId],
        shown: impl Fn(PageId) -> bool,
    ) -> Postings {
        let mut all: FxHashMap<u64, Vec<(u32, f32)>> = FxHashMap::default();
        for (id, v) in vectors.iter().enumerate().filter(|(id, _)| shown(*id)) {
            for &(t, w) in v.iter().take(POSTED_TERMS) {
                all.entry(t).or_default().push((id as u32, w));
            }
        }
        let mut p = Postings::default();
        for (t, list) in all {
            if list.len() <= RARE {
                p.rare.insert(t, list);
                continue;
            }
            for (id, w) in list {
                p.common.entry((t, categories[id as usize])).or_default().push((id, w));
            }
        }
        p
    }

    /// The articles to visit for term `t`, asked by an article in `category`.
    fn get(&self, t: u64, category: SectionId) -> &[(u32, f32)] {
        let list = self.rare.get(&t).or_else(|| self.common.get(&(t, category)));
        list.map_or(&[], Vec::as_slice)
    }
}
