//! MDX as Docusaurus and Starlight pages use it, read into Markdown and HTML before the
//! block pass: `import`/`export` lines and `{/* … */}` comments are dropped, and components
//! become the theme's own elements (tabs, asides, steps, cards, link cards, buttons,
//! badges, file trees, code). Any other component renders its children, with one warning
//! per component name for the site. Every output line keeps the file line it came from.
//!
//! Component tags are read where a block starts (a line that begins with `<Name`, the tag
//! possibly spanning lines) and, for the inline ones (`Badge`, `Icon`, `LinkButton`),
//! anywhere in a line. Content inside a component loses the indentation its first line
//! has, as MDX reads it (MDX has no indented code blocks).

use std::borrow::Cow;

use super::admonitions::{self, Issue, Kind};
use super::jsx::{Tag, closing_tag, gather_tag, parse_tag};
use super::openers::code_fence_open;
use crate::base::html::escape;

/// Where `<DocCardList />` stood: the event stage puts the folder's listing there (it asks
/// the site model, which this stage does not).
pub const FOLDER_LISTING: &str = "<div class=\"kiln-folder-listing-here\"></div>";

/// A line of output and the 1-based file line it comes from.
pub type Line<'a> = (Cow<'a, str>, usize);

/// The body's lines with MDX read, and what to report.
pub fn lines<'a>(body: &'a str, first_line: usize, issues: &mut Vec<Issue>) -> Vec<Line<'a>> {
    let mut r = Reader { out: Vec::new(), stack: Vec::new(), fence: None, mdx_fence: None, issues };
    let src: Vec<&str> = body.lines().collect();
    let mut i = 0;
    while i < src.len() {
        let at = first_line + i;
        i += r.line(&src, i, at);
    }
    r.out
}

/// An open component: what closes it and how much indentation its content loses.
struct Open {
    name: String,
    close: Vec<String>,
    strip: Option<usize>,
    /// Docusaurus `<CodeBlock>`: its children are code, read as written.
    code: bool,
}

/// Components that sit inside a line of text (read by [`inline_components`]).
const INLINE: &[&str] = &["Badge", "Icon", "LinkButton"];

struct Reader<'a, 'i> {
    out: Vec<Line<'a>>,
    stack: Vec<Open>,
    fence: Option<(char, usize)>,
    /// The fence of the ```mdx-code-block the reader is in.
    mdx_fence: Option<(char, usize)>,
    issues: &'i mut Vec<Issue>,
}

impl<'a> Reader<'a, '_> {
    /// Read the line at `i` (and the lines it continues over); return how many were read.
    fn line(&mut self, src: &[&'a str], i: usize, at: usize) -> usize {
        let raw = self.dedent(src[i]);
        let trimmed = raw.trim_start();
        if let Some((ch, len)) = self.fence {
            let run = trimmed.chars().take_while(|&c| c == ch).count();
            if run >= len && trimmed[run..].trim().is_empty() {
                self.fence = None;
            }
            self.out.push((raw, at));
            return 1;
        }
        if self.stack.last().is_some_and(|o| o.code) {
            self.code_line(&raw, at);
            return 1;
        }
        if let Some(fence) = code_fence_open(trimmed) {
            let info = trimmed[fence.1..].trim();
            // Docusaurus's ```mdx-code-block holds MDX to render, not code: its content is
            // read here like any other (the block pass unwraps the fence).
            if info == "mdx-code-block" {
                self.mdx_fence = Some(fence);
            } else if self.mdx_fence.is_some_and(|(c, n)| c == fence.0 && fence.1 >= n && info.is_empty()) {
                self.mdx_fence = None;
            } else {
                self.fence = Some(fence);
            }
            self.out.push((raw, at));
            return 1;
        }
        if let Some(n) = statement_lines(src, i) {
            self.blank(at, n);
            return n;
        }
        if let Some(n) = comment_lines(src, i) {
            self.blank(at, n);
            return n;
        }
        if let Some(name) = closing_tag(trimmed) {
            self.close(name, at);
            return 1;
        }
        if trimmed.starts_with('<') && trimmed[1..].starts_with(|c: char| c.is_ascii_uppercase()) {
            let (tag_text, n) = gather_tag(src, i);
            if let Some(tag) = parse_tag(&tag_text).filter(|t| !INLINE.contains(&t.name.as_str())) {
                let rest = tag_text[tag.end..].trim().to_string();
                let next = src[i + n..].iter().find(|l| !l.trim().is_empty()).copied();
                self.open(tag, at, next);
                if !rest.is_empty() {
                    self.text(Cow::Owned(rest), at);
                }
                return n;
            }
        }
        self.text(raw, at);
        1
    }

    /// A line of text, with inline components replaced; a closing tag at its end
    /// (`<TabItem …>Text</TabItem>`) closes its component after it.
    fn text(&mut self, line: Cow<'a, str>, at: usize) {
        if !line.contains('<') {
            self.out.push((line, at));
            return;
        }
        let body = line.trim_end();
        let closing =
            body.rfind("</").map(|k| (k, &body[k..])).and_then(|(k, tail)| Some((k, closing_tag(tail)?)));
        if let Some((k, name)) = closing.filter(|(_, name)| self.stack.iter().any(|o| o.name == *name)) {
            let (name, before) = (name.to_string(), body[..k].to_string());
            if !before.trim().is_empty() {
                self.out.push((Cow::Owned(inline_components(&before, at, self.issues)), at));
            }
            self.close(&name, at);
            return;
        }
        let replaced = inline_components(&line, at, self.issues);
        self.out.push((Cow::Owned(replaced), at));
    }

    /// A line inside `<CodeBlock>`: code, but for the `{`…`}` around it and the closing tag.
    fn code_line(&mut self, raw: &str, at: usize) {
        let t = raw.trim();
        if closing_tag(t) == Some("CodeBlock") {
            self.close("CodeBlock", at);
            return;
        }
        let line = raw.strip_prefix("{`").unwrap_or(raw);
        let line = line.trim_end().strip_suffix("`}").unwrap_or(line);
        self.out.push((Cow::Owned(line.to_string()), at));
    }

    /// The line without the indentation its component's content loses.
    fn dedent(&self, line: &'a str) -> Cow<'a, str> {
        let Some(strip) = self.stack.last().and_then(|o| o.strip) else { return Cow::Borrowed(line) };
        Cow::Borrowed(&line[lead(line).min(strip)..])
    }

    fn blank(&mut self, at: usize, n: usize) {
        for k in 0..n {
            self.out.push((Cow::Borrowed(""), at + k));
        }
    }

    fn html(&mut self, html: String, at: usize) {
        self.out.push((Cow::Borrowed(""), at));
        self.out.push((Cow::Owned(html), at));
        self.out.push((Cow::Borrowed(""), at));
    }

    /// An opening (or self-closing) block component. `next` is the first line of its
    /// content, whose indentation the content loses.
    fn open(&mut self, tag: Tag, at: usize, next: Option<&str>) {
        let (open, close) = block_html(&tag, at, self.issues);
        if tag.name == "CodeBlock" && !tag.self_closing {
            // The fence opens the code: no blank line may follow it.
            self.out.push((Cow::Borrowed(""), at));
            self.out.push((Cow::Owned(open), at));
        } else if !open.is_empty() {
            self.html(open, at);
        }
        if tag.self_closing {
            if !close.is_empty() {
                self.html(close.join("\n"), at);
            }
            return;
        }
        // The content's first line says how far it is indented (from the file's margin).
        let strip = next.map(lead).filter(|&n| n > 0);
        let strip = strip.or_else(|| self.stack.last().and_then(|o| o.strip));
        let code = tag.name == "CodeBlock";
        self.stack.push(Open { name: tag.name, close, strip, code });
    }

    fn close(&mut self, name: &str, at: usize) {
        let Some(pos) = self.stack.iter().rposition(|o| o.name == name) else {
            self.out.push((Cow::Borrowed(""), at));
            return;
        };
        // Components left open inside it close with it.
        for open in self.stack.drain(pos..).rev().collect::<Vec<_>>() {
            if open.code {
                self.out.push((Cow::Owned(open.close.join("\n")), at));
                self.out.push((Cow::Borrowed(""), at));
            } else if !open.close.is_empty() {
                self.html(open.close.join("\n"), at);
            }
        }
    }
}

/// The bytes of a line's indentation (spaces and tabs: prettier indents MDX with either).
fn lead(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// `import … from '…'` and `export …` statements (over as many lines as their braces
/// take): how many lines they span.
fn statement_lines(src: &[&str], i: usize) -> Option<usize> {
    let t = src[i].trim_end();
    let quoted = |s: &str| s.starts_with(['\'', '"']);
    let import = t.strip_prefix("import ").is_some_and(|r| {
        r == "{" || quoted(r) || r.contains(" from '") || r.contains(" from \"") || r.ends_with(" from")
    });
    let export = ["export const ", "export let ", "export default ", "export function ", "export {"]
        .iter()
        .any(|p| t.starts_with(p));
    if !import && !export {
        return None;
    }
    let mut depth: i64 = 0;
    for (k, line) in src[i..].iter().enumerate() {
        depth += line.matches(['{', '(', '[']).count() as i64 - line.matches(['}', ')', ']']).count() as i64;
        if depth <= 0 {
            return Some(k + 1);
        }
    }
    Some(src.len() - i)
}

/// `{/* … */}` comments alone on their lines: how many lines they span.
fn comment_lines(src: &[&str], i: usize) -> Option<usize> {
    let t = src[i].trim();
    if !t.starts_with("{/*") {
        return None;
    }
    src[i..].iter().position(|l| l.trim_end().ends_with("*/}")).map(|k| k + 1)
}

/// The HTML a block component opens with, and the lines that close it.
fn block_html(tag: &Tag, at: usize, issues: &mut Vec<Issue>) -> (String, Vec<String>) {
    let attr = |k: &str| tag.text(k).map(escape);
    let div = |class: &str| (format!("<div class=\"{class}\">"), vec!["</div>".to_string()]);
    match tag.name.as_str() {
        "Tabs" => {
            let group = tag.text("groupId").or_else(|| tag.text("syncKey"));
            (super::blocks::tabs_open(group), vec!["</div>".into()])
        }
        "TabItem" => {
            let label = tag.text("label").or_else(|| tag.text("value")).unwrap_or("Tab");
            (super::blocks::tab_panel_open(label), vec!["</div>".into()])
        }
        "Aside" | "Admonition" => {
            let kind_name = tag.text("type").unwrap_or("note");
            let kind = admonitions::kind_of(kind_name).unwrap_or(Kind::Aside("note"));
            let title = tag.text("title").map_or_else(|| admonitions::default_title(kind_name), String::from);
            let (html, text) = admonitions::render_title(&title);
            (
                admonitions::open_html(kind, kind_name, &html, &text, false),
                vec![admonitions::close_html(kind).into()],
            )
        }
        "Steps" => div("kiln-steps"),
        "CardGrid" => div("kiln-card-grid"),
        "FileTree" => div("kiln-file-tree"),
        "Card" => {
            let title = attr("title").unwrap_or_default();
            (
                format!("<div class=\"kiln-card\">\n<p class=\"kiln-card-title\">{title}</p>"),
                vec!["</div>".into()],
            )
        }
        "LinkCard" => {
            let (title, href) = (attr("title").unwrap_or_default(), attr("href").unwrap_or_default());
            let desc = attr("description")
                .map_or(String::new(), |d| format!("<span class=\"kiln-link-card-description\">{d}</span>"));
            let html = format!(
                "<a class=\"kiln-link-card\" href=\"{href}\"><span class=\"kiln-link-card-title\">{title}</span>{desc}</a>"
            );
            (html, vec![])
        }
        "CodeBlock" | "Code" => code_html(tag, at, issues),
        "DocCardList" => (FOLDER_LISTING.to_string(), vec![]),
        "DocCardLink" => (String::new(), vec![]),
        // React's and Astro's grouping element, and decoration: nothing of their own.
        "Fragment" | "Icon" => (String::new(), vec![]),
        "Image" | "Picture" => {
            let (src, alt) = (attr("src").unwrap_or_default(), attr("alt").unwrap_or_default());
            (format!("<img src=\"{src}\" alt=\"{alt}\" loading=\"lazy\">"), vec![])
        }
        _ => {
            issues.push(unknown(&tag.name, at));
            (String::new(), vec![])
        }
    }
}

/// Docusaurus `<CodeBlock language title>` (its children are the code) and Starlight
/// `<Code code lang title />`, as fenced code.
fn code_html(tag: &Tag, at: usize, issues: &mut Vec<Issue>) -> (String, Vec<String>) {
    let lang = tag.text("language").or_else(|| tag.text("lang")).unwrap_or("");
    let title = tag
        .text("title")
        .map(|t| format!("<p class=\"code-title\">{}</p>\n\n", escape(t)))
        .unwrap_or_default();
    if tag.name == "CodeBlock" {
        return (format!("{title}```{lang}"), vec!["```".into()]);
    }
    match tag.text("code") {
        Some(code) => {
            let code = code.replace("\\n", "\n").replace("\\t", "\t");
            (format!("{title}```{lang}\n{code}\n```"), vec![])
        }
        None => {
            issues.push(Issue {
                is_error: false,
                line: at,
                once: true,
                message: "`<Code code={…}>` takes its code from a JavaScript expression, which Kiln does not run; left out".into(),
            });
            (String::new(), vec![])
        }
    }
}

fn unknown(name: &str, at: usize) -> Issue {
    Issue {
        is_error: false,
        line: at,
        once: true,
        message: format!("component `<{name}>` is not one Kiln knows; its content is shown without it"),
    }
}

/// Inline components in a line of text, outside code spans: `Badge`, `Icon` and
/// `LinkButton` become the theme's elements; other self-closing ones are dropped, with the
/// unknown warning. Anything else (`Vec<T>` in prose) is left as written.
fn inline_components(line: &str, at: usize, issues: &mut Vec<Issue>) -> String {
    let mut out = String::with_capacity(line.len());
    for (k, part) in line.split('`').enumerate() {
        if k > 0 {
            out.push('`');
        }
        if k % 2 == 1 {
            out.push_str(part);
        } else {
            out.push_str(&inline_part(part, at, issues));
        }
    }
    out
}

fn inline_part(line: &str, at: usize, issues: &mut Vec<Issue>) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let here = &rest[start..];
        let Some(tag) =
            here[1..].starts_with(|c: char| c.is_ascii_uppercase()).then(|| parse_tag(here)).flatten()
        else {
            out.push('<');
            rest = &here[1..];
            continue;
        };
        let mut after = &here[tag.end..];
        let attr = |k: &str| tag.text(k).map(escape).unwrap_or_default();
        match tag.name.as_str() {
            "Badge" => {
                let variant =
                    tag.text("variant").map_or(String::new(), |v| format!(" kiln-badge-{}", escape(v)));
                out.push_str(&format!("<span class=\"kiln-badge{variant}\">{}</span>", attr("text")));
            }
            "Icon" => {}
            "LinkButton" if !tag.self_closing => {
                let close = after.find("</LinkButton>").unwrap_or(after.len());
                let variant =
                    tag.text("variant").map_or(String::new(), |v| format!(" kiln-button-{}", escape(v)));
                out.push_str(&format!(
                    "<a class=\"kiln-button{variant}\" href=\"{}\">{}</a>",
                    attr("href"),
                    &after[..close]
                ));
                after = after.get(close + "</LinkButton>".len()..).unwrap_or("");
            }
            _ if tag.self_closing => issues.push(unknown(&tag.name, at)),
            _ => {
                out.push('<');
                rest = &here[1..];
                continue;
            }
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str) -> (String, Vec<Issue>) {
        let mut issues = Vec::new();
        let out: Vec<String> = lines(body, 1, &mut issues).into_iter().map(|(l, _)| l.into_owned()).collect();
        (out.join("\n"), issues)
    }

    #[test]
    fn imports_exports_and_comments_are_dropped_keeping_lines() {
        let body = "import Tabs from '@theme/Tabs';\nimport {\n  Aside,\n  Card,\n} from '@astrojs/starlight/components';\nexport const meta = {\n  a: 1,\n};\n{/* a comment\n   over lines */}\nText\n";
        let mut issues = Vec::new();
        let out = lines(body, 1, &mut issues);
        let text: Vec<&str> = out.iter().map(|(l, _)| l.as_ref()).collect();
        assert_eq!(text.iter().filter(|l| !l.is_empty()).collect::<Vec<_>>(), [&"Text"]);
        assert_eq!(out.last().unwrap().1, 11, "Text keeps its line");
    }

    #[test]
    fn code_blocks_are_left_alone() {
        let (out, _) = read("```js\nimport x from 'y';\n<Tabs>\n```\n");
        assert_eq!(out, "```js\nimport x from 'y';\n<Tabs>\n```");
    }

    #[test]
    fn mdx_code_blocks_are_read_as_mdx() {
        let (out, _) = read(
            "```mdx-code-block\n<Tabs>\n<TabItem label=\"A\">a</TabItem>\n</Tabs>\n```\n\n```js\n<Tabs>\n```\n",
        );
        assert!(out.starts_with("```mdx-code-block\n") && out.contains("kiln-tab-panel"), "{out}");
        assert!(out.ends_with("```js\n<Tabs>\n```"), "the next fence is code again: {out}");
    }

    #[test]
    fn components_become_the_themes_elements() {
        let (out, issues) = read(
            "<Tabs syncKey=\"pm\">\n  <TabItem label=\"npm\">\n    ```sh\n    npm i\n    ```\n  </TabItem>\n</Tabs>\n\n<Aside type=\"caution\" title=\"Heads up\">\n  Careful.\n</Aside>\n\n<LinkCard\n  title=\"Start\"\n  href=\"/start/\"\n/>\n\nA <Badge text=\"New\" variant=\"tip\" /> thing <Icon name=\"x\" />.\n\n<Mystery a={1}>\nkept\n</Mystery>\n",
        );
        assert!(out.contains("<div class=\"kiln-tabs\" data-group=\"pm\">"), "{out}");
        assert!(out.contains("<div class=\"kiln-tab-panel\" data-label=\"npm\">"), "{out}");
        assert!(out.contains("\n```sh\nnpm i\n```\n"), "content loses its indentation: {out}");
        assert!(out.contains("<aside class=\"admonition admonition-caution\""), "{out}");
        assert!(out.contains("\nCareful.\n"), "{out}");
        assert!(out.contains("<a class=\"kiln-link-card\" href=\"/start/\"><span class=\"kiln-link-card-title\">Start</span></a>"), "{out}");
        assert!(out.contains("A <span class=\"kiln-badge kiln-badge-tip\">New</span> thing ."), "{out}");
        assert!(out.ends_with("\nkept") && !out.contains("Mystery"), "{out}");
        assert_eq!(issues.len(), 1);
        assert!(issues[0].once && issues[0].message.contains("`<Mystery>`"));
    }
}
