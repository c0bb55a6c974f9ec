//! The term and surface tables an index build shares between its workers, and each
//! worker's cache in front of them ([`Interner`]): tokens become term ids with one hash
//! lookup, and term frequencies are counted in a dense array.

use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use super::tokenize::{self, Kind};

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

    /// (surface, term id) of each surface id.
    pub fn surface_words(&self, ids: &[u32]) -> Vec<(Box<str>, u32)> {
        let table = self.surfaces.lock().unwrap_or_else(|e| e.into_inner());
        ids.iter().map(|&s| (table.1[s as usize].0.as_ref().into(), table.1[s as usize].1)).collect()
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
pub(super) struct Interner<'a> {
    shared: &'a Terms,
    stemmer: Option<rust_stemmers::Stemmer>,
    stop_words: bool,
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
pub(super) const STOP: u32 = u32::MAX;

impl<'a> Interner<'a> {
    pub(super) fn new(shared: &'a Terms, lang: tokenize::Lang) -> Self {
        Interner {
            shared,
            stemmer: lang.stemmer(),
            stop_words: !lang.stop_words().is_empty(),
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
    pub(super) fn term(&mut self, token: &str, kind: Kind) -> u32 {
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
        let both = if kind == Kind::Word && self.stop_words && tokenize::is_stop_word(token) {
            (STOP as u64) << 32
        } else {
            let term = match (kind, &self.stemmer) {
                (Kind::Word, Some(stemmer)) => self.shared.id(&stemmer.stem(token)),
                _ => self.shared.id(token),
            };
            ((term as u64) << 32) | self.shared.surface_id(token, term) as u64
        };
        match packed {
            Some(k) => self.short.insert(k, both),
            None => self.surfaces.insert(token.into(), both),
        };
        both
    }

    /// Start counting a new document.
    pub(super) fn start_doc(&mut self) {
        self.doc = self.doc.wrapping_add(1);
    }

    /// The document's (term id, weighted frequency) pairs and surface ids; resets both.
    pub(super) fn finish_doc(&mut self) -> (Vec<(u32, f32)>, Vec<u32>) {
        let tf = self.touched.drain(..).map(|t| (t, std::mem::take(&mut self.tf[t as usize]))).collect();
        (tf, std::mem::take(&mut self.doc_surfaces))
    }

    /// Add `weight` to the frequency of term `t` in the current page.
    pub(super) fn count(&mut self, t: u32, weight: f32) {
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
