//! Tests of environment discovery, probing, caching and the stdlib dump.
use super::*;
use std::os::unix::fs::PermissionsExt;

/// A fake interpreter: a shell script that logs each run to `log` and prints `body`.
fn fake_python(dir: &Path, name: &str, body: &str, log: &Path) -> PathBuf {
    let path = dir.join(name);
    fs::create_dir_all(dir).unwrap();
    fs::write(
        &path,
        format!("#!/bin/sh\necho run >> '{}'\n{body}\n", log.display()),
    )
    .unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn runs(log: &Path) -> usize {
    fs::read_to_string(log).map_or(0, |t| t.lines().count())
}

/// A fake probe answer; `stdlib` and `site` are used as-is.
fn probe_json(exe: &Path, stdlib: &Path, site: &Path) -> String {
    serde_json::json!({
        "executable": exe, "version": [3, 11, 7], "platform": "linux",
        "prefix": "/fake", "base_prefix": "/fake",
        "path": ["/fake/lib/python311.zip", stdlib, site],
        "site_packages": [site], "stdlib": [stdlib],
        "stdlib_module_names": ["os", "sys"], "builtin_module_names": ["sys"],
        "builtins": ["len", "print"],
    })
    .to_string()
}

/// A fake interpreter answering the probe with `probe_json`.
fn fake_probing_python(dir: &Path, name: &str, stdlib: &Path, site: &Path) -> PathBuf {
    let log = dir.join(format!("{name}.log"));
    let exe = dir.join(name);
    let json = probe_json(&exe, stdlib, site);
    fake_python(
        dir,
        name,
        &format!("echo 'noise from a .pth'\necho '{PROBE_MARKER}{json}'"),
        &log,
    )
}

struct Env(HashMap<String, String>);
impl Env {
    fn get(&self, k: &str) -> Option<String> {
        self.0.get(k).cloned()
    }
}

fn env(pairs: &[(&str, &Path)]) -> Env {
    Env(pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string_lossy().into_owned()))
        .collect())
}

fn request<'a>(
    root: &'a Path,
    vars: &'a dyn Fn(&str) -> Option<String>,
    cache: Option<&'a Path>,
) -> EnvRequest<'a> {
    EnvRequest {
        workspace_root: root,
        flag_python: None,
        config_python: None,
        env_vars: vars,
        cache_dir: cache,
        trusted: true,
        flag_trusted: false,
    }
}

fn make_venv(dir: &Path, cfg: &str) -> PathBuf {
    let site = dir.join("lib/python3.11/site-packages");
    fs::create_dir_all(&site).unwrap();
    fs::write(dir.join("pyvenv.cfg"), cfg).unwrap();
    site
}

fn real_python3() -> Option<PathBuf> {
    let path = std::env::var("PATH").ok()?;
    let vars = move |k: &str| (k == "PATH").then(|| path.clone());
    let root = std::env::temp_dir();
    let req = request(&root, &vars, None);
    find_on_path(&req, &["python3"])
}

#[test]
fn python_env_discovery_order() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("ws");
    let bin = t.path().join("bin");
    let stdlib = t.path().join("stdlib");
    let site = t.path().join("site");
    fs::create_dir_all(&stdlib).unwrap();
    fs::create_dir_all(&site).unwrap();
    fs::create_dir_all(&root).unwrap();
    let path_py = fake_probing_python(&bin, "python3", &stdlib, &site);
    fake_probing_python(&bin, "python", &stdlib, &site);

    // PATH only.
    let e = env(&[("PATH", &bin)]);
    let vars = |k: &str| e.get(k);
    let got = discover(&request(&root, &vars, None)).unwrap();
    assert_eq!(got.origin, EnvOrigin::Path);
    assert_eq!(got.interpreter, path_py);

    // workspace venv/ beats PATH; .venv/ beats venv/.
    let venv_py = fake_probing_python(&root.join("venv/bin"), "python", &stdlib, &site);
    fs::write(root.join("venv/pyvenv.cfg"), "home = /nowhere\n").unwrap();
    let got = discover(&request(&root, &vars, None)).unwrap();
    assert_eq!(
        (got.origin, &got.interpreter),
        (EnvOrigin::WorkspaceVenv, &venv_py)
    );
    let dotvenv_py = fake_probing_python(&root.join(".venv/bin"), "python3", &stdlib, &site);
    fs::write(root.join(".venv/pyvenv.cfg"), "home = /nowhere\n").unwrap();
    let got = discover(&request(&root, &vars, None)).unwrap();
    assert_eq!(got.interpreter, dotvenv_py);
    assert_eq!(got.venv.as_deref(), Some(root.join(".venv").as_path()));

    // CONDA_PREFIX (a prefix dir without pyvenv.cfg) beats the workspace venv.
    let conda = t.path().join("conda");
    let conda_py = fake_probing_python(&conda.join("bin"), "python", &stdlib, &site);
    let e = env(&[("PATH", &bin), ("CONDA_PREFIX", &conda)]);
    let vars = |k: &str| e.get(k);
    let got = discover(&request(&root, &vars, None)).unwrap();
    assert_eq!(
        (got.origin, &got.interpreter),
        (EnvOrigin::Conda, &conda_py)
    );

    // VIRTUAL_ENV beats CONDA_PREFIX; a missing VIRTUAL_ENV is noted and skipped.
    let missing = t.path().join("missing");
    let e = env(&[
        ("PATH", &bin),
        ("CONDA_PREFIX", &conda),
        ("VIRTUAL_ENV", &missing),
    ]);
    let vars = |k: &str| e.get(k);
    let got = discover(&request(&root, &vars, None)).unwrap();
    assert_eq!(got.origin, EnvOrigin::Conda);
    assert!(
        got.notes.iter().any(|n| n.contains("VIRTUAL_ENV")),
        "{:?}",
        got.notes
    );
    let ve = root.join("venv");
    let e = env(&[
        ("PATH", &bin),
        ("CONDA_PREFIX", &conda),
        ("VIRTUAL_ENV", &ve),
    ]);
    let vars = |k: &str| e.get(k);
    let got = discover(&request(&root, &vars, None)).unwrap();
    assert_eq!(
        (got.origin, &got.interpreter),
        (EnvOrigin::VirtualEnv, &venv_py)
    );

    // config beats env vars; flag beats config.
    let mut req = request(&root, &vars, None);
    req.config_python = Some(&path_py);
    let got = discover(&req).unwrap();
    assert_eq!(
        (got.origin, &got.interpreter),
        (EnvOrigin::Config, &path_py)
    );
    let flag_dir = conda.clone();
    req.flag_python = Some(&flag_dir);
    let got = discover(&req).unwrap();
    assert_eq!((got.origin, &got.interpreter), (EnvOrigin::Flag, &conda_py));

    // A flag that does not exist is an error, not a fall-through.
    let nope = t.path().join("nope/python");
    req.flag_python = Some(&nope);
    let err = discover(&req).unwrap_err();
    assert!(matches!(err, EnvError::NotFound(_)), "{err}");
    assert!(err.to_string().contains("does not exist"), "{err}");

    // Nothing at all.
    let empty = Env(HashMap::new());
    let vars = |k: &str| empty.get(k);
    let bare = t.path().join("bare");
    fs::create_dir_all(&bare).unwrap();
    let err = discover(&request(&bare, &vars, None)).unwrap_err();
    assert!(
        err.to_string().starts_with("no Python interpreter found"),
        "{err}"
    );
}

#[test]
fn python_env_path_search_prefers_python3_anywhere() {
    let t = tempfile::tempdir().unwrap();
    let (a, b) = (t.path().join("a"), t.path().join("b"));
    let log = t.path().join("log");
    fake_python(&a, "python", "", &log);
    let py3 = fake_python(&b, "python3", "", &log);
    // Not executable: skipped.
    fs::write(a.join("python3"), "").unwrap();
    let joined = std::env::join_paths([&a, &b]).unwrap();
    let p = joined.to_string_lossy().into_owned();
    let vars = move |k: &str| (k == "PATH").then(|| p.clone());
    let req = request(t.path(), &vars, None);
    assert_eq!(find_on_path(&req, &["python3", "python"]), Some(py3));
}

#[test]
fn python_env_pyvenv_cfg_parsing() {
    let cfg = PyvenvCfg::parse(
        "home = /usr/local/bin\ninclude-system-site-packages = True\nversion = 3.12.1\n\
         executable = /usr/local/bin/python3.12\ncommand = /usr/bin/python3 -m venv x\n",
    );
    assert_eq!(cfg.home, Some(PathBuf::from("/usr/local/bin")));
    assert!(cfg.include_system_site_packages);
    assert_eq!(cfg.version, Some((3, 12)));
    assert_eq!(
        cfg.executable,
        Some(PathBuf::from("/usr/local/bin/python3.12"))
    );
    // uv writes version_info; no spaces around `=`; junk lines ignored.
    let cfg = PyvenvCfg::parse("home=/opt/py/bin\nversion_info=3.11.4\njunk\n");
    assert_eq!(cfg.version, Some((3, 11)));
    assert!(!cfg.include_system_site_packages);
    assert_eq!(PyvenvCfg::parse(""), PyvenvCfg::default());
}

#[test]
fn python_env_venv_without_interpreter_uses_home() {
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("base/bin");
    let stdlib = t.path().join("base/lib/python3.11");
    let base_site = stdlib.join("site-packages");
    fs::create_dir_all(&base_site).unwrap();
    let base_py = fake_probing_python(&home, "python3", &stdlib, &base_site);
    let root = t.path().join("ws");
    let venv_site = make_venv(
        &root.join(".venv"),
        &format!(
            "home = {}\ninclude-system-site-packages = false\nversion = 3.11.7\n",
            home.display()
        ),
    );
    let src = root.join("src");
    fs::create_dir_all(&src).unwrap();
    fs::write(venv_site.join("_mypkg.pth"), "../../../../src\n").unwrap();
    let empty = Env(HashMap::new());
    let vars = |k: &str| empty.get(k);
    let got = discover(&request(&root, &vars, None)).unwrap();
    assert_eq!(got.interpreter, base_py);
    assert_eq!(got.origin, EnvOrigin::WorkspaceVenv);
    assert_eq!(got.prefix, root.join(".venv"));
    assert_eq!(got.site_packages, vec![venv_site.clone()]);
    assert_eq!(got.stdlib_dirs, vec![stdlib.clone()]);
    let pth_dir = venv_site.join("../../../../src");
    assert_eq!(
        got.search_path,
        vec![stdlib.clone(), venv_site.clone(), pth_dir]
    );
    assert!(got.notes.is_empty(), "{:?}", got.notes);

    // include-system-site-packages = true adds the base's site-packages after the venv's.
    fs::write(
        root.join(".venv/pyvenv.cfg"),
        format!(
            "home = {}\ninclude-system-site-packages = true\n",
            home.display()
        ),
    )
    .unwrap();
    let got = discover(&request(&root, &vars, None)).unwrap();
    assert_eq!(
        got.site_packages,
        vec![venv_site.clone(), base_site.clone()]
    );

    // home missing too: python3 from PATH, with a note.
    fs::write(
        root.join(".venv/pyvenv.cfg"),
        "home = /no/such/dir\nversion = 3.9.1\n",
    )
    .unwrap();
    let bin = t.path().join("pathbin");
    let path_py = fake_probing_python(&bin, "python3", &stdlib, &base_site);
    let e = env(&[("PATH", &bin)]);
    let vars = |k: &str| e.get(k);
    let got = discover(&request(&root, &vars, None)).unwrap();
    assert_eq!(got.interpreter, path_py);
    assert_eq!(got.site_packages, vec![venv_site]);
    assert!(
        got.notes
            .iter()
            .any(|n| n.contains("/no/such/dir") && n.contains("used")),
        "{:?}",
        got.notes
    );
    assert!(
        got.notes.iter().any(|n| n.contains("made for Python 3.9")),
        "{:?}",
        got.notes
    );

    // Nothing to run at all.
    let empty = Env(HashMap::new());
    let vars = |k: &str| empty.get(k);
    let err = discover(&request(&root, &vars, None)).unwrap_err();
    assert!(err.to_string().contains("no runnable interpreter"), "{err}");
}

#[test]
fn python_env_pth_handling() {
    let t = tempfile::tempdir().unwrap();
    let site = t.path().join("site-packages");
    let other_site = t.path().join("other-site");
    fs::create_dir_all(site.join("pkgdir")).unwrap();
    fs::create_dir_all(&other_site).unwrap();
    let abs_dir = t.path().join("abs");
    fs::create_dir_all(&abs_dir).unwrap();
    fs::write(
        site.join("a.pth"),
        format!(
            "# comment\n\npkgdir\nmissing-dir\n{}\nimport os; os.getcwd()\n",
            abs_dir.display()
        ),
    )
    .unwrap();
    fs::write(
        site.join("__editable__.demo-1.0.pth"),
        "import __editable___demo_1_0_finder; __editable___demo_1_0_finder.install()\n",
    )
    .unwrap();
    fs::write(
        site.join("__editable___demo_1_0_finder.py"),
        "import sys\nMAPPING: dict[str, str] = {'demo': '/src/demo/demo', \"tool\": '/src/t\\u00e9l'}\n\
         NAMESPACES: dict[str, list[str]] = {'ns': ['/src/ns1', '/src/ns2']}\n",
    )
    .unwrap();
    let info = read_pth_files(&[site.clone(), other_site.clone()]);
    assert_eq!(
        info.paths,
        vec![(site.clone(), vec![site.join("pkgdir"), abs_dir.clone()])]
    );
    assert_eq!(
        info.mappings,
        vec![
            ("demo".to_string(), PathBuf::from("/src/demo/demo")),
            ("tool".to_string(), PathBuf::from("/src/tél")),
            ("ns".to_string(), PathBuf::from("/src/ns1")),
            ("ns".to_string(), PathBuf::from("/src/ns2")),
        ]
    );
    // The path lines go right after their site dir, even when sys.path had them later.
    let base = vec![
        t.path().join("std"),
        site.clone(),
        other_site.clone(),
        abs_dir.clone(),
    ];
    assert_eq!(
        apply_pth_paths(base, &info.paths),
        vec![
            t.path().join("std"),
            site.clone(),
            site.join("pkgdir"),
            abs_dir,
            other_site
        ]
    );
}

#[test]
fn python_env_mapping_literal_parsing() {
    let src = r#"
import sys
from importlib.machinery import ModuleSpec
MAPPING_OTHER = {'no': 'no'}
MAPPING: dict[str, str] = {
'pkg': '/home/u/p r\'oj/src/pkg',  # comment
"other": r'C:\src\other',
'cat': '/a' '/b',
'esc': "/x\ty\\z\x41\101",
}
NAMESPACES = {}
"#;
    assert_eq!(
        parse_finder_mappings(src),
        vec![
            ("pkg".to_string(), PathBuf::from("/home/u/p r'oj/src/pkg")),
            ("other".to_string(), PathBuf::from(r"C:\src\other")),
            ("cat".to_string(), PathBuf::from("/a/b")),
            ("esc".to_string(), PathBuf::from("/x\ty\\zAA")),
        ]
    );
    assert_eq!(
        parse_finder_mappings("MAPPING = {'a': '/a',}\n"),
        vec![("a".to_string(), PathBuf::from("/a"))]
    );
    // Garbage never panics.
    for bad in [
        "MAPPING = {'a': ",
        "MAPPING: = ",
        "MAPPING = {'a' '/a'}",
        "MAPPING = '\\x4",
        "MAPPING = {1: 2, 'a': [}",
    ] {
        let _ = parse_finder_mappings(bad);
    }
    assert_eq!(
        editable_finder_names("import __editable___a_b_finder; __editable___a_b_finder.install()"),
        vec!["__editable___a_b_finder"]
    );
}

#[test]
fn python_env_cache_hit_and_corrupt_cache() {
    let t = tempfile::tempdir().unwrap();
    let stdlib = t.path().join("stdlib");
    fs::create_dir_all(&stdlib).unwrap();
    let bin = t.path().join("bin");
    let py = fake_probing_python(&bin, "python3", &stdlib, &stdlib);
    let log = bin.join("python3.log");
    let cache = t.path().join("cache");
    let empty = Env(HashMap::new());
    let vars = |k: &str| empty.get(k);
    let mut req = request(t.path(), &vars, Some(&cache));
    req.flag_python = Some(&py);
    let first = discover(&req).unwrap();
    assert_eq!(runs(&log), 1);
    let second = discover(&req).unwrap();
    assert_eq!(runs(&log), 1, "second discover must come from the cache");
    assert_eq!(first, second);

    // Untrusted: the cached probe may be used.
    req.trusted = false;
    assert_eq!(discover(&req).unwrap(), first);
    assert_eq!(runs(&log), 1);
    req.trusted = true;

    // A corrupt cache file is ignored and rewritten.
    let files: Vec<PathBuf> = fs::read_dir(&cache)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    fs::write(&files[0], "{not json").unwrap();
    assert_eq!(discover(&req).unwrap(), first);
    assert_eq!(runs(&log), 2);
    assert!(serde_json::from_slice::<serde_json::Value>(&fs::read(&files[0]).unwrap()).is_ok());
    assert_eq!(discover(&req).unwrap(), first);
    assert_eq!(runs(&log), 2);

    // Changing the interpreter (size/mtime) invalidates the cache.
    let mut text = fs::read_to_string(&py).unwrap();
    text.push_str("# changed\n");
    fs::write(&py, text).unwrap();
    discover(&req).unwrap();
    assert_eq!(runs(&log), 3);
}

#[test]
fn python_env_untrusted_runs_nothing() {
    let t = tempfile::tempdir().unwrap();
    let bin = t.path().join("bin");
    let py = fake_probing_python(&bin, "python3", t.path(), t.path());
    let log = bin.join("python3.log");
    let e = env(&[("PATH", &bin)]);
    let vars = |k: &str| e.get(k);
    let cache = t.path().join("cache");
    let mut req = request(t.path(), &vars, Some(&cache));
    req.trusted = false;
    let err = discover(&req).unwrap_err();
    // The note says which interpreter was not run.
    assert_eq!(
        err,
        EnvError::NotFound(format!(
            "untrusted workspace: no interpreter is run; not run: {} (no earlier answer is cached)",
            py.display()
        ))
    );
    // Also for a venv (own interpreter and base).
    let root = t.path().join("ws");
    make_venv(&root.join(".venv"), &format!("home = {}\n", bin.display()));
    let req2 = EnvRequest {
        workspace_root: &root,
        ..request(&root, &vars, Some(&cache))
    };
    let req2 = EnvRequest {
        trusted: false,
        ..req2
    };
    // Neither the venv's own interpreter nor the base its pyvenv.cfg names.
    let err = discover(&req2).unwrap_err().to_string();
    assert!(err.starts_with(UNTRUSTED), "{err}");
    assert!(err.contains(&py.display().to_string()), "{err}");
    assert_eq!(runs(&log), 0);
    let env = discover(&EnvRequest {
        trusted: true,
        ..req2
    })
    .unwrap();
    assert_eq!(env.interpreter, py);
    let dump = stdlib_dump(&env, Some(&cache), false).unwrap_err();
    assert!(dump.to_string().starts_with(UNTRUSTED), "{dump}");
    assert_eq!(runs(&log), 1);
}

/// Untrusted, the interpreter the user named on the command line still runs (and its stdlib
/// dump with it); a fallback from it does not: not the base interpreter its venv's pyvenv.cfg
/// names, not PATH.
#[test]
fn python_env_untrusted_runs_the_users_own_interpreter_only() {
    let t = tempfile::tempdir().unwrap();
    let bin = t.path().join("bin");
    let mine = fake_probing_python(&t.path().join("mine"), "python3", t.path(), t.path());
    fake_probing_python(&bin, "python3", t.path(), t.path());
    let e = env(&[("PATH", &bin)]);
    let vars = |k: &str| e.get(k);
    let req = EnvRequest {
        flag_python: Some(&mine),
        trusted: false,
        flag_trusted: true,
        ..request(t.path(), &vars, None)
    };
    let env = discover(&req).unwrap();
    assert_eq!((env.origin, &env.interpreter), (EnvOrigin::Flag, &mine));
    assert!(env.user_chosen);
    // The dump runs too (this fake answers only the probe: it ran, and said nothing useful).
    let mine_log = t.path().join("mine/python3.log");
    assert_eq!(runs(&mine_log), 1);
    let err = stdlib_dump(&env, None, false).unwrap_err();
    assert!(matches!(err, EnvError::Broken { .. }), "{err}");
    assert_eq!(runs(&mine_log), 2);
    // Not from the command line (the language server's setting): not run.
    let err = discover(&EnvRequest {
        flag_trusted: false,
        ..req
    })
    .unwrap_err();
    assert!(err.to_string().starts_with(UNTRUSTED), "{err}");
    assert_eq!(runs(&mine_log), 2);

    // A venv named on the command line whose own interpreter is missing: its base is not run.
    let venv = t.path().join("venv");
    make_venv(&venv, &format!("home = {}\n", bin.display()));
    let req = EnvRequest {
        flag_python: Some(&venv),
        trusted: false,
        flag_trusted: true,
        ..request(t.path(), &vars, None)
    };
    let err = discover(&req).unwrap_err().to_string();
    assert!(
        err.contains(&bin.join("python3").display().to_string()),
        "{err}"
    );
    assert_eq!(runs(&bin.join("python3.log")), 0);
}

#[test]
fn python_env_broken_interpreters() {
    let t = tempfile::tempdir().unwrap();
    let log = t.path().join("log");
    let empty = Env(HashMap::new());
    let vars = |k: &str| empty.get(k);
    let cases = [
        (
            "exit1",
            "echo 'Traceback...' >&2\necho 'SyntaxError: bad' >&2\nexit 1",
            "exited with status 1: SyntaxError: bad",
        ),
        ("garbage", "echo hello", "printed no answer"),
        (
            "badjson",
            &format!("echo '{PROBE_MARKER}{{\"x\": 1}}'"),
            "invalid JSON",
        ),
        ("silent", "true", "printed nothing"),
    ];
    for (name, body, want) in cases {
        let py = fake_python(t.path(), name, body, &log);
        let mut req = request(t.path(), &vars, None);
        req.flag_python = Some(&py);
        match discover(&req) {
            Err(EnvError::Broken {
                interpreter,
                reason,
            }) => {
                assert_eq!(interpreter, py);
                assert!(reason.contains(want), "{name}: {reason}");
                assert!(!reason.contains('\n'), "{reason}");
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    // Not executable.
    let txt = t.path().join("plain.txt");
    fs::write(&txt, "").unwrap();
    let mut req = request(t.path(), &vars, None);
    req.flag_python = Some(&txt);
    let err = discover(&req).unwrap_err();
    assert!(err.to_string().contains("cannot run it"), "{err}");
}

#[test]
fn python_env_hang_is_killed() {
    let t = tempfile::tempdir().unwrap();
    let log = t.path().join("log");
    let py = fake_python(t.path(), "hang", "exec sleep 30", &log);
    let start = Instant::now();
    let err = run_python(&py, &[], None, Duration::from_millis(300)).unwrap_err();
    assert!(err.contains("did not answer"), "{err}");
    assert!(start.elapsed() < Duration::from_secs(10));
}

#[test]
fn python_env_cache_dir_default() {
    let get = |pairs: &'static [(&'static str, &'static str)]| {
        cache_dir_from(&move |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        })
    };
    assert_eq!(
        get(&[("GROUNDED_CACHE_DIR", "/c"), ("HOME", "/h")]),
        Some(PathBuf::from("/c"))
    );
    assert_eq!(
        get(&[("XDG_CACHE_HOME", "/x"), ("HOME", "/h")]),
        Some(PathBuf::from("/x/grounded"))
    );
    assert_eq!(
        get(&[("XDG_CACHE_HOME", "rel"), ("HOME", "/h")]),
        Some(PathBuf::from("/h/.cache/grounded"))
    );
    assert_eq!(get(&[]), None);
}

#[test]
fn python_env_real_probe_and_dump() {
    let Some(python3) = real_python3() else {
        eprintln!("skipped: no python3 on PATH");
        return;
    };
    let t = tempfile::tempdir().unwrap();
    let cache = t.path().join("cache");
    let empty = Env(HashMap::new());
    let vars = |k: &str| empty.get(k);
    let mut req = request(t.path(), &vars, Some(&cache));
    req.flag_python = Some(&python3);
    let env = match discover(&req) {
        Ok(env) => env,
        Err(e) => panic!("probing {}: {e}", python3.display()),
    };
    assert!(env.version.0 == 3, "{:?}", env.version);
    assert!(env.builtins.contains("len") && env.builtins.contains("print"));
    assert!(env.builtin_module_names.contains("sys"));
    assert!(env.stdlib_module_names.contains("os"));
    assert!(!env.stdlib_dirs.is_empty());
    assert!(
        env.stdlib_dirs.iter().any(|d| d.join("os.py").is_file()),
        "{:?}",
        env.stdlib_dirs
    );
    assert!(env
        .search_path
        .iter()
        .all(|p| p.exists() && !p.as_os_str().is_empty()));

    // A venv of that interpreter, with its bin/python: it reports its own site-packages.
    let real = env.executable.clone();
    let venv = t.path().join("venv");
    let made = Command::new(&real)
        .args(["-m", "venv", "--without-pip"])
        .arg(&venv)
        .status();
    if made.is_ok_and(|s| s.success()) {
        let mut req = request(t.path(), &vars, Some(&cache));
        req.flag_python = Some(&venv);
        let venv_env = discover(&req).unwrap();
        let site: Vec<PathBuf> = venv_env
            .site_packages
            .iter()
            .map(|p| fs::canonicalize(p).unwrap())
            .collect();
        let want = fs::canonicalize(&venv).unwrap();
        assert!(
            !site.is_empty() && site.iter().all(|p| p.starts_with(&want)),
            "{site:?}"
        );
        assert_eq!(venv_env.venv.as_deref(), Some(venv.as_path()));
        assert!(
            venv_env.stdlib_dirs.iter().all(|d| !d.starts_with(&venv)),
            "{:?}",
            venv_env.stdlib_dirs
        );
        assert!(venv_env.search_path.contains(&venv_env.site_packages[0]));
        // Remove bin/: the venv is still described from pyvenv.cfg + home.
        fs::remove_dir_all(venv.join("bin")).unwrap();
        let fallback = discover(&req).unwrap();
        assert_eq!(fallback.site_packages, venv_env.site_packages);
        assert_eq!(fallback.version, venv_env.version);
    } else {
        eprintln!("venv part skipped: `{} -m venv` failed", real.display());
    }

    let dump = stdlib_dump(&env, Some(&cache), true).unwrap();
    let os = &dump.modules["os"].members;
    assert!(matches!(&os["getcwd"], DumpMember::Function));
    assert!(
        matches!(&os["path"], DumpMember::Module { name } if name == "posixpath" || name == "ntpath")
    );
    assert!(
        matches!(&os["environ"], DumpMember::Variable { type_name } if type_name == "_Environ")
    );
    assert!(
        matches!(&dump.modules["collections"].members["OrderedDict"], DumpMember::Class { members } if members.iter().any(|m| m == "move_to_end"))
    );
    // The doc lines no source holds: compiled functions, builtin types'
    // methods (a signature line skipped); none for what a source describes.
    assert!(dump
        .doc("os", "getcwd")
        .is_some_and(|d| d.contains("working directory")));
    assert!(dump
        .doc("builtins.str", "strip")
        .is_some_and(|d| d.contains("whitespace")));
    assert!(dump
        .doc("builtins.str", "count")
        .is_some_and(|d| !d.contains("->")));
    assert!(dump.doc("shutil", "copyfile").is_none());
    // Top-level modules only: submodules are read from their sources.
    assert!(dump.modules.contains_key("posixpath"));
    assert!(!dump.modules.contains_key("email.mime.text"));
    assert!(!dump.modules.keys().any(|m| m == "antigravity"
        || m == "this"
        || m.starts_with("test.")
        || m.starts_with("idlelib")));
    // Cached: untrusted now returns the same dump without running anything.
    assert_eq!(stdlib_dump(&env, Some(&cache), false).unwrap(), dump);
}
