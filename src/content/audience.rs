//! Internal articles (`audience: internal`), for agents only. An index page marked so makes
//! its whole folder internal. A public build takes them out of the content before anything
//! else sees it, so no stage can leak them: no page, navigation entry, listing, tag, feed,
//! sitemap line, redirect or search term comes from them. Their files go too: everything
//! under an internal folder, and every file an internal article points at (by its path),
//! since an image's name and bytes are the article's as much as its text is. A public page that used such a
//! file loses it loudly (a missing-file warning; an error in `kiln check`).

use std::collections::HashSet;
use std::path::Path;

use super::{Content, Source};

/// What a public build left out, for the messages of links that pointed there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeftOut {
    /// Content-relative paths of the internal Markdown files.
    pub pages: HashSet<String>,
}

/// The folders made internal by their index page (`""`: the whole content folder).
fn internal_dirs(content: &Content) -> Vec<String> {
    content
        .pages
        .iter()
        .filter(|s| s.page.is_index && s.page.meta.internal)
        .map(|s| s.page.rel_path.rsplit_once('/').map_or(String::new(), |(d, _)| d.to_string()))
        .collect()
}

/// The content-relative paths of the internal Markdown files of `content`.
pub fn internal_pages(content: &Content) -> HashSet<String> {
    let dirs = internal_dirs(content);
    content
        .pages
        .iter()
        .filter(|s| s.page.meta.internal || dirs.iter().any(|d| under(&s.page.rel_path, d)))
        .map(|s| s.page.rel_path.clone())
        .collect()
}

/// Whether `rel` lies in folder `dir` (`""`: the content folder itself).
fn under(rel: &str, dir: &str) -> bool {
    dir.is_empty() || rel.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
}

/// Take the internal articles out of `content`, with the files under internal folders and
/// those an internal article points at. `content_dir` is where bodies the build cache did not
/// load are read from.
pub fn leave_out(content: &mut Content, content_dir: &Path, root: &Path) -> LeftOut {
    let internal = internal_pages(content);
    if internal.is_empty() {
        return LeftOut::default();
    }
    let dirs = internal_dirs(content);
    let (gone, kept): (Vec<Source>, Vec<Source>) =
        std::mem::take(&mut content.pages).into_iter().partition(|s| internal.contains(&s.page.rel_path));
    content.pages = kept;
    let named: HashSet<String> =
        gone.iter().flat_map(|s| named_paths(&body_text(s, content_dir, root), &s.page.rel_path)).collect();
    content.assets.retain(|a| !dirs.iter().any(|d| under(&a.rel_path, d)) && !named.contains(&a.rel_path));
    for s in &gone {
        content.git_dates.remove(&s.page.rel_path);
    }
    LeftOut { pages: internal }
}

/// The content-relative paths a page's text points at: every path-like word (a Markdown
/// link or image, an HTML attribute, an import) and every quoted or `<…>` span on a line,
/// resolved from the page's folder. By path, not by name: an internal article's
/// `screen.png` takes only its own file, not every `screen.png` of the site.
fn named_paths(text: &str, page_rel: &str) -> HashSet<String> {
    let words = text.split(|c: char| c.is_whitespace() || "()[]<>\"'`=,{}|".contains(c));
    let spans = text.lines().flat_map(|line| {
        [('<', '>'), ('"', '"'), ('\'', '\'')].into_iter().flat_map(move |(open, close)| {
            line.split(open).skip(1).filter_map(move |rest| rest.split_once(close).map(|(inside, _)| inside))
        })
    });
    words
        .chain(spans)
        .filter(|w| !w.is_empty() && w.len() <= 1024)
        .filter_map(|w| crate::markdown::links::resolve(page_rel, w.trim()))
        .map(|l| l.path)
        .filter(|p| !p.is_empty())
        .collect()
}

/// The Markdown of a page, loaded or read now (empty if it cannot be read: the page is
/// left out all the same).
fn body_text(s: &Source, content_dir: &Path, root: &Path) -> String {
    match &s.body {
        Some(b) => b.text.clone(),
        None => crate::base::confine::read_to_string(root, &content_dir.join(&s.page.rel_path))
            .unwrap_or_default(),
    }
}

/// Apply a build's audience to freshly loaded content: a public build leaves the internal
/// articles out, an internal one notes them (for their badge).
pub fn apply(content: &mut Content, audience: crate::config::Audience, content_dir: &Path, root: &Path) {
    content.internal = match audience {
        crate::config::Audience::Public => leave_out(content, content_dir, root).pages,
        crate::config::Audience::Internal => internal_pages(content),
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn files_are_named_by_path_from_the_page() {
        let text = "![a](shot.png){ width=\"3\" } ![b](<my shot.png>) <img src='../img/x.svg'>\n\
                    [c]: /top/y.pdf \"T\"\nimport z from './z.png';\n[d](https://x.org/q.png) [e](../../up.png)";
        let paths = super::named_paths(text, "kb/agents/page.md");
        for p in [
            "kb/agents/shot.png",
            "kb/agents/my shot.png",
            "kb/img/x.svg",
            "top/y.pdf",
            "kb/agents/z.png",
            "up.png",
        ] {
            assert!(paths.contains(p), "{p} in {paths:?}");
        }
        assert!(!paths.contains("kb/other/shot.png") && !paths.iter().any(|p| p.contains("x.org")));
    }
}
