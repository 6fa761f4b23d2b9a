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
    /// Names it raises for on their own path, with the message when it is
    /// made of literals.
    pub removed: BTreeMap<String, Option<String>>,
    /// When open: why it is not closed-form, for `--why`.
    pub open_because: Option<String>,
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
                Some(t) => {
                    let f = t.complement();
                    let a = self.steps(then, (may.intersect(&t), must.intersect(&t)), certain);
                    let b = self.steps(otherwise, (may.intersect(&f), must.intersect(&f)), certain);
                    // Each name takes one branch: what leaves either is the union.
                    match (a, b) {
                        (Some(a), Some(b)) => Some((a.0.union(&b.0), a.1.union(&b.1))),
                        (one, None) | (None, one) => one,
                    }
                }
                None => self.either(&[then.clone(), otherwise.clone()], (may, must)),
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
            GetattrStep::Raise { message } => {
                self.raise(&may, &must, message.as_deref(), certain);
                None
            }
            GetattrStep::Call(name) => {
                if self.always_raises(name) {
                    self.raise(&may, &must, None, certain);
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
            let text = message.and_then(|m| self.message(m, name));
            self.reading.removed.entry(name.clone()).or_insert(text);
        }
    }

    fn test(&mut self, test: &NameTest) -> Option<Names> {
        match test {
            NameTest::In(c) => match self.ev.collection_keys(&self.ctx, self.scope, c, 0) {
                Some(keys) => Some(Names::Only(keys.into_iter().collect())),
                None => {
                    let what = match c {
                        NameCollection::Named(n) => format!("`{n}`"),
                        _ => "a collection".to_string(),
                    };
                    self.doubt(format!("tests `in` {what}, not a literal collection"));
                    None
                }
            },
            NameTest::Not(t) => Some(self.test(t)?.complement()),
            NameTest::And(ts) => ts
                .iter()
                .try_fold(Names::all(), |acc, t| Some(acc.intersect(&self.test(t)?))),
            NameTest::Or(ts) => ts
                .iter()
                .try_fold(Names::none(), |acc, t| Some(acc.union(&self.test(t)?))),
            NameTest::Unknown => {
                self.doubt("an `if` test not on its parameter".to_string());
                None
            }
        }
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
            GetattrStep::Return | GetattrStep::StoreGlobal => true,
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
        let Some(f) = self.getattr_function(m) else {
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
        };
        // Falling off the end returns None: those names exist.
        if let Some((may, _)) = walk.steps(steps, (Names::all(), Names::all()), true) {
            walk.answer(&may);
        }
        walk.reading
    }

    /// The function a module's `__getattr__` is: a `def`, one imported, or
    /// the nested function a factory returns (`__getattr__ = make(__name__)`).
    fn getattr_function(&self, m: &Arc<Module>) -> Option<FuncRef> {
        let facts = m.facts.as_ref()?;
        let [binding] = facts.module_bindings("__getattr__")? else {
            return None;
        };
        let ctx = Ctx { module: m.clone() };
        if let BindingKind::Assign(Expr::Call { func, .. }) = &binding.kind {
            let Ty::Function(factory) = self.eval(&ctx, func) else {
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
            return match inner.kind {
                BindingKind::Function(id) => Some(FuncRef { module, id }),
                _ => None,
            };
        }
        match self.eval_bindings(&ctx, MODULE_SCOPE, "__getattr__", &[binding]) {
            Ty::Function(f) => Some(f),
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
