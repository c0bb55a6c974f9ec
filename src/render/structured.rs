//! Structured data for search engines: every article's JSON-LD, a `TechArticle` (headline,
//! description, dates, language, URL) and the `BreadcrumbList` from the home page down to
//! it, as one `@graph`.

use serde_json::{Value, json};

use super::permalink;
use crate::site::{PageId, Site};

/// The JSON-LD of article `id`, ready for a `<script type="application/ld+json">`: `<` is
/// written `\u003c`, so no text from the content can close the script.
pub fn article(site: &Site, id: PageId) -> String {
    let page = &site.pages[id];
    let src = &page.source;
    let url = permalink(site, &page.url);
    let mut article = json!({
        "@type": "TechArticle",
        "headline": src.title,
        "inLanguage": site.config.language,
        "url": url,
        "mainEntityOfPage": url,
    });
    let fields = [
        ("description", src.meta.description.as_deref()),
        ("datePublished", src.meta.date.as_deref()),
        ("dateModified", page.updated.as_deref().or(src.meta.date.as_deref())),
    ];
    for (key, value) in fields {
        if let Some(v) = value {
            article[key] = Value::from(v);
        }
    }
    let mut trail: Vec<(String, String)> = site
        .ancestry(page.section)
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let name = if i == 0 { site.config.title.clone() } else { site.sections[s].label.clone() };
            (name, permalink(site, &site.sections[s].url))
        })
        .collect();
    trail.push((src.title.clone(), url));
    let items: Vec<Value> = trail
        .into_iter()
        .enumerate()
        .map(
            |(i, (name, item))| json!({ "@type": "ListItem", "position": i + 1, "name": name, "item": item }),
        )
        .collect();
    let graph = json!({
        "@context": "https://schema.org",
        "@graph": [article, { "@type": "BreadcrumbList", "itemListElement": items }],
    });
    graph.to_string().replace('<', "\\u003c")
}
