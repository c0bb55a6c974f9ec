//! Syntax highlighting with syntect, emitting CSS classes (`hl-*`) rather than inline
//! colours, so the theme's light and dark palettes both apply. The syntax set is two-face's
//! (bat's), which adds PowerShell, TOML, Dockerfile, INI and more to syntect's defaults.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use syntect::html::{ClassStyle, css_for_theme_with_class_style, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// Names people write after the fence that syntect does not know by that token.
fn alias(lang: &str) -> &str {
    match lang {
        "console" | "shell" | "shell-session" | "sh" | "zsh" | "terminal" => "bash",
        "ps" | "ps1" | "pwsh" | "posh" => "powershell",
        "cmd" | "bat" | "batch" | "dos" => "Batch File",
        "cs" | "c#" | "csharp" => "C#",
        "dockerfile" | "docker" => "Dockerfile",
        "yml" => "yaml",
        "jsonc" | "json5" => "json",
        "ts" | "tsx" => "typescript",
        "js" | "jsx" | "mjs" => "javascript",
        "py" => "python",
        "patch" => "diff",
        "conf" | "cfg" => "ini",
        "html" | "htm" | "vue" => "html",
        other => other,
    }
}

fn find(lang: &str) -> Option<&'static SyntaxReference> {
    let ss = syntaxes();
    let lower = lang.to_ascii_lowercase();
    let token = alias(&lower);
    ss.find_syntax_by_token(token).or_else(|| ss.find_syntax_by_name(token))
}

/// Does Kiln know how to highlight `lang`?
pub fn is_known(lang: &str) -> bool {
    find(lang).is_some()
}

/// Highlight `code` as `lang`; `None` when the language is unknown (render plain).
///
/// Does what syntect's `ClassedHTMLGenerator` does, with the parse of each line memoised:
/// a line parsed from the same state always yields the same scope operations and next
/// state, and knowledge bases repeat lines (`Get-Mailbox -Identity …`, `sudo systemctl
/// restart …`) across articles. Parsing is most of the cost of highlighting, which is most
/// of the cost of rendering Markdown.
pub fn highlight(code: &str, lang: &str) -> Option<String> {
    let syntax = find(lang)?;
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut html = String::with_capacity(code.len() * 3);
    let mut open_spans = 0isize;
    MEMO.with(|memo| -> Option<()> {
        let mut memo = memo.borrow_mut();
        for line in LinesWithEndings::from(code) {
            let key = (std::ptr::from_ref(syntax) as usize, format!("{state:?}"), line.to_string());
            let ops = match memo.map.get(&key) {
                Some((ops, next)) => {
                    state = next.clone();
                    ops.clone()
                }
                None => {
                    let ops = state.parse_line(line, syntaxes()).ok()?;
                    // What an entry holds: the key's text twice (the state is kept as a
                    // value too) and the operations.
                    let size = 2 * key.1.len() + key.2.len() + ops.len() * 32 + 96;
                    if memo.map.len() >= MEMO_LINES || memo.bytes + size > MEMO_BYTES {
                        memo.map.clear();
                        memo.bytes = 0;
                    }
                    memo.bytes += size;
                    memo.map.insert(key, (ops.clone(), state.clone()));
                    ops
                }
            };
            let (formatted, delta) =
                line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut stack).ok()?;
            open_spans += delta;
            html.push_str(&formatted);
        }
        Some(())
    })?;
    for _ in 0..open_spans {
        html.push_str("</span>");
    }
    Some(html)
}

/// Lines remembered before the memo starts over (bounds its memory).
const MEMO_LINES: usize = 100_000;
/// Bytes the memo may hold per thread, roughly, before it starts over: parse states of
/// deeply nested grammars are kilobytes each, so a line count alone does not bound it.
const MEMO_BYTES: usize = 48 << 20;

/// (syntax, parse state before the line, line).
type MemoKey = (usize, String, String);
/// (scope operations, state after the line).
type MemoValue = (Vec<(usize, ScopeStackOp)>, ParseState);

/// The remembered parses of this thread and roughly how many bytes they hold.
#[derive(Default)]
struct Memo {
    map: HashMap<MemoKey, MemoValue>,
    bytes: usize,
}

thread_local! {
    // Per thread: a parse state holds regex match data that cannot cross threads.
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// CSS for the light palette, and for the dark palette scoped to `[data-theme="dark"]`.
pub fn theme_css() -> String {
    use two_face::theme::EmbeddedThemeName as T;
    let themes = two_face::theme::extra();
    let light = css_for_theme_with_class_style(themes.get(T::ColdarkCold), CLASS_STYLE).unwrap_or_default();
    let dark = css_for_theme_with_class_style(themes.get(T::ColdarkDark), CLASS_STYLE).unwrap_or_default();
    let mut out = String::from("/* Generated by Kiln from the Coldark themes (AA contrast). */\n");
    out.push_str(&light);
    out.push_str(&scope_css(&dark, ":root[data-theme=\"dark\"]"));
    out
}

/// Prefix every selector of simple flat CSS with `scope`.
fn scope_css(css: &str, scope: &str) -> String {
    let mut out = String::with_capacity(css.len() * 2);
    for rule in css.split_inclusive('}') {
        match rule.find('{') {
            Some(brace) => {
                let (selectors, body) = rule.split_at(brace);
                let mut sel_out = Vec::new();
                for s in selectors.split(',') {
                    let s = strip_comments(s);
                    let s = s.trim();
                    if !s.is_empty() {
                        sel_out.push(format!("{scope} {s}"));
                    }
                }
                if !sel_out.is_empty() {
                    out.push_str(&sel_out.join(", "));
                    out.push_str(body);
                    out.push('\n');
                }
            }
            None => out.push_str(rule),
        }
    }
    out
}

fn strip_comments(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        match rest[start..].find("*/") {
            Some(end) => rest = &rest[start + end + 2..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memo_is_bounded_in_bytes() {
        // Unique long lines in a nested grammar (found by fuzzing the Markdown stage: the
        // memo grew past 500 MB).
        let line = format!("<div><span>{}</span></div>\n", "x".repeat(4000));
        for i in 0..20_000 {
            let _ = highlight(&format!("{i}{line}"), "html");
        }
        MEMO.with(|m| assert!(m.borrow().bytes <= MEMO_BYTES, "{} bytes", m.borrow().bytes));
    }

    /// syntect's own generator, which `highlight` must match byte for byte.
    fn reference(code: &str, lang: &str) -> String {
        let mut g = syntect::html::ClassedHTMLGenerator::new_with_class_style(
            find(lang).unwrap(),
            syntaxes(),
            CLASS_STYLE,
        );
        for line in LinesWithEndings::from(code) {
            g.parse_html_for_line_which_includes_newline(line).unwrap();
        }
        g.finalize()
    }

    #[test]
    fn memoised_lines_match_syntects_generator() {
        // Lines that repeat in different states: inside and outside a here-string, a block
        // comment and a multi-line YAML scalar, so a memo keyed on the line alone would fail.
        let cases = [
            (
                "powershell",
                "$a = @\"\nGet-Mailbox -Identity x\n\"@\nGet-Mailbox -Identity x\n<#\nGet-Mailbox -Identity x\n#>\n",
            ),
            (
                "bash",
                "echo \"a\nsudo systemctl restart x\n\"\nsudo systemctl restart x\ncat <<EOF\nsudo systemctl restart x\nEOF\n",
            ),
            ("yaml", "key: |\n  name: x\nname: x\nlist:\n  - name: x\n"),
            ("json", "{\"a\": [1, 2],\n \"b\": \"x\"}\n"),
        ];
        for _ in 0..2 {
            for (lang, code) in cases {
                assert_eq!(highlight(code, lang).unwrap(), reference(code, lang), "{lang}");
            }
        }
    }

    #[test]
    fn required_languages_are_known() {
        for lang in [
            "powershell",
            "bash",
            "sh",
            "shell",
            "console",
            "cmd",
            "batch",
            "json",
            "yaml",
            "toml",
            "xml",
            "html",
            "css",
            "javascript",
            "typescript",
            "python",
            "csharp",
            "sql",
            "ini",
            "diff",
            "dockerfile",
        ] {
            assert!(is_known(lang), "{lang} should highlight");
        }
        assert!(!is_known("klingon"));
    }

    #[test]
    fn emits_classes_not_colours() {
        let html = highlight("Get-Mailbox -Identity x", "powershell").unwrap();
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="));
    }

    #[test]
    fn dark_css_is_scoped() {
        let css = theme_css();
        assert!(css.contains(":root[data-theme=\"dark\"] .hl-"));
    }
}
