//! The build cache's part in one build: what the last build left, and what this one will
//! leave. The stages never see it; the build asks it before each stage and records each
//! stage's results (with their keys) after.

use std::path::{Path, PathBuf};

use crate::cache::{Cache, Manifest};
use crate::error::Result;
use crate::output::Update;
use crate::site::Site;

/// The cache's state during one build.
pub struct CacheRun {
    /// Whether the cache is used at all.
    pub enabled: bool,
    /// The cache folder.
    pub cache: Cache,
    /// The last build's record (empty for a cold build).
    pub prior: Manifest,
    /// This build's record, filled in as the stages finish.
    pub next: Manifest,
    /// Whether anything the cache records changed (a source read again, a page rendered).
    pub dirty: bool,
    /// For a warm build, the last output checked against its record.
    pub update: Option<Result<Update>>,
}

impl CacheRun {
    /// The cache of the site at `root`, in use when `enabled` and the folder is the site's
    /// own.
    pub fn new(enabled: bool, root: &Path) -> CacheRun {
        let cache = Cache::at(root);
        CacheRun {
            enabled: enabled && cache.is_usable(),
            cache,
            prior: Manifest::default(),
            next: Manifest::default(),
            dirty: false,
            update: None,
        }
    }

    /// Whether the last build's output can be updated in place.
    pub fn warm(&self) -> bool {
        self.enabled && !self.prior.outputs.is_empty()
    }

    /// Save this build's record, unless nothing it records changed. The site is done with:
    /// its pages' metadata moves into the record.
    pub fn save(self, site: Site, output: PathBuf, (outputs, dirs): crate::output::Records) -> Result<()> {
        let (prior, mut next) = (self.prior, self.next);
        let clean = !self.dirty
            && outputs == prior.outputs
            && dirs == prior.dirs
            && next.derived == prior.derived
            && next.search == prior.search
            && next.git == prior.git
            && next.setup == prior.setup;
        // Nothing changed since the last build (the usual rebuild in CI or a watch loop):
        // its record stands, and rewriting it would be most of the work.
        if clean {
            return Ok(());
        }
        for p in site.pages {
            if let Some(e) = next.sources.get_mut(&p.source.rel_path) {
                e.page = Some(p.source);
            }
        }
        next.sources.retain(|_, e| e.page.is_some());
        (next.output, next.outputs, next.dirs) = (output, outputs, dirs);
        self.cache.create()?;
        self.cache.save(next)
    }
}
