//! Whether code under a guard runs on the indexed interpreter.

use super::*;

impl<'a> Evaluator<'a> {
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
}
