//! Output stage: files are written into a staging folder beside the target and swapped in
//! only when the whole build succeeded, so a failed build leaves the previous site intact.
//! Warm builds update the output in place instead, see [`Update`].

mod confined;
pub mod guard;
mod update;

pub use guard::{Existing, Target, check_configured, check_target};
pub use update::Update;

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::base::digest::{Digest, Stamp};
use crate::error::{Error, Result};

/// A file of the output as the last build left it (what the build cache keeps of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OutputEntry {
    /// Digest of its bytes.
    pub hash: Digest,
    /// Size and modification time after it was written.
    pub stamp: Stamp,
}

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
    target: Target,
    dir: PathBuf,
    written: Mutex<HashSet<String>>,
    /// Digest of every file written, for the build cache.
    digests: Mutex<Vec<(String, Digest)>>,
    /// Folders already created: `create_dir_all` on an existing folder still costs a
    /// `mkdir` system call, which adds up over tens of thousands of files.
    dirs: Mutex<HashSet<PathBuf>>,
    committed: bool,
}

/// Keeps git from committing a staging folder that a killed build left beside the output
/// (it is removed just before the folder becomes the output, unless the site wrote one).
const STAGING_IGNORE: &str = "# kiln build's staging folder; the next build removes it\n*\n";

impl Staging {
    /// Create a staging folder beside the checked `target`, after removing what killed
    /// builds left there.
    pub fn new(target: &Target) -> Result<Staging> {
        let parent = target
            .path
            .parent()
            .ok_or_else(|| Error::usage_at(&target.path, "the output folder needs a parent"))?;
        std::fs::create_dir_all(parent).map_err(|e| Error::io("creating the output's parent", parent, e))?;
        let dir = parent.join(guard::scratch_name(&target.path, "tmp"));
        remove_any(&dir)?;
        std::fs::create_dir(&dir).map_err(|e| Error::io("creating the output folder", &target.path, e))?;
        let stage = Staging {
            target: target.clone(),
            dir,
            written: Mutex::new(HashSet::new()),
            digests: Mutex::default(),
            dirs: Mutex::new(HashSet::new()),
            committed: false,
        };
        let put = |name: &str, text: &str| {
            let path = stage.dir.join(name);
            std::fs::write(&path, text).map_err(|e| Error::io("writing", path, e))
        };
        put(".gitignore", STAGING_IGNORE)?;
        put(guard::MARKER, guard::MARKER_TEXT)?;
        Ok(stage)
    }

    /// The folder the site will end up in.
    pub fn target(&self) -> &Path {
        &self.target.path
    }

    /// The record of every file written (and of every folder holding them), read back from
    /// the target after [`Self::commit`].
    pub fn records(digests: Vec<(String, Digest)>, target: &Path) -> Result<Records> {
        use rayon::prelude::*;
        let files: HashMap<String, OutputEntry> = digests
            .into_par_iter()
            .map(|(rel, hash)| {
                let path = target.join(&rel);
                let meta = std::fs::metadata(&path).map_err(|e| Error::io("reading", &path, e))?;
                Ok((rel, OutputEntry { hash, stamp: Stamp::of(&meta) }))
            })
            .collect::<Result<_>>()?;
        let dirs = dir_stamps(target, files.keys())?;
        Ok((files, dirs))
    }

    /// Put the staged site in place of the target with one atomic exchange (where the
    /// system has one), so a reader or a kill at any moment sees the old site or the new
    /// one whole; then remove the old one. Returns the digest of every file.
    pub fn commit(mut self) -> Result<Vec<(String, Digest)>> {
        let written = self.written.lock().unwrap_or_else(|e| e.into_inner()).contains(".gitignore");
        if !written {
            let ignore = self.dir.join(".gitignore");
            std::fs::remove_file(&ignore).map_err(|e| Error::io("removing", ignore, e))?;
        }
        let target = &self.target.path;
        match self.target.existing {
            guard::Existing::Nothing => std::fs::rename(&self.dir, target)
                .map_err(|e| Error::io("moving the new site into place at", target, e))?,
            _ => exchange(&self.dir, target)
                .map_err(|e| Error::io("moving the new site into place at", target, e))?,
        }
        self.committed = true;
        // The old site (or the link that stood there) is now at the staging path: ignored by
        // git while it is removed, in case this process is killed meanwhile.
        if std::fs::symlink_metadata(&self.dir).is_ok_and(|m| m.is_dir()) {
            let _ = std::fs::write(self.dir.join(".gitignore"), STAGING_IGNORE);
        }
        remove_any(&self.dir)?;
        Ok(std::mem::take(&mut *self.digests.lock().unwrap_or_else(|e| e.into_inner())))
    }
}

/// Swap two paths on one file system in one step (`renameat2(RENAME_EXCHANGE)`); where the
/// system or file system has no such call, the old one is moved aside first.
fn exchange(new: &Path, target: &Path) -> std::io::Result<()> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, new, CWD, target, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(e.into()),
        }
    }
    let aside = target.with_file_name(guard::scratch_name(target, "old"));
    std::fs::rename(target, &aside)?;
    if let Err(e) = std::fs::rename(new, target) {
        let _ = std::fs::rename(&aside, target);
        return Err(e);
    }
    std::fs::rename(&aside, new)
}

/// Remove whatever is at `path` without following a link: a folder with everything in it
/// (the standard library's removal does not follow links inside), a link or a file.
fn remove_any(path: &Path) -> Result<()> {
    let r = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => Err(e),
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
    };
    r.map_err(|e| Error::io("removing", path, e))
}

/// Remove the scratch folders that killed builds left beside `target`; an interrupted
/// update whose journal was complete is finished first, so the output is the new site.
pub fn clean_leftovers(target: &Path) -> Result<()> {
    for (path, is_dir) in guard::leftovers(target) {
        if is_dir {
            update::roll_forward(&path, target)?;
        }
        remove_any(&path)?;
    }
    Ok(())
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
        write_file(&self.dir.join(rel), bytes, &self.dirs)
            .map_err(|e| at_target(e, &self.target.path, rel))?;
        let d = crate::base::digest::digest(bytes);
        self.digests.lock().unwrap_or_else(|e| e.into_inner()).push((rel.to_string(), d));
        Ok(())
    }
}

/// Output files and folders as a build left them, for the build cache.
pub type Records = (HashMap<String, OutputEntry>, HashMap<String, u128>);

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
            Ok((d.to_string(), Stamp::of(&meta).mtime))
        })
        .collect()
}

/// An error writing into a staging folder, told about the output path it stands for (the
/// staging folder is an implementation detail the user never sees).
pub(crate) fn at_target(e: Error, target: &Path, rel: &str) -> Error {
    match e {
        Error::Io { action, source, .. } => Error::Io { action, path: target.join(rel), source },
        e => e,
    }
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
        return Err(collision(rel));
    }
    m.insert(rel.to_string(), v);
    Ok(())
}

fn claim(written: &Mutex<HashSet<String>>, rel: &str) -> Result<()> {
    let mut w = written.lock().unwrap_or_else(|e| e.into_inner());
    if !w.insert(rel.to_string()) {
        return Err(collision(rel));
    }
    Ok(())
}

/// Two files for one output path (a page and a `static/` file, say): the user renames one.
fn collision(rel: &str) -> Error {
    Error::usage_at(rel, format!("two outputs would be written to {rel}; rename one of them"))
}

/// Reject any path that could leave the output folder, whatever produced it.
pub fn check_rel(rel: &str) -> Result<()> {
    let p = Path::new(rel);
    let ok =
        !rel.is_empty() && !rel.contains('\\') && p.components().all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(())
    } else {
        Err(Error::internal(
            Some(rel.into()),
            format!("refusing to write outside the output folder: {rel:?}"),
        ))
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
