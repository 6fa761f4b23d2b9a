//! The fixture runner: every workspace under `fixtures/python/`,
//! `fixtures/rust/` (and the demo) is checked with the real binary; each line
//! carrying `# expect: CODE[, CODE]` (`// expect:` in Rust) must produce
//! exactly those findings, and no other line may produce any. For Rust,
//! `cargo check` is the oracle: the lines expected flagged must not compile,
//! and the others must.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("server/ has a parent")
        .to_path_buf()
}

/// (relative path, line) → sorted codes.
type Expectations = BTreeMap<(String, usize), Vec<String>>;

fn expectations(root: &Path) -> Expectations {
    let mut out = Expectations::new();
    for entry in walk(root) {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        let rel = entry
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let marker = if rel.ends_with(".rs") {
            "// expect:"
        } else {
            "# expect:"
        };
        for (i, line) in text.lines().enumerate() {
            let Some(pos) = line.find(marker) else {
                continue;
            };
            let rest = &line[pos + marker.len()..];
            let rest = rest.split(['#', '/']).next().unwrap_or("");
            let mut codes: Vec<String> = rest
                .split(',')
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect();
            codes.sort();
            out.insert((rel.clone(), i + 1), codes);
        }
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if p.is_dir() {
            if name == "venv" || name == ".venv" || name == "__pycache__" || name == "target" {
                continue;
            }
            out.extend(walk(&p));
        } else if name.ends_with(".py") || name.ends_with(".pyi") || name.ends_with(".rs") {
            out.push(p);
        }
    }
    out
}

fn run_fixture(dir: &Path) -> Result<(), String> {
    run_fixture_with(dir, None)
}

fn run_fixture_with(dir: &Path, python: Option<&Path>) -> Result<(), String> {
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("grounded-cache");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_grounded"));
    cmd.args(["check", "--format", "json"]);
    if let Some(py) = python {
        cmd.arg("--python").arg(py);
    }
    let out = cmd
        .arg(dir)
        .current_dir(dir)
        .env("GROUNDED_CACHE_DIR", &cache)
        .env_remove("VIRTUAL_ENV")
        .env_remove("CONDA_PREFIX")
        .output()
        .map_err(|e| format!("cannot run grounded: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value = serde_json::from_str(&stdout).map_err(|e| {
        format!(
            "bad JSON ({e}); exit {:?}; stderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        )
    })?;
    let mut actual = Expectations::new();
    let mut messages = BTreeMap::new();
    for d in report["diagnostics"].as_array().into_iter().flatten() {
        let path = d["path"].as_str().unwrap_or("").to_string();
        let line = d["line"].as_u64().unwrap_or(0) as usize;
        let code = d["code"].as_str().unwrap_or("").to_string();
        messages.insert(
            (path.clone(), line),
            d["message"].as_str().unwrap_or("").to_string(),
        );
        actual.entry((path, line)).or_default().push(code);
    }
    for v in actual.values_mut() {
        v.sort();
    }
    let expected = expectations(dir);
    let mut problems = Vec::new();
    for (key, codes) in &expected {
        match actual.get(key) {
            Some(a) if a == codes => {}
            Some(a) => problems.push(format!(
                "{}:{}: expected {codes:?}, got {a:?}",
                key.0, key.1
            )),
            None => problems.push(format!(
                "{}:{}: expected {codes:?}, got nothing",
                key.0, key.1
            )),
        }
    }
    for (key, codes) in &actual {
        if !expected.contains_key(key) {
            problems.push(format!(
                "{}:{}: unexpected {codes:?}: {}",
                key.0,
                key.1,
                messages.get(key).cloned().unwrap_or_default()
            ));
        }
    }
    // The exit status follows the findings.
    let want_status = if actual.is_empty() { 0 } else { 1 };
    if out.status.code() != Some(want_status) {
        problems.push(format!(
            "exit status {:?}, expected {want_status}",
            out.status.code()
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn fixture_dirs() -> Vec<PathBuf> {
    let base = repo_root().join("fixtures/python");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&base)
        .expect("fixtures/python exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.push(repo_root().join("fixtures/demo"));
    dirs
}

#[test]
fn python_fixtures() {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("SKIP: python3 is not installed; the fixtures need the real interpreter");
        return;
    }
    let mut failures = Vec::new();
    let dirs = fixture_dirs();
    for dir in &dirs {
        let name = dir.strip_prefix(repo_root()).unwrap().display().to_string();
        match run_fixture(dir) {
            Ok(()) => eprintln!("ok   {name}"),
            Err(e) => {
                eprintln!("FAIL {name}\n{e}");
                failures.push(format!("== {name}\n{e}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n")
    );
}

/// Other CPython versions on this machine (pyenv's, or python3.X on PATH).
fn other_interpreters() -> Vec<PathBuf> {
    let mut found = Vec::new();
    if let Some(home) = std::env::var_os("HOME") {
        let versions = Path::new(&home).join(".pyenv/versions");
        if let Ok(rd) = std::fs::read_dir(versions) {
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                let minor = name
                    .strip_prefix("3.")
                    .and_then(|r| r.split('.').next())
                    .and_then(|m| m.parse::<u32>().ok());
                if minor.is_some_and(|m| m >= 8) {
                    let py = e.path().join("bin/python3");
                    if py.exists() {
                        found.push(py);
                    }
                }
            }
        }
    }
    for minor in 8..=14 {
        let name = format!("python3.{minor}");
        for dir in std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()) {
            let p = dir.join(&name);
            if p.is_file() && !dir.to_string_lossy().contains("shims") {
                found.push(p);
                break;
            }
        }
    }
    found.sort();
    found
}

/// The stdlib fixtures hold on every Python 3.8+ this machine has: names
/// that exist on one version and not another come from the interpreter.
#[test]
fn stdlib_fixtures_on_every_interpreter() {
    let interpreters = other_interpreters();
    if interpreters.is_empty() {
        eprintln!("SKIP: no other CPython 3.8+ interpreters on this machine");
        return;
    }
    let mut failures = Vec::new();
    for py in &interpreters {
        for fixture in ["stdlib_valid", "stdlib_hallucinated"] {
            let dir = repo_root().join("fixtures/python").join(fixture);
            match run_fixture_with(&dir, Some(py)) {
                Ok(()) => eprintln!("ok   {fixture} with {}", py.display()),
                Err(e) => failures.push(format!("== {fixture} with {}\n{e}", py.display())),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn rust_fixture_dirs() -> Vec<PathBuf> {
    let base = repo_root().join("fixtures/rust");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&base)
        .expect("fixtures/rust exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn rust_fixtures() {
    let mut failures = Vec::new();
    let dirs = rust_fixture_dirs();
    for dir in &dirs {
        let name = dir.strip_prefix(repo_root()).unwrap().display().to_string();
        match run_fixture(dir) {
            Ok(()) => eprintln!("ok   {name}"),
            Err(e) => {
                eprintln!("FAIL {name}\n{e}");
                failures.push(format!("== {name}\n{e}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// cargo is the oracle: every line a Rust fixture expects flagged fails to
/// compile, and no other line does.
#[test]
fn rust_fixtures_agree_with_cargo_check() {
    if Command::new("cargo").arg("--version").output().is_err() {
        eprintln!("SKIP: no cargo");
        return;
    }
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-target");
    let mut failures = Vec::new();
    for dir in rust_fixture_dirs() {
        let out = Command::new("cargo")
            .args(["check", "--offline", "--quiet", "--message-format=short"])
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", &target)
            .env_remove("RUSTFLAGS")
            .output()
            .expect("cargo runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        // `src/lib.rs:12:5: error[E0425]: ...` → (path, line)
        let mut errors = std::collections::BTreeSet::new();
        for line in stderr.lines() {
            let mut parts = line.splitn(4, ':');
            let (Some(path), Some(row), Some(_col), Some(rest)) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            if rest.trim_start().starts_with("error") {
                if let Ok(row) = row.parse::<usize>() {
                    errors.insert((path.to_string(), row));
                }
            }
        }
        let expected: std::collections::BTreeSet<(String, usize)> =
            expectations(&dir).into_keys().collect();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        for e in expected.difference(&errors) {
            failures.push(format!(
                "{name}/{}:{}: expected flagged, but it compiles",
                e.0, e.1
            ));
        }
        for e in errors.difference(&expected) {
            failures.push(format!(
                "{name}/{}:{}: does not compile, but no finding is expected",
                e.0, e.1
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
