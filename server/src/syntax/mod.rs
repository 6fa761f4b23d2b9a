//! Tree-sitter front ends: one file per language, each producing [`facts::FileFacts`].

pub mod facts;
pub mod python;
