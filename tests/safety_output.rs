//! Kiln never deletes or writes outside its own output: which folders a build may replace,
//! links found in the output, killed builds. Every test keeps sentinel files around the site
//! and asserts they survive byte for byte.

mod common;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::*;

const PAGE: &str = "---\ntitle: Page\ncategory: General\n---\n\nSome text.\n";

/// A scratch folder with a site in `site/` and sentinel files in `outside/`.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        let s = Scratch { dir: tempfile::tempdir().unwrap() };
        for (path, text) in [
            ("site/content/general/page.md", PAGE),
            ("site/content/general/other.md", "---\ntitle: Other\n---\n\nMore.\n"),
            ("site/templates/.keep", "mine"),
            ("site/notes.txt", "my notes"),
            ("outside/index.html", "sentinel"),
            ("outside/deep/x.css", "sentinel css"),
            ("home/Documents/report.txt", "precious"),
        ] {
            s.write(path, text);
        }
        s
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn site(&self) -> PathBuf {
        self.path("site")
    }

    /// `kiln build --root site` plus `args`, with HOME pointing into the scratch folder.
    fn build(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kiln"));
        cmd.arg("build").arg("--root").arg(self.site()).args(args).env("HOME", self.path("home"));
        let out = cmd.output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Every file under the scratch folder outside `public/` (and the cache), with bytes.
    fn sources(&self) -> Vec<(String, Vec<u8>)> {
        walkdir::WalkDir::new(self.dir.path())
            .into_iter()
            .filter_entry(|e| {
                let n = e.file_name().to_string_lossy();
                n != "public" && n != ".kiln-cache" && !n.starts_with(".public.kiln-")
            })
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(self.dir.path()).unwrap().to_string_lossy().into_owned();
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect()
    }
}

fn refused(run: &Run, needle: &str) {
    assert_eq!(run.code, 2, "refused with the usage exit code:\n{}", run.stderr);
    assert!(run.stderr.contains(needle), "message says {needle:?}:\n{}", run.stderr);
}

#[test]
fn a_foreign_non_empty_folder_is_refused_unless_forced() {
    let s = Scratch::new();
    let before = s.sources();
    let docs = s.path("home/Documents");
    let run = s.build(&["--output", docs.to_str().unwrap()]);
    refused(&run, "--force");
    assert_eq!(s.sources(), before, "nothing touched");

    let other = s.path("other-project");
    s.write("other-project/main.rs", "fn main() {}");
    refused(&s.build(&["--output", other.to_str().unwrap()]), "kiln did not write it");
    s.build(&["--output", other.to_str().unwrap(), "--force"]).ok();
    assert!(other.join(".kiln-output").is_file(), "the marker is written");
    assert!(!other.join("main.rs").exists(), "--force replaced the folder");
    // Now it is Kiln's: later builds need no --force.
    s.build(&["--output", other.to_str().unwrap()]).ok();
}

#[test]
fn the_home_folder_the_site_and_its_sources_are_refused_even_with_force() {
    let s = Scratch::new();
    std::fs::create_dir_all(s.path("site/.git")).unwrap();
    std::fs::create_dir_all(s.path("site/static")).unwrap();
    let before = s.sources();
    let cases = [
        ("/", "root of the file system"),
        (s.path("home").to_str().unwrap().to_string().leak(), "home folder"),
        (s.dir.path().to_str().unwrap().to_string().leak(), "holds it"),
        (s.path("site").to_str().unwrap().to_string().leak(), "holds it"),
        (s.path("site/content").to_str().unwrap().to_string().leak(), "content/"),
        (s.path("site/content/general/new").to_str().unwrap().to_string().leak(), "content/"),
        (s.path("site/templates").to_str().unwrap().to_string().leak(), "templates/"),
        (s.path("site/static").to_str().unwrap().to_string().leak(), "static/"),
        (s.path("site/themes/x").to_str().unwrap().to_string().leak(), "themes/"),
        (s.path("site/.kiln-cache").to_str().unwrap().to_string().leak(), ".kiln-cache/"),
        (s.path("site/.git").to_str().unwrap().to_string().leak(), ".git"),
        (s.path("site/notes.txt").to_str().unwrap().to_string().leak(), "it is a file"),
    ];
    for (out, why) in cases {
        refused(&s.build(&["--output", out, "--force"]), why);
    }
    assert_eq!(s.sources(), before, "nothing touched");
}

#[test]
fn output_dir_from_site_toml_stays_inside_the_site() {
    let s = Scratch::new();
    s.write("other/keep.txt", "keep");
    s.write("site/site.toml", "output_dir = \"../other\"\n");
    let before = s.sources();
    refused(&s.build(&[]), "leaves the site folder");
    assert_eq!(s.sources(), before);
    // The same folder named on the command line is the user's choice (and then still needs
    // to be empty or Kiln's).
    refused(&s.build(&["--output", s.path("other").to_str().unwrap()]), "--force");
    std::fs::remove_file(s.path("other/keep.txt")).unwrap();
    s.build(&["--output", s.path("other").to_str().unwrap()]).ok();
    assert!(s.path("other/index.html").is_file());
}

#[cfg(unix)]
#[test]
fn a_site_reached_through_a_link_cannot_be_replaced() {
    let s = Scratch::new();
    std::os::unix::fs::symlink(s.site(), s.path("link")).unwrap();
    let before = s.sources();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kiln"));
    let out = cmd
        .args(["build", "--force", "--root"])
        .arg(s.path("link"))
        .arg("--output")
        .arg(s.dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(s.sources(), before, "the site's source survives");
}

#[cfg(unix)]
#[test]
fn links_in_the_output_are_replaced_never_followed() {
    let s = Scratch::new();
    s.build(&[]).ok();
    let public = s.path("site/public");
    let before = s.sources();
    // public/ itself replaced by a link to content/: the next build replaces the link.
    std::fs::rename(&public, s.path("old-public")).unwrap();
    std::os::unix::fs::symlink(s.path("site/content"), &public).unwrap();
    let before_link = s.sources();
    s.build(&[]).ok();
    assert_eq!(s.sources(), before_link, "content/ untouched");
    assert!(std::fs::symlink_metadata(&public).unwrap().is_dir(), "a real folder again");
    std::fs::remove_dir_all(s.path("old-public")).unwrap();
    assert_eq!(s.sources(), before);
    // A folder of the output replaced by a link to a folder outside, on warm builds.
    for round in 0..3 {
        std::fs::remove_dir_all(public.join("general")).unwrap();
        std::os::unix::fs::symlink(s.path("outside"), public.join("general")).unwrap();
        s.write("site/content/general/page.md", &format!("{PAGE}\nround {round}\n"));
        let before = s.sources();
        let run = s.build(&[]).ok();
        assert!(run.stderr.contains("in place"), "a warm build: {}", run.stderr);
        let mut after = s.sources();
        after.retain(|(p, _)| !p.ends_with("page.md"));
        let mut expect = before.clone();
        expect.retain(|(p, _)| !p.ends_with("page.md"));
        assert_eq!(after, expect, "round {round}: the linked folder's files survive");
        assert!(!std::fs::symlink_metadata(public.join("general")).unwrap().file_type().is_symlink());
        assert!(std::fs::read_to_string(public.join("general/page/index.html")).unwrap().contains("round"));
    }
}

#[cfg(unix)]
#[test]
fn links_added_while_builds_run_are_never_followed() {
    let s = Scratch::new();
    for i in 0..40 {
        s.write(&format!("site/content/general/p{i}.md"), &format!("---\ntitle: P{i}\n---\n\nText {i}.\n"));
    }
    s.build(&[]).ok();
    let before = s.sources();
    let public = s.path("site/public");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (flag, public2, outside) = (stop.clone(), public.clone(), s.path("outside"));
    // Another process keeps putting links where the build writes and removes files.
    let racer = std::thread::spawn(move || {
        let mut n = 0u64;
        while !flag.load(std::sync::atomic::Ordering::Relaxed) {
            for name in ["general", "general/p3", "general/p7", "tags", "search"] {
                let at = public2.join(name);
                if std::fs::symlink_metadata(&at).is_ok_and(|m| m.is_dir()) {
                    let _ = std::fs::rename(&at, public2.join(format!("moved-{n}")));
                }
                let _ = std::os::unix::fs::symlink(&outside, &at);
                n += 1;
            }
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
    });
    for round in 0..10 {
        s.write("site/content/general/p3.md", &format!("---\ntitle: P3\n---\n\nRound {round}.\n"));
        let _ = s.build(&[]);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    racer.join().unwrap();
    let mut after = s.sources();
    after.retain(|(p, _)| !p.ends_with("p3.md"));
    let mut expect = before;
    expect.retain(|(p, _)| !p.ends_with("p3.md"));
    assert_eq!(after, expect, "nothing outside the output was written or removed");
    // Once the racing stops, a build puts the output right.
    let run = s.build(&[]).ok();
    assert!(run.code == 0);
    assert!(!std::fs::symlink_metadata(public.join("general")).unwrap().file_type().is_symlink());
}

/// Titles of every page in the output.
fn titles(public: &Path) -> Vec<String> {
    tree(public)
        .into_iter()
        .filter(|(p, _)| {
            let parts: Vec<&str> = p.split('/').collect();
            parts.len() == 3
                && parts[0].starts_with('c')
                && parts[1].starts_with('p')
                && parts[2] == "index.html"
        })
        .map(|(_, b)| {
            let html = String::from_utf8(b).unwrap();
            let t = html.split("<title>").nth(1).unwrap().split("</title>").next().unwrap();
            t.rsplit(" | ").next().unwrap_or(t).trim().to_string()
        })
        .collect()
}

#[test]
fn a_killed_build_leaves_the_old_site_or_the_new_one() {
    let s = Scratch::new();
    for i in 0..400 {
        s.write(
            &format!("site/content/c{}/p{i}.md", i % 4),
            &format!("---\ntitle: P{i}\n---\n\n## Steps\n\nText {i} with `code` and more text.\n"),
        );
    }
    s.write("site/site.toml", "title = \"Old title\"\n");
    s.build(&[]).ok();
    let public = s.path("site/public");
    let t0 = std::time::Instant::now();
    s.write("site/site.toml", "title = \"New title\"\n");
    s.build(&[]).ok();
    let full = t0.elapsed();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut outcomes = [0usize; 2];
    for round in 0..15 {
        let (from, to) = if round % 2 == 0 { ("New title", "Old title") } else { ("Old title", "New title") };
        s.write("site/site.toml", &format!("title = \"{to}\"\n"));
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = full.mul_f64((seed % 1000) as f64 / 1000.0);
        // Every third killed build is a cold one (staged whole, then exchanged).
        let cold: &[&str] = if round % 3 == 2 { &["--no-cache"] } else { &[] };
        let mut child = Command::new(env!("CARGO_BIN_EXE_kiln"))
            .args(["build", "--root"])
            .arg(s.site())
            .args(cold)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        // The next build finishes or removes what the killed one left, before it finds an
        // error in the content and writes nothing.
        s.write("site/content/c0/broken.md", "---\ntitle: [\n---\n");
        assert_eq!(s.build(&[]).code, 1);
        std::fs::remove_file(s.path("site/content/c0/broken.md")).unwrap();
        let seen = titles(&public);
        assert_eq!(seen.len(), 400, "round {round}: every page is there");
        let all = |t: &str| seen.iter().all(|s| s.contains(t));
        assert!(all(from) || all(to), "round {round} ({delay:?}): a mix of old and new pages");
        outcomes[all(to) as usize] += 1;
        let left: Vec<_> = std::fs::read_dir(s.site())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".public.kiln-"))
            .collect();
        assert!(left.is_empty(), "round {round}: scratch folders left: {left:?}");
        // Back to a known state: the title written for this round.
        s.build(&[]).ok();
        assert!(titles(&public).iter().all(|t| t.contains(to)));
    }
    eprintln!("killed builds: {} left the old site, {} the new one", outcomes[0], outcomes[1]);
}

#[test]
fn a_path_the_system_refuses_is_an_io_error_naming_the_path_and_what_to_do() {
    let s = Scratch::new();
    let out = s.path("site/notes.txt/public");
    let run = s.build(&["--output", out.to_str().unwrap()]);
    assert_eq!(run.code, 3, "I/O errors exit 3: {}", run.stderr);
    let line = run.stderr.lines().find(|l| l.starts_with("error:")).unwrap();
    assert!(line.contains(out.to_str().unwrap()), "names the path: {line}");
    assert!(line.contains("Not a directory") && line.contains("choose another --output"), "{line}");
    assert!(!line.contains("kiln-tmp"), "never a staging path: {line}");
}

#[test]
fn the_marker_is_in_every_output_and_builds_need_no_force_after_the_first() {
    let site = Site::fixture("basic");
    site.build(&[]).ok();
    assert!(site.public().join(".kiln-output").is_file());
    site.build(&["--no-cache"]).ok();
    site.build(&[]).ok();
    assert!(site.public().join(".kiln-output").is_file(), "kept by warm builds");
    let staging: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("kiln-tmp") || n.contains("kiln-old"))
        .collect();
    assert!(staging.is_empty(), "{staging:?}");
}
