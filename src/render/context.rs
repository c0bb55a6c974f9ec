//! The data handed to templates. Each render gets only what its page shows (never the
//! whole site), which keeps template rendering proportional to page size.

use serde::Serialize;

use crate::markdown::headings::TocEntry;
use crate::site::{Page, PageId, Section, SectionId, Site};

/// Site-wide values, identical for every page.
#[derive(Debug, Serialize)]
pub struct SiteCtx<'a> {
    /// Site title.
    pub title: &'a str,
    /// Site description.
    pub description: &'a str,
    /// Full base URL (`https://…/`).
    pub base_url: &'a str,
    /// Path prefix of every link (`/` or `/kb/`).
    pub base_path: &'a str,
    /// `<html lang>`.
    pub language: &'a str,
    /// `<html dir>`: `rtl` for a language written right to left, `ltr` for the others of a
    /// multilingual site, none for a site in one left-to-right language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dir: Option<&'static str>,
    /// Whether the site has search (the header box and `/search/`).
    pub search: bool,
    /// `[extra]` from site.toml.
    pub extra: &'a std::collections::BTreeMap<String, toml::Value>,
    /// URL of the site's Atom feed (none when no article has a date).
    pub feed: Option<String>,
    /// URL of the site's icon (none when `favicon = ""`).
    pub favicon: Option<String>,
    /// The "contact support" link (the site's; articles may have their category's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support: Option<SupportCtx<'a>>,
    /// The "Was this article helpful?" form, when site.toml has `[feedback]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback: Option<FeedbackCtx<'a>>,
}

/// Where a page's feedback form sends its answers.
#[derive(Debug, Serialize)]
pub struct FeedbackCtx<'a> {
    /// The form's `action`.
    pub endpoint: &'a str,
    /// `post` or `get`.
    pub method: &'a str,
    /// A `mailto:` endpoint: the form is sent as text by the mail client.
    pub mailto: bool,
    /// Constant fields sent with every answer.
    pub fields: &'a std::collections::BTreeMap<String, String>,
}

impl<'a> FeedbackCtx<'a> {
    /// The form's settings from `[feedback]`.
    pub fn of(f: &'a crate::config::FeedbackConfig) -> Self {
        FeedbackCtx { endpoint: &f.endpoint, method: f.method(), mailto: f.is_mailto(), fields: &f.fields }
    }
}

/// A link with a label.
#[derive(Debug, Clone, Serialize)]
pub struct Link<'a> {
    /// Text.
    pub title: &'a str,
    /// Site-absolute URL.
    pub url: &'a str,
}

/// An article in a listing.
#[derive(Debug, Clone, Serialize)]
pub struct PageCard {
    /// Title.
    pub title: String,
    /// URL.
    pub url: String,
    /// Front matter description.
    pub description: Option<String>,
    /// Last updated, or published, date.
    pub date: Option<String>,
    /// "Category › Folder" trail.
    pub trail: String,
}

/// A category or folder in a listing.
#[derive(Debug, Clone, Serialize)]
pub struct SectionCard<'a> {
    /// Label.
    pub title: String,
    /// URL.
    pub url: String,
    /// Description.
    pub description: Option<String>,
    /// Articles in it and below.
    pub count: usize,
    /// Its child sections (one level).
    pub children: Vec<Link<'a>>,
    /// Its first few articles, in navigation order.
    pub pages: Vec<Link<'a>>,
}

/// How many articles a section card previews.
const CARD_PAGES: usize = 5;

/// Everything an article template sees as `page`.
#[derive(Debug, Serialize)]
pub struct PageCtx<'a> {
    /// Title.
    pub title: &'a str,
    /// Left out of navigation, sitemap and feeds; the page asks search engines not to index it.
    pub unlisted: bool,
    /// Id of the title's `<h1>` (GitHub's id for it, so `#title-of-page` links work).
    pub anchor: String,
    /// Description.
    pub description: Option<&'a str>,
    /// Site-absolute URL.
    pub url: &'a str,
    /// Absolute URL with scheme and host.
    pub permalink: String,
    /// What the page shows of its rendered Markdown.
    #[serde(flatten)]
    pub body: BodyCtx<'a>,
    /// Tags with their URLs.
    pub tags: Vec<Link<'a>>,
    /// Publication date.
    pub date: Option<&'a str>,
    /// Last-updated date.
    pub updated: Option<&'a str>,
    /// Every front matter key Kiln does not know.
    pub extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
    /// Source path under the site root.
    pub source_path: String,
    /// "Edit this page" URL, when site.toml has `edit_url`.
    pub edit_url: Option<String>,
    /// For agents only (an internal build shows a badge).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub internal: bool,
}

/// What an article template shows of the page's rendered Markdown (`page.content`,
/// `page.toc`, `page.word_count`, `page.reading_minutes`), or, in the key of the article's
/// file, the key of that Markdown, which stands for all of it.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum BodyCtx<'a> {
    /// The rendered Markdown's parts.
    Rendered {
        /// Rendered body HTML.
        content: &'a str,
        /// h2–h3 table of contents.
        toc: &'a [TocEntry],
        /// Number of words in the body.
        word_count: usize,
        /// Estimated minutes to read.
        reading_minutes: usize,
        /// Whether a code block is highlighted (the page links the highlighting stylesheet).
        highlighted: bool,
        /// Whether it has a diagram (the page loads the diagram script).
        diagrams: bool,
    },
    /// The key of the Markdown's source and everything it asked the site.
    Keyed {
        /// The key, in hex.
        markdown: String,
    },
}

impl<'a> BodyCtx<'a> {
    /// The parts of a rendered body.
    pub fn of(body: &'a crate::markdown::Rendered) -> Self {
        let words = body.text.split_whitespace().count();
        BodyCtx::Rendered {
            content: &body.html,
            toc: &body.toc,
            word_count: words,
            reading_minutes: words.div_ceil(220).max(1),
            highlighted: body.highlighted,
            diagrams: body.diagrams,
        }
    }
}

/// An article's sidebar: its section's shared sidebar marked for the article, or, in a
/// key, what the marking is made from (the shared sidebar's digest, the article's URL and
/// title, its section's URL).
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum SidebarCtx<'a> {
    /// The marked HTML.
    Html(String),
    /// What the marked HTML is made from.
    Keyed {
        /// Digest of the section's shared sidebar, in hex.
        shared: String,
        /// The article's URL.
        url: &'a str,
        /// The article's title.
        title: &'a str,
        /// Its section's URL (the "more" entry the article may be listed before).
        section: &'a str,
    },
}

/// Card for a page.
pub fn page_card(site: &Site, id: PageId) -> PageCard {
    let p: &Page = &site.pages[id];
    let trail = site.trail(p.section).join(" › ");
    PageCard {
        title: p.source.title.clone(),
        url: p.url.clone(),
        description: p.source.meta.description.clone(),
        date: p.updated.clone().or_else(|| p.source.meta.date.clone()),
        trail,
    }
}

/// Card for a section.
pub fn section_card(site: &Site, id: SectionId) -> SectionCard<'_> {
    let s: &Section = &site.sections[id];
    SectionCard {
        title: s.label.clone(),
        url: s.url.clone(),
        description: s.description.clone(),
        count: s.total_pages,
        children: s.children.iter().map(|&c| section_link(site, c)).collect(),
        pages: s.pages.iter().take(CARD_PAGES).map(|&p| page_link(site, p)).collect(),
    }
}

/// Link to a section.
pub fn section_link(site: &Site, id: SectionId) -> Link<'_> {
    Link { title: &site.sections[id].label, url: &site.sections[id].url }
}

/// Link to a page.
pub fn page_link(site: &Site, id: PageId) -> Link<'_> {
    let page = &site.pages[id];
    Link { title: page.nav_label.as_deref().unwrap_or(&page.source.title), url: &page.url }
}

/// Breadcrumbs from Home down to `section` (inclusive).
pub fn breadcrumbs(site: &Site, section: SectionId) -> Vec<Link<'_>> {
    site.ancestry(section)
        .into_iter()
        .enumerate()
        .map(
            |(i, s)| {
                if i == 0 {
                    Link { title: "Home", url: &site.sections[s].url }
                } else {
                    section_link(site, s)
                }
            },
        )
        .collect()
}

/// One node of the sidebar tree.
#[derive(Debug, Serialize)]
pub struct NavNode<'a> {
    /// Label.
    pub title: String,
    /// URL.
    pub url: String,
    /// Articles below.
    pub count: usize,
    /// Expanded (an ancestor of, or the, current section).
    pub open: bool,
    /// The current section itself.
    pub current: bool,
    /// Child sections, listed only for open sections.
    pub children: Vec<NavNode<'a>>,
    /// Articles, listed only for open sections so page weight does not grow with the site
    /// (at most `sidebar_pages` of them).
    pub pages: Vec<Link<'a>>,
    /// Articles of an open section not listed (beyond `sidebar_pages`).
    pub more: usize,
}

/// How many articles an open section lists in the sidebar.
fn limit(site: &Site) -> usize {
    match site.config.sidebar_pages {
        0 => usize::MAX,
        n => n,
    }
}

/// The sidebar tree with `current` (and its ancestors) open.
pub fn nav_tree(site: &Site, current: Option<SectionId>) -> Vec<NavNode<'_>> {
    let open: Vec<SectionId> = current.map(|c| site.ancestry(c)).unwrap_or_default();
    fn node<'s>(
        site: &'s Site,
        id: SectionId,
        open: &[SectionId],
        current: Option<SectionId>,
    ) -> NavNode<'s> {
        let s = &site.sections[id];
        let is_open = open.contains(&id);
        NavNode {
            title: s.label.clone(),
            url: s.url.clone(),
            count: s.total_pages,
            open: is_open,
            current: current == Some(id),
            // Closed sections are links only (their folders are one click away on their
            // page): every page carrying the whole tree made the output grow with the
            // number of folders times the number of pages.
            children: if is_open {
                s.children.iter().map(|&c| node(site, c, open, current)).collect()
            } else {
                Vec::new()
            },
            pages: if is_open {
                s.pages.iter().take(limit(site)).map(|&p| page_link(site, p)).collect()
            } else {
                Vec::new()
            },
            more: if is_open { s.pages.len().saturating_sub(limit(site)) } else { 0 },
        }
    }
    node(site, crate::site::ROOT, &open, current).children
}

/// A "contact support" link.
#[derive(Debug, Serialize)]
pub struct SupportCtx<'a> {
    /// Its words.
    pub text: &'a str,
    /// Its target.
    pub url: &'a str,
}

impl<'a> SupportCtx<'a> {
    /// The link for an article in `section` (its category's, else the site's), if the
    /// site has `[support]`.
    pub fn of(site: &'a Site, section: Option<SectionId>) -> Option<Self> {
        let support = site.config.support.as_ref()?;
        let category = section
            .and_then(|s| site.ancestry(s).get(1).copied())
            .and_then(|c| site.sections[c].slugs.first())
            .map(String::as_str);
        let (text, url) = support.for_category(category);
        Some(SupportCtx { text, url })
    }
}
