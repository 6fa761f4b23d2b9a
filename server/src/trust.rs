//! Whether the workspace may name programs that Grounded runs.
//!
//! Trusted (the command line's default): the interpreter a workspace names
//! (`.venv/bin/python`, `python = …` in `grounded.toml`, `pyvenv.cfg`'s
//! `home`/`executable`) is probed, and `cargo metadata` and `rustc --print
//! sysroot` run where the workspace's `rust-toolchain.toml` and
//! `.cargo/config.toml` apply.
//!
//! Untrusted (`--untrusted`, `GROUNDED_UNTRUSTED`, the language server's
//! `trusted: false`): no interpreter, cargo, rustc or script that the
//! workspace or its configuration names is ever run. Python uses a cached
//! probe of its interpreter or no environment; Rust reads the manifests
//! alone and std from the user's default toolchain, located without running
//! anything (`index::rust::toolchain`); `--diff` runs git with every
//! repository-configured program turned off (`git_diff`). A `--python` given
//! on the command line is the user's own choice and runs either way.

use std::ffi::OsStr;

/// The environment variable that makes every shell untrusted.
pub const UNTRUSTED_ENV: &str = "GROUNDED_UNTRUSTED";

/// Whether `GROUNDED_UNTRUSTED` asks for untrusted mode.
pub fn untrusted_by_env() -> bool {
    is_set(std::env::var_os(UNTRUSTED_ENV).as_deref())
}

/// Any non-empty value other than `0` or `false` (in any case) is set.
fn is_set(value: Option<&OsStr>) -> bool {
    let Some(value) = value else {
        return false;
    };
    let value = value.to_string_lossy();
    let value = value.trim();
    !value.is_empty() && value != "0" && !value.eq_ignore_ascii_case("false")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untrusted_env_values() {
        let set = |v: &str| is_set(Some(OsStr::new(v)));
        assert!(!is_set(None));
        for off in ["", " ", "0", "false", "FALSE", "False"] {
            assert!(!set(off), "{off:?}");
        }
        for on in ["1", "true", "yes", "on", "2", "anything"] {
            assert!(set(on), "{on:?}");
        }
    }
}
