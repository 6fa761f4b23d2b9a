//! Python front end: tree-sitter-python → [`FileFacts`].
//!
//! One pass over the tree collects scopes, bindings, imports, attribute chains
//! and free names; a short post-pass marks `hasattr`-guarded attributes and
//! keeps only names no scope binds. Pure: no I/O.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashSet};

use tree_sitter::{Node, Parser};

use super::facts::*;

/// `field!(node, "x")` without the per-call name lookup (a linear
/// `strncmp` scan inside tree-sitter): each call site resolves its field id once.
macro_rules! field {
    ($node:expr, $name:literal) => {{
        static ID: std::sync::OnceLock<Option<std::num::NonZeroU16>> = std::sync::OnceLock::new();
        let id = *ID.get_or_init(|| {
            tree_sitter::Language::from(tree_sitter_python::LANGUAGE).field_id_for_name($name)
        });
        id.and_then(|id| $node.child_by_field_id(id.get()))
    }};
}

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Parse `text` and extract its facts. Never fails: a file that does not parse
/// still yields the facts of what did, and `syntax_errors` says how much didn't.
pub fn parse(text: &str) -> FileFacts {
    let tree = PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let parser = slot.get_or_insert_with(|| {
            let mut p = Parser::new();
            p.set_language(&tree_sitter_python::LANGUAGE.into())
                .expect("tree-sitter-python grammar is compatible");
            p
        });
        parser.parse(text, None)
    });
    let Some(tree) = tree else {
        return Builder::new(text).finish();
    };
    let mut b = Builder::new(text);
    b.module(tree.root_node());
    b.suppressions(tree.root_node());
    let mut facts = b.finish();
    let root = tree.root_node();
    if root.has_error() {
        let (count, first) = syntax_errors(root);
        facts.syntax_errors = count.max(1);
        facts.first_error = first.or(facts.first_error);
    }
    facts
}

/// Count ERROR and MISSING nodes, descending only into subtrees that have one.
fn syntax_errors(root: Node) -> (u32, Option<(u32, u32)>) {
    let mut count = 0;
    let mut first = None;
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        if n.is_error() || n.is_missing() {
            count += 1;
            let p = n.start_position();
            let pos = (p.row as u32, p.column as u32);
            if first.is_none_or(|f| pos < f) {
                first = Some(pos);
            }
            continue;
        }
        let mut cursor = n.walk();
        for c in n.children(&mut cursor) {
            if c.has_error() {
                stack.push(c);
            }
        }
    }
    (count, first)
}

struct PendingName {
    name: Box<str>,
    scope: ScopeId,
    span: Span,
    guard: GuardId,
    in_try_name: bool,
}

struct Builder<'s> {
    src: &'s str,
    facts: FileFacts,
    scope: ScopeId,
    guard_stack: Vec<(Condition, bool)>,
    guard_ids: BTreeMap<String, GuardId>,
    current_guard: GuardId,
    try_import: u32,
    /// Depth of `except ImportError:` handlers being walked.
    fallback: u32,
    try_attr: u32,
    try_name: u32,
    type_checking: u32,
    pending_names: Vec<PendingName>,
    /// (dotted base text, attribute) pairs seen in hasattr/getattr calls.
    hasattr_pairs: HashSet<(String, String)>,
}

fn span(n: Node) -> Span {
    let s = n.start_position();
    let e = n.end_position();
    Span {
        start_byte: n.start_byte() as u32,
        end_byte: n.end_byte() as u32,
        start_row: s.row as u32,
        start_col: s.column as u32,
        end_row: e.row as u32,
        end_col: e.column as u32,
    }
}

fn named_children<'t>(n: Node<'t>) -> Vec<Node<'t>> {
    let mut cursor = n.walk();
    n.named_children(&mut cursor).collect()
}

fn is_dunder(name: &str) -> bool {
    name.len() > 4 && name.starts_with("__") && name.ends_with("__")
}

impl<'s> Builder<'s> {
    fn new(src: &'s str) -> Self {
        let module_scope = Scope {
            kind: ScopeKind::Module,
            parent: None,
            bindings: BTreeMap::new(),
            narrowed: BTreeSet::new(),
            star_imports: Vec::new(),
            dynamic_names: false,
        };
        Builder {
            src,
            facts: FileFacts {
                scopes: vec![module_scope],
                classes: Vec::new(),
                functions: Vec::new(),
                imports: Vec::new(),
                attr_refs: Vec::new(),
                free_names: Vec::new(),
                guards: vec![Vec::new()],
                all: None,
                dynamic: DynamicModule::default(),
                sys_modules_aliases: Vec::new(),
                suppressions: Vec::new(),
                foreign_attr_stores: BTreeSet::new(),
                doc: None,
                syntax_errors: 0,
                first_error: None,
            },
            scope: MODULE_SCOPE,
            guard_stack: Vec::new(),
            guard_ids: BTreeMap::new(),
            current_guard: 0,
            try_import: 0,
            fallback: 0,
            try_attr: 0,
            try_name: 0,
            type_checking: 0,
            pending_names: Vec::new(),
            hasattr_pairs: HashSet::new(),
        }
    }

    fn text(&self, n: Node) -> &'s str {
        self.src.get(n.byte_range()).unwrap_or("")
    }

    // ---------------------------------------------------------------- scopes

    fn push_scope(&mut self, kind: ScopeKind) -> ScopeId {
        let id = self.facts.scopes.len() as ScopeId;
        self.facts.scopes.push(Scope {
            kind,
            parent: Some(self.scope),
            bindings: BTreeMap::new(),
            narrowed: BTreeSet::new(),
            star_imports: Vec::new(),
            dynamic_names: false,
        });
        id
    }

    fn bind_in(&mut self, scope: ScopeId, name: &str, kind: BindingKind, at: Node) {
        let binding = Binding {
            kind,
            guard: self.current_guard,
            in_try_import: self.try_import > 0,
            in_fallback: self.fallback > 0,
            span: span(at),
        };
        self.facts.scopes[scope as usize]
            .bindings
            .entry(name.into())
            .or_default()
            .push(binding);
    }

    /// Bind in the current scope, honouring `global` / `nonlocal` declarations
    /// (recorded as `Other` bindings in the scope they name).
    fn bind(&mut self, name: &str, kind: BindingKind, at: Node) {
        let target = self.declared_target(name).unwrap_or(self.scope);
        let kind = if target != self.scope {
            BindingKind::Other
        } else {
            kind
        };
        self.bind_in(target, name, kind, at);
    }

    fn declared_target(&self, name: &str) -> Option<ScopeId> {
        let scope = &self.facts.scopes[self.scope as usize];
        let marker = scope.bindings.get(name)?;
        // `global`/`nonlocal` are recorded as a sentinel binding with span start == u32::MAX.
        let decl = marker.iter().find(|b| b.span.start_row == u32::MAX)?;
        Some(decl.span.end_row)
    }

    fn nearest_non_comprehension(&self) -> ScopeId {
        let mut id = self.scope;
        while matches!(
            self.facts.scopes[id as usize].kind,
            ScopeKind::Comprehension
        ) {
            id = self.facts.scopes[id as usize]
                .parent
                .unwrap_or(MODULE_SCOPE);
        }
        id
    }

    // ---------------------------------------------------------------- guards

    fn enter_guard(&mut self, cond: Condition, truth: bool) -> GuardId {
        let saved = self.current_guard;
        self.guard_stack.push((cond, truth));
        let key = format!("{:?}", self.guard_stack);
        let next_id = self.facts.guards.len() as GuardId;
        let id = *self.guard_ids.entry(key).or_insert(next_id);
        if id == next_id {
            self.facts.guards.push(self.guard_stack.clone());
        }
        self.current_guard = id;
        saved
    }

    fn leave_guard(&mut self, saved: GuardId) {
        self.guard_stack.pop();
        self.current_guard = saved;
    }

    // ---------------------------------------------------------------- module

    fn module(&mut self, root: Node) {
        self.facts.doc = self.docstring(root);
        self.block(root);
    }

    fn finish(mut self) -> FileFacts {
        // Keep only names that no visible scope binds.
        let pending = std::mem::take(&mut self.pending_names);
        for p in pending {
            if self.facts.binding_scope(p.scope, &p.name).is_none() {
                self.facts.free_names.push(FreeName {
                    name: p.name,
                    scope: p.scope,
                    span: p.span,
                    guard: p.guard,
                    in_try_name: p.in_try_name,
                });
            }
        }
        // Drop the global/nonlocal sentinels.
        for scope in &mut self.facts.scopes {
            scope.bindings.retain(|_, v| {
                v.retain(|b| b.span.start_row != u32::MAX);
                !v.is_empty()
            });
        }
        if !self.hasattr_pairs.is_empty() {
            let pairs = std::mem::take(&mut self.hasattr_pairs);
            for r in &mut self.facts.attr_refs {
                mark_guarded(&mut r.expr, &pairs);
            }
        }
        self.facts
    }

    fn block(&mut self, n: Node) {
        for child in named_children(n) {
            self.statement(child);
        }
    }

    fn docstring(&self, body: Node) -> Option<String> {
        let first = named_children(body)
            .into_iter()
            .find(|c| c.kind() != "comment")?;
        if first.kind() != "expression_statement" {
            return None;
        }
        let s = first.named_child(0)?;
        if s.kind() != "string" {
            return None;
        }
        let content: String = named_children(s)
            .into_iter()
            .filter(|c| c.kind() == "string_content")
            .map(|c| self.text(c))
            .collect();
        let line = content
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())?
            .to_string();
        Some(line)
    }

    fn note_error(&mut self, n: Node) {
        self.facts.syntax_errors += 1;
        if self.facts.first_error.is_none() {
            let p = n.start_position();
            self.facts.first_error = Some((p.row as u32, p.column as u32));
        }
    }

    fn statement(&mut self, n: Node) {
        match n.kind() {
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
                self.children_blocks(n, &["body", "alternative"]);
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
                let value = n.named_child(0).filter(|c| c.kind() != "comment");
                let expr = value.map(|v| self.walk_expr(v));
                if let Some(f) = self.facts.enclosing_function(self.scope) {
                    let expr = expr.unwrap_or(Expr::Literal(Literal::None));
                    self.facts.functions[f as usize].return_exprs.push(expr);
                }
            }
            "global_statement" | "nonlocal_statement" => {
                let global = n.kind() == "global_statement";
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
                        if c.kind() == "identifier" {
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
                    if c.kind() == "comment" {
                        self.comment(c);
                    } else if c.kind() == "block" {
                        self.block(c);
                    } else {
                        self.walk_expr(c);
                    }
                }
            }
        }
    }

    fn delete_target(&mut self, c: Node) {
        match c.kind() {
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
            _ => {
                self.walk_expr(c);
            }
        }
    }

    fn children_blocks(&mut self, n: Node, fields: &[&str]) {
        for f in fields {
            if let Some(c) = n.child_by_field_name(f) {
                match c.kind() {
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

    /// Comments are extras that may sit anywhere in the tree, so suppressions
    /// are found by a text scan and confirmed against the tree; the walker's
    /// visits to comment nodes do nothing.
    fn comment(&mut self, _n: Node) {}

    fn suppressions(&mut self, root: Node) {
        let src = self.src;
        let mut seen_rows = HashSet::new();
        for marker in ["grounded: ignore", "type: ignore", "pyright: ignore"] {
            for (pos, _) in src.match_indices(marker) {
                let Some(node) = root.descendant_for_byte_range(pos, pos) else {
                    continue;
                };
                if node.kind() == "comment" && seen_rows.insert((node.start_byte(), marker)) {
                    self.suppression_comment(node);
                }
            }
        }
    }

    fn suppression_comment(&mut self, n: Node) {
        let text = self.text(n);
        // A line its authors marked as a known type error (`# type: ignore`,
        // `# pyright: ignore`) is deliberately dynamic: say nothing there.
        if text.contains("type: ignore") || text.contains("pyright: ignore") {
            self.facts.suppressions.push(Suppression {
                row: n.start_position().row as u32,
                codes: None,
            });
        }
        let Some(pos) = text.find("grounded: ignore") else {
            return;
        };
        let rest = &text[pos + "grounded: ignore".len()..];
        let codes = rest.strip_prefix('[').and_then(|r| {
            let end = r.find(']')?;
            Some(
                r[..end]
                    .split(',')
                    .map(|c| c.trim().to_string())
                    .filter(|c| !c.is_empty())
                    .collect::<Vec<_>>(),
            )
        });
        self.facts.suppressions.push(Suppression {
            row: n.start_position().row as u32,
            codes,
        });
    }

    // ---------------------------------------------------------------- imports

    fn import_statement(&mut self, n: Node) {
        for c in named_children(n) {
            match c.kind() {
                "dotted_name" => {
                    let module = self.text(c).to_string();
                    let first = module.split('.').next().unwrap_or("").to_string();
                    self.record_import(0, &module, c, Vec::new(), false);
                    self.bind(
                        &first,
                        BindingKind::Import {
                            module: first.as_str().into(),
                        },
                        c,
                    );
                }
                "aliased_import" => {
                    let (Some(name), Some(alias)) = (field!(c, "name"), field!(c, "alias")) else {
                        continue;
                    };
                    let module = self.text(name).to_string();
                    self.record_import(0, &module, name, Vec::new(), false);
                    let alias = self.text(alias);
                    self.bind(
                        alias,
                        BindingKind::Import {
                            module: module.as_str().into(),
                        },
                        c,
                    );
                }
                "comment" => self.comment(c),
                _ => {}
            }
        }
    }

    fn record_import(
        &mut self,
        level: u32,
        module: &str,
        at: Node,
        names: Vec<(Box<str>, Span)>,
        star: bool,
    ) {
        self.facts.imports.push(ImportFacts {
            level,
            module: module.into(),
            span: span(at),
            names,
            star,
            guard: self.current_guard,
            in_try_import: self.try_import > 0,
            in_type_checking: self.type_checking > 0,
        });
    }

    fn import_from(&mut self, n: Node) {
        let Some(module_node) = field!(n, "module_name") else {
            return;
        };
        let (level, module) = if module_node.kind() == "relative_import" {
            let mut level = 0;
            let mut module = String::new();
            for c in named_children(module_node) {
                match c.kind() {
                    "import_prefix" => level = self.text(c).chars().filter(|&c| c == '.').count(),
                    "dotted_name" => module = self.text(c).to_string(),
                    _ => {}
                }
            }
            (level as u32, module)
        } else {
            (0, self.text(module_node).to_string())
        };
        let mut names = Vec::new();
        let mut star = false;
        let mut cursor = n.walk();
        for (i, c) in n.children(&mut cursor).enumerate() {
            let field = n.field_name_for_child(i as u32);
            match (field, c.kind()) {
                (_, "wildcard_import") => star = true,
                (Some("name"), "dotted_name") => {
                    let name = self.text(c).to_string();
                    names.push((name.as_str().into(), span(c)));
                    self.bind(
                        &name,
                        BindingKind::ImportFrom {
                            level,
                            module: module.as_str().into(),
                            name: name.as_str().into(),
                        },
                        c,
                    );
                }
                (Some("name"), "aliased_import") => {
                    let (Some(name), Some(alias)) = (field!(c, "name"), field!(c, "alias")) else {
                        continue;
                    };
                    let name_text = self.text(name).to_string();
                    names.push((name_text.as_str().into(), span(name)));
                    let alias = self.text(alias);
                    self.bind(
                        alias,
                        BindingKind::ImportFrom {
                            level,
                            module: module.as_str().into(),
                            name: name_text.as_str().into(),
                        },
                        c,
                    );
                }
                (_, "comment") => self.comment(c),
                _ => {}
            }
        }
        if star {
            let scope = self.scope;
            self.facts.scopes[scope as usize]
                .star_imports
                .push(StarImport {
                    level,
                    module: module.as_str().into(),
                    guard: self.current_guard,
                    in_try_import: self.try_import > 0,
                });
        }
        self.record_import(level, &module, module_node, names, star);
    }

    // ---------------------------------------------------------------- definitions

    fn decorated(&mut self, n: Node) {
        let mut decorators = Vec::new();
        for c in named_children(n) {
            if c.kind() == "decorator" {
                if let Some(e) = c.named_child(0) {
                    let expr = self.walk_expr(e);
                    let dotted = match &expr {
                        Expr::Call { func } => func.dotted(),
                        other => other.dotted(),
                    };
                    decorators.push(dotted.unwrap_or_else(|| "<dynamic>".to_string()));
                }
            } else if c.kind() == "comment" {
                self.comment(c);
            }
        }
        if let Some(def) = field!(n, "definition") {
            match def.kind() {
                "class_definition" => self.class_def(def, &decorators),
                "function_definition" => self.function_def(def, &decorators),
                _ => {}
            }
        }
    }

    fn class_def(&mut self, n: Node, decorators: &[String]) {
        let Some(name_node) = field!(n, "name") else {
            return;
        };
        let name = self.text(name_node);
        let mut bases = Vec::new();
        let mut metaclass = None;
        if let Some(args) = field!(n, "superclasses") {
            for a in named_children(args) {
                match a.kind() {
                    "keyword_argument" => {
                        let key = field!(a, "name").map(|k| self.text(k));
                        if let Some(v) = field!(a, "value") {
                            let e = self.walk_expr(v);
                            if key == Some("metaclass") {
                                metaclass = Some(e);
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

    fn bind_type_params(&mut self, tp: Node) {
        for c in named_children(tp) {
            if let Some(id) = first_identifier(c) {
                let name = self.text(id);
                self.bind(name, BindingKind::Other, id);
            }
        }
    }

    fn enclosing_class(&self) -> Option<ClassId> {
        match self.facts.scopes[self.scope as usize].kind {
            ScopeKind::Class(c) => Some(c),
            _ => None,
        }
    }

    fn function_def(&mut self, n: Node, decorators: &[String]) {
        let Some(name_node) = field!(n, "name") else {
            return;
        };
        let name = self.text(name_node);
        let is_async = {
            let mut cursor = n.walk();
            let found = n.children(&mut cursor).any(|c| c.kind() == "async");
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
                let prefix = match p.kind() {
                    "list_splat_pattern" => "*",
                    "dictionary_splat_pattern" => "**",
                    "typed_parameter" => {
                        let inner = p.named_child(0).map(|c| c.kind());
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
            let (id_node, default_text) = match p.kind() {
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
            if id_node.kind() != "identifier" {
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
    fn getattr_literals(&self, body: Node) -> Option<Vec<String>> {
        let stmts: Vec<Node> = named_children(body)
            .into_iter()
            .filter(|c| c.kind() != "comment")
            .collect();
        let (last, rest) = stmts.split_last()?;
        if last.kind() != "raise_statement" || !self.text(*last).contains("AttributeError") {
            return None;
        }
        let mut names = Vec::new();
        for s in rest {
            match s.kind() {
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

    fn docstring_like(&self, s: Node) -> bool {
        s.named_child(0).is_some_and(|c| c.kind() == "string")
    }

    fn name_comparison_literals(&self, cond: Node) -> Option<Vec<String>> {
        match cond.kind() {
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
                let literal_side = if parts[0].kind() == "identifier" {
                    parts[1]
                } else {
                    parts[0]
                };
                match op.as_str() {
                    "==" => Some(vec![self.string_literal(literal_side)?]),
                    "in" => {
                        let items = named_children(literal_side);
                        if !matches!(literal_side.kind(), "tuple" | "list" | "set") {
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

    fn string_literal(&self, n: Node) -> Option<String> {
        if n.kind() != "string" {
            return None;
        }
        let mut out = String::new();
        for c in named_children(n) {
            match c.kind() {
                "string_start" | "string_end" => {}
                "string_content" => out.push_str(self.text(c)),
                _ => return None,
            }
        }
        Some(out)
    }

    /// An annotation: a name/attribute chain or a quoted dotted name becomes an
    /// expression; anything else (subscripts, unions) is walked and `Unknown`.
    fn annotation_expr(&mut self, type_node: Node) -> Expr {
        let Some(inner) = type_node.named_child(0) else {
            return Expr::Unknown;
        };
        if inner.kind() == "string" {
            if let Some(text) = self.string_literal(inner) {
                return self.dotted_from_string(text.trim(), inner);
            }
            return Expr::Unknown;
        }
        match inner.kind() {
            "identifier" | "attribute" => self.walk_expr(inner),
            "none" => Expr::Literal(Literal::None),
            _ => {
                self.walk_expr(inner);
                Expr::Unknown
            }
        }
    }

    /// `"pkg.Cls"` in an annotation → a Name/Attr chain (not checked, only evaluated).
    fn dotted_from_string(&self, text: &str, at: Node) -> Expr {
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

    // ---------------------------------------------------------------- statements

    fn expression_statement_item(&mut self, c: Node) {
        match c.kind() {
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

    fn assignment(&mut self, n: Node) {
        let left = field!(n, "left");
        let right = field!(n, "right");
        let ty = field!(n, "type");
        let value = right.map(|r| {
            if r.kind() == "assignment" {
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
        if self.scope == MODULE_SCOPE && left.kind() == "identifier" && self.text(left) == "__all__"
        {
            self.facts.all = right.and_then(|r| self.string_list(r));
        }
        if left.kind() == "subscript" {
            self.sys_modules_assignment(left, value.as_ref());
        }
        match (annotation, value) {
            (Some(annotation), value) if left.kind() == "identifier" => {
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

    fn sys_modules_assignment(&mut self, left: Node, value: Option<&Expr>) {
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
        } else if let (Some(name), Some(value)) = (self.string_literal(key), value) {
            self.facts.sys_modules_aliases.push((name, value.clone()));
        }
    }

    fn augmented(&mut self, n: Node) {
        let left = field!(n, "left");
        if let Some(r) = field!(n, "right") {
            let is_all = self.scope == MODULE_SCOPE
                && left.is_some_and(|l| l.kind() == "identifier" && self.text(l) == "__all__");
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
            if left.kind() == "identifier" {
                // Reads the name too.
                self.walk_expr(left);
                let name = self.text(left);
                self.bind(name, BindingKind::Other, left);
            } else {
                self.bind_target(left, None);
            }
        }
    }

    fn string_list(&self, n: Node) -> Option<Vec<String>> {
        match n.kind() {
            "list" | "tuple" => named_children(n)
                .into_iter()
                .filter(|c| c.kind() != "comment")
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
    fn bind_target(&mut self, target: Node, value: Option<Expr>) {
        match target.kind() {
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
                    target.kind() == "parenthesized_expression" && target.named_child_count() == 1;
                for c in named_children(target) {
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
                if let Some(v) = field!(target, "value") {
                    let e = self.walk_expr(v);
                    if let Expr::Call { func } = &e {
                        if func.dotted().as_deref() == Some("globals") {
                            self.facts.dynamic.globals_write = true;
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
    fn attribute_store(&mut self, target: Node, value: Option<Expr>) {
        let (Some(obj), Some(attr)) = (field!(target, "object"), field!(target, "attribute"))
        else {
            return;
        };
        let attr_name = self.text(attr);
        if obj.kind() == "identifier" {
            let base = self.text(obj);
            if let Some(class) = self.self_class_of(base) {
                if attr_name == "__dict__" {
                    self.facts.classes[class as usize].dynamic = true;
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
        if obj.kind() == "identifier" {
            // `Cls.attr = value` after the class body adds a class attribute.
            if let Some(class) = self.class_named(self.text(obj)) {
                self.facts.classes[class as usize]
                    .self_attrs
                    .entry(attr_name.into())
                    .or_default()
                    .push(value.unwrap_or(Expr::Unknown));
            }
        }
        // `other.attr = v`: objects of some class get `attr` from outside.
        self.facts.foreign_attr_stores.insert(attr_name.into());
        // The base must exist; the attribute itself is being created.
        self.walk_expr(obj);
    }

    /// When `name` is the `self`/`cls` parameter of a method (or of a function
    /// nested in one), the class it belongs to.
    fn self_class_of(&self, name: &str) -> Option<ClassId> {
        let scope_id = self.facts.binding_scope(self.scope, name)?;
        let bindings = self.facts.scopes[scope_id as usize].bindings.get(name)?;
        bindings.iter().find_map(|b| match &b.kind {
            BindingKind::Param {
                role: ParamRole::SelfOf(c) | ParamRole::ClsOf(c),
                ..
            } => Some(*c),
            // `self = super().__new__(cls)` in `__new__`: the instance being built.
            BindingKind::Assign(Expr::Call { func }) if is_new_call(func) => {
                let f = self.facts.enclosing_function(scope_id)?;
                self.facts.functions[f as usize].class
            }
            _ => None,
        })
    }

    /// The class a name is bound to by a `class` statement in a visible scope.
    fn class_named(&self, name: &str) -> Option<ClassId> {
        let scope = self.facts.binding_scope(self.scope, name)?;
        self.facts.scopes[scope as usize]
            .bindings
            .get(name)?
            .iter()
            .find_map(|b| match b.kind {
                BindingKind::Class(c) => Some(c),
                _ => None,
            })
    }

    fn if_statement(&mut self, n: Node) {
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
            match alt.kind() {
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

    fn guarded_block(&mut self, previous: &[Condition], cond: Condition, body: Option<Node>) {
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

    /// Recognise the static conditions type checkers evaluate.
    fn condition(&self, n: Node) -> Condition {
        match n.kind() {
            "parenthesized_expression" => n
                .named_child(0)
                .map(|c| self.condition(c))
                .unwrap_or(Condition::Unknown),
            "not_operator" => field!(n, "argument")
                .map(|c| Condition::Not(Box::new(self.condition(c))))
                .unwrap_or(Condition::Unknown),
            "boolean_operator" => {
                let (Some(l), Some(r)) = (field!(n, "left"), field!(n, "right")) else {
                    return Condition::Unknown;
                };
                let op = field!(n, "operator").map(|o| self.text(o)).unwrap_or("");
                let parts = vec![self.condition(l), self.condition(r)];
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
                        let dotted = matches!(base.kind(), "identifier" | "attribute");
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
    fn comparison_condition(&self, n: Node) -> Condition {
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

    fn comparison_pair(&self, left: Node, op: CmpOp, right: Node) -> Condition {
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

    fn oriented_comparison(&self, subject: Node, op: CmpOp, value: Node) -> Option<Condition> {
        let text = self.text(subject);
        if text == "__name__" && matches!(op, CmpOp::Eq) {
            return Some(Condition::Main);
        }
        let version_subject = text == "sys.version_info"
            || (subject.kind() == "subscript"
                && field!(subject, "value").is_some_and(|v| self.text(v) == "sys.version_info")
                && field!(subject, "subscript").is_some_and(|s| {
                    // [0] is the major version; [:N] a prefix. Other indexes are unknown.
                    s.kind() == "slice" || self.text(s) == "0"
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
        let platform_prefix = subject.kind() == "subscript"
            && field!(subject, "value").is_some_and(|v| self.text(v) == "sys.platform")
            && field!(subject, "subscript").is_some_and(|s| s.kind() == "slice");
        if platform_prefix && matches!(op, CmpOp::Eq) {
            return self.string_literal(value).map(|value| Condition::Platform {
                op: CmpOp::StartsWith,
                value,
            });
        }
        None
    }

    fn version_tuple(&self, n: Node) -> Option<Vec<u32>> {
        match n.kind() {
            "tuple" => named_children(n)
                .into_iter()
                .map(|c| self.text(c).parse().ok())
                .collect(),
            "integer" => Some(vec![self.text(n).parse().ok()?]),
            _ => None,
        }
    }

    fn try_statement(&mut self, n: Node) {
        let mut catches_import = false;
        let mut catches_attr = false;
        let mut catches_name = false;
        for c in named_children(n) {
            if c.kind() == "except_clause" || c.kind() == "except_group_clause" {
                let caught = c.named_child(0).filter(|v| v.kind() != "block").map(|v| {
                    let v = if v.kind() == "as_pattern" {
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
            match c.kind() {
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
                        if b.kind() == "block" {
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

    fn except_clause(&mut self, c: Node) {
        for part in named_children(c) {
            match part.kind() {
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

    fn with_statement(&mut self, n: Node) {
        for c in named_children(n) {
            match c.kind() {
                "with_clause" => {
                    for item in named_children(c) {
                        if item.kind() != "with_item" {
                            continue;
                        }
                        let Some(value) = field!(item, "value") else {
                            continue;
                        };
                        if value.kind() == "as_pattern" {
                            let expr = value
                                .named_child(0)
                                .map(|v| self.walk_expr(v))
                                .unwrap_or(Expr::Unknown);
                            if let Some(alias) = field!(value, "alias") {
                                match alias.named_child(0) {
                                    Some(id) if id.kind() == "identifier" => {
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

    fn match_statement(&mut self, n: Node) {
        if let Some(subject) = field!(n, "subject") {
            self.walk_expr(subject);
            if subject.kind() == "identifier" {
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
            if case.kind() != "case_clause" {
                continue;
            }
            for part in named_children(case) {
                match part.kind() {
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

    fn pattern(&mut self, p: Node) {
        match p.kind() {
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
                    if i == 0 && c.kind() == "dotted_name" {
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
                        if c.kind() == "dotted_name" {
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
    fn dotted_load(&mut self, n: Node) {
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

    // ---------------------------------------------------------------- expressions

    /// Walk an expression in load context: records its attribute chains and free
    /// names, and returns it as an [`Expr`].
    fn walk_expr(&mut self, n: Node) -> Expr {
        let e = self.build(n);
        self.record_ref(e.clone());
        e
    }

    /// Like `walk_expr`, but for a node that was already walked.
    fn expr_no_ref(&mut self, n: Node) -> Expr {
        let saved_refs = self.facts.attr_refs.len();
        let saved_names = self.pending_names.len();
        let e = self.build(n);
        self.facts.attr_refs.truncate(saved_refs);
        self.pending_names.truncate(saved_names);
        e
    }

    fn record_ref(&mut self, e: Expr) {
        if contains_attr(&e) {
            self.facts.attr_refs.push(AttrRef {
                expr: e,
                guard: self.current_guard,
                in_try_attr: self.try_attr > 0,
            });
        }
    }

    fn name_load(&mut self, id: Node) -> Expr {
        let name = self.text(id);
        self.pending_names.push(PendingName {
            name: name.into(),
            scope: self.scope,
            span: span(id),
            guard: self.current_guard,
            in_try_name: self.try_name > 0,
        });
        Expr::Name {
            name: name.into(),
            scope: self.scope,
            span: span(id),
        }
    }

    /// Build the chain expression for a primary; sub-expressions that are not
    /// part of the chain are walked independently.
    fn build(&mut self, n: Node) -> Expr {
        match n.kind() {
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
                if let Some(args) = field!(n, "arguments") {
                    self.call_arguments(&func, args);
                }
                Expr::Call {
                    func: Box::new(func),
                }
            }
            "subscript" => {
                let value = field!(n, "value")
                    .map(|v| self.build(v))
                    .unwrap_or(Expr::Unknown);
                let mut cursor = n.walk();
                let subs: Vec<Node> = n.children_by_field_name("subscript", &mut cursor).collect();
                for s in subs {
                    self.walk_expr(s);
                }
                Expr::Subscript {
                    value: Box::new(value),
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
                match n.kind() {
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

    fn walk_children(&mut self, n: Node) {
        for c in named_children(n) {
            match c.kind() {
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

    fn call_arguments(&mut self, func: &Expr, args: Node) {
        if args.kind() == "generator_expression" {
            // f(x for x in xs): the generator is the only argument.
            self.walk_expr(args);
            return;
        }
        let callee = func.dotted();
        let callee = callee.as_deref().unwrap_or("");
        let arg_nodes: Vec<Node> = named_children(args)
            .into_iter()
            .filter(|c| c.kind() != "comment")
            .collect();
        match callee {
            "isinstance" | "issubclass" | "hasattr" | "callable" | "type" | "getattr" => {
                if let Some(first) = arg_nodes.first() {
                    // hasattr/getattr guard one attribute, not the whole name.
                    let narrows = !matches!(callee, "hasattr" | "getattr" | "callable");
                    if narrows && first.kind() == "identifier" {
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
            "setattr" | "delattr" => {
                if let Some(first) = arg_nodes.first() {
                    let t = self.text(*first);
                    if let Some(c) = self.self_class_of(t) {
                        self.facts.classes[c as usize].dynamic = true;
                    } else if t.starts_with("sys.modules[") {
                        self.facts.dynamic.setattr_self = true;
                    } else if first.kind() == "identifier" {
                        // setattr(SomeClass, …): the class named here gains members.
                        let class = self.class_named(t);
                        if let Some(c) = class {
                            self.facts.classes[c as usize].dynamic = true;
                        }
                    }
                }
            }
            "locals" | "vars" | "exec" | "eval" => {
                self.facts.scopes[self.scope as usize].dynamic_names = true;
                if callee == "vars" {
                    if let Some(first) = arg_nodes.first() {
                        if let Some(c) = self.self_class_of(self.text(*first)) {
                            self.facts.classes[c as usize].dynamic = true;
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
                                self.facts.classes[c as usize].dynamic = true;
                            }
                        }
                    }
                    if callee == "globals().update" {
                        self.facts.dynamic.globals_write = true;
                    }
                }
                if callee == "globals.update" || callee == "globals.setdefault" {
                    self.facts.dynamic.globals_write = true;
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
        // `globals()["x"] = …` is handled at the assignment; `globals().update`:
        if let Expr::Attr { base, attr, .. } = func {
            if matches!(&**attr, "update" | "setdefault" | "__setitem__") {
                if let Expr::Call { func: inner } = base.as_ref() {
                    if inner.dotted().as_deref() == Some("globals") {
                        self.facts.dynamic.globals_write = true;
                    }
                }
            }
        }
        for a in arg_nodes {
            self.walk_expr(a);
        }
    }

    fn comprehension(&mut self, n: Node) {
        let clauses = named_children(n);
        // The first iterable is evaluated in the enclosing scope.
        let mut first_iter_done = false;
        if let Some(first_for) = clauses.iter().find(|c| c.kind() == "for_in_clause") {
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
            if c.kind() == "for_in_clause" {
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
            match c.kind() {
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

    fn lambda(&mut self, n: Node) {
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
                let id = match p.kind() {
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

fn first_identifier(n: Node) -> Option<Node> {
    if n.kind() == "identifier" {
        return Some(n);
    }
    let mut cursor = n.walk();
    let found = n.named_children(&mut cursor).find_map(|c| {
        if c.kind() == "identifier" {
            Some(c)
        } else {
            first_identifier(c)
        }
    });
    found
}

/// `X.__new__`, `super().__new__`, `object.__new__`.
fn is_new_call(func: &Expr) -> bool {
    matches!(func, Expr::Attr { attr, .. } if &**attr == "__new__")
}

fn contains_attr(e: &Expr) -> bool {
    match e {
        Expr::Attr { .. } => true,
        Expr::Call { func } => contains_attr(func),
        Expr::Subscript { value } => contains_attr(value),
        _ => false,
    }
}

fn mark_guarded(e: &mut Expr, pairs: &HashSet<(String, String)>) {
    match e {
        Expr::Attr {
            base,
            attr,
            guarded,
            ..
        } => {
            if let Some(b) = base.dotted() {
                if pairs.contains(&(b, attr.to_string())) {
                    *guarded = true;
                }
            }
            mark_guarded(base, pairs);
        }
        Expr::Call { func } => mark_guarded(func, pairs),
        Expr::Subscript { value } => mark_guarded(value, pairs),
        _ => {}
    }
}

/// Collapse whitespace runs (multi-line annotations and defaults).
fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for ch in s.chars() {
        if ch.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(ch);
        }
    }
    out
}

/// Whether a name is a dunder (`__x__`): never reported as a member.
pub fn dunder(name: &str) -> bool {
    is_dunder(name)
}
