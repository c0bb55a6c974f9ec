//! Site-wide checks, run once every page is rendered (the Markdown stage sees one page at a
//! time): links to pages, files and `#fragments` that do not exist, and articles in one
//! folder sharing a title. Findings carry a [`Code`](crate::diagnostics::Code); `kiln check`
//! makes the broken-link kinds errors, `kiln build` reports them as warnings. `kiln check`
//! also reports a multilingual site's missing and outdated translations and the articles
//! overdue for review.

pub mod links;
mod review;
mod titles;
mod translations;

pub use links::{Outputs, check_links};
pub use review::stale;
pub use titles::duplicate_titles;
pub use translations::{TranslationStatus, translations};

use std::collections::HashMap;

use crate::diagnostics::Diagnostics;
use crate::markdown::Rendered;
use crate::markdown::links::Link;
use crate::site::{SectionId, Site};

/// Run every site-wide check on the articles' links and anchors (by id) and the section
/// indexes' rendered bodies, against the files of the built site (`outputs` is asked for
/// them only when some link needs them).
pub fn run(
    site: &Site,
    pages: &[PageLinks<'_>],
    sections: &HashMap<SectionId, Rendered>,
    outputs: &(dyn Fn() -> Outputs + Sync),
    theme_ids: &[String],
    diags: &Diagnostics,
) {
    let sections = sections.iter().map(|(&id, r)| (id, PageLinks::of(r))).collect();
    let (linked, ()) = rayon::join(
        || check_links(site, pages, &sections, outputs, theme_ids, diags),
        || duplicate_titles(site, diags),
    );
    orphans(site, &linked, diags);
    favicon(site, outputs, diags);
}

/// Warn when `favicon` names no file of the built site (every page would link to a 404).
fn favicon(site: &Site, outputs: &(dyn Fn() -> Outputs + Sync), diags: &Diagnostics) {
    let path = site.config.favicon.trim().trim_start_matches('/');
    // The languages of a multilingual site share the file: the default language checks it.
    let shared = site.languages.as_ref().is_some_and(|l| l.current > 0);
    if path.is_empty() || shared || outputs().contains(path) {
        return;
    }
    diags.push(crate::diagnostics::Diagnostic::warning(
        crate::config::CONFIG_FILE,
        format!(
            "favicon = {path:?} is not a file of the built site; put it in static/ or set favicon = \"\""
        ),
    ));
}

/// Warn about every unlisted article no other page links to: navigation leaves it out,
/// so only readers who already have its URL (or search for it) find it.
fn orphans(site: &Site, linked: &std::collections::HashSet<crate::site::PageId>, diags: &Diagnostics) {
    for (id, p) in site.pages.iter().enumerate() {
        if !p.source.meta.unlisted || linked.contains(&id) {
            continue;
        }
        let line = p.source.positions.key("unlisted").map_or(1, |(line, _)| line);
        diags.push(
            crate::diagnostics::Diagnostic::warning(
                &p.source.file,
                "unlisted article that no page links to: navigation leaves it out, so readers \
                 reach it only by search or its URL (link to it, or drop `unlisted`)",
            )
            .at(line, Some(1))
            .code(crate::diagnostics::Code::Orphan),
        );
    }
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
