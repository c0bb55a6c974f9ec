//! Slugs and readable names: the two ways a raw name becomes part of the site.

/// Lower-case ASCII slug with hyphens, transliterated: "Sécurité & Co" → `securite-co`.
pub fn slugify(s: &str) -> String {
    let ascii = deunicode::deunicode(s);
    let mut out = String::with_capacity(ascii.len());
    let mut pending_dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    out
}

/// A folder or file name made readable: `email-delivery` → "Email delivery".
/// Names that already carry capitals (`Outlook`, `iOS-setup`) keep them.
pub fn readable(name: &str) -> String {
    let spaced: String = name.chars().map(|c| if c == '-' || c == '_' { ' ' } else { c }).collect();
    let spaced = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    if spaced.chars().any(char::is_uppercase) {
        return spaced;
    }
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Why a user-given slug cannot be used: it must stay inside the output folder.
/// `/` is allowed (Docusaurus-style `slug: /guides/admonitions`); `..`, `\\`, drive
/// letters and `~` are not.
pub fn unsafe_slug_reason(raw: &str) -> Option<&'static str> {
    let t = raw.trim();
    if t.contains('\\') {
        Some("contains a backslash")
    } else if t.split('/').any(|p| p.trim() == ".." || p.trim() == ".") {
        Some("has a `.` or `..` segment")
    } else if t.contains(':') || t.starts_with('~') {
        Some("looks like an absolute file path")
    } else {
        None
    }
}

/// A user-given slug as URL segments, each slugified, and whether it starts at the site
/// root (a leading `/`) rather than in the page's folder.
pub fn slug_path(raw: &str) -> (String, bool) {
    let t = raw.trim();
    let segments: Vec<String> = t.split('/').map(slugify).filter(|s| !s.is_empty()).collect();
    (segments.join("/"), t.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_hyphenated() {
        assert_eq!(slugify("Problems & Solutions"), "problems-solutions");
        assert_eq!(slugify("Sécurité"), "securite");
        assert_eq!(slugify("  NDR 550 5.1.8  "), "ndr-550-5-1-8");
        assert_eq!(slugify("Step_2--Done"), "step-2-done");
        assert_eq!(slugify("..."), "");
    }

    #[test]
    fn readable_names() {
        assert_eq!(readable("email-delivery"), "Email delivery");
        assert_eq!(readable("iOS_setup"), "iOS setup");
        assert_eq!(readable("Outlook"), "Outlook");
    }

    #[test]
    fn escaping_slugs_are_caught() {
        assert!(unsafe_slug_reason("../../etc").is_some());
        assert!(unsafe_slug_reason("a/../b").is_some());
        assert!(unsafe_slug_reason("/guides/admonitions").is_none());
        assert_eq!(slug_path("/Guides/Admonitions Page/"), ("guides/admonitions-page".into(), true));
        assert_eq!(slug_path("Nice Slug"), ("nice-slug".into(), false));
        assert!(unsafe_slug_reason("C:\\x").is_some());
        assert!(unsafe_slug_reason("fine-slug").is_none());
    }
}
