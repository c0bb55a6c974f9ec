//! Site model: the category/folder tree, every page's URL, order, neighbours and tags.
//! Built once from [`crate::content::Content`]; read-only afterwards (rendering runs in
//! parallel over it).

pub mod languages;
mod limits;
pub mod order;
mod redirects;
mod related;
mod resolve;
pub mod review;
mod tree;

pub use redirects::Redirect;
pub use resolve::SourceRef;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content::{Asset, Body, Content, SourcePage};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// Index of a [`Section`] in [`Site::sections`].
pub type SectionId = usize;
/// Index of a [`Page`] in [`Site::pages`].
pub type PageId = usize;

/// A node of the tree: the home page (root), a category, a folder or a sub-folder.
#[derive(Debug, Clone)]
pub struct Section {
    /// Parent section; `None` for the root.
    pub parent: Option<SectionId>,
    /// 0 for the root, 1 for categories, 2 for folders, deeper for sub-folders.
    pub depth: usize,
    /// Display name.
    pub label: String,
    /// URL segments from the root (`["problems-solutions", "mailflow-issues"]`).
    pub slugs: Vec<String>,
    /// Site-absolute URL, ending in `/`.
    pub url: String,
    /// Description from site.toml or its index page.
    pub description: Option<String>,
    /// Sort weight among siblings.
    pub weight: Option<i64>,
    /// The `index.md`/`_index.md`/`README.md` that introduces it.
    pub index: Option<SourcePage>,
    /// Child sections, sorted.
    pub children: Vec<SectionId>,
    /// Articles directly in this section, sorted (the listed ones: navigation shows these).
    pub pages: Vec<PageId>,
    /// Its `unlisted` articles, sorted: searchable, reached only by links.
    pub unlisted: Vec<PageId>,
    /// Articles in this section and all below it.
    pub total_pages: usize,
    /// First file that placed something here (for collision messages).
    pub origin: PathBuf,
}

/// An article with its place in the site.
#[derive(Debug, Clone)]
pub struct Page {
    /// The loaded source.
    pub source: SourcePage,
    /// Site-absolute URL, ending in `/`.
    pub url: String,
    /// The section holding it.
    pub section: SectionId,
    /// Previous article in the same section.
    pub prev: Option<PageId>,
    /// Next article in the same section.
    pub next: Option<PageId>,
    /// Tag slugs, in front matter order.
    pub tag_slugs: Vec<String>,
    /// Last updated: front matter `updated`, else the last git commit touching the file.
    pub updated: Option<String>,
    /// Name in navigation (sidebar, cards, previous/next) when site.toml's `[pages]` gives
    /// one (MkDocs' nav titles); the title otherwise.
    pub nav_label: Option<String>,
    /// Articles its front matter pins first among its related articles (`related: [...]`).
    pub pinned: Vec<PageId>,
}

/// A tag and the pages that carry it.
#[derive(Debug, Clone)]
pub struct TagInfo {
    /// Display name (first spelling seen).
    pub label: String,
    /// Site-absolute URL.
    pub url: String,
    /// Pages, sorted by title.
    pub pages: Vec<PageId>,
}

/// A file to copy into the output.
#[derive(Debug, Clone)]
pub struct OutputAsset {
    /// Where it is read from.
    pub source: PathBuf,
    /// Path under the output folder, `/`-separated.
    pub out_path: String,
}

/// The whole site model.
#[derive(Debug)]
pub struct Site {
    /// The configuration it was built with.
    pub config: SiteConfig,
    /// `base_url`'s path, `/` or `/kb/`; a language's own (`/kb/fr/`) in a multilingual
    /// site.
    pub base_path: String,
    /// The path the whole site is served from, where its assets and theme files are:
    /// `base_path` but in a multilingual site, where it is the languages' common root.
    pub root_path: String,
    /// Its place among the languages of a multilingual site (`None` for a site in one).
    pub languages: Option<languages::SiteLanguages>,
    /// Sections; `sections[0]` is the root (home page).
    pub sections: Vec<Section>,
    /// Articles.
    pub pages: Vec<Page>,
    /// Tags by slug.
    pub tags: BTreeMap<String, TagInfo>,
    /// Assets from `content/`.
    pub assets: Vec<OutputAsset>,
    /// Content folder on disk (for includes).
    pub content_dir: PathBuf,
    /// Old URLs (front matter `aliases`) redirecting to articles, by old URL.
    pub redirects: Vec<Redirect>,
    /// Last commit date of each content file (content-relative path), from git.
    pub git_dates: HashMap<String, String>,
    /// Other tools' folder metadata it was built with (kept for the preview's next model).
    pub folders: crate::content::folders::Folders,
    /// Page views by URL path (`data/popularity.csv`), for the "Popular" blocks.
    pub views: HashMap<String, u64>,
    /// Internal articles' source paths: left out (a public build) or badged (internal).
    pub internal: std::collections::HashSet<String>,
    page_by_source: HashMap<String, PageId>,
    section_by_index_source: HashMap<String, SectionId>,
    asset_by_source: HashMap<String, usize>,
    /// A multilingual site's pages by translation key, and the folder its translations
    /// sit in (`de/`), for links written for another language's place (`languages.rs`).
    page_by_key: HashMap<String, PageId>,
    key_prefix: Option<String>,
}

/// The Markdown of the site's pages, held beside the site model (which holds none): by
/// page id (`None` for a page the build cache let the load skip), and by section for
/// section index pages.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    /// One per entry of [`Site::pages`].
    pub pages: Vec<Option<Body>>,
    /// For sections that have an index page.
    pub sections: HashMap<SectionId, Body>,
}

/// The root section id.
pub const ROOT: SectionId = 0;

/// The output file of a site-absolute URL ending in `/`, under a site at `base_path`.
pub fn out_path_of(base_path: &str, url: &str) -> String {
    let rel = url.strip_prefix(base_path).unwrap_or(url.trim_start_matches('/'));
    format!("{rel}index.html")
}

impl Site {
    /// Build the model from loaded content; the pages' Markdown is handed back beside it,
    /// by page and section. URL collisions and duplicate index pages are errors in `diags`.
    pub fn build(
        config: SiteConfig,
        content: Content,
        content_dir: PathBuf,
        diags: &Diagnostics,
    ) -> (Site, Sources) {
        let base_path = config.base_path();
        let root_path = config.root_path();
        let mut builder = tree::TreeBuilder::new(&config, &base_path);
        let mut articles: Vec<(SourcePage, SectionId)> = Vec::new();
        let mut sources = Sources::default();
        let git_dates = content.git_dates;
        for source in content.pages {
            let mut page = source.page;
            if let Some(w) = config.pages.get(&page.rel_path).and_then(|p| p.weight) {
                page.meta.weight.get_or_insert(w);
            }
            if page.is_index {
                if let (Some(id), Some(body)) = (builder.attach_index(page, diags), source.body) {
                    sources.sections.insert(id, body);
                }
            } else {
                // Pages come in path order, so neighbours mostly share their section.
                let section = match articles.last() {
                    Some((prev, id)) if prev.section == page.section => *id,
                    _ => builder.section_for(&page.section, &page.file),
                };
                articles.push((page, section));
                sources.pages.push(source.body);
            }
        }
        let sections = builder.finish(&content.folders);
        let mut site = Site {
            config,
            root_path,
            base_path,
            languages: None,
            sections,
            pages: Vec::with_capacity(articles.len()),
            tags: BTreeMap::new(),
            assets: Vec::new(),
            content_dir,
            redirects: Vec::new(),
            git_dates: HashMap::new(),
            folders: content.folders,
            views: content.views,
            internal: content.internal,
            page_by_source: HashMap::new(),
            section_by_index_source: HashMap::new(),
            asset_by_source: HashMap::new(),
            page_by_key: HashMap::new(),
            key_prefix: None,
        };
        site.place_pages(articles, &git_dates);
        site.index_and_sort();
        site.collect_tags();
        site.place_assets(content.assets);
        site.check_collisions(diags);
        site.check_path_lengths(diags);
        site.collect_redirects(diags);
        site.resolve_pins(diags);
        site.git_dates = git_dates;
        (site, sources)
    }

    /// Give each article its URL, tag slugs, last-updated date and navigation label.
    fn place_pages(&mut self, articles: Vec<(SourcePage, SectionId)>, git_dates: &HashMap<String, String>) {
        let site = self;
        // Tags repeat across thousands of pages: each distinct spelling is slugified once.
        let mut tag_slug: HashMap<String, String> = HashMap::new();
        for (source, section) in articles {
            let url = if source.slug_is_absolute {
                format!("{}{}/", site.base_path, source.slug)
            } else {
                format!("{}{}/", site.sections[section].url, source.slug)
            };
            let tag_slugs = source
                .meta
                .tags
                .iter()
                .map(|t| match tag_slug.get(t) {
                    Some(s) => s.clone(),
                    None => {
                        let s = crate::base::slug::slugify(t);
                        tag_slug.insert(t.clone(), s.clone());
                        s
                    }
                })
                .filter(|s| !s.is_empty())
                .collect();
            let updated = source.meta.updated.clone().or_else(|| git_dates.get(&source.rel_path).cloned());
            let nav_label = site.config.pages.get(&source.rel_path).and_then(|p| p.label.clone());
            site.pages.push(Page {
                source,
                url,
                section,
                prev: None,
                next: None,
                tag_slugs,
                updated,
                nav_label,
                pinned: Vec::new(),
            });
        }
    }

    fn index_and_sort(&mut self) {
        for (id, page) in self.pages.iter().enumerate() {
            self.page_by_source.insert(page.source.rel_path.clone(), id);
            let s = &mut self.sections[page.section];
            if page.source.meta.unlisted { s.unlisted.push(id) } else { s.pages.push(id) }
        }
        for (id, s) in self.sections.iter().enumerate() {
            if let Some(index) = &s.index {
                self.section_by_index_source.insert(index.rel_path.clone(), id);
            }
        }
        let pages = &self.pages;
        let by_order = |&a: &PageId, &b: &PageId| {
            let (pa, pb) = (&pages[a].source, &pages[b].source);
            order::weight_title_cmp(pa.meta.weight, &pa.title, pb.meta.weight, &pb.title)
                .then_with(|| pa.rel_path.cmp(&pb.rel_path))
        };
        self.sections.par_iter_mut().for_each(|s| {
            s.pages.sort_by(by_order);
            s.unlisted.sort_by(by_order);
        });
        for s in 0..self.sections.len() {
            let ids = self.sections[s].pages.clone();
            for (i, &p) in ids.iter().enumerate() {
                self.pages[p].prev = i.checked_sub(1).map(|j| ids[j]);
                self.pages[p].next = ids.get(i + 1).copied();
            }
        }
        tree::sort_children(&mut self.sections, &self.config);
        tree::count_pages(&mut self.sections, ROOT);
    }

    fn collect_tags(&mut self) {
        for (id, page) in self.pages.iter().enumerate().filter(|(_, p)| !p.source.meta.unlisted) {
            for (label, slug) in page.source.meta.tags.iter().zip(&page.tag_slugs) {
                let url = format!("{}tags/{slug}/", self.base_path);
                let tag = self.tags.entry(slug.clone()).or_insert_with(|| TagInfo {
                    label: label.trim().to_string(),
                    url,
                    pages: Vec::new(),
                });
                // Pages come in id order: a repeated tag on one page can only be the last.
                if tag.pages.last() != Some(&id) {
                    tag.pages.push(id);
                }
            }
        }
        let pages = &self.pages;
        let mut tags: Vec<&mut TagInfo> = self.tags.values_mut().collect();
        tags.par_iter_mut().for_each(|tag| {
            tag.pages.sort_by(|&a, &b| order::natural_cmp(&pages[a].source.title, &pages[b].source.title));
        });
    }

    fn place_assets(&mut self, assets: Vec<Asset>) {
        for asset in assets {
            let mut parts: Vec<&str> = asset.rel_path.split('/').collect();
            let name = parts.pop().unwrap_or_default();
            let mut out: Vec<String> = parts.iter().map(|p| crate::base::slug::slugify(p)).collect();
            out.push(name.to_string());
            self.asset_by_source.insert(asset.rel_path.clone(), self.assets.len());
            self.assets.push(OutputAsset { source: asset.source, out_path: out.join("/") });
        }
    }

    fn check_collisions(&self, diags: &Diagnostics) {
        let (tags, search) = (format!("{}tags/", self.base_path), format!("{}search/", self.base_path));
        let (tag_index, search_page) = (PathBuf::from("(the tag index)"), PathBuf::from("(the search page)"));
        let mut seen: HashMap<&str, &PathBuf> =
            HashMap::with_capacity(self.pages.len() + self.sections.len());
        // The tag index is Kiln's own page; a category called "tags" would overwrite it.
        seen.insert(&tags, &tag_index);
        seen.insert(&search, &search_page);
        let claims = self.sections.iter().map(|s| (s.url.as_str(), &s.origin));
        for (url, file) in claims.chain(self.pages.iter().map(|p| (p.url.as_str(), &p.source.file))) {
            if let Some(prev) = seen.get(url) {
                if *prev != file {
                    diags.push(Diagnostic::error(
                        file.clone(),
                        format!("URL {url} is also produced by {}; set a different `slug`", prev.display()),
                    ));
                }
            } else {
                seen.insert(url, file);
            }
        }
        for t in self.tags.values() {
            if let Some(owner) = seen.get(t.url.as_str()) {
                diags.push(Diagnostic::error(
                    (*owner).clone(),
                    format!("URL {} is reserved for tag pages", t.url),
                ));
            }
        }
    }

    /// Chain of sections from the root down to `id` (inclusive).
    pub fn ancestry(&self, id: SectionId) -> Vec<SectionId> {
        let mut chain = vec![id];
        let mut cur = id;
        while let Some(p) = self.sections[cur].parent {
            chain.push(p);
            cur = p;
        }
        chain.reverse();
        chain
    }

    /// Labels of the sections above a page in `section`: category, folder, sub-folders.
    pub fn trail(&self, section: SectionId) -> Vec<&str> {
        self.ancestry(section).into_iter().skip(1).map(|s| self.sections[s].label.as_str()).collect()
    }

    /// Count of categories (depth 1) and folders (depth ≥ 2).
    pub fn section_counts(&self) -> (usize, usize) {
        let cats = self.sections.iter().filter(|s| s.depth == 1).count();
        let folders = self.sections.iter().filter(|s| s.depth >= 2).count();
        (cats, folders)
    }
}
