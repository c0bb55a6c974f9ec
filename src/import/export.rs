//! A folder of saved API responses (`--from DIR`): the vendors' own JSON, unchanged, one file
//! per response (`articles.json`, then `articles-2.json` …), and `attachments/<article
//! id>/<file>`. Every file is read confined to the folder: a link inside it leading out is
//! refused.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::base::confine;
use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};

/// Largest JSON response read (a page of 100 long articles is a few MB).
const JSON_LIMIT: u64 = 256 << 20;

/// The attachments folder's name.
pub const ATTACHMENTS: &str = "attachments";

/// An export folder.
#[derive(Debug, Clone)]
pub struct Export {
    /// The folder.
    pub dir: PathBuf,
}

impl Export {
    /// Open `dir`, which must be a folder.
    pub fn open(dir: &Path) -> Result<Export> {
        if !dir.is_dir() {
            return Err(Error::usage_at(
                dir,
                format!("{}: no such folder of saved API responses", dir.display()),
            ));
        }
        Ok(Export { dir: dir.to_path_buf() })
    }

    /// Every page of a list response: `<name>.json`, then `<name>-2.json`, … while they exist.
    /// `None` when even the first is missing.
    pub fn pages(&self, name: &str) -> Result<Option<Vec<Value>>> {
        let Some(first) = self.json(&format!("{name}.json"))? else { return Ok(None) };
        let mut pages = vec![first];
        for n in 2.. {
            match self.json(&format!("{name}-{n}.json"))? {
                Some(page) => pages.push(page),
                None => break,
            }
        }
        Ok(Some(pages))
    }

    /// Every page of a list response the import cannot do without.
    pub fn required(&self, name: &str) -> Result<Vec<Value>> {
        self.pages(name)?.ok_or_else(|| {
            Error::usage_at(
                self.dir.join(format!("{name}.json")),
                format!(
                    "{}: {name}.json is missing (the saved response of the {name} list)",
                    self.dir.display()
                ),
            )
        })
    }

    /// One JSON file, `None` when it does not exist.
    pub fn json(&self, file: &str) -> Result<Option<Value>> {
        let path = self.dir.join(file);
        let bytes = match confine::read_at_most(&self.dir, &path, JSON_LIMIT) {
            Ok(b) => b,
            Err(confine::ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::usage_at(&path, format!("{}: {e}", path.display()))),
        };
        serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            Error::Content(
                Diagnostic::error(&path, format!("not the JSON of an API response: {e}"))
                    .at(e.line(), Some(e.column())),
            )
        })
    }

    /// The locales with a `translations-<locale>.json` (further pages left out).
    pub fn translation_locales(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return Vec::new() };
        let stems: Vec<String> = entries
            .flatten()
            .filter_map(|e| {
                e.file_name()
                    .to_str()?
                    .strip_suffix(".json")?
                    .strip_prefix("translations-")
                    .map(str::to_string)
            })
            .collect();
        let mut locales: Vec<String> =
            stems.iter().filter(|s| !is_continuation(s, &stems)).filter(|s| is_locale(s)).cloned().collect();
        locales.sort();
        locales
    }

    /// The files saved for an article, sorted.
    pub fn attachments(&self, article: u64) -> Vec<String> {
        let dir = self.dir.join(ATTACHMENTS).join(article.to_string());
        let Ok(entries) = std::fs::read_dir(&dir) else { return Vec::new() };
        let mut names: Vec<String> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| crate::base::text::is_safe_name(n) && !n.starts_with('.'))
            .collect();
        names.sort();
        names
    }

    /// An attachment's bytes, confined to the export folder.
    pub fn attachment(&self, article: u64, name: &str) -> Result<Vec<u8>> {
        let path = self.dir.join(ATTACHMENTS).join(article.to_string()).join(name);
        confine::read(&self.dir, &path)
            .map_err(|e| Error::usage_at(&path, format!("{}: {e}", path.display())))
    }
}

/// Whether `stem` is page n ≥ 2 of another stem in `stems` (`fr-2` of `fr`), every page
/// before it there too (so `es-419` is a locale, not page 419 of `es`).
fn is_continuation(stem: &str, stems: &[String]) -> bool {
    let Some((base, n)) = stem.rsplit_once('-') else { return false };
    let Ok(n) = n.parse::<u32>() else { return false };
    n >= 2
        && stems.iter().any(|s| s == base)
        && (2..n).all(|k| stems.iter().any(|s| *s == format!("{base}-{k}")))
}

/// A locale code as the helpdesks write them: `fr`, `pt-br`, `zh-tw`, `es-419`.
pub fn is_locale(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 16
        && code.split('-').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
        && code.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
}

/// The items of every page under `key` (`articles`), or of pages that are arrays (Freshdesk).
pub fn items<'a>(pages: &'a [Value], key: &str) -> Vec<&'a Value> {
    pages
        .iter()
        .flat_map(|p| match p {
            Value::Array(a) => a.iter().collect::<Vec<_>>(),
            Value::Object(o) => {
                o.get(key).and_then(Value::as_array).map(|a| a.iter().collect()).unwrap_or_default()
            }
            _ => Vec::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_pages_are_not_locales() {
        let stems: Vec<String> =
            ["fr", "fr-2", "fr-3", "es-419", "pt-br"].iter().map(|s| s.to_string()).collect();
        assert!(is_continuation("fr-2", &stems) && is_continuation("fr-3", &stems));
        assert!(!is_continuation("es-419", &stems) && !is_continuation("pt-br", &stems));
    }
}
