//! The text pass before parsing: a page's lines go through MDX, snippets, math
//! delimiters, `markdown` HTML blocks and abbreviations, then the block syntaxes CommonMark
//! lacks become HTML wrappers. Every line keeps the file line it came from.

use std::borrow::Cow;

use super::admonitions::{Depth, process};

/// A page's lines, each with the 1-based file line it came from.
pub(super) type Lines<'t> = Vec<(Cow<'t, str>, usize)>;

/// Something the preprocessor wants reported, at a 1-based file line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Error (build fails) or warning.
    pub is_error: bool,
    /// File line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// Said once per site (the same message on other pages is folded into it).
    pub once: bool,
}

/// The preprocessed body with its line map.
#[derive(Debug, Default)]
pub struct Preprocessed {
    /// Markdown with admonitions replaced by HTML wrappers.
    pub text: String,
    /// For each line of `text` (0-based), the 1-based line of the source file.
    pub line_map: Vec<usize>,
    /// Problems found.
    pub issues: Vec<Issue>,
    /// Abbreviations the page defines (term, title), longest term first.
    pub abbreviations: Vec<(String, String)>,
    /// Byte offset in `text` where each of its lines starts.
    line_starts: Vec<usize>,
}

impl Preprocessed {
    pub(super) fn push(&mut self, line: &str, src: usize) {
        self.line_starts.push(self.text.len());
        self.text.push_str(line);
        self.text.push('\n');
        self.line_map.push(src);
    }

    /// File line of a byte offset in `text`.
    pub fn file_line(&self, offset: usize) -> usize {
        self.file_pos(offset).0
    }

    /// File line and column (1-based, in characters) of a byte offset in `text`. The
    /// column counts from the start of the emitted line, which is the file's line except
    /// inside containers whose indentation was removed.
    pub fn file_pos(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let idx = self.line_starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let line = self.line_map.get(idx).or(self.line_map.last()).copied().unwrap_or(1);
        let start = self.line_starts.get(idx).copied().unwrap_or(0).min(offset);
        let col = self.text.get(start..offset).map_or(0, |t| t.chars().count()) + 1;
        (line, col)
    }
}

/// A file a page pulls in.
#[derive(Debug, Clone, Copy)]
pub enum Wanted<'a> {
    /// Relative to the page, as a link is: docfx `[!INCLUDE]`, VitePress `<<<`.
    Page(&'a str),
    /// Looked up in the site's snippet folders: pymdownx `--8<--`, FastAPI `{* *}`.
    Snippet(&'a str),
}

/// Loads a file a page pulls in, or says why not.
pub type IncludeFn<'a> = &'a dyn Fn(Wanted) -> Result<String, String>;

/// Preprocess a page body that starts at file line `first_line`, with the snippet files
/// `append` added at its end. MDX (imports, comments, components) is read first
/// (`mdx.rs`), then snippets are expanded (`snippets.rs`), arithmatex delimiters made
/// dollars (`math.rs`), `markdown` HTML blocks set apart (`md_in_html.rs`) and
/// abbreviations taken out (`abbreviations.rs`); then the block syntaxes
/// (`admonitions.rs`).
pub fn preprocess(body: &str, first_line: usize, include: IncludeFn, append: &[String]) -> Preprocessed {
    let mut out = Preprocessed::default();
    let lines = super::mdx::lines(body, first_line, &mut out.issues);
    // Most pages use none of these: one look at the whole text (snippets may bring any of
    // them) spares a pass over the lines for each.
    let snippets = !append.is_empty() || body.contains("--8<--");
    let has = |marker: &str| snippets || body.contains(marker);
    let lines = if snippets {
        let read = |name: &str| include(Wanted::Snippet(name));
        let source = super::snippets::Snippets { read: &read, append };
        super::snippets::expand(lines, &source, &mut out.issues)
    } else {
        lines
    };
    let lines = if has("\\(") || has("\\[") { super::math::delimiters(lines) } else { lines };
    let lines = if has(" markdown") { super::md_in_html::separate(lines) } else { lines };
    let lines = if has("*[") {
        let (lines, abbreviations) = super::abbreviations::collect(lines);
        out.abbreviations = abbreviations;
        lines
    } else {
        lines
    };
    process(&lines, &mut out, include, Depth::default());
    out
}
