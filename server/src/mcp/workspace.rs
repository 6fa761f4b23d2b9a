//! The roots the MCP server may read, and one analysis session per project
//! under them. Every path an assistant passes is checked here: relative
//! paths are taken from the first root, every symbolic link on the way is
//! followed as the system would (also to where nothing exists yet), and
//! anything that ends outside every root is refused.

use std::collections::{HashMap, VecDeque};
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::check;
use crate::index::python_env;
use crate::session::{Session, SessionOptions};

pub struct Workspace {
    roots: Vec<PathBuf>,
    python: Option<PathBuf>,
    /// Whether programs the projects name may run (see [`crate::trust`]).
    trusted: bool,
    sessions: Mutex<HashMap<PathBuf, Arc<Session>>>,
}

impl Workspace {
    /// Roots must exist; none given means the current directory.
    pub fn new(
        roots: Vec<PathBuf>,
        python: Option<PathBuf>,
        trusted: bool,
    ) -> Result<Workspace, String> {
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
            trusted,
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
        let abs = resolve_links(&joined).map_err(|e| format!("{path}: {e}"))?;
        if self.roots.iter().any(|r| abs.starts_with(r)) {
            return Ok(abs);
        }
        // Inside as written, outside once resolved: a link leads out.
        let through = if self.roots.iter().any(|r| lexical(&joined).starts_with(r)) {
            format!(" through a symbolic link (to {})", abs.display())
        } else {
            String::new()
        };
        Err(format!(
            "{path} is outside the workspace{through} ({}); grounded mcp only reads files under \
             its roots (start it with --root DIR to add one)",
            self.roots
                .iter()
                .map(|r| r.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))
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
                    trusted: self.trusted,
                    // `--python` was given on the command line.
                    user_python: true,
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

/// The absolute `path` as the system resolves it, every symbolic link
/// followed — also one whose target does not exist, and into directories
/// that do not exist yet (a file an assistant is about to write): the
/// deepest existing part is resolved, the rest appended. The result holds
/// no link and no `.` or `..`. Err (one line): `..` after a directory that
/// does not exist, a link loop, an unreadable directory.
fn resolve_links(path: &Path) -> Result<PathBuf, String> {
    const MAX_LINKS: usize = 40;
    let mut pending: VecDeque<OsString> = VecDeque::new();
    let mut real = PathBuf::new();
    queue_front(&mut pending, &mut real, path);
    // Whether `real` exists (links are read only there).
    let mut exists = true;
    let mut links = 0;
    while let Some(part) = pending.pop_front() {
        if part == "." {
            continue;
        }
        if part == ".." {
            if !exists {
                return Err(format!(
                    "`..` after {}, which does not exist",
                    real.display()
                ));
            }
            real.pop();
            continue;
        }
        let next = real.join(&part);
        if !exists {
            real = next;
            continue;
        }
        match std::fs::symlink_metadata(&next) {
            Ok(meta) if meta.file_type().is_symlink() => {
                links += 1;
                if links > MAX_LINKS {
                    return Err(format!("too many symbolic links at {}", next.display()));
                }
                let target = std::fs::read_link(&next)
                    .map_err(|e| format!("cannot read the link {}: {e}", next.display()))?;
                // A relative target is read from the link's directory (`real`).
                queue_front(&mut pending, &mut real, &target);
            }
            Ok(_) => real = next,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                exists = false;
                real = next;
            }
            Err(e) => return Err(format!("cannot read {}: {e}", next.display())),
        }
    }
    Ok(real)
}

/// Put `p`'s components at the front of `pending`; an absolute `p` starts
/// over from its root (`real` becomes that root).
fn queue_front(pending: &mut VecDeque<OsString>, real: &mut PathBuf, p: &Path) {
    let mut parts = Vec::new();
    let mut after_prefix = false;
    for c in p.components() {
        match c {
            Component::Prefix(_) => *real = PathBuf::from(c.as_os_str()),
            // `C:` then `\` is one root; `\` alone is the current drive's.
            Component::RootDir if after_prefix => real.push(c.as_os_str()),
            Component::RootDir => *real = PathBuf::from(c.as_os_str()),
            other => parts.push(other.as_os_str().to_owned()),
        }
        after_prefix = matches!(c, Component::Prefix(_));
    }
    for part in parts.into_iter().rev() {
        pending.push_front(part);
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
        let ws = Workspace::new(vec![root.clone()], None, true).unwrap();
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

    #[test]
    fn links_are_followed_where_nothing_exists_yet() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let base = std::fs::canonicalize(dir.path()).unwrap();
        let root = base.join("ws");
        let outside = base.join("elsewhere");
        std::fs::create_dir_all(root.join("pkg")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        symlink(&outside, root.join("out")).unwrap();
        symlink("../elsewhere", root.join("rel")).unwrap();
        symlink(base.join("nowhere"), root.join("dangling")).unwrap();
        symlink("pkg", root.join("inner")).unwrap();
        symlink("loop", root.join("loop")).unwrap();
        let ws = Workspace::new(vec![root.clone()], None, true).unwrap();
        for (given, to) in [
            ("out/newdir/x.py", outside.join("newdir/x.py")),
            ("rel/newdir/x.py", outside.join("newdir/x.py")),
            ("dangling/newdir/x.py", base.join("nowhere/newdir/x.py")),
            ("pkg/../out/x.py", outside.join("x.py")),
        ] {
            let err = ws.resolve(given).unwrap_err();
            assert!(
                err.contains("outside the workspace through a symbolic link"),
                "{err}"
            );
            assert!(err.contains(&to.display().to_string()), "{err}");
            assert!(!err.contains('\n'), "{err}");
        }
        assert_eq!(
            ws.resolve("inner/newdir/x.py").unwrap(),
            root.join("pkg/newdir/x.py")
        );
        assert_eq!(
            ws.resolve("./pkg/./a/b.py").unwrap(),
            root.join("pkg/a/b.py")
        );
        let err = ws.resolve("newdir/../pkg/x.py").unwrap_err();
        assert!(err.contains("does not exist"), "{err}");
        let err = ws.resolve("loop/x.py").unwrap_err();
        assert!(err.contains("too many symbolic links"), "{err}");
    }
}
