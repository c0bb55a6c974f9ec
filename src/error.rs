//! Typed errors for failures that stop a build before or after content processing.
//!
//! Problems *in the content* are [`crate::diagnostics::Diagnostic`]s, collected so that every
//! one is reported; an [`Error`] is for things that make going on pointless (unreadable
//! config, an output folder that cannot be written). Each kind has its exit code:
//! 1 content and templates, 2 usage and configuration (and Kiln's own faults), 3 the system
//! refusing a read or write.

use std::path::PathBuf;

use crate::diagnostics::Diagnostic;

/// Everything that can stop Kiln.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line, or a folder it names, cannot be used as asked (a missing content
    /// folder, an output folder Kiln may not replace, a port in use).
    #[error("{message}")]
    Usage {
        /// The folder or file concerned, when there is one.
        path: Option<PathBuf>,
        /// What is wrong and what to do, in one sentence.
        message: String,
    },
    /// `site.toml` or the theme it names is invalid; the diagnostic names file, line and
    /// column.
    #[error("{0}")]
    Config(Diagnostic),
    /// A content file stopped the build after it was loaded (it changed during the build,
    /// or could no longer be read); the diagnostic names the file.
    #[error("{0}")]
    Content(Diagnostic),
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
    /// A helpdesk `kiln import --url` fetches from refused or failed (credentials, address,
    /// network); the message says what to check.
    #[error("{url}: {message}")]
    Remote {
        /// The URL asked for.
        url: String,
        /// What went wrong and what to check.
        message: String,
    },
    /// Kiln broke one of its own rules (a path leaving the output folder, a record it could
    /// not encode): a bug to report, not something the user did.
    #[error("internal error: {message} (a bug in kiln; please report it)")]
    Internal {
        /// The path concerned, when there is one.
        path: Option<PathBuf>,
        /// What went wrong.
        message: String,
    },
}

impl Error {
    /// Wrap an I/O error with what was being done and to which path.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { action, path: path.into(), source }
    }

    /// A usage error about no particular path.
    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage { path: None, message: message.into() }
    }

    /// A usage error about `path`.
    pub fn usage_at(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Usage { path: Some(path.into()), message: message.into() }
    }

    /// A configuration error in `file` (`site.toml`, a theme's file), at no known line.
    pub fn config(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Config(Diagnostic::error(file, message))
    }

    /// One of Kiln's own rules broken.
    pub fn internal(path: Option<PathBuf>, message: impl Into<String>) -> Self {
        Error::Internal { path, message: message.into() }
    }

    /// The path the error is about, when there is one.
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            Error::Usage { path, .. } | Error::Internal { path, .. } => path.as_deref(),
            Error::Config(d) | Error::Content(d) => d.file.as_deref(),
            Error::Io { path, .. } => Some(path),
            Error::Template(_) | Error::Remote { .. } => None,
        }
    }

    /// The process exit code for this error: 1 for content and templates, 2 for usage,
    /// configuration and internal errors, 3 for a file the system refused to read or write or a
    /// helpdesk that refused or failed to answer.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Content(_) | Error::Template(_) => 1,
            Error::Config(_) | Error::Usage { .. } | Error::Internal { .. } => 2,
            Error::Io { .. } | Error::Remote { .. } => 3,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_keep_their_exit_codes_and_paths() {
        let usage = Error::usage_at("/tmp/out", "refusing to replace /tmp/out");
        assert_eq!((usage.exit_code(), usage.path()), (2, Some(std::path::Path::new("/tmp/out"))));
        let content = Error::Content(Diagnostic::error("content/a.md", "changed during the build"));
        assert_eq!(content.exit_code(), 1);
        assert_eq!(content.to_string(), "error: content/a.md: changed during the build");
        let io = Error::io("writing", "/tmp/x", std::io::Error::from(std::io::ErrorKind::PermissionDenied));
        assert_eq!(io.exit_code(), 3);
        assert!(Error::internal(None, "x").to_string().contains("bug in kiln"));
    }
}
