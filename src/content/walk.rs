//! Walk the content folder: Markdown files are pages, everything else is an asset; hidden
//! files and editors' temporary files are skipped.

use std::path::Path;

use walkdir::WalkDir;

use crate::base::confine;
use crate::base::text::is_safe_name;
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};

/// Files found under the content folder, as `/`-separated relative paths in sorted order.
#[derive(Debug, Default)]
pub struct Files {
    /// `.md` and `.markdown` files.
    pub markdown: Vec<String>,
    /// Every other file.
    pub assets: Vec<String>,
    /// Other tools' folder metadata files (see `folders.rs`).
    pub folder_meta: Vec<String>,
}

/// Names that never belong to the site: dot files, `~` backups, Emacs `#autosave#` files.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.starts_with('#')
}

/// Is this a Markdown page by its extension? MDX (Docusaurus, Starlight) is Markdown with
/// components, which the Markdown stage reads.
pub fn is_markdown(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown") || lower.ends_with(".mdx")
}

/// Walk `content_dir`; unreadable entries become errors in `diags`.
pub fn walk(content_dir: &Path, site_root: &Path, diags: &Diagnostics) -> Files {
    let mut files = Files::default();
    // Symlinks are followed (shared folders linked in are common) but only while they stay
    // inside the site: a link to /etc or $HOME must not end up published. Every read
    // checks the same rule again on the file it opens.
    let inside = |e: &walkdir::DirEntry| {
        if !e.path_is_symlink() {
            return true;
        }
        let ok = confine::is_inside(site_root, e.path());
        if !ok {
            diags.push(Diagnostic::warning(display_path(site_root, e.path()), confine::OUTSIDE));
        }
        ok
    };
    let walker =
        WalkDir::new(content_dir).follow_links(true).sort_by_file_name().into_iter().filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || ((!is_ignored_name(&name) || super::folders::is_folder_meta(&name)) && inside(e))
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(|p| display_path(site_root, p)).unwrap_or_default();
                diags.push(Diagnostic::error(path, format!("cannot read: {e}")));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(content_dir) else {
            continue;
        };
        // The name is used as the system gives it, one component at a time: joined with `/`
        // only once every part is known to be a plain name.
        let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
        let Some(parts) = parts else {
            diags.push(Diagnostic::warning(
                display_path(site_root, entry.path()),
                "file name is not valid UTF-8; skipped",
            ));
            continue;
        };
        if !parts.iter().all(|p| is_safe_name(p)) {
            diags.push(Diagnostic::warning(
                display_path(site_root, entry.path()),
                "file name has a backslash or a control character, which cannot be part of a URL; skipped (rename the file)",
            ));
            continue;
        }
        let rel = parts.join("/");
        if parts.last().is_some_and(|n| super::folders::is_folder_meta(n)) {
            files.folder_meta.push(rel);
        } else if is_markdown(&rel) {
            files.markdown.push(rel);
        } else {
            files.assets.push(rel);
        }
    }
    files
}
