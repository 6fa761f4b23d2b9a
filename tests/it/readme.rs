//! The README as a new user reads it: its first command, run as written,
//! prints what its sample output shows (paths elided with `…` match any
//! path; the duration may differ).

use std::process::Command;

use crate::ci_support::{has_python, repo_root, stderr, stdout};

/// The fenced blocks of a Markdown text, each as its lines.
fn fenced_blocks(md: &str) -> Vec<Vec<&str>> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in md.lines() {
        if line.starts_with("```") {
            match current.take() {
                Some(b) => blocks.push(b),
                None => current = Some(Vec::new()),
            }
        } else if let Some(b) = current.as_mut() {
            b.push(line);
        }
    }
    blocks
}

/// Whether `line` is `pattern` with each `…` standing for a path (any run
/// of characters without whitespace).
fn matches_elided(pattern: &str, line: &str) -> bool {
    let mut parts = pattern.split('…');
    let first = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    line.strip_prefix(first)
        .is_some_and(|tail| matches_after_gap(&rest, tail))
}

/// Whether `text` is, for each of `parts`, a gap without whitespace and
/// then the part, and nothing after the last.
fn matches_after_gap(parts: &[&str], text: &str) -> bool {
    let Some((part, more)) = parts.split_first() else {
        return text.is_empty();
    };
    (0..=text.len())
        .filter(|&k| text.is_char_boundary(k))
        .take_while(|&k| !text[..k].contains(char::is_whitespace))
        .any(|k| text[k..].starts_with(part) && matches_after_gap(more, &text[k + part.len()..]))
}

/// The summary line without its duration.
fn without_duration(line: &str) -> &str {
    line.rsplit_once(" in ").map_or(line, |(head, _)| head)
}

#[test]
fn the_readmes_first_command_prints_its_sample() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let root = repo_root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let blocks = fenced_blocks(&readme);
    let command = blocks[0]
        .iter()
        .find_map(|l| l.strip_prefix("cargo run --release -- "))
        .expect("the README's first block runs the demo with cargo run");
    let sample = blocks
        .iter()
        .find(|b| b.iter().any(|l| l.starts_with("fixtures/demo/")))
        .expect("the README shows the demo's output");

    let args: Vec<&str> = command.split_whitespace().collect();
    let o = Command::new(env!("CARGO_BIN_EXE_grounded"))
        .args(&args)
        .current_dir(&root)
        .env(
            "GROUNDED_CACHE_DIR",
            std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("grounded-cache"),
        )
        .env_remove("VIRTUAL_ENV")
        .env_remove("CONDA_PREFIX")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let printed: Vec<&str> = out.lines().collect();
    for want in sample {
        if want.starts_with("Found ") {
            let last = printed.last().copied().unwrap_or("");
            assert_eq!(
                without_duration(last),
                without_duration(want),
                "the README's summary differs from the demo's:\n{out}"
            );
        } else {
            assert!(
                printed.iter().any(|got| matches_elided(want, got)),
                "the README shows a line the demo does not print:\n  {want}\nThe demo printed:\n{out}"
            );
        }
    }
}

#[test]
fn elided_paths_match_any_path_and_nothing_else() {
    let pattern = "a.py:1:2: module `json` (…/json/__init__.py) has no member `parse`";
    assert!(matches_elided(
        pattern,
        "a.py:1:2: module `json` (/usr/lib/python3.11/json/__init__.py) has no member `parse`"
    ));
    assert!(!matches_elided(
        pattern,
        "a.py:1:2: module `json` (/usr/lib/python3.11/json/__init__.py) has no member `loads`"
    ));
    assert!(!matches_elided(
        pattern,
        "a.py:1:2: module `json` (a b/json/__init__.py) has no member `parse`"
    ));
    assert!(matches_elided("plain", "plain"));
    assert!(!matches_elided("plain", "plain and more"));
    assert_eq!(
        without_duration("Found 1 problem in 1 file (1 error) in 5 ms."),
        "Found 1 problem in 1 file (1 error)"
    );
}
