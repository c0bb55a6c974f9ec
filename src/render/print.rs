//! Printable sections (`[print] enabled`): `/<category>/print/` and each folder's
//! `print/` hold every article of the section and below, in navigation order, after a
//! table of contents, each starting on a new page — for "Save as PDF".

use serde::Serialize;

use super::context::{self, Link};
use super::ctx::Ctx;
use super::{Meta, Renderer, Theme, out_path, permalink};
use crate::base::digest::Digest;
use crate::error::Result;
use crate::markdown::Rendered;
use crate::output::Sink;
use crate::site::{PageId, ROOT, SectionId, Site};

/// The articles of section `id` and below in navigation order (a section's folders, each
/// with everything under it, then its own articles, as the sidebar lists them).
pub fn print_order(site: &Site, id: SectionId) -> Vec<PageId> {
    let s = &site.sections[id];
    let mut out: Vec<PageId> = s.children.iter().flat_map(|&c| print_order(site, c)).collect();
    out.extend(&s.pages);
    out
}

/// The sections with a printable page, with its output path.
pub fn printable(site: &Site) -> Vec<(SectionId, String)> {
    (0..site.sections.len()).filter_map(|id| Some((id, out_path(site, &print_url(site, id)?)))).collect()
}

/// The URL of section `id`'s printable page: every category and folder holding an article
/// has one, unless a folder or article of its own already has the URL `<section>/print/`
/// (the content keeps it).
pub fn print_url(site: &Site, id: SectionId) -> Option<String> {
    let s = &site.sections[id];
    if !site.config.print.enabled || id == ROOT || s.total_pages == 0 {
        return None;
    }
    let url = format!("{}print/", s.url);
    let taken = s.children.iter().any(|&c| site.sections[c].url == url)
        || s.pages.iter().chain(&s.unlisted).any(|&p| site.pages[p].url == url);
    (!taken).then_some(url)
}

/// What the print template sees of one article.
#[derive(Serialize)]
struct PrintArticle<'a> {
    title: &'a str,
    permalink: String,
    /// The id of its part of the page.
    anchor: String,
    /// "Category › Folder".
    trail: String,
    /// Its body (ids made unique on the page), or in a key the key of its Markdown.
    #[serde(flatten)]
    body: PrintBody,
}

#[derive(Serialize)]
#[serde(untagged)]
enum PrintBody {
    Html { content: String, highlighted: bool },
    Keyed { markdown: String },
}

#[derive(Serialize)]
struct PrintCtx<'a> {
    meta: Meta<'a>,
    section: Link<'a>,
    articles: Vec<PrintArticle<'a>>,
}

impl Renderer {
    /// The key of a section's printable page, from the keys of its articles' Markdown
    /// (`None` for an article whose Markdown is not the last build's: render it again).
    pub fn print_key(&self, site: &Site, id: SectionId, markdown: &[Option<Digest>]) -> Option<Digest> {
        let bodies: Option<Vec<PrintBody>> =
            markdown.iter().map(|k| k.map(|k| PrintBody::Keyed { markdown: format!("{k:032x}") })).collect();
        super::ctx::keyed(self.base_digest?, "print.html", &print_ctx(site, id, bodies?))
    }

    /// Render section `id`'s printable page to `out` from its articles' rendered bodies, in
    /// [`print_order`].
    pub fn print_page(
        &self,
        site: &Site,
        id: SectionId,
        bodies: &[&Rendered],
        theme: &Theme,
        sink: &dyn Sink,
        out: &str,
    ) -> Result<()> {
        let bodies = bodies
            .iter()
            .enumerate()
            .map(|(n, r)| PrintBody::Html { content: unique_ids(&r.html, n), highlighted: r.highlighted })
            .collect();
        let ctx = Ctx::of(&print_ctx(site, id, bodies))?;
        self.write_html(theme, sink, "print.html", ctx, out, &site.sections[id].origin.to_string_lossy())
    }
}

impl Renderer {
    /// Render the printable pages of the sections `which` accepts from every article's
    /// rendered body (the preview, which keeps them all).
    pub fn print_pages(
        &self,
        site: &Site,
        bodies: &[Rendered],
        theme: &Theme,
        sink: &dyn Sink,
        which: impl Fn(SectionId) -> bool + Sync,
    ) -> Result<()> {
        use rayon::prelude::*;
        printable(site).into_par_iter().filter(|(id, _)| which(*id)).try_for_each(|(id, out)| {
            let order: Vec<&Rendered> = print_order(site, id).iter().map(|&p| &bodies[p]).collect();
            self.print_page(site, id, &order, theme, sink, &out)
        })
    }
}

fn print_ctx(site: &Site, id: SectionId, bodies: Vec<PrintBody>) -> PrintCtx<'_> {
    let s = &site.sections[id];
    let articles = print_order(site, id)
        .into_iter()
        .zip(bodies)
        .enumerate()
        .map(|(n, (p, body))| {
            let page = &site.pages[p];
            PrintArticle {
                title: &page.source.title,
                permalink: permalink(site, &page.url),
                anchor: format!("a{}", n + 1),
                trail: site.trail(page.section).join(" › "),
                body,
            }
        })
        .collect();
    PrintCtx {
        meta: Meta::new(site, &s.url, &s.label, s.description.as_deref(), "website"),
        section: context::section_link(site, id),
        articles,
    }
}

/// An article's body with its ids (and the links to them) prefixed by its place on the
/// page: every article has a "Cause" heading, and ids must be unique in one document.
fn unique_ids(html: &str, n: usize) -> String {
    let prefix = format!("a{}-", n + 1);
    html.replace(" id=\"", &format!(" id=\"{prefix}")).replace(" href=\"#", &format!(" href=\"#{prefix}"))
}
