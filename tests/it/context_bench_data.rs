//! The labelled set of the API-context hit-rate benchmark
//! (`scripts/bench_context_hits.py`, bench/context/): it parses, has the
//! size issue 19 asks for, and passes the script's own shape and task rules
//! (no network: the meant APIs' existence is checked by the bench itself).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The cases of `bench/context/<lang>.jsonl`, each checked for its fields.
fn cases(lang: &str, imports: &str) -> Vec<Value> {
    let path = root().join(format!("bench/context/{lang}.jsonl"));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut ids = BTreeSet::new();
    let mut out = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let case: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), n + 1));
        for key in ["id", "task", "twin", "invented"] {
            assert!(
                case[key].as_str().is_some_and(|s| !s.is_empty()),
                "{lang} line {}: no {key}",
                n + 1
            );
        }
        for key in [imports, "meant"] {
            let list = case[key]
                .as_array()
                .unwrap_or_else(|| panic!("{lang} line {}: no {key}", n + 1));
            assert!(!list.is_empty() && list.iter().all(|v| v.is_string()));
        }
        assert!(
            ids.insert(case["id"].as_str().unwrap().to_string()),
            "id twice: {}",
            case["id"]
        );
        out.push(case);
    }
    out
}

fn first_segments(cases: &[Value], sep: &str) -> BTreeSet<String> {
    cases
        .iter()
        .flat_map(|c| c["meant"].as_array().unwrap().clone())
        .map(|m| m.as_str().unwrap().split(sep).next().unwrap().to_string())
        .collect()
}

#[test]
fn python_set_has_200_cases_over_many_modules() {
    let cases = cases("python", "imports");
    assert!(cases.len() >= 200, "{} Python cases", cases.len());
    let modules = first_segments(&cases, ".");
    for wanted in [
        "os", "json", "str", "list", "dict", "requests", "numpy", "yaml",
    ] {
        assert!(modules.contains(wanted), "no case for {wanted}");
    }
    assert!(modules.len() >= 40, "{} top-level modules", modules.len());
}

#[test]
fn rust_set_has_50_cases_over_eight_crates() {
    let cases = cases("rust", "uses");
    assert!(cases.len() >= 50, "{} Rust cases", cases.len());
    let crates: BTreeSet<String> = first_segments(&cases, "::")
        .into_iter()
        .filter(|c| !["std", "core", "alloc"].contains(&c.as_str()))
        .filter(|c| !c.chars().next().unwrap().is_ascii_digit() && !is_primitive(c))
        .collect();
    assert!(crates.len() >= 8, "crates: {crates:?}");
    assert!(first_segments(&cases, "::").contains("std"));
}

fn is_primitive(name: &str) -> bool {
    matches!(
        name,
        "str"
            | "char"
            | "bool"
            | "f32"
            | "f64"
            | "i8"
            | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
    )
}

/// The bench's own rules (a task never spells the API; the twin holds the
/// invented name): `--check-data` runs them without a venv or cargo.
#[test]
fn bench_accepts_its_data() {
    let out = Command::new("python3")
        .arg(root().join("scripts/bench_context_hits.py"))
        .arg("--check-data")
        .output()
        .expect("python3");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("well formed"), "{stdout}");
}

/// A task naming its API is refused, with the case named.
#[test]
fn bench_refuses_a_task_that_names_its_api() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("bench/context");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::create_dir_all(dir.path().join("scripts")).unwrap();
    std::fs::copy(
        root().join("scripts/bench_context_hits.py"),
        dir.path().join("scripts/bench_context_hits.py"),
    )
    .unwrap();
    std::fs::write(
        data.join("python.jsonl"),
        r#"{"id": "bad-01", "imports": ["import os"], "task": "call makedirs on the output folder", "meant": ["os.makedirs"], "twin": "os.make_dirs('a')", "invented": "os.make_dirs"}"#,
    )
    .unwrap();
    std::fs::write(data.join("rust.jsonl"), "").unwrap();
    let out = Command::new("python3")
        .arg(dir.path().join("scripts/bench_context_hits.py"))
        .arg("--check-data")
        .output()
        .expect("python3");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("bad-01") && stderr.contains("names the API"),
        "{stderr}"
    );
}
