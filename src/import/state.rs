//! Writing an import so it can be run again: `.kiln-import.json` at the site root records
//! the digest of every file the import wrote. A file whose bytes are already right is not
//! touched; one edited since the import wrote it is kept (listed; `--force` overwrites it),
//! and one removed or moved since is not brought back (listed; `--force` writes it again);
//! one the source no longer has is removed unless it was edited. Every write lands inside
//! the site, never through a symbolic link, and replaces the file in one rename.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::pages::Planned;
use crate::base::confine;
use crate::error::{Error, Result};

/// The record's file name, at the site root.
pub const MANIFEST: &str = ".kiln-import.json";

#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
struct Manifest {
    vendor: String,
    /// Site-relative path → what it is and the digest of the bytes written.
    files: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
struct Entry {
    key: String,
    digest: String,
}

/// What writing did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Files written (new or changed at the source).
    pub written: Vec<String>,
    /// Files already right.
    pub unchanged: usize,
    /// Files edited here since the last import, or not written by it, left as they are.
    pub kept: Vec<String>,
    /// Files the source no longer has, removed.
    pub removed: Vec<String>,
    /// Files an earlier import wrote and that were removed (or moved) here since: not
    /// written again.
    pub gone: Vec<String>,
}

/// The files an earlier import wrote for each article id (site-relative, without `.md`),
/// so an article keeps its file name.
pub fn previous_articles(root: &Path, content: &str) -> HashMap<u64, String> {
    let manifest = read_manifest(root);
    manifest
        .files
        .iter()
        .filter_map(|(path, e)| {
            let id = e.key.strip_prefix("article:")?.parse().ok()?;
            let stem = path.strip_prefix(content)?.strip_prefix('/')?.strip_suffix(".md")?;
            Some((id, stem.to_string()))
        })
        .collect()
}

fn read_manifest(root: &Path) -> Manifest {
    confine::read(root, &root.join(MANIFEST))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// What to do with one planned file, decided from what is on disk.
enum Action {
    /// Its bytes are already there.
    Unchanged,
    /// Edited here (or not a plain file): left alone, its old record kept.
    Keep,
    /// Written by an earlier import and removed here since: not brought back.
    Gone,
    /// New, changed at the source, or forced.
    Write,
}

/// Write `files` (content-relative) under `root/content`.
pub fn apply(root: &Path, content: &str, vendor: &str, files: &[Planned], force: bool) -> Result<Outcome> {
    let old = read_manifest(root);
    let rels: Vec<String> = files.iter().map(|f| format!("{content}/{}", f.path)).collect();
    // Reading what is there is most of a re-run's time: done on every core.
    let actions: Vec<(Action, String)> = files
        .par_iter()
        .zip(&rels)
        .map(|(f, rel)| decide(root, rel, f, &old, force))
        .collect::<Result<_>>()?;
    let mut new = Manifest { vendor: vendor.to_string(), files: BTreeMap::new() };
    let mut outcome = Outcome::default();
    let mut to_write = Vec::new();
    for ((f, rel), (action, digest)) in files.iter().zip(&rels).zip(actions) {
        match action {
            Action::Unchanged => outcome.unchanged += 1,
            Action::Keep | Action::Gone => {
                if let Some(e) = old.files.get(rel) {
                    new.files.insert(rel.clone(), e.clone());
                }
                match action {
                    Action::Gone => outcome.gone.push(rel.clone()),
                    _ => outcome.kept.push(rel.clone()),
                }
                continue;
            }
            Action::Write => to_write.push((f, rel)),
        }
        new.files.insert(rel.clone(), Entry { key: f.key.clone(), digest });
    }
    // Every folder first (a link in the way stops the import before any file is written),
    // then the files on every core.
    let dirs: BTreeSet<&str> =
        to_write.iter().map(|(_, rel)| rel.rsplit_once('/').map_or("", |(d, _)| d)).collect();
    for make in [false, true] {
        for d in &dirs {
            make_dirs(root, &root.join(d), make)?;
        }
    }
    to_write
        .par_iter()
        .map(|(f, rel)| write(root, &root.join(rel), &f.bytes.load()?))
        .collect::<Result<()>>()?;
    outcome.written = to_write.iter().map(|(_, rel)| rel.to_string()).collect();
    let planned: HashSet<&String> = rels.iter().collect();
    remove_dropped(root, &old, &planned, force, &mut new, &mut outcome)?;
    if new != old {
        let text =
            serde_json::to_string_pretty(&new).map_err(|e| Error::internal(None, e.to_string()))? + "\n";
        write(root, &root.join(MANIFEST), text.as_bytes())?;
    }
    Ok(outcome)
}

/// Remove what an earlier import wrote and the source no longer has, unless it was edited
/// here since (then it is kept, and stays in the record).
fn remove_dropped(
    root: &Path,
    old: &Manifest,
    planned: &HashSet<&String>,
    force: bool,
    new: &mut Manifest,
    outcome: &mut Outcome,
) -> Result<()> {
    for (rel, e) in &old.files {
        if planned.contains(rel) {
            continue;
        }
        let path = root.join(rel);
        match confine::read(root, &path) {
            Ok(bytes) if hex(&bytes) == e.digest || force => {
                std::fs::remove_file(&path).map_err(|err| Error::io("removing", &path, err))?;
                remove_empty_parents(root, &path);
                outcome.removed.push(rel.clone());
            }
            Ok(_) => {
                outcome.kept.push(rel.clone());
                new.files.insert(rel.clone(), e.clone());
            }
            Err(_) => {}
        }
    }
    Ok(())
}

/// Whether `f` (at site-relative `rel`) is already right, edited here, or to be written,
/// and the digest of its bytes.
fn decide(root: &Path, rel: &str, f: &Planned, old: &Manifest, force: bool) -> Result<(Action, String)> {
    let bytes = f.bytes.load()?;
    let digest = hex(&bytes);
    let path = root.join(rel);
    let current = match std::fs::symlink_metadata(&path) {
        Ok(m) if m.file_type().is_symlink() || !m.is_file() => return Ok((Action::Keep, digest)),
        Ok(_) => confine::read(root, &path).map_err(|e| Error::usage_at(&path, e.to_string()))?,
        // Removed (or moved) here after an import wrote it: a local decision, kept.
        Err(_) if !force && old.files.contains_key(rel) => return Ok((Action::Gone, digest)),
        Err(_) => return Ok((Action::Write, digest)),
    };
    let action = if current == *bytes {
        Action::Unchanged
    } else if !force && old.files.get(rel).is_none_or(|e| e.digest != hex(&current)) {
        Action::Keep
    } else {
        Action::Write
    };
    Ok((action, digest))
}

fn hex(bytes: &[u8]) -> String {
    format!("{:032x}", crate::base::digest::digest(bytes))
}

/// Write `bytes` to `path` through a temporary file and one rename, after checking the
/// folder it lands in (made by [`make_dirs`]) is inside the site once links are resolved.
fn write(root: &Path, path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().ok_or_else(|| Error::internal(Some(path.into()), "a file without a folder"))?;
    if !confine::is_inside(root, dir) {
        return Err(Error::usage_at(dir, format!("{}: {}", dir.display(), confine::OUTSIDE)));
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.kiln-import-{}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|e| Error::io("writing", &tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io("writing", path, e)
    })
}

/// Create the folders from `root` down to `dir` one at a time (without `make`: only check
/// them), refusing a link or a file where a folder goes, so that nothing is ever created
/// through a link out of the site.
fn make_dirs(root: &Path, dir: &Path, make: bool) -> Result<()> {
    let Ok(rel) = dir.strip_prefix(root) else {
        return Err(Error::usage_at(dir, format!("{}: {}", dir.display(), confine::OUTSIDE)));
    };
    let mut at = root.to_path_buf();
    for part in rel.components() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(Error::usage_at(
                    &at,
                    format!("{}: a link or a file stands where the import puts a folder", at.display()),
                ));
            }
            Err(_) if !make => return Ok(()),
            Err(_) => match std::fs::create_dir(&at) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(Error::io("creating", &at, e)),
            },
        }
    }
    Ok(())
}

fn remove_empty_parents(root: &Path, path: &Path) {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
