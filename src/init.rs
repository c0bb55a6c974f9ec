//! `kiln init`: scaffold a working site (the theme is embedded, so only the config, one
//! article and the article template are written); `kiln new`: start an article from a
//! template.

use std::path::Path;

use crate::error::{Error, Result};

const SITE_TOML: &str = r#"# Kiln site configuration. Every key is optional.
title = "My knowledge base"
description = "Answers to the questions our users ask most."
base_url = "https://help.example.com/"
language = "en"

# Categories in the order the navigation shows them (slugs or labels).
category_order = ["getting-started"]

# [categories.getting-started]
# description = "First steps."

# edit_url = "https://github.com/org/kb/edit/main/{path}"
"#;

const SAMPLE: &str = r#"---
title: Welcome to your knowledge base
description: What a Kiln article looks like.
tags: [welcome]
date: 2026-01-01
---

This article lives in `content/getting-started/basics/`, so it appears in the
**Getting started** category, folder **Basics**.

:::tip
Add articles as Markdown files under `content/<category>/<folder>/`.
:::

## Next steps

1. Edit this file.
2. Run `kiln build` and open `public/index.html`.
"#;

/// Create `site.toml` and `content/getting-started/basics/welcome.md` in `dir`.
pub fn init(dir: &Path) -> Result<()> {
    // `symlink_metadata`: a dangling link named site.toml must not be written through.
    let taken = |name: &str| std::fs::symlink_metadata(dir.join(name)).is_ok();
    if taken("site.toml") || taken("content") {
        return Err(Error::usage_at(
            dir,
            format!("{} already holds a site (site.toml or content/); not overwriting it", dir.display()),
        ));
    }
    let article_dir = dir.join("content/getting-started/basics");
    std::fs::create_dir_all(&article_dir).map_err(|e| Error::io("creating", &article_dir, e))?;
    let write =
        |path: &Path, text: &str| std::fs::write(path, text).map_err(|e| Error::io("writing", path, e));
    write(&dir.join("site.toml"), SITE_TOML)?;
    write(&article_dir.join("welcome.md"), SAMPLE)?;
    // The template `kiln new` starts articles from, there to be edited.
    let templates = dir.join(ARTICLE_TEMPLATES);
    std::fs::create_dir_all(&templates).map_err(|e| Error::io("creating", &templates, e))?;
    write(&templates.join("article.md"), ARTICLE_TEMPLATE)?;
    Ok(())
}

/// Create a site for `kiln import` in `dir`: `site.toml` (with `languages`, the default
/// first, when the knowledge base has translations) and the article template, no sample
/// article.
pub fn init_for_import(dir: &Path, languages: &[String]) -> Result<()> {
    if std::fs::symlink_metadata(dir.join("site.toml")).is_ok() {
        return Err(Error::usage_at(dir, format!("{} already holds a site.toml", dir.display())));
    }
    std::fs::create_dir_all(dir.join("content")).map_err(|e| Error::io("creating", dir, e))?;
    let mut toml = String::from(
        "# Kiln site configuration, written by `kiln import`. Every key is optional.\ntitle = \"Help center\"\nbase_url = \"https://help.example.com/\"\n",
    );
    if let Some((default, _)) = languages.split_first() {
        // Locale codes were checked (letters, digits and `-`) before they got here.
        toml.push_str(&format!("default_language = \"{default}\"\nlanguage_layout = \"folders\"\n"));
        for l in languages {
            toml.push_str(&format!("\n[languages.{l}]\n"));
        }
    }
    let write =
        |path: &Path, text: &str| std::fs::write(path, text).map_err(|e| Error::io("writing", path, e));
    write(&dir.join("site.toml"), &toml)?;
    let templates = dir.join(ARTICLE_TEMPLATES);
    std::fs::create_dir_all(&templates).map_err(|e| Error::io("creating", &templates, e))?;
    write(&templates.join("article.md"), ARTICLE_TEMPLATE)
}

/// The article template `kiln new` uses when the site has none of the name asked for: a
/// KB article (Problem, Cause, Solution, the error text in an `:::info`).
pub const ARTICLE_TEMPLATE: &str = include_str!("../themes/default/articles/article.md");

/// Where a site keeps its article templates (`templates/articles/<name>.md`).
pub const ARTICLE_TEMPLATES: &str = "templates/articles";

/// What `kiln new` is asked to write.
pub struct NewArticle<'a> {
    /// The article's title.
    pub title: &'a str,
    /// Its category (a label or slug; its slug names the folder).
    pub category: Option<&'a str>,
    /// Its folder inside the category; `/` nests (`Mailflow issues/NDR`).
    pub folder: Option<&'a str>,
    /// The template's name (`templates/articles/<name>.md`).
    pub template: &'a str,
}

/// `kiln new`: write `content/<category>/<folder>/<slug>.md` under `root` from an article
/// template, never over an existing file. Returns the path written.
pub fn new_article(root: &Path, a: &NewArticle) -> Result<std::path::PathBuf> {
    let title = a.title.trim();
    if title.is_empty() || title.chars().any(char::is_control) {
        return Err(Error::usage("the title must be one line of text"));
    }
    let template = article_template(root, a.template)?;
    let slug = crate::base::slug::slugify(title);
    let mut parts: Vec<String> = Vec::new();
    for label in a.category.into_iter().chain(a.folder.iter().flat_map(|f| f.split('/'))) {
        let part = crate::base::slug::slugify(label);
        if part.is_empty() {
            return Err(Error::usage(format!("{label:?} makes no folder name; use letters or digits")));
        }
        parts.push(part);
    }
    if slug.is_empty() {
        return Err(Error::usage(format!("{title:?} makes no file name; use letters or digits")));
    }
    let config = crate::config::SiteConfig::load(root)?;
    let content = match config.language_list().first() {
        Some(lang) if config.per_language_content() => config.content_path_for(root, lang)?,
        _ => config.content_path(root)?,
    };
    let dir = parts.iter().fold(content, |d, p| d.join(p));
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("creating", &dir, e))?;
    // A folder on the way may be a link: the file must still land inside the site.
    if !crate::base::confine::is_inside(root, &dir) {
        return Err(Error::usage_at(&dir, crate::base::confine::OUTSIDE));
    }
    let path = dir.join(format!("{slug}.md"));
    let text = fill_template(&template, title, &crate::base::date::today(), &slug);
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::usage_at(&path, format!("{} exists; not overwriting it", path.display()))
        } else {
            Error::io("creating", &path, e)
        }
    })?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| Error::io("writing", &path, e))?;
    Ok(path)
}

/// The text of article template `name`: the site's `templates/articles/<name>.md`, else
/// (for `article`) the built-in one.
fn article_template(root: &Path, name: &str) -> Result<String> {
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(Error::usage(format!("template {name:?}: a name is letters, digits, `-` and `_`")));
    }
    let path = root.join(ARTICLE_TEMPLATES).join(format!("{name}.md"));
    match crate::base::confine::read_to_string(root, &path) {
        Ok(text) => Ok(text),
        Err(crate::base::confine::ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            if name == "article" {
                Ok(ARTICLE_TEMPLATE.to_string())
            } else {
                Err(Error::usage_at(
                    &path,
                    format!("no article template {name:?} ({} not found)", path.display()),
                ))
            }
        }
        Err(e) => Err(Error::usage_at(&path, e.to_string())),
    }
}

/// Fill a template's `{{ title }}`, `{{ date }}` and `{{ slug }}`. The title is written as
/// a quoted YAML (and TOML) string, escaped, since templates put it in the front matter.
fn fill_template(template: &str, title: &str, date: &str, slug: &str) -> String {
    let quoted = serde_json::to_string(title).unwrap_or_else(|_| "\"\"".into());
    let mut out = template.to_string();
    for (name, value) in [("title", quoted.as_str()), ("date", date), ("slug", slug)] {
        for form in [format!("{{{{ {name} }}}}"), format!("{{{{{name}}}}}")] {
            out = out.replace(&form, value);
        }
    }
    out
}

/// `kiln init --from mkdocs.yml`: write the `site.toml` equivalent to a MkDocs project's
/// settings beside it (only the keys that differ from Kiln's defaults), and return the
/// warnings about settings Kiln ignores. The `mkdocs.yml` is kept.
pub fn init_from_mkdocs(mkdocs: &Path) -> Result<(std::path::PathBuf, Vec<crate::diagnostics::Diagnostic>)> {
    let text = std::fs::read_to_string(mkdocs).map_err(|e| Error::io("reading", mkdocs, e))?;
    let mut config = crate::config::SiteConfig::from_mkdocs(&text)?;
    let notes = std::mem::take(&mut config.notes);
    let dir = mkdocs.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let target = dir.join(crate::config::CONFIG_FILE);
    if std::fs::symlink_metadata(&target).is_ok() {
        return Err(Error::usage_at(&target, format!("{} exists; not overwriting it", target.display())));
    }
    let toml = changed_keys(&config)?;
    let header = "# Kiln settings, written by `kiln init --from mkdocs.yml` from the MkDocs settings.\n\n";
    std::fs::write(&target, format!("{header}{toml}")).map_err(|e| Error::io("writing", &target, e))?;
    Ok((target, notes))
}

/// `config` as TOML, without the keys whose values are the defaults.
fn changed_keys(config: &crate::config::SiteConfig) -> Result<String> {
    let encode = |c: &crate::config::SiteConfig| {
        toml::Table::try_from(c).map_err(|e| Error::internal(None, format!("writing site.toml: {e}")))
    };
    let defaults = encode(&crate::config::SiteConfig::default())?;
    let mut table = encode(config)?;
    table.retain(|k, v| defaults.get(k) != Some(v));
    toml::to_string_pretty(&table).map_err(|e| Error::internal(None, format!("writing site.toml: {e}")))
}
