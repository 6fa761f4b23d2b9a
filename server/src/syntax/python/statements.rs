//! Simple statements: assignments and the bindings they make, `del`,
//! `global`/`nonlocal`, and the statement dispatcher.

use super::*;

impl<'s> Builder<'s> {
    pub(super) fn statement(&mut self, n: Node) {
        match kind(n) {
            "comment" => self.comment(n),
            "ERROR" => {
                self.note_error(n);
                // Salvage what is inside: statements or expressions.
                for c in named_children(n) {
                    self.statement(c);
                }
            }
            "import_statement" => self.import_statement(n),
            "import_from_statement" => self.import_from(n),
            "future_import_statement" => {}
            "class_definition" => self.class_def(n, &[]),
            "function_definition" => self.function_def(n, &[]),
            "decorated_definition" => self.decorated(n),
            "expression_statement" => {
                for c in named_children(n) {
                    self.expression_statement_item(c);
                }
            }
            "if_statement" => self.if_statement(n),
            "for_statement" => {
                if let Some(right) = field!(n, "right") {
                    self.walk_expr(right);
                }
                if let Some(left) = field!(n, "left") {
                    self.bind_target(left, None);
                }
                let looped = self.literal_loop(n);
                let pushed = looped.is_some();
                self.literal_loops.extend(looped);
                self.children_blocks(n, &["body", "alternative"]);
                if pushed {
                    self.literal_loops.pop();
                }
            }
            "while_statement" => {
                if let Some(c) = field!(n, "condition") {
                    self.walk_expr(c);
                }
                self.children_blocks(n, &["body", "alternative"]);
            }
            "try_statement" => self.try_statement(n),
            "with_statement" => self.with_statement(n),
            "match_statement" => self.match_statement(n),
            "return_statement" => {
                let value = n.named_child(0).filter(|c| kind(c) != "comment");
                let expr = value.map(|v| self.walk_expr(v));
                if let Some(f) = self.facts.enclosing_function(self.scope) {
                    let expr = expr.unwrap_or(Expr::Literal(Literal::None));
                    self.facts.functions[f as usize].return_exprs.push(expr);
                }
            }
            "global_statement" | "nonlocal_statement" => {
                let global = kind(n) == "global_statement";
                let target = if global {
                    Some(MODULE_SCOPE)
                } else {
                    let mut p = self.facts.scopes[self.scope as usize].parent;
                    while let Some(id) = p {
                        if matches!(self.facts.scopes[id as usize].kind, ScopeKind::Function(_)) {
                            break;
                        }
                        p = self.facts.scopes[id as usize].parent;
                    }
                    p
                };
                if let Some(target) = target {
                    for c in named_children(n) {
                        if kind(c) == "identifier" {
                            let name = self.text(c);
                            let sentinel = Binding {
                                kind: BindingKind::Other,
                                guard: 0,
                                in_try_import: false,
                                in_fallback: false,
                                span: Span {
                                    start_row: u32::MAX,
                                    end_row: target,
                                    ..Span::default()
                                },
                            };
                            self.facts.scopes[self.scope as usize]
                                .bindings
                                .entry(name.into())
                                .or_default()
                                .push(sentinel);
                            self.declarations.insert((self.scope, name.into()), target);
                        }
                    }
                }
            }
            "delete_statement" => {
                for c in named_children(n) {
                    self.delete_target(c);
                }
            }
            "type_alias_statement" => {
                if let Some(left) = field!(n, "left") {
                    if let Some(id) = first_identifier(left) {
                        let name = self.text(id);
                        self.bind(name, BindingKind::Other, id);
                    }
                }
            }
            "pass_statement" | "break_statement" | "continue_statement" => {}
            "block" => self.block(n),
            _ => {
                // raise, assert, print (py2), exec … : walk their expressions.
                for c in named_children(n) {
                    if kind(c) == "comment" {
                        self.comment(c);
                    } else if kind(c) == "block" {
                        self.block(c);
                    } else {
                        self.walk_expr(c);
                    }
                }
            }
        }
    }

    pub(super) fn delete_target(&mut self, c: Node) {
        match kind(c) {
            "identifier" => {}
            "expression_list" | "tuple" | "list" => {
                for cc in named_children(c) {
                    self.delete_target(cc);
                }
            }
            "attribute" => {
                if let Some(obj) = field!(c, "object") {
                    self.walk_expr(obj);
                }
            }
            "subscript" => {
                self.note_collection_store(c);
                self.walk_expr(c);
            }
            _ => {
                self.walk_expr(c);
            }
        }
    }

    pub(super) fn children_blocks(&mut self, n: Node, fields: &[&str]) {
        for f in fields {
            if let Some(c) = n.child_by_field_name(f) {
                match kind(c) {
                    "block" => self.block(c),
                    "else_clause" => {
                        if let Some(b) = field!(c, "body") {
                            self.block(b)
                        }
                    }
                    _ => self.statement(c),
                }
            }
        }
    }

    pub(super) fn expression_statement_item(&mut self, c: Node) {
        match kind(c) {
            "assignment" => self.assignment(c),
            "augmented_assignment" => self.augmented(c),
            "comment" => self.comment(c),
            "string" if self.facts.doc.is_some() || self.scope != MODULE_SCOPE => {
                self.walk_expr(c);
            }
            _ => {
                self.walk_expr(c);
            }
        }
    }

    pub(super) fn assignment(&mut self, n: Node) {
        let left = field!(n, "left");
        let right = field!(n, "right");
        let ty = field!(n, "type");
        let value = right.map(|r| {
            if kind(r) == "assignment" {
                // a = b = value: the inner assignment binds b; a gets the same value.
                self.assignment(r);
                field!(r, "right")
                    .map(|v| self.expr_no_ref(v))
                    .unwrap_or(Expr::Unknown)
            } else {
                self.walk_expr(r)
            }
        });
        let annotation = ty.map(|t| self.annotation_expr(t));
        let Some(left) = left else { return };
        // __all__ = [...]
        if self.scope == MODULE_SCOPE && kind(left) == "identifier" && self.text(left) == "__all__"
        {
            self.facts.all = right.and_then(|r| self.string_list(r));
            self.all_set = true;
        }
        if kind(left) == "subscript" {
            self.sys_modules_assignment(left, value.as_ref());
        }
        if let Some(r) = right.filter(|r| kind(r) != "assignment") {
            self.note_literal_collection(left, r);
        }
        if kind(left) == "identifier" && self.text(left) == "__slots__" {
            if let (Some(class), Some(right)) = (self.enclosing_class(), right) {
                self.slots(class, right);
            }
        }
        if let (true, Some(right)) = (kind(left) == "identifier", right) {
            let target = self.text(left);
            if target == "extra" || target.ends_with("config") {
                self.class_configuration(target, right);
            }
        }
        match (annotation, value) {
            (Some(annotation), value) if kind(left) == "identifier" => {
                let name = self.text(left);
                self.bind(name, BindingKind::Annotated { annotation, value }, left);
            }
            (annotation, value) => {
                let value = if annotation.is_some() {
                    annotation
                } else {
                    value
                };
                self.bind_target(left, value);
            }
        }
    }

    /// `__slots__ = ("a", "b")` in a class body: each slot is a member of
    /// the instances, whoever sets it (`object.__setattr__`, a helper). The
    /// parts not written as literals (`date.__slots__ + ("x",)`) add
    /// nothing: their names are set by `self.x = …`, or by name, which
    /// makes the class dynamic.
    fn slots(&mut self, class: ClassId, right: Node) {
        let mut names = Vec::new();
        self.slot_names(right, &mut names);
        let class = &mut self.facts.classes[class as usize];
        for name in names {
            class
                .self_attrs
                .entry(name.as_str().into())
                .or_default()
                .push(Expr::Unknown);
        }
    }

    fn slot_names(&self, n: Node, out: &mut Vec<String>) {
        match kind(n) {
            "string" => out.extend(self.string_literal(n)),
            "list" | "tuple" | "expression_list" | "set" => {
                for c in named_children(n) {
                    out.extend(self.string_literal(c));
                }
            }
            "dictionary" => {
                for pair in named_children(n) {
                    if let Some(key) = (kind(pair) == "pair")
                        .then(|| field!(pair, "key"))
                        .flatten()
                    {
                        out.extend(self.string_literal(key));
                    }
                }
            }
            "binary_operator" | "parenthesized_expression" => {
                for c in named_children(n) {
                    self.slot_names(c, out);
                }
            }
            _ => {}
        }
    }

    pub(super) fn sys_modules_assignment(&mut self, left: Node, value: Option<&Expr>) {
        let Some(obj) = field!(left, "value") else {
            return;
        };
        if self.text(obj) != "sys.modules" {
            return;
        }
        let Some(key) = field!(left, "subscript") else {
            return;
        };
        if self.text(key) == "__name__" {
            self.facts.dynamic.sys_modules_self = true;
            self.open_site(OpenTarget::Module, left, "`sys.modules[__name__] = …`");
        } else if let (Some(name), Some(value)) = (self.string_literal(key), value) {
            self.facts.sys_modules_aliases.push((name, value.clone()));
        }
    }

    pub(super) fn augmented(&mut self, n: Node) {
        let left = field!(n, "left");
        if left.is_some_and(|l| self.text(l).ends_with("meta_path")) {
            self.facts.dynamic.meta_path_finder = true;
        }
        if let Some(r) = field!(n, "right") {
            let is_all = self.scope == MODULE_SCOPE
                && left.is_some_and(|l| kind(l) == "identifier" && self.text(l) == "__all__");
            if is_all {
                match self.string_list(r) {
                    Some(extra) => {
                        if let Some(all) = &mut self.facts.all {
                            all.extend(extra)
                        }
                    }
                    None => {
                        // `__all__ += submodule.__all__`: keep what we know; names
                        // from elsewhere are still bound in the module.
                    }
                }
            }
            self.walk_expr(r);
        }
        if let Some(left) = left {
            if kind(left) == "identifier" {
                // Reads the name too.
                self.walk_expr(left);
                let name = self.text(left);
                self.bind(name, BindingKind::Other, left);
            } else {
                self.bind_target(left, None);
            }
        }
    }

    pub(super) fn string_list(&self, n: Node) -> Option<Vec<String>> {
        match kind(n) {
            "list" | "tuple" | "expression_list" => named_children(n)
                .into_iter()
                .filter(|c| kind(c) != "comment")
                .map(|c| self.string_literal(c))
                .collect(),
            "binary_operator" => {
                let mut l = self.string_list(field!(n, "left")?)?;
                l.extend(self.string_list(field!(n, "right")?)?);
                Some(l)
            }
            "parenthesized_expression" => self.string_list(n.named_child(0)?),
            _ => None,
        }
    }

    /// Bind an assignment target (a name, a tuple of targets, an attribute…).
    pub(super) fn bind_target(&mut self, target: Node, value: Option<Expr>) {
        match kind(target) {
            "identifier" => {
                let name = self.text(target);
                let kind = match value {
                    Some(v) => BindingKind::Assign(v),
                    None => BindingKind::Other,
                };
                self.bind(name, kind, target);
            }
            "pattern_list"
            | "tuple_pattern"
            | "list_pattern"
            | "expression_list"
            | "tuple"
            | "list"
            | "parenthesized_expression" => {
                let parenthesized_single =
                    kind(target) == "parenthesized_expression" && target.named_child_count() == 1;
                let items = named_children(target);
                // `fig, ax = plt.subplots()`: each name is an item of what the
                // call returns (a declared `tuple[...]` says which).
                if let (false, Some(call @ Expr::Call { .. })) = (parenthesized_single, &value) {
                    if items.iter().all(|c| kind(*c) == "identifier") {
                        let count = items.len() as u32;
                        for (index, c) in items.into_iter().enumerate() {
                            let kind = BindingKind::Unpack {
                                value: call.clone(),
                                index: index as u32,
                                count,
                            };
                            self.bind(self.text(c), kind, c);
                        }
                        return;
                    }
                }
                for c in items {
                    let v = if parenthesized_single {
                        value.clone()
                    } else {
                        None
                    };
                    self.bind_target(c, v);
                }
            }
            "list_splat_pattern" | "list_splat" => {
                for c in named_children(target) {
                    self.bind_target(c, None);
                }
            }
            "attribute" => self.attribute_store(target, value),
            "subscript" => {
                self.note_collection_store(target);
                if let Some(v) = field!(target, "value") {
                    let e = self.walk_expr(v);
                    if let Expr::Call { func, .. } = &e {
                        // `vars()` and `locals()` are `globals()` at module level.
                        let namespace = match func.dotted().as_deref() {
                            Some("globals") => true,
                            Some("vars" | "locals") => self.scope == MODULE_SCOPE,
                            _ => false,
                        };
                        if namespace {
                            self.globals_store(field!(target, "subscript"));
                        }
                    }
                }
                if let Some(s) = field!(target, "subscript") {
                    self.walk_expr(s);
                }
            }
            "comment" => self.comment(target),
            _ => {
                self.walk_expr(target);
            }
        }
    }

    /// `obj.attr = value`: records `self.x` members; checks the base chain only.
    pub(super) fn attribute_store(&mut self, target: Node, value: Option<Expr>) {
        let (Some(obj), Some(attr)) = (field!(target, "object"), field!(target, "attribute"))
        else {
            return;
        };
        let attr_name = self.text(attr);
        if kind(obj) == "identifier" {
            let base = self.text(obj);
            if let Some(class) = self.self_class_of(base) {
                if attr_name == "__dict__" {
                    self.facts.classes[class as usize].dynamic = true;
                    let what = format!("`{base}.__dict__ = …`");
                    self.open_site(OpenTarget::Class(class), target, what);
                    return;
                }
                let entry = self.facts.classes[class as usize]
                    .self_attrs
                    .entry(attr_name.into())
                    .or_default();
                entry.push(value.unwrap_or(Expr::Unknown));
                // Still record the name read (self is always bound).
                return;
            }
        }
        if attr_name == "__dict__" {
            return;
        }
        if kind(obj) == "identifier" {
            // `Cls.attr = value` after the class body adds a class attribute.
            let value = value.unwrap_or(Expr::Unknown);
            match self.class_named(self.text(obj)) {
                Some(Named::Here(class)) => {
                    self.facts.classes[class as usize]
                        .self_attrs
                        .entry(attr_name.into())
                        .or_default()
                        .push(value);
                }
                Some(Named::Before(i)) => {
                    let effect = chunks::ClassEffect::Attr(attr_name.into(), value);
                    self.class_before(self.text(obj), i, effect);
                }
                None => {}
            }
        }
        // `other.attr = v`: objects of some class get `attr` from outside.
        self.facts.foreign_attr_stores.insert(attr_name.into());
        // The base must exist; the attribute itself is being created.
        self.walk_expr(obj);
    }

    /// When `name` is the `self`/`cls` parameter of a method (or of a function
    /// nested in one), the class it belongs to.
    pub(super) fn self_class_of(&self, name: &str) -> Option<ClassId> {
        let scope_id = self.facts.binding_scope(self.scope, name)?;
        let bindings = self.facts.scopes[scope_id as usize].bindings.get(name)?;
        // Only the first few bindings: a parameter or `self = …__new__` comes
        // first, and a name rebound thousands of times must stay O(1).
        bindings.iter().take(4).find_map(|b| match &b.kind {
            BindingKind::Param {
                role: ParamRole::SelfOf(c) | ParamRole::ClsOf(c),
                ..
            } => Some(*c),
            // `self = super().__new__(cls)` in `__new__`: the instance being built.
            BindingKind::Assign(Expr::Call { func, .. }) if is_new_call(func) => {
                let f = self.facts.enclosing_function(scope_id)?;
                self.facts.functions[f as usize].class
            }
            _ => None,
        })
    }

    /// The class a name is bound to by a `class` statement in a visible scope.
    pub(super) fn class_named(&mut self, name: &str) -> Option<Named> {
        let scope = self.facts.binding_scope(self.scope, name);
        let class = |b: &Binding| match b.kind {
            BindingKind::Class(c) => Some(c),
            _ => None,
        };
        let module_level = scope.is_none_or(|s| s == MODULE_SCOPE);
        let Some(chunk) = self.chunk.as_mut().filter(|_| module_level) else {
            let bindings = self.facts.scopes[scope? as usize].bindings.get(name)?;
            return bindings.iter().take(4).find_map(class).map(Named::Here);
        };
        // In a chunk, the module-level bindings of the chunks before come
        // first (the first four bindings are looked at).
        let (before, classes) = chunk.earlier(name);
        if let Some(i) = (0..before).find(|i| classes & (1 << i) != 0) {
            return Some(Named::Before(i));
        }
        self.facts.scopes[MODULE_SCOPE as usize]
            .bindings
            .get(name)?
            .iter()
            .take(4 - before as usize)
            .find_map(class)
            .map(Named::Here)
    }
}
