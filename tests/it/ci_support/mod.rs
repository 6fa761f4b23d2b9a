//! Helpers shared by the CI-mode tests (ci_formats.rs, ci_gate.rs).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("server/ has a parent")
        .to_path_buf()
}

pub fn grounded(dir: &Path, args: &[&str]) -> Output {
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("grounded-cache");
    Command::new(env!("CARGO_BIN_EXE_grounded"))
        .args(args)
        .current_dir(dir)
        .env("GROUNDED_CACHE_DIR", cache)
        .env_remove("VIRTUAL_ENV")
        .env_remove("CONDA_PREFIX")
        .output()
        .expect("grounded runs")
}

pub fn write(dir: &Path, name: &str, content: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn has_python() -> bool {
    Command::new("python3").arg("--version").output().is_ok()
}

/// `(line, code)` of each finding of a JSON report.
pub fn findings(o: &Output) -> Vec<(u64, String)> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", stdout(o), stderr(o)));
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Asserts the run failed with exit status 2 and one `grounded: error:` line
/// containing `want`.
pub fn assert_usage_error(o: &Output, want: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{err}{}", stdout(o));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("grounded: error: "), "{err}");
    assert!(err.contains(want), "wanted {want:?} in {err}");
    assert!(!err.contains("panicked"), "{err}");
}
