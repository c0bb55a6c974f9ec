//! Making untrusted text safe to print on one line or to write as a URL, and comparing
//! words.

use std::fmt::Write;

/// `s` with control characters (newlines, escapes, DEL, the C1 range, bidi overrides)
/// written as `\n`, `\u{1b}`…, so a file name or message cannot start a new line in a log,
/// fake a CI workflow command or rewrite the terminal.
pub fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Characters that change how a line is read: C0/C1 controls and the bidirectional
/// overrides and isolates (which make text display in another order than it is).
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether a file name can be used as a part of a path and a URL: no `\` (which would be
/// read as a separator when joined again), no control characters, not `.` or `..`.
pub fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['\\', '/'])
        && !name.chars().any(is_unsafe)
}

/// Levenshtein distance between two short strings, in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Whether `url` can be written into HTML attributes and fetched as it is: printable
/// ASCII without spaces, quotes, angle brackets, backslashes, backticks, braces, `|` or
/// `^`, whatever the escaping.
pub fn is_plain_url(url: &str) -> bool {
    url.chars().all(|c| c.is_ascii_graphic() && !"\"'<>\\`{}|^".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped() {
        assert_eq!(escape_controls("a.md"), "a.md");
        assert_eq!(escape_controls("a\n::error::x"), "a\\n::error::x");
        assert_eq!(escape_controls("\u{1b}[2J\u{202e}"), "\\u{1b}[2J\\u{202e}");
    }
}
