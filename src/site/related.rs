//! Front matter `related: [...]`: the articles an author pins first among an article's
//! related articles, resolved to pages here so that a path to no article is reported at
//! the `related` line when the site model is made (the rest are computed from the text by
//! [`crate::search::related`]).

use super::{PageId, Site};
use crate::content::frontmatter::Related;
use crate::diagnostics::{Diagnostic, Diagnostics};

impl Site {
    /// Resolve every article's pinned related articles; paths to no article are warnings.
    pub(super) fn resolve_pins(&mut self, diags: &Diagnostics) {
        for id in 0..self.pages.len() {
            let Related::Pinned(paths) = &self.pages[id].source.meta.related else { continue };
            let mut pinned = Vec::new();
            for path in paths {
                match self.pinned_page(id, path) {
                    Ok(to) if to != id && !pinned.contains(&to) => pinned.push(to),
                    Ok(_) => {}
                    Err(why) => {
                        let src = &self.pages[id].source;
                        let (line, col) = src.positions.key("related").unwrap_or((1, 1));
                        let message = format!("related article {path:?} {why}");
                        diags.push(Diagnostic::warning(&src.file, message).at(line, Some(col)));
                    }
                }
            }
            self.pages[id].pinned = pinned;
        }
    }

    /// The article `path` names, written in article `from`: a source path resolved as a
    /// link from it, else from the content folder (with or without `.md`), or a site URL.
    /// An article a public build leaves out is an error (its title would leak).
    fn pinned_page(&self, from: PageId, path: &str) -> Result<PageId, String> {
        let rel_from = &self.pages[from].source.rel_path;
        let candidates = [
            crate::markdown::links::resolve(rel_from, path),
            crate::markdown::links::resolve("", path.trim_start_matches('/')),
        ];
        for rel in candidates.into_iter().flatten().map(|l| l.path) {
            for rel in [rel.clone(), format!("{rel}.md"), format!("{rel}.mdx")] {
                if let Some(&id) = self.page_by_source.get(&rel) {
                    return Ok(id);
                }
                if crate::markdown::Resolver::is_left_out(self, &rel) {
                    return Err("is an internal article, left out of a public build".into());
                }
            }
        }
        let url = format!("/{}/", path.trim_matches('/'));
        if let Some(id) = self
            .pages
            .iter()
            .position(|p| p.url == url || p.url == format!("{}{}", self.base_path, &url[1..]))
        {
            return Ok(id);
        }
        Err("is no article of this site (give its file's path, as in a link)".into())
    }
}
