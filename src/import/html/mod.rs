//! A helpdesk article's HTML as Markdown Kiln reads back to the same page: headings,
//! paragraphs, emphasis, lists (nested, ordered with their start), GFM tables where they fit,
//! code blocks with their language, images, links, callouts as admonitions. What Markdown
//! cannot say (videos, merged table cells, forms) stays as an HTML block, never dropped.
//!
//! Written on an HTML parser (html5ever through `scraper`) rather than with an
//! HTML-to-Markdown crate: the callouts, the link and file rewriting, and the notes with
//! their line need a walk of our own over the tree, and escaping must match what Kiln's
//! own Markdown reads as marks (`^`, `~`, `==`, `:emoji:`, `$`).

mod blocks;
mod inline;
mod raw;
mod table;

use std::collections::HashSet;

use scraper::Html;

/// What a link or image in the body becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The URL to write.
    pub url: String,
    /// Something a person should look at (a file that could not be had, an article that is
    /// not in the export).
    pub note: Option<String>,
}

/// How the body's URLs are rewritten: links to other articles of the knowledge base become
/// relative `.md` links, images and attachments local files.
pub trait Urls {
    /// The target of `<a href>`.
    fn link(&self, href: &str) -> Target;
    /// The source of `<img src>` (and other embedded files).
    fn file(&self, src: &str) -> Target;
    /// Ids in this body that links from other articles point at (`…/articles/12#h_01`): kept
    /// on their heading or anchor like the ids the body's own `#links` name.
    fn linked_ids(&self) -> Option<&HashSet<String>> {
        None
    }
}

/// Converted Markdown and what in it needs a human look, by line (1-based, in the body).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Converted {
    /// The Markdown, ending with one newline (empty for an empty body).
    pub markdown: String,
    /// `(line, message)` in the Markdown.
    pub notes: Vec<(usize, String)>,
}

/// Where a note sits in the text while it is being built: private-use characters, removed
/// (and counted into a line) at the end. The input has them taken out first, attribute
/// values (a link's `href`) included.
const NOTE_OPEN: char = '\u{E000}';
const NOTE_CLOSE: char = '\u{E001}';

/// Convert an article body.
pub fn convert(html: &str, urls: &dyn Urls) -> Converted {
    let html: std::borrow::Cow<'_, str> = if html.contains([NOTE_OPEN, NOTE_CLOSE]) {
        html.replace([NOTE_OPEN, NOTE_CLOSE], "").into()
    } else {
        html.into()
    };
    let doc = Html::parse_fragment(&html);
    let mut ids = blocks::referenced_fragments(&doc);
    ids.extend(urls.linked_ids().into_iter().flatten().cloned());
    let mut c = blocks::Converter::new(urls, ids);
    let parts = c.blocks(*doc.root_element());
    let text = tidy(&parts.join("\n\n"));
    let (markdown, lines) = take_notes(&text);
    let notes = lines.into_iter().map(|(line, n)| (line, c.notes[n].clone())).collect();
    Converted { markdown, notes }
}

/// Text escaped for a Markdown paragraph (a file name in a list).
pub fn escape_text(text: &str) -> String {
    inline::escape(text, inline::Ctx::Para)
}

/// Trailing spaces off, runs of blank lines made one, one newline at the end.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 1);
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end_matches([' ', '\t']);
        // A list marker on an empty item keeps its one trailing space off: `-` alone is an item.
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// The text without its note markers, and each marker's line and note number.
fn take_notes(text: &str) -> (String, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(text.len());
    let mut found = Vec::new();
    let mut line = 1;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            NOTE_OPEN => {
                let n: String = chars.by_ref().take_while(|&c| c != NOTE_CLOSE).collect();
                if let Ok(n) = n.parse() {
                    found.push((line, n));
                }
            }
            '\n' => {
                line += 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    (out, found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Links and files as they are.
    struct Same;
    impl Urls for Same {
        fn link(&self, href: &str) -> Target {
            Target { url: href.to_string(), note: None }
        }
        fn file(&self, src: &str) -> Target {
            Target { url: src.to_string(), note: None }
        }
    }

    fn md(html: &str) -> String {
        convert(html, &Same).markdown
    }

    #[test]
    fn paragraphs_emphasis_and_entities() {
        assert_eq!(
            md("<p>A <b>bold</b>&nbsp;and <em> spaced </em> word &amp; more</p>"),
            "A **bold** and *spaced* word & more\n"
        );
        assert_eq!(
            md("<p>Costs $5, x^2, a_b, *star*, [x] &lt;tag&gt; :smile:</p>"),
            "Costs \\$5, x\\^2, a_b, \\*star\\*, \\[x\\] \\<tag> \\:smile:\n"
        );
    }

    #[test]
    fn lists_nest_and_keep_their_start() {
        let html = "<ol start=\"3\"><li>Three<ul><li>a</li><li>b</li></ul></li><li>Four</li></ol>";
        assert_eq!(md(html), "3. Three\n   - a\n   - b\n4. Four\n");
    }

    #[test]
    fn line_starts_that_would_be_syntax_are_escaped() {
        assert_eq!(
            md("<p># not a heading</p><p>1. not a list</p><p>- no</p><p>::: no</p>"),
            "\\# not a heading\n\n1\\. not a list\n\n\\- no\n\n\\::: no\n"
        );
    }

    #[test]
    fn what_sites_add_around_content_is_read_as_meant() {
        // A heading's permalink goes (Kiln adds its own).
        let permalink = "<h2 id=\"setup\">Setup</h2><a class=\"anchor\" href=\"#setup\">#</a><p>Text <a href=\"#setup\">here</a>.</p>";
        assert_eq!(md(permalink), "## Setup {#setup}\n\nText [here](#setup).\n");
        // A callout's title element: dropped when it names the kind, the title otherwise.
        let titled = "<aside class=\"admonition admonition-tip\"><p class=\"admonition-title\"><span class=\"visually-hidden\">Tip: </span>Before you start</p><p>Back up.</p></aside>";
        assert_eq!(md(titled), ":::tip Before you start\nBack up.\n:::\n");
        let named = "<div class=\"callout callout--warning\"><h4>Warning</h4><p>Careful.</p></div>";
        assert_eq!(md(named), ":::warning\nCareful.\n:::\n");
        // A labelled paragraph in a quote is one admonition, not two.
        let quoted = "<blockquote><p><strong>Warning:</strong> Back up first.</p></blockquote>";
        assert_eq!(md(quoted), ":::warning\nBack up first.\n:::\n");
        // An admonition opening a list item starts on the line under the marker.
        let in_list = "<ul><li><p><strong>Note:</strong> Needs admin.</p></li></ul>";
        assert_eq!(md(in_list), "-\n  :::note\n  Needs admin.\n  :::\n");
        // A `|` in code in a table cell does not end the cell.
        let cell = "<table><thead><tr><th>Type</th></tr></thead><tbody><tr><td><code>a | b</code></td></tr></tbody></table>";
        assert!(md(cell).contains("| `a \\| b` |"), "{}", md(cell));
    }

    #[test]
    fn images_keep_plain_sizes_only() {
        assert_eq!(
            md("<p><img src=\"a.png\" width=\"320\" height=\"50%\"></p>"),
            "![](a.png){ width=\"320\" height=\"50%\" }\n"
        );
        assert_eq!(
            md("<p><img src=\"a.png\" style=\"height: 20px; width:90px\"></p>"),
            "![](a.png){ width=\"90\" height=\"20\" }\n"
        );
        assert_eq!(md("<p><img src=\"a.png\" width=\"auto\" style=\"width: 50vw\"></p>"), "![](a.png)\n");
        assert_eq!(md("<p><img src=\"a.png\" width='1\" onerror=\"x()'></p>"), "![](a.png)\n");
    }

    #[test]
    fn note_markers_in_the_input_never_reach_the_markdown() {
        // Found by the import_html fuzz target: the markers inside an `href`.
        let html = "<p>Voir <a href=\"javascrip\u{E001}t:x\">a</a> <a href=\"ja\u{E000}vascript:y\">b</a> <img src=\"\u{E000}.png\" alt=\"\u{E001}\"></p>";
        let c = convert(html, &Same);
        assert!(!c.markdown.contains(['\u{E000}', '\u{E001}']), "{c:?}");
        assert!(
            c.notes.iter().all(|(line, _)| *line >= 1 && *line <= c.markdown.lines().count().max(1)),
            "{c:?}"
        );
    }

    #[test]
    fn notes_know_their_line() {
        let c = convert("<p>a</p><form><input></form>", &Same);
        assert_eq!(c.notes.len(), 1, "{c:?}");
        assert_eq!(c.notes[0].0, 3, "{c:?}");
    }
}
