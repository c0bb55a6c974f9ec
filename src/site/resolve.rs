//! The site model answering the Markdown stage's link questions.

use super::Site;
use crate::base::percent::encode_path;
use crate::markdown::Resolver;

impl Resolver for Site {
    fn page_url(&self, rel: &str) -> Option<String> {
        if let Some(&id) = self.page_by_source.get(rel) {
            return Some(self.pages[id].url.clone());
        }
        if let Some(&id) = self.section_by_index_source.get(rel) {
            return Some(self.sections[id].url.clone());
        }
        // In one language of a multilingual site, a link written for another language's
        // place: from a page shown in the default language to a translated one (`g/b.md`,
        // here `de/g/b.md`), or from a translation to a page shown in the default language
        // (`de/g/a.md`, here `g/a.md`). Both name the page by its translation key.
        let stripped = self.key_prefix.as_deref().and_then(|p| rel.strip_prefix(p));
        [Some(rel), stripped]
            .into_iter()
            .flatten()
            .find_map(|k| self.page_by_key.get(k))
            .map(|&id| self.pages[id].url.clone())
    }

    fn is_left_out(&self, rel: &str) -> bool {
        self.config.audience == crate::config::Audience::Public && self.internal.contains(rel)
    }

    fn asset_url(&self, rel: &str) -> Option<String> {
        let &i = self.asset_by_source.get(rel)?;
        Some(format!("{}{}", self.root_path, encode_path(&self.assets[i].out_path)))
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
        if self.is_left_out(rel) {
            return Err(format!("{rel} is an internal article: a public build does not include it"));
        }
        let text = self.read_source(rel).map_err(|e| e.to_string())?;
        let split = crate::content::frontmatter::split(&text).map_err(|e| e.message)?;
        Ok(split.body.to_string())
    }

    fn snippet(&self, name: &str) -> Result<String, String> {
        let root = self.root();
        let mut inside = false;
        for dir in &self.config.markdown.snippet_dirs {
            // Resolved as a link from a file in `dir`: `..` may not climb above the root.
            let Some(rel) = crate::markdown::links::resolve(&format!("{dir}/_"), name) else { continue };
            inside = true;
            match crate::base::confine::read_to_string(&root, &root.join(&rel.path)) {
                Ok(text) => return Ok(text),
                Err(crate::base::confine::ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e.to_string()),
            }
        }
        if !inside {
            return Err("it is outside the site folder, which Kiln never reads beyond".into());
        }
        Err(format!("not found in the snippet folders ({})", self.config.markdown.snippet_dirs.join(", ")))
    }

    fn auto_append(&self) -> &[String] {
        &self.config.markdown.auto_append
    }

    fn external_base(&self) -> Option<&str> {
        self.config.links.external_base.as_deref()
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
        crate::base::confine::read_to_string(&self.root(), &self.content_dir.join(rel))
    }

    /// The site root: the content folder with `content_dir`'s steps taken back.
    pub fn root(&self) -> std::path::PathBuf {
        let mut root = self.content_dir.clone();
        for c in self.config.content_dir.components() {
            if matches!(c, std::path::Component::Normal(_)) {
                root.pop();
            }
        }
        root
    }

    /// The article or section index whose source is `rel` (content-relative).
    pub fn by_source(&self, rel: &str) -> Option<SourceRef> {
        if let Some(&id) = self.page_by_source.get(rel) {
            return Some(SourceRef::Page(id));
        }
        self.section_by_index_source.get(rel).map(|&id| SourceRef::Section(id))
    }
}
