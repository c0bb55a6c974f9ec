//! The pages pass: every article goes Markdown → page file → search terms while its text is
//! at hand, then the listings, the search index and the assets are written. With the build
//! cache, each of these is skipped when its key says the last build's file is still right.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use rayon::prelude::*;

use super::{CacheRun, Clock, render_markdown};
use crate::base::timings::{CpuMeter, HIGHLIGHT};
use crate::cache::{Digest, Key, Manifest, PageEntry, Recorder};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::markdown::Rendered;
use crate::output::Sink;
use crate::render::{self, Theme};
use crate::search::index::{Indexer, PageOut, Terms, doc_order};
use crate::search::stored as terms;
use crate::search::write::{BUNDLE, Reuse, bundle_path};
use crate::site::{PageId, Site};

/// What the cache lets an article skip, decided before any rendering.
struct Plan {
    /// Digest of its source file (0 without the cache).
    hash: Digest,
    /// Its Markdown would render exactly as last time.
    md_ok: bool,
    /// Key of its HTML file.
    html: Digest,
    /// Key of its search terms (source and trail).
    terms: Digest,
}

fn plan(site: &Site, renderer: &render::Renderer, id: PageId, run: &CacheRun) -> Plan {
    let src = &site.pages[id].source;
    let hash = run.next.sources.get(&src.rel_path).map_or(0, |e| e.hash);
    let md_ok = run
        .prior
        .pages
        .get(&src.rel_path)
        .is_some_and(|p| p.hash == hash && p.deps.iter().all(|d| d.holds(site)));
    let mut html = Key::new();
    html.num(run.next.setup).num(hash);
    renderer.page_key(site, id, &mut html);
    let mut terms = Key::new();
    terms.num(run.next.setup).num(hash);
    for part in site.trail(site.pages[id].section) {
        terms.str(part);
    }
    Plan { hash, md_ok, html: html.finish(), terms: terms.finish() }
}

/// Render every page (Markdown, then its template, then the file, page by page) and the
/// search index into `sink`, and copy the assets. Articles' Markdown sources are released
/// as they are rendered and their HTML as soon as it is written: only the plain text the
/// search index needs is kept, so memory stays well below the size of the site.
pub fn write_site(
    site: &mut Site,
    theme: &Theme,
    diags: &Diagnostics,
    sink: &dyn Sink,
    clock: &mut Clock,
    run: &mut CacheRun,
) -> Result<()> {
    let sources: Vec<String> = site.pages.iter_mut().map(|p| std::mem::take(&mut p.source.body)).collect();
    let site = &*site;
    let renderer = render::Renderer::new(site, theme)?;
    clock.lap("navigation");
    let caching = run.enabled;
    let plans: Vec<Plan> =
        (0..site.pages.len()).into_par_iter().map(|id| plan(site, &renderer, id, run)).collect();
    // The last build's article records move into this build's record when they still
    // hold, rather than being copied (they carry every link of the site).
    let mut prior_pages = std::mem::take(&mut run.prior.pages);
    let prior = &run.prior;
    clock.lap("plan");

    // The search index: untouched when no document's terms or place changed; otherwise
    // rebuilt from the cached terms of unchanged articles and fresh ones of the rest.
    let search = site.config.search;
    let derived: Mutex<HashMap<String, Digest>> = Mutex::default();
    let mut kept_search: HashSet<String> = HashSet::new();
    let mut search_whole = false;
    let mut bundle_kept: Vec<bool> = Vec::new();
    let mut needs_text = vec![false; site.pages.len()];
    let mut stored: Vec<Option<terms::Cached>> = Vec::new();
    let mut store: Option<terms::Stored> = None;
    let mut indexer = Indexer::default();
    if search {
        let (order, ranges) = doc_order(site);
        let frag = |id: PageId| Key::new().num(plans[id].terms).str(&site.pages[id].url).finish();
        let mut whole = Key::new();
        whole.num(run.next.setup);
        for &(id, _) in &order {
            whole.num(frag(id));
        }
        for r in &ranges {
            whole.str(&r.label).num(r.depth as u128).num(r.parent.map_or(0, |p| p as u128 + 1));
            whole.num(r.start as u128).num(r.end as u128);
        }
        let whole = whole.finish();
        run.next.search = Some(whole);
        if caching && prior.search == Some(whole) && order.iter().all(|&(id, _)| plans[id].md_ok) {
            search_whole = true;
            for path in prior.derived.keys().filter(|p| p.starts_with("search/")) {
                if sink.keep(path) {
                    kept_search.insert(path.clone());
                } else {
                    search_whole = false;
                }
            }
        }
        if search_whole {
            derived.lock().unwrap_or_else(|e| e.into_inner()).extend(
                prior.derived.iter().filter(|(p, _)| p.starts_with("search/")).map(|(p, k)| (p.clone(), *k)),
            );
        } else {
            store = caching.then(|| terms::read(&run.cache.terms_path())).flatten();
            stored = (0..site.pages.len()).map(|_| None).collect();
            if let Some(c) = &mut store {
                let (t, s) = (std::mem::take(&mut c.tables.0), std::mem::take(&mut c.tables.1));
                indexer = Indexer::with_terms(Terms::from_tables(t, s));
                for (id, p) in plans.iter().enumerate() {
                    if p.md_ok
                        && let Some(cached) = c.pages.remove(&site.pages[id].source.rel_path)
                        && cached.key == p.terms
                    {
                        stored[id] = Some(cached);
                    }
                }
            }
            let mut d = derived.lock().unwrap_or_else(|e| e.into_inner());
            for (n, docs) in order.chunks(BUNDLE).enumerate() {
                let path = bundle_path(n);
                let mut key = Key::new();
                for &(id, _) in docs {
                    key.num(frag(id));
                }
                let key = key.finish();
                let keep = caching
                    && docs.iter().all(|&(id, _)| plans[id].md_ok)
                    && prior.derived.get(&path) == Some(&key)
                    && (kept_search.contains(&path) || sink.keep(&path));
                if keep {
                    kept_search.insert(path.clone());
                } else {
                    docs.iter().for_each(|&(id, _)| needs_text[id] = true);
                }
                bundle_kept.push(keep);
                d.insert(path, key);
            }
        }
    }
    clock.lap("search cache");
    let index_now = search && !search_whole;
    let writer = if caching && index_now {
        run.cache.create()?;
        Some(terms::Writer::create(&run.cache.terms_path())?)
    } else {
        None
    };

    let written = super::Metered { inner: sink, meter: CpuMeter::new() };
    let (markdown_cpu, templates_cpu) = (CpuMeter::new(), CpuMeter::new());
    let index_cpu = CpuMeter::new();
    let stored: Vec<Mutex<Option<terms::Cached>>> = stored.into_iter().map(Mutex::new).collect();
    let rendered = std::sync::atomic::AtomicUsize::new(0);
    HIGHLIGHT.take();
    let results = sources
        .into_par_iter()
        .enumerate()
        .map_init(
            || indexer.interner(),
            |worker, (id, mut body)| -> Result<(Rendered, Option<PageOut>, Record)> {
                let src = &site.pages[id].source;
                let p = &plans[id];
                let before = prior_pages.get(&src.rel_path);
                let out = render::Renderer::page_path(site, id);
                let html_kept = p.md_ok && before.is_some_and(|b| b.html == p.html) && written.keep(&out);
                let cached = if index_now {
                    stored.get(id).and_then(|s| s.lock().unwrap_or_else(|e| e.into_inner()).take())
                } else {
                    None
                };
                // A stored record: its terms are decoded here (in parallel), its surfaces only
                // marked, and its bytes copied straight into the new file.
                let cached = match (cached, &store) {
                    (Some(c), Some(store)) => store.terms(&c).map(|out| (c, out)),
                    _ => None,
                };
                if let (Some((c, _)), Some(store)) = (&cached, &store) {
                    indexer.cached(store.surfaces(c));
                    if let Some(w) = &writer {
                        w.record_raw(store.record(c))?;
                    }
                }
                let cached = cached.map(|(_, out)| out);
                let needs_terms = index_now && cached.is_none();
                let (r, mut terms, entry) = if html_kept && !needs_terms && !needs_text[id] {
                    let before = before.expect("html_kept implies an entry");
                    diags.extend(before.diagnostics.iter().cloned());
                    // Its links and anchors travel in its record (read there by the check).
                    (Rendered::default(), cached, if caching { Record::Same } else { Record::None })
                } else {
                    if caching && body.is_empty() {
                        body = reload(site, id, p.hash)?;
                    }
                    rendered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let recorder = Recorder::new(site);
                    let mut local = Vec::new();
                    let mut r = markdown_cpu.time(|| render_markdown(&recorder, src, &body, &mut local));
                    drop(body);
                    if !html_kept {
                        templates_cpu.time(|| renderer.page(site, id, &r, theme, &written))?;
                    }
                    r.html = String::new();
                    let terms = match cached {
                        Some(t) => Some(t),
                        None if index_now => Some(index_cpu.time(|| indexer.page(site, id, &r, worker))),
                        None => None,
                    };
                    crate::search::keep_for_fragments(&mut r);
                    diags.extend(local.iter().cloned());
                    let entry = if caching {
                        Record::New(PageEntry {
                            hash: p.hash,
                            deps: recorder.into_deps(),
                            diagnostics: local,
                            html: p.html,
                            links: std::mem::take(&mut r.links),
                            anchors: std::mem::take(&mut r.anchors),
                        })
                    } else {
                        Record::None
                    };
                    (r, terms, entry)
                };
                if let Some(t) = &mut terms
                    && needs_terms
                {
                    if let Some(w) = &writer {
                        w.record(&src.rel_path, p.terms, t)?;
                    }
                    t.release_surfaces();
                }
                Ok((r, terms, entry))
            },
        )
        .collect::<Result<Vec<_>>>()?;
    let mut texts = Vec::with_capacity(results.len());
    let mut per_page = Vec::with_capacity(results.len());
    for (id, (r, t, record)) in results.into_iter().enumerate() {
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
    let sections = super::render_section_bodies(site, diags);
    let mut rest = Key::new();
    rest.num(run.next.setup);
    renderer.rest_key(site, &sections, &mut rest);
    let rest = rest.finish();
    let kept = caching
        && prior.rest.as_ref().is_some_and(|(key, paths)| {
            *key == rest && paths.iter().all(|p| written.can_keep(p)) && paths.iter().all(|p| written.keep(p))
        });
    if kept {
        run.next.rest = prior.rest.clone();
    } else {
        let listed = Listed { inner: &written, paths: Mutex::default() };
        templates_cpu.time(|| renderer.rest(site, &sections, theme, &listed))?;
        let mut paths = listed.paths.into_inner().unwrap_or_else(|e| e.into_inner());
        paths.sort_unstable();
        run.next.rest = Some((rest, paths));
    }
    clock.lap("pages");
    check_site(site, theme, &texts, &sections, run, diags);
    clock.lap("check");
    clock.part("markdown", markdown_cpu.take());
    clock.part("highlight", HIGHLIGHT.take());
    clock.part("templates", templates_cpu.take());
    clock.part("search terms", index_cpu.take());
    clock.part("write", written.meter.take());
    if index_now {
        let reuse =
            Reused { prior, sink, caching, kept: &kept_search, bundles: &bundle_kept, derived: &derived };
        // The stored terms' tables are written while the index is assembled.
        let tables = writer.as_ref().map(|_| indexer.terms().tables());
        let (stored, index) = rayon::join(
            || writer.zip(tables.as_ref()).map_or(Ok(()), |(w, t)| w.finish(t)),
            || crate::search::finish_and_write(indexer, per_page, site, &texts, &written, &reuse),
        );
        stored?;
        index?;
    }
    clock.lap("search");
    clock.part("write", written.meter.take());
    write_assets(site, sink, prior, caching, &derived)?;
    clock.lap("assets");
    run.next.derived = derived.into_inner().unwrap_or_else(|e| e.into_inner());
    run.dirty |= rendered.into_inner() > 0;
    Ok(())
}

/// The site-wide checks, against every file this build writes.
fn check_site(
    site: &Site,
    theme: &Theme,
    texts: &[Rendered],
    sections: &HashMap<crate::site::SectionId, Rendered>,
    run: &CacheRun,
    diags: &Diagnostics,
) {
    let outputs = || {
        let mut outputs: crate::check::Outputs =
            (0..site.pages.len()).map(|id| render::Renderer::page_path(site, id)).collect();
        outputs.extend(run.next.rest.iter().flat_map(|(_, paths)| paths.iter().cloned()));
        outputs.extend(site.assets.iter().map(|a| a.out_path.clone()));
        outputs
    };
    // With the cache, every article's links and anchors are in its entry.
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

/// What this build records of an article.
enum Record {
    /// Nothing (no cache).
    None,
    /// The last build's record, unchanged.
    Same,
    /// A new one.
    New(PageEntry),
}

/// A sink that notes the paths written through it.
struct Listed<'a> {
    inner: &'a dyn Sink,
    paths: Mutex<Vec<String>>,
}

impl Sink for Listed<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.paths.lock().unwrap_or_else(|e| e.into_inner()).push(rel.to_string());
        self.inner.write(rel, bytes)
    }
}

/// Read an article's body again (the cache let the load skip it), checking it is the text
/// the cache's record was made from.
fn reload(site: &Site, id: PageId, hash: Digest) -> Result<String> {
    let src = &site.pages[id].source;
    let path = site.content_dir.join(&src.rel_path);
    let bytes = site.read_source(&src.rel_path).map(String::into_bytes).map_err(|e| match e {
        crate::base::confine::ReadError::Io(e) => Error::io("reading", &path, e),
        e => Error::Content(Diagnostic::error(&src.file, e.to_string())),
    })?;
    if crate::base::digest::digest(&bytes) != hash {
        return Err(Error::Content(Diagnostic::error(&src.file, "changed during the build; build again")));
    }
    match crate::content::parse_page(bytes, &src.rel_path, &src.file) {
        Ok((page, _)) => Ok(page.body),
        Err(d) => Err(Error::Content(d)),
    }
}

/// The search writer's view of the cache.
struct Reused<'a> {
    prior: &'a Manifest,
    sink: &'a dyn Sink,
    caching: bool,
    kept: &'a HashSet<String>,
    bundles: &'a [bool],
    derived: &'a Mutex<HashMap<String, Digest>>,
}

impl Reuse for Reused<'_> {
    fn raw(&self, path: &str, key: Digest) -> bool {
        self.derived.lock().unwrap_or_else(|e| e.into_inner()).insert(path.to_string(), key);
        self.caching
            && self.prior.derived.get(path) == Some(&key)
            && (self.kept.contains(path) || self.sink.keep(path))
    }

    fn bundle(&self, n: usize) -> bool {
        self.bundles.get(n).copied().unwrap_or(false)
    }
}

/// Copy the content folder's assets (images, attachments) into `sink`, keeping those whose
/// source is unchanged since the last build copied them.
pub(super) fn write_assets(
    site: &Site,
    sink: &dyn Sink,
    prior: &Manifest,
    caching: bool,
    derived: &Mutex<HashMap<String, Digest>>,
) -> Result<()> {
    site.assets.par_iter().try_for_each(|a| {
        let meta = std::fs::metadata(&a.source).map_err(|e| Error::io("reading", &a.source, e))?;
        let s = crate::base::digest::Stamp::of(&meta);
        // A file changed moments ago could change again without its stamp changing: its key
        // is left blank so the next build copies it again.
        let key = if s.is_racy() {
            0
        } else {
            Key::new().num(s.size as u128).num(s.mtime).num(s.ino as u128).finish()
        };
        derived.lock().unwrap_or_else(|e| e.into_inner()).insert(a.out_path.clone(), key);
        if caching && key != 0 && prior.derived.get(&a.out_path) == Some(&key) && sink.keep(&a.out_path) {
            return Ok(());
        }
        let root = site.content_dir.parent().unwrap_or(&site.content_dir);
        let bytes = match crate::base::confine::read(root, &a.source) {
            Ok(b) => b,
            Err(crate::base::confine::ReadError::Io(e)) => return Err(Error::io("reading", &a.source, e)),
            // The walker skipped links out of the site; one swapped in since is not copied.
            Err(_) => return Ok(()),
        };
        sink.write(&a.out_path, &bytes)
    })
}
