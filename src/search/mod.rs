//! Search stage: a sharded, pre-scored index written beside the site, queried in the
//! browser by `search.js` fetching only the shards its terms need.
//!
//! [`tokenize`] splits KB text (codes whole and in parts), [`index`] scores every term of
//! every article with BM25F, and [`write`] cuts the result into small gzip files.

pub mod index;
pub mod keys;
pub mod lang;
pub mod live;
pub mod related;
pub mod stored;
pub mod terms;
pub mod tokenize;
pub mod write;

use crate::error::Result;
use crate::markdown::Rendered;
use crate::output::Sink;
use crate::site::Site;
pub use write::Stats;

/// What the index needs of a page once its terms are counted: its headings and the start
/// of its text (for result fragments). The rest is released (its links and anchors stay
/// for the site-wide check), which keeps a 100k-page build's memory down.
pub fn keep_for_fragments(body: &mut Rendered) {
    if let Some((at, _)) = body.text.char_indices().nth(write::FRAGMENT_TEXT_CHARS + 1) {
        body.text.truncate(at);
        body.text.shrink_to_fit();
    }
    body.toc = Vec::new();
    body.deps = Vec::new();
}

/// Build the index for `site` and write it under `search/` in `sink`.
pub fn build_and_write(site: &Site, bodies: &[Rendered], sink: &dyn Sink) -> Result<Stats> {
    let index = index::build(site, bodies);
    Ok(write::write(&index, site, bodies, sink, &write::NoReuse)?.0)
}

/// Write the index an [`index::Indexer`] assembled from `per_page`; `bodies` need only
/// their text and headings (for result fragments).
pub fn finish_and_write(
    indexer: index::Indexer,
    per_page: Vec<index::PageOut>,
    site: &Site,
    bodies: &[Rendered],
    sink: &dyn Sink,
    reuse: &dyn write::Reuse,
) -> Result<Stats> {
    let index = indexer.finish(site, per_page);
    Ok(write::write(&index, site, bodies, sink, reuse)?.0)
}
