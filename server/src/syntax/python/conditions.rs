//! Static conditions: version, platform, `TYPE_CHECKING`, `__main__` and
//! `hasattr` tests that decide which code runs on the indexed interpreter.

use super::*;

impl<'s> Builder<'s> {
    /// Recognise the static conditions type checkers evaluate.
    pub(super) fn condition(&self, n: Node) -> Condition {
        // `a and b and c …` is walked level by level, and each level asks
        // for the condition of the chain on its left: remembered, that is
        // linear, not quadratic, in the chain's length.
        if kind(n) != "boolean_operator" {
            return self.condition_of(n);
        }
        if let Some(c) = self.conditions.borrow().get(&n.id()) {
            return c.clone();
        }
        let c = self.condition_of(n);
        self.conditions.borrow_mut().insert(n.id(), c.clone());
        c
    }

    fn condition_of(&self, n: Node) -> Condition {
        match kind(n) {
            "parenthesized_expression" => n
                .named_child(0)
                .map(|c| self.condition(c))
                .unwrap_or(Condition::Unknown),
            "not_operator" => match field!(n, "argument").map(|c| self.condition(c)) {
                None | Some(Condition::Unknown) => Condition::Unknown,
                Some(c) => Condition::Not(Box::new(c)),
            },
            "boolean_operator" => {
                let (Some(l), Some(r)) = (field!(n, "left"), field!(n, "right")) else {
                    return Condition::Unknown;
                };
                let op = field!(n, "operator").map(|o| self.text(o)).unwrap_or("");
                let parts = vec![self.condition(l), self.condition(r)];
                // Nothing known of either side: nothing known of both (and a
                // chain of 1,000 unknown `and`s stays one small condition).
                if parts.iter().all(|p| *p == Condition::Unknown) {
                    return Condition::Unknown;
                }
                if op == "and" {
                    Condition::And(parts)
                } else {
                    Condition::Or(parts)
                }
            }
            "identifier" | "attribute" => {
                let t = self.text(n);
                if t == "TYPE_CHECKING" || t.ends_with(".TYPE_CHECKING") {
                    Condition::TypeChecking
                } else {
                    Condition::Unknown
                }
            }
            "call" => {
                // sys.platform.startswith("linux")
                let func = field!(n, "function").map(|f| self.text(f));
                if func == Some("hasattr") {
                    let args: Vec<Node> = field!(n, "arguments")
                        .map(named_children)
                        .unwrap_or_default();
                    if let [base, attr] = args.as_slice() {
                        let dotted = matches!(kind(base), "identifier" | "attribute");
                        if let (true, Some(attr)) = (dotted, self.string_literal(*attr)) {
                            let base = self.dotted_from_string(&squash(self.text(*base)), *base);
                            if !matches!(base, Expr::Unknown) {
                                return Condition::HasAttr { base, attr };
                            }
                        }
                    }
                }
                if func == Some("sys.platform.startswith") {
                    let arg = field!(n, "arguments")
                        .and_then(|a| a.named_child(0))
                        .and_then(|a| self.string_literal(a));
                    if let Some(value) = arg {
                        return Condition::Platform {
                            op: CmpOp::StartsWith,
                            value,
                        };
                    }
                }
                Condition::Unknown
            }
            "comparison_operator" => self.comparison_condition(n),
            _ => Condition::Unknown,
        }
    }

    /// `sys.version_info >= (3, 11)`, `(3, 8) <= sys.version_info < (3, 12)`,
    /// `sys.version_info[0] == 3`, `sys.platform == "win32"`, `__name__ == "__main__"`.
    pub(super) fn comparison_condition(&self, n: Node) -> Condition {
        let operands = named_children(n);
        let ops: Vec<&str> = {
            let mut cursor = n.walk();
            let ops = n
                .children(&mut cursor)
                .filter(|c| !c.is_named())
                .map(|c| self.text(c))
                .collect();
            ops
        };
        if operands.len() < 2 || ops.len() != operands.len() - 1 {
            return Condition::Unknown;
        }
        let mut parts = Vec::new();
        for (i, op) in ops.iter().enumerate() {
            let op = match *op {
                "<" => CmpOp::Lt,
                "<=" => CmpOp::Le,
                ">" => CmpOp::Gt,
                ">=" => CmpOp::Ge,
                "==" => CmpOp::Eq,
                "!=" => CmpOp::Ne,
                _ => return Condition::Unknown,
            };
            parts.push(self.comparison_pair(operands[i], op, operands[i + 1]));
        }
        if parts.len() == 1 {
            parts.pop().unwrap_or(Condition::Unknown)
        } else {
            Condition::And(parts)
        }
    }

    pub(super) fn comparison_pair(&self, left: Node, op: CmpOp, right: Node) -> Condition {
        if let Some(c) = self.oriented_comparison(left, op, right) {
            return c;
        }
        // `(3, 8) <= sys.version_info`: the same test read from the other side.
        let flipped = match op {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
            other => other,
        };
        self.oriented_comparison(right, flipped, left)
            .unwrap_or(Condition::Unknown)
    }

    pub(super) fn oriented_comparison(
        &self,
        subject: Node,
        op: CmpOp,
        value: Node,
    ) -> Option<Condition> {
        let text = self.text(subject);
        if text == "__name__" && matches!(op, CmpOp::Eq) {
            return Some(Condition::Main);
        }
        let version_subject = text == "sys.version_info"
            || (kind(subject) == "subscript"
                && field!(subject, "value").is_some_and(|v| self.text(v) == "sys.version_info")
                && field!(subject, "subscript").is_some_and(|s| {
                    // [0] is the major version; [:N] a prefix. Other indexes are unknown.
                    kind(s) == "slice" || self.text(s) == "0"
                }));
        if version_subject {
            return self
                .version_tuple(value)
                .map(|version| Condition::Version { op, version });
        }
        if text == "sys.platform" && matches!(op, CmpOp::Eq | CmpOp::Ne) {
            return self
                .string_literal(value)
                .map(|value| Condition::Platform { op, value });
        }
        // sys.platform[:3] == "win"
        let platform_prefix = kind(subject) == "subscript"
            && field!(subject, "value").is_some_and(|v| self.text(v) == "sys.platform")
            && field!(subject, "subscript").is_some_and(|s| kind(s) == "slice");
        if platform_prefix && matches!(op, CmpOp::Eq) {
            return self.string_literal(value).map(|value| Condition::Platform {
                op: CmpOp::StartsWith,
                value,
            });
        }
        None
    }

    pub(super) fn version_tuple(&self, n: Node) -> Option<Vec<u32>> {
        match kind(n) {
            "tuple" => named_children(n)
                .into_iter()
                .map(|c| self.text(c).parse().ok())
                .collect(),
            "integer" => Some(vec![self.text(n).parse().ok()?]),
            _ => None,
        }
    }
}
