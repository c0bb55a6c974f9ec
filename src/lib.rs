//! Kiln: a static site generator for knowledge bases.
//!
//! The pipeline, one module per stage (see `docs/architecture.md`):
//! [`config`] → [`content`] → [`site`] → [`markdown`] → [`render`] → [`search`] → [`output`],
//! driven by [`build`]; [`diagnostics`] carries problems with their file, line and column.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod base;
pub mod build;
pub mod cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod error;
pub mod import;
pub mod init;
pub mod markdown;
pub mod output;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;

pub use build::{BuildOptions, BuildReport, build};
pub use error::{Error, Result};
