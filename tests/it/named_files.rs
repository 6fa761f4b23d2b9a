//! Files named on the command line, as pre-commit passes them: each is
//! checked by its own language only (`.py`/`.pyi` and python scripts as
//! Python, `.rs` as Rust), anything else is skipped with a note, and the
//! counts are per file. The shipped `.pre-commit-hooks.yaml` is driven end to
//! end by the real `pre-commit` on a scratch git repository.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::ci_support::{findings, grounded, has_python, repo_root, stderr, stdout, write};

fn json_of(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", stdout(o), stderr(o)))
}

/// `(line, code)` of each finding, and the summary's file count.
fn report(o: &Output) -> (Vec<(u64, String)>, u64) {
    (
        findings(o),
        json_of(o)["summary"]["files"].as_u64().unwrap(),
    )
}

#[test]
fn a_named_python_file_is_checked_as_python_only() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let root = repo_root();
    let o = grounded(
        &root,
        &["check", "fixtures/demo/notes/cli.py", "--format", "json"],
    );
    let (found, files) = report(&o);
    let codes: Vec<&str> = found.iter().map(|(_, c)| c.as_str()).collect();
    assert_eq!(
        codes,
        [
            "unresolved-symbol",
            "unresolved-module",
            "unknown-member",
            "undefined-name"
        ],
        "{}",
        stdout(&o)
    );
    assert_eq!(files, 1);
    let err = stderr(&o);
    assert!(!err.contains("syntax error"), "{err}");
    assert!(!err.contains("Cargo.toml"), "{err}");
    // The text summary counts one file.
    let o = grounded(&root, &["check", "fixtures/demo/notes/cli.py"]);
    assert!(
        stdout(&o).contains("Found 4 problems in 1 file "),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_named_rust_file_is_checked_as_rust_only() {
    let root = repo_root();
    let o = grounded(
        &root,
        &[
            "check",
            "fixtures/rust/basic/src/lib.rs",
            "--format",
            "json",
        ],
    );
    let (found, files) = report(&o);
    assert_eq!(files, 1, "{}", stdout(&o));
    let v = json_of(&o);
    for d in v["diagnostics"].as_array().unwrap() {
        let msg = d["message"].as_str().unwrap();
        assert!(
            !msg.contains("builtins"),
            "a Python finding in a .rs file: {msg}"
        );
    }
    // The fixture's own expectations for that file, and nothing else.
    let text = std::fs::read_to_string(root.join("fixtures/rust/basic/src/lib.rs")).unwrap();
    let mut want: Vec<(u64, String)> = text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let codes = l.split("// expect:").nth(1)?;
            Some(
                codes
                    .split(',')
                    .map(|c| (i as u64 + 1, c.trim().to_string()))
                    .collect::<Vec<_>>(),
            )
        })
        .flatten()
        .collect();
    let mut found = found;
    want.sort();
    found.sort();
    assert_eq!(found, want, "{}", stderr(&o));
    assert!(!stderr(&o).contains("syntax error"), "{}", stderr(&o));
}

#[test]
fn other_named_files_are_skipped_with_a_note_and_scripts_are_python() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    write(ws, "pyproject.toml", "[project]\nname = \"ws\"\n");
    write(ws, "notes.txt", "print(json.parse(x))\n");
    write(ws, "Makefile", "all:\n\tpython3 -c 'import json'\n");
    write(
        ws,
        "deploy",
        "#!/usr/bin/env python3\nimport json\njson.parse('1')\n",
    );
    write(ws, "run.sh", "#!/bin/sh\necho json.parse\n");
    write(ws, "ok.py", "import json\njson.loads('1')\n");
    let o = grounded(
        ws,
        &[
            "check",
            "notes.txt",
            "Makefile",
            "deploy",
            "run.sh",
            "ok.py",
            "--format",
            "json",
        ],
    );
    let (found, files) = report(&o);
    assert_eq!(
        found,
        [(3, "unresolved-symbol".to_string())],
        "{}",
        stderr(&o)
    );
    assert_eq!(files, 2, "deploy and ok.py: {}", stdout(&o));
    let err = stderr(&o);
    for skipped in ["notes.txt", "Makefile", "run.sh"] {
        let notes: Vec<&str> = err
            .lines()
            .filter(|l| l.contains(&format!("{skipped}: skipped: not a Python or Rust source")))
            .collect();
        assert_eq!(notes.len(), 1, "{skipped}: {err}");
    }
    assert_eq!(err.lines().count(), 3, "one note per skipped file: {err}");
    // Only files that are no source: nothing checked, a clean exit.
    let o = grounded(ws, &["check", "notes.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

// ------------------------------------------------------------- pre-commit

fn pre_commit() -> PathBuf {
    let exe = repo_root().join(".tools/pre-commit/bin/pre-commit");
    assert!(
        exe.is_file(),
        "{} is missing: run `bash scripts/install-pre-commit.sh` (scripts/test.sh does)",
        exe.display()
    );
    exe
}

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs")
}

fn git_ok(dir: &Path, args: &[&str]) -> String {
    let o = git(dir, args);
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    stdout(&o)
}

/// `git commit` in `proj` with the hooks pre-commit installed, `grounded`
/// (the binary under test) first on PATH.
fn commit(proj: &Path, home: &Path, message: &str) -> Output {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_grounded")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("git")
        .args(["commit", "-q", "-m", message])
        .current_dir(proj)
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", home.join("pre-commit"))
        .env(
            "GROUNDED_CACHE_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("grounded-cache"),
        )
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", home)
        .env_remove("VIRTUAL_ENV")
        .env_remove("CONDA_PREFIX")
        .output()
        .expect("git commit runs")
}

#[test]
fn the_shipped_pre_commit_hooks_check_each_file_by_its_language() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let pre_commit = pre_commit();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    // The hooks as users reference them: a git repository holding this
    // checkout's .pre-commit-hooks.yaml, at a commit.
    let hooks = home.join("hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    std::fs::copy(
        repo_root().join(".pre-commit-hooks.yaml"),
        hooks.join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    git_ok(&hooks, &["init", "-q"]);
    git_ok(&hooks, &["add", "."]);
    git_ok(&hooks, &["commit", "-q", "-m", "hooks"]);
    let rev = git_ok(&hooks, &["rev-parse", "HEAD"]).trim().to_string();

    let proj = home.join("proj");
    std::fs::create_dir_all(&proj).unwrap();
    git_ok(&proj, &["init", "-q"]);
    write(
        &proj,
        ".pre-commit-config.yaml",
        &format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: grounded\n",
            hooks.display()
        ),
    );
    write(&proj, "pyproject.toml", "[project]\nname = \"proj\"\n");
    write(
        &proj,
        "app.py",
        "import json\n\n\ndef load(s):\n    return json.parse(s)\n",
    );
    write(
        &proj,
        "tool.rs",
        "fn main() {\n    let mut v: Vec<u8> = Vec::new();\n    v.push_all(1);\n}\n",
    );
    write(&proj, "README.md", "print(json.parse(x))\n");
    let o = Command::new(&pre_commit)
        .arg("install")
        .current_dir(&proj)
        .env("PRE_COMMIT_HOME", home.join("pre-commit"))
        .env("HOME", home)
        .output()
        .unwrap();
    assert!(o.status.success(), "pre-commit install: {}", stderr(&o));
    git_ok(&proj, &["add", "."]);

    // The commit is refused, with exactly the two real findings.
    let o = commit(&proj, home, "first");
    let said = format!("{}{}", stdout(&o), stderr(&o));
    assert!(!o.status.success(), "the commit went through: {said}");
    assert!(
        said.contains("app.py:5:17: error[unresolved-symbol]"),
        "{said}"
    );
    assert!(
        said.contains("tool.rs:3:7: error[unknown-member]"),
        "{said}"
    );
    assert!(said.contains("Found 2 problems in 2 files"), "{said}");
    for wrong in ["is not defined", "syntax error", "README.md", "builtins"] {
        assert!(!said.contains(wrong), "`{wrong}` in: {said}");
    }

    // Fixed, it goes through.
    write(
        &proj,
        "app.py",
        "import json\n\n\ndef load(s):\n    return json.loads(s)\n",
    );
    write(
        &proj,
        "tool.rs",
        "fn main() {\n    let mut v: Vec<u8> = Vec::new();\n    v.push(1);\n}\n",
    );
    git_ok(&proj, &["add", "."]);
    let o = commit(&proj, home, "fixed");
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(git_ok(&proj, &["log", "--oneline"]).contains("fixed"));
}
