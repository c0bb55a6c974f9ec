//! The theme: templates and static files. The default theme is embedded in the binary; a
//! site's `themes/<name>/` and `templates/` override any file by name.

use std::path::Path;

use include_dir::{Dir, include_dir};
use tera::Tera;

use crate::error::{Error, Result};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Mermaid's browser build (MIT; `themes/default/vendor/mermaid/`), which draws the
/// diagrams of the pages that have one.
pub fn mermaid_js() -> &'static [u8] {
    DEFAULT_THEME.get_file("vendor/mermaid/mermaid.min.js").map_or(&[], |f| f.contents())
}

/// Loaded templates plus the static files to copy to the output root.
pub struct Theme {
    /// Parsed templates.
    pub tera: Tera,
    /// (output path, bytes) of static files, later layers overriding earlier ones.
    pub static_files: Vec<(String, Vec<u8>)>,
    /// Digest of every template and static file, for the build cache.
    digest: crate::base::digest::Digest,
    /// The literal `id="…"`s of the templates: a link's `#fragment` may name them too.
    pub ids: Vec<String>,
}

impl Theme {
    /// Load the embedded default theme, then `root/themes/<name>/` (if `name` is not the
    /// embedded default or the folder exists), then `root/templates/` and `root/static/`.
    pub fn load(root: &Path, name: &str) -> Result<Theme> {
        let mut templates: Vec<(String, String)> = Vec::new();
        let mut statics: Vec<(String, Vec<u8>)> = Vec::new();
        collect_embedded(&DEFAULT_THEME, &mut templates, &mut statics);

        let theme_dir = root.join("themes").join(name);
        if theme_dir.is_dir() {
            collect_dir(root, &theme_dir.join("templates"), &mut templates, None)?;
            collect_dir(
                &theme_dir.join("static"),
                &theme_dir.join("static"),
                &mut Vec::new(),
                Some(&mut statics),
            )?;
        } else if name != "default" {
            return Err(Error::config(
                crate::config::CONFIG_FILE,
                format!("theme {name:?} not found: expected a folder {}", theme_dir.display()),
            ));
        }
        collect_dir(root, &root.join("templates"), &mut templates, None)?;
        collect_dir(root, &root.join("static"), &mut Vec::new(), Some(&mut statics))?;

        // Later layers win: keep the last occurrence of each name.
        let mut seen = std::collections::HashSet::new();
        templates.reverse();
        templates.retain(|(n, _)| seen.insert(n.clone()));
        let mut seen = std::collections::HashSet::new();
        statics.reverse();
        statics.retain(|(n, _)| seen.insert(n.clone()));
        statics.sort_by(|a, b| a.0.cmp(&b.0));

        let mut ids: Vec<String> = templates
            .iter()
            .flat_map(|(_, text)| text.split("id=\"").skip(1).filter_map(|r| r.split('"').next()))
            .filter(|id| !id.is_empty() && !id.contains(['{', '}']))
            .map(str::to_string)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        // Tera's default escaper also escapes `/`, bloating every URL in an attribute.
        tera.set_escape_fn(crate::base::html::escape);
        let mut key = crate::base::digest::Key::new();
        templates.sort();
        for (name, text) in &templates {
            key.str(name).str(text);
        }
        for (name, bytes) in &statics {
            key.str(name).bytes(bytes);
        }
        tera.add_raw_templates(templates).map_err(|e| Error::Template(describe_tera(&e)))?;
        super::filters::register(&mut tera);
        Ok(Theme { tera, static_files: statics, digest: key.finish(), ids })
    }

    /// Digest of every template and static file.
    pub fn digest(&self) -> crate::base::digest::Digest {
        self.digest
    }
}

fn collect_embedded(
    dir: &Dir<'static>,
    templates: &mut Vec<(String, String)>,
    statics: &mut Vec<(String, Vec<u8>)>,
) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        if let Some(name) = path.strip_prefix("templates/") {
            templates.push((name.to_string(), String::from_utf8_lossy(file.contents()).into_owned()));
        } else if let Some(name) = path.strip_prefix("static/") {
            statics.push((name.to_string(), file.contents().to_vec()));
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, templates, statics);
    }
}

/// Read every file under `dir` (links followed only while they stay inside the site
/// `root`), named by its path relative to `dir`.
fn collect_dir(
    root: &Path,
    dir: &Path,
    templates: &mut Vec<(String, String)>,
    mut statics: Option<&mut Vec<(String, Vec<u8>)>>,
) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    if !crate::base::confine::is_inside(root, dir) {
        return Err(Error::config(dir, crate::base::confine::OUTSIDE));
    }
    let base = dir;
    for entry in walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            match e.into_io_error() {
                Some(io) => Error::io("reading", path, io),
                None => Error::config(path, "a link loop under the theme folder"),
            }
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(base).unwrap_or(entry.path());
        let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
        let Some(parts) = parts.filter(|p| p.iter().all(|n| crate::base::text::is_safe_name(n))) else {
            return Err(Error::config(
                entry.path(),
                "the file name has a backslash, a control character or is not UTF-8; rename it",
            ));
        };
        // Hidden files, and the article templates of `kiln new`, which are Markdown.
        if parts.iter().any(|p| p.starts_with('.')) || statics.is_none() && parts[0] == "articles" {
            continue;
        }
        let rel = parts.join("/");
        let bytes = match crate::base::confine::read(root, entry.path()) {
            Ok(b) => b,
            Err(crate::base::confine::ReadError::Io(e)) => return Err(Error::io("reading", entry.path(), e)),
            // A link out of the site: never published (the walk warns about content links).
            Err(_) => continue,
        };
        match statics.as_deref_mut() {
            Some(s) => s.push((rel, bytes)),
            None => templates.push((rel, String::from_utf8_lossy(&bytes).into_owned())),
        }
    }
    Ok(())
}

/// Tera nests the useful part of its errors in `source()`; flatten the chain.
pub fn describe_tera(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut cur: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = cur {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        cur = s.source();
    }
    msg
}
