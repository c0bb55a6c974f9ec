//! One Markdown file: its bytes become a [`SourcePage`] (front matter, title, slug, place
//! in the tree) and a [`Body`] (the Markdown to render).

use std::path::Path;

use super::frontmatter::{self, FrontMatter, Positions};
use super::{Body, MAX_PAGE_BYTES, SectionRef, SourcePage, TitleSource, is_index_name, title};
use crate::base::confine;
use crate::base::digest::{Digest, digest};
use crate::base::slug::{self, readable, slugify};
use crate::config::FrontMatterKeys;
use crate::diagnostics::{Diagnostic, line_col};

/// A file parsed: its metadata, its Markdown, and the warnings parsing gave.
pub type Parsed = (SourcePage, Body, Vec<Diagnostic>);

/// Parse one Markdown file's bytes (`rel` under the content folder; `file` is the path
/// diagnostics show), filling Kiln's fields from `keys`.
pub fn parse_page(
    bytes: Vec<u8>,
    rel: &str,
    file: &Path,
    keys: &FrontMatterKeys,
) -> Result<Parsed, Diagnostic> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let (line, col) = line_col(&prefix, prefix.len());
        Diagnostic::error(file, "file is not valid UTF-8 (save it as UTF-8)").at(line, Some(col))
    })?;
    let located = |e: frontmatter::FmError| Diagnostic::error(file, e.message).at(e.line, e.col);
    let split = frontmatter::split(&text).map_err(located)?;
    let frontmatter::Parsed { meta, extra, mut positions, unread } = match split.matter {
        Some((format, matter)) => {
            frontmatter::parse(format, matter, split.matter_line, keys).map_err(located)?
        }
        None => Default::default(),
    };
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let is_index = is_index_name(name);
    let dirs: Vec<&str> = rel.split('/').collect::<Vec<_>>();
    let dirs = &dirs[..dirs.len() - 1];

    let mut body = Body { text: split.body.to_string(), line: split.body_line };
    let (title, title_source) = decide_title(&meta, &mut body, &mut positions, is_index, stem, dirs);
    let mut warnings: Vec<Diagnostic> =
        unread.into_iter().map(|e| Diagnostic::warning(file, e.message).at(e.line, e.col)).collect();
    // Taking the first `# H1` is how MkDocs and VitePress sites name pages: only a page with
    // neither a title nor a heading is worth a word.
    if !is_index && title_source == TitleSource::FileName {
        warnings.push(
            Diagnostic::warning(
                file,
                format!("no `title` in front matter and no `# heading`; using the file name: {title:?}"),
            )
            .at(1, None),
        );
    }
    let (slug, slug_is_absolute) = match &meta.slug {
        Some(s) => slug::slug_path(s),
        None => (slugify(stem), false),
    };
    if slug.is_empty() && !is_index {
        let source = meta.slug.as_deref().unwrap_or(stem);
        return Err(Diagnostic::error(
            file,
            format!("cannot make a URL slug from {source:?}; set `slug` in front matter"),
        )
        .at(1, None));
    }
    let page = SourcePage {
        rel_path: rel.to_string(),
        file: file.to_path_buf(),
        is_index,
        section: section_of(&meta, dirs),
        meta,
        positions,
        extra,
        title,
        title_source,
        slug,
        slug_is_absolute,
    };
    Ok((page, body, warnings))
}

/// Place a page as its language's site sees it: its first `lead_dirs` folders (the
/// language's folder) are not part of its category and folders, and `suffix` (`fr` in
/// `guide.fr.md`) not part of its name, so its slug, title fallback and whether it is an
/// index page come from `guide.md`.
pub fn relocate(page: &mut SourcePage, lead_dirs: usize, suffix: Option<&str>) {
    let rel = page.rel_path.clone();
    let parts: Vec<&str> = rel.split('/').collect();
    let (dirs, name) = parts.split_at(parts.len() - 1);
    let dirs = &dirs[lead_dirs.min(dirs.len())..];
    let name = name[0];
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let stem = match suffix {
        Some(s) => stem.rsplit_once('.').filter(|(_, x)| x.eq_ignore_ascii_case(s)).map_or(stem, |(b, _)| b),
        None => stem,
    };
    page.is_index = is_index_name(&format!("{stem}.{ext}"));
    page.section = section_of(&page.meta, dirs);
    if page.meta.slug.is_none() {
        page.slug = slugify(stem);
    }
    if page.title_source == TitleSource::FileName {
        page.title = if page.is_index {
            dirs.last().map_or_else(|| "Home".to_string(), |d| readable(d))
        } else {
            readable(stem)
        };
    }
}

/// The title from front matter, else the body's `# H1` (lifted out of it), else the file or
/// folder name made readable.
fn decide_title(
    meta: &FrontMatter,
    body: &mut Body,
    positions: &mut Positions,
    is_index: bool,
    stem: &str,
    dirs: &[&str],
) -> (String, TitleSource) {
    let lifted = title::lift_h1(&mut body.text, meta.title.is_none());
    match (&meta.title, lifted) {
        (Some(t), _) => (t.clone(), TitleSource::FrontMatter),
        (None, Some((h, line))) => {
            positions.set_heading(body.line + line);
            (h, TitleSource::Heading)
        }
        (None, None) => {
            let fallback = if is_index {
                dirs.last().map_or_else(|| "Home".to_string(), |d| readable(d))
            } else {
                readable(stem)
            };
            (fallback, TitleSource::FileName)
        }
    }
}

/// Read the Markdown of a page whose file the load did not read (the build cache knew its
/// front matter), checking it is the file the cache's record was made from (`hash`).
/// `root` is the site root, `content_dir` the content folder.
pub fn read_body(
    root: &Path,
    content_dir: &Path,
    page: &SourcePage,
    hash: Digest,
    keys: &FrontMatterKeys,
) -> Result<Body, ReadBodyError> {
    let path = content_dir.join(&page.rel_path);
    let bytes = confine::read_at_most(root, &path, MAX_PAGE_BYTES).map_err(|e| match e {
        confine::ReadError::Io(e) => ReadBodyError::Io(path.clone(), e),
        e => ReadBodyError::Content(Diagnostic::error(&page.file, e.to_string())),
    })?;
    if digest(&bytes) != hash {
        return Err(ReadBodyError::Content(Diagnostic::error(
            &page.file,
            "changed during the build; build again",
        )));
    }
    parse_page(bytes, &page.rel_path, &page.file, keys)
        .map(|(_, body, _)| body)
        .map_err(ReadBodyError::Content)
}

/// Why [`read_body`] failed.
#[derive(Debug)]
pub enum ReadBodyError {
    /// The system refused to read the file.
    Io(std::path::PathBuf, std::io::Error),
    /// The file is no longer the one loaded (changed, unreadable as text, moved out).
    Content(Diagnostic),
}

/// Category and folders from front matter, falling back to the folder path.
fn section_of(meta: &FrontMatter, dirs: &[&str]) -> Vec<SectionRef> {
    let from_label = |l: &str| SectionRef { label: l.trim().to_string(), slug: slugify(l), explicit: true };
    let from_dir = |d: &&str| SectionRef { label: readable(d), slug: slugify(d), explicit: false };
    let mut out = Vec::new();
    match &meta.category {
        Some(c) => out.push(from_label(c)),
        None => out.extend(dirs.first().map(from_dir)),
    }
    match &meta.folder {
        Some(f) => out.extend(f.split('/').filter(|s| !s.trim().is_empty()).map(from_label)),
        None => out.extend(dirs.iter().skip(1).map(from_dir)),
    }
    out.retain(|s| !s.slug.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_from_path_and_front_matter() {
        let fm = FrontMatter::default();
        let s = section_of(&fm, &["email-delivery", "ndr", "deep"]);
        let labels: Vec<_> = s.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["Email delivery", "Ndr", "Deep"]);
        let fm = FrontMatter {
            category: Some("Problems & Solutions".into()),
            folder: Some("Mailflow issues/NDR".into()),
            ..Default::default()
        };
        let s = section_of(&fm, &["x"]);
        let slugs: Vec<_> = s.iter().map(|s| s.slug.as_str()).collect();
        assert_eq!(slugs, ["problems-solutions", "mailflow-issues", "ndr"]);
    }

    #[test]
    fn title_from_a_heading_is_lifted_and_located() {
        let (page, body, warnings) = parse_page(
            b"---\ndraft: false\n---\n\n# Hello\n\nText\n".to_vec(),
            "a/b.md",
            Path::new("b.md"),
            &FrontMatterKeys::default(),
        )
        .unwrap();
        assert_eq!((page.title.as_str(), page.title_source), ("Hello", TitleSource::Heading));
        assert_eq!(page.positions.heading(), Some(5));
        assert_eq!((body.text.as_str(), body.line), ("\n\n\nText\n", 4));
        assert!(warnings.is_empty(), "a title from the first heading is no problem: {warnings:?}");
        let (page, _, warnings) =
            parse_page(b"Text\n".to_vec(), "a/b-c.md", Path::new("b-c.md"), &FrontMatterKeys::default())
                .unwrap();
        assert_eq!(page.title_source, TitleSource::FileName);
        assert!(
            warnings[0].message.contains("no `title` in front matter and no `# heading`"),
            "{warnings:?}"
        );
    }
}
