//! Grounded: knows which APIs really exist, and flags the calls that don't.
//!
//! `syntax` → `index` → `analysis` is the pure core; `check` and `report` are
//! the command-line shell around it.

pub mod analysis;
pub mod check;
pub mod check_rust;
pub mod config;
pub mod index;
pub mod lsp;
pub mod report;
pub mod session;
pub mod syntax;
