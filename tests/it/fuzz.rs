//! The attack drivers of `scripts/fuzz.py`, each for a few seconds with a
//! fixed seed, so they cannot rot: a long run is `scripts/fuzz.py all
//! --seconds 600`.

use std::process::Command;

use crate::ci_support::{has_python, repo_root};

fn fuzz(driver: &str, seconds: u32) {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let o = Command::new("python3")
        .arg(repo_root().join("scripts/fuzz.py"))
        .args([driver, "--seconds", &seconds.to_string(), "--seed", "7"])
        .env("GROUNDED", env!("CARGO_BIN_EXE_grounded"))
        .output()
        .expect("python3 runs");
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{out}{err}");
    assert!(out.starts_with(&format!("{driver}: ")), "{out}{err}");
}

#[test]
fn random_incremental_edits_agree_with_a_fresh_open() {
    fuzz("edits", 8);
}

#[test]
fn random_deep_nesting_never_crashes() {
    fuzz("nesting", 8);
}

#[test]
fn malformed_frames_never_stop_the_language_server() {
    fuzz("framing", 6);
}

#[test]
fn fifos_devices_and_links_out_of_the_root_never_hang_or_leak() {
    fuzz("files", 8);
}

#[test]
fn bit_flips_in_the_facts_cache_never_change_the_findings() {
    fuzz("cache", 6);
}
