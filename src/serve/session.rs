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

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use super::files::{Files, MemorySink, url_of};
use crate::build::{self, BuildOptions, Clock, Loaded};
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::error::Result;
use crate::render::{Bodies, Renderer, Theme};
use crate::site::{PageId, Site};

/// The site as last built without errors, ready for incremental updates.
struct State {
    site: Site,
    bodies: Bodies,
    theme: Theme,
    renderer: Renderer,
    /// Article by its path under `content/`.
    pages: HashMap<String, PageId>,
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
    /// The search index is stale and should be rebuilt with [`Session::search`].
    pub search_stale: bool,
    /// Time taken.
    pub elapsed: Duration,
}

impl Outcome {
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
        build::write_site(&site, &bodies, &theme, &sink, &mut clock)?;
        let files = sink.into_files();
        out.removed = served.keys().filter(|k| !files.contains_key(*k)).cloned().collect();
        diff(served, files, &mut out);
        let renderer = Renderer::new(&site, &theme)?;
        let pages = site.pages.iter().enumerate().map(|(i, p)| (p.source.rel_path.clone(), i)).collect();
        self.state = Some(State { site, bodies, theme, renderer, pages });
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
                    if !same_place {
                        return Ok(None);
                    }
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
        }
        diff(served, sink.into_files(), &mut out);
        out.what = format!("{} page{}", ids.len(), plural(ids.len()));
        out.search_stale = state.site.config.search;
        out.elapsed = start.elapsed();
        Ok(Some(out))
    }

    /// Rebuild the search index of the current state.
    pub fn search(&self, served: &Files) -> Result<Outcome> {
        let start = Instant::now();
        let mut out = Outcome { what: "search index".into(), ..Outcome::default() };
        if let Some(state) = &self.state {
            let sink = MemorySink::default();
            crate::search::build_and_write(&state.site, &state.bodies.pages, &sink)?;
            let files = sink.into_files();
            out.removed = served
                .keys()
                .filter(|k| k.starts_with("search/") && *k != "search/index.html" && !files.contains_key(*k))
                .cloned()
                .collect();
            diff(served, files, &mut out);
        }
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

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
