//! Python environment discovery: which interpreter a workspace uses, and what it knows.
//!
//! [`discover`] picks the interpreter (first match wins: `--python`, the `python` key of
//! `grounded.toml`, `VIRTUAL_ENV`, `CONDA_PREFIX`, `.venv/` then `venv/` in the workspace,
//! `python3` then `python` on `PATH`), asks it once for its facts (`-I -B -c <probe>`), caches the
//! answer on disk keyed by interpreter path + mtime + size, and reads the site-packages `.pth`
//! files itself (path lines and setuptools editable finders) without executing them.
//!
//! Virtual environments whose `bin/python` is missing or broken (committed test fixtures carry only
//! `pyvenv.cfg` and `lib/python3.X/site-packages`) are handled from `pyvenv.cfg`: the base
//! interpreter named by `home` is probed instead and the venv's own site-packages are overlaid.
//!
//! [`stdlib_dump`] runs a one-time introspection of the compiled standard library (`dir()` of
//! every stdlib module), cached the same way.
//!
//! With `trusted == false` nothing is ever executed; only cached answers are used — except the
//! interpreter the user named on the command line (`flag_trusted`), which is the user's own
//! choice: it (and no fallback from it: not its venv's `pyvenv.cfg` base, not `PATH`) may run.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, UNIX_EPOCH};

use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// The probe script, run as `python -I -B -c PROBE_SCRIPT`.
const PROBE_SCRIPT: &str = include_str!("python_env/probe.py");
/// The stdlib introspection script, run as `python -I -B -c DUMP_SCRIPT [names...]`.
const DUMP_SCRIPT: &str = include_str!("python_env/stdlib_dump.py");
const PROBE_MARKER: &str = "@@GROUNDED-PROBE@@";
const DUMP_MARKER: &str = "@@GROUNDED-DUMP@@";
const PROBE_TIMEOUT: Duration = Duration::from_secs(10);
const DUMP_TIMEOUT: Duration = Duration::from_secs(60);
/// Bumped whenever the probe/dump scripts or their JSON change, so old cache files are ignored.
const CACHE_SCHEMA: u32 = 5;
const UNTRUSTED: &str = "untrusted workspace: no interpreter is run";

/// Where the chosen interpreter came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EnvOrigin {
    /// `--python PATH` on the command line.
    Flag,
    /// The `python` key of `grounded.toml` / `[tool.grounded]`.
    Config,
    /// The `VIRTUAL_ENV` environment variable (an activated venv).
    VirtualEnv,
    /// The `CONDA_PREFIX` environment variable (an activated conda env).
    Conda,
    /// `.venv/` or `venv/` at the workspace root.
    WorkspaceVenv,
    /// `python3` or `python` found on `PATH`.
    Path,
}

impl fmt::Display for EnvOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EnvOrigin::Flag => "--python",
            EnvOrigin::Config => "grounded.toml `python`",
            EnvOrigin::VirtualEnv => "VIRTUAL_ENV",
            EnvOrigin::Conda => "CONDA_PREFIX",
            EnvOrigin::WorkspaceVenv => "workspace venv",
            EnvOrigin::Path => "PATH",
        })
    }
}

/// What [`discover`] needs to know.
pub struct EnvRequest<'a> {
    /// The workspace root: `.venv/` and `venv/` are looked for here; probes run with it as cwd
    /// (so a pyenv `.python-version` in it applies).
    pub workspace_root: &'a Path,
    /// `--python PATH`: an interpreter, or a venv/prefix directory.
    pub flag_python: Option<&'a Path>,
    /// The `python` key of `grounded.toml`, already made absolute.
    pub config_python: Option<&'a Path>,
    /// Environment lookup (`VIRTUAL_ENV`, `CONDA_PREFIX`, `PATH`, pyenv's variables); injectable
    /// for tests. Production passes `&|k| std::env::var(k).ok()`.
    pub env_vars: &'a dyn Fn(&str) -> Option<String>,
    /// Disk cache directory for probe results; `None` disables caching.
    pub cache_dir: Option<&'a Path>,
    /// `false`: never execute any interpreter (only cached probes may be used).
    pub trusted: bool,
    /// `flag_python` was named by the user on the command line: that interpreter (a venv's own
    /// `bin/python` when it names a venv) may run even when `trusted` is false.
    pub flag_trusted: bool,
}

/// The facts about the workspace's Python environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PythonEnv {
    /// Where the interpreter choice came from.
    pub origin: EnvOrigin,
    /// The executable that was probed (for a venv without a runnable `bin/python`, its base
    /// interpreter).
    pub interpreter: PathBuf,
    /// `sys.executable` as the interpreter reported it (for a pyenv shim, the real binary).
    pub executable: PathBuf,
    /// `sys.version_info[:3]`.
    pub version: (u32, u32, u32),
    /// `sys.platform`.
    pub platform: String,
    /// `sys.prefix` (the venv directory for a venv).
    pub prefix: PathBuf,
    /// `sys.base_prefix`.
    pub base_prefix: PathBuf,
    /// The venv directory (the one holding `pyvenv.cfg`) when the environment is a venv.
    pub venv: Option<PathBuf>,
    /// Import roots in `sys.path` order (no `''`/cwd, no zip files that don't exist), with the
    /// `.pth` path lines of each site-packages dir applied right after it.
    pub search_path: Vec<PathBuf>,
    /// Where the stdlib `.py` files live (e.g. `.../lib/python3.11` and `lib-dynload`).
    pub stdlib_dirs: Vec<PathBuf>,
    /// site-packages dirs (the venv's, plus the base's when `include-system-site-packages`).
    pub site_packages: Vec<PathBuf>,
    /// Top-level module name -> path, from `__editable___*_finder.py` `MAPPING` literals (and
    /// `NAMESPACES`, one entry per path).
    pub editable_mappings: Vec<(String, PathBuf)>,
    /// `sys.stdlib_module_names` (computed from the stdlib dirs before Python 3.10).
    pub stdlib_module_names: BTreeSet<String>,
    /// `sys.builtin_module_names`.
    pub builtin_module_names: BTreeSet<String>,
    /// `dir(builtins)` of that interpreter (for undefined-name checks).
    pub builtins: BTreeSet<String>,
    /// One-line notes for the user (e.g. "venv base interpreter missing, used X").
    pub notes: Vec<String>,
    /// The interpreter is the one the user named on the command line (see
    /// [`EnvRequest::flag_trusted`]): it may run even in an untrusted workspace.
    pub user_chosen: bool,
}

/// Why no environment could be described.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvError {
    /// No interpreter was found (or, untrusted, none may be run and nothing is cached).
    NotFound(String),
    /// An interpreter was found but could not answer the probe.
    Broken {
        /// The interpreter that failed.
        interpreter: PathBuf,
        /// One line: why.
        reason: String,
    },
}

impl fmt::Display for EnvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnvError::NotFound(msg) => f.write_str(msg),
            EnvError::Broken {
                interpreter,
                reason,
            } => write!(
                f,
                "Python interpreter {} is broken: {reason}",
                interpreter.display()
            ),
        }
    }
}

impl std::error::Error for EnvError {}

/// `dir()` of every importable stdlib module of one interpreter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StdlibDump {
    /// Module name (`"os"`, `"email.mime.text"`) -> its members.
    pub modules: HashMap<String, DumpModule>,
    /// Modules that failed to import (platform-specific ones, missing C extensions) -> reason.
    #[serde(default)]
    pub errors: HashMap<String, String>,
    /// `module.member` (or `builtins.type.method`) -> its first doc line,
    /// for what has no Python source to read it from: compiled functions
    /// and classes (`os.getcwd` from `posix`), the builtin types' methods.
    #[serde(default)]
    pub docs: HashMap<String, String>,
}

impl StdlibDump {
    /// The first doc line the interpreter has for `container.name` (a module
    /// or a builtin type, by qualified name).
    pub fn doc(&self, container: &str, name: &str) -> Option<&str> {
        self.docs
            .get(&format!("{container}.{name}"))
            .map(String::as_str)
    }
}

/// The members of one module.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DumpModule {
    /// Member name -> what it is.
    pub members: HashMap<String, DumpMember>,
}

/// What one module member is at runtime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "k")]
pub enum DumpMember {
    /// A class, with `dir(class)`.
    #[serde(rename = "c")]
    Class {
        /// `dir(class)`, sorted.
        #[serde(rename = "m", default)]
        members: Vec<String>,
    },
    /// Any callable that is not a class.
    #[serde(rename = "f")]
    Function,
    /// A module, with its `__name__` (`os.path` -> `posixpath`).
    #[serde(rename = "M")]
    Module {
        /// The module's `__name__`.
        #[serde(rename = "n", default)]
        name: String,
    },
    /// Anything else, with `type(value).__name__` (`"?"` when the attribute could not be read).
    #[serde(rename = "v")]
    Variable {
        /// `type(value).__name__`.
        #[serde(rename = "t", default)]
        type_name: String,
    },
}

/// `$GROUNDED_CACHE_DIR`, else `$XDG_CACHE_HOME/grounded`, else `~/.cache/grounded`.
pub fn default_cache_dir() -> Option<PathBuf> {
    cache_dir_from(&|k| std::env::var_os(k).map(|v| v.to_string_lossy().into_owned()))
}

fn cache_dir_from(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let non_empty = |k: &str| env(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = non_empty("GROUNDED_CACHE_DIR") {
        return Some(dir);
    }
    if let Some(dir) = non_empty("XDG_CACHE_HOME").filter(|d| d.is_absolute()) {
        return Some(dir.join("grounded"));
    }
    non_empty("HOME").map(|h| h.join(".cache").join("grounded"))
}

// ---------------------------------------------------------------------------------------------
// Discovery
// ---------------------------------------------------------------------------------------------

/// Finds the workspace's interpreter and describes its environment. Never panics.
pub fn discover(req: &EnvRequest) -> Result<PythonEnv, EnvError> {
    let mut notes = Vec::new();
    if let Some(p) = req.flag_python {
        return from_location(req, EnvOrigin::Flag, p, notes);
    }
    if let Some(p) = req.config_python {
        return from_location(req, EnvOrigin::Config, p, notes);
    }
    for (var, origin) in [
        ("VIRTUAL_ENV", EnvOrigin::VirtualEnv),
        ("CONDA_PREFIX", EnvOrigin::Conda),
    ] {
        if let Some(value) = (req.env_vars)(var).filter(|v| !v.trim().is_empty()) {
            let dir = PathBuf::from(value.trim());
            if dir.is_dir() {
                return from_location(req, origin, &dir, notes);
            }
            notes.push(format!(
                "{var}={} is not a directory; ignored",
                dir.display()
            ));
        }
    }
    for name in [".venv", "venv"] {
        let dir = req.workspace_root.join(name);
        if dir.join("pyvenv.cfg").is_file() {
            return from_location(req, EnvOrigin::WorkspaceVenv, &dir, notes);
        }
    }
    if let Some(exe) = find_on_path(req, &["python3", "python"]) {
        return from_interpreter(req, EnvOrigin::Path, &exe, notes);
    }
    if !req.trusted {
        return Err(untrusted(&[]));
    }
    Err(EnvError::NotFound(format!(
        "no Python interpreter found: no --python, no `python` in grounded.toml, no VIRTUAL_ENV or \
         CONDA_PREFIX, no .venv/ or venv/ in {}, no python3 or python on PATH",
        req.workspace_root.display()
    )))
}

/// `path` is an interpreter, a venv dir or a prefix dir.
fn from_location(
    req: &EnvRequest,
    origin: EnvOrigin,
    path: &Path,
    notes: Vec<String>,
) -> Result<PythonEnv, EnvError> {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    if path.is_dir() {
        if path.join("pyvenv.cfg").is_file() {
            return from_venv(req, origin, &path, None, notes);
        }
        return match first_executable(&path.join("bin"), &["python3", "python"]) {
            Some(exe) => from_interpreter(req, origin, &exe, notes),
            None => Err(EnvError::NotFound(format!(
                "{origin}: {} has no bin/python3 or bin/python",
                path.display()
            ))),
        };
    }
    // An interpreter inside a venv (`venv/bin/python`), present or not.
    let venv_dir = path
        .parent()
        .and_then(Path::parent)
        .filter(|d| d.join("pyvenv.cfg").is_file());
    if let Some(venv_dir) = venv_dir {
        let preferred = path.is_file().then_some(path.as_path());
        return from_venv(req, origin, venv_dir, preferred, notes);
    }
    if path.is_file() {
        return from_interpreter(req, origin, &path, notes);
    }
    Err(EnvError::NotFound(format!(
        "{origin}: {} does not exist",
        path.display()
    )))
}

/// A plain interpreter (no venv overlay needed: its own probe is the truth).
fn from_interpreter(
    req: &EnvRequest,
    origin: EnvOrigin,
    exe: &Path,
    notes: Vec<String>,
) -> Result<PythonEnv, EnvError> {
    // `venv/bin/python` named directly: the venv is its grandparent.
    let venv = exe
        .parent()
        .and_then(Path::parent)
        .filter(|d| d.join("pyvenv.cfg").is_file());
    if let Some(venv) = venv {
        return from_venv(req, origin, venv, Some(exe), notes);
    }
    match probe(req, exe, named_may_run(req, origin)) {
        Ok(p) => Ok(chosen(req, origin, env_from_probe(origin, exe, p, notes))),
        Err(ProbeError::Untrusted) => Err(untrusted(&[exe.to_path_buf()])),
        Err(ProbeError::Broken(reason)) => Err(EnvError::Broken {
            interpreter: exe.to_path_buf(),
            reason,
        }),
    }
}

fn from_venv(
    req: &EnvRequest,
    origin: EnvOrigin,
    venv: &Path,
    preferred: Option<&Path>,
    mut notes: Vec<String>,
) -> Result<PythonEnv, EnvError> {
    let cfg = crate::regular_file::read_to_string(&venv.join("pyvenv.cfg"))
        .map(|t| PyvenvCfg::parse(&t))
        .unwrap_or_default();
    // Interpreters not run because the workspace is untrusted.
    let mut not_run: Vec<PathBuf> = Vec::new();

    // 1. The venv's own interpreter, when it runs.
    let own = match preferred {
        Some(p) => Some(p.to_path_buf()),
        None => first_executable(&venv.join("bin"), &["python3", "python"]),
    };
    if let Some(exe) = own {
        match probe(req, &exe, named_may_run(req, origin)) {
            // The probe runs with -S, which skips site's venv detection: the
            // interpreter reports its base installation, the venv adds its own
            // site-packages.
            Ok(p) => {
                let env = env_from_venv(origin, venv, &cfg, &exe, p, notes);
                return Ok(chosen(req, origin, env));
            }
            Err(ProbeError::Untrusted) => not_run.push(exe),
            Err(ProbeError::Broken(reason)) => notes.push(format!(
                "venv interpreter {} does not run ({reason}); using its base interpreter",
                exe.display()
            )),
        }
    }

    // 2. The base interpreter named by pyvenv.cfg (the venv's contents name it: never run for
    // an untrusted workspace, even when the user named the venv).
    let mut broken: Option<(PathBuf, String)> = None;
    for exe in cfg.base_candidates() {
        match probe(req, &exe, req.trusted) {
            Ok(p) => return Ok(env_from_venv(origin, venv, &cfg, &exe, p, notes)),
            Err(ProbeError::Untrusted) => not_run.push(exe),
            Err(ProbeError::Broken(reason)) => {
                notes.push(format!(
                    "venv base interpreter {} does not run ({reason})",
                    exe.display()
                ));
                broken.get_or_insert((exe, reason));
            }
        }
    }

    // 3. Whatever python is on PATH.
    if let Some(exe) = find_on_path(req, &["python3", "python"]) {
        let what = match &cfg.home {
            Some(home) => format!("venv base interpreter missing in {}", home.display()),
            None => "pyvenv.cfg names no base interpreter (`home`)".to_string(),
        };
        match probe(req, &exe, req.trusted) {
            Ok(p) => {
                notes.push(format!("{what}, used {}", exe.display()));
                return Ok(env_from_venv(origin, venv, &cfg, &exe, p, notes));
            }
            Err(ProbeError::Untrusted) => not_run.push(exe),
            Err(ProbeError::Broken(reason)) => {
                broken.get_or_insert((exe, reason));
            }
        }
    }
    if !not_run.is_empty() {
        return Err(untrusted(&not_run));
    }
    if let Some((interpreter, reason)) = broken {
        return Err(EnvError::Broken {
            interpreter,
            reason,
        });
    }
    Err(EnvError::NotFound(format!(
        "{origin}: venv {} has no runnable interpreter (bin/python missing, base interpreter {} \
         missing, no python3 or python on PATH)",
        venv.display(),
        cfg.home
            .as_ref()
            .map_or_else(|| "unknown".to_string(), |h| h.display().to_string())
    )))
}

/// The parts of `pyvenv.cfg` that matter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct PyvenvCfg {
    /// `home`: the directory of the base interpreter.
    home: Option<PathBuf>,
    /// `executable`: the base interpreter itself (Python 3.11+ venvs).
    executable: Option<PathBuf>,
    /// `include-system-site-packages`.
    include_system_site_packages: bool,
    /// `version` / `version_info`: `(major, minor)`.
    version: Option<(u32, u32)>,
}

impl PyvenvCfg {
    fn parse(text: &str) -> PyvenvCfg {
        let mut cfg = PyvenvCfg::default();
        for line in text.lines() {
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "home" if !value.is_empty() => cfg.home = Some(PathBuf::from(value)),
                "executable" | "base-executable" if !value.is_empty() => {
                    cfg.executable.get_or_insert_with(|| PathBuf::from(value));
                }
                "include-system-site-packages" => {
                    cfg.include_system_site_packages = value.eq_ignore_ascii_case("true")
                }
                "version" | "version_info" => {
                    let mut parts = value.split('.').map(|s| s.trim().parse::<u32>());
                    if let (Some(Ok(major)), Some(Ok(minor))) = (parts.next(), parts.next()) {
                        cfg.version.get_or_insert((major, minor));
                    }
                }
                _ => {}
            }
        }
        cfg
    }

    /// Base interpreters to try, best first, existing executables only.
    fn base_candidates(&self) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = Vec::new();
        let mut push = |p: PathBuf| {
            if is_executable(&p) && !out.contains(&p) {
                out.push(p);
            }
        };
        if let Some(exe) = &self.executable {
            push(exe.clone());
        }
        if let Some(home) = &self.home {
            if let Some((major, minor)) = self.version {
                push(home.join(format!("python{major}.{minor}")));
            }
            push(home.join("python3"));
            push(home.join("python"));
        }
        out
    }
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = fs::metadata(path) else {
        return false;
    };
    if !meta.is_file() {
        return false;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        true
    }
}

fn first_executable(dir: &Path, names: &[&str]) -> Option<PathBuf> {
    names.iter().map(|n| dir.join(n)).find(|p| is_executable(p))
}

/// Searches `PATH` (from `env_vars`) for each name in turn: all of `PATH` for the first name
/// before the second.
fn find_on_path(req: &EnvRequest, names: &[&str]) -> Option<PathBuf> {
    let path = (req.env_vars)("PATH")?;
    let dirs: Vec<PathBuf> = std::env::split_paths(&path)
        .filter(|d| !d.as_os_str().is_empty() && d.is_absolute())
        .collect();
    names
        .iter()
        .find_map(|name| dirs.iter().map(|d| d.join(name)).find(|p| is_executable(p)))
}

// ---------------------------------------------------------------------------------------------
// Building the environment from a probe
// ---------------------------------------------------------------------------------------------

/// What the probe script prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Probe {
    executable: String,
    version: (u32, u32, u32),
    platform: String,
    prefix: String,
    base_prefix: String,
    path: Vec<String>,
    site_packages: Vec<String>,
    stdlib: Vec<String>,
    stdlib_module_names: Vec<String>,
    builtin_module_names: Vec<String>,
    builtins: Vec<String>,
}

impl Probe {
    /// `site.getsitepackages()` that exist.
    fn existing_site_packages(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for p in &self.site_packages {
            push_unique(&mut out, PathBuf::from(p), |p| p.is_dir());
        }
        out
    }

    /// `sys.path` entries before the first site-packages entry (that exist), plus sysconfig's
    /// stdlib dirs: the interpreter's own import roots.
    fn stdlib_roots(&self) -> Vec<PathBuf> {
        let sites: Vec<&str> = self.site_packages.iter().map(String::as_str).collect();
        let mut out = Vec::new();
        for entry in &self.path {
            if entry.is_empty() {
                continue;
            }
            if sites.contains(&entry.as_str()) || is_site_dir_name(Path::new(entry)) {
                break;
            }
            push_unique(&mut out, PathBuf::from(entry), |p| p.exists());
        }
        for entry in &self.stdlib {
            push_unique(&mut out, PathBuf::from(entry), |p| p.is_dir());
        }
        out
    }
}

fn is_site_dir_name(path: &Path) -> bool {
    matches!(
        path.file_name().and_then(|n| n.to_str()),
        Some("site-packages" | "dist-packages")
    )
}

fn push_unique(out: &mut Vec<PathBuf>, p: PathBuf, keep: impl Fn(&Path) -> bool) {
    if !out.contains(&p) && keep(&p) {
        out.push(p);
    }
}

fn stdlib_dirs_of(roots: &[PathBuf]) -> Vec<PathBuf> {
    roots.iter().filter(|p| p.is_dir()).cloned().collect()
}

/// The environment exactly as the (runnable) interpreter reports it.
fn env_from_probe(origin: EnvOrigin, exe: &Path, p: Probe, notes: Vec<String>) -> PythonEnv {
    let site_packages = p.existing_site_packages();
    let stdlib_dirs = stdlib_dirs_of(&p.stdlib_roots());
    let mut base: Vec<PathBuf> = Vec::new();
    for entry in &p.path {
        if !entry.is_empty() {
            push_unique(&mut base, PathBuf::from(entry), |p| p.exists());
        }
    }
    for site in &site_packages {
        push_unique(&mut base, site.clone(), |_| true);
    }
    let pth = read_pth_files(&site_packages);
    let prefix = PathBuf::from(&p.prefix);
    let venv = prefix.join("pyvenv.cfg").is_file().then(|| prefix.clone());
    finish(
        origin,
        exe,
        p,
        prefix,
        venv,
        base,
        stdlib_dirs,
        site_packages,
        pth,
        notes,
    )
}

/// A venv whose own interpreter did not run: the base interpreter's stdlib plus the venv's
/// site-packages (and the base's, when `include-system-site-packages = true`).
fn env_from_venv(
    origin: EnvOrigin,
    venv: &Path,
    cfg: &PyvenvCfg,
    exe: &Path,
    p: Probe,
    mut notes: Vec<String>,
) -> PythonEnv {
    let mut site_packages =
        venv_site_packages(venv, cfg.version.or(Some((p.version.0, p.version.1))));
    if cfg.include_system_site_packages {
        for site in p.existing_site_packages() {
            push_unique(&mut site_packages, site, |_| true);
        }
    }
    if let Some((major, minor)) = cfg.version {
        if (major, minor) != (p.version.0, p.version.1) {
            notes.push(format!(
                "venv {} was made for Python {major}.{minor} but {} is Python {}.{}",
                venv.display(),
                exe.display(),
                p.version.0,
                p.version.1
            ));
        }
    }
    let roots = p.stdlib_roots();
    let stdlib_dirs = stdlib_dirs_of(&roots);
    let mut base = roots;
    for site in &site_packages {
        push_unique(&mut base, site.clone(), |_| true);
    }
    let pth = read_pth_files(&site_packages);
    finish(
        origin,
        exe,
        p,
        venv.to_path_buf(),
        Some(venv.to_path_buf()),
        base,
        stdlib_dirs,
        site_packages,
        pth,
        notes,
    )
}

/// `venv/lib/python3*/site-packages`, the one matching `version` first.
fn venv_site_packages(venv: &Path, version: Option<(u32, u32)>) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = Vec::new();
    for lib in ["lib", "lib64"] {
        let Ok(entries) = fs::read_dir(venv.join(lib)) else {
            continue;
        };
        let mut dirs: Vec<PathBuf> = entries
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("python3"))
            .map(|e| e.path().join("site-packages"))
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for d in dirs {
            // lib64 is usually a symlink to lib: skip the same dir seen twice.
            let canon = fs::canonicalize(&d).unwrap_or_else(|_| d.clone());
            if !found
                .iter()
                .any(|f| fs::canonicalize(f).unwrap_or_else(|_| f.clone()) == canon)
            {
                found.push(d);
            }
        }
    }
    if let Some((major, minor)) = version {
        let want = format!("python{major}.{minor}");
        found.sort_by_key(|p| {
            p.parent()
                .and_then(Path::file_name)
                .is_none_or(|n| n.to_string_lossy() != want)
        });
    }
    found
}

#[allow(clippy::too_many_arguments)]
fn finish(
    origin: EnvOrigin,
    exe: &Path,
    p: Probe,
    prefix: PathBuf,
    venv: Option<PathBuf>,
    base_search: Vec<PathBuf>,
    stdlib_dirs: Vec<PathBuf>,
    site_packages: Vec<PathBuf>,
    pth: PthInfo,
    notes: Vec<String>,
) -> PythonEnv {
    let search_path = apply_pth_paths(base_search, &pth.paths);
    PythonEnv {
        origin,
        interpreter: exe.to_path_buf(),
        executable: if p.executable.is_empty() {
            exe.to_path_buf()
        } else {
            PathBuf::from(&p.executable)
        },
        version: p.version,
        platform: p.platform,
        prefix,
        base_prefix: PathBuf::from(p.base_prefix),
        venv,
        search_path,
        stdlib_dirs,
        site_packages,
        editable_mappings: pth.mappings,
        stdlib_module_names: p.stdlib_module_names.into_iter().collect(),
        builtin_module_names: p.builtin_module_names.into_iter().collect(),
        builtins: p.builtins.into_iter().collect(),
        notes,
        user_chosen: false,
    }
}

/// Whether the interpreter an origin names itself (not a fallback from it) may run: any, when
/// the workspace is trusted; else only the one the user named on the command line.
fn named_may_run(req: &EnvRequest, origin: EnvOrigin) -> bool {
    req.trusted || (origin == EnvOrigin::Flag && req.flag_trusted)
}

/// `env`, marked as the user's own choice when it is the interpreter named on the command line.
fn chosen(req: &EnvRequest, origin: EnvOrigin, mut env: PythonEnv) -> PythonEnv {
    env.user_chosen = origin == EnvOrigin::Flag && req.flag_trusted;
    env
}

/// An untrusted workspace's interpreters were not run and none has a cached answer.
fn untrusted(not_run: &[PathBuf]) -> EnvError {
    if not_run.is_empty() {
        return EnvError::NotFound(UNTRUSTED.to_string());
    }
    let shown: Vec<String> = not_run.iter().map(|p| p.display().to_string()).collect();
    EnvError::NotFound(format!(
        "{UNTRUSTED}; not run: {} (no earlier answer is cached)",
        shown.join(", ")
    ))
}

// ---------------------------------------------------------------------------------------------
// .pth files and editable finders
// ---------------------------------------------------------------------------------------------

/// What the `.pth` files of some site-packages dirs say.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct PthInfo {
    /// site dir -> the existing dirs its `.pth` path lines add, in order.
    paths: Vec<(PathBuf, Vec<PathBuf>)>,
    /// From `__editable___*_finder.py` files.
    mappings: Vec<(String, PathBuf)>,
}

fn read_pth_files(site_dirs: &[PathBuf]) -> PthInfo {
    let mut info = PthInfo::default();
    for site in site_dirs {
        let Ok(entries) = fs::read_dir(site) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.extension().is_some_and(|e| e == "pth")
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        files.sort();
        let mut added = Vec::new();
        for file in files {
            let Ok(bytes) = crate::regular_file::read(&file) else {
                continue;
            };
            let text = String::from_utf8_lossy(&bytes);
            for line in text.lines() {
                let line = line.trim_end();
                if line.trim().is_empty() || line.starts_with('#') {
                    continue;
                }
                if line.starts_with("import ") || line.starts_with("import\t") {
                    for finder in editable_finder_names(line) {
                        let finder_file = site.join(format!("{finder}.py"));
                        if let Ok(src) = crate::regular_file::read_to_string(&finder_file) {
                            for m in parse_finder_mappings(&src) {
                                if !info.mappings.contains(&m) {
                                    info.mappings.push(m);
                                }
                            }
                        }
                    }
                    continue;
                }
                let dir = site.join(line);
                if dir.is_dir() {
                    push_unique(&mut added, dir, |_| true);
                }
            }
        }
        if !added.is_empty() {
            info.paths.push((site.clone(), added));
        }
    }
    info
}

/// Inserts each site dir's `.pth` paths right after it (skipping ones already present).
fn apply_pth_paths(base: Vec<PathBuf>, pth: &[(PathBuf, Vec<PathBuf>)]) -> Vec<PathBuf> {
    let all_added: Vec<&PathBuf> = pth.iter().flat_map(|(_, a)| a).collect();
    let mut out: Vec<PathBuf> = Vec::new();
    for entry in base {
        // The interpreter's sys.path already holds them; they are re-placed after their site.
        if all_added.contains(&&entry) {
            continue;
        }
        let extra = pth.iter().find(|(site, _)| *site == entry).map(|(_, a)| a);
        push_unique(&mut out, entry, |_| true);
        for dir in extra.into_iter().flatten() {
            push_unique(&mut out, dir.clone(), |_| true);
        }
    }
    out
}

/// `__editable___<name>_finder` module names in a `.pth` import line.
fn editable_finder_names(line: &str) -> Vec<String> {
    const PREFIX: &str = "__editable___";
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find(PREFIX) {
        let tail = &rest[i..];
        let end = tail
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(tail.len());
        let name = &tail[..end];
        if name.ends_with("_finder") && !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
        rest = &tail[end.max(PREFIX.len())..];
    }
    out
}

/// `MAPPING` (name -> path) and `NAMESPACES` (name -> [paths]) from an editable finder's source.
fn parse_finder_mappings(src: &str) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    if let Some(Literal::Dict(items)) = assigned_literal(src, "MAPPING") {
        for (k, v) in items {
            if let (Literal::Str(k), Literal::Str(v)) = (k, v) {
                out.push((k, PathBuf::from(v)));
            }
        }
    }
    if let Some(Literal::Dict(items)) = assigned_literal(src, "NAMESPACES") {
        for (k, v) in items {
            let (Literal::Str(k), Literal::List(paths)) = (k, v) else {
                continue;
            };
            for p in paths {
                if let Literal::Str(p) = p {
                    out.push((k.clone(), PathBuf::from(p)));
                }
            }
        }
    }
    out
}

/// A Python literal, as far as the finder files need.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Literal {
    Str(String),
    List(Vec<Literal>),
    Dict(Vec<(Literal, Literal)>),
    Other,
}

/// The literal assigned at module level to `name` (`NAME = ...` or `NAME: T = ...`).
fn assigned_literal(src: &str, name: &str) -> Option<Literal> {
    let mut offset = 0;
    for line in src.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let Some(rest) = line.strip_prefix(name) else {
            continue;
        };
        let rest_trim = rest.trim_start();
        let after_eq = if let Some(r) = rest_trim.strip_prefix(':') {
            // An annotation: skip to the `=` (annotations here hold no `=`).
            let eq = r.find('=')?;
            &r[eq + 1..]
        } else if let Some(r) = rest_trim.strip_prefix('=') {
            if r.starts_with('=') {
                continue;
            }
            r
        } else {
            continue;
        };
        let value_start = start + line.len() - after_eq.len();
        let mut parser = LitParser {
            s: &src.as_bytes()[value_start..],
            i: 0,
        };
        return parser.value();
    }
    None
}

struct LitParser<'a> {
    s: &'a [u8],
    i: usize,
}

impl LitParser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' | b'\r' | b'\n' => self.i += 1,
                b'\\' if self.s.get(self.i + 1) == Some(&b'\n') => self.i += 2,
                b'#' => {
                    while self.peek().is_some_and(|c| c != b'\n') {
                        self.i += 1;
                    }
                }
                _ => break,
            }
        }
    }

    fn value(&mut self) -> Option<Literal> {
        self.skip_ws();
        match self.peek()? {
            b'{' => self.seq(b'}', true),
            b'[' => self.seq(b']', false),
            b'(' => self.seq(b')', false),
            _ => {
                if let Some(s) = self.strings()? {
                    return Some(Literal::Str(s));
                }
                // Something else (a number, a name): skip to a delimiter.
                while self
                    .peek()
                    .is_some_and(|c| !matches!(c, b',' | b':' | b'}' | b']' | b')' | b'\n'))
                {
                    self.i += 1;
                }
                Some(Literal::Other)
            }
        }
    }

    /// `{k: v, ...}` (dict) or `[a, ...]` / `(a, ...)` (list).
    fn seq(&mut self, close: u8, dict: bool) -> Option<Literal> {
        self.i += 1;
        let mut items = Vec::new();
        let mut pairs = Vec::new();
        loop {
            self.skip_ws();
            if self.peek()? == close {
                self.i += 1;
                break;
            }
            let v = self.value()?;
            if dict {
                self.skip_ws();
                if self.peek()? != b':' {
                    return None;
                }
                self.i += 1;
                let val = self.value()?;
                pairs.push((v, val));
            } else {
                items.push(v);
            }
            self.skip_ws();
            match self.peek()? {
                b',' => self.i += 1,
                c if c == close => {}
                _ => return None,
            }
        }
        Some(if dict {
            Literal::Dict(pairs)
        } else {
            Literal::List(items)
        })
    }

    /// One or more adjacent string literals (implicit concatenation); `Ok(None)` if none here.
    fn strings(&mut self) -> Option<Option<String>> {
        let mut out: Option<String> = None;
        loop {
            self.skip_ws_inline();
            let save = self.i;
            let mut raw = false;
            while let Some(c) = self.peek() {
                match c.to_ascii_lowercase() {
                    b'r' => raw = true,
                    b'u' | b'b' => {}
                    _ => break,
                }
                self.i += 1;
            }
            match self.peek() {
                Some(q @ (b'\'' | b'"')) => {
                    let s = self.string(q, raw)?;
                    out.get_or_insert_with(String::new).push_str(&s);
                }
                _ => {
                    self.i = save;
                    return Some(out);
                }
            }
        }
    }

    fn skip_ws_inline(&mut self) {
        while self.peek().is_some_and(|c| c == b' ' || c == b'\t') {
            self.i += 1;
        }
    }

    fn string(&mut self, q: u8, raw: bool) -> Option<String> {
        let triple = self.s.get(self.i..self.i + 3) == Some(&[q, q, q][..]);
        self.i += if triple { 3 } else { 1 };
        let mut buf: Vec<u8> = Vec::new();
        loop {
            let c = self.peek()?;
            if c == q && (!triple || self.s.get(self.i..self.i + 3) == Some(&[q, q, q][..])) {
                self.i += if triple { 3 } else { 1 };
                break;
            }
            if c == b'\n' && !triple {
                return None;
            }
            if c == b'\\' {
                let n = *self.s.get(self.i + 1)?;
                if raw {
                    buf.extend_from_slice(&[b'\\', n]);
                    self.i += 2;
                    continue;
                }
                self.i += 2;
                match n {
                    b'\n' => {}
                    b'\\' | b'\'' | b'"' => buf.push(n),
                    b'n' => buf.push(b'\n'),
                    b't' => buf.push(b'\t'),
                    b'r' => buf.push(b'\r'),
                    b'a' => buf.push(7),
                    b'b' => buf.push(8),
                    b'f' => buf.push(12),
                    b'v' => buf.push(11),
                    b'x' | b'u' | b'U' => {
                        let len = match n {
                            b'x' => 2,
                            b'u' => 4,
                            _ => 8,
                        };
                        let hex = std::str::from_utf8(self.s.get(self.i..self.i + len)?).ok()?;
                        let code = u32::from_str_radix(hex, 16).ok()?;
                        self.i += len;
                        push_char(&mut buf, char::from_u32(code).unwrap_or('\u{fffd}'));
                    }
                    b'0'..=b'7' => {
                        let mut code = u32::from(n - b'0');
                        for _ in 0..2 {
                            match self.peek() {
                                Some(d @ b'0'..=b'7') => {
                                    code = code * 8 + u32::from(d - b'0');
                                    self.i += 1;
                                }
                                _ => break,
                            }
                        }
                        push_char(&mut buf, char::from_u32(code).unwrap_or('\u{fffd}'));
                    }
                    other => buf.extend_from_slice(&[b'\\', other]),
                }
                continue;
            }
            buf.push(c);
            self.i += 1;
        }
        Some(String::from_utf8_lossy(&buf).into_owned())
    }
}

fn push_char(buf: &mut Vec<u8>, ch: char) {
    let mut tmp = [0u8; 4];
    buf.extend_from_slice(ch.encode_utf8(&mut tmp).as_bytes());
}

// ---------------------------------------------------------------------------------------------
// Running interpreters, with a cache
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
enum ProbeError {
    /// Untrusted and nothing cached.
    Untrusted,
    /// It ran and failed (or could not be started).
    Broken(String),
}

/// Identifies one interpreter binary: a cached answer is valid while this is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct CacheKey {
    schema: u32,
    kind: String,
    path: String,
    mtime_s: u64,
    mtime_ns: u32,
    size: u64,
    /// For a pyenv shim: the pyenv version selection that decides which Python it runs;
    /// for the stdlib dump: the digest of the script that made it.
    context: String,
}

#[derive(Serialize, Deserialize)]
struct CacheFile<T> {
    key: CacheKey,
    data: T,
}

impl CacheKey {
    fn new(kind: &str, exe: &Path, context: String) -> Option<CacheKey> {
        let meta = fs::metadata(exe).ok()?;
        let mtime = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(CacheKey {
            schema: CACHE_SCHEMA,
            kind: kind.to_string(),
            path: exe.to_string_lossy().into_owned(),
            mtime_s: mtime.as_secs(),
            mtime_ns: mtime.subsec_nanos(),
            size: meta.len(),
            context,
        })
    }

    fn file(&self, dir: &Path) -> PathBuf {
        let json = serde_json::to_string(self).unwrap_or_default();
        dir.join(format!(
            "python-{}-{:016x}.json",
            self.kind,
            fnv1a(json.as_bytes())
        ))
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn cache_read<T: DeserializeOwned>(dir: Option<&Path>, key: Option<&CacheKey>) -> Option<T> {
    let (dir, key) = (dir?, key?);
    let bytes = crate::regular_file::read(&key.file(dir)).ok()?;
    let file: CacheFile<T> = serde_json::from_slice(&bytes).ok()?;
    (file.key == *key).then_some(file.data)
}

/// Writes atomically (temp file + rename). Failures are ignored: the cache is an optimisation.
fn cache_write<T: Serialize>(dir: Option<&Path>, key: Option<&CacheKey>, data: &T) {
    let (Some(dir), Some(key)) = (dir, key) else {
        return;
    };
    let Ok(json) = serde_json::to_vec(&CacheFile {
        key: key.clone(),
        data,
    }) else {
        return;
    };
    if fs::create_dir_all(dir).is_err() {
        return;
    }
    let target = key.file(dir);
    let nanos = std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let tmp = dir.join(format!(
        ".{}.{}.{nanos}.tmp",
        target
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        std::process::id()
    ));
    if fs::write(&tmp, json).is_ok() && fs::rename(&tmp, &target).is_err() {
        let _ = fs::remove_file(&tmp);
    }
}

/// For a pyenv shim, what selects the Python it runs: `PYENV_VERSION`, the nearest
/// `.python-version` above the workspace, the global version file. Empty for real binaries.
fn shim_context(req: &EnvRequest, exe: &Path) -> String {
    let mut head = [0u8; 2048];
    let n = crate::regular_file::read_head(exe, &mut head).unwrap_or(0);
    let head = &head[..n];
    if !head.starts_with(b"#!") {
        return String::new();
    }
    let text = String::from_utf8_lossy(head);
    if !text.contains("pyenv") {
        return String::new();
    }
    let mut ctx = format!(
        "PYENV_VERSION={}",
        (req.env_vars)("PYENV_VERSION").unwrap_or_default()
    );
    let mut dir = Some(req.workspace_root);
    while let Some(d) = dir {
        if let Ok(v) = crate::regular_file::read_to_string(&d.join(".python-version")) {
            ctx.push_str(&format!(";local={}={}", d.display(), v.trim()));
            break;
        }
        dir = d.parent();
    }
    let root = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("export PYENV_ROOT="))
        .map(|r| PathBuf::from(r.trim_matches('"')))
        .or_else(|| (req.env_vars)("PYENV_ROOT").map(PathBuf::from));
    if let Some(root) = root {
        let global = crate::regular_file::read_to_string(&root.join("version")).unwrap_or_default();
        ctx.push_str(&format!(";global={}", global.trim()));
    }
    ctx
}

/// The probe's answer for `exe`: cached, else (when `may_run`) by running it.
fn probe(req: &EnvRequest, exe: &Path, may_run: bool) -> Result<Probe, ProbeError> {
    let key = CacheKey::new("probe", exe, shim_context(req, exe));
    if let Some(p) = cache_read::<Probe>(req.cache_dir, key.as_ref()) {
        return Ok(p);
    }
    if !may_run {
        return Err(ProbeError::Untrusted);
    }
    let cwd = req.workspace_root.is_dir().then_some(req.workspace_root);
    let out = run_python(
        exe,
        &["-I", "-S", "-B", "-c", PROBE_SCRIPT],
        cwd,
        PROBE_TIMEOUT,
    )
    .map_err(ProbeError::Broken)?;
    let probe: Probe = parse_marked(&out, PROBE_MARKER).map_err(ProbeError::Broken)?;
    cache_write(req.cache_dir, key.as_ref(), &probe);
    Ok(probe)
}

/// The JSON after the last `marker` in the output.
fn parse_marked<T: DeserializeOwned>(out: &[u8], marker: &str) -> Result<T, String> {
    let text = String::from_utf8_lossy(out);
    let Some(i) = text.rfind(marker) else {
        let shown: String = text.trim().chars().take(80).collect();
        return Err(if shown.is_empty() {
            "printed nothing".to_string()
        } else {
            format!("printed no answer (got {shown:?})")
        });
    };
    let json = text[i + marker.len()..].lines().next().unwrap_or("");
    serde_json::from_str(json).map_err(|e| format!("printed invalid JSON ({e})"))
}

/// Runs `exe args...` with stdin closed, returns stdout; kills it after `timeout`.
/// Errors are one line.
fn run_python(
    exe: &Path,
    args: &[&str],
    cwd: Option<&Path>,
    timeout: Duration,
) -> Result<Vec<u8>, String> {
    let mut cmd = Command::new(exe);
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(cwd) = cwd {
        cmd.current_dir(cwd);
    }
    // ETXTBSY: another thread of this process may be forking while a just-written script is
    // still open for writing; it clears within milliseconds.
    let mut attempt = 0;
    let mut child = loop {
        match cmd.spawn() {
            Ok(child) => break child,
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && attempt < 10 => {
                attempt += 1;
                std::thread::sleep(Duration::from_millis(10 * attempt));
            }
            Err(e) => return Err(format!("cannot run it: {e}")),
        }
    };
    let reader = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            buf
        })
    };
    let out_thread = child.stdout.take().map(|s| reader(Box::new(s)));
    let err_thread = child.stderr.take().map(|s| reader(Box::new(s)));
    let start = Instant::now();
    let mut pause = Duration::from_millis(2);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                // Reader threads are left to finish on their own (a grandchild may hold the pipe).
                return Err(format!(
                    "did not answer within {} s; killed",
                    timeout.as_secs()
                ));
            }
            Ok(None) => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            Err(e) => {
                let _ = child.kill();
                return Err(format!("cannot wait for it: {e}"));
            }
        }
    };
    let stdout = out_thread.and_then(|t| t.join().ok()).unwrap_or_default();
    let stderr = err_thread.and_then(|t| t.join().ok()).unwrap_or_default();
    if !status.success() {
        let what = match status.code() {
            Some(code) => format!("exited with status {code}"),
            None => "was killed by a signal".to_string(),
        };
        return Err(match stderr_summary(&stderr) {
            Some(line) => format!("{what}: {line}"),
            None => what,
        });
    }
    Ok(stdout)
}

/// The most telling stderr line: the last one (a traceback's exception), unless it is a usage hint.
fn stderr_summary(stderr: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let last = *lines.last()?;
    let line = if last.starts_with("Try `") || last.starts_with("usage:") {
        lines[0]
    } else {
        last
    };
    Some(line.chars().take(200).collect())
}

// ---------------------------------------------------------------------------------------------
// Stdlib dump
// ---------------------------------------------------------------------------------------------

/// `dir()` of every stdlib module of `env`'s interpreter (and of the submodules of the commonly
/// used stdlib packages), run once per interpreter and cached in `cache_dir`.
/// With `trusted == false` only a cached dump is returned, unless the interpreter is the user's
/// own choice ([`PythonEnv::user_chosen`]).
pub fn stdlib_dump(
    env: &PythonEnv,
    cache_dir: Option<&Path>,
    trusted: bool,
) -> Result<StdlibDump, EnvError> {
    // The real binary (not a pyenv shim) when the probe named one that exists.
    let exe = if is_executable(&env.executable) {
        env.executable.clone()
    } else {
        env.interpreter.clone()
    };
    // The script is part of the key: a dump made by an older one (without
    // the doc lines, say) is not reused.
    let key = CacheKey::new("stdlib", &exe, script_digest(DUMP_SCRIPT));
    if let Some(dump) = cache_read::<StdlibDump>(cache_dir, key.as_ref()) {
        return Ok(dump);
    }
    if !trusted && !env.user_chosen {
        return Err(untrusted(&[exe]));
    }
    // -S: no site, so no `.pth` file can import third-party code into the dump.
    let mut args: Vec<&str> = vec!["-I", "-S", "-B", "-c", DUMP_SCRIPT];
    // Before 3.10 there is no sys.stdlib_module_names: pass the probe's list.
    if (env.version.0, env.version.1) < (3, 10) {
        args.extend(env.stdlib_module_names.iter().map(String::as_str));
    }
    let broken = |reason: String| EnvError::Broken {
        interpreter: exe.clone(),
        reason,
    };
    let cwd = env.prefix.is_dir().then_some(env.prefix.as_path());
    let out = run_python(&exe, &args, cwd, DUMP_TIMEOUT).map_err(&broken)?;
    let dump: StdlibDump = parse_marked(&out, DUMP_MARKER).map_err(&broken)?;
    cache_write(cache_dir, key.as_ref(), &dump);
    Ok(dump)
}

/// A short digest of a script's text (FNV-1a), for cache keys.
fn script_digest(script: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in script.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("script {h:016x}")
}

#[cfg(test)]
mod tests;
