//! The served site lives in memory: builds write into a [`MemorySink`], and requests are
//! answered from a map of output paths. No request ever touches the file system, so no
//! URL — `..`, `%2e%2e`, backslashes, symlinks — can reach a file outside the site.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::error::Result;
use crate::output::Sink;

/// Output files by `/`-separated path (`a/b/index.html`).
pub type Files = HashMap<String, Arc<[u8]>>;

/// A sink that keeps what it is given.
#[derive(Debug, Default)]
pub struct MemorySink {
    files: Mutex<Files>,
}

impl Sink for MemorySink {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        crate::output::check_rel(rel)?;
        self.files.lock().unwrap_or_else(|e| e.into_inner()).insert(rel.to_string(), bytes.into());
        Ok(())
    }
}

impl MemorySink {
    /// The files written so far.
    pub fn into_files(self) -> Files {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

/// What a request path resolves to.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file of the site.
    File(String),
    /// A folder asked for without its trailing slash: redirect here.
    Redirect(String),
    /// Nothing there.
    NotFound,
    /// A path no file can have (`..`, backslash, NUL, bad escapes).
    Bad,
}

/// Resolve the raw (still percent-encoded) path of a request against `files`.
pub fn resolve(raw_path: &str, files: &Files) -> Resolved {
    let Some(path) = crate::base::percent::decode_strict(raw_path) else { return Resolved::Bad };
    if path.contains(['\\', '\0']) || !path.starts_with('/') {
        return Resolved::Bad;
    }
    let rel = &path[1..];
    if rel.split('/').any(|seg| seg == ".." || seg == ".") {
        return Resolved::Bad;
    }
    if rel.is_empty() || rel.ends_with('/') {
        let index = format!("{rel}index.html");
        return if files.contains_key(&index) { Resolved::File(index) } else { Resolved::NotFound };
    }
    if files.contains_key(rel) {
        return Resolved::File(rel.to_string());
    }
    if files.contains_key(&format!("{rel}/index.html")) {
        return Resolved::Redirect(format!("{path}/"));
    }
    Resolved::NotFound
}

/// The `Content-Type` for an output path.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

/// The URL path of an output file: `a/b/index.html` → `/a/b/`.
pub fn url_of(rel: &str) -> String {
    match rel.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{rel}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Files {
        ["index.html", "a/index.html", "a/b/index.html", "assets/style.css", "img/é.png"]
            .into_iter()
            .map(|p| (p.to_string(), Arc::from(&b"x"[..])))
            .collect()
    }

    #[test]
    fn pretty_urls_and_files() {
        let f = site();
        assert_eq!(resolve("/", &f), Resolved::File("index.html".into()));
        assert_eq!(resolve("/a/b/", &f), Resolved::File("a/b/index.html".into()));
        assert_eq!(resolve("/a/b", &f), Resolved::Redirect("/a/b/".into()));
        assert_eq!(resolve("/assets/style.css", &f), Resolved::File("assets/style.css".into()));
        assert_eq!(resolve("/img/%C3%A9.png", &f), Resolved::File("img/é.png".into()));
        assert_eq!(resolve("/nope/", &f), Resolved::NotFound);
    }

    #[test]
    fn traversal_is_refused() {
        let f = site();
        for bad in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/a/..%5c..%5cetc",
            "/a\\..\\..\\etc",
            "/%00",
            "/%zz",
            "/%ff",
            "/./index.html",
        ] {
            assert_eq!(resolve(bad, &f), Resolved::Bad, "{bad}");
        }
    }

    #[test]
    fn urls_of_outputs() {
        assert_eq!(url_of("index.html"), "/");
        assert_eq!(url_of("a/b/index.html"), "/a/b/");
        assert_eq!(url_of("assets/style.css"), "/assets/style.css");
    }
}
