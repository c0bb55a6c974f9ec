//! Atom feeds of recently updated articles: `atom.xml` for the whole site and one per
//! category (`<category>/atom.xml`), so readers can follow the part of a knowledge base
//! they care about. Entries are articles with an `updated` or `date`, newest first; a feed
//! with none is not written. Nothing depends on the build's own clock: the feed's
//! `updated` is its newest entry's, so two builds of the same input are identical.

use super::{context, permalink};
use crate::error::Result;
use crate::output::Sink;
use crate::site::{PageId, ROOT, SectionId, Site};

/// Entries per feed.
const ENTRIES: usize = 20;

/// An RFC 3339 time for a front matter date.
fn rfc3339(d: &str) -> String {
    crate::base::date::rfc3339(d)
}

/// Articles of `section` and below with a date, newest first (ties by URL).
fn dated(site: &Site, section: SectionId) -> Vec<(PageId, String)> {
    let mut ids: Vec<(PageId, String)> = (0..site.pages.len())
        .filter(|&p| !site.pages[p].source.meta.unlisted)
        .filter(|&p| section == ROOT || site.ancestry(site.pages[p].section).contains(&section))
        .filter_map(|p| {
            let page = &site.pages[p];
            page.updated.as_ref().or(page.source.meta.date.as_ref()).map(|d| (p, rfc3339(d)))
        })
        .collect();
    ids.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| site.pages[a.0].url.cmp(&site.pages[b.0].url)));
    ids.truncate(ENTRIES);
    ids
}

/// The URL of the site feed, if the site has one.
pub fn site_feed(site: &Site) -> Option<String> {
    site.pages
        .iter()
        .any(|p| !p.source.meta.unlisted && (p.updated.is_some() || p.source.meta.date.is_some()))
        .then(|| format!("{}atom.xml", site.base_path))
}

/// Write the site feed and each category's.
pub fn write(site: &Site, sink: &dyn Sink) -> Result<()> {
    for id in std::iter::once(ROOT).chain(site.sections[ROOT].children.iter().copied()) {
        let entries = dated(site, id);
        if entries.is_empty() {
            continue;
        }
        let s = &site.sections[id];
        let title = if id == ROOT {
            site.config.title.clone()
        } else {
            format!("{} · {}", s.label, site.config.title)
        };
        let rel = format!("{}atom.xml", s.url.strip_prefix(&site.base_path).unwrap_or(""));
        sink.write(&rel, feed(site, id, &title, &entries).as_bytes())?;
    }
    Ok(())
}

fn feed(site: &Site, section: SectionId, title: &str, entries: &[(PageId, String)]) -> String {
    let esc = crate::base::html::escape;
    let s = &site.sections[section];
    let home = permalink(site, &s.url);
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
    );
    x.push_str(&format!("<title>{}</title>\n", esc(title)));
    x.push_str(&format!("<link href=\"{}\"/>\n", esc(&home)));
    x.push_str(&format!("<link rel=\"self\" href=\"{}atom.xml\"/>\n", esc(&home)));
    x.push_str(&format!("<id>{}</id>\n", esc(&home)));
    x.push_str(&format!("<updated>{}</updated>\n", esc(&entries[0].1)));
    x.push_str(&format!(
        "<generator>Kiln</generator>\n<author><name>{}</name></author>\n",
        esc(&site.config.title)
    ));
    for (p, updated) in entries {
        let page = &site.pages[*p];
        let url = permalink(site, &page.url);
        let card = context::page_card(site, *p);
        x.push_str("<entry>\n");
        x.push_str(&format!("<title>{}</title>\n", esc(&page.source.title)));
        x.push_str(&format!("<link href=\"{}\"/>\n<id>{}</id>\n", esc(&url), esc(&url)));
        x.push_str(&format!("<updated>{}</updated>\n", esc(updated)));
        if let Some(d) = &page.source.meta.date {
            x.push_str(&format!("<published>{}</published>\n", esc(&rfc3339(d))));
        }
        if !card.trail.is_empty() {
            x.push_str(&format!("<category term=\"{}\"/>\n", esc(&card.trail)));
        }
        if let Some(d) = &page.source.meta.description {
            x.push_str(&format!("<summary>{}</summary>\n", esc(d)));
        }
        x.push_str("</entry>\n");
    }
    x.push_str("</feed>\n");
    x
}
