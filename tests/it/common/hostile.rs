//! Workspaces that name programs to run — an interpreter in `.venv`, a
//! `python` in `grounded.toml`, a base interpreter in `pyvenv.cfg`, a
//! toolchain in `rust-toolchain.toml`, a `rustc` in `.cargo/config.toml` —
//! each a script that records its run in one log file. Untrusted, none may
//! run; trusted, they do (the control that gives the absence its meaning).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Hostile {
    pub dir: tempfile::TempDir,
    /// Every script appends its own path here when it runs.
    pub log: PathBuf,
    /// `rust-toolchain.toml` with `path = ` a toolchain of scripts.
    pub rs_toolchain: PathBuf,
    /// `.cargo/config.toml` with `build.rustc` and `build.rustc-wrapper`.
    pub rs_config: PathBuf,
    /// `grounded.toml` with `python = "../outside/x.sh"`.
    pub py_config: PathBuf,
    /// `.venv/bin/python` and `pyvenv.cfg`'s `home` and `executable`.
    pub py_venv: PathBuf,
}

/// The Rust sources of both Rust workspaces: `missing_helper` is an
/// undefined name whatever is known; `HashMapp` is flagged when std is.
pub const LIB_RS: &str = "use std::collections::HashMapp;\nuse serde::Serialize;\n\npub fn f() {\n    missing_helper();\n}\n";
/// The Python sources: `helper.missing_fn` is flagged with or without an
/// interpreter (a workspace-internal reference).
pub const APP_PY: &str = "import helper\nhelper.real()\nhelper.missing_fn()\n";

impl Hostile {
    pub fn new() -> Hostile {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let log = root.join("ran.log");
        let script = |path: &Path| {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(
                path,
                format!("#!/bin/sh\necho \"$0\" >> '{}'\nexit 1\n", log.display()),
            )
            .unwrap();
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
        };
        let write = |path: &Path, text: &str| {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        let evil = root.join("evil");
        for name in ["toolchain/bin/rustc", "toolchain/bin/cargo"] {
            script(&evil.join(name));
        }
        std::fs::create_dir_all(evil.join("toolchain/lib/rustlib")).unwrap();
        for name in ["rustc.sh", "wrapper.sh", "base-python", "home/python3"] {
            script(&evil.join(name));
        }
        script(&root.join("outside/x.sh"));

        let manifest = "[package]\nname = \"hostile\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nserde = \"1\"\n";
        let rs_toolchain = root.join("rs_toolchain");
        write(&rs_toolchain.join("Cargo.toml"), manifest);
        write(&rs_toolchain.join("src/lib.rs"), LIB_RS);
        write(
            &rs_toolchain.join("rust-toolchain.toml"),
            &format!(
                "[toolchain]\npath = \"{}\"\n",
                evil.join("toolchain").display()
            ),
        );
        let rs_config = root.join("rs_config");
        write(&rs_config.join("Cargo.toml"), manifest);
        write(&rs_config.join("src/lib.rs"), LIB_RS);
        write(
            &rs_config.join(".cargo/config.toml"),
            &format!(
                "[build]\nrustc = \"{}\"\nrustc-wrapper = \"{}\"\n",
                evil.join("rustc.sh").display(),
                evil.join("wrapper.sh").display()
            ),
        );

        let py_config = root.join("py_config");
        write(
            &py_config.join("grounded.toml"),
            "python = \"../outside/x.sh\"\n",
        );
        let py_venv = root.join("py_venv");
        write(&py_venv.join("pyproject.toml"), "[project]\nname = \"v\"\n");
        script(&py_venv.join(".venv/bin/python"));
        write(
            &py_venv.join(".venv/pyvenv.cfg"),
            &format!(
                "home = {}\nexecutable = {}\nversion = 3.11.7\n",
                evil.join("home").display(),
                evil.join("base-python").display()
            ),
        );
        for ws in [&py_config, &py_venv] {
            write(&ws.join("app.py"), APP_PY);
            write(&ws.join("helper.py"), "def real():\n    return 1\n");
        }
        Hostile {
            dir,
            log,
            rs_toolchain,
            rs_config,
            py_config,
            py_venv,
        }
    }

    /// The scripts that ran so far (paths relative to the fixture's root).
    pub fn ran(&self) -> Vec<String> {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let root = self.dir.path().to_string_lossy().into_owned();
        let mut ran: Vec<String> = text
            .lines()
            .map(|l| {
                // `ws/../outside/x.sh` as invoked: `outside/x.sh`.
                let mut parts: Vec<&str> = Vec::new();
                let rel = l.strip_prefix(&root).unwrap_or(l);
                for part in rel.split('/').filter(|p| !p.is_empty() && *p != ".") {
                    if part == ".." {
                        parts.pop();
                    } else {
                        parts.push(part);
                    }
                }
                parts.join("/")
            })
            .collect();
        ran.sort();
        ran.dedup();
        ran
    }

    pub fn forget_runs(&self) {
        let _ = std::fs::remove_file(&self.log);
    }

    pub fn workspaces(&self) -> [&Path; 4] {
        [
            &self.rs_toolchain,
            &self.rs_config,
            &self.py_config,
            &self.py_venv,
        ]
    }
}

/// The scripts each workspace makes a trusted run execute.
pub const TRUSTED_RUNS: [(&str, &[&str]); 4] = [
    (
        "rs_toolchain",
        &["evil/toolchain/bin/cargo", "evil/toolchain/bin/rustc"],
    ),
    ("rs_config", &["evil/wrapper.sh"]),
    ("py_config", &["outside/x.sh"]),
    (
        "py_venv",
        &[
            "evil/base-python",
            "evil/home/python3",
            "py_venv/.venv/bin/python",
        ],
    ),
];

/// `command`'s environment as a user's shell has it: no toolchain chosen
/// by a rustup proxy or cargo (the test runs under both), no activated venv.
pub fn user_shell<'a>(command: &'a mut Command, cache: &Path) -> &'a mut Command {
    command
        .env("GROUNDED_CACHE_DIR", cache)
        .env_remove("GROUNDED_UNTRUSTED")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("RUSTC")
        .env_remove("RUSTC_WRAPPER")
        .env_remove("CARGO")
        .env_remove("VIRTUAL_ENV")
        .env_remove("CONDA_PREFIX")
}

/// `grounded ARGS` run in `dir` from a user's shell, with `envs` added.
pub fn grounded_in(dir: &Path, cache: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_grounded"));
    user_shell(&mut cmd, cache).args(args).current_dir(dir);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("grounded runs")
}

/// Whether std is known here (a toolchain with rust-src or docs): a trusted
/// check of a lone file that names a std item wrongly flags it.
pub fn std_known(cache: &Path) -> bool {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.rs"),
        "use std::collections::HashMapp;\nfn main() {}\n",
    )
    .unwrap();
    let out = grounded_in(dir.path(), cache, &["check", "main.rs"], &[]);
    String::from_utf8_lossy(&out.stdout).contains("HashMapp")
}

pub fn has_git() -> bool {
    Command::new("git").arg("--version").output().is_ok()
}
