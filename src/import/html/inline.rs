//! Inline HTML (text, emphasis, code, links, images, breaks) as Markdown, and the escaping
//! that keeps text text: CommonMark's punctuation and Kiln's own marks.

use ego_tree::NodeRef;
use scraper::Node;
use scraper::node::Element;

use super::blocks::{Converter, is_block};

/// Where inline Markdown goes: a paragraph, a GFM table cell (`|` escaped, breaks as
/// `<br>`), or a heading (one line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ctx {
    Para,
    Cell,
    Heading,
}

/// Inline elements written as the same HTML tag around converted content.
const KEPT_TAGS: &[&str] = &["sub", "sup", "u", "ins", "mark", "small", "kbd", "samp", "var", "abbr", "cite"];

impl Converter<'_> {
    /// The inline Markdown of `node`'s children, unescaped at line starts (see
    /// [`escape_line_starts`]).
    pub(super) fn inline_children(&mut self, node: NodeRef<'_, Node>, ctx: Ctx) -> String {
        let mut out = String::new();
        for child in node.children() {
            self.inline(child, ctx, &mut out);
        }
        out
    }

    /// Append one node's inline Markdown.
    pub(super) fn inline(&mut self, node: NodeRef<'_, Node>, ctx: Ctx, out: &mut String) {
        match node.value() {
            Node::Text(t) => push_text(out, t, ctx),
            Node::Element(el) => self.inline_element(node, el, ctx, out),
            _ => {}
        }
    }

    fn inline_element(&mut self, node: NodeRef<'_, Node>, el: &Element, ctx: Ctx, out: &mut String) {
        match el.name() {
            "strong" | "b" => self.emphasis(node, ctx, out, "**", true),
            "em" | "i" => self.emphasis(node, ctx, out, "*", false),
            "del" | "s" | "strike" => {
                let inner = self.inline_children(node, ctx);
                out.push_str(&wrap(&inner, "~~"));
            }
            // In a GFM table a `|` ends the cell even inside code: written `\|` there.
            "code" | "tt" => match ctx {
                Ctx::Cell => out.push_str(&code_span(&text_of(node)).replace('|', "\\|")),
                _ => out.push_str(&code_span(&text_of(node))),
            },
            "br" => out.push_str(match ctx {
                Ctx::Para => "\\\n",
                Ctx::Cell => "<br>",
                Ctx::Heading => " ",
            }),
            "a" => self.link(node, el, ctx, out),
            "img" => self.image(el, out),
            "script" | "style" | "noscript" | "template" => {
                self.note(out, format!("<{}> removed", el.name()))
            }
            name if KEPT_TAGS.contains(&name) => {
                let inner = self.inline_children(node, ctx);
                let title = el.attr("title").map(|t| format!(" title=\"{}\"", crate::base::html::escape(t)));
                out.push_str(&format!("<{name}{}>{inner}</{name}>", title.unwrap_or_default()));
            }
            name if is_block(name) => {
                // A block inside inline content (a cell's paragraphs): kept apart by a space.
                push_space(out);
                for child in node.children() {
                    self.inline(child, ctx, out);
                }
                push_space(out);
            }
            _ => {
                for child in node.children() {
                    self.inline(child, ctx, out);
                }
            }
        }
    }

    fn emphasis(&mut self, node: NodeRef<'_, Node>, ctx: Ctx, out: &mut String, mark: &str, strong: bool) {
        let depth = if strong { &mut self.strong } else { &mut self.em };
        *depth += 1;
        let nested = *depth > 1;
        let inner = self.inline_children(node, ctx);
        let depth = if strong { &mut self.strong } else { &mut self.em };
        *depth -= 1;
        out.push_str(&if nested { inner } else { wrap(&inner, mark) });
    }

    fn link(&mut self, node: NodeRef<'_, Node>, el: &Element, ctx: Ctx, out: &mut String) {
        let text = self.inline_children(node, ctx);
        let anchor = el.attr("id").or(el.attr("name")).filter(|id| self.fragments.contains(*id));
        let href = el.attr("href").map(str::trim).filter(|h| !h.is_empty());
        let Some(href) = href else {
            if let Some(id) = anchor {
                out.push_str(&format!("<a id=\"{}\"></a>", crate::base::html::escape(id)));
            }
            out.push_str(&text);
            return;
        };
        // A heading's permalink (`<a class="anchor" href="#id">#</a>`, MkDocs' `¶`) is the
        // site's decoration, which Kiln adds again to every heading.
        if href.starts_with('#') && matches!(text_of(node).trim(), "#" | "¶" | "§" | "🔗" | "🔗\u{fe0e}")
        {
            return;
        }
        if href.to_ascii_lowercase().trim_start().starts_with("javascript:") {
            self.note(out, "a javascript: link removed (its text kept)".into());
            out.push_str(&text);
            return;
        }
        let target = self.urls.link(href);
        if let Some(note) = target.note {
            self.note(out, note);
        }
        if let Some(id) = anchor {
            out.push_str(&format!("<a id=\"{}\"></a>", crate::base::html::escape(id)));
        }
        let title = el.attr("title").filter(|t| !t.trim().is_empty()).map(title_part).unwrap_or_default();
        let (lead, inner, trail) = split_space(&text);
        if inner.is_empty() {
            out.push_str(&format!("<{}>", target.url.replace(['<', '>', ' '], "")));
            return;
        }
        out.push_str(&format!("{lead}[{inner}]({}{title}){trail}", destination(&target.url)));
    }

    fn image(&mut self, el: &Element, out: &mut String) {
        let Some(src) = el.attr("src").map(str::trim).filter(|s| !s.is_empty()) else { return };
        let target = self.urls.file(src);
        if let Some(note) = target.note {
            self.note(out, note);
        }
        let alt = el.attr("alt").unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ");
        let title = el.attr("title").filter(|t| !t.trim().is_empty()).map(title_part).unwrap_or_default();
        out.push_str(&format!("![{}]({}{title})", escape(&alt, Ctx::Para), destination(&target.url)));
        out.push_str(&size(el));
    }
}

/// An image's width and height (attributes, or `width:`/`height:` in its style) as an
/// attribute list (`{ width="320" }`), so a screenshot keeps the size its author gave it.
/// Only plain numbers (pixels) and percentages are kept.
fn size(el: &Element) -> String {
    let style = el.attr("style").unwrap_or("");
    let from_style = |key: &str| {
        style.split(';').find_map(|decl| {
            let (k, v) = decl.split_once(':')?;
            (k.trim().eq_ignore_ascii_case(key)).then(|| v.trim().to_string())
        })
    };
    let mut attrs = String::new();
    for key in ["width", "height"] {
        let value = el.attr(key).map(str::to_string).or_else(|| from_style(key));
        let value = value.as_deref().map(|v| v.trim().trim_end_matches("px").trim());
        let ok = |v: &&str| {
            let digits = v.strip_suffix('%').unwrap_or(v);
            !digits.is_empty() && digits.len() <= 5 && digits.chars().all(|c| c.is_ascii_digit())
        };
        if let Some(v) = value.filter(ok) {
            attrs.push_str(&format!(" {key}=\"{v}\""));
        }
    }
    if attrs.is_empty() { attrs } else { format!("{{{attrs} }}") }
}

/// Text with HTML's white space collapsed (a no-break space counts as a space), escaped.
pub(super) fn push_text(out: &mut String, text: &str, ctx: Ctx) {
    let mut collapsed = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_whitespace() || c == '\u{a0}' {
            if !collapsed.ends_with(' ')
                && !(collapsed.is_empty() && (out.is_empty() || out.ends_with([' ', '\n'])))
            {
                collapsed.push(' ');
            }
        } else {
            collapsed.push(c);
        }
    }
    out.push_str(&escape(&collapsed, ctx));
}

fn push_space(out: &mut String) {
    if !out.is_empty() && !out.ends_with([' ', '\n']) {
        out.push(' ');
    }
}

/// Escape what Markdown (or Kiln's marks) would read as syntax in running text.
pub(super) fn escape(text: &str, ctx: Ctx) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' | '^' | '~' | '$' | '{' => true,
            '_' => !(prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric)),
            '<' => next.is_some_and(|n| n.is_ascii_alphabetic() || "/!?".contains(n)),
            '&' => next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#'),
            '=' => next == Some('='),
            '+' => next == Some('+'),
            ':' => shortcode_at(&chars[i + 1..]),
            '|' => ctx == Ctx::Cell,
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether `rest` (after a `:`) reads as an emoji shortcode's name and closing colon.
fn shortcode_at(rest: &[char]) -> bool {
    let name = rest.iter().take_while(|c| c.is_ascii_alphanumeric() || "_+-".contains(**c)).count();
    name > 0 && rest.get(name) == Some(&':')
}

/// Escape what would start a block at the start of each line: `# `, `> `, `- `, `1. `,
/// `:::`, a setext underline.
pub(super) fn escape_line_starts(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        out.push_str(&escape_line_start(line));
    }
    out
}

fn escape_line_start(line: &str) -> String {
    // Note markers are taken out later: what follows them starts the line.
    let mut marks = 0;
    while line[marks..].starts_with(super::NOTE_OPEN) {
        match line[marks..].find(super::NOTE_CLOSE) {
            Some(end) => marks += end + super::NOTE_CLOSE.len_utf8(),
            None => break,
        }
    }
    let (marks, line) = line.split_at(marks);
    format!("{marks}{}", escape_after_marks(line))
}

fn escape_after_marks(line: &str) -> String {
    let mut chars = line.chars();
    let first = chars.next();
    let second = chars.next();
    match first {
        Some('#' | '>' | ':' | '=') => format!("\\{line}"),
        Some('-' | '+') if second.is_none_or(|c| c == ' ' || c == first.unwrap_or(' ')) => {
            format!("\\{line}")
        }
        Some(d) if d.is_ascii_digit() => {
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            match line[digits..].chars().next() {
                Some(p @ ('.' | ')')) if digits <= 9 => {
                    format!("{}\\{p}{}", &line[..digits], &line[digits + 1..])
                }
                _ => line.to_string(),
            }
        }
        _ => line.to_string(),
    }
}

/// `inner` between `mark`s, its outer white space moved outside (`** a **` cannot close).
fn wrap(inner: &str, mark: &str) -> String {
    let (lead, core, trail) = split_space(inner);
    if core.is_empty() {
        return inner.to_string();
    }
    format!("{lead}{mark}{core}{mark}{trail}")
}

fn split_space(s: &str) -> (&str, &str, &str) {
    let core = s.trim_matches(' ');
    let lead = &s[..s.len() - s.trim_start_matches(' ').len()];
    let trail = &s[s.trim_end_matches(' ').len()..];
    (lead, core, trail)
}

/// All text under `node`, `<br>` as a newline (code).
pub(super) fn text_of(node: NodeRef<'_, Node>) -> String {
    let mut out = String::new();
    for d in node.descendants() {
        match d.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) if e.name() == "br" => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// A code span that holds `code` whatever backticks it has.
fn code_span(code: &str) -> String {
    let code = code.replace(['\n', '\u{a0}'], " ");
    if code.trim().is_empty() {
        return String::new();
    }
    let longest = longest_run(&code, '`');
    let ticks = "`".repeat(longest + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') { " " } else { "" };
    format!("{ticks}{pad}{code}{pad}{ticks}")
}

/// The longest run of `c` in `s`.
pub(super) fn longest_run(s: &str, c: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for x in s.chars() {
        run = if x == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// A link destination: `<…>` when it has spaces or brackets.
fn destination(url: &str) -> String {
    if url.contains([' ', '(', ')', '<', '>']) || url.is_empty() {
        format!("<{}>", url.replace('<', "%3C").replace('>', "%3E"))
    } else {
        url.to_string()
    }
}

fn title_part(title: &str) -> String {
    let one_line = title.split_whitespace().collect::<Vec<_>>().join(" ");
    format!(" \"{}\"", one_line.replace('\\', "\\\\").replace('"', "\\\""))
}
