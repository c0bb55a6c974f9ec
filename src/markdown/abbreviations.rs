//! Abbreviations (Python-Markdown's `abbr`, PHP Markdown Extra): a line
//! `*[HTML]: Hyper Text Markup Language` defines one — often in a file every page gets
//! through snippets' `auto_append` — and every whole-word use of the term in the page's
//! text becomes `<abbr title="…">HTML</abbr>`. The definition lines show nothing.

use std::borrow::Cow;

use super::openers::Fences;
use super::preprocess::Lines;
use crate::base::html::escape;

/// The definitions taken out of `lines` (their lines left blank, so line numbers hold), and
/// the lines. Lines in fenced code are left alone.
pub(super) fn collect(lines: Lines<'_>) -> (Lines<'_>, Vec<(String, String)>) {
    if !lines.iter().any(|(l, _)| l.trim_start().starts_with("*[")) {
        return (lines, Vec::new());
    }
    let mut found = Vec::new();
    let mut fences = Fences::default();
    let mut out = Vec::with_capacity(lines.len());
    for (line, src) in lines {
        let t = line.trim_start();
        // Every line goes through the fence tracker, definition or not.
        let code = fences.in_code(t);
        match definition(t).filter(|_| !code) {
            Some((term, title)) => {
                found.retain(|(t, _): &(String, String)| t != term);
                found.push((term.to_string(), title.to_string()));
                out.push((Cow::Borrowed(""), src));
            }
            None => out.push((line, src)),
        }
    }
    // Longest first, so `HTML5` is found before `HTML`.
    found.sort_by_key(|(term, _)| std::cmp::Reverse(term.len()));
    (out, found)
}

/// `*[TERM]: title` → (`TERM`, `title`).
fn definition(t: &str) -> Option<(&str, &str)> {
    let rest = t.strip_prefix("*[")?;
    let (term, title) = rest.split_once("]:")?;
    (!term.is_empty() && !term.contains(']')).then_some((term, title.trim()))
}

/// The HTML of a run of text with its abbreviations marked, or `None` when it uses none.
pub(super) fn mark(text: &str, abbrs: &[(String, String)]) -> Option<String> {
    let mut hits: Vec<(usize, usize, &str)> = Vec::new();
    for (term, title) in abbrs {
        let mut from = 0;
        while let Some(i) = text[from..].find(term.as_str()).map(|i| i + from) {
            let end = i + term.len();
            let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
            let whole = !word(text[..i].chars().next_back()) && !word(text[end..].chars().next());
            if whole && !hits.iter().any(|&(a, b, _)| i < b && a < end) {
                hits.push((i, end, title));
            }
            from = end;
        }
    }
    if hits.is_empty() {
        return None;
    }
    hits.sort_unstable();
    let mut out = String::with_capacity(text.len() + hits.len() * 32);
    let mut at = 0;
    for (a, b, title) in hits {
        out.push_str(&escape(&text[at..a]));
        out.push_str(&format!("<abbr title=\"{}\">{}</abbr>", escape(title), escape(&text[a..b])));
        at = b;
    }
    out.push_str(&escape(&text[at..]));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_are_taken_out_and_terms_marked() {
        let page = "The HTML spec.\n\n*[HTML]: Hyper Text Markup Language\n*[W3C]:  World Wide Web Consortium\n```\n*[NOT]: in code\n```";
        let lines = page.lines().enumerate().map(|(i, l)| (Cow::Borrowed(l), i + 1)).collect();
        let (lines, abbrs) = collect(lines);
        assert_eq!(lines.len(), 7);
        assert_eq!(lines[2].0, "");
        assert_eq!(lines[5].0, "*[NOT]: in code");
        assert_eq!(abbrs.len(), 2);
        assert_eq!(
            mark("HTML and XHTML <b> by the W3C.", &abbrs).unwrap(),
            "<abbr title=\"Hyper Text Markup Language\">HTML</abbr> and XHTML &lt;b&gt; by the <abbr title=\"World Wide Web Consortium\">W3C</abbr>."
        );
        assert_eq!(mark("nothing here", &abbrs), None);
    }
}
