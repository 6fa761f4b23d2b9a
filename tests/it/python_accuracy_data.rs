//! The labelled set of the Python accuracy bench
//! (`scripts/bench_python_accuracy.py`, README "Benchmark"): the data file
//! parses, every case is one the oracle can read, and there are at least
//! 300 of them with both labels in every kind. No venv, no network: the
//! bench itself (oracle, pyright, mypy) is run by hand.

use std::process::{Command, Output};

use crate::ci_support::{has_python, repo_root, stderr, stdout};

fn validate(data: Option<&std::path::Path>) -> Output {
    let mut cmd = Command::new("python3");
    cmd.arg(repo_root().join("scripts/bench_python_accuracy.py"))
        .arg("--validate");
    if let Some(d) = data {
        cmd.arg("--data").arg(d);
    }
    cmd.output().expect("python3 runs")
}

/// `(cases, valid, invented)` from the summary line
/// `cases: N cases (V valid, I invented) in K kinds, G groups`.
fn counts(line: &str) -> (usize, usize, usize) {
    let nums: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    (nums[0], nums[1], nums[2])
}

#[test]
fn the_labelled_set_parses_with_300_cases_and_both_labels() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let o = validate(None);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    let line = out
        .lines()
        .find(|l| l.starts_with("cases: "))
        .expect("a summary line");
    let (cases, valid, invented) = counts(line);
    assert!(cases >= 300, "{line}");
    assert_eq!(cases, valid + invented, "{line}");
    assert!(valid >= cases / 4 && invented >= cases / 4, "{line}");
}

#[test]
fn a_set_the_oracle_cannot_read_is_refused() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("cases.txt");
    std::fs::write(
        &data,
        "[numpy] instance-member\nimport numpy as np\nvalid    n = np.arange(3).tolist()\ninvented m = np.nope\n",
    )
    .unwrap();
    let o = validate(Some(&data));
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("only 2 cases (at least 300)"), "{err}");
    assert!(err.contains("line 3: the oracle cannot read it"), "{err}");
    assert!(err.contains("kind submodule has no invented case"), "{err}");
}
