//! Front matter: split it from the body and parse it (YAML `---` or TOML `+++`) into typed
//! fields plus `extra`, with errors that carry the line and column in the *file*.
//!
//! gray_matter was considered, but it trims the block (losing line positions), reports
//! parse errors without a location and treats any body line ending in `---` as an excerpt
//! marker, so the split is done here in a few lines and the parsing by `serde-saphyr`
//! (YAML) and `toml`, whose errors are located. Where each key is written is noted at the
//! same time ([`Positions`]), so later stages can point at a line without reading the file.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::fields::{self, Fields, Raw};
use crate::config::FrontMatterKeys;
use crate::diagnostics::line_col;

/// The fields Kiln understands; every other key lands in `extra`. Its `Deserialize` is the
/// build cache's (plain fields); front matter as written is read by `fields.rs`, leniently.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct FrontMatter {
    /// Page title.
    pub title: Option<String>,
    /// One-line summary for listings and meta tags.
    pub description: Option<String>,
    /// Category label (first navigation level).
    pub category: Option<String>,
    /// Folder label; `/` nests sub-folders (`Mailflow issues/NDR`).
    pub folder: Option<String>,
    /// Tags: a list, or one comma-separated string.
    pub tags: Vec<String>,
    /// Publication date, `YYYY-MM-DD` with an optional time.
    pub date: Option<String>,
    /// Last-updated date, same format as `date`.
    pub updated: Option<String>,
    /// Left out of the build unless `--drafts`.
    pub draft: bool,
    /// Built and searchable, but left out of navigation (sidebar, listings, tags, previous
    /// and next), the sitemap and feeds, and marked `noindex`: for pages reached by a link.
    pub unlisted: bool,
    /// Listed in the "Featured" block of the home page and its category's page.
    pub featured: bool,
    /// The day by which the article must be reviewed (`kiln check` reports it after).
    pub review_by: Option<String>,
    /// For agents only (`audience: internal`); on an index page, its whole folder.
    pub internal: bool,
    /// The "Related articles" it shows: computed, none, or pinned ones first.
    pub related: Related,
    /// Sort key among siblings, lower first.
    pub weight: Option<i64>,
    /// URL slug replacing the file stem.
    pub slug: Option<String>,
    /// Old URLs of this page.
    pub aliases: Vec<String>,
}

/// Front matter `related`: `false` shows none, a list of article paths (resolved as links
/// are) pins those first; the rest are computed from the articles' text.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub enum Related {
    /// Computed only.
    #[default]
    Auto,
    /// None at all (`related: false`).
    Off,
    /// These first, as written, then computed ones up to the limit.
    Pinned(Vec<String>),
}

/// The keys of [`FrontMatter`], which are not copied into `extra`. (`audience` is copied
/// all the same: other tools give it values of their own, `audience: ITPro`.)
const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "category",
    "folder",
    "tags",
    "date",
    "updated",
    "draft",
    "unlisted",
    "featured",
    "review_by",
    "related",
    "weight",
    "slug",
    "aliases",
];

/// Whether `key` is one of Kiln's own front matter keys (not copied into `extra`).
pub fn is_known_key(key: &str) -> bool {
    KNOWN_KEYS.contains(&key)
}

/// Front matter split from a file, before parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `---` fenced YAML.
    Yaml,
    /// `+++` fenced TOML.
    Toml,
}

/// The result of [`split`]: where the front matter and the body are.
#[derive(Debug)]
pub struct Split<'a> {
    /// Format and raw text of the front matter, if any.
    pub matter: Option<(Format, &'a str)>,
    /// 1-based line of the file on which the front matter text starts.
    pub matter_line: usize,
    /// The Markdown body.
    pub body: &'a str,
    /// 1-based line of the file on which the body starts.
    pub body_line: usize,
}

/// A front matter problem at a 1-based line and column of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct FmError {
    /// Line in the file.
    pub line: usize,
    /// Column in the file, when known.
    pub col: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// Split `text` into front matter and body. An opening fence without a closing one is an
/// error at line 1.
pub fn split(text: &str) -> Result<Split<'_>, FmError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = text.find('\n').unwrap_or(text.len());
    let fence = text[..first_end].trim_end();
    let format = match fence {
        "---" => Format::Yaml,
        "+++" => Format::Toml,
        _ => {
            return Ok(Split { matter: None, matter_line: 1, body: text, body_line: 1 });
        }
    };
    let matter_start = (first_end + 1).min(text.len());
    let mut pos = matter_start;
    let mut line = 2;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let l = text[pos..end].trim_end();
        if l == fence || (format == Format::Yaml && l == "...") {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                matter: Some((format, &text[matter_start..pos])),
                matter_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        pos = end + 1;
        line += 1;
    }
    Err(FmError {
        line: 1,
        col: Some(1),
        message: format!("front matter opened with `{fence}` is never closed"),
    })
}

/// Front matter as parsed: the known fields, every other key, and where they are written.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The keys Kiln understands.
    pub meta: FrontMatter,
    /// Every other key, for templates.
    pub extra: BTreeMap<String, serde_json::Value>,
    /// Where the keys and aliases are written in the file.
    pub positions: Positions,
    /// Values that could not be read, at their place in the file (warnings: the field is
    /// left unset, or for `draft`, the page is kept out).
    pub unread: Vec<FmError>,
}

/// Parse the front matter text into known fields (filled from `keys`) and `extra`.
/// `first_line` is the file line the text starts on, so that errors point into the file.
/// Text that is no YAML or TOML is an error; a value a field cannot be read from is not
/// (see [`Parsed::unread`]).
pub fn parse(
    format: Format,
    text: &str,
    first_line: usize,
    keys: &FrontMatterKeys,
) -> Result<Parsed, FmError> {
    if text.trim().is_empty() {
        return Ok(Parsed::default());
    }
    let located = |message: String, (line, col): (usize, usize)| FmError {
        line: first_line + line - 1,
        col: Some(col),
        message: in_key(text, line, message),
    };
    let raw: Raw = match format {
        Format::Yaml => {
            if let Some(at) = too_deep_flow(text) {
                let message = format!("front matter nests `[` or `{{` more than {MAX_FLOW_DEPTH} deep");
                return Err(located(message, line_col(text, at)));
            }
            let options = serde_saphyr::options! { with_snippet: false };
            serde_saphyr::from_str_with_options(text, options).map_err(|e| {
                let message = format!("invalid YAML front matter: {}", strip_location(&e.to_string()));
                located(message, at_value(text, yaml_position(text, &e)))
            })?
        }
        Format::Toml => toml::from_str(text).map_err(|e| {
            let at = e.span().map_or((1, 1), |s| line_col(text, s.start));
            located(format!("invalid TOML front matter: {}", e.message().trim()), at)
        })?,
    };
    let Fields { meta, extra, unread } = fields::read(raw, keys);
    let unread = unread
        .into_iter()
        .map(|u| {
            let (line, col) = key_line(text, &u.key).map_or((1, 1), |l| at_value(text, (l, 1)));
            let message = format!("`{}`: {}; ignored", u.key, u.message);
            FmError { line: first_line + line - 1, col: Some(col), message }
        })
        .collect();
    let positions = Positions::scan(format, text, first_line, &meta.aliases);
    if let Some(reason) = meta.slug.as_deref().and_then(crate::base::slug::unsafe_slug_reason) {
        let (line, col) = positions.key("slug").unwrap_or((first_line, 1));
        return Err(FmError {
            line,
            col: Some(col),
            message: format!(
                "slug {:?} {reason}: it would escape the output folder",
                meta.slug.as_deref().unwrap_or_default()
            ),
        });
    }
    Ok(Parsed { meta, extra, positions, unread })
}

/// The (line, column) in `text` of a YAML error. The parser counts a lone carriage return
/// as a line break and the file's lines do not, so the position is found again from the
/// error's offset where it has one.
fn yaml_position(text: &str, e: &serde_saphyr::Error) -> (usize, usize) {
    let Some(at) = e.location() else { return (1, 1) };
    let span = at.span();
    let byte = span.byte_offset().map(|b| b as usize).or_else(|| {
        let chars = span.offset() as usize;
        text.char_indices().nth(chars).map(|(b, _)| b).or((chars > 0).then_some(text.len()))
    });
    match byte {
        Some(b) if b > 0 || at.line() <= 1 => line_col(text, b),
        _ => (at.line().max(1) as usize, at.column().max(1) as usize),
    }
}

/// A type error is placed at the start of its `key: value` line: the value's column is
/// where the problem is.
fn at_value(text: &str, (line, col): (usize, usize)) -> (usize, usize) {
    let Some(l) = text.lines().nth(line.saturating_sub(1)).filter(|_| col == 1) else { return (line, col) };
    let Some(colon) = top_level_key(l).and_then(|_| l.find(':')) else { return (line, col) };
    let rest = &l[colon + 1..];
    if rest.trim().is_empty() {
        return (line, col);
    }
    let value = colon + 1 + (rest.len() - rest.trim_start().len());
    (line, l[..value].chars().count() + 1)
}

/// `message`, naming the top-level key whose value holds `line` (1-based in `text`) when
/// the parser's message does not: "`weight`: invalid type: …".
fn in_key(text: &str, line: usize, message: String) -> String {
    let key = text.lines().take(line).filter_map(top_level_key).last();
    match key {
        Some(k) if !message.contains(&format!("`{k}`")) => match message.split_once(": ") {
            Some((head, rest)) if head.starts_with("invalid ") && head.ends_with("front matter") => {
                format!("{head}: `{k}`: {rest}")
            }
            _ => message,
        },
        _ => message,
    }
}

/// The 1-based line in `text` of the top-level key a (possibly dotted) key starts with.
fn key_line(text: &str, key: &str) -> Option<usize> {
    let top =
        if text.lines().any(|l| top_level_key(l) == Some(key)) { key } else { key.split('.').next()? };
    text.lines().position(|l| top_level_key(l) == Some(top)).map(|i| i + 1)
}

/// The key a line of front matter starts, if it is a top-level `key:` or `key =`.
fn top_level_key(line: &str) -> Option<&str> {
    if line.starts_with([' ', '\t', '#', '-', '[', '{', '"', '\'']) {
        return None;
    }
    let end = line.find([':', '='])?;
    let key = line[..end].trim();
    (!key.is_empty() && !key.contains(char::is_whitespace)).then_some(key)
}

/// Where front matter keys and `aliases` items are written: 1-based file line and column.
/// Kept with the page (and in the build cache), so a later stage reporting about a key
/// points at it without reading the file again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Positions {
    /// Each known key written at the top level: its index in [`KNOWN_KEYS`], line, column.
    keys: Vec<(u8, u32, u32)>,
    /// Each `aliases` item, in order, where its text was found (`None`: written with escapes).
    aliases: Vec<Option<(u32, u32)>>,
    /// The line of the `# H1` the title was taken from.
    heading: Option<u32>,
}

impl Positions {
    /// Note where `text` (front matter starting at file line `first_line`) writes each
    /// known key and each alias.
    fn scan(format: Format, text: &str, first_line: usize, aliases: &[String]) -> Positions {
        let mut keys = Vec::new();
        let mut aliases_at = None;
        let mut offset = 0;
        for (i, line) in text.split('\n').enumerate() {
            let at = offset;
            offset += line.len() + 1;
            // TOML keys after a `[table]` header are not top-level.
            if format == Format::Toml && line.trim_start().starts_with('[') {
                break;
            }
            let Some(key) = top_level_key(line) else { continue };
            if let Some(k) = KNOWN_KEYS.iter().position(|&known| known == key) {
                keys.push((k as u8, (first_line + i) as u32, 1));
                if key == "aliases" {
                    aliases_at = Some(at);
                }
            }
        }
        let mut from = aliases_at.unwrap_or(0);
        let aliases = aliases
            .iter()
            .map(|a| {
                let found = text.get(from..)?.find(a.trim())? + from;
                from = found + a.trim().len();
                let (line, col) = line_col(text, found);
                Some(((first_line + line - 1) as u32, col as u32))
            })
            .collect();
        Positions { keys, aliases, heading: None }
    }

    /// Where the top-level `key` is written.
    pub fn key(&self, key: &str) -> Option<(usize, usize)> {
        let k = KNOWN_KEYS.iter().position(|&known| known == key)? as u8;
        self.keys.iter().find(|p| p.0 == k).map(|p| (p.1 as usize, p.2 as usize))
    }

    /// Where the `n`th alias is written, else where the `aliases` key is.
    pub fn alias(&self, n: usize) -> Option<(usize, usize)> {
        match self.aliases.get(n).copied().flatten() {
            Some((line, col)) => Some((line as usize, col as usize)),
            None => self.key("aliases"),
        }
    }

    /// The line of the `# H1` the title was taken from.
    pub fn heading(&self) -> Option<usize> {
        self.heading.map(|l| l as usize)
    }

    /// Note the line of the `# H1` the title was taken from.
    pub fn set_heading(&mut self, line: usize) {
        self.heading = Some(line as u32);
    }
}

/// YAML flow collections (`[`, `{`) nest at most this deep; the YAML parser's own limit
/// is reached only after time quadratic in the nesting.
pub const MAX_FLOW_DEPTH: usize = 64;

/// The byte offset where YAML flow collections first nest deeper than [`MAX_FLOW_DEPTH`]
/// (brackets inside quotes and comments do not count), found in one pass.
fn too_deep_flow(text: &str) -> Option<usize> {
    let (mut depth, mut quote, mut comment) = (0usize, None::<u8>, false);
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if comment {
            comment = b != b'\n';
            continue;
        }
        match (quote, b) {
            (Some(b'"'), b'\\') => {}
            (Some(q), _) if q == b && !(q == b'"' && i > 0 && bytes[i - 1] == b'\\') => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') if i == 0 || b" \t[{,:".contains(&bytes[i - 1]) => quote = Some(b),
            (None, b'#') if i == 0 || bytes[i - 1].is_ascii_whitespace() => comment = true,
            (None, b'[' | b'{') => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(i);
                }
            }
            (None, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The parsers append " at line X, column Y" to their messages; the location is shown in
/// the diagnostic already, relative to the file rather than the front matter block.
fn strip_location(msg: &str) -> String {
    let msg = msg.lines().next().unwrap_or(msg);
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_flow_nesting_is_found_in_one_pass() {
        assert_eq!(too_deep_flow("tags: [a, [b], {c: d}]\ntitle: \"[[[\"\n# [[[[\n"), None);
        let deep = format!("title: x\nextra: {}", "[".repeat(200_000));
        assert_eq!(too_deep_flow(&deep), Some(16 + MAX_FLOW_DEPTH));
    }

    #[test]
    fn splits_yaml_and_counts_lines() {
        let s = split("---\ntitle: A\n---\n# Body\n").unwrap();
        assert_eq!(s.matter, Some((Format::Yaml, "title: A\n")));
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn splits_toml() {
        let s = split("+++\ntitle = \"A\"\n+++\nbody").unwrap();
        assert_eq!(s.matter.unwrap().0, Format::Toml);
        let p = parse(Format::Toml, "title = \"A\"\n", 2, &FrontMatterKeys::default()).unwrap();
        assert_eq!(p.meta.title.as_deref(), Some("A"));
        assert_eq!(p.positions.key("title"), Some((2, 1)));
    }

    #[test]
    fn unclosed_front_matter_is_error_at_line_1() {
        assert_eq!(split("---\ntitle: A\n").unwrap_err().line, 1);
    }

    #[test]
    fn extra_keeps_unknown_keys() {
        let p =
            parse(Format::Yaml, "title: T\nms.author: jo\ntags: [a, b]\n", 2, &FrontMatterKeys::default())
                .unwrap();
        assert_eq!(p.meta.tags, vec!["a", "b"]);
        assert_eq!(p.extra["ms.author"], serde_json::json!("jo"));
        assert!(!p.extra.contains_key("title"));
    }

    #[test]
    fn a_value_that_cannot_be_read_is_a_warning_at_the_value() {
        let p = parse(Format::Yaml, "title: ok\nweight: heavy\n", 2, &FrontMatterKeys::default()).unwrap();
        assert_eq!(p.meta.weight, None, "the field is left unset");
        assert_eq!(p.meta.title.as_deref(), Some("ok"), "the rest is read");
        let e = &p.unread[0];
        assert!(e.line == 3 && e.col == Some(9) && e.message.contains("`weight`"), "{e:?}");
        let p = parse(Format::Yaml, "title: [a, b]\n", 2, &FrontMatterKeys::default()).unwrap();
        assert_eq!((p.meta.title, p.unread[0].line), (None, 2));
        // An unreadable draft flag keeps the page out rather than publishing it.
        let p = parse(Format::Yaml, "title: ok\ndraft: maybe\n", 2, &FrontMatterKeys::default()).unwrap();
        assert!(p.meta.draft && p.unread[0].line == 3 && p.unread[0].message.contains("`draft`"), "{p:?}");
        let p =
            parse(Format::Yaml, "draft: yes\nunlisted: \"off\"\n", 2, &FrontMatterKeys::default()).unwrap();
        assert!(p.meta.draft && !p.meta.unlisted && p.unread.is_empty());
    }

    #[test]
    fn other_tools_keys_fill_kiln_fields() {
        let text = "sidebar_label: Nav\ntitle: T\nsidebar_position: 3\nlast_update:\n  date: 3/16/2020\nredirect_from: [/old/]\n";
        let p = parse(Format::Yaml, text, 2, &FrontMatterKeys::default()).unwrap();
        assert_eq!(p.meta.weight, Some(3));
        assert_eq!(p.meta.updated.as_deref(), Some("2020-03-16"));
        assert_eq!(p.meta.aliases, vec!["/old/"]);
        assert_eq!(p.extra["sidebar_position"], serde_json::json!(3), "still there for templates");
        let p = parse(
            Format::Yaml,
            "date:\n  created: 2023-01-31\n  updated: 2024-02-01\n",
            2,
            &FrontMatterKeys::default(),
        )
        .unwrap();
        assert_eq!(
            (p.meta.date.as_deref(), p.meta.updated.as_deref()),
            (Some("2023-01-31"), Some("2024-02-01"))
        );
        // Site-configured keys, dotted into maps; the first with a value wins.
        let keys = FrontMatterKeys { title: vec!["nav.label".into(), "title".into()], ..Default::default() };
        let p = parse(Format::Yaml, "title: Long title\nnav: {label: Short}\n", 2, &keys).unwrap();
        assert_eq!(p.meta.title.as_deref(), Some("Short"));
        let p = parse(Format::Yaml, "title: Long title\nnav: {label: null}\n", 2, &keys).unwrap();
        assert_eq!(p.meta.title.as_deref(), Some("Long title"));
        // A bad value of a later key is reported at its nested line's top-level key.
        let p = parse(Format::Yaml, "ms.date: someday\n", 5, &FrontMatterKeys::default()).unwrap();
        assert_eq!((p.meta.updated.clone(), p.unread[0].line), (None, 5), "{p:?}");
    }

    #[test]
    fn invalid_yaml_is_located() {
        let e = parse(Format::Yaml, "title: ok\ntags: [a, b\n", 2, &FrontMatterKeys::default()).unwrap_err();
        assert!(e.line >= 3, "{e:?}");
    }

    #[test]
    fn dates() {
        let p = parse(
            Format::Yaml,
            "date: 3/16/2020\nupdated: Tue, 1 Jul 2003 10:52:37 +0200\n",
            2,
            &FrontMatterKeys::default(),
        )
        .unwrap();
        assert_eq!(p.meta.date.as_deref(), Some("2020-03-16"));
        assert_eq!(p.meta.updated.as_deref(), Some("2003-07-01T10:52:37+02:00"));
        let p = parse(Format::Yaml, "date: yesterday\n", 2, &FrontMatterKeys::default()).unwrap();
        assert_eq!((p.meta.date, p.unread[0].line, p.unread[0].col), (None, 2, Some(7)));
    }

    #[test]
    fn positions_of_keys_and_aliases() {
        let text = "title: T\naliases:\n  - /old/one/\n  - \"/old/two/\"\n# slug: no\nslug: s\n";
        let p = parse(Format::Yaml, text, 2, &FrontMatterKeys::default()).unwrap();
        assert_eq!(p.positions.key("title"), Some((2, 1)));
        assert_eq!(p.positions.key("slug"), Some((7, 1)));
        assert_eq!(p.positions.alias(0), Some((4, 5)));
        assert_eq!(p.positions.alias(1), Some((5, 6)));
        assert_eq!(p.positions.key("tags"), None);
    }

    #[test]
    fn a_lone_carriage_return_does_not_move_lines() {
        let e =
            parse(Format::Yaml, "title: x\ndescription: b \r\r\r\rc: [d\n", 2, &FrontMatterKeys::default())
                .unwrap_err();
        assert!(e.line <= 3, "{e:?}");
    }

    #[test]
    fn escaping_slug_is_error() {
        let e =
            parse(Format::Yaml, "title: x\nslug: ../../etc\n", 2, &FrontMatterKeys::default()).unwrap_err();
        assert_eq!(e.line, 3);
    }
}
