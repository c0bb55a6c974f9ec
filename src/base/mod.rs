//! Leaf helpers every stage may use; nothing here imports from the rest of the crate.

pub mod confine;
pub mod process;
pub mod text;
