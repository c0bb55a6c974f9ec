//! Writing an import so it can be run again: `.kiln-import.json` at the site root records
//! the digest of every file the import wrote. A file whose bytes are already right is not
//! touched; one edited since the import wrote it is kept (listed; `--force` overwrites it);
//! one the source no longer has is removed unless it was edited. Every write lands inside
//! the site, never through a symbolic link, and replaces the file in one rename.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

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

/// Write `files` (content-relative) under `root/content`.
pub fn apply(root: &Path, content: &str, vendor: &str, files: &[Planned], force: bool) -> Result<Outcome> {
    let old = read_manifest(root);
    let mut new = Manifest { vendor: vendor.to_string(), files: BTreeMap::new() };
    let mut outcome = Outcome::default();
    for f in files {
        let rel = format!("{content}/{}", f.path);
        let digest = hex(&f.bytes);
        let path = root.join(&rel);
        let current = match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() || !m.is_file() => {
                outcome.kept.push(rel.clone());
                continue;
            }
            Ok(_) => Some(confine::read(root, &path).map_err(|e| Error::usage_at(&path, e.to_string()))?),
            Err(_) => None,
        };
        let entry = Entry { key: f.key.clone(), digest: digest.clone() };
        match current {
            Some(bytes) if bytes == f.bytes => outcome.unchanged += 1,
            Some(bytes) if !force && old.files.get(&rel).is_none_or(|e| e.digest != hex(&bytes)) => {
                outcome.kept.push(rel.clone());
                if let Some(e) = old.files.get(&rel) {
                    new.files.insert(rel, e.clone());
                }
                continue;
            }
            _ => {
                write(root, &path, &f.bytes)?;
                outcome.written.push(rel.clone());
            }
        }
        new.files.insert(rel, entry);
    }
    let planned: std::collections::HashSet<String> =
        files.iter().map(|f| format!("{content}/{}", f.path)).collect();
    for (rel, e) in &old.files {
        if new.files.contains_key(rel) || planned.contains(rel) {
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
    if new != old {
        let text =
            serde_json::to_string_pretty(&new).map_err(|e| Error::internal(None, e.to_string()))? + "\n";
        write(root, &root.join(MANIFEST), text.as_bytes())?;
    }
    Ok(outcome)
}

fn hex(bytes: &[u8]) -> String {
    format!("{:032x}", crate::base::digest::digest(bytes))
}

/// Write `bytes` to `path` through a temporary file and one rename, after checking the
/// folder it lands in is inside the site once links are resolved.
fn write(root: &Path, path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().ok_or_else(|| Error::internal(Some(path.into()), "a file without a folder"))?;
    std::fs::create_dir_all(dir).map_err(|e| Error::io("creating", dir, e))?;
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

fn remove_empty_parents(root: &Path, path: &Path) {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
