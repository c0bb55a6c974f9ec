//! The site model answering the Markdown stage's link questions.

use super::Site;
use crate::base::percent::encode_path;
use crate::markdown::Resolver;

impl Resolver for Site {
    fn page_url(&self, rel: &str) -> Option<String> {
        if let Some(&id) = self.page_by_source.get(rel) {
            return Some(self.pages[id].url.clone());
        }
        self.section_by_index_source.get(rel).map(|&id| self.sections[id].url.clone())
    }

    fn asset_url(&self, rel: &str) -> Option<String> {
        let &i = self.asset_by_source.get(rel)?;
        Some(format!("{}{}", self.base_path, encode_path(&self.assets[i].out_path)))
    }

    fn folder(&self, rel: &str) -> Vec<crate::markdown::FolderEntry> {
        let section = match self.by_source(rel) {
            Some(SourceRef::Page(id)) => self.pages[id].section,
            Some(SourceRef::Section(id)) => id,
            None => return Vec::new(),
        };
        let s = &self.sections[section];
        let folders = s.children.iter().map(|&c| {
            let c = &self.sections[c];
            crate::markdown::FolderEntry {
                title: c.label.clone(),
                url: c.url.clone(),
                description: c.description.clone(),
            }
        });
        let pages = s.pages.iter().filter(|&&p| self.pages[p].source.rel_path != rel).map(|&p| {
            let p = &self.pages[p];
            crate::markdown::FolderEntry {
                title: p.source.title.clone(),
                url: p.url.clone(),
                description: p.source.meta.description.clone(),
            }
        });
        folders.chain(pages).collect()
    }

    fn include(&self, rel: &str) -> Result<String, String> {
        let text = self.read_source(rel).map_err(|e| e.to_string())?;
        let split = crate::content::frontmatter::split(&text).map_err(|e| e.message)?;
        Ok(split.body.to_string())
    }
}

/// What a content file is in the site model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceRef {
    /// An article.
    Page(super::PageId),
    /// A section's index page.
    Section(super::SectionId),
}

impl Site {
    /// The text of the content file `rel`, read by the rule every read follows: only a file
    /// inside the site root (after links) is used.
    pub fn read_source(&self, rel: &str) -> Result<String, crate::base::confine::ReadError> {
        let root = self.content_dir.parent().unwrap_or(&self.content_dir);
        crate::base::confine::read_to_string(root, &self.content_dir.join(rel))
    }

    /// The article or section index whose source is `rel` (content-relative).
    pub fn by_source(&self, rel: &str) -> Option<SourceRef> {
        if let Some(&id) = self.page_by_source.get(rel) {
            return Some(SourceRef::Page(id));
        }
        self.section_by_index_source.get(rel).map(|&id| SourceRef::Section(id))
    }
}
