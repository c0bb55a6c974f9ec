//! Writing the site, step by step: plan what the build cache lets each article skip, render
//! the articles (Markdown, page, search terms), the listings, the site-wide checks, the
//! search index, the assets. With the cache, each step keeps the last build's files whose
//! keys are unchanged and records this build's keys.

use std::collections::HashMap;
use std::sync::atomic::AtomicUsize;

use rayon::prelude::*;

use super::pages::{Article, Pass, Prior, Record};
use super::run::CacheRun;
use super::search::SearchPass;
use super::{Clock, Metered, render_section_bodies};
use crate::base::digest::{Digest, Key, Stamp};
use crate::base::timings::{CpuMeter, HIGHLIGHT};
use crate::cache::reuse::Derived;
use crate::diagnostics::Diagnostics;
use crate::error::{Error, Result};
use crate::markdown::Rendered;
use crate::output::Sink;
use crate::render::{Renderer, Theme};
use crate::search::related::Signature;
use crate::site::{SectionId, Site, Sources};

/// Render every page (Markdown, then its template, then the file, page by page), the
/// listings and the search index into `sink`, and copy the assets. Returns whether a page
/// has a diagram. Articles' Markdown is
/// released as it is rendered and their HTML as soon as it is written: only the plain text
/// the search index needs is kept, so memory stays well below the size of the site.
pub fn write_site(
    site: &Site,
    sources: Sources,
    theme: &Theme,
    diags: &Diagnostics,
    sink: &dyn Sink,
    clock: &mut Clock,
    run: &mut CacheRun,
) -> Result<bool> {
    let mut renderer = Renderer::new(site, theme)?;
    clock.lap("navigation");
    let prior_pages = std::mem::take(&mut run.prior.pages);
    let prior = Prior {
        caching: run.enabled,
        setup: run.next.setup,
        sources: &run.next.sources,
        pages: &prior_pages,
    };
    let signatures = relate(site, &sources, &prior, &mut renderer)?;
    clock.lap("related");
    let plans = super::pages::plan(site, &renderer, &prior);
    clock.lap("plan");
    let prior_derived = std::mem::take(&mut run.prior.derived);
    let derived = Derived::new(run.enabled, &prior_derived, sink);
    let print = super::print::PrintPlan::new(site, &renderer, &plans, &derived);
    let (search, search_key) = plan_search(site, &plans, &derived, run)?;
    run.next.search = search_key;
    clock.lap("search cache");

    let written = Metered { inner: sink, meter: CpuMeter::new() };
    let meters = [CpuMeter::new(), CpuMeter::new(), CpuMeter::new()];
    let rendered = AtomicUsize::new(0);
    HIGHLIGHT.take();
    let pass = Pass {
        site,
        renderer: &renderer,
        theme,
        plans: &plans,
        prior: &prior,
        search: &search,
        sink: &written,
        diags,
        meters: &meters,
        rendered: &rendered,
        signatures: &signatures,
        keep_html: &print.keep_html,
    };
    let articles = pass.run(sources.pages)?;
    let (mut texts, per_page) = record_articles(site, articles, prior_pages, run);
    let sections = render_section_bodies(site, &sources.sections, diags);
    let diagrams = texts.iter().chain(sections.values()).any(|r| r.diagrams);
    let mut listed =
        meters[1].time(|| renderer.rest(site, &sections, theme, &written, &derived, diagrams))?;
    listed.extend(meters[1].time(|| print.write(site, &renderer, &mut texts, theme, &written))?);
    clock.lap("pages");
    check_site(site, theme, &texts, &sections, &listed, run, diags);
    clock.lap("check");
    clock.part("markdown", meters[0].take());
    clock.part("highlight", HIGHLIGHT.take());
    clock.part("templates", meters[1].take());
    clock.part("search terms", meters[2].take());
    clock.part("write", written.meter.take());
    search.finish(site, per_page, &texts, &written, &derived)?;
    clock.lap("search");
    clock.part("write", written.meter.take());
    // The languages of a multilingual site share one copy of the assets.
    if site.languages.is_none() {
        write_assets(site, sink, &derived)?;
        clock.lap("assets");
    }
    run.next.derived = derived.into_keys();
    // Back, for the record's "nothing changed" test.
    run.prior.derived = prior_derived;
    run.dirty |= rendered.into_inner() > 0;
    Ok(diagrams)
}

/// What the search index may keep of the last build's, and the key of this build's.
fn plan_search(
    site: &Site,
    plans: &[super::pages::Plan],
    derived: &Derived,
    run: &CacheRun,
) -> Result<(SearchPass, Option<Digest>)> {
    let terms_file = run.cache.terms_path();
    if run.enabled {
        run.cache.create()?;
    }
    SearchPass::plan(
        site,
        plans,
        (run.next.setup, run.prior.search),
        derived,
        Some(terms_file.as_path()),
        run.enabled,
    )
}

/// Give the renderer every article's related articles, from their body signatures (which
/// are returned, for the articles' records).
fn relate(site: &Site, sources: &Sources, prior: &Prior, renderer: &mut Renderer) -> Result<Vec<Signature>> {
    let signatures = super::pages::signatures(site, &sources.pages, prior)?;
    renderer.set_related(crate::search::related::choose(site, &signatures, site.config.related.limit));
    Ok(signatures)
}

/// Split the articles' results into what the index needs (text, terms) and this build's
/// records, which move in from the last build's where they still hold (they carry every
/// link of the site, so they are not copied).
fn record_articles(
    site: &Site,
    articles: Vec<Article>,
    mut prior_pages: HashMap<String, crate::cache::PageEntry>,
    run: &mut CacheRun,
) -> (Vec<Rendered>, Vec<crate::search::index::PageOut>) {
    let mut texts = Vec::with_capacity(articles.len());
    let mut per_page = Vec::with_capacity(articles.len());
    for (id, (r, t, record)) in articles.into_iter().enumerate() {
        texts.push(r);
        per_page.extend(t);
        let rel = &site.pages[id].source.rel_path;
        let entry = match record {
            Record::New(e) => Some(e),
            Record::Same => prior_pages.remove(rel),
            Record::None => None,
        };
        if let Some(e) = entry {
            run.next.pages.insert(rel.clone(), e);
        }
    }
    (texts, per_page)
}

/// The site-wide checks, against every file this build writes.
fn check_site(
    site: &Site,
    theme: &Theme,
    texts: &[Rendered],
    sections: &HashMap<SectionId, Rendered>,
    listed: &[String],
    run: &CacheRun,
    diags: &Diagnostics,
) {
    let outputs = || {
        let mut outputs: crate::check::Outputs =
            (0..site.pages.len()).map(|id| Renderer::page_path(site, id)).collect();
        outputs.extend(listed.iter().cloned());
        outputs.extend(site.assets.iter().map(|a| a.out_path.clone()));
        // A multilingual site's languages share the theme's files (written once, at the root).
        if site.languages.is_some() {
            outputs.extend(theme.static_files.iter().map(|(p, _)| p.clone()));
        }
        outputs
    };
    // With the cache, every article's links and anchors are in its record.
    let pages: Vec<crate::check::PageLinks> = if run.enabled {
        site.pages
            .iter()
            .map(|p| {
                run.next.pages.get(&p.source.rel_path).map_or_else(Default::default, |e| {
                    crate::check::PageLinks { links: &e.links, anchors: &e.anchors }
                })
            })
            .collect()
    } else {
        texts.iter().map(crate::check::PageLinks::of).collect()
    };
    crate::check::run(site, &pages, sections, &outputs, &theme.ids, diags);
}

/// Copy the content folder's assets (images, attachments) into `sink`, keeping those whose
/// source is unchanged since the last build copied them (their key: size, time, inode).
pub(super) fn write_assets(site: &Site, sink: &dyn Sink, derived: &Derived) -> Result<()> {
    site.assets.par_iter().try_for_each(|a| {
        let meta = std::fs::metadata(&a.source).map_err(|e| Error::io("reading", &a.source, e))?;
        let s = Stamp::of(&meta);
        // A file changed moments ago could change again without its stamp changing: it is
        // given no key, so the next build copies it again.
        if s.is_racy() {
            derived.note(&a.out_path, 0);
        } else {
            let key: Digest = Key::new().num(s.size as u128).num(s.mtime).num(s.ino as u128).finish();
            if derived.keep(&a.out_path, key) {
                return Ok(());
            }
        }
        let root = site.root();
        let bytes = match crate::base::confine::read(&root, &a.source) {
            Ok(b) => b,
            Err(crate::base::confine::ReadError::Io(e)) => return Err(Error::io("reading", &a.source, e)),
            // The walker skipped links out of the site; one swapped in since is not copied.
            Err(_) => return Ok(()),
        };
        sink.write(&a.out_path, &bytes)
    })
}
