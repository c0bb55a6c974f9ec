//! MkDocs Material's code annotations: a comment ending in `(1)` (or `(1)!`, which drops the
//! comment sign too) marks a line of a code block, and the numbered list right after the
//! block holds the notes. The marker becomes a link to its note (`code-annotation`), and
//! the list an `ol.code-annotations` whose items carry the ids the links name.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

/// The comment signs a marker may follow.
const COMMENTS: [&str; 5] = ["//", "#", "--", "<!--", "/*"];

/// `code` without its markers, and for each marked line (0-based) the number of its note.
/// Only numbers 1–99 at the end of a comment count, so `f(1)` in code is left alone.
pub(super) fn take_markers(code: &str) -> (String, Vec<(usize, u32)>) {
    let mut out = String::with_capacity(code.len());
    let mut marks = Vec::new();
    for (i, line) in code.split_inclusive('\n').enumerate() {
        let (body, newline) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
        match marker(body) {
            Some((kept, n)) => {
                out.push_str(&kept);
                marks.push((i, n));
            }
            None => out.push_str(body),
        }
        out.push_str(newline);
    }
    (out, marks)
}

/// A line ending in a marker: the line without it, and the note's number.
fn marker(line: &str) -> Option<(String, u32)> {
    let t = line.trim_end().trim_end_matches("-->").trim_end_matches("*/").trim_end();
    let (t, bang) = t.strip_suffix('!').map_or((t, false), |t| (t, true));
    let t = t.strip_suffix(')')?;
    let open = t.rfind('(')?;
    let n: u32 = t[open + 1..].parse().ok().filter(|n| (1..100).contains(n))?;
    let before = t[..open].trim_end();
    // The last sign; of two ending together (`--` in `<!--`), the longer.
    let sign = COMMENTS
        .iter()
        .filter_map(|c| before.rfind(c).map(|at| (at, c)))
        .max_by_key(|(at, c)| (at + c.len(), c.len()))?;
    // Only the marker follows the sign (`# (1)`), or the comment has text before it.
    let comment = &before[sign.0..];
    if bang && comment.trim_end() == *sign.1 {
        return Some((before[..sign.0].trim_end().to_string(), n));
    }
    let close = match *sign.1 {
        "<!--" => " -->",
        "/*" => " */",
        _ => "",
    };
    Some((format!("{before}{close}"), n))
}

/// The badge written at the end of a marked line.
pub(super) fn badge(block: &str, n: u32) -> String {
    format!("<a class=\"code-annotation\" href=\"#{block}-{n}\" aria-label=\"Note {n}\">{n}</a>")
}

/// Make the numbered list that starts at `events[start]` the block's notes: `ol` with the
/// class, and each of its own items with the id its marker links to.
pub(super) fn notes_list(events: &mut [(Event<'_>, Range<usize>)], start: usize, block: &str) {
    let mut depth = 0usize;
    let mut item = 0u32;
    for (e, _) in events[start..].iter_mut() {
        match e {
            Event::Start(Tag::List(_)) => {
                depth += 1;
                if depth == 1 {
                    *e = Event::Html("<ol class=\"code-annotations\">\n".into());
                }
            }
            Event::End(TagEnd::List(_)) => {
                depth -= 1;
                if depth == 0 {
                    *e = Event::Html("</ol>\n".into());
                    return;
                }
            }
            Event::Start(Tag::Item) if depth == 1 => {
                item += 1;
                *e = Event::Html(format!("<li id=\"{block}-{item}\">").into());
            }
            Event::End(TagEnd::Item) if depth == 1 => *e = Event::Html("</li>\n".into()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_at_the_end_of_comments() {
        let (code, marks) =
            take_markers("a = 1  # (1)!\nb = f(2)\nc = 3  # note (2)\n// (3)\n<p/> <!-- (4) -->\n");
        assert_eq!(code, "a = 1\nb = f(2)\nc = 3  # note\n//\n<p/> <!-- -->\n");
        assert_eq!(marks, [(0, 1), (2, 2), (3, 3), (4, 4)]);
        let (code, marks) = take_markers("print(1)\nx = (100)  # (100)\n");
        assert_eq!((code.as_str(), marks), ("print(1)\nx = (100)  # (100)\n", vec![]));
    }
}
