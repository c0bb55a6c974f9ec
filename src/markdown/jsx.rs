//! The JSX tags MDX pages write, read far enough to render them: a tag's name, its
//! attributes (`"text"`, `{"text"}`, `` {`text`} ``, `{expression}`, or alone), whether it
//! closes itself, and where it ends, over as many lines as it spans.

/// `</Name>` alone on its line.
pub(super) fn closing_tag(trimmed: &str) -> Option<&str> {
    let name = trimmed.trim_end().strip_prefix("</")?.strip_suffix('>')?.trim();
    (name.starts_with(|c: char| c.is_ascii_uppercase()) && name.chars().all(is_name_char)).then_some(name)
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '.' || c == '_'
}

/// The text of a tag that starts at line `i`, joined over the lines it spans, and how many
/// lines that is (at most 200: past that it is no tag).
pub(super) fn gather_tag(src: &[&str], i: usize) -> (String, usize) {
    let mut text = String::from(src[i].trim());
    for n in 1..=200 {
        if tag_end(&text).is_some() || i + n >= src.len() {
            return (text, n);
        }
        // Kept line by line: a `{`…`}` value holds code whose lines matter.
        text.push('\n');
        text.push_str(src[i + n]);
    }
    (String::from(src[i].trim()), 1)
}

/// Where the tag starting `text` ends (after its `>`), outside quotes and braces.
fn tag_end(text: &str) -> Option<usize> {
    balanced_end(text, '>')
}

/// The end (after the `}`) of the braces `s` starts with, quotes and inner braces skipped.
fn matching_brace(s: &str) -> Option<usize> {
    balanced_end(s, '}')
}

/// The end (after it) of the first `stop` outside quotes at brace depth 0: `>` ends a tag,
/// `}` the braces the text opens with.
fn balanced_end(text: &str, stop: char) -> Option<usize> {
    let (mut quote, mut depth) = (None, 0usize);
    for (k, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '{') => depth += 1,
            (None, '}') => {
                depth = depth.saturating_sub(1);
                if stop == '}' && depth == 0 {
                    return Some(k + 1);
                }
            }
            (None, '>') if stop == '>' && depth == 0 => return Some(k + 1),
            _ => {}
        }
    }
    None
}

/// A component's tag: its name, attributes, whether it closes itself, where it ends.
#[derive(Debug)]
pub(super) struct Tag {
    pub(super) name: String,
    pub(super) attrs: Vec<(String, Attr)>,
    pub(super) self_closing: bool,
    pub(super) end: usize,
}

/// An attribute value: text (`"x"`, `{"x"}`, `` {`x`} ``), an expression, or present alone.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Attr {
    Text(String),
    Expr(String),
    Present,
}

impl Tag {
    pub(super) fn text(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).and_then(|(_, v)| match v {
            Attr::Text(t) => Some(t.as_str()),
            _ => None,
        })
    }
}

pub(super) fn parse_tag(text: &str) -> Option<Tag> {
    let end = tag_end(text)?;
    let inner = text[1..end - 1].trim();
    let self_closing = inner.ends_with('/');
    let inner = inner.trim_end_matches('/').trim_end();
    let name_end = inner.find(|c: char| !is_name_char(c)).unwrap_or(inner.len());
    let name = inner[..name_end].to_string();
    let mut rest = inner[name_end..].trim_start();
    let mut attrs = Vec::new();
    while !rest.is_empty() {
        let key_end = rest.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(rest.len());
        let key = rest[..key_end].to_string();
        rest = rest[key_end..].trim_start();
        let Some(after) = rest.strip_prefix('=') else {
            if key.is_empty() {
                return None;
            }
            attrs.push((key, Attr::Present));
            continue;
        };
        let after = after.trim_start();
        let (value, used) = attr_value(after)?;
        attrs.push((key, value));
        rest = after[used..].trim_start();
    }
    Some(Tag { name, attrs, self_closing, end })
}

/// An attribute's value at the start of `s`, and how many bytes it takes.
fn attr_value(s: &str) -> Option<(Attr, usize)> {
    let first = s.chars().next()?;
    if first == '"' || first == '\'' {
        let close = s[1..].find(first)? + 1;
        return Some((Attr::Text(s[1..close].to_string()), close + 1));
    }
    if first == '{' {
        let end = matching_brace(s)?;
        let expr = s[1..end - 1].trim();
        let literal = ['"', '\'', '`'].iter().find_map(|&q| {
            let body = expr.strip_prefix(q)?.strip_suffix(q)?;
            (!body.contains(q)).then(|| body.to_string())
        });
        return Some((literal.map_or_else(|| Attr::Expr(expr.to_string()), Attr::Text), end));
    }
    let end = s.find(char::is_whitespace).unwrap_or(s.len());
    Some((Attr::Text(s[..end].to_string()), end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_in_every_form() {
        let t = parse_tag("<Card title={'A'} icon=\"x\" wide data={{ a: '>' }} />").unwrap();
        assert_eq!(t.text("title"), Some("A"));
        assert_eq!(t.text("icon"), Some("x"));
        assert!(t.self_closing && t.attrs.iter().any(|(k, v)| k == "wide" && *v == Attr::Present));
        assert!(matches!(&t.attrs[3].1, Attr::Expr(e) if e.contains("a: '>'")));
    }
}
