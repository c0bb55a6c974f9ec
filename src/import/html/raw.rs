//! Elements kept as HTML blocks, written again from the parsed tree: every attribute value
//! and text escaped, links and files rewritten as in Markdown, scripts and event handlers
//! left out, and no blank line inside (one would end the HTML block early).

use ego_tree::NodeRef;
use scraper::Node;

use super::blocks::Converter;
use crate::base::html::escape;

/// Elements with no closing tag.
const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

/// Elements never written: what they run is not content.
const DROPPED: &[&str] = &["script", "style", "noscript", "template", "link", "meta", "base"];

impl Converter<'_> {
    /// `node` as an HTML block: its opening tag alone on the first line (CommonMark then reads
    /// the lines as HTML whatever the tag), the closing tag on the last.
    pub(super) fn raw(&mut self, node: NodeRef<'_, Node>) -> String {
        let Some(el) = node.value().as_element() else { return String::new() };
        let mut inner = String::new();
        for child in node.children() {
            self.raw_node(child, &mut inner, false);
        }
        let open = self.open_tag(el);
        if VOID.contains(&el.name()) {
            return open;
        }
        let inner = inner.trim();
        let name = el.name();
        if inner.is_empty() { format!("{open}\n</{name}>") } else { format!("{open}\n{inner}\n</{name}>") }
    }

    fn raw_node(&mut self, node: NodeRef<'_, Node>, out: &mut String, in_pre: bool) {
        match node.value() {
            Node::Text(t) if in_pre => {
                let text = escape(t).replace('\r', "");
                // A blank line inside `<pre>` keeps its newline as an entity.
                out.push_str(&text.replace("\n\n", "\n&#10;"));
            }
            Node::Text(t) => {
                let collapsed: Vec<&str> = t.split_whitespace().collect();
                if t.starts_with(char::is_whitespace) && !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&escape(&collapsed.join(" ")));
                if t.ends_with(char::is_whitespace) && !collapsed.is_empty() {
                    out.push(' ');
                }
            }
            Node::Element(el) => {
                let name = el.name();
                if DROPPED.contains(&name) {
                    self.note(out, format!("<{name}> removed"));
                    return;
                }
                out.push_str(&self.open_tag(el));
                if VOID.contains(&name) {
                    return;
                }
                let pre = in_pre || name == "pre" || name == "textarea";
                for child in node.children() {
                    self.raw_node(child, out, pre);
                }
                out.push_str(&format!("</{name}>"));
            }
            _ => {}
        }
    }

    fn open_tag(&mut self, el: &scraper::node::Element) -> String {
        let mut tag = format!("<{}", el.name());
        for (name, value) in el.attrs() {
            let lower = name.to_ascii_lowercase();
            if lower.starts_with("on")
                || !lower.chars().all(|c| c.is_ascii_alphanumeric() || "-_:".contains(c))
            {
                continue;
            }
            if value.trim_start().to_ascii_lowercase().starts_with("javascript:") {
                continue;
            }
            let value = match lower.as_str() {
                "href" => self.urls.link(value).url,
                "src" | "poster" | "data" => self.urls.file(value).url,
                _ => value.to_string(),
            };
            tag.push_str(&format!(" {lower}=\"{}\"", escape(&value)));
        }
        tag.push('>');
        tag
    }
}
