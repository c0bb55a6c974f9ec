//! Resolving the links written in a page (`../other.md#fix`, `media/shot.png`) to paths
//! under the content folder, so the site model can map them to URLs.

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
    let decoded = percent_decode(path_part);
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

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encode the characters of a path that are not safe in an `href`.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
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
    fn encodes_spaces() {
        assert_eq!(encode_path("/a/b c(1).png"), "/a/b%20c(1).png");
    }
}
