//! Last-updated dates from git: the date of the last commit that touched each article,
//! gathered with one `git log` over the whole content folder (not one call per file,
//! which is what makes other generators' git dates slow on large sites).

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
}

const FETCH_HINT: &str = "fetch the whole history in CI (GitHub Actions: `actions/checkout` with \
                          `fetch-depth: 0`; GitLab CI: `GIT_DEPTH: 0`), or set `git_dates = false` \
                          in site.toml";

/// The last commit date of every file under `content_dir`. A site outside any git work
/// tree has none (and no warning); a shallow clone, a missing `git` or a failing one give
/// none and a warning, so pages fall back on their `date`.
pub fn last_commit_dates(content_dir: &Path) -> GitDates {
    let Some(git_dir) = find_git_dir(content_dir) else {
        return GitDates::default();
    };
    let warn = |why: String| GitDates {
        dates: HashMap::new(),
        warning: Some(Diagnostic::general_warning(format!(
            "{why}: \"Updated\" dates fall back on each article's `date`; {FETCH_HINT}"
        ))),
    };
    // A shallow clone's oldest commit seems to touch every file: its dates would be wrong.
    if git_dir.join("shallow").exists() {
        return warn("the git history is shallow (a CI checkout of the last commit only?)".into());
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
            return warn(format!("`git log` failed ({})", err.lines().next().unwrap_or("no message").trim()));
        }
        Err(e) => return warn(format!("the site is in a git work tree but git could not be run ({e})")),
    };
    GitDates { dates: parse_log(&String::from_utf8_lossy(&out.stdout)), warning: None }
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
    fn newest_date_per_path_wins() {
        let log = "\x1e2026-02-01T10:00:00+00:00\n\na/x.md\nb.md\n\x1e2025-01-01T09:00:00+01:00\n\na/x.md\nc é.md\n";
        let d = parse_log(log);
        assert_eq!(d["a/x.md"], "2026-02-01T10:00:00+00:00");
        assert_eq!(d["b.md"], "2026-02-01T10:00:00+00:00");
        assert_eq!(d["c é.md"], "2025-01-01T09:00:00+01:00");
    }
}
