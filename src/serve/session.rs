//! What the preview keeps between saves, and how a batch of changes is turned into the
//! smallest rebuild that covers it:
//!
//! - an article whose front matter, title and place are unchanged → its Markdown and its
//!   page are re-rendered (nothing else shows its body), then the search index;
//! - CSS under `static/` or a theme's `static/` → those files, swapped in the open pages;
//! - anything else (front matter that moves or renames a page, files added or removed,
//!   templates, `site.toml`) → the whole site, in memory.
//!
//! Either way the new files are compared with the served ones, and only pages whose HTML
//! changed are told to reload.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::{Duration, Instant};

use super::files::{Files, MemorySink, url_of};
use crate::build::{self, BuildOptions, Clock, Loaded};
use crate::content::{Asset, Content, SourcePage};
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::error::Result;
use crate::markdown::Rendered;
use crate::render::{Bodies, Renderer, Theme};
use crate::search::live::Live;
use crate::site::{PageId, Site};

/// The site as last built without errors, ready for incremental updates.
struct State {
    site: Site,
    bodies: Bodies,
    theme: Theme,
    renderer: Renderer,
    /// Article by its path under `content/`.
    pages: HashMap<String, PageId>,
    /// The search index, kept for page-by-page updates (`None` with `search = false`).
    search: Option<Live>,
    /// Pages whose body changed since the search index was last brought up to date.
    stale: Vec<PageId>,
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
        let text = e.to_string();
        let message = text.strip_prefix("error: ").unwrap_or(&text);
        let mut d = Diagnostic::error("", message);
        d.file = None;
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
        let Loaded { site, bodies, theme, diagnostics } = build::load(&self.opts, &mut clock)?;
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
        let (renderer, search) = render_with_search(&site, &bodies, &theme, &sink)?;
        build::write_assets(&site, &sink)?;
        let files = sink.into_files();
        out.removed = served.keys().filter(|k| !files.contains_key(*k)).cloned().collect();
        diff(served, files, &mut out);
        let pages = page_index(&site);
        self.state = Some(State { site, bodies, theme, renderer, pages, search, stale: Vec::new() });
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
        let renderer = Renderer::new(&state.site, &theme)?;
        let sink = MemorySink::default();
        renderer.all(&state.site, &state.bodies, &theme, &sink)?;
        let mut out = Outcome { what: "templates (every page re-rendered)".into(), ..Outcome::default() };
        diff(served, sink.into_files(), &mut out);
        state.theme = theme;
        state.renderer = renderer;
        out.elapsed = start.elapsed();
        Ok(Some(out))
    }

    /// Only article bodies changed: re-render those pages alone. `None` when a change is
    /// more than that (a new or deleted file, front matter that changes navigation, …).
    fn try_pages(&mut self, batch: &BTreeSet<String>, served: &Files) -> Result<Option<Outcome>> {
        let start = Instant::now();
        let state = self.state.as_mut().expect("checked by the caller");
        let root = &self.opts.root;
        let content_dir = root.join("content");
        let mut ids = Vec::new();
        for path in batch {
            let Some(rel) = path.strip_prefix("content/") else { return Ok(None) };
            let Some(&id) = state.pages.get(rel) else { return Ok(None) };
            if !content_dir.join(rel).is_file() {
                return Ok(None);
            }
            ids.push((id, rel));
        }
        let mut out = Outcome::default();
        let mut loaded = Vec::new();
        let mut moved = false;
        for &(id, rel) in &ids {
            let file = display_path(root, &content_dir.join(rel));
            match crate::content::load_page(&content_dir, rel, &file) {
                Ok((src, warnings)) => {
                    let old = &state.site.pages[id].source;
                    let same_place = src.title == old.title
                        && src.meta == old.meta
                        && src.section == old.section
                        && src.slug == old.slug
                        && src.slug_is_absolute == old.slug_is_absolute
                        && src.is_index == old.is_index;
                    moved |= !same_place;
                    out.diagnostics.extend(warnings);
                    loaded.push((id, src));
                }
                Err(d) => out.diagnostics.push(d),
            }
        }
        if out.failed() {
            out.what = format!("{} page{}", ids.len(), plural(ids.len()));
            out.elapsed = start.elapsed();
            return Ok(Some(out));
        }
        if moved {
            let result = self.relink(loaded, served)?;
            return Ok(result.map(|mut r| {
                r.diagnostics.splice(0..0, out.diagnostics);
                r.elapsed = start.elapsed();
                r
            }));
        }
        let diags = Diagnostics::new();
        let bodies: Vec<_> =
            loaded.iter().map(|(_, src)| build::render_body(&state.site, src, &diags)).collect();
        out.diagnostics.extend(diags.into_sorted());
        if out.failed() {
            out.elapsed = start.elapsed();
            return Ok(Some(out));
        }
        let sink = MemorySink::default();
        for ((id, src), body) in loaded.into_iter().zip(bodies) {
            state.site.pages[id].source = src;
            state.renderer.page(&state.site, id, &body, &state.theme, &sink)?;
            state.bodies.pages[id] = body;
            state.stale.push(id);
        }
        diff(served, sink.into_files(), &mut out);
        out.what = format!("{} page{}", ids.len(), plural(ids.len()));
        out.elapsed = start.elapsed();
        Ok(Some(out))
    }

    /// Articles whose front matter or title changed (they may move in the navigation, get
    /// new neighbours or tags): rebuild the site model from the pages already loaded, keep
    /// every other page's rendered Markdown when no URL changed, re-render the HTML and
    /// the search index. `None` when URLs changed (links elsewhere need re-rendering).
    fn relink(&mut self, loaded: Vec<(PageId, SourcePage)>, served: &Files) -> Result<Option<Outcome>> {
        let state = self.state.as_mut().expect("checked by the caller");
        let content_dir = self.opts.root.join("content");
        let edited: HashSet<String> = loaded.iter().map(|(_, src)| src.rel_path.clone()).collect();
        let mut changed: HashMap<String, SourcePage> =
            loaded.into_iter().map(|(_, src)| (src.rel_path.clone(), src)).collect();
        let mut pages: Vec<SourcePage> = state
            .site
            .pages
            .iter()
            .map(|p| changed.remove(&p.source.rel_path).unwrap_or_else(|| p.source.clone()))
            .chain(state.site.sections.iter().filter_map(|s| s.index.clone()))
            .collect();
        pages.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
        let assets = state
            .site
            .assets
            .iter()
            .filter_map(|a| {
                let rel = a.source.strip_prefix(&content_dir).ok()?.to_string_lossy().replace('\\', "/");
                Some(Asset { rel_path: rel, source: a.source.clone() })
            })
            .collect();
        let diags = Diagnostics::new();
        let site = Site::build(state.site.config.clone(), Content { pages, assets }, content_dir, &diags);
        let mut out = Outcome { diagnostics: diags.into_sorted(), ..Outcome::default() };
        if out.failed() {
            return Ok(Some(out));
        }
        let old_urls: HashMap<&str, &str> =
            state.site.pages.iter().map(|p| (p.source.rel_path.as_str(), p.url.as_str())).collect();
        let same_urls = site.pages.len() == old_urls.len()
            && site.pages.iter().all(|p| old_urls.get(p.source.rel_path.as_str()) == Some(&p.url.as_str()));
        if !same_urls {
            return Ok(None);
        }
        // Rendered Markdown depends on the site only through URLs and anchors: reuse it.
        // Cloned, not taken: the state must stay whole if rendering fails below.
        let old_bodies: HashMap<&str, &Rendered> =
            state.site.pages.iter().map(|p| p.source.rel_path.as_str()).zip(&state.bodies.pages).collect();
        let diags = Diagnostics::new();
        let bodies_pages: Vec<Rendered> = site
            .pages
            .iter()
            .map(|p| match old_bodies.get(p.source.rel_path.as_str()) {
                Some(b) if !edited.contains(&p.source.rel_path) => (*b).clone(),
                _ => build::render_body(&site, &p.source, &diags),
            })
            .collect();
        let sections = state
            .bodies
            .sections
            .iter()
            .filter_map(|(&id, body)| {
                let url = &state.site.sections[id].url;
                site.sections.iter().position(|s| &s.url == url).map(|new| (new, body.clone()))
            })
            .collect();
        let bodies = Bodies { pages: bodies_pages, sections };
        out.diagnostics.extend(diags.into_sorted());
        let sink = MemorySink::default();
        let (renderer, search) = render_with_search(&site, &bodies, &state.theme, &sink)?;
        diff(served, sink.into_files(), &mut out);
        let n = edited.len();
        out.what = format!("{n} page{} and the navigation, listings and search index", plural(n));
        state.pages = page_index(&site);
        state.site = site;
        state.bodies = bodies;
        state.renderer = renderer;
        state.search = search;
        state.stale.clear();
        Ok(Some(out))
    }

    /// Are there page edits the search index has not taken in yet?
    pub fn search_pending(&self) -> bool {
        self.state.as_ref().is_some_and(|s| s.search.is_some() && !s.stale.is_empty())
    }

    /// Bring the search index up to date with the pages edited since: only the files
    /// holding their old and new terms are rewritten.
    pub fn search(&mut self, served: &Files) -> Result<Outcome> {
        let start = Instant::now();
        let mut out = Outcome::default();
        let mut written = 0;
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
) -> Result<(Renderer, Option<Live>)> {
    let renderer = Renderer::new(site, theme)?;
    let (rendered, search) = rayon::join(
        || renderer.all(site, bodies, theme, sink),
        || site.config.search.then(|| Live::build(site, &bodies.pages, sink)).transpose(),
    );
    rendered?;
    Ok((renderer, search?))
}

/// Article ids by path under `content/`.
fn page_index(site: &Site) -> HashMap<String, PageId> {
    site.pages.iter().enumerate().map(|(i, p)| (p.source.rel_path.clone(), i)).collect()
}

/// `"s"` unless `n` is 1.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
