//! Classes: the MRO, members on classes and instances, and the rules that
//! make a class open.

use super::*;

impl<'a> Evaluator<'a> {
    pub(super) fn is_subclass(&self, c: &ClassRef, base: &ClassRef) -> bool {
        self.mro(c).iter().any(|(k, _)| k.same(base))
    }

    pub fn member(&self, base: &Ty, name: &str) -> Lookup {
        match base {
            Ty::Module(m) => self.module_member(m, name),
            Ty::Class(c) => self.class_member(c, name, false),
            Ty::Instance(c) => self.class_member(c, name, true),
            _ => Lookup::Unknown,
        }
    }

    pub(super) fn metaclass_known(&self, c: &ClassRef) -> bool {
        let Some(facts) = c.facts() else { return true };
        let Some(meta) = &facts.metaclass else {
            return true;
        };
        let dotted = meta.dotted().unwrap_or_default();
        let last = dotted.rsplit('.').next().unwrap_or("");
        if KNOWN_METACLASSES.contains(&last) {
            return true;
        }
        // A metaclass marked `@dataclass_transform` (PEP 681) builds
        // dataclass-like classes: their members are the ones declared in
        // their bodies, as type checkers read them — when the metaclass
        // itself is closed (a `__getattr__` it hides from type checkers
        // does not open it).
        let ClassRef::Source { module, .. } = c else {
            return false;
        };
        let ctx = Ctx {
            module: module.clone(),
        };
        match self.eval(&ctx, meta) {
            Ty::Class(m) => {
                m.facts().is_some_and(|f| {
                    f.decorators
                        .iter()
                        .any(|d| d.rsplit('.').next() == Some("dataclass_transform"))
                }) && self.mro(&m).iter().all(|(_, open)| !open)
            }
            _ => false,
        }
    }

    /// The classes of the MRO (depth-first, left to right, each once), with a
    /// flag telling whether that class is open.
    pub fn mro(&self, c: &ClassRef) -> Vec<(ClassRef, bool)> {
        let mut out: Vec<(ClassRef, bool)> = Vec::new();
        self.collect_mro(c, &mut out, 0);
        out
    }

    pub(super) fn collect_mro(&self, c: &ClassRef, out: &mut Vec<(ClassRef, bool)>, depth: u32) {
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
                // A file with syntax errors may have lost members anywhere in
                // the class (a method read outside it, a `self.x = …` garbled).
                let mut open = class.dynamic
                    || class.allows_extra
                    || facts.is_damaged()
                    || seen_by_type_checkers(facts, scope, "__getattr__")
                    // ctypes structures: fields come from `_fields_`.
                    || scope.bindings.contains_key("_fields_")
                    || seen_by_type_checkers(facts, scope, "__getattribute__")
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
                        Expr::Subscript { value, .. } => value.as_ref(),
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
                        // The class `namedtuple("P", "a b")` builds.
                        Ty::Function(f) if self.is_namedtuple_factory(&f) => {
                            match self.builtin("tuple") {
                                Ty::Class(t) => self.collect_mro(&t, out, depth + 1),
                                _ => open = true,
                            }
                        }
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

    /// Whether a class is an interface whose instances are always some
    /// subclass: an ABC (`abc.ABC` or a metaclass named `ABCMeta` in its
    /// MRO, as every `collections.abc` class) or a `Protocol`.
    pub(super) fn is_abstract(&self, c: &ClassRef) -> bool {
        self.mro(c).iter().any(|(k, _)| {
            k.is("abc", "ABC")
                || k.facts().is_some_and(|f| {
                    let last = |e: &Expr| {
                        let e = match e {
                            Expr::Subscript { value, .. } => value.as_ref(),
                            other => other,
                        };
                        e.dotted()
                            .is_some_and(|d| matches!(d.rsplit('.').next(), Some("Protocol")))
                    };
                    f.bases.iter().any(last)
                        || f.metaclass
                            .as_ref()
                            .and_then(Expr::dotted)
                            .is_some_and(|d| d.rsplit('.').next() == Some("ABCMeta"))
                })
        })
    }

    pub(super) fn has_namedtuple_base(&self, c: &ClassRef) -> bool {
        c.facts().is_some_and(|f| {
            f.bases.iter().any(|b| {
                b.dotted().is_some_and(|d| {
                    matches!(d.rsplit('.').next(), Some("NamedTuple" | "namedtuple"))
                })
            })
        })
    }

    pub fn class_member(&self, c: &ClassRef, name: &str, on_instance: bool) -> Lookup {
        if !self.enter() {
            return Lookup::Unknown;
        }
        let mut result = self.class_member_inner(c, name, on_instance);
        if let Lookup::Missing(_) = result {
            result = self.runtime_class_member(c, name, on_instance, result);
        }
        self.leave();
        result
    }

    /// A class a stub defines at module level exists at run time as the
    /// class of that name in the runtime module beside the stub: a member
    /// either has exists (stubs leave out private and legacy members).
    fn runtime_class_member(
        &self,
        c: &ClassRef,
        name: &str,
        on_instance: bool,
        missing: Lookup,
    ) -> Lookup {
        let ClassRef::Source { module, id } = c else {
            return missing;
        };
        let Some(class) = module
            .facts
            .as_ref()
            .and_then(|f| f.classes.get(*id as usize))
        else {
            return missing;
        };
        if class.parent_scope != MODULE_SCOPE {
            return missing;
        }
        let Some(runtime) = self.index.runtime_module_of(module) else {
            return missing;
        };
        let read_from_source = |rc: &ClassRef| matches!(rc, ClassRef::Source { module, .. } if module.kind == FileKind::Source);
        let runtime_class = match self.module_member(&runtime, &class.name) {
            // A class the runtime module defines in its own source: its
            // members are the run-time ones.
            Lookup::Found(Ty::Class(rc)) if read_from_source(&rc) => rc,
            // Bound to a class read from a stub again (the runtime imports it
            // from a module that has one), or to what is no class read from
            // source (a compiled module's, a computed value): the stub is
            // the only description there is (numpy's `ndarray`).
            Lookup::Found(_) => return missing,
            Lookup::Unknown => return Lookup::Unknown,
            Lookup::Missing(_) => return missing,
        };
        match self.class_member(&runtime_class, name, on_instance) {
            Lookup::Found(_) => Lookup::Found(Ty::Unknown),
            // A runtime class open to dynamic members (a decorator, a
            // `setattr` with a computed name) beside a stub its own package
            // ships (PEP 561 inline stubs: `matplotlib/figure.pyi` next to
            // `figure.py`): the package declares its interface there.
            Lookup::Unknown if is_inline_stub(module, &runtime) => missing,
            Lookup::Unknown => Lookup::Unknown,
            Lookup::Missing(_) => missing,
        }
    }

    pub(super) fn class_member_inner(&self, c: &ClassRef, name: &str, on_instance: bool) -> Lookup {
        let mro = self.mro(c);
        let mut open = false;
        if on_instance && mro.iter().any(|(k, _)| k.is("builtins", "type")) {
            // Instances of a metaclass are classes: anything may be set on them.
            return Lookup::Unknown;
        }
        let is_enum = mro
            .iter()
            .any(|(k, _)| k.is("enum", "Enum") || k.is("enum", "Flag"));
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
                                crate::analysis::known_returns::public_module(module)
                            );
                            return Lookup::Found(
                                match crate::analysis::known_returns::known_return(&qualified) {
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
    pub(super) fn class_binding_type(
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
                // Overloads (and their implementation): the method the last
                // binding defines, whose return type reads the overloads.
                let overloaded = funcs
                    .iter()
                    .any(|f| facts.functions[*f as usize].has_decorator("overload"));
                if overloaded {
                    let last = &bindings[bindings.len() - 1..];
                    return self.class_binding_type(
                        ctx,
                        receiver,
                        defining,
                        last,
                        on_instance,
                        is_enum,
                        false,
                    );
                }
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

/// Whether a class body defines `name` where type checkers see it: a
/// `__getattr__` under `if not TYPE_CHECKING:` only serves what the library
/// hides from them (pydantic's private attributes), so it does not open the
/// class.
fn seen_by_type_checkers(facts: &FileFacts, scope: &Scope, name: &str) -> bool {
    scope
        .bindings
        .get(name)
        .is_some_and(|bs| bs.iter().any(|b| !facts.hidden_from_type_checkers(b.guard)))
}

/// Whether stub module `stub` is one its package ships beside the runtime
/// module `runtime` (the same directory), not a separate `-stubs` package.
pub(super) fn is_inline_stub(stub: &Module, runtime: &Module) -> bool {
    match (&stub.file, &runtime.file) {
        (Some(s), Some(r)) => s.parent().is_some() && s.parent() == r.parent(),
        _ => false,
    }
}
