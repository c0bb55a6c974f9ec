//! Everything but the articles: the home page and each category and folder page (with
//! their index pages' rendered Markdown), the tag pages, the 404 and search pages. Each
//! file's key is made from its own context; a file whose key is unchanged is kept.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::context::{self, Link};
use super::ctx::Ctx;
use super::{Meta, Renderer, Reuse, Theme, out_path};
use crate::error::Result;
use crate::markdown::Rendered;
use crate::output::Sink;
use crate::site::{ROOT, SectionId, Site, TagInfo};

/// One file to render from a template.
pub(super) struct Job {
    template: &'static str,
    out: String,
    /// What the file is named after in an error message.
    origin: String,
    ctx: Ctx,
}

impl Renderer {
    /// Render (or keep, where `reuse` says so) every listing, tag, 404 and search page;
    /// returns their output paths.
    pub(super) fn listings(
        &self,
        site: &Site,
        sections: &HashMap<SectionId, Rendered>,
        theme: &Theme,
        sink: &dyn Sink,
        reuse: &dyn Reuse,
    ) -> Result<Vec<String>> {
        // Each file's context is made, keyed and rendered by one worker in turn, so no more
        // than one context per worker is held at a time.
        let finish = |job: Result<Job>| -> Result<String> {
            let job = job?;
            let key =
                self.base_digest.filter(|_| reuse.wants_keys()).and_then(|b| job.ctx.key(b, job.template));
            if !reuse.keep(&job.out, key) {
                self.write_html(theme, sink, job.template, job.ctx, &job.out, &job.origin)?;
            }
            Ok(job.out)
        };
        let promoted = super::promoted::promoted(site);
        let mut paths: Vec<String> = (0..site.sections.len())
            .into_par_iter()
            .map(|id| finish(self.section_job(site, id, sections.get(&id), &promoted)))
            .collect::<Result<_>>()?;
        paths.push(finish(self.tag_index_job(site))?);
        let tags: Vec<_> = site.tags.values().collect();
        let tag_paths: Vec<String> =
            tags.par_iter().map(|tag| finish(self.tag_job(site, tag))).collect::<Result<_>>()?;
        paths.extend(tag_paths);
        for job in self.fixed_jobs(site)? {
            paths.push(finish(Ok(job))?);
        }
        Ok(paths)
    }

    /// The home page (`index.html`) or a category or folder page (`section.html`).
    fn section_job(
        &self,
        site: &Site,
        id: SectionId,
        intro: Option<&Rendered>,
        promoted: &super::promoted::Promoted,
    ) -> Result<Job> {
        let s = &site.sections[id];
        let mut ctx = Ctx::new();
        ctx.insert("intro", intro.map_or("", |r| r.html.as_str()))?;
        ctx.insert("highlighted", &intro.is_some_and(|r| r.highlighted))?;
        ctx.insert("diagrams", &intro.is_some_and(|r| r.diagrams))?;
        // The section's own link in its sidebar is the current page here (on its articles'
        // pages it is only their section).
        let sidebar = self.sidebar_of(id).replacen(
            "class=\"nav-current-section\"",
            "class=\"nav-current-section\" aria-current=\"page\"",
            1,
        );
        ctx.insert("sidebar", &sidebar)?;
        let children: Vec<_> = s.children.iter().map(|&c| context::section_card(site, c)).collect();
        ctx.insert("pages", &s.pages.iter().map(|&p| context::page_card(site, p)).collect::<Vec<_>>())?;
        if super::promoted::shows(site, id) {
            let cards = |ids: &[usize]| ids.iter().map(|&p| context::page_card(site, p)).collect::<Vec<_>>();
            ctx.insert("featured", &cards(&promoted.featured[id]))?;
            ctx.insert("popular", &cards(&promoted.popular[id]))?;
        }
        let title = if id == ROOT { site.config.title.as_str() } else { s.label.as_str() };
        ctx.insert("meta", &Meta::new(site, &s.url, title, s.description.as_deref(), "website"))?;
        let template = if id == ROOT {
            ctx.insert("categories", &children)?;
            ctx.insert("recent", &recent(site))?;
            "index.html"
        } else {
            ctx.insert("children", &children)?;
            ctx.insert("section", &context::section_card(site, id))?;
            ctx.insert("depth", &s.depth)?;
            if let Some(url) = super::print::print_url(site, id) {
                ctx.insert("print_url", &url)?;
            }
            ctx.insert("breadcrumbs", &context::breadcrumbs(site, id))?;
            "section.html"
        };
        if let Some(l) = super::languages::of_section(site, id) {
            ctx.insert("languages", &l)?;
        }
        let origin = s.index.as_ref().map_or(&s.origin, |i| &i.file).to_string_lossy().into_owned();
        Ok(Job { template, out: out_path(site, &s.url), origin, ctx })
    }

    /// The tag index.
    fn tag_index_job(&self, site: &Site) -> Result<Job> {
        #[derive(Serialize)]
        struct TagCard<'a> {
            title: &'a str,
            url: &'a str,
            count: usize,
        }
        let cards: Vec<TagCard> = site
            .tags
            .values()
            .map(|t| TagCard { title: &t.label, url: &t.url, count: t.pages.len() })
            .collect();
        let mut ctx = Ctx::new();
        ctx.insert("meta", &Meta::new(site, &format!("{}tags/", site.base_path), "Tags", None, "website"))?;
        ctx.insert("tags", &cards)?;
        ctx.insert("sidebar", self.sidebar_of(ROOT))?;
        if let Some(l) = super::languages::of_section(site, ROOT) {
            ctx.insert("languages", &l)?;
        }
        Ok(Job { template: "tags.html", out: "tags/index.html".into(), origin: "tags.html".into(), ctx })
    }

    /// One tag's page.
    fn tag_job(&self, site: &Site, tag: &TagInfo) -> Result<Job> {
        let mut ctx = Ctx::new();
        ctx.insert("tag", &Link { title: &tag.label, url: &tag.url })?;
        ctx.insert("meta", &Meta::new(site, &tag.url, &tag.label, None, "website"))?;
        ctx.insert("pages", &tag.pages.iter().map(|&p| context::page_card(site, p)).collect::<Vec<_>>())?;
        ctx.insert("sidebar", self.sidebar_of(ROOT))?;
        if let Some(l) = super::languages::of_section(site, ROOT) {
            ctx.insert("languages", &l)?;
        }
        Ok(Job { template: "tag.html", out: out_path(site, &tag.url), origin: "tag.html".into(), ctx })
    }

    /// The 404 page and, with search on, the search page.
    fn fixed_jobs(&self, site: &Site) -> Result<Vec<Job>> {
        let mut ctx = Ctx::new();
        ctx.insert("sidebar", self.sidebar_of(ROOT))?;
        let langs = super::languages::of_section(site, ROOT);
        if let Some(l) = &langs {
            ctx.insert("languages", l)?;
        }
        let mut jobs =
            vec![Job { template: "404.html", out: "404.html".into(), origin: "404.html".into(), ctx }];
        if site.config.search {
            let url = format!("{}search/", site.base_path);
            let mut ctx = Ctx::new();
            ctx.insert("sidebar", self.sidebar_of(ROOT))?;
            ctx.insert("meta", &Meta::new(site, &url, "Search", None, "website"))?;
            if let Some(l) = &langs {
                ctx.insert("languages", l)?;
            }
            let out = "search/index.html".into();
            jobs.push(Job { template: "search.html", out, origin: "search.html".into(), ctx });
        }
        Ok(jobs)
    }
}

/// The most recently updated (or published) articles, for the home page.
fn recent(site: &Site) -> Vec<context::PageCard> {
    let mut ids: Vec<usize> = (0..site.pages.len())
        .filter(|&i| !site.pages[i].source.meta.unlisted)
        .filter(|&i| site.pages[i].updated.is_some() || site.pages[i].source.meta.date.is_some())
        .collect();
    let key = |i: usize| {
        let p = &site.pages[i];
        p.updated.clone().or_else(|| p.source.meta.date.clone()).unwrap_or_default()
    };
    ids.sort_by(|&a, &b| key(b).cmp(&key(a)).then_with(|| site.pages[a].url.cmp(&site.pages[b].url)));
    ids.truncate(site.config.recent_count);
    ids.into_iter().map(|i| context::page_card(site, i)).collect()
}
