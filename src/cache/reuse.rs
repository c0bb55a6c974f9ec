//! The cache's answer to the stages' "may I keep this file?" (`render::Reuse`,
//! `search::write::Reuse`): a file is kept when the key it was made from is the one the last
//! build recorded for its path and the output still holds that build's file. Every key asked
//! about is noted for the next build's record.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use super::Digest;
use crate::output::Sink;

/// Keys of derived files: the last build's, and this build's as they are asked about.
pub struct Derived<'a> {
    /// Whether the cache is in use at all (without it, nothing is kept or noted).
    enabled: bool,
    prior: &'a HashMap<String, Digest>,
    next: Mutex<HashMap<String, Digest>>,
    sink: &'a dyn Sink,
    /// Paths already kept in the sink (keeping twice would claim the path twice).
    kept: Mutex<HashSet<String>>,
}

impl<'a> Derived<'a> {
    /// Answer from `prior` (the last build's keys), keeping files in `sink`.
    pub fn new(enabled: bool, prior: &'a HashMap<String, Digest>, sink: &'a dyn Sink) -> Self {
        Derived { enabled, prior, next: Mutex::default(), sink, kept: Mutex::default() }
    }

    /// Note `key` as the key of `path` for the next build, and say whether the file the
    /// last build wrote there can stay (it is then kept in the sink).
    pub fn keep(&self, path: &str, key: Digest) -> bool {
        if !self.enabled {
            return false;
        }
        self.next.lock().unwrap_or_else(|e| e.into_inner()).insert(path.to_string(), key);
        self.prior.get(path) == Some(&key) && self.keep_file(path)
    }

    /// Note `key` for `path` without asking to keep it (the caller writes the file).
    pub fn note(&self, path: &str, key: Digest) {
        if self.enabled {
            self.next.lock().unwrap_or_else(|e| e.into_inner()).insert(path.to_string(), key);
        }
    }

    /// Keep the last build's file at `path` in the sink, noting no key (a path kept once
    /// stays kept).
    pub fn keep_file(&self, path: &str) -> bool {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.contains(path) || (self.sink.keep(path) && kept.insert(path.to_string()))
    }

    /// Carry the last build's keys of the paths `which` accepts into this build's, as they
    /// are (the files they describe were kept whole).
    pub fn carry(&self, which: impl Fn(&str) -> bool) {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        next.extend(self.prior.iter().filter(|(p, _)| which(p)).map(|(p, k)| (p.clone(), *k)));
    }

    /// The paths the last build recorded keys for under `prefix`.
    pub fn prior_paths(&self, prefix: &str) -> Vec<String> {
        self.prior.keys().filter(|p| p.starts_with(prefix)).cloned().collect()
    }

    /// The keys this build noted.
    pub fn into_keys(self) -> HashMap<String, Digest> {
        self.next.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl crate::render::Reuse for Derived<'_> {
    fn wants_keys(&self) -> bool {
        self.enabled
    }

    fn keep(&self, path: &str, key: Option<Digest>) -> bool {
        match key {
            Some(key) => Derived::keep(self, path, key),
            // No key: the file is made again, and the next build finds no key to match.
            None => false,
        }
    }
}
