//! The Rust accuracy benchmark's labelled set (`bench/rust_accuracy/cases.txt`, run by
//! `scripts/bench_rust_accuracy.py`, which proves each label with `cargo check`): checked
//! here without network or cargo, so that an edit that breaks its format, unbalances it
//! or unpins a crate fails the suite rather than the next benchmark run.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The kinds of use issue 18 asks the set to cover.
const KINDS: &[&str] = &[
    "module-path",
    "import",
    "type-path",
    "assoc-fn",
    "variant",
    "method-chain",
    "trait-method",
    "macro",
    "derive",
    "turbofish",
    "field",
    "qualified",
];

#[derive(Debug)]
struct Case {
    line: usize,
    label: String,
    kind: String,
    context: String,
    /// Module-level lines before the judged one, then the judged line.
    lines: Vec<String>,
}

/// The format the bench script reads (its header describes it): `//# LABEL KIND [CONTEXT]`,
/// then the case's lines, the last one judged; other `//` lines and blank lines are comments.
fn parse(text: &str) -> Result<Vec<Case>, String> {
    let mut cases: Vec<Case> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if let Some(header) = line.strip_prefix("//#") {
            let words: Vec<&str> = header.split_whitespace().collect();
            if !(2..=3).contains(&words.len()) {
                return Err(format!("line {n}: bad header {line:?}"));
            }
            if !["valid", "invented"].contains(&words[0]) {
                return Err(format!("line {n}: bad label {:?}", words[0]));
            }
            let context = words.get(2).copied().unwrap_or("fn");
            if !["fn", "async", "item"].contains(&context) {
                return Err(format!("line {n}: bad context {context:?}"));
            }
            if let Some(last) = cases.last().filter(|c| c.lines.is_empty()) {
                return Err(format!("line {}: case without a line", last.line));
            }
            cases.push(Case {
                line: n,
                label: words[0].to_string(),
                kind: words[1].to_string(),
                context: context.to_string(),
                lines: Vec::new(),
            });
        } else if line.trim().is_empty() || line.starts_with("//") {
            continue;
        } else {
            match cases.last_mut() {
                Some(case) => case.lines.push(line.to_string()),
                None => return Err(format!("line {n}: a line outside a case")),
            }
        }
    }
    if let Some(last) = cases.last().filter(|c| c.lines.is_empty()) {
        return Err(format!("line {}: case without a line", last.line));
    }
    Ok(cases)
}

fn data_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("bench/rust_accuracy")
}

#[test]
fn the_set_parses_with_enough_cases_of_both_labels_in_every_kind() {
    let text = std::fs::read_to_string(data_dir().join("cases.txt")).unwrap();
    let cases = parse(&text).unwrap_or_else(|e| panic!("cases.txt: {e}"));
    assert!(
        cases.len() >= 150,
        "{} cases, at least 150 wanted",
        cases.len()
    );

    let mut per_kind: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for c in &cases {
        assert!(
            KINDS.contains(&c.kind.as_str()),
            "line {}: unknown kind {:?}",
            c.line,
            c.kind
        );
        let entry = per_kind.entry(c.kind.as_str()).or_default();
        if c.label == "valid" {
            entry.0 += 1;
        } else {
            entry.1 += 1;
        }
        // A context is module-level code (`use` items and the like), never a second use.
        if c.context != "item" {
            for l in &c.lines[..c.lines.len() - 1] {
                assert!(l.starts_with("use "), "line {}: context {l:?}", c.line);
            }
        }
        assert!(
            seen.insert(c.lines.clone()),
            "line {}: the same case twice",
            c.line
        );
    }
    for kind in KINDS {
        let (valid, invented) = per_kind.get(kind).copied().unwrap_or_default();
        assert!(
            valid > 0 && invented > 0,
            "kind {kind}: {valid} valid, {invented} invented"
        );
    }
    let valid = cases.iter().filter(|c| c.label == "valid").count();
    let invented = cases.len() - valid;
    assert!(
        valid * 10 >= cases.len() * 4 && invented * 10 >= cases.len() * 4,
        "about half and half wanted: {valid} valid, {invented} invented"
    );
}

#[test]
fn the_parser_refuses_what_the_bench_script_refuses() {
    assert!(parse("//# valid method-chain\nlet _ = 1;\n").is_ok());
    assert!(parse("//# maybe method-chain\nlet _ = 1;\n").is_err());
    assert!(parse("//# valid method-chain sometimes\nlet _ = 1;\n").is_err());
    assert!(parse("let _ = 1;\n").is_err());
    assert!(parse("//# valid macro\n//# invented macro\nlet _ = 1;\n").is_err());
    assert!(parse("//# valid macro\n").is_err());
}

/// The labels are about these versions' APIs: every dependency pinned with `=`, and the
/// lock file of the graph committed next to the manifest.
#[test]
fn the_bench_crate_pins_its_dependencies() {
    let manifest = std::fs::read_to_string(data_dir().join("Cargo.toml.in")).unwrap();
    let lock = std::fs::read_to_string(data_dir().join("Cargo.lock")).unwrap();
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .expect("a [dependencies] table")
        .split("\n[")
        .next()
        .unwrap();
    let mut count = 0;
    for line in deps
        .lines()
        .filter(|l| l.contains('=') && !l.starts_with('#'))
    {
        let name = line.split('=').next().unwrap().trim();
        let version = line
            .split("version = \"")
            .nth(1)
            .or_else(|| line.split("= \"").nth(1))
            .and_then(|v| v.split('"').next())
            .unwrap_or_else(|| panic!("no version in {line:?}"));
        let exact = version
            .strip_prefix('=')
            .unwrap_or_else(|| panic!("{name} is not pinned: {version:?}"));
        assert!(
            lock.contains(&format!("name = \"{name}\"\nversion = \"{exact}\"")),
            "{name} {exact} is not what Cargo.lock holds"
        );
        count += 1;
    }
    assert!(count >= 8, "{count} dependencies");
}
