//! Building the section tree from the pages' category/folder paths.

use std::collections::HashMap;
use std::path::Path;

use super::{ROOT, Section, SectionId, order};
use crate::config::SiteConfig;
use crate::content::{SectionRef, SourcePage, TitleSource};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// Accumulates sections while pages are assigned to them.
pub struct TreeBuilder<'c> {
    config: &'c SiteConfig,
    sections: Vec<Section>,
    by_path: HashMap<Vec<String>, SectionId>,
    /// Per section: was its label given in front matter (rather than derived from a folder)?
    explicit_label: Vec<bool>,
}

impl<'c> TreeBuilder<'c> {
    /// A tree holding only the root.
    pub fn new(config: &'c SiteConfig, base_path: &str) -> Self {
        let root = Section {
            parent: None,
            depth: 0,
            label: config.title.clone(),
            slugs: Vec::new(),
            url: base_path.to_string(),
            description: (!config.description.is_empty()).then(|| config.description.clone()),
            weight: None,
            index: None,
            children: Vec::new(),
            pages: Vec::new(),
            unlisted: Vec::new(),
            total_pages: 0,
            origin: Path::new(crate::config::CONFIG_FILE).to_path_buf(),
        };
        let mut by_path = HashMap::new();
        by_path.insert(Vec::new(), ROOT);
        TreeBuilder { config, sections: vec![root], by_path, explicit_label: vec![true] }
    }

    /// The section at `refs`, created (with its ancestors) if needed.
    pub fn section_for(&mut self, refs: &[SectionRef], file: &Path) -> SectionId {
        let mut cur = ROOT;
        let mut path: Vec<String> = Vec::with_capacity(refs.len());
        for r in refs {
            path.push(r.slug.clone());
            cur = match self.by_path.get(&path) {
                Some(&id) => {
                    if r.explicit && !self.explicit_label[id] {
                        self.sections[id].label = r.label.clone();
                        self.explicit_label[id] = true;
                    }
                    id
                }
                None => {
                    let id = self.sections.len();
                    let parent = &self.sections[cur];
                    let section = Section {
                        parent: Some(cur),
                        depth: path.len(),
                        label: r.label.clone(),
                        slugs: path.clone(),
                        url: format!("{}{}/", parent.url, r.slug),
                        description: None,
                        weight: None,
                        index: None,
                        children: Vec::new(),
                        pages: Vec::new(),
                        unlisted: Vec::new(),
                        total_pages: 0,
                        origin: file.to_path_buf(),
                    };
                    self.sections[cur].children.push(id);
                    self.sections.push(section);
                    self.explicit_label.push(r.explicit);
                    self.by_path.insert(path.clone(), id);
                    id
                }
            };
        }
        cur
    }

    /// Make `page` the introduction of its section and return the section; two for one
    /// section is an error.
    pub fn attach_index(&mut self, page: SourcePage, diags: &Diagnostics) -> Option<SectionId> {
        let id = self.section_for(&page.section, &page.file);
        let section = &mut self.sections[id];
        if let Some(existing) = &section.index {
            diags.push(Diagnostic::error(
                page.file.clone(),
                format!(
                    "{} already introduces {}; keep one index file per folder",
                    existing.file.display(),
                    section.url
                ),
            ));
            return None;
        }
        if page.title_source != TitleSource::FileName {
            section.label = page.title.clone();
        }
        if page.meta.description.is_some() {
            section.description = page.meta.description.clone();
        }
        if page.meta.weight.is_some() {
            section.weight = page.meta.weight;
        }
        section.index = Some(page);
        Some(id)
    }

    /// Apply other tools' folder metadata, then site.toml's labels and descriptions (which
    /// win), and return the sections.
    pub fn finish(mut self, folders: &crate::content::folders::Folders) -> Vec<Section> {
        for s in self.sections.iter_mut().skip(1) {
            let key = s.slugs.join("/");
            if let Some(meta) = folders.get(&key) {
                if let Some(l) = &meta.label {
                    s.label = l.clone();
                }
                if meta.description.is_some() {
                    s.description = meta.description.clone();
                }
                if meta.weight.is_some() {
                    s.weight = meta.weight;
                }
            }
            let cfg =
                if s.depth == 1 { self.config.categories.get(&key) } else { self.config.folders.get(&key) };
            if let Some(cfg) = cfg {
                if let Some(l) = &cfg.label {
                    s.label = l.clone();
                }
                if cfg.description.is_some() {
                    s.description = cfg.description.clone();
                }
                if cfg.weight.is_some() {
                    s.weight = cfg.weight;
                }
            }
        }
        self.sections
    }
}

/// Sort every section's children: categories in `category_order` first, then by weight and
/// title.
pub fn sort_children(sections: &mut [Section], config: &SiteConfig) {
    let position = |s: &Section| {
        let slug = s.slugs.last().map(String::as_str).unwrap_or("");
        config.category_order.iter().position(|o| {
            o == slug || o.eq_ignore_ascii_case(&s.label) || crate::base::slug::slugify(o) == slug
        })
    };
    for i in 0..sections.len() {
        let mut children = std::mem::take(&mut sections[i].children);
        children.sort_by(|&a, &b| {
            let (sa, sb) = (&sections[a], &sections[b]);
            let pa = if sa.depth == 1 { position(sa) } else { None };
            let pb = if sb.depth == 1 { position(sb) } else { None };
            (pa.is_none(), pa)
                .cmp(&(pb.is_none(), pb))
                .then_with(|| order::weight_title_cmp(sa.weight, &sa.label, sb.weight, &sb.label))
                .then_with(|| sa.url.cmp(&sb.url))
        });
        sections[i].children = children;
    }
}

/// Fill `total_pages` bottom-up; returns the count for `id`.
pub fn count_pages(sections: &mut [Section], id: SectionId) -> usize {
    let children = sections[id].children.clone();
    let total = sections[id].pages.len() + children.iter().map(|&c| count_pages(sections, c)).sum::<usize>();
    sections[id].total_pages = total;
    total
}
