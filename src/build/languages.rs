//! A multilingual build: the content loaded once (or once per language when each has its
//! own content folder), split by language, one [`Site`] built per language at its own path
//! (`/fr/`), the sites linked to one another, then each written through the same stages
//! as a site in one language into one output folder, and the files they share (theme,
//! assets, sitemap) written once.

use std::path::{Path, PathBuf};

use super::{BuildOptions, CacheRun, Clock, write_site};
use crate::config::{Language, Layout, SiteConfig};
use crate::content::languages::{self as split, Share};
use crate::content::{self, Content};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::output::{NullSink, Sink, Staging, Target};
use crate::render::{Renderer, Theme};
use crate::site::languages::{Keys, LangHome};
use crate::site::{Site, Sources};

/// Where a language's articles are when site.toml does not say: a folder per language if
/// the content folder has one for any language but the default, else file suffixes.
fn layout(config: &SiteConfig, content_dir: &Path, langs: &[Language]) -> Layout {
    if let Some(l) = config.language_layout {
        return l;
    }
    let names: Vec<String> = std::fs::read_dir(content_dir)
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let has = |l: &Language| names.iter().any(|n| n.eq_ignore_ascii_case(&l.folder));
    if langs.iter().skip(1).any(has) { Layout::Folders } else { Layout::Suffix }
}

/// One content folder's pages, with its last-commit dates when the site takes them.
fn load_folder(opts: &BuildOptions, config: &SiteConfig, dir: &Path, diags: &Diagnostics) -> Content {
    let mut content = content::load(&opts.root, dir, opts.drafts, &config.front_matter, diags);
    super::finish_content(&mut content, config, dir, &opts.root, diags);
    if config.git_dates {
        let git = content::git::last_commit_dates(dir, None);
        content.git_dates = git.dates;
        diags.extend(git.warning);
    }
    content
}

/// Each language's share of the content, with the folder it was read from.
fn shares(
    opts: &BuildOptions,
    config: &SiteConfig,
    langs: &[Language],
    diags: &Diagnostics,
) -> Result<Vec<(Share, PathBuf)>> {
    if !config.per_language_content() {
        let dir = config.content_path(&opts.root)?;
        let content = load_folder(opts, config, &dir, diags);
        let shares = split::split(content, langs, layout(config, &dir, langs));
        return Ok(shares.into_iter().map(|s| (s, dir.clone())).collect());
    }
    let mut out = Vec::with_capacity(langs.len());
    for (i, lang) in langs.iter().enumerate() {
        let dir = config.content_path_for(&opts.root, lang)?;
        let share = if dir.is_dir() {
            split::own(load_folder(opts, config, &dir, diags))
        } else if i == 0 {
            return Err(Error::usage_at(
                &dir,
                format!("no content folder for the default language at {}", dir.display()),
            ));
        } else {
            diags.push(Diagnostic::general_warning(format!(
                "no content folder for language {} at {}: it shows the default language's pages",
                lang.code,
                dir.display()
            )));
            Share::default()
        };
        out.push((share, dir));
    }
    Ok(out)
}

/// Load every language's content and build its site, the default language's first.
pub(super) fn load_sites(
    opts: &BuildOptions,
    config: &SiteConfig,
    langs: &[Language],
    diags: &Diagnostics,
) -> Result<Vec<(Site, Sources)>> {
    let mut shares = shares(opts, config, langs, diags)?;
    if config.fallback {
        let mut plain: Vec<Share> = shares.iter_mut().map(|(s, _)| std::mem::take(s)).collect();
        split::fill_fallbacks(&mut plain);
        for ((s, _), p) in shares.iter_mut().zip(plain) {
            *s = p;
        }
    }
    let mut sites = Vec::with_capacity(langs.len());
    let mut keys = Vec::with_capacity(langs.len());
    for (i, (lang, (share, dir))) in langs.iter().zip(shares).enumerate() {
        let prefixed = i > 0 || config.prefix_default_language;
        let Share { content, keys: k, fallbacks } = share;
        sites.push(Site::build(config.for_language(lang, prefixed), content, dir, diags));
        keys.push((k, fallbacks));
    }
    let homes = langs
        .iter()
        .zip(&sites)
        .map(|(l, (s, _))| LangHome {
            code: l.code.clone(),
            label: l.label.clone(),
            url: s.base_path.clone(),
            rtl: l.rtl,
        })
        .collect();
    let keys: Vec<Keys> = keys.iter().map(|(keys, fallbacks)| Keys { keys, fallbacks }).collect();
    let mut bare: Vec<Site> = Vec::new();
    let mut sources = Vec::new();
    for (s, src) in sites {
        bare.push(s);
        sources.push(src);
    }
    crate::site::languages::link(&mut bare, homes, &keys);
    Ok(bare.into_iter().zip(sources).collect())
}

/// A sink writing under one language's folder of the output.
struct Prefixed<'a> {
    inner: &'a dyn Sink,
    prefix: String,
    /// Also write the 404 page at the root, where static hosts look for it (the default
    /// language's, when it too is under a folder).
    root_404: bool,
}

impl Sink for Prefixed<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        if self.root_404 && rel == "404.html" {
            self.inner.write(rel, bytes)?;
        }
        self.inner.write(&format!("{}{rel}", self.prefix), bytes)
    }
}

/// Write every language's site into `sink`, then the files they share.
pub(super) fn write_into(
    sites: Vec<(Site, Sources)>,
    theme: &Theme,
    diags: &Diagnostics,
    sink: &dyn Sink,
    clock: &mut Clock,
    root: &Path,
) -> Result<()> {
    let mut diagrams = false;
    let mut done = Vec::with_capacity(sites.len());
    for (site, sources) in sites {
        let prefix = site.base_path.strip_prefix(site.root_path.as_str()).unwrap_or("").to_string();
        let root_404 = done.is_empty() && !prefix.is_empty();
        let sink = Prefixed { inner: sink, prefix, root_404 };
        diagrams |= write_site(&site, sources, theme, diags, &sink, clock, &mut CacheRun::new(false, root))?;
        done.push(site);
    }
    Renderer::write_shared(&done, theme, sink, diagrams)?;
    super::write_assets(&done[0], sink)?;
    clock.lap("shared");
    Ok(())
}

/// Write every language's site into one output folder and put it in place when there was
/// no error (a check writes nothing). Returns where it was written.
pub(super) fn write_all(
    sites: Vec<(Site, Sources)>,
    theme: &Theme,
    diags: &Diagnostics,
    target: Option<Target>,
    clock: &mut Clock,
    root: &Path,
) -> Result<Option<PathBuf>> {
    let Some(target) = target else {
        write_into(sites, theme, diags, &NullSink::default(), clock, root)?;
        return Ok(None);
    };
    let staging = Staging::new(&target)?;
    write_into(sites, theme, diags, &staging, clock, root)?;
    if diags.error_count() > 0 {
        return Ok(None);
    }
    let target = staging.target().to_path_buf();
    staging.commit()?;
    clock.lap("commit");
    Ok(Some(target))
}
