//! Code includes: a line that names a file to show as a code block. FastAPI's
//! `{* ../../docs_src/app.py ln[3:9] hl[5] *}` (looked up in the snippet folders, then
//! beside the page; `ln` picks lines, `hl` marks lines, both counted in the file) and
//! VitePress's `<<< @/snippets/init.ts#setup{2,3 ts:line-numbers} [init.ts]` (`@` is the
//! content folder; `#setup` picks the lines between `#region setup` and `#endregion`).

/// Where a code include's file is looked up.
pub(super) enum CodeFile {
    /// In the snippet folders, then relative to the page.
    Snippet(String),
    /// Relative to the page (`/` is the content folder).
    Page(String),
}

impl CodeFile {
    /// The path as written.
    pub(super) fn path(&self) -> &str {
        match self {
            CodeFile::Snippet(p) | CodeFile::Page(p) => p,
        }
    }
}

/// A code include line read: the file, the fence info to show it with, and the lines to
/// pick and to mark (1-based, inclusive, in the file's numbering).
pub(super) struct CodeInclude {
    pub(super) file: CodeFile,
    info: String,
    pick: Vec<(usize, usize)>,
    mark: Vec<(usize, usize)>,
    region: Option<String>,
}

/// Read a code include line, if `trimmed` is one.
pub(super) fn code_include(trimmed: &str) -> Option<CodeInclude> {
    let t = trimmed.trim_end();
    if let Some(inner) = t.strip_prefix("{*").and_then(|r| r.strip_suffix("*}")) {
        let path = inner.split_whitespace().next().filter(|p| p.contains('.'))?;
        let info = language_of(path).to_string();
        let file = CodeFile::Snippet(path.to_string());
        let (pick, mark) = (ranges(inner, "ln["), ranges(inner, "hl["));
        return Some(CodeInclude { file, info, pick, mark, region: None });
    }
    let rest = t.strip_prefix("<<< ")?.trim();
    let (spec, title) = match rest.rfind(" [") {
        Some(at) if rest.ends_with(']') => (&rest[..at], Some(&rest[at + 2..rest.len() - 1])),
        _ => (rest, None),
    };
    let (path, meta) = spec.split_once('{').map_or((spec, ""), |(p, m)| (p, m.trim_end_matches('}')));
    let (path, region) = match path.split_once('#') {
        Some((p, r)) => (p.trim(), Some(r.trim().to_string()).filter(|r| !r.is_empty())),
        None => (path.trim(), None),
    };
    let path = path.strip_prefix('@').map_or_else(|| path.to_string(), String::from);
    // `{1,2 ts:line-numbers}`: lines, then a language (and options) after a space.
    let (lines, lang) = meta.split_once(' ').map_or((meta, ""), |(l, g)| (l, g));
    let lang = lang.split(':').next().filter(|l| !l.is_empty()).unwrap_or(language_of(&path)).to_string();
    let mut info = lang;
    if meta.contains(":line-numbers") {
        info.push_str(" :line-numbers");
    }
    if let Some(t) = title {
        info.push_str(&format!(" title=\"{}\"", t.replace('"', "")));
    }
    let mark = if lines.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '-') {
        parse_ranges(&lines.replace('-', ":"))
    } else {
        Vec::new()
    };
    Some(CodeInclude { file: CodeFile::Page(path), info, pick: Vec::new(), mark, region })
}

impl CodeInclude {
    /// The code to show from the file's `text`, and its fence info (marked lines counted
    /// in what is shown). Picked ranges apart from each other are joined by a `…` line.
    pub(super) fn shape(&self, text: &str) -> (String, String) {
        let lines: Vec<&str> = text.lines().collect();
        // A region is numbered from its first line, as VitePress marks lines in it.
        let picked: Vec<(usize, &str)> = if let Some(r) =
            self.region.as_deref().and_then(|r| region(&lines, r))
        {
            r.into_iter().enumerate().map(|(i, l)| (i + 1, l)).collect()
        } else if self.pick.is_empty() {
            lines.iter().enumerate().map(|(i, l)| (i + 1, *l)).collect()
        } else {
            self.pick.iter().flat_map(|&(a, b)| (a..=b.min(lines.len())).map(|n| (n, lines[n - 1]))).collect()
        };
        let mut code = String::new();
        let mut shown = Vec::new();
        let mut previous = None;
        for (n, line) in picked {
            if previous.is_some_and(|p| n != p + 1) {
                code.push_str("…\n");
                shown.push(0);
            }
            code.push_str(line);
            code.push('\n');
            shown.push(n);
            previous = Some(n);
        }
        let marked: Vec<String> = (1..=shown.len())
            .filter(|&i| self.mark.iter().any(|&(a, b)| (a..=b).contains(&shown[i - 1])))
            .map(|i| i.to_string())
            .collect();
        let mut info = self.info.clone();
        if !marked.is_empty() {
            info.push_str(&format!(" {{{}}}", marked.join(",")));
        }
        (code, info)
    }
}

/// The lines between `#region name` and its `#endregion` (in any comment: `//`, `#`,
/// `<!-- -->`, `/* */`), without the markers of nested regions; `None` when there is no
/// such region (the whole file is shown).
fn region<'t>(lines: &[&'t str], name: &str) -> Option<Vec<&'t str>> {
    let marker = |l: &str| -> Option<(bool, String)> {
        let t = l.trim().trim_start_matches(['/', '*', '<', '!', '-', '#', ' ']);
        let t = t.trim_end_matches(['*', '/', '-', '>', ' ']);
        let (start, rest) = match (t.strip_prefix("region"), t.strip_prefix("endregion")) {
            (Some(r), _) => (true, r),
            (_, Some(r)) => (false, r),
            _ => return None,
        };
        (rest.is_empty() || rest.starts_with(' ')).then(|| (start, rest.trim().to_string()))
    };
    let start = lines.iter().position(|l| marker(l) == Some((true, name.to_string())))?;
    let mut depth = 0usize;
    let mut out = Vec::new();
    for l in &lines[start + 1..] {
        match marker(l) {
            Some((true, _)) => depth += 1,
            Some((false, _)) if depth == 0 => return Some(out),
            Some((false, _)) => depth -= 1,
            None => out.push(*l),
        }
    }
    Some(out)
}

/// The ranges after `key` (`hl[3]`, `ln[6,11]`, `hl[8:9]`), empty when absent or unreadable.
fn ranges(inner: &str, key: &str) -> Vec<(usize, usize)> {
    inner.split_once(key).and_then(|(_, r)| r.split_once(']')).map_or(Vec::new(), |(l, _)| parse_ranges(l))
}

/// `3,5:7` → [(3,3), (5,7)]; anything unreadable gives nothing.
fn parse_ranges(list: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (a, b) = part.split_once(':').unwrap_or((part, part));
        match (a.trim().parse::<usize>(), b.trim().parse::<usize>()) {
            (Ok(a), Ok(b)) if a >= 1 && a <= b => out.push((a, b)),
            _ => return Vec::new(),
        }
    }
    out
}

/// The fence language for a file, by its extension.
fn language_of(path: &str) -> &str {
    match path.rsplit_once('.').map_or("", |(_, e)| e) {
        "py" => "python",
        "js" | "mjs" | "cjs" => "js",
        "ts" => "ts",
        "sh" | "bash" => "bash",
        "yml" | "yaml" => "yaml",
        "md" => "markdown",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "l1\nl2\nl3\nl4\nl5\nl6\nl7\n";

    #[test]
    fn fastapi_picks_and_marks_lines_in_file_numbering() {
        let inc = code_include("{* ../../docs_src/app.py ln[2:3,6:7] hl[3,6:6] *}").unwrap();
        assert_eq!(inc.file.path(), "../../docs_src/app.py");
        assert_eq!(inc.shape(FILE), ("l2\nl3\n…\nl6\nl7\n".to_string(), "python {2,4}".to_string()));
        let whole = code_include("{* app.py hl[8:9] *}").unwrap();
        assert_eq!(whole.shape(FILE).1, "python", "marks past the end mark nothing");
        assert_eq!(code_include("{* app.py hl[2:3] *}").unwrap().shape(FILE).1, "python {2,3}");
        assert_eq!(code_include("{* app.py ln[5:99] *}").unwrap().shape(FILE).0, "l5\nl6\nl7\n");
        assert!(code_include("{* no-extension *}").is_none());
    }

    #[test]
    fn vitepress_imports() {
        let inc = code_include("<<< @/snippets/init.ts{2 ts:line-numbers} [init.ts]").unwrap();
        assert_eq!(inc.file.path(), "/snippets/init.ts");
        assert_eq!(inc.shape("a\nb\n").1, "ts :line-numbers title=\"init.ts\" {2}");
        let region = code_include("<<< ./a.js#setup{1-2}").unwrap();
        let file =
            "a\n// #region setup\nx\n  // #region inner\ny\n  // #endregion inner\n// #endregion setup\nz\n";
        assert_eq!(region.file.path(), "./a.js");
        assert_eq!(region.shape(file), ("x\ny\n".to_string(), "js {1,2}".to_string()));
        let html = code_include("<<< @/a.html#nav").unwrap();
        assert_eq!(html.shape("<!-- #region nav -->\n<nav/>\n<!-- #endregion nav -->\n").0, "<nav/>\n");
        let missing = code_include("<<< @/a.py#none").unwrap();
        assert_eq!(missing.shape("# region other\nq\n").0, "# region other\nq\n", "no such region: the file");
    }
}
