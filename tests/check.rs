//! `kiln check` and the link findings of `kiln build`: every broken-link kind found at its
//! file, line and column; valid links of every form left alone, on the fixture, on the
//! example site and on the real-world corpora in `../shared/corpora/`.

mod common;

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use common::Site;
use serde_json::Value;

/// The broken links of tests/fixtures/links, as (code, line, col) in content/guides/usage.md.
const BROKEN: &[(&str, u64, u64)] = &[
    ("missing-page", 15, 1),
    ("missing-anchor", 16, 1),
    ("missing-anchor", 17, 1),
    ("missing-file", 18, 1),
    ("missing-file", 19, 1),
    ("missing-page", 20, 1),
    ("missing-anchor", 21, 4),
];

fn json(run: &common::Run) -> Vec<Value> {
    let doc: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    doc["diagnostics"].as_array().unwrap().clone()
}

#[test]
fn check_reports_each_broken_kind_as_an_error_at_its_line_and_nothing_valid() {
    let site = Site::fixture("links");
    let run = site.check_with(&["--format", "json"]);
    assert_eq!(run.code, 1, "broken links fail a check: {}", run.stderr);
    let diags = json(&run);
    let broken: Vec<(String, u64, u64)> = diags
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            assert_eq!(d["file"], "content/guides/usage.md", "{d}");
            (d["code"].as_str().unwrap().to_string(), d["line"].as_u64().unwrap(), d["col"].as_u64().unwrap())
        })
        .collect();
    let want: Vec<(String, u64, u64)> = BROKEN.iter().map(|(c, l, col)| (c.to_string(), *l, *col)).collect();
    assert_eq!(broken, want, "exactly the broken links (the valid ones on lines 5-11 are not reported)");
    let msg = |line: u64| {
        diags.iter().find(|d| d["line"] == line).unwrap()["message"].as_str().unwrap().to_string()
    };
    assert!(msg(16).contains("(did you mean `#install-the-agent`?)"), "{}", msg(16));
    assert!(msg(18).contains("no file content/guides/img/none.png"), "{}", msg(18));
    assert!(msg(20).contains("no page at /kb/guides/gone/"), "{}", msg(20));

    // Duplicate titles are a warning even in a check, at the title's line.
    let dup: Vec<&Value> = diags.iter().filter(|d| d["code"] == "duplicate-title").collect();
    assert_eq!(dup.len(), 1, "{dup:?}");
    assert_eq!(dup[0]["severity"], "warning");
    assert_eq!(dup[0]["line"], 2, "the `title:` line, front matter counted");
    assert!(dup[0]["message"].as_str().unwrap().contains("reset"), "{}", dup[0]);
}

#[test]
fn build_warns_about_the_same_links_and_the_valid_ones_work() {
    let site = Site::fixture("links");
    let run = site.build(&[]).ok();
    let broken: Vec<&str> = run.warnings().into_iter().filter(|w| w.contains("usage.md")).collect();
    assert_eq!(broken.len(), BROKEN.len(), "{broken:#?}");
    for (_, line, col) in BROKEN {
        let at = format!("warning: content/guides/usage.md:{line}:{col}: ");
        assert!(broken.iter().any(|w| w.starts_with(&at)), "{at} in {broken:#?}");
    }
    // The valid forms resolve to the real page and its ids exist there.
    let usage = site.out("guides/usage/index.html");
    let setup = site.out("guides/setup/index.html");
    for href in ["/kb/guides/setup/#install-the-agent", "/kb/guides/setup/#trouble", "/kb/guides/setup/\""] {
        assert!(usage.contains(&format!("href=\"{href}")), "{href}");
    }
    assert!(
        usage.contains("href=\"/kb/guides/setup/#r%C3%A9sum%C3%A9--notes\""),
        "`setup.html#…` maps to the page"
    );
    for id in ["install-the-agent", "trouble", "legacy-anchor", "résumé--notes", "set-up-the-agent"] {
        assert!(setup.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(usage.contains("<h1 id=\"using-it\">Using it</h1>"));

    // A warm build (pages kept from the cache) reports the same findings.
    let again = site.build(&[]).ok();
    assert!(again.stderr.contains("updated the last build in place"), "{}", again.stderr);
    assert_eq!(again.warnings(), run.warnings());

    // --strict makes them errors in a build, which then writes nothing new.
    let strict = site.build(&["--strict", "--no-cache"]);
    assert_eq!(strict.code, 1);
    assert_eq!(
        strict.errors().len(),
        BROKEN.len() + 2,
        "the links, the duplicate title, the orphan: {}",
        strict.stderr
    );
}

#[test]
fn github_annotations_point_at_the_link() {
    let run = Site::fixture("links").check_with(&["--format", "github"]);
    assert_eq!(run.code, 1);
    let line = run.stdout.lines().find(|l| l.contains("instal-the-agent")).unwrap();
    assert!(
        line.starts_with(
            "::error file=content/guides/usage.md,line=16,col=1::link to `setup.md#instal-the-agent`"
        ),
        "{line}"
    );
    assert!(
        run.stdout.contains("::warning file=content/guides/reset.md,line=2,col=1::title"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_example_site_checks_clean() {
    // A copy outside git, so a shallow clone's history warning cannot show up here.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = Site::with_files(&[]);
    common::copy_dir(&repo.join("content"), &site.root().join("content"));
    std::fs::copy(repo.join("site.toml"), site.root().join("site.toml")).unwrap();
    let run = site.check_with(&["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(json(&run), Vec::<Value>::new(), "no findings on the example site");
}

/// The heading id GitHub gives `text`, written out here from its rules (not Kiln's code).
fn github_id(text: &str) -> String {
    let text = text.replace('`', "");
    let id: String = text
        .trim()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .flat_map(char::to_lowercase)
        .collect();
    id.trim_matches('-').to_string()
}

/// Each Markdown link `](target)` on a line.
fn targets(line: &str) -> Vec<&str> {
    line.match_indices("](")
        .filter_map(|(i, _)| {
            let rest = &line[i + 2..];
            let end = rest.find([')', ' '])?;
            Some(&rest[..end])
        })
        .collect()
}

/// Whether a link target is valid by reading the files, independently of Kiln: a relative
/// path to an existing file (or Markdown file without its extension), or a `#fragment`
/// naming a heading of the same file. `None` when this simple reading cannot tell.
fn valid_by_files(file: &Path, text: &str, target: &str) -> Option<bool> {
    if let Some(frag) = target.strip_prefix('#') {
        let ids: HashSet<String> = text
            .lines()
            .filter_map(|l| l.trim_start_matches('#').strip_prefix(' ').filter(|_| l.starts_with('#')))
            .map(|h| match h.rsplit_once("{#") {
                Some((_, id)) => id.trim_end_matches('}').to_string(),
                None => github_id(h),
            })
            .collect();
        return ids.contains(frag).then_some(true);
    }
    if target.contains(':') || target.starts_with('/') || target.contains('#') || target.contains('%') {
        return None;
    }
    let path = file.parent()?.join(target.replace('\\', "/"));
    if path.is_dir() {
        return None;
    }
    let md = PathBuf::from(format!("{}.md", path.display()));
    Some(path.is_file() || md.is_file())
}

#[test]
fn no_false_positives_on_the_real_world_corpora() {
    let corpora = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    if !corpora.is_dir() {
        eprintln!("skipped: {} is absent", corpora.display());
        return;
    }
    let (mut checked_valid, mut checked_broken) = (0, 0);
    for entry in std::fs::read_dir(&corpora).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let site = Site::with_files(&[("site.toml", "title = \"corpus\"\n")]);
        let content = site.root().join("content");
        common::copy_dir(&dir, &content);
        let run = site.check_with(&["--format", "json"]);
        assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        let reported: BTreeSet<(String, u64)> = json(&run)
            .iter()
            .filter(|d| d["code"].as_str().is_some_and(|c| c.starts_with("missing-")))
            .map(|d| (d["file"].as_str().unwrap().to_string(), d["line"].as_u64().unwrap()))
            .collect();
        for f in walkdir::WalkDir::new(&content).into_iter().filter_map(Result::ok) {
            if f.path().extension().is_none_or(|e| e != "md") {
                continue;
            }
            let text = std::fs::read_to_string(f.path()).unwrap();
            let rel = format!("content/{}", f.path().strip_prefix(&content).unwrap().display());
            let mut fenced = false;
            for (n, line) in text.lines().enumerate() {
                if line.trim_start().starts_with("```") {
                    fenced = !fenced;
                }
                // Code is not a link: drop fenced blocks and `code spans`.
                let prose: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
                let verdicts: Vec<Option<bool>> = if fenced { Vec::new() } else { targets(&prose) }
                    .into_iter()
                    .map(|t| valid_by_files(f.path(), &text, t))
                    .collect();
                let at = (rel.clone(), n as u64 + 1);
                if !verdicts.is_empty() && verdicts.iter().all(|v| *v == Some(true)) {
                    checked_valid += verdicts.len();
                    assert!(!reported.contains(&at), "false positive at {}:{}: {line}", at.0, at.1);
                }
                if verdicts.contains(&Some(false)) && !line.contains("INCLUDE") {
                    checked_broken += 1;
                    assert!(reported.contains(&at), "missed broken link at {}:{}: {line}", at.0, at.1);
                }
            }
        }
    }
    eprintln!("{checked_valid} valid links not reported, {checked_broken} lines with broken links reported");
    assert!(checked_valid >= 50, "the corpora hold enough valid links to test ({checked_valid})");
    assert!(checked_broken >= 10, "and broken ones ({checked_broken})");
}

#[test]
fn unlisted_articles_leave_navigation_and_orphans_are_reported() {
    let site = Site::fixture("links");
    let run = site.check_with(&["--format", "json"]);
    let orphans: Vec<Value> = json(&run).into_iter().filter(|d| d["code"] == "orphan").collect();
    assert_eq!(orphans.len(), 1, "only the unlisted article nothing links to: {orphans:?}");
    assert_eq!(orphans[0]["file"], "content/guides/hidden.md");
    assert_eq!(orphans[0]["line"], 3, "the `unlisted:` line");
    assert_eq!(orphans[0]["severity"], "warning");

    site.build(&[]).ok();
    let (hidden, notes) = ("/kb/guides/hidden/", "/kb/guides/migration-notes/");
    for page in
        ["index.html", "guides/index.html", "guides/usage/index.html", "sitemap.xml", "tags/index.html"]
    {
        let text = site.out(page);
        assert!(!text.contains(hidden) && !text.contains(notes), "{page} lists an unlisted article");
    }
    assert!(!site.exists("tags/internal/index.html"), "an unlisted article's tags make no tag page");
    assert!(
        site.out("guides/setup/index.html").contains(&format!("href=\"{notes}\"")),
        "the link to it stays"
    );
    for page in ["guides/hidden/index.html", "guides/migration-notes/index.html"] {
        assert!(site.out(page).contains("<meta name=\"robots\" content=\"noindex\">"), "{page}");
    }
    assert!(!site.out("guides/setup/index.html").contains("name=\"robots\""), "listed pages are indexable");
    // Still searchable: its words are in the index.
    let dict = std::fs::read_dir(site.public().join("search/d"))
        .unwrap()
        .map(|e| {
            let bytes = std::fs::read(e.unwrap().path()).unwrap();
            let mut text = String::new();
            std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut text).unwrap();
            text
        })
        .collect::<String>();
    assert!(dict.contains("\"quokkamigration\""), "unlisted articles stay searchable");
}
