//! Updating an existing output folder in place, for warm builds: files whose bytes are
//! unchanged are left alone, changed ones are written into a staging folder first and moved
//! in (each by an atomic rename) only when the whole build succeeded; files the build no
//! longer makes are removed. A failed build leaves the output untouched.
//!
//! Only files that are exactly as the last build left them (size and modification time as
//! recorded) count as present; anything else in the folder is treated as foreign and
//! replaced or removed, so the result is what a cold build would write.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use walkdir::WalkDir;

use super::{Sink, check_rel, claim_in};
use crate::cache::{Digest, OutputEntry, Stamp, digest};
use crate::error::{Error, Result};

/// A sink that updates `target` in place.
pub struct Update {
    target: PathBuf,
    stage: PathBuf,
    /// Files present as recorded.
    present: HashMap<String, OutputEntry>,
    /// Every other file in the target (removed on commit unless written again).
    foreign: Vec<String>,
    /// The folders' record, returned as is when nothing changes.
    dirs: HashMap<String, u128>,
    /// What this build produced: digest and whether it was staged (changed).
    made: Mutex<HashMap<String, (Digest, bool)>>,
    made_dirs: Mutex<HashSet<PathBuf>>,
    committed: bool,
}

impl Update {
    /// Check `target` against what the last build recorded of it: each recorded file is
    /// stat'ed, and a folder is listed only when its modification time moved (something was
    /// added or removed in it), as git's untracked cache does; a full walk of a 100k-page
    /// output would cost more than the rest of a warm build.
    pub fn new(
        target: &Path,
        recorded: &HashMap<String, OutputEntry>,
        dirs: &HashMap<String, u128>,
    ) -> Result<Update> {
        let checked: Vec<(&String, bool, bool)> = recorded
            .par_iter()
            .map(|(rel, entry)| match std::fs::symlink_metadata(target.join(rel)) {
                Ok(m) => {
                    let s = Stamp::of(&m);
                    (rel, m.is_file() && s.size == entry.stamp.size && s.mtime == entry.stamp.mtime, true)
                }
                Err(_) => (rel, false, false),
            })
            .collect();
        let mut present = HashMap::with_capacity(recorded.len());
        let mut foreign = Vec::new();
        for (rel, ok, exists) in checked {
            if ok {
                present.insert(rel.clone(), recorded[rel]);
            } else if exists {
                foreign.push(rel.clone());
            }
        }
        let moved: Vec<&String> = dirs
            .par_iter()
            .filter(|(rel, mtime)| {
                std::fs::symlink_metadata(target.join(rel.as_str()))
                    .map_or(true, |m| !m.is_dir() || Stamp::of(&m).mtime != **mtime)
            })
            .map(|(rel, _)| rel)
            .collect();
        for dir in moved {
            let Ok(entries) = std::fs::read_dir(target.join(dir.as_str())) else { continue };
            for e in entries.flatten() {
                let Some(name) = e.file_name().to_str().map(str::to_string) else { continue };
                let rel = if dir.is_empty() { name } else { format!("{dir}/{name}") };
                if recorded.contains_key(&rel) || dirs.contains_key(&rel) {
                    continue;
                }
                // Not made by the last build: everything in it is foreign.
                for f in WalkDir::new(e.path())
                    .into_iter()
                    .filter_map(|f| f.ok())
                    .filter(|f| !f.file_type().is_dir())
                {
                    if let Ok(r) = f.path().strip_prefix(target) {
                        foreign.push(r.to_string_lossy().replace('\\', "/"));
                    }
                }
            }
        }
        let parent =
            target.parent().ok_or_else(|| Error::Usage("the output folder needs a parent".into()))?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let stage = parent.join(format!(".{name}.kiln-tmp-{}", std::process::id()));
        if stage.exists() {
            std::fs::remove_dir_all(&stage).map_err(|e| Error::io("clearing", &stage, e))?;
        }
        std::fs::create_dir(&stage).map_err(|e| Error::io("creating", &stage, e))?;
        Ok(Update {
            target: target.to_path_buf(),
            stage,
            present,
            foreign,
            dirs: dirs.clone(),
            made: Mutex::default(),
            made_dirs: Mutex::default(),
            committed: false,
        })
    }

    /// Move the changed files in and remove the ones no longer made. Returns the record of
    /// every output file for the cache.
    pub fn commit(mut self) -> Result<(HashMap<String, OutputEntry>, HashMap<String, u128>)> {
        if self.is_noop() {
            self.committed = true;
            let _ = std::fs::remove_dir(&self.stage);
            return Ok((std::mem::take(&mut self.present), std::mem::take(&mut self.dirs)));
        }
        let made = std::mem::take(&mut *self.made.lock().unwrap_or_else(|e| e.into_inner()));
        let staged: Vec<String> = made.iter().filter(|(_, (_, s))| *s).map(|(rel, _)| rel.clone()).collect();
        let mut parents: Vec<PathBuf> =
            staged.iter().filter_map(|rel| self.target.join(rel).parent().map(Path::to_path_buf)).collect();
        parents.sort_unstable();
        parents.dedup();
        for p in &parents {
            std::fs::create_dir_all(p).map_err(|e| Error::io("creating", p, e))?;
        }
        staged.par_iter().try_for_each(|rel| {
            let to = self.target.join(rel);
            std::fs::rename(self.stage.join(rel), &to).map_err(|e| Error::io("moving into place", &to, e))
        })?;
        let gone: Vec<String> = self
            .present
            .keys()
            .chain(&self.foreign)
            .filter(|rel| !made.contains_key(*rel))
            .cloned()
            .collect();
        gone.par_iter().try_for_each(|rel| {
            let path = self.target.join(rel);
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io("removing", &path, e)),
                _ => Ok(()),
            }
        })?;
        // Folders left empty by removed pages go too (a cold build would not make them).
        let mut dirs: Vec<PathBuf> =
            gone.iter().filter_map(|rel| Path::new(rel.as_str()).parent().map(Path::to_path_buf)).collect();
        dirs.sort_unstable();
        dirs.dedup();
        for d in dirs.iter().rev() {
            let mut d = d.clone();
            while !d.as_os_str().is_empty() && std::fs::remove_dir(self.target.join(&d)).is_ok() {
                d.pop();
            }
        }
        self.committed = true;
        let _ = std::fs::remove_dir_all(&self.stage);
        let files: HashMap<String, OutputEntry> = made
            .into_par_iter()
            .map(|(rel, (hash, staged))| {
                let stamp = match self.present.get(&rel) {
                    Some(e) if !staged => e.stamp,
                    _ => {
                        let path = self.target.join(&rel);
                        Stamp::of(&std::fs::metadata(&path).map_err(|e| Error::io("reading", &path, e))?)
                    }
                };
                Ok((rel, OutputEntry { hash, stamp }))
            })
            .collect::<Result<_>>()?;
        // Only folders whose entries changed have a new modification time: the parents (and
        // their parents, for folders made or removed) of files moved in or removed.
        let mut dirs = std::mem::take(&mut self.dirs);
        let mut touched: HashSet<&str> = HashSet::from([""]);
        for rel in staged.iter().chain(&gone) {
            let mut at = rel.as_str();
            while let Some((parent, _)) = at.rsplit_once('/') {
                if !touched.insert(parent) {
                    break;
                }
                at = parent;
            }
        }
        let restat: Vec<(&str, Option<u128>)> = touched
            .into_par_iter()
            .map(|d| (d, std::fs::metadata(self.target.join(d)).ok().map(|m| Stamp::of(&m).mtime)))
            .collect();
        for (d, mtime) in restat {
            match mtime {
                Some(t) => dirs.insert(d.to_string(), t),
                None => dirs.remove(d),
            };
        }
        Ok((files, dirs))
    }

    /// Whether committing would change nothing in the output folder.
    pub fn is_noop(&self) -> bool {
        let made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        made.values().all(|(_, staged)| !staged)
            && self.foreign.is_empty()
            && self.present.keys().all(|rel| made.contains_key(rel))
    }

    /// Files written (changed) and files kept so far.
    pub fn counts(&self) -> (usize, usize) {
        let made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        let staged = made.values().filter(|(_, s)| *s).count();
        (staged, made.len() - staged)
    }
}

impl Drop for Update {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.stage);
        }
    }
}

impl Sink for Update {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        check_rel(rel)?;
        let hash = digest(bytes);
        let unchanged = self.present.get(rel).is_some_and(|e| e.hash == hash);
        claim_in(&self.made, rel, (hash, !unchanged))?;
        if unchanged {
            return Ok(());
        }
        super::write_file(&self.stage.join(rel), bytes, &self.made_dirs)
    }

    fn can_keep(&self, rel: &str) -> bool {
        self.present.contains_key(rel)
            && !self.made.lock().unwrap_or_else(|e| e.into_inner()).contains_key(rel)
    }

    fn keep(&self, rel: &str) -> bool {
        match self.present.get(rel) {
            Some(e) => claim_in(&self.made, rel, (e.hash, false)).is_ok(),
            None => false,
        }
    }
}
