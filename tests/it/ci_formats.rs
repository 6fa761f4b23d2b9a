//! `grounded check` output for CI: every format against its snapshot under
//! tests/snapshots/ (`GROUNDED_BLESS=1 cargo test --test it ci_formats` rewrites
//! them), stable order, and SARIF against the official schema and validator.

use crate::ci_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use ci_support::*;

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

// ---------------------------------------------------------------- long lines

/// The second line of `app.py`: 2,000 findings on one 30 KB line.
fn long_line() -> String {
    format!("x = [{}]", "os.path.joinx, ".repeat(2000))
}

/// A workspace whose `app.py` has a short line with a finding, then
/// [`long_line`].
fn long_line_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pyproject.toml", "[project]\nname = \"long\"\n");
    write(
        dir.path(),
        "app.py",
        &format!("import os\n{}\nos.path.existz('a')\n", long_line()),
    );
    dir
}

/// Each finding on a long line carries an excerpt of at most 200
/// characters around it, not the line (2,000 findings on a 30 KB line made
/// 60 MB of SARIF context; 70,000 on a 1 MB line exhausted 24 GB): the
/// context region names the excerpt's columns, its text is the line's text
/// there, the finding lies inside it, and the fix still has its region's
/// text. A short line is still given whole.
#[test]
fn findings_on_a_long_line_carry_bounded_excerpts() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let dir = long_line_workspace();
    let o = grounded(dir.path(), &["check", "--format", "sarif"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2001);
    let line: Vec<char> = long_line().chars().collect();
    let mut fingerprints = std::collections::HashSet::new();
    for r in results {
        let location = &r["locations"][0]["physicalLocation"];
        let region = &location["region"];
        let context = &location["contextRegion"];
        let text = context["snippet"]["text"].as_str().unwrap();
        let at = |v: &serde_json::Value, k: &str| v[k].as_u64().unwrap() as usize;
        if at(region, "startLine") == 3 {
            assert_eq!(text, "os.path.existz('a')");
            assert!(context.get("startColumn").is_none(), "{context}");
            continue;
        }
        assert_eq!(region["snippet"]["text"], "joinx");
        assert_eq!(
            r["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
            "join"
        );
        let (from, to) = (at(context, "startColumn"), at(context, "endColumn"));
        assert_eq!(text.chars().count(), 200, "{context}");
        assert_eq!(to - from, 200);
        let expected: String = line[from - 1..to - 1].iter().collect();
        assert_eq!(text, expected);
        assert!(from <= at(region, "startColumn") && at(region, "endColumn") <= to);
        fingerprints.insert(r["partialFingerprints"]["groundedFingerprint/v1"].to_string());
    }
    assert_eq!(fingerprints.len(), 2000, "one fingerprint per occurrence");
}

// ---------------------------------------------------------------- SARIF schema

/// Where scripts/fetch-sarif-schema.sh puts the official schema and validator.
fn sarif_tools() -> PathBuf {
    repo_root().join(".tools/sarif")
}

fn sarif_outputs() -> Vec<(String, String)> {
    let empty = tempfile::tempdir().unwrap();
    write(empty.path(), "ok.py", "x = 1\n");
    let long = long_line_workspace();
    let mut runs = vec![("empty".to_string(), empty.path().to_path_buf())];
    if has_python() {
        runs.push(("fixtures/ci".into(), repo_root().join("fixtures/ci")));
        runs.push(("fixtures/demo".into(), repo_root().join("fixtures/demo")));
        runs.push(("a long line".into(), long.path().to_path_buf()));
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
