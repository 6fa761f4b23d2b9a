//! What exists: modules found on the workspace and environment paths, loaded
//! lazily (a library file is read and parsed the first time an import reaches
//! it) and shared between threads.

pub mod cargo;
pub mod facts_cache;
pub mod module_finder;
pub mod python_env;
pub mod rust;
pub mod rust_std;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use dashmap::DashMap;
use globset::GlobSet;

use crate::syntax::facts::FileFacts;
use facts_cache::{FactsCache, Stamp};
use module_finder::{FileKind, Located, ModuleFinder};
use python_env::{DumpModule, PythonEnv, StdlibDump};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Workspace,
    Stdlib,
    SitePackages,
    /// Compiled into the interpreter (`sys`, `builtins`, …).
    Builtin,
}

#[derive(Debug)]
pub struct Module {
    pub name: String,
    pub file: Option<PathBuf>,
    pub kind: FileKind,
    pub origin: Origin,
    /// `__path__` for packages; empty for plain modules.
    pub package_dirs: Vec<PathBuf>,
    /// Parsed source or stub; None for compiled and namespace modules, and for
    /// files that could not be read.
    pub facts: Option<Arc<FileFacts>>,
    /// Submodules found on disk (names only).
    pub submodules: BTreeSet<String>,
    /// Set when the configuration declares the module open.
    pub configured_open: bool,
    /// Whether the package its relative imports are resolved against is
    /// known. False for a workspace file that no import root reaches under a
    /// valid module name (a package copied into `rich-copy/`) or whose
    /// package resolves to another directory: Python can import it only
    /// under a name Grounded cannot see (run directly, `from . import x`
    /// fails), so its relative imports are not checked (`docs/open-patterns.md`).
    pub package_known: bool,
    /// The runtime `.py` read beside a stub (`Index::runtime_module_of`):
    /// same name, what really runs.
    pub runtime_companion: bool,
}

impl Module {
    pub fn is_package(&self) -> bool {
        !self.package_dirs.is_empty()
    }

    /// The package that relative imports in this module are relative to;
    /// empty when there is none or it is not known.
    pub fn package(&self) -> &str {
        if !self.package_known {
            ""
        } else if self.is_package() {
            &self.name
        } else {
            self.name.rsplit_once('.').map(|(p, _)| p).unwrap_or("")
        }
    }

    /// Where Grounded looked, for messages.
    pub fn location(&self) -> String {
        match &self.file {
            Some(f) => f.display().to_string(),
            None if !self.package_dirs.is_empty() => self.package_dirs[0].display().to_string(),
            None => "built into the interpreter".to_string(),
        }
    }
}

pub struct IndexOptions {
    /// Workspace import roots, in priority order.
    pub workspace_roots: Vec<PathBuf>,
    /// Files already parsed by the caller (the files being checked).
    pub preparsed: HashMap<PathBuf, Arc<FileFacts>>,
    pub open_modules: Option<GlobSet>,
    pub facts_cache: FactsCache,
    /// Parsed files kept in memory across index generations (a long-running
    /// server builds a new index per edit; unchanged files are not re-read).
    pub memory: Option<Arc<FactsMemory>>,
    /// Directory listings shared across index generations (cleared by the
    /// owner when files change on disk); None: a fresh one.
    pub finder: Option<Arc<ModuleFinder>>,
}

/// In-memory parsed facts, by path, valid for one [`Stamp`] of the file.
pub type FactsMemory = DashMap<PathBuf, (Stamp, Arc<FileFacts>)>;

pub struct Index {
    pub env: Option<Arc<PythonEnv>>,
    pub dump: Option<Arc<StdlibDump>>,
    workspace_roots: Vec<PathBuf>,
    /// The environment's search path minus the workspace roots.
    env_dirs: Vec<PathBuf>,
    stub_dirs: Vec<PathBuf>,
    preparsed: HashMap<PathBuf, Arc<FileFacts>>,
    open_modules: Option<GlobSet>,
    facts_cache: FactsCache,
    memory: Option<Arc<FactsMemory>>,
    finder: Arc<ModuleFinder>,
    modules: DashMap<String, Arc<OnceLock<Option<Arc<Module>>>>>,
    /// Stub file → the runtime module beside it (`runtime_module_of`).
    runtime_modules: DashMap<PathBuf, Option<Arc<Module>>>,
}

impl Index {
    pub fn new(
        env: Option<Arc<PythonEnv>>,
        dump: Option<Arc<StdlibDump>>,
        options: IndexOptions,
    ) -> Index {
        let mut env_dirs = Vec::new();
        let mut stub_dirs = Vec::new();
        if let Some(env) = &env {
            for p in &env.search_path {
                if p.is_dir() && !env_dirs.contains(p) && !options.workspace_roots.contains(p) {
                    env_dirs.push(p.clone());
                }
            }
            for p in &env.site_packages {
                if !env_dirs.contains(p) && p.is_dir() {
                    env_dirs.push(p.clone());
                }
            }
            stub_dirs = env.site_packages.clone();
        }
        Index {
            env,
            dump,
            workspace_roots: options.workspace_roots,
            env_dirs,
            stub_dirs,
            preparsed: options.preparsed,
            open_modules: options.open_modules,
            facts_cache: options.facts_cache,
            memory: options.memory,
            finder: options.finder.unwrap_or_default(),
            modules: DashMap::new(),
            runtime_modules: DashMap::new(),
        }
    }

    pub fn has_env(&self) -> bool {
        self.env.is_some()
    }

    pub fn workspace_roots(&self) -> &[PathBuf] {
        &self.workspace_roots
    }

    /// The runtime dump of a stdlib module, when the interpreter gave one.
    pub fn dump_of(&self, module: &str) -> Option<&DumpModule> {
        self.dump.as_ref()?.modules.get(module)
    }

    /// Resolve a dotted module name. Cached; thread-safe; each module is loaded once.
    pub fn module(&self, name: &str) -> Option<Arc<Module>> {
        if name.is_empty() {
            return None;
        }
        let cell = {
            if let Some(c) = self.modules.get(name) {
                c.clone()
            } else {
                self.modules
                    .entry(name.to_string())
                    .or_insert_with(|| Arc::new(OnceLock::new()))
                    .clone()
            }
        };
        cell.get_or_init(|| self.load(name).map(Arc::new)).clone()
    }

    fn load(&self, name: &str) -> Option<Module> {
        let (located, origin) = match name.rsplit_once('.') {
            Some((parent, last)) => {
                let parent = self.module(parent)?;
                if parent.package_dirs.is_empty() {
                    return None;
                }
                let loc = self
                    .finder
                    .find_in(&parent.package_dirs, last, &[])
                    .or_else(|| {
                        // A stub package may leave out submodules the
                        // runtime package has: they exist.
                        let runtime = self.runtime_module_of(&parent)?;
                        self.finder.find_in(&runtime.package_dirs, last, &[])
                    })?;
                (loc, parent.origin)
            }
            None => self.locate_top(name)?,
        };
        Some(self.build_module(name, located, origin))
    }

    fn locate_top(&self, name: &str) -> Option<(Located, Origin)> {
        if let Some(loc) = self.finder.find_in(&self.workspace_roots, name, &[]) {
            // A namespace portion in the workspace must not hide a real package.
            if loc.kind != FileKind::Namespace {
                return Some((loc, Origin::Workspace));
            }
            if let Some(env_loc) = self.locate_env(name) {
                if env_loc.0.kind != FileKind::Namespace {
                    return Some(env_loc);
                }
            }
            return Some((loc, Origin::Workspace));
        }
        self.locate_env(name)
    }

    fn locate_env(&self, name: &str) -> Option<(Located, Origin)> {
        let env = self.env.as_ref()?;
        if let Some((_, path)) = env.editable_mappings.iter().find(|(m, _)| m == name) {
            if let Some(loc) = self.locate_path(path) {
                return Some((loc, Origin::SitePackages));
            }
        }
        if let Some(loc) = self.finder.find_in(&self.env_dirs, name, &self.stub_dirs) {
            let origin = if env.stdlib_dirs.iter().any(|d| d == &loc.root) {
                Origin::Stdlib
            } else {
                Origin::SitePackages
            };
            return Some((loc, origin));
        }
        if env.builtin_module_names.contains(name) {
            return Some((
                Located {
                    file: None,
                    kind: FileKind::Compiled,
                    package_dirs: Vec::new(),
                    root: PathBuf::new(),
                },
                Origin::Builtin,
            ));
        }
        None
    }

    /// An editable mapping points at a package directory or a module file.
    fn locate_path(&self, path: &Path) -> Option<Located> {
        let parent = path.parent()?.to_path_buf();
        let file_name = path.file_name()?.to_str()?;
        let part = module_finder::module_name_of_file(file_name).unwrap_or(file_name);
        self.finder.find_in(&[parent], part, &[])
    }

    fn build_module(&self, name: &str, loc: Located, origin: Origin) -> Module {
        let facts = match (&loc.file, loc.kind) {
            (Some(file), FileKind::Source | FileKind::Stub) => self.facts_for(file),
            _ => None,
        };
        let submodules = if loc.package_dirs.is_empty() {
            BTreeSet::new()
        } else {
            self.finder
                .submodules(&loc.package_dirs)
                .into_iter()
                .collect()
        };
        let configured_open = self.open_modules.as_ref().is_some_and(|g| g.is_match(name));
        Module {
            name: name.to_string(),
            file: loc.file,
            kind: loc.kind,
            origin,
            package_dirs: loc.package_dirs,
            facts,
            submodules,
            configured_open,
            // Found by its name: its package is where it was found.
            package_known: true,
            runtime_companion: false,
        }
    }

    fn facts_for(&self, file: &Path) -> Option<Arc<FileFacts>> {
        if let Some(f) = self.preparsed.get(file) {
            return Some(f.clone());
        }
        load_facts(file, self.memory.as_deref(), &self.facts_cache)
    }

    /// The module a workspace file defines. When the index resolves its name
    /// to this very file, that module is shared; otherwise (a script, a
    /// shadowed file) one is built for it.
    pub fn module_for_file(&self, path: &Path, facts: Arc<FileFacts>) -> Arc<Module> {
        let name = module_name_for_path(&self.workspace_roots, path);
        if let Some(name) = &name {
            if let Some(m) = self.module(name) {
                if m.file.as_deref() == Some(path) {
                    return m;
                }
            }
        }
        let is_init = path.file_stem().is_some_and(|s| s == "__init__");
        let package_dirs = match (is_init, path.parent()) {
            (true, Some(dir)) => vec![dir.to_path_buf()],
            _ => Vec::new(),
        };
        let kind = if path.extension().is_some_and(|e| e == "pyi") {
            FileKind::Stub
        } else {
            FileKind::Source
        };
        // Relative imports resolve against the package Python would import
        // the file from. Without a name (a directory like `rich-copy/` is no
        // identifier), or when that package is found elsewhere (a namespace
        // directory hidden by an installed package), it is not known: a
        // synthetic `__main__` package would report every relative import.
        let package_known = name
            .as_deref()
            .is_some_and(|n| self.package_is_dir_of(n, is_init, path));
        Arc::new(Module {
            name: name.unwrap_or_else(|| "__main__".to_string()),
            file: Some(path.to_path_buf()),
            kind,
            origin: Origin::Workspace,
            package_dirs,
            facts: Some(facts),
            submodules: Default::default(),
            configured_open: false,
            package_known,
            runtime_companion: false,
        })
    }

    /// Whether the package of the module `name` (the module itself for a
    /// package's `__init__`) resolves to the directory that holds `path`.
    /// A top-level module has no package: nothing to know.
    fn package_is_dir_of(&self, name: &str, is_init: bool, path: &Path) -> bool {
        let package = if is_init {
            name
        } else {
            match name.rsplit_once('.') {
                Some((package, _)) => package,
                None => return true,
            }
        };
        let Some(dir) = path.parent() else {
            return false;
        };
        self.module(package)
            .is_some_and(|m| m.package_dirs.iter().any(|d| d == dir))
    }

    /// For a module found as a `.pyi` stub, the module the runtime `.py`
    /// defines: the `.py` beside the stub, or for a stub package
    /// (`pkg-stubs/a/b.pyi`) the same module of the runtime package
    /// (`pkg/a/b.py`). Built once per stub file.
    pub fn runtime_module_of(&self, m: &Module) -> Option<Arc<Module>> {
        let stub = m.file.as_ref()?;
        if m.kind != FileKind::Stub || stub.extension().is_none_or(|e| e != "pyi") {
            return None;
        }
        if let Some(done) = self.runtime_modules.get(stub) {
            return done.clone();
        }
        let built = self.runtime_file_of(m, stub).map(|file| {
            let is_init = file.file_stem().is_some_and(|s| s == "__init__");
            let package_dirs: Vec<PathBuf> = match (is_init, file.parent()) {
                (true, Some(dir)) => vec![dir.to_path_buf()],
                _ => Vec::new(),
            };
            let submodules = self.finder.submodules(&package_dirs).into_iter().collect();
            Arc::new(Module {
                name: m.name.clone(),
                facts: self.facts_for(&file),
                file: Some(file),
                kind: FileKind::Source,
                origin: m.origin,
                package_dirs,
                submodules,
                configured_open: m.configured_open,
                package_known: m.package_known,
                runtime_companion: true,
            })
        });
        self.runtime_modules.insert(stub.clone(), built.clone());
        built
    }

    fn runtime_file_of(&self, m: &Module, stub: &Path) -> Option<PathBuf> {
        let beside = stub.with_extension("py");
        if self.is_regular_file(&beside) {
            return Some(beside);
        }
        // `pkg-stubs/…`: find `pkg` without stubs, then each part below it.
        let mut parts = m.name.split('.');
        let top = parts.next()?;
        let stubs_dir = format!("{top}-stubs");
        if !stub
            .components()
            .any(|c| c.as_os_str() == stubs_dir.as_str())
        {
            return None;
        }
        let mut located = match self
            .env
            .as_ref()?
            .editable_mappings
            .iter()
            .find(|(n, _)| n == top)
        {
            Some((_, path)) => self.locate_path(path)?,
            None => self.finder.find_in(&self.env_dirs, top, &[])?,
        };
        for part in parts {
            located = self.finder.find_in(&located.package_dirs, part, &[])?;
        }
        let file = located.file?;
        match located.kind {
            FileKind::Source => Some(file),
            FileKind::Stub => {
                let py = file.with_extension("py");
                self.is_regular_file(&py).then_some(py)
            }
            FileKind::Compiled | FileKind::Namespace => None,
        }
    }

    /// A regular file (links followed), as the finder sees modules.
    fn is_regular_file(&self, path: &Path) -> bool {
        std::fs::metadata(path).is_ok_and(|m| m.is_file())
    }

    /// For a module found as a `.pyi` stub, whether a compiled extension
    /// of the same module sits beside it.
    pub fn compiled_beside(&self, m: &Module) -> bool {
        let Some(stub) = m.file.as_ref() else {
            return false;
        };
        let (Some(dir), Some(stem)) = (stub.parent(), stub.file_stem().and_then(|s| s.to_str()))
        else {
            return false;
        };
        stub.extension().is_some_and(|e| e == "pyi")
            && self.finder.compiled_file(dir, stem).is_some()
    }

    /// The parsed workspace files (the files being checked).
    pub fn workspace_files(&self) -> impl Iterator<Item = (&PathBuf, &Arc<FileFacts>)> {
        self.preparsed.iter()
    }

    /// The module a workspace file defines, by its path under an import root.
    pub fn module_name_for_path(&self, path: &Path) -> Option<String> {
        module_name_for_path(&self.workspace_roots, path)
    }

    /// Top-level modules importable from outside the standard library: the
    /// workspace's packages (directories with an `__init__`) and modules,
    /// then site-packages, `.pth` directories and editable installs.
    pub fn installed_top_level_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        for root in &self.workspace_roots {
            for n in self.finder.submodules(std::slice::from_ref(root)) {
                let dir = root.join(&n);
                let is_package =
                    dir.join("__init__.py").is_file() || dir.join("__init__.pyi").is_file();
                if is_package || !dir.is_dir() {
                    names.push(n);
                }
            }
        }
        if let Some(env) = &self.env {
            let outside_stdlib: Vec<PathBuf> = self
                .env_dirs
                .iter()
                .filter(|d| !env.stdlib_dirs.contains(d))
                .cloned()
                .collect();
            names.extend(self.finder.submodules(&outside_stdlib));
            names.extend(env.editable_mappings.iter().map(|(m, _)| m.clone()));
        }
        names.sort();
        names.dedup();
        names
    }

    /// Every top-level module name visible (for suggestions on unresolved imports).
    pub fn top_level_names(&self) -> Vec<String> {
        let mut dirs: Vec<PathBuf> = self.workspace_roots.clone();
        dirs.extend(self.env_dirs.iter().cloned());
        let mut names = self.finder.submodules(&dirs);
        if let Some(env) = &self.env {
            names.extend(env.builtin_module_names.iter().cloned());
            names.extend(env.editable_mappings.iter().map(|(m, _)| m.clone()));
        }
        names.sort();
        names.dedup();
        names
    }
}

/// A file's parsed facts: from memory (same stamp), the disk cache, or a
/// fresh parse (stored in both).
pub fn load_facts(
    file: &Path,
    memory: Option<&FactsMemory>,
    cache: &FactsCache,
) -> Option<Arc<FileFacts>> {
    let stamp = std::fs::metadata(file).ok().and_then(|m| Stamp::of(&m));
    if let (Some(memory), Some(stamp)) = (memory, stamp) {
        if let Some(entry) = memory.get(file) {
            if entry.0 == stamp {
                return Some(entry.1.clone());
            }
        }
    }
    let facts = match stamp.and_then(|s| cache.load(file, s)) {
        Some(facts) => Arc::new(facts),
        None => {
            let bytes = crate::regular_file::read(file).ok()?;
            let text = String::from_utf8_lossy(&bytes);
            let facts = crate::syntax::python::parse(&text);
            if let Some(stamp) = stamp {
                cache.store(file, stamp, &facts);
            }
            Arc::new(facts)
        }
    };
    if let (Some(memory), Some(stamp)) = (memory, stamp) {
        memory.insert(file.to_path_buf(), (stamp, facts.clone()));
    }
    Some(facts)
}

/// `root/pkg/sub/mod.py` → `pkg.sub.mod` for the first root that contains the path.
pub fn module_name_for_path(roots: &[PathBuf], path: &Path) -> Option<String> {
    for root in roots {
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        let mut parts: Vec<String> = Vec::new();
        let comps: Vec<_> = rel.components().collect();
        for (i, c) in comps.iter().enumerate() {
            let s = c.as_os_str().to_str()?;
            if i + 1 == comps.len() {
                let stem = module_finder::module_name_of_file(s)?;
                if stem != "__init__" {
                    parts.push(stem.to_string());
                }
            } else {
                parts.push(s.to_string());
            }
        }
        if parts.iter().all(|p| module_finder::is_identifier(p)) && !parts.is_empty() {
            return Some(parts.join("."));
        }
    }
    None
}
