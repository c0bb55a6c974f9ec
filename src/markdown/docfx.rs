//! docfx (Microsoft Learn) syntax found in real support articles: `[!INCLUDE]` lines,
//! `> [!div …]` markers, `> [!VIDEO …]` players and `:::image …:::` directives, which may
//! sit anywhere in a line.

use std::fmt::Write;

/// `key="value"` from an attribute string.
pub fn attr_value<'a>(attrs: &'a str, key: &str) -> Option<&'a str> {
    let start = attrs.find(&format!("{key}=\""))? + key.len() + 2;
    let len = attrs[start..].find('"')?;
    Some(&attrs[start..start + len])
}

/// docfx `[!INCLUDE [title](path)]`, possibly inside a block quote.
pub fn include_target(trimmed: &str) -> Option<&str> {
    let t = trimmed.strip_prefix('>').map_or(trimmed, str::trim_start);
    let rest = t.strip_prefix("[!INCLUDE")?.trim_start();
    let rest = rest.strip_prefix('[')?;
    let rest = &rest[rest.find("](")? + 2..];
    let rest = rest.trim_end().strip_suffix(")]")?;
    Some(rest.trim())
}

/// docfx `> [!VIDEO https://…]`: the video's address (http or https only).
pub fn video_target(trimmed: &str) -> Option<&str> {
    let t = trimmed.strip_prefix('>').map_or(trimmed, str::trim_start);
    let url = t.strip_prefix("[!VIDEO ")?.trim_end().strip_suffix(']')?.trim();
    (url.starts_with("https://") || url.starts_with("http://")).then_some(url)
}

/// The embedded player for a docfx video: the author's video, named for screen readers, with
/// a link to it for readers whose browser blocks the frame.
pub fn video_html(url: &str) -> String {
    let url = crate::base::html::escape(url);
    format!(
        "<figure class=\"kiln-video\"><iframe src=\"{url}\" title=\"Video\" loading=\"lazy\" allowfullscreen referrerpolicy=\"no-referrer\"></iframe><figcaption><a href=\"{url}\">Open the video</a></figcaption></figure>"
    )
}

/// A `> [!NOTE]`-style alert marker line (GitHub's five types; docfx writes them too).
pub fn is_alert_marker(trimmed: &str) -> bool {
    let Some(rest) = trimmed.strip_prefix('>').map(str::trim) else { return false };
    ["[!NOTE]", "[!TIP]", "[!IMPORTANT]", "[!WARNING]", "[!CAUTION]"]
        .iter()
        .any(|m| rest.eq_ignore_ascii_case(m))
}

/// docfx `> [!div class="…"]` markers carry no content.
pub fn is_docfx_div_marker(trimmed: &str) -> bool {
    trimmed
        .strip_prefix('>')
        .is_some_and(|r| r.trim_start().starts_with("[!div ") && r.trim_end().ends_with(']'))
}

/// Replace docfx `:::image type="…" source="x.png" alt-text="…":::` (anywhere in a line)
/// with a Markdown image, so that asset links are resolved like any other; drop
/// `:::image-end:::`.
pub fn replace_inline_images(line: &str) -> String {
    if !line.contains(":::image") {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find(":::image") {
        let after = &rest[start + 8..];
        let Some(end) = after.find(":::") else { break };
        out.push_str(&rest[..start]);
        let attrs = &after[..end];
        if let Some(src) = attr_value(attrs, "source") {
            let alt = attr_value(attrs, "alt-text").unwrap_or("").replace(['[', ']'], "");
            let _ = write!(out, "![{alt}](<{src}>)");
        }
        rest = &after[end + 3..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn videos() {
        assert_eq!(video_target("> [!VIDEO https://x.example/embed/1]"), Some("https://x.example/embed/1"));
        assert_eq!(video_target("[!VIDEO javascript:alert(1)]"), None);
        assert!(video_html("https://x/?a=1&b=\"2\"").contains("src=\"https://x/?a=1&amp;b=&quot;2&quot;\""));
    }

    #[test]
    fn include_targets() {
        assert_eq!(include_target("[!INCLUDE [t](../inc/a.md)]"), Some("../inc/a.md"));
        assert_eq!(include_target("> [!INCLUDE [t](a.md)]"), Some("a.md"));
        assert_eq!(include_target("[!NOTE]"), None);
    }

    #[test]
    fn images_anywhere_in_a_line() {
        let l = replace_inline_images("a :::image type=\"icon\" source=\"x.png\"::: b :::image-end:::");
        assert_eq!(l, "a ![](<x.png>) b ");
    }

    #[test]
    fn div_markers() {
        assert!(is_docfx_div_marker("> [!div class=\"nextstepaction\"]"));
        assert!(!is_docfx_div_marker("> [!NOTE]"));
    }
}
