//! The shapes of lines that open blocks: `:::name[title]{attrs}` directives, MkDocs
//! `!!!`/`???` openers, code fences, and indentation measured in columns.

use super::docfx::attr_value;

/// A `:::` directive's name, title and `open` flag, and text after a `[title]` or
/// `{attrs}` on the opening line (a one-paragraph directive: `:::tip[Hi] Text… :::`).
pub(super) struct Directive<'a> {
    pub(super) name: &'a str,
    pub(super) title: Option<String>,
    pub(super) open: bool,
    pub(super) text: Option<&'a str>,
}

/// Parse what follows the colons: `note`, `note Title`, `note[Title]`, `note{title="T" open}`.
pub(super) fn parse_directive(rest: &str) -> Directive<'_> {
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_')).unwrap_or(rest.len());
    let name = if end == 0 { "note" } else { &rest[..end] };
    let mut after = rest[end..].trim();
    let mut title = None;
    let mut open = false;
    if let Some((r, close)) = after.strip_prefix('[').and_then(|r| Some((r, closing_bracket(r)?))) {
        title = Some(r[..close].trim().to_string());
        after = r[close + 1..].trim();
    }
    let mut text = None;
    if let Some(r) = after.strip_prefix('{') {
        let (attrs, rest) = r.split_once('}').unwrap_or((r, ""));
        if let Some(t) = attr_value(attrs, "title") {
            title = Some(t.to_string());
        }
        open = attrs.split_whitespace().any(|w| w == "open");
        text = Some(rest.trim()).filter(|t| !t.is_empty());
        after = "";
    }
    if title.is_none() && !after.is_empty() {
        title = Some(after.trim_matches('"').to_string());
    } else if text.is_none() && !after.is_empty() {
        text = Some(after);
    }
    Directive { name, title: title.filter(|t| !t.is_empty()), open, text }
}

/// The `]` that closes a `[` just before `s`, brackets inside counted (`[a [b] c]`).
fn closing_bracket(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '[' => depth += 1,
            ']' if depth == 0 => return Some(i),
            ']' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// A mkdocstrings reference (`::: fastapi.APIRouter`): a dotted identifier alone after
/// the colons, which MkDocs expands into API documentation from Python code.
pub(super) fn mkdocstrings_ref(rest: &str) -> Option<&str> {
    let ident = rest.trim();
    let part = |p: &str| {
        p.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
            && p.chars().all(|c| c.is_alphanumeric() || c == '_')
    };
    (ident.contains('.') && ident.split('.').all(part)).then_some(ident)
}

/// A MkDocs `!!!`/`???` opener.
pub(super) struct MkDocs<'a> {
    pub(super) name: &'a str,
    pub(super) title: Option<&'a str>,
    pub(super) collapsible: bool,
    pub(super) open: bool,
}

/// `!!! type "Title"`, `??? type`, `???+ type`.
pub(super) fn mkdocs_open(trimmed: &str) -> Option<MkDocs<'_>> {
    let (collapsible, open, rest) = if let Some(r) = trimmed.strip_prefix("???+") {
        (true, true, r)
    } else if let Some(r) = trimmed.strip_prefix("???") {
        (true, false, r)
    } else {
        (false, false, trimmed.strip_prefix("!!!")?)
    };
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.trim();
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let name = &rest[..end];
    if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_') {
        return None;
    }
    let title = rest[end..].trim();
    let title = title.strip_prefix('"').and_then(|t| t.strip_suffix('"')).or(if title.is_empty() {
        None
    } else {
        Some(title)
    });
    Some(MkDocs { name, title, collapsible, open })
}

pub(super) fn code_fence_open(trimmed: &str) -> Option<(char, usize)> {
    let ch = trimmed.chars().next().filter(|&c| c == '`' || c == '~')?;
    let len = trimmed.chars().take_while(|&c| c == ch).count();
    if len < 3 || (ch == '`' && trimmed[len..].contains('`')) {
        return None;
    }
    Some((ch, len))
}

/// Fenced code blocks followed line by line, for the text passes that must leave code
/// alone.
#[derive(Debug, Default)]
pub(super) struct Fences(Option<(char, usize)>);

impl Fences {
    /// Whether the line (`trimmed`: without its indentation) opens, is inside or closes a
    /// fenced code block.
    pub(super) fn in_code(&mut self, trimmed: &str) -> bool {
        if let Some((ch, len)) = self.0 {
            let run = trimmed.chars().take_while(|&c| c == ch).count();
            if run >= len && trimmed[run..].trim().is_empty() {
                self.0 = None;
            }
            return true;
        }
        self.0 = code_fence_open(trimmed);
        self.0.is_some()
    }
}

/// Whether `s` starts with white space at least `n` columns wide (looking no further).
pub(super) fn indented_at_least(s: &str, n: usize) -> bool {
    let mut w = 0;
    for c in s.chars() {
        if w >= n {
            return true;
        }
        match c {
            ' ' => w += 1,
            '\t' => w += 4 - w % 4,
            _ => return false,
        }
    }
    w >= n
}

pub(super) fn indent_width(s: &str) -> usize {
    let mut w = 0;
    for c in s.chars() {
        match c {
            ' ' => w += 1,
            '\t' => w += 4 - w % 4,
            _ => break,
        }
    }
    w
}

pub(super) fn dedent(line: &str, width: usize) -> &str {
    let mut w = 0;
    for (i, c) in line.char_indices() {
        if w >= width {
            return &line[i..];
        }
        match c {
            ' ' => w += 1,
            '\t' => w += 4 - w % 4,
            _ => return &line[i..],
        }
    }
    ""
}
