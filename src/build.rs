//! The pipeline, stage after stage: config → content → site → markdown → render → output.
//! Data flows one way; each stage reads the previous stage's output and nothing else.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::markdown::{self, Rendered};
use crate::output::{NullSink, Sink, Staging};
use crate::render::{self, Bodies, Theme};
use crate::site::{SectionId, Site};
pub use crate::timings::Clock;
use crate::timings::{CpuMeter, HIGHLIGHT};

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Site root (holds `site.toml` and `content/`).
    pub root: PathBuf,
    /// Output folder; default `output_dir` from site.toml under the root.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from site.toml.
    pub base_url: Option<String>,
    /// Include `draft: true` pages.
    pub drafts: bool,
    /// Write the site (`build`) or only check it (`check`).
    pub write: bool,
}

/// The outcome of a build or check that got as far as the content.
#[derive(Debug)]
pub struct BuildReport {
    /// Articles rendered.
    pub pages: usize,
    /// Categories.
    pub categories: usize,
    /// Folders and sub-folders.
    pub folders: usize,
    /// Every diagnostic, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Wall time.
    pub elapsed: Duration,
    /// Where the site was written (`None` for a check or a failed build).
    pub output: Option<PathBuf>,
    /// Wall time per stage, in pipeline order.
    pub timings: Vec<crate::timings::Lap>,
}

impl BuildReport {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// The content stages' result, held in memory: what `build` writes and `kiln serve` keeps
/// between rebuilds.
pub struct Loaded {
    /// The site model.
    pub site: Site,
    /// Rendered Markdown of every page and section index.
    pub bodies: Bodies,
    /// The theme (templates and static files).
    pub theme: Theme,
    /// Everything reported while loading and rendering, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

/// The site model and theme, before any Markdown is rendered.
pub struct Model {
    /// The site model.
    pub site: Site,
    /// The theme (templates and static files).
    pub theme: Theme,
    /// Problems found so far.
    pub diags: Diagnostics,
}

/// Run the config, content and site stages. Configuration and usage problems are `Err`;
/// content problems are in [`Model::diags`].
pub fn load_model(opts: &BuildOptions, clock: &mut Clock) -> Result<Model> {
    let root = &opts.root;
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        return Err(Error::Usage(format!(
            "no content folder at {}: run kiln in a site folder or pass --root",
            content_dir.display()
        )));
    }
    let mut config = SiteConfig::load(root)?;
    if let Some(url) = &opts.base_url {
        config.base_url = if url.ends_with('/') { url.clone() } else { format!("{url}/") };
    }
    let theme = Theme::load(root, &config.theme)?;
    clock.lap("config");
    let diags = Diagnostics::new();
    let content = crate::content::load(root, &content_dir, opts.drafts, &diags);
    clock.lap("load");
    let site = Site::build(config, content, content_dir, &diags);
    clock.lap("site");
    Ok(Model { site, theme, diags })
}

/// Run config, content, site and Markdown stages, keeping every rendered body (what
/// `kiln serve` needs between rebuilds). Configuration and usage problems are `Err`;
/// content problems are in [`Loaded::diagnostics`].
pub fn load(opts: &BuildOptions, clock: &mut Clock) -> Result<Loaded> {
    let Model { site, theme, diags } = load_model(opts, clock)?;
    HIGHLIGHT.take();
    let bodies = render_bodies(&site, &diags);
    clock.lap("markdown");
    clock.part("highlight", HIGHLIGHT.take());
    Ok(Loaded { site, bodies, theme, diagnostics: diags.into_sorted() })
}

/// Run the pipeline. Configuration and usage problems are `Err`; content problems are
/// reported in the `BuildReport` (and nothing is written when there are errors: the
/// staging folder is dropped instead of committed).
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    let mut clock = Clock::new();
    let Model { mut site, theme, diags } = load_model(opts, &mut clock)?;
    let root = &opts.root;
    let output_dir = opts.output.clone().unwrap_or_else(|| root.join(&site.config.output_dir));
    let (cats, folders) = site.section_counts();
    let mut report = BuildReport {
        pages: site.pages.len(),
        categories: cats,
        folders,
        diagnostics: Vec::new(),
        elapsed: Duration::ZERO,
        output: None,
        timings: Vec::new(),
    };
    if diags.error_count() > 0 {
        // Nothing will be written, but the Markdown's own problems are reported too, so
        // one run shows every error.
        render_bodies(&site, &diags);
    } else {
        if opts.write {
            let staging = Staging::new(&output_dir, root)?;
            write_site(&mut site, &theme, &diags, &staging, &mut clock)?;
            if diags.error_count() == 0 {
                let target = staging.target().to_path_buf();
                staging.commit()?;
                clock.lap("commit");
                report.output = Some(target);
            }
        } else {
            write_site(&mut site, &theme, &diags, &NullSink::default(), &mut clock)?;
        }
    }
    report.diagnostics = diags.into_sorted();
    report.elapsed = start.elapsed();
    report.timings = clock.laps;
    Ok(report)
}

/// Render the Markdown of one page (or section index), reporting into `diags`.
pub fn render_body(site: &Site, src: &crate::content::SourcePage, diags: &Diagnostics) -> Rendered {
    render_markdown(site, src, &src.body, diags)
}

/// Render `body`, the Markdown of `src` (held apart from it while building).
fn render_markdown(
    site: &Site,
    src: &crate::content::SourcePage,
    body: &str,
    diags: &Diagnostics,
) -> Rendered {
    let mut local = Vec::new();
    let input = markdown::Input { body, body_line: src.body_line, rel_path: &src.rel_path, file: &src.file };
    let r = markdown::render(input, site, &mut local);
    diags.extend(local);
    r
}

fn render_bodies(site: &Site, diags: &Diagnostics) -> Bodies {
    let pages = site.pages.par_iter().map(|p| render_body(site, &p.source, diags)).collect();
    Bodies { pages, sections: render_section_bodies(site, diags) }
}

/// Render the Markdown of every section index page.
pub fn render_section_bodies(site: &Site, diags: &Diagnostics) -> HashMap<SectionId, Rendered> {
    site.sections
        .par_iter()
        .enumerate()
        .filter_map(|(id, s)| s.index.as_ref().map(|i| (id, render_body(site, i, diags))))
        .collect()
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
) -> Result<()> {
    let sources: Vec<String> = site.pages.iter_mut().map(|p| std::mem::take(&mut p.source.body)).collect();
    let site = &*site;
    let renderer = render::Renderer::new(site, theme)?;
    clock.lap("navigation");
    let written = Metered { inner: sink, meter: CpuMeter::new() };
    let (markdown_cpu, templates_cpu) = (CpuMeter::new(), CpuMeter::new());
    let (index_cpu, indexer) = (CpuMeter::new(), crate::search::index::Indexer::default());
    HIGHLIGHT.take();
    // Each article goes Markdown → page file → search terms while its text is at hand.
    let (texts, terms): (Vec<Rendered>, Vec<_>) = sources
        .into_par_iter()
        .enumerate()
        .map_init(
            || indexer.interner(),
            |worker, (id, body)| {
                let src = &site.pages[id].source;
                let mut r = markdown_cpu.time(|| render_markdown(site, src, &body, diags));
                drop(body);
                templates_cpu.time(|| renderer.page(site, id, &r, theme, &written))?;
                r.html = String::new();
                let terms = site.config.search.then(|| index_cpu.time(|| indexer.page(site, id, &r, worker)));
                crate::search::keep_for_fragments(&mut r);
                Ok((r, terms))
            },
        )
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .unzip();
    let sections = render_section_bodies(site, diags);
    templates_cpu.time(|| renderer.rest(site, &sections, theme, &written))?;
    clock.lap("pages");
    clock.part("markdown", markdown_cpu.take());
    clock.part("highlight", HIGHLIGHT.take());
    clock.part("templates", templates_cpu.take());
    clock.part("search terms", index_cpu.take());
    clock.part("write", written.meter.take());
    if site.config.search {
        let terms = terms.into_iter().flatten().collect();
        crate::search::finish_and_write(indexer, terms, site, &texts, &written)?;
    }
    clock.lap("search");
    clock.part("write", written.meter.take());
    write_assets(site, sink)?;
    clock.lap("assets");
    Ok(())
}

/// Copy the content folder's assets (images, attachments) into `sink`.
pub fn write_assets(site: &Site, sink: &dyn Sink) -> Result<()> {
    site.assets.par_iter().try_for_each(|a| {
        let bytes = std::fs::read(&a.source).map_err(|e| Error::io("reading", &a.source, e))?;
        sink.write(&a.out_path, &bytes)
    })
}

/// A sink that meters the time its writes take.
struct Metered<'a> {
    inner: &'a dyn Sink,
    meter: CpuMeter,
}

impl Sink for Metered<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.meter.time(|| self.inner.write(rel, bytes))
    }
}
