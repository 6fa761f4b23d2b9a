//! `class` and `def`: scopes, parameters and their roles, decorators,
//! signatures, docstrings, and the `__getattr__` bodies read as tests.

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
                    let what = format!("`class Config: extra = {}`", self.text(value));
                    self.open_site(OpenTarget::Class(owner), value, what);
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
            let what = format!("`{target} = {}`", one_line(self.text(value)));
            self.open_site(OpenTarget::Class(class), value, what);
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
            getattr_body: None,
            always_raises: false,
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
            let f = &self.facts.functions[func_id as usize];
            // A `__getattr__` outside a class (at module level, or nested
            // in a factory that returns it) read as tests on its parameter,
            // unless the body binds the parameter again.
            // So is a one-parameter function nested in another (a factory's
            // product, which a `__getattr__` may hand names to:
            // `return migration(name)` with `migration = make(__name__)`).
            let nested = matches!(
                self.facts.scopes[parent_scope as usize].kind,
                ScopeKind::Function(_)
            ) && f.params.len() == 1;
            let getattr_param = ((name == "__getattr__" || nested) && class.is_none())
                .then(|| f.params.first())
                .flatten()
                .filter(|p| p.prefix.is_empty())
                .map(|p| p.name.clone())
                .filter(|p| {
                    self.facts.scopes[scope as usize]
                        .bindings
                        .get(p)
                        .is_some_and(|b| b.len() == 1)
                });
            let always_raises = !f.is_generator && f.return_exprs.is_empty() && {
                let last = named_children(body)
                    .into_iter()
                    .rev()
                    .find(|c| kind(c) != "comment");
                last.is_some_and(|s| kind(s) == "raise_statement")
            };
            let steps = getattr_param
                .and_then(|p| self.getattr_body(body, &p))
                // A nested function that never tests its parameter says
                // nothing a `__getattr__` could use: not kept.
                .filter(|steps| name == "__getattr__" || steps.iter().any(GetattrStep::tests));
            let f = &mut self.facts.functions[func_id as usize];
            f.getattr_body = steps;
            f.always_raises = always_raises;
        }
        self.scope = saved;
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
                let mut args = Vec::new();
                for c in named_children(inner) {
                    match kind(c) {
                        "identifier" if matches!(value, Expr::Unknown) => value = self.walk_expr(c),
                        "comment" => {}
                        // `tuple[Figure, Axes]`: each item is a type of its own.
                        "type_parameter" => {
                            for t in named_children(c) {
                                match kind(t) {
                                    "type" => args.push(self.annotation_expr_inner(t)),
                                    "comment" => {}
                                    _ => args.push(self.walk_expr(t)),
                                }
                            }
                        }
                        _ => {
                            self.walk_expr(c);
                        }
                    }
                }
                Expr::Subscript {
                    value: Box::new(value),
                    args: args.into_boxed_slice(),
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

/// The first line of a construct's text, cut to a readable length.
pub(super) fn one_line(text: &str) -> String {
    let first = text.lines().next().unwrap_or("");
    let mut out: String = first.chars().take(60).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}
