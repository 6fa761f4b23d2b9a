//! What a CI run reports and how it exits: baselines, `--diff`, severity
//! threshold, `--exit-zero`, `grounded explain`, and bad input.

use crate::ci_support;

use std::path::Path;
use std::process::Command;

use ci_support::*;

// ---------------------------------------------------------------- baselines

/// A workspace whose findings need no interpreter: names missing from its own
/// package.
fn baseline_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pyproject.toml", "[project]\nname = 'w'\n");
    write(dir.path(), "pkg/__init__.py", "def real():\n    pass\n");
    write(
        dir.path(),
        "app.py",
        "import pkg\n\npkg.fake()\npkg.real()\npkg.fake()\nfrom pkg import missing\n",
    );
    dir
}

#[test]
fn baseline_round_trip_survives_moved_lines() {
    let ws = baseline_workspace();
    let dir = ws.path();
    let o = grounded(
        dir,
        &[
            "check",
            "--format",
            "json",
            "--write-baseline",
            "grounded-baseline.json",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "write-baseline exits 0: {}",
        stderr(&o)
    );
    assert_eq!(
        findings(&o),
        vec![
            (3, "unresolved-symbol".to_string()),
            (5, "unresolved-symbol".to_string()),
            (6, "unresolved-symbol".to_string())
        ]
    );
    assert!(
        stderr(&o).contains("wrote 3 findings to baseline grounded-baseline.json"),
        "{}",
        stderr(&o)
    );
    let written = std::fs::read_to_string(dir.join("grounded-baseline.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["findings"].as_array().unwrap().len(), 3);
    assert_eq!(v["findings"][0]["path"], "app.py");

    // Lines inserted above the findings, and one re-indented: all still match.
    write(
        dir,
        "app.py",
        "\"\"\"Docs.\"\"\"\n# a comment\nimport pkg\n\nif True:\n    pkg.fake()\npkg.real()\npkg.fake()\nfrom pkg import missing\n",
    );
    let o = grounded(
        dir,
        &[
            "check",
            "--format",
            "json",
            "--baseline",
            "grounded-baseline.json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(findings(&o), vec![]);
    assert!(
        stderr(&o).contains(
            "baseline grounded-baseline.json: 3 findings matched and not reported (3 recorded)"
        ),
        "{}",
        stderr(&o)
    );

    // A new hallucinated call, and a third copy of a baselined line: only they are new.
    write(
        dir,
        "app.py",
        "import pkg\n\npkg.fake()\npkg.real()\npkg.fake()\nfrom pkg import missing\npkg.invented()\npkg.fake()\n",
    );
    let o = grounded(
        dir,
        &[
            "check",
            "--format",
            "json",
            "--baseline",
            "grounded-baseline.json",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        findings(&o),
        vec![
            (7, "unresolved-symbol".to_string()),
            (8, "unresolved-symbol".to_string())
        ]
    );
    assert!(stderr(&o).contains("3 findings matched"), "{}", stderr(&o));

    // From a subdirectory, with the baseline given relative to it: same result.
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let o = grounded(
        &dir.join("sub"),
        &[
            "check",
            "..",
            "--format",
            "json",
            "--baseline",
            "../grounded-baseline.json",
        ],
    );
    assert_eq!(findings(&o).len(), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("3 findings matched"), "{}", stderr(&o));

    // --quiet keeps stderr empty.
    let o = grounded(
        dir,
        &["check", "-q", "--baseline", "grounded-baseline.json"],
    );
    assert_eq!(stderr(&o), "");
}

// ---------------------------------------------------------------- --diff

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args([
            "-c",
            "user.name=Grounded Test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
}

#[test]
fn diff_reports_only_lines_changed_since_the_revision() {
    let ws = baseline_workspace();
    let dir = ws.path();
    write(dir, "old.py", "import pkg\npkg.stale()\n");
    write(dir, ".gitignore", "ignored.py\n");
    git(dir, &["init", "-q"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-qm", "first"]);

    // Nothing changed: nothing reported, exit 0.
    let o = grounded(dir, &["check", "--format", "json", "--diff", "HEAD"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(findings(&o), vec![]);
    assert!(
        stderr(&o).contains("--diff HEAD: 4 findings on unchanged lines not reported"),
        "{}",
        stderr(&o)
    );

    // A modified line, an added line, a staged change, and an untracked file.
    write(
        dir,
        "app.py",
        "import pkg\n\npkg.fake()\npkg.real()\npkg.fake2()\nfrom pkg import missing\npkg.added()\n",
    );
    write(dir, "old.py", "import pkg\npkg.stale()\npkg.staged()\n");
    git(dir, &["add", "old.py"]);
    write(dir, "new/untracked.py", "import pkg\n\npkg.brand_new()\n");
    write(dir, "ignored.py", "import pkg\npkg.ignored_by_git()\n");
    let o = grounded(dir, &["check", "--format", "json", "--diff", "HEAD"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let got: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{} {}",
                d["path"].as_str().unwrap(),
                d["line"],
                d["symbol"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "app.py:5 pkg.fake2",
            "app.py:7 pkg.added",
            "new/untracked.py:3 pkg.brand_new",
            "old.py:3 pkg.staged",
        ]
    );
    // The JSON summary counts what was reported.
    assert_eq!(v["summary"]["errors"], 4);

    // A second commit: HEAD~1 sees both commits' changes, HEAD only the work tree's.
    git(dir, &["add", "."]);
    git(dir, &["commit", "-qm", "second"]);
    let o = grounded(dir, &["check", "--format", "json", "--diff", "HEAD"]);
    assert_eq!(findings(&o), vec![], "{}", stderr(&o));
    let o = grounded(dir, &["check", "--format", "json", "--diff", "HEAD~1"]);
    assert_eq!(findings(&o).len(), 4, "{}", stderr(&o));

    // Checking a subdirectory from inside it.
    let o = grounded(
        &dir.join("new"),
        &["check", "--format", "json", "--diff", "HEAD~1"],
    );
    assert_eq!(
        findings(&o),
        vec![(3, "unresolved-symbol".to_string())],
        "{}",
        stderr(&o)
    );

    // Unknown revisions.
    for rev in ["no-such-branch", "HEAD~10", "--output=x"] {
        let o = grounded(dir, &["check", &format!("--diff={rev}")]);
        assert_usage_error(&o, &format!("--diff: unknown git revision `{rev}`"));
    }
    assert!(!dir.join("x").exists());
}

// ---------------------------------------------------------------- severity, exit codes

#[test]
fn severity_threshold_and_exit_zero() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let root = repo_root().join("fixtures/ci");
    let codes = |args: &[&str]| {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        let o = grounded(&root, &all);
        let mut codes: Vec<String> = findings(&o).into_iter().map(|(_, c)| c).collect();
        codes.dedup();
        (o.status.code(), codes)
    };
    let (status, all) = codes(&[]);
    assert_eq!(status, Some(1));
    assert!(all.contains(&"unresolved-module".to_string()), "{all:?}"); // info
    assert!(all.contains(&"undefined-name".to_string()), "{all:?}"); // warning

    let (status, warn) = codes(&["--severity", "warning"]);
    assert_eq!(status, Some(1));
    assert!(!warn.contains(&"unresolved-module".to_string()), "{warn:?}");
    assert!(warn.contains(&"undefined-name".to_string()), "{warn:?}");

    let (status, errors) = codes(&["--severity", "error"]);
    assert_eq!(status, Some(1));
    assert!(
        !errors.contains(&"undefined-name".to_string()),
        "{errors:?}"
    );
    assert!(errors.contains(&"unknown-member".to_string()), "{errors:?}");

    let (status, same) = codes(&["--exit-zero"]);
    assert_eq!(status, Some(0));
    assert_eq!(same, all);

    // Only the info finding's file: nothing at error severity, exit 0.
    let o = grounded(
        &root,
        &[
            "check",
            "--format",
            "json",
            "--severity",
            "info",
            "shop/__init__.py",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = grounded(&root, &["check", "--severity", "fatal"]);
    assert_eq!(o.status.code(), Some(2));
}

// ---------------------------------------------------------------- explain

#[test]
fn explain_prints_what_a_code_means() {
    let dir = tempfile::tempdir().unwrap();
    let o = grounded(dir.path(), &["explain", "unknown-member"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.starts_with("unknown-member: "), "{out}");
    assert!(out.contains("# grounded: ignore[unknown-member]"), "{out}");
    assert!(out.contains("[tool.grounded.severity]"), "{out}");
    assert!(out.contains("unknown-member = \"warning\""), "{out}");

    let o = grounded(dir.path(), &["explain"]);
    assert_eq!(o.status.code(), Some(0));
    for code in [
        "unresolved-module",
        "unresolved-symbol",
        "unknown-member",
        "undefined-name",
        "removed-api",
    ] {
        assert!(stdout(&o).contains(code), "{}", stdout(&o));
    }

    let o = grounded(dir.path(), &["explain", "unknown-membr"]);
    assert_usage_error(
        &o,
        "unknown finding code `unknown-membr` (known: unresolved-module, unresolved-symbol, \
         unknown-member, undefined-name, removed-api)",
    );
    assert_eq!(stdout(&o), "");
}

// ---------------------------------------------------------------- bad input

#[test]
fn bad_input_exits_two_with_one_line() {
    let ws = baseline_workspace();
    let dir = ws.path();

    let o = grounded(dir, &["check", "--baseline", "missing.json"]);
    assert_usage_error(
        &o,
        "cannot read baseline missing.json: No such file or directory",
    );
    assert_eq!(stdout(&o), "", "nothing is checked");

    write(dir, "corrupt.json", "{\"version\": 1, \"findings\": [");
    let o = grounded(dir, &["check", "--baseline", "corrupt.json"]);
    assert_usage_error(&o, "corrupt.json is not a grounded baseline");

    write(dir, "other.json", "{\"runs\": []}");
    let o = grounded(dir, &["check", "--baseline", "other.json"]);
    assert_usage_error(&o, "other.json is not a grounded baseline");

    let o = grounded(dir, &["check", "--write-baseline", "no/such/dir/b.json"]);
    assert_usage_error(&o, "cannot write baseline no/such/dir/b.json");

    let o = grounded(
        dir,
        &[
            "check",
            "--baseline",
            "a.json",
            "--write-baseline",
            "b.json",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));

    // Not a git repository (the temporary directory is outside any).
    let o = grounded(dir, &["check", "--diff", "HEAD"]);
    assert_usage_error(
        &o,
        &format!(
            "--diff HEAD: {} is not inside a git repository",
            dir.display()
        ),
    );

    let o = grounded(dir, &["check", "nowhere.py", "--diff", "HEAD"]);
    assert_usage_error(&o, "nowhere.py: no such file or directory");
    let o = grounded(dir, &["check", "nowhere/", "--format", "sarif"]);
    assert_usage_error(&o, "nowhere/: no such file or directory");
}
