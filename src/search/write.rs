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

use std::borrow::Cow;
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

/// Postings chunks are cut where the term text says so (content-defined, as rsync and
/// backup tools cut files): past [`CHUNK_MIN`] bytes, before a term whose hash is 0 modulo
/// [`CHUNK_SPREAD`], and always past [`CHUNK_MAX`]. About 12 KB on average; and a term
/// whose postings grow or shrink moves no boundary but its own chunk's, so a warm build
/// rewrites only the chunks whose terms changed instead of every chunk after the first.
const CHUNK_MIN: usize = 8 * 1024;
const CHUNK_MAX: usize = 16 * 1024;
const CHUNK_SPREAD: u32 = 16;
/// Target raw size of a dictionary bucket; a key larger than this gets part files.
const BUCKET_BYTES: usize = 16 * 1024;
/// Characters of a word that name its dictionary shard.
pub const KEY_CHARS: usize = 3;
/// Postings kept per term: the highest-scoring ones. Bounds every file at any site size.
pub const MAX_POSTINGS: usize = 6_000;
/// Body text kept per fragment for snippets and phrase checks.
pub const FRAGMENT_TEXT_CHARS: usize = 1_000;
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

/// Where each term's postings and each surface's dictionary row live. Kept by `kiln serve`
/// so that a page edit rewrites only the files holding the terms it touched.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Per term: (postings chunk, index in the chunk).
    pub location: Vec<(u32, u32)>,
    /// Per chunk: its terms, in order.
    pub chunks: Vec<Vec<u32>>,
    /// Per bucket: its keys, each with the indexes of its surfaces (in `Index::surfaces`),
    /// sorted by surface.
    pub buckets: Vec<BTreeMap<String, Vec<u32>>>,
}

impl Layout {
    /// Lay out a freshly built index: terms in order, cut into chunks (see [`CHUNK_MIN`]);
    /// keys hashed into enough buckets of [`BUCKET_BYTES`].
    pub fn new(index: &Index) -> Layout {
        let mut order: Vec<u32> = (0..index.terms.len() as u32).collect();
        order.par_sort_unstable_by(|&a, &b| index.terms[a as usize].cmp(&index.terms[b as usize]));
        let sizes: Vec<usize> = order.par_iter().map(|&t| encoded_len(index.postings(t))).collect();
        let mut location = vec![(0u32, 0u32); index.terms.len()];
        let mut chunks: Vec<Vec<u32>> = vec![Vec::new()];
        let mut size = 0;
        for (&t, len) in order.iter().zip(sizes) {
            let cut = size >= CHUNK_MAX
                || (size >= CHUNK_MIN && fnv1a(&index.terms[t as usize]).is_multiple_of(CHUNK_SPREAD));
            if cut {
                chunks.push(Vec::new());
                size = 0;
            }
            let c = chunks.len() - 1;
            location[t as usize] = (c as u32, chunks[c].len() as u32);
            chunks[c].push(t);
            size += len;
        }
        let total: usize = index.surfaces.iter().map(|(s, _)| row_size(s)).sum();
        let n = total.div_ceil(BUCKET_BYTES).max(1);
        let mut buckets: Vec<BTreeMap<String, Vec<u32>>> = vec![BTreeMap::new(); n];
        for (i, (surface, _)) in index.surfaces.iter().enumerate() {
            let key = key_of(surface);
            let bucket = &mut buckets[(fnv1a(key) % n as u32) as usize];
            match bucket.get_mut(key) {
                Some(rows) => rows.push(i as u32),
                None => {
                    bucket.insert(key.to_string(), vec![i as u32]);
                }
            }
        }
        Layout { location, chunks, buckets }
    }

    /// The bucket a surface's key falls in.
    pub fn bucket_of(&self, surface: &str) -> usize {
        (fnv1a(key_of(surface)) % self.buckets.len() as u32) as usize
    }

    /// Postings chunk `c`, gzipped.
    pub fn chunk_file<'a>(&self, c: usize, postings: &dyn Fn(u32) -> &'a [(u32, u8)]) -> (String, Vec<u8>) {
        self.chunk_raw(c, postings).finish()
    }

    fn chunk_raw<'a>(&self, c: usize, postings: &dyn Fn(u32) -> &'a [(u32, u8)]) -> Raw {
        let mut raw = Vec::new();
        for &t in &self.chunks[c] {
            encode_postings(&truncate(postings(t)), &mut raw);
        }
        Raw { path: format!("search/p/{c}.kp"), bytes: raw, level: Some(POSTINGS_LEVEL) }
    }

    /// Dictionary bucket `b` and the part files of its largest keys, gzipped.
    pub fn bucket_files(
        &self,
        b: usize,
        surfaces: &[(String, u32)],
        df: &dyn Fn(u32) -> u32,
    ) -> Result<Vec<(String, Vec<u8>)>> {
        Ok(self.bucket_raws(b, surfaces, df)?.into_iter().map(Raw::finish).collect())
    }

    fn bucket_raws(&self, b: usize, surfaces: &[(String, u32)], df: &dyn Fn(u32) -> u32) -> Result<Vec<Raw>> {
        self.bucket_plans(b, surfaces, df).into_iter().map(BucketFile::raw).collect()
    }

    /// The files of dictionary bucket `b`, each with its rows and not yet serialised.
    fn bucket_plans<'a>(
        &self,
        b: usize,
        surfaces: &'a [(String, u32)],
        df: &dyn Fn(u32) -> u32,
    ) -> Vec<BucketFile<'a>> {
        let mut files = Vec::new();
        let mut bucket = BTreeMap::new();
        for (key, ids) in &self.buckets[b] {
            let rows: Vec<Row> = ids
                .iter()
                .map(|&i| {
                    let (surface, t) = &surfaces[i as usize];
                    let (c, at) = self.location[*t as usize];
                    (surface.as_str(), c, at, df(*t))
                })
                .collect();
            let size: usize = rows.iter().map(|r| row_size(r.0)).sum();
            if size <= BUCKET_BYTES {
                bucket.insert(key.clone(), Entry::Rows(rows));
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
                files.push(BucketFile {
                    path: format!("search/d/k{}.{n}.kd", hex(key)),
                    body: BucketBody::Part(rows[r].to_vec()),
                });
            }
            bucket.insert(key.clone(), Entry::Parts { parts });
        }
        files.push(BucketFile { path: format!("search/d/{b}.kd"), body: BucketBody::Main(bucket) });
        files
    }
}

/// A dictionary row: surface, postings chunk, index in the chunk, document frequency.
type Row<'a> = (&'a str, u32, u32, u32);

/// A key's entry in a bucket: its rows, or the part files holding them.
#[derive(Serialize)]
#[serde(untagged)]
enum Entry<'a> {
    Rows(Vec<Row<'a>>),
    Parts { parts: Vec<(&'a str, usize)> },
}

enum BucketBody<'a> {
    Main(BTreeMap<String, Entry<'a>>),
    Part(Vec<Row<'a>>),
}

/// A dictionary file before it is serialised.
struct BucketFile<'a> {
    path: String,
    body: BucketBody<'a>,
}

impl BucketFile<'_> {
    /// Digest of the rows: equal rows make equal bytes, so the build cache can keep the
    /// file without serialising it.
    fn key(&self) -> crate::base::digest::Digest {
        let mut k = crate::base::digest::Key::new();
        let rows = |k: &mut crate::base::digest::Key, rows: &[Row]| {
            for r in rows {
                k.str(r.0).num(r.1 as u128).num(r.2 as u128).num(r.3 as u128);
            }
        };
        match &self.body {
            BucketBody::Main(m) => {
                for (key, e) in m {
                    k.str(key);
                    match e {
                        Entry::Rows(r) => rows(k.num(0), r),
                        Entry::Parts { parts } => {
                            k.num(1);
                            for (s, n) in parts {
                                k.str(s).num(*n as u128);
                            }
                        }
                    }
                }
            }
            BucketBody::Part(r) => rows(k.num(2), r),
        }
        k.finish()
    }

    fn raw(self) -> Result<Raw> {
        let bytes = match &self.body {
            BucketBody::Main(m) => json_bytes(m)?,
            BucketBody::Part(r) => json_bytes(r)?,
        };
        Ok(Raw { path: self.path, bytes, level: Some(TEXT_LEVEL) })
    }
}

/// A file before compression: what the build cache keys it by.
struct Raw {
    path: String,
    bytes: Vec<u8>,
    /// gzip level, or `None` for a file written as is.
    level: Option<u32>,
}

impl Raw {
    fn finish(self) -> (String, Vec<u8>) {
        let bytes = match self.level {
            Some(level) => gzip(&self.bytes, level),
            None => self.bytes,
        };
        (self.path, bytes)
    }
}

/// Lets a warm build keep index files whose content is unchanged.
pub trait Reuse: Sync {
    /// Whether the file at `path`, made from uncompressed bytes (or rows) with digest `key`,
    /// can stay as the last build wrote it (it is then kept in the sink). Called for every
    /// file.
    fn raw(&self, path: &str, key: crate::base::digest::Digest) -> bool;
    /// Whether fragment bundle `n` can stay as the last build wrote it (decided, and kept,
    /// before its documents' text was rendered).
    fn bundle(&self, n: usize) -> bool;
}

/// Every file is written.
pub struct NoReuse;

impl Reuse for NoReuse {
    fn raw(&self, _path: &str, _key: crate::base::digest::Digest) -> bool {
        false
    }

    fn bundle(&self, _n: usize) -> bool {
        false
    }
}

/// Bytes [`encode_postings`] writes for a term's (truncated) postings.
fn encoded_len(list: &[(u32, u8)]) -> usize {
    let list = truncate(list);
    let varint_len = |v: u32| (32 - v.leading_zeros()).max(1).div_ceil(7) as usize;
    let mut prev = 0;
    varint_len(list.len() as u32)
        + list
            .iter()
            .map(|&(doc, _)| {
                let n = varint_len(doc - prev) + 1;
                prev = doc;
                n
            })
            .sum::<usize>()
}

/// Raw size of a dictionary row, for sizing buckets.
fn row_size(surface: &str) -> usize {
    surface.len() + 20
}

/// Fragment bundle `n` (documents `n * BUNDLE ..`), gzipped.
pub fn bundle_file(n: usize, index: &Index, site: &Site, bodies: &[Rendered]) -> Result<(String, Vec<u8>)> {
    let docs = &index.docs[n * BUNDLE..((n + 1) * BUNDLE).min(index.docs.len())];
    let frags: Vec<Fragment> = docs.iter().map(|doc| fragment(site, &bodies[doc.page], doc.page)).collect();
    Ok((bundle_path(n), gzip(&json_bytes(&frags)?, TEXT_LEVEL)))
}

/// Where fragment bundle `n` is written.
pub fn bundle_path(n: usize) -> String {
    format!("search/f/{n}.kf")
}

/// `search/meta.json`.
pub fn meta_file(index: &Index, buckets: usize) -> Result<(String, Vec<u8>)> {
    let meta = Meta {
        v: 1,
        n: index.docs.len(),
        scale: index.scale,
        bundle: BUNDLE,
        buckets: buckets as u32,
        sections: index
            .sections
            .iter()
            .map(|s| (s.label.as_str(), s.parent.map_or(-1, |p| p as i64), s.depth, s.start, s.end))
            .collect(),
        stop: index.stop,
    };
    Ok(("search/meta.json".into(), json_bytes(&meta)?))
}

/// Write the whole index into `sink`; returns what was written and the layout.
pub fn write(
    index: &Index,
    site: &Site,
    bodies: &[Rendered],
    sink: &dyn Sink,
    reuse: &dyn Reuse,
) -> Result<(Stats, Layout)> {
    let stats = std::sync::Mutex::new(Stats::default());
    let put = |(path, bytes): (String, Vec<u8>)| -> Result<()> {
        sink.write(&path, &bytes)?;
        let mut s = stats.lock().unwrap_or_else(|e| e.into_inner());
        s.files += 1;
        s.bytes += bytes.len();
        s.largest = s.largest.max(bytes.len());
        Ok(())
    };
    let put_raw = |raw: Raw| -> Result<()> {
        if reuse.raw(&raw.path, crate::base::digest::digest(&raw.bytes)) {
            return Ok(());
        }
        put(raw.finish())
    };
    let layout = Layout::new(index);
    let postings = |t: u32| index.postings(t);
    let df = |t: u32| index.postings(t).len() as u32;
    (0..layout.chunks.len()).into_par_iter().try_for_each(|c| put_raw(layout.chunk_raw(c, &postings)))?;
    (0..layout.buckets.len()).into_par_iter().try_for_each(|b| {
        layout.bucket_plans(b, &index.surfaces, &df).into_iter().try_for_each(|file| {
            if reuse.raw(&file.path, file.key()) {
                return Ok(());
            }
            put(file.raw()?.finish())
        })
    })?;
    (0..index.docs.len().div_ceil(BUNDLE))
        .into_par_iter()
        .filter(|&n| !reuse.bundle(n))
        .try_for_each(|n| put(bundle_file(n, index, site, bodies)?))?;
    let (path, bytes) = meta_file(index, layout.buckets.len())?;
    put_raw(Raw { path, bytes, level: None })?;
    Ok((stats.into_inner().unwrap_or_else(|e| e.into_inner()), layout))
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
fn truncate(list: &[(u32, u8)]) -> Cow<'_, [(u32, u8)]> {
    if list.len() <= MAX_POSTINGS {
        return Cow::Borrowed(list);
    }
    // Highest impact first, ties to the lower doc id: a total order, so the kept set is the
    // same whichever way it is found.
    let mut best = list.to_vec();
    best.select_nth_unstable_by(MAX_POSTINGS - 1, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    best.truncate(MAX_POSTINGS);
    best.sort_unstable_by_key(|p| p.0);
    Cow::Owned(best)
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

/// The shard key of a surface: its first [`KEY_CHARS`] characters; for a CJK character
/// pair, its first character, so a one-character query finds every pair it starts.
pub fn key_of(surface: &str) -> &str {
    let n = if surface.chars().next().is_some_and(super::tokenize::is_cjk) { 1 } else { KEY_CHARS };
    match surface.char_indices().nth(n) {
        Some((i, _)) => &surface[..i],
        None => surface,
    }
}

fn json_bytes<T: Serialize + ?Sized>(v: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(v).map_err(|e| Error::internal(None, format!("encoding the search index: {e}")))
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
    fn surfaces_are_grouped_by_three_character_keys_in_order() {
        let mut words = vec!["co", "con", "connect", "connector", "contoso", "cop", "é5.1", "5.1.8", "5.1.9"];
        words.sort();
        let index = Index {
            docs: Vec::new(),
            sections: Vec::new(),
            terms: vec!["t".into()],
            offsets: vec![0, 1],
            postings: vec![(0, 1)],
            surfaces: words.iter().map(|w| (w.to_string(), 0)).collect(),
            scale: 1.0,
            stop: &[],
        };
        let layout = Layout::new(&index);
        let mut keys: Vec<&str> = layout.buckets.iter().flat_map(|b| b.keys().map(String::as_str)).collect();
        keys.sort();
        assert_eq!(keys, ["5.1", "co", "con", "cop", "é5."]);
        let con = &layout.buckets[layout.bucket_of("con")]["con"];
        let rows: Vec<&str> = con.iter().map(|&i| index.surfaces[i as usize].0.as_str()).collect();
        assert_eq!(rows, ["con", "connect", "connector", "contoso"]);
        assert_eq!(key_of("é5.1"), "é5.");
    }

    #[test]
    fn encoded_length_is_exact() {
        let list = [(3, 9), (300, 255), (100_000, 1)];
        let mut v = Vec::new();
        encode_postings(&list, &mut v);
        assert_eq!(encoded_len(&list), v.len());
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
