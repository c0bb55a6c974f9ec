//! `sitemap.xml` and `robots.txt`: every page a search engine should index (home, sections,
//! articles, tags), with its last-updated date, split into an index of sitemaps past the
//! protocol's 50,000 URLs per file.

use super::permalink;
use crate::error::Result;
use crate::output::Sink;
use crate::site::Site;

/// URLs per sitemap file (the sitemaps.org limit).
const MAX_URLS: usize = 50_000;

/// One `<url>`: absolute location and optional last-modified date.
struct Entry {
    loc: String,
    lastmod: Option<String>,
    /// The page's translations as `(hreflang, absolute URL)`, in a multilingual site.
    alternates: Vec<(String, String)>,
}

/// Write `sitemap.xml` (or `sitemap.xml` as an index of `sitemap-N.xml`) and, unless the
/// theme or `static/` ships its own, `robots.txt` pointing to it.
pub fn write(site: &Site, sink: &dyn Sink, theme_has_robots: bool) -> Result<()> {
    write_all(std::slice::from_ref(site), sink, theme_has_robots)
}

/// [`write`] for the sites of a multilingual site's languages (the default's first): one
/// sitemap of every language's pages, each with its translations as
/// `<xhtml:link rel="alternate" hreflang>`.
pub fn write_all(sites: &[Site], sink: &dyn Sink, theme_has_robots: bool) -> Result<()> {
    let Some(site) = sites.first() else { return Ok(()) };
    let entries = sites.iter().flat_map(entries).collect();
    for (path, bytes) in files(site, entries, MAX_URLS) {
        sink.write(&path, bytes.as_bytes())?;
    }
    if !theme_has_robots {
        let robots = format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            permalink(site, &format!("{}sitemap.xml", site.root_path))
        );
        sink.write("robots.txt", robots.as_bytes())?;
    }
    Ok(())
}

fn entries(site: &Site) -> Vec<Entry> {
    // The date part is what sitemaps need; W3C full date-times would also need a zone.
    let day = |d: Option<&String>| d.map(|d| d.chars().take(10).collect::<String>());
    let langs = site.languages.as_ref();
    // Every language's version but pages shown for want of a translation.
    let alternates = |versions: Option<&Vec<Option<String>>>| -> Vec<(String, String)> {
        let (Some(l), Some(v)) = (langs, versions) else { return Vec::new() };
        let mut out: Vec<(String, String)> = l
            .all
            .iter()
            .zip(v)
            .filter_map(|(h, u)| Some((h.code.clone(), permalink(site, u.as_ref()?))))
            .collect();
        if out.len() < 2 {
            return Vec::new();
        }
        if let Some(Some(default)) = v.first() {
            out.push(("x-default".into(), permalink(site, default)));
        }
        out
    };
    let mut out = Vec::with_capacity(site.pages.len() + site.sections.len() + site.tags.len());
    for (id, s) in site.sections.iter().enumerate() {
        let alternates = alternates(langs.map(|l| &l.sections[id]));
        out.push(Entry { loc: permalink(site, &s.url), lastmod: None, alternates });
    }
    for (id, p) in site.pages.iter().enumerate().filter(|(_, p)| !p.source.meta.unlisted) {
        if langs.is_some_and(|l| l.is_fallback(id)) {
            continue;
        }
        out.push(Entry {
            loc: permalink(site, &p.url),
            lastmod: day(p.updated.as_ref().or(p.source.meta.date.as_ref())),
            alternates: alternates(langs.map(|l| &l.pages[id])),
        });
    }
    let plain = |loc: String| Entry { loc, lastmod: None, alternates: Vec::new() };
    if !site.tags.is_empty() {
        out.push(plain(permalink(site, &format!("{}tags/", site.base_path))));
    }
    for t in site.tags.values() {
        out.push(plain(permalink(site, &t.url)));
    }
    out
}

/// (output path, XML) of the sitemap files, at most `limit` URLs each.
fn files(site: &Site, entries: Vec<Entry>, limit: usize) -> Vec<(String, String)> {
    let esc = crate::base::html::escape;
    let urlset = |chunk: &[Entry]| {
        let mut x = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
        );
        if chunk.iter().any(|e| !e.alternates.is_empty()) {
            x.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
        }
        x.push_str(">\n");
        for e in chunk {
            x.push_str(&format!("<url><loc>{}</loc>", esc(&e.loc)));
            if let Some(d) = &e.lastmod {
                x.push_str(&format!("<lastmod>{}</lastmod>", esc(d)));
            }
            for (lang, href) in &e.alternates {
                x.push_str(&format!(
                    "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    esc(lang),
                    esc(href)
                ));
            }
            x.push_str("</url>\n");
        }
        x.push_str("</urlset>\n");
        x
    };
    if entries.len() <= limit {
        return vec![("sitemap.xml".to_string(), urlset(&entries))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, chunk) in entries.chunks(limit).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        let loc = permalink(site, &format!("{}{name}", site.root_path));
        index.push_str(&format!("<sitemap><loc>{}</loc></sitemap>\n", esc(&loc)));
        files.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.push(("sitemap.xml".to_string(), index));
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;
    use crate::content::Content;
    use crate::diagnostics::Diagnostics;

    #[test]
    fn past_the_limit_the_sitemap_becomes_an_index() {
        let config = SiteConfig { base_url: "https://org.github.io/kb/".into(), ..Default::default() };
        let (site, _) = Site::build(config, Content::default(), "content".into(), &Diagnostics::new());
        // An empty site still has its home page: one URL.
        let one = files(&site, entries(&site), 1);
        assert_eq!(one.len(), 1);
        assert!(one[0].1.contains("<loc>https://org.github.io/kb/</loc>"));
        let mut big = Content::default();
        for i in 0..3 {
            let (page, body, _) = crate::content::parse_page(
                format!("---\ntitle: P{i}\nupdated: 2024-05-0{}T10:00:00Z\n---\nx\n", i + 1).into_bytes(),
                &format!("c/p{i}.md"),
                std::path::Path::new("x"),
                &Default::default(),
            )
            .unwrap();
            big.pages.push(crate::content::Source { page, body: Some(body) });
        }
        let config = SiteConfig { base_url: "https://org.github.io/kb/".into(), ..Default::default() };
        let (site, _) = Site::build(config, big, "content".into(), &Diagnostics::new());
        let out = files(&site, entries(&site), 2);
        let names: Vec<&str> = out.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]);
        let index = &out[3].1;
        assert!(index.starts_with("<?xml") && index.contains("<sitemapindex"));
        assert!(index.contains("<sitemap><loc>https://org.github.io/kb/sitemap-2.xml</loc></sitemap>"));
        let all: String = out[..3].iter().map(|(_, x)| x.as_str()).collect();
        assert!(
            all.contains("<loc>https://org.github.io/kb/c/p1/</loc><lastmod>2024-05-02</lastmod>"),
            "{all}"
        );
    }
}
