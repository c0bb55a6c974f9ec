//! What a load of the content folder leaves for the next one (the build cache keeps it): a
//! [`Record`] per Markdown file, and how its parsed page is stored. The cache is postcard (compact, and an order
//! of magnitude faster to read than JSON for a 100k-page site), which cannot carry values
//! whose type is only known from the data: front matter's lenient field parsers and the
//! free-form `extra` map. These adapters store the front matter as plain fields and `extra`
//! as JSON text.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::base::digest::{Digest, Stamp};
use crate::content::{FrontMatter, SourcePage};
use crate::diagnostics::Diagnostic;

/// A Markdown file as the last build loaded it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The file's stamp when read (`None` when it was too fresh to trust).
    pub stamp: Option<Stamp>,
    /// Digest of its bytes.
    pub hash: Digest,
    /// The parsed page, body left out (filled in when the record is saved; empty while a
    /// build holds the page itself).
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

#[derive(Serialize, Deserialize)]
struct Meta {
    title: Option<String>,
    description: Option<String>,
    category: Option<String>,
    folder: Option<String>,
    tags: Vec<String>,
    date: Option<String>,
    updated: Option<String>,
    draft: bool,
    unlisted: bool,
    weight: Option<i64>,
    slug: Option<String>,
    aliases: Vec<String>,
}

/// `#[serde(with)]` adapter for [`FrontMatter`].
pub mod meta {
    use super::*;

    /// Store the fields as they are.
    pub fn serialize<S: Serializer>(m: &FrontMatter, s: S) -> Result<S::Ok, S::Error> {
        let FrontMatter {
            title,
            description,
            category,
            folder,
            tags,
            date,
            updated,
            draft,
            unlisted,
            weight,
            slug,
            aliases,
        } = m.clone();
        Meta {
            title,
            description,
            category,
            folder,
            tags,
            date,
            updated,
            draft,
            unlisted,
            weight,
            slug,
            aliases,
        }
        .serialize(s)
    }

    /// Read them back.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<FrontMatter, D::Error> {
        let Meta {
            title,
            description,
            category,
            folder,
            tags,
            date,
            updated,
            draft,
            unlisted,
            weight,
            slug,
            aliases,
        } = Meta::deserialize(d)?;
        Ok(FrontMatter {
            title,
            description,
            category,
            folder,
            tags,
            date,
            updated,
            draft,
            unlisted,
            weight,
            slug,
            aliases,
        })
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
