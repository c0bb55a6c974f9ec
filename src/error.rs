//! Typed errors for failures that stop a build before or after content processing.
//!
//! Problems *in the content* are [`crate::diagnostics::Diagnostic`]s, collected so that every
//! one is reported; an [`Error`] is for things that make going on pointless (unreadable
//! config, an output folder that cannot be written).

use std::path::PathBuf;

use crate::diagnostics::Diagnostic;

/// Everything that can stop Kiln.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `site.toml` is invalid; the diagnostic names file, line and column.
    #[error("{0}")]
    Config(Diagnostic),
    /// A usage problem: a missing folder, an output folder that would clobber the site.
    #[error("{0}")]
    Usage(String),
    /// The content had errors; they were reported as diagnostics.
    #[error("the build found {0} error(s); the output was left untouched")]
    Content(usize),
    /// A template failed to parse or render.
    #[error("template error: {0}")]
    Template(String),
    /// An I/O failure outside the user's content (writing output, reading the theme).
    #[error("{action} {}: {source}{}", path.display(), io_hint(source))]
    Io {
        /// What Kiln was doing.
        action: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl Error {
    /// Wrap an I/O error with what was being done and to which path.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { action, path: path.into(), source }
    }

    /// The process exit code for this error: 1 for content, 2 for usage or configuration,
    /// 3 for a file the system refused to read or write.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Content(_) | Error::Template(_) => 1,
            Error::Config(_) | Error::Usage(_) => 2,
            Error::Io { .. } => 3,
        }
    }
}

/// What to do about the system errors users meet when a build writes its output.
fn io_hint(e: &std::io::Error) -> &'static str {
    #[cfg(unix)]
    match e.raw_os_error() {
        Some(1 | 13) => return " (check that you may write to that folder, or build elsewhere with --output)",
        Some(20) => return " (a part of that path is a file, not a folder: choose another --output)",
        Some(28) => return " (the disk is full: free some space and build again)",
        Some(30) => return " (the file system is read-only: build elsewhere with --output)",
        Some(36) => return " (a name in that path is too long for the file system: shorten the slug)",
        _ => {}
    }
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => {
            " (check that you may write to that folder, or build elsewhere with --output)"
        }
        _ => "",
    }
}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
