//! Modules: resolving names (with `sys.modules` aliases), their members,
//! and the rules that make a module open.

use super::*;

impl<'a> Evaluator<'a> {
    /// Resolve `from <level dots><module> import …` relative to `ctx`.
    pub fn absolute_module(&self, ctx: &Ctx, level: u32, module: &str) -> Option<String> {
        if level == 0 {
            return Some(module.to_string());
        }
        let mut package = ctx.module.package().to_string();
        if package.is_empty() {
            return None;
        }
        for _ in 1..level {
            package = package.rsplit_once('.').map(|(p, _)| p.to_string())?;
        }
        Some(if module.is_empty() {
            package
        } else {
            format!("{package}.{module}")
        })
    }

    /// Resolve a module by name, falling back to `sys.modules` aliases and
    /// module-valued members (`import os.path`).
    pub fn resolve_module(&self, name: &str) -> Option<Arc<Module>> {
        if let Some(m) = self.index.module(name) {
            return Some(m);
        }
        let (parent, last) = name.rsplit_once('.')?;
        let parent_module = self.resolve_module(parent)?;
        match self.module_member(&parent_module, last) {
            Lookup::Found(Ty::Module(m)) => Some(m),
            _ => {
                // sys.modules["pkg.name"] = value, registered by the parent.
                let facts = parent_module.facts.clone()?;
                let alias = facts
                    .sys_modules_aliases
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, e)| e.clone())?;
                let ctx = Ctx {
                    module: parent_module,
                };
                match self.eval(&ctx, &alias) {
                    Ty::Module(m) => Some(m),
                    _ => None,
                }
            }
        }
    }

    /// Whether a module's namespace may gain names at run time.
    pub fn module_open(&self, m: &Module) -> bool {
        if m.configured_open {
            return true;
        }
        match m.kind {
            FileKind::Compiled => self.index.dump_of(&m.name).is_none(),
            FileKind::Namespace => false,
            FileKind::Source | FileKind::Stub => {
                let Some(f) = &m.facts else { return true };
                // An empty stub beside a compiled extension says nothing
                // of it (a placeholder, not "no members").
                let empty_stub = m.kind == FileKind::Stub
                    && f.scope(MODULE_SCOPE).bindings.is_empty()
                    && f.scope(MODULE_SCOPE).star_imports.is_empty()
                    && self.index.compiled_beside(m);
                f.dynamic.globals_write
                    || f.dynamic.setattr_self
                    || f.dynamic.sys_modules_self
                    || f.is_damaged()
                    || empty_stub
            }
        }
    }

    pub fn module_member(&self, m: &Arc<Module>, name: &str) -> Lookup {
        // The runtime `.py` beside a stub has the stub's name: its own key.
        let module_key = if m.runtime_companion {
            format!("{}\0runtime", m.name)
        } else {
            m.name.clone()
        };
        let key = (module_key, name.to_string());
        let cache = match &self.shared.library {
            Some(library) if m.origin != crate::index::Origin::Workspace => library.as_ref(),
            _ => &self.shared.module_members,
        };
        if let Some(hit) = cache.get(&key) {
            return hit.clone();
        }
        if !self.enter() {
            return Lookup::Unknown;
        }
        let result = self.module_member_uncached(m, name);
        self.leave();
        cache.insert(key, result.clone());
        result
    }

    pub(super) fn module_member_uncached(&self, m: &Arc<Module>, name: &str) -> Lookup {
        if m.configured_open {
            return Lookup::Unknown;
        }
        let dump = self.index.dump_of(&m.name);
        let submodule = || -> Option<Ty> {
            if m.submodules.contains(name) {
                let full = format!("{}.{}", m.name, name);
                return Some(match self.index.module(&full) {
                    Some(sub) => Ty::Module(sub),
                    None => Ty::Unknown,
                });
            }
            None
        };
        // Source bindings first: they carry structure and types.
        let mut from_source = None;
        if let Some(facts) = &m.facts {
            if let Some(bindings) = facts.module_bindings(name) {
                let ctx = Ctx { module: m.clone() };
                let active: Vec<&Binding> = bindings
                    .iter()
                    .filter(|b| self.guard_active(&ctx, b.guard))
                    .collect();
                if !active.is_empty() {
                    from_source = Some(self.eval_bindings(&ctx, MODULE_SCOPE, name, &active));
                }
            }
        }
        if let Some(dump) = dump {
            // The interpreter's own namespace decides existence.
            return match dump.members.get(name) {
                Some(member) => match from_source {
                    Some(t) if !t.is_unknown() => Lookup::Found(t),
                    _ => Lookup::Found(self.dump_member_type(&m.name, name, member)),
                },
                None => match submodule() {
                    Some(t) => Lookup::Found(t),
                    None if dunder(name)
                        || crate::analysis::platform_members::other_platform_member(
                            &m.name, name,
                        ) =>
                    {
                        Lookup::Found(Ty::Unknown)
                    }
                    None => Lookup::Missing(Container::Module(m.clone())),
                },
            };
        }
        if let Some(t) = from_source {
            return Lookup::Found(t);
        }
        if let Some(t) = submodule() {
            return Lookup::Found(t);
        }
        match m.kind {
            FileKind::Compiled => return Lookup::Unknown,
            FileKind::Namespace => {
                return if dunder(name) {
                    Lookup::Found(Ty::Unknown)
                } else {
                    Lookup::Missing(Container::Module(m.clone()))
                };
            }
            FileKind::Source | FileKind::Stub => {}
        }
        let Some(facts) = &m.facts else {
            return Lookup::Unknown;
        };
        let ctx = Ctx { module: m.clone() };
        // Star imports.
        let mut open = false;
        for star in &facts.scope(MODULE_SCOPE).star_imports {
            if !self.guard_active(&ctx, star.guard) {
                continue;
            }
            let Some(target_name) = self.absolute_module(&ctx, star.level, &star.module) else {
                open = true;
                continue;
            };
            let Some(target) = self.resolve_module(&target_name) else {
                if !star.in_try_import {
                    open = true;
                }
                continue;
            };
            if let Some(all) = target.facts.as_ref().and_then(|f| f.all.as_ref()) {
                if !all.iter().any(|n| n == name) {
                    continue;
                }
            } else if name.starts_with('_') {
                continue;
            }
            match self.module_member(&target, name) {
                Lookup::Found(t) => return Lookup::Found(t),
                Lookup::Unknown => open = true,
                Lookup::Missing(_) => {}
            }
        }
        if open || self.module_open(m) {
            return Lookup::Unknown;
        }
        if dunder(name) || MODULE_IMPLICIT.contains(&name) {
            return Lookup::Found(Ty::Unknown);
        }
        // Module-level __getattr__, read path by path.
        if let Some(reading) = self.module_getattr(m) {
            if reading.open {
                return Lookup::Unknown;
            }
            if reading.members.contains(name) {
                return Lookup::Found(Ty::Unknown);
            }
        }
        // A stub describes what is typed; the `.py` beside it is what runs.
        // A name exists when either has it: the runtime module is read with
        // the same rules as any module.
        if let Some(runtime) = self.index.runtime_module_of(m) {
            return match self.module_member(&runtime, name) {
                // Modules and functions as they are (a `__getattr__`
                // factory is followed into the runtime); other values are
                // typed by the stub or not at all.
                Lookup::Found(t @ (Ty::Module(_) | Ty::Function(_))) => Lookup::Found(t),
                Lookup::Found(_) => Lookup::Found(Ty::Unknown),
                // A runtime module open to names it does not bind (a
                // `globals().update(registry)`, a module `__getattr__` not
                // read) beside a stub its own package ships: the package
                // declares its interface there.
                Lookup::Unknown if is_inline_stub(m, &runtime) => {
                    Lookup::Missing(Container::Module(m.clone()))
                }
                Lookup::Unknown => Lookup::Unknown,
                Lookup::Missing(_) => Lookup::Missing(Container::Module(m.clone())),
            };
        }
        Lookup::Missing(Container::Module(m.clone()))
    }

    /// For a name missing from a module: the `__getattr__` raise that
    /// removed it (of the stub's runtime module too) — the exception and
    /// its message, when made of literals, and the file of that
    /// `__getattr__`.
    pub fn module_removal(&self, m: &Arc<Module>, name: &str) -> Option<(Removal, String)> {
        let removed = |m: &Arc<Module>| {
            let removal = self.module_getattr(m)?.removed.get(name).cloned()?;
            Some((removal, m.location()))
        };
        removed(m).or_else(|| removed(&self.index.runtime_module_of(m)?))
    }

    /// Whether `name` is bound in a run-time module (`.py`) only under `if
    /// TYPE_CHECKING:` (`matplotlib.pyplot.datetime`): type checkers see it,
    /// but it does not exist when the code runs. Nothing else may provide
    /// it: no other binding, no run-time star import, no module
    /// `__getattr__`, no submodule of that name, no dynamic namespace.
    pub fn only_for_type_checkers(&self, m: &Arc<Module>, name: &str) -> bool {
        if m.kind != FileKind::Source
            || self.index.dump_of(&m.name).is_some()
            || m.submodules.contains(name)
            || self.module_open(m)
        {
            return false;
        }
        let Some(facts) = &m.facts else {
            return false;
        };
        let Some(bindings) = facts.module_bindings(name) else {
            return false;
        };
        let module_scope = facts.scope(MODULE_SCOPE);
        bindings
            .iter()
            .all(|b| facts.only_for_type_checkers(b.guard))
            && facts.module_bindings("__getattr__").is_none()
            && module_scope
                .star_imports
                .iter()
                .all(|s| facts.only_for_type_checkers(s.guard))
    }

    pub(super) fn dump_member_type(&self, module: &str, name: &str, member: &DumpMember) -> Ty {
        match member {
            DumpMember::Module { name: real } => self
                .index
                .module(real)
                .map(Ty::Module)
                .unwrap_or(Ty::Unknown),
            DumpMember::Class { .. } => Ty::Class(ClassRef::Dump {
                module: module.to_string(),
                name: name.to_string(),
            }),
            DumpMember::Function => Ty::Unknown,
            DumpMember::Variable { .. } => Ty::Unknown,
        }
    }

    /// The names a module has, for suggestions.
    pub fn module_member_names(&self, m: &Arc<Module>) -> BTreeSet<String> {
        let mut out: BTreeSet<String> = m.submodules.iter().cloned().collect();
        if let Some(dump) = self.index.dump_of(&m.name) {
            out.extend(dump.members.keys().cloned());
            return out;
        }
        if let Some(facts) = &m.facts {
            out.extend(
                facts
                    .scope(MODULE_SCOPE)
                    .bindings
                    .keys()
                    .map(|k| k.to_string()),
            );
            let ctx = Ctx { module: m.clone() };
            for star in &facts.scope(MODULE_SCOPE).star_imports {
                if let Some(t) = self
                    .absolute_module(&ctx, star.level, &star.module)
                    .and_then(|n| self.resolve_module(&n))
                {
                    if self.enter() {
                        match t.facts.as_ref().and_then(|f| f.all.clone()) {
                            Some(all) => out.extend(all),
                            None => out.extend(
                                self.module_member_names(&t)
                                    .into_iter()
                                    .filter(|n| !n.starts_with('_')),
                            ),
                        }
                        self.leave();
                    }
                }
            }
        }
        out
    }
}
