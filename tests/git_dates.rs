//! Last-updated dates from git (issue 6, point 6): one `git` invocation for the whole site,
//! front matter `updated` first, uncommitted files and shallow clones falling back on
//! `date` (the shallow clone with one warning saying how to fetch the history).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Run, git};

/// A folder with a `git` that logs each call to `calls.log` and runs the real one.
struct Wrapper {
    dir: tempfile::TempDir,
}

impl Wrapper {
    fn new() -> Wrapper {
        let dir = tempfile::tempdir().unwrap();
        let real =
            String::from_utf8(Command::new("sh").args(["-c", "command -v git"]).output().unwrap().stdout)
                .unwrap()
                .trim()
                .to_string();
        let script = dir.path().join("git");
        let log = dir.path().join("calls.log");
        std::fs::write(
            &script,
            format!("#!/bin/sh\necho \"$*\" >> '{}'\nexec '{real}' \"$@\"\n", log.display()),
        )
        .unwrap();
        Command::new("chmod").arg("+x").arg(&script).status().unwrap();
        Wrapper { dir }
    }

    fn calls(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.path().join("calls.log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    fn kiln(&self, args: &[&str]) -> Run {
        let path = format!("{}:{}", self.dir.path().display(), std::env::var("PATH").unwrap());
        let out = Command::new(env!("CARGO_BIN_EXE_kiln")).args(args).env("PATH", path).output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A site in a git repository: `a.md` committed twice, `b.md` with its own `updated`,
/// `c.md` never committed.
fn repo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir_all(&root).unwrap();
    git(&root, &["init", "-q"], "2024-01-01T00:00:00Z");
    write(&root, "site.toml", "title = \"KB\"\nbase_url = \"https://kb.example.org/\"\n");
    write(&root, "content/mail/a.md", "---\ntitle: A\ndate: 2020-01-01\n---\nFirst.\n");
    write(&root, "content/mail/b.md", "---\ntitle: B\nupdated: 2023-05-05\n---\nB.\n");
    git(&root, &["add", "."], "2024-01-02T03:04:05Z");
    git(&root, &["commit", "-qm", "one"], "2024-01-02T03:04:05Z");
    write(&root, "content/mail/a.md", "---\ntitle: A\ndate: 2020-01-01\n---\nSecond.\n");
    write(&root, "content/mail/b.md", "---\ntitle: B\nupdated: 2023-05-05\n---\nB again.\n");
    git(&root, &["commit", "-qam", "two"], "2025-06-07T08:09:10Z");
    write(&root, "content/mail/c.md", "---\ntitle: C\ndate: 2022-02-02\n---\nNew.\n");
    (dir, root)
}

fn page(out: &Path, slug: &str) -> String {
    std::fs::read_to_string(out.join("mail").join(slug).join("index.html")).unwrap()
}

#[test]
fn articles_without_updated_get_their_last_commit_date_from_one_git_call() {
    let (_keep, root) = repo();
    let out = root.join("public");
    let w = Wrapper::new();
    let run = w.kiln(&["build", "--root", root.to_str().unwrap(), "--no-cache"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.warnings().is_empty(), "{}", run.stderr);
    assert_eq!(w.calls().len(), 1, "one git invocation for the whole site: {:?}", w.calls());
    assert!(w.calls()[0].contains("log"), "{:?}", w.calls());

    assert!(page(&out, "a").contains("Updated <time datetime=\"2025-06-07T08:09:10Z\">7 June 2025</time>"));
    assert!(page(&out, "b").contains("datetime=\"2023-05-05\""), "front matter `updated` wins over git");
    assert!(!page(&out, "b").contains("2025-06-07"));
    let c = page(&out, "c");
    assert!(
        c.contains("Published <time datetime=\"2022-02-02\">") && !c.contains("Updated"),
        "uncommitted: `date`"
    );
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://kb.example.org/mail/a/</loc><lastmod>2025-06-07</lastmod>"),
        "{sitemap}"
    );

    // Edited and built (still the last commit's date), then committed without another
    // change: the source is as the cache saw it, yet the date moves, and warm builds follow.
    let kiln = |args: &[&str]| {
        let run = w.kiln(&[&["build", "--root", root.to_str().unwrap()], args].concat());
        assert_eq!(run.code, 0, "{}", run.stderr);
    };
    write(&root, "content/mail/a.md", "---\ntitle: A\ndate: 2020-01-01\n---\nThird.\n");
    kiln(&[]);
    assert_eq!(w.calls().len(), 2);
    kiln(&[]);
    assert_eq!(w.calls().len(), 2, "same commit checked out: the cached dates, no git call");
    assert!(
        page(&out, "a").contains("Third.") && page(&out, "a").contains("datetime=\"2025-06-07T08:09:10Z\"")
    );
    git(&root, &["commit", "-qam", "three"], "2026-02-03T04:05:06Z");
    kiln(&[]);
    assert_eq!(w.calls().len(), 3, "a new commit: git is asked again");
    assert!(page(&out, "a").contains("datetime=\"2026-02-03T04:05:06Z\""));
}

#[test]
fn a_shallow_clone_falls_back_on_date_with_one_warning() {
    let (keep, root) = repo();
    let clone = keep.path().join("clone");
    git(
        keep.path(),
        &["clone", "-q", "--depth", "1", &format!("file://{}", root.display()), "clone"],
        "2025-01-01T00:00:00Z",
    );
    let w = Wrapper::new();
    let run = w.kiln(&["build", "--root", clone.to_str().unwrap(), "--no-cache"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings = run.warnings();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(warnings[0].contains("shallow") && warnings[0].contains("fetch-depth: 0"), "{}", warnings[0]);
    let a = page(&clone.join("public"), "a");
    assert!(
        a.contains("Published <time datetime=\"2020-01-01\">") && !a.contains("2025-06-07"),
        "falls back on `date`"
    );
    assert!(w.calls().is_empty(), "a shallow clone is recognised without running git: {:?}", w.calls());

    // GitHub annotations show it as a warning without a file.
    let run = w.kiln(&["check", "--root", clone.to_str().unwrap(), "--format", "github"]);
    assert!(run.stdout.contains("::warning::the git history is shallow"), "{}", run.stdout);
}

#[test]
fn git_dates_can_be_turned_off_and_sites_outside_git_run_no_git() {
    let (_keep, root) = repo();
    write(&root, "site.toml", "title = \"KB\"\ngit_dates = false\n");
    let w = Wrapper::new();
    let run = w.kiln(&["build", "--root", root.to_str().unwrap(), "--no-cache"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(w.calls().is_empty());
    assert!(page(&root.join("public"), "a").contains("Published <time datetime=\"2020-01-01\">"));

    let site = common::Site::fixture("basic");
    let run = w.kiln(&["build", "--root", site.root().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(w.calls().is_empty(), "not in a work tree: no git call and no warning");

    // A repository without a commit yet: nothing to date, nothing to warn about.
    git(site.root(), &["init", "-q"], "2024-01-01T00:00:00Z");
    let run = w.kiln(&["build", "--root", site.root().to_str().unwrap(), "--no-cache"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(w.calls().len(), 1);
    assert!(!run.stderr.contains("git"), "{}", run.stderr);
}
