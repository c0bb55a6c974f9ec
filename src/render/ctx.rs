//! The page-specific part of a template's context, and its key. What a template is given
//! is exactly what its key is made from (the site-wide part, the same for every page, is
//! keyed once), so a value added to a context can never be left out of the key that
//! decides whether the file is rendered again.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::base::digest::{Digest, Key};

/// Values inserted by name, as the template sees them.
#[derive(Debug, Default)]
pub struct Ctx(Map<String, Value>);

impl Ctx {
    /// An empty context.
    pub fn new() -> Ctx {
        Ctx::default()
    }

    /// The values of a struct's fields, by field name.
    pub fn of<T: Serialize>(value: &T) -> crate::error::Result<Ctx> {
        match serde_json::to_value(value) {
            Ok(Value::Object(map)) => Ok(Ctx(map)),
            Ok(_) => Err(crate::error::Error::internal(None, "a template context that is not a map")),
            Err(e) => Err(crate::error::Error::Template(format!("context: {e}"))),
        }
    }

    /// Insert `value` under `name`. A value that cannot be serialised is a template error.
    pub fn insert<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> crate::error::Result<()> {
        let v = serde_json::to_value(value)
            .map_err(|e| crate::error::Error::Template(format!("context value `{name}`: {e}")))?;
        self.0.insert(name.to_string(), v);
        Ok(())
    }

    /// The key of a file rendered with `template` from this context on top of the
    /// site-wide context whose key is `base`.
    pub fn key(&self, base: Digest, template: &str) -> Option<Digest> {
        keyed(base, template, &self.0)
    }

    /// The full context for Tera: the site-wide part, then this.
    pub fn into_tera(self, base: &tera::Context) -> tera::Context {
        let mut ctx = base.clone();
        // A map always makes a context.
        if let Ok(own) = tera::Context::from_value(Value::Object(self.0)) {
            ctx.extend(own);
        }
        ctx
    }
}

/// The key of a file rendered with `template` from `ctx` (serialised) on top of the
/// site-wide context whose key is `base`. `None` when `ctx` cannot be serialised: the file
/// is then rendered again, never kept on a guess.
pub fn keyed<T: Serialize + ?Sized>(base: Digest, template: &str, ctx: &T) -> Option<Digest> {
    let mut key = Key::new();
    key.num(base).str(template);
    // serde_json writes many small pieces: buffered, the digest is fed a few large ones.
    let mut buf = std::io::BufWriter::with_capacity(4096, &mut key);
    serde_json::to_writer(&mut buf, ctx).ok()?;
    std::io::Write::flush(&mut buf).ok()?;
    drop(buf);
    Some(key.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_is_in_the_key() {
        let mut a = Ctx::new();
        a.insert("title", "A").unwrap();
        let before = a.key(1, "page.html");
        a.insert("extra", &serde_json::json!({"x": 1})).unwrap();
        assert_ne!(a.key(1, "page.html"), before, "a new value moves the key");
        assert_ne!(a.key(1, "page.html"), a.key(2, "page.html"), "the site-wide part moves it");
        assert_ne!(a.key(1, "page.html"), a.key(1, "section.html"), "so does the template");
    }

    #[test]
    fn a_value_that_cannot_be_serialised_gives_no_key() {
        struct Bad;
        impl Serialize for Bad {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("no"))
            }
        }
        assert_eq!(keyed(1, "page.html", &Bad), None);
    }
}
