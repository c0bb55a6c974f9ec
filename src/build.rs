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
use crate::site::Site;

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
    pub timings: Vec<(&'static str, Duration)>,
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

/// Run the pipeline. Configuration and usage problems are `Err`; content problems are
/// reported in the `BuildReport` (and nothing is written when there are errors).
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
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

    let mut clock = Clock::new();
    clock.lap("config");
    let diags = Diagnostics::new();
    let content = crate::content::load(root, &content_dir, opts.drafts, &diags);
    clock.lap("load");
    let site = Site::build(config, content, content_dir, &diags);
    clock.lap("site");
    let bodies = render_bodies(&site, &diags);
    clock.lap("markdown");

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
        report.diagnostics = diags.into_sorted();
        report.elapsed = start.elapsed();
        return Ok(report);
    }

    if opts.write {
        let staging = Staging::new(&output_dir, root)?;
        write_site(&site, &bodies, &theme, &staging, &mut clock)?;
        let target = staging.target().to_path_buf();
        staging.commit()?;
        clock.lap("commit");
        report.output = Some(target);
    } else {
        write_site(&site, &bodies, &theme, &NullSink::default(), &mut clock)?;
    }
    report.diagnostics = diags.into_sorted();
    report.elapsed = start.elapsed();
    report.timings = clock.laps;
    Ok(report)
}

fn render_bodies(site: &Site, diags: &Diagnostics) -> Bodies {
    let render_one = |src: &crate::content::SourcePage| -> Rendered {
        let mut local = Vec::new();
        let input = markdown::Input {
            body: &src.body,
            body_line: src.body_line,
            rel_path: &src.rel_path,
            file: &src.file,
        };
        let r = markdown::render(input, site, &mut local);
        diags.extend(local);
        r
    };
    let pages = site.pages.par_iter().map(|p| render_one(&p.source)).collect();
    let sections: HashMap<_, _> = site
        .sections
        .par_iter()
        .enumerate()
        .filter_map(|(id, s)| s.index.as_ref().map(|i| (id, render_one(i))))
        .collect();
    Bodies { pages, sections }
}

fn write_site(site: &Site, bodies: &Bodies, theme: &Theme, sink: &dyn Sink, clock: &mut Clock) -> Result<()> {
    // The search index and the pages are independent: building them side by side lets each
    // fill the cores the other leaves idle in its serial steps.
    let timed = |f: &dyn Fn() -> Result<()>| {
        let t = Instant::now();
        f().map(|()| t.elapsed())
    };
    let (pages, search) = rayon::join(
        || timed(&|| render::render_site(site, bodies, theme, sink)),
        || {
            timed(&|| {
                if site.config.search {
                    crate::search::build_and_write(site, &bodies.pages, sink)?;
                }
                Ok(())
            })
        },
    );
    clock.overlapped(&[("templates+write", pages?), ("search", search?)]);
    site.assets.par_iter().try_for_each(|a| {
        let bytes = std::fs::read(&a.source).map_err(|e| Error::io("reading", &a.source, e))?;
        sink.write(&a.out_path, &bytes)
    })?;
    clock.lap("assets");
    Ok(())
}

/// Stage timer for `--timings`.
struct Clock {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Clock {
    fn new() -> Self {
        Clock { last: Instant::now(), laps: Vec::new() }
    }

    /// Record stages that ran side by side, each with its own wall time; the clock moves on
    /// to now.
    fn overlapped(&mut self, stages: &[(&'static str, Duration)]) {
        self.laps.extend_from_slice(stages);
        self.last = Instant::now();
    }

    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }
}
