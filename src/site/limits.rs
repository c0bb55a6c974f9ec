//! Output paths the file system would refuse: a name over 255 bytes (the limit of every
//! common file system) or a path over a few thousand. Found here, at the front matter line
//! that made the URL, so `kiln check` reports them before `kiln build` fails on them.

use super::Site;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// Bytes in one file or folder name (`NAME_MAX` on Linux, the limit of ext4, APFS, NTFS).
pub const MAX_NAME: usize = 255;
/// Bytes in an output path below the output folder, leaving room for the folder itself
/// within Linux's 4,096-byte `PATH_MAX`.
pub const MAX_PATH: usize = 3_000;

impl Site {
    /// Report every page, section and tag URL that could not be written as a file.
    pub(super) fn check_path_lengths(&self, diags: &Diagnostics) {
        for p in &self.pages {
            let keys: &[&str] =
                if p.source.meta.slug.is_some() { &["slug"] } else { &["category", "folder"] };
            self.check_url(&p.url, &p.source.file, Some(&p.source.positions), keys, diags);
        }
        for s in &self.sections {
            let positions = s.index.as_ref().map(|i| &i.positions);
            self.check_url(&s.url, &s.origin, positions, &["category", "folder"], diags);
        }
        for t in self.tags.values() {
            if let Some(&first) = t.pages.first() {
                let src = &self.pages[first].source;
                self.check_url(&t.url, &src.file, Some(&src.positions), &["tags"], diags);
            }
        }
    }

    fn check_url(
        &self,
        url: &str,
        file: &std::path::Path,
        positions: Option<&crate::content::Positions>,
        keys: &[&str],
        diags: &Diagnostics,
    ) {
        // The common case costs no allocation: a URL whose parts and length are all short.
        if url.len() <= MAX_PATH && url.split('/').all(|p| p.len() <= MAX_NAME) {
            return;
        }
        let out = super::out_path_of(&self.base_path, url);
        let long = out.split('/').find(|part| part.len() > MAX_NAME);
        let message = match long {
            Some(part) => format!(
                "the URL {} has a name of {} bytes (`{}…`); file systems allow {MAX_NAME}: shorten the slug, \
                 title or file name that makes it",
                truncate(url, 80),
                part.len(),
                truncate(part, 40)
            ),
            None if out.len() > MAX_PATH => format!(
                "the URL {} is {} bytes long, over the {MAX_PATH} bytes Kiln writes: shorten the slugs in it",
                truncate(url, 80),
                out.len()
            ),
            None => return,
        };
        let (line, col) = positions.and_then(|p| keys.iter().find_map(|k| p.key(k))).unwrap_or((1, 1));
        diags.push(Diagnostic::error(file.to_path_buf(), message).at(line, Some(col)));
    }
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}
