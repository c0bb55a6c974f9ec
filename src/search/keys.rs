//! The keys of what the index is made from, so a warm build knows what it may keep: an
//! article's terms (its source and trail), a document (its terms and URL), a fragment
//! bundle (its documents), the whole index (every document in order and the sections'
//! ranges).

use super::index::SectionRange;
use crate::base::digest::{Digest, Key};

/// The key of an article's terms: its source's digest and its category/folder trail, under
/// the build's setup (configuration, theme, version).
pub fn terms_key<'a>(setup: Digest, source: Digest, trail: impl IntoIterator<Item = &'a str>) -> Digest {
    let mut k = Key::new();
    k.num(setup).num(source);
    for part in trail {
        k.str(part);
    }
    k.finish()
}

/// The key of a document of the index: its terms and its URL (what its fragment shows is
/// made from the same source).
pub fn doc_key(terms: Digest, url: &str) -> Digest {
    Key::new().num(terms).str(url).finish()
}

/// The key of a fragment bundle: its documents' keys, in order.
pub fn bundle_key(docs: impl IntoIterator<Item = Digest>) -> Digest {
    let mut k = Key::new();
    for d in docs {
        k.num(d);
    }
    k.finish()
}

/// The key of the whole index: every document's key in index order and the sections'
/// ranges, under the build's setup.
pub fn index_key(setup: Digest, docs: impl IntoIterator<Item = Digest>, ranges: &[SectionRange]) -> Digest {
    let mut k = Key::new();
    k.num(setup);
    for d in docs {
        k.num(d);
    }
    for r in ranges {
        k.str(&r.label).num(r.depth as u128).num(r.parent.map_or(0, |p| p as u128 + 1));
        k.num(r.start as u128).num(r.end as u128);
    }
    k.finish()
}
