//! Untrusted mode from the command line (`--untrusted`,
//! `GROUNDED_UNTRUSTED`): nothing a workspace names is run — not its
//! interpreters, not cargo or rustc under its toolchain files, not the
//! programs its git configuration names — and results still come.

use crate::common::hostile::{self, grounded_in, Hostile, APP_PY, TRUSTED_RUNS};

use std::path::Path;
use std::process::Output;

/// Arguments and added environment of one run.
type Invocation<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Each workspace run trusted executes its scripts (the fixture is real);
/// the same runs with `--untrusted` or `GROUNDED_UNTRUSTED` execute none,
/// and still report the workspace's own findings, std's among them.
#[test]
fn check_untrusted_runs_nothing_the_workspace_names() {
    let h = Hostile::new();
    let cache = h.dir.path().join("cache");
    let std_known = hostile::std_known(&cache);
    for (name, scripts) in TRUSTED_RUNS {
        let ws = h.dir.path().join(name);
        h.forget_runs();
        let o = grounded_in(&ws, &cache, &["check", "."], &[]);
        let ran = h.ran();
        for s in scripts {
            assert!(
                ran.iter().any(|r| r == s),
                "{name}: trusted, {s} runs (ran: {ran:?}); {}",
                stderr(&o)
            );
        }
    }

    // A cache of its own: nothing the trusted runs cached answers for them.
    let fresh = h.dir.path().join("fresh-cache");
    let untrusted: [Invocation; 3] = [
        (&["check", "--untrusted", "."], &[]),
        (&["--untrusted", "check", "."], &[]),
        (&["check", "."], &[("GROUNDED_UNTRUSTED", "1")]),
    ];
    for (args, envs) in untrusted {
        for ws in h.workspaces() {
            h.forget_runs();
            let o = grounded_in(ws, &fresh, args, envs);
            let (out, err) = (stdout(&o), stderr(&o));
            assert_eq!(
                h.ran(),
                Vec::<String>::new(),
                "{args:?} {envs:?} in {ws:?}: {err}"
            );
            assert_eq!(o.status.code(), Some(1), "{out}{err}");
            if ws.join("Cargo.toml").is_file() {
                assert!(
                    out.contains("src/lib.rs:5:5: error[undefined-name] `missing_helper`"),
                    "{out}"
                );
                // std from the default toolchain, found without running one.
                assert_eq!(out.contains("HashMapp"), std_known, "{out}{err}");
                // The manifest alone: serde is known by name.
                assert!(!out.contains("serde"), "{out}");
                assert!(
                    err.contains("untrusted workspace: cargo metadata was not run"),
                    "{err}"
                );
                assert_eq!(err.matches("untrusted").count(), 1, "said once: {err}");
            } else {
                assert!(
                    out.contains("app.py:3:8: error[unresolved-symbol] `helper.missing_fn`"),
                    "{out}"
                );
                assert!(err.contains("untrusted workspace"), "{err}");
                assert!(err.contains("not run:"), "{err}");
            }
        }
    }
    // An answer cached by a trusted run is used (here the interpreter on
    // PATH, which the venv fell back to): nothing runs, and no note.
    h.forget_runs();
    let o = grounded_in(&h.py_venv, &cache, &["check", "--untrusted", "."], &[]);
    assert_eq!(h.ran(), Vec::<String>::new(), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("no Python environment"),
        "{}",
        stderr(&o)
    );
    // `GROUNDED_UNTRUSTED=0` (or false, or empty) leaves the default.
    for off in ["0", "false", ""] {
        h.forget_runs();
        grounded_in(
            &h.py_config,
            &cache,
            &["check", "."],
            &[("GROUNDED_UNTRUSTED", off)],
        );
        assert_eq!(h.ran(), ["outside/x.sh"], "GROUNDED_UNTRUSTED={off:?}");
    }
}

/// `--python` on the command line is the user's own choice: it runs even
/// untrusted (the workspace's venv and configuration still do not).
#[test]
fn check_untrusted_still_runs_the_users_own_python() {
    let h = Hostile::new();
    let cache = h.dir.path().join("cache");
    let mine = h.dir.path().join("mine/python3");
    std::fs::create_dir_all(mine.parent().unwrap()).unwrap();
    std::fs::write(
        &mine,
        format!("#!/bin/sh\necho \"$0\" >> '{}'\nexit 1\n", h.log.display()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&mine, std::fs::Permissions::from_mode(0o755)).unwrap();
    let o = grounded_in(
        &h.py_config,
        &cache,
        &[
            "check",
            "--untrusted",
            "--python",
            mine.to_str().unwrap(),
            ".",
        ],
        &[],
    );
    assert_eq!(h.ran(), ["mine/python3"], "{}", stderr(&o));
    assert!(
        stderr(&o).contains("mine/python3 is broken"),
        "{}",
        stderr(&o)
    );
}

/// `grounded context` untrusted: the API context comes, nothing runs.
#[test]
fn context_untrusted_runs_nothing_the_workspace_names() {
    let h = Hostile::new();
    let cache = h.dir.path().join("cache");
    for (ws, file) in [
        (&h.rs_toolchain, "src/lib.rs"),
        (&h.rs_config, "src/lib.rs"),
        (&h.py_config, "app.py"),
        (&h.py_venv, "app.py"),
    ] {
        for (args, envs) in [
            (vec!["context", "--untrusted", file], vec![]),
            (vec!["context", file], vec![("GROUNDED_UNTRUSTED", "yes")]),
        ] {
            h.forget_runs();
            let o = grounded_in(ws, &cache, &args, &envs);
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
            assert_eq!(
                h.ran(),
                Vec::<String>::new(),
                "{ws:?} {args:?}: {}",
                stderr(&o)
            );
            let out = stdout(&o);
            if file.ends_with(".rs") {
                assert!(out.contains("untrusted"), "the context says why: {out}");
            } else {
                assert!(out.contains("real"), "{out}");
            }
        }
    }
}

fn git(dir: &Path, args: &[&str]) {
    let o = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
}

/// `--diff REV` untrusted: the repository's git configuration names
/// programs (an fsmonitor hook, a clean filter, an external diff, a
/// textconv); none runs, and the changed lines are still found.
#[test]
fn diff_untrusted_runs_no_program_the_repository_configures() {
    if !hostile::has_git() {
        eprintln!("SKIP: no git");
        return;
    }
    let h = Hostile::new();
    let cache = h.dir.path().join("cache");
    let repo = h.dir.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    std::fs::write(repo.join("helper.py"), "def real():\n    return 1\n").unwrap();
    std::fs::write(repo.join("app.py"), "import helper\nhelper.real()\n").unwrap();
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "one"]);
    // Configured after the commit, as a repository handed over would be.
    let hook = h.dir.path().join("evil/git-hook");
    std::fs::write(
        &hook,
        format!("#!/bin/sh\necho \"$0\" >> '{}'\nexit 1\n", h.log.display()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    let config = repo.join(".git/config");
    let original = std::fs::read_to_string(&config).unwrap();
    std::fs::write(repo.join(".gitattributes"), "*.py filter=evil diff=evil\n").unwrap();
    std::fs::write(repo.join("app.py"), APP_PY).unwrap();
    let h_ = hook.display();
    // Each setting alone, and whether a trusted run executes it (external
    // diffs, textconv and the pager are off even then).
    let settings = [
        (format!("[core]\n\tfsmonitor = {h_}\n"), true),
        (format!("[filter \"evil\"]\n\tclean = {h_}\n"), true),
        (
            format!("[filter \"evil\"]\n\tprocess = {h_}\n\trequired = true\n"),
            true,
        ),
        (
            format!(
                "[core]\n\tpager = {h_}\n[diff]\n\texternal = {h_}\n\
                 [diff \"evil\"]\n\ttextconv = {h_}\n\tcommand = {h_}\n"
            ),
            false,
        ),
    ];
    for (setting, trusted_runs_it) in settings {
        std::fs::write(&config, format!("{original}{setting}")).unwrap();
        h.forget_runs();
        let o = grounded_in(&repo, &cache, &["check", "--diff", "HEAD", "."], &[]);
        assert_eq!(
            h.ran().iter().any(|r| r == "evil/git-hook"),
            trusted_runs_it,
            "trusted, with {setting}: {}",
            stderr(&o)
        );
        for (args, envs) in [
            (
                &["check", "--untrusted", "--diff", "HEAD", "."][..],
                &[][..],
            ),
            (
                &["check", "--diff", "HEAD", "."][..],
                &[("GROUNDED_UNTRUSTED", "1")][..],
            ),
        ] {
            h.forget_runs();
            let o = grounded_in(&repo, &cache, args, envs);
            let (out, err) = (stdout(&o), stderr(&o));
            assert_eq!(h.ran(), Vec::<String>::new(), "{setting} {args:?}: {err}");
            assert_eq!(o.status.code(), Some(1), "{setting}: {out}{err}");
            assert!(
                out.contains("app.py:3:8: error[unresolved-symbol] `helper.missing_fn`"),
                "{out}{err}"
            );
            // The diff was read (and says so).
            assert!(err.contains("--diff HEAD:"), "{err}");
        }
    }
}
