//! The build cache: what one `kiln build` leaves in `.kiln-cache/` so that the next one
//! redoes only what changed. Every reuse is decided by a key over the inputs of the thing
//! reused, so a warm build writes exactly the bytes a cold one would:
//!
//! - a source file whose size, modification time and inode are unchanged is not read again;
//!   its parsed front matter comes from here (files changed within two seconds of being
//!   read are never trusted this way, as git does for "racily clean" entries);
//! - an article's Markdown is reused when its file's content hash is unchanged and every
//!   question it asked the site model (a link's target URL, an included file's text) still
//!   gets the same answer ([`Dep`]);
//! - its HTML file is kept when, in addition, the key of everything else its template sees
//!   (section, breadcrumbs, neighbours, sidebar, tags, config, theme) is unchanged;
//! - its search terms are kept in [`terms`] under a key of its text and trail; search files
//!   are kept when the key of their uncompressed bytes (or of their documents) is unchanged;
//! - output files are kept only while their size and modification time are what this
//!   build cache recorded (see [`crate::output::Update`]).
//!
//! `kiln build --no-cache` neither reads nor writes it. A cache from another Kiln version,
//! or one that cannot be read, is ignored.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

pub use crate::base::digest::{Digest, Key, Stamp, digest};
use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};
use crate::markdown::Resolver;

/// Folder under the site root that holds the cache.
pub const DIR: &str = crate::config::CACHE_DIR;
/// Changes whenever what the cache holds, or how output is derived from it, changes.
const VERSION: &str = concat!("kiln ", env!("CARGO_PKG_VERSION"), " cache 5");
const MANIFEST: &str = "build.bin";

/// One answer the site model gave while an article's Markdown was rendered.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Dep {
    /// `page_url(path)` returned a URL (or none) with this digest.
    Page(String, Digest),
    /// `asset_url(path)` returned a URL (or none) with this digest.
    Asset(String, Digest),
    /// `include(path)` returned text (or an error) with this digest.
    Include(String, Digest),
}

impl Dep {
    /// Does the site model still give the same answer?
    pub fn holds(&self, site: &dyn Resolver) -> bool {
        match self {
            Dep::Page(rel, d) => url_digest(&site.page_url(rel)) == *d,
            Dep::Asset(rel, d) => url_digest(&site.asset_url(rel)) == *d,
            Dep::Include(rel, d) => include_digest(&site.include(rel)) == *d,
        }
    }
}

fn url_digest(url: &Option<String>) -> Digest {
    Key::new().opt(url.as_deref()).finish()
}

fn include_digest(r: &std::result::Result<String, String>) -> Digest {
    match r {
        Ok(text) => Key::new().num(1).str(text).finish(),
        Err(why) => Key::new().num(0).str(why).finish(),
    }
}

/// A resolver that notes every question asked of the site model and its answer.
pub struct Recorder<'a> {
    inner: &'a dyn Resolver,
    deps: Mutex<Vec<Dep>>,
}

impl<'a> Recorder<'a> {
    /// Record the questions asked of `inner`.
    pub fn new(inner: &'a dyn Resolver) -> Self {
        Recorder { inner, deps: Mutex::default() }
    }

    /// The answers, sorted and each once.
    pub fn into_deps(self) -> Vec<Dep> {
        let mut deps = self.deps.into_inner().unwrap_or_else(|e| e.into_inner());
        deps.sort_unstable();
        deps.dedup();
        deps
    }

    fn note(&self, d: Dep) {
        self.deps.lock().unwrap_or_else(|e| e.into_inner()).push(d);
    }
}

impl Resolver for Recorder<'_> {
    fn page_url(&self, rel: &str) -> Option<String> {
        let url = self.inner.page_url(rel);
        self.note(Dep::Page(rel.to_string(), url_digest(&url)));
        url
    }

    fn asset_url(&self, rel: &str) -> Option<String> {
        let url = self.inner.asset_url(rel);
        self.note(Dep::Asset(rel.to_string(), url_digest(&url)));
        url
    }

    fn include(&self, rel: &str) -> std::result::Result<String, String> {
        let text = self.inner.include(rel);
        self.note(Dep::Include(rel.to_string(), include_digest(&text)));
        text
    }
}

/// What the last build knew of an article it rendered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageEntry {
    /// Digest of the source it rendered.
    pub hash: Digest,
    /// What its Markdown asked the site model.
    pub deps: Vec<Dep>,
    /// What rendering its Markdown reported.
    pub diagnostics: Vec<Diagnostic>,
    /// Key of its HTML file.
    pub html: Digest,
    /// Its links for the site-wide link check.
    pub links: Vec<crate::markdown::links::Link>,
    /// Its heading ids and anchors.
    pub anchors: Vec<String>,
}

/// Everything the cache remembers of the last build, but the search terms.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Kiln and cache format version.
    pub version: String,
    /// The output folder it describes (absolute).
    pub output: PathBuf,
    /// Digest of the configuration and theme.
    pub setup: Digest,
    /// Articles' sources by content-relative path.
    pub sources: HashMap<String, crate::content::Record>,
    /// Rendered articles by content-relative path.
    pub pages: HashMap<String, PageEntry>,
    /// Output files by output-relative path.
    pub outputs: HashMap<String, crate::output::OutputEntry>,
    /// Modification times of the output's folders (`""` for the output folder).
    pub dirs: HashMap<String, u128>,
    /// Keys of derived files (search files, copied assets) by output path: what they were
    /// made from, which is cheaper to compare than the files.
    pub derived: HashMap<String, Digest>,
    /// Key of the whole search index (every document's terms, in order).
    pub search: Option<Digest>,
    /// Key of the listings, tag, 404 and search pages and the theme's files, and their
    /// paths.
    pub rest: Option<(Digest, Vec<String>)>,
    /// Last-updated dates from git, with the commit they were read at.
    pub git: Option<crate::content::git::GitRecord>,
}

/// The cache folder of a site.
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The cache of the site at `root`.
    pub fn at(root: &Path) -> Cache {
        Cache { dir: root.join(DIR) }
    }

    /// Whether the cache folder is the site's own: a link there (to a folder outside the
    /// site, say) is neither read nor written, and the build is cold.
    pub fn is_usable(&self) -> bool {
        !std::fs::symlink_metadata(&self.dir).is_ok_and(|m| !m.is_dir())
    }

    /// The last build's manifest for `output`, if there is a readable one from this
    /// version. Anything else means a cold build.
    pub fn manifest(&self, output: &Path) -> Option<Manifest> {
        let bytes = std::fs::read(self.dir.join(MANIFEST)).ok()?;
        // The format is not self-describing: the version line guards every read.
        let payload = bytes.strip_prefix(VERSION.as_bytes())?.strip_prefix(b"\n")?;
        let m: Manifest = postcard::from_bytes(payload).ok()?;
        (m.version == VERSION && m.output == output).then_some(m)
    }

    /// Forget the manifest: called before the output folder changes, so that a build
    /// killed half-way is followed by a cold one rather than one trusting stale records.
    pub fn invalidate(&self) -> Result<()> {
        match std::fs::remove_file(self.dir.join(MANIFEST)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(Error::io("removing", self.dir.join(MANIFEST), e))
            }
            _ => Ok(()),
        }
    }

    /// Where the search terms are stored.
    pub fn terms_path(&self) -> PathBuf {
        self.dir.join("terms.bin")
    }

    /// Make the folder (with a `.gitignore` so it is never committed), and remove the
    /// half-written records of builds that were killed (`build.bin.<pid>`, `terms.tmp<pid>`).
    pub fn create(&self) -> Result<()> {
        std::fs::create_dir_all(&self.dir).map_err(|e| Error::io("creating", &self.dir, e))?;
        for e in std::fs::read_dir(&self.dir).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let pid = name.strip_prefix("build.bin.").or_else(|| name.strip_prefix("terms.tmp"));
            if pid.and_then(|p| p.parse().ok()).is_some_and(|p| !crate::base::process::is_running(p)) {
                let _ = std::fs::remove_file(e.path());
            }
        }
        let ignore = self.dir.join(".gitignore");
        if !ignore.exists() {
            std::fs::write(&ignore, "*\n").map_err(|e| Error::io("writing", &ignore, e))?;
        }
        Ok(())
    }

    /// Save the manifest (atomically: written beside, then renamed).
    pub fn save(&self, mut manifest: Manifest) -> Result<()> {
        manifest.version = VERSION.to_string();
        let path = self.dir.join(MANIFEST);
        let tmp = self.dir.join(format!("{MANIFEST}.{}", std::process::id()));
        // Streamed: at 100k pages the record is ~150 MB, which must not be held in memory
        // on top of everything else.
        let file = std::fs::File::create(&tmp).map_err(|e| Error::io("writing", &tmp, e))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        use std::io::Write;
        out.write_all(format!("{VERSION}\n").as_bytes()).map_err(|e| Error::io("writing", &tmp, e))?;
        let out = postcard::to_io(&manifest, out)
            .map_err(|e| Error::internal(Some(tmp.clone()), format!("encoding the build cache: {e}")))?;
        out.into_inner().map_err(|e| Error::io("writing", &tmp, e.into_error()))?;
        std::fs::rename(&tmp, &path).map_err(|e| Error::io("writing", &path, e))
    }
}

/// Digest of what every page depends on: Kiln's version, the configuration and the theme.
pub fn setup_digest(config: &crate::config::SiteConfig, theme: &crate::render::Theme) -> Digest {
    let mut k = Key::new();
    k.str(VERSION);
    k.str(&serde_json::to_string(config).unwrap_or_default());
    k.num(theme.digest());
    k.finish()
}
