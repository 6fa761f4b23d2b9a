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
//! With `trusted == false` nothing is ever executed; only cached answers are used.

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
const CACHE_SCHEMA: u32 = 4;
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
        return Err(EnvError::NotFound(UNTRUSTED.to_string()));
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
    match probe(req, exe) {
        Ok(p) => Ok(env_from_probe(origin, exe, p, notes)),
        Err(ProbeError::Untrusted) => Err(EnvError::NotFound(UNTRUSTED.to_string())),
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
    let cfg = fs::read_to_string(venv.join("pyvenv.cfg"))
        .map(|t| PyvenvCfg::parse(&t))
        .unwrap_or_default();
    let mut untrusted_miss = false;

    // 1. The venv's own interpreter, when it runs.
    let own = match preferred {
        Some(p) => Some(p.to_path_buf()),
        None => first_executable(&venv.join("bin"), &["python3", "python"]),
    };
    if let Some(exe) = own {
        match probe(req, &exe) {
            // The probe runs with -S, which skips site's venv detection: the
            // interpreter reports its base installation, the venv adds its own
            // site-packages.
            Ok(p) => return Ok(env_from_venv(origin, venv, &cfg, &exe, p, notes)),
            Err(ProbeError::Untrusted) => untrusted_miss = true,
            Err(ProbeError::Broken(reason)) => notes.push(format!(
                "venv interpreter {} does not run ({reason}); using its base interpreter",
                exe.display()
            )),
        }
    }

    // 2. The base interpreter named by pyvenv.cfg.
    let mut broken: Option<(PathBuf, String)> = None;
    for exe in cfg.base_candidates() {
        match probe(req, &exe) {
            Ok(p) => return Ok(env_from_venv(origin, venv, &cfg, &exe, p, notes)),
            Err(ProbeError::Untrusted) => untrusted_miss = true,
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
        notes.push(format!("{what}, used {}", exe.display()));
        match probe(req, &exe) {
            Ok(p) => return Ok(env_from_venv(origin, venv, &cfg, &exe, p, notes)),
            Err(ProbeError::Untrusted) => untrusted_miss = true,
            Err(ProbeError::Broken(reason)) => {
                broken.get_or_insert((exe, reason));
            }
        }
    }
    if untrusted_miss {
        return Err(EnvError::NotFound(UNTRUSTED.to_string()));
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
    }
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
            let Ok(bytes) = fs::read(&file) else {
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
                        if let Ok(src) = fs::read_to_string(&finder_file) {
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
    /// For a pyenv shim: the pyenv version selection that decides which Python it runs.
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
    let bytes = fs::read(key.file(dir)).ok()?;
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
    let n = fs::File::open(exe)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
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
        if let Ok(v) = fs::read_to_string(d.join(".python-version")) {
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
        let global = fs::read_to_string(root.join("version")).unwrap_or_default();
        ctx.push_str(&format!(";global={}", global.trim()));
    }
    ctx
}

fn probe(req: &EnvRequest, exe: &Path) -> Result<Probe, ProbeError> {
    let key = CacheKey::new("probe", exe, shim_context(req, exe));
    if let Some(p) = cache_read::<Probe>(req.cache_dir, key.as_ref()) {
        return Ok(p);
    }
    if !req.trusted {
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
/// With `trusted == false` only a cached dump is returned.
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
    let key = CacheKey::new("stdlib", &exe, String::new());
    if let Some(dump) = cache_read::<StdlibDump>(cache_dir, key.as_ref()) {
        return Ok(dump);
    }
    if !trusted {
        return Err(EnvError::NotFound(UNTRUSTED.to_string()));
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

#[cfg(test)]
mod tests {
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
            editable_finder_names(
                "import __editable___a_b_finder; __editable___a_b_finder.install()"
            ),
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
        assert_eq!(
            err,
            EnvError::NotFound("untrusted workspace: no interpreter is run".into())
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
        assert_eq!(discover(&req2).unwrap_err().to_string(), UNTRUSTED);
        assert_eq!(runs(&log), 0);
        let env = discover(&EnvRequest {
            trusted: true,
            ..req2
        })
        .unwrap();
        assert_eq!(env.interpreter, py);
        let dump = stdlib_dump(&env, Some(&cache), false).unwrap_err();
        assert_eq!(dump.to_string(), UNTRUSTED);
        assert_eq!(runs(&log), 1);
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
}
