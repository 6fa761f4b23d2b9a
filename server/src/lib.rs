//! Grounded: knows which APIs really exist, and flags the calls that don't.
//!
//! `syntax` → `index` → `analysis` is the pure core; `check` and `report` are
//! the command-line shell around it, and `gate` (with `baseline`, `git_diff`,
//! `fingerprint`) decides what a CI run reports.

pub mod analysis;
pub mod baseline;
pub mod check;
pub mod check_rust;
pub mod config;
pub mod context;
pub mod explain;
pub mod fingerprint;
pub mod gate;
pub mod git_diff;
pub mod gpu;
pub mod index;
pub mod lsp;
pub mod mcp;
pub mod regular_file;
pub mod report;
pub mod run_bounded;
pub mod session;
pub mod snippet;
pub mod source_lang;
pub mod stack;
pub mod syntax;
pub mod trust;
