//! Tree-sitter front ends: Python → [`facts::FileFacts`], Rust →
//! [`rust::facts::RustFacts`].

pub mod doc_line;
pub mod facts;
pub mod line_breaks;
pub mod nesting;
pub mod parser;
pub mod python;
pub mod rust;
#[cfg(test)]
pub mod test_rng;
