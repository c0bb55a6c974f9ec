//! Cutting the index into the files the browser fetches, so a query downloads only what
//! its terms need:
//!
//! - `search/meta.json` — section ranges for facets, the score scale, the bundle size.
//! - `search/d/<bucket>.kd` — dictionary buckets. A word's key is its first three
//!   characters (shorter words: the word itself); `fnv1a(key) % buckets` names its bucket,
//!   which maps each key to its surface forms and where their postings are. The browser
//!   computes the bucket from the word, so no key list is shipped. A key too large for a
//!   bucket is split into parts `search/d/k<hex key>.<n>.kd`, listed in the bucket.
//! - `search/p/<n>.kp` — postings chunks: runs of terms in term order, binary.
//! - `search/f/<n>.kf` — fragments of [`BUNDLE`] consecutive documents: URL, title, trail,
//!   headings and the start of the text, for result lists and snippets. Bundled because
//!   creating a file costs more than a few kilobytes of transfer on every file system.
//!
//! `.kd`, `.kp` and `.kf` files are gzip-compressed here and inflated in the browser with
//! `DecompressionStream`, so the transfer is small on every host, compressing or not.

use std::collections::BTreeMap;
use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use rayon::prelude::*;
use serde::Serialize;

use super::index::Index;
use crate::error::{Error, Result};
use crate::markdown::Rendered;
use crate::output::Sink;
use crate::site::Site;

/// A postings chunk is closed once its raw size passes this.
const CHUNK_BYTES: usize = 12 * 1024;
/// Target raw size of a dictionary bucket; a key larger than this gets part files.
const BUCKET_BYTES: usize = 16 * 1024;
/// Characters of a word that name its dictionary shard.
pub const KEY_CHARS: usize = 3;
/// Postings kept per term: the highest-scoring ones. Bounds every file at any site size.
pub const MAX_POSTINGS: usize = 6_000;
/// Body text kept per fragment for snippets and phrase checks.
const FRAGMENT_TEXT_CHARS: usize = 1_000;
/// gzip levels, measured on the 10k corpus: varint postings barely compress further past
/// level 2 (+3 % size for half the time of level 6; level 1 switches to static Huffman codes and adds 40 %); JSON text gains ~10 % from
/// level 4 to 6 for twice the time.
const POSTINGS_LEVEL: u32 = 2;
const TEXT_LEVEL: u32 = 4;
/// Documents per fragment file.
pub const BUNDLE: usize = 8;

/// Sizes of what was written, for the benchmark and the summary.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    /// Files written under `search/`.
    pub files: usize,
    /// Their total size in bytes.
    pub bytes: usize,
    /// The largest one.
    pub largest: usize,
}

#[derive(Serialize)]
struct Meta<'a> {
    /// Format version.
    v: u32,
    /// Number of documents.
    n: usize,
    /// Score that a stored 255 stands for (informational).
    scale: f32,
    /// Documents per fragment file.
    bundle: usize,
    /// Number of dictionary buckets.
    buckets: u32,
    /// Sections: [label, parent index or -1, depth, first doc, end doc].
    sections: Vec<(&'a str, i64, usize, u32, u32)>,
    /// Stop words the index left out.
    stop: &'static [&'static str],
}

#[derive(Serialize)]
struct Fragment<'a> {
    u: &'a str,
    t: &'a str,
    c: String,
    d: &'a str,
    h: Vec<(&'a str, &'a str)>,
    b: String,
    /// 1 when `b` was cut short.
    x: u8,
}

/// Write the whole index into `sink`.
pub fn write(index: &Index, site: &Site, bodies: &[Rendered], sink: &dyn Sink) -> Result<Stats> {
    let stats = std::sync::Mutex::new(Stats::default());
    let put = |path: &str, bytes: &[u8]| -> Result<()> {
        sink.write(path, bytes)?;
        let mut s = stats.lock().unwrap_or_else(|e| e.into_inner());
        s.files += 1;
        s.bytes += bytes.len();
        s.largest = s.largest.max(bytes.len());
        Ok(())
    };

    // Postings chunks, in term order.
    let mut order: Vec<u32> = (0..index.terms.len() as u32).collect();
    order.sort_by(|&a, &b| index.terms[a as usize].cmp(&index.terms[b as usize]));
    let mut location = vec![(0u32, 0u32, 0u32); index.terms.len()];
    let mut chunks: Vec<Vec<u8>> = vec![Vec::new()];
    let mut in_chunk = 0u32;
    for &t in &order {
        let list = truncate(index.postings(t));
        if chunks.last().is_some_and(|c| c.len() >= CHUNK_BYTES) {
            chunks.push(Vec::new());
            in_chunk = 0;
        }
        let chunk = chunks.last_mut().expect("never empty");
        encode_postings(&list, chunk);
        location[t as usize] = ((chunks.len() - 1) as u32, in_chunk, index.postings(t).len() as u32);
        in_chunk += 1;
    }
    chunks
        .par_iter()
        .enumerate()
        .try_for_each(|(i, c)| put(&format!("search/p/{i}.kp"), &gzip(c, POSTINGS_LEVEL)))?;

    // Dictionary buckets.
    let entries: Vec<(&str, (u32, u32, u32))> =
        index.surfaces.iter().map(|(s, t)| (s.as_str(), location[*t as usize])).collect();
    let shards = shard(&entries);
    let row_size = |s: &str| s.len() + 20;
    let total: usize = entries.iter().map(|(s, _)| row_size(s)).sum();
    let buckets = total.div_ceil(BUCKET_BYTES).max(1) as u32;
    let mut by_bucket: Vec<Vec<(&str, std::ops::Range<usize>)>> = vec![Vec::new(); buckets as usize];
    for (key, range) in &shards {
        by_bucket[(fnv1a(key) % buckets) as usize].push((key.as_str(), range.clone()));
    }
    by_bucket.par_iter().enumerate().try_for_each(|(b, keys)| {
        let mut bucket = serde_json::Map::new();
        for (key, range) in keys {
            let rows: Vec<(&str, u32, u32, u32)> =
                entries[range.clone()].iter().map(|(s, (c, i, df))| (*s, *c, *i, *df)).collect();
            let size: usize = rows.iter().map(|r| row_size(r.0)).sum();
            if size <= BUCKET_BYTES {
                bucket.insert(key.to_string(), serde_json::json!(rows));
                continue;
            }
            // Too big for a bucket: part files, each listed with its first surface.
            let mut ranges = Vec::new();
            let (mut start, mut acc) = (0, 0);
            for (i, row) in rows.iter().enumerate() {
                if acc + row_size(row.0) > BUCKET_BYTES && i > start {
                    ranges.push(start..i);
                    (start, acc) = (i, 0);
                }
                acc += row_size(row.0);
            }
            ranges.push(start..rows.len());
            let mut parts = Vec::new();
            for (n, r) in ranges.into_iter().enumerate() {
                parts.push((rows[r.start].0, n));
                put(&format!("search/d/k{}.{n}.kd", hex(key)), &gzip(&json_bytes(&rows[r])?, TEXT_LEVEL))?;
            }
            bucket.insert(key.to_string(), serde_json::json!({ "parts": parts }));
        }
        put(&format!("search/d/{b}.kd"), &gzip(&json_bytes(&bucket)?, TEXT_LEVEL))
    })?;

    // Fragments, in bundles of consecutive documents.
    index.docs.par_chunks(BUNDLE).enumerate().try_for_each(|(n, docs)| {
        let frags: Vec<Fragment> =
            docs.iter().map(|doc| fragment(site, &bodies[doc.page], doc.page)).collect();
        let json = serde_json::to_vec(&frags).map_err(|e| Error::Template(format!("search index: {e}")))?;
        put(&format!("search/f/{n}.kf"), &gzip(&json, TEXT_LEVEL))
    })?;

    let meta = Meta {
        v: 1,
        n: index.docs.len(),
        scale: index.scale,
        bundle: BUNDLE,
        buckets,
        sections: index
            .sections
            .iter()
            .map(|s| (s.label.as_str(), s.parent.map_or(-1, |p| p as i64), s.depth, s.start, s.end))
            .collect(),
        stop: super::tokenize::STOP_WORDS,
    };
    let json = serde_json::to_vec(&meta).map_err(|e| Error::Template(format!("search index: {e}")))?;
    put("search/meta.json", &json)?;
    Ok(stats.into_inner().unwrap_or_else(|e| e.into_inner()))
}

fn fragment<'a>(site: &'a Site, body: &'a Rendered, page: crate::site::PageId) -> Fragment<'a> {
    let p = &site.pages[page];
    let trail = site.trail(p.section).join(" › ");
    let mut text: String = body.text.chars().take(FRAGMENT_TEXT_CHARS).collect();
    let cut = text.len() < body.text.len();
    if cut && let Some(space) = text.rfind(' ') {
        text.truncate(space);
    }
    Fragment {
        u: &p.url,
        t: &p.source.title,
        c: trail,
        d: p.source.meta.description.as_deref().unwrap_or(""),
        h: body.headings.iter().filter(|h| h.level >= 2).map(|h| (h.id.as_str(), h.title.as_str())).collect(),
        b: text,
        x: cut as u8,
    }
}

/// The highest-impact postings of a term, back in doc order.
fn truncate(list: &[(u32, u8)]) -> Vec<(u32, u8)> {
    if list.len() <= MAX_POSTINGS {
        return list.to_vec();
    }
    let mut best = list.to_vec();
    best.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    best.truncate(MAX_POSTINGS);
    best.sort_by_key(|p| p.0);
    best
}

/// `count`, then per posting: doc-id delta and impact, as LEB128 varints and a byte.
fn encode_postings(list: &[(u32, u8)], out: &mut Vec<u8>) {
    varint(list.len() as u32, out);
    let mut prev = 0;
    for &(doc, impact) in list {
        varint(doc - prev, out);
        out.push(impact);
        prev = doc;
    }
}

fn varint(mut v: u32, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// The shard key of a surface: its first [`KEY_CHARS`] characters.
pub fn key_of(surface: &str) -> &str {
    match surface.char_indices().nth(KEY_CHARS) {
        Some((i, _)) => &surface[..i],
        None => surface,
    }
}

/// Group sorted surfaces by key. Surfaces shorter than the key get their own shard, so a
/// key's range is contiguous (they sort before every longer surface sharing them as prefix,
/// but after other keys' surfaces: grouping by exact key keeps each group contiguous).
fn shard(entries: &[(&str, (u32, u32, u32))]) -> BTreeMap<String, std::ops::Range<usize>> {
    let mut out: BTreeMap<String, std::ops::Range<usize>> = BTreeMap::new();
    for (i, (s, _)) in entries.iter().enumerate() {
        let key = key_of(s);
        match out.get_mut(key) {
            Some(r) if r.end == i => r.end = i + 1,
            Some(_) => unreachable!("sorted surfaces with one key are contiguous"),
            None => {
                out.insert(key.to_string(), i..i + 1);
            }
        }
    }
    out
}

fn json_bytes<T: Serialize + ?Sized>(v: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(v).map_err(|e| Error::Template(format!("search index: {e}")))
}

/// FNV-1a over the key's UTF-8 bytes; `search.js` computes the same.
pub fn fnv1a(key: &str) -> u32 {
    key.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ b as u32).wrapping_mul(0x0100_0193))
}

fn hex(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

fn gzip(bytes: &[u8], level: u32) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::with_capacity(bytes.len() / 3), Compression::new(level));
    e.write_all(bytes).expect("writing to memory");
    e.finish().expect("writing to memory")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_shape() {
        let mut v = Vec::new();
        encode_postings(&[(3, 9), (300, 255)], &mut v);
        assert_eq!(v, [2, 3, 9, 0xa9, 0x02, 255]);
    }

    #[test]
    fn shards_are_keyed_by_three_characters() {
        let mut words = vec!["co", "con", "connect", "connector", "contoso", "cop", "é5.1", "5.1.8", "5.1.9"];
        words.sort();
        let entries: Vec<(&str, (u32, u32, u32))> = words.iter().map(|w| (*w, (0, 0, 1))).collect();
        let shards = shard(&entries);
        let keys: Vec<&str> = shards.keys().map(String::as_str).collect();
        assert_eq!(keys, ["5.1", "co", "con", "cop", "é5."]);
        assert_eq!(shards["con"].len(), 4);
        assert_eq!(key_of("é5.1"), "é5.");
    }

    #[test]
    fn fnv1a_matches_reference_values() {
        assert_eq!(fnv1a(""), 0x811c9dc5);
        assert_eq!(fnv1a("a"), 0xe40c292c);
        assert_eq!(fnv1a("foobar"), 0xbf9cf968);
    }

    #[test]
    fn truncation_keeps_best_in_doc_order() {
        let list: Vec<(u32, u8)> =
            (0..(MAX_POSTINGS as u32 + 10)).map(|d| (d, (d % 200) as u8 + 1)).collect();
        let t = truncate(&list);
        assert_eq!(t.len(), MAX_POSTINGS);
        assert!(t.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
