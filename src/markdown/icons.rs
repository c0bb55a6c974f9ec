//! Icon shortcodes as MkDocs Material writes them — `:material-account:`,
//! `:octicons-mark-github-16:`, `:fontawesome-brands-github:`, `:simple-github:` — drawn as
//! inline SVG from the sets bundled in the binary (`vendor/icons/`, made by
//! `scripts/icons.py`: Material Design Icons, Apache-2.0; Octicons, MIT; Font Awesome Free,
//! CC BY 4.0, its attribution kept in each icon; Simple Icons, CC0). The table is unpacked
//! the first time a page uses an icon, so sites without one never pay for it.

use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

use crate::base::html::escape;

static PACKED: &[u8] = include_bytes!("../../vendor/icons/icons.tsv.gz");
const PREFIXES: [&str; 4] = ["material-", "octicons-", "fontawesome-", "simple-"];
const FONT_AWESOME: &str = "<!-- Font Awesome Free by @fontawesome - https://fontawesome.com License - https://fontawesome.com/license/free (Icons: CC BY 4.0) -->";

/// Icon name → (viewBox, inner SVG).
fn table() -> &'static HashMap<String, (String, String)> {
    static TABLE: OnceLock<HashMap<String, (String, String)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut text = String::new();
        // The table is part of the binary: it cannot be unreadable but by a build error,
        // which the tests catch; an empty table then leaves the shortcodes as text.
        let _ = flate2::read::GzDecoder::new(PACKED).read_to_string(&mut text);
        text.lines()
            .filter_map(|l| {
                let mut parts = l.splitn(3, '\t');
                Some((parts.next()?.to_string(), (parts.next()?.to_string(), parts.next()?.to_string())))
            })
            .collect()
    })
}

/// The HTML of a run of text with its icon shortcodes drawn, or `None` when it has none.
/// Shortcodes of a bundled set that name no icon are returned apart, to be reported.
pub(super) fn draw(text: &str) -> Option<(String, Vec<String>)> {
    if !text.contains(':') || !PREFIXES.iter().any(|p| text.contains(p)) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 512);
    let mut unknown = Vec::new();
    let mut rest = text;
    let mut drawn = false;
    while let Some(i) = rest.find(':') {
        let after = &rest[i + 1..];
        let name = after.find(':').map(|n| &after[..n]).filter(|n| {
            PREFIXES.iter().any(|p| n.starts_with(p))
                && n.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        });
        let Some(name) = name else {
            out.push_str(&escape(&rest[..=i]));
            rest = after;
            continue;
        };
        out.push_str(&escape(&rest[..i]));
        match table().get(name) {
            Some((view, inner)) => {
                let credit = if name.starts_with("fontawesome-") { FONT_AWESOME } else { "" };
                out.push_str(&format!(
                    "<svg class=\"kiln-icon\" viewBox=\"{}\" width=\"1em\" height=\"1em\" fill=\"currentColor\" aria-hidden=\"true\" focusable=\"false\">{credit}{inner}</svg>",
                    escape(view)
                ));
                drawn = true;
            }
            None => {
                out.push_str(&escape(&format!(":{name}:")));
                unknown.push(name.to_string());
            }
        }
        rest = &after[name.len() + 1..];
    }
    out.push_str(&escape(rest));
    (drawn || !unknown.is_empty()).then_some((out, unknown))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_set_draws_and_unknown_names_are_told() {
        assert!(table().len() > 10_000, "{}", table().len());
        let (html, unknown) =
            draw("Go :material-arrow-right: :octicons-mark-github-16: :fontawesome-brands-github: :simple-github: <now>")
                .unwrap();
        assert_eq!(html.matches("<svg class=\"kiln-icon\"").count(), 4, "{html}");
        assert!(html.starts_with("Go <svg") && html.ends_with(" &lt;now&gt;"), "{html}");
        assert!(
            html.contains("fontawesome.com/license/free"),
            "Font Awesome's attribution travels with its icons"
        );
        assert!(unknown.is_empty());
        let (html, unknown) = draw("a :material-no-such-icon: b").unwrap();
        assert_eq!(
            (html.as_str(), unknown),
            ("a :material-no-such-icon: b", vec!["material-no-such-icon".to_string()])
        );
        assert!(draw("10:30 and :tada: and :materialistic:").is_none());
    }
}
