//! What a load of the content folder leaves for the next one (the build cache keeps it): a
//! [`Record`] per Markdown file, and how its parsed page is stored. The cache is postcard
//! (compact, and an order of magnitude faster to read than JSON for a 100k-page site),
//! which cannot carry values whose type is only known from the data: the free-form `extra`
//! map is stored as JSON text.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::base::digest::{Digest, Stamp};
use crate::content::SourcePage;
use crate::diagnostics::Diagnostic;

/// A Markdown file as the last build loaded it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The file's stamp when read (`None` when it was too fresh to trust).
    pub stamp: Option<Stamp>,
    /// Digest of its bytes.
    pub hash: Digest,
    /// The parsed page (its Markdown is never kept: a build reads it again when it must
    /// render it); `None` while a build holds the page itself, filled in when the record
    /// is saved.
    pub page: Option<SourcePage>,
    /// Warnings loading it gave.
    pub warnings: Vec<Diagnostic>,
}

/// What earlier loads left: the build cache's part in loading, as this stage sees it.
pub trait Prior: Send {
    /// Take the record the last load of `rel` left (each file is asked once).
    fn take(&mut self, rel: &str) -> Option<Record>;
    /// How many records were never taken (files gone since).
    fn untaken(&self) -> usize;
}

impl Prior for std::collections::HashMap<String, Record> {
    fn take(&mut self, rel: &str) -> Option<Record> {
        self.remove(rel)
    }

    fn untaken(&self) -> usize {
        self.len()
    }
}

/// `#[serde(with)]` adapter for a page's `extra` map: JSON text (`{}` for most pages).
pub mod extra {
    use super::*;

    type Extra = BTreeMap<String, serde_json::Value>;

    /// Store as JSON text.
    pub fn serialize<S: Serializer>(m: &Extra, s: S) -> Result<S::Ok, S::Error> {
        serde_json::to_string(m).map_err(serde::ser::Error::custom)?.serialize(s)
    }

    /// Parse the JSON text back.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Extra, D::Error> {
        let text = String::deserialize(d)?;
        serde_json::from_str(&text).map_err(serde::de::Error::custom)
    }
}
