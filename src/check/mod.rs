//! Site-wide checks, run once every page is rendered (the Markdown stage sees one page at a
//! time): links to pages, files and `#fragments` that do not exist, and articles in one
//! folder sharing a title. Findings carry a [`Code`](crate::diagnostics::Code); `kiln check`
//! makes the broken-link kinds errors, `kiln build` reports them as warnings.

pub mod links;
mod titles;

pub use links::{Outputs, check_links};
pub use titles::duplicate_titles;

use std::collections::HashMap;

use crate::diagnostics::Diagnostics;
use crate::markdown::Rendered;
use crate::markdown::links::Link;
use crate::site::{SectionId, Site};

/// Run every site-wide check on the rendered bodies (articles by id, section indexes),
/// against `outputs`, the files of the built site.
pub fn run(
    site: &Site,
    pages: &[Rendered],
    sections: &HashMap<SectionId, Rendered>,
    outputs: &Outputs,
    theme_ids: &[String],
    diags: &Diagnostics,
) {
    let pages: Vec<_> = pages.iter().map(PageLinks::of).collect();
    let sections = sections.iter().map(|(&id, r)| (id, PageLinks::of(r))).collect();
    check_links(site, &pages, &sections, outputs, theme_ids, diags);
    duplicate_titles(site, diags);
}

/// What the link check needs of one rendered page: its checkable links and its anchors.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageLinks<'a> {
    /// Links to fragments and site URLs (see [`Link`]).
    pub links: &'a [Link],
    /// Heading ids and raw HTML ids on the page.
    pub anchors: &'a [String],
}

impl<'a> PageLinks<'a> {
    /// The links and anchors of a rendered body.
    pub fn of(r: &'a Rendered) -> Self {
        PageLinks { links: &r.links, anchors: &r.anchors }
    }
}
