//! What a page of a multilingual site tells its template about languages: the switcher's
//! entries (this page in every language, else that language's home), the
//! `<link rel="alternate" hreflang>` list with its `x-default`, and whether the page is the
//! default language's text shown for want of a translation.

use serde::Serialize;

use super::permalink;
use crate::site::{PageId, SectionId, Site};

/// The `languages` value of a template's context.
#[derive(Debug, Serialize)]
pub struct LangCtx<'a> {
    /// The page's language code.
    pub current: &'a str,
    /// One entry per language, the default first.
    pub versions: Vec<Version<'a>>,
    /// Absolute URLs of the page's translations by language, and `x-default`.
    pub alternates: Vec<Alternate>,
    /// The page is the default language's text: this language has no translation of it.
    pub fallback: bool,
    /// The default language's name, for the notice on such a page.
    pub default_label: &'a str,
    /// The page is a translation older than its original: the date the original was
    /// updated.
    pub outdated: Option<&'a str>,
}

/// One language in the switcher.
#[derive(Debug, Serialize)]
pub struct Version<'a> {
    /// BCP 47 code.
    pub code: &'a str,
    /// Its name in itself.
    pub label: &'a str,
    /// This page in that language, or that language's home when it has no translation.
    pub url: &'a str,
    /// Whether `url` is this page's translation (not the language's home).
    pub translated: bool,
    /// The page's own language.
    pub current: bool,
    /// Written right to left.
    pub rtl: bool,
}

/// One `<link rel="alternate">`.
#[derive(Debug, Serialize)]
pub struct Alternate {
    /// Language code, or `x-default`.
    pub hreflang: String,
    /// Absolute URL.
    pub href: String,
}

/// The context for a page whose version in each language is `versions` (own included).
fn of<'a>(
    site: &'a Site,
    versions: &'a [Option<String>],
    fallback: bool,
    outdated: Option<&'a str>,
) -> Option<LangCtx<'a>> {
    let langs = site.languages.as_ref()?;
    let all = langs.all.as_slice();
    let current = &all[langs.current];
    let entries = all
        .iter()
        .zip(versions)
        .enumerate()
        .map(|(i, (home, v))| Version {
            code: &home.code,
            label: &home.label,
            url: v.as_deref().unwrap_or(&home.url),
            translated: v.is_some(),
            current: i == langs.current,
            rtl: home.rtl,
        })
        .collect();
    // A page shown in the default language's words is not a translation: search engines
    // are pointed at the original only.
    let mut alternates: Vec<Alternate> = Vec::new();
    if !fallback {
        for (home, v) in all.iter().zip(versions) {
            if let Some(url) = v {
                alternates.push(Alternate { hreflang: home.code.clone(), href: permalink(site, url) });
            }
        }
        if let Some(Some(url)) = versions.first() {
            alternates.push(Alternate { hreflang: "x-default".into(), href: permalink(site, url) });
        }
    }
    Some(LangCtx {
        current: &current.code,
        versions: entries,
        alternates,
        fallback,
        default_label: &all[0].label,
        outdated,
    })
}

/// The languages context of article `id`.
pub fn of_page(site: &Site, id: PageId) -> Option<LangCtx<'_>> {
    let langs = site.languages.as_ref()?;
    of(site, &langs.pages[id], langs.is_fallback(id), langs.outdated(id))
}

/// The languages context of a category, folder or home page.
pub fn of_section(site: &Site, id: SectionId) -> Option<LangCtx<'_>> {
    let langs = site.languages.as_ref()?;
    of(site, &langs.sections[id], false, None)
}

/// The page at the root of a site whose every language is under `/<code>/`: a list of the
/// languages, and a script sending the reader to the first of their browser's languages
/// the site has (else the default).
pub fn chooser_page(sites: &[Site], stylesheet: &str) -> Option<String> {
    let first = sites.first()?;
    let langs = first.languages.as_ref()?;
    let esc = crate::base::html::escape;
    let mut items = String::new();
    for l in langs.all.iter() {
        items.push_str(&format!(
            "<li><a href=\"{url}\" hreflang=\"{code}\" lang=\"{code}\"{dir}>{label}</a></li>\n",
            url = esc(&l.url),
            code = esc(&l.code),
            dir = if l.rtl { " dir=\"rtl\"" } else { "" },
            label = esc(&l.label),
        ));
    }
    // Codes and URLs are checked (language codes, paths of this site): JSON is safe in a
    // script, and `<` never occurs in them.
    let table: Vec<(&str, &str)> = langs.all.iter().map(|l| (l.code.as_str(), l.url.as_str())).collect();
    let table = serde_json::to_string(&table).ok()?.replace('<', "\\u003c");
    Some(format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<link rel=\"stylesheet\" href=\"{css}\">\n\
         <script>(function(){{var t={table},w=(navigator.languages||[navigator.language||\"\"]).map(function(x){{return x.toLowerCase()}});\
         for(var i=0;i<w.length;i++)for(var j=0;j<t.length;j++)if(w[i]===t[j][0]||w[i].split(\"-\")[0]===t[j][0]){{location.replace(t[j][1]);return}}\
         location.replace(t[0][1])}})();</script>\n</head>\n<body>\n<main class=\"content lang-chooser\">\n<h1>{title}</h1>\n<ul>\n{items}</ul>\n</main>\n</body>\n</html>\n",
        lang = esc(&first.config.language),
        title = esc(&first.config.title),
        css = esc(stylesheet),
    ))
}
