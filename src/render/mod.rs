//! Rendering stage: site model + rendered bodies → HTML files through Tera.
//!
//! The sidebar is rendered once per section (not once per page) and reused by every page
//! in it; each page render gets a small context of its own. Pages render in parallel.

pub mod context;
mod ctx;
mod feeds;
mod filters;
mod languages;
mod listings;
mod print;
mod promoted;
mod sitemap;
pub mod strings;
mod structured;
pub mod theme;

use std::collections::HashMap;
use std::sync::Mutex;

use crate::base::digest::Digest;
use crate::base::percent::encode_path;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::error::{Error, Result};
use crate::markdown::Rendered;
use crate::output::Sink;
use crate::site::{PageId, ROOT, SectionId, Site};
use context::{BodyCtx, Link, PageCtx, SidebarCtx, SiteCtx};
use ctx::Ctx;
pub use print::{print_order, printable};
pub use theme::Theme;

/// Bodies rendered by the Markdown stage, by page and by section index.
pub struct Bodies {
    /// One per entry of `Site::pages`.
    pub pages: Vec<Rendered>,
    /// For sections that have an index page.
    pub sections: HashMap<SectionId, Rendered>,
}

/// What every page render shares: the site-wide context and each section's sidebar. It
/// depends on the site model only, so `kiln serve` keeps it while article bodies change.
pub struct Renderer {
    base: Context,
    sidebars: HashMap<SectionId, String>,
    /// Digest of each sidebar, for the keys of pages' HTML.
    sidebar_digests: HashMap<SectionId, Digest>,
    /// Key of the site-wide context every page gets (some of it, like the feed link,
    /// depends on all the articles), from its serialised form like every other key;
    /// `None` if it could not be serialised (then no file is ever kept).
    base_digest: Option<Digest>,
    /// Output names of the fingerprinted stylesheets and scripts, by their plain names.
    names: HashMap<String, String>,
    /// The highlighting stylesheet (made once: its bytes name it too).
    syntax_css: String,
    /// Today, for review notices (`[review] notice`); `None` when the site shows none.
    today: Option<String>,
    /// Each article's related articles (none until [`Renderer::set_related`]).
    related: Vec<Vec<PageId>>,
}

/// The stylesheets and scripts whose every reference Kiln writes (templates get them as
/// `assets.css` and `assets.js`): in a build their names carry a hash of their bytes
/// (`assets/style.1a2b3c4d5e.css`), so hosts may cache them forever and a new build is
/// still fetched at once. HTML keeps its names.
const FINGERPRINTED: [&str; 4] =
    ["assets/style.css", "assets/syntax.css", "assets/kiln.js", "assets/search.js"];

/// Where the diagram script (Mermaid) is written.
const MERMAID: &str = "assets/mermaid.js";

/// `<html dir>` of `site`'s pages (see [`SiteCtx::dir`]).
fn text_direction(site: &Site) -> Option<&'static str> {
    let rtl = match &site.languages {
        Some(l) => l.all[l.current].rtl,
        None => crate::config::languages::is_rtl(&site.config.language),
    };
    match (rtl, site.languages.is_some()) {
        (true, _) => Some("rtl"),
        (false, true) => Some("ltr"),
        (false, false) => None,
    }
}

/// The fingerprinted name of each of the theme's stylesheets and scripts, and the
/// highlighting stylesheet.
fn fingerprinted_names(theme: &Theme) -> (HashMap<String, String>, String) {
    let mut names = HashMap::new();
    let syntax_css = crate::markdown::highlight::theme_css();
    let files = theme.static_files.iter().map(|(p, b)| (p.as_str(), b.as_slice()));
    for (path, bytes) in files.chain([("assets/syntax.css", syntax_css.as_bytes())]) {
        if FINGERPRINTED.contains(&path) {
            names.insert(path.to_string(), fingerprinted(path, bytes));
        }
    }
    names.insert(MERMAID.to_string(), fingerprinted(MERMAID, theme::mermaid_js()));
    (names, syntax_css)
}

/// `assets/style.css` with a hash of `bytes` before the extension.
fn fingerprinted(path: &str, bytes: &[u8]) -> String {
    let hash = crate::base::digest::digest(bytes) as u64 & 0xff_ffff_ffff;
    match path.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash:010x}.{ext}"),
        None => format!("{path}.{hash:010x}"),
    }
}

impl Renderer {
    /// Prepare the shared context and render the sidebars, for a build: stylesheets and
    /// scripts are fingerprinted.
    pub fn new(site: &Site, theme: &Theme) -> Result<Renderer> {
        let (names, syntax_css) = fingerprinted_names(theme);
        Renderer::with_names(site, theme, names, syntax_css)
    }

    /// The files the languages of a multilingual site share, written once: the theme's
    /// static files, the diagram script when a page has a diagram, and the sitemap of every
    /// language's pages with their alternates.
    pub fn write_shared(sites: &[Site], theme: &Theme, sink: &dyn Sink, diagrams: bool) -> Result<()> {
        let (names, syntax_css) = fingerprinted_names(theme);
        let name = |path: &str| names.get(path).cloned().unwrap_or_else(|| path.to_string());
        for (path, bytes) in &theme.static_files {
            sink.write(&name(path), bytes)?;
        }
        sink.write(&name("assets/syntax.css"), syntax_css.as_bytes())?;
        if diagrams {
            sink.write(&name(MERMAID), theme::mermaid_js())?;
        }
        let theme_has_robots = theme.static_files.iter().any(|(p, _)| p == "robots.txt");
        sitemap::write_all(sites, sink, theme_has_robots)?;
        if let Some(first) = sites.first().filter(|s| s.base_path != s.root_path) {
            let css = format!("{}{}", first.root_path, name("assets/style.css"));
            if let Some(html) = languages::chooser_page(sites, &css) {
                sink.write("index.html", html.as_bytes())?;
            }
        }
        write_redirects(sites, sink)
    }

    /// The same for `kiln serve`: plain names, so a saved stylesheet can be swapped into
    /// the open page in place.
    pub fn preview(site: &Site, theme: &Theme) -> Result<Renderer> {
        Renderer::with_names(site, theme, HashMap::new(), crate::markdown::highlight::theme_css())
    }

    fn with_names(
        site: &Site,
        theme: &Theme,
        names: HashMap<String, String>,
        syntax_css: String,
    ) -> Result<Renderer> {
        let site_ctx = SiteCtx {
            title: &site.config.title,
            description: &site.config.description,
            base_url: &site.config.base_url,
            base_path: &site.base_path,
            language: &site.config.language,
            dir: text_direction(site),
            search: site.config.search,
            extra: &site.config.extra,
            feed: feeds::site_feed(site),
            favicon: (!site.config.favicon.trim().is_empty()).then(|| {
                let path = site.config.favicon.trim().trim_start_matches('/');
                format!("{}{}", site.root_path, encode_path(path))
            }),
            feedback: site.config.feedback.as_ref().map(context::FeedbackCtx::of),
            support: context::SupportCtx::of(site, None),
        };
        let mut base = Context::new();
        let assets = assets(site, &names);
        let words = strings::for_language(&site.config.language, &site.config.strings)?;
        let base_digest = ctx::keyed(0, "", &(&site_ctx, &assets, &words.map));
        base.insert("site", &site_ctx);
        base.insert("assets", &assets);
        base.insert("t", &words.map);
        if let Some(js) = &words.js {
            base.insert("js_strings", js);
        }
        let sidebars = render_sidebars(site, theme, &base)?;
        let sidebar_digests =
            sidebars.iter().map(|(&s, html)| (s, crate::base::digest::digest(html.as_bytes()))).collect();
        let today = site.config.review.notice.then(crate::base::date::today);
        let related = Vec::new();
        Ok(Renderer { base, sidebars, sidebar_digests, base_digest, names, syntax_css, today, related })
    }

    /// Set each article's related articles (by page id), shown under it.
    pub fn set_related(&mut self, related: Vec<Vec<PageId>>) {
        self.related = related;
    }

    /// An article's related articles.
    pub fn related_of(&self, id: PageId) -> &[PageId] {
        self.related.get(id).map_or(&[], Vec::as_slice)
    }

    fn sidebar_of(&self, s: SectionId) -> &str {
        self.sidebars.get(&s).map(String::as_str).unwrap_or("")
    }

    /// The output path of an article.
    pub fn page_path(site: &Site, id: PageId) -> String {
        out_path(site, &site.pages[id].url)
    }

    /// The key of an article's file: its whole template context (site-wide part, page,
    /// section, breadcrumbs, neighbours, tags, sidebar), with the key of its rendered
    /// Markdown (`markdown`: source and every answer the Markdown got from the site) in
    /// place of that Markdown. `None` when it cannot be computed: render the file again.
    pub fn page_key(&self, site: &Site, id: PageId, markdown: Digest) -> Option<Digest> {
        let body = BodyCtx::Keyed { markdown: format!("{markdown:032x}") };
        let page = &site.pages[id];
        let shared = *self.sidebar_digests.get(&page.section)?;
        let sidebar = SidebarCtx::Keyed {
            shared: format!("{shared:032x}"),
            url: &page.url,
            title: &page.source.title,
            section: &site.sections[page.section].url,
        };
        ctx::keyed(self.base_digest?, "page.html", &self.article_ctx(site, id, body, sidebar))
    }

    /// Render one article into `sink`.
    pub fn page(
        &self,
        site: &Site,
        id: PageId,
        body: &Rendered,
        theme: &Theme,
        sink: &dyn Sink,
    ) -> Result<()> {
        let page = &site.pages[id];
        let sidebar = SidebarCtx::Html(sidebar_for(self.sidebar_of(page.section), site, id));
        let ctx = Ctx::of(&self.article_ctx(site, id, BodyCtx::of(body), sidebar))?;
        self.write_html(
            theme,
            sink,
            "page.html",
            ctx,
            &out_path(site, &page.url),
            &page.source.file.to_string_lossy(),
        )
    }

    /// An article's template context but for the site-wide part.
    fn article_ctx<'a>(
        &self,
        site: &'a Site,
        id: PageId,
        body: BodyCtx<'a>,
        sidebar: SidebarCtx<'a>,
    ) -> ArticleCtx<'a> {
        let page = &site.pages[id];
        let src = &page.source;
        let source_path = src.file.to_string_lossy().replace('\\', "/");
        ArticleCtx {
            meta: Meta::new(site, &page.url, &src.title, src.meta.description.as_deref(), "article"),
            page: PageCtx {
                title: &src.title,
                anchor: crate::markdown::headings::heading_id(&src.title),
                unlisted: src.meta.unlisted,
                description: src.meta.description.as_deref(),
                url: &page.url,
                permalink: permalink(site, &page.url),
                body,
                tags: page
                    .tag_slugs
                    .iter()
                    .filter_map(|t| site.tags.get(t))
                    .map(|t| Link { title: &t.label, url: &t.url })
                    .collect(),
                date: src.meta.date.as_deref(),
                updated: page.updated.as_deref(),
                extra: &src.extra,
                edit_url: site
                    .config
                    .edit_url
                    .as_ref()
                    .map(|pattern| pattern.replace("{path}", &encode_path(&source_path))),
                source_path,
                internal: site.internal.contains(&src.rel_path),
            },
            section: context::section_link(site, page.section),
            breadcrumbs: context::breadcrumbs(site, page.section),
            languages: languages::of_page(site, id),
            related: self
                .related_of(id)
                .iter()
                .map(|&r| Link { title: &site.pages[r].source.title, url: &site.pages[r].url })
                .collect(),
            prev: page.prev.map(|p| context::page_link(site, p)),
            next: page.next.map(|p| context::page_link(site, p)),
            sidebar,
            structured_data: structured::article(site, id),
            support: context::SupportCtx::of(site, Some(page.section)),
            review_due: self
                .today
                .as_deref()
                .and_then(|today| crate::site::review::overdue(site, id, today))
                .map(|o| o.due().to_string()),
        }
    }

    /// Render every page, listing, tag page, the 404 and search pages, and the theme's
    /// static files (the preview's in-memory build: nothing is kept).
    pub fn all(&self, site: &Site, bodies: &Bodies, theme: &Theme, sink: &dyn Sink) -> Result<()> {
        (0..site.pages.len())
            .into_par_iter()
            .try_for_each(|id| self.page(site, id, &bodies.pages[id], theme, sink))?;
        self.print_pages(site, &bodies.pages, theme, sink, |_| true)?;
        let diagrams = bodies.pages.iter().chain(bodies.sections.values()).any(|r| r.diagrams);
        self.rest(site, &bodies.sections, theme, sink, &NoReuse, diagrams).map(|_| ())
    }

    /// Render everything but the articles: section and home pages (with their index
    /// pages' rendered Markdown), tag pages, the 404 and search pages, the theme's static
    /// files, the sitemap, feeds and redirects. A listing whose key `reuse` recognises is
    /// kept as the last build wrote it. Returns the paths of the files this makes.
    pub fn rest(
        &self,
        site: &Site,
        sections: &HashMap<SectionId, Rendered>,
        theme: &Theme,
        sink: &dyn Sink,
        reuse: &dyn Reuse,
        diagrams: bool,
    ) -> Result<Vec<String>> {
        let mut paths = self.listings(site, sections, theme, sink, reuse)?;
        let listed = Listed { inner: sink, paths: Mutex::default() };
        let name = |path: &str| self.names.get(path).cloned().unwrap_or_else(|| path.to_string());
        // The languages of a multilingual site share these ([`Renderer::write_shared`]).
        if site.languages.is_none() {
            for (path, bytes) in &theme.static_files {
                listed.write(&name(path), bytes)?;
            }
            listed.write(&name("assets/syntax.css"), self.syntax_css.as_bytes())?;
            // 3.5 MB that only pages with a diagram load: a site without one does not get it.
            if diagrams {
                listed.write(&name(MERMAID), theme::mermaid_js())?;
            }
            let theme_has_robots = theme.static_files.iter().any(|(p, _)| p == "robots.txt");
            sitemap::write(site, &listed, theme_has_robots)?;
            write_redirects(std::slice::from_ref(site), &listed)?;
        }
        feeds::write(site, &listed)?;
        paths.extend(listed.paths.into_inner().unwrap_or_else(|e| e.into_inner()));
        paths.sort_unstable();
        Ok(paths)
    }

    fn write_html(
        &self,
        theme: &Theme,
        sink: &dyn Sink,
        template: &str,
        ctx: Ctx,
        out: &str,
        origin: &str,
    ) -> Result<()> {
        let html = theme.tera.render(template, &ctx.into_tera(&self.base)).map_err(|e| {
            Error::Template(format!("{template} (rendering {origin}): {}", theme::describe_tera(&e)))
        })?;
        sink.write(out, html.as_bytes())
    }
}

/// An article template's context but for the site-wide part: serialised as it is for its
/// key, and made the template's values by the same serialisation.
#[derive(Serialize)]
struct ArticleCtx<'a> {
    meta: Meta<'a>,
    page: PageCtx<'a>,
    section: Link<'a>,
    breadcrumbs: Vec<Link<'a>>,
    prev: Option<Link<'a>>,
    next: Option<Link<'a>>,
    /// Related articles, pinned then computed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<Link<'a>>,
    sidebar: SidebarCtx<'a>,
    /// The article's JSON-LD (`TechArticle` and `BreadcrumbList`).
    structured_data: String,
    /// The "contact support" link for the article's category.
    #[serde(skip_serializing_if = "Option::is_none")]
    support: Option<context::SupportCtx<'a>>,
    /// The day the article became due for review, when it is overdue and the site shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    review_due: Option<String>,
    /// Only in a multilingual site, so a site in one language keeps its keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    languages: Option<languages::LangCtx<'a>>,
}

/// Lets a warm build keep files whose key is unchanged; the build cache implements it.
pub trait Reuse: Sync {
    /// Whether keys are wanted at all (a build without the cache keeps nothing and skips
    /// computing them).
    fn wants_keys(&self) -> bool;
    /// Whether the file at `path`, whose key is `key`, can stay as the last build wrote it
    /// (it is then kept in the sink). `None` (no key could be made) must mean "render it".
    fn keep(&self, path: &str, key: Option<Digest>) -> bool;
}

/// Every file is rendered.
pub struct NoReuse;

impl Reuse for NoReuse {
    fn wants_keys(&self) -> bool {
        false
    }

    fn keep(&self, _path: &str, _key: Option<Digest>) -> bool {
        false
    }
}

/// A sink that notes the paths written through it.
struct Listed<'a> {
    inner: &'a dyn Sink,
    paths: Mutex<Vec<String>>,
}

impl Sink for Listed<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.paths.lock().unwrap_or_else(|e| e.into_inner()).push(rel.to_string());
        self.inner.write(rel, bytes)
    }
}

/// A page at each old URL (front matter `aliases`) sending the browser on to the article:
/// a meta refresh to its site-absolute URL, so it works under any base path and on any
/// static host, and a canonical link so search engines move their entry. Hosts that read a
/// `_redirects` file (Netlify, Cloudflare Pages) answer with a real 301 instead.
fn write_redirects(sites: &[Site], sink: &dyn Sink) -> Result<()> {
    if sites.iter().all(|s| s.redirects.is_empty()) {
        return Ok(());
    }
    let esc = crate::base::html::escape;
    let mut list = String::new();
    for (site, r) in sites.iter().flat_map(|s| s.redirects.iter().map(move |r| (s, r))) {
        let page = &site.pages[r.to];
        let html = format!(
            "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <title>Moved: {title}</title>\n<meta name=\"robots\" content=\"noindex\">\n\
             <link rel=\"canonical\" href=\"{canonical}\">\n\
             <meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n\
             <p>This article has moved to <a href=\"{url}\">{title}</a>.</p>\n</body>\n</html>\n",
            lang = esc(&site.config.language),
            title = esc(&page.source.title),
            canonical = esc(&permalink(site, &page.url)),
            url = esc(&page.url),
        );
        sink.write(&r.out_path, html.as_bytes())?;
        list.push_str(&format!("{} {} 301\n", r.from, page.url));
    }
    sink.write("_redirects", list.as_bytes())
}

/// What a page's `<head>` says about it to search engines and link previews: canonical
/// URL, title and description for OpenGraph and Twitter cards. The 404 page has none.
#[derive(Serialize)]
struct Meta<'a> {
    canonical: String,
    title: &'a str,
    description: &'a str,
    og_type: &'static str,
}

impl<'a> Meta<'a> {
    fn new(
        site: &'a Site,
        url: &str,
        title: &'a str,
        description: Option<&'a str>,
        og_type: &'static str,
    ) -> Self {
        let description = description.filter(|d| !d.trim().is_empty()).unwrap_or(&site.config.description);
        Meta { canonical: permalink(site, url), title, description, og_type }
    }
}

/// The theme's stylesheets and scripts as templates get them.
#[derive(Serialize)]
struct Assets {
    /// Stylesheets every page links.
    css: Vec<String>,
    /// The highlighting stylesheet, linked only by pages with highlighted code.
    syntax: String,
    /// The diagram script (Mermaid), loaded only by pages with a diagram.
    mermaid: String,
    /// Scripts every page loads.
    js: Vec<String>,
    /// The search script: the search page loads it at once, other pages when the reader
    /// first focuses or types into the search box. `None` when search is off.
    search: Option<String>,
}

fn assets(site: &Site, names: &HashMap<String, String>) -> Assets {
    let url = |path: &str| format!("{}{}", site.root_path, names.get(path).map_or(path, String::as_str));
    Assets {
        css: vec![url("assets/style.css")],
        syntax: url("assets/syntax.css"),
        mermaid: url(MERMAID),
        js: vec![url("assets/kiln.js")],
        search: site.config.search.then(|| url("assets/search.js")),
    }
}

/// A section's shared sidebar, marked for one of its articles: `aria-current` on its link,
/// and the link itself added before the section's "more" entry when the article is past
/// the `sidebar_pages` listed.
fn sidebar_for(shared: &str, site: &Site, id: PageId) -> String {
    let page = &site.pages[id];
    let current = format!("href=\"{}\"", page.url);
    if shared.contains(&current) {
        return shared.replacen(&current, &format!("{current} aria-current=\"page\""), 1);
    }
    let more = format!("<li class=\"nav-more\"><a href=\"{}\"", site.sections[page.section].url);
    match shared.find(&more) {
        Some(at) => {
            let entry = format!(
                "<li class=\"nav-page\"><a {current} aria-current=\"page\">{}</a></li>\n",
                crate::base::html::escape(&page.source.title)
            );
            let mut out = String::with_capacity(shared.len() + entry.len());
            out.push_str(&shared[..at]);
            out.push_str(&entry);
            out.push_str(&shared[at..]);
            out
        }
        None => shared.to_string(),
    }
}

fn render_sidebars(site: &Site, theme: &Theme, base: &Context) -> Result<HashMap<SectionId, String>> {
    let top_pages: Vec<Link> =
        site.sections[ROOT].pages.iter().map(|&p| context::page_link(site, p)).collect();
    (0..site.sections.len())
        .into_par_iter()
        .map(|id| {
            let mut ctx = base.clone();
            ctx.insert("nav", &context::nav_tree(site, Some(id)));
            ctx.insert("top_pages", &top_pages);
            let html = theme
                .tera
                .render("sidebar.html", &ctx)
                .map_err(|e| Error::Template(format!("sidebar.html: {}", theme::describe_tera(&e))))?;
            Ok((id, html))
        })
        .collect()
}

/// `https://host/base/` + URL path (which already carries the base path).
fn permalink(site: &Site, url: &str) -> String {
    let origin = site.config.base_url.trim_end_matches('/');
    let origin = origin.strip_suffix(site.base_path.trim_end_matches('/')).unwrap_or(origin);
    format!("{origin}{url}")
}

/// The output file for a site-absolute URL ending in `/`.
fn out_path(site: &Site, url: &str) -> String {
    crate::site::out_path_of(&site.base_path, url)
}
