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
