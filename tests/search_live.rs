//! The search index `kiln serve` keeps (issue 4, point 2): after one page's text changes,
//! only the files holding its terms are rewritten, and they say what a full rebuild says
//! about the changed terms.

mod common;

use std::io::Read;

use kiln::build::{self, BuildOptions, Clock};
use kiln::search::live::Live;
use kiln::search::write::{fnv1a, key_of};
use kiln::serve::files::{Files, MemorySink};

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).unwrap();
    out
}

fn varint(b: &[u8], at: &mut usize) -> u32 {
    let (mut v, mut shift) = (0u32, 0);
    loop {
        let byte = b[*at];
        *at += 1;
        v |= ((byte & 0x7f) as u32) << shift;
        if byte < 0x80 {
            return v;
        }
        shift += 7;
    }
}

/// The docs listed for `word` in `files`: dictionary row → chunk → postings.
fn docs_of(files: &Files, word: &str) -> Vec<u32> {
    let meta: serde_json::Value = serde_json::from_slice(&files["search/meta.json"]).unwrap();
    let buckets = meta["buckets"].as_u64().unwrap() as u32;
    let key = key_of(word);
    let bucket: serde_json::Value =
        serde_json::from_slice(&gunzip(&files[&format!("search/d/{}.kd", fnv1a(key) % buckets)])).unwrap();
    let Some(rows) = bucket[key].as_array() else { return Vec::new() };
    let Some(row) = rows.iter().find(|r| r[0] == word) else { return Vec::new() };
    let (chunk, index) = (row[1].as_u64().unwrap(), row[2].as_u64().unwrap());
    let raw = gunzip(&files[&format!("search/p/{chunk}.kp")]);
    let mut at = 0;
    for i in 0.. {
        let count = varint(&raw, &mut at);
        let mut docs = Vec::new();
        let mut doc = 0;
        for _ in 0..count {
            doc += varint(&raw, &mut at);
            at += 1;
            docs.push(doc);
        }
        if i == index {
            return docs;
        }
    }
    unreachable!()
}

#[test]
fn one_page_edit_rewrites_few_files_and_they_agree_with_a_full_rebuild() {
    // 300 articles over a vocabulary of ~3,000 made-up words: enough for many chunks and
    // buckets, so "few files" means something.
    let syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zi", "po", "du", "fe", "gi", "ha"];
    let word = |n: usize| -> String {
        let mut w = String::new();
        let mut n = n + 1;
        while n > 0 {
            w.push_str(syllables[n % syllables.len()]);
            n /= syllables.len();
        }
        w
    };
    let site_dir = common::Site::fixture("basic");
    for a in 0..300 {
        let body: Vec<String> = (0..120).map(|i| word((a * 37 + i * 101) % 3000)).collect();
        site_dir.write(
            &format!("content/generated/f{}/article-{a}.md", a % 6),
            &format!("---\ntitle: Article {}\n---\n{}\n", word(a), body.join(" ")),
        );
    }
    let opts = BuildOptions { root: site_dir.root().to_path_buf(), ..Default::default() };
    let mut loaded = build::load(&opts, &mut Clock::new()).unwrap();
    let sink = MemorySink::default();
    let mut live = Live::build(&loaded.site, &loaded.bodies.pages, &sink).unwrap();
    let mut files = sink.into_files();
    let total = files.keys().filter(|k| k.starts_with("search/")).count();

    let page = loaded.site.pages.iter().position(|p| p.source.rel_path.ends_with("step-10.md")).unwrap();
    assert!(docs_of(&files, "zyzzyva").is_empty());
    loaded.bodies.pages[page].text.push_str(" zyzzyva appears");
    let sink = MemorySink::default();
    let written = live.update(&loaded.site, &loaded.bodies.pages, page, &sink).unwrap();
    let update = sink.into_files();
    assert_eq!(written, update.len());
    assert!(written < total / 2, "{written} of {total} files rewritten");
    files.extend(update);

    // A full rebuild of the same state lists the same documents for the new word and for
    // the words the page already had.
    let full = MemorySink::default();
    kiln::search::build_and_write(&loaded.site, &loaded.bodies.pages, &full).unwrap();
    let full = full.into_files();
    for word in ["zyzzyva", "done", "fix"] {
        let (a, b) = (docs_of(&files, word), docs_of(&full, word));
        assert!(!a.is_empty(), "{word}");
        assert_eq!(a, b, "{word}");
    }
}
