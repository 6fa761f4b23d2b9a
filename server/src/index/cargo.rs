//! The Cargo workspace: its member crates and their dependency graph, each
//! crate under the name code uses for it (renames applied), with its source
//! root and enabled features.
//!
//! Sources, in order: `cargo metadata --offline` (fast when sources are
//! cached), `cargo metadata` online, then the manifests alone (workspace
//! members and dependency names, no dependency sources). No cargo at all:
//! the workspace's own crates only, and nothing is reported about external
//! crates.
//!
//! An untrusted workspace gets the manifests alone: cargo is never run for
//! it, since cargo obeys the workspace's `.cargo/config.toml` (`build.rustc`,
//! `build.rustc-wrapper`: `cargo metadata` runs them to learn the target)
//! and the rustup proxy its `rust-toolchain.toml` (`path = …` names any
//! `bin/cargo`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

pub type CrateId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    Lib,
    ProcMacro,
    Bin,
    Test,
    Example,
    Bench,
    BuildScript,
}

#[derive(Debug, Clone)]
pub struct CrateInfo {
    /// The crate's own name (`serde_json`), as `crate::` refers to it.
    pub name: String,
    pub package: String,
    pub version: String,
    pub kind: TargetKind,
    pub root_file: PathBuf,
    pub edition: String,
    pub features: BTreeSet<String>,
    /// Dependencies by the name code uses → crate.
    pub deps: BTreeMap<String, CrateId>,
    /// Dependencies whose sources are unknown (manifest-only mode): names
    /// that exist but whose contents are not known.
    pub opaque_deps: BTreeSet<String>,
    pub workspace: bool,
}

#[derive(Debug, Clone, Default)]
pub struct CargoWorkspace {
    pub root: PathBuf,
    pub crates: Vec<CrateInfo>,
    /// Whether the dependency graph is known (cargo ran): if not, a name
    /// that is not a dependency may still be one.
    pub graph_known: bool,
    pub notes: Vec<String>,
}

impl CargoWorkspace {
    /// Load the workspace around `dir` (the nearest `Cargo.toml` upwards);
    /// untrusted, from its manifests alone.
    pub fn load(dir: &Path, trusted: bool) -> Option<CargoWorkspace> {
        let manifest = find_manifest(dir)?;
        let root = manifest.parent()?.to_path_buf();
        if !trusted {
            let mut ws = from_manifests(&root, &manifest);
            ws.notes.push(UNTRUSTED_NOTE.to_string());
            return Some(ws);
        }
        let mut notes = Vec::new();
        // Cargo (and rustup before it) would block for good reading a FIFO:
        // its configuration is looked up from the current directory, the
        // lock file beside the manifest.
        let cwd = std::env::current_dir().unwrap_or_default();
        let special = crate::regular_file::special_file_above(&root, CARGO_READS)
            .or_else(|| crate::regular_file::special_file_above(&cwd, CARGO_READS))
            .or_else(|| crate::regular_file::special_file(&root.join("Cargo.lock")));
        if let Some(what) = &special {
            notes.push(format!("cargo metadata not run: {what}"));
        }
        for offline in [true, false] {
            if special.is_some() {
                break;
            }
            match run_metadata(&manifest, offline) {
                Ok(json) => match from_metadata(&root, &json) {
                    Ok(ws) => return Some(ws),
                    Err(e) => notes.push(format!("cargo metadata: {e}")),
                },
                Err(e) => {
                    let stuck = e.contains(STUCK);
                    notes.push(e);
                    // Offline it was stuck on something local: online would be too.
                    if stuck {
                        break;
                    }
                }
            }
        }
        let mut ws = from_manifests(&root, &manifest);
        notes.push(
            "cargo metadata failed: dependencies are known by name only, their contents are not checked"
                .to_string(),
        );
        ws.notes = notes;
        Some(ws)
    }

    /// The workspace crates whose sources hold `file`, best first: the
    /// target whose root directory is the deepest one holding the file; a
    /// library before a binary.
    pub fn crates_for_file(&self, file: &Path) -> Vec<CrateId> {
        let mut found: Vec<(usize, usize, CrateId)> = Vec::new();
        for (id, c) in self.crates.iter().enumerate() {
            if !c.workspace {
                continue;
            }
            if c.root_file == file {
                found.push((usize::MAX, 0, id));
                continue;
            }
            let Some(dir) = c.root_file.parent() else {
                continue;
            };
            if file.starts_with(dir) {
                let rank = match c.kind {
                    TargetKind::Lib | TargetKind::ProcMacro => 0,
                    TargetKind::Bin => 1,
                    _ => 2,
                };
                found.push((dir.components().count(), usize::MAX - rank, id));
            }
        }
        found.sort_by(|a, b| b.cmp(a));
        found.into_iter().map(|(_, _, id)| id).collect()
    }
}

/// What an untrusted workspace's Rust results lack, and why.
pub const UNTRUSTED_NOTE: &str = "untrusted workspace: cargo metadata was not run (cargo and the \
rustc it starts obey the workspace's .cargo/config.toml and rust-toolchain.toml): dependencies \
are known by name only, from the manifests; their contents are not checked";

fn find_manifest(dir: &Path) -> Option<PathBuf> {
    // The outermost Cargo.toml with [workspace] wins; else the nearest one.
    let mut nearest = None;
    let mut current = Some(dir);
    while let Some(d) = current {
        let m = d.join("Cargo.toml");
        if m.is_file() {
            if nearest.is_none() {
                nearest = Some(m.clone());
            }
            if crate::regular_file::read_to_string(&m).is_ok_and(|t| t.contains("[workspace]")) {
                return Some(m);
            }
        }
        current = d.parent();
    }
    nearest
}

/// What cargo reads besides the manifests and the lock file, in a directory
/// and those above it (rustup's toolchain file, cargo's configuration).
const CARGO_READS: &[&str] = &[
    "rust-toolchain",
    "rust-toolchain.toml",
    ".cargo/config",
    ".cargo/config.toml",
];

/// In the error of a `cargo metadata` that was killed.
const STUCK: &str = "did not finish within";

fn run_metadata(manifest: &Path, offline: bool) -> Result<Value, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["metadata", "--format-version", "1"]);
    if offline {
        cmd.arg("--offline");
    }
    cmd.arg("--manifest-path").arg(manifest);
    // Offline it reads local files only; online it may fetch the index.
    let limit = Duration::from_secs(if offline { 60 } else { 300 });
    let out = crate::run_bounded::output_within(&mut cmd, limit).map_err(|e| {
        format!(
            "cargo metadata{}: {e}",
            if offline { " --offline" } else { "" }
        )
    })?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let line = err
            .lines()
            .find(|l| l.starts_with("error"))
            .unwrap_or_else(|| err.lines().next().unwrap_or(""));
        return Err(format!(
            "cargo metadata{} failed: {line}",
            if offline { " --offline" } else { "" }
        ));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata: bad JSON ({e})"))
}

fn target_kind(kinds: &[Value]) -> Option<TargetKind> {
    let has = |k: &str| kinds.iter().any(|v| v.as_str() == Some(k));
    if has("proc-macro") {
        Some(TargetKind::ProcMacro)
    } else if has("lib") || has("rlib") || has("dylib") || has("staticlib") || has("cdylib") {
        Some(TargetKind::Lib)
    } else if has("bin") {
        Some(TargetKind::Bin)
    } else if has("test") {
        Some(TargetKind::Test)
    } else if has("example") {
        Some(TargetKind::Example)
    } else if has("bench") {
        Some(TargetKind::Bench)
    } else if has("custom-build") {
        Some(TargetKind::BuildScript)
    } else {
        None
    }
}

/// Build the workspace from `cargo metadata` JSON.
pub fn from_metadata(root: &Path, json: &Value) -> Result<CargoWorkspace, String> {
    let packages = json["packages"]
        .as_array()
        .ok_or("no `packages` in cargo metadata")?;
    let members: BTreeSet<&str> = json["workspace_members"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut crates = Vec::new();
    // package id → (lib crate, all crates of the package)
    let mut lib_of: HashMap<String, CrateId> = HashMap::new();
    let mut crates_of: HashMap<String, Vec<CrateId>> = HashMap::new();
    for p in packages {
        let id = p["id"].as_str().unwrap_or("").to_string();
        let workspace = members.contains(id.as_str());
        for t in p["targets"].as_array().into_iter().flatten() {
            let Some(kind) = t["kind"].as_array().and_then(|k| target_kind(k)) else {
                continue;
            };
            // Dependencies matter only through their library.
            if !workspace && !matches!(kind, TargetKind::Lib | TargetKind::ProcMacro) {
                continue;
            }
            if kind == TargetKind::BuildScript {
                continue;
            }
            let Some(src) = t["src_path"].as_str() else {
                continue;
            };
            let cid = crates.len();
            crates.push(CrateInfo {
                name: t["name"].as_str().unwrap_or("").replace('-', "_"),
                package: p["name"].as_str().unwrap_or("").to_string(),
                version: p["version"].as_str().unwrap_or("").to_string(),
                kind,
                root_file: PathBuf::from(src),
                edition: t["edition"]
                    .as_str()
                    .or(p["edition"].as_str())
                    .unwrap_or("2015")
                    .to_string(),
                features: BTreeSet::new(),
                deps: BTreeMap::new(),
                opaque_deps: BTreeSet::new(),
                workspace,
            });
            if matches!(kind, TargetKind::Lib | TargetKind::ProcMacro) {
                lib_of.insert(id.clone(), cid);
            }
            crates_of.entry(id.clone()).or_default().push(cid);
        }
    }
    let nodes = json["resolve"]["nodes"].as_array();
    for node in nodes.into_iter().flatten() {
        let id = node["id"].as_str().unwrap_or("");
        let Some(own) = crates_of.get(id) else {
            continue;
        };
        let features: BTreeSet<String> = node["features"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|f| f.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let mut deps: Vec<(String, CrateId, bool)> = Vec::new();
        for d in node["deps"].as_array().into_iter().flatten() {
            let Some(name) = d["name"].as_str() else {
                continue;
            };
            let Some(&dep) = d["pkg"].as_str().and_then(|p| lib_of.get(p)) else {
                continue;
            };
            // Dev-dependencies are visible to tests, examples and benches only.
            let kinds = d["dep_kinds"].as_array();
            let normal = kinds.is_none_or(|ks| {
                ks.iter()
                    .any(|k| k["kind"].is_null() || k["kind"].as_str() == Some("build"))
            });
            deps.push((name.replace('-', "_"), dep, normal));
        }
        let lib = lib_of.get(id).copied();
        for &cid in own {
            let c = &mut crates[cid];
            c.features = features.clone();
            let dev_visible = matches!(
                c.kind,
                TargetKind::Test | TargetKind::Example | TargetKind::Bench
            );
            for (name, dep, normal) in &deps {
                if *normal || dev_visible || c.workspace {
                    c.deps.insert(name.clone(), *dep);
                }
            }
            // A package's binaries, tests and examples see its library.
            if let Some(lib) = lib {
                if lib != cid {
                    let lib_name = crates[lib].name.clone();
                    crates[cid].deps.insert(lib_name, lib);
                }
            }
        }
    }
    Ok(CargoWorkspace {
        root: root.to_path_buf(),
        crates,
        graph_known: true,
        notes: Vec::new(),
    })
}

/// The manifests alone: the workspace's packages and the names of their
/// dependencies (whose sources stay unknown).
fn from_manifests(root: &Path, manifest: &Path) -> CargoWorkspace {
    let mut crates = Vec::new();
    let mut manifests = vec![manifest.to_path_buf()];
    if let Some(members) = read_toml(manifest)
        .as_ref()
        .and_then(|t| t.get("workspace"))
        .and_then(|w| w.get("members"))
        .and_then(|m| m.as_array())
    {
        for m in members.iter().filter_map(|m| m.as_str()) {
            if m.contains('*') {
                let base = root.join(m.trim_end_matches("/*").trim_end_matches('*'));
                if let Ok(rd) = std::fs::read_dir(base) {
                    for e in rd.flatten() {
                        manifests.push(e.path().join("Cargo.toml"));
                    }
                }
            } else {
                manifests.push(root.join(m).join("Cargo.toml"));
            }
        }
    }
    for m in manifests {
        let Some(toml) = read_toml(&m) else { continue };
        let Some(package) = toml.get("package") else {
            continue;
        };
        let dir = m.parent().unwrap_or(root);
        let pkg = package
            .get("name")
            .and_then(|n| n.as_str())
            .unwrap_or("")
            .to_string();
        let edition = package
            .get("edition")
            .and_then(|e| e.as_str())
            .unwrap_or("2015")
            .to_string();
        let mut opaque = BTreeSet::new();
        for section in ["dependencies", "dev-dependencies", "build-dependencies"] {
            if let Some(deps) = toml.get(section).and_then(|d| d.as_table()) {
                for name in deps.keys() {
                    opaque.insert(name.replace('-', "_"));
                }
            }
        }
        let lib_path = toml
            .get("lib")
            .and_then(|l| l.get("path"))
            .and_then(|p| p.as_str())
            .map(|p| dir.join(p))
            .unwrap_or_else(|| dir.join("src/lib.rs"));
        let lib_name = toml
            .get("lib")
            .and_then(|l| l.get("name"))
            .and_then(|n| n.as_str())
            .unwrap_or(&pkg)
            .replace('-', "_");
        let mut targets = Vec::new();
        if lib_path.is_file() {
            targets.push((lib_name.clone(), TargetKind::Lib, lib_path));
        }
        if dir.join("src/main.rs").is_file() {
            targets.push((
                pkg.replace('-', "_"),
                TargetKind::Bin,
                dir.join("src/main.rs"),
            ));
        }
        let first = crates.len();
        for (name, kind, root_file) in targets {
            crates.push(CrateInfo {
                name,
                package: pkg.clone(),
                version: String::new(),
                kind,
                root_file,
                edition: edition.clone(),
                features: BTreeSet::new(),
                deps: BTreeMap::new(),
                opaque_deps: opaque.clone(),
                workspace: true,
            });
        }
        if crates.len() > first + 1 && crates[first].kind == TargetKind::Lib {
            for c in &mut crates[first + 1..] {
                c.deps.insert(lib_name.clone(), first);
            }
        }
    }
    CargoWorkspace {
        root: root.to_path_buf(),
        crates,
        graph_known: false,
        notes: Vec::new(),
    }
}

fn read_toml(path: &Path) -> Option<toml::Value> {
    let text = crate::regular_file::read_to_string(path).ok()?;
    text.parse::<toml::Value>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn metadata_gives_crates_under_the_names_code_uses() {
        let meta = json!({
            "packages": [
                {"id": "app 0.1.0", "name": "app", "version": "0.1.0", "edition": "2021",
                 "targets": [
                    {"kind": ["lib"], "name": "app", "src_path": "/ws/src/lib.rs", "edition": "2021"},
                    {"kind": ["bin"], "name": "app-cli", "src_path": "/ws/src/main.rs", "edition": "2021"},
                    {"kind": ["test"], "name": "it", "src_path": "/ws/tests/it.rs", "edition": "2021"},
                    {"kind": ["custom-build"], "name": "build-script-build", "src_path": "/ws/build.rs"}]},
                {"id": "serde_json 1.0.0", "name": "serde_json", "version": "1.0.0", "edition": "2021",
                 "targets": [{"kind": ["lib"], "name": "serde_json", "src_path": "/reg/serde_json/src/lib.rs"},
                             {"kind": ["test"], "name": "t", "src_path": "/reg/serde_json/tests/t.rs"}]},
                {"id": "tempfile 3.0.0", "name": "tempfile", "version": "3.0.0", "edition": "2021",
                 "targets": [{"kind": ["lib"], "name": "tempfile", "src_path": "/reg/tempfile/src/lib.rs"}]}
            ],
            "workspace_members": ["app 0.1.0"],
            "resolve": {"nodes": [
                {"id": "app 0.1.0", "features": ["default"],
                 "deps": [{"name": "json", "pkg": "serde_json 1.0.0", "dep_kinds": [{"kind": null}]},
                          {"name": "tempfile", "pkg": "tempfile 3.0.0", "dep_kinds": [{"kind": "dev"}]}]},
                {"id": "serde_json 1.0.0", "features": ["std"], "deps": []}
            ]}
        });
        let ws = from_metadata(Path::new("/ws"), &meta).unwrap();
        let names: Vec<(&str, TargetKind)> = ws
            .crates
            .iter()
            .map(|c| (c.name.as_str(), c.kind))
            .collect();
        assert_eq!(
            names,
            [
                ("app", TargetKind::Lib),
                ("app_cli", TargetKind::Bin),
                ("it", TargetKind::Test),
                ("serde_json", TargetKind::Lib),
                ("tempfile", TargetKind::Lib)
            ]
        );
        let lib = &ws.crates[0];
        assert_eq!(lib.deps.get("json"), Some(&3), "renamed dependency");
        let bin = &ws.crates[1];
        assert_eq!(bin.deps.get("app"), Some(&0), "a binary sees its library");
        assert_eq!(ws.crates[2].deps.get("tempfile"), Some(&4));
        assert!(ws.crates[3].features.contains("std"));
        assert_eq!(ws.crates_for_file(Path::new("/ws/src/util/mod.rs")), [0, 1]);
        assert_eq!(ws.crates_for_file(Path::new("/ws/tests/it.rs")), [2]);
    }

    /// Untrusted: the workspace from its manifests alone, and a note that
    /// says why (that no cargo runs is proven end to end, `tests/it/trust.rs`).
    #[test]
    fn untrusted_workspaces_are_read_from_their_manifests() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("app/src")).unwrap();
        std::fs::write(
            root.join("Cargo.toml"),
            "[workspace]\nmembers = [\"app\"]\n",
        )
        .unwrap();
        std::fs::write(
            root.join("app/Cargo.toml"),
            "[package]\nname = \"my-app\"\nedition = \"2021\"\n[dependencies]\nserde-json = \"1\"\n",
        )
        .unwrap();
        std::fs::write(root.join("app/src/lib.rs"), "").unwrap();
        let ws = CargoWorkspace::load(&root.join("app/src"), false).unwrap();
        assert!(!ws.graph_known);
        assert_eq!(ws.notes, [UNTRUSTED_NOTE]);
        assert_eq!(ws.crates.len(), 1);
        assert_eq!(ws.crates[0].name, "my_app");
        assert!(ws.crates[0].opaque_deps.contains("serde_json"));
    }
}
