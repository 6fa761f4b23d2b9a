//! Background indexing of a workspace folder with work-done progress, and the
//! file watchers registered with the client once a folder is indexed.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::sync::mpsc;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::Client;

use super::{log, State};
use crate::session::Session;

/// Project files whose change reconfigures a folder's session.
pub const CONFIG_FILES: &[&str] = &["grounded.toml", "pyproject.toml", "setup.cfg"];

const SOURCE_GLOBS: &[&str] = &[
    "**/*.py",
    "**/*.pyi",
    "**/pyproject.toml",
    "**/grounded.toml",
    "**/setup.cfg",
    "**/requirements*.txt",
    "**/Cargo.toml",
    "**/Cargo.lock",
];

static PROGRESS_TOKENS: AtomicU64 = AtomicU64::new(0);

/// Index `root`'s folder with work-done progress, register watchers for what
/// it depends on, then re-analyze the open documents it serves.
pub async fn index_folder(client: Client, state: Arc<State>, root: PathBuf) {
    let settings = state.settings().session;
    let session = state.folders.session(&root, &settings).await;
    let n = PROGRESS_TOKENS.fetch_add(1, Ordering::Relaxed);
    let token = ProgressToken::String(format!("grounded/indexing/{n}"));
    let title = format!("Grounded: indexing {}", folder_name(&root));
    let progress = match client.create_work_done_progress(token.clone()).await {
        Ok(()) => Some(
            client
                .progress(token, title)
                .with_percentage(0)
                .begin()
                .await,
        ),
        Err(_) => None,
    };
    let (tx, mut rx) = mpsc::unbounded_channel::<(usize, usize)>();
    let indexing = {
        let session = session.clone();
        tokio::task::spawn_blocking(move || {
            session.index_workspace(&move |done, total| {
                let _ = tx.send((done, total));
            })
        })
    };
    while let Some((done, total)) = rx.recv().await {
        if let Some(p) = &progress {
            let pct = (done * 100).checked_div(total).unwrap_or(100) as u32;
            p.report_with_message(format!("{done}/{total} files"), pct)
                .await;
        }
    }
    let indexed = match indexing.await {
        Ok(n) => n,
        Err(e) => {
            log::error(format!("indexing {} failed: {e}", root.display()));
            0
        }
    };
    if let Some(p) = progress {
        p.finish_with_message(format!("{indexed} files")).await;
    }
    log::info(format!("indexed {indexed} files in {}", root.display()));
    if state.dynamic_watchers.load(Ordering::Relaxed) {
        register_watchers(&client, &state, &session).await;
    }
    state.schedule_served_by(&root);
}

fn folder_name(root: &Path) -> String {
    root.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| root.display().to_string())
}

/// Register the source-file globs once, and each environment's
/// site-packages the first time a session using it is indexed (a package
/// installed while the server runs is seen without a restart).
async fn register_watchers(client: &Client, state: &State, session: &Session) {
    let mut globs: Vec<String> = Vec::new();
    {
        let mut registered = state.watched.lock().unwrap_or_else(|p| p.into_inner());
        if registered.is_empty() {
            globs.extend(SOURCE_GLOBS.iter().map(|g| g.to_string()));
            registered.insert(PathBuf::new());
        }
        for site in session.site_packages() {
            if registered.insert(site.clone()) {
                globs.push(format!("{}/**", site.display()));
            }
        }
    }
    if globs.is_empty() {
        return;
    }
    let watchers: Vec<FileSystemWatcher> = globs
        .into_iter()
        .map(|g| FileSystemWatcher {
            glob_pattern: GlobPattern::String(g),
            kind: None,
        })
        .collect();
    let n = PROGRESS_TOKENS.fetch_add(1, Ordering::Relaxed);
    let registration = Registration {
        id: format!("grounded/watched-files/{n}"),
        method: "workspace/didChangeWatchedFiles".to_string(),
        register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
            watchers,
        })
        .ok(),
    };
    if let Err(e) = client.register_capability(vec![registration]).await {
        log::warn(format!("could not register file watchers: {e}"));
    }
}

/// The watched set: an empty path stands for the source globs.
pub type Watched = HashSet<PathBuf>;
