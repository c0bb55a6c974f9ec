//! Front matter `aliases`: the old URLs of a moved article. Each becomes a redirect page at
//! the old path and a line of `_redirects`; this module turns the aliases as written into
//! output paths and checks them (no escaping the site, no clash with a page or another
//! alias).

use std::collections::HashMap;

use super::{PageId, Site};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// An old URL that redirects to an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The old URL, site-absolute (base path included), as `_redirects` lists it.
    pub from: String,
    /// The file written at the old URL, under the output folder.
    pub out_path: String,
    /// The article it leads to.
    pub to: PageId,
}

/// An alias as written, made a path under the site root: `/old/page/`, `old/page` and
/// `https://<base_url>/old/page/` all give `old/page/`; `old.html` stays a file.
fn normalise(alias: &str, base_url: &str, base_path: &str) -> Result<String, String> {
    if alias.chars().any(|c| c.is_whitespace() || crate::base::text::is_unsafe(c)) {
        return Err("has white space or a control character, which would break the `_redirects` \
                    line it is written to; give the old path only"
            .into());
    }
    // `_redirects` reads `*`, `:name` segments and `!` as patterns and forcing rules: an
    // alias with them would redirect other URLs than its own.
    if alias.contains(['*', '!']) || alias.split('/').any(|seg| seg.starts_with(':')) {
        return Err("has `*`, `!` or a `:name` segment, which `_redirects` reads as a pattern; \
                    give the old path only"
            .into());
    }
    let a = alias;
    let a = a.strip_prefix(base_url.trim_end_matches('/')).unwrap_or(a);
    if a.contains("://") {
        return Err("is on another site; an alias is an old path of this one".into());
    }
    if a.contains(['?', '#', '\\']) {
        return Err("has a query, a fragment or a backslash; give the old path only".into());
    }
    let a = a.trim_start_matches('/');
    // An alias written with the base path (`/kb/old/` on a site at `/kb/`) means the same.
    let prefix = base_path.trim_start_matches('/');
    let a = if prefix.is_empty() { a } else { a.strip_prefix(prefix).unwrap_or(a) };
    if a.is_empty() {
        return Err("is the home page".into());
    }
    if a.split('/').any(|seg| seg == ".." || seg == ".") {
        return Err("contains `.` or `..`".into());
    }
    let lower = a.to_ascii_lowercase();
    if lower.ends_with(".html") || lower.ends_with(".htm") {
        Ok(a.to_string())
    } else {
        Ok(format!("{}/", a.trim_end_matches('/')))
    }
}

impl Site {
    /// Resolve every article's aliases (paths under the whole site's root, also for one
    /// language's site of a multilingual site); problems are errors in `diags`.
    pub(super) fn collect_redirects(&mut self, diags: &Diagnostics) {
        let mut taken: HashMap<String, String> = HashMap::new();
        for s in &self.sections {
            taken.insert(super::out_path_of(&self.root_path, &s.url), s.url.clone());
        }
        for p in &self.pages {
            taken.insert(super::out_path_of(&self.root_path, &p.url), p.url.clone());
        }
        for t in self.tags.values() {
            taken.insert(super::out_path_of(&self.root_path, &t.url), t.url.clone());
        }
        let mut redirects = Vec::new();
        for (id, p) in self.pages.iter().enumerate() {
            for (n, alias) in p.source.meta.aliases.iter().enumerate() {
                let report = |why: String| {
                    let (line, col) = p.source.positions.alias(n).unwrap_or((1, 1));
                    diags.push(
                        Diagnostic::error(&p.source.file, format!("alias {alias:?} {why}"))
                            .at(line, Some(col)),
                    );
                };
                // Old URLs are the whole site's, in whatever language: relative to its root.
                let root_url = self.config.root_url.as_ref().unwrap_or(&self.config.base_url);
                let rel = match normalise(alias, root_url, &self.root_path) {
                    Ok(rel) => rel,
                    Err(why) => {
                        report(why);
                        continue;
                    }
                };
                let out_path = if rel.ends_with('/') { format!("{rel}index.html") } else { rel.clone() };
                let from = format!("{}{rel}", self.root_path);
                if let Some(owner) = taken.get(&out_path) {
                    report(format!(
                        "is the URL of {owner}, which exists; remove the alias or move that page"
                    ));
                    continue;
                }
                taken.insert(out_path.clone(), format!("an alias of {}", p.source.file.display()));
                redirects.push(Redirect { from, out_path, to: id });
            }
        }
        redirects.sort_by(|a, b| a.from.cmp(&b.from));
        self.redirects = redirects;
    }
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn aliases_become_paths_under_the_site() {
        let n = |a| normalise(a, "https://org.github.io/kb/", "/kb/");
        assert_eq!(n("/old/page/").unwrap(), "old/page/");
        assert_eq!(n("old/page").unwrap(), "old/page/");
        assert_eq!(n("/kb/old/page").unwrap(), "old/page/");
        assert_eq!(n("https://org.github.io/kb/old/page/").unwrap(), "old/page/");
        assert_eq!(n("/legacy/page.html").unwrap(), "legacy/page.html");
        for bad in ["../etc/passwd", "/a/../../b", "https://elsewhere.com/x", "/a?b=1", "/", "a\\b"] {
            assert!(n(bad).is_err(), "{bad}");
        }
    }
}
