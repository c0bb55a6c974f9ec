//! pymdownx snippets: a `--8<-- "file"` line (or a block of file names between two
//! `--8<--` lines) is replaced by the file's lines before anything else reads the page —
//! inside code blocks too, as pymdownx does, which is how a code sample is pulled into a
//! fence. Files are looked up by the [`Resolver`](super::Resolver) in the site's snippet
//! folders; each included line keeps the line number of the snippet line, so diagnostics
//! point at it.
//!
//! A file name may carry lines (`file.md:3:8`, several ranges `file.md:1:2,6:7`, an open
//! end `file.md:3`) or a section (`file.md:name`, the lines between `--8<-- [start:name]`
//! and `--8<-- [end:name]`). `;--8<--` is an escaped marker, shown as `--8<--`.

use std::borrow::Cow;

use super::admonitions::Issue;
use super::preprocess::Lines;

const MARKER: &str = "--8<--";
/// Snippets include snippets at most this deep (a cycle stops here, with a warning).
const MAX_DEPTH: usize = 8;

/// Where snippets come from: `read` loads a file name as written (the site's snippet
/// folders searched in order), `append` names files added to the end of every page.
pub struct Snippets<'a> {
    /// Loads a snippet file, or says why not.
    pub read: &'a dyn Fn(&str) -> Result<String, String>,
    /// Files appended to every page (pymdownx's `auto_append`).
    pub append: &'a [String],
}

/// `lines` with every snippet marker replaced by what it includes, and the appended files
/// at the end (their lines numbered as the page's last line).
pub(super) fn expand<'t>(lines: Lines<'t>, snippets: &Snippets, issues: &mut Vec<Issue>) -> Lines<'t> {
    if snippets.append.is_empty() && !lines.iter().any(|(l, _)| l.contains(MARKER)) {
        return lines;
    }
    let last = lines.last().map_or(1, |(_, n)| *n);
    let mut out = Vec::with_capacity(lines.len());
    expand_into(lines, snippets, issues, 0, &mut out);
    for name in snippets.append {
        include(name, "", last, snippets, issues, 0, &mut out);
    }
    out
}

fn expand_into<'t>(
    lines: Lines<'t>,
    snippets: &Snippets,
    issues: &mut Vec<Issue>,
    depth: usize,
    out: &mut Lines<'t>,
) {
    let mut iter = lines.into_iter().peekable();
    while let Some((line, src)) = iter.next() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        if let Some(rest) = trimmed.strip_prefix(';').filter(|r| r.starts_with(MARKER)) {
            out.push((Cow::Owned(format!("{indent}{rest}")), src));
            continue;
        }
        let Some(rest) = trimmed.strip_prefix(MARKER) else {
            out.push((line, src));
            continue;
        };
        let rest = rest.trim();
        if let Some(name) = quoted(rest) {
            let indent = indent.to_string();
            include(name, &indent, src, snippets, issues, depth, out);
        } else if rest.is_empty() {
            // Block form: file names, one a line, up to the closing marker; without one
            // the marker is text.
            let names: Vec<(Cow<str>, usize)> =
                iter.clone().take_while(|(l, _)| l.trim() != MARKER).collect();
            if iter.clone().nth(names.len()).is_none() {
                out.push((line, src));
                continue;
            }
            for _ in 0..=names.len() {
                iter.next();
            }
            let indent = indent.to_string();
            for (name, at) in &names {
                let name = name.trim();
                if !name.is_empty() && !name.starts_with(';') {
                    include(name, &indent, *at, snippets, issues, depth, out);
                }
            }
        } else if section_mark(&line).is_none() {
            out.push((line, src));
        }
        // A section marker in a page is dropped, as pymdownx does.
    }
}

/// Insert the lines `spec` names (a file and optional lines or section) behind `indent`.
fn include<'t>(
    spec: &str,
    indent: &str,
    src: usize,
    snippets: &Snippets,
    issues: &mut Vec<Issue>,
    depth: usize,
    out: &mut Lines<'t>,
) {
    let warn = |issues: &mut Vec<Issue>, message: String| {
        issues.push(Issue { is_error: false, line: src, message, once: false });
    };
    if spec.contains("://") {
        warn(
            issues,
            format!("snippet {spec:?} is a URL; Kiln reads no network at build time, so it is left out"),
        );
        return;
    }
    if depth >= MAX_DEPTH {
        warn(issues, format!("snippet {spec:?} nests more than {MAX_DEPTH} deep (a cycle?); left out"));
        return;
    }
    let (name, select) = split_spec(spec);
    let text = match (snippets.read)(name) {
        Ok(t) => t,
        Err(why) => return warn(issues, format!("snippet {name:?} left out: {why}")),
    };
    let all: Vec<&str> = text.lines().collect();
    let picked = match select.map(|s| pick(&all, s)) {
        None => all,
        Some(Some(lines)) => lines,
        Some(None) => {
            return warn(issues, format!("snippet {spec:?}: no such lines or section in {name:?}; left out"));
        }
    };
    let lines: Lines<'t> = picked
        .into_iter()
        .filter(|l| section_mark(l).is_none())
        .map(|l| (Cow::Owned(format!("{indent}{l}")), src))
        .collect();
    expand_into(lines, snippets, issues, depth + 1, out);
}

/// `"file"` or `'file'`: the file spec inside the quotes.
fn quoted(rest: &str) -> Option<&str> {
    let q = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = rest[1..].strip_suffix(q)?;
    (!inner.is_empty() && !inner.contains(q)).then_some(inner)
}

/// `--8<-- [start:name]` or `[end:name]`, anywhere in the line (behind a comment sign in
/// code): whether it starts, and the name.
fn section_mark(line: &str) -> Option<(bool, &str)> {
    let rest = line[line.find(MARKER)? + MARKER.len()..].trim_start().strip_prefix('[')?;
    let (kind, rest) = rest.split_once(':')?;
    let name = rest.split_once(']')?.0.trim();
    match kind.trim() {
        "start" => Some((true, name)),
        "end" => Some((false, name)),
        _ => None,
    }
}

/// `file.md:3:8` → (`file.md`, `3:8`); a Windows drive letter is not a selection.
fn split_spec(spec: &str) -> (&str, Option<&str>) {
    match spec.find(':') {
        Some(i) if i > 1 => (&spec[..i], Some(&spec[i + 1..])),
        _ => (spec, None),
    }
}

/// The lines a selection names: ranges (`3:8`, `3`, `1:2,6:7`, 1-based and inclusive) or a
/// section name. `None` when it names nothing there.
fn pick<'s>(all: &[&'s str], select: &str) -> Option<Vec<&'s str>> {
    if select.chars().all(|c| c.is_ascii_digit() || c == ':' || c == ',') {
        let mut lines = Vec::new();
        for range in select.split(',') {
            let (a, b) = range.split_once(':').unwrap_or((range, ""));
            let start = a.parse::<usize>().unwrap_or(1).max(1);
            let end = b.parse::<usize>().unwrap_or(all.len()).min(all.len());
            if start > end {
                return None;
            }
            lines.extend_from_slice(&all[start - 1..end]);
        }
        return Some(lines);
    }
    let start = all.iter().position(|l| section_mark(l) == Some((true, select)))?;
    let len = all[start + 1..].iter().position(|l| section_mark(l) == Some((false, select)))?;
    Some(all[start + 1..start + 1 + len].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(page: &str, append: &[String]) -> (String, Vec<Issue>) {
        let read = |name: &str| match name {
            "a.md" => Ok("one\ntwo\nthree\nfour".to_string()),
            "code.py" => Ok("# --8<-- [start:main]\nprint(1)\n# --8<-- [end:main]\nprint(2)".to_string()),
            "nested.md" => Ok("before\n--8<-- \"a.md:2\"".to_string()),
            "loop.md" => Ok("--8<-- \"loop.md\"".to_string()),
            _ => Err("not found in the snippet folders".to_string()),
        };
        let lines = page.lines().enumerate().map(|(i, l)| (Cow::Borrowed(l), i + 1)).collect();
        let mut issues = Vec::new();
        let out = expand(lines, &Snippets { read: &read, append }, &mut issues);
        (out.iter().map(|(l, n)| format!("{n}:{l}")).collect::<Vec<_>>().join("\n"), issues)
    }

    #[test]
    fn line_and_block_forms_with_ranges_and_sections() {
        assert_eq!(run("x\n--8<-- \"a.md:2:3\"\ny", &[]).0, "1:x\n2:two\n2:three\n3:y");
        assert_eq!(run("  --8<-- 'a.md:1:1,4'", &[]).0, "1:  one\n1:  four");
        assert_eq!(run("```py\n--8<-- \"code.py:main\"\n```", &[]).0, "1:```py\n2:print(1)\n3:```");
        assert_eq!(run("--8<--\na.md:4\n;skipped.md\n--8<--\nz", &[]).0, "2:four\n5:z");
        assert_eq!(run("--8<-- \"nested.md\"", &[]).0, "1:before\n1:two\n1:three\n1:four");
        assert_eq!(run("--8<-- \"code.py\"", &[]).0, "1:print(1)\n1:print(2)");
    }

    #[test]
    fn escapes_misses_cycles_and_appends() {
        assert_eq!(run(";--8<-- \"a.md\"", &[]).0, "1:--8<-- \"a.md\"");
        let (out, issues) = run("--8<-- \"gone.md\"\n--8<-- \"a.md:9\"", &[]);
        assert_eq!(out, "");
        assert_eq!(issues.len(), 2);
        assert!(issues[0].message.contains("gone.md"), "{:?}", issues[0]);
        let (_, issues) = run("--8<-- \"loop.md\"", &[]);
        assert!(issues[0].message.contains("deep"), "{issues:?}");
        let (_, issues) = run("--8<-- \"https://example.com/x.md\"", &[]);
        assert!(issues[0].message.contains("URL"), "{issues:?}");
        assert_eq!(run("text\n--8<--\nunclosed", &[]).0, "1:text\n2:--8<--\n3:unclosed");
        assert_eq!(run("p", &["a.md:1:1".to_string()]).0, "1:p\n1:one");
    }
}
