//! The printable pages' part in a build: which must be written (their key is not the last
//! build's), so that the articles pass keeps those articles' HTML, and writing them once
//! the pass is done. The HTML of every article of a section whose printable page is
//! written is held until then (with `[print]` off, nothing is).

use rayon::prelude::*;

use super::pages::Plan;
use crate::cache::reuse::Derived;
use crate::error::Result;
use crate::markdown::Rendered;
use crate::output::Sink;
use crate::render::{Renderer, Theme};
use crate::site::{PageId, SectionId, Site};

/// The printable pages of a build.
pub(super) struct PrintPlan {
    /// Each printable section's page.
    sections: Vec<Printable>,
    /// By article: its HTML is needed for a printable page.
    pub(super) keep_html: Vec<bool>,
}

/// One section's printable page.
struct Printable {
    section: SectionId,
    /// Its output path.
    out: String,
    /// Its articles in print order.
    order: Vec<PageId>,
    /// Written this build (else the last build's file is kept).
    write: bool,
}

impl PrintPlan {
    /// Decide which printable pages are written; their articles' HTML is kept.
    pub(super) fn new(site: &Site, renderer: &Renderer, plans: &[Plan], derived: &Derived) -> PrintPlan {
        let mut keep_html = vec![false; site.pages.len()];
        let sections: Vec<Printable> = crate::render::printable(site)
            .into_par_iter()
            .map(|(section, out)| {
                let order = crate::render::print_order(site, section);
                let keys: Vec<_> = order.iter().map(|&p| plans[p].markdown).collect();
                let key = renderer.print_key(site, section, &keys);
                let write = !key.is_some_and(|k| derived.keep(&out, k));
                Printable { section, out, order, write }
            })
            .collect();
        for s in sections.iter().filter(|s| s.write) {
            for &p in &s.order {
                keep_html[p] = true;
            }
        }
        PrintPlan { sections, keep_html }
    }

    /// Write the printable pages to be written from the articles' HTML (which is then
    /// released); returns every printable page's path.
    pub(super) fn write(
        self,
        site: &Site,
        renderer: &Renderer,
        texts: &mut [Rendered],
        theme: &Theme,
        sink: &dyn Sink,
    ) -> Result<Vec<String>> {
        let bodies: &[Rendered] = texts;
        self.sections.par_iter().filter(|s| s.write).try_for_each(|s| {
            let order: Vec<&Rendered> = s.order.iter().map(|&p| &bodies[p]).collect();
            renderer.print_page(site, s.section, &order, theme, sink, &s.out)
        })?;
        for (r, keep) in texts.iter_mut().zip(&self.keep_html) {
            if *keep {
                r.html = String::new();
            }
        }
        Ok(self.sections.into_iter().map(|s| s.out).collect())
    }
}
