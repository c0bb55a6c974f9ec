//! Front matter: split it from the body and parse it (YAML `---` or TOML `+++`) into typed
//! fields plus `extra`, with errors that carry the line and column in the *file*.
//!
//! gray_matter was considered, but it trims the block (losing line positions), reports
//! parse errors without a location and treats any body line ending in `---` as an excerpt
//! marker, so the split is done here in a few lines and the parsing by `serde_yaml`/`toml`,
//! whose errors are located.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::diagnostics::line_col;

/// The fields Kiln understands; every other key lands in `extra`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct FrontMatter {
    /// Page title.
    #[serde(deserialize_with = "opt_scalar_string")]
    pub title: Option<String>,
    /// One-line summary for listings and meta tags.
    #[serde(deserialize_with = "opt_scalar_string")]
    pub description: Option<String>,
    /// Category label (first navigation level).
    #[serde(deserialize_with = "opt_scalar_string")]
    pub category: Option<String>,
    /// Folder label; `/` nests sub-folders (`Mailflow issues/NDR`).
    #[serde(deserialize_with = "opt_scalar_string")]
    pub folder: Option<String>,
    /// Tags: a list, or one comma-separated string.
    #[serde(deserialize_with = "string_list")]
    pub tags: Vec<String>,
    /// Publication date, `YYYY-MM-DD` with an optional time.
    #[serde(deserialize_with = "opt_date")]
    pub date: Option<String>,
    /// Last-updated date, same format as `date`.
    #[serde(deserialize_with = "opt_date")]
    pub updated: Option<String>,
    /// Left out of the build unless `--drafts`.
    pub draft: bool,
    /// Built and searchable, but left out of navigation (sidebar, listings, tags, previous
    /// and next), the sitemap and feeds, and marked `noindex`: for pages reached by a link.
    pub unlisted: bool,
    /// Sort key among siblings, lower first.
    pub weight: Option<i64>,
    /// URL slug replacing the file stem.
    #[serde(deserialize_with = "opt_scalar_string")]
    pub slug: Option<String>,
    /// Old URLs of this page.
    #[serde(deserialize_with = "string_list")]
    pub aliases: Vec<String>,
}

/// The keys of [`FrontMatter`], which are not copied into `extra`.
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
    "weight",
    "slug",
    "aliases",
];

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

/// Parse the front matter text into known fields and `extra`. `first_line` is the file line
/// the text starts on, so that errors point into the file.
pub fn parse(
    format: Format,
    text: &str,
    first_line: usize,
) -> Result<(FrontMatter, BTreeMap<String, serde_json::Value>), FmError> {
    if text.trim().is_empty() {
        return Ok(Default::default());
    }
    let located = |message: String, line: Option<usize>, col: Option<usize>| FmError {
        line: first_line + line.unwrap_or(1) - 1,
        col: line.and(col),
        message,
    };
    let (fm, mut all): (FrontMatter, BTreeMap<String, serde_json::Value>) = match format {
        Format::Yaml => {
            let yaml_err = |e: serde_yaml::Error| {
                // YAML counts a lone carriage return as a line break, the file's lines do
                // not: the position is found again from the character index.
                let (line, col) = e
                    .location()
                    .map(|l| {
                        let at = text.char_indices().nth(l.index()).map_or(text.len(), |(b, _)| b);
                        line_col(text, at)
                    })
                    .unzip();
                located(
                    format!("invalid YAML front matter: {}", strip_yaml_location(&e.to_string())),
                    line,
                    col,
                )
            };
            if let Some(at) = too_deep_flow(text) {
                let (line, col) = line_col(text, at);
                return Err(located(
                    format!("front matter nests `[` or `{{` more than {MAX_FLOW_DEPTH} deep"),
                    Some(line),
                    Some(col),
                ));
            }
            let fm = serde_yaml::from_str(text).map_err(yaml_err)?;
            let all = serde_yaml::from_str::<Option<BTreeMap<String, serde_json::Value>>>(text)
                .map_err(yaml_err)?
                .unwrap_or_default();
            (fm, all)
        }
        Format::Toml => {
            let toml_err = |e: toml::de::Error| {
                let (line, col) = e.span().map(|s| line_col(text, s.start)).unzip();
                located(format!("invalid TOML front matter: {}", e.message().trim()), line, col)
            };
            let fm = toml::from_str(text).map_err(toml_err)?;
            let all = toml::from_str(text).map_err(toml_err)?;
            (fm, all)
        }
    };
    if let Some(reason) = fm.slug.as_deref().and_then(crate::base::slug::unsafe_slug_reason) {
        return Err(FmError {
            line: first_line + key_line(text, "slug").unwrap_or(0),
            col: Some(1),
            message: format!(
                "slug {:?} {reason}: it would escape the output folder",
                fm.slug.as_deref().unwrap_or_default()
            ),
        });
    }
    all.retain(|k, _| !KNOWN_KEYS.contains(&k.as_str()));
    Ok((fm, all))
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

/// serde_yaml appends " at line X column Y" to its messages; the location is shown in the
/// diagnostic already, relative to the file rather than the front matter block.
fn strip_yaml_location(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// 0-based line index of a top-level `key:` / `key =` in front matter text.
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines().position(|l| {
        l.strip_prefix(key).is_some_and(|rest| {
            let rest = rest.trim_start();
            rest.starts_with(':') || rest.starts_with('=')
        })
    })
}

fn opt_scalar_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(ScalarString).map(|s| s.filter(|s| !s.trim().is_empty()))
}

/// Accepts strings, numbers and booleans as text (`title: 404`); rejects lists and maps.
struct ScalarString;

impl<'de> Visitor<'de> for ScalarString {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

fn string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct ListVisitor;
    impl<'de> Visitor<'de> for ListVisitor {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of strings or a comma-separated string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect())
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element_seed(ScalarSeed)? {
                out.extend(item);
            }
            Ok(out)
        }
    }
    d.deserialize_any(ListVisitor)
}

struct ScalarSeed;

impl<'de> de::DeserializeSeed<'de> for ScalarSeed {
    type Value = Option<String>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(ScalarString)
    }
}

fn opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct DateVisitor;
    impl<'de> Visitor<'de> for DateVisitor {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a date like 2024-05-31 or 2024-05-31T09:30:00Z")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            normalize_date(v)
                .map(Some)
                .ok_or_else(|| E::custom(format!("invalid date {v:?}: expected a date like 2024-05-31")))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        // TOML dates arrive as a one-entry map holding their text.
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let Some((_, v)) = map.next_entry::<String, String>()? else {
                return Err(de::Error::custom("expected a date"));
            };
            self.visit_str(&v)
        }
    }
    d.deserialize_any(DateVisitor)
}

/// Accept `YYYY-MM-DD`, optionally followed by `T` or a space and a time; return it trimmed.
pub fn normalize_date(v: &str) -> Option<String> {
    let v = v.trim();
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    if b.len() < 10 || !digits(0..4) || b[4] != b'-' || !digits(5..7) || b[7] != b'-' || !digits(8..10) {
        return None;
    }
    let month: u32 = v[5..7].parse().ok()?;
    let day: u32 = v[8..10].parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    if b.len() > 10 && b[10] != b'T' && b[10] != b' ' {
        return None;
    }
    Some(v.to_string())
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
        let (fm, _) = parse(Format::Toml, "title = \"A\"\n", 2).unwrap();
        assert_eq!(fm.title.as_deref(), Some("A"));
    }

    #[test]
    fn unclosed_front_matter_is_error_at_line_1() {
        assert_eq!(split("---\ntitle: A\n").unwrap_err().line, 1);
    }

    #[test]
    fn extra_keeps_unknown_keys() {
        let (fm, extra) = parse(Format::Yaml, "title: T\nms.author: jo\ntags: [a, b]\n", 2).unwrap();
        assert_eq!(fm.tags, vec!["a", "b"]);
        assert_eq!(extra["ms.author"], serde_json::json!("jo"));
        assert!(!extra.contains_key("title"));
    }

    #[test]
    fn wrong_type_points_at_value() {
        let e = parse(Format::Yaml, "title: ok\ndraft: maybe\n", 2).unwrap_err();
        assert_eq!(e.line, 3, "{e:?}");
        assert!(e.message.contains("bool"), "{}", e.message);
        let e = parse(Format::Yaml, "title: [a, b]\n", 2).unwrap_err();
        assert_eq!(e.line, 2);
    }

    #[test]
    fn invalid_yaml_is_located() {
        let e = parse(Format::Yaml, "title: ok\ntags: [a, b\n", 2).unwrap_err();
        assert!(e.line >= 3, "{e:?}");
    }

    #[test]
    fn dates() {
        assert_eq!(normalize_date("2024-05-31"), Some("2024-05-31".into()));
        assert!(normalize_date("2024-05-31T10:00:00Z").is_some());
        assert!(normalize_date("31/05/2024").is_none());
        assert!(normalize_date("2024-13-01").is_none());
        let e = parse(Format::Yaml, "date: yesterday\n", 2).unwrap_err();
        assert_eq!(e.line, 2);
    }

    #[test]
    fn escaping_slug_is_error() {
        let e = parse(Format::Yaml, "title: x\nslug: ../../etc\n", 2).unwrap_err();
        assert_eq!(e.line, 3);
    }
}
