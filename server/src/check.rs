//! `grounded check`: walk → parse (parallel) → index → analyze (parallel).
//! The CLI, and later the LSP and CI shells, call [`run_check`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::analysis::{self, eval::SharedCache, Code, Finding, Severity};
use crate::config::Config;
use crate::index::facts_cache::{FactsCache, Stamp};
use crate::index::python_env::{self, EnvRequest, PythonEnv, StdlibDump};
use crate::index::{Index, IndexOptions};
use crate::source_lang::{lang_of, Lang};
use crate::syntax::facts::FileFacts;
use crate::syntax::line_breaks;
use crate::syntax::python;

pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    pub python: Option<PathBuf>,
    pub config: Option<PathBuf>,
    /// Whether programs the workspace names (its interpreters; cargo and rustc under its
    /// toolchain files) may run: see [`crate::trust`].
    pub trusted: bool,
    /// `python` was given by the user on the command line: it runs even untrusted.
    pub user_python: bool,
    pub cache_dir: Option<PathBuf>,
    /// The process exits right after this check (the CLI): the index and the
    /// parsed files are not freed one by one, which is pure cost at exit.
    pub one_shot: bool,
}

/// A finding placed in its file, with 1-based lines and character columns.
#[derive(Debug, Clone)]
pub struct Reported {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub severity: Severity,
    pub finding: Finding,
    /// The text of the finding's first line, without its line ending (for
    /// baseline fingerprints, SARIF snippets and fixes).
    pub source_line: String,
}

#[derive(Debug, Default)]
pub struct CheckOutcome {
    pub findings: Vec<Reported>,
    /// One-line notes (skipped files, environment problems).
    pub notes: Vec<String>,
    pub files: usize,
    pub duration_ms: u128,
}

impl CheckOutcome {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// Directories never walked into (ruff's defaults, plus virtual environments
/// recognised by their `pyvenv.cfg`).
const EXCLUDED_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    "__pycache__",
    "node_modules",
    "site-packages",
    "__pypackages__",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    "build",
    "dist",
    "_build",
    "buck-out",
    ".eggs",
];

const ROOT_MARKERS: &[&str] = &[
    "grounded.toml",
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    ".git",
];

/// The workspace root for a path: the nearest ancestor (or itself) holding a
/// project marker; else the directory itself.
pub fn workspace_root(path: &Path) -> PathBuf {
    let start = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let mut current = Some(start.as_path());
    while let Some(dir) = current {
        if ROOT_MARKERS.iter().any(|m| dir.join(m).exists()) {
            return dir.to_path_buf();
        }
        current = dir.parent();
    }
    start
}

/// A parsed file: its facts only. The tree-sitter tree is dropped as soon as
/// the facts are extracted, and the source is not kept either (it is read
/// again only for a file with findings to place), so memory holds one tree
/// per worker thread, not one per file.
struct ParsedFile {
    path: PathBuf,
    facts: Arc<FileFacts>,
}

pub fn run_check(opts: &CheckOptions) -> Result<CheckOutcome, String> {
    let started = Instant::now();
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let paths: Vec<PathBuf> = if opts.paths.is_empty() {
        vec![cwd.clone()]
    } else {
        opts.paths.clone()
    };
    let mut abs_paths = Vec::new();
    for p in &paths {
        let abs = if p.is_absolute() {
            p.clone()
        } else {
            cwd.join(p)
        };
        if !abs.exists() {
            return Err(format!("{}: no such file or directory", p.display()));
        }
        abs_paths.push(normalize(&abs));
    }
    let root = workspace_root(&abs_paths[0]);
    let config = Config::load(&root, opts.config.as_deref())?;
    let mut notes = Vec::new();
    // A file named on the command line is checked by its own language only;
    // one that is no source (a README, a lock file) is said and skipped.
    for (given, abs) in paths.iter().zip(&abs_paths) {
        if !abs.is_dir() && lang_of(abs).is_none() {
            notes.push(format!(
                "{}: skipped: not a Python or Rust source (.py, .pyi, .rs, or a script with a python shebang)",
                given.display()
            ));
        }
    }

    let timings = std::env::var_os("GROUNDED_TIMINGS").is_some();
    let lap = |what: &str| {
        if timings {
            eprintln!(
                "grounded: timing: {what}: {} ms",
                started.elapsed().as_millis()
            );
        }
    };
    let files = collect_files(&abs_paths, &root, &config);
    lap("walk");
    let facts_cache = FactsCache::new(opts.cache_dir.as_deref());

    // Discover the environment while the workspace parses.
    let (env_result, parsed) = rayon::join(
        || discover_env(opts, &config, &root),
        || {
            files
                .par_iter()
                .map(|p| parse_file(p, &facts_cache))
                .collect::<Vec<Result<ParsedFile, String>>>()
        },
    );
    let (env, dump, env_notes) = match env_result {
        Ok((env, dump, env_notes)) => (Some(Arc::new(env)), dump.map(Arc::new), env_notes),
        Err(note) => (None, None, vec![note]),
    };
    // What the environment lacks matters only to Python files.
    if !files.is_empty() {
        notes.extend(env_notes);
    }
    let mut ok_files = Vec::new();
    for r in parsed {
        match r {
            Ok(f) => ok_files.push(f),
            Err(note) => notes.push(note),
        }
    }
    for f in &ok_files {
        if let Some((row, col)) = f.facts.first_error {
            notes.push(format!(
                "{}:{}:{}: syntax error; checked what parsed",
                display_path(&f.path, &cwd),
                row + 1,
                col + 1
            ));
        }
        if let Some(cut) = f.facts.nesting_cut {
            notes.push(format!(
                "{}:{}:{}: {}",
                display_path(&f.path, &cwd),
                cut.line,
                cut.column,
                cut.message()
            ));
        }
    }

    lap("parse workspace + environment");
    let roots = import_roots(&root, ok_files.iter().map(|f| f.path.as_path()));
    let preparsed: HashMap<PathBuf, Arc<FileFacts>> = ok_files
        .iter()
        .map(|f| (f.path.clone(), f.facts.clone()))
        .collect();
    let index = Index::new(
        env,
        dump,
        IndexOptions {
            workspace_roots: roots,
            preparsed,
            open_modules: config.open_modules.clone(),
            facts_cache,
            memory: None,
            finder: None,
        },
    );
    let shared = SharedCache::default();
    let mut findings: Vec<Reported> = ok_files
        .par_iter()
        .flat_map_iter(|f| {
            let module = index.module_for_file(&f.path, f.facts.clone());
            let found = analysis::check_file(&index, &shared, module);
            if found.is_empty() {
                return Vec::new();
            }
            let path = display_path(&f.path, &cwd);
            let text = crate::regular_file::read_to_string(&f.path).unwrap_or_default();
            found
                .into_iter()
                .filter_map(|finding| {
                    let severity = config.severity_of(finding.code)?;
                    Some(place(&path, &text, severity, finding))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    lap("index + analysis");
    let rust = crate::check_rust::check(
        &abs_paths,
        &root,
        &config,
        &cwd,
        opts.cache_dir.as_deref(),
        opts.trusted,
    );
    notes.extend(rust.notes);
    findings.extend(rust.findings);
    lap("rust");
    findings.sort_by(|a, b| {
        (a.path.as_str(), a.line, a.column, a.finding.code).cmp(&(
            b.path.as_str(),
            b.line,
            b.column,
            b.finding.code,
        ))
    });
    let outcome = CheckOutcome {
        findings,
        notes,
        files: ok_files.len() + rust.files,
        duration_ms: started.elapsed().as_millis(),
    };
    if opts.one_shot {
        std::mem::forget(index);
        std::mem::forget(shared);
        std::mem::forget(ok_files);
    }
    Ok(outcome)
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

pub(crate) fn display_path(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

pub(crate) fn discover_env(
    opts: &CheckOptions,
    config: &Config,
    root: &Path,
) -> Result<(PythonEnv, Option<StdlibDump>, Vec<String>), String> {
    let vars = |k: &str| std::env::var(k).ok();
    let req = EnvRequest {
        workspace_root: root,
        flag_python: opts.python.as_deref(),
        config_python: config.python.as_deref(),
        env_vars: &vars,
        cache_dir: opts.cache_dir.as_deref(),
        trusted: opts.trusted,
        flag_trusted: opts.user_python && opts.python.is_some(),
    };
    let env = python_env::discover(&req).map_err(|e| {
        format!("no Python environment ({e}); checking workspace-internal references only")
    })?;
    let mut notes = env.notes.clone();
    let dump = match python_env::stdlib_dump(&env, opts.cache_dir.as_deref(), opts.trusted) {
        Ok(d) => Some(d),
        Err(e) => {
            notes.push(format!(
                "stdlib introspection failed ({e}); compiled stdlib modules are treated as open"
            ));
            None
        }
    };
    Ok((env, dump, notes))
}

/// The Python files (`.py`, `.pyi`, named Python scripts) under `paths`.
pub(crate) fn collect_files(paths: &[PathBuf], root: &Path, config: &Config) -> Vec<PathBuf> {
    collect_files_with(paths, root, config, Lang::Python)
}

/// The files of language `lang` under `paths`: `.gitignore` honoured,
/// virtual environments and build directories (a cargo `target/` carries a
/// `CACHEDIR.TAG`) skipped, the configuration's include/exclude applied. A
/// file named explicitly is taken when it is of that language (see
/// [`lang_of`]: an extensionless Python script counts), whatever the filters.
pub(crate) fn collect_files_with(
    paths: &[PathBuf],
    root: &Path,
    config: &Config,
    lang: Lang,
) -> Vec<PathBuf> {
    let extensions = lang.extensions();
    let mut out = Vec::new();
    for path in paths {
        if !path.is_dir() {
            if lang_of(path) == Some(lang) {
                out.push(path.clone());
            }
            continue;
        }
        let mut builder = ignore::WalkBuilder::new(path);
        builder
            .hidden(true)
            .git_ignore(true)
            .git_exclude(true)
            .parents(true)
            .require_git(false)
            .filter_entry(|e| {
                let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                if !is_dir || e.depth() == 0 {
                    return true;
                }
                let name = e.file_name().to_string_lossy();
                !EXCLUDED_DIRS.contains(&name.as_ref())
                    && !e.path().join("pyvenv.cfg").exists()
                    && !e.path().join("CACHEDIR.TAG").exists()
            });
        for entry in builder.build().flatten() {
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let p = entry.path();
            let wanted = p
                .extension()
                .is_some_and(|e| extensions.iter().any(|x| e == *x));
            if !wanted {
                continue;
            }
            let rel = p.strip_prefix(root).unwrap_or(p);
            if let Some(include) = &config.include {
                if !include.is_match(rel) {
                    continue;
                }
            }
            if let Some(exclude) = &config.exclude {
                if exclude.is_match(rel) {
                    continue;
                }
            }
            out.push(p.to_path_buf());
        }
    }
    out.sort();
    out.dedup();
    // A `.pyi` next to its `.py` describes the same module: check both files,
    // but the stub is what importers see (the finder prefers it).
    out
}

fn parse_file(path: &Path, cache: &FactsCache) -> Result<ParsedFile, String> {
    let stamp = std::fs::metadata(path).ok().and_then(|m| Stamp::of(&m));
    if let Some(stamp) = stamp {
        if let Some(facts) = cache.load(path, stamp) {
            return Ok(ParsedFile {
                path: path.to_path_buf(),
                facts: Arc::new(facts),
            });
        }
    }
    let bytes =
        crate::regular_file::read(path).map_err(|e| format!("{}: skipped: {e}", path.display()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| format!("{}: skipped: not valid UTF-8", path.display()))?;
    let facts = python::parse(&text);
    if let Some(stamp) = stamp {
        cache.store(path, stamp, &facts);
    }
    Ok(ParsedFile {
        path: path.to_path_buf(),
        facts: Arc::new(facts),
    })
}

/// Import roots: the workspace root, `src/` under it, and the directory above
/// the top package of every checked file (so scripts import their siblings).
pub(crate) fn import_roots<'a>(root: &Path, files: impl Iterator<Item = &'a Path>) -> Vec<PathBuf> {
    // A root that is itself a package (`grounded check site-packages/numpy`)
    // is not an import root: `numpy/distutils` must not become `distutils`.
    let root_is_package = root.join("__init__.py").exists() || root.join("__init__.pyi").exists();
    let mut roots = if root_is_package {
        Vec::new()
    } else {
        vec![root.to_path_buf()]
    };
    let src = root.join("src");
    if src.is_dir() {
        roots.insert(0, src);
    }
    let mut extra = Vec::new();
    for f in files {
        let mut dir = f.parent();
        while let Some(d) = dir {
            if d.join("__init__.py").exists() || d.join("__init__.pyi").exists() {
                dir = d.parent();
            } else {
                break;
            }
        }
        if let Some(d) = dir {
            if !roots.iter().any(|r| r == d) && !extra.iter().any(|r: &PathBuf| r == d) {
                extra.push(d.to_path_buf());
            }
        }
    }
    extra.sort();
    roots.extend(extra);
    roots
}

/// 1-based line and character column of a finding (lines end at `\n`,
/// `\r\n` or `\r`, as in the language server).
pub(crate) fn place(path: &str, text: &str, severity: Severity, finding: Finding) -> Reported {
    let (line, column) = line_breaks::line_col(text, finding.span.start_byte as usize);
    let (end_line, end_column) = line_breaks::line_col(text, finding.span.end_byte as usize);
    let start = finding.span.start_byte as usize;
    let source_line =
        text[line_breaks::line_start(text, start)..line_breaks::line_end(text, start)].to_string();
    Reported {
        path: path.to_string(),
        line,
        column,
        end_line,
        end_column,
        severity,
        finding,
        source_line,
    }
}

/// Whether an outcome should fail the run.
pub fn has_errors(outcome: &CheckOutcome) -> bool {
    outcome.count(Severity::Error) > 0
}

pub fn code_counts(outcome: &CheckOutcome) -> Vec<(Code, usize)> {
    Code::ALL
        .iter()
        .map(|c| {
            (
                *c,
                outcome
                    .findings
                    .iter()
                    .filter(|f| f.finding.code == *c)
                    .count(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect()
}
