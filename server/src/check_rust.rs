//! The Rust half of `grounded check`: the `.rs` files under the checked
//! paths are parsed in parallel, the Cargo workspace and the standard
//! library are loaded once, and each file is analyzed against them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::analysis::rust::check_rust_file;
use crate::check::{collect_files_with, display_path, place_all, Reported};
use crate::config::Config;
use crate::index::cargo::CargoWorkspace;
use crate::index::facts_cache::FactsCache;
use crate::index::rust::host_cfg::HostCfg;
use crate::index::rust::{load_rust_facts, RustIndex, StdApi};
use crate::source_lang::Lang;
use crate::syntax::rust::facts::RustFacts;

#[derive(Default)]
pub struct RustOutcome {
    pub findings: Vec<Reported>,
    pub notes: Vec<String>,
    pub files: usize,
    /// With `--why`: the silent lookups and their reasons.
    pub why: Vec<crate::check::WhyReported>,
}

pub fn check(
    paths: &[PathBuf],
    root: &Path,
    config: &Config,
    cwd: &Path,
    cache_dir: Option<&Path>,
    trusted: bool,
    why: bool,
) -> RustOutcome {
    let files = collect_files_with(paths, root, config, Lang::Rust);
    if files.is_empty() {
        return RustOutcome::default();
    }
    let cache = FactsCache::new(cache_dir);
    let first_dir = files[0].parent().unwrap_or(root).to_path_buf();
    let ((ws, std), parsed) = rayon::join(
        || {
            rayon::join(
                || CargoWorkspace::load(&first_dir, trusted),
                || load_toolchain(cache_dir, trusted),
            )
        },
        || {
            files
                .par_iter()
                .map(|p| (p.clone(), load_rust_facts(p, &cache)))
                .collect::<Vec<_>>()
        },
    );
    let mut notes = Vec::new();
    let ws = match ws {
        Some(ws) => {
            notes.extend(ws.notes.iter().cloned());
            ws
        }
        None => {
            notes.push(
                "no Cargo.toml: checking the Rust files alone, nothing is reported about external crates"
                    .to_string(),
            );
            CargoWorkspace::default()
        }
    };
    let (std, host_cfg) = std;
    let std = match std {
        Ok(s) => Some(s),
        Err(e) => {
            notes.push(format!(
                "Rust standard library unknown ({e}): nothing in it is reported"
            ));
            None
        }
    };
    let mut preparsed: HashMap<PathBuf, Arc<RustFacts>> = HashMap::new();
    for (path, facts) in parsed {
        match facts {
            Some(f) => {
                if let Some((row, col)) = f.first_error {
                    notes.push(format!(
                        "{}:{}:{}: syntax error; checked what parsed",
                        display_path(&path, cwd),
                        row + 1,
                        col + 1
                    ));
                }
                if let Some(cut) = f.nesting_cut {
                    notes.push(format!(
                        "{}:{}:{}: {}",
                        display_path(&path, cwd),
                        cut.line,
                        cut.column,
                        cut.message()
                    ));
                }
                preparsed.insert(path, f);
            }
            None => notes.push(format!("{}: skipped: unreadable", display_path(&path, cwd))),
        }
    }
    let count = preparsed.len();
    let index = RustIndex::new(ws, std, preparsed.clone(), cache).with_host_cfg(host_cfg);
    let findings: Vec<Reported> = preparsed
        .par_iter()
        .flat_map_iter(|(path, facts)| {
            let found = check_rust_file(&index, path, facts.clone());
            if found.is_empty() {
                return Vec::new();
            }
            let shown = display_path(path, cwd);
            let text = crate::regular_file::read(path)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            let found = found
                .into_iter()
                .filter_map(|f| config.severity_of(f.code).map(|severity| (f, severity)));
            place_all(&shown, &text, found)
        })
        .collect();
    let why = if why {
        preparsed
            .par_iter()
            .flat_map_iter(|(path, facts)| {
                let found = crate::analysis::rust::why::why_rust_file(&index, path, facts.clone());
                let text = crate::regular_file::read(path)
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default();
                crate::check::place_why(&display_path(path, cwd), &text, found)
            })
            .collect()
    } else {
        Vec::new()
    };
    RustOutcome {
        findings,
        notes,
        files: count,
        why,
    }
}

/// The standard library of the active toolchain (`rustc --print sysroot`);
/// untrusted, of the user's default toolchain, found without running
/// anything ([`toolchain`](crate::index::rust::toolchain): rustc would obey
/// the workspace's `rust-toolchain.toml`).
///
/// Both sources of std are read when installed: the rustdoc search index
/// (rust-docs) answers what exists, rust-src adds what the index leaves out
/// ([`StdLayered`](crate::index::rust::std_layered::StdLayered)); either
/// alone serves alone. `GROUNDED_RUST_STD=index` hides rust-src (the index
/// alone, as a toolchain without rust-src has it).
/// std and the host's `cfg` (see [`HostCfg`]) of the toolchain
/// [`sysroot_for`] finds; the built-in host configuration without one.
pub fn load_toolchain(
    cache_dir: Option<&Path>,
    trusted: bool,
) -> (Result<Arc<dyn StdApi>, String>, Arc<HostCfg>) {
    match sysroot_for(trusted) {
        Ok(sysroot) => rayon::join(
            || load_std_at(&sysroot, cache_dir),
            || HostCfg::load(&sysroot, cache_dir),
        ),
        Err(e) => (Err(e), HostCfg::builtin()),
    }
}

/// The toolchain's sysroot: `rustc --print sysroot` when trusted; the
/// user's default toolchain, found without running anything, when not.
pub fn sysroot_for(trusted: bool) -> Result<PathBuf, String> {
    if trusted {
        sysroot().ok_or_else(|| "no Rust toolchain (`rustc --print sysroot` failed)".to_string())
    } else {
        crate::index::rust::toolchain::default_sysroot().map_err(|e| {
            format!(
                "untrusted workspace: no toolchain is run, and the default one is not found: {e}"
            )
        })
    }
}

fn load_std_at(sysroot: &Path, cache_dir: Option<&Path>) -> Result<Arc<dyn StdApi>, String> {
    let sysroot = sysroot.to_path_buf();
    let hide_src = std::env::var("GROUNDED_RUST_STD").is_ok_and(|v| v == "index");
    let source = if hide_src {
        None
    } else {
        crate::index::rust::std_src::load_from_sysroot(&sysroot, FactsCache::new(cache_dir))
    };
    let index = crate::index::rust_std::StdIndex::load_from_sysroot(&sysroot, cache_dir);
    match (index, source) {
        (Ok(index), Some(source)) => Ok(Arc::new(crate::index::rust::std_layered::StdLayered {
            index,
            source,
        })),
        (Ok(index), None) => Ok(index),
        (Err(_), Some(source)) => Ok(source),
        (Err(e), None) => Err(e),
    }
}

fn sysroot() -> Option<PathBuf> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    // A rustup proxy reading a `rust-toolchain` that is a FIFO would wait
    // for good.
    if crate::regular_file::special_toolchain_file().is_some() {
        return None;
    }
    let out = crate::run_bounded::output_within(
        std::process::Command::new(rustc).args(["--print", "sysroot"]),
        std::time::Duration::from_secs(60),
    )
    .ok()?;
    out.status
        .success()
        .then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}
