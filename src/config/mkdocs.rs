//! A MkDocs project read as it is: `mkdocs.yml`'s settings mapped onto [`SiteConfig`] when
//! the folder has no `site.toml`, and every setting Kiln does not use named in one warning,
//! so nobody wonders why a plugin's output is missing.
//!
//! Read: `site_name`, `site_description`, `site_url`, `docs_dir`, `theme.language`, `nav`
//! (order and labels: pages get weights in nav order, and a nav section whose pages share
//! a folder labels and orders that folder), and `markdown_extensions` — the snippets
//! options `base_path` and `auto_append`; the other extensions Kiln reads natively.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{PageConfig, SectionConfig, SiteConfig};

/// Extensions whose syntax Kiln reads without settings.
const NATIVE: &[&str] = &[
    "abbr",
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "md_in_html",
    "meta",
    "tables",
    "toc",
    "fenced_code",
    "codehilite",
    "sane_lists",
    "pymdownx.arithmatex",
    "pymdownx.betterem",
    "pymdownx.blocks.admonition",
    "pymdownx.blocks.details",
    "pymdownx.blocks.tab",
    "pymdownx.caret",
    "pymdownx.critic",
    "pymdownx.details",
    "pymdownx.emoji",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.keys",
    "pymdownx.magiclink",
    "pymdownx.mark",
    "pymdownx.smartsymbols",
    "pymdownx.snippets",
    "pymdownx.superfences",
    "pymdownx.tabbed",
    "pymdownx.tasklist",
    "pymdownx.tilde",
];

/// Top-level settings that only concern MkDocs' own theme, server or deployment.
const QUIET: &[&str] = &["site_author", "copyright", "repo_name", "dev_addr", "strict", "use_directory_urls"];

/// `mkdocs.yml` read into Kiln's settings, with the settings it ignored.
#[derive(Debug)]
pub struct Mkdocs {
    /// The equivalent configuration.
    pub config: SiteConfig,
    /// Settings read but not used, by name (`theme.features`, `plugins.blog`, …).
    pub ignored: Vec<String>,
}

/// Read the text of a `mkdocs.yml`. Python tags (`!!python/name:…`, `!ENV`) are read as
/// their plain values.
pub fn read(text: &str) -> Result<Mkdocs, String> {
    let doc: Value = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
    let Value::Object(map) = doc else { return Err("mkdocs.yml is not a map of settings".into()) };
    let mut config = SiteConfig { content_dir: "docs".into(), ..SiteConfig::default() };
    let mut ignored = Vec::new();
    for (key, value) in &map {
        match key.as_str() {
            "site_name" => config.title = text_of(value),
            "site_description" => config.description = text_of(value),
            "site_url" if !text_of(value).is_empty() => config.base_url = text_of(value),
            "docs_dir" => config.content_dir = text_of(value).into(),
            "theme" => theme(value, &mut config, &mut ignored),
            "nav" => nav(value, &mut config),
            "markdown_extensions" => extensions(value, &mut config, &mut ignored),
            "plugins" => plugins(value, &mut ignored),
            k if QUIET.contains(&k) => {}
            k => ignored.push(k.to_string()),
        }
    }
    if !config.base_url.ends_with('/') {
        config.base_url.push('/');
    }
    Ok(Mkdocs { config, ignored })
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn theme(value: &Value, config: &mut SiteConfig, ignored: &mut Vec<String>) {
    let Value::Object(t) = value else { return };
    for (k, v) in t {
        match k.as_str() {
            "language" => config.language = text_of(v),
            // Kiln's own theme stands in for the one named.
            "name" => {}
            k => ignored.push(format!("theme.{k}")),
        }
    }
}

fn plugins(value: &Value, ignored: &mut Vec<String>) {
    let names: Vec<String> = match value {
        Value::Array(a) => a.iter().map(|p| name_of(p).to_string()).collect(),
        Value::Object(m) => m.keys().cloned().collect(),
        _ => Vec::new(),
    };
    // Kiln builds its own search index.
    ignored.extend(names.into_iter().filter(|n| n != "search").map(|n| format!("plugins.{n}")));
}

/// An entry of a list of extensions or plugins: `name` or `{name: options}`.
fn name_of(v: &Value) -> &str {
    match v {
        Value::String(s) => s,
        Value::Object(m) => m.keys().next().map_or("", String::as_str),
        _ => "",
    }
}

fn extensions(value: &Value, config: &mut SiteConfig, ignored: &mut Vec<String>) {
    let entries: Vec<(&str, Option<&Value>)> = match value {
        Value::Array(a) => a
            .iter()
            .map(|e| match e {
                Value::Object(m) => (name_of(e), m.values().next()),
                _ => (name_of(e), None),
            })
            .collect(),
        Value::Object(m) => m.iter().map(|(k, v)| (k.as_str(), Some(v))).collect(),
        _ => Vec::new(),
    };
    for (name, options) in entries {
        if name == "pymdownx.snippets" {
            snippets(options, config);
        } else if !NATIVE.contains(&name) && !name.is_empty() {
            ignored.push(format!("markdown_extensions.{name}"));
        }
    }
}

fn snippets(options: Option<&Value>, config: &mut SiteConfig) {
    let Some(Value::Object(o)) = options else { return };
    let list = |v: &Value| match v {
        Value::Array(a) => a.iter().map(text_of).collect(),
        Value::Null => Vec::new(),
        other => vec![text_of(other)],
    };
    if let Some(b) = o.get("base_path") {
        config.markdown.snippet_dirs = list(b);
    }
    if let Some(a) = o.get("auto_append") {
        config.markdown.auto_append = list(a);
    }
}

/// Nav order and labels: each page a weight in nav order (and its nav title as its label); a titled section whose pages all sit in one folder labels
/// that folder and orders it by its first page.
fn nav(value: &Value, config: &mut SiteConfig) {
    let mut walk = NavWalk { position: 0, pages: BTreeMap::new(), folders: BTreeMap::new() };
    walk.entries(value);
    config.pages.extend(walk.pages);
    // site.toml keeps top-level folders (categories) apart from the folders inside them.
    for (key, section) in walk.folders {
        if key.contains('/') {
            config.folders.insert(key, section)
        } else {
            config.categories.insert(key, section)
        };
    }
}

struct NavWalk {
    position: i64,
    pages: BTreeMap<String, PageConfig>,
    folders: BTreeMap<String, SectionConfig>,
}

impl NavWalk {
    /// The pages under `value` (a list of entries), in order.
    fn entries(&mut self, value: &Value) -> Vec<String> {
        let Value::Array(items) = value else { return Vec::new() };
        let mut pages = Vec::new();
        for item in items {
            match item {
                Value::String(path) => pages.extend(self.page(path, None)),
                Value::Object(m) => {
                    for (title, v) in m {
                        match v {
                            Value::String(path) => pages.extend(self.page(path, Some(title))),
                            Value::Array(_) => {
                                let first = self.position;
                                let inner = self.entries(v);
                                self.section(title, first, &inner);
                                pages.extend(inner);
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        pages
    }

    fn page(&mut self, path: &str, title: Option<&str>) -> Option<String> {
        // External links have no page to order.
        if path.contains("://") || !(path.ends_with(".md") || path.ends_with(".mdx")) {
            return None;
        }
        self.position += 10;
        let title = title.filter(|t| !t.is_empty()).map(String::from);
        self.pages.insert(path.to_string(), PageConfig { label: title, weight: Some(self.position) });
        Some(path.to_string())
    }

    fn section(&mut self, title: &str, first: i64, pages: &[String]) {
        let folder = |p: &String| p.rsplit_once('/').map_or(String::new(), |(d, _)| d.to_string());
        let Some(dir) = pages.first().map(folder) else { return };
        if dir.is_empty() || !pages.iter().all(|p| folder(p).starts_with(&dir)) {
            return;
        }
        let key: Vec<String> = dir.split('/').map(crate::base::slug::slugify).collect();
        let label = (!title.is_empty()).then(|| title.to_string());
        let entry = self.folders.entry(key.join("/")).or_default();
        if entry.label.is_none() {
            entry.label = label;
        }
        entry.weight.get_or_insert(first + 10);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YML: &str = r#"site_name: FastAPI
site_description: Fast to code
site_url: https://fastapi.tiangolo.com
docs_dir: pages
theme:
  name: material
  language: de
  features:
  - content.tabs.link
plugins:
  - search
  - blog
nav:
- Home: index.md
- features.md
- Tutorial:
  - tutorial/index.md
  - First steps: tutorial/first-steps.md
  - "":
    - tutorial/dependencies/index.md
- GitHub: https://github.com/fastapi/fastapi
markdown_extensions:
  - toc:
      permalink: true
  - pymdownx.snippets:
      base_path: [".", "includes"]
      auto_append: [includes/abbreviations.md]
  - pymdownx.superfences:
      custom_fences:
      - name: mermaid
        class: mermaid
        format: !!python/name:pymdownx.superfences.fence_code_format ''
  - mdx_include
extra:
  analytics: x
"#;

    #[test]
    fn settings_nav_and_snippets_are_read_and_the_rest_named() {
        let m = read(YML).unwrap();
        let c = &m.config;
        assert_eq!((c.title.as_str(), c.description.as_str()), ("FastAPI", "Fast to code"));
        assert_eq!((c.base_url.as_str(), c.language.as_str()), ("https://fastapi.tiangolo.com/", "de"));
        assert_eq!(c.content_dir, std::path::Path::new("pages"));
        assert_eq!(c.markdown.snippet_dirs, [".", "includes"]);
        assert_eq!(c.markdown.auto_append, ["includes/abbreviations.md"]);
        let w = |p: &str| c.pages[p].weight.unwrap();
        assert!(w("index.md") < w("features.md") && w("features.md") < w("tutorial/first-steps.md"));
        assert_eq!(c.pages["index.md"].label.as_deref(), Some("Home"));
        assert_eq!(c.pages["features.md"].label, None);
        assert_eq!(c.categories["tutorial"].label.as_deref(), Some("Tutorial"));
        assert!(c.categories["tutorial"].weight < c.pages["tutorial/first-steps.md"].weight);
        assert_eq!(c.folders["tutorial/dependencies"].label, None);
        assert_eq!(
            m.ignored,
            ["extra", "markdown_extensions.mdx_include", "plugins.blog", "theme.features"],
            "{:?}",
            m.ignored
        );
    }

    #[test]
    fn not_a_map_is_an_error() {
        assert!(read("- a\n- b\n").is_err());
        assert!(read("site_name: [").is_err());
    }
}
