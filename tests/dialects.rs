//! Sites written for other tools build as their authors meant: their front matter keys and
//! dates, their folder metadata files, and their Markdown dialects.

mod common;
use common::*;

#[test]
fn folder_metadata_files_label_describe_and_order_their_folder() {
    let site = Site::with_files(&[
        ("site.toml", "title = \"Docs\"\n[folders.\"guides/overridden\"]\nlabel = \"From site.toml\"\n"),
        ("content/guides/basics/a.md", "# Basics page\n"),
        (
            "content/guides/basics/_category_.json",
            r#"{"label": "The basics", "position": 2, "link": {"type": "generated-index", "description": "Start here"}}"#,
        ),
        ("content/guides/advanced/b.md", "# Advanced page\n"),
        ("content/guides/advanced/_category_.yml", "label: Going further\nposition: 1\n"),
        ("content/guides/api/c.md", "# API page\n"),
        ("content/guides/api/.pages", "title: API reference\n"),
        ("content/guides/overridden/d.md", "# D\n"),
        ("content/guides/overridden/_category_.json", r#"{"label": "From the file"}"#),
        ("content/guides/broken/e.md", "# E\n"),
        ("content/guides/broken/_category_.json", r#"{"label": "#),
    ]);
    let run = site.build(&[]).ok();
    let html = site.out("guides/index.html");
    let at = |label: &str| {
        html.find(&format!(">{label}<")).unwrap_or_else(|| panic!("{label} on the category page"))
    };
    // position orders the folders: "Going further" (1) before "The basics" (2).
    assert!(at("Going further") < at("The basics"));
    assert!(html.contains("Start here"), "link.description describes the folder");
    assert!(html.contains(">API reference<"), ".pages title");
    assert!(html.contains(">From site.toml<") && !html.contains("From the file"), "site.toml wins");
    assert!(!site.exists("guides/basics/_category_.json"), "metadata is not published");
    let w = run.diag("_category_.json");
    assert!(
        w.starts_with("warning: content/guides/broken/_category_.json") && w.contains("invalid JSON"),
        "{w}"
    );
    assert!(site.exists("guides/broken/e/index.html"), "the folder still builds");
}

/// Starlight sites formatted by prettier wrap a one-paragraph directive: the text starts on
/// the opening line and the closing colons end the last line.
#[test]
fn one_paragraph_directives_are_admonitions() {
    let site = Site::with_files(&[
        (
            "content/a/b/page.md",
            "---\ntitle: P\n---\n:::caution[heads up for pre-release users] If you've been using the pre-release\nversion, the `biome.projects` setting has been **removed**, see [the docs](other.md). :::\n\nAfter.\n\n:::tip[One line] All on one line. :::\n\n:::note\nA [bracketed] word and a normal block.\n:::\n",
        ),
        ("content/a/b/other.md", "---\ntitle: Other\n---\nx\n"),
    ]);
    let run = site.build(&[]).ok();
    assert!(run.errors().is_empty() && run.warnings().is_empty(), "{}", run.stderr);
    let b = body_of(&site.out("a/b/page/index.html")).to_string();
    let caution = b.find("<aside class=\"admonition admonition-caution\"").expect("a caution aside");
    let closed = caution + b[caution..].find("</aside>").unwrap();
    let inside = &b[caution..closed];
    assert!(inside.contains("heads up for pre-release users</p>"), "{inside}");
    assert!(inside.contains("If you’ve been using") || inside.contains("If you've been using"), "{inside}");
    assert!(
        inside.contains("<strong>removed</strong>") && inside.contains("href=\"/a/b/other/\""),
        "{inside}"
    );
    assert!(
        !inside.contains(":::") && b[closed..].contains("<p>After.</p>"),
        "closed by the trailing colons"
    );
    assert!(b.contains("One line</p>\n<p>All on one line.</p>"), "{b}");
    assert!(b.contains("A [bracketed] word"), "{b}");
}

#[test]
fn email_autolinks_are_links_and_links_in_headings_are_rewritten_and_checked() {
    let site = Site::with_files(&[
        (
            "content/a/b/page.md",
            "---\ntitle: P\n---\nWrite to <help@example.com>.\n\n## See [the other page](other.md)\n\n## Also [a missing one](gone.md#x)\n",
        ),
        ("content/a/b/other.md", "---\ntitle: Other\n---\nx\n"),
    ]);
    let run = site.build(&[]).ok();
    let b = body_of(&site.out("a/b/page/index.html")).to_string();
    assert!(b.contains("<a href=\"mailto:help@example.com\">help@example.com</a>"), "{b}");
    assert!(!run.stderr.contains("help@example.com"), "an email address is no file: {}", run.stderr);
    assert!(
        b.contains("<h2 id=\"see-the-other-page\">See <a href=\"/a/b/other/\">the other page</a></h2>"),
        "{b}"
    );
    let w = run.diag("gone.md");
    assert!(w.starts_with("warning: content/a/b/page.md:8:"), "a link in a heading is checked: {w}");
    // `kiln check` passes a valid site with email links.
    let ok =
        Site::with_files(&[("content/a/b/page.md", "---\ntitle: P\n---\nWrite to <help@example.com>.\n")]);
    assert_eq!(ok.check().code, 0);
}

/// FastAPI's docs document Python code with mkdocstrings' `::: module.name` lines, which no
/// static generator but MkDocs with its Python handler can expand.
#[test]
fn mkdocstrings_references_are_placeholders_with_one_warning_for_the_site() {
    let site = Site::with_files(&[
        (
            "content/ref/api/router.md",
            "# APIRouter\n\n::: fastapi.APIRouter\n    options:\n        members: [get]\n\nText after.\n",
        ),
        ("content/ref/api/app.md", "# FastAPI\n\n::: fastapi.FastAPI\n\n::: fastapi.Depends\n"),
    ]);
    let run = site.build(&[]).ok();
    assert!(run.errors().is_empty(), "{}", run.stderr);
    let html = site.out("ref/api/router/index.html");
    assert!(html.contains("class=\"kiln-placeholder kiln-mkdocstrings\" role=\"note\"><p>API reference for <code>fastapi.APIRouter</code>"), "{html}");
    assert!(html.contains("<p>Text after.</p>"));
    assert!(!html.contains("members"), "its indented options are the reference's, not text: {html}");
    let w: Vec<&str> = run.warnings().into_iter().filter(|w| w.contains("mkdocstrings")).collect();
    assert_eq!(w.len(), 1, "one warning for the site: {w:?}");
    assert!(
        w[0].starts_with("warning: content/ref/api/app.md:3:") && w[0].ends_with("(and 2 more places)"),
        "{}",
        w[0]
    );
}

fn article(site: &Site, page: &str) -> String {
    let html = site.out(page);
    let start = html.find("<div class=\"article-body\">").expect("article body");
    let end = html.find("<footer class=\"article-footer\">").expect("article footer");
    html[start..end].to_string()
}

/// Starlight and Docusaurus pages (`tests/fixtures/dialects`): `.mdx` pages are articles,
/// imports and comments are dropped, components become the theme's elements.
#[test]
fn mdx_pages_and_their_components() {
    let site = Site::fixture("dialects");
    let run = site.build(&[]).ok();
    assert!(run.errors().is_empty(), "{}", run.stderr);
    let w = run.warnings();
    assert_eq!(w.len(), 4, "the unknown component, two placeholders, the unreadable formula: {w:?}");
    assert!(w.iter().any(|w| w.contains("component `<Unknown>` is not one Kiln knows")), "{w:?}");
    let starlight = article(&site, "starlight/components/index.html");
    for gone in ["import ", "export const", "An MDX comment", "<Tabs", "<Aside", "<Unknown", "<Icon"] {
        assert!(!starlight.contains(gone), "{gone} left in the page:\n{starlight}");
    }
    insta::assert_snapshot!("dialects_starlight", starlight);
    let docusaurus = article(&site, "docusaurus/tutorial/tabs/index.html");
    insta::assert_snapshot!("dialects_docusaurus", docusaurus);
    // Front matter other tools write: sidebar_position orders, last_update.date dates.
    assert!(site.out("docusaurus/tutorial/tabs/index.html").contains("<time datetime=\"2020-03-16\">"));
    assert!(site.out("docusaurus/tutorial/index.html").contains("Tutorial basics"));
    // `<DocCardList />`: the folder's other articles as link cards.
    let overview = article(&site, "docusaurus/tutorial/overview/index.html");
    assert!(overview.contains("<div class=\"kiln-card-grid kiln-folder-listing\">"), "{overview}");
    assert!(overview.contains("<a class=\"kiln-link-card\" href=\"/docusaurus/tutorial/tabs/\"><span class=\"kiln-link-card-title\">Tabs in Docusaurus</span></a>"), "{overview}");
    assert!(
        overview.contains("href=\"/docusaurus/tutorial/more-tabs/\"")
            && !overview.contains("href=\"/docusaurus/tutorial/overview/\""),
        "{overview}"
    );
}

/// MkDocs Material and pymdownx (`tests/fixtures/dialects/content/mkdocs`): `///` blocks,
/// content tabs, `[TOC]`, code includes, mkdocstrings references, `.pages`.
#[test]
fn mkdocs_material_blocks_tabs_and_includes() {
    let site = Site::fixture("dialects");
    site.build(&[]).ok();
    let page = article(&site, "mkdocs/tutorial/first-steps/index.html");
    for gone in ["///", "===", "[TOC]", "{*", "options:", "show_root_heading", "++", "{~~", "^^"] {
        assert!(!page.contains(gone), "{gone} left in the page:\n{page}");
    }
    assert!(
        page.contains("<span class=\"keys\"><kbd>Ctrl</kbd>+<kbd>C</kbd></span>")
            && page.contains("<mark>stop</mark>"),
        "{page}"
    );
    assert!(
        page.contains("<dl>\n<dt>Path operation</dt>\n<dd>The URL path plus the HTTP method.</dd>"),
        "{page}"
    );
    assert!(page.contains("<span class=\"line hl-line\">"), "hl[3] marks the include's third line: {page}");
    insta::assert_snapshot!("dialects_mkdocs", page);
    assert!(site.out("mkdocs/index.html").contains(">FastAPI tutorial<"), ".pages title labels the folder");
}

/// Code fence meta and marker comments of VitePress, Docusaurus, MkDocs and Expressive
/// Code (`tests/fixtures/dialects/content/vitepress/code.md`).
#[test]
fn code_block_titles_marked_lines_diffs_and_numbers() {
    let site = Site::fixture("dialects");
    site.build(&[]).ok();
    let page = article(&site, "vitepress/code/index.html");
    insta::assert_snapshot!("dialects_vitepress", page);
    for gone in ["[!code", "highlight-next-line", "{2}", "hl_lines"] {
        assert!(!page.contains(gone), "{gone} left in the page:\n{page}");
    }
    assert!(
        page.contains("<p class=\"code-title\">config.ts</p>")
            && page.contains("<p class=\"code-title\">app.py</p>")
    );
    assert_eq!(page.matches("class=\"line hl-line\"").count(), 4, "{page}");
    assert_eq!(page.matches("class=\"line diff-remove\"").count(), 1);
    assert_eq!(page.matches("class=\"line diff-add\"").count(), 1);
    assert!(page.contains("class=\"language-python hl-code line-numbers\""));
    assert_eq!(page.matches("<span").count(), page.matches("</span>").count(), "spans nest whole");
    // Attribute lists after links (markdown-it-attrs, MkDocs attr_list).
    assert!(page.contains("<a href=\"https://vitepress.dev/guide/\" target=\"_blank\" rel=\"noreferrer\">Open the guide</a> and"), "{page}");
    assert!(
        page.contains("<a href=\"#code-blocks\" class=\"md-button md-button--primary\">Get started</a>."),
        "{page}"
    );
    // `<<< @/file{lines} [title]`: the file as code, `@` being the content folder.
    let hello = &page[page.find("<p class=\"code-title\">hello.ts</p>").expect("the include's title")..];
    assert!(hello.contains(">42<") && hello.contains("line hl-line"), "the file, line 2 marked: {hello}");
    assert!(!page.contains("<<<"), "{page}");
    // `::: code-group`: one tab per block, labelled by its name.
    assert!(
        page.contains("<div class=\"kiln-tab-panel\" data-label=\"npm\">")
            && page.contains("data-label=\"pnpm\""),
        "{page}"
    );
    assert!(!page.contains("code-group") && !page.contains(":::"), "{page}");
}

/// docfx: `[!div]` markers inside list items, `[!VIDEO]` players.
#[test]
fn docfx_div_markers_in_list_items_and_videos() {
    let site = Site::with_files(&[(
        "content/a/b/page.md",
        "---\ntitle: P\n---\n1. Sign in.\n\n   > [!div class=\"nextstepaction\"]\n   > [Open the portal](https://portal.example.com)\n\n2. Done.\n\n> [!VIDEO https://videoplayer.example/embed/abc]\n\n>\n> [!IMPORTANT]\n> Back up first.\n",
    )]);
    site.build(&[]).ok();
    let b = article(&site, "a/b/page/index.html");
    let item = &b[b.find("<li>").unwrap()..b.find("</li>").unwrap()];
    assert!(
        item.contains("<blockquote>") && item.contains("href=\"https://portal.example.com\""),
        "the quote stays in the item: {b}"
    );
    assert!(!b.contains("[!div") && !b.contains("[!VIDEO"), "{b}");
    assert!(b.contains("<iframe src=\"https://videoplayer.example/embed/abc\" title=\"Video\""), "{b}");
    assert!(
        b.contains("admonition admonition-important") && !b.contains("[!IMPORTANT]"),
        "an alert after an empty quote line: {b}"
    );
}

/// docfx zones, monikers, rows and columns close by name and become labelled sections and
/// a row of columns (`tests/fixtures/dialects/content/docfx/zones.md`).
#[test]
fn docfx_zones_monikers_rows_and_columns() {
    let site = Site::fixture("dialects");
    let run = site.build(&[]).ok();
    assert!(!run.stderr.contains("docfx/zones.md"), "{}", run.stderr);
    let b = article(&site, "docfx/zones/index.html");
    insta::assert_snapshot!("dialects_docfx", b);
    assert!(b.contains("<div class=\"kiln-zone\">\n<p class=\"kiln-zone-label\">windows</p>\n<p>Use <strong>PowerShell</strong>.</p>\n</div>"), "{b}");
    assert!(b.contains("Applies to &gt;=exchange-2019"), "{b}");
    assert!(
        b.contains("<div class=\"kiln-row\">") && b.matches("<div class=\"kiln-column\">").count() == 2,
        "{b}"
    );
    assert!(!b.contains(":::"), "{b}");
}

/// docfx articles copied out of a larger docs site link to its other pages root-relative.
#[test]
fn external_base_writes_root_relative_links_to_nothing_here_as_links_to_the_base() {
    let site = Site::with_files(&[
        ("site.toml", "[links]\nexternal_base = \"https://learn.microsoft.com/\"\n"),
        (
            "content/a/b/page.md",
            "# Page\n\nSee [sign-in](/en-us/outlook/troubleshoot/sign-in?view=o365#fix), [other](/a/b/other), [the shot](/a/b/shot.png) and [a sibling](other.md).\n",
        ),
        ("content/a/b/other.md", "# Other\n\n[back](page.md)\n"),
    ]);
    site.write_bytes("content/a/b/shot.png", b"\x89PNG\r\n\x1a\n");
    let run = site.check();
    assert!(run.code == 0 && run.warnings().is_empty(), "no link is missing: {}", run.stderr);
    site.build(&[]).ok();
    let body = body_of(&site.out("a/b/page/index.html")).to_string();
    assert!(
        body.contains(
            "href=\"https://learn.microsoft.com/en-us/outlook/troubleshoot/sign-in?view=o365#fix\""
        ),
        "{body}"
    );
    assert!(body.contains("href=\"/a/b/other/\"") && body.contains("href=\"/a/b/shot.png\""), "{body}");
    // Without the option the same link is a page missing from the site.
    site.write("site.toml", "");
    let run = site.check();
    assert!(run.diag("/en-us/outlook").contains("no page at"), "{}", run.stderr);
    // A base that is not an http(s) URL is refused at its line.
    site.write("site.toml", "title = \"x\"\n[links]\nexternal_base = \"javascript:alert(1)//\"\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("site.toml:3:") && run.stderr.contains("external_base"), "{}", run.stderr);
}

/// Math renders at build time as MathML (no script), emoji shortcodes as emoji.
#[test]
fn math_as_mathml_and_emoji_shortcodes() {
    let site = Site::fixture("dialects");
    let run = site.build(&[]).ok();
    let page = site.out("mkdocs/tutorial/formulas/index.html");
    let body = body_of(&page);
    insta::assert_snapshot!("dialects_mkdocs_math", article(&site, "mkdocs/tutorial/formulas/index.html"));
    insta::assert_snapshot!(
        "dialects_mkdocs_annotations",
        article(&site, "mkdocs/tutorial/annotated/index.html")
    );
    assert_eq!(body.matches("<math display=\"inline\">").count(), 2, "\\(…\\) and $…$: {body}");
    assert_eq!(
        body.matches("<span class=\"math-display\" tabindex=\"0\"><math display=\"block\">").count(),
        2,
        "{body}"
    );
    assert!(body.contains("<mfrac>") && body.contains("<msqrt>"), "plain TeX \\over as a fraction: {body}");
    assert!(body.contains("Plans cost $5 or $10."), "prices are not math: {body}");
    assert!(body.contains("Shipped 🎉"), "{body}");
    assert!(body.contains("<code>$not math$</code>") && body.contains("<code>:tada:</code>"), "{body}");
    assert!(body.contains("<code class=\"math-error\">\\unknowncommand{a}</code>"), "{body}");
    let w = run.diag("cannot be read");
    assert!(w.starts_with("warning: content/mkdocs/tutorial/formulas.md:17:"), "{w}");
    assert!(!page.contains("<script src=\"/assets/mermaid"), "math loads no script");
}

/// pymdownx's remaining inline syntax: sub- and superscripts, abbreviations (also from an
/// appended snippet), attribute lists on images and paragraphs, and `markdown` HTML blocks;
/// VitePress `#region` imports.
#[test]
fn sub_sup_abbreviations_markdown_blocks_and_regions() {
    let site = Site::with_files(&[
        ("site.toml", "[markdown]\nauto_append = [\"includes/abbr.md\"]\n"),
        ("includes/abbr.md", "*[API]: Application Programming Interface\n"),
        (
            "content/a/b/page.md",
            "# Page\n\nH~2~O and E = mc^2^, but C:\\PROGRA~1\\MICROS~3 stays. ~~Gone~~.\n\nThe API and the HTML API.\n\n*[HTML]: Hyper Text Markup Language\n\n<div class=\"grid\" markdown>\n**Bold** in a block\n</div>\n\n<<< @/a/b/code.ts#setup{1}\n\n![The logo](logo.png){ width=\"120\" .center onerror=\"x()\" }\n\nA lead paragraph\non two lines.\n{: .lead #intro }\n",
        ),
        (
            "content/a/b/code.ts",
            "import x from 'x'\n// #region setup\nconst a = 1\nconst b = 2\n// #endregion setup\n",
        ),
    ]);
    site.write_bytes("content/a/b/logo.png", b"\x89PNG\r\n\x1a\n");
    let run = site.build(&[]).ok();
    assert!(run.warnings().is_empty(), "{}", run.stderr);
    let body = body_of(&site.out("a/b/page/index.html")).to_string();
    assert!(
        body.contains("<img src=\"/a/b/logo.png\" alt=\"The logo\" class=\"center\" width=\"120\">"),
        "{body}"
    );
    assert!(body.contains("<p id=\"intro\" class=\"lead\">A lead paragraph\non two lines.</p>"), "{body}");
    assert!(!body.contains("onerror") && !body.contains("{:"), "{body}");
    assert!(
        body.contains("H<sub>2</sub>O and E = mc<sup>2</sup>, but C:\\PROGRA~1\\MICROS~3 stays."),
        "{body}"
    );
    assert!(body.contains("<del>Gone</del>"), "{body}");
    assert!(body.contains("The <abbr title=\"Application Programming Interface\">API</abbr> and the <abbr title=\"Hyper Text Markup Language\">HTML</abbr>"), "{body}");
    assert!(!body.contains("*[HTML]") && !body.contains("*[API]"), "definitions show nothing: {body}");
    assert!(body.contains("<div class=\"grid\">\n<p><strong>Bold</strong> in a block</p>\n</div>"), "{body}");
    assert!(!body.contains("markdown"), "{body}");
    assert!(body.contains(">2</span>") && !body.contains("import") && !body.contains("#region"), "{body}");
    assert!(body.contains("<span class=\"line hl-line\">"), "the region's first line is marked: {body}");
}

/// A backslash before a mark's character keeps the text as written (pymdownx's escapes):
/// text converted from HTML by `kiln import` relies on it.
#[test]
fn escaped_mark_characters_stay_text() {
    let site = Site::with_files(&[(
        "content/a/b/page.md",
        "# Page\n\nx\\^2\\^, H\\~2\\~O, \\:smile\\:, \\+\\+k\\+\\+, \\=\\=m\\=\\= and \\$5 or 6\\$.\n\nx^2^ :smile:\n",
    )]);
    site.build(&[]).ok();
    let body = body_of(&site.out("a/b/page/index.html")).to_string();
    assert!(body.contains("<p>x^2^, H~2~O, :smile:, ++k++, ==m== and $5 or 6$.</p>"), "{body}");
    assert!(body.contains("<p>x<sup>2</sup> 😄</p>"), "unescaped marks still work: {body}");
}

/// MkDocs Material icon shortcodes draw inline SVG from the bundled sets; a name no set has
/// is one warning for the site.
#[test]
fn icon_shortcodes_draw_bundled_svgs() {
    let site = Site::with_files(&[
        (
            "content/a/b/one.md",
            "# One\n\n:material-check: Done, :fontawesome-brands-github: code, :octicons-alert-16: and :simple-python:.\n\nA :material-no-such-icon: here.\n",
        ),
        ("content/a/b/two.md", "# Two\n\nAgain :material-no-such-icon:, at 10:30:45.\n"),
    ]);
    let run = site.build(&[]).ok();
    let body = body_of(&site.out("a/b/one/index.html")).to_string();
    assert_eq!(body.matches("<svg class=\"kiln-icon\"").count(), 4, "{body}");
    assert!(body.contains("aria-hidden=\"true\""), "{body}");
    assert!(body.contains("A :material-no-such-icon: here."), "{body}");
    let w: Vec<&str> = run.warnings().into_iter().filter(|w| w.contains("no-such-icon")).collect();
    assert_eq!(w.len(), 1, "one warning per name for the site: {}", run.stderr);
    assert!(w[0].contains("and 1 more place"), "{}", w[0]);
    assert!(site.out("a/b/two/index.html").contains("at 10:30:45."));
}

/// MkDocs Material code annotations: markers link to the numbered list after the block.
#[test]
fn code_annotations_link_to_their_notes() {
    let site = Site::with_files(&[(
        "content/a/b/page.md",
        "# Page\n\n```python\napp = FastAPI()  # (1)!\napp.run()  # Run it (2)\nprint(f(3))\n```\n\n1.  The app.\n2.  Runs **it**.\n\n```python\nx = 1\n```\n\n1. An ordinary list.\n",
    )]);
    site.build(&[]).ok();
    let body = body_of(&site.out("a/b/page/index.html")).to_string();
    assert_eq!(body.matches("class=\"code-annotation\"").count(), 2, "{body}");
    let id = body.split("<li id=\"").nth(1).and_then(|r| r.split('"').next()).expect("a note with an id");
    assert!(id.starts_with("annotation-") && id.ends_with("-1"), "{id}");
    assert!(body.contains(&format!("href=\"#{id}\"")), "the first marker links to the first note: {body}");
    assert!(body.contains("<ol class=\"code-annotations\">"), "{body}");
    assert!(body.contains("Runs <strong>it</strong>."), "{body}");
    assert!(!body.contains("(1)!") && !body.contains("(2)<"), "markers leave the code: {body}");
    assert!(body.contains("Run it"), "the comment's own words stay: {body}");
    assert!(
        body.contains("<ol>\n<li>An ordinary list.</li>"),
        "a list after a block without markers is a list: {body}"
    );
}

/// VitePress and Docusaurus make a heading's id from its text alone: a badge in the heading
/// is not part of it, so links to `#usedata` find `## useData <Badge … />`.
#[test]
fn badges_in_headings_stay_out_of_their_ids() {
    let site = Site::with_files(&[
        (
            "content/a/b/api.md",
            "# API\n\n## `useData` <Badge type=\"info\" text=\"composable\" />\n\nText.\n",
        ),
        ("content/a/b/guide.md", "# Guide\n\nSee [useData](./api#usedata).\n"),
    ]);
    let run = site.check();
    assert!(run.code == 0 && run.warnings().is_empty(), "{}", run.stderr);
    site.build(&[]).ok();
    let api = site.out("a/b/api/index.html");
    assert!(api.contains("<h2 id=\"usedata\">") && api.contains("<span class=\"kiln-badge"), "{api}");
}
