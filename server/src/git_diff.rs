//! `--diff REV`: the lines of the working tree that changed since a git
//! revision, so that a pull request is judged on what it adds.
//!
//! Runs the real git: `git diff --unified=0 REV` (tracked files, staged or
//! not, against REV) and `git ls-files --others --exclude-standard`
//! (untracked files: new in their entirety).
//!
//! A repository's own configuration (`.git/config`) can make git run
//! programs. Always off: external diff drivers (`--no-ext-diff`, and
//! `GIT_EXTERNAL_DIFF` is removed) and textconv filters (`--no-textconv`).
//! For an untrusted repository ([`Guard::untrusted`]) also: the fsmonitor
//! hook (`core.fsmonitor=false`), every clean/smudge/process filter driver
//! the configuration defines (each set to nothing, and not required), any
//! transport (`protocol.allow=never`, `GIT_NO_LAZY_FETCH=1`: a partial
//! clone would fetch missing objects through `core.sshCommand` or a remote
//! helper) and the pager (`--no-pager`). What remains runs no configured
//! program: `rev-parse`, `config`, `diff` and `ls-files` start none of
//! their own (no hooks, no editor, no credential helper without transport).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What changed in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileChange {
    /// A file git does not track yet: every line is new.
    Untracked,
    /// Inclusive 1-based ranges of added or modified lines.
    Lines(Vec<(usize, usize)>),
}

/// The changed lines of a repository's working tree.
#[derive(Debug, Clone)]
pub struct ChangedLines {
    /// The repository's top-level directory (canonical, as git prints it).
    pub top: PathBuf,
    /// The revision as given, for messages.
    pub rev: String,
    files: HashMap<PathBuf, FileChange>,
}

impl ChangedLines {
    /// Whether `line` of `path` (absolute, or relative to `cwd`) changed.
    pub fn contains(&self, path: &Path, cwd: &Path, line: usize) -> bool {
        let abs = cwd.join(path);
        let abs = std::fs::canonicalize(&abs).unwrap_or(abs);
        let Ok(rel) = abs.strip_prefix(&self.top) else {
            return false;
        };
        match self.files.get(rel) {
            Some(FileChange::Untracked) => true,
            Some(FileChange::Lines(ranges)) => ranges.iter().any(|&(a, b)| a <= line && line <= b),
            None => false,
        }
    }

    pub fn file_count(&self) -> usize {
        self.files.len()
    }
}

/// The lines changed since `rev` in the git repository holding `dir`;
/// untrusted, with nothing the repository configures run ([`Guard`]).
/// Errors are one line: git missing, not a repository, unknown revision.
pub fn changed_since(rev: &str, dir: &Path, trusted: bool) -> Result<ChangedLines, String> {
    let mut guard = if trusted {
        Guard::default()
    } else {
        Guard::untrusted()
    };
    let top = git(dir, &["rev-parse", "--show-toplevel"], &guard).map_err(|e| match e {
        GitError::Spawn(e) => format!("--diff needs git, which could not be run: {e}"),
        GitError::Failed(..) => format!(
            "--diff {rev}: {} is not inside a git repository",
            dir.display()
        ),
    })?;
    let top = PathBuf::from(top.trim_end_matches(['\n', '\r']));
    if !trusted {
        guard.turn_off_filters(&top)?;
    }
    let unknown = || format!("--diff: unknown git revision `{rev}`");
    if rev.is_empty() || rev.starts_with('-') {
        return Err(unknown());
    }
    let commit = git(
        &top,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
        &guard,
    )
    .map_err(|e| match e {
        GitError::Failed(..) => unknown(),
        GitError::Spawn(e) => format!("--diff: cannot run git: {e}"),
    })?;
    let commit = commit.trim().to_string();
    let diff = git(
        &top,
        &[
            "-c",
            "core.quotePath=false",
            "diff",
            "--unified=0",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--ignore-submodules",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            &commit,
            "--",
        ],
        &guard,
    )
    .map_err(|e| format!("--diff: git diff {rev} failed: {}", e.reason()))?;
    let untracked = git(
        &top,
        &[
            "ls-files",
            "-z",
            "--others",
            "--exclude-standard",
            "--full-name",
        ],
        &guard,
    )
    .map_err(|e| format!("--diff: git ls-files failed: {}", e.reason()))?;

    let mut files: HashMap<PathBuf, FileChange> = parse_diff(&diff)
        .into_iter()
        .map(|(path, ranges)| (PathBuf::from(path), FileChange::Lines(ranges)))
        .collect();
    for path in untracked.split('\0').filter(|p| !p.is_empty()) {
        files.insert(PathBuf::from(path), FileChange::Untracked);
    }
    Ok(ChangedLines {
        top,
        rev: rev.to_string(),
        files,
    })
}

enum GitError {
    Spawn(std::io::Error),
    /// Exit status non-zero: git's first stderr line, and the status.
    Failed(String, Option<i32>),
}

impl GitError {
    fn reason(&self) -> String {
        match self {
            GitError::Spawn(e) => e.to_string(),
            GitError::Failed(s, _) => s.clone(),
        }
    }
}

/// Options and environment that keep git from running what a repository
/// configures (see the module's documentation); empty for a trusted one.
#[derive(Debug, Default)]
struct Guard {
    /// Global options, before the command.
    args: Vec<String>,
    env: Vec<(&'static str, &'static str)>,
}

impl Guard {
    fn untrusted() -> Guard {
        let mut args = vec!["--no-pager".to_string()];
        for setting in ["core.fsmonitor=false", "protocol.allow=never"] {
            args.extend(["-c".to_string(), setting.to_string()]);
        }
        Guard {
            args,
            env: vec![("GIT_NO_LAZY_FETCH", "1")],
        }
    }

    /// Every filter driver the configuration of `top` defines is set to
    /// run nothing (git applies clean filters to working-tree files when
    /// diffing them). A driver whose name cannot be given on git's command
    /// line is an error: nothing is run then.
    fn turn_off_filters(&mut self, top: &Path) -> Result<(), String> {
        let listed = git(
            top,
            &["config", "-z", "--name-only", "--get-regexp", r"^filter\."],
            self,
        );
        let names = match listed {
            Ok(names) => names,
            // Status 1: no such key.
            Err(GitError::Failed(_, Some(1))) => String::new(),
            Err(e) => {
                return Err(format!(
                    "--diff: cannot read the repository's git configuration: {}",
                    e.reason()
                ))
            }
        };
        let mut drivers: Vec<&str> = names
            .split('\0')
            .filter_map(|key| key.strip_prefix("filter."))
            .filter_map(|rest| rest.rsplit_once('.').map(|(driver, _)| driver))
            .collect();
        drivers.sort_unstable();
        drivers.dedup();
        for driver in drivers {
            if driver.contains('=') || driver.chars().any(char::is_control) {
                return Err(format!(
                    "--diff: the repository's git configuration defines a filter driver named \
                     {driver:?}, which cannot be turned off; git is not run for an untrusted \
                     repository"
                ));
            }
            for (var, value) in [
                ("clean", ""),
                ("smudge", ""),
                ("process", ""),
                ("required", "false"),
            ] {
                self.args.push("-c".to_string());
                self.args.push(format!("filter.{driver}.{var}={value}"));
            }
        }
        Ok(())
    }
}

fn git(dir: &Path, args: &[&str], guard: &Guard) -> Result<String, GitError> {
    // `-C` would come after `-c` options; running in the directory is the same.
    let out = Command::new("git")
        .args(&guard.args)
        .args(args)
        .current_dir(dir)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .envs(guard.env.iter().copied())
        .env_remove("GIT_EXTERNAL_DIFF")
        .output()
        .map_err(GitError::Spawn)?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let first = err.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        return Err(GitError::Failed(
            first.trim().to_string(),
            out.status.code(),
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Added or modified line ranges per new path, from `git diff --unified=0`
/// output (with `a/`/`b/` prefixes). Deleted files have no entry.
pub fn parse_diff(text: &str) -> HashMap<String, Vec<(usize, usize)>> {
    let mut out: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    let mut current: Option<String> = None;
    let mut in_header = false;
    for line in text.lines() {
        if line.starts_with("diff --git ") {
            in_header = true;
            current = None;
        } else if in_header && line.starts_with("+++ ") {
            let target = unquote(&line[4..]);
            current = target.strip_prefix("b/").map(str::to_string);
        } else if let Some(rest) = line.strip_prefix("@@ ") {
            in_header = false;
            let (Some(path), Some((start, count))) = (&current, new_range(rest)) else {
                continue;
            };
            if count > 0 {
                out.entry(path.clone())
                    .or_default()
                    .push((start, start + count - 1));
            }
        }
    }
    out
}

/// `-a,b +c,d @@ ...` → (c, d); a missing count is 1.
fn new_range(hunk: &str) -> Option<(usize, usize)> {
    let plus = hunk.split_whitespace().find(|w| w.starts_with('+'))?;
    let mut parts = plus[1..].splitn(2, ',');
    let start = parts.next()?.parse().ok()?;
    let count = match parts.next() {
        Some(c) => c.parse().ok()?,
        None => 1,
    };
    Some((start, count))
}

/// Git's C-style quoting of unusual paths (`"b/caf\303\251.py"`).
fn unquote(s: &str) -> String {
    let Some(inner) = s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) else {
        return s.to_string();
    };
    let mut bytes = Vec::with_capacity(inner.len());
    let mut it = inner.bytes().peekable();
    while let Some(b) = it.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match it.next() {
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(b'r') => bytes.push(b'\r'),
            Some(b'a') => bytes.push(7),
            Some(b'b') => bytes.push(8),
            Some(b'f') => bytes.push(12),
            Some(b'v') => bytes.push(11),
            Some(d @ b'0'..=b'7') => {
                let mut v = u32::from(d - b'0');
                for _ in 0..2 {
                    if let Some(&n @ b'0'..=b'7') = it.peek() {
                        v = v * 8 + u32::from(n - b'0');
                        it.next();
                    }
                }
                bytes.push(v as u8);
            }
            Some(other) => bytes.push(other),
            None => bytes.push(b'\\'),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIFF: &str = "\
diff --git a/app.py b/app.py
index 1111111..2222222 100644
--- a/app.py
+++ b/app.py
@@ -3,0 +4,2 @@ import json
+x = json.parse(s)
++++ not a header
@@ -10 +12 @@ def f():
-old
+new
@@ -20,3 +21,0 @@ def g():
-gone
-gone
-gone
diff --git a/old.py b/old.py
deleted file mode 100644
--- a/old.py
+++ /dev/null
@@ -1,2 +0,0 @@
-a
-b
diff --git \"a/caf\\303\\251.py\" \"b/caf\\303\\251.py\"
new file mode 100644
--- /dev/null
+++ \"b/caf\\303\\251.py\"
@@ -0,0 +1,3 @@
+a
+b
+c
";

    #[test]
    fn hunks_give_new_line_ranges() {
        let d = parse_diff(DIFF);
        assert_eq!(d["app.py"], vec![(4, 5), (12, 12)]);
        assert!(!d.contains_key("old.py"));
        assert_eq!(d["café.py"], vec![(1, 3)]);
        assert_eq!(d.len(), 2);
    }

    #[test]
    fn unquote_handles_escapes() {
        assert_eq!(unquote("plain/path.py"), "plain/path.py");
        assert_eq!(unquote("\"b/a\\\"b\\\\c.py\""), "b/a\"b\\c.py");
        assert_eq!(unquote("\"b/tab\\there\""), "b/tab\there");
    }
}
