//! The articles the home page and each category page put forward: "Featured" (front
//! matter `featured`, by weight, then title) and "Popular" (the most viewed, from
//! `data/popularity.csv`). Worked out once for every section, from each article up.

use crate::site::{PageId, ROOT, SectionId, Site};

/// How many articles a "Popular" block lists.
pub const POPULAR: usize = 5;

/// Per section: its featured and its popular articles (only the home page and categories
/// have any).
pub struct Promoted {
    /// Featured articles under each section, in order.
    pub featured: Vec<Vec<PageId>>,
    /// The most viewed articles under each section, most first.
    pub popular: Vec<Vec<PageId>>,
}

/// The home page's and each category's featured and popular articles.
pub fn promoted(site: &Site) -> Promoted {
    let n = site.sections.len();
    let mut featured = vec![Vec::new(); n];
    let mut popular: Vec<Vec<(u64, PageId)>> = vec![Vec::new(); n];
    for (id, page) in site.pages.iter().enumerate() {
        if page.source.meta.unlisted {
            continue;
        }
        let views = views_of(site, &page.url);
        if !page.source.meta.featured && views == 0 {
            continue;
        }
        // The home page and the category: the first two of the page's ancestry.
        for s in site.ancestry(page.section).into_iter().take(2) {
            if page.source.meta.featured {
                featured[s].push(id);
            }
            if views > 0 {
                popular[s].push((views, id));
            }
        }
    }
    for list in &mut featured {
        list.sort_by(|&a, &b| {
            let (pa, pb) = (&site.pages[a], &site.pages[b]);
            let w = |p: &crate::site::Page| p.source.meta.weight.unwrap_or(i64::MAX);
            w(pa)
                .cmp(&w(pb))
                .then_with(|| pa.source.title.cmp(&pb.source.title))
                .then_with(|| pa.url.cmp(&pb.url))
        });
    }
    let popular = popular
        .into_iter()
        .map(|mut list| {
            list.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| site.pages[a.1].url.cmp(&site.pages[b.1].url)));
            list.into_iter().take(POPULAR).map(|(_, id)| id).collect()
        })
        .collect();
    Promoted { featured, popular }
}

/// The views of the page at `url`; rows may name it with the base path or without it
/// (`/kb/a/` or `/a/`).
fn views_of(site: &Site, url: &str) -> u64 {
    if site.views.is_empty() {
        return 0;
    }
    let bare = url.strip_prefix(site.base_path.as_str()).map(|r| format!("/{r}"));
    site.views.get(url).or_else(|| site.views.get(bare.as_deref()?)).copied().unwrap_or(0)
}

/// Whether section `id` shows promoted articles: the home page and categories.
pub fn shows(site: &Site, id: SectionId) -> bool {
    id == ROOT || site.sections[id].depth == 1
}
