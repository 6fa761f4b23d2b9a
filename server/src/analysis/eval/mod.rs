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

mod calls;
mod classes;
mod getattr;
mod guards;
mod modules;
mod why;

use classes::is_inline_stub;
pub use getattr::{quoted_names, GetattrReading, Removal};
pub use why::{short_path, Why};

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
    module_members: MemberCache,
    /// Lookups on library modules (stdlib, site-packages), which a
    /// long-running session keeps across analyses until files change.
    library: Option<Arc<MemberCache>>,
    /// Module `__getattr__` readings, by module name and file.
    getattr: DashMap<String, Arc<GetattrReading>>,
}

/// (module, member) → lookup.
pub type MemberCache = DashMap<(String, String), Lookup>;

impl SharedCache {
    pub fn with_library_cache(library: Arc<MemberCache>) -> SharedCache {
        SharedCache {
            module_members: MemberCache::default(),
            library: Some(library),
            getattr: DashMap::new(),
        }
    }
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
    /// Suggestions for a missing member, by its container and name: each
    /// costs a pass over the container's members, and a file may miss the
    /// same member thousands of times.
    suggestions: RefCell<Suggested>,
    /// The workspace's classes by the last segment of each base they name,
    /// gathered on first use.
    subclasses: std::cell::OnceCell<Subclasses<'a>>,
}

/// Suggestions by (container, member name).
type Suggested = HashMap<(String, Box<str>), Vec<String>>;

/// Workspace classes (file, facts, class) by the name of a base.
type Subclasses<'a> = HashMap<String, Vec<(&'a std::path::PathBuf, &'a Arc<FileFacts>, ClassId)>>;

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
            suggestions: RefCell::new(HashMap::new()),
            subclasses: std::cell::OnceCell::new(),
        }
    }

    /// The suggestions for member `name` missing from the container that
    /// `container` identifies, made by `make` the first time they are asked for.
    pub fn suggestions_for(
        &self,
        container: String,
        name: &str,
        make: impl FnOnce() -> Vec<String>,
    ) -> Vec<String> {
        let key = (container, Box::from(name));
        if let Some(found) = self.suggestions.borrow().get(&key) {
            return found.clone();
        }
        let made = make();
        self.suggestions.borrow_mut().insert(key, made.clone());
        made
    }

    /// The workspace classes with a base whose name (its last segment,
    /// subscripts dropped: `Base[T]`) is `base`: one pass over the
    /// workspace's classes for the whole evaluation, not one per question.
    pub fn workspace_subclasses(
        &self,
        base: &str,
    ) -> &[(&'a std::path::PathBuf, &'a Arc<FileFacts>, ClassId)] {
        let all = self.subclasses.get_or_init(|| {
            let mut all: Subclasses<'a> = HashMap::new();
            for (path, facts) in self.index.workspace_files() {
                for (id, c) in facts.classes.iter().enumerate() {
                    // A call's class is one only where its callee builds one.
                    if c.from_call {
                        continue;
                    }
                    let mut names: Vec<String> = c
                        .bases
                        .iter()
                        .filter_map(|b| {
                            let b = match b {
                                Expr::Subscript { value, .. } => value.as_ref(),
                                other => other,
                            };
                            b.dotted()?.rsplit('.').next().map(str::to_string)
                        })
                        .collect();
                    names.sort();
                    names.dedup();
                    for name in names {
                        all.entry(name)
                            .or_default()
                            .push((path, facts, id as ClassId));
                    }
                }
            }
            all
        });
        all.get(base).map_or(&[], Vec::as_slice)
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
        // When every primary import fails here (`try: import fastx as j`
        // with no fastx installed) and the fallback imports another
        // implementation (`import json as j`), the fallback is what runs.
        // A stand-in (`Model = object`) says nothing of the real thing.
        let primary: Vec<&Binding>;
        let bindings = if bindings.iter().any(|b| b.in_fallback)
            && bindings.iter().any(|b| !b.in_fallback)
        {
            let (fallback, main): (Vec<&Binding>, Vec<&Binding>) =
                bindings.iter().copied().partition(|b| b.in_fallback);
            let imports = |b: &&Binding| {
                matches!(
                    b.kind,
                    BindingKind::Import { .. } | BindingKind::ImportFrom { .. }
                )
            };
            primary =
                if fallback.iter().all(imports) && main.iter().all(|b| self.import_fails(ctx, b)) {
                    fallback
                } else {
                    main
                };
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

    /// Whether `b` is an import inside `try:` that cannot succeed in this
    /// environment: its module is not installed, or lacks the name.
    fn import_fails(&self, ctx: &Ctx, b: &Binding) -> bool {
        if !b.in_try_import || !self.index.has_env() {
            return false;
        }
        match &b.kind {
            BindingKind::Import { module } => self.resolve_module(module).is_none(),
            BindingKind::ImportFrom {
                level,
                module,
                name,
            } => {
                let Some(abs) = self.absolute_module(ctx, *level, module) else {
                    return false;
                };
                match self.resolve_module(&abs) {
                    None => true,
                    Some(m) => {
                        matches!(self.module_member(&m, name), Lookup::Missing(_))
                            && self.resolve_module(&format!("{abs}.{name}")).is_none()
                    }
                }
            }
            _ => false,
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
            BindingKind::Unpack {
                value,
                index,
                count,
            } => self.unpacked(ctx, value, *index, *count),
            BindingKind::Annotated { annotation, value } => {
                let annotation = declared_of_qualifier(annotation);
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
                    if matches!(annotation, Expr::Unknown | Expr::Subscript { .. }) {
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
            Expr::Call {
                func,
                builds,
                no_args,
                ..
            } => {
                let f = self.eval(ctx, func);
                self.call_building(ctx, &f, *builds, *no_args)
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
}

/// The type a qualified annotation declares: `Final[C]`, `ClassVar[C]`,
/// `Annotated[C, …]` declare `C`; any other annotation is itself.
fn declared_of_qualifier(annotation: &Expr) -> &Expr {
    match annotation {
        Expr::Subscript { value, args }
            if value.dotted().is_some_and(|d| {
                matches!(
                    d.rsplit('.').next(),
                    Some("Final" | "ClassVar" | "Annotated")
                )
            }) =>
        {
            args.first().unwrap_or(annotation)
        }
        other => other,
    }
}
