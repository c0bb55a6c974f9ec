//! Block HTML as Markdown blocks: paragraphs, headings, lists, code, quotes, callouts (as
//! `:::` admonitions), rules; tables in `table.rs`, anything else as an HTML block.

use std::collections::HashSet;

use ego_tree::NodeRef;
use scraper::node::Element;
use scraper::{Html, Node};

use super::Urls;
use super::inline::{Ctx, escape_line_starts, longest_run, text_of};

/// Elements that make blocks. Anything else is inline (and an unknown block-looking element
/// found among them is kept as HTML by [`RAW_BLOCKS`]).
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "pre",
    "blockquote",
    "table",
    "hr",
    "figure",
    "figcaption",
    "iframe",
    "video",
    "audio",
    "object",
    "embed",
    "dl",
    "details",
    "form",
    "center",
    "address",
    "fieldset",
    "canvas",
    "svg",
    "picture",
];

/// Block elements Markdown has no form for: written as HTML.
const RAW_BLOCKS: &[&str] = &[
    "iframe", "video", "audio", "object", "embed", "dl", "details", "form", "fieldset", "canvas", "svg",
    "picture",
];

/// Blocks that cannot be flattened into one line of text (nor into one GFM table cell).
const MULTILINE: &[&str] = &["table", "ul", "ol", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"];

/// Whether an element is a block that needs lines of its own: a list, code, a table, a
/// heading, a quote, or anything kept as HTML.
pub(super) fn needs_lines(name: &str) -> bool {
    MULTILINE.contains(&name) || RAW_BLOCKS.contains(&name)
}

/// Of those, the ones that are content as they are (a video needs no human look).
const QUIET_RAW: &[&str] = &["iframe", "video", "audio", "picture"];

/// Whether an element name makes a block.
pub(super) fn is_block(name: &str) -> bool {
    BLOCKS.contains(&name)
}

/// The ids `#fragment` links in the body point at: only those headings and anchors keep
/// their id (the helpdesks give every heading a generated one).
pub(super) fn referenced_fragments(doc: &Html) -> HashSet<String> {
    doc.tree
        .values()
        .filter_map(|n| n.as_element())
        .filter_map(|e| e.attr("href")?.trim().strip_prefix('#').map(str::to_string))
        .collect()
}

/// The walk's state: where URLs go, which ids are linked, the notes so far.
pub(super) struct Converter<'u> {
    pub(super) urls: &'u dyn Urls,
    pub(super) fragments: HashSet<String>,
    pub(super) notes: Vec<String>,
    /// Depth inside `<strong>`/`<em>`, so nested ones are not marked twice.
    pub(super) strong: usize,
    pub(super) em: usize,
}

impl<'u> Converter<'u> {
    pub(super) fn new(urls: &'u dyn Urls, fragments: HashSet<String>) -> Converter<'u> {
        Converter { urls, fragments, notes: Vec::new(), strong: 0, em: 0 }
    }

    /// Mark a place in `out` with a note for the report.
    pub(super) fn note(&mut self, out: &mut String, message: String) {
        out.push(super::NOTE_OPEN);
        out.push_str(&self.notes.len().to_string());
        out.push(super::NOTE_CLOSE);
        self.notes.push(message);
    }

    /// The Markdown blocks of `node`'s children: runs of inline content become paragraphs.
    pub(super) fn blocks(&mut self, node: NodeRef<'_, Node>) -> Vec<String> {
        self.blocks_but(node, None)
    }

    /// [`Self::blocks`] leaving out one child (a callout's title).
    fn blocks_but(&mut self, node: NodeRef<'_, Node>, skip: Option<ego_tree::NodeId>) -> Vec<String> {
        let mut out = Vec::new();
        let mut run = String::new();
        for child in node.children().filter(|c| Some(c.id()) != skip) {
            let element = child.value().as_element();
            let block = element.is_some_and(|e| is_block(e.name()));
            if block || (element.is_some() && has_block_inside(child)) {
                self.flush(&mut run, &mut out);
                if block {
                    self.block(child, element.expect("an element"), &mut out);
                } else {
                    out.extend(self.blocks(child));
                }
            } else {
                self.inline(child, Ctx::Para, &mut run);
            }
        }
        self.flush(&mut run, &mut out);
        out
    }

    /// A run of inline Markdown as a paragraph.
    fn flush(&mut self, run: &mut String, out: &mut Vec<String>) {
        let text = std::mem::take(run);
        if let Some(p) = paragraph(&text) {
            out.push(p);
        }
    }

    fn block(&mut self, node: NodeRef<'_, Node>, el: &Element, out: &mut Vec<String>) {
        let name = el.name();
        if let Some(kind) = callout_kind(el) {
            out.extend(self.admonition(kind, node));
            return;
        }
        match name {
            "p" => match label_callout(node) {
                Some(kind) => out.extend(self.admonition(kind, node)),
                None => {
                    let text = self.inline_children(node, Ctx::Para);
                    out.extend(paragraph(&text));
                }
            },
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => out.extend(self.heading(node, el)),
            "ul" | "ol" => out.extend(self.list(node, el)),
            "pre" => out.push(code_block(node, el)),
            "blockquote" => match label_callout(node) {
                Some(kind) => out.extend(self.admonition(kind, node)),
                None => out.extend(quote(&self.blocks(node).join("\n\n"))),
            },
            "table" => out.push(self.table(node)),
            "hr" => out.push("---".into()),
            "figcaption" => {
                let text = self.inline_children(node, Ctx::Para);
                out.extend(paragraph(&text).map(|t| format!("*{t}*")));
            }
            "li" => out.extend(self.list_item_alone(node)),
            name if RAW_BLOCKS.contains(&name) => {
                let mut html = String::new();
                if !QUIET_RAW.contains(&name) {
                    self.note(&mut html, format!("<{name}> kept as HTML"));
                }
                html.push_str(&self.raw(node));
                out.push(html);
            }
            _ => out.extend(self.blocks(node)),
        }
    }

    fn heading(&mut self, node: NodeRef<'_, Node>, el: &Element) -> Option<String> {
        let level = el.name()[1..].parse::<usize>().unwrap_or(2);
        let mut text = self.inline_children(node, Ctx::Heading).trim().to_string();
        // `<h2><strong>Cause</strong></h2>`: the heading is bold already.
        if let Some(inner) = text.strip_prefix("**").and_then(|t| t.strip_suffix("**"))
            && !inner.contains("**")
        {
            text = inner.to_string();
        }
        if text.is_empty() {
            return None;
        }
        let id = el.attr("id").filter(|id| self.fragments.contains(*id) && is_plain_id(id));
        let id = id.map(|id| format!(" {{#{id}}}")).unwrap_or_default();
        Some(format!("{} {}{id}", "#".repeat(level), text.replace('\n', " ")))
    }

    fn list(&mut self, node: NodeRef<'_, Node>, el: &Element) -> Option<String> {
        let ordered = el.name() == "ol";
        let start: u64 = el.attr("start").and_then(|s| s.trim().parse().ok()).unwrap_or(1);
        let items: Vec<Vec<String>> = node
            .children()
            .filter(|c| c.value().as_element().is_some_and(|e| e.name() == "li"))
            .map(|li| self.blocks(li))
            .collect();
        if items.is_empty() {
            return None;
        }
        let loose = items.iter().any(|blocks| blocks.iter().filter(|b| !is_list(b)).count() > 1);
        let mut out = String::new();
        for (n, blocks) in items.iter().enumerate() {
            let marker = if ordered { format!("{}. ", start + n as u64) } else { "- ".to_string() };
            if n > 0 {
                out.push_str(if loose { "\n\n" } else { "\n" });
            }
            out.push_str(&item(&marker, blocks));
        }
        Some(out)
    }

    /// An `<li>` outside any list: its content.
    fn list_item_alone(&mut self, node: NodeRef<'_, Node>) -> Option<String> {
        let blocks = self.blocks(node);
        (!blocks.is_empty()).then(|| item("- ", &blocks))
    }

    /// A callout as a `:::kind` admonition holding its converted content; a title element
    /// of its own (`<p class="admonition-title">`, `<h4>` first) becomes the admonition's
    /// title, or goes when it only names the kind.
    fn admonition(&mut self, kind: &'static str, node: NodeRef<'_, Node>) -> Option<String> {
        let title_node = node.children().find(|c| c.value().is_element()).filter(|c| is_title(*c));
        let body = self.blocks_but(node, title_node.map(|t| t.id())).join("\n\n");
        let body = strip_label(&body);
        // `<blockquote><p><b>Warning:</b> …</p></blockquote>`: the paragraph made the
        // admonition already; the quote around it adds nothing.
        if title_node.is_none()
            && let Some(inner) =
                body.strip_prefix(&format!(":::{kind}\n")).and_then(|b| b.strip_suffix("\n:::"))
            && !inner.lines().any(|l| l.starts_with(":::"))
        {
            return Some(body);
        }
        let title = title_node
            .map(|t| visible_text(t).split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|t| !t.is_empty() && kind_word(t.trim_end_matches(':')) != Some(kind))
            .map(|t| format!(" {}", escape_title(&t)))
            .unwrap_or_default();
        let fence = ":".repeat(3.max(longest_run(&body, ':').min(8) + 1).min(6));
        let fence = if body.lines().any(|l| l.starts_with(":::")) { fence } else { ":::".to_string() };
        Some(format!("{fence}{kind}{title}\n{body}\n{fence}"))
    }
}

/// Whether a callout's first element is its title: a heading, or an element whose class
/// says so (`admonition-title`, `callout__title`, `alert-heading`).
fn is_title(node: NodeRef<'_, Node>) -> bool {
    let Some(el) = node.value().as_element() else { return false };
    matches!(el.name(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
        || el.classes().any(|c| {
            c.split(['-', '_'])
                .any(|w| matches!(w.to_ascii_lowercase().as_str(), "title" | "heading" | "header"))
        })
}

/// The text a reader sees: what is only for screen readers (`visually-hidden`, `sr-only`,
/// `screen-reader-text`: in a title, the kind's name again) left out.
fn visible_text(node: NodeRef<'_, Node>) -> String {
    let hidden = |n: NodeRef<'_, Node>| {
        n.ancestors().chain(std::iter::once(n)).any(|a| {
            a.value().as_element().is_some_and(|e| {
                e.classes().any(|c| matches!(c, "visually-hidden" | "sr-only" | "screen-reader-text"))
            })
        })
    };
    node.descendants()
        .filter(|d| !hidden(*d))
        .filter_map(|d| d.value().as_text().map(|t| t.to_string()))
        .collect()
}

/// An admonition title as `:::kind Title` reads it: inline Markdown on one line, not opening
/// with `[` or `{` (other title syntaxes), no quote at either end (they are trimmed).
fn escape_title(title: &str) -> String {
    let t = super::inline::escape(title, Ctx::Para);
    let t = match t.strip_prefix('"') {
        Some(rest) => format!("&quot;{rest}"),
        None => t,
    };
    match t.strip_suffix('"') {
        Some(rest) => format!("{rest}&quot;"),
        None => t,
    }
}

/// Whether a Markdown block is a list (joined to the paragraph before it without a blank
/// line, so `<li>Text<ul>…</ul></li>` stays a tight item).
fn is_list(block: &str) -> bool {
    let first = block.split('\n').next().unwrap_or("");
    first.starts_with("- ")
        || first == "-"
        || first.split_once(". ").is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// A list item: the marker, then its blocks indented under it.
fn item(marker: &str, blocks: &[String]) -> String {
    let indent = " ".repeat(marker.len());
    let mut body = String::new();
    for (n, block) in blocks.iter().enumerate() {
        if n > 0 {
            body.push_str(if is_list(block) { "\n" } else { "\n\n" });
        }
        body.push_str(block);
    }
    // An admonition opens on a line of its own: the marker goes alone on the line above.
    if body.starts_with(":::") {
        body.insert(0, '\n');
    }
    let mut out = String::new();
    for (n, line) in body.split('\n').enumerate() {
        if n == 0 {
            out.push_str(marker.trim_end());
            if !line.is_empty() {
                out.push(' ');
                out.push_str(line);
            }
        } else {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(&indent);
                out.push_str(line);
            }
        }
    }
    out
}

/// Inline Markdown as a paragraph: trimmed, breaks at its ends dropped, a blank line where
/// two breaks followed each other, line starts escaped. `None` when there is no text.
fn paragraph(inline: &str) -> Option<String> {
    let mut lines: Vec<&str> = inline.split('\n').map(|l| l.trim_matches(' ')).collect();
    // `\` alone on a line is a second `<br>` in a row: a paragraph break.
    for line in lines.iter_mut() {
        if *line == "\\" {
            *line = "";
        }
    }
    let text = lines.join("\n");
    let text = text.trim_matches(|c: char| c == ' ' || c == '\n');
    let text = text.strip_suffix('\\').unwrap_or(text).trim_end();
    let text = text.replace("\\\n\n", "\n\n");
    let text = text.replace("\n\n\n", "\n\n");
    if text.is_empty() {
        return None;
    }
    Some(escape_line_starts(&text))
}

/// Blocks as a block quote.
fn quote(body: &str) -> Option<String> {
    if body.trim().is_empty() {
        return None;
    }
    Some(
        body.split('\n')
            .map(|l| if l.is_empty() { ">".to_string() } else { format!("> {l}") })
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// A fenced code block with the language the HTML names (`class="language-x"`, `lang-x`,
/// `brush: x`, Freshdesk's `rel="X"`, `data-lang`), on the `<pre>` or its `<code>`.
fn code_block(node: NodeRef<'_, Node>, el: &Element) -> String {
    let code_el =
        node.children().find_map(|c| c.value().as_element().filter(|e| e.name() == "code").cloned());
    let language = language_of(el).or_else(|| code_el.as_ref().and_then(language_of)).unwrap_or_default();
    let text = text_of(node).replace('\u{a0}', " ");
    let text = text.trim_end_matches('\n').trim_start_matches('\n');
    let fence = "`".repeat(3.max(longest_run(text, '`') + 1));
    format!("{fence}{language}\n{text}\n{fence}")
}

fn language_of(el: &Element) -> Option<String> {
    let from_class = el.classes().find_map(|c| c.strip_prefix("language-").or(c.strip_prefix("lang-")));
    let from_brush = el
        .attr("class")
        .and_then(|c| c.split("brush:").nth(1))
        .map(|r| r.trim().split([';', ' ']).next().unwrap_or(""));
    let raw =
        from_class.or(from_brush).or(el.attr("rel")).or(el.attr("data-lang")).or(el.attr("data-language"))?;
    let lang: String = raw
        .trim()
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "+#-_.".contains(*c))
        .collect();
    (!lang.is_empty() && lang != "plain" && lang != "none").then_some(lang)
}

/// The admonition kind a callout box's classes name: `callout callout--warning`,
/// `alert alert-info`, `note`, `fd-callout-tip`, `admonition danger`.
fn callout_kind(el: &Element) -> Option<&'static str> {
    if !matches!(el.name(), "div" | "aside" | "section" | "blockquote" | "p") {
        return None;
    }
    let tokens: Vec<String> = el.classes().map(str::to_ascii_lowercase).collect();
    let is_box = tokens.iter().any(|t| {
        let words: Vec<&str> = t.split(['-', '_']).filter(|w| !w.is_empty()).collect();
        words.iter().any(|w| {
            matches!(
                *w,
                "callout"
                    | "alert"
                    | "admonition"
                    | "notice"
                    | "note"
                    | "tip"
                    | "warning"
                    | "info"
                    | "caution"
                    | "danger"
            )
        })
    });
    if !is_box {
        return None;
    }
    let words = tokens.iter().flat_map(|t| t.split(['-', '_']).map(str::to_string).collect::<Vec<_>>());
    Some(words.filter_map(|w| kind_word(&w)).next().unwrap_or("note"))
}

/// A word naming an admonition kind.
fn kind_word(word: &str) -> Option<&'static str> {
    Some(match word.trim_end_matches(':').to_ascii_lowercase().as_str() {
        "note" | "notice" => "note",
        "info" | "information" | "primary" => "info",
        "tip" | "hint" | "success" => "tip",
        "important" => "important",
        "warning" | "warn" | "attention" => "warning",
        "caution" => "caution",
        "danger" | "error" | "critical" => "danger",
        _ => return None,
    })
}

/// A paragraph or quote that starts with a bold label (`<strong>Note:</strong> …`): the kind
/// the label names.
fn label_callout(node: NodeRef<'_, Node>) -> Option<&'static str> {
    let mut first = node.first_child();
    while let Some(n) = first {
        match n.value() {
            Node::Text(t) if t.trim().is_empty() => first = n.next_sibling(),
            Node::Element(e) if e.name() == "p" => first = n.first_child(),
            Node::Element(e) if matches!(e.name(), "strong" | "b") => {
                let label = text_of(n);
                let label = label.trim().trim_end_matches(':').trim();
                let after = n
                    .next_sibling()
                    .and_then(|s| s.value().as_text().map(|t| t.to_string()))
                    .unwrap_or_default();
                let colon = text_of(n).trim_end().ends_with(':') || after.trim_start().starts_with(':');
                return colon.then(|| kind_word(label)).flatten();
            }
            _ => return None,
        }
    }
    None
}

/// The admonition body without the bold label it was recognised by.
fn strip_label(body: &str) -> String {
    let Some(rest) = body.strip_prefix("**") else { return body.to_string() };
    let Some(end) = rest.find("**") else { return body.to_string() };
    let label = rest[..end].trim().trim_end_matches(':');
    if kind_word(label).is_none() {
        return body.to_string();
    }
    let after = rest[end + 2..].trim_start_matches(':').trim_start_matches(' ');
    after.trim_start_matches('\n').to_string()
}

/// Whether the element has a block element inside (`<p><span><iframe>`): then it is read as
/// a container of blocks, so the block is not flattened into a line.
fn has_block_inside(node: NodeRef<'_, Node>) -> bool {
    node.descendants().skip(1).any(|d| {
        d.value().as_element().is_some_and(|e| needs_lines(e.name()) || matches!(e.name(), "p" | "div"))
    })
}

/// An id that can be written in a `{#id}` attribute list.
fn is_plain_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || "-_:.".contains(c))
}
