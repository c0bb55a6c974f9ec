//! Resolving the links written in a page (`../other.md#fix`, `media/shot.png`) to paths
//! under the content folder, so the site model can map them to URLs.

use serde::{Deserialize, Serialize};

/// A link in a page that can only be checked once every page is rendered: one to a heading
/// on another page or this one, or to a URL of the built site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// The target as written (empty for a link to a page without a fragment, which is
    /// never reported).
    pub href: String,
    /// What it points at.
    pub target: Target,
    /// 1-based file line of the link.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
}

/// Where a [`Link`] points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// A `#fragment` (decoded, no `#`) on the article or section index whose source is
    /// `rel` (content-relative).
    Page {
        /// Content-relative source path.
        rel: String,
        /// The fragment.
        fragment: String,
    },
    /// A `#fragment` (decoded, no `#`) on the same page.
    Here(String),
    /// A local URL left as written (no source file matched it), which the browser
    /// resolves against the page's URL: it must name a file of the built site.
    Url(String),
}

/// Content-relative paths of the page a link without a Markdown extension may mean, as
/// VitePress and Docusaurus read them: `./routing` and `routing.html` mean `routing.md`,
/// `../guide/` means `guide/index.md` (or `_index.md`, `README.md`).
pub fn page_candidates(path: &str) -> Vec<String> {
    if path.is_empty() {
        return Vec::new();
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    if let Some(stem) = lower.strip_suffix(".html").or_else(|| lower.strip_suffix(".htm")) {
        let cut = path.len() - (name.len() - stem.len());
        return vec![format!("{}.md", &path[..cut]), format!("{}.mdx", &path[..cut])];
    }
    if name.contains('.') {
        return Vec::new();
    }
    ["{}.md", "{}.mdx", "{}/index.md", "{}/index.mdx", "{}/_index.md", "{}/README.md"]
        .iter()
        .map(|f| f.replace("{}", path))
        .collect()
}

/// The `(attribute, value, byte offset of the attribute)` of every `href`, `src`, `id` and
/// `name` attribute in a piece of raw HTML (quoted or not), for the links and anchors of
/// pasted HTML.
pub fn html_attrs(html: &str) -> Vec<(&'static str, &str, usize)> {
    let mut out = Vec::new();
    let bytes = html.as_bytes();
    let lower = html.to_ascii_lowercase();
    for name in ["href", "src", "id", "name"] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(name).map(|i| i + from) {
            from = i + name.len();
            // An attribute name starts after whitespace inside a tag and is followed by `=`.
            if i == 0 || !bytes[i - 1].is_ascii_whitespace() {
                continue;
            }
            let mut j = from;
            while j < bytes.len() && bytes[j] == b' ' {
                j += 1;
            }
            if bytes.get(j) != Some(&b'=') {
                continue;
            }
            j += 1;
            while j < bytes.len() && bytes[j] == b' ' {
                j += 1;
            }
            let (start, end) = match bytes.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let Some(e) = html[j + 1..].find(q as char) else { continue };
                    (j + 1, j + 1 + e)
                }
                Some(_) => {
                    let e = html[j..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .unwrap_or(html.len() - j);
                    (j, j + e)
                }
                None => continue,
            };
            out.push((name, &html[start..end], i));
        }
    }
    out.sort_by_key(|a| a.2);
    out
}

/// A link split into a content-relative path and the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalLink {
    /// `/`-separated path relative to the content folder, `.`/`..` resolved, decoded.
    pub path: String,
    /// `#fragment` including the `#`, or empty.
    pub fragment: String,
}

/// Is this an external or in-page link that Kiln leaves alone?
pub fn is_external(href: &str) -> bool {
    let scheme_end = href.find(':');
    let has_scheme = scheme_end
        .is_some_and(|i| i > 0 && href[..i].chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)));
    has_scheme || href.starts_with("//") || href.starts_with('#') || href.is_empty()
}

/// Resolve `href` written in the page at `page_rel` (content-relative). `None` for external
/// links and for paths that climb above the content folder.
pub fn resolve(page_rel: &str, href: &str) -> Option<LocalLink> {
    if is_external(href) {
        return None;
    }
    let (before_frag, fragment) = match href.find('#') {
        Some(i) => (&href[..i], href[i..].to_string()),
        None => (href, String::new()),
    };
    let path_part = before_frag.split('?').next().unwrap_or("");
    // Browsers read `\` as `/` in http(s) URLs, and Windows authors write `.\media\x.png`.
    let decoded = crate::base::percent::decode(path_part).replace('\\', "/");
    let mut parts: Vec<&str> = Vec::new();
    if !decoded.starts_with('/') {
        parts.extend(page_rel.split('/'));
        parts.pop();
    }
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(LocalLink { path: parts.join("/"), fragment })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_and_absolute() {
        let l = resolve("a/b/page.md", "../c/x.md#fix").unwrap();
        assert_eq!(l.path, "a/c/x.md");
        assert_eq!(l.fragment, "#fix");
        assert_eq!(resolve("a/page.md", "/top.md").unwrap().path, "top.md");
        assert_eq!(resolve("a/page.md", "media/a%20b.png").unwrap().path, "a/media/a b.png");
        assert_eq!(resolve("page.md", "../../etc/passwd"), None);
        assert_eq!(resolve("page.md", "%é%2").unwrap().path, "%é%2", "no panic on odd escapes");
    }

    #[test]
    fn externals_are_left_alone() {
        for h in ["https://x.org/a.md", "mailto:a@b.c", "#top", "//cdn/x.js", ""] {
            assert!(resolve("a.md", h).is_none(), "{h}");
        }
    }

    #[test]
    fn candidates_for_extensionless_and_html_links() {
        assert_eq!(page_candidates("guide/routing.html"), vec!["guide/routing.md", "guide/routing.mdx"]);
        assert_eq!(
            page_candidates("guide/routing")[..3],
            ["guide/routing.md", "guide/routing.mdx", "guide/routing/index.md"]
        );
        assert!(page_candidates("media/shot.png").is_empty());
        assert!(page_candidates("").is_empty());
    }

    #[test]
    fn finds_html_attributes() {
        let a = html_attrs("<a href=\"x.md\" id='top' data-href=\"no\">y</a><img src=p.png>");
        let got: Vec<_> = a.iter().map(|(n, v, _)| (*n, *v)).collect();
        assert_eq!(got, vec![("href", "x.md"), ("id", "top"), ("src", "p.png")]);
    }
}
