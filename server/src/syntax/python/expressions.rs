//! Expressions in load context: attribute chains to check, free names,
//! calls with their special arguments, comprehensions and lambdas.

use super::*;

impl<'s> Builder<'s> {
    /// Walk an expression in load context: records its attribute chains and free
    /// names, and returns it as an [`Expr`].
    pub(super) fn walk_expr(&mut self, n: Node) -> Expr {
        let e = self.build(n);
        self.record_ref(e.clone());
        e
    }

    /// Like `walk_expr`, but for a node that was already walked.
    pub(super) fn expr_no_ref(&mut self, n: Node) -> Expr {
        let saved_refs = self.facts.attr_refs.len();
        let saved_names = self.pending_names.len();
        let e = self.build(n);
        self.facts.attr_refs.truncate(saved_refs);
        self.pending_names.truncate(saved_names);
        e
    }

    pub(super) fn record_ref(&mut self, e: Expr) {
        if contains_attr(&e) {
            self.facts.attr_refs.push(AttrRef {
                expr: e,
                guard: self.current_guard,
                in_try_attr: self.try_attr > 0,
                in_annotation: self.annotation > 0,
            });
        }
    }

    pub(super) fn name_load(&mut self, id: Node) -> Expr {
        let name = self.text(id);
        // Already bound where it is read: it can only stay bound. Only the
        // rest waits for the end of the file to be resolved.
        // A MISSING identifier (error recovery's placeholder) names nothing.
        if !name.is_empty() && self.facts.binding_scope(self.scope, name).is_none() {
            self.pending_names.push(PendingName {
                name: name.into(),
                scope: self.scope,
                span: span(id),
                guard: self.current_guard,
                in_try_name: self.try_name > 0,
            });
        }
        Expr::Name {
            name: name.into(),
            scope: self.scope,
            span: span(id),
        }
    }

    /// Inside a `__setstate__`: unpickling restores the attributes the
    /// object had when it was pickled, which its class sets elsewhere, so
    /// writing them there adds none.
    fn in_setstate(&self) -> bool {
        self.facts
            .enclosing_function(self.scope)
            .is_some_and(|f| &*self.facts.functions[f as usize].name == "__setstate__")
    }

    /// Build the chain expression for a primary; sub-expressions that are not
    /// part of the chain are walked independently.
    pub(super) fn build(&mut self, n: Node) -> Expr {
        match kind(n) {
            "identifier" => self.name_load(n),
            "attribute" => {
                let base = field!(n, "object")
                    .map(|o| self.build(o))
                    .unwrap_or(Expr::Unknown);
                let Some(attr) = field!(n, "attribute") else {
                    return Expr::Unknown;
                };
                Expr::Attr {
                    base: Box::new(base),
                    attr: self.text(attr).into(),
                    span: span(attr),
                    guarded: false,
                }
            }
            "call" => {
                let func_node = field!(n, "function");
                let func = func_node.map(|f| self.build(f)).unwrap_or(Expr::Unknown);
                let mut builds = None;
                let mut no_args = false;
                let mut module_name_arg = false;
                if let Some(args) = field!(n, "arguments") {
                    let given: Vec<Node> = named_children(args)
                        .into_iter()
                        .filter(|c| kind(*c) != "comment")
                        .collect();
                    no_args = kind(args) == "argument_list" && given.is_empty();
                    module_name_arg = matches!(given.as_slice(),
                        [one] if kind(*one) == "identifier" && self.text(*one) == "__name__");
                    self.call_arguments(&func, args);
                    builds = self.functional_class(&func, args);
                }
                Expr::Call {
                    func: Box::new(func),
                    builds,
                    no_args,
                    module_name_arg,
                }
            }
            "subscript" => {
                let value = field!(n, "value")
                    .map(|v| self.build(v))
                    .unwrap_or(Expr::Unknown);
                let mut cursor = n.walk();
                let subs: Vec<Node> = n.children_by_field_name("subscript", &mut cursor).collect();
                let mut args = Vec::new();
                let mut typelike = matches!(value, Expr::Name { .. } | Expr::Attr { .. });
                for s in subs {
                    let e = self.walk_expr(s);
                    typelike &= matches!(
                        e,
                        Expr::Name { .. } | Expr::Attr { .. } | Expr::Subscript { .. }
                    ) || matches!(kind(s), "none" | "ellipsis");
                    args.push(e);
                }
                if !typelike {
                    args.clear();
                }
                Expr::Subscript {
                    value: Box::new(value),
                    args: args.into_boxed_slice(),
                }
            }
            "parenthesized_expression" => match n.named_child(0) {
                Some(inner) if n.named_child_count() == 1 => self.build(inner),
                _ => {
                    self.walk_children(n);
                    Expr::Unknown
                }
            },
            "string" => {
                self.walk_children(n);
                Expr::Literal(
                    if self
                        .text(n)
                        .trim_start_matches(['r', 'R', 'f', 'F'])
                        .starts_with(['b', 'B'])
                    {
                        Literal::Bytes
                    } else {
                        Literal::Str
                    },
                )
            }
            "concatenated_string" => {
                self.walk_children(n);
                Expr::Literal(Literal::Str)
            }
            "integer" => Expr::Literal(Literal::Int),
            "float" => Expr::Literal(if self.text(n).ends_with(['j', 'J']) {
                Literal::Complex
            } else {
                Literal::Float
            }),
            "true" | "false" => Expr::Literal(Literal::Bool),
            "none" => Expr::Literal(Literal::None),
            "list" => {
                self.walk_children(n);
                Expr::Literal(Literal::List)
            }
            "tuple" => {
                self.walk_children(n);
                Expr::Literal(Literal::Tuple)
            }
            "dictionary" => {
                self.walk_children(n);
                Expr::Literal(Literal::Dict)
            }
            "set" => {
                self.walk_children(n);
                Expr::Literal(Literal::Set)
            }
            "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension"
            | "generator_expression" => {
                self.comprehension(n);
                match kind(n) {
                    "list_comprehension" => Expr::Literal(Literal::List),
                    "set_comprehension" => Expr::Literal(Literal::Set),
                    "dictionary_comprehension" => Expr::Literal(Literal::Dict),
                    _ => Expr::Unknown,
                }
            }
            "lambda" => {
                self.lambda(n);
                Expr::Unknown
            }
            "named_expression" => {
                let value = field!(n, "value")
                    .map(|v| self.walk_expr(v))
                    .unwrap_or(Expr::Unknown);
                if let Some(name) = field!(n, "name") {
                    let target = self.nearest_non_comprehension();
                    let text = self.text(name);
                    let saved = self.scope;
                    self.scope = target;
                    self.bind(text, BindingKind::Assign(value.clone()), name);
                    self.scope = saved;
                }
                value
            }
            "keyword_argument" => {
                if let Some(v) = field!(n, "value") {
                    self.walk_expr(v);
                }
                Expr::Unknown
            }
            "yield" => {
                if let Some(f) = self.facts.enclosing_function(self.scope) {
                    self.facts.functions[f as usize].is_generator = true;
                }
                self.walk_children(n);
                Expr::Unknown
            }
            "await" => {
                self.walk_children(n);
                Expr::Unknown
            }
            "boolean_operator" => {
                // `sys.platform == "java" and sys.registry…`: the right side
                // only runs when the left side allows it.
                let (Some(left), Some(right)) = (field!(n, "left"), field!(n, "right")) else {
                    self.walk_children(n);
                    return Expr::Unknown;
                };
                self.walk_expr(left);
                let cond = self.condition(left);
                let is_and = field!(n, "operator").is_some_and(|o| self.text(o) == "and");
                if cond == Condition::Unknown {
                    self.walk_expr(right);
                } else {
                    let saved = self.enter_guard(cond, is_and);
                    self.walk_expr(right);
                    self.leave_guard(saved);
                }
                Expr::Unknown
            }
            "ERROR" => {
                self.note_error(n);
                self.walk_children(n);
                Expr::Unknown
            }
            "comment" => {
                self.comment(n);
                Expr::Unknown
            }
            _ => {
                self.walk_children(n);
                Expr::Unknown
            }
        }
    }

    pub(super) fn walk_children(&mut self, n: Node) {
        for c in named_children(n) {
            match kind(c) {
                "comment" => self.comment(c),
                "string_start" | "string_content" | "string_end" | "escape_sequence"
                | "type_conversion" | "ellipsis" => {}
                "keyword_argument" => {
                    if let Some(v) = field!(c, "value") {
                        self.walk_expr(v);
                    }
                }
                "pair" => {
                    for cc in named_children(c) {
                        self.walk_expr(cc);
                    }
                }
                _ => {
                    self.walk_expr(c);
                }
            }
        }
    }

    pub(super) fn call_arguments(&mut self, func: &Expr, args: Node) {
        if kind(args) == "generator_expression" {
            // f(x for x in xs): the generator is the only argument.
            self.walk_expr(args);
            return;
        }
        let callee = func.dotted();
        let callee = callee.as_deref().unwrap_or("");
        let arg_nodes: Vec<Node> = named_children(args)
            .into_iter()
            .filter(|c| kind(c) != "comment")
            .collect();
        match callee {
            "isinstance" | "issubclass" | "hasattr" | "callable" | "type" | "getattr" => {
                if let Some(first) = arg_nodes.first() {
                    // hasattr/getattr guard one attribute, not the whole name.
                    let narrows = !matches!(callee, "hasattr" | "getattr" | "callable");
                    if narrows && kind(first) == "identifier" {
                        let name = self.text(*first);
                        self.facts.scopes[self.scope as usize]
                            .narrowed
                            .insert(name.into());
                    }
                    if matches!(callee, "hasattr" | "getattr") {
                        let attr = arg_nodes.get(1).and_then(|a| self.string_literal(*a));
                        if let Some(attr) = attr {
                            let base = squash(self.text(*first));
                            self.hasattr_pairs.insert((base, attr));
                        }
                    }
                }
            }
            _ if callee.ends_with(".__setattr__") => {
                // object.__setattr__(self, "x", v) / super().__setattr__("x", v):
                // a literal name is a member; anything else makes the class dynamic.
                let on_super = callee == "super.__setattr__";
                let (target, name_arg) = if on_super {
                    (None, arg_nodes.first())
                } else {
                    (arg_nodes.first(), arg_nodes.get(1))
                };
                let class = match target {
                    Some(t) => self.self_class_of(self.text(*t)),
                    None => self
                        .facts
                        .enclosing_function(self.scope)
                        .and_then(|f| self.facts.functions[f as usize].class),
                };
                if let Some(c) = class {
                    match name_arg.and_then(|a| self.string_literal(*a)) {
                        Some(name) => {
                            self.facts.classes[c as usize]
                                .self_attrs
                                .entry(name.as_str().into())
                                .or_default()
                                .push(Expr::Unknown);
                        }
                        None => {
                            self.facts.classes[c as usize].dynamic = true;
                            let what = format!("`{callee}` of a computed name");
                            self.open_site(OpenTarget::Class(c), args, what);
                        }
                    }
                }
            }
            "setattr" | "delattr" => {
                if let Some(first) = arg_nodes.first() {
                    let t = self.text(*first);
                    let what = format!("`{callee}({t}, …)`");
                    let restoring = self.in_setstate();
                    if let Some(c) = self.self_class_of(t) {
                        if !restoring {
                            self.facts.classes[c as usize].dynamic = true;
                            self.open_site(OpenTarget::Class(c), args, what);
                        }
                    } else if t.starts_with("sys.modules[") {
                        self.facts.dynamic.setattr_self = true;
                        self.open_site(OpenTarget::Module, args, what);
                    } else if kind(first) == "identifier" {
                        // setattr(SomeClass, …): the class named here gains members.
                        match self.class_named(t) {
                            Some(Named::Here(c)) => {
                                self.facts.classes[c as usize].dynamic = true;
                                self.open_site(OpenTarget::Class(c), args, what);
                            }
                            Some(Named::Before(i)) => {
                                let row = args.start_position().row as u32;
                                let effect = chunks::ClassEffect::Dynamic(row, what.into());
                                self.class_before(t, i, effect)
                            }
                            None => {}
                        }
                    }
                }
            }
            "locals" | "vars" | "exec" | "eval" => {
                self.facts.scopes[self.scope as usize].dynamic_names = true;
                let scope = self.scope;
                self.open_site(OpenTarget::Scope(scope), args, format!("`{callee}()`"));
                if callee == "vars" {
                    if let Some(first) = arg_nodes.first() {
                        if let Some(c) = self.self_class_of(self.text(*first)) {
                            if !self.in_setstate() {
                                self.facts.classes[c as usize].dynamic = true;
                                self.open_site(OpenTarget::Class(c), args, "`vars(self)`");
                            }
                        }
                    }
                }
            }
            _ => {
                if callee.ends_with("__dict__.update") || callee.ends_with("__dict__.setdefault") {
                    if let Some(Expr::Attr { base, .. }) = match func {
                        Expr::Attr { base, .. } => Some(base.as_ref()),
                        _ => None,
                    } {
                        if let Some(root) = base.dotted() {
                            if let Some(c) = self.self_class_of(&root) {
                                if !self.in_setstate() {
                                    self.facts.classes[c as usize].dynamic = true;
                                    let what = format!("`{callee}(…)`");
                                    self.open_site(OpenTarget::Class(c), args, what);
                                }
                            }
                        }
                    }
                    if callee == "globals().update" {
                        self.facts.dynamic.globals_write = true;
                        self.open_site(OpenTarget::Module, args, "`globals().update(…)`");
                    }
                }
                if ["append", "insert", "extend"].iter().any(|m| {
                    callee
                        .strip_suffix(m)
                        .is_some_and(|c| c.ends_with("meta_path."))
                }) {
                    self.facts.dynamic.meta_path_finder = true;
                }
                if callee == "globals.update" || callee == "globals.setdefault" {
                    self.facts.dynamic.globals_write = true;
                    self.open_site(OpenTarget::Module, args, format!("`{callee}(…)`"));
                }
                if self.scope == MODULE_SCOPE
                    && (callee == "__all__.extend" || callee == "__all__.append")
                {
                    let extra = arg_nodes.first().and_then(|a| {
                        if callee == "__all__.append" {
                            self.string_literal(*a).map(|s| vec![s])
                        } else {
                            self.string_list(*a)
                        }
                    });
                    if let (Some(all), Some(extra)) = (&mut self.facts.all, extra) {
                        all.extend(extra);
                    }
                }
            }
        }
        self.note_collection_call(func);
        // `globals()["x"] = …` is handled at the assignment; `globals().update`:
        if let Expr::Attr { base, attr, .. } = func {
            if matches!(&**attr, "update" | "setdefault" | "__setitem__") {
                if let Expr::Call { func: inner, .. } = base.as_ref() {
                    if inner.dotted().as_deref() == Some("globals") {
                        self.facts.dynamic.globals_write = true;
                        let what = format!("`globals().{attr}(…)`");
                        self.open_site(OpenTarget::Module, args, what);
                    }
                }
            }
        }
        for a in arg_nodes {
            self.walk_expr(a);
        }
    }

    pub(super) fn comprehension(&mut self, n: Node) {
        let clauses = named_children(n);
        // The first iterable is evaluated in the enclosing scope.
        let mut first_iter_done = false;
        if let Some(first_for) = clauses.iter().find(|c| kind(*c) == "for_in_clause") {
            if let Some(right) = field!(first_for, "right") {
                self.walk_expr(right);
                first_iter_done = true;
            }
        }
        let scope = self.push_scope(ScopeKind::Comprehension);
        let saved = self.scope;
        self.scope = scope;
        let mut first = true;
        for c in &clauses {
            if kind(c) == "for_in_clause" {
                if let Some(left) = field!(c, "left") {
                    self.bind_target(left, None);
                }
                if !(first && first_iter_done) {
                    if let Some(right) = field!(c, "right") {
                        self.walk_expr(right);
                    }
                }
                first = false;
            }
        }
        for c in &clauses {
            match kind(c) {
                "for_in_clause" => {}
                "if_clause" => {
                    for e in named_children(*c) {
                        self.walk_expr(e);
                    }
                }
                "pair" => {
                    for e in named_children(*c) {
                        self.walk_expr(e);
                    }
                }
                "comment" => {}
                _ => {
                    self.walk_expr(*c);
                }
            }
        }
        self.scope = saved;
    }

    pub(super) fn lambda(&mut self, n: Node) {
        let params = field!(n, "parameters");
        if let Some(params) = params {
            for p in named_children(params) {
                if let Some(v) = field!(p, "value") {
                    self.walk_expr(v);
                }
            }
        }
        let scope = self.push_scope(ScopeKind::Lambda);
        let saved = self.scope;
        self.scope = scope;
        if let Some(params) = params {
            for p in named_children(params) {
                let id = match kind(p) {
                    "identifier" => Some(p),
                    "default_parameter" => field!(p, "name"),
                    _ => first_identifier(p),
                };
                if let Some(id) = id {
                    let name = self.text(id);
                    self.bind(name, BindingKind::Other, id);
                }
            }
        }
        if let Some(body) = field!(n, "body") {
            self.walk_expr(body);
        }
        self.scope = saved;
    }
}
