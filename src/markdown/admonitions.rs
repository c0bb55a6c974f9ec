//! Admonitions: the block syntaxes that CommonMark does not know, turned into HTML wrappers
//! *before* parsing so that their bodies are ordinary Markdown in the same document
//! (footnotes, reference links and nested blocks keep working).
//!
//! Handled here: `:::type` directives (Docusaurus, VitePress, `:::type[Title]`,
//! `:::type{title="…"}`, colon-count nesting), MkDocs `!!!`/`???`/`???+` with indented
//! bodies, docfx `[!INCLUDE [..](path)]` and inline `:::image …:::`. GitHub `> [!NOTE]` alerts
//! are parsed by pulldown-cmark and rendered with [`open_html`] in the event stage.
//!
//! Every emitted line remembers the file line it came from (`line_map`) so that later
//! diagnostics still point into the user's file.

use super::docfx::{include_target, is_docfx_div_marker, replace_inline_images};
use super::openers::{
    code_fence_open, dedent, indent_width, indented_at_least, mkdocs_open, mkdocstrings_ref, parse_directive,
};
use std::borrow::Cow;

pub use super::kinds::{Kind, close_html, default_title, kind_of, open_html};

pub use super::preprocess::{IncludeFn, Issue, Preprocessed, Wanted, preprocess};

/// How deep the block being processed is: in includes, and in nested admonitions.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Depth {
    include: usize,
    nest: usize,
}

impl Depth {
    pub(super) fn inner(self) -> Depth {
        Depth { nest: self.nest + 1, ..self }
    }
}

/// Admonitions nest at most this deep (of every syntax together); deeper openers are shown
/// as text, with one warning. Real pages nest three or four; the bound keeps time and
/// memory linear in the file's size whatever it holds.
pub const MAX_NESTING: usize = 32;

fn too_deep(line: usize) -> Issue {
    Issue {
        once: false,
        is_error: false,
        line,
        message: format!(
            "admonitions nested more than {MAX_NESTING} deep; the deeper ones are shown as text"
        ),
    }
}

pub(super) struct Open {
    pub(super) fence: usize,
    pub(super) kind: Kind,
    pub(super) indent: String,
    pub(super) line: usize,
    pub(super) name: String,
}

const MAX_INCLUDE_DEPTH: usize = 8;

pub(super) fn process(lines: &[(Cow<str>, usize)], out: &mut Preprocessed, include: IncludeFn, depth: Depth) {
    let mut scan = Scan { lines, i: 0, code_fence: None, stack: Vec::new(), warned: false, include, depth };
    while scan.i < lines.len() {
        let (raw, src) = (lines[scan.i].0.as_ref(), lines[scan.i].1);
        scan.i += 1;
        let trimmed = raw.trim_start();
        let indent = &raw[..raw.len() - trimmed.len()];
        if scan.code(raw, trimmed, src, out) {
            continue;
        }
        if let Some(m) = mkdocs_open(trimmed) {
            scan.mkdocs(m, raw, indent, src, out);
            continue;
        }
        if super::blocks::is_toc_marker(trimmed) {
            out.push("", src);
            continue;
        }
        if let Some(include) = super::includes::code_include(trimmed) {
            scan.code_include(include, indent, src, out);
            continue;
        }
        if let Some(t) = super::blocks::content_tab(trimmed) {
            scan.content_tabs(t, raw, indent, src, out);
            continue;
        }
        if let Some(b) = super::blocks::slash_block(trimmed) {
            scan.slash_block(b, raw, indent, src, out);
            continue;
        }
        if let Some(target) = include_target(trimmed) {
            scan.include(target, indent, src, out);
            continue;
        }
        // docfx articles open some alerts with an empty `>` line, which would make the
        // marker the quote's second line, where it is no alert.
        if trimmed.trim_end() == ">"
            && scan.lines.get(scan.i).is_some_and(|(l, _)| super::docfx::is_alert_marker(l.trim_start()))
        {
            out.push("", src);
            continue;
        }
        if let Some(url) = super::docfx::video_target(trimmed) {
            out.push("", src);
            out.push(&format!("{indent}{}", super::docfx::video_html(url)), src);
            out.push("", src);
            continue;
        }
        if is_docfx_div_marker(trimmed) {
            // The quote goes on (the link under the marker is its content), at the marker's
            // indentation, so a marker inside a list item stays in it.
            out.push(&format!("{indent}>"), src);
            continue;
        }
        scan.colons(raw, src, out);
    }
    scan.close_unclosed(out);
}

/// One pass over a block's lines: where it is, and what is open.
pub(super) struct Scan<'l, 'a> {
    pub(super) lines: &'l [(Cow<'a, str>, usize)],
    /// The next line.
    pub(super) i: usize,
    /// The fence of the code block the scan is in.
    code_fence: Option<(char, usize)>,
    /// The `:::` blocks open, innermost last.
    pub(super) stack: Vec<Open>,
    /// Whether nesting past [`MAX_NESTING`] was reported already.
    warned: bool,
    pub(super) include: IncludeFn<'l>,
    pub(super) depth: Depth,
}

impl<'a> Scan<'_, 'a> {
    /// Whether the line belongs to a code block (opening, inside, closing it), which is
    /// kept as written; Docusaurus' ```mdx-code-block fences hold content to render instead.
    fn code(&mut self, raw: &str, trimmed: &str, src: usize, out: &mut Preprocessed) -> bool {
        if let Some((ch, len)) = self.code_fence {
            let run = trimmed.chars().take_while(|&c| c == ch).count();
            if run >= len && trimmed[run..].trim().is_empty() {
                self.code_fence = None;
            }
            out.push(raw, src);
            return true;
        }
        let Some(fence) = code_fence_open(trimmed) else { return false };
        if trimmed[fence.1..].trim() == "mdx-code-block" {
            let close = self.lines[self.i..].iter().position(|(l, _)| {
                let t = l.trim_start();
                t.chars().take_while(|&c| c == fence.0).count() >= fence.1
                    && t.trim_matches(fence.0).trim().is_empty()
            });
            if let Some(close) = close
                && self.depth.nest + self.stack.len() < MAX_NESTING
            {
                process(&self.lines[self.i..self.i + close], out, self.include, self.depth.inner());
                self.i += close + 1;
                return true;
            }
        }
        self.code_fence = Some(fence);
        out.push(raw, src);
        true
    }

    /// Whether another block may open at `line`; when it may not, the line is kept as
    /// text (and the first time, that is reported).
    pub(super) fn may_nest(&mut self, line: &str, src: usize, out: &mut Preprocessed) -> bool {
        if self.depth.nest + self.stack.len() < MAX_NESTING {
            return true;
        }
        if !std::mem::replace(&mut self.warned, true) {
            out.issues.push(too_deep(src));
        }
        out.push(line, src);
        false
    }

    /// A MkDocs `!!!`/`???` block: its indented body, processed as a block of its own.
    fn mkdocs(
        &mut self,
        m: super::openers::MkDocs,
        raw: &str,
        indent: &str,
        src: usize,
        out: &mut Preprocessed,
    ) {
        if !self.may_nest(raw, src, out) {
            return;
        }
        let body = self.indented_body(indent);
        let (kind, known) = kind_of(m.name).map_or((Kind::Aside("note"), false), |k| (k, true));
        let kind = if m.collapsible { Kind::Details } else { kind };
        if !known {
            out.issues.push(unknown_type(m.name, src));
        }
        let title = m.title.map(str::to_string).unwrap_or_else(|| default_title(m.name));
        emit_open(out, indent, kind, m.name, &title, m.open, src);
        process(&body, out, self.include, self.depth.inner());
        emit_close(out, indent, kind, self.lines.get(self.i.saturating_sub(1)).map_or(src, |l| l.1));
    }

    /// The lines after an opener indented 4 columns past it (blank lines between them
    /// included, trailing ones not), without those 4 columns; the scan moves past them.
    pub(super) fn indented_body(&mut self, indent: &str) -> Vec<(Cow<'a, str>, usize)> {
        let lines = self.lines;
        let body_indent = indent_width(indent) + 4;
        let start = self.i;
        while self.i < lines.len()
            && (lines[self.i].0.trim().is_empty() || indented_at_least(&lines[self.i].0, body_indent))
        {
            self.i += 1;
        }
        while self.i > start && lines[self.i - 1].0.trim().is_empty() {
            self.i -= 1;
        }
        // Borrowed where the opener is not indented (the usual case), so nested blocks
        // share the file's text instead of copying it once per level.
        lines[start..self.i]
            .iter()
            .map(|(l, n)| {
                let rest = dedent(l, body_indent);
                let line = match (indent.is_empty(), l) {
                    (true, Cow::Borrowed(b)) => Cow::Borrowed(dedent(b, body_indent)),
                    _ => Cow::Owned(format!("{indent}{rest}")),
                };
                (line, *n)
            })
            .collect()
    }

    /// A docfx `[!INCLUDE]`: the file's text, each line behind the include line's prefix.
    fn include(&mut self, target: &str, prefix: &str, src: usize, out: &mut Preprocessed) {
        // Depth first: a cycle of includes must not read files again and again.
        let loaded = if self.depth.include >= MAX_INCLUDE_DEPTH {
            Err(format!("nested more than {MAX_INCLUDE_DEPTH} deep; skipped"))
        } else {
            (self.include)(Wanted::Page(target)).map_err(|why| format!("{target}: {why}"))
        };
        match loaded {
            Ok(text) => {
                let inc: Vec<(Cow<str>, usize)> =
                    text.lines().map(|l| (Cow::Owned(format!("{prefix}{l}")), src)).collect();
                process(&inc, out, self.include, Depth { include: self.depth.include + 1, ..self.depth });
            }
            Err(why) => out.issues.push(Issue {
                once: false,
                is_error: false,
                line: src,
                message: format!("[!INCLUDE] {why}"),
            }),
        }
    }

    /// Any other line: a `:::` opener or closer, or text (inline docfx images made Markdown).
    fn colons(&mut self, raw: &str, src: usize, out: &mut Preprocessed) {
        let line = replace_inline_images(raw);
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let colons = trimmed.chars().take_while(|&c| c == ':').count();
        if colons < 3 {
            self.text(&line, src, out);
            return;
        }
        let rest = trimmed[colons..].trim();
        if rest.is_empty() {
            self.close(colons, src, out);
            return;
        }
        if self.docfx_container(rest, indent, src, out) {
            return;
        }
        if let Some(ident) = mkdocstrings_ref(rest) {
            mkdocstrings_placeholder(out, indent, ident, src);
            // Its options are the indented lines under it (`    options:` …).
            let width = indent_width(indent);
            while let Some((next, _)) = self.lines.get(self.i) {
                if next.trim().is_empty() || !indented_at_least(next, width + 1) {
                    break;
                }
                self.i += 1;
            }
            return;
        }
        if !self.may_nest(&line, src, out) {
            return;
        }
        let d = parse_directive(rest);
        if d.name == "code-group" && self.code_group(colons, indent, src, out) {
            return;
        }
        let (kind, known) = kind_of(d.name).map_or((Kind::Aside("note"), false), |k| (k, true));
        if !known {
            out.issues.push(unknown_type(d.name, src));
        }
        let title = d.title.unwrap_or_else(|| default_title(d.name));
        emit_open(out, indent, kind, d.name, &title, d.open, src);
        let open =
            Open { fence: colons, kind, indent: indent.to_string(), line: src, name: d.name.to_string() };
        self.stack.push(open);
        if let Some(text) = d.text {
            self.text(&format!("{indent}{text}"), src, out);
        }
    }

    /// A line of text. Inside a `:::` block, colons at its end (after a space, as many as the
    /// opener's) close the block: prettier wraps a one-paragraph directive so.
    fn text(&mut self, line: &str, src: usize, out: &mut Preprocessed) {
        let body = line.trim_end();
        let colons = body.len() - body.trim_end_matches(':').len();
        let before = &body[..body.len() - colons];
        match self.stack.last() {
            Some(top) if colons >= 3 && colons >= top.fence && before.ends_with([' ', '\t']) => {
                out.push(before.trim_end(), src);
                self.close(colons, src, out);
            }
            _ => out.push(line, src),
        }
    }

    /// A line of only colons: it closes the innermost `:::` block when it has at least as
    /// many colons as its opener.
    fn close(&mut self, colons: usize, src: usize, out: &mut Preprocessed) {
        match self.stack.last() {
            Some(top) if colons >= top.fence => {
                let top = self.stack.pop().expect("checked non-empty");
                emit_close(out, &top.indent, top.kind, src);
            }
            _ => out.issues.push(Issue { once: false,
                is_error: false,
                line: src,
                message: match self.stack.last() {
                    Some(top) => format!(
                        "`{}` cannot close `{}{}` (line {}): a closing fence needs at least as many colons as its opener; ignored",
                        ":".repeat(colons),
                        ":".repeat(top.fence),
                        top.name,
                        top.line
                    ),
                    None => format!("`{}` closes nothing; ignored", ":".repeat(colons)),
                },
            }),
        }
    }

    /// Every `:::` block still open at the end is an error at its opener, and is closed.
    fn close_unclosed(self, out: &mut Preprocessed) {
        for open in self.stack.into_iter().rev() {
            out.issues.push(Issue {
                once: false,
                is_error: true,
                line: open.line,
                message: format!(
                    "`{}{}` opened here is never closed (add a line `{}`)",
                    ":".repeat(open.fence),
                    open.name,
                    ":".repeat(open.fence)
                ),
            });
            let last = out.line_map.last().copied().unwrap_or(open.line);
            emit_close(out, &open.indent, open.kind, last);
        }
    }
}

/// A mkdocstrings reference, which Kiln cannot expand (that runs Python): a labelled
/// placeholder, and one warning for the site.
fn mkdocstrings_placeholder(out: &mut Preprocessed, indent: &str, ident: &str, src: usize) {
    let ident = crate::base::html::escape(ident);
    out.push("", src);
    out.push(
        &format!(
            "{indent}<div class=\"kiln-placeholder kiln-mkdocstrings\" role=\"note\"><p>API reference for <code>{ident}</code> (generated by mkdocstrings from the Python source; not built by Kiln)</p></div>"
        ),
        src,
    );
    out.push("", src);
    out.issues.push(Issue {
        once: true,
        is_error: false,
        line: src,
        message: "mkdocstrings references (`::: module.name`) are shown as placeholders: Kiln does not run Python to document code".into(),
    });
}

pub(super) fn unknown_type(name: &str, line: usize) -> Issue {
    Issue {
        once: false,
        is_error: false,
        line,
        message: format!("unknown admonition type `{name}`; rendered as a note"),
    }
}

pub(super) fn emit_open(
    out: &mut Preprocessed,
    indent: &str,
    kind: Kind,
    name: &str,
    title: &str,
    open: bool,
    src: usize,
) {
    if kind == Kind::Transparent {
        return;
    }
    let (html, text) = render_title(title);
    out.push("", src);
    out.push(&format!("{indent}{}", open_html(kind, name, &html, &text, open)), src);
    out.push("", src);
}

pub(super) fn emit_close(out: &mut Preprocessed, indent: &str, kind: Kind, src: usize) {
    if kind == Kind::Transparent {
        return;
    }
    out.push("", src);
    out.push(&format!("{indent}{}", close_html(kind)), src);
    out.push("", src);
}

/// Render a title's inline Markdown; returns (HTML, plain text).
pub fn render_title(title: &str) -> (String, String) {
    let mut html = String::new();
    let parser = pulldown_cmark::Parser::new(title);
    let mut text = String::new();
    let events: Vec<_> = parser
        .filter(|e| {
            if let pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) = e {
                text.push_str(t);
            }
            !matches!(
                e,
                pulldown_cmark::Event::Start(pulldown_cmark::Tag::Paragraph)
                    | pulldown_cmark::Event::End(pulldown_cmark::TagEnd::Paragraph)
            )
        })
        .collect();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    (html.trim().to_string(), text.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pp(s: &str) -> Preprocessed {
        preprocess(s, 1, &|_| Err("no includes in tests".into()), &[])
    }

    #[test]
    fn directive_forms() {
        assert_eq!(parse_directive("note").title, None);
        assert_eq!(parse_directive("tip[My *title*]").title.as_deref(), Some("My *title*"));
        assert_eq!(parse_directive("danger STOP").title.as_deref(), Some("STOP"));
        let d = parse_directive("details{title=\"More\" open}");
        assert_eq!((d.name, d.title.as_deref(), d.open), ("details", Some("More"), true));
    }

    #[test]
    fn nesting_by_colon_count() {
        let p = pp("::::warning\nA\n:::note\nB\n:::\nC\n::::\n");
        assert!(p.issues.is_empty(), "{:?}", p.issues);
        assert_eq!(p.text.matches("<aside").count(), 2);
        assert_eq!(p.text.matches("</aside>").count(), 2);
        let c = p.text.find("\nC").unwrap();
        assert!(p.text[..c].matches("</aside>").count() == 1);
    }

    #[test]
    fn fenced_code_stays_literal() {
        let p = pp("```md\n:::note\n```\n");
        assert!(!p.text.contains("<aside"));
        assert!(p.issues.is_empty());
    }

    #[test]
    fn unclosed_is_error_at_opener_line() {
        let p = pp("intro\n\n:::warning\ntext\n");
        assert_eq!(p.issues.len(), 1);
        assert!(p.issues[0].is_error);
        assert_eq!(p.issues[0].line, 3);
    }

    #[test]
    fn inline_image_does_not_open_block() {
        let p =
            pp("Click :::image type=\"icon\" source=\"media/a (1).png\" alt-text=\"Gear\"::: now\n\nrest\n");
        assert!(p.issues.is_empty());
        assert!(p.text.contains("![Gear](<media/a (1).png>)"));
    }

    #[test]
    fn mdx_code_blocks_are_rendered() {
        let p = pp("```mdx-code-block\n<Box>\n\n:::tip\nx\n:::\n\n</Box>\n```\nafter\n");
        // `<Box>` is a component Kiln does not know: its content stays, said once.
        assert!(
            p.issues.len() == 1 && p.issues[0].once && p.issues[0].message.contains("`<Box>`"),
            "{:?}",
            p.issues
        );
        assert!(p.text.contains("admonition-tip") && !p.text.contains("Box"));
        assert!(!p.text.contains("```"));
    }

    #[test]
    fn mkdocs_blocks() {
        let p = pp("!!! bug \"Known issue\"\n    Body **bold**\n\n    more\n\nafter\n");
        assert!(p.text.contains("admonition-danger admonition-bug"), "{}", p.text);
        assert!(p.text.contains("\nBody **bold**\n"));
        let after = p.text.find("after").unwrap();
        assert!(p.text[..after].contains("</aside>"));
        let p = pp("???+ note\n    hidden\n");
        assert!(p.text.contains("<details class=\"admonition admonition-details\" open>"));
    }

    #[test]
    fn unknown_type_is_note_with_warning() {
        let p = pp(":::my-custom\nx\n:::\n");
        assert!(p.text.contains("admonition-note admonition-my-custom"));
        assert_eq!(p.issues.len(), 1);
        assert!(!p.issues[0].is_error);
    }

    #[test]
    fn line_map_points_into_file() {
        let p = preprocess("a\n:::note\nb\n:::\nc\n", 5, &|_| Err(String::new()), &[]);
        let off = p.text.find("\nb\n").unwrap() + 1;
        assert_eq!(p.file_line(off), 7);
        let off = p.text.find("\nc\n").unwrap() + 1;
        assert_eq!(p.file_line(off), 9);
    }
}
