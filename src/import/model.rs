//! A helpdesk knowledge base as both vendors' exports read into one shape: a tree of
//! sections (categories, folders, sub-folders) holding articles, each with its translations.

/// Which helpdesk the export came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vendor {
    /// Freshdesk Solutions: category → folder → sub-folder → article.
    Freshdesk,
    /// Zendesk Guide: category → section → sub-section → article.
    Zendesk,
}

impl Vendor {
    /// The name used in commands, the manifest and front matter `extra`.
    pub fn name(self) -> &'static str {
        match self {
            Vendor::Freshdesk => "freshdesk",
            Vendor::Zendesk => "zendesk",
        }
    }
}

/// The whole knowledge base.
#[derive(Debug, Default)]
pub struct Kb {
    /// Categories first, then folders/sections, each after its parent.
    pub sections: Vec<Section>,
    /// Articles in the source's order.
    pub articles: Vec<Article>,
    /// The language of the articles themselves (Zendesk's default locale).
    pub default_locale: Option<String>,
    /// The other languages articles are translated into.
    pub locales: Vec<String>,
    /// The articles' own language as they state it, when the export has no locale list.
    pub source_locale: Option<String>,
}

/// A category (no parent) or a folder/section.
#[derive(Debug, Clone)]
pub struct Section {
    /// The source's id.
    pub id: u64,
    /// Unique among sections: `c<id>` for a category, `f<id>`/`s<id>` for a folder/section
    /// (the vendors number categories and folders apart).
    pub key: String,
    /// The containing section's key; `None` for a category.
    pub parent: Option<String>,
    /// Its label.
    pub name: String,
    /// Its description (plain text or HTML as the source has it).
    pub description: Option<String>,
    /// Where the source places it among its siblings (lower first).
    pub position: Option<i64>,
    /// Only agents may see it (and everything in it).
    pub internal: bool,
    /// Its old paths on the helpdesk's site.
    pub old_paths: Vec<String>,
    /// Its label and description in other languages.
    pub translations: Vec<SectionTranslation>,
}

/// A category's or section's label in another language (Zendesk's per-locale lists).
#[derive(Debug, Clone)]
pub struct SectionTranslation {
    /// Its locale.
    pub locale: String,
    /// Its label.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// Its old paths in that locale.
    pub old_paths: Vec<String>,
}

/// One article.
#[derive(Debug, Clone, Default)]
pub struct Article {
    /// The source's id.
    pub id: u64,
    /// The key of the section holding it.
    pub section: String,
    /// Its title.
    pub title: String,
    /// Its body, HTML.
    pub body: String,
    /// A one-line summary (Freshdesk's SEO meta description).
    pub description: Option<String>,
    /// Tags / labels.
    pub tags: Vec<String>,
    /// Created, RFC 3339.
    pub created: Option<String>,
    /// Last updated or edited, RFC 3339.
    pub updated: Option<String>,
    /// Not published.
    pub draft: bool,
    /// Where the source places it in its section.
    pub position: Option<i64>,
    /// Promoted (Zendesk).
    pub featured: bool,
    /// Only agents (or a user segment) may see it.
    pub internal: bool,
    /// Old paths on the helpdesk's site (`/support/solutions/articles/1-title`, `/hc/en-us/articles/1`).
    pub old_paths: Vec<String>,
    /// Ids, votes and views kept under `extra.<vendor>`.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Files attached to it (name as saved under `attachments/<id>/`, URL at the source).
    pub attachments: Vec<Attachment>,
    /// Its translations.
    pub translations: Vec<Translation>,
}

/// A file an article carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The source's id, when it has one (Freshdesk inline images are found by it).
    pub id: Option<u64>,
    /// The file name, made safe.
    pub name: String,
    /// Where it is downloaded from.
    pub url: String,
}

/// An article in another language.
#[derive(Debug, Clone, Default)]
pub struct Translation {
    /// Its locale (`fr`, `pt-br`).
    pub locale: String,
    /// Its title.
    pub title: String,
    /// Its body, HTML.
    pub body: String,
    /// Not published.
    pub draft: bool,
    /// Created, RFC 3339.
    pub created: Option<String>,
    /// Last updated, RFC 3339.
    pub updated: Option<String>,
    /// Old paths of the translated page.
    pub old_paths: Vec<String>,
}

/// A file name from the source made safe to write: its last path segment, percent-decoded,
/// with anything but letters, digits, `.`, `-` and `_` made `-`; never empty, `.` or `..`.
pub fn safe_file_name(raw: &str) -> String {
    let raw = raw.split(['?', '#']).next().unwrap_or("");
    let last = raw.rsplit('/').next().unwrap_or("");
    let decoded = crate::base::percent::decode(last);
    let mut name: String =
        decoded.chars().map(|c| if c.is_alphanumeric() || "._-".contains(c) { c } else { '-' }).collect();
    name = name.trim_matches(['.', '-']).to_string();
    if name.is_empty() {
        name = "file".into();
    }
    if name.len() > 120 {
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_string()).filter(|e| e.len() <= 10);
        let stem: String = name.chars().take(100).collect();
        name = match ext {
            Some(e) => format!("{stem}.{e}"),
            None => stem,
        };
    }
    name
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names_are_made_safe() {
        use super::safe_file_name as s;
        assert_eq!(s("https://x/a/My%20Guide%20(v2).pdf?token=1"), "My-Guide--v2-.pdf");
        assert_eq!(s("../../etc/passwd"), "passwd");
        assert_eq!(s(".."), "file");
        assert_eq!(s("https://x/"), "file");
        assert_eq!(s("..%2F..%2Fx"), "x");
    }
}
