//! Evaluating expressions against the index: what a name, an attribute chain
//! or a call refers to, and which members a module or class really has.
//!
//! Every rule that makes a container *open* (members may appear at run time)
//! lives here; docs/open-patterns.md lists them with their fixtures.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use dashmap::DashMap;

use super::types::{ClassRef, Container, FuncRef, Lookup, Ty};
use crate::index::module_finder::FileKind;
use crate::index::python_env::DumpMember;
use crate::index::{Index, Module};
use crate::syntax::facts::*;
use crate::syntax::python::dunder;

const MAX_DEPTH: u32 = 24;

/// Metaclasses that do not add instance-visible members.
const KNOWN_METACLASSES: &[&str] = &[
    "type",
    "ABCMeta",
    "EnumMeta",
    "EnumType",
    "_ProtocolMeta",
    "_TypedDictMeta",
    "NamedTupleMeta",
];

/// Class decorators that return the class with no new public members.
const TRANSPARENT_CLASS_DECORATORS: &[&str] = &[
    "dataclass",
    "total_ordering",
    "final",
    "unique",
    "runtime_checkable",
    "verify",
    "type_check_only",
    "dataclass_transform",
    "deprecated",
    "s",
    "attrs",
    "define",
    "frozen",
    "mutable",
    "no_type_check",
    "override",
    "singledispatch",
];

/// Members every NamedTuple class has besides its fields.
const NAMEDTUPLE_MEMBERS: &[&str] = &["_replace", "_asdict", "_fields", "_make", "_field_defaults"];

/// Names every module has.
pub const MODULE_IMPLICIT: &[&str] = &[
    "__name__",
    "__file__",
    "__doc__",
    "__package__",
    "__spec__",
    "__loader__",
    "__path__",
    "__builtins__",
    "__annotations__",
    "__dict__",
    "__cached__",
    "__all__",
];

/// Caches shared by every file of one check.
#[derive(Default)]
pub struct SharedCache {
    module_members: DashMap<(String, String), Lookup>,
}

/// (module identity, scope, name): a name's value is cached per evaluator.
type NameKey = (usize, ScopeId, Box<str>);

/// Evaluates expressions of one file (or of library modules it reaches).
pub struct Evaluator<'a> {
    pub index: &'a Index,
    shared: &'a SharedCache,
    depth: Cell<u32>,
    /// The receiver class while evaluating a method's return type (`Self`).
    receiver: RefCell<Vec<ClassRef>>,
    names: RefCell<HashMap<NameKey, Ty>>,
}

/// The file an expression belongs to.
#[derive(Clone)]
pub struct Ctx {
    pub module: Arc<Module>,
}

impl Ctx {
    pub fn facts(&self) -> &FileFacts {
        self.module
            .facts
            .as_ref()
            .expect("a context module always has facts")
    }
}

impl<'a> Evaluator<'a> {
    pub fn new(index: &'a Index, shared: &'a SharedCache) -> Self {
        Evaluator {
            index,
            shared,
            depth: Cell::new(0),
            receiver: RefCell::new(Vec::new()),
            names: RefCell::new(HashMap::new()),
        }
    }

    fn enter(&self) -> bool {
        let d = self.depth.get();
        if d >= MAX_DEPTH {
            return false;
        }
        self.depth.set(d + 1);
        true
    }

    fn leave(&self) {
        self.depth.set(self.depth.get().saturating_sub(1));
    }

    // ---------------------------------------------------------------- guards

    /// Whether code under this guard runs on the indexed interpreter.
    pub fn guard_active(&self, ctx: &Ctx, guard: GuardId) -> bool {
        let Some(conds) = ctx.facts().guards.get(guard as usize) else {
            return true;
        };
        conds
            .iter()
            .all(|(c, expected)| self.condition(ctx, c).is_none_or(|v| v == *expected))
    }

    /// Whether code under this guard runs only when a runtime condition holds.
    pub fn guard_uncertain(&self, ctx: &Ctx, guard: GuardId) -> bool {
        ctx.facts()
            .guards
            .get(guard as usize)
            .is_some_and(|conds| conds.iter().any(|(c, _)| self.condition(ctx, c).is_none()))
    }

    /// Some(truth) when the condition is decidable for this interpreter.
    pub fn condition(&self, ctx: &Ctx, c: &Condition) -> Option<bool> {
        match c {
            Condition::TypeChecking | Condition::Main => Some(true),
            // Feature detection: `hasattr(typing, "ReadOnly")` is false on an
            // interpreter whose (closed) typing module lacks it.
            Condition::HasAttr { base, attr } => match self.member(&self.eval(ctx, base), attr) {
                Lookup::Found(_) => Some(true),
                Lookup::Missing(_) => Some(false),
                Lookup::Unknown => None,
            },
            Condition::Unknown => None,
            Condition::Not(inner) => self.condition(ctx, inner).map(|v| !v),
            Condition::And(parts) => {
                let mut all = Some(true);
                for p in parts {
                    match self.condition(ctx, p) {
                        Some(false) => return Some(false),
                        None => all = None,
                        Some(true) => {}
                    }
                }
                all
            }
            Condition::Or(parts) => {
                let mut any = Some(false);
                for p in parts {
                    match self.condition(ctx, p) {
                        Some(true) => return Some(true),
                        None => any = None,
                        Some(false) => {}
                    }
                }
                any
            }
            Condition::Version { op, version } => {
                let env = self.index.env.as_ref()?;
                let actual = [env.version.0, env.version.1, env.version.2];
                let n = version.len().min(3);
                let lhs = &actual[..n];
                let rhs = &version[..n];
                let ord = lhs.cmp(rhs);
                Some(match op {
                    CmpOp::Lt => ord.is_lt(),
                    CmpOp::Le => ord.is_le(),
                    CmpOp::Gt => ord.is_gt(),
                    CmpOp::Ge => ord.is_ge(),
                    CmpOp::Eq => ord.is_eq(),
                    CmpOp::Ne => ord.is_ne(),
                    CmpOp::StartsWith => return None,
                })
            }
            Condition::Platform { op, value } => {
                let env = self.index.env.as_ref()?;
                Some(match op {
                    CmpOp::Eq => env.platform == *value,
                    CmpOp::Ne => env.platform != *value,
                    CmpOp::StartsWith => env.platform.starts_with(value.as_str()),
                    _ => return None,
                })
            }
        }
    }

    // ---------------------------------------------------------------- modules

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
                f.dynamic.globals_write
                    || f.dynamic.setattr_self
                    || f.dynamic.sys_modules_self
                    || f.syntax_errors > 0
            }
        }
    }

    pub fn module_member(&self, m: &Arc<Module>, name: &str) -> Lookup {
        let key = (m.name.clone(), name.to_string());
        if let Some(hit) = self.shared.module_members.get(&key) {
            return hit.clone();
        }
        if !self.enter() {
            return Lookup::Unknown;
        }
        let result = self.module_member_uncached(m, name);
        self.leave();
        self.shared.module_members.insert(key, result.clone());
        result
    }

    fn module_member_uncached(&self, m: &Arc<Module>, name: &str) -> Lookup {
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
                        || super::platform_members::other_platform_member(&m.name, name) =>
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
        // Module-level __getattr__.
        if let Some(bindings) = facts.module_bindings("__getattr__") {
            let literal_names = bindings.iter().find_map(|b| match b.kind {
                BindingKind::Function(f) => facts.functions[f as usize].getattr_literals.clone(),
                _ => None,
            });
            match literal_names {
                Some(names) if bindings.len() == 1 => {
                    if names.iter().any(|n| n == name) {
                        return Lookup::Found(Ty::Unknown);
                    }
                }
                _ => return Lookup::Unknown,
            }
        }
        Lookup::Missing(Container::Module(m.clone()))
    }

    fn dump_member_type(&self, module: &str, name: &str, member: &DumpMember) -> Ty {
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
    pub fn module_member_names(&self, m: &Module) -> BTreeSet<String> {
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
            let ctx = Ctx {
                module: Arc::new(Module {
                    name: m.name.clone(),
                    file: m.file.clone(),
                    kind: m.kind,
                    origin: m.origin,
                    package_dirs: m.package_dirs.clone(),
                    facts: m.facts.clone(),
                    submodules: m.submodules.clone(),
                    configured_open: m.configured_open,
                }),
            };
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

    // ---------------------------------------------------------------- names

    pub fn eval_name(&self, ctx: &Ctx, name: &str, scope: ScopeId) -> Ty {
        let facts = ctx.facts();
        let key = (
            Arc::as_ptr(&ctx.module) as usize,
            scope,
            Box::<str>::from(name),
        );
        if self.receiver.borrow().is_empty() {
            if let Some(t) = self.names.borrow().get(&key) {
                return t.clone();
            }
        }
        if !self.enter() {
            return Ty::Unknown;
        }
        let result = match facts.binding_scope(scope, name) {
            Some(s) => {
                if facts.scope(scope).narrowed.contains(name)
                    || facts.scope(s).narrowed.contains(name)
                {
                    Ty::Unknown
                } else {
                    let bindings = &facts.scope(s).bindings[name];
                    let active: Vec<&Binding> = bindings
                        .iter()
                        .filter(|b| self.guard_active(ctx, b.guard))
                        .collect();
                    self.eval_bindings(ctx, s, name, &active)
                }
            }
            None => self.eval_global_fallback(ctx, name),
        };
        self.leave();
        if self.receiver.borrow().is_empty() {
            self.names.borrow_mut().insert(key, result.clone());
        }
        result
    }

    /// A name no scope binds: star imports, then builtins.
    fn eval_global_fallback(&self, ctx: &Ctx, name: &str) -> Ty {
        let facts = ctx.facts();
        for star in &facts.scope(MODULE_SCOPE).star_imports {
            if let Some(target) = self
                .absolute_module(ctx, star.level, &star.module)
                .and_then(|n| self.resolve_module(&n))
            {
                if let Lookup::Found(t) = self.module_member(&target, name) {
                    return t;
                }
            }
        }
        self.builtin(name)
    }

    pub fn builtin(&self, name: &str) -> Ty {
        match self
            .index
            .dump_of("builtins")
            .and_then(|d| d.members.get(name))
        {
            Some(DumpMember::Class { .. }) => Ty::Class(ClassRef::Dump {
                module: "builtins".into(),
                name: name.into(),
            }),
            _ => Ty::Unknown,
        }
    }

    pub fn eval_bindings(
        &self,
        ctx: &Ctx,
        scope: ScopeId,
        name: &str,
        bindings: &[&Binding],
    ) -> Ty {
        // `try: from _abc import … except ImportError: from _py_abc import …`:
        // the fallback only runs when the primary path fails.
        let primary: Vec<&Binding>;
        let bindings =
            if bindings.iter().any(|b| b.in_fallback) && bindings.iter().any(|b| !b.in_fallback) {
                primary = bindings
                    .iter()
                    .copied()
                    .filter(|b| !b.in_fallback)
                    .collect();
                primary.as_slice()
            } else {
                bindings
            };
        match bindings {
            [] => Ty::Unknown,
            [one] => self.eval_binding(ctx, scope, name, one),
            many => {
                // At module and class level the last unconditional binding is
                // what importers see (`Enum = None` … `class Enum:`).
                let straight_line =
                    !matches!(ctx.facts().scope(scope).kind, ScopeKind::Function(_))
                        && !many.iter().any(|b| matches!(b.kind, BindingKind::Other));
                if let Some(last) = many.last() {
                    if straight_line && last.guard == 0 && !last.in_try_import {
                        return self.eval_binding(ctx, scope, name, last);
                    }
                }
                let first = self.eval_binding(ctx, scope, name, many[0]);
                if first.is_unknown() {
                    return Ty::Unknown;
                }
                for b in &many[1..] {
                    if !self.eval_binding(ctx, scope, name, b).same(&first) {
                        return Ty::Unknown;
                    }
                }
                first
            }
        }
    }

    fn eval_binding(&self, ctx: &Ctx, scope: ScopeId, _name: &str, b: &Binding) -> Ty {
        match &b.kind {
            BindingKind::Import { module } => self
                .resolve_module(module)
                .map(Ty::Module)
                .unwrap_or(Ty::Unknown),
            BindingKind::ImportFrom {
                level,
                module,
                name,
            } => {
                let Some(abs) = self.absolute_module(ctx, *level, module) else {
                    return Ty::Unknown;
                };
                let Some(m) = self.resolve_module(&abs) else {
                    return Ty::Unknown;
                };
                match self.module_member(&m, name) {
                    Lookup::Found(t) => t,
                    _ => self
                        .resolve_module(&format!("{abs}.{name}"))
                        .map(Ty::Module)
                        .unwrap_or(Ty::Unknown),
                }
            }
            BindingKind::Class(id) => Ty::Class(ClassRef::Source {
                module: ctx.module.clone(),
                id: *id,
            }),
            BindingKind::Function(id) => {
                let f = &ctx.facts().functions[*id as usize];
                if f.decorators_transparent() {
                    Ty::Function(FuncRef {
                        module: ctx.module.clone(),
                        id: *id,
                    })
                } else {
                    Ty::Unknown
                }
            }
            BindingKind::Assign(e) => self.eval(ctx, e),
            BindingKind::Annotated { annotation, value } => {
                let t = self.annotation_type(ctx, annotation);
                // `x: Flask = LocalProxy(…)`: a declared type the value does not
                // have is not certain.
                if let (Ty::Instance(declared), Some(v)) = (&t, value) {
                    if let Ty::Instance(actual) = self.eval(ctx, v) {
                        if !self.is_subclass(&actual, declared) {
                            return Ty::Unknown;
                        }
                    }
                }
                if t.is_unknown() {
                    // `x: Final = Cls()` and friends: fall back to the value.
                    if matches!(annotation, Expr::Unknown) {
                        return Ty::Unknown;
                    }
                    return value
                        .as_ref()
                        .map(|v| self.eval(ctx, v))
                        .unwrap_or(Ty::Unknown);
                }
                t
            }
            BindingKind::Param {
                annotation,
                role,
                default_none,
            } => match role {
                ParamRole::SelfOf(c) => {
                    let own = ClassRef::Source {
                        module: ctx.module.clone(),
                        id: *c,
                    };
                    Ty::Instance(self.receiver_for(own))
                }
                ParamRole::ClsOf(c) => {
                    let own = ClassRef::Source {
                        module: ctx.module.clone(),
                        id: *c,
                    };
                    Ty::Class(self.receiver_for(own))
                }
                ParamRole::Variadic => Ty::Unknown,
                ParamRole::Plain => {
                    if *default_none {
                        return Ty::Unknown;
                    }
                    annotation
                        .as_ref()
                        .map(|a| self.annotation_type(ctx, a))
                        .unwrap_or(Ty::Unknown)
                }
            },
            BindingKind::With(e) => {
                let t = self.eval(ctx, e);
                match &t {
                    Ty::Instance(c) => self.enter_result(c),
                    _ => Ty::Unknown,
                }
            }
            BindingKind::Except(e) => match self.eval(ctx, e) {
                Ty::Class(c) => Ty::Instance(c),
                _ => Ty::Unknown,
            },
            BindingKind::Other => {
                let _ = scope;
                Ty::Unknown
            }
        }
    }

    /// While a method's return type is evaluated for a receiver, `self` is
    /// that receiver when it derives from the defining class.
    fn receiver_for(&self, own: ClassRef) -> ClassRef {
        if let Some(r) = self.receiver.borrow().last() {
            if self.is_subclass(r, &own) {
                return r.clone();
            }
        }
        own
    }

    fn is_subclass(&self, c: &ClassRef, base: &ClassRef) -> bool {
        self.mro(c).iter().any(|(k, _)| k.same(base))
    }

    /// The type `with x as y` binds: `__enter__`'s annotation, or the instance
    /// itself when `__enter__` returns `self`.
    fn enter_result(&self, c: &ClassRef) -> Ty {
        match self.class_member(c, "__enter__", true) {
            Lookup::Found(Ty::BoundMethod(f, recv)) => self.return_type(&f, Some(&recv)),
            _ => Ty::Unknown,
        }
    }

    // ---------------------------------------------------------------- expressions

    pub fn eval(&self, ctx: &Ctx, e: &Expr) -> Ty {
        match e {
            Expr::Name { name, scope, .. } => self.eval_name(ctx, name, *scope),
            Expr::Attr { base, attr, .. } => {
                let b = self.eval(ctx, base);
                match self.member(&b, attr) {
                    Lookup::Found(t) => t,
                    _ => Ty::Unknown,
                }
            }
            Expr::Call { func } => {
                let f = self.eval(ctx, func);
                self.call(&f)
            }
            Expr::Literal(l) => match l.class_name() {
                Some(cls) => match self.builtin(cls) {
                    Ty::Class(c) => Ty::Instance(c),
                    _ => Ty::Unknown,
                },
                None => Ty::Unknown,
            },
            Expr::Subscript { .. } | Expr::Unknown => Ty::Unknown,
        }
    }

    /// The instance type an annotation declares (`x: Cls` → an instance of Cls).
    pub fn annotation_type(&self, ctx: &Ctx, e: &Expr) -> Ty {
        if let Expr::Name { name, .. } = e {
            if &**name == "Self" {
                let recv = self.receiver.borrow().last().cloned();
                return recv.map(Ty::Instance).unwrap_or(Ty::Unknown);
            }
        }
        if let Expr::Attr { attr, .. } = e {
            if &**attr == "Self" {
                let recv = self.receiver.borrow().last().cloned();
                return recv.map(Ty::Instance).unwrap_or(Ty::Unknown);
            }
        }
        match self.eval(ctx, e) {
            Ty::Class(c) => {
                // `Any`, `object` and friends say nothing.
                let q = c.qualified_name();
                if matches!(
                    q.as_str(),
                    "builtins.object" | "typing.Any" | "builtins.type" | "typing_extensions.Any"
                ) {
                    Ty::Unknown
                } else {
                    Ty::Instance(c)
                }
            }
            _ => Ty::Unknown,
        }
    }

    pub fn call(&self, f: &Ty) -> Ty {
        match f {
            Ty::Class(c) => {
                let q = c.qualified_name();
                if matches!(
                    q.as_str(),
                    "builtins.type" | "builtins.super" | "builtins.object"
                ) {
                    return Ty::Unknown;
                }
                if let Some(facts) = c.facts() {
                    if facts.metaclass.is_some() && !self.metaclass_known(c) {
                        return Ty::Unknown;
                    }
                }
                Ty::Instance(c.clone())
            }
            Ty::Function(func) => self.return_type(func, None),
            Ty::BoundMethod(func, recv) => self.return_type(func, Some(recv)),
            Ty::Known { ret, receiver } => self.known_type(ret, Some(receiver), None),
            _ => Ty::Unknown,
        }
    }

    pub fn return_type(&self, f: &FuncRef, receiver: Option<&ClassRef>) -> Ty {
        let Some(facts) = f.facts() else {
            return Ty::Unknown;
        };
        if !facts.decorators_transparent() || facts.is_async || facts.is_generator {
            return Ty::Unknown;
        }
        if facts.has_decorator("overload") {
            return Ty::Unknown;
        }
        if !self.enter() {
            return Ty::Unknown;
        }
        let ctx = Ctx {
            module: f.module.clone(),
        };
        if let Some(r) = receiver {
            self.receiver.borrow_mut().push(r.clone());
        }
        let qualified = match facts.class {
            Some(c) => f
                .module
                .facts
                .as_ref()
                .and_then(|mf| mf.classes.get(c as usize))
                .map(|cf| {
                    format!(
                        "{}.{}.{}",
                        super::known_returns::public_module(&f.module.name),
                        cf.name,
                        facts.name
                    )
                }),
            None => Some(format!(
                "{}.{}",
                super::known_returns::public_module(&f.module.name),
                facts.name
            )),
        };
        let known = qualified
            .as_deref()
            .and_then(super::known_returns::known_return);
        let result = if let Some(known) = known {
            let own = facts.class.map(|c| ClassRef::Source {
                module: f.module.clone(),
                id: c,
            });
            self.known_type(known, receiver, own)
        } else if let Some(ann) = &facts.returns {
            self.annotation_type(&ctx, ann)
        } else if facts.returns_text.is_some() || facts.return_exprs.is_empty() {
            Ty::Unknown
        } else {
            let mut result: Option<Ty> = None;
            for e in &facts.return_exprs {
                let t = self.eval(&ctx, e);
                match &result {
                    _ if t.is_unknown() => {
                        result = Some(Ty::Unknown);
                        break;
                    }
                    None => result = Some(t),
                    Some(prev) if prev.same(&t) => {}
                    Some(_) => {
                        result = Some(Ty::Unknown);
                        break;
                    }
                }
            }
            result.unwrap_or(Ty::Unknown)
        };
        if receiver.is_some() {
            self.receiver.borrow_mut().pop();
        }
        self.leave();
        result
    }

    fn known_type(&self, spec: &str, receiver: Option<&ClassRef>, own: Option<ClassRef>) -> Ty {
        if spec == "Self" {
            if let Some(r) = receiver {
                return Ty::Instance(r.clone());
            }
            return own.map(Ty::Instance).unwrap_or(Ty::Unknown);
        }
        let Some((module, class)) = spec.rsplit_once('.') else {
            return Ty::Unknown;
        };
        let Some(m) = self.resolve_module(module) else {
            return Ty::Unknown;
        };
        match self.module_member(&m, class) {
            Lookup::Found(Ty::Class(c)) => Ty::Instance(c),
            _ => Ty::Unknown,
        }
    }

    // ---------------------------------------------------------------- members

    pub fn member(&self, base: &Ty, name: &str) -> Lookup {
        match base {
            Ty::Module(m) => self.module_member(m, name),
            Ty::Class(c) => self.class_member(c, name, false),
            Ty::Instance(c) => self.class_member(c, name, true),
            _ => Lookup::Unknown,
        }
    }

    fn metaclass_known(&self, c: &ClassRef) -> bool {
        let Some(facts) = c.facts() else { return true };
        let Some(meta) = &facts.metaclass else {
            return true;
        };
        let dotted = meta.dotted().unwrap_or_default();
        let last = dotted.rsplit('.').next().unwrap_or("");
        KNOWN_METACLASSES.contains(&last)
    }

    /// The classes of the MRO (depth-first, left to right, each once), with a
    /// flag telling whether that class is open.
    pub fn mro(&self, c: &ClassRef) -> Vec<(ClassRef, bool)> {
        let mut out: Vec<(ClassRef, bool)> = Vec::new();
        self.collect_mro(c, &mut out, 0);
        out
    }

    fn collect_mro(&self, c: &ClassRef, out: &mut Vec<(ClassRef, bool)>, depth: u32) {
        if depth > 40 || out.iter().any(|(k, _)| k.same(c)) {
            return;
        }
        match c {
            ClassRef::Dump { module, name } => {
                let known = self
                    .index
                    .dump_of(module)
                    .is_some_and(|d| matches!(d.members.get(name), Some(DumpMember::Class { .. })));
                out.push((c.clone(), !known));
            }
            ClassRef::Source { module, id } => {
                let Some(facts) = module.facts.as_ref() else {
                    out.push((c.clone(), true));
                    return;
                };
                let class = &facts.classes[*id as usize];
                let scope = facts.scope(class.scope);
                let mut open = class.dynamic
                    || scope.bindings.contains_key("__getattr__")
                    // ctypes structures: fields come from `_fields_`.
                    || scope.bindings.contains_key("_fields_")
                    || scope.bindings.contains_key("__getattribute__")
                    || scope.dynamic_names
                    || !self.metaclass_known(c)
                    || !class.decorators.iter().all(|d| {
                        TRANSPARENT_CLASS_DECORATORS.contains(&d.rsplit('.').next().unwrap_or(""))
                    });
                let index = out.len();
                out.push((c.clone(), false));
                let ctx = Ctx {
                    module: module.clone(),
                };
                for base in &class.bases {
                    let base_expr = match base {
                        Expr::Subscript { value } => value.as_ref(),
                        other => other,
                    };
                    // A call as a base (`NamedTuple("P", …)`, `with_metaclass(…)`) builds
                    // a class we cannot see into.
                    let dotted = match base_expr {
                        Expr::Call { .. } => String::new(),
                        other => other.dotted().unwrap_or_default(),
                    };
                    let last = dotted.rsplit('.').next().unwrap_or("");
                    // typing.NamedTuple / TypedDict make tuple / dict subclasses,
                    // whatever they are in this version's typing.py.
                    let special = match last {
                        "NamedTuple" => Some("tuple"),
                        "TypedDict" => Some("dict"),
                        _ => None,
                    };
                    if let Some(builtin) = special {
                        match self.builtin(builtin) {
                            Ty::Class(t) => self.collect_mro(&t, out, depth + 1),
                            _ => open = true,
                        }
                        continue;
                    }
                    match self.eval(&ctx, base_expr) {
                        Ty::Class(b) => self.collect_mro(&b, out, depth + 1),
                        _ => open = true,
                    }
                }
                if class.bases.is_empty() {
                    if let Ty::Class(obj) = self.builtin("object") {
                        self.collect_mro(&obj, out, depth + 1);
                    } else {
                        open = true;
                    }
                }
                out[index].1 = open;
            }
        }
    }

    fn has_namedtuple_base(&self, c: &ClassRef) -> bool {
        c.facts().is_some_and(|f| {
            f.bases.iter().any(|b| {
                b.dotted()
                    .is_some_and(|d| d.rsplit('.').next() == Some("NamedTuple"))
            })
        })
    }

    pub fn class_member(&self, c: &ClassRef, name: &str, on_instance: bool) -> Lookup {
        if !self.enter() {
            return Lookup::Unknown;
        }
        let result = self.class_member_inner(c, name, on_instance);
        self.leave();
        result
    }

    fn class_member_inner(&self, c: &ClassRef, name: &str, on_instance: bool) -> Lookup {
        let mro = self.mro(c);
        let mut open = false;
        if on_instance
            && mro
                .iter()
                .any(|(k, _)| k.qualified_name() == "builtins.type")
        {
            // Instances of a metaclass are classes: anything may be set on them.
            return Lookup::Unknown;
        }
        let is_enum = mro
            .iter()
            .any(|(k, _)| matches!(k.qualified_name().as_str(), "enum.Enum" | "enum.Flag"));
        for (k, k_open) in &mro {
            open |= *k_open;
            match k {
                ClassRef::Dump {
                    module,
                    name: cname,
                } => {
                    if let Some(DumpMember::Class { members }) = self
                        .index
                        .dump_of(module)
                        .and_then(|d| d.members.get(cname))
                    {
                        if members.iter().any(|m| m == name) {
                            let qualified = format!(
                                "{}.{cname}.{name}",
                                super::known_returns::public_module(module)
                            );
                            return Lookup::Found(
                                match super::known_returns::known_return(&qualified) {
                                    Some(ret) => Ty::Known {
                                        ret,
                                        receiver: c.clone(),
                                    },
                                    None => Ty::Unknown,
                                },
                            );
                        }
                        // A compiled type whose instances carry a `__dict__`
                        // (threading.local, ast nodes) takes any attribute.
                        let builtin_object = module == "builtins" && cname == "object";
                        let attribute_bag = matches!(
                            cname.as_str(),
                            "local" | "_local" | "SimpleNamespace" | "ModuleType" | "partial"
                        );
                        if on_instance
                            && !builtin_object
                            && (attribute_bag || members.iter().any(|m| m == "__dict__"))
                        {
                            open = true;
                        }
                    }
                }
                ClassRef::Source { module, id } => {
                    let Some(facts) = module.facts.as_ref() else {
                        continue;
                    };
                    let class = &facts.classes[*id as usize];
                    if self.has_namedtuple_base(k) && NAMEDTUPLE_MEMBERS.contains(&name) {
                        return Lookup::Found(Ty::Unknown);
                    }
                    let ctx = Ctx {
                        module: module.clone(),
                    };
                    if let Some(bindings) = facts.scope(class.scope).bindings.get(name) {
                        let in_self = class.self_attrs.contains_key(name);
                        return Lookup::Found(self.class_binding_type(
                            &ctx,
                            c,
                            k,
                            bindings,
                            on_instance,
                            is_enum,
                            in_self,
                        ));
                    }
                    if let Some(values) = class.self_attrs.get(name) {
                        let t = match values.as_slice() {
                            [Expr::Call { .. }] => self.eval(&ctx, &values[0]),
                            _ => Ty::Unknown,
                        };
                        return Lookup::Found(t);
                    }
                }
            }
        }
        if !on_instance {
            // Methods of the metaclass (`ABCMeta.register`) are attributes of the class.
            for (k, _) in &mro {
                let Some(facts) = k.facts() else { continue };
                let Some(meta) = &facts.metaclass else {
                    continue;
                };
                let ClassRef::Source { module, .. } = k else {
                    continue;
                };
                let ctx = Ctx {
                    module: module.clone(),
                };
                if let Ty::Class(m) = self.eval(&ctx, meta) {
                    if self.class_member_names(&m).contains(name) {
                        return Lookup::Found(Ty::Unknown);
                    }
                }
            }
            // Attributes of the class object itself (`mro`, metaclass members).
            if let Some(DumpMember::Class { members }) = self
                .index
                .dump_of("builtins")
                .and_then(|d| d.members.get("type"))
            {
                if members.iter().any(|m| m == name) {
                    return Lookup::Found(Ty::Unknown);
                }
            }
            if is_enum {
                // EnumType provides members like `__members__`; dunders are not reported.
            }
        }
        if open || dunder(name) {
            return Lookup::Unknown;
        }
        if is_enum
            && matches!(
                name,
                "_value_" | "_name_" | "_missing_" | "_generate_next_value_"
            )
        {
            return Lookup::Unknown;
        }
        Lookup::Missing(Container::Class(c.clone()))
    }

    #[allow(clippy::too_many_arguments)]
    fn class_binding_type(
        &self,
        ctx: &Ctx,
        receiver: &ClassRef,
        defining: &ClassRef,
        bindings: &[Binding],
        on_instance: bool,
        is_enum: bool,
        also_self_attr: bool,
    ) -> Ty {
        if bindings.len() != 1 || also_self_attr {
            // Overloads, property setters and conditional definitions.
            let funcs: Vec<FuncId> = bindings
                .iter()
                .filter_map(|b| match b.kind {
                    BindingKind::Function(f) => Some(f),
                    _ => None,
                })
                .collect();
            if funcs.len() == bindings.len() && !also_self_attr {
                let facts = ctx.facts();
                let is_property = funcs
                    .iter()
                    .any(|f| facts.functions[*f as usize].has_decorator("property"));
                if is_property && on_instance {
                    let getter = funcs
                        .iter()
                        .find(|f| facts.functions[**f as usize].has_decorator("property"));
                    if let Some(g) = getter {
                        return self.return_type(
                            &FuncRef {
                                module: ctx.module.clone(),
                                id: *g,
                            },
                            Some(receiver),
                        );
                    }
                }
            }
            return Ty::Unknown;
        }
        let _ = defining;
        match &bindings[0].kind {
            BindingKind::Function(f) => {
                let facts = &ctx.facts().functions[*f as usize];
                let fref = FuncRef {
                    module: ctx.module.clone(),
                    id: *f,
                };
                if facts.has_decorator("property") || facts.has_decorator("cached_property") {
                    return if on_instance {
                        self.return_type(&fref, Some(receiver))
                    } else {
                        Ty::Unknown
                    };
                }
                if !facts.decorators_transparent() {
                    return Ty::Unknown;
                }
                if facts.has_decorator("staticmethod") {
                    return Ty::Function(fref);
                }
                Ty::BoundMethod(fref, receiver.clone())
            }
            BindingKind::Class(id) => Ty::Class(ClassRef::Source {
                module: ctx.module.clone(),
                id: *id,
            }),
            BindingKind::Assign(e) | BindingKind::Annotated { value: Some(e), .. }
                if is_enum && !on_instance =>
            {
                let _ = e;
                Ty::Instance(receiver.clone())
            }
            BindingKind::Annotated { annotation, .. } => self.annotation_type(ctx, annotation),
            BindingKind::Assign(e @ Expr::Call { .. }) => match self.eval(ctx, e) {
                // A descriptor (property(...), a custom __get__) yields something else.
                Ty::Instance(c)
                    if !matches!(self.class_member(&c, "__get__", true), Lookup::Missing(_)) =>
                {
                    Ty::Unknown
                }
                t => t,
            },
            _ => Ty::Unknown,
        }
    }

    /// All member names of a class (for suggestions).
    pub fn class_member_names(&self, c: &ClassRef) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for (k, _) in self.mro(c) {
            match &k {
                ClassRef::Dump { module, name } => {
                    if let Some(DumpMember::Class { members }) =
                        self.index.dump_of(module).and_then(|d| d.members.get(name))
                    {
                        out.extend(members.iter().cloned());
                    }
                }
                ClassRef::Source { module, id } => {
                    if let Some(facts) = &module.facts {
                        let class = &facts.classes[*id as usize];
                        out.extend(
                            facts
                                .scope(class.scope)
                                .bindings
                                .keys()
                                .map(|k| k.to_string()),
                        );
                        out.extend(class.self_attrs.keys().map(|k| k.to_string()));
                    }
                }
            }
        }
        out
    }
}
