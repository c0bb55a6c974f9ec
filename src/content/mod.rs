//! Content loading: walk `content/`, split and parse front matter, decide each page's title,
//! slug and place in the category/folder tree. Output: [`Content`], the input of the site
//! model.

pub mod audience;
mod fields;
pub mod folders;
pub mod frontmatter;
pub mod git;
pub mod languages;
mod page;
pub mod popularity;
mod stored;
mod title;
mod walk;

pub use page::{Parsed, ReadBodyError, parse_page, read_body};
pub use stored::{Prior, Record};
pub use walk::{is_ignored_name, is_markdown};

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::base::digest::Stamp;
use crate::config::FrontMatterKeys;
use crate::diagnostics::{Diagnostic, Diagnostics};
pub use frontmatter::{FrontMatter, Positions};

use crate::base::confine;

/// One level of a page's place in the tree: the category, then folders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionRef {
    /// Display name (front matter value or readable folder name).
    pub label: String,
    /// URL segment.
    pub slug: String,
    /// Named in front matter (wins over a name derived from a folder).
    pub explicit: bool,
}

/// Where a page's title came from; anything but front matter earns a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TitleSource {
    /// The `title` key.
    FrontMatter,
    /// The first `# H1` of the body (removed from the body).
    Heading,
    /// The file name, made readable.
    FileName,
}

/// A Markdown file's metadata as loaded: everything the site model needs; its text is a
/// [`Body`], held apart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourcePage {
    /// Path relative to the content folder, with `/` separators on every platform.
    pub rel_path: String,
    /// Path shown in diagnostics (relative to the site root).
    pub file: PathBuf,
    /// `index.md`, `_index.md` or `README.md`: introduces its section instead of being an
    /// article.
    pub is_index: bool,
    /// Parsed known front matter fields.
    pub meta: FrontMatter,
    /// Where its front matter keys (and the heading its title came from) are written.
    pub positions: Positions,
    /// Every other front matter key, for templates.
    #[serde(with = "crate::content::stored::extra")]
    pub extra: BTreeMap<String, serde_json::Value>,
    /// Final title.
    pub title: String,
    /// Where `title` came from.
    pub title_source: TitleSource,
    /// Category then folders; empty for a top-level page.
    pub section: Vec<SectionRef>,
    /// URL slug of the page itself (unused for index pages); may hold `/`-separated
    /// segments when front matter says so.
    pub slug: String,
    /// The slug starts at the site root (`slug: /a/b`) instead of the page's section.
    pub slug_is_absolute: bool,
}

/// A page's Markdown as loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// The Markdown after the front matter; a heading lifted into the title is blanked out
    /// (newlines kept, so line numbers stay right).
    pub text: String,
    /// 1-based file line on which `text` starts.
    pub line: usize,
}

/// A Markdown file as loaded: its metadata, and its Markdown unless the build cache made
/// reading it unnecessary.
#[derive(Debug, Clone)]
pub struct Source {
    /// The metadata.
    pub page: SourcePage,
    /// The Markdown; `None` when the file was not read because the build cache knew its
    /// front matter (read it with [`read_body`] when its Markdown must be rendered).
    pub body: Option<Body>,
}

/// A non-Markdown file under `content/`, copied to the output.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to the content folder, `/`-separated.
    pub rel_path: String,
    /// Absolute path on disk.
    pub source: PathBuf,
}

/// Everything loaded from `content/`.
#[derive(Debug, Default)]
pub struct Content {
    /// Pages in path order (articles and section indexes).
    pub pages: Vec<Source>,
    /// Assets in path order.
    pub assets: Vec<Asset>,
    /// Last commit date of each file (content-relative path), when the site is in git.
    pub git_dates: std::collections::HashMap<String, String>,
    /// Other tools' folder metadata, by the folder's path in slugs.
    pub folders: folders::Folders,
    /// Page views by URL path, from `data/popularity.csv` (see [`popularity`]).
    pub views: std::collections::HashMap<String, u64>,
    /// The internal articles' paths: in a public build those left out, in an internal
    /// build those to badge (see [`audience`]).
    pub internal: std::collections::HashSet<String>,
}

/// Markdown files larger than this are skipped with a warning: no article is this long,
/// and the Markdown stage holds a page's text several times over while it renders.
pub const MAX_PAGE_BYTES: u64 = 32 << 20;

/// Load every page and asset under `content_dir`. Problems go to `diags`; a page with an
/// error is left out (the build will fail anyway, after reporting everything).
pub fn load(
    site_root: &Path,
    content_dir: &Path,
    drafts: bool,
    keys: &FrontMatterKeys,
    diags: &Diagnostics,
) -> Content {
    load_cached(site_root, content_dir, drafts, keys, diags, None).0
}

/// [`load`], reusing what the build cache knows of articles whose files are unchanged (their
/// body is then not read: [`read_body`] reads it when it is needed). Returns, per article
/// path, what the next build's cache should know, and how many records changed (files read
/// again, gone or new).
pub fn load_cached(
    site_root: &Path,
    content_dir: &Path,
    drafts: bool,
    keys: &FrontMatterKeys,
    diags: &Diagnostics,
    mut prior: Option<&mut dyn Prior>,
) -> (Content, HashMap<String, Record>, usize) {
    let files = walk::walk(content_dir, site_root, diags);
    let caching = prior.is_some();
    let known: Vec<Option<Record>> =
        files.markdown.iter().map(|rel| prior.as_mut().and_then(|p| p.take(rel))).collect();
    let mut changed = prior.map_or(0, |p| p.untaken());
    let loaded: Vec<(Source, Option<Record>, bool)> = files
        .markdown
        .par_iter()
        .zip(known)
        .filter_map(|(rel, known)| {
            let path = content_dir.join(rel);
            let stamp = caching.then(|| std::fs::metadata(&path).ok()).flatten().map(|m| Stamp::of(&m));
            if let Some(mut entry) = known
                && stamp.is_some()
                && entry.stamp == stamp
                && let Some(page) = entry.page.take()
            {
                diags.extend(entry.warnings.iter().cloned());
                let source = Source { page, body: None };
                return (drafts || !source.page.meta.draft).then_some((source, Some(entry), false));
            }
            let file = crate::diagnostics::display_path(site_root, &path);
            let read = confine::read_at_most(site_root, &path, MAX_PAGE_BYTES).map_err(|e| match e {
                confine::ReadError::Io(_) => Diagnostic::error(&file, e.to_string()),
                e => Diagnostic::warning(&file, e.to_string()),
            });
            let hash = read.as_ref().map(|b| crate::base::digest::digest(b)).unwrap_or_default();
            match read.and_then(|bytes| parse_page(bytes, rel, &file, keys)) {
                Ok((page, body, warnings)) => {
                    let entry = (caching && !page.is_index).then(|| Record {
                        stamp: stamp.filter(|s| !s.is_racy()),
                        hash,
                        page: None,
                        warnings: warnings.clone(),
                    });
                    diags.extend(warnings);
                    (drafts || !page.meta.draft).then_some((Source { page, body: Some(body) }, entry, true))
                }
                Err(d) => {
                    diags.push(d);
                    None
                }
            }
        })
        .collect();
    let mut entries = HashMap::new();
    let mut pages = Vec::with_capacity(loaded.len());
    for (source, entry, reread) in loaded {
        changed += (reread && !source.page.is_index) as usize;
        if let Some(e) = entry {
            entries.insert(source.page.rel_path.clone(), e);
        }
        pages.push(source);
    }
    let assets =
        files.assets.into_iter().map(|rel| Asset { source: content_dir.join(&rel), rel_path: rel }).collect();
    let folders = folders::read_all(site_root, content_dir, &files.folder_meta, diags);
    (Content { pages, assets, folders, ..Default::default() }, entries, changed)
}

/// Is this file name one that introduces its folder rather than being an article?
pub fn is_index_name(name: &str) -> bool {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    stem == "index" || stem == "_index" || stem.eq_ignore_ascii_case("readme")
}

/// Load one Markdown file (`rel` under `content_dir`; `file` is the path diagnostics show).
pub fn load_page(
    content_dir: &Path,
    rel: &str,
    file: &Path,
    keys: &FrontMatterKeys,
) -> Result<Parsed, Diagnostic> {
    let root = content_dir.parent().unwrap_or(content_dir);
    let bytes = confine::read_at_most(root, &content_dir.join(rel), MAX_PAGE_BYTES).map_err(|e| match e {
        confine::ReadError::Io(_) => Diagnostic::error(file, e.to_string()),
        e => Diagnostic::warning(file, e.to_string()),
    })?;
    parse_page(bytes, rel, file, keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_names() {
        assert!(is_index_name("index.md"));
        assert!(is_index_name("_index.markdown"));
        assert!(is_index_name("README.md"));
        assert!(!is_index_name("indexes.md"));
    }
}
