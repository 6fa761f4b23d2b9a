//! The roots the MCP server may read, and one analysis session per project
//! under them. Every path an assistant passes is checked here: relative
//! paths are taken from the first root, and anything outside every root is
//! refused.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::check;
use crate::index::python_env;
use crate::session::{Session, SessionOptions};

pub struct Workspace {
    roots: Vec<PathBuf>,
    python: Option<PathBuf>,
    sessions: Mutex<HashMap<PathBuf, Arc<Session>>>,
}

impl Workspace {
    /// Roots must exist; none given means the current directory.
    pub fn new(roots: Vec<PathBuf>, python: Option<PathBuf>) -> Result<Workspace, String> {
        let cwd = std::env::current_dir()
            .map_err(|e| format!("cannot read the current directory: {e}"))?;
        let given = if roots.is_empty() {
            vec![cwd.clone()]
        } else {
            roots
        };
        let mut out = Vec::new();
        for r in given {
            let abs = std::fs::canonicalize(cwd.join(&r))
                .map_err(|e| format!("workspace root {}: {e}", r.display()))?;
            if !abs.is_dir() {
                return Err(format!("workspace root {}: not a directory", r.display()));
            }
            out.push(abs);
        }
        Ok(Workspace {
            roots: out,
            python: python.map(|p| cwd.join(p)),
            sessions: Mutex::new(HashMap::new()),
        })
    }

    /// An absolute path inside a root, for `path` as the assistant wrote it
    /// (absolute, or relative to the first root). It need not exist.
    pub fn resolve(&self, path: &str) -> Result<PathBuf, String> {
        if path.trim().is_empty() {
            return Err(
                "`path` is empty: give a file path, absolute or relative to the workspace root"
                    .into(),
            );
        }
        let joined = self.roots[0].join(path);
        let mut abs = lexical(&joined);
        // Symbolic links must not lead out of the roots either.
        if let Ok(real) = std::fs::canonicalize(&abs) {
            abs = real;
        } else if let (Some(parent), Some(name)) = (abs.parent(), abs.file_name()) {
            if let Ok(real) = std::fs::canonicalize(parent) {
                abs = real.join(name);
            }
        }
        if self.roots.iter().any(|r| abs.starts_with(r)) {
            Ok(abs)
        } else {
            Err(format!(
                "{path} is outside the workspace ({}); grounded mcp only reads files under its roots \
                 (start it with --root DIR to add one)",
                self.roots
                    .iter()
                    .map(|r| r.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        }
    }

    /// The session of the project that holds `path` (the nearest directory
    /// with a project marker, kept inside the root).
    pub fn session_for(&self, path: &Path) -> Arc<Session> {
        let root = self
            .roots
            .iter()
            .filter(|r| path.starts_with(r))
            .max_by_key(|r| r.components().count())
            .cloned()
            .unwrap_or_else(|| self.roots[0].clone());
        let project = check::workspace_root(path);
        let project = if project.starts_with(&root) {
            project
        } else {
            root
        };
        self.session(&project)
    }

    /// The session of the first root (for questions without a file).
    pub fn default_session(&self) -> Arc<Session> {
        let root = self.roots[0].clone();
        self.session(&root)
    }

    fn session(&self, project: &Path) -> Arc<Session> {
        let existing = self
            .sessions
            .lock()
            .ok()
            .and_then(|s| s.get(project).cloned());
        let session = existing.unwrap_or_else(|| {
            // Opened outside the lock: probing the interpreter may take a while.
            let opened = Arc::new(Session::open(
                project,
                &SessionOptions {
                    python: self.python.clone(),
                    trusted: true,
                    cache_dir: python_env::default_cache_dir(),
                },
            ));
            for note in &opened.notes {
                eprintln!("grounded: note: {note}");
            }
            match self.sessions.lock() {
                Ok(mut s) => s.entry(project.to_path_buf()).or_insert(opened).clone(),
                Err(_) => opened,
            }
        });
        // No file events reach an MCP server: files created or removed since
        // the last call are found by listing directories again.
        session.refresh_listings();
        session
    }
}

/// `a/./b/../c` → `a/c`, without touching the disk.
fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_roots_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        std::fs::create_dir_all(root.join("pkg")).unwrap();
        let ws = Workspace::new(vec![root.clone()], None).unwrap();
        let root = std::fs::canonicalize(&root).unwrap();
        assert_eq!(ws.resolve("pkg/a.py").unwrap(), root.join("pkg/a.py"));
        assert_eq!(
            ws.resolve(&root.join("new.py").to_string_lossy()).unwrap(),
            root.join("new.py")
        );
        let err = ws.resolve("../outside.py").unwrap_err();
        assert!(err.contains("outside the workspace"), "{err}");
        assert!(ws.resolve("/etc/passwd").is_err());
        assert!(ws.resolve("pkg/../../ws2/x.py").is_err());
        assert!(ws.resolve(" ").is_err());
    }
}
