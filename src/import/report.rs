//! The report an import ends with: what it moved, what it wrote, and every item that needs a
//! human look with its file and line.

use std::path::Path;

use super::ImportReport;

impl ImportReport {
    /// One `note: file:line: message` line per item, sorted, then files kept or missed.
    pub fn notes_text(&self) -> String {
        let mut notes = self.notes.clone();
        notes.sort();
        let mut out = String::new();
        for n in &notes {
            out.push_str(&format!(
                "note: {}:{}: {}\n",
                n.path,
                n.line,
                crate::base::text::escape_controls(&n.message)
            ));
        }
        for k in &self.outcome.kept {
            out.push_str(&format!(
                "note: {k}: edited since the last import; not overwritten (--force overwrites)\n"
            ));
        }
        for g in &self.outcome.gone {
            out.push_str(&format!(
                "note: {g}: removed or moved here since the last import; not written again (--force writes it)\n"
            ));
        }
        for m in &self.missed {
            out.push_str(&format!("note: {}\n", crate::base::text::escape_controls(m)));
        }
        out
    }

    /// The counts and what to run next.
    pub fn summary(&self, root: &Path) -> String {
        let o = &self.outcome;
        let mut out = format!(
            "kiln import: {} articles ({} translations), {} categories, {} folders, {} drafts, {} internal, {} attachments\n",
            self.articles,
            self.translations,
            self.categories,
            self.folders,
            self.drafts,
            self.internal,
            self.attachments
        );
        out.push_str(&format!(
            "kiln import: {} files written, {} unchanged, {} removed, {} kept (edited here), {} not brought back (removed here), {} items to look at\n",
            o.written.len(),
            o.unchanged,
            o.removed.len(),
            o.kept.len(),
            o.gone.len(),
            self.notes.len() + self.missed.len() + o.kept.len() + o.gone.len()
        ));
        if self.created_site {
            out.push_str(&format!("kiln import: created the site in {}\n", root.display()));
        } else if !self.site_toml_lacks.is_empty() {
            out.push_str(&format!(
                "kiln import: the articles are in {}; add to site.toml (tables at its end):\n",
                self.languages.join(", ")
            ));
            for line in &self.site_toml_lacks {
                out.push_str(&format!("    {line}\n"));
            }
        }
        out.push_str(&format!("kiln import: next: kiln check --root {}\n", root.display()));
        out
    }
}
