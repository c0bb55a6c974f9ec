//! Which folder a build may replace. Kiln empties only a folder it made: every output it
//! writes holds a [`MARKER`] file, and a first build into an existing non-empty folder
//! without one is refused unless `--force` is given. Some places are refused even then (the
//! file system root, the home folder, the site and its sources, `.git`, a file). Every check
//! compares real paths, with symbolic links resolved, never path text.

use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// The file that marks a folder as Kiln's output.
pub const MARKER: &str = ".kiln-output";

/// What the marker says to someone who finds it.
pub const MARKER_TEXT: &str = "This folder is the output of `kiln build`, which replaces everything in it.\n\
Keep no files of your own here; delete the folder freely.\n";

/// Folders of the site root that hold sources; an output inside one would overwrite them.
const SOURCE_DIRS: &[&str] = &["content", "templates", "static", "themes", crate::config::CACHE_DIR, ".git"];

/// What is at the output path before the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Nothing: the folder will be made.
    Nothing,
    /// An empty folder.
    Empty,
    /// A folder Kiln wrote (it holds the marker).
    Owned,
    /// A non-empty folder Kiln did not write, replaced because of `--force`.
    Forced,
    /// A symbolic link: it is replaced by the output folder, and whatever it points to is
    /// left alone.
    Link,
}

/// The output path checked: where the site goes and what is there now.
#[derive(Debug, Clone)]
pub struct Target {
    /// The output folder, its parent folders' links resolved (the folder itself is never
    /// resolved: a link there is replaced, not followed).
    pub path: PathBuf,
    /// What is there now.
    pub existing: Existing,
}

/// Check that a build may write its site at `target` for the site at `site_root`, whose
/// articles are in `content_dir`. `force` allows replacing a non-empty folder Kiln did not
/// write.
pub fn check_target(target: &Path, site_root: &Path, content_dir: &Path, force: bool) -> Result<Target> {
    let path = real_location(target)?;
    let root = std::fs::canonicalize(site_root).map_err(|e| Error::io("reading", site_root, e))?;
    let refuse = |why: &str| {
        Err(Error::usage_at(
            &path,
            format!(
                "refusing to use {} as the output folder: {why}; pick a new or empty folder with --output",
                path.display()
            ),
        ))
    };
    if path.parent().is_none() {
        return refuse("it is the root of the file system");
    }
    if let Some(home) = home_dir()
        && home.starts_with(&path)
    {
        return refuse("it is your home folder or holds it");
    }
    if root.starts_with(&path) {
        return refuse("it is the site folder or holds it");
    }
    for dir in SOURCE_DIRS {
        if path.starts_with(root.join(dir)) {
            return refuse(&format!("it is inside the site's {dir}/ folder"));
        }
    }
    if let Ok(content) = std::fs::canonicalize(content_dir)
        && (path.starts_with(&content) || content.starts_with(&path))
    {
        return refuse("it is the content folder, inside it or holds it");
    }
    if path.components().any(|c| c == Component::Normal(".git".as_ref())) {
        return refuse("it is inside a git repository's .git folder");
    }
    let existing = match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Existing::Nothing,
        Err(e) => return Err(Error::io("reading", &path, e)),
        Ok(m) if m.file_type().is_symlink() => Existing::Link,
        Ok(m) if !m.is_dir() => return refuse("it is a file"),
        Ok(_) => folder_state(&path, force)?,
    };
    Ok(Target { path, existing })
}

/// Refuse an `output_dir` from site.toml that leaves the site folder: a site.toml that came
/// in a pull request must not choose what a build replaces. The same path given with
/// `--output` is the user's own choice.
pub fn check_configured(output_dir: &Path, site_root: &Path) -> Result<()> {
    let root = std::fs::canonicalize(site_root).map_err(|e| Error::io("reading", site_root, e))?;
    let path = real_location(&site_root.join(output_dir))?;
    if path.starts_with(&root) {
        return Ok(());
    }
    Err(Error::config(
        crate::config::CONFIG_FILE,
        format!(
            "output_dir = {:?} leaves the site folder ({}); kiln writes outside the site only \
             where the command line says so: pass --output {} to build there",
            output_dir.display().to_string(),
            path.display(),
            path.display()
        ),
    ))
}

fn folder_state(path: &Path, force: bool) -> Result<Existing> {
    let marker = std::fs::symlink_metadata(path.join(MARKER));
    if marker.is_ok_and(|m| m.is_file()) {
        return Ok(Existing::Owned);
    }
    let mut entries = std::fs::read_dir(path).map_err(|e| Error::io("reading", path, e))?;
    if entries.next().is_none() {
        return Ok(Existing::Empty);
    }
    if force {
        return Ok(Existing::Forced);
    }
    Err(Error::usage_at(
        path,
        format!(
            "refusing to replace {}: it is not empty and kiln did not write it (it has no {MARKER} file). \
         Build into a new or empty folder with --output, or pass --force to replace everything in it",
            path.display()
        ),
    ))
}

/// `target` made absolute with every link in its parent folders resolved; the last
/// component is kept as it is (a link there is the thing to replace). Parts that do not
/// exist yet are appended, `.` and `..` among them resolved by name.
pub fn real_location(target: &Path) -> Result<PathBuf> {
    let abs = std::path::absolute(target).map_err(|e| Error::io("reading", target, e))?;
    let Some(name) = abs.file_name().map(|n| n.to_os_string()) else {
        return Ok(PathBuf::from("/"));
    };
    let parent = abs.parent().unwrap_or(Path::new("/"));
    // The longest existing ancestor is resolved; the rest is appended.
    let mut existing = parent.to_path_buf();
    let mut rest = Vec::new();
    let base = loop {
        match std::fs::canonicalize(&existing) {
            Ok(real) => break real,
            Err(_) => {
                let Some(n) = existing.file_name() else { break PathBuf::from("/") };
                rest.push(n.to_os_string());
                if !existing.pop() {
                    break PathBuf::from("/");
                }
            }
        }
    };
    let mut out = base;
    for part in rest.iter().rev().chain(std::iter::once(&name)) {
        if part == ".." {
            out.pop();
        } else if part != "." {
            out.push(part);
        }
    }
    // A last part of `.` or `..` names an existing folder: resolve it whole.
    if out.file_name().is_none() || name == ".." || name == "." {
        return std::fs::canonicalize(&abs).map_err(|e| Error::io("reading", &abs, e));
    }
    Ok(out)
}

fn home_dir() -> Option<PathBuf> {
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty())?;
    std::fs::canonicalize(home).ok()
}

/// Folders a build leaves beside the output while it runs (`.public.kiln-tmp-<pid>`), named
/// so the next build can find what a killed one left.
pub fn scratch_name(target: &Path, kind: &str) -> String {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    format!(".{name}.kiln-{kind}-{}", std::process::id())
}

/// Scratch folders of this output left by builds that are no longer running: `(path,
/// is_folder)`.
pub fn leftovers(target: &Path) -> Vec<(PathBuf, bool)> {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else { return Vec::new() };
    let prefix = format!(".{}.kiln-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(parent) else { return Vec::new() };
    let mut found = Vec::new();
    for e in entries.flatten() {
        let file = e.file_name();
        let Some(rest) = file.to_str().and_then(|f| f.strip_prefix(&prefix)) else { continue };
        let Some((kind, pid)) = rest.split_once('-') else { continue };
        let Ok(pid) = pid.parse::<u32>() else { continue };
        if !matches!(kind, "tmp" | "old") || crate::base::process::is_running(pid) {
            continue;
        }
        let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
        found.push((e.path(), is_dir));
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_in_parents_are_resolved_but_not_the_last_part() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir(&real).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&real, dir.path().join("link")).unwrap();
        #[cfg(unix)]
        {
            let base = std::fs::canonicalize(dir.path()).unwrap();
            let p = real_location(&dir.path().join("link/out/x")).unwrap();
            assert_eq!(p, base.join("real/out/x"));
            let p = real_location(&dir.path().join("link")).unwrap();
            assert_eq!(p, base.join("link"));
        }
    }

    #[test]
    fn scratch_names_carry_the_process_id() {
        let n = scratch_name(Path::new("/x/public"), "tmp");
        assert_eq!(n, format!(".public.kiln-tmp-{}", std::process::id()));
    }
}
