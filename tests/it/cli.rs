//! The `check` command as a user meets it: formats, exit codes, bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn grounded(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("grounded-cache");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_grounded"));
    cmd.args(args)
        .current_dir(dir)
        .env("GROUNDED_CACHE_DIR", cache)
        .env_remove("VIRTUAL_ENV")
        .env_remove("CONDA_PREFIX");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("grounded runs")
}

fn write(dir: &Path, name: &str, content: &[u8]) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn has_python() -> bool {
    Command::new("python3").arg("--version").output().is_ok()
}

#[test]
fn text_format_names_the_symbol_and_suggests() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", b"import os\nos.path.exist('x')\n");
    let o = grounded(dir.path(), &["check"], &[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.starts_with("app.py:2:9: error[unresolved-symbol] `os.path.exist` does not exist"),
        "{out}"
    );
    assert!(out.contains("(did you mean `os.path.exists`"), "{out}");
    assert!(out.trim_end().ends_with("ms."), "{out}");
    assert!(
        out.contains("Found 1 problem in 1 file (1 error, 0 warnings)"),
        "{out}"
    );
}

#[test]
fn json_format_follows_the_contract() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // A wide character before the finding: columns count characters, not bytes.
    write(
        dir.path(),
        "app.py",
        "import json\ns = '日本'; json.parse(s)\n".as_bytes(),
    );
    let o = grounded(dir.path(), &["check", "--format", "json"], &[]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["version"], 1);
    // Exactly the keys of the contract in DESIGN.md.
    let keys = |o: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = o.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&v), ["diagnostics", "summary", "version"]);
    assert_eq!(
        keys(&v["diagnostics"][0]),
        [
            "code",
            "column",
            "end_column",
            "end_line",
            "line",
            "message",
            "path",
            "severity",
            "suggestions",
            "symbol"
        ]
    );
    assert_eq!(
        keys(&v["summary"]),
        ["duration_ms", "errors", "files", "warnings"]
    );
    let d = &v["diagnostics"][0];
    assert_eq!(d["path"], "app.py");
    assert_eq!(d["line"], 2);
    assert_eq!(d["column"], 16);
    assert_eq!(d["end_line"], 2);
    assert_eq!(d["end_column"], 21);
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "unresolved-symbol");
    assert_eq!(d["symbol"], "json.parse");
    assert!(d["suggestions"].is_array());
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(v["summary"]["errors"], 1);
    assert_eq!(v["summary"]["warnings"], 0);
    assert!(v["summary"]["duration_ms"].is_u64());
}

#[test]
fn clean_code_exits_zero() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.py",
        b"import os\nprint(os.path.exists('x'))\n",
    );
    let o = grounded(dir.path(), &["check"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).starts_with("No hallucinated APIs: checked 1 file"));
}

#[test]
fn bad_files_get_a_note_and_the_check_goes_on() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "latin.py", b"x = '\xff\xfe'\n");
    write(
        dir.path(),
        "broken.py",
        b"def f(:\n    pass\nimport json\njson.parse(1)\n",
    );
    // A 10 MB file.
    let mut big = String::from("import json\n");
    while big.len() < 10 * 1024 * 1024 {
        big.push_str("value = json.dumps({'key': [1, 2, 3]})  # padding padding padding\n");
    }
    write(dir.path(), "big.py", big.as_bytes());
    let o = grounded(dir.path(), &["check"], &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("latin.py: skipped: not valid UTF-8"), "{err}");
    assert!(
        err.contains("broken.py:1:7: syntax error; checked what parsed"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let out = stdout(&o);
    assert!(
        out.contains("broken.py:4:6: error[unresolved-symbol]"),
        "{out}"
    );
    assert!(out.contains("in 2 files"), "{out}");
    for line in err.lines() {
        assert!(
            line.starts_with("grounded: note: "),
            "not a one-line note: {line}"
        );
    }
}

#[test]
fn usage_errors_exit_two_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let o = grounded(dir.path(), &["check", "does-not-exist"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).trim(),
        "grounded: error: does-not-exist: no such file or directory"
    );

    write(
        dir.path(),
        "grounded.toml",
        b"[severity]\nbogus-code = 'off'\n",
    );
    write(dir.path(), "a.py", b"x = 1\n");
    let o = grounded(dir.path(), &["check"], &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("unknown finding code `bogus-code`"), "{err}");

    let o = grounded(dir.path(), &["check", "--format", "yaml"], &[]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn broken_interpreter_is_a_note_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.py",
        b"import requests\nimport os\nos.nothing\n",
    );
    let o = grounded(dir.path(), &["check", "--python", "/bin/false"], &[]);
    let err = stderr(&o);
    assert!(err.contains("no Python environment"), "{err}");
    assert!(
        err.contains("checking workspace-internal references only"),
        "{err}"
    );
    // Without an environment nothing third-party or stdlib is reported.
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn no_interpreter_checks_workspace_references_only() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pkg/__init__.py", b"def real(): pass\n");
    write(
        dir.path(),
        "main.py",
        b"import requests\nimport numpy.linalg\nimport pkg\nfrom pkg import fake\npkg.real()\nflatten([1])\nprint(len([]))\n",
    );
    let o = grounded(
        dir.path(),
        &["check", "--format", "json"],
        &[("PATH", "/nonexistent")],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let codes: Vec<(u64, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        vec![
            (4, "unresolved-symbol".to_string()),
            (6, "undefined-name".to_string())
        ],
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("no Python environment"));
}

#[test]
fn severity_configuration_and_exit_code() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "pyproject.toml",
        b"[tool.grounded.severity]\nundefined-name = 'warning'\nunknown-member = 'off'\n",
    );
    write(
        dir.path(),
        "a.py",
        b"import pathlib\npathlib.Path('a').read()\nflatten([1])\n",
    );
    let o = grounded(dir.path(), &["check"], &[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "warnings do not fail: {out}");
    assert!(out.contains("a.py:3:1: warning[undefined-name]"), "{out}");
    assert!(!out.contains("unknown-member"), "{out}");
}

#[test]
fn facts_cache_sees_edits_between_runs() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let cache = cache.to_str().unwrap();
    write(
        dir.path(),
        "ws/app.py",
        b"import os\nprint(os.path.exists('x'))\n",
    );
    let ws = dir.path().join("ws");
    let first = grounded(&ws, &["check"], &[("GROUNDED_CACHE_DIR", cache)]);
    assert_eq!(first.status.code(), Some(0), "{}", stdout(&first));
    // Warm run, same answer from the cache.
    let again = grounded(&ws, &["check"], &[("GROUNDED_CACHE_DIR", cache)]);
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
    // An edit invalidates the cached facts.
    write(
        dir.path(),
        "ws/app.py",
        b"import os\nprint(os.path.exist('x'))\n",
    );
    let edited = grounded(&ws, &["check"], &[("GROUNDED_CACHE_DIR", cache)]);
    let out = stdout(&edited);
    assert_eq!(edited.status.code(), Some(1), "{out}");
    assert!(
        out.contains("app.py:2:15: error[unresolved-symbol]"),
        "{out}"
    );
}

/// The cached facts of `path` (a file name's ending) under `cache`.
fn facts_entry(cache: &Path, path: &str) -> PathBuf {
    let mut found = Vec::new();
    let mut dirs = vec![cache.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.file_type().unwrap().is_dir() {
                dirs.push(e.path());
            } else if e.path().to_string_lossy().contains("/facts-v") {
                let bytes = std::fs::read(e.path()).unwrap();
                let needle = path.as_bytes();
                if bytes.windows(needle.len()).any(|w| w == needle) {
                    found.push(e.path());
                }
            }
        }
    }
    assert_eq!(found.len(), 1, "one entry for {path}: {found:?}");
    found.pop().unwrap()
}

/// What a check said, without its duration.
fn said(o: &Output) -> (Option<i32>, Vec<String>, String) {
    let out = stdout(o);
    let mut lines: Vec<String> = out.lines().map(str::to_string).collect();
    if let Some(summary) = lines.last_mut() {
        if let Some((head, _ms)) = summary.rsplit_once(" in ") {
            *summary = head.to_string();
        }
    }
    (o.status.code(), lines, stderr(o))
}

/// A damaged facts-cache entry (here: bits flipped across the entry of a
/// workspace file and of the stdlib module it uses) is a miss: the check
/// says what the clean run said, nothing panics, and the entry is written
/// again. Before checksums, `fill` read as `finl` ("`textwrap.finl` does
/// not exist"), findings went missing, and ids out of range panicked, on
/// every run until the cache was deleted.
#[test]
fn damaged_cache_entries_are_misses_and_rewritten() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let cache_env = cache.to_str().unwrap();
    write(
        dir.path(),
        "ws/app.py",
        b"import textwrap\n\n\nclass Doc:\n    def __init__(self, text):\n        self.text = text\n\n    \
def wrap(self, width=70):\n        return textwrap.fill(self.text, width)\n\n\ndef show(doc):\n    \
print(textwrap.dedentx(doc.text), textwrap.shorten(doc.wrap(), 9), missing_name)\n",
    );
    let ws = dir.path().join("ws");
    let run = || grounded(&ws, &["check"], &[("GROUNDED_CACHE_DIR", cache_env)]);
    let clean = said(&run());
    assert_eq!(clean.0, Some(1), "{clean:?}");
    assert_eq!(clean.1.len(), 3, "two findings and the summary: {clean:?}");
    assert!(
        clean.1[0].contains("`textwrap.dedentx` does not exist"),
        "{clean:?}"
    );
    assert_eq!(said(&run()), clean, "from the cache");
    for entry in [
        facts_entry(&cache, "ws/app.py"),
        facts_entry(&cache, "/textwrap.py"),
    ] {
        let good = std::fs::read(&entry).unwrap();
        let mut damage: Vec<Vec<u8>> = Vec::new();
        // Bits across the entry, its checksum at the end included.
        for k in 0..24 {
            let at = (good.len() - 1) * k / 23;
            let mut bytes = good.clone();
            bytes[at] ^= 1 << (k % 8);
            damage.push(bytes);
        }
        // `fill` → `finl`: one bit of the name.
        if let Some(at) = good.windows(4).position(|w| w == b"fill") {
            let mut bytes = good.clone();
            bytes[at + 2] ^= 0x02;
            damage.push(bytes);
        }
        damage.push(good[..good.len() / 2].to_vec());
        for (i, bytes) in damage.iter().enumerate() {
            std::fs::write(&entry, bytes).unwrap();
            let o = run();
            assert_eq!(said(&o), clean, "{}: damage {i}", entry.display());
            assert!(
                std::fs::read(&entry).unwrap() == good,
                "{}: damage {i} not rewritten",
                entry.display()
            );
        }
    }
}

/// A package copied into a directory whose name is no identifier
/// (`rich-copy/`), checked on its own: no import root reaches it under a
/// name, so its relative imports are not checked (they were reported as
/// "module `__main__` not found"). The same package under a real name still
/// gets its missing relative import.
#[test]
fn relative_imports_of_a_directory_no_import_can_name() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for package in ["rich-copy", "richcopy"] {
        write(
            dir.path(),
            &format!("{package}/__init__.py"),
            b"from . import console\nfrom .console import Console\nfrom .missing import nothing\n",
        );
        write(
            dir.path(),
            &format!("{package}/console.py"),
            b"from .segment import Segment\nfrom ._absent import x\n\n\nclass Console:\n    pass\n",
        );
        write(
            dir.path(),
            &format!("{package}/segment.py"),
            b"class Segment:\n    pass\n",
        );
    }
    let o = grounded(dir.path(), &["check", "rich-copy"], &[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.starts_with("No hallucinated APIs: checked 3 files"),
        "{out}"
    );

    let o = grounded(dir.path(), &["check", "richcopy"], &[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("richcopy/__init__.py:3:6: error[unresolved-module] module `richcopy.missing` not found"),
        "{out}"
    );
    assert!(
        out.contains(
            "richcopy/console.py:2:6: error[unresolved-module] module `richcopy._absent` not found"
        ),
        "{out}"
    );
    assert!(out.contains("Found 2 problems"), "{out}");
}

/// Bad input is normal input: every fixture file cut short at many points,
/// or with a burst of brackets spliced in, is checked without a crash.
#[test]
fn truncated_and_garbled_sources_never_crash() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut seeds = Vec::new();
    for dir in [
        "fixtures/demo/notes",
        "fixtures/python/undefined_name",
        "fixtures/python/unknown_member",
    ] {
        for e in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
            if e.path().extension().is_some_and(|x| x == "py") {
                seeds.push(std::fs::read(e.path()).unwrap());
            }
        }
    }
    assert!(!seeds.is_empty());
    let ws = tempfile::tempdir().unwrap();
    let mut n = 0;
    for seed in &seeds {
        let step = (seed.len() / 12).max(1);
        for cut in (0..seed.len()).step_by(step) {
            write(ws.path(), &format!("cut{n}.py"), &seed[..cut]);
            let mut spliced = seed[..cut].to_vec();
            spliced.extend_from_slice(b"([{:\"'\\\n\tdef class = )]}");
            spliced.extend_from_slice(&seed[cut..]);
            write(ws.path(), &format!("splice{n}.py"), &spliced);
            n += 1;
        }
    }
    let o = grounded(ws.path(), &["check", "--format", "json"], &[]);
    let err = stderr(&o);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "exit {:?}: {err}",
        o.status.code()
    );
    assert!(!err.contains("panicked"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(v["summary"]["files"].as_u64(), Some(2 * n as u64), "{err}");
}

/// An editable install through a setuptools finder: the package lives outside
/// site-packages and is reached only through the finder's MAPPING literal.
#[test]
fn editable_finder_mapping_is_followed() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src_checkout");
    write(
        &src,
        "edpkg/__init__.py",
        b"def real_api():\n    return 1\n",
    );
    let site = "ws/.venv/lib/python3.11/site-packages";
    write(
        dir.path(),
        "ws/.venv/pyvenv.cfg",
        b"home = /nonexistent/grounded-test-home\ninclude-system-site-packages = false\nversion = 3.11.7\n",
    );
    write(
        dir.path(),
        &format!("{site}/__editable___edpkg_0_1_finder.py"),
        format!(
            "import sys\nMAPPING: dict[str, str] = {{'edpkg': '{}'}}\nNAMESPACES: dict[str, list[str]] = {{}}\n",
            src.join("edpkg").display()
        )
        .as_bytes(),
    );
    write(
        dir.path(),
        &format!("{site}/__editable__.edpkg-0.1.pth"),
        b"import __editable___edpkg_0_1_finder; __editable___edpkg_0_1_finder.install()\n",
    );
    write(
        dir.path(),
        "ws/app.py",
        b"import edpkg\nedpkg.real_api()\nedpkg.fake_api()\n",
    );
    let ws = dir.path().join("ws");
    let o = grounded(&ws, &["check"], &[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    assert!(
        out.contains("app.py:3:7: error[unresolved-symbol] `edpkg.fake_api`"),
        "{out}"
    );
    assert!(!out.contains("unresolved-module"), "{out}");
}

/// Rust without cargo metadata: a lone file (no Cargo.toml) knows std but
/// nothing about external crates; a manifest whose dependencies cannot be
/// resolved knows their names only.
#[test]
fn rust_without_a_dependency_graph_reports_nothing_about_external_crates() {
    let dir = tempfile::tempdir().unwrap();
    let lone = dir.path().join("lone");
    write(
        &lone,
        "main.rs",
        b"use reqwest::Client;\nuse std::collections::HashMapp;\n\nfn main() {\n    let _ = tokio::time::sleep_ms(1);\n    helper(); // grounded: ignore[undefined-name]\n    other();\n}\n",
    );
    let out = grounded(&lone, &["check", "--format", "json", "."], &[]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(u64, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    if found.iter().any(|(l, _)| *l == 2) {
        // std is known (the toolchain's search index was readable).
        assert_eq!(
            found,
            [
                (2, "unresolved-symbol".to_string()),
                (7, "undefined-name".to_string())
            ],
            "{}",
            stdout(&out)
        );
    } else {
        assert_eq!(
            found,
            [(7, "undefined-name".to_string())],
            "{}",
            stdout(&out)
        );
    }
    assert!(stderr(&out).contains("no Cargo.toml"), "{}", stderr(&out));
    // The same configuration as Python: a code turned off.
    write(
        &lone,
        "grounded.toml",
        b"[severity]\nundefined-name = \"off\"\n",
    );
    let out = grounded(&lone, &["check", "--format", "json", "."], &[]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["code"] != "undefined-name"),
        "{}",
        stdout(&out)
    );

    let manifest_only = dir.path().join("manifest_only");
    write(
        &manifest_only,
        "Cargo.toml",
        b"[package]\nname = \"m\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nno-such-crate-grounded-test = { path = \"missing\" }\n",
    );
    write(
        &manifest_only,
        "src/lib.rs",
        b"use no_such_crate_grounded_test::Thing;\nuse reqwest::Client;\n",
    );
    let out = grounded(&manifest_only, &["check", "--format", "json", "."], &[]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["diagnostics"].as_array().unwrap().len(),
        0,
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("known by name only"),
        "{}",
        stderr(&out)
    );
}

/// `mkfifo PATH`: a FIFO nobody writes to, where reading blocks forever.
#[cfg(unix)]
fn mkfifo(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let made = Command::new("mkfifo").arg(path).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", path.display());
}

/// `grounded ARGS` in `dir`, killed (and the test failed) if it has not
/// ended within 20 s: a hang must fail, not stall the suite.
#[cfg(unix)]
fn grounded_within_20s(dir: &Path, args: &[&str]) -> Output {
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("grounded-cache");
    let mut child = Command::new(env!("CARGO_BIN_EXE_grounded"))
        .args(args)
        .current_dir(dir)
        .env("GROUNDED_CACHE_DIR", cache)
        .env_remove("VIRTUAL_ENV")
        .env_remove("CONDA_PREFIX")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("grounded runs");
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let o = child.wait_with_output().unwrap();
            panic!("grounded {args:?} still running after 20 s: {}", stderr(&o));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// A FIFO where a module, a manifest or a toolchain file would be is never
/// opened (reading it would block for good): imported, it is no module (as
/// for CPython); walked over, it is skipped; named, it is skipped with one
/// note; and cargo and rustc are not run on a workspace whose `Cargo.lock`
/// or `rust-toolchain.toml` is one.
#[cfg(unix)]
#[test]
fn special_files_are_never_opened() {
    let dir = tempfile::tempdir().unwrap();
    let py = dir.path().join("py");
    write(&py, "main.py", b"import mod\nmod.f()\n");
    mkfifo(&py.join("mod.py"));

    let o = grounded_within_20s(&py, &["check", "main.py"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    assert!(!stderr(&o).contains("mod.py"), "{}", stderr(&o));
    if has_python() {
        assert!(
            stdout(&o).contains("main.py:1:8: error[unresolved-module] module `mod` not found"),
            "{}",
            stdout(&o)
        );
    }

    let o = grounded_within_20s(&py, &["check", "."]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    assert!(!stderr(&o).contains("mod.py"), "{}", stderr(&o));
    assert!(stdout(&o).contains("in 1 file"), "{}", stdout(&o));

    let o = grounded_within_20s(&py, &["check", "mod.py", "main.py"]);
    let err = stderr(&o);
    assert_eq!(
        err.matches("mod.py: skipped: not a regular file (a FIFO)")
            .count(),
        1,
        "{err}"
    );

    let rs = dir.path().join("rs");
    write(
        &rs,
        "Cargo.toml",
        b"[package]\nname = \"x\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    write(
        &rs,
        "src/main.rs",
        b"mod m;\n\nfn main() {\n    m::f();\n}\n",
    );
    mkfifo(&rs.join("src/m.rs"));
    mkfifo(&rs.join("Cargo.lock"));
    let o = grounded_within_20s(&rs, &["check", "."]);
    let err = stderr(&o);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{err}");
    assert!(
        err.contains("cargo metadata not run: ")
            && err.contains("Cargo.lock: not a regular file (a FIFO)"),
        "{err}"
    );
    mkfifo(&rs.join("rust-toolchain.toml"));
    let o = grounded_within_20s(&rs, &["check", "."]);
    let err = stderr(&o);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{err}");
    assert!(
        err.contains("rust-toolchain.toml: not a regular file (a FIFO)"),
        "{err}"
    );
    assert!(err.contains("Rust standard library unknown"), "{err}");
}

/// A name a module `__getattr__` raises for on its own path is a removed
/// API: the library's own message is quoted, and the replacement it names
/// is the suggestion (the fix in SARIF, the quick fix in editors).
#[test]
fn removed_api_quotes_the_library_and_offers_its_replacement() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pyproject.toml", b"[project]\nname = \"ws\"\n");
    write(
        dir.path(),
        "oldlib/_expired.py",
        b"EXPIRED = {\"Inf\": \"Use `np.inf` instead.\"}\n",
    );
    write(
        dir.path(),
        "oldlib/__init__.py",
        b"from ._expired import EXPIRED\n\ninf = float('inf')\n\n\ndef __getattr__(attr):\n    import warnings\n\n    if attr in EXPIRED:\n        raise AttributeError(f\"`np.{attr}` was removed in the 2.0 release. {EXPIRED[attr]}\")\n    raise AttributeError(attr)\n",
    );
    write(dir.path(), "app.py", b"import oldlib\nprint(oldlib.Inf)\n");
    let o = grounded(dir.path(), &["check"], &[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.starts_with("app.py:2:14: error[removed-api] `oldlib.Inf` was removed: module `oldlib` raises AttributeError for it ("),
        "{out}"
    );
    assert!(
        out.contains(": \"`np.Inf` was removed in the 2.0 release. Use `np.inf` instead.\" (did you mean `oldlib.inf`?)"),
        "{out}"
    );
    let o = grounded(dir.path(), &["check", "--format", "json"], &[]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "removed-api");
    assert_eq!(d["symbol"], "oldlib.Inf");
    assert_eq!(d["suggestions"], serde_json::json!(["oldlib.inf"]));
    // The exception the library raises is named as it is (ImportError for
    // a name moved to an optional package), or not at all when computed.
    write(
        dir.path(),
        "movedlib/__init__.py",
        b"def __getattr__(name):\n    if name == \"Plot\":\n        raise ImportError(\"Plot moved to movedlib-extras\")\n    if name == \"Grid\":\n        raise _error_for(name)\n    raise AttributeError(name)\n",
    );
    write(
        dir.path(),
        "moved.py",
        b"import movedlib\nmovedlib.Plot\nmovedlib.Grid\n",
    );
    let o = grounded(dir.path(), &["check", "moved.py"], &[]);
    let out = stdout(&o);
    assert!(
        out.contains("moved.py:2:10: error[removed-api] `movedlib.Plot` was removed: module `movedlib` raises ImportError for it ("),
        "{out}"
    );
    assert!(
        out.contains("moved.py:3:10: error[removed-api] `movedlib.Grid` was removed: module `movedlib` raises an exception for it ("),
        "{out}"
    );
    let o = grounded(dir.path(), &["check", "app.py", "--format", "sarif"], &[]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let run = &v["runs"][0];
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "removed-api");
    let rule = &run["tool"]["driver"]["rules"][result["ruleIndex"].as_u64().unwrap() as usize];
    assert_eq!(rule["id"], "removed-api");
    let fix = &result["fixes"][0];
    assert_eq!(fix["description"]["text"], "Replace with `inf`");
    assert_eq!(
        fix["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
        "inf"
    );
    let o = grounded(dir.path(), &["explain", "removed-api"], &[]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("removed-api: "), "{}", stdout(&o));
}

/// With no Python file to check, no interpreter is run (a Rust workspace
/// does not pay for the environment probe); with one, it is.
#[cfg(unix)]
#[test]
fn no_python_file_runs_no_interpreter() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("probed");
    let script = dir.path().join("fake-python");
    std::fs::write(
        &script,
        format!("#!/bin/sh\ntouch '{}'\nexit 1\n", marker.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let ws = dir.path().join("ws");
    write(&ws, "src/lib.rs", b"pub fn f() -> u32 { 1 }\n");
    let py = script.to_string_lossy().into_owned();
    let o = grounded(&ws, &["check", "--python", &py, "."], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!marker.exists(), "the interpreter was run");
    assert!(
        !stderr(&o).contains("no Python environment"),
        "{}",
        stderr(&o)
    );
    write(&ws, "a.py", b"import os\n");
    let _ = grounded(&ws, &["check", "--python", &py, "."], &[]);
    assert!(marker.exists(), "a Python file needs the interpreter");
}

/// `from m import missing` is suggested the way `m.missing` is: by
/// spelling, word parts, doc lines and the thesaurus (`parse` → `loads`),
/// not by spelling alone (which has nothing for it).
#[test]
fn from_import_of_a_missing_name_gets_ranked_suggestions() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pyproject.toml", b"[project]\nname = \"ws\"\n");
    write(
        dir.path(),
        "app.py",
        b"from json import parse\nimport json\njson.parse\n",
    );
    let o = grounded(dir.path(), &["check", "--format", "json"], &[]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = v["diagnostics"].as_array().unwrap();
    assert_eq!(d.len(), 2, "{v}");
    assert_eq!(d[0]["suggestions"][0], "json.loads", "{v}");
    assert_eq!(d[0]["suggestions"], d[1]["suggestions"], "{v}");
}
