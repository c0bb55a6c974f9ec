//! Old helpdesk URLs: which article, folder or category a path on the helpdesk's site names,
//! in any locale, with or without the slug after the id.

/// What an old path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Old {
    /// An article, by id.
    Article(u64),
    /// A section, by key (`c1`, `f2`, `s3`).
    Section(String),
}

/// The `(article id, fragment)` of every link in an HTML body to another article with a
/// `#fragment`, read from the `href` values as written (no full parse: this runs over every
/// body before any is converted).
pub fn article_fragments(html: &str) -> Vec<(u64, String)> {
    let mut out = Vec::new();
    for part in html.split("href=").skip(1) {
        let Some(quote) = part.chars().next().filter(|c| *c == '"' || *c == '\'') else { continue };
        let Some(value) = part[1..].split(quote).next() else { continue };
        let Some((url, fragment)) = value.split_once('#') else { continue };
        let path = match url.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
            None => url,
        };
        if let Some(Old::Article(id)) = classify(path.split('?').next().unwrap_or(""))
            && !fragment.is_empty()
        {
            out.push((id, fragment.to_string()));
        }
    }
    out
}

/// Read a path: Freshdesk's `/support/solutions/articles/<id>-…`, `/a/solutions/articles/<id>`,
/// `/support/solutions/folders/<id>`, `/support/solutions/<id>` (each maybe after a language
/// segment), Zendesk's `/hc/<locale>/articles/<id>-…`, `/hc/articles/<id>`, `…/sections/<id>`,
/// `…/categories/<id>`.
pub fn classify(path: &str) -> Option<Old> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let at = |name: &str| segments.iter().position(|s| *s == name);
    let id_after = |i: usize| -> Option<u64> {
        let seg = segments.get(i + 1)?;
        let digits: String = seg.chars().take_while(char::is_ascii_digit).collect();
        let rest = &seg[digits.len()..];
        (!digits.is_empty() && (rest.is_empty() || rest.starts_with('-')))
            .then(|| digits.parse().ok())
            .flatten()
    };
    if let Some(s) = at("solutions") {
        // Nothing after the id but the slug: `/support/solutions/articles/1-x/edit` is no article page.
        return match segments.get(s + 1).copied() {
            Some("articles") if segments.len() == s + 3 => id_after(s + 1).map(Old::Article),
            Some("folders") if segments.len() == s + 3 => {
                id_after(s + 1).map(|id| Old::Section(format!("f{id}")))
            }
            Some(_) if segments.len() == s + 2 => id_after(s).map(|id| Old::Section(format!("c{id}"))),
            _ => None,
        };
    }
    let hc = at("hc")?;
    let kind =
        segments.get(hc + 1..)?.iter().position(|s| matches!(*s, "articles" | "sections" | "categories"))?
            + hc
            + 1;
    if kind > hc + 2 || segments.len() != kind + 2 {
        return None;
    }
    let id = id_after(kind)?;
    Some(match segments[kind] {
        "articles" => Old::Article(id),
        "sections" => Old::Section(format!("s{id}")),
        _ => Old::Section(format!("c{id}")),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn fragments_of_links_to_other_articles() {
        let html = "<a href=\"https://x.zendesk.com/hc/en-us/articles/501-SSO#h_01\">a</a>\
                    <a href='/support/solutions/articles/7#step-2'>b</a><a href=\"#own\">c</a>\
                    <a href=\"/hc/articles/9\">d</a><a href=\"/hc/fr/articles/8?x=1#\">e</a>";
        assert_eq!(
            super::article_fragments(html),
            vec![(501, "h_01".to_string()), (7, "step-2".to_string())]
        );
    }

    use super::{Old, classify};

    #[test]
    fn old_paths_of_both_helpdesks() {
        assert_eq!(
            classify("/support/solutions/articles/3001-reset-your-password"),
            Some(Old::Article(3001))
        );
        assert_eq!(classify("/fr/support/solutions/articles/3001"), Some(Old::Article(3001)));
        assert_eq!(classify("/support/solutions/folders/2003"), Some(Old::Section("f2003".into())));
        assert_eq!(classify("/support/solutions/1000"), Some(Old::Section("c1000".into())));
        assert_eq!(classify("/hc/en-us/articles/501-Configure-SSO"), Some(Old::Article(501)));
        assert_eq!(classify("/hc/articles/501"), Some(Old::Article(501)));
        assert_eq!(classify("/hc/fr/sections/20"), Some(Old::Section("s20".into())));
        assert_eq!(classify("/hc/en-us/articles/501x"), None);
        assert_eq!(classify("/blog/articles/501"), None);
    }
}
