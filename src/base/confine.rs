//! The one rule for every file Kiln reads: it is opened by the path given, and used only if
//! the file actually opened lies inside the site root once every symbolic link is resolved.
//! On Linux the check reads back the path of the open file (`/proc/self/fd`), so a link
//! swapped in between a check and the open cannot get around it.

use std::cell::RefCell;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// The file (or a link on the way to it) lies outside the site root.
    Outside,
    /// Larger than the limit the reader set (bytes).
    TooLarge(u64, u64),
    /// The system refused.
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Outside => f.write_str(OUTSIDE),
            ReadError::TooLarge(size, limit) => {
                write!(f, "the file is {} MiB, over the limit of {} MiB; skipped", size >> 20, limit >> 20)
            }
            ReadError::Io(e) => write!(f, "cannot read: {e}"),
        }
    }
}

/// What every reader says about a file outside the site (the walker says it too).
pub const OUTSIDE: &str = "symbolic link points outside the site; skipped";

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        ReadError::Io(e)
    }
}

thread_local! {
    /// The last site root resolved on this thread: reads come in runs for one site.
    static ROOTS: RefCell<Option<(PathBuf, PathBuf)>> = const { RefCell::new(None) };
}

/// `root` with its links resolved (remembered per thread).
fn real_root(root: &Path) -> std::io::Result<PathBuf> {
    ROOTS.with(|r| {
        if let Some((given, real)) = &*r.borrow()
            && given == root
        {
            return Ok(real.clone());
        }
        let real = std::fs::canonicalize(root)?;
        *r.borrow_mut() = Some((root.to_path_buf(), real.clone()));
        Ok(real)
    })
}

/// Read `path` whole, if it lies inside `root`.
pub fn read(root: &Path, path: &Path) -> Result<Vec<u8>, ReadError> {
    read_at_most(root, path, u64::MAX)
}

/// Read `path` whole, if it lies inside `root` and holds at most `limit` bytes.
pub fn read_at_most(root: &Path, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = open(root, path)?;
    let size = file.metadata()?.len();
    if size > limit {
        return Err(ReadError::TooLarge(size, limit));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(bytes.len() as u64, limit));
    }
    Ok(bytes)
}

/// Read `path` as UTF-8 text, if it lies inside `root`.
pub fn read_to_string(root: &Path, path: &Path) -> Result<String, ReadError> {
    let bytes = read(root, path)?;
    String::from_utf8(bytes)
        .map_err(|_| ReadError::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, "not valid UTF-8")))
}

/// Open `path` for reading, if the file opened lies inside `root`.
pub fn open(root: &Path, path: &Path) -> Result<std::fs::File, ReadError> {
    let root = real_root(root)?;
    let file = std::fs::File::open(path)?;
    let real = opened_path(&file, path)?;
    if !real.starts_with(&root) {
        return Err(ReadError::Outside);
    }
    Ok(file)
}

/// Whether `path` (after links) lies inside `root`, for files that are not read here
/// (folders walked, files only stat'ed).
pub fn is_inside(root: &Path, path: &Path) -> bool {
    match (real_root(root), std::fs::canonicalize(path)) {
        (Ok(root), Ok(real)) => real.starts_with(root),
        _ => false,
    }
}

/// The real path of an open file.
fn opened_path(file: &std::fs::File, path: &Path) -> std::io::Result<PathBuf> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let _ = path;
        std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd()))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = file;
        std::fs::canonicalize(path)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_out_of_the_root_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (site, outside) = (dir.path().join("site"), dir.path().join("secret"));
        std::fs::create_dir_all(site.join("sub")).unwrap();
        std::fs::write(&outside, "secret").unwrap();
        std::fs::write(site.join("sub/a.md"), "ok").unwrap();
        std::os::unix::fs::symlink(&outside, site.join("leak.md")).unwrap();
        std::os::unix::fs::symlink(site.join("sub/a.md"), site.join("inner.md")).unwrap();
        assert_eq!(read(&site, &site.join("sub/a.md")).unwrap(), b"ok");
        assert_eq!(read(&site, &site.join("inner.md")).unwrap(), b"ok");
        assert!(matches!(read(&site, &site.join("leak.md")), Err(ReadError::Outside)));
        assert!(matches!(read(&site, &site.join("sub/../../secret")), Err(ReadError::Outside)));
    }
}
