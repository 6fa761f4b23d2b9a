//! Real crates from crates.io (serde_json, regex, anyhow, clap, and tokio,
//! chrono, rand, whose items are behind item macros and `cfg`): a scratch
//! project depending on them is created and fetched by cargo; files of
//! valid uses of their APIs must give no findings, and files of near-miss
//! hallucinations must give exactly the findings their `// expect:`
//! comments name — once with std known from rust-src and once from the
//! rustdoc search index alone, with the same findings.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// How std is known to the check.
#[derive(Debug, Clone, Copy, PartialEq)]
enum StdSource {
    /// rust-src installed (with the search index beside it).
    WithRustSrc,
    /// The rustdoc search index alone: rust-src hidden (`GROUNDED_RUST_STD=index`).
    IndexOnly,
}

/// The library sources of the toolchain the check runs (`$RUSTC`, as
/// Grounded finds it), when rust-src is installed.
fn rust_src_installed() -> bool {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let Ok(out) = Command::new(rustc).args(["--print", "sysroot"]).output() else {
        return false;
    };
    let sysroot = String::from_utf8_lossy(&out.stdout).trim().to_string();
    Path::new(&sysroot)
        .join("lib/rustlib/src/rust/library/core/src/lib.rs")
        .is_file()
}

#[test]
fn real_crates_valid_and_hallucinated_uses() {
    let Some(index_only) = real_crates_findings(StdSource::IndexOnly) else {
        return;
    };
    if !rust_src_installed() {
        // scripts/test.sh installs it (`rustup component add rust-src`).
        if std::env::var_os("CI").is_some() {
            panic!("rust-src is not installed: run `rustup component add rust-src`");
        }
        eprintln!("SKIP (with rust-src): rust-src is not installed");
        return;
    }
    let with_src = real_crates_findings(StdSource::WithRustSrc).expect("fetched above");
    assert_eq!(
        with_src, index_only,
        "rust-src must give the same findings as the search index alone"
    );
}

/// Check the scratch project with std known as `std`: every expectation
/// met, nothing else reported. The findings, or None when the crates cannot
/// be fetched (no network, outside CI).
fn real_crates_findings(std: StdSource) -> Option<BTreeMap<(String, u64), Vec<String>>> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let sources = repo.join("tests/real_crates");
    let project = Path::new(env!("CARGO_TARGET_TMPDIR")).join("real-crates");
    std::fs::create_dir_all(project.join("src")).unwrap();
    std::fs::copy(sources.join("Cargo.toml.in"), project.join("Cargo.toml")).unwrap();
    for f in FILES {
        std::fs::copy(sources.join(f), project.join("src").join(f)).unwrap();
    }
    let mods: String = FILES
        .iter()
        .map(|f| format!("pub mod {};\n", f.trim_end_matches(".rs")))
        .collect();
    std::fs::write(project.join("src/lib.rs"), mods).unwrap();
    let fetched = Command::new("cargo")
        .arg("fetch")
        .current_dir(&project)
        .output();
    let ok = fetched.as_ref().is_ok_and(|o| o.status.success());
    if !ok {
        let why = match &fetched {
            Ok(o) => String::from_utf8_lossy(&o.stderr).into_owned(),
            Err(e) => e.to_string(),
        };
        if std::env::var_os("CI").is_some() {
            panic!("cargo fetch failed in CI: {why}");
        }
        eprintln!("SKIP: cargo fetch failed (no network?): {why}");
        return None;
    }
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_grounded"));
    cmd.args(["check", "--format", "json", "src"])
        .current_dir(&project)
        .env("GROUNDED_CACHE_DIR", project.join(format!("cache-{std:?}")));
    match std {
        StdSource::IndexOnly => cmd.env("GROUNDED_RUST_STD", "index"),
        StdSource::WithRustSrc => cmd.env_remove("GROUNDED_RUST_STD"),
    };
    let out = cmd.output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    let mut actual: BTreeMap<(String, u64), Vec<String>> = BTreeMap::new();
    for d in report["diagnostics"].as_array().unwrap() {
        let path = d["path"]
            .as_str()
            .unwrap()
            .trim_start_matches("src/")
            .to_string();
        actual
            .entry((path, d["line"].as_u64().unwrap()))
            .or_default()
            .push(format!(
                "{}: {}",
                d["code"].as_str().unwrap(),
                d["message"].as_str().unwrap()
            ));
    }
    let mut expected: BTreeMap<(String, u64), String> = BTreeMap::new();
    for f in FILES {
        let text = std::fs::read_to_string(sources.join(f)).unwrap();
        for (i, line) in text.lines().enumerate() {
            if let Some(pos) = line.find("// expect:") {
                let code = line[pos + "// expect:".len()..].trim().to_string();
                expected.insert((f.to_string(), i as u64 + 1), code);
            }
        }
    }
    assert!(!expected.is_empty());
    let mut problems = Vec::new();
    for (key, code) in &expected {
        match actual.get(key) {
            Some(found) if found.len() == 1 && found[0].starts_with(&format!("{code}:")) => {}
            other => problems.push(format!(
                "{}:{}: expected {code}, got {other:?}",
                key.0, key.1
            )),
        }
    }
    for (key, found) in &actual {
        if !expected.contains_key(key) {
            problems.push(format!("{}:{}: unexpected {found:?}", key.0, key.1));
        }
    }
    assert!(problems.is_empty(), "std {std:?}:\n{}", problems.join("\n"));
    Some(actual)
}

/// The files of `tests/real_crates/` checked as modules of one crate.
const FILES: [&str; 6] = [
    "valid.rs",
    "hallucinated.rs",
    "receivers_valid.rs",
    "receivers_hallucinated.rs",
    "macros_valid.rs",
    "macros_hallucinated.rs",
];

/// Grounded's own sources (a real crate with real dependencies: tokio,
/// tower-lsp-server, tree-sitter, serde, dashmap…) compile, so every finding
/// in them would be a false positive.
#[test]
fn grounded_checks_its_own_sources_clean() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_grounded"))
        .args(["check", "--format", "json", "server/src", "tests"])
        .current_dir(repo)
        .env(
            "GROUNDED_CACHE_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("self-check-cache"),
        )
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    let found: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        // tests/real_crates holds the deliberate near misses of the test
        // above (a scratch project's sources, compiled only there).
        .filter(|d| {
            d["path"]
                .as_str()
                .is_some_and(|p| p.ends_with(".rs") && !p.contains("tests/real_crates/"))
        })
        .map(|d| format!("{}:{}: {}", d["path"], d["line"], d["message"]))
        .collect();
    assert!(found.is_empty(), "{}", found.join("\n"));
}
