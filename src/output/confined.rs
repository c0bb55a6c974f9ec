//! Changing files inside an existing output folder without ever following a link: every
//! folder on the way is opened relative to its parent with `O_NOFOLLOW`, so a link put where
//! Kiln wrote a folder (by a user, or by another process while the build runs) is removed or
//! replaced as a link, and nothing outside the output is written or deleted through it.

use std::io;
use std::path::Path;
#[cfg(not(unix))]
use std::path::PathBuf;
#[cfg(unix)]
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

#[cfg(unix)]
use rustix::fd::{AsFd, OwnedFd};
#[cfg(unix)]
use rustix::fs::{AtFlags, CWD, Mode, OFlags};

/// Folders this shallow are kept open for the whole update (categories and folders); deeper
/// ones are opened per use, so a large site never runs out of file descriptors.
const KEEP_DEPTH: usize = 2;

/// The output folder, opened once; paths below it are `/`-separated and relative.
pub struct OutputDir {
    #[cfg(not(unix))]
    root: PathBuf,
    #[cfg(unix)]
    fd: Arc<OwnedFd>,
    #[cfg(unix)]
    open: Mutex<HashMap<String, Arc<OwnedFd>>>,
}

#[cfg(unix)]
fn open_dir(at: impl AsFd, name: &str) -> io::Result<OwnedFd> {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    Ok(rustix::fs::openat(at, name, flags, Mode::empty())?)
}

#[cfg(unix)]
fn is_not_a_folder(e: &rustix::io::Errno) -> bool {
    *e == rustix::io::Errno::NOTDIR || *e == rustix::io::Errno::LOOP
}

#[cfg(unix)]
impl OutputDir {
    /// Open the output folder itself; a link there is an error (the caller replaces it).
    pub fn open(root: &Path) -> io::Result<OutputDir> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(CWD, root, flags, Mode::empty())?;
        Ok(OutputDir { fd: Arc::new(fd), open: Mutex::default() })
    }

    /// The folder `rel` (`""` for the root). With `make`, missing folders are created and a
    /// file or link in the way is removed first; without, `None` when any part is missing
    /// or not a real folder.
    fn folder(&self, rel: &str, make: bool) -> io::Result<Option<Arc<OwnedFd>>> {
        if rel.is_empty() {
            return Ok(Some(self.fd.clone()));
        }
        if let Some(fd) = self.open.lock().unwrap_or_else(|e| e.into_inner()).get(rel) {
            return Ok(Some(fd.clone()));
        }
        let (parent, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        let Some(up) = self.folder(parent, make)? else { return Ok(None) };
        let fd = match rustix::fs::openat(
            &*up,
            name,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        ) {
            Ok(fd) => fd,
            Err(e) if !make && (e == rustix::io::Errno::NOENT || is_not_a_folder(&e)) => return Ok(None),
            Err(e) if e == rustix::io::Errno::NOENT || is_not_a_folder(&e) => {
                if is_not_a_folder(&e) {
                    rustix::fs::unlinkat(&*up, name, AtFlags::empty())?;
                }
                match rustix::fs::mkdirat(&*up, name, Mode::from_raw_mode(0o755)) {
                    Ok(()) => {}
                    Err(e) if e == rustix::io::Errno::EXIST => {}
                    Err(e) => return Err(e.into()),
                }
                open_dir(&*up, name)?
            }
            Err(e) => return Err(e.into()),
        };
        let fd = Arc::new(fd);
        if rel.split('/').count() <= KEEP_DEPTH {
            self.open.lock().unwrap_or_else(|e| e.into_inner()).insert(rel.to_string(), fd.clone());
        }
        Ok(Some(fd))
    }

    /// Move the file at `from` (outside the output, on the same file system) to `rel`,
    /// making its folders; a folder standing where the file goes is removed first.
    pub fn move_in(&self, from: &Path, rel: &str) -> io::Result<()> {
        let (parent, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        let dir = self.folder(parent, true)?.ok_or_else(|| io::Error::other("folder vanished"))?;
        match rustix::fs::renameat(CWD, from, &*dir, name) {
            Ok(()) => Ok(()),
            Err(e)
                if e == rustix::io::Errno::ISDIR
                    || e == rustix::io::Errno::NOTEMPTY
                    || e == rustix::io::Errno::EXIST =>
            {
                self.remove_tree(&dir, name)?;
                Ok(rustix::fs::renameat(CWD, from, &*dir, name)?)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Remove the folder `name` in `dir` with everything in it, following no link.
    fn remove_tree(&self, dir: &OwnedFd, name: &str) -> io::Result<()> {
        let sub = match open_dir(dir, name) {
            Ok(fd) => fd,
            Err(_) => return Ok(rustix::fs::unlinkat(dir, name, AtFlags::empty())?),
        };
        let mut names = Vec::new();
        for entry in rustix::fs::Dir::read_from(&sub)? {
            let entry = entry?;
            let n = entry.file_name().to_string_lossy().into_owned();
            if n != "." && n != ".." {
                names.push((n, entry.file_type() == rustix::fs::FileType::Directory));
            }
        }
        for (n, is_dir) in names {
            if is_dir {
                self.remove_tree(&sub, &n)?;
            } else {
                rustix::fs::unlinkat(&sub, n.as_str(), AtFlags::empty())?;
            }
        }
        Ok(rustix::fs::unlinkat(dir, name, AtFlags::REMOVEDIR)?)
    }

    /// Remove the file (or link) at `rel`. Nothing is removed through a link or a missing
    /// folder on the way: then there is nothing of the output's there.
    pub fn remove_file(&self, rel: &str) -> io::Result<()> {
        let (parent, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        let Some(dir) = self.folder(parent, false)? else { return Ok(()) };
        match rustix::fs::unlinkat(&*dir, name, AtFlags::empty()) {
            Err(e) if e == rustix::io::Errno::NOENT || e == rustix::io::Errno::ISDIR => Ok(()),
            // A folder where a file was (unlink of a folder is EPERM on Linux).
            Err(e) if e == rustix::io::Errno::PERM => self.remove_tree(&dir, name),
            r => Ok(r?),
        }
    }

    /// Remove the folder `rel` if it is empty; `false` when it is not (or is no folder).
    pub fn remove_empty_dir(&self, rel: &str) -> bool {
        let (parent, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        let Ok(Some(dir)) = self.folder(parent, false) else { return false };
        self.open.lock().unwrap_or_else(|e| e.into_inner()).remove(rel);
        rustix::fs::unlinkat(&*dir, name, AtFlags::REMOVEDIR).is_ok()
    }
}

#[cfg(not(unix))]
impl OutputDir {
    /// Open the output folder itself; a link there is an error (the caller replaces it).
    pub fn open(root: &Path) -> io::Result<OutputDir> {
        let m = std::fs::symlink_metadata(root)?;
        if !m.is_dir() {
            return Err(io::Error::other("not a folder"));
        }
        Ok(OutputDir { root: root.to_path_buf() })
    }

    /// Whether every folder on the way to `rel` is a real folder (no link).
    fn real_parents(&self, rel: &str) -> bool {
        let mut at = self.root.clone();
        for part in rel.split('/').collect::<Vec<_>>().split_last().map_or(&[][..], |(_, p)| p) {
            at.push(part);
            match std::fs::symlink_metadata(&at) {
                Ok(m) if m.is_dir() => {}
                _ => return false,
            }
        }
        true
    }

    /// Move the file at `from` to `rel`, making its folders.
    pub fn move_in(&self, from: &Path, rel: &str) -> io::Result<()> {
        let to = self.root.join(rel);
        if let Some(p) = to.parent() {
            std::fs::create_dir_all(p)?;
        }
        if !self.real_parents(rel) {
            return Err(io::Error::other("a link stands in the output folder"));
        }
        std::fs::rename(from, to)
    }

    /// Remove the file (or link) at `rel`, never through a link.
    pub fn remove_file(&self, rel: &str) -> io::Result<()> {
        if !self.real_parents(rel) {
            return Ok(());
        }
        match std::fs::remove_file(self.root.join(rel)) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            r => r,
        }
    }

    /// Remove the folder `rel` if it is empty.
    pub fn remove_empty_dir(&self, rel: &str) -> bool {
        self.real_parents(rel) && std::fs::remove_dir(self.root.join(rel)).is_ok()
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_on_the_way_are_replaced_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let (out, outside) = (dir.path().join("out"), dir.path().join("outside"));
        std::fs::create_dir_all(out.join("a")).unwrap();
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("keep.html"), "mine").unwrap();
        std::os::unix::fs::symlink(&outside, out.join("b")).unwrap();
        let o = OutputDir::open(&out).unwrap();
        o.remove_file("b/keep.html").unwrap();
        assert!(outside.join("keep.html").exists(), "removed through a link");
        let staged = dir.path().join("staged");
        std::fs::write(&staged, "new").unwrap();
        o.move_in(&staged, "b/keep.html").unwrap();
        assert_eq!(std::fs::read_to_string(outside.join("keep.html")).unwrap(), "mine");
        assert!(!std::fs::symlink_metadata(out.join("b")).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(out.join("b/keep.html")).unwrap(), "new");
    }
}
