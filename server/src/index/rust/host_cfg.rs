//! What `cfg(...)` predicates mean for a crate here: the host's
//! configuration (`rustc --print cfg` of the toolchain's own compiler) and
//! the crate's features as cargo resolved them. A name neither tells about
//! (a custom `--cfg` such as `docsrs` or `tokio_unstable`) is unknown: both
//! sides are kept.
//!
//! Trust: the compiler run is `<sysroot>/bin/rustc` of the sysroot found
//! for std ([`crate::check_rust::sysroot_for`]): in an untrusted workspace
//! that is the user's default toolchain, located without running anything —
//! never a rustup proxy, which would obey the workspace's
//! `rust-toolchain.toml`. Its answer is cached beside the facts, keyed by
//! the compiler's stamp. Without it, the configuration this build of
//! Grounded was compiled for stands in (the same host).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::index::cargo::CrateInfo;
use crate::syntax::rust::cfg::CfgEnv;

/// The host's `cfg` names and key-value pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostCfg {
    names: BTreeSet<String>,
    pairs: BTreeSet<(String, String)>,
    /// Keys that have at least one value here.
    keys: BTreeSet<String>,
}

/// Names whose value a check cannot know: set in some builds of the same
/// crate and not in others (`debug_assertions` in dev, not in release).
const EITHER_NAMES: &[&str] = &[
    "debug_assertions",
    "overflow_checks",
    "ub_checks",
    "proc_macro",
    "clippy",
    "contract_checks",
    "sanitize",
];

/// Names rustc sets only for other tools or runs (rustdoc, miri, rustfmt):
/// never in a build.
const NEVER_NAMES: &[&str] = &["doc", "doctest", "miri", "rustfmt"];

/// Well-known names and keys the host's answer decides: one it does not
/// print is not set here.
const HOST_NAMES: &[&str] = &["unix", "windows", "target_thread_local"];
const HOST_KEYS: &[&str] = &[
    "target_abi",
    "target_arch",
    "target_endian",
    "target_env",
    "target_family",
    "target_feature",
    "target_has_atomic",
    "target_has_atomic_equal_alignment",
    "target_has_atomic_load_store",
    "target_os",
    "target_pointer_width",
    "target_vendor",
    "panic",
];

impl HostCfg {
    /// Read `rustc --print cfg` output (`unix`, `target_os="linux"`).
    pub fn parse(text: &str) -> HostCfg {
        let mut out = HostCfg::default();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            match line.split_once('=') {
                Some((k, v)) => {
                    let v = v.trim().trim_matches('"').to_string();
                    out.keys.insert(k.trim().to_string());
                    out.pairs.insert((k.trim().to_string(), v));
                }
                None => {
                    out.names.insert(line.to_string());
                }
            }
        }
        out
    }

    /// The configuration this build of Grounded was compiled for.
    pub fn builtin() -> Arc<HostCfg> {
        static BUILTIN: OnceLock<Arc<HostCfg>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                let mut lines = vec![
                    format!("target_os=\"{}\"", std::env::consts::OS),
                    format!("target_arch=\"{}\"", std::env::consts::ARCH),
                    format!("target_family=\"{}\"", std::env::consts::FAMILY),
                    format!("target_pointer_width=\"{}\"", usize::BITS),
                    format!(
                        "target_endian=\"{}\"",
                        if cfg!(target_endian = "little") {
                            "little"
                        } else {
                            "big"
                        }
                    ),
                ];
                if cfg!(unix) {
                    lines.push("unix".to_string());
                }
                if cfg!(windows) {
                    lines.push("windows".to_string());
                }
                let mut cfg = HostCfg::parse(&lines.join("\n"));
                // What the consts do not tell stays unknown.
                for k in [
                    "target_env",
                    "target_vendor",
                    "target_abi",
                    "target_feature",
                ] {
                    cfg.keys.remove(k);
                }
                Arc::new(cfg)
            })
            .clone()
    }

    /// The host configuration of the toolchain at `sysroot`: its own
    /// `bin/rustc --print cfg`, cached under `cache_dir`; the built-in one
    /// when that compiler does not answer.
    pub fn load(sysroot: &Path, cache_dir: Option<&Path>) -> Arc<HostCfg> {
        let rustc = sysroot
            .join("bin")
            .join(format!("rustc{}", std::env::consts::EXE_SUFFIX));
        let stamp = std::fs::metadata(&rustc)
            .ok()
            .and_then(|m| crate::index::facts_cache::Stamp::of(&m));
        let Some(stamp) = stamp else {
            return HostCfg::builtin();
        };
        let cached: Option<PathBuf> = cache_dir.map(|d| {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            rustc.hash(&mut h);
            stamp.size.hash(&mut h);
            stamp.mtime_ns.hash(&mut h);
            d.join(format!("rust-host-cfg-{:016x}.txt", h.finish()))
        });
        if let Some(text) = cached
            .as_ref()
            .and_then(|p| crate::regular_file::read_to_string(p).ok())
        {
            return Arc::new(HostCfg::parse(&text));
        }
        let out = crate::run_bounded::output_within(
            std::process::Command::new(&rustc)
                .args(["--print", "cfg"])
                .env("RUSTUP_AUTO_INSTALL", "0"),
            std::time::Duration::from_secs(30),
        );
        match out {
            Ok(out) if out.status.success() && !out.stdout.is_empty() => {
                let text = String::from_utf8_lossy(&out.stdout).into_owned();
                if let Some(p) = &cached {
                    if let Some(dir) = p.parent() {
                        let _ = std::fs::create_dir_all(dir);
                    }
                    let _ = std::fs::write(p, &text);
                }
                Arc::new(HostCfg::parse(&text))
            }
            _ => HostCfg::builtin(),
        }
    }
}

/// The configuration one crate is compiled in.
pub struct CrateCfg<'a> {
    pub host: &'a HostCfg,
    /// Its features, when cargo resolved them.
    pub features: Option<&'a BTreeSet<String>>,
    /// A workspace crate's tests are checked too: `test` is either.
    pub workspace: bool,
}

impl<'a> CrateCfg<'a> {
    pub fn of(host: &'a HostCfg, info: Option<&'a CrateInfo>, graph_known: bool) -> Self {
        CrateCfg {
            host,
            features: info.filter(|_| graph_known).map(|c| &c.features),
            workspace: info.is_none_or(|c| c.workspace),
        }
    }
}

impl CfgEnv for CrateCfg<'_> {
    fn name(&self, name: &str) -> Option<bool> {
        if name == "test" {
            return (!self.workspace).then_some(false);
        }
        if EITHER_NAMES.contains(&name) {
            return None;
        }
        if NEVER_NAMES.contains(&name) {
            return Some(false);
        }
        if self.host.names.contains(name) {
            return Some(true);
        }
        // `unix`, `windows`: decided when the host answered at all.
        (HOST_NAMES.contains(&name) && !self.host.keys.is_empty()).then_some(false)
    }

    fn key_value(&self, key: &str, value: &str) -> Option<bool> {
        if key == "feature" {
            return self.features.map(|f| f.contains(value));
        }
        if self
            .host
            .pairs
            .contains(&(key.to_string(), value.to_string()))
        {
            return Some(true);
        }
        (HOST_KEYS.contains(&key) && self.host.keys.contains(key)).then_some(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::rust::cfg::eval_text;

    const LINUX: &str = "debug_assertions\npanic=\"unwind\"\ntarget_arch=\"x86_64\"\n\
        target_family=\"unix\"\ntarget_os=\"linux\"\ntarget_pointer_width=\"64\"\nunix\n";

    #[test]
    fn host_and_features_decide_custom_names_do_not() {
        let host = HostCfg::parse(LINUX);
        let features: BTreeSet<String> = ["rt".to_string()].into();
        let dep = CrateCfg {
            host: &host,
            features: Some(&features),
            workspace: false,
        };
        let eval = |t: &str| eval_text(t, &dep);
        assert_eq!(eval("unix"), Some(true));
        assert_eq!(eval("windows"), Some(false));
        assert_eq!(eval(r#"target_os = "linux""#), Some(true));
        assert_eq!(eval(r#"target_os = "wasi""#), Some(false));
        assert_eq!(eval(r#"feature = "rt""#), Some(true));
        assert_eq!(eval(r#"feature = "fs""#), Some(false));
        assert_eq!(eval("test"), Some(false));
        assert_eq!(eval("debug_assertions"), None);
        assert_eq!(eval("docsrs"), None);
        assert_eq!(eval("any(all(doc, docsrs), windows)"), Some(false));
        assert_eq!(eval("tokio_unstable"), None);
        // Unresolved features, a workspace crate's tests: unknown.
        let ws = CrateCfg {
            host: &host,
            features: None,
            workspace: true,
        };
        assert_eq!(eval_text(r#"feature = "rt""#, &ws), None);
        assert_eq!(eval_text("test", &ws), None);
    }

    #[test]
    fn builtin_matches_this_build() {
        let host = HostCfg::builtin();
        let env = CrateCfg {
            host: &host,
            features: None,
            workspace: false,
        };
        assert_eq!(eval_text("unix", &env), Some(cfg!(unix)));
        assert_eq!(
            eval_text(&format!("target_os = \"{}\"", std::env::consts::OS), &env),
            Some(true)
        );
        assert_eq!(eval_text(r#"target_env = "gnu""#, &env), None);
    }
}
