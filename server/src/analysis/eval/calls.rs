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
