//! `class` and `def`: scopes, parameters and their roles, decorators,
//! signatures, docstrings, and what a module `__getattr__` provides.

use super::*;

impl<'s> Builder<'s> {
    pub(super) fn decorated(&mut self, n: Node) {
        let mut decorators = Vec::new();
        for c in named_children(n) {
            if kind(c) == "decorator" {
                if let Some(e) = c.named_child(0) {
                    let expr = self.walk_expr(e);
                    let dotted = match &expr {
                        Expr::Call { func, .. } => func.dotted(),
                        other => other.dotted(),
                    };
                    decorators.push(dotted.unwrap_or_else(|| "<dynamic>".to_string()));
                }
            } else if kind(c) == "comment" {
                self.comment(c);
            }
        }
        if let Some(def) = field!(n, "definition") {
            match kind(def) {
                "class_definition" => self.class_def(def, &decorators),
                "function_definition" => self.function_def(def, &decorators),
                _ => {}
            }
        }
    }

    pub(super) fn class_def(&mut self, n: Node, decorators: &[String]) {
        let Some(name_node) = field!(n, "name") else {
            return;
        };
        let name = self.text(name_node);
        let mut bases = Vec::new();
        let mut metaclass = None;
        let mut allows_extra = false;
        if let Some(args) = field!(n, "superclasses") {
            for a in named_children(args) {
                match kind(a) {
                    "keyword_argument" => {
                        let key = field!(a, "name").map(|k| self.text(k));
                        if let Some(v) = field!(a, "value") {
                            let e = self.walk_expr(v);
                            if key == Some("metaclass") {
                                metaclass = Some(e);
                            }
                            if key == Some("extra") {
                                allows_extra |= self.extra_allowed(v);
                            }
                        }
                    }
                    "list_splat" | "dictionary_splat" => {
                        self.walk_expr(a);
                        bases.push(Expr::Unknown);
                    }
                    "comment" => {}
                    _ => bases.push(self.walk_expr(a)),
                }
            }
        }
        let class_id = self.facts.classes.len() as ClassId;
        let parent_scope = self.scope;
        let scope = self.push_scope(ScopeKind::Class(class_id));
        let doc = field!(n, "body").and_then(|b| self.docstring(b));
        self.facts.classes.push(ClassFacts {
            name: name.into(),
            span: span(name_node),
            scope,
            parent_scope,
            bases,
            metaclass,
            decorators: decorators.to_vec(),
            self_attrs: BTreeMap::new(),
            dynamic: false,
            allows_extra,
            from_call: false,
            doc,
        });
        self.bind(name, BindingKind::Class(class_id), name_node);
        let saved = self.scope;
        self.scope = scope;
        if let Some(tp) = field!(n, "type_parameters") {
            self.bind_type_params(tp);
        }
        if let Some(body) = field!(n, "body") {
            self.block(body);
        }
        self.scope = saved;
    }

    /// Whether an `extra=` setting may let instances take any attribute:
    /// anything but a literal `"ignore"` / `"forbid"` (or `Extra.ignore`…).
    pub(super) fn extra_allowed(&self, value: Node) -> bool {
        let word = match kind(value) {
            "string" => self.string_literal(value),
            "attribute" => field!(value, "attribute").map(|a| self.text(a).to_string()),
            _ => None,
        };
        !matches!(word.as_deref(), Some("ignore" | "forbid"))
    }

    /// A class-body assignment that configures the class: `model_config =
    /// ConfigDict(extra="allow")`, `model_config = {"extra": "allow"}`, or
    /// `extra = "allow"` in a nested `class Config:`. A configuration not
    /// written out here (`model_config = BASE`) may allow anything.
    pub(super) fn class_configuration(&mut self, target: &str, value: Node) {
        let Some(class) = self.enclosing_class() else {
            return;
        };
        let mut allows = false;
        if target == "extra" {
            // `class Config: extra = …` configures the class around it.
            let outer = self.facts.classes[class as usize].parent_scope;
            if let ScopeKind::Class(owner) = self.facts.scopes[outer as usize].kind {
                if self.extra_allowed(value) {
                    self.facts.classes[owner as usize].allows_extra = true;
                }
            }
            return;
        }
        match kind(value) {
            "call" => {
                for a in field!(value, "arguments")
                    .map(named_children)
                    .unwrap_or_default()
                {
                    match kind(a) {
                        "keyword_argument" => {
                            let key = field!(a, "name").map(|k| self.text(k));
                            if let (Some("extra"), Some(v)) = (key, field!(a, "value")) {
                                allows |= self.extra_allowed(v);
                            }
                        }
                        "dictionary_splat" => allows = true,
                        _ => {}
                    }
                }
            }
            "dictionary" => {
                for pair in named_children(value) {
                    match kind(pair) {
                        "pair" => {
                            let key = field!(pair, "key").and_then(|k| self.string_literal(k));
                            if let (Some("extra"), Some(v)) =
                                (key.as_deref(), field!(pair, "value"))
                            {
                                allows |= self.extra_allowed(v);
                            }
                        }
                        "dictionary_splat" => allows = true,
                        _ => {}
                    }
                }
            }
            _ => allows = target == "model_config",
        }
        if allows {
            self.facts.classes[class as usize].allows_extra = true;
        }
    }

    pub(super) fn bind_type_params(&mut self, tp: Node) {
        for c in named_children(tp) {
            if let Some(id) = first_identifier(c) {
                let name = self.text(id);
                self.bind(name, BindingKind::Other, id);
            }
        }
    }

    pub(super) fn enclosing_class(&self) -> Option<ClassId> {
        match self.facts.scopes[self.scope as usize].kind {
            ScopeKind::Class(c) => Some(c),
            _ => None,
        }
    }

    pub(super) fn function_def(&mut self, n: Node, decorators: &[String]) {
        let Some(name_node) = field!(n, "name") else {
            return;
        };
        let name = self.text(name_node);
        let is_async = {
            let mut cursor = n.walk();
            let found = n.children(&mut cursor).any(|c| kind(c) == "async");
            found
        };
        let class = self.enclosing_class();
        let func_id = self.facts.functions.len() as FuncId;
        let parent_scope = self.scope;

        // Defaults and annotations are evaluated in the enclosing scope.
        let mut raw_params: Vec<(Node, Option<Expr>, &'static str)> = Vec::new();
        if let Some(params) = field!(n, "parameters") {
            for p in named_children(params) {
                let annotation = field!(p, "type").map(|t| self.annotation_expr(t));
                if let Some(v) = field!(p, "value") {
                    self.walk_expr(v);
                }
                let prefix = match kind(p) {
                    "list_splat_pattern" => "*",
                    "dictionary_splat_pattern" => "**",
                    "typed_parameter" => {
                        let inner = p.named_child(0).map(|c| kind(c));
                        match inner {
                            Some("list_splat_pattern") => "*",
                            Some("dictionary_splat_pattern") => "**",
                            _ => "",
                        }
                    }
                    _ => "",
                };
                raw_params.push((p, annotation, prefix));
            }
        }
        let returns = field!(n, "return_type").map(|t| self.annotation_expr(t));
        let returns_text = field!(n, "return_type").map(|t| squash(self.text(t)));

        let scope = self.push_scope(ScopeKind::Function(func_id));
        let doc = field!(n, "body").and_then(|b| self.docstring(b));
        let is_static = decorators.iter().any(|d| d.ends_with("staticmethod"));
        let is_classmethod = decorators.iter().any(|d| d.ends_with("classmethod"))
            || matches!(name, "__new__" | "__init_subclass__" | "__class_getitem__");
        self.facts.functions.push(FunctionFacts {
            name: name.into(),
            span: span(name_node),
            scope,
            parent_scope,
            class,
            params: Vec::new(),
            returns,
            returns_text,
            return_exprs: Vec::new(),
            decorators: decorators.to_vec(),
            is_async,
            is_generator: false,
            doc,
            getattr_literals: None,
        });
        self.bind(name, BindingKind::Function(func_id), name_node);

        let saved = self.scope;
        self.scope = scope;
        if let Some(tp) = field!(n, "type_parameters") {
            self.bind_type_params(tp);
        }
        let mut params = Vec::new();
        let mut first_positional = true;
        for (p, annotation, prefix) in raw_params {
            let (id_node, default_text) = match kind(p) {
                "identifier" => (Some(p), None),
                "typed_parameter" | "list_splat_pattern" | "dictionary_splat_pattern" => {
                    (first_identifier(p), None)
                }
                "default_parameter" | "typed_default_parameter" => (
                    field!(p, "name"),
                    field!(p, "value").map(|v| squash(self.text(v))),
                ),
                "keyword_separator" => {
                    params.push(Param {
                        name: "".into(),
                        annotation: None,
                        annotation_text: None,
                        default_text: None,
                        prefix: "*".into(),
                    });
                    first_positional = false;
                    continue;
                }
                "positional_separator" => {
                    params.push(Param {
                        name: "".into(),
                        annotation: None,
                        annotation_text: None,
                        default_text: None,
                        prefix: "/".into(),
                    });
                    continue;
                }
                _ => (None, None),
            };
            let Some(id_node) = id_node else { continue };
            if kind(id_node) != "identifier" {
                continue;
            }
            let pname = self.text(id_node);
            let role = if !prefix.is_empty() {
                first_positional = false;
                ParamRole::Variadic
            } else if first_positional && class.is_some() && !is_static {
                first_positional = false;
                let c = class.unwrap_or(0);
                if is_classmethod {
                    ParamRole::ClsOf(c)
                } else {
                    ParamRole::SelfOf(c)
                }
            } else {
                first_positional = false;
                ParamRole::Plain
            };
            let default_none = default_text.as_deref() == Some("None");
            params.push(Param {
                name: pname.into(),
                annotation: annotation.clone(),
                annotation_text: field!(p, "type").map(|t| squash(self.text(t))),
                default_text,
                prefix: prefix.into(),
            });
            self.bind(
                pname,
                BindingKind::Param {
                    annotation,
                    role,
                    default_none,
                },
                id_node,
            );
        }
        self.facts.functions[func_id as usize].params = params;
        if let Some(body) = field!(n, "body") {
            self.block(body);
            if name == "__getattr__" && class.is_none() && parent_scope == MODULE_SCOPE {
                let literals = self.getattr_literals(body);
                self.facts.functions[func_id as usize].getattr_literals = literals;
            }
        }
        self.scope = saved;
    }

    /// A module `__getattr__(name)` whose body is a series of
    /// `if name == "x"` / `if name in ("x", "y")` blocks followed by
    /// `raise AttributeError(...)` provides exactly those names.
    pub(super) fn getattr_literals(&self, body: Node) -> Option<Vec<String>> {
        let stmts: Vec<Node> = named_children(body)
            .into_iter()
            .filter(|c| kind(c) != "comment")
            .collect();
        let (last, rest) = stmts.split_last()?;
        if kind(last) != "raise_statement" || !self.text(*last).contains("AttributeError") {
            return None;
        }
        let mut names = Vec::new();
        for s in rest {
            match kind(s) {
                "expression_statement" if self.docstring_like(*s) => continue,
                "if_statement" => {
                    if field!(s, "alternative").is_some() {
                        return None;
                    }
                    let cond = field!(s, "condition")?;
                    names.extend(self.name_comparison_literals(cond)?);
                }
                _ => return None,
            }
        }
        Some(names)
    }

    pub(super) fn docstring_like(&self, s: Node) -> bool {
        s.named_child(0).is_some_and(|c| kind(c) == "string")
    }

    pub(super) fn name_comparison_literals(&self, cond: Node) -> Option<Vec<String>> {
        match kind(cond) {
            "comparison_operator" => {
                let parts = named_children(cond);
                if parts.len() != 2 {
                    return None;
                }
                let op = {
                    let mut cursor = cond.walk();
                    let ops: Vec<String> = cond
                        .children(&mut cursor)
                        .filter(|c| !c.is_named())
                        .map(|c| self.text(c).to_string())
                        .collect();
                    ops.join(" ")
                };
                let literal_side = if kind(parts[0]) == "identifier" {
                    parts[1]
                } else {
                    parts[0]
                };
                match op.as_str() {
                    "==" => Some(vec![self.string_literal(literal_side)?]),
                    "in" => {
                        let items = named_children(literal_side);
                        if !matches!(kind(literal_side), "tuple" | "list" | "set") {
                            return None;
                        }
                        items.into_iter().map(|i| self.string_literal(i)).collect()
                    }
                    _ => None,
                }
            }
            "boolean_operator" => {
                let l = field!(cond, "left")?;
                let r = field!(cond, "right")?;
                let mut out = self.name_comparison_literals(l)?;
                out.extend(self.name_comparison_literals(r)?);
                Some(out)
            }
            "parenthesized_expression" => self.name_comparison_literals(cond.named_child(0)?),
            _ => None,
        }
    }

    pub(super) fn string_literal(&self, n: Node) -> Option<String> {
        if kind(n) != "string" {
            return None;
        }
        let mut out = String::new();
        for c in named_children(n) {
            match kind(c) {
                "string_start" | "string_end" => {}
                "string_content" => out.push_str(self.text(c)),
                _ => return None,
            }
        }
        Some(out)
    }

    /// An annotation: a name/attribute chain or a quoted dotted name becomes an
    /// expression; anything else (subscripts, unions) is walked and `Unknown`.
    pub(super) fn annotation_expr(&mut self, type_node: Node) -> Expr {
        self.annotation += 1;
        let e = self.annotation_expr_inner(type_node);
        self.annotation -= 1;
        e
    }

    fn annotation_expr_inner(&mut self, type_node: Node) -> Expr {
        let Some(inner) = type_node.named_child(0) else {
            return Expr::Unknown;
        };
        if kind(inner) == "string" {
            if let Some(text) = self.string_literal(inner) {
                return self.dotted_from_string(text.trim(), inner);
            }
            return Expr::Unknown;
        }
        match kind(inner) {
            "identifier" | "attribute" => self.walk_expr(inner),
            "none" => Expr::Literal(Literal::None),
            // `np.ndarray[Any, T]`, `list[int]`: kept as a subscript of the
            // class, which only return types read through (a parameter
            // `list[X]` stays uncertain).
            "subscript" => match self.walk_expr(inner) {
                e @ Expr::Subscript { .. } => e,
                _ => Expr::Unknown,
            },
            "generic_type" => {
                let mut value = Expr::Unknown;
                for c in named_children(inner) {
                    match kind(c) {
                        "identifier" if matches!(value, Expr::Unknown) => value = self.walk_expr(c),
                        "comment" => {}
                        _ => {
                            self.walk_expr(c);
                        }
                    }
                }
                Expr::Subscript {
                    value: Box::new(value),
                }
            }
            _ => {
                self.walk_expr(inner);
                Expr::Unknown
            }
        }
    }

    /// `"pkg.Cls"` in an annotation → a Name/Attr chain (not checked, only evaluated).
    pub(super) fn dotted_from_string(&self, text: &str, at: Node) -> Expr {
        let valid = !text.is_empty()
            && text
                .split('.')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_'));
        if !valid {
            return Expr::Unknown;
        }
        let mut parts = text.split('.');
        let first = parts.next().unwrap_or("");
        let mut expr = Expr::Name {
            name: first.into(),
            scope: self.scope,
            span: span(at),
        };
        for p in parts {
            expr = Expr::Attr {
                base: Box::new(expr),
                attr: p.into(),
                span: span(at),
                guarded: true,
            };
        }
        expr
    }
}
