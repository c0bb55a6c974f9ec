//! Python-Markdown's `md_in_html`: an HTML block tag alone on its line with a `markdown`
//! attribute (`<div class="grid" markdown>`, `<details markdown="1">`) holds Markdown.
//! CommonMark reads the lines right after such a tag as more HTML, so the attribute is
//! dropped and a blank line put after the opening tag and before its closing tag; its
//! content is then read as Markdown, as its author meant.

use std::borrow::Cow;

use super::openers::Fences;
use super::preprocess::Lines;

/// `lines` with every `markdown` block tag opened and closed apart from its content.
pub(super) fn separate(lines: Lines<'_>) -> Lines<'_> {
    if !lines.iter().any(|(l, _)| l.contains(" markdown")) {
        return lines;
    }
    let mut out = Vec::with_capacity(lines.len() + 8);
    // The names of the open `markdown` tags, innermost last.
    let mut open: Vec<String> = Vec::new();
    let mut fences = Fences::default();
    for (line, src) in lines {
        let t = line.trim();
        if fences.in_code(t) {
            out.push((line, src));
            continue;
        }
        if let Some((name, tag)) = opener(t) {
            out.push((Cow::Owned(format!("{}{tag}", &line[..line.len() - line.trim_start().len()])), src));
            out.push((Cow::Borrowed(""), src));
            open.push(name);
            continue;
        }
        if open.last().is_some_and(|name| t == format!("</{name}>")) {
            open.pop();
            out.push((Cow::Borrowed(""), src));
        }
        out.push((line, src));
    }
    out
}

/// `<div class="x" markdown="1">` → (`div`, `<div class="x">`).
fn opener(t: &str) -> Option<(String, String)> {
    let inner = t.strip_prefix('<')?.strip_suffix('>')?;
    let name: String = inner.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    if !["div", "section", "details", "article", "aside", "figure", "blockquote", "main"]
        .contains(&name.as_str())
    {
        return None;
    }
    let attrs = &inner[name.len()..];
    let at = [" markdown=\"1\"", " markdown=\"block\"", " markdown='1'", " markdown"]
        .iter()
        .find_map(|a| attrs.find(a).map(|i| (i, a.len())))
        .filter(|&(i, len)| attrs[i + len..].is_empty() || attrs[i + len..].starts_with(' '))?;
    let kept = format!("{}{}", &attrs[..at.0], &attrs[at.0 + at.1..]);
    Some((name.clone(), format!("<{name}{}>", kept.trim_end())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_blocks_are_set_apart_and_lose_the_attribute() {
        let lines: Lines = "<div class=\"grid\" markdown>\n**a**\n<details markdown=\"1\">\n<summary>S</summary>\nb\n</details>\n</div>\n<div markdownish>\n</div>"
            .lines()
            .enumerate()
            .map(|(i, l)| (Cow::Borrowed(l), i + 1))
            .collect();
        let out: Vec<String> = separate(lines).into_iter().map(|(l, _)| l.into_owned()).collect();
        assert_eq!(
            out,
            [
                "<div class=\"grid\">",
                "",
                "**a**",
                "<details>",
                "",
                "<summary>S</summary>",
                "b",
                "",
                "</details>",
                "",
                "</div>",
                "<div markdownish>",
                "</div>"
            ]
        );
    }
}
