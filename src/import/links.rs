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
