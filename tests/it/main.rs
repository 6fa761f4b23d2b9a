//! The end-to-end tests, one binary (`cargo test --test it`): each module is
//! a shell or a subsystem as a user meets it. One binary links the crate once
//! instead of once per test file (`cargo test --test it cli::` runs one module).
mod ci_support;
mod common;
mod gpu_support;

mod ci_formats;
mod ci_gate;
mod cli;
mod context;
mod context_bench_data;
mod deep_nesting;
mod fixtures;
mod fuzz;
mod gpu_cli;
mod gpu_detector;
mod gpu_lsp;
mod line_breaks;
mod lsp;
mod mcp;
mod named_files;
mod python_accuracy_data;
mod readme;
mod real_crates;
mod rust_accuracy_data;
mod trust;
mod why;
