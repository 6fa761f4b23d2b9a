//! Function bodies: the names they bind, the types of their variables when
//! certain, and the paths, method calls and bare calls they make.

use tree_sitter::Node;

use super::facts::*;
use super::{named_children, rfield, span, Builder};

impl<'s> Builder<'s> {
    /// A function's body in a scope of its own (parameters, generics).
    pub(super) fn fn_body(
        &mut self,
        f: Node,
        body: Node,
        module: ModuleId,
        parent: Option<ScopeId>,
        self_ty: Option<TypeRef>,
    ) {
        let scope = self.new_scope(parent, module);
        if let Some(s) = self.facts.scopes.get_mut(scope as usize) {
            s.self_ty = self_ty;
        }
        self.generics(f, Some(scope));
        if let Some(params) = rfield!(f, "parameters") {
            for p in named_children(params) {
                match p.kind() {
                    "parameter" => {
                        let ty = rfield!(p, "type");
                        let declared = ty.and_then(|t| self.param_type(t));
                        if let Some(pat) = rfield!(p, "pattern") {
                            if pat.kind() == "identifier" {
                                let name = self.text(pat).to_string();
                                self.type_local(
                                    Some(scope),
                                    &name,
                                    declared.map(VarType::Declared),
                                );
                            } else {
                                self.pattern(pat, Some(scope));
                            }
                        }
                    }
                    "self_parameter" => self.bind_local(Some(scope), "self"),
                    _ => {}
                }
            }
        }
        self.block(body, module, Some(scope));
    }

    /// A parameter's type when certain: a path, or a reference to one
    /// (`impl Trait`, `dyn Trait` and generics are not).
    fn param_type(&self, t: Node) -> Option<TypeRef> {
        match t.kind() {
            "abstract_type" | "dynamic_type" | "function_type" | "tuple_type" => None,
            _ => self.type_ref(t),
        }
    }

    pub(super) fn block(&mut self, b: Node, module: ModuleId, scope: Option<ScopeId>) {
        // Items and statements alike; items declared in a block are local.
        self.module_body(b, module, scope);
    }

    pub(super) fn statement(&mut self, n: Node, module: ModuleId, scope: Option<ScopeId>) {
        match n.kind() {
            "let_declaration" => {
                let ty = rfield!(n, "type");
                let value = rfield!(n, "value");
                if let Some(t) = ty {
                    self.type_refs(t, module, scope);
                }
                if let Some(v) = value {
                    self.expr(v, module, scope);
                }
                if let Some(alt) = rfield!(n, "alternative") {
                    self.block(alt, module, scope);
                }
                let Some(pat) = rfield!(n, "pattern") else {
                    return;
                };
                let pat = if pat.kind() == "mut_pattern" {
                    named_children(pat).into_iter().last().unwrap_or(pat)
                } else {
                    pat
                };
                if pat.kind() == "identifier" {
                    let name = self.text(pat).to_string();
                    let known = match (ty, value) {
                        (Some(t), _) => self.param_type(t).map(VarType::Declared),
                        (None, Some(v)) => match self.receiver(v) {
                            Receiver::Constructed(p, c) => Some(VarType::Constructed(p, c)),
                            Receiver::Literal(t) => Some(VarType::Literal(t)),
                            r @ (Receiver::Method(..)
                            | Receiver::Try(_)
                            | Receiver::Path(_)
                            | Receiver::TupleField(..)
                            | Receiver::Await(_)) => Some(VarType::Expr(r)),
                            _ => None,
                        },
                        (None, None) => None,
                    };
                    self.type_local(scope, &name, known);
                } else {
                    self.pattern(pat, scope);
                }
            }
            _ => self.expr(n, module, scope),
        }
    }

    /// Bind every identifier a pattern introduces.
    pub(super) fn pattern(&mut self, p: Node, scope: Option<ScopeId>) {
        match p.kind() {
            "identifier" => {
                let name = self.text(p).to_string();
                self.type_local(scope, &name, None);
            }
            // `Some(x)`, `Point { x, y }`: the path is not a binding.
            "scoped_identifier" | "scoped_type_identifier" | "type_identifier" => {}
            "field_pattern" => {
                match rfield!(p, "pattern") {
                    Some(inner) => self.pattern(inner, scope),
                    None => {
                        // `Point { x, .. }` binds `x`.
                        if let Some(name) = rfield!(p, "name") {
                            let name = self.text(name).to_string();
                            self.type_local(scope, &name, None);
                        }
                    }
                }
            }
            _ => {
                for c in named_children(p) {
                    if p.kind() == "tuple_struct_pattern" && rfield!(p, "type") == Some(c) {
                        continue;
                    }
                    if p.kind() == "struct_pattern" && rfield!(p, "type") == Some(c) {
                        continue;
                    }
                    self.pattern(c, scope);
                }
            }
        }
    }

    pub(super) fn expr(&mut self, n: Node, module: ModuleId, scope: Option<ScopeId>) {
        match n.kind() {
            "call_expression" => {
                if let Some(f) = rfield!(n, "function") {
                    self.callee(f, module, scope);
                }
                if let Some(args) = rfield!(n, "arguments") {
                    for a in named_children(args) {
                        self.expr(a, module, scope);
                    }
                }
            }
            "scoped_identifier" => self.path_ref(n, RefKind::Expr, module, scope),
            "generic_function" => {
                if let Some(f) = rfield!(n, "function") {
                    self.expr(f, module, scope);
                }
            }
            "struct_expression" => {
                if let Some(name) = rfield!(n, "name") {
                    let base = if name.kind() == "generic_type_with_turbofish" {
                        rfield!(name, "type").unwrap_or(name)
                    } else {
                        name
                    };
                    if base.kind() == "scoped_type_identifier" || base.kind() == "scoped_identifier"
                    {
                        self.path_ref(base, RefKind::Type, module, scope);
                    }
                    self.struct_literal(n, base, module, scope);
                }
                if let Some(body) = rfield!(n, "body") {
                    for c in named_children(body) {
                        match c.kind() {
                            "field_initializer" => {
                                if let Some(v) = rfield!(c, "value") {
                                    self.expr(v, module, scope);
                                }
                            }
                            "base_field_initializer" | "shorthand_field_initializer" => {
                                for x in named_children(c) {
                                    self.expr(x, module, scope);
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            "closure_expression" => {
                let inner = self.new_scope(scope, module);
                if let Some(params) = rfield!(n, "parameters") {
                    for p in named_children(params) {
                        let pat = if p.kind() == "parameter" {
                            rfield!(p, "pattern").unwrap_or(p)
                        } else {
                            p
                        };
                        self.pattern(pat, Some(inner));
                        if let Some(t) = rfield!(p, "type") {
                            self.type_refs(t, module, Some(inner));
                        }
                    }
                }
                if let Some(body) = rfield!(n, "body") {
                    self.expr(body, module, Some(inner));
                }
            }
            "block" => {
                let inner = self.new_scope(scope, module);
                self.block(n, module, Some(inner));
            }
            "for_expression" => {
                if let Some(v) = rfield!(n, "value") {
                    self.expr(v, module, scope);
                }
                let inner = self.new_scope(scope, module);
                if let Some(p) = rfield!(n, "pattern") {
                    self.pattern(p, Some(inner));
                }
                if let Some(b) = rfield!(n, "body") {
                    self.block(b, module, Some(inner));
                }
            }
            "if_expression" | "while_expression" => {
                // `if let` / `while let` bind in their body: one scope for all.
                let inner = self.new_scope(scope, module);
                for c in named_children(n) {
                    self.expr(c, module, Some(inner));
                }
            }
            "let_condition" => {
                if let Some(v) = rfield!(n, "value") {
                    self.expr(v, module, scope);
                }
                if let Some(p) = rfield!(n, "pattern") {
                    self.pattern(p, scope);
                }
            }
            "match_arm" => {
                let inner = self.new_scope(scope, module);
                if let Some(p) = rfield!(n, "pattern") {
                    self.pattern(p, Some(inner));
                    for c in named_children(p) {
                        if c.kind() != "attribute_item" && rfield!(p, "condition") == Some(c) {
                            self.expr(c, module, Some(inner));
                        }
                    }
                }
                if let Some(v) = rfield!(n, "value") {
                    self.expr(v, module, Some(inner));
                }
            }
            "macro_invocation" => self.macro_invocation(n, module, scope),
            "field_expression" => {
                if let Some(v) = rfield!(n, "value") {
                    // (`x.0` is a tuple field: not recorded.)
                    if let Some(field) =
                        rfield!(n, "field").filter(|f| f.kind() == "field_identifier")
                    {
                        let receiver = self.receiver(v);
                        if receiver != Receiver::Other {
                            self.facts.field_accesses.push(MethodCall {
                                receiver,
                                method: self.text(field).to_string(),
                                span: span(field),
                                module,
                                scope,
                            });
                        }
                    }
                    self.expr(v, module, scope);
                }
            }
            "let_declaration" => self.statement(n, module, scope),
            "function_item" | "struct_item" | "enum_item" | "impl_item" | "trait_item"
            | "use_declaration" | "mod_item" | "const_item" | "static_item" | "type_item"
            | "macro_definition" => {
                self.item(n, module, scope, super::items::Attrs::default());
            }
            "type_arguments" | "type_cast_expression" => {
                for c in named_children(n) {
                    if c.kind().ends_with("_type") || c.kind().contains("type_identifier") {
                        self.type_refs(c, module, scope);
                    } else {
                        self.expr(c, module, scope);
                    }
                }
            }
            "identifier" | "line_comment" | "block_comment" | "string_literal"
            | "raw_string_literal" | "integer_literal" | "float_literal" | "char_literal"
            | "boolean_literal" | "self" | "label" | "lifetime" => {}
            _ => {
                for c in named_children(n) {
                    self.expr(c, module, scope);
                }
            }
        }
    }

    fn callee(&mut self, f: Node, module: ModuleId, scope: Option<ScopeId>) {
        match f.kind() {
            "identifier" => {
                let name = self.text(f).to_string();
                self.facts.calls.push(BareCall {
                    name,
                    span: span(f),
                    module,
                    scope,
                });
            }
            "scoped_identifier" => self.path_ref(f, RefKind::Call, module, scope),
            "generic_function" => {
                if let Some(inner) = rfield!(f, "function") {
                    self.callee(inner, module, scope)
                }
            }
            "field_expression" => {
                let Some(value) = rfield!(f, "value") else {
                    return;
                };
                let Some(field) = rfield!(f, "field") else {
                    return;
                };
                if field.kind() == "field_identifier" {
                    let receiver = self.receiver(value);
                    self.facts.method_calls.push(MethodCall {
                        receiver,
                        method: self.text(field).to_string(),
                        span: span(field),
                        module,
                        scope,
                    });
                }
                self.expr(value, module, scope);
            }
            _ => self.expr(f, module, scope),
        }
    }

    /// What a method call's receiver is, when it can be told from the syntax.
    pub(super) fn receiver(&self, v: Node) -> Receiver {
        match v.kind() {
            "identifier" => Receiver::Var(self.text(v).to_string()),
            "self" => Receiver::Var("self".to_string()),
            "field_expression" => {
                let base = rfield!(v, "value");
                let field = rfield!(v, "field");
                match (base, field) {
                    (Some(b), Some(f)) if b.kind() == "self" && f.kind() != "integer_literal" => {
                        Receiver::SelfField(self.text(f).to_string())
                    }
                    // `pair.1`: the tuple's element.
                    (Some(b), Some(f)) if f.kind() == "integer_literal" => {
                        match (self.receiver(b), self.text(f).parse::<u32>()) {
                            (Receiver::Other, _) | (_, Err(_)) => Receiver::Other,
                            (inner, Ok(i)) => Receiver::TupleField(Box::new(inner), i),
                        }
                    }
                    _ => Receiver::Other,
                }
            }
            "string_literal" | "raw_string_literal" => Receiver::Literal(TypeRef {
                path: vec!["str".to_string()],
            }),
            "char_literal" => Receiver::Literal(TypeRef {
                path: vec!["char".to_string()],
            }),
            "boolean_literal" => Receiver::Literal(TypeRef {
                path: vec!["bool".to_string()],
            }),
            "integer_literal" | "float_literal" => {
                let text = self.text(v);
                const SUFFIXES: &[&str] = &[
                    "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128",
                    "isize", "f32", "f64",
                ];
                match SUFFIXES
                    .iter()
                    .find(|s| text.ends_with(*s) && !text.starts_with("0x"))
                {
                    Some(s) => Receiver::Literal(TypeRef {
                        path: vec![s.to_string()],
                    }),
                    None => Receiver::Other,
                }
            }
            "call_expression" => {
                let Some(f) = rfield!(v, "function") else {
                    return Receiver::Other;
                };
                let f = if f.kind() == "generic_function" {
                    rfield!(f, "function").unwrap_or(f)
                } else {
                    f
                };
                if f.kind() == "field_expression" {
                    let (Some(value), Some(field)) = (rfield!(f, "value"), rfield!(f, "field"))
                    else {
                        return Receiver::Other;
                    };
                    if field.kind() != "field_identifier" {
                        return Receiver::Other;
                    }
                    return match self.receiver(value) {
                        Receiver::Other => Receiver::Other,
                        inner => Receiver::Method(Box::new(inner), self.text(field).to_string()),
                    };
                }
                if f.kind() == "identifier" {
                    return Receiver::Constructed(Vec::new(), self.text(f).to_string());
                }
                if f.kind() != "scoped_identifier" {
                    return Receiver::Other;
                }
                match self.segments(f) {
                    Some((mut segs, _, _)) if segs.len() >= 2 => {
                        let ctor = segs.pop().unwrap_or_default();
                        Receiver::Constructed(segs, ctor)
                    }
                    _ => Receiver::Other,
                }
            }
            "parenthesized_expression" => match named_children(v).into_iter().next() {
                Some(inner) => self.receiver(inner),
                None => Receiver::Other,
            },
            "try_expression" => match named_children(v).into_iter().next() {
                Some(inner) => match self.receiver(inner) {
                    Receiver::Other => Receiver::Other,
                    r => Receiver::Try(Box::new(r)),
                },
                None => Receiver::Other,
            },
            "range_expression" => self.range_type(v),
            "await_expression" => match named_children(v).into_iter().next() {
                Some(inner) => match self.receiver(inner) {
                    Receiver::Other => Receiver::Other,
                    r => Receiver::Await(Box::new(r)),
                },
                None => Receiver::Other,
            },
            // `[1, 2]`, `[0; 4]`.
            "array_expression" => Receiver::Literal(TypeRef {
                path: vec!["array".to_string()],
            }),
            // `vec![…]` is a `Vec`.
            "macro_invocation" => {
                let name = rfield!(v, "macro").map(|m| self.text(m)).unwrap_or("");
                if matches!(name, "vec" | "std::vec" | "alloc::vec" | "::std::vec") {
                    Receiver::Literal(TypeRef {
                        path: ["alloc", "vec", "Vec"].map(String::from).to_vec(),
                    })
                } else {
                    Receiver::Other
                }
            }
            // A path as a value: a unit variant (`Value::Null`) or a constant.
            "scoped_identifier" => match self.segments(v) {
                Some((segs, _, false)) if segs.len() >= 2 => Receiver::Path(segs),
                _ => Receiver::Other,
            },
            _ => Receiver::Other,
        }
    }

    /// A range literal's type: `a..b` is `core::ops::Range`, `a..=b`
    /// `RangeInclusive`, `a..` `RangeFrom`, `..b` `RangeTo`, `..=b`
    /// `RangeToInclusive`, `..` `RangeFull`.
    fn range_type(&self, v: Node) -> Receiver {
        let mut cursor = v.walk();
        let children: Vec<Node> = v.children(&mut cursor).collect();
        let Some(op_at) = children.iter().position(|c| !c.is_named()) else {
            return Receiver::Other;
        };
        let op = self.text(children[op_at]);
        let start = op_at > 0;
        let end = op_at + 1 < children.len();
        let name = match (start, op, end) {
            (true, "..", true) => "Range",
            (true, "..=", true) => "RangeInclusive",
            (true, "..", false) => "RangeFrom",
            (false, "..", true) => "RangeTo",
            (false, "..=", true) => "RangeToInclusive",
            (false, "..", false) => "RangeFull",
            _ => return Receiver::Other,
        };
        Receiver::Literal(TypeRef {
            path: ["core", "ops", name].map(String::from).to_vec(),
        })
    }

    /// A struct literal's path and the fields it names.
    fn struct_literal(&mut self, n: Node, base: Node, module: ModuleId, scope: Option<ScopeId>) {
        let Some((segs, _, absolute)) = self.segments(base) else {
            return;
        };
        let mut fields = Vec::new();
        for c in rfield!(n, "body").map(named_children).unwrap_or_default() {
            let name = match c.kind() {
                "field_initializer" => rfield!(c, "field"),
                "shorthand_field_initializer" => named_children(c).into_iter().next(),
                _ => None,
            };
            if let Some(f) = name.filter(|f| matches!(f.kind(), "field_identifier" | "identifier"))
            {
                fields.push((self.text(f).to_string(), span(f)));
            }
            // `#[cfg(feature = "tls")] cert: …`: a field for another
            // configuration, whose findings are dropped there.
            let mut attrs = super::items::Attrs::default();
            for a in named_children(c) {
                if a.kind() == "attribute_item" {
                    self.attribute(a, &mut attrs);
                }
            }
            self.cfg_region(c, &attrs.cfgs);
        }
        if !fields.is_empty() {
            self.facts.struct_literals.push(StructLiteral {
                segs,
                absolute,
                fields,
                module,
                scope,
            });
        }
    }

    pub(super) fn path_ref(
        &mut self,
        n: Node,
        kind: RefKind,
        module: ModuleId,
        scope: Option<ScopeId>,
    ) {
        match self.segments(n) {
            Some((segs, spans, absolute)) => {
                self.facts.refs.push(PathRef {
                    segs,
                    spans,
                    absolute,
                    kind,
                    module,
                    scope,
                });
                // The paths inside a turbofish (`Vec::<serde_json::Value>::new`).
                let mut cur = Some(n);
                while let Some(c) = cur {
                    if c.kind() == "generic_type" {
                        if let Some(args) = rfield!(c, "type_arguments") {
                            self.type_refs(args, module, scope);
                        }
                        cur = rfield!(c, "type");
                    } else {
                        cur = rfield!(c, "path");
                    }
                }
            }
            None => {
                if self.qualified_ref(n, module, scope) {
                    return;
                }
                // `Vec::<u8>::new`, `<T as Trait>::f::g`: walk the generic part.
                for c in named_children(n) {
                    self.expr(c, module, scope);
                }
            }
        }
    }

    pub(super) fn macro_invocation(&mut self, n: Node, module: ModuleId, scope: Option<ScopeId>) {
        let mut std_macro = false;
        if let Some(m) = rfield!(n, "macro") {
            if m.kind() == "scoped_identifier" {
                self.path_ref(m, RefKind::Macro, module, scope);
            }
            let name = self.text(m);
            let name = name.strip_prefix("std::").unwrap_or(name);
            std_macro = STD_MACROS.contains(&name);
        }
        // Another macro may declare items in this body: the scope is marked.
        if !std_macro {
            if let Some(s) = scope.and_then(|id| self.facts.scopes.get_mut(id as usize)) {
                s.has_macros = true;
            }
        }
    }
}
