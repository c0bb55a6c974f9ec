//! Markdown stage: one page body in, HTML plus table of contents and plain text out.
//!
//! The pipeline per page: [`admonitions::preprocess`] rewrites block syntaxes CommonMark
//! does not know, pulldown-cmark parses the result, and one pass over the events gives
//! headings their ids and anchors, turns GitHub alerts into admonitions, rewrites links
//! through the site's [`Resolver`], and highlights code.

mod abbreviations;
pub mod admonitions;
mod annotations;
mod blocks;
mod code;
mod deps;
mod docfx;
pub mod headings;
pub mod highlight;
mod icons;
mod includes;
mod inline;
mod jsx;
mod kinds;
pub mod links;
mod math;
mod md_in_html;
mod mdx;
mod openers;
mod preprocess;
mod rewrite;
mod snippets;

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::base::html::escape;
use crate::diagnostics::Diagnostic;
pub use deps::{Dep, key};
use headings::{IdAllocator, TocEntry};
use rewrite::{paragraph_attributes, rewrite_event, scan_html, with_attributes};

/// The CommonMark extensions Kiln enables: GFM tables, task lists, strikethrough,
/// footnotes, alerts, and `{#id}` heading attributes.
pub fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_MATH
        // `~x~` is pymdownx's subscript, not GFM's one-tilde strikethrough (`~~x~~` stays
        // strikethrough); pulldown-cmark's own superscript is off, as it reads `^^ins^^`.
        | Options::ENABLE_SUBSCRIPT
}

/// What the Markdown stage needs from the site model: URLs for the files a page links to.
pub trait Resolver: Sync {
    /// URL of the page whose source is `rel` (content-relative), if it exists.
    fn page_url(&self, rel: &str) -> Option<String>;
    /// URL of the asset at `rel` (content-relative), if it exists.
    fn asset_url(&self, rel: &str) -> Option<String>;
    /// Text of a file included with docfx `[!INCLUDE]`, front matter removed.
    fn include(&self, rel: &str) -> Result<String, String>;
    /// What the folder of the page whose source is `rel` holds, for Docusaurus's
    /// `<DocCardList />`: its sub-folders, then its other articles.
    fn folder(&self, rel: &str) -> Vec<FolderEntry>;
    /// Whether `rel` is an internal article this (public) build left out.
    fn is_left_out(&self, _rel: &str) -> bool {
        false
    }
    /// Text of a snippet (`--8<-- "name"`, `{* name *}`): `name` as written, looked up in
    /// the site's snippet folders.
    fn snippet(&self, _name: &str) -> Result<String, String> {
        Err("this site reads no snippets".into())
    }
    /// Snippet files appended to every page.
    fn auto_append(&self) -> &[String] {
        &[]
    }
    /// The base that root-relative links matching nothing here are written against
    /// (`[links] external_base`), without a trailing `/`.
    fn external_base(&self) -> Option<&str> {
        None
    }
}

/// A sub-folder or an article in a folder listing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FolderEntry {
    /// Title or label.
    pub title: String,
    /// Site URL.
    pub url: String,
    /// One-line description, if any.
    pub description: Option<String>,
}

/// One page's body to render.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// Markdown body.
    pub body: &'a str,
    /// 1-based file line on which `body` starts.
    pub body_line: usize,
    /// Content-relative source path (links resolve against it).
    pub rel_path: &'a str,
    /// Path shown in diagnostics.
    pub file: &'a Path,
    /// The article's title, which its template shows as the `<h1>` with GitHub's id for it:
    /// that id is taken before the body's headings get theirs (none for section indexes).
    pub title: Option<&'a str>,
}

/// A heading of the page, for the table of contents and (later) search sub-results.
pub type Heading = TocEntry;

/// The rendered body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// HTML of the body.
    pub html: String,
    /// h2–h3 entries for the table of contents.
    pub toc: Vec<TocEntry>,
    /// Every heading h1–h6 with its id.
    pub headings: Vec<Heading>,
    /// The body as plain text (for descriptions and search).
    pub text: String,
    /// Links that can only be checked against the whole site (see [`links::Link`]).
    pub links: Vec<links::Link>,
    /// Every id a link's `#fragment` may name: heading ids and raw HTML `id`/`name`s.
    pub anchors: Vec<String>,
    /// What the page asked the site model, with digests of the answers: the body stays
    /// right while each [`Dep::holds`].
    pub deps: Vec<Dep>,
    /// Whether a code block got syntax-highlighting classes (the page then needs the
    /// highlighting stylesheet).
    pub highlighted: bool,
    /// Whether it has a diagram (a ```mermaid fence): the page then loads the diagram
    /// script, and the build writes it.
    pub diagrams: bool,
}

/// Render one page body. Problems are appended to `diags`; what the page asked `resolver`
/// is in [`Rendered::deps`].
pub fn render(input: Input<'_>, resolver: &dyn Resolver, diags: &mut Vec<Diagnostic>) -> Rendered {
    let recorder = deps::Recorder::new(resolver);
    let mut rendered = render_with(input, &recorder, diags);
    rendered.deps = recorder.into_deps();
    rendered
}

fn render_with(input: Input<'_>, resolver: &dyn Resolver, diags: &mut Vec<Diagnostic>) -> Rendered {
    let include = |wanted: admonitions::Wanted| match wanted {
        admonitions::Wanted::Page(target) => match links::resolve(input.rel_path, target) {
            Some(l) => resolver.include(&l.path),
            None => Err("not a local file".to_string()),
        },
        admonitions::Wanted::Snippet(name) => resolver.snippet(name),
    };
    let pre = admonitions::preprocess(input.body, input.body_line, &include, resolver.auto_append());
    report(&pre.issues, input.file, diags);
    let mut events: Vec<(Event, Range<usize>)> =
        // Text split where a delimiter did not end up delimiting (`{~~a~>b~~}`) is one run
        // again, so inline marks are read whole.
        pulldown_cmark::TextMergeWithOffset::new(Parser::new_ext(&pre.text, parser_options()).into_offset_iter())
            .collect();
    let mut rendered = Rendered::default();
    let mut ids = reserve_ids(input.title, &events, &mut rendered);
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        i += 1;
        match event {
            Event::Start(Tag::Heading { level, id, classes, .. }) => {
                let end = find_end(&events, i, |e| matches!(e, Event::End(TagEnd::Heading(_))));
                let heading = HeadingTag { level: *level as u8, id: id.as_deref(), classes };
                let inner = heading_inner(&events[i..end], input, resolver, &pre, diags, &mut rendered);
                heading_events(heading, &inner, &mut ids, &mut out, &mut rendered);
                i = end + 1;
            }
            // `[text](url){target="_blank"}`, `![alt](src){ width=300 }`: written with the
            // attributes.
            Event::Start(Tag::Link { link_type, .. } | Tag::Image { link_type, .. })
                if *link_type != LinkType::Email =>
            {
                let rewritten = rewrite_event(event, range, input, resolver, &pre, diags, &mut rendered);
                let (written, next) = with_attributes(&mut events, i, rewritten);
                out.push(written);
                i = next;
            }
            // A paragraph whose last line is `{: .class }`.
            Event::Start(Tag::Paragraph) => {
                rendered.text.push(' ');
                out.push(match paragraph_attributes(&mut events, i) {
                    Some(attrs) => Event::Html(format!("<p{attrs}>").into()),
                    None => Event::Start(Tag::Paragraph),
                });
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let end = find_end(&events, i, |e| matches!(e, Event::End(TagEnd::CodeBlock)));
                // A numbered list right after the block may hold its annotations.
                let notes = matches!(events.get(end + 1), Some((Event::Start(Tag::List(Some(1))), _)))
                    .then(|| format!("annotation-{}", out.len()));
                let (html, annotated) = code_block(kind, &events[i..end], &mut rendered, notes.clone());
                out.push(html);
                if let Some(block) = notes.filter(|_| annotated) {
                    annotations::notes_list(&mut events, end + 1, &block);
                }
                i = end + 1;
            }
            Event::Start(Tag::BlockQuote(Some(_)) | Tag::Table(_))
            | Event::End(TagEnd::BlockQuote(Some(_)) | TagEnd::Table)
            | Event::TaskListMarker(_) => wrap_event(event, &mut out),
            Event::Html(html) if html.trim() == mdx::FOLDER_LISTING => {
                out.push(Event::Html(folder_listing(&resolver.folder(input.rel_path)).into()));
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                scan_html(html, range.start, &pre, &mut rendered);
                out.push(event.clone());
            }
            _ => out.push(rewrite_event(event, range, input, resolver, &pre, diags, &mut rendered)),
        }
    }
    pulldown_cmark::html::push_html(&mut rendered.html, out.into_iter());
    rendered
}

/// A heading's events, its links and images rewritten and checked like any other.
fn heading_inner<'e>(
    inner: &[(Event<'e>, Range<usize>)],
    input: Input<'_>,
    resolver: &dyn Resolver,
    pre: &admonitions::Preprocessed,
    diags: &mut Vec<Diagnostic>,
    rendered: &mut Rendered,
) -> Vec<(Event<'e>, Range<usize>)> {
    inner
        .iter()
        .map(|(e, r)| match e {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                (rewrite_event(e, r, input, resolver, pre, diags, rendered), r.clone())
            }
            _ => (e.clone(), r.clone()),
        })
        .collect()
}

/// A folder's sub-folders and articles as link cards (`<DocCardList />`).
fn folder_listing(entries: &[FolderEntry]) -> String {
    let mut html = String::from("<div class=\"kiln-card-grid kiln-folder-listing\">\n");
    for e in entries {
        let desc = e.description.as_deref().map_or(String::new(), |d| {
            format!("<span class=\"kiln-link-card-description\">{}</span>", escape(d))
        });
        html.push_str(&format!(
            "<a class=\"kiln-link-card\" href=\"{}\"><span class=\"kiln-link-card-title\">{}</span>{desc}</a>\n",
            escape(&e.url),
            escape(&e.title)
        ));
    }
    html.push_str("</div>\n");
    html
}

/// The preprocessor's findings as diagnostics of `file`.
fn report(issues: &[admonitions::Issue], file: &Path, diags: &mut Vec<Diagnostic>) {
    for issue in issues {
        let d = if issue.is_error {
            Diagnostic::error(file, issue.message.clone())
        } else {
            Diagnostic::warning(file, issue.message.clone())
        };
        let d = d.at(issue.line, None);
        diags.push(if issue.once { d.code(crate::diagnostics::Code::Once) } else { d });
    }
}

/// Events whose HTML Kiln writes itself: GitHub alerts (only the wrapper changes, so their
/// content goes through the main loop), tables in a wrapper that scrolls, task boxes.
fn wrap_event<'e>(event: &Event<'e>, out: &mut Vec<Event<'e>>) {
    match event {
        Event::Start(Tag::BlockQuote(Some(kind))) => {
            let name = alert_name(*kind);
            let title = admonitions::default_title(name);
            let html = admonitions::open_html(alert_kind(*kind), name, &title, &title, false);
            out.push(Event::Html(format!("{html}\n").into()));
        }
        Event::End(TagEnd::BlockQuote(Some(kind))) => {
            out.push(Event::Html(format!("{}\n", admonitions::close_html(alert_kind(*kind))).into()));
        }
        // A wide table scrolls sideways in its wrapper: tabindex lets the keyboard scroll it.
        Event::Start(Tag::Table(_)) => {
            out.push(Event::Html("<div class=\"table-scroll\" tabindex=\"0\">".into()));
            out.push(event.clone());
        }
        Event::End(TagEnd::Table) => {
            out.push(event.clone());
            out.push(Event::Html("</div>\n".into()));
        }
        // A task's box is shown, not used: it is named so it is not an unlabelled form
        // field ("Done, checkbox, checked").
        Event::TaskListMarker(done) => {
            let checked = if *done { " checked=\"\"" } else { "" };
            let html = format!(
                "<input type=\"checkbox\" class=\"task-box\" disabled=\"\"{checked} aria-label=\"Done\"/>\n"
            );
            out.push(Event::InlineHtml(html.into()));
        }
        _ => out.push(event.clone()),
    }
}

/// Heading ids taken before any is generated: the article title's (its template shows it
/// as the `<h1>`) and every explicit `{#id}`.
fn reserve_ids(
    title: Option<&str>,
    events: &[(Event, Range<usize>)],
    rendered: &mut Rendered,
) -> IdAllocator {
    let mut ids = IdAllocator::default();
    if let Some(title) = title {
        let id = headings::heading_id(title);
        if !id.is_empty() {
            ids.reserve(&id);
            rendered.anchors.push(id);
        }
    }
    for (e, _) in events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = e {
            ids.reserve(id);
        }
    }
    ids
}

/// A heading's start tag, as parsed.
struct HeadingTag<'h> {
    level: u8,
    id: Option<&'h str>,
    classes: &'h [CowStr<'h>],
}

/// A heading with its id (explicit or allocated), its permalink anchor (h2–h4), and its
/// entry in the table of contents (h2–h3), the headings list and the text.
fn heading_events<'e>(
    h: HeadingTag,
    inner: &[(Event<'e>, Range<usize>)],
    ids: &mut IdAllocator,
    out: &mut Vec<Event<'e>>,
    rendered: &mut Rendered,
) {
    let title = plain_text(inner.iter().map(|(e, _)| e));
    let id = match h.id {
        Some(id) => id.to_string(),
        None => ids.allocate(&id_text(inner)),
    };
    let lvl = h.level;
    let class_attr = if h.classes.is_empty() {
        String::new()
    } else {
        format!(" class=\"{}\"", escape(&h.classes.join(" ")))
    };
    // The permalink sits beside its heading in a wrapper, not inside it, so it is not part
    // of the heading's accessible name.
    let anchored = (2..=4).contains(&lvl);
    if anchored {
        out.push(Event::Html(format!("<div class=\"heading-wrap heading-wrap-h{lvl}\">").into()));
    }
    out.push(Event::Html(format!("<h{lvl} id=\"{}\"{class_attr}>", escape(&id)).into()));
    out.extend(inner.iter().map(|(e, _)| e.clone()));
    out.push(Event::Html(format!("</h{lvl}>").into()));
    if anchored {
        out.push(Event::Html(
            format!(
                "<a class=\"anchor\" href=\"#{}\" aria-label=\"Permalink to {}\">#</a></div>",
                escape(&id),
                escape(&title)
            )
            .into(),
        ));
    }
    out.push(Event::Html("\n".into()));
    rendered.anchors.push(id.clone());
    let entry = TocEntry { level: lvl, id, title };
    if lvl == 2 || lvl == 3 {
        rendered.toc.push(entry.clone());
    }
    push_text(&mut rendered.text, &entry.title);
    rendered.headings.push(entry);
}

/// A code block as highlighted HTML; its code goes into the text.
/// With `notes` (the id prefix, when a numbered list follows), its annotation markers are
/// links to the list's items; the flag says whether it had any.
fn code_block<'e>(
    kind: &CodeBlockKind,
    inner: &[(Event, Range<usize>)],
    rendered: &mut Rendered,
    notes: Option<String>,
) -> (Event<'e>, bool) {
    let code: String = inner
        .iter()
        .filter_map(|(e, _)| if let Event::Text(t) = e { Some(t.as_ref()) } else { None })
        .collect();
    let mut fence = match kind {
        CodeBlockKind::Fenced(info) => code::fence(info),
        CodeBlockKind::Indented => code::Fence::default(),
    };
    if fence.lang == "mermaid" {
        rendered.diagrams = true;
        return (Event::Html(code::diagram_html(&code, &fence).into()), false);
    }
    push_text(&mut rendered.text, &code);
    let annotated = notes.is_some() && code.contains(')');
    fence.annotations = notes;
    let (html, highlighted) = code::block_html(&code, &fence);
    rendered.highlighted |= highlighted;
    let annotated = annotated && html.contains("class=\"code-annotation\"");
    (Event::Html(html.into()), annotated)
}

/// Index of the first event from `from` on that `is_end` accepts. Headings and code blocks,
/// the only tags searched for, never nest.
fn find_end(events: &[(Event, Range<usize>)], from: usize, is_end: impl Fn(&Event) -> bool) -> usize {
    events[from..].iter().position(|(e, _)| is_end(e)).map_or(events.len().saturating_sub(1), |p| from + p)
}

fn alert_kind(kind: BlockQuoteKind) -> admonitions::Kind {
    admonitions::kind_of(alert_name(kind)).unwrap_or(admonitions::Kind::Aside("note"))
}

fn alert_name(kind: BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "note",
        BlockQuoteKind::Tip => "tip",
        BlockQuoteKind::Important => "important",
        BlockQuoteKind::Warning => "warning",
        BlockQuoteKind::Caution => "caution",
    }
}

fn plain_text<'a, 'e: 'a>(events: impl Iterator<Item = &'a Event<'e>>) -> String {
    let mut s = String::new();
    for e in events {
        if let Event::Text(t) | Event::Code(t) = e {
            s.push_str(t);
        }
    }
    s.trim().to_string()
}

/// A heading's text for its id: a badge in it (`## useData <Badge text="composable" />`)
/// is not part of it, as VitePress and Docusaurus make ids from the text alone.
fn id_text(inner: &[(Event, Range<usize>)]) -> String {
    let mut in_badge = false;
    let mut s = String::new();
    for (e, _) in inner {
        match e {
            Event::InlineHtml(h) if h.contains("class=\"kiln-badge") => in_badge = !h.contains("</span>"),
            Event::InlineHtml(h) if in_badge && h.contains("</span>") => in_badge = false,
            Event::Text(t) | Event::Code(t) if !in_badge => s.push_str(t),
            _ => {}
        }
    }
    s.trim().to_string()
}

fn push_text(buf: &mut String, t: &str) {
    if !buf.is_empty() && !buf.ends_with(' ') {
        buf.push(' ');
    }
    buf.push_str(t.trim());
}
