//! Math (`$…$`, `$$…$$`, arithmatex's `\(…\)` and `\[…\]`) rendered at build time as
//! MathML Core, which browsers draw without a script. `pulldown-latex` makes the MathML;
//! its output is then re-read with an allowlist of MathML elements and attributes, because
//! it copies some input through unescaped (`\operatorname{<img …>}` comes out as an
//! `<img>`), and an article's math arrives in pull requests.

use std::borrow::Cow;

use super::openers::Fences;
use super::preprocess::Lines;
use crate::base::html::escape;

/// MathML's elements, as the renderer writes them.
const ELEMENTS: &[&str] = &[
    "math",
    "mi",
    "mn",
    "mo",
    "ms",
    "mtext",
    "mspace",
    "mrow",
    "mfrac",
    "msqrt",
    "mroot",
    "mstyle",
    "merror",
    "mpadded",
    "mphantom",
    "msub",
    "msup",
    "msubsup",
    "munder",
    "mover",
    "munderover",
    "mmultiscripts",
    "mprescripts",
    "none",
    "mtable",
    "mtr",
    "mtd",
    "semantics",
    "annotation",
    "menclose",
];

/// Attributes that carry layout, never behaviour or a URL.
const ATTRIBUTES: &[&str] = &[
    "display",
    "mathvariant",
    "stretchy",
    "symmetric",
    "fence",
    "separator",
    "lspace",
    "rspace",
    "width",
    "height",
    "depth",
    "voffset",
    "columnalign",
    "rowalign",
    "columnspacing",
    "rowspacing",
    "columnlines",
    "rowlines",
    "frame",
    "framespacing",
    "accent",
    "accentunder",
    "movablelimits",
    "largeop",
    "minsize",
    "maxsize",
    "linethickness",
    "scriptlevel",
    "displaystyle",
    "form",
    "notation",
    "class",
    "style",
    "columnspan",
    "rowspan",
    "encoding",
];

/// The MathML for `tex`, or why it cannot be read (the page then shows the source).
pub fn render(tex: &str, display: bool) -> Result<String, String> {
    use pulldown_latex::{Parser, RenderConfig, Storage, config::DisplayMode};
    let tex = infix_fractions(tex);
    let storage = Storage::new();
    let events: Vec<_> = Parser::new(&tex, &storage).collect();
    if let Some(Err(e)) = events.iter().find(|e| e.is_err()) {
        // The message's first line; the rest repeats the source with a caret.
        return Err(e.to_string().lines().next().unwrap_or("unreadable").to_string());
    }
    let config = RenderConfig {
        display_mode: if display { DisplayMode::Block } else { DisplayMode::Inline },
        ..Default::default()
    };
    let mut out = String::new();
    pulldown_latex::push_mathml(&mut out, events.into_iter(), config).map_err(|e| e.to_string())?;
    Ok(sanitize(&out))
}

/// arithmatex's `\(…\)` and `\[…\]` (which CommonMark reads as escaped brackets) as
/// `$…$` and `$$…$$`, outside code.
pub(super) fn delimiters(lines: Lines<'_>) -> Lines<'_> {
    if !lines.iter().any(|(l, _)| l.contains("\\(") || l.contains("\\[")) {
        return lines;
    }
    let mut fences = Fences::default();
    let mut out = Vec::with_capacity(lines.len());
    for (line, src) in lines {
        let t = line.trim_start();
        if fences.in_code(t) || !(line.contains("\\(") || line.contains("\\[") || t.trim_end() == "\\]") {
            out.push((line, src));
            continue;
        }
        let indent = &line[..line.len() - t.len()];
        let converted = match t.trim_end() {
            "\\[" | "\\]" => format!("{indent}$$"),
            _ => inline_delimiters(&line),
        };
        out.push((Cow::Owned(converted), src));
    }
    out
}

/// `\(x\)` → `$x$` within a line, outside inline code.
fn inline_delimiters(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut in_code = false;
    while let Some(i) = rest.find(['`', '\\']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('`') {
            in_code = !in_code;
            out.push('`');
            rest = &rest[1..];
            continue;
        }
        // Inline, only `\(…\)` holding something mathematical: CommonMark reads `\[` and
        // `\(` as escaped brackets (`\[**--write**\]` in CLI synopses).
        let end = rest.strip_prefix("\\(").and_then(|r| r.find("\\)"));
        match end.filter(|&e| !in_code && looks_like_math(&rest[2..2 + e])) {
            Some(e) => {
                out.push('$');
                out.push_str(rest[2..2 + e].trim());
                out.push('$');
                rest = &rest[2 + e + 2..];
            }
            _ => {
                let n = rest.chars().next().map_or(1, char::len_utf8);
                out.push_str(&rest[..n]);
                rest = &rest[n..];
                // An escaped character stays escaped whole (`\\(`).
                if let Some(c) = rest.chars().next().filter(|_| n == 1 && !in_code) {
                    out.push(c);
                    rest = &rest[c.len_utf8()..];
                }
            }
        }
    }
    out.push_str(rest);
    out
}

/// A formula, not prose in escaped parentheses: a command, an operator or a short symbol.
fn looks_like_math(inner: &str) -> bool {
    let t = inner.trim();
    !t.is_empty()
        && !t.contains(['`', '*'])
        && (t.contains(['\\', '^', '_', '=', '+', '<', '>', '{']) || t.chars().count() <= 3)
}

/// Plain TeX's `{a \over b}` (which the renderer lacks) as `{\frac{a}{b}}`: the group
/// around `\over`, or the whole formula, split at it.
fn infix_fractions(tex: &str) -> Cow<'_, str> {
    let is_over = |t: &str, i: usize| {
        t[i..].starts_with("\\over") && !t[i + 5..].starts_with(|c: char| c.is_ascii_alphabetic())
    };
    let Some(mut at) = tex.find("\\over").filter(|&i| is_over(tex, i)) else { return Cow::Borrowed(tex) };
    let mut t = tex.to_string();
    // Each pass rewrites one `\over`; a formula holds a handful at most.
    for _ in 0..64 {
        let bytes = t.as_bytes();
        let (mut depth, mut start) = (0usize, 0usize);
        for i in (0..at).rev() {
            match bytes[i] {
                b'}' => depth += 1,
                b'{' if depth == 0 => {
                    start = i + 1;
                    break;
                }
                b'{' => depth -= 1,
                _ => {}
            }
        }
        let mut depth = 0usize;
        let mut end = t.len();
        for (i, &b) in bytes.iter().enumerate().skip(at + 5) {
            match b {
                b'{' => depth += 1,
                b'}' if depth == 0 => {
                    end = i;
                    break;
                }
                b'}' => depth -= 1,
                _ => {}
            }
        }
        let frac = format!("\\frac{{{}}}{{{}}}", &t[start..at], &t[at + 5..end]);
        t.replace_range(start..end, &frac);
        match (0..t.len()).find(|&i| t.is_char_boundary(i) && is_over(&t, i)) {
            Some(next) => at = next,
            None => break,
        }
    }
    Cow::Owned(t)
}

/// The HTML a formula takes on the page: MathML, or its source as code with the reason.
pub fn html(tex: &str, display: bool) -> (String, Option<String>) {
    match render(tex, display) {
        // Inside a paragraph (a span, shown as a block); a wide formula scrolls, and
        // tabindex lets the keyboard scroll it too.
        Ok(mathml) if display => {
            (format!("<span class=\"math-display\" tabindex=\"0\">{mathml}</span>"), None)
        }
        Ok(mathml) => (mathml, None),
        Err(why) => (format!("<code class=\"math-error\">{}</code>", escape(tex)), Some(why)),
    }
}

/// Keep the allowed elements and attributes; everything else, `<` included, becomes text.
fn sanitize(mathml: &str) -> String {
    let mut out = String::with_capacity(mathml.len());
    let mut rest = mathml;
    while let Some(at) = rest.find('<') {
        out.push_str(&text(&rest[..at]));
        rest = &rest[at..];
        match tag(rest) {
            Some((clean, len)) => {
                out.push_str(&clean);
                rest = &rest[len..];
            }
            None => {
                out.push_str("&lt;");
                rest = &rest[1..];
            }
        }
    }
    out.push_str(&text(rest));
    out
}

/// Text between tags, with `&` escaped unless it starts an entity, and `>` escaped.
fn text(t: &str) -> Cow<'_, str> {
    if !t.contains(['&', '>', '"']) {
        return Cow::Borrowed(t);
    }
    let mut out = String::with_capacity(t.len() + 8);
    for (i, c) in t.char_indices() {
        match c {
            '&' if is_entity(&t[i..]) => out.push('&'),
            '&' => out.push_str("&amp;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn is_entity(s: &str) -> bool {
    let Some(end) = s[1..].find(';').map(|e| e + 1) else { return false };
    let name = &s[1..end];
    !name.is_empty()
        && name.len() <= 10
        && name.trim_start_matches('#').chars().all(|c| c.is_ascii_alphanumeric())
}

/// An allowed tag at the start of `s`, rewritten with only allowed attributes (quoted),
/// and its length in `s`.
fn tag(s: &str) -> Option<(String, usize)> {
    let end = s.find('>')?;
    let inner = &s[1..end];
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(i) => (true, i),
        None => (false, inner),
    };
    let (inner, self_closing) = match inner.strip_suffix('/') {
        Some(i) => (i, true),
        None => (inner, false),
    };
    let name_end = inner.find(|c: char| c.is_whitespace()).unwrap_or(inner.len());
    let name = &inner[..name_end];
    if !ELEMENTS.contains(&name) {
        return None;
    }
    if closing {
        return (name_end == inner.len()).then(|| (format!("</{name}>"), end + 1));
    }
    let mut clean = format!("<{name}");
    for (key, value) in attributes(&inner[name_end..])? {
        if ATTRIBUTES.contains(&key) && (key != "style" || safe_style(value)) {
            clean.push_str(&format!(" {key}=\"{}\"", escape(value)));
        }
    }
    clean.push_str(if self_closing { "/>" } else { ">" });
    Some((clean, end + 1))
}

/// `key="value"` pairs (double-quoted, as the renderer writes them); `None` for anything
/// else, so that text resembling a tag stays text.
fn attributes(mut s: &str) -> Option<Vec<(&str, &str)>> {
    let mut out = Vec::new();
    loop {
        s = s.trim_start();
        if s.is_empty() {
            return Some(out);
        }
        let (key, rest) = s.split_once("=\"")?;
        let (value, rest) = rest.split_once('"')?;
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return None;
        }
        out.push((key, value));
        s = rest;
    }
}

/// Colours and borders, the only styles the renderer writes; nothing that loads a URL.
fn safe_style(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    lower.chars().all(|c| c.is_ascii_alphanumeric() || " :;#().,%-".contains(c))
        && !["url", "expression", "import", "image"].iter().any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_mathml() {
        let m = render(r"\frac{a}{b} + \sqrt{x} < y", true).unwrap();
        assert!(m.starts_with("<math display=\"block\"><mfrac>"), "{m}");
        assert!(m.contains("<mo>&lt;</mo>"), "a bare < is escaped: {m}");
        assert!(render(r"a \& b", false).unwrap().contains("<mi>&amp;</mi>"));
        let colour = render(r"\color{red}{x}", false).unwrap();
        assert!(colour.contains("style=\"color: rgb(255 0 0)\""), "{colour}");
    }

    #[test]
    fn arithmatex_delimiters() {
        let lines = |t: &'static str| t.lines().enumerate().map(|(i, l)| (Cow::Borrowed(l), i + 1)).collect();
        let out: Vec<String> =
            delimiters(lines("When \\(a \\ne 0\\), `\\(code\\)`:\n\\[\nx^2\n\\]\n```\n\\(kept\\)\n```\nA \\[y\\], \\(see above\\), \\(x\\) and \\\\(not\\)"))
                .into_iter()
                .map(|(l, _)| l.into_owned())
                .collect();
        assert_eq!(
            out,
            [
                "When $a \\ne 0$, `\\(code\\)`:",
                "$$",
                "x^2",
                "$$",
                "```",
                "\\(kept\\)",
                "```",
                "A \\[y\\], \\(see above\\), $x$ and \\\\(not\\)"
            ]
        );
    }

    #[test]
    fn plain_tex_fractions() {
        assert_eq!(
            infix_fractions(r"x = {-b \pm \sqrt{b^2-4ac} \over 2a}"),
            r"x = {\frac{-b \pm \sqrt{b^2-4ac} }{ 2a}}"
        );
        assert_eq!(infix_fractions(r"1 \over 2"), r"\frac{1 }{ 2}");
        assert_eq!(infix_fractions(r"\overline{x}"), r"\overline{x}");
        assert!(render(r"{a \over b} + {c \over d}", false).unwrap().matches("<mfrac>").count() == 2);
    }

    #[test]
    fn markup_in_the_input_stays_text() {
        let m = render(r"\operatorname{<img src=x onerror=alert(1)>}", false).unwrap();
        assert!(!m.contains("<img") && m.contains("&lt;img src=x onerror=alert(1)&gt;"), "{m}");
        let m = render(r#"\operatorname{<mi onclick="x()" style="background:url(//e)">}"#, false).unwrap();
        assert!(!m.contains("onclick") && !m.contains("url("), "{m}");
        let m = render(r"\mathrm{</math><script>}", false).unwrap();
        assert!(!m.contains("<script") && m.matches("</math>").count() == 1, "{m}");
    }

    #[test]
    fn unreadable_math_is_shown_as_source_with_the_reason() {
        let (shown, why) = html(r"\frac{a", false);
        assert_eq!(shown, "<code class=\"math-error\">\\frac{a</code>");
        assert!(why.unwrap().contains("unbalanced"));
        let (shown, why) = html(r"\href{javascript:alert(1)}{x} <b>", false);
        assert!(why.is_some() && shown.contains("&lt;b&gt;") && !shown.contains("<math"), "{shown}");
    }
}
