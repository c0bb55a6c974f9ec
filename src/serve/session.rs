//! What the preview keeps between saves, and how a batch of changes is turned into the
//! smallest rebuild that covers it:
//!
//! - an article whose metadata (front matter, title, place) is unchanged → its Markdown and
//!   its page are re-rendered (nothing else shows its body), then the search index;
//! - articles added or removed, or whose metadata changed → a new site model from the pages
//!   in memory; the Markdown of those pages, and of every page whose recorded questions to
//!   the site ([`crate::markdown::Dep`]) now get other answers, rendered again; every
//!   page's HTML; then the search index rebuilt;
//! - CSS under `static/` or a theme's `static/` → those files, swapped in the open pages;
//! - templates → every page's HTML from the Markdown already rendered;
//! - anything else (folders, section index pages, assets, `site.toml`) → the whole site,
//!   in memory.
//!
//! Either way the new files are compared with the served ones, and only pages whose HTML
//! changed are told to reload.

use std::collections::{BTreeSet, HashMap, HashSet};

use rayon::prelude::*;
use std::time::{Duration, Instant};

use super::files::{Files, MemorySink, url_of};
use crate::build::{self, BuildOptions, Clock, Loaded};
use crate::content::{Asset, Body, Content, Source, SourcePage};
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::error::Result;
use crate::markdown::Rendered;
use crate::render::{Bodies, Renderer, Theme};
use crate::search::live::Live;
use crate::search::related::{Signature, Signer};
use crate::site::{PageId, Site, Sources};

/// The site as last built without errors, ready for incremental updates.
struct State {
    site: Site,
    /// The Markdown of every page, as last loaded.
    sources: Sources,
    bodies: Bodies,
    theme: Theme,
    renderer: Renderer,
    /// Article by its path under `content/`.
    pages: HashMap<String, PageId>,
    /// The search index, kept for page-by-page updates (`None` with `search = false`).
    search: Option<Live>,
    /// Pages whose body changed since the search index was last brought up to date.
    stale: Vec<PageId>,
    /// Pages were added, removed or moved since: the index is rebuilt, not updated.
    rebuild_search: bool,
    /// Each article's body signature, for related articles.
    signatures: Vec<Signature>,
}

/// The result of one rebuild.
#[derive(Debug, Default)]
pub struct Outcome {
    /// What was rebuilt, for the terminal (`1 page`, `the whole site (10000 pages)`, …).
    pub what: String,
    /// Errors that stopped the rebuild (the last good site stays served); warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// Files to add or replace in the served site.
    pub updated: Files,
    /// Files to remove from it.
    pub removed: Vec<String>,
    /// URLs of pages whose HTML changed.
    pub changed_pages: Vec<String>,
    /// URLs of stylesheets that changed.
    pub changed_css: Vec<String>,
    /// Time taken.
    pub elapsed: Duration,
}

impl Outcome {
    /// A rebuild stopped by a configuration, theme or template error.
    pub fn from_error(e: &crate::error::Error) -> Outcome {
        let d = match e {
            crate::error::Error::Config(d) | crate::error::Error::Content(d) => d.clone(),
            e => {
                let mut d = Diagnostic::error("", e.to_string());
                d.file = None;
                d
            }
        };
        Outcome { diagnostics: vec![d], ..Outcome::default() }
    }

    /// Did the rebuild fail?
    pub fn failed(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The preview's build state.
pub struct Session {
    opts: BuildOptions,
    state: Option<State>,
}

impl Session {
    /// A session for the site in `opts.root`; nothing is built until [`Session::full`].
    pub fn new(opts: BuildOptions) -> Session {
        Session { opts, state: None }
    }

    /// Build everything into memory and compare it with `served`.
    pub fn full(&mut self, served: &Files) -> Result<Outcome> {
        let start = Instant::now();
        let mut clock = Clock::new();
        // A multilingual site is built whole on every change (no incremental state).
        let sink = MemorySink::default();
        if let Some((diagnostics, pages)) = build::write_languages_into(&self.opts, &sink, &mut clock)? {
            let mut out = Outcome {
                what: format!("the whole site ({pages} pages, every language)"),
                diagnostics,
                ..Outcome::default()
            };
            self.state = None;
            if !out.failed() {
                let files = sink.into_files();
                out.removed = served.keys().filter(|k| !files.contains_key(*k)).cloned().collect();
                diff(served, files, &mut out);
            }
            out.elapsed = start.elapsed();
            return Ok(out);
        }
        let Loaded { site, sources, bodies, theme, diagnostics } = build::load(&self.opts, &mut clock)?;
        let mut out = Outcome {
            what: format!("the whole site ({} pages)", site.pages.len()),
            diagnostics,
            ..Outcome::default()
        };
        if out.failed() {
            out.elapsed = start.elapsed();
            return Ok(out);
        }
        let sink = MemorySink::default();
        let signatures = signatures_of(&site, &sources);
        let (renderer, search) = render_with_search(&site, &bodies, &theme, &sink, &signatures)?;
        build::write_assets(&site, &sink)?;
        let files = sink.into_files();
        // The site-wide link check, as a build runs it (later saves update single pages
        // and do not re-run it).
        let diags = Diagnostics::new();
        let outputs = || files.keys().cloned().collect();
        let pages: Vec<_> = bodies.pages.iter().map(crate::check::PageLinks::of).collect();
        crate::check::run(&site, &pages, &bodies.sections, &outputs, &theme.ids, &diags);
        out.diagnostics.extend(diags.into_sorted());
        out.removed = served.keys().filter(|k| !files.contains_key(*k)).cloned().collect();
        diff(served, files, &mut out);
        let pages = page_index(&site);
        self.state = Some(State {
            site,
            sources,
            bodies,
            theme,
            renderer,
            pages,
            search,
            stale: Vec::new(),
            rebuild_search: false,
            signatures,
        });
        out.elapsed = start.elapsed();
        Ok(out)
    }

    /// Rebuild what `batch` (paths relative to the site root) affects.
    pub fn apply(&mut self, batch: &BTreeSet<String>, served: &Files) -> Result<Outcome> {
        if self.state.is_some() {
            if let Some(out) = self.try_css(batch, served)? {
                return Ok(out);
            }
            if let Some(out) = self.try_pages(batch, served)? {
                return Ok(out);
            }
            if let Some(out) = self.try_templates(batch, served)? {
                return Ok(out);
            }
        }
        self.full(served)
    }

    /// Only stylesheets changed: reload the theme's static files and swap what differs.
    fn try_css(&mut self, batch: &BTreeSet<String>, served: &Files) -> Result<Option<Outcome>> {
        let css_only = batch.iter().all(|p| {
            p.ends_with(".css")
                && (p.starts_with("static/") || p.starts_with("themes/") && p.contains("/static/"))
        });
        if !css_only {
            return Ok(None);
        }
        let start = Instant::now();
        let state = self.state.as_mut().expect("checked by the caller");
        let theme = Theme::load(&self.opts.root, &state.site.config.theme)?;
        let mut out = Outcome { what: "stylesheets".into(), ..Outcome::default() };
        for (path, bytes) in &theme.static_files {
            if served.get(path).is_none_or(|old| **old != **bytes) {
                out.changed_css.push(url_of(path));
                out.updated.insert(path.clone(), bytes.as_slice().into());
            }
        }
        state.theme = theme;
        out.elapsed = start.elapsed();
        Ok(Some(out))
    }

    /// Only templates changed: reload the theme and re-render from the Markdown already
    /// rendered (no content is read again); only pages whose HTML changed reload.
    fn try_templates(&mut self, batch: &BTreeSet<String>, served: &Files) -> Result<Option<Outcome>> {
        let root = &self.opts.root;
        let templates_only = batch.iter().all(|p| {
            let in_templates = p == "templates"
                || p.starts_with("templates/")
                || p.starts_with("themes/") && p.contains("/templates");
            in_templates && (p.ends_with(".html") || root.join(p).is_dir())
        });
        if !templates_only {
            return Ok(None);
        }
        let start = Instant::now();
        let state = self.state.as_mut().expect("checked by the caller");
        let theme = Theme::load(&self.opts.root, &state.site.config.theme)?;
        let mut renderer = Renderer::preview(&state.site, &theme)?;
        renderer.set_related(related(&state.site, &state.signatures));
        let sink = MemorySink::default();
        renderer.all(&state.site, &state.bodies, &theme, &sink)?;
        let mut out = Outcome { what: "templates (every page re-rendered)".into(), ..Outcome::default() };
        diff(served, sink.into_files(), &mut out);
        state.theme = theme;
        state.renderer = renderer;
        out.elapsed = start.elapsed();
        Ok(Some(out))
    }

    /// Only articles changed: re-render an edited body's page alone; when front matter
    /// moved or renamed a page, or articles were added or removed, relink the site from the
    /// pages already loaded. `None` when a change is more than that (folders, section
    /// index pages, assets, templates, `site.toml`).
    fn try_pages(&mut self, batch: &BTreeSet<String>, served: &Files) -> Result<Option<Outcome>> {
        let start = Instant::now();
        let state = self.state.as_mut().expect("checked by the caller");
        let root = &self.opts.root;
        let content_dir = root.join(&state.site.config.content_dir);
        let rel = state.site.config.content_rel();
        let Some(plan) = super::batch::plan(batch, &rel, &content_dir, &state.pages, &state.site) else {
            return Ok(None);
        };
        let mut out = Outcome::default();
        let mut loaded = Vec::new();
        let mut moved = !plan.removed.is_empty();
        for (id, rel) in &plan.load {
            let file = display_path(root, &content_dir.join(rel));
            match crate::content::load_page(&content_dir, rel, &file, &state.site.config.front_matter) {
                Ok((page, body, warnings)) => {
                    // Anything but the body changed: the site model is made anew.
                    moved |= id.is_none_or(|id| state.site.pages[id].source != page);
                    out.diagnostics.extend(warnings);
                    loaded.push((*id, page, body));
                }
                Err(d) => out.diagnostics.push(d),
            }
        }
        let n = plan.load.len() + plan.removed.len();
        out.what = format!("{n} page{}", plural(n));
        if out.failed() || n == 0 {
            if n == 0 {
                out.what = "nothing (files that came and went)".into();
            }
            out.elapsed = start.elapsed();
            return Ok(Some(out));
        }
        if moved {
            let mut result = self.relink(loaded, &plan.removed, served)?;
            result.diagnostics.splice(0..0, out.diagnostics);
            result.elapsed = start.elapsed();
            return Ok(Some(result));
        }
        let diags = Diagnostics::new();
        let bodies: Vec<_> = loaded
            .iter()
            .map(|(_, page, body)| build::render_body(&state.site, page, body, &diags))
            .collect();
        out.diagnostics.extend(diags.into_sorted());
        if out.failed() {
            out.elapsed = start.elapsed();
            return Ok(Some(out));
        }
        let sink = MemorySink::default();
        let mut signer = Signer::for_site(&state.site);
        let mut edited = Vec::new();
        for ((id, _, source), body) in loaded.into_iter().zip(bodies) {
            let id = id.expect("a page in place is a known page");
            state.signatures[id] = signer.body(&source.text);
            state.sources.pages[id] = Some(source);
            state.bodies.pages[id] = body;
            state.stale.push(id);
            edited.push(id);
        }
        // An edit may change other articles' related sets: those pages are rendered too.
        let related = related(&state.site, &state.signatures);
        edited.extend((0..related.len()).filter(|&id| related[id] != state.renderer.related_of(id)));
        edited.sort_unstable();
        edited.dedup();
        state.renderer.set_related(related);
        for &id in &edited {
            state.renderer.page(&state.site, id, &state.bodies.pages[id], &state.theme, &sink)?;
        }
        // The printable pages holding an edited article.
        let holding: HashSet<_> =
            edited.iter().flat_map(|&id| state.site.ancestry(state.site.pages[id].section)).collect();
        state
            .renderer
            .print_pages(&state.site, &state.bodies.pages, &state.theme, &sink, |s| holding.contains(&s))?;
        diff(served, sink.into_files(), &mut out);
        out.elapsed = start.elapsed();
        Ok(Some(out))
    }

    /// Articles added, removed, or whose metadata changed (they may move in the
    /// navigation, get new neighbours or tags): a new site model from the pages already
    /// loaded, the Markdown of the changed pages and of every page whose recorded questions
    /// to the site now get other answers rendered again (every other page's reused), and
    /// the HTML re-rendered. The search index is rebuilt afterwards (see
    /// [`Session::search`]), once the pages have reloaded.
    fn relink(
        &mut self,
        loaded: Vec<(Option<PageId>, SourcePage, Body)>,
        removed: &HashSet<String>,
        served: &Files,
    ) -> Result<Outcome> {
        let state = self.state.as_mut().expect("checked by the caller");
        let content_dir = self.opts.root.join(&state.site.config.content_dir);
        let edited: HashSet<String> = loaded.iter().map(|(_, page, _)| page.rel_path.clone()).collect();
        let content = next_content(state, loaded, removed, &content_dir, self.opts.drafts);
        let diags = Diagnostics::new();
        let (site, sources) = Site::build(state.site.config.clone(), content, content_dir, &diags);
        let mut out = Outcome { diagnostics: diags.into_sorted(), ..Outcome::default() };
        if out.failed() {
            return Ok(out);
        }
        let diags = Diagnostics::new();
        let bodies = rebody(state, &site, &sources, &edited, &diags);
        out.diagnostics.extend(diags.into_sorted());
        if out.failed() {
            return Ok(out);
        }
        let mut renderer = Renderer::preview(&site, &state.theme)?;
        let signatures = signatures_of(&site, &sources);
        renderer.set_related(related(&site, &signatures));
        let sink = MemorySink::default();
        renderer.all(&site, &bodies, &state.theme, &sink)?;
        let files = sink.into_files();
        // Pages that are gone (articles, tags no article uses any more); files copied from
        // content/ and the search index are not the renderer's.
        let assets: HashSet<&str> = site.assets.iter().map(|a| a.out_path.as_str()).collect();
        out.removed = served
            .keys()
            .filter(|k| k.ends_with(".html") && !files.contains_key(*k) && !assets.contains(k.as_str()))
            .cloned()
            .collect();
        diff(served, files, &mut out);
        let n = edited.len() + removed.len();
        out.what = format!("{n} page{} and the navigation and listings", plural(n));
        state.pages = page_index(&site);
        state.site = site;
        state.sources = sources;
        state.bodies = bodies;
        state.renderer = renderer;
        state.signatures = signatures;
        state.rebuild_search = state.search.is_some() || state.rebuild_search;
        state.stale.clear();
        Ok(out)
    }

    /// Are there page edits the search index has not taken in yet?
    pub fn search_pending(&self) -> bool {
        self.state.as_ref().is_some_and(|s| s.rebuild_search || s.search.is_some() && !s.stale.is_empty())
    }

    /// Bring the search index up to date with the pages edited since: only the files
    /// holding their old and new terms are rewritten.
    pub fn search(&mut self, served: &Files) -> Result<Outcome> {
        let start = Instant::now();
        let mut out = Outcome::default();
        let mut written = 0;
        if let Some(state) = &mut self.state
            && state.rebuild_search
        {
            // Pages were added, removed or moved: document numbers shift, so the index is
            // built again; only files whose bytes differ are swapped, stale ones removed.
            let sink = MemorySink::default();
            state.search = Some(Live::build(&state.site, &state.bodies.pages, &sink)?);
            state.rebuild_search = false;
            state.stale.clear();
            let files = sink.into_files();
            out.removed = served
                .keys()
                .filter(|k| k.starts_with("search/") && !k.ends_with(".html") && !files.contains_key(*k))
                .cloned()
                .collect();
            diff(served, files, &mut out);
            out.what =
                format!("search index (rebuilt, {} files changed)", out.updated.len() + out.removed.len());
            out.elapsed = start.elapsed();
            return Ok(out);
        }
        if let Some(state) = &mut self.state
            && let Some(live) = &mut state.search
        {
            let sink = MemorySink::default();
            for id in std::mem::take(&mut state.stale) {
                written += live.update(&state.site, &state.bodies.pages, id, &sink)?;
            }
            diff(served, sink.into_files(), &mut out);
        }
        out.what = format!("search index ({written} files)");
        out.elapsed = start.elapsed();
        Ok(out)
    }
}

/// The content of the site after a batch: the pages in memory, less the removed ones, with
/// the loaded ones in place of (or beside) the old, and the section index pages and assets
/// as they were.
fn next_content(
    state: &State,
    loaded: Vec<(Option<PageId>, SourcePage, Body)>,
    removed: &HashSet<String>,
    content_dir: &std::path::Path,
    drafts: bool,
) -> Content {
    let mut changed: HashMap<String, Source> = loaded
        .into_iter()
        .map(|(_, page, body)| (page.rel_path.clone(), Source { page, body: Some(body) }))
        .collect();
    let mut pages: Vec<Source> = state
        .site
        .pages
        .iter()
        .zip(&state.sources.pages)
        .filter(|(p, _)| !removed.contains(&p.source.rel_path))
        .map(|(p, body)| {
            changed
                .remove(&p.source.rel_path)
                .unwrap_or_else(|| Source { page: p.source.clone(), body: body.clone() })
        })
        .collect();
    pages.extend(changed.into_values());
    pages.retain(|p| drafts || !p.page.meta.draft);
    let indexes = state.site.sections.iter().enumerate().filter_map(|(id, s)| {
        let page = s.index.clone()?;
        Some(Source { page, body: state.sources.sections.get(&id).cloned() })
    });
    pages.extend(indexes);
    pages.sort_by(|a, b| a.page.rel_path.cmp(&b.page.rel_path));
    let assets = state
        .site
        .assets
        .iter()
        .filter_map(|a| {
            let rel = a.source.strip_prefix(content_dir).ok()?.to_string_lossy().replace('\\', "/");
            Some(Asset { rel_path: rel, source: a.source.clone() })
        })
        .collect();
    let mut content = Content {
        pages,
        assets,
        git_dates: state.site.git_dates.clone(),
        folders: state.site.folders.clone(),
        views: state.site.views.clone(),
        internal: Default::default(),
    };
    // A save may have made an article internal (or public again): the audience is applied
    // to the new content as a build does; articles left out before stay known as such.
    let root = state.site.root();
    crate::content::audience::apply(&mut content, state.site.config.audience, content_dir, &root);
    let present: HashSet<&str> = content.pages.iter().map(|s| s.page.rel_path.as_str()).collect();
    let before: Vec<String> =
        state.site.internal.iter().filter(|r| !present.contains(r.as_str())).cloned().collect();
    content.internal.extend(before);
    content
}

/// The rendered Markdown of every page of the new `site`: a page's last rendering is kept
/// when its file was not edited and every question its Markdown asked the site model gets
/// the same answer from the new one (a link to a page that moved, went or appeared, in any
/// spelling — percent-encoded, extensionless, through an include — is such a question);
/// every other page is rendered again.
fn rebody(
    state: &State,
    site: &Site,
    sources: &Sources,
    edited: &HashSet<String>,
    diags: &Diagnostics,
) -> Bodies {
    let old: HashMap<&str, &Rendered> =
        state.site.pages.iter().map(|p| p.source.rel_path.as_str()).zip(&state.bodies.pages).collect();
    // Cloned, not taken: the state must stay whole if rendering fails later.
    let pages = site
        .pages
        .par_iter()
        .zip(&sources.pages)
        .map(|(p, body)| match (old.get(p.source.rel_path.as_str()), body) {
            (Some(b), _) if !edited.contains(&p.source.rel_path) && b.deps.iter().all(|d| d.holds(site)) => {
                (*b).clone()
            }
            (_, Some(body)) => build::render_body(site, &p.source, body, diags),
            (None, None) => Rendered::default(),
            (Some(b), None) => (*b).clone(),
        })
        .collect();
    Bodies { pages, sections: build::render_section_bodies(site, &sources.sections, diags) }
}

/// Keep the files of `new` that differ from `served`, noting changed pages and stylesheets.
fn diff(served: &Files, new: Files, out: &mut Outcome) {
    for (path, bytes) in new {
        if served.get(&path).is_some_and(|old| *old == bytes) {
            continue;
        }
        if path.ends_with(".html") {
            out.changed_pages.push(url_of(&path));
        } else if path.ends_with(".css") {
            out.changed_css.push(url_of(&path));
        }
        out.updated.insert(path, bytes);
    }
    for path in &out.removed {
        if path.ends_with(".html") {
            out.changed_pages.push(url_of(path));
        }
    }
    out.changed_pages.sort();
}

/// Every page, its theme's sidebars and (unless `search = false`) the search index,
/// rendered side by side into `sink`.
fn render_with_search(
    site: &Site,
    bodies: &Bodies,
    theme: &Theme,
    sink: &MemorySink,
    signatures: &[Signature],
) -> Result<(Renderer, Option<Live>)> {
    let mut renderer = Renderer::preview(site, theme)?;
    renderer.set_related(related(site, signatures));
    let (rendered, search) = rayon::join(
        || renderer.all(site, bodies, theme, sink),
        || site.config.search.then(|| Live::build(site, &bodies.pages, sink)).transpose(),
    );
    rendered?;
    Ok((renderer, search?))
}

/// Each article's body signature (from the Markdown the preview keeps).
fn signatures_of(site: &Site, sources: &Sources) -> Vec<Signature> {
    sources
        .pages
        .par_iter()
        .map_init(
            || Signer::for_site(site),
            |signer, body| body.as_ref().map(|b| signer.body(&b.text)).unwrap_or_default(),
        )
        .collect()
}

/// Each article's related articles.
fn related(site: &Site, signatures: &[Signature]) -> Vec<Vec<PageId>> {
    crate::search::related::choose(site, signatures, site.config.related.limit)
}

/// Article ids by path under `content/`.
fn page_index(site: &Site) -> HashMap<String, PageId> {
    site.pages.iter().enumerate().map(|(i, p)| (p.source.rel_path.clone(), i)).collect()
}

/// `"s"` unless `n` is 1.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
