//! Imports go one way: every `use crate::…` and `crate::…::` path in `src/` names a module
//! that comes before its own in the order written at the top of `docs/architecture.md`.
//! The order is read from the document, so the document and the code cannot disagree.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The layers of the order line: `base → diagnostics → … → render | search | check → …`.
/// Modules in one layer may not import each other.
fn layers() -> Vec<Vec<String>> {
    let doc = std::fs::read_to_string("docs/architecture.md").expect("docs/architecture.md");
    let line = doc
        .lines()
        .find(|l| l.trim_start().starts_with("base →"))
        .expect("an import order line starting with `base →` in docs/architecture.md");
    line.split('→').map(|layer| layer.split('|').map(|m| m.trim().to_string()).collect()).collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file of `src/` belongs to (`None` for the crate roots).
fn module_of(path: &Path) -> Option<String> {
    let rel = path.strip_prefix("src").ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main")).then(|| name.to_string())
}

/// Every `crate::<module>` a line of code names (comments left out), with its column.
fn crate_paths(line: &str) -> Vec<(usize, String)> {
    let code = match line.find("//") {
        Some(i) => &line[..i],
        None => line,
    };
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = code[from..].find("crate::").map(|i| i + from) {
        from = i + "crate::".len();
        let before = code[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let name: String = code[from..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if !name.is_empty() {
            out.push((i + 1, name));
        }
    }
    out
}

#[test]
fn imports_follow_the_documented_order() {
    let layers = layers();
    let rank: HashMap<&str, usize> =
        layers.iter().enumerate().flat_map(|(i, l)| l.iter().map(move |m| (m.as_str(), i))).collect();
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for file in &files {
        let Some(module) = module_of(file) else { continue };
        let Some(&own) = rank.get(module.as_str()) else {
            wrong.push(format!("{}: module `{module}` is not in the order line", file.display()));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            for (col, target) in crate_paths(line) {
                if target == module {
                    continue;
                }
                match rank.get(target.as_str()) {
                    Some(&r) if r < own => {}
                    Some(_) => wrong.push(format!(
                        "{}:{}:{col}: `{module}` imports `crate::{target}`, which does not come before it",
                        file.display(),
                        n + 1
                    )),
                    None => wrong.push(format!(
                        "{}:{}:{col}: `crate::{target}` is not in the order line",
                        file.display(),
                        n + 1
                    )),
                }
            }
        }
    }
    assert!(wrong.is_empty(), "imports against docs/architecture.md's order:\n{}", wrong.join("\n"));
    // The order names every module, so none escapes the check.
    let modules: Vec<String> = files.iter().filter_map(|f| module_of(f)).collect();
    for layer in &layers {
        for m in layer {
            assert!(modules.contains(m), "the order line names `{m}`, which is not a module of src/");
        }
    }
}

#[test]
fn the_check_sees_what_it_must() {
    assert_eq!(crate_paths("use crate::site::{Site, ROOT};"), [(5, "site".to_string())]);
    assert_eq!(
        crate_paths("    let x = crate::cache::digest(b); // crate::build"),
        [(13, "cache".to_string())]
    );
    assert!(crate_paths("/// see [`crate::check`]").is_empty());
    assert!(crate_paths("let my_crate::x = 1;").is_empty());
}

/// The body lengths of the functions in a Rust source text: (name, first line, lines).
/// A function is `fn name` at the start of a line (after indentation and `pub`); its body
/// ends at the first `}` back at the same indentation.
fn function_lengths(text: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let rest = ["pub(crate) ", "pub(super) ", "pub "]
            .iter()
            .fold(trimmed, |t, p| t.strip_prefix(p).unwrap_or(t));
        let Some(sig) = rest.strip_prefix("fn ") else { continue };
        let name: String = sig.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        // The signature may span lines; a declaration without a body has none.
        let Some(open) = (i..lines.len()).find(|&j| {
            let l = lines[j].trim_end();
            l.ends_with('{') || l.ends_with(';')
        }) else {
            continue;
        };
        if lines[open].trim_end().ends_with(';') {
            continue;
        }
        let close = (open + 1..lines.len()).find(|&j| {
            lines[j].len() - lines[j].trim_start().len() == indent && lines[j].trim_start().starts_with('}')
        });
        if let Some(close) = close {
            out.push((name, i + 1, close - i + 1));
        }
    }
    out
}

#[test]
fn functions_read_top_to_bottom_in_at_most_80_lines() {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    let mut long = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (name, at, len) in function_lengths(&text) {
            // A reason written just above the function (`// Long: …`) lets it be longer.
            let reasoned = lines[..at - 1]
                .iter()
                .rev()
                .take_while(|l| l.trim_start().starts_with("//") || l.trim_start().starts_with("#["))
                .any(|l| l.trim_start().starts_with("// Long:"));
            if len > 80 && !reasoned {
                long.push(format!("{}:{at}: `{name}` is {len} lines", file.display()));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over 80 lines without a `// Long:` reason above them:\n{}",
        long.join("\n")
    );
    let sample = "fn a() {\n    x();\n}\n\npub fn b(\n    y: u8,\n) -> u8 {\n    y\n}\n";
    assert_eq!(function_lengths(sample), [("a".to_string(), 1, 3), ("b".to_string(), 5, 5)]);
}
