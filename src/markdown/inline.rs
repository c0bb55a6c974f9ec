//! pymdownx's inline marks, read in a run of text: `==mark==`, `^^inserted^^`,
//! `^superscript^`, `~subscript~`, `++ctrl+alt+del++` (keys), and critic markup (`{++add++}`, `{--remove--}`,
//! `{~~old~>new~~}`, `{==highlight==}`, `{>>comment<<}`).

use std::borrow::Cow;

use crate::base::html::escape;

/// Emoji shortcodes (`:tada:`, `:+1:`, GitHub's and gemoji's names) as the emoji.
/// Anything between colons that names none (`10:30:45`, `:not-an-emoji:`) stays.
pub fn shortcodes(text: &str) -> Cow<'_, str> {
    if !text.contains(':') {
        return Cow::Borrowed(text);
    }
    // Copied only from the first emoji on: most text with a colon has none.
    let mut out = String::new();
    let (mut copied, mut from) = (0, 0);
    while let Some(i) = text[from..].find(':').map(|i| i + from) {
        let after = &text[i + 1..];
        let name_len = after.find(':').filter(|&n| {
            n > 0 && n <= 40 && after[..n].chars().all(|c| c.is_ascii_alphanumeric() || "_+-".contains(c))
        });
        match name_len.and_then(|n| emojis::get_by_shortcode(&after[..n]).map(|e| (n, e))) {
            Some((n, emoji)) => {
                out.push_str(&text[copied..i]);
                out.push_str(emoji.as_str());
                copied = i + n + 2;
                from = copied;
            }
            None => from = i + 1,
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// A mark: how it opens, how it closes, and the HTML of its inside (escaped).
type Mark = (&'static str, &'static str, fn(&str) -> String);

const MARKS: &[Mark] = &[
    ("{++", "++}", |s| format!("<ins>{s}</ins>")),
    ("{--", "--}", |s| format!("<del>{s}</del>")),
    ("{==", "==}", |s| format!("<mark>{s}</mark>")),
    ("{>>", "<<}", |s| format!("<span class=\"critic-comment\">{s}</span>")),
    ("{~~", "~~}", substitution),
    ("==", "==", |s| format!("<mark>{s}</mark>")),
    ("^^", "^^", |s| format!("<ins>{s}</ins>")),
    ("++", "++", keys),
    ("^", "^", |s| format!("<sup>{s}</sup>")),
    ("~", "~", |s| format!("<sub>{s}</sub>")),
];

/// The HTML of `text` with its marks, or `None` when it has none (the text is then used as
/// it is).
pub fn marks(text: &str) -> Option<String> {
    if !text.contains(['=', '^', '+', '{', '~']) {
        return None;
    }
    let mut out = String::new();
    let mut rest = text;
    let mut found = false;
    'scan: while !rest.is_empty() {
        for &(open, close, html) in MARKS {
            let Some(after) = rest.strip_prefix(open) else { continue };
            let Some(end) = after.find(close) else { continue };
            let inner = &after[..end];
            let bare = open.starts_with('{') || (!inner.starts_with(' ') && !inner.ends_with(' '));
            let lone = open.len() == 1 && !lone_mark(text, text.len() - rest.len(), open, inner);
            if inner.is_empty() || !bare || lone || (open == "++" && !is_keys(inner)) {
                continue;
            }
            out.push_str(&html(&escape(inner)));
            rest = &after[end + close.len()..];
            found = true;
            continue 'scan;
        }
        let c = rest.chars().next().expect("not empty");
        out.push_str(&escape(&rest[..c.len_utf8()]));
        rest = &rest[c.len_utf8()..];
    }
    found.then_some(out)
}

/// Whether the `^sup^` or `~sub~` at byte `at` of `text` is one: pymdownx's rule (no
/// spaces inside: `2^10 and 3^4` is none), and, so that other tools' text keeps its
/// meaning, the word holding it has no other `^`/`~` and no path inside (Windows' short
/// names `PROGRA~1\MICROS~3`, package names `Package~31bf~amd64~ar-SA`).
fn lone_mark(text: &str, at: usize, delim: &str, inner: &str) -> bool {
    if inner.contains(char::is_whitespace) || inner.contains(['\\', '/']) {
        return false;
    }
    let start = text[..at].rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let after = at + 2 * delim.len() + inner.len();
    let end = text[after..].find(char::is_whitespace).map_or(text.len(), |i| after + i);
    text[start..end].matches(delim).count() == 2
}

/// An attribute list right after a link or image (`{target="_blank"}`, `{ .md-button }`,
/// `{: #id .a .b rel=nofollow }`), as HTML attributes, and how many bytes of `text` it
/// takes. Event handler attributes (`on…`) are not written.
pub fn attr_list(text: &str) -> Option<(String, usize)> {
    let body = text.strip_prefix('{')?;
    let end = body.find('}')?;
    let inner = body[..end].trim().trim_start_matches(':').trim();
    if inner.is_empty() || inner.contains('\n') {
        return None;
    }
    let (mut classes, mut id, mut rest) = (Vec::new(), None, Vec::new());
    for word in split_attrs(inner)? {
        if let Some(c) = word.strip_prefix('.') {
            classes.push(c.to_string());
        } else if let Some(i) = word.strip_prefix('#') {
            id = Some(i.to_string());
        } else {
            let (k, v) = word.split_once('=')?;
            let ok = k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':');
            if !ok || k.is_empty() {
                return None;
            }
            if !k.to_ascii_lowercase().starts_with("on") {
                rest.push(format!(" {k}=\"{}\"", escape(v.trim_matches(['"', '\'']))));
            }
        }
    }
    let mut html = String::new();
    if let Some(id) = id {
        html.push_str(&format!(" id=\"{}\"", escape(&id)));
    }
    if !classes.is_empty() {
        html.push_str(&format!(" class=\"{}\"", escape(&classes.join(" "))));
    }
    html.extend(rest);
    Some((html, end + 2))
}

/// The words of an attribute list, a quoted value kept whole (`title="a b"`).
fn split_attrs(s: &str) -> Option<Vec<&str>> {
    let mut out = Vec::new();
    let mut rest = s.trim();
    while !rest.is_empty() {
        let mut end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        if let Some(eq) = rest[..end].find('=') {
            let q = rest[eq + 1..].chars().next();
            if let Some(q @ ('"' | '\'')) = q {
                end = eq + 2 + rest[eq + 2..].find(q)? + 1;
            }
        }
        out.push(&rest[..end]);
        rest = rest[end..].trim_start();
    }
    Some(out)
}

fn substitution(inner: &str) -> String {
    let (old, new) = inner.split_once("~&gt;").unwrap_or((inner, ""));
    format!("<del>{old}</del><ins>{new}</ins>")
}

fn is_keys(inner: &str) -> bool {
    inner
        .split('+')
        .all(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
}

/// `ctrl+alt+del` as `<kbd>` keys, each name capitalised.
fn keys(inner: &str) -> String {
    let key = |k: &str| {
        let mut c = k.chars();
        let name: String = c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default();
        format!("<kbd>{}</kbd>", name.replace('-', " "))
    };
    let all: Vec<String> = inner.split('+').map(key).collect();
    format!("<span class=\"keys\">{}</span>", all.join("+"))
}

#[cfg(test)]
mod tests {
    use super::marks;

    #[test]
    fn sub_and_superscripts() {
        assert_eq!(super::marks("H~2~O and x^2^").unwrap(), "H<sub>2</sub>O and x<sup>2</sup>");
        assert_eq!(super::marks("^^ins^^ ^sup^").unwrap(), "<ins>ins</ins> <sup>sup</sup>");
        assert_eq!(super::marks("2^10 and 3^4 apart, ~/home and ~user dirs"), None);
        assert_eq!(super::marks(r"C:\PROGRA~1\MICROS~3\Office14 and Package~31bf~amd64~ar-SA~10.0"), None);
    }

    #[test]
    fn emoji_shortcodes() {
        assert_eq!(super::shortcodes("Done :tada: :+1:"), "Done 🎉 👍");
        assert_eq!(
            super::shortcodes("at 10:30:45, :no_such_emoji: and a: b"),
            "at 10:30:45, :no_such_emoji: and a: b"
        );
        assert_eq!(super::shortcodes(":smile::smile:"), "😄😄");
        assert!(matches!(super::shortcodes("plain"), super::Cow::Borrowed(_)));
    }

    #[test]
    fn attribute_lists() {
        use super::attr_list;
        assert_eq!(attr_list("{target=\"_self\"} more"), Some((" target=\"_self\"".into(), 16)));
        assert_eq!(
            attr_list("{ .md-button .md-button--primary }").unwrap().0,
            " class=\"md-button md-button--primary\""
        );
        assert_eq!(
            attr_list("{: #go title=\"Go now\" onclick=\"x()\" }").unwrap().0,
            " id=\"go\" title=\"Go now\""
        );
        assert_eq!(attr_list("{not an attr list}"), None);
        assert_eq!(attr_list("{}"), None);
    }

    #[test]
    fn marks_and_critic_markup() {
        assert_eq!(marks("a ==b== c").as_deref(), Some("a <mark>b</mark> c"));
        assert_eq!(marks("^^new^^ & old").as_deref(), Some("<ins>new</ins> &amp; old"));
        assert_eq!(
            marks("Press ++ctrl+alt+del++.").as_deref(),
            Some("Press <span class=\"keys\"><kbd>Ctrl</kbd>+<kbd>Alt</kbd>+<kbd>Del</kbd></span>.")
        );
        assert_eq!(
            marks("{~~old~>new~~} {>>note<<}").as_deref(),
            Some("<del>old</del><ins>new</ins> <span class=\"critic-comment\">note</span>")
        );
        for plain in ["x = 1", "a == b", "C++ and c++ code", "1 + 2 ++ 3", "{braces}", "== spaced =="] {
            assert_eq!(marks(plain), None, "{plain}");
        }
    }
}
