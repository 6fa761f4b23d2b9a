//! Helpers shared by the integration tests (`crate::common`).
#![allow(dead_code)]

pub mod hostile;
pub mod lsp_client;

use std::path::{Path, PathBuf};

use lsp_client::Client;

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

/// A language server on a fresh Python workspace (`ws/` with a
/// `pyproject.toml`), initialized for UTF-16 positions: the directory (kept
/// alive), the workspace and the client.
pub fn python_workspace_server() -> (tempfile::TempDir, PathBuf, Client) {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    std::fs::create_dir_all(&ws).unwrap();
    std::fs::write(ws.join("pyproject.toml"), "[project]\nname = \"ws\"\n").unwrap();
    let mut c = Client::start(&dir.path().join("cache"));
    c.initialize(&ws, &["utf-16"]);
    (dir, ws, c)
}
