//! One diagnostics type for every stage: a severity, a message and where it happened.
//!
//! Stages never print; they push [`Diagnostic`]s into a [`Diagnostics`] sink so that a build
//! reports *all* problems at once, and the CLI decides how to show them.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::base::text::escape_controls;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build fails (exit 1) but keeps going to report everything else.
    Error,
    /// The build succeeds; the user should still look.
    Warning,
    /// Information a check reports (an untranslated page): never an error, not even with
    /// `--strict`.
    Note,
}

/// What kind of finding a diagnostic is, for the findings `kiln check` looks for across
/// pages. Printed in JSON output (`"code": "missing-anchor"`) so scripts can filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// A link to a page that does not exist.
    MissingPage,
    /// A link to a `#fragment` that is not a heading id or anchor on the target page.
    MissingAnchor,
    /// An image or file that does not exist.
    MissingFile,
    /// Two articles in one folder with the same title.
    DuplicateTitle,
    /// An unlisted article no page links to.
    Orphan,
    /// An article past its review date.
    Stale,
    /// A default-language article with no translation in a language.
    MissingTranslation,
    /// A translation whose original was updated after it.
    OutdatedTranslation,
    /// Said once per site: the same message at other places is folded into the first
    /// ("… (and 12 more places)"), e.g. a syntax Kiln renders as a placeholder.
    Once,
}

impl Code {
    /// Broken links, anchors and files: errors in `kiln check`, warnings in `kiln build`.
    pub fn is_broken_link(self) -> bool {
        matches!(self, Code::MissingPage | Code::MissingAnchor | Code::MissingFile)
    }
}

/// A problem found in the user's input, with its location when known.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// File the problem is in, as given to the user (relative to the site root when possible).
    pub file: Option<PathBuf>,
    /// 1-based line in `file`.
    pub line: Option<usize>,
    /// 1-based column in `file` (in characters).
    pub col: Option<usize>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The kind of cross-page finding, if it is one.
    pub code: Option<Code>,
}

impl Diagnostic {
    /// An error about `file`.
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, Some(file.into()), message)
    }

    /// A warning about `file`.
    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, Some(file.into()), message)
    }

    /// A note about `file` (see [`Severity::Note`]).
    pub fn note(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Note, ..Self::warning(file, message) }
    }

    /// A warning about the site as a whole, not one file.
    pub fn general_warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, None, message)
    }

    fn new(severity: Severity, file: Option<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic { severity, file, line: None, col: None, message: message.into(), code: None }
    }

    /// Attach a 1-based line (and optional column).
    pub fn at(mut self, line: usize, col: Option<usize>) -> Self {
        self.line = Some(line);
        self.col = col;
        self
    }

    /// Mark the kind of finding.
    pub fn code(mut self, code: Code) -> Self {
        self.code = Some(code);
        self
    }

    /// Is this an error?
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        write!(f, "{label}: ")?;
        if let Some(file) = &self.file {
            // Names and messages come from the user's files: a newline in a file name must
            // not start a line a CI runner reads as a command.
            write!(f, "{}", escape_controls(&file.to_string_lossy()))?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(col) = self.col {
                    write!(f, ":{col}")?;
                }
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", escape_controls(&self.message))
    }
}

/// A thread-safe sink that stages push diagnostics into (rayon workers included).
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Mutex<Vec<Diagnostic>>,
    /// `--strict`: every warning is recorded as an error.
    strict: bool,
    /// `kiln check`: broken links, anchors and files are recorded as errors.
    links_are_errors: bool,
}

impl Diagnostics {
    /// An empty sink.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty sink that records warnings as errors (`--strict`), so a build with any
    /// warning fails and writes nothing.
    pub fn strict() -> Self {
        Diagnostics { strict: true, ..Self::default() }
    }

    /// This sink, recording broken links, anchors and files as errors (`kiln check`):
    /// a build reports them as warnings so previews of half-finished content still build.
    pub fn links_are_errors(self) -> Self {
        Diagnostics { links_are_errors: true, ..self }
    }

    fn admit(&self, mut d: Diagnostic) -> Diagnostic {
        if d.severity == Severity::Note {
            return d;
        }
        if self.strict || (self.links_are_errors && d.code.is_some_and(Code::is_broken_link)) {
            d.severity = Severity::Error;
        }
        d
    }

    /// Record one diagnostic.
    pub fn push(&self, d: Diagnostic) {
        let d = self.admit(d);
        self.items.lock().unwrap_or_else(|e| e.into_inner()).push(d);
    }

    /// Record many diagnostics.
    pub fn extend(&self, ds: impl IntoIterator<Item = Diagnostic>) {
        let ds: Vec<Diagnostic> = ds.into_iter().map(|d| self.admit(d)).collect();
        self.items.lock().unwrap_or_else(|e| e.into_inner()).extend(ds);
    }

    /// Number of errors so far.
    pub fn error_count(&self) -> usize {
        self.items.lock().unwrap_or_else(|e| e.into_inner()).iter().filter(|d| d.is_error()).count()
    }

    /// All diagnostics, sorted by file, line and column so that output is deterministic
    /// whatever order the parallel stages finished in.
    pub fn into_sorted(self) -> Vec<Diagnostic> {
        let mut v = self.items.into_inner().unwrap_or_else(|e| e.into_inner());
        v.sort_by(|a, b| {
            (&a.file, a.line, a.col, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.col, b.severity, &b.message))
        });
        v.dedup();
        fold_once(v)
    }
}

/// Keep the first diagnostic of each [`Code::Once`] message (in sorted order) and count
/// the others into it.
fn fold_once(v: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen: std::collections::HashMap<String, (usize, usize)> = std::collections::HashMap::new();
    let mut out: Vec<Diagnostic> = Vec::with_capacity(v.len());
    for d in v {
        if d.code == Some(Code::Once) {
            if let Some((_, more)) = seen.get_mut(&d.message) {
                *more += 1;
                continue;
            }
            seen.insert(d.message.clone(), (out.len(), 0));
        }
        out.push(d);
    }
    for (at, more) in seen.into_values().filter(|&(_, more)| more > 0) {
        let places = if more == 1 { "place" } else { "places" };
        out[at].message.push_str(&format!(" (and {more} more {places})"));
    }
    out
}

/// Convert a byte offset in `text` to a 1-based (line, column) pair, counting columns in chars.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Show `path` relative to `root` when it lies under it, so messages stay short and stable.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_in_chars() {
        let t = "ab\ncé\nx";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 6), (2, 3));
        assert_eq!(line_col(t, 7), (3, 1));
    }

    #[test]
    fn display_has_file_line_col() {
        let d = Diagnostic::error("content/a.md", "bad").at(3, Some(7));
        assert_eq!(d.to_string(), "error: content/a.md:3:7: bad");
    }
}
