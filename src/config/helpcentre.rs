//! Settings that make a knowledge base a help centre: the "Was this helpful?" form
//! (`[feedback]`).

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
    let scheme_ok = e.starts_with("https://") && e.len() > 8
        || e.starts_with("http://") && e.len() > 7
        || e.starts_with("mailto:") && e.len() > 7
        || e.starts_with('/') && !e.starts_with("//");
    // The endpoint is written into an attribute and fetched by the script: no spaces,
    // quotes, angle brackets or control characters, whatever the escaping.
    let clean = e.chars().all(|c| c.is_ascii_graphic() && !"\"'<>\\`{}|^".contains(c));
    if !scheme_ok || !clean {
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
