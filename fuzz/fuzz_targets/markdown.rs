//! The Markdown stage, admonitions of every syntax, includes and snippets included: no
//! panic, and every diagnostic's line lies inside the file.
#![no_main]
use kiln::markdown::{Input, Resolver, render};
use libfuzzer_sys::fuzz_target;

/// A site where every link resolves and every include is the page's own first line.
struct Everything<'a>(&'a str);

impl Resolver for Everything<'_> {
    fn page_url(&self, rel: &str) -> Option<String> {
        (!rel.contains("missing")).then(|| format!("/{rel}/"))
    }
    fn asset_url(&self, rel: &str) -> Option<String> {
        (!rel.contains("missing")).then(|| format!("/{rel}"))
    }
    fn include(&self, _rel: &str) -> Result<String, String> {
        Ok(self.0.lines().next().unwrap_or("").to_string())
    }
    /// A snippet is the page's first two lines, so snippets include snippets (and cycles).
    fn snippet(&self, _name: &str) -> Result<String, String> {
        Ok(self.0.lines().take(2).collect::<Vec<_>>().join("\n"))
    }
    fn folder(&self, rel: &str) -> Vec<kiln::markdown::FolderEntry> {
        vec![kiln::markdown::FolderEntry {
            title: rel.to_string(),
            url: format!("/{rel}/"),
            description: None,
        }]
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    let mut diags = Vec::new();
    let input = Input {
        body,
        body_line: 1,
        rel_path: "a/b.md",
        file: std::path::Path::new("a/b.md"),
        title: Some("T"),
    };
    let _ = render(input, &Everything(body), &mut diags);
    let lines = body.lines().count() + 1;
    for d in diags {
        if let Some(l) = d.line {
            assert!(l >= 1 && l <= lines, "diagnostic at line {l} of a {lines}-line body: {}", d.message);
        }
    }
});
