//! Reading front matter into [`FrontMatter`] and `extra`: the parsed YAML or TOML is taken
//! as a map of values, each of Kiln's fields is filled from the first of its keys
//! ([`FrontMatterKeys`]) that is present, and every key Kiln does not name is kept as JSON
//! for templates. Readers are lenient (a title may be a number, tags a list or one
//! comma-separated string, a date any form [`crate::base::date`] reads); a value they still
//! cannot read is an [`Unread`], which the caller reports as a warning at its line while the
//! field stays unset: one odd value never costs the page, let alone the build.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::Value;

use super::frontmatter::{FrontMatter, Related};
use crate::config::FrontMatterKeys;

/// The parsed front matter: every top-level key with its value.
#[derive(Debug, Default)]
pub struct Raw(pub BTreeMap<String, Value>);

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("keys and values (`title: …`)")
    }

    // An empty YAML document (`---` then `---`, or only comments) is no front matter.
    fn visit_unit<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::default())
    }

    fn visit_none<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::default())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut out = BTreeMap::new();
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            out.insert(key, value);
        }
        Ok(Raw(out))
    }
}

/// A value a field could not be read from: the key as written (dotted when nested) and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Unread {
    /// The key, e.g. `date` or `last_update.date`.
    pub key: String,
    /// What was expected and what was found.
    pub message: String,
}

/// The front matter as read: the known fields, every other key, and the values that could
/// not be read.
#[derive(Debug, Default)]
pub struct Fields {
    /// The keys Kiln understands.
    pub meta: FrontMatter,
    /// Every key Kiln does not name, for templates (`page.extra`).
    pub extra: BTreeMap<String, Value>,
    /// Values left unread (their fields stay unset).
    pub unread: Vec<Unread>,
}

/// Fill [`Fields`] from the parsed map, taking each field from the first of its `keys`
/// that has a value.
pub fn read(raw: Raw, keys: &FrontMatterKeys) -> Fields {
    let map = raw.0;
    let mut unread = Vec::new();
    let u = &mut unread;
    let mut meta = FrontMatter {
        title: first(&map, &keys.title, u, scalar),
        description: first(&map, &keys.description, u, scalar),
        category: first(&map, &keys.category, u, scalar),
        folder: first(&map, &keys.folder, u, scalar),
        slug: first(&map, &keys.slug, u, scalar),
        tags: first(&map, &keys.tags, u, list).unwrap_or_default(),
        aliases: first(&map, &keys.aliases, u, list).unwrap_or_default(),
        date: first(&map, &keys.date, u, |v| date(v, "created")),
        updated: first(&map, &keys.updated, u, |v| date(v, "updated")),
        draft: first(&map, &keys.draft, u, flag).unwrap_or(false),
        unlisted: first(&map, &keys.unlisted, u, flag).unwrap_or(false),
        featured: first(&map, &keys.featured, u, flag).unwrap_or(false),
        review_by: first(&map, &keys.review_by, u, |v| date(v, "review_by")),
        // Anything but `public` is read as `internal`: a typo must not publish what was
        // meant for agents (the value is still reported).
        internal: first(&map, &keys.audience, u, audience).unwrap_or(false),
        related: first(&map, &keys.related, u, related).unwrap_or_default(),
        weight: first(&map, &keys.weight, u, int),
    };
    // A `draft` that cannot be read keeps the page out: publishing what was meant to be a
    // draft cannot be undone, leaving one out is one warning away from fixed.
    if unread.iter().any(|u| keys.draft.contains(&u.key)) {
        meta.draft = true;
    }
    // Likewise an audience that cannot be read keeps the page internal.
    if unread.iter().any(|u| keys.audience.contains(&u.key)) {
        meta.internal = true;
    }
    let mut extra: BTreeMap<String, Value> =
        map.into_iter().filter(|(k, _)| !super::frontmatter::is_known_key(k)).collect();
    // An `extra` table (Zola's `[extra]`, `kiln import`'s ids and votes) holds the page's extra
    // values as unknown top-level keys do: templates read `page.extra.<key>` either way.
    if let Some(Value::Object(inner)) = extra.get("extra").cloned() {
        extra.remove("extra");
        for (k, v) in inner {
            extra.entry(k).or_insert(v);
        }
    }
    Fields { meta, extra, unread }
}

/// The value of the first of `names` that `read` finds a value in; values it cannot read
/// are noted in `unread` and the next name is tried.
fn first<T>(
    map: &BTreeMap<String, Value>,
    names: &[String],
    unread: &mut Vec<Unread>,
    read: impl Fn(&Value) -> Result<Option<T>, String>,
) -> Option<T> {
    names.iter().find_map(|name| match read(lookup(map, name)?) {
        Ok(v) => v,
        Err(message) => {
            unread.push(Unread { key: name.clone(), message });
            None
        }
    })
}

/// The value at a dotted key (`sidebar.order`): a top-level key as written wins over a path.
fn lookup<'a>(map: &'a BTreeMap<String, Value>, key: &str) -> Option<&'a Value> {
    if let Some(v) = map.get(key) {
        return Some(v);
    }
    let (first, rest) = key.split_once('.')?;
    rest.split('.').try_fold(map.get(first)?, |v, part| v.as_object()?.get(part))
}

/// Text from a string, number or boolean (`title: 404`); blank or null is no value.
fn scalar(v: &Value) -> Result<Option<String>, String> {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => return Ok(None),
        other => return Err(format!("expected text, found {}", kind(other))),
    };
    Ok((!s.trim().is_empty()).then_some(s))
}

/// `internal` (true) or `public` (false). Other tools use the key for values of their own
/// (Microsoft's docs: `audience: ITPro`), which are not Kiln's and leave the page public; a
/// value within two typos of `internal` is reported (and keeps the page internal).
fn audience(v: &Value) -> Result<Option<bool>, String> {
    let Ok(value) = scalar(v) else { return Ok(None) };
    match value.map(|s| s.trim().to_ascii_lowercase()).as_deref() {
        Some("internal") => Ok(Some(true)),
        Some("public") => Ok(Some(false)),
        Some(other) if crate::base::text::edit_distance("internal", other) <= 2 => {
            Err(format!("audience {other:?} is neither `internal` nor `public` (read as internal)"))
        }
        _ => Ok(None),
    }
}

/// A list of scalars, or one comma-separated string; empty is no value.
fn list(v: &Value) -> Result<Option<Vec<String>>, String> {
    let items: Vec<String> = match v {
        Value::String(s) => s.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect(),
        Value::Array(items) => {
            let items: Result<Vec<_>, _> = items.iter().map(scalar).collect();
            items?.into_iter().flatten().collect()
        }
        Value::Null => Vec::new(),
        other => return Err(format!("expected a list of strings, found {}", kind(other))),
    };
    Ok((!items.is_empty()).then_some(items))
}

/// `related`: `false` (none), `true` (computed), or the articles to pin (a list or one
/// comma-separated string).
fn related(v: &Value) -> Result<Option<Related>, String> {
    if let Ok(Some(on)) = flag(v) {
        return Ok(Some(if on { Related::Auto } else { Related::Off }));
    }
    Ok(list(v)?.map(Related::Pinned))
}

/// A date in any form [`crate::base::date::read`] knows, a TOML date, or a map of dates
/// (MkDocs Material's `date: {created: …, updated: …}`), from which `part` is taken. A
/// boolean is no date (Starlight's `lastUpdated: true` asks for the git date).
fn date(v: &Value, part: &str) -> Result<Option<String>, String> {
    match v {
        Value::String(s) => crate::base::date::read(s).map(Some).ok_or_else(|| {
            format!(
                "{s:?} is no date Kiln reads (use 2024-05-31, 2024-05-31T09:30:00Z, 05/31/2024 or 31.05.2024)"
            )
        }),
        Value::Null | Value::Bool(_) => Ok(None),
        // TOML dates arrive as a one-entry map holding their text.
        Value::Object(o) if o.len() == 1 && o.keys().all(|k| k.starts_with("$__toml")) => {
            date(o.values().next().unwrap_or(&Value::Null), part)
        }
        Value::Object(o) => match o.get(part) {
            Some(inner) => date(inner, part),
            None => Ok(None),
        },
        other => Err(format!("expected a date, found {}", kind(other))),
    }
}

/// `true` or `false` (also `yes`/`no`, `on`/`off` as text, which YAML 1.1 tools wrote).
fn flag(v: &Value) -> Result<Option<bool>, String> {
    match v {
        Value::Bool(b) => Ok(Some(*b)),
        Value::Null => Ok(None),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" => Ok(Some(true)),
            "false" | "no" | "off" => Ok(Some(false)),
            _ => Err(format!("expected true or false, found {s:?}")),
        },
        other => Err(format!("expected true or false, found {}", kind(other))),
    }
}

/// A whole number (also written as text: `"3"`).
fn int(v: &Value) -> Result<Option<i64>, String> {
    match v {
        Value::Number(n) => n.as_i64().map(Some).ok_or_else(|| format!("expected a whole number, found {n}")),
        Value::String(s) => {
            s.trim().parse().map(Some).map_err(|_| format!("expected a whole number, found {s:?}"))
        }
        Value::Null => Ok(None),
        other => Err(format!("expected a whole number, found {}", kind(other))),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}
