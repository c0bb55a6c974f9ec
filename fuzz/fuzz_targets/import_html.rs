//! `kiln import`'s HTML → Markdown converter on any article body: it never panics, its
//! private note markers never reach the Markdown, and every note sits on a line of it.
#![no_main]
use kiln::import::html::{Target, Urls, convert};
use libfuzzer_sys::fuzz_target;

/// URLs kept as written, each file noted (as a missing one is).
struct Same;

impl Urls for Same {
    fn link(&self, href: &str) -> Target {
        Target { url: href.to_string(), note: None }
    }
    fn file(&self, src: &str) -> Target {
        Target { url: src.to_string(), note: Some(format!("file {src}")) }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(html) = std::str::from_utf8(data) else { return };
    let converted = convert(html, &Same);
    assert!(!converted.markdown.contains(['\u{E000}', '\u{E001}']), "a note marker left in the Markdown");
    let lines = converted.markdown.lines().count().max(1);
    for (line, _) in &converted.notes {
        assert!((1..=lines).contains(line), "note on line {line} of {lines}");
    }
});
