//! Reading front matter into [`FrontMatter`] and `extra` in one pass over the parsed YAML or
//! TOML: known keys through lenient readers (a title may be a number, tags a list or one
//! comma-separated string, a date a string or a TOML date), every other key kept as JSON
//! for templates. Type errors are raised while the parser is at the value, so they carry
//! its position.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use super::frontmatter::{FrontMatter, normalize_date};

/// The front matter as read: the known fields and every other key.
#[derive(Debug, Default)]
pub struct Fields {
    /// The keys Kiln understands.
    pub meta: FrontMatter,
    /// Every other key, for templates (`page.extra`).
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FieldsVisitor)
    }
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("keys and values (`title: …`)")
    }

    // An empty YAML document (`---` then `---`, or only comments) is no front matter.
    fn visit_unit<E: de::Error>(self) -> Result<Fields, E> {
        Ok(Fields::default())
    }

    fn visit_none<E: de::Error>(self) -> Result<Fields, E> {
        Ok(Fields::default())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
        let mut out = Fields::default();
        let m = &mut out.meta;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "title" => m.title = map.next_value::<Scalar>()?.0,
                "description" => m.description = map.next_value::<Scalar>()?.0,
                "category" => m.category = map.next_value::<Scalar>()?.0,
                "folder" => m.folder = map.next_value::<Scalar>()?.0,
                "slug" => m.slug = map.next_value::<Scalar>()?.0,
                "tags" => m.tags = map.next_value::<List>()?.0,
                "aliases" => m.aliases = map.next_value::<List>()?.0,
                "date" => m.date = map.next_value::<Date>()?.0,
                "updated" => m.updated = map.next_value::<Date>()?.0,
                "draft" => m.draft = map.next_value::<Flag>()?.0,
                "unlisted" => m.unlisted = map.next_value::<Flag>()?.0,
                "weight" => m.weight = map.next_value::<Int>()?.0,
                _ => {
                    let value = map.next_value::<serde_json::Value>()?;
                    out.extra.insert(key, value);
                }
            }
        }
        Ok(out)
    }
}

/// A string, number or boolean read as text (`title: 404`); lists and maps are errors;
/// blank text is no value.
struct Scalar(Option<String>);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = d.deserialize_any(ScalarString)?;
        Ok(Scalar(s.filter(|s| !s.trim().is_empty())))
    }
}

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

/// A list of scalars, or one comma-separated string.
struct List(Vec<String>);

impl<'de> Deserialize<'de> for List {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ListVisitor).map(List)
    }
}

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
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(item) = seq.next_element::<Scalar>()? {
            out.extend(item.0);
        }
        Ok(out)
    }
}

/// `YYYY-MM-DD` with an optional time, as text or a TOML date.
struct Date(Option<String>);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DateVisitor).map(Date)
    }
}

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
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
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

/// `true` or `false`.
struct Flag(bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = bool;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a boolean (true or false)")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
                Ok(v)
            }
            fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
                Ok(false)
            }
        }
        d.deserialize_any(V).map(Flag)
    }
}

/// A whole number.
struct Int(Option<i64>);

impl<'de> Deserialize<'de> for Int {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Option<i64>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a whole number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Some(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                i64::try_from(v).map(Some).map_err(|_| E::custom(format!("{v} is too large a weight")))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
        }
        d.deserialize_any(V).map(Int)
    }
}
