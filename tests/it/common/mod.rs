//! Helpers shared by the integration tests (`mod common;` in each).
#![allow(dead_code)]

pub mod lsp_client;

use std::path::Path;

/// Copy the tree `from` into `to` (created), e.g. a fixture the test edits.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
