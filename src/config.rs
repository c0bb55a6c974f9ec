//! `site.toml`: the site's settings, with an error naming the line of any unknown key.
//!
//! The file is optional; a folder holding only `content/` builds with [`SiteConfig::default`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, line_col};
use crate::error::{Error, Result};

/// The name of the config file at the site root.
pub const CONFIG_FILE: &str = "site.toml";
/// Folder under the site root that holds the build cache.
pub const CACHE_DIR: &str = ".kiln-cache";

/// Everything `site.toml` can say. Unknown keys are rejected so that typos do not pass
/// silently.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// Site title, shown in the header and the `<title>` of every page.
    pub title: String,
    /// One-line description for the home page and meta tags.
    pub description: String,
    /// Absolute URL the site is served from; its path part prefixes every link.
    pub base_url: String,
    /// Language code for `<html lang>`.
    pub language: String,
    /// Theme name: `default` (embedded) or a folder under `themes/`.
    pub theme: String,
    /// Output folder, relative to the site root.
    pub output_dir: PathBuf,
    /// Category slugs (or labels) in the order the navigation shows them; the rest follow
    /// by title.
    pub category_order: Vec<String>,
    /// Per-category label and description, keyed by category slug.
    pub categories: BTreeMap<String, SectionConfig>,
    /// Per-folder label and description, keyed by `category-slug/folder-slug[/…]`.
    pub folders: BTreeMap<String, SectionConfig>,
    /// "Edit this page" link pattern; `{path}` is replaced by the file's path under the
    /// site root, e.g. `https://github.com/org/kb/edit/main/{path}`.
    pub edit_url: Option<String>,
    /// Number of recently updated articles on the home page.
    pub recent_count: usize,
    /// Articles an open folder lists in the sidebar before a "more" link to the folder
    /// page (the current article is always listed); `0` lists all. Keeps page size flat
    /// as folders grow: a sidebar listing every article of a 1,000-article folder on each
    /// of its pages makes the site grow with the square of the folder size.
    pub sidebar_pages: usize,
    /// Build the search index and show the search box (`search = false` leaves both out).
    pub search: bool,
    /// Take an article's last-updated date from its last git commit when its front matter
    /// has no `updated` (default true).
    pub git_dates: bool,
    /// The site's icon: a path under the output (a file from `static/` or the theme), linked
    /// from every page's `<head>`; empty for none. Default: the default theme's.
    pub favicon: String,
    /// Which front matter keys fill each of Kiln's fields (`[front_matter]`).
    pub front_matter: FrontMatterKeys,
    /// Free-form values for themes, exposed to templates as `config.extra`.
    pub extra: BTreeMap<String, toml::Value>,
}

/// For each of Kiln's front matter fields, the keys that fill it, first found wins; a
/// dotted key reaches into a map (`last_update.date`). The defaults read what MkDocs,
/// Docusaurus, Starlight, VitePress, Hugo, Jekyll and docfx write.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct FrontMatterKeys {
    /// Page title.
    pub title: Vec<String>,
    /// One-line summary.
    pub description: Vec<String>,
    /// Category label.
    pub category: Vec<String>,
    /// Folder label.
    pub folder: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Publication date.
    pub date: Vec<String>,
    /// Last-updated date.
    pub updated: Vec<String>,
    /// Draft flag.
    pub draft: Vec<String>,
    /// Unlisted flag.
    pub unlisted: Vec<String>,
    /// Sort key among siblings.
    pub weight: Vec<String>,
    /// URL slug.
    pub slug: Vec<String>,
    /// Old URLs.
    pub aliases: Vec<String>,
}

impl Default for FrontMatterKeys {
    fn default() -> Self {
        let keys = |k: &[&str]| k.iter().map(|s| s.to_string()).collect();
        FrontMatterKeys {
            title: keys(&["title"]),
            description: keys(&["description", "summary"]),
            category: keys(&["category"]),
            folder: keys(&["folder"]),
            tags: keys(&["tags"]),
            date: keys(&["date", "pubDate", "created"]),
            updated: keys(&[
                "updated",
                "date.updated",
                "last_update.date",
                "lastUpdated",
                "lastmod",
                "ms.date",
            ]),
            draft: keys(&["draft"]),
            unlisted: keys(&["unlisted", "sidebar.hidden"]),
            weight: keys(&["weight", "sidebar_position", "sidebar.order", "nav_order", "order"]),
            slug: keys(&["slug"]),
            aliases: keys(&["aliases", "redirect_from"]),
        }
    }
}

/// Label and description for a category or folder.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SectionConfig {
    /// Display name, replacing the one derived from the folder name or front matter.
    pub label: Option<String>,
    /// Shown under the name on listing pages.
    pub description: Option<String>,
    /// Sort key among siblings (lower first); ties are broken by label.
    pub weight: Option<i64>,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Knowledge base".into(),
            description: String::new(),
            base_url: "/".into(),
            language: "en".into(),
            theme: "default".into(),
            output_dir: PathBuf::from("public"),
            category_order: Vec::new(),
            categories: BTreeMap::new(),
            folders: BTreeMap::new(),
            edit_url: None,
            recent_count: 8,
            sidebar_pages: 50,
            search: true,
            git_dates: true,
            favicon: "assets/favicon.svg".into(),
            front_matter: FrontMatterKeys::default(),
            extra: BTreeMap::new(),
        }
    }
}

impl SiteConfig {
    /// Load `site.toml` from `root`, or the defaults when it does not exist.
    pub fn load(root: &Path) -> Result<Self> {
        let path = root.join(CONFIG_FILE);
        use crate::base::confine::{ReadError, read_to_string};
        let text = match read_to_string(root, &path) {
            Ok(t) => t,
            Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(Error::Config(Diagnostic::error(CONFIG_FILE, e.to_string()))),
        };
        Self::parse(&text)
    }

    /// Parse the text of a `site.toml`.
    pub fn parse(text: &str) -> Result<Self> {
        let mut config: SiteConfig = toml::from_str(text).map_err(|e| {
            let mut d = Diagnostic::error(CONFIG_FILE, e.message().to_string());
            if let Some(span) = e.span() {
                let (line, col) = line_col(text, span.start);
                d = d.at(line, Some(col));
            }
            Error::Config(d)
        })?;
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        Ok(config)
    }

    /// The path part of `base_url`, always starting and ending with `/` (`/` or `/kb/`).
    /// Every internal link is prefixed with it so the site works under a sub-path.
    pub fn base_path(&self) -> String {
        let after_scheme = match self.base_url.find("://") {
            Some(i) => &self.base_url[i + 3..],
            None => self.base_url.as_str(),
        };
        let path = if self.base_url.contains("://") {
            after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
        } else {
            after_scheme
        };
        let mut p = String::from("/");
        p.push_str(path.trim_matches('/'));
        if !p.ends_with('/') {
            p.push('/');
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_key_and_line() {
        let err = SiteConfig::parse("title = \"x\"\n\ntitel = \"y\"\n").unwrap_err();
        let Error::Config(d) = err else { panic!("wrong error kind") };
        assert_eq!(d.line, Some(3));
        assert!(d.message.contains("titel"), "{}", d.message);
    }

    #[test]
    fn base_path_from_url() {
        let mut c = SiteConfig::default();
        assert_eq!(c.base_path(), "/");
        c.base_url = "https://org.github.io/kb".into();
        assert_eq!(c.base_path(), "/kb/");
        c.base_url = "https://help.example.com/".into();
        assert_eq!(c.base_path(), "/");
        c.base_url = "/docs/".into();
        assert_eq!(c.base_path(), "/docs/");
    }
}
