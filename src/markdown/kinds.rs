//! Admonition types and their HTML: which palette a type name (any tool's spelling) takes,
//! its default title, and the wrapper every syntax renders to
//! (`<aside class="admonition admonition-<type>" role="note">`, or `<details>`).

/// Which palette entry a type renders with, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `<aside>` with the given palette class.
    Aside(&'static str),
    /// Collapsible `<details>`.
    Details,
    /// A container without a callout look (`code-group`).
    Div(&'static str),
    /// No wrapper at all (VitePress `v-pre`, `raw`).
    Transparent,
}

/// Map a type name (any case) to how it renders; `None` for unknown types.
pub fn kind_of(name: &str) -> Option<Kind> {
    let n = name.to_ascii_lowercase();
    Some(match n.as_str() {
        "note" | "quote" | "cite" | "seealso" => Kind::Aside("note"),
        "tip" | "hint" | "question" | "help" | "faq" => Kind::Aside("tip"),
        "info" | "abstract" | "summary" | "tldr" | "todo" | "example" => Kind::Aside("info"),
        "success" | "check" | "done" => Kind::Aside("success"),
        "important" => Kind::Aside("important"),
        "warning" | "attention" => Kind::Aside("warning"),
        "caution" => Kind::Aside("caution"),
        "danger" | "error" | "failure" | "fail" | "missing" | "bug" => Kind::Aside("danger"),
        "details" => Kind::Details,
        "code-group" => Kind::Div("code-group"),
        "v-pre" | "raw" => Kind::Transparent,
        _ => return None,
    })
}

/// Default title for a type: its name, capitalised (`bug` → "Bug").
pub fn default_title(name: &str) -> String {
    let lower = name.to_ascii_lowercase().replace(['-', '_'], " ");
    let mut c = lower.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Opening HTML for an admonition. `original` is the type as written (kept as an extra
/// class so themes can style MkDocs' `bug` apart from `danger`); `title_html` is rendered
/// inline Markdown, `title_text` its plain form for the accessible label.
pub fn open_html(kind: Kind, original: &str, title_html: &str, title_text: &str, open: bool) -> String {
    let extra = {
        let o = crate::base::slug::slugify(original);
        match kind {
            Kind::Aside(p) if o != p && !o.is_empty() => format!(" admonition-{o}"),
            _ => String::new(),
        }
    };
    match kind {
        Kind::Aside(palette) => {
            // A custom title would hide the type ("Before you start" is a warning): screen
            // readers get "Warning: Before you start", as label and as the title's words.
            let kind_name = crate::base::html::escape(&default_title(original));
            let title = title_text.trim();
            let (label, spoken) = if title.is_empty() {
                (kind_name.clone(), format!("<span class=\"visually-hidden\">{kind_name}</span>"))
            } else if title.eq_ignore_ascii_case(&default_title(original)) {
                (crate::base::html::escape(title), String::new())
            } else {
                let label = format!("{kind_name}: {}", crate::base::html::escape(title));
                (label, format!("<span class=\"visually-hidden\">{kind_name}: </span>"))
            };
            format!(
                "<aside class=\"admonition admonition-{palette}{extra}\" role=\"note\" aria-label=\"{label}\"><p class=\"admonition-title\">{spoken}{title_html}</p>"
            )
        }
        Kind::Details => format!(
            "<details class=\"admonition admonition-details\"{}><summary class=\"admonition-title\">{title_html}</summary>",
            if open { " open" } else { "" }
        ),
        Kind::Div(class) => format!("<div class=\"{class}\">"),
        Kind::Transparent => String::new(),
    }
}

/// Closing HTML matching [`open_html`].
pub fn close_html(kind: Kind) -> &'static str {
    match kind {
        Kind::Aside(_) => "</aside>",
        Kind::Details => "</details>",
        Kind::Div(_) => "</div>",
        Kind::Transparent => "",
    }
}
