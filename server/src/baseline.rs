//! Baseline files: the findings a project has accepted for now, so that CI
//! reports only new ones (`--write-baseline FILE`, `--baseline FILE`).
//!
//! ```json
//! {"version": 1, "tool": "grounded",
//!  "findings": [{"fingerprint": "04568f40…", "code": "unresolved-symbol",
//!                "path": "app/main.py", "line": 12, "symbol": "json.parse"}]}
//! ```
//! Findings are matched by [`crate::fingerprint`] alone; paths in the file are
//! relative to the baseline's own directory, so it matches from any working
//! directory. `line` is for people reading the file.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    pub fingerprint: String,
    pub code: String,
    pub path: String,
    pub line: usize,
    pub symbol: String,
}

#[derive(Serialize, Deserialize)]
struct File {
    version: u32,
    tool: String,
    findings: Vec<Entry>,
}

/// A loaded baseline.
#[derive(Debug, Default)]
pub struct Baseline {
    fingerprints: HashSet<String>,
}

impl Baseline {
    /// Read a baseline; every failure is one line naming the file.
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = crate::regular_file::read_to_string(path)
            .map_err(|e| format!("cannot read baseline {}: {}", path.display(), io_reason(&e)))?;
        let file: File = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{} is not a grounded baseline ({e}); write one with --write-baseline",
                path.display()
            )
        })?;
        if file.tool != "grounded" {
            return Err(format!(
                "{} is a baseline of `{}`, not of grounded",
                path.display(),
                file.tool
            ));
        }
        if file.version != VERSION {
            return Err(format!(
                "{} is a version {} baseline; this grounded reads version {VERSION}",
                path.display(),
                file.version
            ));
        }
        Ok(Baseline {
            fingerprints: file.findings.into_iter().map(|e| e.fingerprint).collect(),
        })
    }

    pub fn contains(&self, fingerprint: &str) -> bool {
        self.fingerprints.contains(fingerprint)
    }

    pub fn len(&self) -> usize {
        self.fingerprints.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty()
    }
}

/// Write a baseline atomically (a temporary file renamed over the target),
/// entries sorted so that the file diffs well in review.
pub fn write(path: &Path, mut entries: Vec<Entry>) -> Result<(), String> {
    entries.sort_by(|a, b| {
        (&a.path, a.line, &a.code, &a.fingerprint).cmp(&(&b.path, b.line, &b.code, &b.fingerprint))
    });
    let file = File {
        version: VERSION,
        tool: "grounded".to_string(),
        findings: entries,
    };
    let mut text = serde_json::to_string_pretty(&file)
        .map_err(|e| format!("cannot encode the baseline: {e}"))?;
    text.push('\n');
    let fail = |e: std::io::Error| {
        format!(
            "cannot write baseline {}: {}",
            path.display(),
            io_reason(&e)
        )
    };
    let name = path
        .file_name()
        .ok_or_else(|| format!("cannot write baseline {}: not a file name", path.display()))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".tmp{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    std::fs::write(&tmp, text).map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}

/// The directory baseline paths are relative to: the baseline file's own,
/// made absolute and free of symlinks where it exists.
pub fn root_of(baseline: &Path, cwd: &Path) -> PathBuf {
    let abs = cwd.join(baseline);
    let dir = abs.parent().map(Path::to_path_buf).unwrap_or(abs);
    std::fs::canonicalize(&dir).unwrap_or(dir)
}

/// A finding's path (as printed, relative to `cwd` or absolute) relative to
/// `root`, with `/` separators; absolute when it lies outside `root`.
pub fn relative_path(printed: &str, cwd: &Path, root: &Path) -> String {
    let abs = cwd.join(printed);
    let abs = std::fs::canonicalize(&abs).unwrap_or(abs);
    let rel = abs.strip_prefix(root).unwrap_or(&abs);
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            Component::RootDir => Some(String::new()),
            _ => None,
        })
        .collect();
    parts.join("/")
}

/// The OS error without its "(os error N)" suffix.
fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(fp: &str, path: &str, line: usize) -> Entry {
        Entry {
            fingerprint: fp.into(),
            code: "unknown-member".into(),
            path: path.into(),
            line,
            symbol: "a.B.c".into(),
        }
    }

    #[test]
    fn round_trip_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        write(&path, vec![entry("ff", "b.py", 1), entry("aa", "a.py", 7)]).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.find("a.py").unwrap() < text.find("b.py").unwrap(),
            "{text}"
        );
        let b = Baseline::load(&path).unwrap();
        assert_eq!(b.len(), 2);
        assert!(b.contains("aa") && b.contains("ff") && !b.contains("bb"));
        // No temporary file left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn bad_files_are_one_line_errors() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.json");
        let e = Baseline::load(&missing).unwrap_err();
        assert!(e.starts_with("cannot read baseline "), "{e}");
        assert!(e.ends_with("No such file or directory"), "{e}");
        for (text, want) in [
            ("{not json", "is not a grounded baseline"),
            ("[]", "is not a grounded baseline"),
            (
                r#"{"version": 9, "tool": "grounded", "findings": []}"#,
                "is a version 9 baseline",
            ),
            (
                r#"{"version": 1, "tool": "other", "findings": []}"#,
                "is a baseline of `other`",
            ),
        ] {
            let p = dir.path().join("b.json");
            std::fs::write(&p, text).unwrap();
            let e = Baseline::load(&p).unwrap_err();
            assert!(e.contains(want), "{text}: {e}");
            assert!(!e.contains('\n'), "{e}");
        }
    }

    #[test]
    fn paths_are_relative_to_the_baseline() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(root.join("src/pkg")).unwrap();
        std::fs::write(root.join("src/pkg/m.py"), "").unwrap();
        let from_src = relative_path("pkg/m.py", &root.join("src"), &root);
        let from_root = relative_path("src/pkg/m.py", &root, &root);
        assert_eq!(from_src, "src/pkg/m.py");
        assert_eq!(from_root, from_src);
        assert_eq!(root_of(Path::new("baseline.json"), &root), root);
        assert_eq!(root_of(Path::new("src/../b.json"), &root), root);
    }
}
