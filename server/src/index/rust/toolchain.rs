//! The sysroot of the user's default Rust toolchain, found without running
//! anything: what an untrusted workspace gets its std from.
//!
//! `rustc --print sysroot` cannot be run for an untrusted workspace: the
//! rustup proxy obeys a `rust-toolchain.toml` above its working directory
//! (`path = "…"` names any directory, whose `bin/rustc` it then runs), and
//! the environment this process inherited may already carry a toolchain a
//! proxy chose for the workspace (rustup sets `RUSTUP_TOOLCHAIN` for every
//! program it starts, `cargo` sets `RUSTC`). Running rustc from a neutral
//! directory (home, a fresh temp dir) was rejected for the same reasons: a
//! directory outside the workspace can still lie under a
//! `rust-toolchain.toml` (a shared `/tmp`), and the inherited variables
//! would still apply. So the toolchain is read from rustup's own settings
//! file, which only the user writes, and nothing runs to find it:
//!
//! 1. rustup's `settings.toml` (`$RUSTUP_HOME`, else `~/.rustup`): its
//!    `default_toolchain`, the directory `toolchains/<name>` (a short name
//!    such as `stable` gets the host triple: `default_host_triple`, else
//!    this build's). `RUSTUP_TOOLCHAIN`, directory overrides and
//!    `rust-toolchain.toml` files are ignored.
//! 2. Without rustup: the `rustc` on `PATH` when it is a real compiler (not
//!    a proxy): its sysroot is the directory above its `bin/`.
//!
//! Either way the sysroot must hold `lib/rustlib`. Loading std from it may
//! later run that toolchain's own `bin/rustc -V` (to name the toolchain in
//! the std cache): the user's installed compiler, nothing the workspace
//! names.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The default toolchain's sysroot; Err says in one line why none was found.
pub fn default_sysroot() -> Result<PathBuf, String> {
    locate(&|k| std::env::var_os(k))
}

fn locate(env: &dyn Fn(&str) -> Option<OsString>) -> Result<PathBuf, String> {
    let var = |k: &str| env(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    let rustup_home = var("RUSTUP_HOME")
        .filter(|p| p.is_absolute())
        .or_else(|| var("HOME").map(|h| h.join(".rustup")));
    if let Some(home) = rustup_home {
        let settings = home.join("settings.toml");
        if let Ok(text) = std::fs::read_to_string(&settings) {
            return from_rustup(&home, &settings, &text);
        }
    }
    from_path(var("PATH").map(PathBuf::into_os_string))
}

/// The toolchain rustup's settings name as the default.
fn from_rustup(home: &Path, settings: &Path, text: &str) -> Result<PathBuf, String> {
    let shown = settings.display();
    let table: toml::Value = text
        .parse()
        .map_err(|_| format!("{shown} is not valid TOML"))?;
    let name = table
        .get("default_toolchain")
        .and_then(|v| v.as_str())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| format!("{shown} names no default toolchain (`rustup default`)"))?;
    // A name, never a path out of `toolchains/`.
    if name.contains(['/', '\\']) || name.starts_with('.') {
        return Err(format!("{shown}: default toolchain `{name}` is not a name"));
    }
    let hosts = [
        table
            .get("default_host_triple")
            .and_then(|v| v.as_str())
            .map(str::to_string),
        host_triple(),
    ];
    let toolchains = home.join("toolchains");
    let candidates = std::iter::once(name.to_string())
        .chain(hosts.into_iter().flatten().map(|h| format!("{name}-{h}")));
    for candidate in candidates {
        let dir = toolchains.join(candidate);
        if is_sysroot(&dir) {
            return Ok(dir);
        }
    }
    Err(format!(
        "rustup's default toolchain `{name}` is not installed in {}",
        toolchains.display()
    ))
}

/// The sysroot of a real `rustc` on `PATH` (a standalone or distribution
/// install); a rustup proxy has none beside it.
fn from_path(path: Option<OsString>) -> Result<PathBuf, String> {
    let exe = format!("rustc{}", std::env::consts::EXE_SUFFIX);
    let found = path.and_then(|p| {
        std::env::split_paths(&p)
            .filter(|d| d.is_absolute())
            .map(|d| d.join(&exe))
            .find(|f| f.is_file())
    });
    let Some(rustc) = found else {
        return Err("no rustup settings and no rustc on PATH".to_string());
    };
    let real = std::fs::canonicalize(&rustc).unwrap_or(rustc.clone());
    real.parent()
        .and_then(Path::parent)
        .filter(|dir| is_sysroot(dir))
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            format!(
                "{} is not a toolchain's own rustc (a rustup proxy without rustup's settings?)",
                rustc.display()
            )
        })
}

fn is_sysroot(dir: &Path) -> bool {
    dir.join("lib").join("rustlib").is_dir()
}

/// This build's target triple, for rustup's short toolchain names.
fn host_triple() -> Option<String> {
    let os = match std::env::consts::OS {
        "linux" => "unknown-linux-gnu",
        "macos" => "apple-darwin",
        "windows" => "pc-windows-msvc",
        "freebsd" => "unknown-freebsd",
        _ => return None,
    };
    Some(format!("{}-{os}", std::env::consts::ARCH))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn sysroot(dir: &Path) {
        std::fs::create_dir_all(dir.join("lib/rustlib")).unwrap();
    }

    fn env(pairs: &[(&str, &Path)]) -> HashMap<String, OsString> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_os_str().to_owned()))
            .collect()
    }

    #[test]
    fn rustup_default_toolchain_is_read_not_run() {
        let t = tempfile::tempdir().unwrap();
        let home = t.path().join("rustup");
        let full = home.join("toolchains/stable-x86_64-unknown-linux-gnu");
        sysroot(&full);
        sysroot(&home.join("toolchains/nightly-aarch64-apple-darwin"));
        std::fs::write(
            home.join("settings.toml"),
            "version = \"12\"\ndefault_toolchain = \"stable-x86_64-unknown-linux-gnu\"\n",
        )
        .unwrap();
        // RUSTUP_TOOLCHAIN (a proxy may have set it for the workspace) is ignored.
        let vars = env(&[
            ("RUSTUP_HOME", &home),
            ("RUSTUP_TOOLCHAIN", Path::new("/evil/toolchain")),
        ]);
        assert_eq!(locate(&|k| vars.get(k).cloned()).unwrap(), full);

        // A short name takes the host triple of the settings.
        std::fs::write(
            home.join("settings.toml"),
            "default_toolchain = \"nightly\"\ndefault_host_triple = \"aarch64-apple-darwin\"\n",
        )
        .unwrap();
        assert_eq!(
            locate(&|k| vars.get(k).cloned()).unwrap(),
            home.join("toolchains/nightly-aarch64-apple-darwin")
        );

        // Names that are paths, missing toolchains, no default: one-line errors.
        for (settings, want) in [
            ("default_toolchain = \"../../evil\"\n", "is not a name"),
            ("default_toolchain = \"beta\"\n", "`beta` is not installed"),
            ("version = \"12\"\n", "names no default toolchain"),
            ("default_toolchain = [", "not valid TOML"),
        ] {
            std::fs::write(home.join("settings.toml"), settings).unwrap();
            let err = locate(&|k| vars.get(k).cloned()).unwrap_err();
            assert!(err.contains(want), "{settings}: {err}");
            assert!(!err.contains('\n'), "{err}");
        }
    }

    #[test]
    fn without_rustup_a_real_rustc_on_path_names_its_sysroot() {
        let t = tempfile::tempdir().unwrap();
        let home = t.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        let install = t.path().join("opt/rust");
        sysroot(&install);
        std::fs::create_dir_all(install.join("bin")).unwrap();
        std::fs::write(install.join("bin/rustc"), "").unwrap();
        // A proxy directory (no lib/rustlib beside it) comes first on PATH.
        let proxies = t.path().join("cargo/bin");
        std::fs::create_dir_all(&proxies).unwrap();
        std::fs::write(proxies.join("rustc"), "").unwrap();
        let vars = env(&[("HOME", &home), ("PATH", &install.join("bin"))]);
        assert_eq!(locate(&|k| vars.get(k).cloned()).unwrap(), install);
        let vars = env(&[("HOME", &home), ("PATH", &proxies)]);
        let err = locate(&|k| vars.get(k).cloned()).unwrap_err();
        assert!(err.contains("not a toolchain's own rustc"), "{err}");
        let vars = env(&[("HOME", &home)]);
        let err = locate(&|k| vars.get(k).cloned()).unwrap_err();
        assert!(err.contains("no rustc on PATH"), "{err}");
    }
}
