//! `grounded check`: walk → parse (parallel) → index → analyze (parallel).
//! The CLI, and later the LSP and CI shells, call [`run_check`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::analysis::{self, eval::SharedCache, Code, Finding, Severity};
use crate::config::Config;
use crate::fingerprint;
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
    /// `--why`: say why each silent lookup on an open container is silent.
    pub why: bool,
}

/// A silent lookup and why it is silent (`--why`), placed in its file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct WhyReported {
    pub path: String,
    pub line: usize,
    pub column: usize,
    /// The lookup as written (`np.foo`, `tokio::time::sleep_ms`).
    pub symbol: String,
    /// The construct that left it open, and where.
    pub reason: String,
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
    /// A bounded piece of the finding's first line (SARIF snippets and fixes).
    pub excerpt: Excerpt,
    /// What stands for the finding's line in fingerprints
    /// ([`fingerprint::line_key`]); the findings of one line share it.
    pub line_key: Arc<str>,
}

/// At most this many characters of a finding's line are kept with it: a
/// finding on a 1 MB line does not carry a copy of the line.
pub const EXCERPT_CHARS: usize = 200;

/// Of those, at most this many stand before the finding's start (the rest
/// after it, so that the finding itself is in the excerpt).
const EXCERPT_BEFORE: usize = EXCERPT_CHARS / 4;

/// A piece of a finding's first line, without its line ending: the whole
/// line when it has at most [`EXCERPT_CHARS`] characters, else that many
/// around the finding's start (cut on character boundaries).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    /// The 1-based character column where `text` starts in the line.
    pub column: usize,
    /// Whether `text` is the whole line.
    pub whole_line: bool,
}

#[derive(Debug, Default)]
pub struct CheckOutcome {
    pub findings: Vec<Reported>,
    /// One-line notes (skipped files, environment problems).
    pub notes: Vec<String>,
    pub files: usize,
    pub duration_ms: u128,
    /// With `--why`: the silent lookups and their reasons, sorted (`None`
    /// without `--why`).
    pub why: Option<Vec<WhyReported>>,
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

    // Discover the environment while the workspace parses; with no Python
    // file to check, no interpreter is run at all (a Rust workspace's cold
    // check would pay for the probe and the stdlib introspection).
    let (env_result, parsed) = rayon::join(
        || {
            if files.is_empty() {
                return Err("no Python file".to_string());
            }
            discover_env(opts, &config, &root)
        },
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
    // The analysis resolves every unconditional import the workspace makes:
    // load those modules up front, in parallel — a single huge file would
    // otherwise load hundreds of them one after another, on one thread.
    let imported: std::collections::BTreeSet<&str> = ok_files
        .iter()
        .flat_map(|f| f.facts.imports.iter())
        .filter(|i| i.level == 0 && i.guard == 0 && !i.in_try_import)
        .map(|i| &*i.module)
        .collect();
    imported.par_iter().for_each(|name| {
        index.module(name);
    });
    lap("imports");
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
            let found = found.into_iter().filter_map(|finding| {
                config
                    .severity_of(finding.code)
                    .map(|severity| (finding, severity))
            });
            place_all(&path, &text, found)
        })
        .collect();
    lap("index + analysis");
    let mut why: Vec<WhyReported> = if opts.why {
        ok_files
            .par_iter()
            .flat_map_iter(|f| {
                let module = index.module_for_file(&f.path, f.facts.clone());
                let found = analysis::why_file(&index, &shared, module);
                let text = crate::regular_file::read_to_string(&f.path).unwrap_or_default();
                let path = display_path(&f.path, &cwd);
                place_why(
                    &path,
                    &text,
                    found.into_iter().map(|w| (w.span, w.symbol, w.reason)),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let rust = crate::check_rust::check(
        &abs_paths,
        &root,
        &config,
        &cwd,
        opts.cache_dir.as_deref(),
        opts.trusted,
        opts.why,
    );
    why.extend(rust.why);
    why.sort();
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
        why: opts.why.then_some(why),
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

/// Findings of one file placed in it: 1-based lines and character columns
/// (lines end at `\n`, `\r\n` or `\r`, as in the language server), each
/// with an [`Excerpt`] of its line and its line's fingerprint key. One pass
/// over the text places them all, and each finding costs at most
/// [`EXCERPT_CHARS`] more: a file with 70,000 findings on one 1 MB line is
/// placed as fast as it is read, in memory bounded by the findings.
pub(crate) fn place_all(
    path: &str,
    text: &str,
    found: impl IntoIterator<Item = (Finding, Severity)>,
) -> Vec<Reported> {
    let found: Vec<(Finding, Severity)> = found.into_iter().collect();
    let lines = line_breaks::LineIndex::new(text);
    let offsets: Vec<usize> = found
        .iter()
        .flat_map(|(f, _)| [f.span.start_byte as usize, f.span.end_byte as usize])
        .collect();
    let placed = lines.line_cols(text, &offsets);
    let mut keys: HashMap<usize, Arc<str>> = HashMap::new();
    found
        .into_iter()
        .zip(placed.chunks_exact(2))
        .map(|((finding, severity), at)| {
            let ((line, column), (end_line, end_column)) = (at[0], at[1]);
            let (start, end) = (lines.start(line - 1), lines.end(text, line - 1));
            let line_key = keys
                .entry(line)
                .or_insert_with(|| fingerprint::line_key(&text[start..end]))
                .clone();
            let at = line_breaks::floor_char_boundary(text, finding.span.start_byte as usize)
                .clamp(start, end);
            Reported {
                path: path.to_string(),
                line,
                column,
                end_line,
                end_column,
                severity,
                excerpt: excerpt(&text[start..end], at - start, column),
                line_key,
                finding,
            }
        })
        .collect()
}

/// Silent lookups of one file placed in it (1-based lines and character
/// columns), with their reasons.
pub(crate) fn place_why(
    path: &str,
    text: &str,
    found: impl IntoIterator<Item = (crate::syntax::facts::Span, String, String)>,
) -> Vec<WhyReported> {
    let found: Vec<_> = found.into_iter().collect();
    if found.is_empty() {
        return Vec::new();
    }
    let lines = line_breaks::LineIndex::new(text);
    let offsets: Vec<usize> = found.iter().map(|(s, ..)| s.start_byte as usize).collect();
    let placed = lines.line_cols(text, &offsets);
    found
        .into_iter()
        .zip(placed)
        .map(|((_, symbol, reason), (line, column))| WhyReported {
            path: path.to_string(),
            line,
            column,
            symbol,
            reason,
        })
        .collect()
}

/// The excerpt of `line` (a line's text) around byte `at`, the start of a
/// finding at 1-based character `column`: at most [`EXCERPT_BEFORE`]
/// characters before it, and up to [`EXCERPT_CHARS`] in all.
fn excerpt(line: &str, at: usize, column: usize) -> Excerpt {
    if line.len() <= EXCERPT_CHARS {
        return Excerpt {
            text: line.to_string(),
            column: 1,
            whole_line: true,
        };
    }
    let back = |from: usize, n: usize| line[..from].char_indices().rev().take(n).last();
    let ahead = |n: usize| {
        line[at..]
            .char_indices()
            .nth(n)
            .map_or(line.len(), |(i, _)| at + i)
    };
    let mut start = back(at, EXCERPT_BEFORE).map_or(at, |(i, _)| i);
    let mut before = line[start..at].chars().count();
    let end = ahead(EXCERPT_CHARS - before);
    let after = line[at..end].chars().count();
    // Near the line's end: the rest of the room goes before.
    if before + after < EXCERPT_CHARS {
        if let Some((i, _)) = back(start, EXCERPT_CHARS - before - after) {
            before += line[i..start].chars().count();
            start = i;
        }
    }
    Excerpt {
        text: line[start..end].to_string(),
        column: column.saturating_sub(before).max(1),
        whole_line: start == 0 && end == line.len(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::facts::Span;

    fn finding(start: usize, end: usize) -> Finding {
        Finding {
            code: Code::UnknownMember,
            message: String::new(),
            symbol: "os.pathx".into(),
            suggestions: Vec::new(),
            span: Span {
                start_byte: start as u32,
                end_byte: end as u32,
                ..Span::default()
            },
        }
    }

    /// A short line is kept whole; of a long one, at most `EXCERPT_CHARS`
    /// characters around the finding, on character boundaries, its column
    /// said — at the line's start, middle and end, with wide characters.
    #[test]
    fn excerpts_are_bounded_and_placed() {
        let short = "x = os.pathx\n";
        let r = &place_all("a.py", short, [(finding(6, 12), Severity::Error)])[0];
        assert_eq!(r.excerpt.text, "x = os.pathx");
        assert!(r.excerpt.whole_line && r.excerpt.column == 1);
        for unit in ["os.pathx, ", "é.ü€😀, "] {
            let line = format!("x = [{}]", unit.repeat(2000));
            let text = format!("import os\r\n{line}\r\nprint()\n");
            let line_start = text.find("x = [").unwrap();
            let chars: Vec<char> = line.chars().collect();
            for k in [0, 1, 5, 1000, 1998, 1999] {
                let at = line_start + 5 + k * unit.len();
                let end = at + unit.len() - 2;
                let r = &place_all("a.py", &text, [(finding(at, end), Severity::Error)])[0];
                let e = &r.excerpt;
                let n = e.text.chars().count();
                assert_eq!(n, EXCERPT_CHARS, "{unit:?} {k}");
                assert!(!e.whole_line);
                assert_eq!(r.line, 2);
                assert_eq!(r.column, 6 + k * unit.chars().count());
                // The excerpt is the line's text at its column, and holds the finding.
                let expected: String = chars[e.column - 1..e.column - 1 + n].iter().collect();
                assert_eq!(e.text, expected, "{unit:?} {k}");
                assert!(
                    e.column <= r.column && r.end_column <= e.column + n,
                    "{unit:?} {k}"
                );
                assert!(
                    r.column - e.column
                        <= EXCERPT_BEFORE.max(EXCERPT_CHARS - (chars.len() - r.column + 1))
                );
            }
        }
    }

    /// Findings of one long line share one fingerprint key, the line's
    /// digest, and each is placed where `line_col` places it.
    #[test]
    fn many_findings_on_one_line_are_placed_like_line_col() {
        let text = format!("import os\nx = [{}]\n", "os.pathx, ".repeat(500));
        // In reverse order: the placement sorts for itself.
        let mut found: Vec<(Finding, Severity)> = text
            .match_indices("pathx")
            .map(|(i, _)| (finding(i, i + 5), Severity::Error))
            .collect();
        found.reverse();
        let placed = place_all("a.py", &text, found.clone());
        assert_eq!(placed.len(), 500);
        for (r, (f, _)) in placed.iter().zip(&found) {
            let (line, column) = line_breaks::line_col(&text, f.span.start_byte as usize);
            assert_eq!((r.line, r.column), (line, column));
            assert_eq!(r.end_column, column + 5);
            assert!(Arc::ptr_eq(&r.line_key, &placed[0].line_key));
        }
        assert!(placed[0].line_key.starts_with("sha256:"));
    }
}
