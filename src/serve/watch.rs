//! Watching the site for saves: notify events, editors' swap and temp files dropped, and
//! bursts (an editor's write-rename-chmod, a `git checkout`) debounced into one batch.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use crate::error::{Error, Result};

/// Quiet time that closes a batch of changes.
const DEBOUNCE: Duration = Duration::from_millis(30);

/// A running watcher; changes arrive through [`Watch::next_batch`].
pub struct Watch {
    _watcher: notify::RecommendedWatcher,
    rx: mpsc::Receiver<PathBuf>,
    root: PathBuf,
    output: PathBuf,
    sources: Vec<String>,
}

impl Watch {
    /// Watch everything under the site root that feeds the build.
    pub fn new(root: &Path) -> Result<Watch> {
        let root = std::fs::canonicalize(root).map_err(|e| Error::io("reading", root, e))?;
        let (tx, rx) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            if let Ok(event) = res
                && !matches!(event.kind, notify::EventKind::Access(_))
            {
                for p in event.paths {
                    let _ = tx.send(p);
                }
            }
        })
        .map_err(|e| Error::usage_at(&root, format!("cannot watch {}: {e}", root.display())))?;
        watcher
            .watch(&root, RecursiveMode::Recursive)
            .map_err(|e| Error::usage_at(&root, format!("cannot watch {}: {e}", root.display())))?;
        // `kiln build` output inside the site must not trigger rebuilds (serve never writes
        // it, but a build run beside the preview does).
        let config = crate::config::SiteConfig::load(&root).unwrap_or_default();
        let output = root.join(&config.output_dir);
        Ok(Watch { _watcher: watcher, rx, root, output, sources: sources(&config) })
    }

    /// Block until something relevant changed, then return the batch (paths relative to the
    /// site root, `/`-separated), or `None` when the watcher stopped.
    pub fn next_batch(&self) -> Option<BTreeSet<String>> {
        self.next_batch_until(None)
    }

    /// [`Watch::next_batch`], giving up at `deadline` (then `None`).
    pub fn next_batch_until(&self, deadline: Option<std::time::Instant>) -> Option<BTreeSet<String>> {
        loop {
            let first = match deadline {
                Some(d) => {
                    self.rx.recv_timeout(d.saturating_duration_since(std::time::Instant::now())).ok()?
                }
                None => self.rx.recv().ok()?,
            };
            let mut batch = BTreeSet::new();
            self.add(&mut batch, first);
            while let Ok(p) = self.rx.recv_timeout(DEBOUNCE) {
                self.add(&mut batch, p);
            }
            if !batch.is_empty() {
                return Some(batch);
            }
        }
    }

    fn add(&self, batch: &mut BTreeSet<String>, path: PathBuf) {
        if path.starts_with(&self.output) {
            return;
        }
        if let Ok(rel) = path.strip_prefix(&self.root) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            if relevant(&rel, &self.sources) {
                batch.insert(rel);
            }
        }
    }
}

/// The files and folders (relative to the site root, `/`-separated) whose changes concern
/// the build. A snippet folder that is the whole site (`.`) is left out: every save
/// anywhere would rebuild.
pub fn sources(config: &crate::config::SiteConfig) -> Vec<String> {
    let mut s: Vec<String> = [
        crate::config::CONFIG_FILE,
        crate::config::MKDOCS_FILE,
        "templates",
        "themes",
        "static",
        crate::content::popularity::POPULARITY_FILE,
    ]
    .map(String::from)
    .to_vec();
    if config.per_language_content() {
        let rel = config.content_rel();
        let pattern = crate::config::languages::LANG_PLACEHOLDER;
        s.extend(config.language_list().iter().map(|l| rel.replace(pattern, &l.folder)));
    } else {
        s.push(config.content_rel());
    }
    for dir in &config.markdown.snippet_dirs {
        let dir = dir.trim_start_matches("./").trim_end_matches('/');
        if !dir.is_empty() && dir != "." {
            s.push(dir.to_string());
        }
    }
    s
}

/// Does a change at `rel` (relative to the site root) concern the build, whose `sources`
/// are these?
pub fn relevant(rel: &str, sources: &[String]) -> bool {
    if !sources.iter().any(|s| rel == s || rel.strip_prefix(s.as_str()).is_some_and(|r| r.starts_with('/'))) {
        return false;
    }
    let name = rel.rsplit('/').next().unwrap_or(rel);
    !is_editor_temp(name)
}

/// Swap, backup and temp files of common editors (Vim, Emacs, JetBrains, VS Code, Kate,
/// gedit), which come and go on every save.
fn is_editor_temp(name: &str) -> bool {
    name.starts_with(".#")
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".kate-swp")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name.ends_with(".crswap")
        || name.starts_with(".goutputstream-")
        || name == ".DS_Store"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_and_other_folders_are_ignored() {
        for yes in
            ["site.toml", "content/a/b.md", "templates/page.html", "themes/x/static/a.css", "static/logo.png"]
        {
            assert!(relevant(yes, &sources(&Default::default())), "{yes}");
        }
        for no in [
            "public/index.html",
            "target/x",
            ".git/index",
            "content/a/.b.md.swp",
            "content/a/b.md~",
            "content/a/.#b.md",
            "content/a/4913",
            "content/a/#b.md#",
            "content/b.md___jb_tmp___",
            "README.md",
        ] {
            assert!(!relevant(no, &sources(&Default::default())), "{no}");
        }
    }
}
