//! Updating an existing output folder in place, for warm builds: files whose bytes are
//! unchanged are left alone, changed ones are written into a staging folder first and moved
//! in (each by an atomic rename) only when the whole build succeeded; files the build no
//! longer makes are removed. A failed build leaves the output untouched.
//!
//! Only files that are exactly as the last build left them (size and modification time as
//! recorded) count as present; anything else in the folder is treated as foreign and
//! replaced or removed, so the result is what a cold build would write. A link found where
//! the last build made a folder is removed as a link, never followed ([`OutputDir`]).
//!
//! Moving the changed files in is many renames, not one: before the first, the staging
//! folder gets a journal of every move and removal, so a build killed half-way is finished
//! by the next one ([`roll_forward`]) before it looks at the output.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use walkdir::WalkDir;

use super::OutputEntry;
use super::confined::OutputDir;
use super::{Sink, check_rel, claim_in, guard};
use crate::base::digest::{Digest, Stamp, digest};
use crate::error::{Error, Result};

/// A sink that updates `target` in place.
pub struct Update {
    target: PathBuf,
    /// The scratch folder beside the target: `files/` (the changed files), `journal`.
    stage: PathBuf,
    /// `stage/files`.
    files: PathBuf,
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
        let folders = Folders::stat(target, dirs);
        let checked: Vec<(&String, bool, bool)> = recorded
            .par_iter()
            .filter(|(rel, _)| !folders.under_broken(rel))
            .map(|(rel, entry)| match std::fs::symlink_metadata(target.join(rel)) {
                Ok(m) => {
                    let s = Stamp::of(&m);
                    (rel, m.is_file() && s.size == entry.stamp.size && s.mtime == entry.stamp.mtime, true)
                }
                Err(_) => (rel, false, false),
            })
            .collect();
        let mut present = HashMap::with_capacity(recorded.len());
        let mut foreign: Vec<String> =
            folders.broken.iter().filter(|d| !folders.under_broken(d)).map(|d| d.to_string()).collect();
        for (rel, ok, exists) in checked {
            if ok {
                present.insert(rel.clone(), recorded[rel]);
            } else if exists {
                foreign.push(rel.clone());
            }
        }
        for dir in folders.moved(dirs) {
            foreign_in(target, dir, recorded, dirs, &mut foreign);
        }
        let parent =
            target.parent().ok_or_else(|| Error::usage_at(target, "the output folder needs a parent"))?;
        let stage = parent.join(guard::scratch_name(target, "tmp"));
        if stage.exists() {
            std::fs::remove_dir_all(&stage).map_err(|e| Error::io("clearing", &stage, e))?;
        }
        let files = stage.join("files");
        std::fs::create_dir_all(&files).map_err(|e| Error::io("creating the staging folder", &files, e))?;
        let ignore = stage.join(".gitignore");
        std::fs::write(&ignore, "*\n").map_err(|e| Error::io("writing", ignore, e))?;
        Ok(Update {
            target: target.to_path_buf(),
            stage,
            files,
            present,
            foreign,
            dirs: dirs.clone(),
            made: Mutex::default(),
            made_dirs: Mutex::default(),
            committed: false,
        })
    }

    /// The output folder being updated.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Move the changed files in and remove the ones no longer made. Returns the record of
    /// every output file for the cache.
    pub fn commit(mut self) -> Result<(HashMap<String, OutputEntry>, HashMap<String, u128>)> {
        if self.is_noop() {
            self.committed = true;
            let _ = std::fs::remove_dir_all(&self.stage);
            return Ok((std::mem::take(&mut self.present), std::mem::take(&mut self.dirs)));
        }
        let made = std::mem::take(&mut *self.made.lock().unwrap_or_else(|e| e.into_inner()));
        let staged: Vec<String> = made.iter().filter(|(_, (_, s))| *s).map(|(rel, _)| rel.clone()).collect();
        let gone: Vec<String> = self
            .present
            .keys()
            .chain(&self.foreign)
            .filter(|rel| !made.contains_key(*rel))
            .cloned()
            .collect();
        let journal = Journal { moves: staged.clone(), removals: gone.clone() };
        journal.write(&self.stage)?;
        apply(&journal, &self.files, &self.target)?;
        self.committed = true;
        let _ = std::fs::remove_dir_all(&self.stage);
        let files: HashMap<String, OutputEntry> = made
            .into_par_iter()
            .map(|(rel, (hash, staged))| {
                let stamp = match self.present.get(&rel) {
                    Some(e) if !staged => e.stamp,
                    _ => {
                        let path = self.target.join(&rel);
                        let meta =
                            std::fs::symlink_metadata(&path).map_err(|e| Error::io("reading", &path, e))?;
                        Stamp::of(&meta)
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

/// The recorded folders of the output as they are now: one stat each.
struct Folders<'a> {
    /// Each recorded folder with its modification time, or `None` when it is no longer a
    /// real folder.
    seen: Vec<(&'a String, Option<u128>)>,
    /// Recorded folders that are no longer real folders (a link or a file put there): they
    /// are removed as such, and nothing below them counts as present or is looked at.
    broken: HashSet<&'a str>,
}

impl<'a> Folders<'a> {
    fn stat(target: &Path, dirs: &'a HashMap<String, u128>) -> Folders<'a> {
        let seen: Vec<(&String, Option<u128>)> = dirs
            .par_iter()
            .map(|(rel, _)| {
                let meta = std::fs::symlink_metadata(target.join(rel.as_str()));
                (rel, meta.ok().filter(|m| m.is_dir()).map(|m| Stamp::of(&m).mtime))
            })
            .collect();
        let broken = seen
            .iter()
            .filter(|(rel, m)| m.is_none() && !rel.is_empty())
            .map(|(rel, _)| rel.as_str())
            .collect();
        Folders { seen, broken }
    }

    /// Whether `rel` lies below a broken folder.
    fn under_broken(&self, rel: &str) -> bool {
        let mut at = rel;
        while let Some((parent, _)) = at.rsplit_once('/') {
            if self.broken.contains(parent) {
                return true;
            }
            at = parent;
        }
        false
    }

    /// Real folders whose modification time moved since the record: something was added
    /// or removed in them.
    fn moved(&self, dirs: &HashMap<String, u128>) -> Vec<&'a String> {
        self.seen
            .iter()
            .filter(|(rel, _)| !self.broken.contains(rel.as_str()) && !self.under_broken(rel))
            .filter(|(rel, mtime)| *mtime != Some(dirs[*rel]))
            .map(|(rel, _)| *rel)
            .collect()
    }
}

/// Add to `foreign` every entry of the output folder `dir` the last build did not make:
/// a file or link as it is, a folder walked without following the links inside it.
fn foreign_in(
    target: &Path,
    dir: &str,
    recorded: &HashMap<String, OutputEntry>,
    dirs: &HashMap<String, u128>,
    foreign: &mut Vec<String>,
) {
    let Ok(entries) = std::fs::read_dir(target.join(dir)) else { return };
    for e in entries.flatten() {
        let Some(name) = e.file_name().to_str().map(str::to_string) else { continue };
        let rel = if dir.is_empty() { name } else { format!("{dir}/{name}") };
        if recorded.contains_key(&rel) || dirs.contains_key(&rel) || rel == guard::MARKER {
            continue;
        }
        if !e.file_type().is_ok_and(|t| t.is_dir()) {
            foreign.push(rel);
            continue;
        }
        for f in WalkDir::new(e.path())
            .follow_root_links(false)
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

/// What committing an update does to the output, written before the first change so that a
/// killed build can be finished by the next one.
#[derive(serde::Serialize, serde::Deserialize)]
struct Journal {
    /// Files to move from the staging folder's `files/` into the output.
    moves: Vec<String>,
    /// Files (or links) to remove from the output.
    removals: Vec<String>,
}

const JOURNAL: &str = "journal";

impl Journal {
    /// Written aside and renamed, so a journal that exists is complete.
    fn write(&self, stage: &Path) -> Result<()> {
        let (part, whole) = (stage.join("journal.part"), stage.join(JOURNAL));
        let bytes = serde_json::to_vec(self)
            .map_err(|e| Error::internal(Some(whole.clone()), format!("encoding the journal: {e}")))?;
        std::fs::write(&part, bytes).map_err(|e| Error::io("writing", &part, e))?;
        std::fs::rename(&part, &whole).map_err(|e| Error::io("writing", &whole, e))
    }
}

/// Carry out a journal: removals first (a link where a folder goes is gone before files
/// move in under that name), then moves, then folders left empty. Every step may already
/// have been done by a build that was killed: a staged file no longer there was moved.
fn apply(journal: &Journal, files: &Path, target: &Path) -> Result<()> {
    let out = OutputDir::open(target).map_err(|e| Error::io("opening the output folder", target, e))?;
    journal.removals.par_iter().try_for_each(|rel| {
        check_rel(rel)?;
        out.remove_file(rel).map_err(|e| Error::io("removing", target.join(rel), e))
    })?;
    journal.moves.par_iter().try_for_each(|rel| {
        check_rel(rel)?;
        let from = files.join(rel);
        match out.move_in(&from, rel) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !from.exists() => Ok(()),
            r => r.map_err(|e| Error::io("moving into place", target.join(rel), e)),
        }
    })?;
    // Folders left empty by removed pages go too (a cold build would not make them).
    let mut dirs: Vec<&str> =
        journal.removals.iter().filter_map(|r| r.rsplit_once('/').map(|p| p.0)).collect();
    dirs.sort_unstable();
    dirs.dedup();
    for d in dirs.iter().rev() {
        let mut d = *d;
        while !d.is_empty() && out.remove_empty_dir(d) {
            d = d.rsplit_once('/').map_or("", |p| p.0);
        }
    }
    Ok(())
}

/// Finish the update a killed build left in `stage` when its journal is complete (the
/// output then becomes the new site); a stage without a journal never touched the output.
pub fn roll_forward(stage: &Path, target: &Path) -> Result<()> {
    let Ok(bytes) = std::fs::read(stage.join(JOURNAL)) else { return Ok(()) };
    let Ok(journal) = serde_json::from_slice::<Journal>(&bytes) else { return Ok(()) };
    if std::fs::symlink_metadata(target).is_ok_and(|m| m.is_dir()) {
        apply(&journal, &stage.join("files"), target)?;
    }
    Ok(())
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
        super::write_file(&self.files.join(rel), bytes, &self.made_dirs)
            .map_err(|e| super::at_target(e, &self.target, rel))
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
