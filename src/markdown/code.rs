//! Code blocks: the fence's language and what other tools write after it (a title as
//! `title="app.py"` or VitePress's `[app.py]`; highlighted lines as `{1,3-5}`,
//! `hl_lines="1 3-5"` or `mark={…}`; added and removed lines as `ins={…}` / `del={…}`; line
//! numbers as `linenums`, `showLineNumbers` or `:line-numbers`), and the marker comments
//! VitePress and Docusaurus put in the code (`// [!code ++]`, `// [!code --]`,
//! `// [!code highlight]`, `// highlight-next-line`, `// highlight-start` … `-end`), which
//! are taken out of the code and mark their line.

use super::highlight;
use crate::base::html::escape;

/// What a fence's info string says.
#[derive(Debug, Default, PartialEq)]
pub struct Fence {
    /// The language (first word).
    pub lang: String,
    /// A title shown above the block.
    pub title: Option<String>,
    /// 1-based lines to highlight, add and remove.
    pub marked: Vec<usize>,
    pub added: Vec<usize>,
    pub removed: Vec<usize>,
    /// Number the lines.
    pub numbers: bool,
    /// The id prefix of the block's notes, when a numbered list follows it (MkDocs
    /// Material's code annotations).
    pub annotations: Option<String>,
}

/// Read a fence's info string (`python title="app.py" hl_lines="2 3"`).
pub fn fence(info: &str) -> Fence {
    let info = info.trim();
    let lang_end =
        info.find(|c: char| c.is_whitespace() || c == ',' || c == '{' || c == '[').unwrap_or(info.len());
    let mut f = Fence { lang: info[..lang_end].to_string(), ..Fence::default() };
    let rest = &info[lang_end..];
    f.title = quoted_after(rest, "title=").or_else(|| bracketed(rest));
    if let Some(lines) = quoted_after(rest, "hl_lines=") {
        f.marked.extend(ranges(&lines));
    }
    for (key, list) in [("mark=", &mut f.marked), ("ins=", &mut f.added), ("del=", &mut f.removed)] {
        if let Some(body) = rest.find(key).and_then(|at| braced(&rest[at + key.len()..])) {
            list.extend(ranges(body));
        }
    }
    // A `{…}` not after a `key=` is VitePress's and Docusaurus's highlighted lines.
    if let Some(at) = rest.find('{').filter(|&at| !rest[..at].ends_with('=')) {
        f.marked.extend(braced(&rest[at..]).map(ranges).unwrap_or_default());
    }
    f.numbers = ["linenums", "showLineNumbers", ":line-numbers"].iter().any(|k| rest.contains(k));
    f
}

fn quoted_after(s: &str, key: &str) -> Option<String> {
    let at = s.find(key)? + key.len();
    let rest = &s[at..];
    let q = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let end = rest[1..].find(q)? + 1;
    Some(rest[1..end].to_string())
}

fn bracketed(s: &str) -> Option<String> {
    let rest = s.trim_start().strip_prefix('[')?;
    Some(rest[..rest.find(']')?].to_string())
}

fn braced(s: &str) -> Option<&str> {
    let rest = s.strip_prefix('{')?;
    Some(&rest[..rest.find('}')?])
}

/// `1,3-5` or `1 3-5` as line numbers (at most 10,000 per list).
fn ranges(s: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for part in s.split([',', ' ']).filter(|p| !p.is_empty()) {
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        if let (Ok(a), Ok(b)) = (a.trim().parse::<usize>(), b.trim().parse::<usize>()) {
            out.extend((a..=b.min(a + 10_000)).take(10_000));
        }
    }
    out
}

/// How a line is marked.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mark {
    None,
    Highlight,
    Added,
    Removed,
}

/// The code without its marker comments, and each line's mark.
fn take_markers(code: &str, f: &Fence) -> (String, Vec<Mark>) {
    let mut out = String::with_capacity(code.len());
    let mut marks = Vec::new();
    let (mut next_marked, mut in_range) = (false, false);
    for line in code.split_inclusive('\n') {
        let n = marks.len() + 1;
        let body = line.trim_end_matches(['\n', '\r']);
        let t = body.trim();
        if t.ends_with("highlight-next-line") && is_comment(t) {
            next_marked = true;
            continue;
        }
        if t.ends_with("highlight-start") && is_comment(t) {
            in_range = true;
            continue;
        }
        if t.ends_with("highlight-end") && is_comment(t) {
            in_range = false;
            continue;
        }
        let (text, inline) = inline_marker(body);
        let mut mark = match inline {
            Some(m) => m,
            None if next_marked || in_range => Mark::Highlight,
            None => Mark::None,
        };
        next_marked = false;
        if f.added.contains(&n) {
            mark = Mark::Added;
        } else if f.removed.contains(&n) {
            mark = Mark::Removed;
        } else if f.marked.contains(&n) && mark == Mark::None {
            mark = Mark::Highlight;
        }
        out.push_str(text);
        out.push_str(&line[body.len()..]);
        marks.push(mark);
    }
    (out, marks)
}

fn is_comment(t: &str) -> bool {
    ["//", "#", "--", "<!--", "/*", ";"].iter().any(|c| t.starts_with(c))
}

/// A line's `[!code ++]` / `[!code --]` / `[!code highlight]` comment, taken out.
fn inline_marker(line: &str) -> (&str, Option<Mark>) {
    let Some(at) = line.find("[!code ") else { return (line, None) };
    let kind = &line[at + 7..];
    let mark = if kind.starts_with("++") {
        Mark::Added
    } else if kind.starts_with("--") {
        Mark::Removed
    } else if kind.starts_with("highlight") || kind.starts_with("hl") || kind.starts_with("focus") {
        Mark::Highlight
    } else {
        return (line, None);
    };
    // The comment that held it: `// [!code ++]`, `# [!code ++]`, `<!-- [!code ++] -->`.
    let before = line[..at].trim_end();
    let start =
        ["//", "#", "<!--", "/*", "--"].iter().filter_map(|c| before.strip_suffix(c).map(str::len)).min();
    (line[..start.unwrap_or(at)].trim_end(), Some(mark))
}

/// A Mermaid diagram: its source in a `pre.mermaid`, which the theme's script draws (and
/// which reads as the source where scripts do not run).
pub fn diagram_html(code: &str, f: &Fence) -> String {
    let title =
        f.title.as_deref().map_or(String::new(), |t| format!("<p class=\"code-title\">{}</p>\n", escape(t)));
    format!(
        "{title}<div class=\"kiln-diagram\"><pre class=\"mermaid\" tabindex=\"0\">{}</pre></div>\n",
        escape(code)
    )
}

/// A code block's HTML (with its title above it), and whether it was highlighted.
pub fn block_html(code: &str, f: &Fence) -> (String, bool) {
    let (code, notes) = match &f.annotations {
        Some(_) => super::annotations::take_markers(code),
        None => (code.to_string(), Vec::new()),
    };
    let code = code.as_str();
    let lang_attr = escape(&f.lang);
    let has_markers = code.contains("[!code ") || code.contains("highlight-");
    let lines =
        !f.marked.is_empty() || !f.added.is_empty() || !f.removed.is_empty() || f.numbers || has_markers;
    let (code, marks) = if lines { take_markers(code, f) } else { (code.to_string(), Vec::new()) };
    let body = if f.lang.is_empty() {
        None
    } else {
        crate::base::timings::HIGHLIGHT.time(|| highlight::highlight(&code, &f.lang))
    };
    let highlighted = body.is_some();
    let (class, body) = match body {
        Some(h) => (format!("language-{lang_attr} hl-code"), h),
        None if f.lang.is_empty() => (String::new(), escape(&code)),
        None => (format!("language-{lang_attr}"), escape(&code)),
    };
    let body = if lines { wrap_lines(&body, &marks) } else { body };
    let body = match &f.annotations {
        Some(block) if !notes.is_empty() => with_badges(&body, &notes, block),
        _ => body,
    };
    let class = if f.numbers { format!("{class} line-numbers").trim().to_string() } else { class };
    let class_attr = if class.is_empty() { String::new() } else { format!(" class=\"{class}\"") };
    let data = if f.lang.is_empty() { String::new() } else { format!(" data-lang=\"{lang_attr}\"") };
    let title =
        f.title.as_deref().map_or(String::new(), |t| format!("<p class=\"code-title\">{}</p>\n", escape(t)));
    // A long line scrolls the block sideways: tabindex lets the keyboard scroll it too.
    let html = format!(
        "{title}<div class=\"code-block\"{data}><pre tabindex=\"0\"><code{class_attr}>{body}</code></pre></div>\n"
    );
    (html, highlighted)
}

/// Code annotation badges at the end of their lines.
fn with_badges(html: &str, notes: &[(usize, u32)], block: &str) -> String {
    let mut out = String::with_capacity(html.len() + notes.len() * 80);
    for (i, line) in html.split_inclusive('\n').enumerate() {
        let (body, newline) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
        out.push_str(body);
        for (_, n) in notes.iter().filter(|(l, _)| *l == i) {
            out.push_str(&super::annotations::badge(block, *n));
        }
        out.push_str(newline);
    }
    out
}

/// Each line of highlighted (or escaped) HTML in a `<span class="line">` of its own, with
/// its mark; spans the highlighter left open across a line end are closed before it and
/// opened again after, so every line span nests whole.
fn wrap_lines(html: &str, marks: &[Mark]) -> String {
    let mut out = String::with_capacity(html.len() + marks.len() * 40);
    let mut open: Vec<&str> = Vec::new();
    for (i, line) in html.split_inclusive('\n').enumerate() {
        // The highlighter closes its outermost spans after the last line end: every line
        // closes what it opened already.
        if !line.ends_with('\n') && line.split("</span>").all(str::is_empty) {
            break;
        }
        let class = match marks.get(i).copied().unwrap_or(Mark::None) {
            Mark::None => "line",
            Mark::Highlight => "line hl-line",
            Mark::Added => "line diff-add",
            Mark::Removed => "line diff-remove",
        };
        out.push_str(&format!("<span class=\"{class}\">"));
        open.iter().for_each(|tag| out.push_str(tag));
        let body = line.strip_suffix('\n').unwrap_or(line);
        out.push_str(body);
        let mut rest = body;
        while let Some(at) = rest.find('<') {
            rest = &rest[at..];
            if rest.starts_with("</span>") {
                open.pop();
                rest = &rest[7..];
            } else if let Some(end) = rest.find('>').filter(|_| rest.starts_with("<span")) {
                open.push(&rest[..=end]);
                rest = &rest[end + 1..];
            } else {
                rest = &rest[1..];
            }
        }
        open.iter().for_each(|_| out.push_str("</span>"));
        out.push_str("</span>");
        if line.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fence_info_of_every_tool() {
        let f = fence("python title=\"app.py\" hl_lines=\"2 4-5\" linenums=\"1\"");
        assert_eq!(
            (f.lang.as_str(), f.title.as_deref(), f.marked.clone(), f.numbers),
            ("python", Some("app.py"), vec![2, 4, 5], true)
        );
        let f = fence("ts [config.ts]{1,3}");
        assert_eq!(
            (f.lang.as_str(), f.title.as_deref(), f.marked.clone()),
            ("ts", Some("config.ts"), vec![1, 3])
        );
        let f = fence("js {2} showLineNumbers");
        assert_eq!((f.marked.clone(), f.numbers), (vec![2], true));
        let f = fence("diff ins={1} del={2-3} mark={4}");
        assert_eq!((f.added.clone(), f.removed.clone(), f.marked.clone()), (vec![1], vec![2, 3], vec![4]));
        assert_eq!(fence("sh").lang, "sh");
    }

    #[test]
    fn markers_are_taken_out_and_lines_marked() {
        let f = fence("js");
        let (html, _) = block_html(
            "let a = 1 // [!code --]\nlet a = 2 // [!code ++]\n// highlight-next-line\nlet b = 3\nlet c\n",
            &f,
        );
        assert!(!html.contains("[!code") && !html.contains("highlight-next-line"), "{html}");
        assert_eq!(html.matches("class=\"line diff-remove\"").count(), 1, "{html}");
        assert_eq!(html.matches("class=\"line diff-add\"").count(), 1, "{html}");
        assert_eq!(html.matches("class=\"line hl-line\"").count(), 1, "{html}");
        assert_eq!(html.matches("<span class=\"line").count(), 4, "{html}");
        // Every line span nests whole: as many spans close as open.
        assert_eq!(html.matches("<span").count(), html.matches("</span>").count(), "{html}");
    }

    #[test]
    fn a_span_over_a_line_end_is_closed_and_opened_again() {
        let f = fence("python {1}");
        let (html, highlighted) = block_html("s = \"\"\"one\ntwo\"\"\"\n", &f);
        assert!(highlighted);
        let lines: Vec<&str> = html.split('\n').collect();
        for l in &lines[..2] {
            assert_eq!(l.matches("<span").count(), l.matches("</span>").count(), "{l}");
        }
    }

    #[test]
    fn plain_blocks_are_as_before() {
        let (html, _) = block_html("a < b\n", &fence(""));
        assert_eq!(
            html,
            "<div class=\"code-block\"><pre tabindex=\"0\"><code>a &lt; b\n</code></pre></div>\n"
        );
    }
}
