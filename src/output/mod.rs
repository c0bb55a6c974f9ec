//! Output stage: files are written into a staging folder beside the target and swapped in
//! only when the whole build succeeded, so a failed build leaves the previous site intact.
//! Warm builds update the output in place instead, see [`Update`].

mod update;

pub use update::Update;

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};

/// Where rendered files go. Implementations are shared by parallel render workers.
pub trait Sink: Sync {
    /// Write `bytes` at `rel` (a `/`-separated path under the output root).
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()>;

    /// Keep the file the last build wrote at `rel` instead of writing it again; `false`
    /// when there is no such file (then the caller writes it).
    fn keep(&self, _rel: &str) -> bool {
        false
    }

    /// Whether [`Sink::keep`] would succeed for `rel` (nothing is kept yet).
    fn can_keep(&self, _rel: &str) -> bool {
        false
    }
}

/// A sink that only checks paths; `kiln check` renders everything into it.
#[derive(Debug, Default)]
pub struct NullSink {
    written: Mutex<HashSet<String>>,
}

impl Sink for NullSink {
    fn write(&self, rel: &str, _bytes: &[u8]) -> Result<()> {
        check_rel(rel)?;
        claim(&self.written, rel)
    }
}

/// A staging folder that becomes the output folder on [`Staging::commit`].
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    written: Mutex<HashSet<String>>,
    /// Digest of every file written, for the build cache.
    digests: Mutex<Vec<(String, crate::cache::Digest)>>,
    /// Folders already created: `create_dir_all` on an existing folder still costs a
    /// `mkdir` system call, which adds up over tens of thousands of files.
    dirs: Mutex<HashSet<PathBuf>>,
    committed: bool,
}

impl Staging {
    /// Create a staging folder beside `target`. Refuses targets that would swallow the site
    /// itself (the site root, an ancestor of it, or the content folder).
    pub fn new(target: &Path, site_root: &Path) -> Result<Staging> {
        check_target(target, site_root)?;
        let target = absolute(target);
        let parent =
            target.parent().ok_or_else(|| Error::Usage("the output folder needs a parent".into()))?;
        std::fs::create_dir_all(parent).map_err(|e| Error::io("creating", parent, e))?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let dir = parent.join(format!(".{name}.kiln-tmp-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io("clearing", &dir, e))?;
        }
        std::fs::create_dir(&dir).map_err(|e| Error::io("creating", &dir, e))?;
        Ok(Staging {
            target,
            dir,
            written: Mutex::new(HashSet::new()),
            digests: Mutex::default(),
            dirs: Mutex::new(HashSet::new()),
            committed: false,
        })
    }

    /// The folder the site will end up in.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The record of every file written (and of every folder holding them), read back from
    /// the target after [`Self::commit`].
    pub fn records(digests: Vec<(String, crate::cache::Digest)>, target: &Path) -> Result<Records> {
        use rayon::prelude::*;
        let files: HashMap<String, crate::cache::OutputEntry> = digests
            .into_par_iter()
            .map(|(rel, hash)| {
                let path = target.join(&rel);
                let meta = std::fs::metadata(&path).map_err(|e| Error::io("reading", &path, e))?;
                Ok((rel, crate::cache::OutputEntry { hash, stamp: crate::cache::Stamp::of(&meta) }))
            })
            .collect::<Result<_>>()?;
        let dirs = dir_stamps(target, files.keys())?;
        Ok((files, dirs))
    }

    /// Replace the target with the staged files; returns the digest of every file.
    pub fn commit(mut self) -> Result<Vec<(String, crate::cache::Digest)>> {
        let parent = self.target.parent().expect("checked in new").to_path_buf();
        let name = self.target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let old = parent.join(format!(".{name}.kiln-old-{}", std::process::id()));
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old).map_err(|e| Error::io("moving aside", &self.target, e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(Error::io("moving into place", &self.target, e));
        }
        self.committed = true;
        if had_old {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(std::mem::take(&mut *self.digests.lock().unwrap_or_else(|e| e.into_inner())))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        check_rel(rel)?;
        claim(&self.written, rel)?;
        write_file(&self.dir.join(rel), bytes, &self.dirs)?;
        let d = crate::cache::digest(bytes);
        self.digests.lock().unwrap_or_else(|e| e.into_inner()).push((rel.to_string(), d));
        Ok(())
    }
}

/// Output files and folders as a build left them, for the build cache.
pub type Records = (HashMap<String, crate::cache::OutputEntry>, HashMap<String, u128>);

/// Modification times of the folders holding `files` (the output folder itself as `""`).
fn dir_stamps<'a>(target: &Path, files: impl Iterator<Item = &'a String>) -> Result<HashMap<String, u128>> {
    use rayon::prelude::*;
    let mut dirs: HashSet<&str> = HashSet::from([""]);
    for f in files {
        let mut at = f.as_str();
        while let Some((parent, _)) = at.rsplit_once('/') {
            if !dirs.insert(parent) {
                break;
            }
            at = parent;
        }
    }
    dirs.into_par_iter()
        .map(|d| {
            let path = target.join(d);
            let meta = std::fs::metadata(&path).map_err(|e| Error::io("reading", &path, e))?;
            Ok((d.to_string(), crate::cache::Stamp::of(&meta).mtime))
        })
        .collect()
}

/// Write `path`, creating its folder unless `made` says it was created already: a
/// `create_dir_all` on an existing folder still costs a system call per file.
fn write_file(path: &Path, bytes: &[u8], made: &Mutex<HashSet<PathBuf>>) -> Result<()> {
    if let Some(parent) = path.parent() {
        let known = made.lock().unwrap_or_else(|e| e.into_inner()).contains(parent);
        if !known {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("creating", parent, e))?;
            made.lock().unwrap_or_else(|e| e.into_inner()).insert(parent.to_path_buf());
        }
    }
    std::fs::write(path, bytes).map_err(|e| Error::io("writing", path, e))
}

/// Claim `rel` in a map of outputs, refusing a second file at the same path.
fn claim_in<V>(made: &Mutex<HashMap<String, V>>, rel: &str, v: V) -> Result<()> {
    let mut m = made.lock().unwrap_or_else(|e| e.into_inner());
    if m.contains_key(rel) {
        return Err(Error::Usage(format!("two outputs would be written to {rel}; rename one of them")));
    }
    m.insert(rel.to_string(), v);
    Ok(())
}

fn claim(written: &Mutex<HashSet<String>>, rel: &str) -> Result<()> {
    let mut w = written.lock().unwrap_or_else(|e| e.into_inner());
    if !w.insert(rel.to_string()) {
        return Err(Error::Usage(format!("two outputs would be written to {rel}; rename one of them")));
    }
    Ok(())
}

/// Refuse output folders that would swallow the site itself (the site root, an ancestor
/// of it, or the content folder).
pub fn check_target(target: &Path, site_root: &Path) -> Result<()> {
    let target = absolute(target);
    let root = absolute(site_root);
    if root.starts_with(&target) {
        return Err(Error::Usage(format!(
            "refusing to use {} as the output folder: it contains the site itself",
            target.display()
        )));
    }
    if target.starts_with(root.join("content")) {
        return Err(Error::Usage(format!(
            "refusing to use {} as the output folder: it is inside content/",
            target.display()
        )));
    }
    Ok(())
}

/// Reject any path that could leave the output folder, whatever produced it.
pub fn check_rel(rel: &str) -> Result<()> {
    let p = Path::new(rel);
    let ok =
        !rel.is_empty() && !rel.contains('\\') && p.components().all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(())
    } else {
        Err(Error::Usage(format!("refusing to write outside the output folder: {rel:?}")))
    }
}

/// `p` made absolute against the current folder, `.` and `..` resolved lexically.
pub fn absolute(p: &Path) -> PathBuf {
    let abs =
        if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(p) };
    // Normalise `.` and `..` lexically; the folder may not exist yet.
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_escaping_paths() {
        for bad in ["../x", "/etc/passwd", "a/../../b", "a\\b", ""] {
            assert!(check_rel(bad).is_err(), "{bad}");
        }
        assert!(check_rel("a/b/index.html").is_ok());
    }

    #[test]
    fn duplicate_outputs_are_errors() {
        let s = NullSink::default();
        s.write("a/index.html", b"").unwrap();
        assert!(s.write("a/index.html", b"").is_err());
    }
}
