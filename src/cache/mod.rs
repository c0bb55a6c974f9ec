//! The build cache: what one `kiln build` leaves in `.kiln-cache/` so that the next one
//! redoes only what changed. Every reuse is decided by a key over the inputs of the thing
//! reused, so a warm build writes exactly the bytes a cold one would:
//!
//! - a source file whose size, modification time and inode are unchanged is not read again;
//!   its parsed front matter comes from here (files changed within two seconds of being
//!   read are never trusted this way, as git does for "racily clean" entries);
//! - an article's Markdown is reused when its file's content hash is unchanged and every
//!   question it asked the site model (a link's target URL, an included file's text) still
//!   gets the same answer ([`crate::markdown::Dep`]);
//! - its HTML file is kept when, in addition, the key of its serialised template context
//!   (with the Markdown's key standing for the Markdown) is unchanged, and so is every
//!   listing page's;
//! - its search terms are kept ([`crate::search::stored`]) under a key of its text and
//!   trail; search files are kept when the key of their uncompressed bytes (or of their
//!   documents) is unchanged;
//! - output files are kept only while their size and modification time are what this
//!   build cache recorded (see [`crate::output::Update`]).
//!
//! The stages never see the cache: each defines what it keeps (`content::Record`,
//! `search::stored`, `output::OutputEntry`) and the small trait through which it is asked
//! (`content::Prior`, `render::Reuse`, `search::write::Reuse`); [`reuse`] answers the
//! last two from the record, and the build wires them in.
//!
//! `kiln build --no-cache` neither reads nor writes it. A cache from another Kiln version,
//! or one that cannot be read, is ignored.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub mod reuse;

use crate::base::digest::{Digest, Key};
use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};

/// Folder under the site root that holds the cache.
pub const DIR: &str = crate::config::CACHE_DIR;
/// Changes whenever what the cache holds, or how output is derived from it, changes.
const VERSION: &str = concat!("kiln ", env!("CARGO_PKG_VERSION"), " cache 11");
const MANIFEST: &str = "build.bin";

/// What the last build knew of an article it rendered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageEntry {
    /// Digest of the source it rendered.
    pub hash: Digest,
    /// What its Markdown asked the site model.
    pub deps: Vec<crate::markdown::Dep>,
    /// What rendering its Markdown reported.
    pub diagnostics: Vec<Diagnostic>,
    /// Key of its HTML file (`None`: no key could be made, so it is never kept).
    pub html: Option<Digest>,
    /// Its links for the site-wide link check.
    pub links: Vec<crate::markdown::links::Link>,
    /// Its heading ids and anchors.
    pub anchors: Vec<String>,
    /// Whether it has a diagram (the build then writes the diagram script).
    pub diagrams: bool,
    /// Its body's most frequent terms, for related articles.
    pub signature: crate::search::related::Signature,
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
    /// Keys of derived files (listings, search files, copied assets) by output path: what
    /// they were made from, which is cheaper to compare than the files.
    pub derived: HashMap<String, Digest>,
    /// Key of the whole search index (every document's terms, in order).
    pub search: Option<Digest>,
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

/// Digest of what every page depends on: Kiln's version, the configuration and the theme;
/// `None` when the configuration cannot be serialised (then nothing may be reused).
pub fn setup_digest(config: &crate::config::SiteConfig, theme: &crate::render::Theme) -> Option<Digest> {
    let mut k = Key::new();
    k.str(VERSION);
    serde_json::to_writer(&mut k, config).ok()?;
    k.num(theme.digest());
    Some(k.finish())
}
