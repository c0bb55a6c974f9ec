//! `kiln init`: scaffold a working site. The theme is embedded, so only the config and one
//! article are written.

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
    Ok(())
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
