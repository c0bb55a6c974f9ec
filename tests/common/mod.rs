//! Helpers shared by the integration tests: run the real `kiln` binary on fixture sites
//! copied into temporary folders, and read what it wrote.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A site in a temporary folder.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Site {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
        let site = Site::empty();
        copy_dir(&src, site.root());
        site
    }

    /// A site made of the given files (`path`, `content`).
    pub fn with_files(files: &[(&str, &str)]) -> Site {
        let site = Site::empty();
        std::fs::create_dir_all(site.root().join("content")).unwrap();
        for (path, text) in files {
            site.write(path, text);
        }
        site
    }

    fn empty() -> Site {
        Site { dir: tempfile::tempdir().unwrap() }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: &str) {
        self.write_bytes(path, text.as_bytes());
    }

    pub fn write_bytes(&self, path: &str, bytes: &[u8]) {
        let p = self.root().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    /// `kiln build --root <site>` plus `args`.
    pub fn build(&self, args: &[&str]) -> Run {
        let mut all = vec!["build", "--root", self.root().to_str().unwrap()];
        all.extend_from_slice(args);
        run(&all)
    }

    /// `kiln check --root <site>`.
    pub fn check(&self) -> Run {
        self.check_with(&[])
    }

    /// `kiln check --root <site>` plus `args`.
    pub fn check_with(&self, args: &[&str]) -> Run {
        let mut all = vec!["check", "--root", self.root().to_str().unwrap()];
        all.extend_from_slice(args);
        run(&all)
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Text of an output file under `public/`.
    pub fn out(&self, rel: &str) -> String {
        let p = self.public().join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    }

    /// Output path of a fingerprinted stylesheet or script (`assets/style.css` is written
    /// as `assets/style.<hash>.css`).
    pub fn asset_path(&self, plain: &str) -> String {
        let (stem, ext) = plain.rsplit_once('.').unwrap();
        let dir = self.public().join(plain).parent().unwrap().to_path_buf();
        let name = Path::new(stem).file_name().unwrap().to_str().unwrap().to_string();
        let hits: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|f| {
                f.strip_prefix(&format!("{name}."))
                    .and_then(|r| r.strip_suffix(&format!(".{ext}")))
                    .is_some_and(|h| h.len() == 10 && h.chars().all(|c| c.is_ascii_hexdigit()))
            })
            .collect();
        assert_eq!(hits.len(), 1, "one fingerprinted {plain} in {}: {hits:?}", dir.display());
        format!("{}/{}", Path::new(plain).parent().unwrap().display(), hits[0])
    }

    /// Text of a fingerprinted stylesheet or script, by its plain name.
    pub fn asset(&self, plain: &str) -> String {
        self.out(&self.asset_path(plain))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.public().join(rel).exists()
    }
}

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The run exited 0; prints its output otherwise.
    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "kiln failed:\nstdout: {}\nstderr: {}", self.stdout, self.stderr);
        self
    }

    pub fn warnings(&self) -> Vec<&str> {
        self.stderr.lines().filter(|l| l.starts_with("warning:")).collect()
    }

    pub fn errors(&self) -> Vec<&str> {
        self.stderr.lines().filter(|l| l.starts_with("error:")).collect()
    }

    /// The one diagnostic line containing `needle`.
    pub fn diag(&self, needle: &str) -> &str {
        let hits: Vec<&str> = self.stderr.lines().filter(|l| l.contains(needle)).collect();
        assert!(!hits.is_empty(), "no diagnostic contains {needle:?}; stderr:\n{}", self.stderr);
        hits[0]
    }
}

pub fn run(args: &[&str]) -> Run {
    run_env(args, &[])
}

/// `kiln <args>` with more environment variables.
pub fn run_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_kiln"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("run kiln");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `kiln <args>`, killed and reported as a failure past `limit`. Its output goes to files:
/// a pipe nobody reads until the end would stall a run that prints much.
pub fn run_within(limit: std::time::Duration, args: &[&str]) -> Run {
    let logs = tempfile::tempdir().unwrap();
    let (out, err) = (logs.path().join("out"), logs.path().join("err"));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kiln"))
        .args(args)
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("kiln {args:?} still running after {limit:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let status = child.wait().unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout: std::fs::read_to_string(out).unwrap(),
        stderr: std::fs::read_to_string(err).unwrap(),
    }
}

pub fn copy_dir(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(src).unwrap();
        let target = dst.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The part of an HTML page between `<main` and `</main>`.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("page has <main>");
    let end = html.find("</main>").expect("page has </main>");
    &html[start..end]
}

/// The article body only (what Markdown produced).
pub fn body_of(html: &str) -> &str {
    let start = html.find("<div class=\"article-body\">").expect("article body")
        + "<div class=\"article-body\">".len();
    let end = start + html[start..].find("\n  </div>\n  <footer").expect("end of body");
    html[start..end].trim()
}

/// Every file under `dir`: relative path → bytes.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The two folders hold the same files with the same bytes.
pub fn assert_same(a: &Path, b: &Path) {
    let (ta, tb) = (tree(a), tree(b));
    assert!(ta.len() > 10, "a real site was built: {} files", ta.len());
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>(), "same files");
    for (path, bytes) in &ta {
        assert!(bytes == &tb[path], "{path} differs between two builds");
    }
}

/// `git <args>` in `dir`, author and committer dated `date`.
pub fn git(dir: &Path, args: &[&str], date: &str) {
    let ok = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "T")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .output()
        .unwrap();
    assert!(ok.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&ok.stderr));
}
