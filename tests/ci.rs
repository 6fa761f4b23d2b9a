//! `grounded check` as CI runs it: every output format (snapshots under
//! tests/snapshots/), SARIF against the official schema, baselines, `--diff`,
//! severity threshold and exit codes, `grounded explain`, bad input.
//!
//! Snapshots: `GROUNDED_BLESS=1 cargo test --test ci` rewrites them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("server/ has a parent")
        .to_path_buf()
}

fn grounded(dir: &Path, args: &[&str]) -> Output {
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

fn write(dir: &Path, name: &str, content: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn has_python() -> bool {
    Command::new("python3").arg("--version").output().is_ok()
}

/// `(line, code)` of each finding of a JSON report.
fn findings(o: &Output) -> Vec<(u64, String)> {
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
fn assert_usage_error(o: &Output, want: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{err}{}", stdout(o));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("grounded: error: "), "{err}");
    assert!(err.contains(want), "wanted {want:?} in {err}");
    assert!(!err.contains("panicked"), "{err}");
}

// ---------------------------------------------------------------- snapshots

/// Replace what depends on the machine: the fixture's absolute path, the
/// interpreter's version, durations, the tool version.
fn normalize(text: &str, root: &Path) -> String {
    let mut s = text.to_string();
    let canonical = std::fs::canonicalize(root).unwrap();
    for r in [canonical.as_path(), root] {
        s = s.replace(&r.display().to_string(), "<ROOT>");
    }
    s = replace_number_after(&s, "Python 3.", "X");
    s = replace_number_after(&s, "\"duration_ms\": ", "0");
    s = replace_number_after(&s, " in ", "N");
    s.replace(env!("CARGO_PKG_VERSION"), "<VERSION>")
}

/// Replace the run of digits right after each `marker` with `with`.
fn replace_number_after(s: &str, marker: &str, with: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(marker) {
        let after = &rest[i + marker.len()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        out.push_str(&rest[..i + marker.len()]);
        if digits > 0 && (marker != " in " || after[digits..].starts_with(" ms")) {
            out.push_str(with);
        } else {
            out.push_str(&after[..digits]);
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

fn check_snapshot(name: &str, actual: &str) {
    let path = repo_root().join("tests/snapshots").join(name);
    if std::env::var_os("GROUNDED_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with GROUNDED_BLESS=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from its snapshot at line {} (GROUNDED_BLESS=1 rewrites it)\n\
             --- expected\n{expected}\n--- actual\n{actual}",
            first + 1
        );
    }
}

#[test]
fn every_format_matches_its_snapshot() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let root = repo_root().join("fixtures/ci");
    for (format, file) in [
        ("text", "ci.txt"),
        ("json", "ci.json"),
        ("sarif", "ci.sarif"),
        ("github", "ci.github"),
        ("gitlab", "ci.gitlab.json"),
    ] {
        let o = grounded(&root, &["check", "--format", format]);
        assert_eq!(o.status.code(), Some(1), "{format}: {}", stderr(&o));
        let mut out = stdout(&o);
        if format == "sarif" {
            let mut v: serde_json::Value = serde_json::from_str(&out).unwrap();
            let base = &mut v["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"];
            assert!(base.as_str().unwrap().starts_with("file:///"), "{base}");
            assert!(base.as_str().unwrap().ends_with("/fixtures/ci/"), "{base}");
            *base = "file://<ROOT>/".into();
            out = serde_json::to_string_pretty(&v).unwrap() + "\n";
        }
        check_snapshot(file, &normalize(&out, &root));
    }
}

#[test]
fn output_is_sorted_by_path_line_column_code() {
    let root = repo_root().join("fixtures/demo");
    let o = grounded(&root, &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let keys: Vec<(String, u64, u64, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(keys.len() > 3, "{keys:?}");
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // The same input gives the same bytes, whatever the thread count.
    let again = grounded(&root, &["check", "--format", "json", "--jobs", "1"]);
    assert_eq!(
        normalize(&stdout(&o), &root),
        normalize(&stdout(&again), &root)
    );
}

// ---------------------------------------------------------------- SARIF schema

/// Where scripts/fetch-sarif-schema.sh puts the official schema and validator.
fn sarif_tools() -> PathBuf {
    repo_root().join(".tools/sarif")
}

fn sarif_outputs() -> Vec<(String, String)> {
    let empty = tempfile::tempdir().unwrap();
    write(empty.path(), "ok.py", "x = 1\n");
    let mut runs = vec![("empty".to_string(), empty.path().to_path_buf())];
    if has_python() {
        runs.push(("fixtures/ci".into(), repo_root().join("fixtures/ci")));
        runs.push(("fixtures/demo".into(), repo_root().join("fixtures/demo")));
    }
    runs.into_iter()
        .map(|(name, dir)| {
            let o = grounded(&dir, &["check", "--format", "sarif"]);
            assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
            (name, stdout(&o))
        })
        .collect()
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let tools = sarif_tools();
    let outputs = sarif_outputs();
    // sarif-2.1.0.json ships with Microsoft's SARIF SDK; rtm.5 is the one
    // GitHub code scanning validates uploads against.
    for schema_file in ["sarif-2.1.0.json", "sarif-2.1.0-rtm.5.json"] {
        let path = tools.join(schema_file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "the SARIF schema {} is missing ({e}): run `bash scripts/fetch-sarif-schema.sh` \
                 (scripts/test.sh does)",
                path.display()
            )
        });
        // rtm.5's pattern for `language` has a stray `]`, a literal in ECMA-262
        // regexes but an error in Rust's: escape it (the same language).
        let text = text.replace(
            r#"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$"#,
            r#"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$"#,
        );
        let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
        let validator = jsonschema::validator_for(&schema)
            .unwrap_or_else(|e| panic!("{schema_file} does not compile: {e}"));
        for (name, sarif) in &outputs {
            let instance: serde_json::Value = serde_json::from_str(sarif).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&instance)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(
                errors.is_empty(),
                "{name} is not valid against {schema_file}:\n{}",
                errors.join("\n")
            );
            // Invalid documents are caught: the validator is really applied.
            let mut broken = instance.clone();
            broken["runs"][0]["tool"]["driver"]
                .as_object_mut()
                .unwrap()
                .remove("name");
            assert!(
                !validator.is_valid(&broken),
                "{schema_file} accepts anything"
            );
        }
    }
}

/// Microsoft's own validator: the schema plus the SARIF rules; any result at
/// level `error` fails.
#[test]
fn sarif_passes_the_sarif_multitool_validator() {
    let exe = sarif_tools().join("multitool/Sarif.Multitool");
    assert!(
        exe.is_file(),
        "{} is missing: run `bash scripts/fetch-sarif-schema.sh` (scripts/test.sh does)",
        exe.display()
    );
    let dir = tempfile::tempdir().unwrap();
    for (i, (name, sarif)) in sarif_outputs().iter().enumerate() {
        let input = dir.path().join(format!("in{i}.sarif"));
        let output = dir.path().join(format!("out{i}.sarif"));
        std::fs::write(&input, sarif).unwrap();
        let o = Command::new(&exe)
            .arg("validate")
            .arg(&input)
            .arg("-o")
            .arg(&output)
            .args(["--log", "ForceOverwrite"])
            // The self-contained .NET binary then needs no ICU library.
            .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
            .output()
            .expect("Sarif.Multitool runs");
        let report: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&output).unwrap_or_else(|e| {
                panic!("no validation log ({e}): {}{}", stdout(&o), stderr(&o))
            }))
            .unwrap();
        let results = report["runs"][0]["results"].as_array().cloned();
        let errors: Vec<String> = results
            .unwrap_or_default()
            .iter()
            .filter(|r| r["level"] == "error")
            .map(|r| r.to_string())
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stdout(&o));
    }
}

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
    ] {
        assert!(stdout(&o).contains(code), "{}", stdout(&o));
    }

    let o = grounded(dir.path(), &["explain", "unknown-membr"]);
    assert_usage_error(
        &o,
        "unknown finding code `unknown-membr` (known: unresolved-module, unresolved-symbol, \
         unknown-member, undefined-name)",
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
    assert_usage_error(&o, "--diff needs a git repository");

    let o = grounded(dir, &["check", "nowhere.py", "--diff", "HEAD"]);
    assert_usage_error(&o, "nowhere.py: no such file or directory");
    let o = grounded(dir, &["check", "nowhere/", "--format", "sarif"]);
    assert_usage_error(&o, "nowhere/: no such file or directory");
}
