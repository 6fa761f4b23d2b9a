//! What exists in a Rust workspace: the crates of the Cargo graph, their
//! module trees (loaded lazily: a module's file is parsed the first time a
//! path reaches it), the items and impls each module declares, and the
//! standard library through [`StdApi`].

pub mod expand;
pub mod foreign_macro;
pub mod host_cfg;
mod member_cfg;
mod std_adapter;
pub mod std_api;
pub mod std_layered;
pub mod std_src;
pub mod toolchain;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use dashmap::DashMap;

use crate::index::cargo::{CargoWorkspace, CrateId};
use crate::index::facts_cache::{FactsCache, Stamp};
use crate::syntax::rust::facts::*;
pub use std_api::{StdApi, StdKind, StdMemberInfo};

/// Parsed Rust files by path, each valid for one [`Stamp`] of the file.
pub type RustMemory = DashMap<PathBuf, (Stamp, Arc<RustFacts>)>;

/// A module: the crate and the path of names from its root.
pub type ModKey = (CrateId, Vec<String>);

#[derive(Debug)]
pub struct ModNode {
    pub key: ModKey,
    pub file: PathBuf,
    /// The module's index in the file's facts.
    pub local: ModuleId,
    pub facts: Arc<RustFacts>,
    /// Where `mod x;` inside this module looks for `x.rs` / `x/mod.rs`.
    pub dir: PathBuf,
    /// The module as compiled, when it differs from the text
    /// ([`RustIndex::expand`]): macro calls expanded, `cfg` evaluated.
    pub expanded: Option<Box<expand::Expanded>>,
}

impl ModNode {
    /// The module's items, uses and impls as compiled.
    pub fn module(&self) -> &RModule {
        match &self.expanded {
            Some(e) => &e.module,
            None => &self.facts.modules[self.local as usize],
        }
    }

    /// Types whose inherent impls a macro call here may extend.
    pub fn open_types(&self) -> &[String] {
        self.expanded.as_deref().map_or(&[], |e| &e.open_types)
    }

    /// The names a confined call of another crate's macro here may define
    /// or give impls to ([`foreign_macro`]).
    /// The confined call that may define `name` here: its macro (`name!`)
    /// and 0-based row.
    pub fn confined_call_of(&self, name: &str) -> Option<(&str, u32)> {
        self.expanded
            .as_deref()?
            .confined_calls
            .iter()
            .find_map(|(m, row, names)| names.contains(name).then_some((m.as_str(), *row)))
    }

    pub fn maybe_names(&self) -> Option<&BTreeSet<String>> {
        self.expanded
            .as_deref()
            .map(|e| &e.maybe_names)
            .filter(|n| !n.is_empty())
    }
}

/// Per crate, built once: its `macro_rules!` definitions.
type MacroTable = DashMap<CrateId, Arc<OnceLock<Arc<expand::CrateMacros>>>>;

/// How a child module turned out.
#[derive(Debug, Clone)]
pub enum Child {
    Found(Arc<ModNode>),
    /// Declared, but its file is not there (and no `cfg` excuses it).
    Missing,
    /// Declared under `cfg`, or at a `#[path]` not found: may exist.
    Unknown,
    /// No module of that name is declared.
    None,
}

/// Everything one crate's impls say, by the self type's last name.
#[derive(Debug, Default)]
pub struct CrateImpls {
    /// Type name → associated items (inherent and trait impls).
    pub members: HashMap<String, BTreeSet<String>>,
    /// Type name → trait names it implements.
    pub traits: HashMap<String, BTreeSet<String>>,
    /// Type name → associated fns without `self` that return `Self` (or
    /// the type by name): constructors.
    pub ctors: HashMap<String, BTreeSet<String>>,
    /// `Type::fn` → each impl's fn of that name (inherent and trait impls):
    /// its signature and the module it is written in, for the types of
    /// what calls return.
    pub fns: HashMap<String, Vec<ImplFn>>,
    /// Type name → the `Deref::Target` its `Deref` impls name, as written,
    /// with the module of the impl.
    pub deref_targets: HashMap<String, Vec<ImplFn>>,
    /// Trait name (its last) → the crate's impls of a trait of that name.
    pub trait_impls: HashMap<String, Vec<TraitImpl>>,
    /// Some module may hold trait impls its facts do not show: a module
    /// that could not be read, or an item-level invocation of a macro the
    /// crate does not define (its own macros' impls are
    /// `macro_trait_impls`).
    pub trait_impls_open: bool,
    /// The traits the crate's own macros may implement (last names; `*`:
    /// a trait named by a metavariable).
    pub macro_trait_impls: BTreeSet<String>,
    /// `#[macro_export]` macros (they live at the crate root), and what
    /// macro calls' text and macro bodies may define: a superset.
    pub exported_macros: BTreeSet<String>,
    /// The `#[macro_export]` macros the crate's items (after expansion)
    /// certainly declare: what a listing may name.
    pub declared_macros: BTreeSet<String>,
    /// The crate may declare `#[macro_export]` macros its sources do not
    /// show: an item-level invocation of a macro that is not the crate's own,
    /// an attribute macro, `include!`, a `macro_rules! $name`, a module that
    /// could not be read. (What an invocation or a macro body defines with
    /// `macro_rules! name` is counted among the exported macros.)
    pub macros_open: bool,
    /// Some module of the crate may generate inherent impls (a macro that
    /// may, an attribute macro, a module that could not be read).
    pub open: bool,
    /// When `open`: the first construct that made it so, and where (`--why`).
    pub open_because: Option<String>,
    /// Types with an inherent impl whose items are partly generated.
    pub open_types: BTreeSet<String>,
    /// The names confined calls of other crates' macros may give impls to
    /// ([`foreign_macro`]), with the first such call (`--why`).
    pub macro_named: BTreeSet<String>,
    pub macro_named_because: Option<String>,
}

/// A fn of an impl block.
#[derive(Debug, Clone)]
pub struct ImplFn {
    pub signature: Option<String>,
    /// The module the impl is written in (where its names resolve).
    pub module: Arc<ModNode>,
    /// From an `impl Trait for X` (else inherent).
    pub from_trait: bool,
    /// The impl's generic parameters.
    pub generics: Vec<String>,
    /// The impl's self type as written (`Regex`, `bytes::Regex`): types of
    /// one name in several modules are told apart by resolving it.
    pub self_path: Vec<String>,
}

/// An `impl Trait for X` of a crate.
#[derive(Debug, Clone)]
pub struct TraitImpl {
    /// The self type as written (`[T]` is `slice`); empty when it is not a path.
    pub self_path: Vec<String>,
    /// `impl<T: Bound> Trait for T`.
    pub blanket: bool,
    /// A blanket impl's bounds on its self parameter (None: not readable).
    pub bounds: Option<Vec<Vec<String>>>,
    /// The module the impl is written in (where its names resolve).
    pub module: Arc<ModNode>,
}

pub struct RustIndex {
    pub ws: CargoWorkspace,
    pub std: Option<Arc<dyn StdApi>>,
    preparsed: HashMap<PathBuf, Arc<RustFacts>>,
    cache: FactsCache,
    files: DashMap<PathBuf, Option<Arc<RustFacts>>>,
    /// Parsed files kept across index generations (a long-running server
    /// builds an index per analysis), valid for one stamp of each file.
    memory: Option<Arc<RustMemory>>,
    modules: DashMap<ModKey, Arc<OnceLock<Option<Arc<ModNode>>>>>,
    impls: DashMap<CrateId, Arc<OnceLock<Arc<CrateImpls>>>>,
    /// Modules and impls of crates whose sources never change, shared with
    /// the other indexes of the same Cargo graph.
    frozen: Option<Arc<FrozenCrates>>,
    /// Per crate: whether its sources are frozen (set with `frozen`).
    frozen_ids: Vec<bool>,
    /// The standard library's own sources: read through
    /// [`std_src::newer_syntax_blanked`] (syntax newer than the parser's).
    std_sources: bool,
    /// What `cfg(...)` predicates of the host are.
    host_cfg: Arc<host_cfg::HostCfg>,
    macros: MacroTable,
    /// Per crate: what its `macro_rules!` may write, when bounded.
    families: DashMap<CrateId, Option<Arc<foreign_macro::Family>>>,
}

/// The module trees and impl tables of the crates a registry or a git
/// checkout holds (`~/.cargo/registry/src/…`, `~/.cargo/git/checkouts/…`):
/// cargo never edits those sources, so what is derived from them is built
/// once per Cargo graph instead of once per analysis. Crate ids are those of
/// one graph: a reloaded graph gets a new `FrozenCrates`.
#[derive(Default)]
pub struct FrozenCrates {
    modules: DashMap<ModKey, Arc<OnceLock<Option<Arc<ModNode>>>>>,
    impls: DashMap<CrateId, Arc<OnceLock<Arc<CrateImpls>>>>,
    macros: MacroTable,
}

/// Whether `root_file` is in a registry's or a git checkout's sources.
fn in_frozen_sources(root_file: &Path) -> bool {
    let parts: Vec<&std::ffi::OsStr> = root_file.iter().collect();
    parts
        .windows(2)
        .any(|w| (w[0] == "registry" && w[1] == "src") || (w[0] == "git" && w[1] == "checkouts"))
}

impl RustIndex {
    pub fn new(
        ws: CargoWorkspace,
        std: Option<Arc<dyn StdApi>>,
        preparsed: HashMap<PathBuf, Arc<RustFacts>>,
        cache: FactsCache,
    ) -> RustIndex {
        RustIndex {
            ws,
            std,
            preparsed,
            cache,
            files: DashMap::new(),
            memory: None,
            modules: DashMap::new(),
            impls: DashMap::new(),
            frozen: None,
            frozen_ids: Vec::new(),
            std_sources: false,
            host_cfg: host_cfg::HostCfg::builtin(),
            macros: DashMap::new(),
            families: DashMap::new(),
        }
    }

    /// Evaluate `cfg(...)` with `host` (the toolchain's `rustc --print cfg`).
    pub fn with_host_cfg(mut self, host: Arc<host_cfg::HostCfg>) -> RustIndex {
        self.host_cfg = host;
        self
    }

    /// What `cfg(...)` means in crate `krate` ([`usize::MAX`]: no crate).
    pub fn cfg_env(&self, krate: CrateId) -> host_cfg::CrateCfg<'_> {
        host_cfg::CrateCfg::of(
            &self.host_cfg,
            self.ws.crates.get(krate),
            self.ws.graph_known,
        )
    }

    /// A module node, expanded (see [`expand`]).
    pub fn node(
        &self,
        key: ModKey,
        file: PathBuf,
        local: ModuleId,
        facts: Arc<RustFacts>,
        dir: PathBuf,
    ) -> ModNode {
        let expanded = self
            .expand((key.0, &key.1), &file, &facts, local)
            .map(Box::new);
        ModNode {
            key,
            file,
            local,
            facts,
            dir,
            expanded,
        }
    }

    /// An index of std's own sources (see [`RustIndex::std_sources`]).
    pub fn for_std_sources(mut self) -> RustIndex {
        self.std_sources = true;
        self
    }

    fn load_facts(&self, path: &Path) -> Option<Arc<RustFacts>> {
        if self.std_sources {
            load_rust_facts_with(path, &self.cache, std_src::newer_syntax_blanked)
        } else if in_frozen_sources(path) {
            // A registry or git crate is only ever read as a dependency.
            load_dependency_facts(path, &self.cache)
        } else {
            load_rust_facts(path, &self.cache)
        }
    }

    /// Share the derived data of registry and git crates through `frozen`
    /// (one per Cargo graph).
    pub fn with_frozen(mut self, frozen: Arc<FrozenCrates>) -> RustIndex {
        self.frozen_ids = self
            .ws
            .crates
            .iter()
            .map(|c| !c.workspace && in_frozen_sources(&c.root_file))
            .collect();
        self.frozen = Some(frozen);
        self
    }

    /// The shared store when crate `krate` is frozen (see [`FrozenCrates`]).
    fn frozen_store(&self, krate: CrateId) -> Option<&FrozenCrates> {
        let frozen = self.frozen.as_deref()?;
        self.frozen_ids
            .get(krate)
            .copied()
            .unwrap_or(false)
            .then_some(frozen)
    }

    /// Keep parsed files in `memory` across index generations.
    pub fn with_memory(mut self, memory: Arc<RustMemory>) -> RustIndex {
        self.memory = Some(memory);
        self
    }

    /// The parsed facts of a file (preparsed, cached on disk, or parsed now).
    pub fn facts(&self, path: &Path) -> Option<Arc<RustFacts>> {
        if let Some(f) = self.preparsed.get(path) {
            return Some(f.clone());
        }
        if let Some(f) = self.files.get(path) {
            return f.clone();
        }
        let loaded = match &self.memory {
            Some(memory) => {
                let stamp = std::fs::metadata(path).ok().and_then(|m| Stamp::of(&m));
                // (the map's guard must be gone before the insert below)
                let remembered = memory.get(path).map(|hit| hit.clone());
                match (stamp, remembered) {
                    (Some(s), Some(hit)) if hit.0 == s => Some(hit.1),
                    _ => {
                        let fresh = self.load_facts(path);
                        if let (Some(s), Some(f)) = (stamp, &fresh) {
                            memory.insert(path.to_path_buf(), (s, f.clone()));
                        }
                        fresh
                    }
                }
            }
            None => self.load_facts(path),
        };
        self.files.insert(path.to_path_buf(), loaded.clone());
        loaded
    }

    pub fn root(&self, krate: CrateId) -> Option<Arc<ModNode>> {
        self.module(&(krate, Vec::new()))
    }

    /// The module at `key`, loading its file (and its parents') on first use.
    pub fn module(&self, key: &ModKey) -> Option<Arc<ModNode>> {
        let modules = match self.frozen_store(key.0) {
            Some(f) => &f.modules,
            None => &self.modules,
        };
        let cell = modules
            .entry(key.clone())
            .or_insert_with(|| Arc::new(OnceLock::new()))
            .clone();
        cell.get_or_init(|| self.load_module(key)).clone()
    }

    fn load_module(&self, key: &ModKey) -> Option<Arc<ModNode>> {
        let (krate, path) = key;
        if path.is_empty() {
            let info = self.ws.crates.get(*krate)?;
            let facts = self.facts(&info.root_file)?;
            let dir = info.root_file.parent()?.to_path_buf();
            return Some(Arc::new(self.node(
                key.clone(),
                info.root_file.clone(),
                0,
                facts,
                dir,
            )));
        }
        let parent = self.module(&(*krate, path[..path.len() - 1].to_vec()))?;
        let name = path.last()?;
        let item = parent
            .module()
            .items
            .iter()
            .find(|i| i.kind == RItemKind::Mod && &i.name == name)?;
        match &item.module {
            Some(ModTarget::Inline(id)) => Some(Arc::new(self.node(
                key.clone(),
                parent.file.clone(),
                *id,
                parent.facts.clone(),
                parent.dir.join(name),
            ))),
            Some(ModTarget::File { path_attr }) => {
                let candidates: Vec<PathBuf> = match path_attr {
                    Some(p) => {
                        let base = if parent.local == 0 {
                            parent
                                .file
                                .parent()
                                .map(Path::to_path_buf)
                                .unwrap_or_default()
                        } else {
                            parent.dir.clone()
                        };
                        vec![base.join(p)]
                    }
                    None => vec![
                        parent.dir.join(format!("{name}.rs")),
                        parent.dir.join(name).join("mod.rs"),
                    ],
                };
                let file = candidates.into_iter().find(|c| c.is_file())?;
                let facts = self.facts(&file)?;
                let dir = if file.file_name().is_some_and(|n| n == "mod.rs") || path_attr.is_some()
                {
                    file.parent()?.to_path_buf()
                } else {
                    file.parent()?.join(name)
                };
                Some(Arc::new(self.node(key.clone(), file, 0, facts, dir)))
            }
            None => None,
        }
    }

    /// The child module `name` declared in `parent`.
    pub fn child(&self, parent: &ModNode, name: &str) -> Child {
        let Some(item) = parent
            .module()
            .items
            .iter()
            .find(|i| i.kind == RItemKind::Mod && i.name == name)
        else {
            return Child::None;
        };
        let mut key = parent.key.clone();
        key.1.push(name.to_string());
        match self.module(&key) {
            Some(n) => Child::Found(n),
            None if item.cfg || path_attr_of(item).is_some() => Child::Unknown,
            None => Child::Missing,
        }
    }

    pub fn parent(&self, node: &ModNode) -> Option<Arc<ModNode>> {
        let (krate, path) = &node.key;
        if path.is_empty() {
            return None;
        }
        self.module(&(*krate, path[..path.len() - 1].to_vec()))
    }

    /// Every module of a crate (walking its whole tree), with whether any
    /// declared module could not be read.
    pub fn all_modules(&self, krate: CrateId) -> (Vec<Arc<ModNode>>, bool) {
        let mut out = Vec::new();
        let mut incomplete = false;
        let Some(root) = self.root(krate) else {
            return (out, true);
        };
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            // Test-only modules are not part of what the crate offers.
            let mods: Vec<String> = node
                .module()
                .items
                .iter()
                .filter(|i| i.kind == RItemKind::Mod && !i.test_only)
                .map(|i| i.name.clone())
                .collect();
            for name in mods {
                match self.child(&node, &name) {
                    Child::Found(c) => stack.push(c),
                    Child::Unknown | Child::Missing => incomplete = true,
                    Child::None => {}
                }
            }
            out.push(node);
        }
        (out, incomplete)
    }

    /// What the impls of a crate provide, by type name.
    pub fn crate_impls(&self, krate: CrateId) -> Arc<CrateImpls> {
        let impls = match self.frozen_store(krate) {
            Some(f) => &f.impls,
            None => &self.impls,
        };
        let cell = impls
            .entry(krate)
            .or_insert_with(|| Arc::new(OnceLock::new()))
            .clone();
        cell.get_or_init(|| {
            let (modules, incomplete) = self.all_modules(krate);
            let mut out = CrateImpls {
                open: incomplete,
                macros_open: incomplete,
                trait_impls_open: incomplete,
                open_because: incomplete
                    .then(|| "a `mod` of the crate whose file could not be read".to_string()),
                ..Default::default()
            };
            // Every macro the crate defines (their impls are read from their
            // text), and those that cannot expand to an inherent impl.
            let mut local: BTreeSet<String> = BTreeSet::new();
            let mut harmless: BTreeSet<String> = BTreeSet::new();
            for node in &modules {
                let m = node.module();
                // What bodies and invocations may define: counted as
                // exported (a superset).
                out.exported_macros.extend(m.defined_macros.iter().cloned());
                out.macros_open |= m.defined_macros_unnamed;
                for item in &m.items {
                    if item.kind == RItemKind::Macro {
                        local.insert(item.name.clone());
                        if item.macro_export {
                            out.exported_macros.insert(item.name.clone());
                            if !item.cfg {
                                out.declared_macros.insert(item.name.clone());
                            }
                        }
                        if !item.macro_inherent_impls {
                            harmless.insert(item.name.clone());
                        }
                        out.macro_trait_impls
                            .extend(item.macro_trait_impls.iter().cloned());
                    }
                }
            }
            for node in &modules {
                let m = node.module();
                out.open_types.extend(node.open_types().iter().cloned());
                if let Some(names) = node.maybe_names() {
                    out.macro_named.extend(names.iter().cloned());
                    // A trait of one of these names may get impls too.
                    out.macro_trait_impls.extend(names.iter().cloned());
                    if out.macro_named_because.is_none() {
                        out.macro_named_because =
                            Some(crate::analysis::rust::why::short_file(self, node));
                    }
                }
                for (i, reason) in m.open_reasons.iter().enumerate() {
                    let local_macro = reason
                        .strip_suffix('!')
                        .map(|n| n.rsplit("::").next().unwrap_or(n));
                    if !local_macro.is_some_and(|n| harmless.contains(n)) {
                        out.open = true;
                        if out.open_because.is_none() {
                            out.open_because =
                                Some(crate::analysis::rust::why::open_reason(self, node, i));
                        }
                    }
                    let own_macro = local_macro.is_some_and(|n| local.contains(n));
                    if !own_macro {
                        out.trait_impls_open = true;
                    }
                    // std's item macros (`thread_local!`) define no macros;
                    // `include!` may hold anything.
                    let std_macro = local_macro.is_some_and(|n| {
                        STD_MACROS.contains(&n) && !matches!(n, "include" | "macro_rules")
                    });
                    if !own_macro && !std_macro {
                        out.macros_open = true;
                    }
                }
                for imp in &m.impls {
                    if let Some(tr) = imp.trait_path.as_ref().and_then(|t| t.last()) {
                        // (A self type that is not a path — a tuple, a fn
                        // pointer — is kept with an empty path: it may be any.)
                        out.trait_impls
                            .entry(tr.clone())
                            .or_default()
                            .push(TraitImpl {
                                self_path: imp
                                    .self_ty
                                    .as_ref()
                                    .map(|t| t.path.clone())
                                    .unwrap_or_default(),
                                blanket: imp.blanket,
                                bounds: imp.blanket_bounds.clone(),
                                module: node.clone(),
                            });
                    }
                    let Some(ty) = imp.self_ty.as_ref().and_then(|t| t.path.last()) else {
                        continue;
                    };
                    let generated =
                        !imp.attr_macros.is_empty() || imp.items.iter().any(|i| i.name == "*");
                    if generated && imp.trait_path.is_none() {
                        out.open_types.insert(ty.clone());
                    }
                    let entry = out.members.entry(ty.clone()).or_default();
                    for item in &imp.items {
                        entry.insert(item.name.clone());
                    }
                    for item in &imp.items {
                        if matches!(item.kind, MemberKind::Fn { .. }) {
                            out.fns
                                .entry(format!("{ty}::{}", item.name))
                                .or_default()
                                .push(ImplFn {
                                    signature: item.signature.clone(),
                                    module: node.clone(),
                                    from_trait: imp.trait_path.is_some(),
                                    generics: imp.generics.clone(),
                                    self_path: imp
                                        .self_ty
                                        .as_ref()
                                        .map(|t| t.path.clone())
                                        .unwrap_or_default(),
                                });
                        }
                    }
                    let is_deref = imp
                        .trait_path
                        .as_ref()
                        .and_then(|t| t.last())
                        .is_some_and(|t| t == "Deref");
                    if is_deref {
                        for item in &imp.items {
                            if item.name == "Target" {
                                out.deref_targets
                                    .entry(ty.clone())
                                    .or_default()
                                    .push(ImplFn {
                                        signature: item.signature.clone(),
                                        module: node.clone(),
                                        from_trait: true,
                                        generics: imp.generics.clone(),
                                        self_path: imp
                                            .self_ty
                                            .as_ref()
                                            .map(|t| t.path.clone())
                                            .unwrap_or_default(),
                                    });
                            }
                        }
                    }
                    if imp.trait_path.is_none() {
                        for item in &imp.items {
                            let returns_self = item.ty.as_ref().is_some_and(|t| {
                                t.path.len() == 1 && (t.path[0] == "Self" || &t.path[0] == ty)
                            });
                            if matches!(
                                item.kind,
                                MemberKind::Fn {
                                    has_self: false,
                                    ..
                                }
                            ) && returns_self
                            {
                                out.ctors
                                    .entry(ty.clone())
                                    .or_default()
                                    .insert(item.name.clone());
                            }
                        }
                    }
                    if let Some(tr) = imp.trait_path.as_ref().and_then(|t| t.last()) {
                        out.traits.entry(ty.clone()).or_default().insert(tr.clone());
                    }
                }
            }
            Arc::new(out)
        })
        .clone()
    }

    /// Whether crate `krate` may declare `#[macro_export]` macros its
    /// sources do not show (see [`CrateImpls::macros_open`]).
    pub fn macros_open(&self, krate: CrateId) -> bool {
        krate == usize::MAX || self.crate_impls(krate).macros_open
    }

    /// The `#[macro_export]` macros of a crate.
    pub fn exported_macros(&self, krate: CrateId) -> BTreeSet<String> {
        if krate == usize::MAX {
            return BTreeSet::new();
        }
        self.crate_impls(krate).exported_macros.clone()
    }

    /// The `#[macro_export]` macros a crate's items certainly declare (not
    /// those only a macro's text may define).
    pub fn declared_macros(&self, krate: CrateId) -> BTreeSet<String> {
        if krate == usize::MAX {
            return BTreeSet::new();
        }
        self.crate_impls(krate).declared_macros.clone()
    }

    /// The crates whose sources hold `file` (best first).
    pub fn crates_for_file(&self, file: &Path) -> Vec<CrateId> {
        self.ws.crates_for_file(file)
    }

    /// The module `file` is, in crate `krate`: found by walking the crate's
    /// tree (the first module whose file it is).
    pub fn module_of_file(&self, krate: CrateId, file: &Path) -> Option<Arc<ModNode>> {
        let (modules, _) = self.all_modules(krate);
        modules
            .into_iter()
            .filter(|m| m.file == file)
            .min_by_key(|m| (m.local, m.key.1.len()))
    }

    /// Names of the dependencies a crate can name, with the crate's own.
    pub fn extern_names(&self, krate: CrateId) -> BTreeMap<String, CrateId> {
        let mut out = BTreeMap::new();
        if let Some(info) = self.ws.crates.get(krate) {
            for (name, id) in &info.deps {
                out.insert(name.clone(), *id);
            }
        }
        out
    }
}

fn path_attr_of(item: &RItem) -> Option<&str> {
    match &item.module {
        Some(ModTarget::File { path_attr }) => path_attr.as_deref(),
        _ => None,
    }
}

/// Read and parse a Rust file, through the on-disk cache.
pub fn load_rust_facts(path: &Path, cache: &FactsCache) -> Option<Arc<RustFacts>> {
    load_rust_facts_with(path, cache, |t| t.to_string())
}

/// As [`load_rust_facts`], with the text made parseable by `prepare` first
/// (which keeps every byte offset).
fn load_rust_facts_with(
    path: &Path,
    cache: &FactsCache,
    prepare: fn(&str) -> String,
) -> Option<Arc<RustFacts>> {
    let meta = std::fs::metadata(path).ok()?;
    let stamp = Stamp::of(&meta);
    if let Some(stamp) = stamp {
        if let Some(f) = cache.load_any::<RustFacts>(path, stamp) {
            return Some(Arc::new(f));
        }
    }
    let bytes = crate::regular_file::read(path).ok()?;
    let text = prepare(&String::from_utf8_lossy(&bytes));
    let facts = crate::syntax::rust::parse(&text);
    if let Some(stamp) = stamp {
        cache.store_any(path, stamp, &facts);
    }
    Some(Arc::new(facts))
}

/// A dependency's file read for what the index needs: its fn bodies left
/// out ([`crate::syntax::rust::skeleton`]), through the on-disk cache under
/// a key of its own (the same file checked as a workspace file is parsed
/// whole). When the blanked text has a syntax error, the whole text is
/// parsed instead: the scan may have missed something.
pub fn load_dependency_facts(path: &Path, cache: &FactsCache) -> Option<Arc<RustFacts>> {
    let meta = std::fs::metadata(path).ok()?;
    let stamp = Stamp::of(&meta);
    let mut key = path.as_os_str().to_owned();
    key.push("#items");
    let key = PathBuf::from(key);
    if let Some(stamp) = stamp {
        if let Some(f) = cache.load_any::<RustFacts>(&key, stamp) {
            return Some(Arc::new(f));
        }
    }
    let bytes = crate::regular_file::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let facts = match crate::syntax::rust::skeleton::blank_fn_bodies(&text) {
        Some(blanked) => {
            let facts = crate::syntax::rust::parse(&blanked);
            if facts.syntax_errors > 0 {
                crate::syntax::rust::parse(&text)
            } else {
                facts
            }
        }
        None => crate::syntax::rust::parse(&text),
    };
    if let Some(stamp) = stamp {
        cache.store_any(&key, stamp, &facts);
    }
    Some(Arc::new(facts))
}

#[cfg(test)]
mod frozen_tests {
    use super::*;
    use crate::index::cargo::{CrateInfo, TargetKind};

    fn graph(root: &Path, dep_root: &Path) -> CargoWorkspace {
        let info = |name: &str, root_file: PathBuf, workspace: bool| CrateInfo {
            name: name.to_string(),
            package: name.to_string(),
            version: "1.0.0".to_string(),
            kind: TargetKind::Lib,
            root_file,
            edition: "2021".to_string(),
            features: Default::default(),
            deps: Default::default(),
            opaque_deps: Default::default(),
            workspace,
        };
        CargoWorkspace {
            root: root.to_path_buf(),
            crates: vec![
                info("app", root.join("src/lib.rs"), true),
                info("dep", dep_root.join("src/lib.rs"), false),
            ],
            graph_known: true,
            notes: Vec::new(),
        }
    }

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn registry_and_git_sources_are_frozen() {
        assert!(in_frozen_sources(Path::new(
            "/home/u/.cargo/registry/src/index.crates.io-6f17d22bba15001f/serde-1.0.0/src/lib.rs"
        )));
        assert!(in_frozen_sources(Path::new(
            "/home/u/.cargo/git/checkouts/repo-abc/1234567/src/lib.rs"
        )));
        assert!(!in_frozen_sources(Path::new("/work/app/src/lib.rs")));
        assert!(!in_frozen_sources(Path::new("/work/registry/lib.rs")));
    }

    /// Two indexes of one graph share a registry crate's modules and impls,
    /// and keep their own of the workspace crate (which may be edited).
    #[test]
    fn frozen_crates_are_built_once_per_graph() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("app");
        let dep = dir.path().join("cargo/registry/src/index/dep-1.0.0");
        write(
            &root.join("src/lib.rs"),
            "pub struct App;\nimpl App { pub fn run(&self) {} }\n",
        );
        write(
            &dep.join("src/lib.rs"),
            "pub mod inner;\npub struct Dep;\nimpl Dep { pub fn go(&self) {} }\n",
        );
        write(&dep.join("src/inner.rs"), "pub fn deep() {}\n");
        let frozen = Arc::new(FrozenCrates::default());
        let index = || {
            RustIndex::new(
                graph(&root, &dep),
                None,
                HashMap::new(),
                FactsCache::new(None),
            )
            .with_frozen(frozen.clone())
        };
        let (a, b) = (index(), index());
        let inner = (1, vec!["inner".to_string()]);
        assert!(Arc::ptr_eq(
            &a.module(&inner).unwrap(),
            &b.module(&inner).unwrap()
        ));
        assert!(Arc::ptr_eq(&a.crate_impls(1), &b.crate_impls(1)));
        assert!(a.crate_impls(1).members["Dep"].contains("go"));
        assert!(!Arc::ptr_eq(&a.root(0).unwrap(), &b.root(0).unwrap()));
        assert!(!Arc::ptr_eq(&a.crate_impls(0), &b.crate_impls(0)));
        // Without the shared store, every index builds its own.
        let c = RustIndex::new(
            graph(&root, &dep),
            None,
            HashMap::new(),
            FactsCache::new(None),
        );
        assert!(!Arc::ptr_eq(
            &a.module(&inner).unwrap(),
            &c.module(&inner).unwrap()
        ));
    }
}
