//! Links checked against the whole built site: `#fragments` against the target page's
//! heading ids and anchors, and local URLs left as written (pasted HTML, links to site
//! URLs, images from `static/`) against the files the build writes, resolved against the
//! page's URL exactly as a browser would.

use std::collections::{HashMap, HashSet};

use super::PageLinks;
use crate::base::percent::decode as percent_decode;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::markdown::links::{Link, Target};
use crate::site::{PageId, SectionId, Site, SourceRef, out_path_of};

/// Every file the build writes, as paths relative to the output folder.
pub type Outputs = HashSet<String>;

/// A page's place in the check: where its findings are reported and what it holds.
struct Holder<'a> {
    file: &'a std::path::Path,
    rel: &'a str,
    url: &'a str,
    found: PageLinks<'a>,
}

/// Check every page's and section index's links; report into `diags`. Returns the
/// articles some other page links to.
pub fn check_links(
    site: &Site,
    pages: &[PageLinks<'_>],
    sections: &HashMap<SectionId, PageLinks<'_>>,
    outputs: &(dyn Fn() -> Outputs + Sync),
    theme_ids: &[String],
    diags: &Diagnostics,
) -> HashSet<PageId> {
    let mut holders: Vec<Holder> = site
        .pages
        .iter()
        .zip(pages)
        .map(|(p, found)| Holder {
            file: &p.source.file,
            rel: &p.source.rel_path,
            url: &p.url,
            found: *found,
        })
        .collect();
    let mut by_section: HashMap<SectionId, usize> = HashMap::new();
    let mut ids: Vec<&SectionId> = sections.keys().collect();
    ids.sort_unstable();
    for &id in ids {
        let s = &site.sections[id];
        let Some(index) = &s.index else { continue };
        by_section.insert(id, holders.len());
        holders.push(Holder { file: &index.file, rel: &index.rel_path, url: &s.url, found: sections[&id] });
    }
    let checker = Checker { site, holders, by_section, outputs, urls: Default::default(), theme_ids, diags };
    let mut linked = HashSet::new();
    for (from, h) in checker.holders.iter().enumerate() {
        for link in h.found.links {
            if let Some(to) = checker.check(from, link)
                && to < site.pages.len()
                && to != from
            {
                linked.insert(to);
            }
        }
    }
    linked
}

/// The link check's view of the site: every page and section index that holds links.
struct Checker<'a> {
    site: &'a Site,
    holders: Vec<Holder<'a>>,
    by_section: HashMap<SectionId, usize>,
    outputs: &'a (dyn Fn() -> Outputs + Sync),
    /// The built site's files and the holder at each page's output path: made on first
    /// use, since only links to site URLs need them.
    urls: std::cell::OnceCell<(Outputs, HashMap<String, usize>)>,
    theme_ids: &'a [String],
    diags: &'a Diagnostics,
}

impl Checker<'_> {
    /// Check one link of holder `from`; returns the holder it leads to, if any.
    fn check(&self, from: usize, link: &Link) -> Option<usize> {
        let h = &self.holders[from];
        let report = |code: Code, message: String| {
            self.diags.push(Diagnostic::warning(h.file, message).at(link.line, Some(link.col)).code(code));
        };
        let (to, fragment) = match &link.target {
            Target::Here(fragment) => {
                if !self.has(from, fragment) {
                    report(
                        Code::MissingAnchor,
                        missing_anchor(link, "this page", fragment, self.anchors(from)),
                    );
                }
                return None;
            }
            Target::Page { rel, fragment } => (self.holder_of(rel)?, fragment.clone()),
            Target::Url(href) => self.url_target(h, link, href, &report)?,
        };
        if !fragment.is_empty() && !self.has(to, &fragment) {
            let name = self.holders[to].file.display().to_string();
            report(Code::MissingAnchor, missing_anchor(link, &name, &fragment, self.anchors(to)));
        }
        Some(to)
    }

    /// The holder a local URL left as written leads to, and its fragment; a URL naming no
    /// file of the built site is reported.
    fn url_target(
        &self,
        h: &Holder,
        link: &Link,
        href: &str,
        report: &dyn Fn(Code, String),
    ) -> Option<(usize, String)> {
        let (abs, fragment) = resolve_url(h.url, href)?;
        let rel = abs.strip_prefix(&self.site.base_path)?;
        let (outputs, by_out) = self.urls.get_or_init(|| {
            let base = &self.site.base_path;
            let by_out =
                self.holders.iter().enumerate().map(|(i, h)| (out_path_of(base, h.url), i)).collect();
            ((self.outputs)(), by_out)
        });
        let Some(out) = find_output(rel, outputs) else {
            let is_file = rel.rsplit('/').next().is_some_and(|n| n.contains('.'));
            let content = crate::diagnostics::display_path(&self.site.root(), &self.site.content_dir);
            let content = content.to_string_lossy().replace('\\', "/");
            let source = crate::markdown::links::resolve(h.rel, &link.href)
                .map_or(String::new(), |l| format!("no file {content}/{}, nor ", l.path));
            if is_file {
                report(
                    Code::MissingFile,
                    format!("`{}` not found: {source}{abs} in the built site", link.href),
                );
            } else {
                report(
                    Code::MissingPage,
                    format!("link to `{}`: no page at {abs} in the built site", link.href),
                );
            }
            return None;
        };
        by_out.get(&out).map(|&to| (to, fragment))
    }

    /// The heading ids and anchors of holder `i`.
    fn anchors(&self, i: usize) -> &[String] {
        self.holders[i].found.anchors
    }

    /// Whether holder `i` (or the theme) has the id `fragment`. A page has a handful of
    /// ids: a scan beats building a set for each of thousands.
    fn has(&self, i: usize, fragment: &str) -> bool {
        self.anchors(i).iter().any(|a| a == fragment) || self.theme_ids.iter().any(|a| a == fragment)
    }

    /// The holder of the page or section index whose source is `rel`.
    fn holder_of(&self, rel: &str) -> Option<usize> {
        match self.site.by_source(rel)? {
            SourceRef::Page(p) => Some(p),
            SourceRef::Section(s) => self.by_section.get(&s).copied(),
        }
    }
}

fn missing_anchor(link: &Link, target: &str, fragment: &str, anchors: &[String]) -> String {
    let mut msg = format!("link to `{}`: {target} has no heading or anchor `#{fragment}`", link.href);
    if let Some(near) = nearest(fragment, anchors) {
        msg.push_str(&format!(" (did you mean `#{near}`?)"));
    }
    msg
}

/// The anchor closest to `fragment` by edit distance, if it is close enough to be a typo
/// or an older spelling of the heading.
fn nearest<'a>(fragment: &str, anchors: &'a [String]) -> Option<&'a str> {
    let limit = (fragment.chars().count() / 3).max(2);
    let mut best: Vec<(usize, &str)> = anchors
        .iter()
        .map(|a| (crate::base::text::edit_distance(fragment, a), a.as_str()))
        .filter(|(d, _)| *d <= limit)
        .collect();
    best.sort_unstable();
    best.first().map(|(_, a)| *a)
}

/// Resolve `href` against the site-absolute URL path `base` as a browser does: the path
/// (dot segments removed, percent escapes decoded) and the decoded fragment. `None` for
/// anything that is not a path on this host.
pub fn resolve_url(base: &str, href: &str) -> Option<(String, String)> {
    if crate::markdown::links::is_external(href) && !href.starts_with('#') {
        return None;
    }
    let href = href.replace('\\', "/");
    let (rest, fragment) = href.split_once('#').unwrap_or((&href, ""));
    let path = rest.split('?').next().unwrap_or("");
    let joined = if path.starts_with('/') {
        path.to_string()
    } else if path.is_empty() {
        base.to_string()
    } else {
        format!("{}{path}", &base[..base.rfind('/').map_or(0, |i| i + 1)])
    };
    let mut parts: Vec<&str> = Vec::new();
    let segments: Vec<&str> = joined.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *seg {
            "." => {
                if last {
                    parts.push("");
                }
            }
            ".." => {
                if parts.len() > 1 {
                    parts.pop();
                }
                if last {
                    parts.push("");
                }
            }
            s => parts.push(s),
        }
    }
    let abs = percent_decode(&parts.join("/"));
    let abs = if abs.starts_with('/') { abs } else { format!("/{abs}") };
    Some((abs, percent_decode(fragment)))
}

/// The output file a static server answers `rel` (a path under the base path) with, with
/// no rewrite rules: `dir/` → `dir/index.html`; `dir` → itself, or `dir/index.html` after
/// the server's redirect to `dir/`.
fn find_output(rel: &str, outputs: &Outputs) -> Option<String> {
    if rel.is_empty() || rel.ends_with('/') {
        let index = format!("{rel}index.html");
        return outputs.contains(&index).then_some(index);
    }
    if outputs.contains(rel) {
        return Some(rel.to_string());
    }
    let index = format!("{rel}/index.html");
    outputs.contains(&index).then_some(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_resolve_like_a_browser() {
        let r = |b, h| resolve_url(b, h).map(|(p, f)| format!("{p}#{f}"));
        assert_eq!(r("/kb/a/b/", "../c/").as_deref(), Some("/kb/a/c/#"));
        assert_eq!(r("/kb/a/b/", "x.png").as_deref(), Some("/kb/a/b/x.png#"));
        assert_eq!(r("/kb/a/b/", "/kb/tags/#top").as_deref(), Some("/kb/tags/#top"));
        assert_eq!(r("/a/", "../../../x").as_deref(), Some("/x#"), "cannot climb above the host root");
        assert_eq!(r("/a/", "my%20file.pdf?x=1#sec%201").as_deref(), Some("/a/my file.pdf#sec 1"));
        assert_eq!(r("/a/", "https://x.org/"), None);
    }

    #[test]
    fn static_servers_answer_folders_with_their_index() {
        let outs: Outputs = ["index.html", "a/index.html", "f.pdf"].iter().map(|s| s.to_string()).collect();
        assert_eq!(find_output("", &outs).as_deref(), Some("index.html"));
        assert_eq!(find_output("a", &outs).as_deref(), Some("a/index.html"));
        assert_eq!(find_output("a/", &outs).as_deref(), Some("a/index.html"));
        assert_eq!(find_output("f.pdf", &outs).as_deref(), Some("f.pdf"));
        assert_eq!(find_output("b/", &outs), None);
    }

    #[test]
    fn suggests_close_anchors() {
        let a = ["install-nvm".to_string(), "tls-certificate".to_string()];
        assert_eq!(nearest("install-npm", &a), Some("install-nvm"));
        assert_eq!(nearest("firewall", &a), None);
    }
}
