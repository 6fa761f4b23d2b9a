//! Rust name resolution, as far as it can be sure: a path's segments are
//! followed through modules, `use` declarations (globs included), crates of
//! the dependency graph, the std prelude and the standard library. Anything
//! uncertain — an open module, a glob that cannot be followed, a local or
//! generic name — resolves to [`Res::Unknown`].

use std::collections::BTreeSet;
use std::sync::Arc;

use super::prelude;
use crate::index::cargo::CrateId;
use crate::index::rust::{Child, ModNode, RustIndex, StdKind};
use crate::syntax::rust::facts::*;

const MAX_DEPTH: u32 = 12;

#[derive(Debug, Clone)]
pub enum Res {
    Module(Arc<ModNode>),
    Crate(CrateId),
    /// An item of a module (by index in its items).
    Item(Arc<ModNode>, usize),
    /// A path in std/core/alloc (or a primitive's name).
    Std(String, StdKind),
    Unknown,
}

#[derive(Debug)]
pub enum Look {
    Found(Res),
    NotFound,
    /// The module may hold names the source does not show.
    Open,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingKind {
    /// The first segment: no crate, module or item of that name.
    Crate,
    Module,
    Symbol,
    /// The last segment of a macro's path (`x!`): no macro of that name.
    Macro,
    /// The last segment of a derive's path: no derive macro of that name.
    Derive,
    Member,
}

#[derive(Debug)]
pub enum Outcome {
    Res(Res),
    Missing {
        index: usize,
        kind: MissingKind,
        /// The container, for messages (`crate serde_json`, `std::collections`).
        container: String,
        candidates: Vec<String>,
    },
    Unknown,
}

pub struct Resolver<'a> {
    pub index: &'a RustIndex,
    /// Method names of the traits in scope (prelude included): callable as
    /// associated functions on any type that implements them.
    pub scope_methods: BTreeSet<String>,
    /// Lookups in progress (module, name, namespace): a glob whose own path
    /// leads back to the same lookup adds nothing to it.
    pub visiting:
        std::cell::RefCell<Vec<(crate::index::rust::ModKey, ModuleId, String, Namespace)>>,
}

/// Whether a std item of kind `k` may live in namespace `ns` (`Other`, what
/// the index cannot tell apart — constants, derive macros, attributes —,
/// may be in any).
fn std_in(ns: Namespace, k: StdKind) -> bool {
    match ns {
        Namespace::Any => true,
        Namespace::Type => matches!(
            k,
            StdKind::Module | StdKind::Type | StdKind::Trait | StdKind::Other
        ),
        Namespace::Value => matches!(k, StdKind::Fn | StdKind::Type | StdKind::Other),
        Namespace::Macro | Namespace::BangMacro => matches!(k, StdKind::Macro | StdKind::Other),
        // (std's derives are `Other` to the index.)
        Namespace::DeriveMacro => k == StdKind::Other,
    }
}

impl<'a> Resolver<'a> {
    fn std_kind(&self, path: &str) -> Option<StdKind> {
        self.std_kind_in(path, Namespace::Any)
    }

    /// What the std item at `path` is, among its kinds that live in `ns`.
    fn std_kind_in(&self, path: &str, ns: Namespace) -> Option<StdKind> {
        let std = self.index.std.as_ref()?;
        let kinds: Vec<StdKind> = std
            .kinds_of(path)
            .into_iter()
            .filter(|k| std_in(ns, *k))
            .collect();
        [
            StdKind::Module,
            StdKind::Type,
            StdKind::Trait,
            StdKind::Macro,
            StdKind::Fn,
        ]
        .into_iter()
        .find(|k| kinds.contains(k))
        .or_else(|| kinds.first().copied())
    }

    /// Whether crate `c` is a proc-macro crate: it exports its proc macros
    /// and nothing else.
    fn is_proc_macro(&self, c: CrateId) -> bool {
        self.index
            .ws
            .crates
            .get(c)
            .is_some_and(|k| k.kind == crate::index::cargo::TargetKind::ProcMacro)
    }

    /// `name` among what proc-macro crate `c` exports: the macros its root
    /// declares with `#[proc_macro]`, `#[proc_macro_derive(Name)]` and
    /// `#[proc_macro_attribute]` — in the macro namespace only.
    fn proc_macro_lookup(&self, c: CrateId, name: &str, ns: Namespace) -> Look {
        if !(ns.is_macro() || ns == Namespace::Any) {
            return Look::NotFound;
        }
        let Some(root) = self.index.root(c) else {
            return Look::Open;
        };
        let m = root.module();
        if m.items.iter().any(|i| {
            i.proc_macro
                .as_ref()
                .is_some_and(|p| p.name == name && ns.takes(p.kind))
        }) {
            return Look::Found(Res::Unknown);
        }
        // A macro invocation or an attribute macro may declare more.
        if m.open_reasons.is_empty() {
            Look::NotFound
        } else {
            Look::Open
        }
    }

    /// The names proc-macro crate `c` exports.
    fn proc_macro_names(&self, c: CrateId, ns: Namespace) -> Vec<String> {
        self.index
            .root(c)
            .map(|root| {
                root.module()
                    .items
                    .iter()
                    .filter_map(|i| i.proc_macro.as_ref())
                    .filter(|p| ns.takes(p.kind))
                    .map(|p| p.name.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A crate-level name: a dependency, std/core/alloc.
    fn extern_name(&self, krate: CrateId, name: &str) -> Option<Res> {
        if let Some(info) = self.index.ws.crates.get(krate) {
            if let Some(id) = info.deps.get(name) {
                return Some(Res::Crate(*id));
            }
            if info.opaque_deps.contains(name) {
                return Some(Res::Unknown);
            }
            if info.name == name && info.kind != crate::index::cargo::TargetKind::Lib {
                return Some(Res::Unknown);
            }
        }
        if matches!(name, "std" | "core" | "alloc" | "proc_macro" | "test") {
            return Some(match self.index.std {
                Some(_) => Res::Std(name.to_string(), StdKind::Module),
                None => Res::Unknown,
            });
        }
        None
    }

    fn prelude_name(&self, name: &str, ns: Namespace) -> Option<Res> {
        if ns.is_macro() {
            // The prelude's macros: std's bang macros and built-in derives.
            let bang = ns != Namespace::DeriveMacro && prelude::STD_MACROS.contains(&name);
            let derive =
                ns != Namespace::BangMacro && crate::syntax::rust::STD_DERIVES.contains(&name);
            return (bang || derive).then_some(Res::Unknown);
        }
        if let Some((_, path)) = prelude::PRELUDE.iter().find(|(n, _)| *n == name) {
            return Some(match self.std_kind(path) {
                Some(k) => Res::Std(path.to_string(), k),
                None => Res::Unknown,
            });
        }
        if prelude::PRIMITIVES.contains(&name) {
            return Some(match self.index.std {
                Some(_) => Res::Std(name.to_string(), StdKind::Type),
                None => Res::Unknown,
            });
        }
        if prelude::STD_MACROS.contains(&name) {
            return Some(Res::Unknown);
        }
        None
    }

    /// `name` as seen in module `node` (from `scope` inside it, for
    /// block-level imports).
    pub fn lookup(
        &self,
        node: &Arc<ModNode>,
        name: &str,
        scope: Option<ScopeId>,
        depth: u32,
    ) -> Look {
        self.lookup_in(node, name, scope, depth, Namespace::Any)
    }

    /// `name` in namespace `ns`, as seen in module `node`.
    pub fn lookup_in(
        &self,
        node: &Arc<ModNode>,
        name: &str,
        scope: Option<ScopeId>,
        depth: u32,
        ns: Namespace,
    ) -> Look {
        self.lookup_guarded(node, name, scope, depth, false, ns)
    }

    /// `name` among what a glob import of `node` brings in: its public
    /// items and imports only.
    fn lookup_public(&self, node: &Arc<ModNode>, name: &str, depth: u32, ns: Namespace) -> Look {
        self.lookup_guarded(node, name, None, depth, true, ns)
    }

    fn lookup_guarded(
        &self,
        node: &Arc<ModNode>,
        name: &str,
        scope: Option<ScopeId>,
        depth: u32,
        public_only: bool,
        ns: Namespace,
    ) -> Look {
        if depth > MAX_DEPTH {
            return Look::Open;
        }
        let key = (node.key.clone(), node.local, name.to_string(), ns);
        if self.visiting.borrow().contains(&key) {
            return Look::NotFound;
        }
        self.visiting.borrow_mut().push(key);
        let found = self.lookup_inner(node, name, scope, depth, public_only, ns);
        self.visiting.borrow_mut().pop();
        found
    }

    fn lookup_inner(
        &self,
        node: &Arc<ModNode>,
        name: &str,
        scope: Option<ScopeId>,
        depth: u32,
        public_only: bool,
        ns: Namespace,
    ) -> Look {
        let m = node.module();
        for (i, item) in m.items.iter().enumerate() {
            if item.name != name || (public_only && !item.public) || !ns.holds(item.kind) {
                continue;
            }
            // Two declarations under `cfg` (`#[cfg(doc)] pub mod unix {}`
            // beside the real one): which one is compiled is not known. (A
            // `mod x;` declared twice, `pub` or not by feature, is one file.)
            let same_file = |o: &RItem| {
                matches!(o.module, Some(ModTarget::File { .. })) && o.module == item.module
            };
            let twin = || {
                m.items
                    .iter()
                    .enumerate()
                    .any(|(j, o)| j != i && o.name == name && o.kind == item.kind && !same_file(o))
            };
            if item.cfg && twin() {
                return Look::Found(Res::Unknown);
            }
            return Look::Found(match item.kind {
                RItemKind::Mod => match self.index.child(node, name) {
                    Child::Found(c) => Res::Module(c),
                    _ => Res::Unknown,
                },
                RItemKind::ExternCrate => {
                    let target = item.extern_crate.as_deref().unwrap_or(name);
                    if target == "self" {
                        match self.index.root(node.key.0) {
                            Some(r) => Res::Module(r),
                            None => Res::Unknown,
                        }
                    } else {
                        self.extern_name(node.key.0, target).unwrap_or(Res::Unknown)
                    }
                }
                _ => Res::Item(node.clone(), i),
            });
        }
        for u in &m.uses {
            if u.binds() != Some(name)
                || !visible(&node.facts, u.scope, scope)
                || (public_only && !u.public)
            {
                continue;
            }
            match self.resolve_in(node, &u.path, u.absolute, u.scope, depth + 1, ns) {
                Outcome::Res(r) => return Look::Found(r),
                Outcome::Unknown => return Look::Found(Res::Unknown),
                // The import names something, but nothing of this
                // namespace (`use serde::Serialize` in a crate without the
                // derive: the trait alone): it binds no name here.
                Outcome::Missing { .. }
                    if ns != Namespace::Any
                        && matches!(
                            self.resolve_in(
                                node,
                                &u.path,
                                u.absolute,
                                u.scope,
                                depth + 1,
                                Namespace::Any
                            ),
                            Outcome::Res(_)
                        ) => {}
                // A broken import (reported where it is written).
                Outcome::Missing { .. } => return Look::Found(Res::Unknown),
            }
        }
        // (A confined call of another crate's macro may define `name`.)
        let mut open =
            !m.open_reasons.is_empty() || node.maybe_names().is_some_and(|n| n.contains(name));
        for u in &m.uses {
            if !u.glob || !visible(&node.facts, u.scope, scope) || (public_only && !u.public) {
                continue;
            }
            match self.resolve_use(node, u, depth + 1) {
                Outcome::Res(Res::Module(target)) => {
                    // A glob brings in what is visible from here: everything
                    // of an enclosing module (`use super::*` in `mod tests`),
                    // the public names of any other.
                    let enclosing =
                        target.key.0 == node.key.0 && node.key.1.starts_with(&target.key.1);
                    let found = if enclosing {
                        self.lookup_in(&target, name, None, depth + 1, ns)
                    } else {
                        self.lookup_public(&target, name, depth + 1, ns)
                    };
                    match found {
                        Look::Found(r) => return Look::Found(r),
                        Look::Open => open = true,
                        Look::NotFound => {}
                    }
                }
                Outcome::Res(Res::Crate(c)) if self.is_proc_macro(c) => {
                    match self.proc_macro_lookup(c, name, ns) {
                        Look::Found(r) => return Look::Found(r),
                        Look::Open => open = true,
                        Look::NotFound => {}
                    }
                }
                Outcome::Res(Res::Crate(c)) => match self.index.root(c) {
                    Some(root) => match self.lookup_public(&root, name, depth + 1, ns) {
                        Look::Found(r) => return Look::Found(r),
                        Look::Open => open = true,
                        Look::NotFound => {}
                    },
                    None => open = true,
                },
                Outcome::Res(Res::Std(p, StdKind::Module)) => {
                    let full = format!("{p}::{name}");
                    if let Some(k) = self.std_kind_in(&full, ns) {
                        return Look::Found(Res::Std(full, k));
                    }
                }
                Outcome::Res(Res::Item(n, i)) => {
                    let item = &n.module().items[i];
                    if item.kind == RItemKind::Enum {
                        // Variants: types and values, never macros.
                        if !ns.is_macro() && item.members.iter().any(|v| v.name == name) {
                            return Look::Found(Res::Unknown);
                        }
                    } else {
                        open = true;
                    }
                }
                _ => open = true,
            }
        }
        // `#[macro_export]` macros live at the crate root, from whichever
        // module declares them (a macro's expansion, too). (For a name of
        // any namespace, the caller decides: see `resolve_in`.)
        if node.key.1.is_empty()
            && node.local == 0
            && matches!(ns, Namespace::Macro | Namespace::BangMacro | Namespace::Any)
        {
            if self.index.exported_macros(node.key.0).contains(name) {
                return Look::Found(Res::Unknown);
            }
            if ns != Namespace::Any && self.index.macros_open(node.key.0) {
                open = true;
            }
        }
        if open {
            Look::Open
        } else {
            Look::NotFound
        }
    }

    pub fn resolve_use(&self, node: &Arc<ModNode>, u: &RUse, depth: u32) -> Outcome {
        self.resolve(node, &u.path, u.absolute, u.scope, depth)
    }

    /// Follow `segs` from module `node` (and `scope` inside it).
    pub fn resolve(
        &self,
        node: &Arc<ModNode>,
        segs: &[String],
        absolute: bool,
        scope: Option<ScopeId>,
        depth: u32,
    ) -> Outcome {
        self.resolve_in(node, segs, absolute, scope, depth, Namespace::Any)
    }

    /// Follow `segs`, the last one in namespace `ns` (every other names a
    /// module, a crate or a type).
    pub fn resolve_in(
        &self,
        node: &Arc<ModNode>,
        segs: &[String],
        absolute: bool,
        scope: Option<ScopeId>,
        depth: u32,
        ns: Namespace,
    ) -> Outcome {
        if segs.is_empty() || depth > MAX_DEPTH {
            return Outcome::Unknown;
        }
        let krate = node.key.0;
        let first = segs[0].as_str();
        let first_ns = if segs.len() == 1 { ns } else { Namespace::Type };
        let mut i = 1;
        let mut cur = if absolute {
            match self.extern_name(krate, first) {
                Some(r) => r,
                None => return self.missing_crate(krate, first),
            }
        } else {
            match first {
                "crate" => match self.index.root(krate) {
                    Some(r) => Res::Module(r),
                    None => Res::Unknown,
                },
                "self" => Res::Module(self.module_of(node, scope)),
                "super" => {
                    let mut n = self.module_of(node, scope);
                    let mut up = 0;
                    while segs.get(up).map(String::as_str) == Some("super") {
                        match self.index.parent(&n) {
                            Some(p) => n = p,
                            None => return Outcome::Unknown,
                        }
                        up += 1;
                    }
                    i = up;
                    Res::Module(n)
                }
                "Self" => Res::Unknown,
                _ if node.facts.bound_locally(scope, first) => Res::Unknown,
                _ => match self.lookup_in(node, first, scope, depth, first_ns) {
                    Look::Found(r) => r,
                    Look::Open => Res::Unknown,
                    Look::NotFound => match self
                        .extern_name(krate, first)
                        .filter(|_| !first_ns.is_macro())
                        .or_else(|| self.prelude_name(first, first_ns))
                    {
                        Some(r) => r,
                        None => {
                            if segs.len() > 1 {
                                return self.missing_crate(krate, first);
                            }
                            return Outcome::Unknown;
                        }
                    },
                },
            }
        };
        while i < segs.len() {
            let seg = segs[i].as_str();
            let last = i + 1 == segs.len();
            let seg_ns = if last { ns } else { Namespace::Type };
            let missing_kind = match (last, seg_ns) {
                (false, _) => MissingKind::Module,
                (true, Namespace::DeriveMacro) => MissingKind::Derive,
                (true, ns) if ns.is_macro() => MissingKind::Macro,
                (true, _) => MissingKind::Symbol,
            };
            cur = match cur {
                Res::Unknown => return Outcome::Unknown,
                // A proc-macro crate's exports are named by attributes,
                // not items: its macros, and nothing else.
                Res::Crate(c) if self.is_proc_macro(c) => {
                    match self.proc_macro_lookup(c, seg, seg_ns) {
                        Look::Found(r) => r,
                        Look::Open => return Outcome::Unknown,
                        Look::NotFound => {
                            let name = self.index.ws.crates.get(c).map_or("", |k| k.name.as_str());
                            return Outcome::Missing {
                                index: i,
                                kind: missing_kind,
                                container: format!("proc-macro crate `{name}`"),
                                candidates: self.proc_macro_names(c, seg_ns),
                            };
                        }
                    }
                }
                Res::Crate(c) => match self.index.root(c) {
                    Some(root) => {
                        cur = Res::Module(root);
                        continue;
                    }
                    None => return Outcome::Unknown,
                },
                Res::Module(n) => match self.lookup_in(&n, seg, None, depth + 1, seg_ns) {
                    Look::Found(r) => r,
                    Look::Open => return Outcome::Unknown,
                    Look::NotFound => {
                        if n.key.0 == usize::MAX {
                            return Outcome::Unknown;
                        }
                        // `use krate::name` may import a macro the crate
                        // exports without its sources showing it.
                        if seg_ns == Namespace::Any
                            && n.key.1.is_empty()
                            && n.local == 0
                            && self.index.macros_open(n.key.0)
                        {
                            return Outcome::Unknown;
                        }
                        return Outcome::Missing {
                            index: i,
                            kind: missing_kind,
                            container: self.describe_module(&n),
                            // (Only the outermost resolution's are shown.)
                            candidates: if depth == 0 {
                                self.module_names(&n, seg_ns)
                            } else {
                                Vec::new()
                            },
                        };
                    }
                },
                Res::Std(p, StdKind::Module) => {
                    let full = format!("{p}::{seg}");
                    match self.std_kind_in(&full, seg_ns) {
                        Some(k) => Res::Std(full, k),
                        None => {
                            let candidates = self
                                .index
                                .std
                                .as_ref()
                                .and_then(|s| s.children(&p))
                                .unwrap_or_default();
                            return Outcome::Missing {
                                index: i,
                                kind: missing_kind,
                                container: format!("`{p}`"),
                                candidates,
                            };
                        }
                    }
                }
                Res::Std(p, StdKind::Type) | Res::Std(p, StdKind::Trait) => {
                    let Some(members) = self.index.std.as_ref().and_then(|s| s.members(&p)) else {
                        return Outcome::Unknown;
                    };
                    if members.iter().any(|m| m == seg) || self.member_elsewhere(seg) {
                        return Outcome::Unknown;
                    }
                    return Outcome::Missing {
                        index: i,
                        kind: MissingKind::Member,
                        container: format!("`{}` ({p})", p.rsplit("::").next().unwrap_or(&p)),
                        candidates: members,
                    };
                }
                Res::Std(..) => return Outcome::Unknown,
                Res::Item(n, idx) => {
                    let item = &n.module().items[idx];
                    if !item.kind.is_type() {
                        return Outcome::Unknown;
                    }
                    // A type alias has its target's items (`chrono::Duration`
                    // is `TimeDelta`), and those of impls on its own name.
                    let members = if item.kind == RItemKind::TypeAlias {
                        self.alias_members(&n, item, depth)
                    } else {
                        self.crate_type_members(&n, item)
                    };
                    let Some(members) = members else {
                        return Outcome::Unknown;
                    };
                    if members.contains(seg) || self.member_elsewhere(seg) {
                        return Outcome::Unknown;
                    }
                    return Outcome::Missing {
                        index: i,
                        kind: MissingKind::Member,
                        container: format!("`{}` ({})", item.name, self.describe_module(&n)),
                        candidates: members.into_iter().collect(),
                    };
                }
            };
            i += 1;
        }
        Outcome::Res(cur)
    }

    /// A member name that a trait in scope may provide.
    fn member_elsewhere(&self, name: &str) -> bool {
        self.scope_methods.contains(name) || prelude::UNIVERSAL_METHODS.contains(&name)
    }

    /// For the module an inline scope sits in: scopes carry their module.
    fn module_of(&self, node: &Arc<ModNode>, _scope: Option<ScopeId>) -> Arc<ModNode> {
        node.clone()
    }

    fn missing_crate(&self, krate: CrateId, name: &str) -> Outcome {
        // Only a known dependency graph can say a crate is not in it; a
        // capitalised name is a type (an undefined type is rustc's business).
        let known = self.index.ws.graph_known && krate != usize::MAX;
        if !known || name.starts_with(|c: char| c.is_uppercase()) {
            return Outcome::Unknown;
        }
        let mut candidates: Vec<String> = self.index.extern_names(krate).into_keys().collect();
        candidates.extend(["std", "core", "alloc"].map(String::from));
        Outcome::Missing {
            index: 0,
            kind: MissingKind::Crate,
            container: self
                .index
                .ws
                .crates
                .get(krate)
                .map(|c| format!("`{}`", c.name))
                .unwrap_or_default(),
            candidates,
        }
    }

    pub fn describe_module(&self, n: &ModNode) -> String {
        let crate_name = self
            .index
            .ws
            .crates
            .get(n.key.0)
            .map(|c| c.name.as_str())
            .unwrap_or("crate");
        if n.key.1.is_empty() {
            format!("crate `{crate_name}`")
        } else {
            format!("module `{crate_name}::{}`", n.key.1.join("::"))
        }
    }

    /// The type a type alias of a crate names, when it is a plain path to a
    /// crate type (not another alias, not a std type): `pub type Duration =
    /// TimeDelta;` → `TimeDelta`.
    pub fn alias_target(
        &self,
        n: &Arc<ModNode>,
        item: &RItem,
        depth: u32,
    ) -> Option<(Arc<ModNode>, usize)> {
        let target = item.aliased.as_ref()?;
        if item.kind != RItemKind::TypeAlias || target.path.last() == Some(&item.name) {
            return None;
        }
        match self.resolve_in(n, &target.path, false, None, depth + 1, Namespace::Type) {
            Outcome::Res(Res::Item(t, i)) => {
                let ti = &t.module().items[i];
                (ti.kind.is_type() && ti.kind != RItemKind::TypeAlias).then_some((t, i))
            }
            _ => None,
        }
    }

    /// All associated names of the type a type alias names and of the
    /// impls on the alias's own name, or None when not all can be known.
    fn alias_members(
        &self,
        n: &Arc<ModNode>,
        item: &RItem,
        depth: u32,
    ) -> Option<BTreeSet<String>> {
        let (t, i) = self.alias_target(n, item, depth)?;
        let mut out = self.crate_type_members(&t, &t.module().items[i])?;
        let impls = self.index.crate_impls(n.key.0);
        if impls.open || impls.open_types.contains(&item.name) {
            return None;
        }
        out.extend(impls.members.get(&item.name).cloned().unwrap_or_default());
        Some(out)
    }

    /// All associated names a workspace or dependency type has, or None
    /// when they cannot all be known (macros, proc-macro derives, attribute
    /// macros, a crate with generated items).
    pub fn crate_type_members(&self, n: &ModNode, item: &RItem) -> Option<BTreeSet<String>> {
        if n.key.0 == usize::MAX {
            return None;
        }
        if !item.attr_macros.is_empty()
            || item.derives.iter().any(|d| {
                !crate::syntax::rust::STD_DERIVES.contains(&d.rsplit("::").next().unwrap_or(d))
            })
        {
            return None;
        }
        let impls = self.index.crate_impls(n.key.0);
        if impls.open
            || impls.open_types.contains(&item.name)
            || impls.macro_named.contains(&item.name)
        {
            return None;
        }
        let mut out: BTreeSet<String> = impls.members.get(&item.name).cloned().unwrap_or_default();
        for m in &item.members {
            if matches!(
                m.kind,
                MemberKind::Variant | MemberKind::Fn { .. } | MemberKind::Const | MemberKind::Type
            ) {
                out.insert(m.name.clone());
            }
        }
        for d in &item.derives {
            for m in prelude::derived_methods(d) {
                out.insert(m.to_string());
            }
        }
        Some(out)
    }
}

/// Whether an import declared in `use_scope` is visible from `scope`.
fn visible(facts: &RustFacts, use_scope: Option<ScopeId>, scope: Option<ScopeId>) -> bool {
    let Some(target) = use_scope else {
        return true;
    };
    let mut cur = scope;
    while let Some(id) = cur {
        if id == target {
            return true;
        }
        cur = facts.scopes.get(id as usize).and_then(|s| s.parent);
    }
    false
}

impl Resolver<'_> {
    /// The names of module `n` in namespace `ns`, for suggestions.
    fn module_names(&self, n: &Arc<ModNode>, ns: Namespace) -> Vec<String> {
        let m = n.module();
        let mut out: Vec<String> = m
            .items
            .iter()
            .filter(|i| ns.holds(i.kind))
            .map(|i| i.name.clone())
            .collect();
        // A macro is suggested only among imports that bring one (checked
        // only here, when a name is already missing; not std's, whose
        // paths the index may lack and the sources answer slowly).
        let binds_macro = |u: &RUse| {
            !ns.is_macro()
                || !u
                    .path
                    .first()
                    .is_some_and(|f| matches!(f.as_str(), "std" | "core" | "alloc"))
                    && matches!(
                        self.resolve_in(n, &u.path, u.absolute, u.scope, 1, ns),
                        Outcome::Res(_)
                    )
        };
        out.extend(
            m.uses
                .iter()
                .filter(|u| binds_macro(u))
                .filter_map(|u| u.binds().map(str::to_string)),
        );
        if n.key.1.is_empty()
            && n.local == 0
            && matches!(ns, Namespace::Macro | Namespace::BangMacro | Namespace::Any)
        {
            out.extend(self.index.exported_macros(n.key.0));
        }
        out
    }
}
