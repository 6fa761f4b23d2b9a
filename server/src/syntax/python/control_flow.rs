//! Compound statements: `if` with its static guards, `try` (optional imports,
//! AttributeError/NameError handlers), `with`, and `match` patterns.

use super::*;

impl<'s> Builder<'s> {
    pub(super) fn if_statement(&mut self, n: Node) {
        let mut conditions: Vec<Condition> = Vec::new();
        let cond_node = field!(n, "condition");
        let cond = cond_node
            .map(|c| {
                self.walk_expr(c);
                self.condition(c)
            })
            .unwrap_or(Condition::Unknown);
        self.guarded_block(&conditions, cond.clone(), field!(n, "consequence"));
        conditions.push(cond);
        let mut cursor = n.walk();
        let alternatives: Vec<Node> = n
            .children_by_field_name("alternative", &mut cursor)
            .collect();
        for alt in alternatives {
            match kind(alt) {
                "elif_clause" => {
                    let c = field!(alt, "condition")
                        .map(|c| {
                            self.walk_expr(c);
                            self.condition(c)
                        })
                        .unwrap_or(Condition::Unknown);
                    self.guarded_block(&conditions, c.clone(), field!(alt, "consequence"));
                    conditions.push(c);
                }
                "else_clause" => {
                    let negated: Vec<Condition> = conditions
                        .iter()
                        .map(|c| Condition::Not(Box::new(c.clone())))
                        .collect();
                    let all = Condition::And(negated);
                    let saved = self.enter_guard(all, true);
                    if let Some(b) = field!(alt, "body") {
                        self.block(b);
                    }
                    self.leave_guard(saved);
                }
                _ => {}
            }
        }
    }

    pub(super) fn guarded_block(
        &mut self,
        previous: &[Condition],
        cond: Condition,
        body: Option<Node>,
    ) {
        let Some(body) = body else { return };
        let mut parts: Vec<Condition> = previous
            .iter()
            .map(|c| Condition::Not(Box::new(c.clone())))
            .collect();
        let is_type_checking = cond == Condition::TypeChecking;
        parts.push(cond);
        let combined = if parts.len() == 1 {
            parts.pop().unwrap_or(Condition::Unknown)
        } else {
            Condition::And(parts)
        };
        let saved = self.enter_guard(combined, true);
        if is_type_checking {
            self.type_checking += 1;
        }
        self.block(body);
        if is_type_checking {
            self.type_checking -= 1;
        }
        self.leave_guard(saved);
    }

    pub(super) fn try_statement(&mut self, n: Node) {
        let mut catches_import = false;
        let mut catches_attr = false;
        let mut catches_name = false;
        for c in named_children(n) {
            if kind(c) == "except_clause" || kind(c) == "except_group_clause" {
                let caught = c.named_child(0).filter(|v| kind(v) != "block").map(|v| {
                    let v = if kind(v) == "as_pattern" {
                        v.named_child(0).unwrap_or(v)
                    } else {
                        v
                    };
                    self.text(v).to_string()
                });
                match caught {
                    None => {
                        catches_import = true;
                        catches_attr = true;
                        catches_name = true;
                    }
                    Some(t) => {
                        if t.contains("ImportError")
                            || t.contains("ModuleNotFoundError")
                            || t.contains("Exception")
                        {
                            catches_import = true;
                        }
                        if t.contains("AttributeError") || t.contains("BaseException") {
                            catches_attr = true;
                        }
                        if t.contains("NameError") || t.contains("BaseException") {
                            catches_name = true;
                        }
                    }
                }
            }
        }
        let inc = |b: bool| u32::from(b);
        self.try_import += inc(catches_import);
        self.try_attr += inc(catches_attr);
        self.try_name += inc(catches_name);
        if let Some(body) = field!(n, "body") {
            self.block(body);
        }
        self.try_attr -= inc(catches_attr);
        self.try_name -= inc(catches_name);
        // Handlers of an ImportError try are the fallbacks: still guarded.
        for c in named_children(n) {
            match kind(c) {
                "except_clause" | "except_group_clause" => {
                    self.fallback += inc(catches_import);
                    self.except_clause(c);
                    self.fallback -= inc(catches_import);
                }
                "else_clause" => {
                    if let Some(b) = field!(c, "body") {
                        self.block(b);
                    }
                }
                "finally_clause" => {
                    for b in named_children(c) {
                        if kind(b) == "block" {
                            self.block(b);
                        }
                    }
                }
                "comment" => self.comment(c),
                _ => {}
            }
        }
        self.try_import -= inc(catches_import);
    }

    pub(super) fn except_clause(&mut self, c: Node) {
        for part in named_children(c) {
            match kind(part) {
                "block" => self.block(part),
                "as_pattern" => {
                    let value = part.named_child(0);
                    let expr = value.map(|v| self.walk_expr(v)).unwrap_or(Expr::Unknown);
                    if let Some(alias) = field!(part, "alias") {
                        if let Some(id) = first_identifier(alias) {
                            let name = self.text(id);
                            self.bind(name, BindingKind::Except(expr), id);
                        }
                    }
                }
                "comment" => self.comment(part),
                _ => {
                    self.walk_expr(part);
                }
            }
        }
    }

    pub(super) fn with_statement(&mut self, n: Node) {
        for c in named_children(n) {
            match kind(c) {
                "with_clause" => {
                    for item in named_children(c) {
                        if kind(item) != "with_item" {
                            continue;
                        }
                        let Some(mut value) = field!(item, "value") else {
                            continue;
                        };
                        // `with (open(x) as f):`
                        if kind(value) == "parenthesized_expression"
                            && value
                                .named_child(0)
                                .is_some_and(|c| kind(c) == "as_pattern")
                        {
                            value = value.named_child(0).unwrap_or(value);
                        }
                        if kind(value) == "as_pattern" {
                            let expr = value
                                .named_child(0)
                                .map(|v| self.walk_expr(v))
                                .unwrap_or(Expr::Unknown);
                            if let Some(alias) = field!(value, "alias") {
                                match alias.named_child(0) {
                                    Some(id) if kind(id) == "identifier" => {
                                        let name = self.text(id);
                                        self.bind(name, BindingKind::With(expr), id);
                                    }
                                    Some(other) => self.bind_target(other, None),
                                    None => {}
                                }
                            }
                        } else {
                            self.walk_expr(value);
                        }
                    }
                }
                "block" => self.block(c),
                "comment" => self.comment(c),
                _ => {}
            }
        }
    }

    pub(super) fn match_statement(&mut self, n: Node) {
        if let Some(subject) = field!(n, "subject") {
            self.walk_expr(subject);
            if kind(subject) == "identifier" {
                let name = self.text(subject);
                self.facts.scopes[self.scope as usize]
                    .narrowed
                    .insert(name.into());
            }
        }
        let Some(body) = field!(n, "body") else {
            return;
        };
        for case in named_children(body) {
            if kind(case) != "case_clause" {
                continue;
            }
            for part in named_children(case) {
                match kind(part) {
                    "case_pattern" => self.pattern(part),
                    "if_clause" => {
                        for e in named_children(part) {
                            self.walk_expr(e);
                        }
                    }
                    "block" => self.block(part),
                    _ => {}
                }
            }
        }
    }

    pub(super) fn pattern(&mut self, p: Node) {
        match kind(p) {
            "dotted_name" => {
                let parts = named_children(p);
                if parts.len() == 1 {
                    let name = self.text(parts[0]);
                    if name != "_" {
                        self.bind(name, BindingKind::Other, parts[0]);
                    }
                } else {
                    // A value pattern: Color.RED reads Color.
                    self.dotted_load(p);
                }
            }
            "identifier" => {
                let name = self.text(p);
                if name != "_" {
                    self.bind(name, BindingKind::Other, p);
                }
            }
            "class_pattern" => {
                for (i, c) in named_children(p).into_iter().enumerate() {
                    if i == 0 && kind(c) == "dotted_name" {
                        self.dotted_load(c);
                    } else {
                        self.pattern(c);
                    }
                }
            }
            "keyword_pattern" => {
                for (i, c) in named_children(p).into_iter().enumerate() {
                    if i > 0 {
                        self.pattern(c);
                    }
                }
            }
            "as_pattern" => {
                for c in named_children(p) {
                    self.pattern(c);
                }
            }
            "dict_pattern" => {
                let mut cursor = p.walk();
                for (i, c) in p.children(&mut cursor).enumerate() {
                    if p.field_name_for_child(i as u32) == Some("key") {
                        if kind(c) == "dotted_name" {
                            self.dotted_load(c);
                        }
                    } else if c.is_named() {
                        self.pattern(c);
                    }
                }
            }
            "string" | "integer" | "float" | "true" | "false" | "none" | "concatenated_string" => {}
            _ => {
                for c in named_children(p) {
                    self.pattern(c);
                }
            }
        }
    }

    /// A dotted name in a load position (class patterns, value patterns).
    pub(super) fn dotted_load(&mut self, n: Node) {
        let parts = named_children(n);
        let Some(first) = parts.first() else { return };
        let mut expr = self.name_load(*first);
        for p in &parts[1..] {
            expr = Expr::Attr {
                base: Box::new(expr),
                attr: self.text(*p).into(),
                span: span(*p),
                guarded: false,
            };
        }
        self.record_ref(expr);
    }
}
