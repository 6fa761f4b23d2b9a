//! Module-level collections of string literals (`_LAZY = {"a": …}`, a list
//! of tuples, a comprehension over one), which `__getattr__` tests read, and
//! `globals()[…] = …` writes whose keys are known: a literal, or the
//! variable of a loop over a literal list.

use super::*;

/// Methods that change a list, set or dict in place.
const MUTATING_METHODS: &[&str] = &[
    "update",
    "setdefault",
    "add",
    "append",
    "extend",
    "insert",
    "pop",
    "popitem",
    "remove",
    "discard",
    "clear",
    "__setitem__",
    "__delitem__",
    "difference_update",
    "intersection_update",
    "symmetric_difference_update",
];

impl<'s> Builder<'s> {
    /// `NAME = <collection of literals>` at module level: remembered for
    /// the `__getattr__` tests and messages that name it.
    pub(super) fn note_literal_collection(&mut self, left: Node, value: Node) {
        if self.scope != MODULE_SCOPE || kind(left) != "identifier" {
            return;
        }
        if let Some(c) = self.literal_collection(value) {
            let name = self.text(left);
            self.facts.literal_collections.insert(name.into(), c);
        }
    }

    /// `NAME.update(…)`, `NAME.add(…)`, …: a collection changed after it
    /// was written is not the literal it was (see `finish`).
    pub(super) fn note_collection_call(&mut self, func: &Expr) {
        if let Expr::Attr { base, attr, .. } = func {
            if let Expr::Name { name, .. } = base.as_ref() {
                if MUTATING_METHODS.contains(&&**attr) {
                    self.mutated_collections.insert(name.clone());
                }
            }
        }
    }

    /// `NAME[key] = …`, `del NAME[key]`.
    pub(super) fn note_collection_store(&mut self, subscript: Node) {
        if let Some(v) = field!(subscript, "value") {
            if kind(v) == "identifier" {
                self.mutated_collections.insert(self.text(v).into());
            }
        }
    }

    /// The rows of a literal collection, or `None` when it is not one.
    pub(super) fn literal_collection(&self, n: Node) -> Option<LiteralCollection> {
        let items = || {
            named_children(n)
                .into_iter()
                .filter(|c| kind(c) != "comment")
        };
        match kind(n) {
            "parenthesized_expression" => self.literal_collection(n.named_child(0)?),
            "tuple" | "list" | "set" => {
                let rows = items()
                    .map(|c| match kind(c) {
                        "tuple" | "parenthesized_expression" => self.literal_row(c),
                        _ => self.string_literal(c).map(|s| vec![Some(s.into())]),
                    })
                    .collect::<Option<Vec<_>>>()?;
                Some(LiteralCollection { dict: false, rows })
            }
            "dictionary" => {
                let rows = items()
                    .map(|c| {
                        if kind(c) != "pair" {
                            return None;
                        }
                        let key = self.string_literal(field!(c, "key")?)?;
                        let value = field!(c, "value").and_then(|v| self.literal_text(v));
                        Some(vec![Some(key.into()), value.map(Box::from)])
                    })
                    .collect::<Option<Vec<_>>>()?;
                Some(LiteralCollection { dict: true, rows })
            }
            "binary_operator" => {
                let op = field!(n, "operator").map(|o| self.text(o));
                if !matches!(op, Some("|" | "+")) {
                    return None;
                }
                let mut l = self.literal_collection(field!(n, "left")?)?;
                let r = self.literal_collection(field!(n, "right")?)?;
                l.dict &= r.dict;
                l.rows.extend(r.rows);
                Some(l)
            }
            "identifier" => self
                .facts
                .literal_collections
                .get(self.text(n))
                .cloned()
                .filter(|_| self.scope == MODULE_SCOPE),
            "call" => {
                // `frozenset({...})`, `set([...])`, `tuple(...)`, `list(...)`.
                let func = field!(n, "function")?;
                let args: Vec<Node> = field!(n, "arguments")
                    .map(named_children)?
                    .into_iter()
                    .filter(|c| kind(c) != "comment")
                    .collect();
                match args.as_slice() {
                    [one]
                        if kind(func) == "identifier"
                            && matches!(
                                self.text(func),
                                "set" | "frozenset" | "tuple" | "list"
                            ) =>
                    {
                        let mut c = self.literal_collection(*one)?;
                        c.dict = false;
                        Some(c)
                    }
                    _ => None,
                }
            }
            "dictionary_comprehension" | "set_comprehension" | "list_comprehension" => {
                self.comprehension_rows(n)
            }
            _ => None,
        }
    }

    /// `("a", "b")` as a row; items that are not string literals are `None`.
    fn literal_row(&self, n: Node) -> Option<Vec<Option<Box<str>>>> {
        let inner = if kind(n) == "parenthesized_expression" {
            n.named_child(0)?
        } else {
            n
        };
        if kind(inner) != "tuple" {
            return self.string_literal(inner).map(|s| vec![Some(s.into())]);
        }
        Some(
            named_children(inner)
                .into_iter()
                .filter(|c| kind(c) != "comment")
                .map(|c| self.literal_text(c).map(Box::from))
                .collect(),
        )
    }

    /// A string literal, implicit concatenations included.
    fn literal_text(&self, n: Node) -> Option<String> {
        match kind(n) {
            "concatenated_string" => named_children(n)
                .into_iter()
                .filter(|c| kind(c) != "comment")
                .map(|c| self.string_literal(c))
                .collect(),
            "parenthesized_expression" => self.literal_text(n.named_child(0)?),
            _ => self.string_literal(n),
        }
    }

    /// `{k: v for k, v in ROWS}`, `{n for n in ROWS}`: one `for` over a
    /// literal collection, no `if`. A key or value that is a loop variable
    /// takes that item of each row; a string literal stays; anything else is
    /// not a literal (`None`) — a key must be one.
    fn comprehension_rows(&self, n: Node) -> Option<LiteralCollection> {
        let body = field!(n, "body")?;
        let clauses: Vec<Node> = named_children(n)
            .into_iter()
            .filter(|c| matches!(kind(c), "for_in_clause" | "if_clause"))
            .collect();
        let [clause] = clauses.as_slice() else {
            return None;
        };
        if kind(clause) != "for_in_clause" {
            return None;
        }
        let source = self.literal_collection(field!(clause, "right")?)?;
        let left = field!(clause, "left")?;
        let vars: Vec<&str> = match kind(left) {
            "identifier" => vec![self.text(left)],
            "pattern_list" | "tuple_pattern" => named_children(left)
                .into_iter()
                .map(|c| (kind(c) == "identifier").then(|| self.text(c)))
                .collect::<Option<Vec<_>>>()?,
            _ => return None,
        };
        let single = kind(left) == "identifier";
        // Which item of a row an expression takes, or the literal it is.
        let item = |e: Node, row: &[Option<Box<str>>]| -> Option<Box<str>> {
            if kind(e) == "identifier" {
                let i = vars.iter().position(|v| *v == self.text(e))?;
                if single {
                    // `for n in ["a", "b"]`: the element itself.
                    return match row {
                        [one] => one.clone(),
                        _ => None,
                    };
                }
                return row.get(i).cloned().flatten();
            }
            if kind(e) == "string" {
                // `f"pkg.utils:{name}"`: the loop variables put in.
                let mut out = String::new();
                for c in named_children(e) {
                    match kind(c) {
                        "string_start" | "string_end" => {}
                        "string_content" => out.push_str(self.text(c)),
                        "interpolation" => {
                            if field!(c, "format_specifier").is_some()
                                || field!(c, "type_conversion").is_some()
                            {
                                return None;
                            }
                            let v = field!(c, "expression")?;
                            if kind(v) != "identifier" {
                                return None;
                            }
                            let i = vars.iter().position(|x| *x == self.text(v))?;
                            let value = if single {
                                match row {
                                    [one] => one.clone()?,
                                    _ => return None,
                                }
                            } else {
                                row.get(i).cloned().flatten()?
                            };
                            out.push_str(&value);
                        }
                        _ => return None,
                    }
                }
                return Some(out.into());
            }
            self.literal_text(e).map(Box::from)
        };
        let dict = kind(n) == "dictionary_comprehension";
        let (key, value) = if dict {
            if kind(body) != "pair" {
                return None;
            }
            (field!(body, "key")?, field!(body, "value"))
        } else {
            (body, None)
        };
        let rows = source
            .rows
            .iter()
            .map(|row| {
                let k = item(key, row)?;
                let v = value.and_then(|v| item(v, row));
                Some(if dict {
                    vec![Some(k), v]
                } else {
                    vec![Some(k)]
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(LiteralCollection { dict, rows })
    }

    /// The strings a `for NAME in <literal list>:` loop binds NAME to.
    pub(super) fn literal_loop(&self, n: Node) -> Option<(Box<str>, Vec<Box<str>>)> {
        let left = field!(n, "left")?;
        if kind(left) != "identifier" {
            return None;
        }
        let keys = self.literal_collection(field!(n, "right")?)?;
        let keys = keys.keys()?.into_iter().map(Box::from).collect();
        Some((self.text(left).into(), keys))
    }

    /// `globals()[key] = …`: the names it binds, when the key is known (a
    /// literal, the variable of a loop over literals, or the parameter of a
    /// module `__getattr__`, whose paths say which names reach it).
    /// Anything else makes the module open.
    pub(super) fn globals_store(&mut self, key: Option<Node>) {
        let Some(key) = key else {
            self.facts.dynamic.globals_write = true;
            return;
        };
        if let Some(name) = self.string_literal(key) {
            self.bind_in(MODULE_SCOPE, &name, BindingKind::Other, key);
            return;
        }
        let what = format!("`globals()[{}] = …` with a computed key", self.text(key));
        if kind(key) == "identifier" {
            let var = self.text(key);
            let looped = self
                .literal_loops
                .iter()
                .rev()
                .find(|(v, _)| &**v == var)
                .map(|(_, names)| names.clone());
            if let Some(names) = looped {
                for name in names {
                    self.bind_in(MODULE_SCOPE, &name, BindingKind::Other, key);
                }
                return;
            }
            if self.in_getattr_with_param(var) {
                return;
            }
        }
        self.facts.dynamic.globals_write = true;
        self.open_site(OpenTarget::Module, key, what);
    }

    /// Whether the current scope is a `__getattr__` outside a class whose
    /// first parameter is `param`.
    fn in_getattr_with_param(&self, param: &str) -> bool {
        let ScopeKind::Function(f) = self.facts.scopes[self.scope as usize].kind else {
            return false;
        };
        let f = &self.facts.functions[f as usize];
        &*f.name == "__getattr__"
            && f.class.is_none()
            && f.params.first().is_some_and(|p| &*p.name == param)
    }
}
