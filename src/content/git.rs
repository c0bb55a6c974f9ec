//! Last-updated dates from git: the date of the last commit that touched each article,
//! gathered with one `git log` over the whole content folder (not one call per file,
//! which is what makes other generators' git dates slow on large sites). The dates depend
//! only on the commit checked out, so the build cache keeps them with that commit's id
//! (read from `.git` without running git) and a rebuild at the same commit runs no git.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::diagnostics::Diagnostic;

/// Committer dates (RFC 3339) by content-relative path, and the one warning to show when
/// the history could not be used.
#[derive(Debug, Default)]
pub struct GitDates {
    /// Date of the last commit touching each file.
    pub dates: HashMap<String, String>,
    /// Why there are no dates although the site is in a git work tree.
    pub warning: Option<Diagnostic>,
    /// The commit the dates were read at, for the build cache.
    pub head: Option<String>,
}

/// What the build cache keeps: the dates and the commit they were read at.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GitRecord {
    /// Id of the commit checked out.
    pub head: String,
    /// Dates by content-relative path.
    pub dates: HashMap<String, String>,
}

const FETCH_HINT: &str = "fetch the whole history in CI (GitHub Actions: `actions/checkout` with \
                          `fetch-depth: 0`; GitLab CI: `GIT_DEPTH: 0`), or set `git_dates = false` \
                          in site.toml";

/// The last commit date of every file under `content_dir`. A site outside any git work
/// tree has none (and no warning); a shallow clone, a missing `git` or a failing one give
/// none and a warning, so pages fall back on their `date`. `prior` (the last build's) is
/// returned as it is when the same commit is still checked out.
pub fn last_commit_dates(content_dir: &Path, prior: Option<&GitRecord>) -> GitDates {
    let Some(git_dir) = find_git_dir(content_dir) else {
        return GitDates::default();
    };
    let warn = |why: String| GitDates {
        warning: Some(Diagnostic::general_warning(format!(
            "{why}: \"Updated\" dates fall back on each article's `date`; {FETCH_HINT}"
        ))),
        ..GitDates::default()
    };
    // A shallow clone's oldest commit seems to touch every file: its dates would be wrong.
    if git_dir.join("shallow").exists() {
        return warn("the git history is shallow (a CI checkout of the last commit only?)".into());
    }
    let head = read_head(&git_dir);
    if let (Some(h), Some(p)) = (&head, prior)
        && *h == p.head
    {
        return GitDates { dates: p.dates.clone(), warning: None, head };
    }
    let out = Command::new("git")
        .args([
            "-c",
            "core.quotepath=off",
            "log",
            "--format=%x1e%cI",
            "--name-only",
            "--relative",
            "--no-renames",
        ])
        .args(["--", "."])
        .current_dir(content_dir)
        .output();
    let out = match out {
        Ok(o) if o.status.success() => o,
        Ok(o) => {
            let err = String::from_utf8_lossy(&o.stderr);
            // A repository with no commit yet (`git init`, then a first build) has no dates
            // to give and nothing to fix.
            if err.contains("does not have any commits yet") {
                return GitDates::default();
            }
            return warn(format!("`git log` failed ({})", err.lines().next().unwrap_or("no message").trim()));
        }
        Err(e) => return warn(format!("the site is in a git work tree but git could not be run ({e})")),
    };
    GitDates { dates: parse_log(&String::from_utf8_lossy(&out.stdout)), warning: None, head }
}

/// The id of the commit checked out, read from the git folder (`HEAD`, the branch's ref
/// file or `packed-refs`); `None` when it cannot be told, and git is then asked.
fn read_head(git_dir: &Path) -> Option<String> {
    let head = std::fs::read_to_string(git_dir.join("HEAD")).ok()?;
    let head = head.trim();
    let is_id = |s: &str| s.len() >= 40 && s.chars().all(|c| c.is_ascii_hexdigit());
    let Some(name) = head.strip_prefix("ref:").map(str::trim) else {
        return is_id(head).then(|| head.to_string());
    };
    // A linked worktree keeps its branches in the main repository's folder.
    let common = std::fs::read_to_string(git_dir.join("commondir"))
        .map_or_else(|_| git_dir.to_path_buf(), |c| git_dir.join(c.trim()));
    for dir in [git_dir, common.as_path()] {
        if let Ok(id) = std::fs::read_to_string(dir.join(name)) {
            return is_id(id.trim()).then(|| id.trim().to_string());
        }
    }
    let packed = std::fs::read_to_string(common.join("packed-refs")).ok()?;
    packed.lines().find_map(|l| match l.split_once(' ') {
        Some((id, n)) if n == name && is_id(id) => Some(id.to_string()),
        _ => None,
    })
}

/// `git log --format=%x1e%cI --name-only` output → newest date per path.
fn parse_log(log: &str) -> HashMap<String, String> {
    let mut dates = HashMap::new();
    for commit in log.split('\x1e').skip(1) {
        let mut lines = commit.lines();
        let Some(date) = lines.next().map(str::trim) else { continue };
        for path in lines.map(str::trim).filter(|l| !l.is_empty()) {
            // Newest commits come first: the first date seen for a path is its last change.
            dates.entry(path.to_string()).or_insert_with(|| date.to_string());
        }
    }
    dates
}

/// The repository's git folder for a work tree containing `dir` (`.git` may be a file
/// pointing elsewhere, for worktrees and submodules).
fn find_git_dir(dir: &Path) -> Option<PathBuf> {
    let dir = std::path::absolute(dir).ok()?;
    for d in dir.ancestors() {
        let dot_git = d.join(".git");
        if dot_git.is_dir() {
            return Some(dot_git);
        }
        if dot_git.is_file() {
            let text = std::fs::read_to_string(&dot_git).ok()?;
            let target = text.trim().strip_prefix("gitdir:")?.trim();
            return Some(d.join(target));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_is_read_from_loose_or_packed_refs() {
        let dir = std::env::temp_dir().join(format!("kiln-git-head-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("refs/heads")).unwrap();
        let id = "0123456789abcdef0123456789abcdef01234567";
        std::fs::write(dir.join("HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::write(dir.join("packed-refs"), format!("# pack-refs\n{id} refs/heads/main\n")).unwrap();
        assert_eq!(read_head(&dir).as_deref(), Some(id));
        let newer = "fedcba9876543210fedcba9876543210fedcba98";
        std::fs::write(dir.join("refs/heads/main"), format!("{newer}\n")).unwrap();
        assert_eq!(read_head(&dir).as_deref(), Some(newer), "a loose ref wins");
        std::fs::write(dir.join("HEAD"), format!("{id}\n")).unwrap();
        assert_eq!(read_head(&dir).as_deref(), Some(id), "detached");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn newest_date_per_path_wins() {
        let log = "\x1e2026-02-01T10:00:00+00:00\n\na/x.md\nb.md\n\x1e2025-01-01T09:00:00+01:00\n\na/x.md\nc é.md\n";
        let d = parse_log(log);
        assert_eq!(d["a/x.md"], "2026-02-01T10:00:00+00:00");
        assert_eq!(d["b.md"], "2026-02-01T10:00:00+00:00");
        assert_eq!(d["c é.md"], "2025-01-01T09:00:00+01:00");
    }
}
