//! Calls and annotations: what calling a class or function returns
//! (annotations, `Self`, inferred returns, the known-returns table).

use super::*;

impl<'a> Evaluator<'a> {
    /// The type `with x as y` binds: `__enter__`'s annotation, or the instance
    /// itself when `__enter__` returns `self`.
    pub(super) fn enter_result(&self, c: &ClassRef) -> Ty {
        match self.class_member(c, "__enter__", true) {
            Lookup::Found(Ty::BoundMethod(f, recv)) => self.return_type(&f, Some(&recv)),
            _ => Ty::Unknown,
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
            Ty::Class(c) => declared_instance(c),
            _ => Ty::Unknown,
        }
    }

    /// The instance type a return annotation declares: as
    /// [`Self::annotation_type`], and through subscripts and type aliases
    /// (`-> _Array1D[np.int_]` with `_Array1D: TypeAlias = ndarray[…]` is an
    /// `ndarray`): what a function returns is that class, whatever its
    /// parameters. A generic interface (`-> Sequence[float]`,
    /// `-> AbstractContextManager[IO]`) says nothing: the object is some
    /// implementation of it, with members of its own.
    pub(super) fn declared_return(&self, ctx: &Ctx, e: &Expr) -> Ty {
        let direct = self.annotation_type(ctx, e);
        if !direct.is_unknown() {
            return direct;
        }
        match self.type_expr_class(ctx, e) {
            Some(c) if !self.is_abstract(&c) => declared_instance(c),
            _ => Ty::Unknown,
        }
    }

    /// The class a type expression names, through subscripts
    /// (`ndarray[Any, T]`) and aliases (`X: TypeAlias = C[int]`, `X = C[int]`).
    fn type_expr_class(&self, ctx: &Ctx, e: &Expr) -> Option<ClassRef> {
        if !self.enter() {
            return None;
        }
        let found = match e {
            Expr::Subscript { value, .. } => self
                .type_expr_class(ctx, value)
                // `Annotated[X, …]` declares X (Annotated is a class on some
                // versions).
                .filter(|c| c.name() != "Annotated"),
            Expr::Name { name, scope, .. } => {
                let facts = ctx.facts();
                match facts.binding_scope(*scope, name) {
                    Some(s) => {
                        let bindings = &facts.scope(s).bindings[&**name];
                        match self.alias_target(ctx, bindings) {
                            Some((actx, target)) => self.type_expr_class(&actx, &target),
                            None => self.class_of(ctx, e),
                        }
                    }
                    None => self.class_of(ctx, e),
                }
            }
            Expr::Attr { base, attr, .. } => match self.eval(ctx, base) {
                Ty::Module(m) => match self.module_alias_target(&m, attr) {
                    Some((actx, target)) => self.type_expr_class(&actx, &target),
                    None => self.class_of(ctx, e),
                },
                _ => self.class_of(ctx, e),
            },
            _ => None,
        };
        self.leave();
        found
    }

    fn class_of(&self, ctx: &Ctx, e: &Expr) -> Option<ClassRef> {
        match self.eval(ctx, e) {
            Ty::Class(c) => Some(c),
            _ => None,
        }
    }

    /// When a name's only binding (where it runs here) makes it a type
    /// alias, the aliased expression and the file it is in; an import is
    /// followed to the module it names.
    fn alias_target(&self, ctx: &Ctx, bindings: &[Binding]) -> Option<(Ctx, Expr)> {
        let active: Vec<&Binding> = bindings
            .iter()
            .filter(|b| self.guard_active(ctx, b.guard))
            .collect();
        let [only] = active.as_slice() else {
            return None;
        };
        match &only.kind {
            BindingKind::Annotated {
                annotation,
                value: Some(v),
            } if annotation
                .dotted()
                .is_some_and(|d| d.rsplit('.').next() == Some("TypeAlias")) =>
            {
                Some((ctx.clone(), v.clone()))
            }
            BindingKind::Assign(v @ Expr::Subscript { .. }) => Some((ctx.clone(), v.clone())),
            BindingKind::ImportFrom {
                level,
                module,
                name,
            } => {
                let abs = self.absolute_module(ctx, *level, module)?;
                let m = self.resolve_module(&abs)?;
                self.module_alias_target(&m, name)
            }
            _ => None,
        }
    }

    fn module_alias_target(&self, m: &Arc<Module>, name: &str) -> Option<(Ctx, Expr)> {
        let facts = m.facts.clone()?;
        let bindings = facts.module_bindings(name)?;
        if !self.enter() {
            return None;
        }
        let ctx = Ctx { module: m.clone() };
        let found = self.alias_target(&ctx, bindings);
        self.leave();
        found
    }

    /// The `@overload` signatures a function belongs to (those of its name in
    /// the scope it is defined in, where they run here): a stub's overloads,
    /// or a module's before its implementation.
    pub(super) fn overloads(&self, f: &FuncRef) -> Vec<FuncId> {
        let (Some(file), Some(def)) = (f.module.facts.as_ref(), f.facts()) else {
            return Vec::new();
        };
        let ctx = Ctx {
            module: f.module.clone(),
        };
        let Some(bindings) = file.scope(def.parent_scope).bindings.get(&def.name) else {
            return Vec::new();
        };
        bindings
            .iter()
            .filter(|b| self.guard_active(&ctx, b.guard))
            .filter_map(|b| match b.kind {
                BindingKind::Function(id)
                    if file.functions[id as usize].has_decorator("overload") =>
                {
                    Some(id)
                }
                _ => None,
            })
            .collect()
    }

    /// What an overloaded function returns: the class every overload
    /// declares (`np.arange` → `ndarray` in all nine), else unknown.
    fn overloaded_return(&self, f: &FuncRef, group: &[FuncId]) -> Ty {
        let ctx = Ctx {
            module: f.module.clone(),
        };
        let mut result: Option<Ty> = None;
        for id in group {
            let Some(ann) = f
                .module
                .facts
                .as_ref()
                .and_then(|file| file.functions[*id as usize].returns.as_ref())
            else {
                return Ty::Unknown;
            };
            let t = self.declared_return(&ctx, ann);
            match &result {
                _ if t.is_unknown() => return Ty::Unknown,
                Some(prev) if !prev.same(&t) => return Ty::Unknown,
                _ => result = Some(t),
            }
        }
        result.unwrap_or(Ty::Unknown)
    }

    /// A call whose literal arguments describe a class (`builds`): that
    /// class when the callee is a class factory, else a plain call.
    pub fn call_building(&self, ctx: &Ctx, f: &Ty, builds: Option<ClassId>, no_args: bool) -> Ty {
        match builds {
            Some(id) if self.builds_class(f) => Ty::Class(ClassRef::Source {
                module: ctx.module.clone(),
                id,
            }),
            _ => self.call(f, no_args),
        }
    }

    /// Whether calling `f` with a name and a member list builds a class:
    /// `collections.namedtuple`, `typing.NamedTuple`, an Enum class.
    fn builds_class(&self, f: &Ty) -> bool {
        match f {
            Ty::Function(func) => self.is_namedtuple_factory(func),
            Ty::Class(c) => self.mro(c).iter().any(|(k, _)| k.is("enum", "Enum")),
            _ => false,
        }
    }

    /// `collections.namedtuple` / `typing.NamedTuple` (a function since 3.9).
    pub(super) fn is_namedtuple_factory(&self, f: &FuncRef) -> bool {
        let module = crate::analysis::known_returns::public_module(&f.module.name);
        f.facts()
            .is_some_and(|d| matches!(&*d.name, "namedtuple" | "NamedTuple"))
            && matches!(
                module.as_str(),
                "collections" | "typing" | "typing_extensions"
            )
    }

    /// What calling `f` returns; `no_args`: it is called with no argument.
    pub fn call(&self, f: &Ty, no_args: bool) -> Ty {
        match f {
            Ty::Class(c) => {
                let q = c.qualified_name();
                if matches!(
                    q.as_str(),
                    "builtins.type" | "builtins.super" | "builtins.object"
                ) {
                    return Ty::Unknown;
                }
                // `Enum("Color", names)`: the functional API builds a class
                // (the stdlib's Enum classes have no members to look up).
                if matches!(c, ClassRef::Source { module, .. } if module.name == "enum")
                    && self.mro(c).iter().any(|(k, _)| k.is("enum", "Enum"))
                {
                    return Ty::Unknown;
                }
                if let Some(facts) = c.facts() {
                    if facts.metaclass.is_some() && !self.metaclass_known(c) {
                        return Ty::Unknown;
                    }
                }
                Ty::Instance(c.clone())
            }
            Ty::Function(func) => self.return_type_of_call(func, None, no_args),
            Ty::BoundMethod(func, recv) => self.return_type_of_call(func, Some(recv), no_args),
            Ty::Known { ret, receiver } => self.known_type(ret, Some(receiver), None),
            // A callable object (`ones: Final[_ConstructorEmpty]`): what its
            // class's `__call__` declares.
            Ty::Instance(c) => match self.class_member(c, "__call__", true) {
                Lookup::Found(Ty::BoundMethod(func, recv)) => {
                    self.return_type_of_call(&func, Some(&recv), no_args)
                }
                _ => Ty::Unknown,
            },
            _ => Ty::Unknown,
        }
    }

    /// What a call of `f` returns, when the call has no argument
    /// (`no_args`): of `@overload`s, the first that needs no argument is
    /// the one a type checker picks (`plt.subplots()` → `tuple[Figure,
    /// Axes]`); else as [`Self::return_type`].
    fn return_type_of_call(&self, f: &FuncRef, receiver: Option<&ClassRef>, no_args: bool) -> Ty {
        if no_args {
            if let Some((ctx, ann)) = self.zero_arg_overload_return(f) {
                if let Some(r) = receiver {
                    self.receiver.borrow_mut().push(r.clone());
                }
                let t = self.declared_return(&ctx, &ann);
                if receiver.is_some() {
                    self.receiver.borrow_mut().pop();
                }
                return t;
            }
        }
        self.return_type(f, receiver)
    }

    /// The return annotation of the first `@overload` of `f` that can be
    /// called with no argument, with the file it is in.
    fn zero_arg_overload_return(&self, f: &FuncRef) -> Option<(Ctx, Expr)> {
        let facts = f.facts()?;
        if !facts.decorators_transparent() || facts.is_async || facts.is_generator {
            return None;
        }
        let group = self.overloads(f);
        let file = f.module.facts.as_ref()?;
        let first = group
            .iter()
            .map(|id| &file.functions[*id as usize])
            .find(|o| needs_no_argument(o))?;
        let ctx = Ctx {
            module: f.module.clone(),
        };
        Some((ctx, first.returns.clone()?))
    }

    /// Item `index` of the `count` a call returns, for `a, b = call()`: the
    /// item of the `tuple[…]` its return annotation declares (through
    /// aliases of the callee; of `@overload`s, the one a no-argument call
    /// picks, or the item every overload agrees on).
    pub(super) fn unpacked(&self, ctx: &Ctx, value: &Expr, index: u32, count: u32) -> Ty {
        let Expr::Call {
            func,
            builds: None,
            no_args,
            ..
        } = value
        else {
            return Ty::Unknown;
        };
        let (f, receiver) = match self.eval(ctx, func) {
            Ty::Function(f) => (f, None),
            Ty::BoundMethod(f, r) => (f, Some(r)),
            _ => return Ty::Unknown,
        };
        let Some(facts) = f.facts() else {
            return Ty::Unknown;
        };
        if !facts.decorators_transparent() || facts.is_async || facts.is_generator {
            return Ty::Unknown;
        }
        let annotations: Vec<(Ctx, Expr)> = match (*no_args)
            .then(|| self.zero_arg_overload_return(&f))
            .flatten()
        {
            Some(one) => vec![one],
            None => {
                let group = self.overloads(&f);
                let file = f.module.facts.as_ref();
                let ids: Vec<FuncId> = if group.is_empty() {
                    if facts.has_decorator("overload") {
                        return Ty::Unknown;
                    }
                    vec![f.id]
                } else {
                    group
                };
                let mut out = Vec::new();
                for id in ids {
                    let Some(ann) =
                        file.and_then(|file| file.functions[id as usize].returns.clone())
                    else {
                        return Ty::Unknown;
                    };
                    out.push((
                        Ctx {
                            module: f.module.clone(),
                        },
                        ann,
                    ));
                }
                out
            }
        };
        if let Some(r) = &receiver {
            self.receiver.borrow_mut().push(r.clone());
        }
        let mut result: Option<Ty> = None;
        for (actx, ann) in &annotations {
            let t = self
                .tuple_items(actx, ann)
                .filter(|(_, items)| items.len() == count as usize)
                .map(|(ictx, items)| self.declared_return(&ictx, &items[index as usize]))
                .unwrap_or(Ty::Unknown);
            match &result {
                _ if t.is_unknown() => {
                    result = Some(Ty::Unknown);
                    break;
                }
                Some(prev) if !prev.same(&t) => {
                    result = Some(Ty::Unknown);
                    break;
                }
                _ => result = Some(t),
            }
        }
        if receiver.is_some() {
            self.receiver.borrow_mut().pop();
        }
        result.unwrap_or(Ty::Unknown)
    }

    /// The items of a `tuple[A, B]` (or `typing.Tuple[A, B]`) type
    /// expression, through aliases, with the file they are read in; not a
    /// variadic `tuple[A, ...]`.
    fn tuple_items(&self, ctx: &Ctx, e: &Expr) -> Option<(Ctx, Vec<Expr>)> {
        if !self.enter() {
            return None;
        }
        let found = match e {
            Expr::Subscript { value, args } => {
                let is_tuple = matches!(
                    self.eval(ctx, value),
                    Ty::Class(c) if c.is("builtins", "tuple") || c.is("typing", "Tuple")
                ) || value
                    .dotted()
                    .is_some_and(|d| matches!(d.as_str(), "tuple" | "Tuple" | "typing.Tuple"));
                let variadic = args.iter().any(|a| matches!(a, Expr::Unknown));
                (is_tuple && !variadic && !args.is_empty()).then(|| (ctx.clone(), args.to_vec()))
            }
            Expr::Name { name, scope, .. } => {
                let facts = ctx.facts();
                facts
                    .binding_scope(*scope, name)
                    .and_then(|s| self.alias_target(ctx, &facts.scope(s).bindings[&**name]))
                    .and_then(|(actx, target)| self.tuple_items(&actx, &target))
            }
            _ => None,
        };
        self.leave();
        found
    }

    pub fn return_type(&self, f: &FuncRef, receiver: Option<&ClassRef>) -> Ty {
        let Some(facts) = f.facts() else {
            return Ty::Unknown;
        };
        if !facts.decorators_transparent() || facts.is_async || facts.is_generator {
            return Ty::Unknown;
        }
        let group = self.overloads(f);
        if facts.has_decorator("overload") && group.is_empty() {
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
                        crate::analysis::known_returns::public_module(&f.module.name),
                        cf.name,
                        facts.name
                    )
                }),
            None => Some(format!(
                "{}.{}",
                crate::analysis::known_returns::public_module(&f.module.name),
                facts.name
            )),
        };
        let known = qualified
            .as_deref()
            .and_then(crate::analysis::known_returns::known_return);
        let result = if let Some(known) = known {
            let own = facts.class.map(|c| ClassRef::Source {
                module: f.module.clone(),
                id: c,
            });
            self.known_type(known, receiver, own)
        } else if !group.is_empty() {
            self.overloaded_return(f, &group)
        } else if let Some(ann) = &facts.returns {
            self.declared_return(&ctx, ann)
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

    pub(super) fn known_type(
        &self,
        spec: &str,
        receiver: Option<&ClassRef>,
        own: Option<ClassRef>,
    ) -> Ty {
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
}

/// Whether a call with no argument matches `f`: every parameter, but the
/// receiver of a method and `*args`/`**kwargs`, has a default.
fn needs_no_argument(f: &FunctionFacts) -> bool {
    let method = f.class.is_some() && !f.has_decorator("staticmethod");
    // Separators (`/`, a bare `*`) have no name.
    let mut params = f.params.iter().filter(|p| !p.name.is_empty());
    if method {
        params.next();
    }
    params.all(|p| p.default_text.is_some() || p.prefix.starts_with('*'))
}

/// An instance of the class an annotation names; `Any`, `object` and `type`
/// say nothing.
fn declared_instance(c: ClassRef) -> Ty {
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
