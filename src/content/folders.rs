//! Folder metadata other tools keep beside the pages: Docusaurus's `_category_.json` /
//! `_category_.yml` (`label`, `position`, `description` or `link.description`) and the
//! MkDocs awesome-pages plugin's `.pages` (`title`). They label and order the folder they
//! sit in, as that folder's `index.md` would (site.toml's `[folders]` still wins).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::base::confine;
use crate::base::slug::slugify;
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};

/// A folder's label, description and weight from its metadata file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FolderMeta {
    /// Display name.
    pub label: Option<String>,
    /// Shown under the name on listing pages.
    pub description: Option<String>,
    /// Sort key among siblings (Docusaurus's `position`).
    pub weight: Option<i64>,
}

/// Is this file name a folder metadata file?
pub fn is_folder_meta(name: &str) -> bool {
    matches!(name, "_category_.json" | "_category_.yml" | "_category_.yaml" | ".pages" | ".pages.yml")
}

/// Folder metadata by the folder's path in slugs (`getting-started/devices`), the key
/// site.toml's `[folders]` uses.
pub type Folders = BTreeMap<String, FolderMeta>;

/// Read every folder metadata file (`rels` under `content_dir`). One that cannot be read
/// is a warning, and its folder keeps its other names.
pub fn read_all(site_root: &Path, content_dir: &Path, rels: &[String], diags: &Diagnostics) -> Folders {
    let mut out = Folders::new();
    for rel in rels {
        let path = content_dir.join(rel);
        let file = display_path(site_root, &path);
        let text = match confine::read_to_string(site_root, &path) {
            Ok(t) => t,
            Err(e) => {
                diags.push(Diagnostic::warning(&file, e.to_string()));
                continue;
            }
        };
        let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel.as_str()));
        match parse(name, &text) {
            Ok(meta) => {
                let key: Vec<String> = dir.split('/').filter(|d| !d.is_empty()).map(slugify).collect();
                out.insert(key.join("/"), meta);
            }
            Err(message) => diags.push(Diagnostic::warning(&file, format!("{message}; ignored"))),
        }
    }
    out
}

/// The metadata in one file's text.
fn parse(name: &str, text: &str) -> Result<FolderMeta, String> {
    let value: Value = if name.ends_with(".json") {
        serde_json::from_str(text).map_err(|e| format!("invalid JSON at line {}: {e}", e.line()))?
    } else {
        let v: Option<Value> = serde_saphyr::from_str(text).map_err(|e| format!("invalid YAML: {e}"))?;
        v.unwrap_or(Value::Null)
    };
    let text_at = |keys: &[&str]| {
        keys.iter().find_map(|k| {
            let v = k.split('.').try_fold(&value, |v, part| v.get(part))?;
            v.as_str().map(str::trim).filter(|s| !s.is_empty()).map(String::from)
        })
    };
    let weight = match value.get("position") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_f64().ok_or_else(|| format!("`position` is {v}, not a number"))?.floor() as i64),
    };
    Ok(FolderMeta {
        label: text_at(&["label", "title"]),
        description: text_at(&["description", "link.description"]),
        weight,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docusaurus_and_awesome_pages() {
        let m = parse(
            "_category_.json",
            r#"{"label": "Tutorial", "position": 2.5, "link": {"type": "generated-index", "description": "Learn"}}"#,
        )
        .unwrap();
        assert_eq!(
            m,
            FolderMeta { label: Some("Tutorial".into()), description: Some("Learn".into()), weight: Some(2) }
        );
        let m = parse("_category_.yml", "label: 'Guides'\nposition: 3\n").unwrap();
        assert_eq!((m.label.as_deref(), m.weight), (Some("Guides"), Some(3)));
        let m = parse(".pages", "title: API reference\nnav:\n  - index.md\n  - ...\n").unwrap();
        assert_eq!(m.label.as_deref(), Some("API reference"));
        assert!(parse("_category_.json", "{\"label\": ").is_err());
        assert!(parse("_category_.json", "{\"position\": \"first\"}").is_err());
    }
}
