//! Articles' search terms as the build cache keeps them, in one binary file: a record per article as
//! the build's workers produce them (so a 100k-page build never holds them all twice), then
//! the term and surface tables their ids refer to, then the tables' offset and a magic tag.
//! A file that does not end in the tag (a build killed while writing it) is not read.

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::index::PageOut;
use crate::base::digest::Digest;
use crate::error::{Error, Result};

const MAGIC: &[u8; 8] = b"KILNTRM3";

pub use super::index::Tables;

/// What a stored file holds.
pub struct Stored {
    /// The tables the records' ids refer to.
    pub tables: Tables,
    /// Per content-relative path: the stored terms.
    pub pages: HashMap<String, Cached>,
    bytes: Vec<u8>,
    /// Number of terms in the tables (kept when the tables are moved out).
    terms: usize,
}

/// One article's stored terms, still encoded: they are decoded by the build's workers, in
/// parallel, and only for articles whose key still matches.
pub struct Cached {
    /// The key they were made under.
    pub key: Digest,
    len: f32,
    record: std::ops::Range<usize>,
    tf: std::ops::Range<usize>,
    surfaces: std::ops::Range<usize>,
}

impl Stored {
    /// The article's surface ids, decoded from the file (they are only needed once, to
    /// mark which surfaces some page still has).
    pub fn surfaces<'a>(&'a self, c: &Cached) -> impl Iterator<Item = u32> + 'a {
        let mut r = Reader { bytes: &self.bytes[c.surfaces.clone()], at: 0 };
        let count = r.var().unwrap_or(0);
        let mut id = 0u32;
        (0..count).map_while(move |_| {
            id = id.checked_add(r.var()?)?;
            Some(id)
        })
    }

    /// The article's terms, or `None` if the record is damaged (then they are made again).
    pub fn terms(&self, c: &Cached) -> Option<PageOut> {
        let mut r = Reader { bytes: &self.bytes[c.tf.clone()], at: 0 };
        let n = r.var()? as usize;
        let mut tf = Vec::with_capacity(n.min(c.tf.len()));
        let mut term = 0u32;
        for _ in 0..n {
            term = term.checked_add(r.var()?)?;
            tf.push((term, weight(&mut r)?));
        }
        if tf.last().is_some_and(|p| p.0 as usize >= self.tables.0.len().max(self.terms)) {
            return None;
        }
        Some(PageOut::from_parts(tf, c.len, Vec::new()))
    }

    /// The article's record as stored, to be copied into the next file unchanged.
    pub fn record(&self, c: &Cached) -> &[u8] {
        &self.bytes[c.record.clone()]
    }
}

/// Read a stored file; `None` when it is missing, truncated or from another format.
pub fn read(path: &Path) -> Option<Stored> {
    let bytes = std::fs::read(path).ok()?;
    let n = bytes.len();
    if n < 16 || &bytes[n - 8..] != MAGIC {
        return None;
    }
    let tables_at = u64::from_le_bytes(bytes[n - 16..n - 8].try_into().ok()?) as usize;
    let mut r = Reader { bytes: bytes.get(tables_at..n - 16)?, at: 0 };
    let terms = (0..r.u32()?).map(|_| r.str().map(Arc::from)).collect::<Option<Vec<_>>>()?;
    let surfaces =
        (0..r.u32()?).map(|_| Some((Arc::from(r.str()?), r.u32()?))).collect::<Option<Vec<_>>>()?;
    let mut pages = HashMap::new();
    let mut at = 0;
    while at < tables_at {
        let mut r = Reader { bytes: bytes.get(..tables_at)?, at };
        let total = r.u32()? as usize;
        let tf_len = r.u32()? as usize;
        let rel = r.str()?.to_string();
        let key = u128::from_le_bytes(r.take(16)?.try_into().ok()?);
        let len = f32::from_le_bytes(r.take(4)?.try_into().ok()?);
        let tf = r.at..r.at.checked_add(tf_len)?;
        let end = at.checked_add(8)?.checked_add(total)?;
        if tf.end > end || end > tables_at {
            return None;
        }
        pages.insert(rel, Cached { key, len, record: at..end, surfaces: tf.end..end, tf });
        at = end;
    }
    let n = terms.len();
    Some(Stored { tables: (terms, surfaces), pages, bytes, terms: n })
}

/// A weighted frequency: field weights are multiples of ½, so twice the weight is a whole
/// number, stored as a varint; anything else (not produced today) as a tagged `f32`.
fn put_weight(b: &mut Vec<u8>, w: f32) {
    let twice = w * 2.0;
    if twice.fract() == 0.0 && (0.0..1e9).contains(&twice) {
        put_var(b, (twice as u32) << 1);
    } else {
        put_var(b, 1);
        b.extend_from_slice(&w.to_le_bytes());
    }
}

fn weight(r: &mut Reader) -> Option<f32> {
    let v = r.var()?;
    if v & 1 == 0 {
        Some((v >> 1) as f32 / 2.0)
    } else {
        Some(f32::from_le_bytes(r.take(4)?.try_into().ok()?))
    }
}

fn put_var(b: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        b.push((v as u8) | 0x80);
        v >>= 7;
    }
    b.push(v as u8);
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }

    fn var(&mut self) -> Option<u32> {
        let mut v = 0u32;
        for shift in (0..35).step_by(7) {
            let byte = *self.bytes.get(self.at)?;
            self.at += 1;
            v |= ((byte & 0x7f) as u32).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn str(&mut self) -> Option<&'a str> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.take(n)?).ok()
    }
}

/// Writes a stored file beside its final path; [`Writer::finish`] moves it into place.
pub struct Writer {
    path: PathBuf,
    tmp: PathBuf,
    out: Mutex<Option<(BufWriter<std::fs::File>, u64)>>,
}

impl Writer {
    /// Start writing the file that will be at `path`.
    pub fn create(path: &Path) -> Result<Writer> {
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        let file = std::fs::File::create(&tmp).map_err(|e| Error::io("creating", &tmp, e))?;
        Ok(Writer {
            path: path.to_path_buf(),
            tmp,
            out: Mutex::new(Some((BufWriter::with_capacity(1 << 20, file), 0))),
        })
    }

    /// Add one article's terms (any thread, any order). Ids are stored sorted, as varint
    /// gaps: about a third of their in-memory size.
    pub fn record(&self, rel: &str, key: Digest, page: &PageOut) -> Result<()> {
        let (tf, len, surfaces) = page.parts();
        let mut tf = tf.to_vec();
        tf.sort_unstable_by_key(|p| p.0);
        let mut surfaces = surfaces.to_vec();
        surfaces.sort_unstable();
        // Sizes first, so that reading the file can step from record to record.
        let mut b = Vec::with_capacity(40 + rel.len() + tf.len() * 4 + surfaces.len() * 2);
        b.extend_from_slice(&[0; 8]);
        put_str(&mut b, rel);
        b.extend_from_slice(&key.to_le_bytes());
        b.extend_from_slice(&len.to_le_bytes());
        let tf_start = b.len();
        put_var(&mut b, tf.len() as u32);
        let mut prev = 0;
        for &(t, w) in &tf {
            put_var(&mut b, t - prev);
            put_weight(&mut b, w);
            prev = t;
        }
        let tf_len = (b.len() - tf_start) as u32;
        put_var(&mut b, surfaces.len() as u32);
        let mut prev = 0;
        for &s in &surfaces {
            put_var(&mut b, s - prev);
            prev = s;
        }
        let total = (b.len() - 8) as u32;
        b[..4].copy_from_slice(&total.to_le_bytes());
        b[4..8].copy_from_slice(&tf_len.to_le_bytes());
        let mut guard = self.out.lock().unwrap_or_else(|e| e.into_inner());
        let Some(out) = guard.as_mut() else { return Ok(()) };
        out.0.write_all(&b).map_err(|e| Error::io("writing", &self.tmp, e))?;
        out.1 += b.len() as u64;
        Ok(())
    }

    /// Add one article's record exactly as an earlier file stored it.
    pub fn record_raw(&self, record: &[u8]) -> Result<()> {
        let mut guard = self.out.lock().unwrap_or_else(|e| e.into_inner());
        let Some(out) = guard.as_mut() else { return Ok(()) };
        out.0.write_all(record).map_err(|e| Error::io("writing", &self.tmp, e))?;
        out.1 += record.len() as u64;
        Ok(())
    }

    /// Write the tables and move the file into place.
    pub fn finish(self, tables: &Tables) -> Result<()> {
        let taken = self.out.lock().unwrap_or_else(|e| e.into_inner()).take();
        let Some((mut out, at)) = taken else { return Ok(()) };
        let mut b = Vec::new();
        b.extend_from_slice(&(tables.0.len() as u32).to_le_bytes());
        for t in &tables.0 {
            put_str(&mut b, t);
        }
        b.extend_from_slice(&(tables.1.len() as u32).to_le_bytes());
        for (s, t) in &tables.1 {
            put_str(&mut b, s);
            b.extend_from_slice(&t.to_le_bytes());
        }
        b.extend_from_slice(&at.to_le_bytes());
        b.extend_from_slice(MAGIC);
        let io = |e| Error::io("writing", &self.tmp, e);
        out.write_all(&b).map_err(io)?;
        out.into_inner().map_err(|e| io(e.into_error()))?;
        std::fs::rename(&self.tmp, &self.path).map_err(|e| Error::io("writing", &self.path, e))
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Finished writers have renamed the file away; this only clears an abandoned one.
        let _ = std::fs::remove_file(&self.tmp);
    }
}

fn put_str(b: &mut Vec<u8>, s: &str) {
    b.extend_from_slice(&(s.len() as u32).to_le_bytes());
    b.extend_from_slice(s.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_and_tables_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("terms.bin");
        let w = Writer::create(&path).unwrap();
        w.record("a/b.md", 7, &PageOut::from_parts(vec![(0, 1.5), (1, 10.0)], 11.5, vec![0, 1])).unwrap();
        w.record("c.md", 9, &PageOut::from_parts(vec![(1, 2.0)], 2.0, vec![1])).unwrap();
        let tables: Tables =
            (vec!["error".into(), "mail".into()], vec![("errors".into(), 0), ("mail".into(), 1)]);
        w.finish(&tables).unwrap();
        let s = read(&path).unwrap();
        assert_eq!(s.tables.0.len(), 2);
        assert_eq!(&*s.tables.1[0].0, "errors");
        let c = &s.pages["a/b.md"];
        assert_eq!(c.key, 7);
        assert_eq!(s.terms(c).unwrap().parts(), (&[(0, 1.5), (1, 10.0)][..], 11.5, &[][..]));
        assert_eq!(s.surfaces(c).collect::<Vec<_>>(), [0, 1]);
        let c = &s.pages["c.md"];
        assert_eq!(s.terms(c).unwrap().parts(), (&[(1, 2.0)][..], 2.0, &[][..]));
        assert_eq!(s.surfaces(c).collect::<Vec<_>>(), [1]);
        // A raw copy of a record reads back the same.
        let again = dir.path().join("again.bin");
        let w = Writer::create(&again).unwrap();
        w.record_raw(s.record(&s.pages["c.md"])).unwrap();
        w.finish(&tables).unwrap();
        let t = read(&again).unwrap();
        assert_eq!(t.surfaces(&t.pages["c.md"]).collect::<Vec<_>>(), [1]);
        // A file cut short is not trusted.
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert!(read(&path).is_none());
    }
}
