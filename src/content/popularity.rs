//! Page views from the site's analytics, exported as `data/popularity.csv` (`url,views`),
//! for the "Popular" blocks. Read at build time like the content: a row Kiln cannot read is
//! a warning at its line, never the end of the build.

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// Where the views are read from, under the site root.
pub const POPULARITY_FILE: &str = "data/popularity.csv";

/// Views by site-absolute URL path (`/accounts/reset/`); empty without the file.
pub fn read(root: &Path, diags: &Diagnostics) -> HashMap<String, u64> {
    use crate::base::confine::{ReadError, read_to_string};
    let text = match read_to_string(root, &root.join(POPULARITY_FILE)) {
        Ok(t) => t,
        Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => return HashMap::new(),
        Err(e) => {
            diags.push(Diagnostic::warning(POPULARITY_FILE, format!("not read: {e}")));
            return HashMap::new();
        }
    };
    let mut views: HashMap<String, u64> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (url, count) = line.rsplit_once(',').unwrap_or((line, ""));
        let count = count.trim().trim_matches('"');
        let Ok(n) = count.parse::<u64>() else {
            // A first line of names is a header, not a mistake.
            if i > 0 || count.chars().any(|c| c.is_ascii_digit()) {
                let col = line.len() - count.len();
                diags.push(
                    Diagnostic::warning(
                        POPULARITY_FILE,
                        format!("{count:?} is not a number of views (rows are `url,views`); row skipped"),
                    )
                    .at(i + 1, Some(col.max(1))),
                );
            }
            continue;
        };
        *views.entry(url_path(url.trim().trim_matches('"'))).or_default() += n;
    }
    views
}

/// The path of a URL as the site writes it: origin, query and fragment dropped, a `/` at
/// both ends of a page URL (`https://kb.example.com/a/b?x=1` → `/a/b/`).
pub fn url_path(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r.find('/').map_or("/", |i| &r[i..]));
    let path = rest.split(['?', '#']).next().unwrap_or("/");
    let mut out = if path.starts_with('/') { path.to_string() } else { format!("/{path}") };
    let last = out.rsplit('/').next().unwrap_or("");
    if !out.ends_with('/') && !last.contains('.') {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::url_path;

    #[test]
    fn urls_become_site_paths() {
        for (url, want) in [
            ("https://kb.example.com/a/b/?utm=1#x", "/a/b/"),
            ("https://kb.example.com", "/"),
            ("/a/b", "/a/b/"),
            ("a/b/", "/a/b/"),
            ("/a/page.html", "/a/page.html"),
        ] {
            assert_eq!(url_path(url), want, "{url}");
        }
    }
}
