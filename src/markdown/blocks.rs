//! MkDocs Material's block syntaxes beside its admonitions: content tabs (`=== "Linux"`,
//! the body indented under each) and pymdownx blocks (`/// tip | Title` … `///`, with
//! `details`, `admonition`, `tab` and option lines). Tabs become the theme's tab sets (the
//! same HTML MDX `<Tabs>` gives); blocks become admonitions.

use std::borrow::Cow;

use super::admonitions::{
    Kind, Preprocessed, Scan, Wanted, default_title, emit_close, emit_open, kind_of, process, unknown_type,
};
use super::includes::{CodeFile, CodeInclude};
use crate::base::html::escape;

/// A tab set's opening HTML (`group` keeps sets of one group in step).
pub(super) fn tabs_open(group: Option<&str>) -> String {
    let data = group.map_or(String::new(), |g| format!(" data-group=\"{}\"", escape(g)));
    format!("<div class=\"kiln-tabs\"{data}>")
}

/// A tab panel's opening HTML: its label is shown above it until kiln.js makes the set a
/// tablist, and in print.
pub(super) fn tab_panel_open(label: &str) -> String {
    let label = escape(label);
    format!("<div class=\"kiln-tab-panel\" data-label=\"{label}\">\n<p class=\"kiln-tab-label\">{label}</p>")
}

/// A content tab's opener: `=== "Title"`, `===+` (selected), `===!` (starts a new set).
pub(super) struct ContentTab<'a> {
    title: &'a str,
    new_set: bool,
}

/// `=== "Title"` and its variants.
pub(super) fn content_tab(trimmed: &str) -> Option<ContentTab<'_>> {
    let rest = trimmed.strip_prefix("===")?;
    let (new_set, rest) = match rest.chars().next()? {
        '!' => (true, &rest[1..]),
        '+' => (false, &rest[1..]),
        _ => (false, rest),
    };
    let title = rest.trim().strip_prefix('"')?.strip_suffix('"')?;
    Some(ContentTab { title, new_set })
}

/// A pymdownx block opener: `/// name | title`, with as many slashes as its closer.
pub(super) struct SlashBlock<'a> {
    slashes: usize,
    name: &'a str,
    title: Option<&'a str>,
}

/// `/// name`, `/// name | Title`.
pub(super) fn slash_block(trimmed: &str) -> Option<SlashBlock<'_>> {
    let slashes = trimmed.chars().take_while(|&c| c == '/').count();
    let rest = trimmed[slashes..].trim();
    if slashes < 3 || rest.is_empty() {
        return None;
    }
    let (name, title) = rest.split_once('|').map_or((rest, None), |(n, t)| (n.trim(), Some(t.trim())));
    let ok = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    ok.then_some(SlashBlock { slashes, name, title: title.filter(|t| !t.is_empty()) })
}

/// `[TOC]` (Python-Markdown) and `[[toc]]` (VitePress) alone on a line: the theme shows
/// the table of contents already.
pub(super) fn is_toc_marker(trimmed: &str) -> bool {
    matches!(trimmed.trim_end(), "[TOC]" | "[[toc]]")
}

impl<'a> Scan<'_, 'a> {
    /// A code include: the file as a fenced code block; a file that cannot be read is a
    /// placeholder naming it, with one warning for the site.
    pub(super) fn code_include(
        &mut self,
        include: CodeInclude,
        indent: &str,
        src: usize,
        out: &mut Preprocessed,
    ) {
        let path = include.file.path();
        let read = match &include.file {
            CodeFile::Snippet(p) => {
                (self.include)(Wanted::Snippet(p)).or_else(|_| (self.include)(Wanted::Page(p)))
            }
            CodeFile::Page(p) => (self.include)(Wanted::Page(p)),
        };
        match read.map(|text| include.shape(&text)) {
            Ok((code, info)) => {
                let fence = "`".repeat(
                    code.split('\n')
                        .map(|l| l.chars().take_while(|&c| c == '`').count())
                        .max()
                        .unwrap_or(0)
                        .max(2)
                        + 1,
                );
                out.push("", src);
                out.push(&format!("{indent}{fence}{info}"), src);
                for line in code.lines() {
                    out.push(&format!("{indent}{line}"), src);
                }
                out.push(&format!("{indent}{fence}"), src);
                out.push("", src);
            }
            Err(_) => {
                let placeholder = format!(
                    "<div class=\"kiln-placeholder\" role=\"note\"><p>Code from <code>{}</code>, which is not part of this site</p></div>",
                    escape(path)
                );
                html(out, indent, &placeholder, src);
                out.issues.push(super::admonitions::Issue {
                    once: true,
                    is_error: false,
                    line: src,
                    message: "code includes (`{* file *}`, `<<< @/file`) of files not found in the site (snippet_dirs, the content folder) are shown as placeholders".into(),
                });
            }
        }
    }

    /// A run of content tabs (only blank lines between them) as one tab set.
    pub(super) fn content_tabs(
        &mut self,
        first: ContentTab,
        raw: &str,
        indent: &str,
        src: usize,
        out: &mut Preprocessed,
    ) {
        if !self.may_nest(raw, src, out) {
            return;
        }
        html(out, indent, &tabs_open(None), src);
        let mut title = first.title.to_string();
        loop {
            html(out, indent, &tab_panel_open(&title), src);
            let body = self.indented_body(indent);
            process(&body, out, self.include, self.depth.inner());
            html(out, indent, "</div>", src);
            match self.next_opener(|t| content_tab(t).filter(|t| !t.new_set).map(|t| t.title.to_string())) {
                Some(next) => title = next,
                None => break,
            }
        }
        html(out, indent, "</div>", src);
    }

    /// A pymdownx block up to its closing slashes; a run of `tab` blocks is one tab set.
    pub(super) fn slash_block(
        &mut self,
        first: SlashBlock,
        raw: &str,
        indent: &str,
        src: usize,
        out: &mut Preprocessed,
    ) {
        if !self.may_nest(raw, src, out) {
            return;
        }
        let is_tab = first.name == "tab";
        if is_tab {
            html(out, indent, &tabs_open(None), src);
        }
        let (slashes, mut name, mut title) =
            (first.slashes, first.name.to_string(), first.title.map(String::from));
        loop {
            let options = self.options();
            let body = self.until_slashes(slashes, src, out);
            self.emit_slash_block(&name, title.as_deref(), &options, indent, src, &body, out);
            if !is_tab {
                return;
            }
            let next = self.next_opener(|t| {
                slash_block(t)
                    .filter(|b| b.slashes == slashes && b.name == "tab")
                    .map(|b| b.title.map(String::from))
            });
            // `new: true` in a tab's options starts a set of its own.
            let new_set = next.is_some() && self.peek_options().iter().any(|(k, v)| k == "new" && is_true(v));
            match next {
                Some(t) if !new_set => (name, title) = ("tab".into(), t),
                Some(t) => {
                    html(out, indent, "</div>", src);
                    html(out, indent, &tabs_open(None), src);
                    (name, title) = ("tab".into(), t);
                }
                None => break,
            }
        }
        html(out, indent, "</div>", src);
    }

    #[allow(clippy::too_many_arguments)]
    fn emit_slash_block(
        &mut self,
        name: &str,
        title: Option<&str>,
        options: &[(String, String)],
        indent: &str,
        src: usize,
        body: &[(Cow<'a, str>, usize)],
        out: &mut Preprocessed,
    ) {
        let option = |k: &str| options.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
        let (kind, shown_name) = match name {
            "tab" => {
                html(out, indent, &tab_panel_open(title.unwrap_or("Tab")), src);
                process(body, out, self.include, self.depth.inner());
                html(out, indent, "</div>", src);
                return;
            }
            "html" | "define" => {
                process(body, out, self.include, self.depth.inner());
                return;
            }
            "details" => (Kind::Details, option("type").unwrap_or("details")),
            "admonition" => {
                let t = option("type").unwrap_or("note");
                (kind_of(t).unwrap_or(Kind::Aside("note")), t)
            }
            other => match kind_of(other) {
                Some(k) => (k, other),
                None => {
                    out.issues.push(unknown_type(other, src));
                    (Kind::Aside("note"), other)
                }
            },
        };
        let title = title.map_or_else(|| default_title(shown_name), String::from);
        let open = option("open").is_some_and(is_true);
        emit_open(out, indent, kind, shown_name, &title, open, src);
        process(body, out, self.include, self.depth.inner());
        emit_close(out, indent, kind, src);
    }

    /// docfx containers, opened and closed by name: `:::zone pivot="…"` … `:::zone-end`,
    /// `::: moniker range="…"` … `::: moniker-end` (labelled sections), `:::row:::` …
    /// `:::row-end:::` and `:::column:::` … `:::column-end:::` (a row of columns). Whether
    /// `rest` (the line after its colons) was one.
    pub(super) fn docfx_container(
        &mut self,
        rest: &str,
        indent: &str,
        src: usize,
        out: &mut Preprocessed,
    ) -> bool {
        let rest = rest.trim().trim_end_matches(':').trim_end();
        let name_end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(rest.len());
        let (name, attrs) = (&rest[..name_end], &rest[name_end..]);
        if let Some(opened) =
            name.strip_suffix("-end").filter(|n| matches!(*n, "zone" | "moniker" | "row" | "column"))
        {
            match self.stack.iter().rposition(|o| o.name == opened) {
                Some(at) => {
                    for open in self.stack.drain(at..).rev().collect::<Vec<_>>() {
                        emit_close(out, &open.indent, open.kind, src);
                    }
                }
                None => out.issues.push(super::admonitions::Issue {
                    once: false,
                    is_error: false,
                    line: src,
                    message: format!("`:::{name}` closes no `:::{opened}`; ignored"),
                }),
            }
            return true;
        }
        let attr = |k: &str| super::docfx::attr_value(attrs, k).unwrap_or("");
        let (class, label) = match name {
            "zone" => ("kiln-zone", attr("pivot").to_string()),
            "moniker" => ("kiln-zone", format!("Applies to {}", attr("range"))),
            "row" => ("kiln-row", String::new()),
            "column" => ("kiln-column", String::new()),
            _ => return false,
        };
        let label_html = if label.trim().is_empty() {
            String::new()
        } else {
            format!("\n<p class=\"kiln-zone-label\">{}</p>", escape(&label))
        };
        html(out, indent, &format!("<div class=\"{class}\">{label_html}"), src);
        let kind = Kind::Div(class);
        self.stack.push(super::admonitions::Open {
            fence: 3,
            kind,
            indent: indent.to_string(),
            line: src,
            name: name.to_string(),
        });
        true
    }

    /// VitePress's `::: code-group`: each fenced block in it a tab, labelled by its
    /// `[name]` (else its language). `false` when it has no closing line (then it is read as
    /// any other block, and reported).
    pub(super) fn code_group(
        &mut self,
        colons: usize,
        indent: &str,
        src: usize,
        out: &mut Preprocessed,
    ) -> bool {
        let is_close = |l: &str| {
            let t = l.trim();
            t.len() >= colons && t.chars().all(|c| c == ':')
        };
        let Some(len) = self.lines[self.i..].iter().position(|(l, _)| is_close(l)) else { return false };
        let body = &self.lines[self.i..self.i + len];
        html(out, indent, &tabs_open(None), src);
        let mut k = 0;
        while k < body.len() {
            let (line, at) = (&body[k].0, body[k].1);
            let t = line.trim_start();
            let Some((ch, n)) = super::openers::code_fence_open(t) else {
                k += 1;
                continue;
            };
            let info = &t[n..];
            let f = super::code::fence(info);
            let label = f.title.clone().unwrap_or_else(|| f.lang.clone());
            html(out, indent, &tab_panel_open(if label.is_empty() { "Code" } else { &label }), at);
            // The label is the tab's: the fence keeps the rest of its info.
            let info = match info.find('[').zip(info.find(']')) {
                Some((a, b)) if a < b => format!("{}{}", &info[..a], &info[b + 1..]),
                _ => info.to_string(),
            };
            out.push(&format!("{indent}{}{info}", ch.to_string().repeat(n)), at);
            k += 1;
            while k < body.len() {
                let (l, at) = (&body[k].0, body[k].1);
                out.push(l, at);
                k += 1;
                let lt = l.trim_start();
                if lt.chars().take_while(|&c| c == ch).count() >= n && lt.trim_matches(ch).trim().is_empty() {
                    break;
                }
            }
            html(out, indent, "</div>", at);
        }
        html(out, indent, "</div>", src);
        self.i += len + 1;
        true
    }

    /// The option lines right after a block's opener (`    type: warning`), read past.
    fn options(&mut self) -> Vec<(String, String)> {
        let found = self.peek_options();
        self.i += found.len();
        found
    }

    fn peek_options(&self) -> Vec<(String, String)> {
        self.lines[self.i.min(self.lines.len())..]
            .iter()
            .map_while(|(l, _)| {
                let t = l.trim();
                let indented = l.starts_with([' ', '\t']);
                let (k, v) = t.split_once(':').filter(|_| indented)?;
                let key_ok = !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                key_ok.then(|| (k.to_string(), v.trim().to_string()))
            })
            .collect()
    }

    /// The lines up to a line of exactly `slashes` slashes (the scan moves past it); to the
    /// end, with a warning, when there is none.
    fn until_slashes(
        &mut self,
        slashes: usize,
        src: usize,
        out: &mut Preprocessed,
    ) -> Vec<(Cow<'a, str>, usize)> {
        let start = self.i;
        let close = self.lines[start..].iter().position(|(l, _)| {
            let t = l.trim();
            t.len() == slashes && t.chars().all(|c| c == '/')
        });
        let end = match close {
            Some(k) => start + k,
            None => {
                out.issues.push(super::admonitions::Issue {
                    once: false,
                    is_error: false,
                    line: src,
                    message: format!(
                        "`{}` block opened here is never closed; it runs to the end",
                        "/".repeat(slashes)
                    ),
                });
                self.lines.len()
            }
        };
        self.i = (end + 1).min(self.lines.len());
        self.lines[start..end].to_vec()
    }

    /// After blank lines, the next line's opener as `read` takes it; the scan moves past
    /// it when there is one.
    fn next_opener<T>(&mut self, read: impl Fn(&str) -> Option<T>) -> Option<T> {
        let mut j = self.i;
        while j < self.lines.len() && self.lines[j].0.trim().is_empty() {
            j += 1;
        }
        let found = read(self.lines.get(j)?.0.trim_start())?;
        self.i = j + 1;
        Some(found)
    }
}

fn is_true(v: &str) -> bool {
    matches!(v.trim().to_ascii_lowercase().as_str(), "true" | "yes" | "on")
}

fn html(out: &mut Preprocessed, indent: &str, html: &str, src: usize) {
    out.push("", src);
    for line in html.lines() {
        out.push(&format!("{indent}{line}"), src);
    }
    out.push("", src);
}

#[cfg(test)]
mod tests {
    use super::super::admonitions::{Wanted, preprocess};

    fn pp(s: &str) -> String {
        preprocess(s, 1, &|_| Err("no includes".into()), &[]).text
    }

    #[test]
    fn content_tabs_make_one_set() {
        let out = pp(
            "=== \"Linux\"\n\n    ```sh\n    ls\n    ```\n\n=== \"Windows\"\n\n    Use `dir`.\n\nAfter.\n",
        );
        assert_eq!(out.matches("<div class=\"kiln-tabs\">").count(), 1, "{out}");
        assert!(out.contains("data-label=\"Linux\"") && out.contains("data-label=\"Windows\""), "{out}");
        assert!(out.contains("\n```sh\nls\n```\n"), "bodies lose their indentation: {out}");
        let after = out.find("After.").unwrap();
        assert!(out[..after].trim_end().ends_with("</div>"), "the set closes before the text after: {out}");
        let two = pp("=== \"A\"\n    a\n===! \"B\"\n    b\n");
        assert_eq!(two.matches("<div class=\"kiln-tabs\">").count(), 2, "`===!` starts a new set: {two}");
    }

    #[test]
    fn toc_markers_go_and_code_includes_are_code() {
        let out = preprocess(
            "[TOC]\n\n{* app.py hl[2] *}\n\n{* ../../outside.py *}\n\n<<< @/snippets/init.ts{2 ts:line-numbers} [init.ts]\n",
            1,
            &|p| match p {
                Wanted::Snippet("app.py") => Ok("def f():\n    return 1\n".into()),
                Wanted::Page("/snippets/init.ts") => Ok("let a = 1;\nlet b = 2;\n".into()),
                _ => Err("outside".into()),
            },
            &[],
        );
        assert!(out.text.contains("```ts :line-numbers title=\"init.ts\" {2}\nlet a = 1;"), "{}", out.text);
        assert!(!out.text.contains("[TOC]"), "{}", out.text);
        assert!(out.text.contains("```python {2}\ndef f():\n    return 1\n```"), "{}", out.text);
        assert!(
            out.text.contains("kiln-placeholder") && out.text.contains("<code>../../outside.py</code>"),
            "{}",
            out.text
        );
        assert!(out.issues.len() == 1 && out.issues[0].once, "{:?}", out.issues);
    }

    #[test]
    fn code_groups_are_tabs() {
        let out =
            pp("::: code-group\n\n```sh [npm]\nnpm i\n```\n\n```sh [pnpm]{1}\npnpm i\n```\n\n:::\nAfter.\n");
        assert!(out.contains("data-label=\"npm\"") && out.contains("data-label=\"pnpm\""), "{out}");
        assert!(out.contains("\n```sh \nnpm i\n```\n") && out.contains("```sh {1}\npnpm i\n```"), "{out}");
        assert!(!out.contains(":::") && !out.contains("[npm]") && out.contains("After."), "{out}");
    }

    #[test]
    fn docfx_zones_monikers_rows_and_columns() {
        let p = preprocess(
            ":::zone pivot=\"windows\"\nUse **PowerShell**.\n:::zone-end\n\n::: moniker range=\">=v2\"\nNew.\n::: moniker-end\n\n:::row:::\n:::column span=\"2\":::\nLeft\n:::column-end:::\n:::column:::\nRight\n:::column-end:::\n:::row-end:::\n",
            1,
            &|_| Err("none".into()),
            &[],
        );
        assert!(p.issues.is_empty(), "{:?}", p.issues);
        let out = p.text;
        assert!(out.contains("<div class=\"kiln-zone\">\n<p class=\"kiln-zone-label\">windows</p>"), "{out}");
        assert!(out.contains("Applies to &gt;=v2"), "{out}");
        assert_eq!(out.matches("<div class=\"kiln-column\">").count(), 2, "{out}");
        assert_eq!(out.matches("<div").count(), out.matches("</div>").count(), "{out}");
        assert!(!out.contains(":::"), "{out}");
    }

    #[test]
    fn slash_blocks() {
        let out = pp(
            "/// tip | Use it\n\nText **here**.\n\n///\n\n/// details | More\n    open: True\n    type: warning\n\nHidden.\n///\n",
        );
        assert!(out.contains("admonition admonition-tip") && out.contains("Use it</p>"), "{out}");
        assert!(out.contains("<details class=\"admonition admonition-details\" open>"), "{out}");
        assert!(!out.contains("///") && !out.contains("open: True"), "{out}");
        let nested = pp("//// note | Outer\n/// warning | Inner\nin\n///\nback\n////\n");
        let inner = nested.find("admonition-warning").unwrap();
        assert!(
            nested.find("admonition-note").unwrap() < inner && nested[inner..].contains("back"),
            "{nested}"
        );
        let tabs =
            pp("/// tab | One\na\n///\n\n/// tab | Two\nb\n///\n\n/// tab | Three\n    new: true\nc\n///\n");
        assert_eq!(tabs.matches("<div class=\"kiln-tabs\">").count(), 2, "{tabs}");
        assert_eq!(tabs.matches("kiln-tab-panel").count(), 3, "{tabs}");
    }
}
