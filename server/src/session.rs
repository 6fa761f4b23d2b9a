//! The analysis state of a long-running shell (the language server): one
//! environment discovered once, parsed files kept in memory across edits, and
//! a fresh [`Index`] per analysis so every edit — in an open document or on
//! disk — is seen. Speaks in paths, byte offsets and findings; no protocol.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use rayon::prelude::*;

use crate::analysis::eval::{MemberCache, SharedCache};
use crate::analysis::hover::{self, Description};
use crate::analysis::{self, Finding, Severity};
use crate::check;
use crate::config::Config;
use crate::context::lookup::{self, MemberList, SymbolLookup};
use crate::context::lookup_rust;
use crate::context::{self, ApiContext, ContextRequest};
use crate::index::facts_cache::{FactsCache, Stamp};
use crate::index::module_finder::ModuleFinder;
use crate::index::python_env::{PythonEnv, StdlibDump};
use crate::index::{load_facts, FactsMemory, Index, IndexOptions};
use crate::syntax::facts::FileFacts;
use crate::syntax::rust::facts::RustFacts;

pub struct SessionOptions {
    pub python: Option<PathBuf>,
    /// false: run nothing the workspace names (an untrusted workspace; see
    /// [`crate::trust`]).
    pub trusted: bool,
    /// `python` was given on the command line: the user's own choice, run
    /// even untrusted (an editor's setting may come from the workspace).
    pub user_python: bool,
    pub cache_dir: Option<PathBuf>,
}

pub struct Session {
    root: PathBuf,
    config: Config,
    env: Option<Arc<PythonEnv>>,
    dump: Option<Arc<StdlibDump>>,
    /// Whether programs the workspace names may run.
    trusted: bool,
    /// One-line notes about the environment and configuration, for the log.
    pub notes: Vec<String>,
    memory: Arc<FactsMemory>,
    facts_cache: FactsCache,
    facts_cache_dir: Option<PathBuf>,
    finder: Arc<ModuleFinder>,
    /// Member lookups on library modules, reused across analyses.
    library_lookups: Arc<MemberCache>,
    /// The workspace's files as last indexed (open documents override them).
    workspace: RwLock<Workspace>,
    /// While the workspace is being indexed: the files changed on disk
    /// meanwhile, read again when the index is installed (the indexer may
    /// have read them before the change).
    changed_while_indexing: Mutex<Option<HashSet<PathBuf>>>,
    /// The Cargo workspace and Rust's std, loaded the first time a Rust
    /// document is analyzed.
    rust: RwLock<Option<Arc<RustWorld>>>,
    /// Rust's std, loaded once.
    rust_std: std::sync::OnceLock<StdLoad>,
}

/// What a session of an untrusted workspace does not run, said once when it opens.
pub const UNTRUSTED_NOTE: &str = "untrusted workspace: nothing it names is run — no interpreter \
(Python: an earlier cached answer or no environment), no cargo or rustc (Rust: the manifests \
alone, std from the default toolchain)";

type StdLoad = (
    Result<Arc<dyn crate::index::rust::StdApi>, String>,
    Arc<crate::index::rust::host_cfg::HostCfg>,
);

struct RustWorld {
    cargo: crate::index::cargo::CargoWorkspace,
    std: Option<Arc<dyn crate::index::rust::StdApi>>,
    /// Why std could not be loaded.
    std_error: Option<String>,
    /// The host's `cfg` (of the same toolchain).
    host_cfg: Arc<crate::index::rust::host_cfg::HostCfg>,
    memory: Arc<crate::index::rust::RustMemory>,
    /// What registry and git crates derive to, shared by this graph's indexes.
    frozen: Arc<crate::index::rust::FrozenCrates>,
    /// The manifests the Cargo graph was read from, as they were then.
    manifests: Vec<(PathBuf, Option<Stamp>)>,
}

impl RustWorld {
    /// The workspace's Cargo.toml and Cargo.lock and each member's
    /// Cargo.toml: a change to any of them may change the graph.
    fn manifests_of(dir: &Path, cargo: &crate::index::cargo::CargoWorkspace) -> Vec<PathBuf> {
        let mut out = vec![
            dir.join("Cargo.toml"),
            cargo.root.join("Cargo.toml"),
            cargo.root.join("Cargo.lock"),
        ];
        for c in cargo.crates.iter().filter(|c| c.workspace) {
            let manifest = c
                .root_file
                .ancestors()
                .skip(1)
                .take_while(|d| d.starts_with(&cargo.root))
                .map(|d| d.join("Cargo.toml"))
                .find(|m| m.is_file());
            out.extend(manifest);
        }
        out.sort();
        out.dedup();
        out
    }

    fn stamp(path: &Path) -> Option<Stamp> {
        std::fs::metadata(path).ok().and_then(|m| Stamp::of(&m))
    }

    fn manifests_changed(&self) -> bool {
        self.manifests
            .iter()
            .any(|(p, stamp)| Self::stamp(p) != *stamp)
    }
}

#[derive(Default)]
struct Workspace {
    facts: HashMap<PathBuf, Arc<FileFacts>>,
    roots: Vec<PathBuf>,
}

impl Session {
    /// Discover the environment and read the configuration of `root`.
    /// Blocking: probes the interpreter (cached on disk after the first time).
    pub fn open(root: &Path, opts: &SessionOptions) -> Session {
        let mut notes = Vec::new();
        if !opts.trusted {
            notes.push(UNTRUSTED_NOTE.to_string());
        }
        let config = match Config::load(root, None) {
            Ok(c) => c,
            Err(e) => {
                notes.push(e);
                Config::default()
            }
        };
        let check_opts = check::CheckOptions {
            paths: vec![root.to_path_buf()],
            python: opts.python.clone(),
            config: None,
            trusted: opts.trusted,
            user_python: opts.user_python,
            cache_dir: opts.cache_dir.clone(),
            one_shot: false,
            why: false,
        };
        let (env, dump) = match check::discover_env(&check_opts, &config, root) {
            Ok((env, dump, env_notes)) => {
                notes.extend(env_notes);
                (Some(Arc::new(env)), dump.map(Arc::new))
            }
            Err(note) => {
                notes.push(note);
                (None, None)
            }
        };
        Session {
            root: root.to_path_buf(),
            config,
            env,
            dump,
            trusted: opts.trusted,
            notes,
            memory: Arc::new(FactsMemory::default()),
            facts_cache: FactsCache::new(opts.cache_dir.as_deref()),
            facts_cache_dir: opts.cache_dir.clone(),
            finder: Arc::new(ModuleFinder::default()),
            library_lookups: Arc::new(MemberCache::default()),
            workspace: RwLock::new(Workspace::default()),
            changed_while_indexing: Mutex::new(None),
            rust: RwLock::new(None),
            rust_std: std::sync::OnceLock::new(),
        }
    }

    /// Parse every source file of the workspace (in parallel; cached ones are
    /// read back), calling `progress(done, total)` as it goes. Returns the
    /// number of files indexed.
    pub fn index_workspace(&self, progress: &(dyn Fn(usize, usize) + Sync)) -> usize {
        if let Ok(mut changed) = self.changed_while_indexing.lock() {
            *changed = Some(HashSet::new());
        }
        let files =
            check::collect_files(std::slice::from_ref(&self.root), &self.root, &self.config);
        let total = files.len();
        let done = AtomicUsize::new(0);
        let mut facts: HashMap<PathBuf, Arc<FileFacts>> = files
            .par_iter()
            .filter_map(|path| {
                let f = load_facts(path, Some(&self.memory), &self.facts_cache);
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if n % 50 == 0 || n == total {
                    progress(n, total);
                }
                Some((path.clone(), f?))
            })
            .collect();
        // Installed under the write lock, with the files changed meanwhile
        // read again: a change the indexer read too early is not lost (a
        // change after the lock is taken updates the installed index).
        let Ok(mut ws) = self.workspace.write() else {
            return 0;
        };
        let changed = self
            .changed_while_indexing
            .lock()
            .ok()
            .and_then(|mut c| c.take())
            .unwrap_or_default();
        for path in changed {
            match load_facts(&path, Some(&self.memory), &self.facts_cache) {
                Some(f) if path.starts_with(&self.root) && is_python_source(&path) => {
                    facts.insert(path, f);
                }
                _ => {
                    facts.remove(&path);
                }
            }
        }
        let roots = check::import_roots(&self.root, facts.keys().map(PathBuf::as_path));
        let count = facts.len();
        *ws = Workspace { facts, roots };
        count
    }

    /// A file changed on disk (created, changed or deleted): refresh it.
    pub fn file_changed(&self, path: &Path) {
        // A file created or removed changes directory listings, and a library
        // file (a package installed or upgraded) what its modules hold.
        self.finder.clear();
        if !path.starts_with(&self.root) {
            self.library_lookups.clear();
        }
        // A changed manifest (a dependency added) reloads the Cargo graph.
        if path
            .file_name()
            .is_some_and(|n| n == "Cargo.toml" || n == "Cargo.lock")
        {
            if let Ok(mut slot) = self.rust.write() {
                *slot = None;
            }
        }
        if !is_python_source(path) {
            return;
        }
        if let Ok(mut changed) = self.changed_while_indexing.lock() {
            if let Some(set) = changed.as_mut() {
                set.insert(path.to_path_buf());
            }
        }
        let fresh = load_facts(path, Some(&self.memory), &self.facts_cache);
        if let Ok(mut ws) = self.workspace.write() {
            match fresh {
                Some(f) if path.starts_with(&self.root) => {
                    ws.facts.insert(path.to_path_buf(), f);
                }
                _ => {
                    ws.facts.remove(path);
                }
            }
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// What this session runs on, for status displays and health checks.
    pub fn status(&self) -> serde_json::Value {
        let python = self.env.as_ref().map(|e| {
            serde_json::json!({
                "executable": e.executable,
                "version": format!("{}.{}.{}", e.version.0, e.version.1, e.version.2),
                "venv": e.venv,
                "site_packages": e.site_packages,
            })
        });
        let indexed = self.workspace.read().map(|w| w.facts.len()).unwrap_or(0);
        serde_json::json!({
            "root": self.root,
            "trusted": self.trusted,
            "python": python,
            "stdlib_known": self.dump.is_some(),
            "indexed_files": indexed,
            "notes": self.notes,
        })
    }

    /// Forget the directory listings, so files created or removed since are
    /// seen (shells that get no file events call this before each request).
    pub fn refresh_listings(&self) {
        self.finder.clear();
        // Nor does a manifest edit (a dependency added): the Cargo graph is
        // read again when one changed since it was loaded.
        let stale = self
            .rust
            .read()
            .ok()
            .and_then(|w| w.as_ref().map(|w| w.manifests_changed()))
            .unwrap_or(false);
        if stale {
            if let Ok(mut slot) = self.rust.write() {
                *slot = None;
            }
        }
    }

    /// The environment's site-packages directories (to watch for installs).
    pub fn site_packages(&self) -> Vec<PathBuf> {
        self.env
            .as_ref()
            .map(|e| e.site_packages.clone())
            .unwrap_or_default()
    }

    /// An index over the workspace with `path` at `facts` and the other open
    /// documents at theirs.
    fn index_for(
        &self,
        path: &Path,
        facts: &Arc<FileFacts>,
        open: &HashMap<PathBuf, Arc<FileFacts>>,
    ) -> Index {
        self.index_with(Some((path, facts)), open)
    }

    /// An index over the workspace with the open documents at their facts
    /// and, when given, one more file at its current content.
    fn index_with(
        &self,
        current: Option<(&Path, &Arc<FileFacts>)>,
        open: &HashMap<PathBuf, Arc<FileFacts>>,
    ) -> Index {
        let (mut preparsed, mut roots) = match self.workspace.read() {
            Ok(ws) => (ws.facts.clone(), ws.roots.clone()),
            Err(_) => (HashMap::new(), Vec::new()),
        };
        for (p, f) in open {
            preparsed.insert(p.clone(), f.clone());
        }
        if let Some((path, facts)) = current {
            preparsed.insert(path.to_path_buf(), facts.clone());
        }
        let outside = current.is_some_and(|(path, _)| !path.starts_with(&self.root));
        // Open documents outside the indexed tree bring their own roots.
        if roots.is_empty() || outside {
            roots = check::import_roots(&self.root, preparsed.keys().map(PathBuf::as_path));
        }
        Index::new(
            self.env.clone(),
            self.dump.clone(),
            IndexOptions {
                workspace_roots: roots,
                preparsed,
                open_modules: self.config.open_modules.clone(),
                facts_cache: self.facts_cache.clone(),
                memory: Some(self.memory.clone()),
                finder: Some(self.finder.clone()),
            },
        )
    }

    /// Findings for `path` whose current content parsed to `facts`; `open`
    /// holds the facts of the other open documents (they win over disk).
    pub fn analyze(
        &self,
        path: &Path,
        facts: Arc<FileFacts>,
        open: &HashMap<PathBuf, Arc<FileFacts>>,
    ) -> Vec<(Finding, Severity)> {
        self.analyze_in_place(path, facts, open)
            .into_iter()
            .filter_map(|f| {
                let severity = self.config.severity_of(f.code)?;
                Some((f, severity))
            })
            .collect()
    }

    /// [`Session::analyze`]'s findings without their severities (see
    /// [`Session::severity_of`]), kept in the vector the check made: a
    /// document's findings may weigh as much as its facts (58,822 of them:
    /// 6 MB), and a second vector of them was the language server's peak.
    pub fn analyze_in_place(
        &self,
        path: &Path,
        facts: Arc<FileFacts>,
        open: &HashMap<PathBuf, Arc<FileFacts>>,
    ) -> Vec<Finding> {
        let index = self.index_for(path, &facts, open);
        let shared = SharedCache::with_library_cache(self.library_lookups.clone());
        let module = index.module_for_file(path, facts);
        let mut found = analysis::check_file(&index, &shared, module);
        found.retain(|f| self.config.severity_of(f.code).is_some());
        found
    }

    /// The severity the configuration gives a finding's code (`None`: not
    /// reported).
    pub fn severity_of(&self, code: crate::analysis::Code) -> Option<Severity> {
        self.config.severity_of(code)
    }

    /// The Cargo workspace and std, loaded on first use (and again after a
    /// manifest changed).
    fn rust_world(&self, path: &Path) -> Arc<RustWorld> {
        if let Some(w) = self.rust.read().ok().and_then(|w| w.clone()) {
            return w;
        }
        let dir = path.parent().unwrap_or(&self.root);
        // std outlives a reloaded Cargo graph: the toolchain did not change.
        let (std, host_cfg) = self
            .rust_std
            .get_or_init(|| {
                crate::check_rust::load_toolchain(self.facts_cache_dir.as_deref(), self.trusted)
            })
            .clone();
        let cargo =
            crate::index::cargo::CargoWorkspace::load(dir, self.trusted).unwrap_or_default();
        let manifests = RustWorld::manifests_of(dir, &cargo)
            .into_iter()
            .map(|p| {
                let stamp = RustWorld::stamp(&p);
                (p, stamp)
            })
            .collect();
        let world = Arc::new(RustWorld {
            cargo,
            std_error: std.as_ref().err().cloned(),
            std: std.ok(),
            host_cfg,
            memory: Arc::default(),
            frozen: Arc::default(),
            manifests,
        });
        if let Ok(mut slot) = self.rust.write() {
            *slot = Some(world.clone());
        }
        world
    }

    /// An index over `world` with `preparsed` files (open documents) as
    /// given, sharing parses and registry crates with the earlier ones.
    fn rust_index(
        &self,
        world: &RustWorld,
        preparsed: HashMap<PathBuf, Arc<RustFacts>>,
    ) -> crate::index::rust::RustIndex {
        crate::index::rust::RustIndex::new(
            world.cargo.clone(),
            world.std.clone(),
            preparsed,
            self.facts_cache.clone(),
        )
        .with_memory(world.memory.clone())
        .with_frozen(world.frozen.clone())
        .with_host_cfg(world.host_cfg.clone())
    }

    /// Findings for the Rust file `path` whose current content is `text`.
    pub fn analyze_rust(&self, path: &Path, facts: Arc<RustFacts>) -> Vec<(Finding, Severity)> {
        let world = self.rust_world(path);
        let preparsed = HashMap::from([(path.to_path_buf(), facts.clone())]);
        let index = self.rust_index(&world, preparsed);
        crate::analysis::rust::check_rust_file(&index, path, facts)
            .into_iter()
            .filter_map(|f| {
                let severity = self.config.severity_of(f.code)?;
                Some((f, severity))
            })
            .collect()
    }

    /// What the name, attribute or import at `byte` in `path` really is.
    pub fn describe(
        &self,
        path: &Path,
        facts: Arc<FileFacts>,
        open: &HashMap<PathBuf, Arc<FileFacts>>,
        byte: u32,
    ) -> Option<Description> {
        let index = self.index_for(path, &facts, open);
        let module = index.module_for_file(path, facts);
        hover::describe_at(&index, module, byte)
    }

    /// The API context of the Python or Rust file `path` whose current
    /// content is `text`; `open` holds the other open (Python) documents.
    pub fn context(
        &self,
        path: &Path,
        text: &str,
        open: &HashMap<PathBuf, Arc<FileFacts>>,
        query: &ContextQuery,
    ) -> Result<ApiContext, String> {
        match path.extension().and_then(|e| e.to_str()) {
            Some("py" | "pyi") => {}
            Some("rs") => return Ok(self.context_rust(path, text, query)),
            _ => {
                return Err(format!(
                    "{}: not a Python file (.py or .pyi) nor a Rust file (.rs)",
                    path.display()
                ))
            }
        }
        let facts = Arc::new(crate::syntax::python::parse(text));
        let index = self.index_for(path, &facts, open);
        let shared = SharedCache::with_library_cache(self.library_lookups.clone());
        let module = index.module_for_file(path, facts);
        let request = self.context_request(path, text, query);
        Ok(context::build(&index, &shared, module, &request))
    }

    /// What the context engine is asked for `path` (named relative to the root).
    fn context_request<'a>(
        &'a self,
        path: &Path,
        text: &'a str,
        query: &'a ContextQuery,
    ) -> ContextRequest<'a> {
        ContextRequest {
            text,
            line: query.line,
            task: query.task.as_deref(),
            budget: query.budget,
            display_path: path
                .strip_prefix(&self.root)
                .unwrap_or(path)
                .to_string_lossy()
                .into_owned(),
            root: &self.root,
        }
    }

    /// The API context of the Rust file `path` whose current content is `text`.
    fn context_rust(&self, path: &Path, text: &str, query: &ContextQuery) -> ApiContext {
        let world = self.rust_world(path);
        let facts = Arc::new(crate::syntax::rust::parse(text));
        let preparsed = HashMap::from([(path.to_path_buf(), facts.clone())]);
        let index = self.rust_index(&world, preparsed);
        let mut notes = Vec::new();
        if world.cargo.crates.is_empty() {
            notes.push(
                "No Cargo.toml was found: no dependency is known, only the standard library."
                    .to_string(),
            );
        } else if index.crates_for_file(path).is_empty() {
            notes.push(
                "No crate of the Cargo workspace holds this file: its dependencies are not known."
                    .to_string(),
            );
        } else if !world.cargo.graph_known && !self.trusted {
            notes.push(
                "The workspace is untrusted: cargo metadata was not run, so dependencies are known by name only, not their items."
                    .to_string(),
            );
        } else if !world.cargo.graph_known {
            notes.push(
                "cargo metadata failed: dependencies are known by name only, not their items."
                    .to_string(),
            );
        }
        if let Some(e) = &world.std_error {
            notes.push(format!(
                "Rust's standard library is unknown here ({e}): its items are not listed."
            ));
        }
        let request = self.context_request(path, text, query);
        context::build_rust(&index, path, facts, notes, &request)
    }

    /// Whether `symbol` (`os.path.join`, `requests.Session.get`) exists in
    /// this workspace and its environment.
    pub fn lookup(&self, symbol: &str, from: Option<&Path>) -> Result<SymbolLookup, String> {
        if is_rust_path(symbol, from) || self.maybe_rust_crate(symbol) {
            let (index, vantage) = self.rust_lookup_index(from);
            let found = lookup_rust::lookup_rust(&index, &vantage, symbol);
            if is_rust_path(symbol, from)
                || found
                    .as_ref()
                    .is_ok_and(|f| f.existence == lookup::Existence::Exists)
            {
                return found;
            }
        }
        let index = self.index_with(None, &HashMap::new());
        let shared = SharedCache::with_library_cache(self.library_lookups.clone());
        lookup::lookup(&index, &shared, symbol)
    }

    /// The members of a module or class (a Rust module, type or trait),
    /// and whether the list is complete.
    pub fn members(&self, name: &str, from: Option<&Path>) -> Result<MemberList, String> {
        if is_rust_path(name, from) || self.maybe_rust_crate(name) {
            let (index, vantage) = self.rust_lookup_index(from);
            let list = lookup_rust::members_rust(&index, &vantage, name);
            if is_rust_path(name, from) || list.is_ok() {
                return list;
            }
        }
        let index = self.index_with(None, &HashMap::new());
        let shared = SharedCache::with_library_cache(self.library_lookups.clone());
        lookup::members(&index, &shared, name)
    }

    /// A bare name (`serde_json`) in a Cargo workspace may be a crate: it is
    /// asked of Rust first, and of Python when Rust does not know it.
    fn maybe_rust_crate(&self, name: &str) -> bool {
        !name.contains('.') && self.root.join("Cargo.toml").is_file()
    }

    /// The Rust index a lookup reads, and the `.rs` file it is read from
    /// (parsed from disk) when one is given and readable.
    fn rust_lookup_index(
        &self,
        from: Option<&Path>,
    ) -> (crate::index::rust::RustIndex, lookup_rust::Vantage) {
        let rs = from.filter(|p| p.extension().is_some_and(|e| e == "rs"));
        let world = self.rust_world(rs.unwrap_or(&self.root.join("Cargo.toml")));
        let file = rs.and_then(|p| {
            let text = crate::regular_file::read_to_string(p).ok()?;
            Some((p.to_path_buf(), Arc::new(crate::syntax::rust::parse(&text))))
        });
        let preparsed: HashMap<PathBuf, _> = file.iter().cloned().collect();
        let index = self.rust_index(&world, preparsed);
        (index, lookup_rust::Vantage { file })
    }
}

/// A `::` path, or any name asked from a `.rs` file, is a Rust path; a
/// dotted name is Python's.
fn is_rust_path(symbol: &str, from: Option<&Path>) -> bool {
    symbol.contains("::")
        || (!symbol.contains('.') && from.is_some_and(|p| p.extension().is_some_and(|e| e == "rs")))
}

/// What a context request asks for besides the file.
#[derive(Debug, Clone)]
pub struct ContextQuery {
    /// The cursor's 0-based line.
    pub line: Option<usize>,
    pub task: Option<String>,
    /// In tokens.
    pub budget: usize,
}

fn is_python_source(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "py" || e == "pyi")
}
