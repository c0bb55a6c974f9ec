//! Leaf helpers every stage may use; nothing here imports from the rest of the crate.

pub mod base64;
pub mod confine;
pub mod date;
pub mod digest;
pub mod html;
pub mod percent;
pub mod process;
pub mod slug;
pub mod text;
pub mod timings;
