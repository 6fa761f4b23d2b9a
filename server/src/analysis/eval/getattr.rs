//! A module `__getattr__` (PEP 562) followed path by path: which names it
//! answers (members), which it raises for on a path of their own (removed
//! APIs, with the library's message), and whether every other name falls
//! through to a `raise` (the module stays closed).
//!
//! Names are tracked as sets, finite or "all but" finite ones: `may` holds
//! the names that can reach a point, `must` those that certainly do. A test
//! on the parameter splits both; any other test lets either branch run, and
//! a `raise` there proves nothing about a particular name. A `return` (or
//! the end of the body) reached by all but finitely many names opens the
//! module; a `raise` reached by finitely many names certain to get there
//! removes them.

use std::collections::{BTreeMap, BTreeSet};

use super::*;

/// What a module's `__getattr__` makes of each name.
#[derive(Debug, Default)]
pub struct GetattrReading {
    /// Some name outside a known set reaches a `return`: anything may exist.
    pub open: bool,
    /// Names it answers.
    pub members: BTreeSet<String>,
    /// Names it raises for on their own path.
    pub removed: BTreeMap<String, Removal>,
    /// When open: why it is not closed-form, for `--why`.
    pub open_because: Option<String>,
}

/// How a module's `__getattr__` refuses a name it raises for.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Removal {
    /// The exception class the `raise` names (`AttributeError`,
    /// `ImportError`); None when computed or raised by a helper.
    pub exception: Option<String>,
    /// The exception's message, when it is made of literals.
    pub message: Option<String>,
}

impl GetattrReading {
    fn open(because: impl Into<String>) -> GetattrReading {
        GetattrReading {
            open: true,
            open_because: Some(because.into()),
            ..GetattrReading::default()
        }
    }
}

/// A set of names: these, or all but these.
#[derive(Debug, Clone, PartialEq)]
enum Names {
    Only(BTreeSet<String>),
    AllBut(BTreeSet<String>),
}

impl Names {
    fn none() -> Names {
        Names::Only(BTreeSet::new())
    }

    fn all() -> Names {
        Names::AllBut(BTreeSet::new())
    }

    fn complement(&self) -> Names {
        match self {
            Names::Only(s) => Names::AllBut(s.clone()),
            Names::AllBut(s) => Names::Only(s.clone()),
        }
    }

    fn intersect(&self, other: &Names) -> Names {
        match (self, other) {
            (Names::Only(a), Names::Only(b)) => Names::Only(a.intersection(b).cloned().collect()),
            (Names::Only(a), Names::AllBut(b)) | (Names::AllBut(b), Names::Only(a)) => {
                Names::Only(a.difference(b).cloned().collect())
            }
            (Names::AllBut(a), Names::AllBut(b)) => Names::AllBut(a.union(b).cloned().collect()),
        }
    }

    fn union(&self, other: &Names) -> Names {
        self.complement()
            .intersect(&other.complement())
            .complement()
    }
}

/// Where the paths of one `__getattr__` lead.
struct Walk<'e, 'a> {
    ev: &'e Evaluator<'a>,
    /// The function's own module and scope, where the names it reads resolve.
    ctx: Ctx,
    scope: ScopeId,
    reading: GetattrReading,
    /// What the walk could not read (a test not on the parameter, a call
    /// that may return), in order: said when the function turns out open.
    doubts: Vec<String>,
    /// The module whose `__getattr__` is read.
    module_name: String,
    /// Parameters of the factory that made the function being walked which
    /// were given the module's `__name__`.
    module_params: Vec<Box<str>>,
}

/// The names reaching a point: (may, must).
type State = (Names, Names);

impl Walk<'_, '_> {
    /// Follow `steps`; the state after them, `None` when no path goes on.
    fn steps(&mut self, steps: &[GetattrStep], mut state: State, certain: bool) -> Option<State> {
        for step in steps {
            state = self.step(step, state, certain)?;
        }
        Some(state)
    }

    fn step(&mut self, step: &GetattrStep, (may, must): State, certain: bool) -> Option<State> {
        match step {
            GetattrStep::If {
                test,
                then,
                otherwise,
            } => match self.test(test) {
                Some((over, under)) => {
                    // A name takes `then` only if `over` has it, and surely
                    // when `under` has it.
                    let (not_over, not_under) = (under.complement(), over.complement());
                    let a = self.steps(
                        then,
                        (may.intersect(&over), must.intersect(&under)),
                        certain,
                    );
                    let b = self.steps(
                        otherwise,
                        (may.intersect(&not_over), must.intersect(&not_under)),
                        certain,
                    );
                    // Each name takes one branch: what leaves either is the union.
                    match (a, b) {
                        (Some(a), Some(b)) => Some((a.0.union(&b.0), a.1.union(&b.1))),
                        (one, None) | (None, one) => one,
                    }
                }
                None => {
                    self.doubt("an `if` test not read as a test on its parameter".to_string());
                    self.either(&[then.clone(), otherwise.clone()], (may, must))
                }
            },
            GetattrStep::Either(branches) => {
                if branches.iter().any(|b| b.iter().any(GetattrStep::leaves)) {
                    self.doubt(
                        "a branch its parameter does not decide (an `if` on something else, a loop, a `try`)"
                            .to_string(),
                    );
                }
                self.either(branches, (may, must))
            }
            GetattrStep::Return => {
                self.answer(&may);
                None
            }
            GetattrStep::StoreGlobal => {
                self.answer(&may);
                Some((may, must))
            }
            GetattrStep::Raise { exception, message } => {
                self.raise(
                    &may,
                    &must,
                    exception.as_deref(),
                    message.as_deref(),
                    certain,
                );
                None
            }
            GetattrStep::Delegate(helper) => {
                self.delegate(helper, may, must, certain);
                None
            }
            GetattrStep::Call(name) => {
                if self.always_raises(name) {
                    self.raise(&may, &must, None, None, certain);
                    None
                } else {
                    self.doubt(format!("calls `{name}`, which may return"));
                    Some((may, must))
                }
            }
        }
    }

    /// Any branch may run, for any name: what may go on is the union; what
    /// certainly goes on is what certainly goes through every branch.
    fn either(&mut self, branches: &[Vec<GetattrStep>], (may, must): State) -> Option<State> {
        let mut out: Option<State> = None;
        let mut all_go_on = true;
        for b in branches {
            match self.steps(b, (may.clone(), must.clone()), false) {
                Some((m, c)) => {
                    out = Some(match out {
                        Some((om, oc)) => (om.union(&m), oc.intersect(&c)),
                        None => (m, c),
                    });
                }
                None => all_go_on = false,
            }
        }
        out.map(|(m, c)| (m, if all_go_on { c } else { Names::none() }))
    }

    fn answer(&mut self, may: &Names) {
        match may {
            Names::Only(names) => self.reading.members.extend(names.iter().cloned()),
            Names::AllBut(_) => {
                if !self.reading.open {
                    let mut because =
                        "not closed-form: names outside a literal set reach a `return` or its end"
                            .to_string();
                    if !self.doubts.is_empty() {
                        because = format!("not closed-form ({})", self.doubts.join("; "));
                    }
                    self.reading.open_because = Some(because);
                }
                self.reading.open = true
            }
        }
    }

    fn doubt(&mut self, what: String) {
        if !self.doubts.contains(&what) {
            self.doubts.push(what);
        }
    }

    /// A `raise` reached by finitely many names (a path of their own) removes
    /// those certain to get there; one reached by all but a few is the
    /// module's "no such attribute".
    fn raise(
        &mut self,
        may: &Names,
        must: &Names,
        exception: Option<&str>,
        message: Option<&[MessagePiece]>,
        certain: bool,
    ) {
        let (Names::Only(_), true) = (may, certain) else {
            return;
        };
        let Names::Only(names) = must.intersect(may) else {
            return;
        };
        for name in &names {
            let message = message.and_then(|m| self.message(m, name));
            let exception = exception.map(str::to_string);
            self.reading
                .removed
                .entry(name.clone())
                .or_insert(Removal { exception, message });
        }
    }

    /// `return helper(name)`: the names reaching it are what `helper` makes
    /// of them, read the same way; a helper that cannot be read answers them.
    fn delegate(&mut self, helper: &str, may: Names, must: Names, certain: bool) {
        let Some((target, module_params)) = self.ev.delegate_target(&self.ctx, self.scope, helper)
        else {
            self.doubt(format!("returns `{helper}(…)`, which is not followed"));
            self.answer(&may);
            return;
        };
        let Some(steps) = target.facts().and_then(|f| f.getattr_body.clone()) else {
            self.doubt(format!("returns `{helper}(…)`, which is not read as tests"));
            self.answer(&may);
            return;
        };
        if !self.ev.enter() {
            self.answer(&may);
            return;
        }
        let saved = (
            std::mem::replace(
                &mut self.ctx,
                Ctx {
                    module: target.module.clone(),
                },
            ),
            self.scope,
            std::mem::replace(&mut self.module_params, module_params),
        );
        self.scope = target.facts().map_or(self.scope, |f| f.scope);
        // Falling off the helper's end returns None: those names exist.
        if let Some((left, _)) = self.steps(&steps, (may, must), certain) {
            self.answer(&left);
        }
        (self.ctx, self.scope, self.module_params) = saved;
        self.ev.leave();
    }

    /// The names a test is true for: (at most these, at least these).
    fn test(&self, test: &NameTest) -> Option<(Names, Names)> {
        match test {
            NameTest::In(c) => {
                let t = Names::Only(
                    self.ev
                        .collection_keys(&self.ctx, self.scope, c, 0)?
                        .into_iter()
                        .collect(),
                );
                Some((t.clone(), t))
            }
            NameTest::Not(t) => {
                let (over, under) = self.test(t)?;
                Some((under.complement(), over.complement()))
            }
            NameTest::And(ts) => ts.iter().try_fold((Names::all(), Names::all()), |acc, t| {
                let (o, u) = self.test(t)?;
                Some((acc.0.intersect(&o), acc.1.intersect(&u)))
            }),
            NameTest::Or(ts) => ts
                .iter()
                .try_fold((Names::none(), Names::none()), |acc, t| {
                    let (o, u) = self.test(t)?;
                    Some((acc.0.union(&o), acc.1.union(&u)))
                }),
            NameTest::Within(t) => Some((self.test(t)?.0, Names::none())),
            NameTest::Prefixed { prefix, collection } => {
                let keys = self
                    .ev
                    .collection_keys(&self.ctx, self.scope, collection, 0)?;
                Some(self.prefixed(prefix, &keys))
            }
            NameTest::InModuleDict(which) => {
                // The module's own names never reach its `__getattr__`:
                // true for none of the names here, when the namespace is
                // surely that module's.
                let own = match which {
                    None => self.ctx.module.name == self.module_name,
                    Some(p) => self.module_params.contains(p),
                };
                own.then(|| (Names::none(), Names::none()))
            }
            NameTest::Unknown => None,
        }
    }

    /// `f"{prefix}{name}" in keys`: the names after the prefix in the keys
    /// that start with it — exactly when the prefix is known (literal text,
    /// the module's name), else an over-estimate (every cut after the
    /// prefix's literal tail).
    fn prefixed(&self, prefix: &[PrefixPiece], keys: &[String]) -> (Names, Names) {
        let mut known = String::new();
        let mut exact = true;
        for piece in prefix {
            match piece {
                PrefixPiece::Text(t) => known.push_str(t),
                PrefixPiece::Name(n) if exact && self.module_params.contains(n) => {
                    known.push_str(&self.module_name)
                }
                PrefixPiece::Name(_) => {
                    exact = false;
                    known.clear();
                }
            }
        }
        let mut names = BTreeSet::new();
        for k in keys {
            if exact {
                if let Some(rest) = k.strip_prefix(known.as_str()) {
                    names.insert(rest.to_string());
                }
            } else {
                for (i, _) in k.char_indices().chain(std::iter::once((k.len(), ' '))) {
                    if k[..i].ends_with(known.as_str()) {
                        names.insert(k[i..].to_string());
                    }
                }
            }
        }
        let over = Names::Only(names);
        let under = if exact { over.clone() } else { Names::none() };
        (over, under)
    }

    fn always_raises(&self, name: &str) -> bool {
        match self.ev.eval_name(&self.ctx, name, self.scope) {
            Ty::Function(f) => f.facts().is_some_and(|f| f.always_raises),
            _ => false,
        }
    }

    fn message(&self, pieces: &[MessagePiece], name: &str) -> Option<String> {
        let mut out = String::new();
        for p in pieces {
            match p {
                MessagePiece::Text(t) => out.push_str(t),
                MessagePiece::Name { repr: false } => out.push_str(name),
                MessagePiece::Name { repr: true } => out.push_str(&format!("'{name}'")),
                MessagePiece::Lookup(c) => out.push_str(
                    &self
                        .ev
                        .collection_value(&self.ctx, self.scope, c, name, 0)?,
                ),
            }
        }
        Some(out)
    }
}

impl GetattrStep {
    /// Whether a name may leave the function by this step (a `return`,
    /// a store, or one inside a branch).
    fn leaves(&self) -> bool {
        match self {
            GetattrStep::Return | GetattrStep::StoreGlobal | GetattrStep::Delegate(_) => true,
            GetattrStep::If {
                then, otherwise, ..
            } => then.iter().chain(otherwise).any(GetattrStep::leaves),
            GetattrStep::Either(bs) => bs.iter().flatten().any(GetattrStep::leaves),
            GetattrStep::Raise { .. } | GetattrStep::Call(_) => false,
        }
    }
}

/// How deep imported collections are followed (`from ._x import NAMES`).
const MAX_COLLECTION_HOPS: u32 = 8;

impl<'a> Evaluator<'a> {
    /// The reading of a module's `__getattr__`, `None` when it has none.
    pub fn module_getattr(&self, m: &Arc<Module>) -> Option<Arc<GetattrReading>> {
        let facts = m.facts.as_ref()?;
        facts.module_bindings("__getattr__")?;
        let key = format!("{}\0{:?}", m.name, m.file);
        if let Some(done) = self.shared.getattr.get(&key) {
            return Some(done.clone());
        }
        let reading = Arc::new(if self.enter() {
            let r = self.read_getattr(m);
            self.leave();
            r
        } else {
            GetattrReading::open("not read: modules nested too deeply")
        });
        self.shared.getattr.insert(key, reading.clone());
        Some(reading)
    }

    fn read_getattr(&self, m: &Arc<Module>) -> GetattrReading {
        let Some((f, module_params)) = self.getattr_function(m) else {
            return GetattrReading::open(
                "not closed-form: bound to something other than a `def` (or a factory returning a nested `def`)",
            );
        };
        let Some(facts) = f.facts() else {
            return GetattrReading::open("not read: its module was not parsed");
        };
        let Some(steps) = &facts.getattr_body else {
            let at = format!(
                "`{}` ({}:{})",
                facts.name,
                super::why::short_path(&f.module),
                facts.span.start_row + 1
            );
            return GetattrReading::open(if &*facts.name == "__getattr__" {
                format!("not closed-form: {at} binds its parameter again, or has syntax errors")
            } else {
                format!("not read: the factory returns {at}, and only a function named `__getattr__` is read as tests on its parameter")
            });
        };
        let mut walk = Walk {
            ev: self,
            ctx: Ctx {
                module: f.module.clone(),
            },
            scope: facts.scope,
            reading: GetattrReading::default(),
            doubts: Vec::new(),
            module_name: m.name.clone(),
            module_params,
        };
        // Falling off the end returns None: those names exist.
        if let Some((may, _)) = walk.steps(steps, (Names::all(), Names::all()), true) {
            walk.answer(&may);
        }
        walk.reading
    }

    /// The function a module's `__getattr__` is: a `def`, one imported, or
    /// the nested function a factory returns (`__getattr__ = make(__name__)`).
    fn getattr_function(&self, m: &Arc<Module>) -> Option<(FuncRef, Vec<Box<str>>)> {
        let facts = m.facts.as_ref()?;
        let [binding] = facts.module_bindings("__getattr__")? else {
            return None;
        };
        let ctx = Ctx { module: m.clone() };
        if let BindingKind::Assign(call @ Expr::Call { .. }) = &binding.kind {
            return self.factory_product(&ctx, call);
        }
        match self.eval_bindings(&ctx, MODULE_SCOPE, "__getattr__", &[binding]) {
            Ty::Function(f) => Some((f, Vec::new())),
            _ => None,
        }
    }

    /// The nested function a factory call returns (`make(__name__)`), with
    /// the factory's parameters that the call gives the module's name.
    fn factory_product(&self, ctx: &Ctx, call: &Expr) -> Option<(FuncRef, Vec<Box<str>>)> {
        let Expr::Call {
            func,
            module_name_arg,
            ..
        } = call
        else {
            return None;
        };
        let Ty::Function(factory) = self.eval(ctx, func) else {
            return None;
        };
        let ffacts = factory.facts()?;
        let [Expr::Name { name, scope, .. }] = ffacts.return_exprs.as_slice() else {
            return None;
        };
        let module = factory.module.clone();
        let file = module.facts.as_ref()?;
        let bound = file.binding_scope(*scope, name)?;
        let [inner] = file.scope(bound).bindings.get(name)?.as_slice() else {
            return None;
        };
        let params = match (module_name_arg, ffacts.params.first()) {
            (true, Some(p)) if p.prefix.is_empty() => vec![p.name.clone()],
            _ => Vec::new(),
        };
        match inner.kind {
            BindingKind::Function(id) => Some((FuncRef { module, id }, params)),
            _ => None,
        }
    }

    /// The function `return helper(name)` hands a name to, where `helper` is
    /// read from `scope`: a plain function, or a module-level name bound to
    /// a factory's product.
    fn delegate_target(
        &self,
        ctx: &Ctx,
        scope: ScopeId,
        helper: &str,
    ) -> Option<(FuncRef, Vec<Box<str>>)> {
        let facts = ctx.facts();
        let bound = facts.binding_scope(scope, helper)?;
        let [binding] = facts.scope(bound).bindings.get(helper)?.as_slice() else {
            return None;
        };
        match &binding.kind {
            BindingKind::Assign(call @ Expr::Call { .. }) if bound == MODULE_SCOPE => {
                self.factory_product(ctx, call)
            }
            BindingKind::ImportFrom { .. } | BindingKind::Function(_) => {
                match self.eval_name(ctx, helper, scope) {
                    Ty::Function(f) => Some((f, Vec::new())),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The module a collection or message of `m` is read from at run time:
    /// the `.py` beside a stub.
    fn runtime_view(&self, m: &Arc<Module>) -> Arc<Module> {
        match m.kind {
            FileKind::Stub => self.index.runtime_module_of(m).unwrap_or_else(|| m.clone()),
            _ => m.clone(),
        }
    }

    /// The strings an `in` test on a collection is true for.
    fn collection_keys(
        &self,
        ctx: &Ctx,
        scope: ScopeId,
        c: &NameCollection,
        hops: u32,
    ) -> Option<Vec<String>> {
        match c {
            NameCollection::Literal(names) => Some(names.iter().map(|n| n.to_string()).collect()),
            NameCollection::Union(parts) => {
                let mut out = Vec::new();
                for p in parts {
                    out.extend(self.collection_keys(ctx, scope, p, hops)?);
                }
                Some(out)
            }
            NameCollection::Named(name) => {
                let found = self.named_collection(ctx, scope, name, hops)?;
                Some(found.keys()?.into_iter().map(str::to_string).collect())
            }
        }
    }

    /// `COLLECTION[key]`, when it is a string literal.
    fn collection_value(
        &self,
        ctx: &Ctx,
        scope: ScopeId,
        c: &NameCollection,
        key: &str,
        hops: u32,
    ) -> Option<String> {
        match c {
            NameCollection::Named(name) => self
                .named_collection(ctx, scope, name, hops)?
                .value(key)
                .map(str::to_string),
            NameCollection::Literal(_) | NameCollection::Union(_) => None,
        }
    }

    /// A module-level literal collection named `name` where `scope` reads
    /// it: bound once, in the module or imported from a sibling module.
    fn named_collection(
        &self,
        ctx: &Ctx,
        scope: ScopeId,
        name: &str,
        hops: u32,
    ) -> Option<LiteralCollection> {
        if hops > MAX_COLLECTION_HOPS {
            return None;
        }
        let facts = ctx.facts();
        if facts.binding_scope(scope, name)? != MODULE_SCOPE {
            return None;
        }
        let [binding] = facts.module_bindings(name)? else {
            return None;
        };
        match &binding.kind {
            BindingKind::Assign(_) | BindingKind::Annotated { .. } => {
                facts.literal_collections.get(name).cloned()
            }
            BindingKind::ImportFrom {
                level,
                module,
                name: original,
            } => {
                let target = self.absolute_module(ctx, *level, module)?;
                let target = self.runtime_view(&self.resolve_module(&target)?);
                target.facts.as_ref()?;
                let ctx = Ctx { module: target };
                self.named_collection(&ctx, MODULE_SCOPE, original, hops + 1)
            }
            _ => None,
        }
    }
}

/// The names an exception message quotes (between backticks or single
/// quotes), dotted or bare: `Use \`np.inf\` instead.` → `np.inf`.
pub fn quoted_names(message: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for quote in ['`', '\''] {
        let parts: Vec<&str> = message.split(quote).collect();
        for (i, inside) in parts.iter().enumerate() {
            // Odd parts are between an opening and a closing quote.
            let quoted = i % 2 == 1 && i + 1 < parts.len();
            let dotted = !inside.is_empty()
                && inside.split('.').all(|p| {
                    p.chars()
                        .next()
                        .is_some_and(|c| c == '_' || c.is_alphabetic())
                        && p.chars().all(|c| c == '_' || c.is_alphanumeric())
                });
            if quoted && dotted && !out.contains(inside) {
                out.push(*inside);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_names_are_dotted_names_between_quotes() {
        assert_eq!(
            quoted_names("`np.Inf` was removed in the NumPy 2.0 release. Use `np.inf` instead."),
            vec!["np.Inf", "np.inf"]
        );
        assert_eq!(
            quoted_names("Use `np.asarray(arr, dtype=dtype)` instead, or `-np.inf`."),
            Vec::<&str>::new()
        );
        assert_eq!(
            quoted_names("module 'numpy' has no attribute 'Inf'"),
            vec!["numpy", "Inf"]
        );
    }

    #[test]
    fn name_sets_complement_and_combine() {
        let only = |v: &[&str]| Names::Only(v.iter().map(|s| s.to_string()).collect());
        let all_but = |v: &[&str]| Names::AllBut(v.iter().map(|s| s.to_string()).collect());
        assert_eq!(only(&["a", "b"]).intersect(&all_but(&["b"])), only(&["a"]));
        assert_eq!(all_but(&["a"]).union(&only(&["a"])), Names::all());
        assert_eq!(only(&["a"]).union(&only(&["b"])), only(&["a", "b"]));
        assert_eq!(
            all_but(&["a"]).intersect(&all_but(&["b"])),
            all_but(&["a", "b"])
        );
    }
}
