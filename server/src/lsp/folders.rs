//! Which [`Session`] serves a document. Each workspace folder has its own
//! session (its own configuration, environment and index), as pyright and
//! rust-analyzer treat folders; a document outside every folder is served by
//! a session rooted at its own project root (found by markers such as
//! `pyproject.toml`, else its directory), which is not indexed ahead: its
//! imports are resolved lazily, from disk.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use tokio::sync::OnceCell;

use super::log;
use crate::session::{Session, SessionOptions};

#[derive(Default)]
pub struct Folders {
    folders: RwLock<Vec<PathBuf>>,
    sessions: Mutex<HashMap<PathBuf, Arc<OnceCell<Arc<Session>>>>>,
}

/// What every session is opened with (from the client's settings).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionSettings {
    pub python: Option<PathBuf>,
    pub trusted: bool,
}

impl Folders {
    fn sessions(&self) -> MutexGuard<'_, HashMap<PathBuf, Arc<OnceCell<Arc<Session>>>>> {
        self.sessions.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn list(&self) -> Vec<PathBuf> {
        self.folders.read().map(|f| f.clone()).unwrap_or_default()
    }

    /// Add a folder; false when it was already there.
    pub fn add(&self, folder: PathBuf) -> bool {
        let Ok(mut folders) = self.folders.write() else {
            return false;
        };
        if folders.contains(&folder) {
            return false;
        }
        folders.push(folder);
        true
    }

    /// Remove a folder and forget its session.
    pub fn remove(&self, folder: &Path) {
        if let Ok(mut folders) = self.folders.write() {
            folders.retain(|f| f != folder);
        }
        self.sessions().remove(folder);
    }

    pub fn is_folder(&self, root: &Path) -> bool {
        self.folders
            .read()
            .map(|f| f.iter().any(|x| x == root))
            .unwrap_or(false)
    }

    /// The root whose session serves `path`: the innermost workspace folder
    /// holding it, else its own project root.
    pub fn root_for(&self, path: &Path) -> PathBuf {
        let folders = self.folders.read().map(|f| f.clone()).unwrap_or_default();
        folders
            .into_iter()
            .filter(|f| path.starts_with(f))
            .max_by_key(|f| f.components().count())
            .unwrap_or_else(|| crate::check::workspace_root(path))
    }

    /// Forget one session (its configuration changed); the next use opens a
    /// fresh one.
    pub fn reset(&self, root: &Path) {
        self.sessions().remove(root);
    }

    /// Forget every session (the interpreter or trust changed).
    pub fn reset_all(&self) {
        self.sessions().clear();
    }

    /// The sessions opened so far.
    pub fn live(&self) -> Vec<Arc<Session>> {
        self.sessions()
            .values()
            .filter_map(|cell| cell.get().cloned())
            .collect()
    }

    /// The session for `root`, opened on first use (off the async threads:
    /// opening may run the interpreter once).
    pub async fn session(&self, root: &Path, settings: &SessionSettings) -> Arc<Session> {
        let cell = self
            .sessions()
            .entry(root.to_path_buf())
            .or_default()
            .clone();
        cell.get_or_init(|| open(root.to_path_buf(), settings.clone()))
            .await
            .clone()
    }
}

async fn open(root: PathBuf, settings: SessionSettings) -> Arc<Session> {
    let opts = SessionOptions {
        python: settings.python.clone(),
        trusted: settings.trusted,
        // The `python` setting may come from the workspace's own settings
        // file: it does not run in an untrusted folder.
        user_python: false,
        cache_dir: crate::index::python_env::default_cache_dir(),
    };
    let root2 = root.clone();
    let opened = tokio::task::spawn_blocking(move || Session::open(&root2, &opts)).await;
    let session = match opened {
        Ok(s) => s,
        Err(e) => {
            log::error(format!(
                "the session for {} failed to start ({e}); serving it without an interpreter",
                root.display()
            ));
            let safe = SessionOptions {
                python: None,
                trusted: false,
                user_python: false,
                cache_dir: None,
            };
            Session::open(&root, &safe)
        }
    };
    log::info(format!("serving {}", root.display()));
    for note in &session.notes {
        log::info(note.clone());
    }
    Arc::new(session)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_innermost_folder_serves_a_path() {
        let folders = Folders::default();
        folders.add(PathBuf::from("/ws"));
        folders.add(PathBuf::from("/ws/sub"));
        folders.add(PathBuf::from("/other"));
        assert!(!folders.add(PathBuf::from("/ws")));
        assert_eq!(
            folders.root_for(Path::new("/ws/sub/a.py")),
            PathBuf::from("/ws/sub")
        );
        assert_eq!(
            folders.root_for(Path::new("/ws/b.py")),
            PathBuf::from("/ws")
        );
        // "/wsx" is not inside "/ws": paths compare by component.
        assert_ne!(
            folders.root_for(Path::new("/wsx/c.py")),
            PathBuf::from("/ws")
        );
        folders.remove(Path::new("/ws/sub"));
        assert_eq!(
            folders.root_for(Path::new("/ws/sub/a.py")),
            PathBuf::from("/ws")
        );
    }
}
