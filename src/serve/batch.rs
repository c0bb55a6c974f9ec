//! A batch of saved paths sorted into what the preview does with it: articles edited,
//! added or removed, or (`None`) something only a whole rebuild covers.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::site::{PageId, Site};

/// What a batch of saved paths asks for: articles to (re)load (`None`: a new one) and
/// articles removed.
pub(super) struct Plan {
    /// Articles to (re)load, by path under the content folder.
    pub(super) load: Vec<(Option<PageId>, String)>,
    /// Articles removed.
    pub(super) removed: HashSet<String>,
}

/// Sort a batch into article edits, additions and removals; `None` when anything else is
/// in it. A path that is gone and never was part of the site (an editor's or `sed -i`'s
/// temporary file) is dropped; a folder, or a gone path that held site files, is not an
/// article change.
pub(super) fn plan(
    batch: &BTreeSet<String>,
    content_rel: &str,
    content_dir: &std::path::Path,
    pages: &HashMap<String, PageId>,
    site: &Site,
) -> Option<Plan> {
    let mut plan = Plan { load: Vec::new(), removed: HashSet::new() };
    let prefix = format!("{content_rel}/");
    for path in batch {
        let rel = path.strip_prefix(prefix.as_str())?;
        let name = rel.rsplit('/').next().unwrap_or(rel);
        // Dot files are not the site's, but for the folder metadata (`.pages`) that is.
        if rel.split('/').any(crate::content::is_ignored_name)
            && !crate::content::folders::is_folder_meta(name)
        {
            continue;
        }
        let abs = content_dir.join(rel);
        let known = pages.get(rel).copied();
        let meta = std::fs::symlink_metadata(&abs);
        match meta {
            Ok(m) if m.is_file() => {
                if !crate::content::is_markdown(name) || crate::content::is_index_name(name) {
                    return None;
                }
                plan.load.push((known, rel.to_string()));
            }
            // Folders and symbolic links go through the full walk and its rules.
            Ok(_) => return None,
            Err(_) if known.is_some() => {
                plan.removed.insert(rel.to_string());
            }
            Err(_) => {
                let under = format!("{rel}/");
                let held = pages.keys().any(|k| k.starts_with(&under))
                    || site
                        .sections
                        .iter()
                        .filter_map(|s| s.index.as_ref())
                        .any(|i| i.rel_path == rel || i.rel_path.starts_with(&under))
                    || site.assets.iter().any(|a| a.source.starts_with(&abs));
                if held {
                    return None;
                }
            }
        }
    }
    Some(plan)
}
