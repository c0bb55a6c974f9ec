//! Settings that make a knowledge base a help centre: the "Was this helpful?" form
//! (`[feedback]`), the way to contact support (`[support]`) and review dates (`[review]`).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::Result;

/// `[feedback]`: where the "Was this article helpful?" answers go.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct FeedbackConfig {
    /// Where answers are sent: an `https://` or `http://` URL, a path on this site
    /// (`/api/feedback`), or `mailto:` an address.
    pub endpoint: String,
    /// `post` (default: the form posts, the script posts JSON) or `get` (both send the
    /// fields in the query string).
    pub method: Option<String>,
    /// Constant fields sent with every answer, as form services want them
    /// (`_subject = "KB feedback"`, `form-name = "feedback"`).
    pub fields: BTreeMap<String, String>,
}

/// The names the form itself sends.
pub const FEEDBACK_FIELDS: [&str; 5] = ["url", "title", "language", "answer", "comment"];

impl FeedbackConfig {
    /// The HTTP method, lower case.
    pub fn method(&self) -> &str {
        self.method.as_deref().unwrap_or("post")
    }

    /// Whether answers go to a mail client rather than a server.
    pub fn is_mailto(&self) -> bool {
        self.endpoint.starts_with("mailto:")
    }
}

/// Check `[feedback]` of a parsed `site.toml` (`text`, for the error's place).
pub fn validate_feedback(text: &str, f: &FeedbackConfig) -> Result<()> {
    let e = f.endpoint.as_str();
    // The endpoint is written into an attribute and fetched by the script: no spaces,
    // quotes, angle brackets or control characters, whatever the escaping.
    if !is_safe_target(e) {
        return Err(super::languages::config_error(
            text,
            "endpoint",
            format!(
                "[feedback] endpoint = {e:?} must be an https:// or http:// URL, a path on this site (\"/api/feedback\") or a mailto: address"
            ),
        ));
    }
    if !matches!(f.method(), "post" | "get") {
        return Err(super::languages::config_error(
            text,
            "method",
            format!("[feedback] method = {:?} must be \"post\" or \"get\"", f.method()),
        ));
    }
    for name in f.fields.keys() {
        let ok = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
        if !ok || FEEDBACK_FIELDS.contains(&name.as_str()) {
            return Err(super::languages::config_error(
                text,
                name,
                format!(
                    "[feedback.fields] {name:?}: a field name is letters, digits, `_`, `-` or `.`, and not one the form sends ({})",
                    FEEDBACK_FIELDS.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// `[support]`: the "contact support" link at the end of articles, on the 404 page and
/// when a search finds nothing.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SupportConfig {
    /// The link's words ("Still stuck? Open a ticket").
    pub text: String,
    /// Where it goes: an `https://`/`http://` URL, a path on this site or `mailto:`.
    pub url: String,
    /// Another text or URL for the articles of a category, by category slug.
    pub categories: BTreeMap<String, SupportOverride>,
}

/// `[support.categories.<slug>]`.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SupportOverride {
    /// The link's words for this category.
    pub text: Option<String>,
    /// Its target for this category.
    pub url: Option<String>,
}

impl SupportConfig {
    /// The (text, URL) for an article of category `slug` (`None`: the site's).
    pub fn for_category(&self, slug: Option<&str>) -> (&str, &str) {
        let o = slug.and_then(|s| self.categories.get(s));
        let text = o.and_then(|o| o.text.as_deref()).unwrap_or(&self.text);
        let url = o.and_then(|o| o.url.as_deref()).unwrap_or(&self.url);
        (text, url)
    }
}

/// Whether `url` may be a link target written by Kiln from settings: an http(s) URL, a
/// path on the site or a mailto: address, with nothing that needs escaping.
fn is_safe_target(url: &str) -> bool {
    let scheme_ok = url.starts_with("https://") && url.len() > 8
        || url.starts_with("http://") && url.len() > 7
        || url.starts_with("mailto:") && url.len() > 7
        || url.starts_with('/') && !url.starts_with("//");
    scheme_ok && crate::base::text::is_plain_url(url)
}

/// Check `[support]` of a parsed `site.toml`.
pub fn validate_support(text: &str, s: &SupportConfig) -> Result<()> {
    let urls = std::iter::once(("url", s.url.as_str()))
        .chain(s.categories.values().filter_map(|o| o.url.as_deref()).map(|u| ("url", u)));
    for (key, url) in urls {
        if !is_safe_target(url) {
            // A value written with escapes is not found as it reads: point at the table.
            let needle = if text.contains(url) { url } else { "[support" };
            return Err(super::languages::config_error(
                text,
                needle,
                format!(
                    "[support] {key} = {url:?} must be an https:// or http:// URL, a path on this site or a mailto: address"
                ),
            ));
        }
    }
    if s.text.trim().is_empty() {
        return Err(super::languages::config_error(
            text,
            "[support]",
            "[support] needs a `text` for its link".into(),
        ));
    }
    Ok(())
}

/// `[review]`: when an article is due for review, besides its own `review_by`.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ReviewConfig {
    /// An article is due this many days after its last update (`updated`, git, or `date`).
    pub max_age_days: Option<u32>,
    /// Show a "may be out of date" notice on articles past their review date.
    pub notice: bool,
}

/// `[related]`: the "Related articles" under each article.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RelatedConfig {
    /// How many an article shows at most (pinned ones included); 0 shows none.
    pub limit: usize,
}

impl Default for RelatedConfig {
    fn default() -> Self {
        RelatedConfig { limit: 5 }
    }
}

/// `[print]`: a printable page for every category and folder (`<section>/print/`).
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct PrintConfig {
    /// Write them (off by default: they hold every article a second time).
    pub enabled: bool,
}

/// Who a build is for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// Readers: articles marked `audience: internal` are left out of everything.
    #[default]
    Public,
    /// Agents: everything, internal articles with a badge.
    Internal,
}
