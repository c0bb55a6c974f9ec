//! `site.toml`: the site's settings, with an error naming the line of any unknown key.
//!
//! The file is optional; a folder holding only `content/` builds with [`SiteConfig::default`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, line_col};
use crate::error::{Error, Result};

pub mod helpcentre;
pub mod languages;
pub mod mkdocs;

pub use helpcentre::{Audience, FeedbackConfig, PrintConfig, RelatedConfig, ReviewConfig, SupportConfig};
pub use languages::{Language, LanguageConfig, Layout};

/// The name of the config file at the site root.
pub const CONFIG_FILE: &str = "site.toml";
/// A MkDocs project's config file, read when there is no `site.toml`.
pub const MKDOCS_FILE: &str = "mkdocs.yml";
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
    /// Language code for `<html lang>` (a site without `[languages]`).
    pub language: String,
    /// The language of the articles that are not translations (a multilingual site).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_language: Option<String>,
    /// One table per language of a multilingual site, keyed by BCP 47 code.
    pub languages: BTreeMap<String, LanguageConfig>,
    /// Where each language's articles are; detected from the content folder when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language_layout: Option<Layout>,
    /// The default language at `/<code>/` too, with a language chooser at `/`.
    pub prefix_default_language: bool,
    /// A page not translated into a language is shown in the default language under that
    /// language's navigation, with a notice (`false`: left out).
    pub fallback: bool,
    /// Theme name: `default` (embedded) or a folder under `themes/`.
    pub theme: String,
    /// Output folder, relative to the site root.
    pub output_dir: PathBuf,
    /// The folder of articles, relative to the site root (MkDocs' `docs_dir`).
    pub content_dir: PathBuf,
    /// Category slugs (or labels) in the order the navigation shows them; the rest follow
    /// by title.
    pub category_order: Vec<String>,
    /// Per-category label and description, keyed by category slug.
    pub categories: BTreeMap<String, SectionConfig>,
    /// Per-folder label and description, keyed by `category-slug/folder-slug[/…]`.
    pub folders: BTreeMap<String, SectionConfig>,
    /// Per-article navigation label and weight, keyed by the file's path under the content
    /// folder (`tutorial/first-steps.md`); front matter wins. MkDocs' `nav` becomes this.
    pub pages: BTreeMap<String, PageConfig>,
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
    /// How Markdown is read (`[markdown]`).
    pub markdown: MarkdownConfig,
    /// How links are written (`[links]`).
    pub links: LinksConfig,
    /// The "Was this article helpful?" form under every article (`[feedback]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback: Option<FeedbackConfig>,
    /// Who this build is for (`kiln build --audience`): a public build leaves internal
    /// articles out of everything. Not a site.toml key.
    #[serde(skip_deserializing)]
    pub audience: Audience,
    /// When articles are due for review (`[review]`).
    pub review: ReviewConfig,
    /// How many related articles each article shows (`[related]`).
    pub related: RelatedConfig,
    /// Printable categories and folders (`[print]`).
    pub print: PrintConfig,
    /// The "contact support" link (`[support]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support: Option<SupportConfig>,
    /// The theme's words replaced, per language: `[strings.fr] on_this_page = "…"`.
    pub strings: BTreeMap<String, toml::Table>,
    /// Free-form values for themes, exposed to templates as `config.extra`.
    pub extra: BTreeMap<String, toml::Value>,
    /// The whole site's `base_url` when these are one language's settings served under it
    /// at `/<code>/` (see [`SiteConfig::for_language`]).
    #[serde(skip)]
    pub root_url: Option<String>,
    /// What loading the settings has to say that is not an error (the `mkdocs.yml`
    /// settings Kiln ignored).
    #[serde(skip)]
    pub notes: Vec<Diagnostic>,
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
    /// Featured flag.
    pub featured: Vec<String>,
    /// Review-by date.
    pub review_by: Vec<String>,
    /// Audience (`internal` or `public`).
    pub audience: Vec<String>,
    /// Related articles (`false`, or paths to pin).
    pub related: Vec<String>,
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
            featured: keys(&["featured"]),
            review_by: keys(&["review_by"]),
            audience: keys(&["audience"]),
            related: keys(&["related"]),
            weight: keys(&["weight", "sidebar_position", "sidebar.order", "nav_order", "order"]),
            slug: keys(&["slug"]),
            aliases: keys(&["aliases", "redirect_from"]),
        }
    }
}

/// How Markdown is read: the `[markdown]` table.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    /// Folders, relative to the site root, that snippets (`--8<-- "file"`) and FastAPI code
    /// includes (`{* file *}`) are looked up in, first found wins (pymdownx's `base_path`).
    pub snippet_dirs: Vec<String>,
    /// Snippet files appended to every page (pymdownx's `auto_append`), such as a list of
    /// abbreviations or link references.
    pub auto_append: Vec<String>,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig { snippet_dirs: vec![".".into()], auto_append: Vec::new() }
    }
}

/// How links are written: the `[links]` table.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct LinksConfig {
    /// A root-relative link (`/en-us/office/x`) that matches no page or file of this site
    /// is written as a link to this base (`https://learn.microsoft.com`): a knowledge base
    /// copied out of a larger docs site keeps its links, and `kiln check` counts them as
    /// external.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_base: Option<String>,
}

/// Navigation label and weight for one article.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct PageConfig {
    /// Name in navigation (sidebar, cards, previous/next); the article keeps its title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Sort key among siblings when the front matter has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
}

/// Label and description for a category or folder.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq)]
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
            default_language: None,
            languages: BTreeMap::new(),
            language_layout: None,
            prefix_default_language: false,
            fallback: true,
            theme: "default".into(),
            output_dir: PathBuf::from("public"),
            content_dir: PathBuf::from("content"),
            category_order: Vec::new(),
            categories: BTreeMap::new(),
            folders: BTreeMap::new(),
            pages: BTreeMap::new(),
            edit_url: None,
            recent_count: 8,
            sidebar_pages: 50,
            search: true,
            git_dates: true,
            favicon: "assets/favicon.svg".into(),
            front_matter: FrontMatterKeys::default(),
            markdown: MarkdownConfig::default(),
            links: LinksConfig::default(),
            feedback: None,
            support: None,
            review: ReviewConfig::default(),
            related: RelatedConfig::default(),
            print: PrintConfig::default(),
            audience: Audience::Public,
            strings: BTreeMap::new(),
            extra: BTreeMap::new(),
            root_url: None,
            notes: Vec::new(),
        }
    }
}

/// `[links] external_base` must be an absolute http(s) URL that needs no escaping, since
/// it starts every link written with it.
fn check_external_base(text: &str, base: &str) -> Result<()> {
    let host = base.strip_prefix("https://").or_else(|| base.strip_prefix("http://")).unwrap_or("");
    let clean = crate::base::text::is_plain_url(base);
    if host.is_empty() || host.starts_with('/') || !clean {
        let mut d = Diagnostic::error(
            CONFIG_FILE,
            format!(
                "external_base = {base:?} must be an http:// or https:// URL, such as \"https://learn.microsoft.com\""
            ),
        );
        if let Some(at) = text.find("external_base") {
            let (line, col) = line_col(text, at);
            d = d.at(line, Some(col));
        }
        return Err(Error::Config(d));
    }
    Ok(())
}

/// The text of `name` at the site root, `None` when there is no such file.
fn read_optional(root: &Path, name: &str) -> Result<Option<String>> {
    use crate::base::confine::{ReadError, read_to_string};
    match read_to_string(root, &root.join(name)) {
        Ok(t) => Ok(Some(t)),
        Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::Config(Diagnostic::error(name, e.to_string()))),
    }
}

impl SiteConfig {
    /// Load `site.toml` from `root`; without one, a MkDocs project's `mkdocs.yml`; without
    /// either, the defaults.
    pub fn load(root: &Path) -> Result<Self> {
        match read_optional(root, CONFIG_FILE)? {
            Some(text) => Self::parse(&text),
            None => match read_optional(root, MKDOCS_FILE)? {
                Some(text) => Self::from_mkdocs(&text),
                None => Ok(Self::default()),
            },
        }
    }

    /// The settings of a `mkdocs.yml`, with a warning naming those Kiln ignored.
    pub fn from_mkdocs(text: &str) -> Result<Self> {
        let m = mkdocs::read(text).map_err(|e| Error::Config(Diagnostic::error(MKDOCS_FILE, e)))?;
        let mut config = m.config;
        if !m.ignored.is_empty() {
            config.notes.push(Diagnostic::warning(
                MKDOCS_FILE,
                format!("read as a Kiln site; these settings are ignored: {}", m.ignored.join(", ")),
            ));
        }
        Ok(config)
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
        if let Some(base) = &mut config.links.external_base {
            check_external_base(text, base)?;
            while base.ends_with('/') {
                base.pop();
            }
        }
        if let Some(f) = &mut config.feedback {
            if let Some(m) = &mut f.method {
                *m = m.to_ascii_lowercase();
            }
            helpcentre::validate_feedback(text, f)?;
        }
        if let Some(s) = &config.support {
            helpcentre::validate_support(text, s)?;
        }
        languages::validate(
            text,
            config.default_language.as_deref(),
            &config.languages,
            &config.content_dir,
        )?;
        Ok(config)
    }

    /// What the command line changes: `--base-url` and `--audience`.
    pub fn apply_options(&mut self, base_url: Option<&str>, audience: Audience) {
        if let Some(url) = base_url {
            self.base_url = if url.ends_with('/') { url.to_string() } else { format!("{url}/") };
        }
        self.audience = audience;
    }

    /// The site's languages, the default first; empty for a site in one language.
    pub fn language_list(&self) -> Vec<Language> {
        match &self.default_language {
            Some(d) if !self.languages.is_empty() => languages::resolve(d, &self.languages),
            _ => Vec::new(),
        }
    }

    /// The content folder: `content_dir` under `root`. It must be a relative path down from
    /// the root (no `..`, not the root itself), so the site never reads outside its folder.
    pub fn content_path(&self, root: &Path) -> Result<PathBuf> {
        folder_inside(root, &self.content_dir)
    }

    /// `content_dir` as written in paths under the site root: `/`-separated, without a
    /// leading `./` (`docs/en/docs`).
    pub fn content_rel(&self) -> String {
        self.content_dir.to_string_lossy().replace('\\', "/").trim_start_matches("./").to_string()
    }

    /// The path part of `base_url`, always starting and ending with `/` (`/` or `/kb/`).
    /// Every internal link is prefixed with it so the site works under a sub-path.
    pub fn base_path(&self) -> String {
        url_path(&self.base_url)
    }

    /// The path the whole site is served from: [`SiteConfig::base_path`], but for one
    /// language's settings of a multilingual site, the languages' common root.
    pub fn root_path(&self) -> String {
        url_path(self.root_url.as_ref().unwrap_or(&self.base_url))
    }
}

/// `rel` under `root`, when it is a relative path down from the root (no `..`, not the
/// root itself), so the site never reads outside its folder.
fn folder_inside(root: &Path, rel: &Path) -> Result<PathBuf> {
    use std::path::Component;
    let down = rel.components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !down || !rel.components().any(|c| matches!(c, Component::Normal(_))) {
        return Err(Error::Config(Diagnostic::error(
            CONFIG_FILE,
            format!(
                "content_dir = {:?} must be a folder inside the site folder, such as \"content\" or \"docs\"",
                rel.display().to_string()
            ),
        )));
    }
    Ok(root.join(rel))
}

/// The path part of a base URL, starting and ending with `/`.
fn url_path(url: &str) -> String {
    let after_scheme = match url.find("://") {
        Some(i) => &url[i + 3..],
        None => url,
    };
    let path = if url.contains("://") {
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
