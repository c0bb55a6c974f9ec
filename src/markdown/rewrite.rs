//! The events that change on their way to HTML: links and images (targets rewritten to
//! site URLs and noted for the link check; attribute lists after them), paragraphs ending
//! in an attribute list, text (emoji and icon shortcodes, abbreviations, pymdownx marks),
//! math, and the links and anchors of raw HTML.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::{
    Input, Rendered, Resolver, abbreviations, admonitions, find_end, icons, inline, links, math, push_text,
};
use crate::base::html::escape;
use crate::diagnostics::{Code, Diagnostic};

/// A link or image (its start, rewritten; the events after it from `i`) written as HTML with
/// the attribute list that follows it, if one does; and where the main loop goes on.
pub(super) fn with_attributes<'e>(
    events: &mut [(Event<'e>, Range<usize>)],
    i: usize,
    rewritten: Event<'e>,
) -> (Event<'e>, usize) {
    let is_image = matches!(rewritten, Event::Start(Tag::Image { .. }));
    let end = find_end(events, i, |e| matches!(e, Event::End(TagEnd::Link | TagEnd::Image)));
    let attrs = match events.get(end + 1) {
        Some((Event::Text(t), _)) => inline::attr_list(t),
        _ => None,
    };
    let Some((attrs, used)) = attrs else { return (rewritten, i) };
    let Event::Start(Tag::Link { dest_url, title, .. } | Tag::Image { dest_url, title, .. }) = &rewritten
    else {
        return (rewritten, i);
    };
    let title = if title.is_empty() { String::new() } else { format!(" title=\"{}\"", escape(title)) };
    let Event::Text(t) = &events[end + 1].0 else { unreachable!("checked above") };
    events[end + 1].0 = Event::Text(t[used..].to_string().into());
    if is_image {
        let alt: String = events[i..end]
            .iter()
            .filter_map(
                |(e, _)| if let Event::Text(t) | Event::Code(t) = e { Some(t.as_ref()) } else { None },
            )
            .collect();
        let html = format!("<img src=\"{}\" alt=\"{}\"{title}{attrs}>", escape(dest_url), escape(&alt));
        return (Event::InlineHtml(html.into()), end + 1);
    }
    events[end].0 = Event::InlineHtml("</a>".into());
    (Event::InlineHtml(format!("<a href=\"{}\"{title}{attrs}>", escape(dest_url)).into()), i)
}

/// The attributes of a paragraph whose last line is an attribute list (`{: .note }`): the
/// line and the break before it are taken out of `events`, and its end made `</p>`.
pub(super) fn paragraph_attributes(events: &mut [(Event<'_>, Range<usize>)], i: usize) -> Option<String> {
    let end = find_end(events, i, |e| matches!(e, Event::End(TagEnd::Paragraph)));
    if end < i + 2 || !matches!(events[end - 2].0, Event::SoftBreak) {
        return None;
    }
    let Event::Text(t) = &events[end - 1].0 else { return None };
    let line = t.trim_end();
    let (attrs, _) = inline::attr_list(line).filter(|&(_, used)| used == line.len())?;
    events[end - 2].0 = Event::Text("".into());
    events[end - 1].0 = Event::Text("".into());
    events[end].0 = Event::Html("</p>\n".into());
    Some(attrs)
}

/// Rewrite a link's or image's target, and collect plain text.
pub(super) fn rewrite_event<'e>(
    event: &Event<'e>,
    range: &Range<usize>,
    input: Input<'_>,
    resolver: &dyn Resolver,
    pre: &admonitions::Preprocessed,
    diags: &mut Vec<Diagnostic>,
    rendered: &mut Rendered,
) -> Event<'e> {
    let text = &mut rendered.text;
    match event {
        // `<user@example.com>`: pulldown-cmark writes the `mailto:`; it is no file.
        Event::Start(Tag::Link { link_type: LinkType::Email, .. }) => event.clone(),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            let at = pre.file_pos(range.start);
            let dest_url = rewrite_href(dest_url, false, input, resolver, at, diags, &mut rendered.links);
            Event::Start(Tag::Link { link_type: *link_type, dest_url, title: title.clone(), id: id.clone() })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            let at = pre.file_pos(range.start);
            let dest_url = rewrite_href(dest_url, true, input, resolver, at, diags, &mut rendered.links);
            Event::Start(Tag::Image { link_type: *link_type, dest_url, title: title.clone(), id: id.clone() })
        }
        // A backslash before a mark's character (`x\^2\^`, `\:smile\:`) keeps the run as
        // written, as pymdownx does: merged text no longer shows which characters were escaped.
        Event::Text(t) if escapes_a_mark(&pre.text[range.clone()]) => {
            push_text(text, t);
            event.clone()
        }
        Event::Text(t) => {
            let t = inline::shortcodes(t);
            push_text(text, &t);
            if let Some((html, unknown)) = icons::draw(&t) {
                let (line, col) = pre.file_pos(range.start);
                for name in unknown {
                    let message = format!("icon `:{name}:` is not in the bundled icon sets; shown as text");
                    diags.push(Diagnostic::warning(input.file, message).at(line, Some(col)).code(Code::Once));
                }
                return Event::InlineHtml(html.into());
            }
            if let Some(html) = abbreviations::mark(&t, &pre.abbreviations) {
                return Event::InlineHtml(html.into());
            }
            match (inline::marks(&t), t) {
                (Some(html), _) => Event::InlineHtml(html.into()),
                (None, Cow::Owned(t)) => Event::Text(t.into()),
                (None, Cow::Borrowed(_)) => event.clone(),
            }
        }
        Event::Code(t) => {
            push_text(text, t);
            event.clone()
        }
        Event::InlineMath(t) | Event::DisplayMath(t) => {
            push_text(text, t);
            let (html, why) = math::html(t, matches!(event, Event::DisplayMath(_)));
            if let Some(why) = why {
                let (line, col) = pre.file_pos(range.start);
                let shown: String = t.chars().take(40).collect();
                diags.push(
                    Diagnostic::warning(
                        input.file,
                        format!("math `{shown}` cannot be read ({why}); shown as its source"),
                    )
                    .at(line, Some(col)),
                );
            }
            Event::InlineHtml(html.into())
        }
        Event::Start(Tag::Paragraph | Tag::Item | Tag::TableCell) | Event::SoftBreak | Event::HardBreak => {
            text.push(' ');
            event.clone()
        }
        _ => event.clone(),
    }
}

/// Map a link target to its URL. A local `.md` link to no page is reported here; links to
/// pages (with their fragments), in-page fragments and local targets no content file
/// matches (site URLs, `static/` files, missing images) are noted in `found` for the
/// site-wide check ([`crate::check`]).
pub(super) fn rewrite_href<'e>(
    href: &CowStr<'e>,
    is_image: bool,
    input: Input<'_>,
    resolver: &dyn Resolver,
    (line, col): (usize, usize),
    diags: &mut Vec<Diagnostic>,
    found: &mut Vec<links::Link>,
) -> CowStr<'e> {
    let mut note = |target: links::Target| {
        // A link to a page without a fragment is only counted (for orphans), never
        // reported: its text need not be kept (the build cache holds every link).
        let counted_only = matches!(&target, links::Target::Page { fragment, .. } if fragment.is_empty());
        let href = if counted_only { String::new() } else { href.to_string() };
        found.push(links::Link { href, target, line, col })
    };
    if let Some(fragment) = href.strip_prefix('#') {
        if checkable_fragment(fragment) {
            note(links::Target::Here(crate::base::percent::decode(fragment)));
        }
        return href.clone();
    }
    let Some(link) = links::resolve(input.rel_path, href) else {
        return href.clone();
    };
    let fragment = link.fragment.strip_prefix('#').unwrap_or("");
    // Noted with or without a fragment: the orphan check counts the links to each page.
    let to_page = |rel: String, note: &mut dyn FnMut(links::Target)| {
        let fragment =
            if checkable_fragment(fragment) { crate::base::percent::decode(fragment) } else { String::new() };
        note(links::Target::Page { rel, fragment });
    };
    let lower = link.path.to_ascii_lowercase();
    if lower.ends_with(".md") || lower.ends_with(".markdown") || lower.ends_with(".mdx") {
        if let Some(url) = resolver.page_url(&link.path) {
            to_page(link.path, &mut note);
            return format!("{url}{}", link.fragment).into();
        }
        let message = if resolver.is_left_out(&link.path) {
            format!(
                "link to internal article `{href}` ({}) from a public one: the public build leaves it out, so the link would break (or, built for agents, lead readers to agent-only content)",
                link.path
            )
        } else {
            format!("link to missing page `{href}` (resolved to {} in the content folder)", link.path)
        };
        diags.push(Diagnostic::warning(input.file, message).at(line, Some(col)).code(Code::MissingPage));
        return href.clone();
    }
    if let Some(url) = resolver.asset_url(&link.path) {
        return format!("{url}{}", link.fragment).into();
    }
    if !is_image {
        for rel in links::page_candidates(&link.path) {
            if let Some(url) = resolver.page_url(&rel) {
                to_page(rel, &mut note);
                return format!("{url}{}", link.fragment).into();
            }
        }
    }
    if let Some(base) = resolver.external_base().filter(|_| href.starts_with('/')) {
        return format!("{base}{href}").into();
    }
    // Left as written: the browser resolves it against the page's URL, so the site-wide
    // check looks for it among the built site's files (a theme's or `static/` file, say).
    note(links::Target::Url(href.to_string()));
    href.clone()
}

/// Whether a `#fragment` names something to look for: `#` alone and `#top` (which the
/// HTML standard scrolls to the top) always work.
pub(super) fn checkable_fragment(fragment: &str) -> bool {
    !fragment.is_empty() && !fragment.eq_ignore_ascii_case("top")
}

/// Note the anchors and local links of a piece of raw HTML (pasted HTML is not rewritten,
/// so its links are checked as the browser will resolve them).
pub(super) fn scan_html(html: &str, start: usize, pre: &admonitions::Preprocessed, rendered: &mut Rendered) {
    if !html.contains('=') {
        return;
    }
    for (attr, value, at) in links::html_attrs(html) {
        let value = value.trim();
        match attr {
            "id" | "name" if !value.is_empty() => rendered.anchors.push(value.to_string()),
            "href" | "src" if !links::is_external(value) || value.starts_with('#') => {
                let target = match value.strip_prefix('#') {
                    Some(f) if checkable_fragment(f) => links::Target::Here(crate::base::percent::decode(f)),
                    Some(_) => continue,
                    None if value.is_empty() => continue,
                    None => links::Target::Url(value.to_string()),
                };
                let (line, col) = pre.file_pos(start + at);
                rendered.links.push(links::Link { href: value.to_string(), target, line, col });
            }
            _ => {}
        }
    }
}

/// Whether Markdown source escapes a character that opens an inline mark, emoji or critic
/// markup (`\^`, `\~`, `\=`, `\+`, `\{`, `\:`).
fn escapes_a_mark(source: &str) -> bool {
    source.as_bytes().windows(2).any(|w| w[0] == b'\\' && b"=^+{~:".contains(&w[1]))
}
