//! The pipeline, stage after stage: config → content → site → markdown → render → search
//! → output. Data flows one way; each stage reads the previous stage's output and nothing
//! else. The build cache wraps the stages: before a stage runs, the build asks the cache
//! what the stage may skip, and afterwards records the stage's results with their keys
//! ([`run`]); the stages never see it.

mod languages;
mod pages;
mod print;
mod run;
mod search;
mod write;

pub use run::CacheRun;
pub use write::write_site;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

pub use crate::base::timings::Clock;
use crate::base::timings::{CpuMeter, HIGHLIGHT};
use crate::config::SiteConfig;
use crate::content::{Body, SourcePage};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::markdown::{self, Rendered};
use crate::output::{Existing, NullSink, Sink, Staging, Target, Update};
use crate::render::{Bodies, Theme};
use crate::site::{SectionId, Site, Sources};

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
    /// Use and update the build cache in `.kiln-cache/` (`kiln build` without `--no-cache`).
    pub cache: bool,
    /// Every warning is an error (`--strict`).
    pub strict: bool,
    /// `kiln check`: broken links, anchors and files are errors.
    pub links_are_errors: bool,
    /// Replace a non-empty output folder Kiln did not write (`--force`).
    pub force: bool,
    /// Who the build is for (`--audience`): public leaves internal articles out.
    pub audience: crate::config::Audience,
    /// `kiln check`: report what only a check looks for — each language's missing and
    /// outdated translations (notes), articles overdue for review (`stale`).
    pub reports: bool,
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
    pub timings: Vec<crate::base::timings::Lap>,
    /// For a build that updated the last one's output in place: files written, files kept.
    pub changed: Option<(usize, usize)>,
    /// A multilingual site's translation status per language (with
    /// [`BuildOptions::translations`]).
    pub translations: Vec<crate::check::TranslationStatus>,
}

impl BuildReport {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == crate::diagnostics::Severity::Warning).count()
    }
}

/// The content stages' result, held in memory: what `build` writes and `kiln serve` keeps
/// between rebuilds.
pub struct Loaded {
    /// The site model.
    pub site: Site,
    /// The Markdown of every page and section index.
    pub sources: Sources,
    /// Rendered Markdown of every page and section index.
    pub bodies: Bodies,
    /// The theme (templates and static files).
    pub theme: Theme,
    /// Everything reported while loading and rendering, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

/// The site model and theme, before any Markdown is rendered.
pub struct Model {
    /// The site model (the default language's, in a multilingual site).
    pub site: Site,
    /// The Markdown of its pages (`None` for articles the build cache let the load skip).
    pub sources: Sources,
    /// The other languages' sites and their Markdown, in the order of the language list.
    pub others: Vec<(Site, Sources)>,
    /// The theme (templates and static files).
    pub theme: Theme,
    /// Problems found so far.
    pub diags: Diagnostics,
    /// Where a build writes the site, checked (`None` when nothing is written).
    pub target: Option<Target>,
}

/// Run the config, content and site stages. Configuration and usage problems are `Err`;
/// content problems are in [`Model::diags`].
pub fn load_model(opts: &BuildOptions, clock: &mut Clock) -> Result<Model> {
    load_model_with(opts, clock, &mut CacheRun::new(false, &opts.root))
}

/// The output folder of a build, absolute.
fn output_dir(opts: &BuildOptions, config: &SiteConfig) -> PathBuf {
    crate::output::absolute(&opts.output.clone().unwrap_or_else(|| opts.root.join(&config.output_dir)))
}

/// The content folder (the default language's, when each language has its own).
fn content_folder(config: &SiteConfig, root: &std::path::Path) -> Result<PathBuf> {
    match config.language_list().first() {
        Some(lang) if config.per_language_content() => config.content_path_for(root, lang),
        _ => config.content_path(root),
    }
}

/// The output folder checked before anything is loaded: one Kiln may replace, and, when it
/// comes from site.toml, inside the site.
fn output_target(opts: &BuildOptions, config: &SiteConfig) -> Result<Target> {
    if opts.output.is_none() {
        crate::output::check_configured(&config.output_dir, &opts.root)?;
    }
    let content = content_folder(config, &opts.root)?;
    let target = crate::output::check_target(&output_dir(opts, config), &opts.root, &content, opts.force)?;
    // What a killed build left is finished or removed first, whether or not this one
    // gets as far as writing.
    crate::output::clean_leftovers(&target.path)?;
    Ok(target)
}

/// This build's setup digest, and the last build's record when it may be used.
fn start_cache(run: &mut CacheRun, config: &SiteConfig, theme: &Theme, target: Option<&Target>) {
    // A key that cannot be made means a build without the cache, never a guess.
    let setup = crate::cache::setup_digest(config, theme);
    run.enabled = setup.is_some();
    run.next.setup = setup.unwrap_or_default();
    // Only an output Kiln wrote is updated in place; anything else is built cold.
    if let Some(t) = target.filter(|t| run.enabled && t.existing == Existing::Owned) {
        run.prior = run.cache.manifest(&t.path).unwrap_or_default();
    }
}

fn load_model_with(opts: &BuildOptions, clock: &mut Clock, run: &mut CacheRun) -> Result<Model> {
    let root = &opts.root;
    let mut config = SiteConfig::load(root)?;
    let langs = config.language_list();
    let content_dir = content_folder(&config, root)?;
    if !content_dir.is_dir() {
        return Err(Error::usage_at(
            &content_dir,
            format!(
                "no content folder at {}: run kiln in a site folder or pass --root",
                content_dir.display()
            ),
        ));
    }
    config.apply_options(opts.base_url.as_deref(), opts.audience);
    let theme = Theme::load(root, &config.theme)?;
    crate::render::strings::check(&config.strings)?;
    let target = if opts.write { Some(output_target(opts, &config)?) } else { None };
    clock.lap("config");
    if !langs.is_empty() {
        return load_languages(opts, config, &langs, theme, target, clock);
    }
    if run.enabled {
        start_cache(run, &config, &theme, target.as_ref());
        clock.lap("cache");
    }
    let diags = if opts.strict { Diagnostics::strict() } else { Diagnostics::new() };
    let diags = if opts.links_are_errors { diags.links_are_errors() } else { diags };
    diags.extend(std::mem::take(&mut config.notes));
    // Front matter is read through the configuration (`[front_matter]`): the last build's
    // records of it stand only under the same configuration.
    let same_setup = run.prior.setup == run.next.setup;
    let mut prior = run
        .enabled
        .then(|| if same_setup { std::mem::take(&mut run.prior.sources) } else { Default::default() });
    // A warm build checks the last output (a stat per file, mostly waiting on the file
    // system) while the content loads.
    let out = target.as_ref().map_or_else(|| output_dir(opts, &config), |t| t.path.clone());
    let warm = run.warm();
    let (outputs, dirs) = (&run.prior.outputs, &run.prior.dirs);
    let git = config.git_dates;
    let prior_git = std::mem::take(&mut run.prior.git);
    let ((mut content, sources, changed), (update, git)) = rayon::join(
        || {
            crate::content::load_cached(
                root,
                &content_dir,
                opts.drafts,
                &config.front_matter,
                &diags,
                prior.as_mut().map(|p| p as &mut dyn crate::content::Prior),
            )
        },
        || {
            rayon::join(
                || warm.then(|| Update::new(&out, outputs, dirs)),
                || {
                    if git {
                        crate::content::git::last_commit_dates(&content_dir, prior_git.as_ref())
                    } else {
                        Default::default()
                    }
                },
            )
        },
    );
    run.next.git = git.head.map(|head| crate::content::git::GitRecord { head, dates: git.dates.clone() });
    content.git_dates = git.dates;
    diags.extend(git.warning);
    finish_content(&mut content, &config, &content_dir, root, &diags);
    run.update = update;
    run.next.sources = sources;
    run.dirty = changed > 0;
    clock.lap("load");
    let (site, sources) = Site::build(config, content, content_dir, &diags);
    clock.lap("site");
    Ok(Model { site, sources, others: Vec::new(), theme, diags, target })
}

/// What the content gets besides its files: page views, then the build's audience (a
/// public build leaves internal articles out here, before the site model exists).
pub(super) fn finish_content(
    content: &mut crate::content::Content,
    config: &SiteConfig,
    content_dir: &Path,
    root: &Path,
    diags: &Diagnostics,
) {
    content.views = crate::content::popularity::read(root, diags);
    crate::content::audience::apply(content, config.audience, content_dir, root);
}

/// [`load_model`] for a multilingual site: one site per language, without the build cache.
fn load_languages(
    opts: &BuildOptions,
    mut config: SiteConfig,
    langs: &[crate::config::Language],
    theme: Theme,
    target: Option<Target>,
    clock: &mut Clock,
) -> Result<Model> {
    let diags = if opts.strict { Diagnostics::strict() } else { Diagnostics::new() };
    let diags = if opts.links_are_errors { diags.links_are_errors() } else { diags };
    diags.extend(std::mem::take(&mut config.notes));
    let mut sites = languages::load_sites(opts, &config, langs, &diags)?.into_iter();
    clock.lap("load");
    let Some((site, sources)) = sites.next() else {
        return Err(Error::internal(None, "a multilingual site without languages"));
    };
    Ok(Model { site, sources, others: sites.collect(), theme, diags, target })
}

/// Run config, content, site and Markdown stages, keeping every rendered body (what
/// `kiln serve` needs between rebuilds). Configuration and usage problems are `Err`;
/// content problems are in [`Loaded::diagnostics`].
pub fn load(opts: &BuildOptions, clock: &mut Clock) -> Result<Loaded> {
    let Model { site, sources, theme, diags, .. } = load_model(opts, clock)?;
    // The preview of a multilingual site shows its default language.
    HIGHLIGHT.take();
    let bodies = render_bodies(&site, &sources, &diags);
    clock.lap("markdown");
    clock.part("highlight", HIGHLIGHT.take());
    Ok(Loaded { site, sources, bodies, theme, diagnostics: diags.into_sorted() })
}

/// Build a multilingual site into `sink` (the preview's build, in memory; the cache is not
/// used). `Ok(None)` for a site in one language. Returns the diagnostics, sorted, and the
/// number of articles.
pub fn write_languages_into(
    opts: &BuildOptions,
    sink: &dyn Sink,
    clock: &mut Clock,
) -> Result<Option<(Vec<Diagnostic>, usize)>> {
    if SiteConfig::load(&opts.root)?.language_list().is_empty() {
        return Ok(None);
    }
    let Model { site, sources, others, theme, diags, .. } = load_model(opts, clock)?;
    let pages = site.pages.len() + others.iter().map(|(s, _)| s.pages.len()).sum::<usize>();
    if diags.error_count() == 0 {
        let sites = std::iter::once((site, sources)).chain(others).collect();
        languages::write_into(sites, &theme, &diags, sink, clock, &opts.root)?;
    }
    Ok(Some((diags.into_sorted(), pages)))
}

/// Run the pipeline. Configuration and usage problems are `Err`; content problems are
/// reported in the `BuildReport` (and nothing is written when there are errors: the
/// staging folder is dropped instead of committed).
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    let mut clock = Clock::new();
    let mut run = CacheRun::new(opts.cache && opts.write, &opts.root);
    let Model { site, sources, others, theme, diags, target } = load_model_with(opts, &mut clock, &mut run)?;
    let (cats, folders) = site.section_counts();
    let mut report = BuildReport {
        pages: site.pages.len() + others.iter().map(|(s, _)| s.pages.len()).sum::<usize>(),
        categories: cats,
        folders,
        diagnostics: Vec::new(),
        elapsed: Duration::ZERO,
        output: None,
        timings: Vec::new(),
        changed: None,
        translations: Vec::new(),
    };
    if opts.reports {
        let sites: Vec<&Site> = std::iter::once(&site).chain(others.iter().map(|(s, _)| s)).collect();
        if !others.is_empty() {
            report.translations = crate::check::translations(&sites, &diags);
        }
        let today = crate::base::date::today();
        for s in &sites {
            crate::check::stale(s, &today, &diags);
        }
    }
    if diags.error_count() > 0 {
        // Nothing will be written, but the Markdown's own problems are reported too, so
        // one run shows every error.
        render_bodies(&site, &sources, &diags);
        for (site, sources) in &others {
            render_bodies(site, sources, &diags);
        }
    } else if !others.is_empty() {
        // The cache records one site; a multilingual build is cold, and the record of an
        // earlier build of this folder no longer describes its output.
        run.cache.invalidate()?;
        let sites = std::iter::once((site, sources)).chain(others).collect();
        report.output = languages::write_all(sites, &theme, &diags, target, &mut clock, &opts.root)?;
    } else {
        let written = Written { site, sources, theme: &theme, diags: &diags };
        write_and_commit(written, target, &mut clock, run, &mut report)?;
    }
    report.diagnostics = diags.into_sorted();
    report.elapsed = start.elapsed();
    report.timings = clock.laps;
    Ok(report)
}

/// What a build writes: the site model, its pages' Markdown, the theme.
struct Written<'a> {
    site: Site,
    sources: Sources,
    theme: &'a Theme,
    diags: &'a Diagnostics,
}

/// Write the site and, when it had no error, put it in place and save the cache's record:
/// a warm build updates the last output in place, a cold one swaps in a staged folder, a
/// check writes nothing.
fn write_and_commit(
    w: Written,
    target: Option<Target>,
    clock: &mut Clock,
    mut run: CacheRun,
    report: &mut BuildReport,
) -> Result<()> {
    let Written { site, sources, theme, diags } = w;
    if let Some(update) = run.update.take() {
        let update = update?;
        write_site(&site, sources, theme, diags, &update, clock, &mut run)?;
        if diags.error_count() == 0 {
            report.changed = Some(update.counts());
            // Forgotten first: a build killed while moving files leaves no record that
            // could be trusted, so the next one is cold.
            if !update.is_noop() {
                run.cache.invalidate()?;
            }
            let output = update.target().to_path_buf();
            let outputs = update.commit()?;
            clock.lap("commit");
            run.save(site, output.clone(), outputs)?;
            clock.lap("cache");
            report.output = Some(output);
        }
    } else if let Some(target) = &target {
        let staging = Staging::new(target)?;
        write_site(&site, sources, theme, diags, &staging, clock, &mut run)?;
        if diags.error_count() == 0 {
            let target = staging.target().to_path_buf();
            let digests = staging.commit()?;
            clock.lap("commit");
            if run.enabled {
                let outputs = Staging::records(digests, &target)?;
                run.save(site, target.clone(), outputs)?;
                clock.lap("cache");
            }
            report.output = Some(target);
        }
    } else {
        write_site(&site, sources, theme, diags, &NullSink::default(), clock, &mut run)?;
    }
    Ok(())
}

/// Render the Markdown of one page (or section index), reporting into `diags`.
pub fn render_body(site: &Site, src: &SourcePage, body: &Body, diags: &Diagnostics) -> Rendered {
    let mut local = Vec::new();
    let r = render_markdown(site, src, body, &mut local);
    diags.extend(local);
    r
}

/// Render the Markdown `body` of `src`, asking `resolver` about links and includes.
fn render_markdown(
    resolver: &dyn markdown::Resolver,
    src: &SourcePage,
    body: &Body,
    diags: &mut Vec<Diagnostic>,
) -> Rendered {
    let input = markdown::Input {
        body: &body.text,
        body_line: body.line,
        rel_path: &src.rel_path,
        file: &src.file,
        title: (!src.is_index).then_some(src.title.as_str()),
    };
    markdown::render(input, resolver, diags)
}

/// Render the Markdown of every page and section index (the preview keeps them all).
fn render_bodies(site: &Site, sources: &Sources, diags: &Diagnostics) -> Bodies {
    let pages = site
        .pages
        .par_iter()
        .zip(&sources.pages)
        .map(|(p, body)| match body {
            Some(body) => render_body(site, &p.source, body, diags),
            // Not read: the cache knew the file, unchanged since a build that rendered it
            // with no error (a failing build reports the other files' problems).
            None => Rendered::default(),
        })
        .collect();
    Bodies { pages, sections: render_section_bodies(site, &sources.sections, diags) }
}

/// Render the Markdown of every section index page.
pub fn render_section_bodies(
    site: &Site,
    bodies: &HashMap<SectionId, Body>,
    diags: &Diagnostics,
) -> HashMap<SectionId, Rendered> {
    site.sections
        .par_iter()
        .enumerate()
        .filter_map(|(id, s)| Some((id, render_body(site, s.index.as_ref()?, bodies.get(&id)?, diags))))
        .collect()
}

/// Copy the content folder's assets (images, attachments) into `sink` (no cache: the
/// preview's in-memory build).
pub fn write_assets(site: &Site, sink: &dyn Sink) -> Result<()> {
    let none = HashMap::new();
    write::write_assets(site, sink, &crate::cache::reuse::Derived::new(false, &none, sink))
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

    fn keep(&self, rel: &str) -> bool {
        self.inner.keep(rel)
    }

    fn can_keep(&self, rel: &str) -> bool {
        self.inner.can_keep(rel)
    }
}
