//! Multilingual search benchmark: the two multilingual sites of ../shared/dialects (FastAPI's
//! docs in 13 languages, a content folder each; Biome's Starlight site, the default language
//! at the root and 8 locales in folders) built as Kiln sites, then a known-item test in a
//! real Chromium running the site's own search script: for every translated page, its
//! title queried in its language's search (`/<code>/search/`), success@1 and MRR@10 per
//! language. Also per language: the index's files and bytes, and the bytes a first
//! one-word query transfers (script, index shards, five results' fragments; gzip as static
//! hosts send text).
//!
//! Run: `cargo bench --bench languages [-- --verbose]` (`KILN_BENCH_ONLY=fastapi` for one site). Needs Debian chromium. Prints
//! Markdown tables; `docs/benchmarks.md` holds a run.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use headless_chrome::Browser;

mod common;
use common::*;

/// A site to measure: its name, what to copy from ../shared/dialects (from, to), and its
/// settings file under scripts/dialects/ (shared with scripts/fidelity.py).
type Bench = (&'static str, Vec<(&'static str, &'static str)>, &'static str);

fn sites() -> Vec<Bench> {
    vec![
        (
            "fastapi",
            vec![("fastapi-docs/docs", "docs"), ("fastapi-docs/docs_src", "docs_src")],
            "scripts/dialects/fastapi.toml",
        ),
        ("biome", vec![("biome-website/src", "src")], "scripts/dialects/biome.toml"),
    ]
}

/// One language's known items: (title, URL), pages whose title is unique in the language.
struct Items {
    code: String,
    base: String,
    items: Vec<(String, String)>,
    ambiguous: usize,
}

/// Each language's translated pages (not fallbacks, not unlisted), from the site model.
fn known_items(root: &Path) -> Vec<Items> {
    let opts = kiln::build::BuildOptions { root: root.to_path_buf(), ..Default::default() };
    let model = kiln::build::load_model(&opts, &mut kiln::build::Clock::new()).expect("load the site");
    let sites = std::iter::once(&model.site).chain(model.others.iter().map(|(s, _)| s));
    sites
        .map(|site| {
            let langs = site.languages.as_ref().expect("a multilingual site");
            let own: Vec<(String, String)> = (0..site.pages.len())
                .filter(|&id| !langs.is_fallback(id) && !site.pages[id].source.meta.unlisted)
                .map(|id| (site.pages[id].source.title.clone(), site.pages[id].url.clone()))
                .collect();
            let mut count: HashMap<&str, usize> = HashMap::new();
            own.iter().for_each(|(t, _)| *count.entry(t.as_str()).or_default() += 1);
            let items: Vec<(String, String)> =
                own.iter().filter(|(t, _)| count[t.as_str()] == 1).cloned().collect();
            let ambiguous = own.len() - items.len();
            Items { code: site.config.language.clone(), base: site.base_path.clone(), items, ambiguous }
        })
        .collect()
}

/// Ranks (0-based, `None` past 10) of every item's URL for its title, with the titles
/// ranked above it.
fn ranks(browser: &Browser, base: &str, lang: &Items) -> Vec<(Option<usize>, String)> {
    let tab = fresh(browser, &format!("{base}{}search/", lang.base));
    let cases: Vec<(&str, &str)> = lang.items.iter().map(|(t, u)| (t.as_str(), u.as_str())).collect();
    let lit = serde_json::to_string(&cases).unwrap();
    // One evaluation per language: the queries run one after another in the page.
    let js = format!(
        "(async () => {{ const out = []; for (const [q, want] of {lit}) {{ const r = await kilnSearch.run(q); const rows = await kilnSearch.resolve(r, 10, -1); const at = rows.map(x => x.f.u).indexOf(want); out.push([at, at === 0 ? \"\" : rows.slice(0, at < 0 ? 3 : at).map(x => x.f.t).join(\" | \")]); }} return JSON.stringify(out); }})()"
    );
    let got = eval(&tab, &js);
    tab.close(false).ok();
    let got: Vec<(i64, String)> = serde_json::from_str(got.as_str().expect("ranks")).expect("ranks as JSON");
    got.into_iter().map(|(r, above)| (usize::try_from(r).ok(), above)).collect()
}

/// Bytes of a first query in a fresh tab: the search page's script, index files and the
/// first five results' fragments.
fn first_query_bytes(browser: &Browser, base: &str, log: &Log, lang: &Items, word: &str) -> u64 {
    take(log, |_| false);
    let page = format!("{}search/", lang.base);
    let tab = fresh(browser, &format!("{base}{page}"));
    let lit = serde_json::to_string(word).unwrap();
    eval(&tab, &format!("kilnSearch.run({lit}).then(r => kilnSearch.resolve(r, 5, -1)).then(() => 1)"));
    tab.close(false).ok();
    take(log, |p| (p.starts_with(&page) && p != page) || p.ends_with(".js") && p.contains("/search."))
}

/// Wall time of writing each language's site (navigation to search and assets), from
/// `--timings`: the stages run once per language, each language's run starting with
/// `navigation`.
fn language_times(stderr: &str) -> Vec<f64> {
    let mut out: Vec<f64> = Vec::new();
    for line in stderr.lines().filter_map(|l| l.strip_prefix("timing: ")) {
        // CPU meters ("… s CPU, summed over threads") are parts of a stage, not laps.
        let Some((stage, secs)) = line.strip_suffix(" s").and_then(|l| l.trim().rsplit_once(' ')) else {
            continue;
        };
        let (stage, Ok(secs)) = (stage.trim(), secs.parse::<f64>()) else { continue };
        match stage {
            "navigation" => out.push(secs),
            "shared" | "commit" => break,
            _ => {
                if let Some(last) = out.last_mut() {
                    *last += secs;
                }
            }
        }
    }
    out
}

/// The query for the byte budget: the first word of four or more characters in the
/// language's titles (for unspaced scripts, a title's first run of text).
fn one_word(lang: &Items) -> String {
    lang.items
        .iter()
        .flat_map(|(t, _)| t.split_whitespace())
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .find(|w| w.chars().count() >= 4 && w.chars().all(char::is_alphabetic))
        .unwrap_or("search")
        .to_string()
}

fn main() {
    let verbose = std::env::args().any(|a| a == "--verbose");
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dialects = repo.join("../shared/dialects");
    if !dialects.exists() {
        println!("../shared/dialects is absent; nothing to measure");
        return;
    }
    let work = repo.join("target/bench/languages");
    std::fs::create_dir_all(&work).unwrap();
    let kiln = build_kiln(&repo);
    let chrome =
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].iter().map(PathBuf::from).find(|p| p.exists());
    let chrome = chrome.expect("Debian chromium is needed: apt-get install chromium");
    let browser = launch(&chrome);
    println!("## Known-item search per language (titles of translated pages)\n");
    println!(
        "| site | language | writing its site | pages | queries | success@1 | MRR@10 | index files | index size | first one-word query |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut builds = Vec::new();
    // `KILN_BENCH_ONLY=biome` measures one site.
    let only = std::env::var("KILN_BENCH_ONLY").ok();
    for (name, copies, toml) in sites().into_iter().filter(|s| only.as_deref().is_none_or(|o| o == s.0)) {
        let site = work.join(name);
        let _ = std::fs::remove_dir_all(&site);
        for (from, to) in copies {
            std::fs::create_dir_all(site.join(to).parent().unwrap()).unwrap();
            run(Command::new("cp").arg("-R").arg(dialects.join(from)).arg(site.join(to)));
        }
        std::fs::copy(repo.join(toml), site.join("site.toml")).unwrap();
        let t = Instant::now();
        let out = Command::new(&kiln)
            .args(["build", "--no-cache", "--timings", "--root"])
            .arg(&site)
            .output()
            .unwrap();
        let secs = t.elapsed().as_secs_f64();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{name}: {stderr}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let summary = stderr.lines().chain(stdout.lines()).find(|l| l.starts_with("kiln: built"));
        builds.push((name, secs, summary.unwrap_or("").to_string()));
        let per_language = language_times(&stderr);
        let public = site.join("public");
        let (base, log) = serve_logged(&public);
        for (i, lang) in known_items(&site).into_iter().enumerate() {
            // `KILN_BENCH_PROBE="en:Request Body"` prints that query's top five with scores.
            if let Some((code, q)) =
                std::env::var("KILN_BENCH_PROBE").ok().as_deref().and_then(|p| p.split_once(':'))
                && code == lang.code
            {
                let tab = fresh(&browser, &format!("{base}{}search/", lang.base));
                let lit = serde_json::to_string(q).unwrap();
                let js = format!(
                    "kilnSearch.run({lit}).then(r => kilnSearch.resolve(r, 5, -1).then(rows => JSON.stringify([r.surfaces, rows.map(x => [x.f.t, x.h.score, x.h.matched, x.h.doc])])))"
                );
                eprintln!("probe {code} {q:?}: {}", eval(&tab, &js));
            }
            let (ranks, above): (Vec<Option<usize>>, Vec<String>) =
                ranks(&browser, &base, &lang).into_iter().unzip();
            let n = ranks.len().max(1) as f64;
            let at1 = ranks.iter().filter(|r| **r == Some(0)).count() as f64 / n;
            let mrr = ranks.iter().map(|r| r.map_or(0.0, |r| 1.0 / (r as f64 + 1.0))).sum::<f64>() / n;
            if verbose {
                for (((title, _), r), above) in
                    lang.items.iter().zip(&ranks).zip(&above).filter(|((_, r), _)| **r != Some(0))
                {
                    let at = r.map_or("not in top 10".into(), |r| format!("rank {}", r + 1));
                    eprintln!("{name} {}: {title:?} → {at}, below: {above}", lang.code);
                }
            }
            let dir = public.join(lang.base.trim_start_matches('/')).join("search");
            let (files, bytes, _) = dir_stats(&dir);
            let word = one_word(&lang);
            let first = first_query_bytes(&browser, &base, &log, &lang, &word);
            let time = per_language.get(i).map_or("–".to_string(), |t| format!("{t:.2} s"));
            println!(
                "| {name} | {} | {time} | {} | {} | {at1:.2} | {mrr:.3} | {files} | {} | {} (`{word}`) |",
                lang.code,
                lang.items.len() + lang.ambiguous,
                lang.items.len(),
                kb(bytes),
                kb(first)
            );
        }
    }
    println!("\n| site | cold build (all languages, `--no-cache`) | summary |\n|---|---:|---|");
    for (name, secs, last) in builds {
        println!("| {name} | {secs:.2} s | {last} |");
    }
}
