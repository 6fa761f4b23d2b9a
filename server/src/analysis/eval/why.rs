//! Why a lookup is silent (`grounded check --why`, hover): for an attribute
//! looked up on an open module or class, or on the result of a call whose
//! type is not known, the construct that made it so and where
//! (`numpy/__init__.py:706: `__getattr__` not closed-form (…)`).
//!
//! Nothing here decides anything: each function retraces, in the same
//! order, the rules of `modules.rs`, `classes.rs`, `getattr.rs` and
//! `calls.rs` that answered "unknown", and names the first that applies.
//! It runs only when asked (`--why`, a hover), never in a plain check.

use super::*;

/// One silent lookup and the reason for its silence.
#[derive(Debug, Clone, PartialEq)]
pub struct Why {
    /// The attribute as written (its span in the file checked).
    pub span: Span,
    /// The lookup, dotted as the code writes it (`np.foo`).
    pub symbol: String,
    /// `file:line: construct`, or a sentence when no line applies.
    pub reason: String,
}

/// How deep reasons follow one another (a star import of a module whose
/// stub's runtime module is open …).
const MAX_WHY_DEPTH: u32 = 6;

/// A module's file as its import name lays it out (`numpy/__init__.py`):
/// short, and the same on every machine.
pub fn short_path(m: &Module) -> String {
    let Some(file) = &m.file else {
        return m.location();
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parts: Vec<&str> = m.name.split('.').collect();
    let dirs = if m.is_package() {
        &parts[..]
    } else {
        &parts[..parts.len().saturating_sub(1)]
    };
    if dirs.is_empty() || m.name == "__main__" {
        return name;
    }
    format!("{}/{name}", dirs.join("/"))
}

/// A chain as the code writes it, calls' arguments left out (`a.b().c`).
fn written(e: &Expr) -> String {
    match e {
        Expr::Name { name, .. } => name.to_string(),
        Expr::Attr { base, attr, .. } => format!("{}.{attr}", written(base)),
        Expr::Call { func, .. } => format!("{}()", written(func)),
        Expr::Subscript { value, .. } => format!("{}[…]", written(value)),
        Expr::Literal(_) | Expr::Unknown => "…".to_string(),
    }
}

fn at(m: &Module, row: u32) -> String {
    format!("{}:{}", short_path(m), row + 1)
}

impl<'a> Evaluator<'a> {
    /// The silent lookups of one attribute chain, innermost first: the
    /// first open container (or unknown call result) stops the chain.
    pub fn why_chain(&self, ctx: &Ctx, e: &Expr, out: &mut Option<Why>) -> Ty {
        match e {
            Expr::Attr {
                base,
                attr,
                span,
                guarded,
            } => {
                let b = self.why_chain(ctx, base, out);
                if out.is_some() {
                    return Ty::Unknown;
                }
                match self.member(&b, attr) {
                    Lookup::Found(t) => t,
                    Lookup::Missing(_) => Ty::Unknown,
                    Lookup::Unknown => {
                        if *guarded || dunder(attr) {
                            return Ty::Unknown;
                        }
                        let reason = match &b {
                            Ty::Module(m) => Some(self.why_module(m, attr, 0)),
                            Ty::Class(c) => Some(self.why_class(c, attr, false, 0)),
                            Ty::Instance(c) => Some(self.why_class(c, attr, true, 0)),
                            Ty::Unknown => self.why_receiver(ctx, base),
                            _ => None,
                        };
                        if let Some(reason) = reason {
                            *out = Some(Why {
                                span: *span,
                                symbol: format!("{}.{attr}", written(base)),
                                reason,
                            });
                        }
                        Ty::Unknown
                    }
                }
            }
            Expr::Call {
                func,
                builds,
                no_args,
                ..
            } => {
                let f = self.why_chain(ctx, func, out);
                self.call_building(ctx, &f, *builds, *no_args)
            }
            Expr::Subscript { value, .. } => {
                self.why_chain(ctx, value, out);
                Ty::Unknown
            }
            other => self.eval(ctx, other),
        }
    }

    /// Why a receiver is not known: the call it comes from, when what is
    /// called is known but its result is not.
    fn why_receiver(&self, ctx: &Ctx, base: &Expr) -> Option<String> {
        let Expr::Call { func, .. } = base else {
            return None;
        };
        match self.eval(ctx, func) {
            Ty::Function(f) | Ty::BoundMethod(f, _) => Some(self.why_return(&f)),
            Ty::Class(c) => {
                let q = c.qualified_name();
                let facts = c.facts();
                let meta = facts.and_then(|f| f.metaclass.as_ref());
                Some(match (meta, &c) {
                    (Some(m), ClassRef::Source { module, id }) => {
                        let row = module.facts.as_ref().map_or(0, |f| {
                            f.classes[*id as usize].span.start_row
                        });
                        format!(
                            "{}: calling class `{q}`: its metaclass `{}` may build anything",
                            at(module, row),
                            m.dotted().unwrap_or_default()
                        )
                    }
                    _ => match q.as_str() {
                        "builtins.super" => "`super()` is not followed (the next class of the MRO is not computed)".to_string(),
                        "builtins.type" => "`type(…)` gives a class not known here".to_string(),
                        _ => format!("calling `{q}` builds no instance known here (a functional Enum, `object()`)"),
                    },
                })
            }
            Ty::Unknown => self
                .decorated_function(ctx, func)
                .map(|f| self.why_return(&f)),
            _ => None,
        }
    }

    /// The function `e` names when a decorator hides it (a decorated
    /// function evaluates to nothing known): bound in this file, imported
    /// from a module, or a module's member.
    fn decorated_function(&self, ctx: &Ctx, e: &Expr) -> Option<FuncRef> {
        let (module, name) = match e {
            Expr::Name { name, scope, .. } => {
                let facts = ctx.facts();
                let s = facts.binding_scope(*scope, name)?;
                let [b] = facts.scope(s).bindings.get(name)?.as_slice() else {
                    return None;
                };
                match &b.kind {
                    BindingKind::Function(id) => {
                        return Some(FuncRef {
                            module: ctx.module.clone(),
                            id: *id,
                        })
                    }
                    BindingKind::ImportFrom {
                        level,
                        module,
                        name: original,
                    } => {
                        let abs = self.absolute_module(ctx, *level, module)?;
                        (self.resolve_module(&abs)?, original.to_string())
                    }
                    _ => return None,
                }
            }
            Expr::Attr { base, attr, .. } => match self.eval(ctx, base) {
                Ty::Module(m) => (m, attr.to_string()),
                _ => return None,
            },
            _ => return None,
        };
        let facts = module.facts.as_ref()?;
        let [b] = facts.module_bindings(&name)? else {
            return None;
        };
        match b.kind {
            BindingKind::Function(id) => {
                let f = FuncRef {
                    module: module.clone(),
                    id,
                };
                (!f.facts()?.decorators_transparent()).then_some(f)
            }
            _ => None,
        }
    }

    /// Why a function's return type is not known.
    fn why_return(&self, f: &FuncRef) -> String {
        let Some(facts) = f.facts() else {
            return format!("{}: not parsed", short_path(&f.module));
        };
        let name = &facts.name;
        let here = at(&f.module, facts.span.start_row);
        if let Some(d) = facts
            .decorators
            .iter()
            .find(|_| !facts.decorators_transparent())
        {
            let _ = d;
            let shown: Vec<String> = facts.decorators.iter().map(|d| format!("@{d}")).collect();
            return format!(
                "{here}: return type of `{name}()` not known: decorated with `{}`",
                shown.join(" ")
            );
        }
        if facts.is_async {
            return format!("{here}: `{name}()` is `async`: it returns a coroutine");
        }
        if facts.is_generator {
            return format!("{here}: `{name}()` is a generator");
        }
        if !self.overloads(f).is_empty() {
            return format!(
                "{here}: the overloads of `{name}()` do not all return one known class"
            );
        }
        if let Some(text) = &facts.returns_text {
            return format!(
                "{here}: return type of `{name}()` not known: annotation `{text}` is not a plain class here"
            );
        }
        if facts.return_exprs.is_empty() {
            return format!(
                "{here}: return type of `{name}()` not written (no annotation, no `return` of a value)"
            );
        }
        let ctx = Ctx {
            module: f.module.clone(),
        };
        let mut first: Option<Ty> = None;
        for e in &facts.return_exprs {
            let t = self.eval(&ctx, e);
            if t.is_unknown() {
                let what = e
                    .dotted()
                    .map(|d| format!("`{d}`"))
                    .unwrap_or_else(|| "a value".to_string());
                return format!(
                    "{here}: return type of `{name}()` not written, and it returns {what} of unknown type"
                );
            }
            match &first {
                Some(prev) if !prev.same(&t) => {
                    return format!(
                        "{here}: return type of `{name}()` not written, and its `return`s differ in type"
                    );
                }
                _ => first = Some(t),
            }
        }
        format!("{here}: return type of `{name}()` not known")
    }

    /// Why module `m` may have `name` (it is open, or may be).
    pub fn why_module(&self, m: &Arc<Module>, name: &str, depth: u32) -> String {
        if m.configured_open {
            return format!(
                "module `{}` matches `open-modules` in the configuration",
                m.name
            );
        }
        if depth > MAX_WHY_DEPTH {
            return format!("{}: modules nested too deeply to follow", short_path(m));
        }
        if m.kind == FileKind::Compiled && self.index.dump_of(&m.name).is_none() {
            return format!("{}: compiled module without a `.pyi` stub", short_path(m));
        }
        let Some(facts) = &m.facts else {
            return format!("{}: not parsed", short_path(m));
        };
        let ctx = Ctx { module: m.clone() };
        // Star imports that cannot be followed.
        for star in &facts.scope(MODULE_SCOPE).star_imports {
            if !self.guard_active(&ctx, star.guard) {
                continue;
            }
            let row = facts
                .imports
                .iter()
                .find(|i| i.star && i.module == star.module && i.level == star.level)
                .map_or(0, |i| i.span.start_row);
            let written = format!(
                "`from {}{} import *`",
                ".".repeat(star.level as usize),
                star.module
            );
            let Some(target_name) = self.absolute_module(&ctx, star.level, &star.module) else {
                return format!("{}: {written} outside a known package", at(m, row));
            };
            let Some(target) = self.resolve_module(&target_name) else {
                if star.in_try_import {
                    continue;
                }
                return format!(
                    "{}: {written}: module `{target_name}` not found",
                    at(m, row)
                );
            };
            if let Lookup::Unknown = self.module_member(&target, name) {
                return format!(
                    "{}: {written} of an open module; {}",
                    at(m, row),
                    self.why_module(&target, name, depth + 1)
                );
            }
        }
        let module_site = facts.open_site(OpenTarget::Module);
        let dynamic = &facts.dynamic;
        if dynamic.globals_write || dynamic.setattr_self || dynamic.sys_modules_self {
            return match module_site {
                Some(s) => format!("{}: {}", at(m, s.row), s.what),
                None => format!(
                    "{}: its namespace is written at run time (`globals()`, `setattr(sys.modules[…])`)",
                    short_path(m)
                ),
            };
        }
        if facts.is_damaged() {
            let row = facts.first_error.map_or(0, |(r, _)| r);
            return format!("{}: syntax error", at(m, row));
        }
        if m.kind == FileKind::Stub
            && facts.scope(MODULE_SCOPE).bindings.is_empty()
            && facts.scope(MODULE_SCOPE).star_imports.is_empty()
            && self.index.compiled_beside(m)
        {
            return format!("{}: empty stub beside a compiled module", short_path(m));
        }
        if let Some(reading) = self.module_getattr(m) {
            if reading.open {
                let row = facts
                    .module_bindings("__getattr__")
                    .and_then(|b| b.first())
                    .map_or(0, |b| b.span.start_row);
                let because = reading.open_because.as_deref().unwrap_or("not closed-form");
                return format!("{}: `__getattr__` {because}", at(m, row));
            }
        }
        if let Some(runtime) = self.index.runtime_module_of(m) {
            if let Lookup::Unknown = self.module_member(&runtime, name) {
                return format!(
                    "stub `{}` takes names from its runtime module; {}",
                    short_path(m),
                    self.why_module(&runtime, name, depth + 1)
                );
            }
        }
        format!("{}: open (a rule --why does not name yet)", short_path(m))
    }

    /// Why class `c` (an instance of it when `on_instance`) may have `name`.
    pub fn why_class(&self, c: &ClassRef, name: &str, on_instance: bool, depth: u32) -> String {
        let mro = self.mro(c);
        let q = c.qualified_name();
        if on_instance && mro.iter().any(|(k, _)| k.is("builtins", "type")) {
            return format!(
                "`{q}` is a metaclass: its instances are classes, which take any attribute"
            );
        }
        for (k, open) in &mro {
            if *open {
                return self.why_class_open(k, depth);
            }
        }
        if on_instance {
            for (k, _) in &mro {
                let ClassRef::Dump {
                    module,
                    name: cname,
                } = k
                else {
                    continue;
                };
                if let Some(DumpMember::Class { members }) = self
                    .index
                    .dump_of(module)
                    .and_then(|d| d.members.get(cname))
                {
                    let bag = matches!(
                        cname.as_str(),
                        "local" | "_local" | "SimpleNamespace" | "ModuleType" | "partial"
                    );
                    let builtin_object = module == "builtins" && cname == "object";
                    if !builtin_object && (bag || members.iter().any(|m| m == "__dict__")) {
                        return format!(
                            "instances of compiled `{module}.{cname}` carry a `__dict__`: they take any attribute"
                        );
                    }
                }
            }
        }
        // A stub's class takes members from the runtime class of its name.
        if let ClassRef::Source { module, id } = c {
            if let Some(runtime) = self.index.runtime_module_of(module) {
                let class_name = module
                    .facts
                    .as_ref()
                    .map(|f| f.classes[*id as usize].name.to_string())
                    .unwrap_or_default();
                if depth <= MAX_WHY_DEPTH {
                    match self.module_member(&runtime, &class_name) {
                        Lookup::Unknown => {
                            return format!(
                                "stub class `{q}` takes members from its runtime module; {}",
                                self.why_module(&runtime, &class_name, depth + 1)
                            )
                        }
                        Lookup::Found(Ty::Class(rc)) if !rc.same(c) => {
                            if let Lookup::Unknown = self.class_member(&rc, name, on_instance) {
                                return format!(
                                    "stub class `{q}` takes members from its runtime class; {}",
                                    self.why_class(&rc, name, on_instance, depth + 1)
                                );
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        if mro
            .iter()
            .any(|(k, _)| k.is("enum", "Enum") || k.is("enum", "Flag"))
        {
            return format!("`{name}` is an internal name of Enum classes");
        }
        format!(
            "class `{q}` ({}) is open (a rule --why does not name yet)",
            c.location()
        )
    }

    /// Why one class of an MRO is open.
    fn why_class_open(&self, k: &ClassRef, depth: u32) -> String {
        let q = k.qualified_name();
        let ClassRef::Source { module, id } = k else {
            return format!("compiled class `{q}` is not in the interpreter's dump");
        };
        let Some(facts) = module.facts.as_ref() else {
            return format!("{}: not parsed", short_path(module));
        };
        let class = &facts.classes[*id as usize];
        let cname = &class.name;
        let here = at(module, class.span.start_row);
        let site = |target| {
            facts
                .open_site(target)
                .map(|s| format!("{}: {} (class `{cname}`)", at(module, s.row), s.what))
        };
        if class.dynamic {
            return site(OpenTarget::Class(*id)).unwrap_or_else(|| {
                format!("{here}: class `{cname}` sets attributes with computed names")
            });
        }
        if class.allows_extra {
            return site(OpenTarget::Class(*id)).unwrap_or_else(|| {
                format!("{here}: class `{cname}` is configured to take extra attributes (`extra=`)")
            });
        }
        if facts.is_damaged() {
            let row = facts.first_error.map_or(0, |(r, _)| r);
            return format!(
                "{}: syntax error in the file of class `{cname}`",
                at(module, row)
            );
        }
        let scope = facts.scope(class.scope);
        for special in ["__getattr__", "__getattribute__"] {
            let seen = scope.bindings.get(special).and_then(|bs| {
                bs.iter()
                    .find(|b| !facts.hidden_from_type_checkers(b.guard))
            });
            if let Some(b) = seen {
                return format!(
                    "{}: `{cname}.{special}` answers any name",
                    at(module, b.span.start_row)
                );
            }
        }
        if let Some(b) = scope.bindings.get("_fields_").and_then(|b| b.first()) {
            return format!(
                "{}: ctypes structure `{cname}`: its fields come from `_fields_`",
                at(module, b.span.start_row)
            );
        }
        if scope.dynamic_names {
            return site(OpenTarget::Scope(class.scope))
                .unwrap_or_else(|| format!("{here}: `exec`/`locals()` in class `{cname}`"));
        }
        if !self.metaclass_known(k) {
            let meta = class
                .metaclass
                .as_ref()
                .and_then(Expr::dotted)
                .unwrap_or_default();
            return format!("{here}: metaclass `{meta}` of class `{cname}` may add members");
        }
        if let Some(d) = class
            .decorators
            .iter()
            .find(|d| !TRANSPARENT_CLASS_DECORATORS.contains(&d.rsplit('.').next().unwrap_or("")))
        {
            return format!("{here}: class decorator `@{d}` on `{cname}` may add members");
        }
        let ctx = Ctx {
            module: module.clone(),
        };
        for base in &class.bases {
            let base_expr = match base {
                Expr::Subscript { value, .. } => value.as_ref(),
                other => other,
            };
            if let Expr::Call { func, .. } = base_expr {
                if !matches!(self.eval(&ctx, func), Ty::Function(ref f) if self.is_namedtuple_factory(f))
                {
                    let callee = func.dotted().unwrap_or_default();
                    return format!(
                        "{here}: base `{callee}(…)` of class `{cname}` is a call's result"
                    );
                }
                continue;
            }
            let dotted = base_expr.dotted().unwrap_or_default();
            if matches!(dotted.rsplit('.').next(), Some("NamedTuple" | "TypedDict")) {
                continue;
            }
            match self.eval(&ctx, base_expr) {
                Ty::Class(_) => {}
                Ty::Function(f) if self.is_namedtuple_factory(&f) => {}
                _ => {
                    let shown = if dotted.is_empty() {
                        "an expression".to_string()
                    } else {
                        format!("`{dotted}`")
                    };
                    return format!(
                        "{here}: base {shown} of class `{cname}` does not resolve to a class"
                    );
                }
            }
        }
        let _ = depth;
        format!("{here}: class `{cname}` is open (a rule --why does not name yet)")
    }
}
