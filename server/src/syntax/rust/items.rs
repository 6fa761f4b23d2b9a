//! Items: what a module (or a block) declares, with the attributes that
//! decide whether the source tells the whole story.

use tree_sitter::Node;

use super::cfg::top_level_parts;
use super::docs::{DocComment, DocText};
use super::facts::*;
use super::{named_children, rfield, span, squash, Builder};

/// Attributes the compiler itself understands; any other attribute on an
/// item is an attribute macro that may rewrite it.
pub(crate) const BUILTIN_ATTRS: &[&str] = &[
    "allow",
    "automatically_derived",
    "cfg",
    "cfg_attr",
    "cold",
    "collapse_debuginfo",
    "deny",
    "deprecated",
    "derive",
    "diagnostic",
    "doc",
    "expect",
    "export_name",
    "forbid",
    "global_allocator",
    "ignore",
    "inline",
    "link",
    "link_name",
    "link_section",
    "macro_export",
    "macro_use",
    "must_use",
    "no_mangle",
    "non_exhaustive",
    "panic_handler",
    "path",
    "proc_macro",
    "proc_macro_attribute",
    "proc_macro_derive",
    "recursion_limit",
    "repr",
    "rustfmt",
    "clippy",
    "should_panic",
    "target_feature",
    "test",
    "track_caller",
    "unsafe",
    "used",
    "warn",
    "no_std",
    "no_implicit_prelude",
    "windows_subsystem",
    "crate_type",
    "crate_name",
    "feature",
    "rustc_diagnostic_item",
    "stable",
    "unstable",
    "rustc_const_stable",
    "rustc_const_unstable",
    "track_caller",
    "debugger_visualizer",
    "type_length_limit",
    // The standard library's own (rust-src).
    "lang",
    "allow_internal_unstable",
    "allow_internal_unsafe",
    "const_trait",
    "fundamental",
    "must_not_suspend",
    "coverage",
    "optimize",
    "instruction_set",
    "naked",
    "no_core",
    "prelude_import",
    "marker",
    "may_dangle",
    "unstable_feature_bound",
    "const_panic",
    "cfg_eval",
    "doc_cfg",
];

/// Derives the compiler implements itself.
pub(crate) const STD_DERIVES: &[&str] = &[
    "Debug",
    "Clone",
    "Copy",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "Default",
];

/// Item-level macros that expand to no nameable item.
const ITEMLESS_MACROS: &[&str] = &[
    "compile_error",
    "doctest",
    "const_assert",
    "const_assert_eq",
    "assert_impl_all",
    "assert_not_impl_any",
    "assert_obj_safe",
    "static_assert",
];

/// Whether an item-level macro invocation may declare items.
pub(super) fn may_declare_items(name: &str) -> bool {
    let last = name
        .rsplit("::")
        .next()
        .unwrap_or(name)
        .trim_end_matches('!');
    !ITEMLESS_MACROS.contains(&last)
}

/// The names `macro_rules!` definitions in `text` give, and whether one
/// is a metavariable (`macro_rules! $name`).
fn macro_rules_names(text: &str) -> (Vec<String>, bool) {
    let (mut names, mut unnamed) = (Vec::new(), false);
    for (at, _) in text.match_indices("macro_rules") {
        let before_ok = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        let rest = &text[at + "macro_rules".len()..];
        let Some(rest) = rest.trim_start().strip_prefix('!') else {
            continue;
        };
        if !before_ok {
            continue;
        }
        let rest = rest.trim_start();
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            unnamed = true;
        } else {
            names.push(name);
        }
    }
    (names, unnamed)
}

/// Whether macro text contains an inherent impl: an `impl` word whose
/// header (up to its `{`) has no ` for `.
fn inherent_impl_in(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(pos) = text[from..].find("impl") {
        let at = from + pos;
        from = at + 4;
        let before_ok =
            at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        let after_ok = bytes
            .get(at + 4)
            .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'));
        if !before_ok || !after_ok {
            continue;
        }
        let header_end = text[at..].find('{').map(|e| at + e).unwrap_or(text.len());
        if !text[at..header_end].contains(" for ") {
            return true;
        }
    }
    false
}

/// The traits macro text may implement: the last name of the trait of each
/// `impl … Trait for …` header it writes, `*` when a metavariable names it
/// (`m::*` when it is a metavariable in module `m`).
fn trait_impls_in(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out: Vec<String> = Vec::new();
    let mut from = 0;
    while let Some(pos) = text[from..].find("impl") {
        let at = from + pos;
        from = at + 4;
        let before_ok =
            at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        let after_ok = bytes
            .get(at + 4)
            .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'));
        if !before_ok || !after_ok {
            continue;
        }
        let header_end = text[at..].find('{').map(|e| at + e).unwrap_or(text.len());
        let header = &text[at + 4..header_end];
        let Some(for_at) = header.find(" for ") else {
            continue;
        };
        let trait_text = super::trait_header::skip_generics(&header[..for_at]);
        let name = super::trait_header::last_name(trait_text);
        // A trait named by a metavariable: any trait (`*`), or any of a
        // module's when a path leads to it (`fmt::$fmt_trait` → `fmt::*`).
        let name = if name.is_empty() {
            match trait_text.trim().rsplit_once("::") {
                Some((prefix, _)) if !prefix.contains('$') && !prefix.trim().is_empty() => {
                    format!("{}::*", super::trait_header::last_name(prefix))
                }
                _ => "*".to_string(),
            }
        } else {
            name
        };
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// Attributes gathered before an item.
#[derive(Default)]
pub(super) struct Attrs {
    pub cfg: bool,
    pub macro_export: bool,
    pub derives: Vec<String>,
    pub macros: Vec<String>,
    pub path: Option<String>,
    pub test_only: bool,
    pub macro_use: bool,
    /// `#[proc_macro_derive(Name)]` and the like: the macro's kind, and its
    /// name when the attribute gives it (a derive's; else the fn's).
    pub proc_macro: Option<(ProcMacroKind, Option<String>)>,
    /// The paths of `#[derive(...)]` (not `cfg_attr`'s, which may be off),
    /// with their spans and whether they start with `::`.
    pub derive_paths: Vec<(Vec<String>, Vec<crate::syntax::facts::Span>, bool)>,
    /// Outer docs: `///`, `/** */`, `#[doc = ".."]`.
    pub doc: DocText,
    /// `#[cfg(…)]` predicates.
    pub cfgs: Vec<String>,
    /// `#[cfg_attr(…)]`s that add derives or attribute macros.
    pub cfg_attrs: Vec<CfgAttr>,
}

impl<'s> Builder<'s> {
    /// The items of a module or block body. `scope`: the enclosing function
    /// body, for items declared inside one.
    pub(super) fn module_body(&mut self, body: Node, module: ModuleId, scope: Option<ScopeId>) {
        let mut attrs = Attrs::default();
        let mut inner = DocText::default();
        for child in named_children(body) {
            match child.kind() {
                "attribute_item" => self.attribute(child, &mut attrs),
                "inner_attribute_item" => {
                    if let Some(doc) = self.inner_doc_attribute(child) {
                        inner.push(&doc);
                    }
                }
                "line_comment" | "block_comment" => match self.doc_comment(child) {
                    Some(DocComment::Outer(c)) => c.add_to(&mut attrs.doc),
                    Some(DocComment::Inner(c)) => c.add_to(&mut inner),
                    None => {}
                },
                _ => {
                    let taken = std::mem::take(&mut attrs);
                    self.item(child, module, scope, taken);
                }
            }
        }
        if scope.is_none() && !inner.is_empty() {
            if let Some(m) = self.facts.modules.get_mut(module as usize) {
                if m.doc.is_none() {
                    m.doc = inner.line();
                }
            }
        }
    }

    /// Docs and attributes before a member (a field, a variant, an impl or
    /// trait item): fed from `n` when it is one; false for anything else.
    fn member_prelude(&mut self, n: Node, attrs: &mut Attrs) -> bool {
        match n.kind() {
            "attribute_item" => self.attribute(n, attrs),
            "line_comment" | "block_comment" => {
                if let Some(DocComment::Outer(c)) = self.doc_comment(n) {
                    c.add_to(&mut attrs.doc);
                }
            }
            _ => return false,
        }
        true
    }

    pub(super) fn attribute(&mut self, n: Node, attrs: &mut Attrs) {
        let Some(attr) = named_children(n)
            .into_iter()
            .find(|c| c.kind() == "attribute")
        else {
            return;
        };
        let Some(path) = named_children(attr).into_iter().next() else {
            return;
        };
        let name = self.text(path).to_string();
        let args = rfield!(attr, "arguments")
            .map(|a| self.text(a))
            .unwrap_or("");
        match name.as_str() {
            "doc" => {
                if let Some(doc) = self.doc_attribute(attr) {
                    attrs.doc.push(&doc);
                }
            }
            "cfg" => {
                attrs.cfg = true;
                if args.contains("test") && !args.contains("not") {
                    attrs.test_only = true;
                }
                let parts = top_level_parts(args);
                if let [pred] = parts.as_slice() {
                    attrs.cfgs.push(super::squash(pred));
                }
            }
            "cfg_attr" => {
                attrs.cfg = true;
                // `cfg_attr(pred, attr, ...)`: the attributes it may add.
                let parts = top_level_parts(args);
                let pred = parts.first().map(|p| super::squash(p)).unwrap_or_default();
                let mut added_by = CfgAttr {
                    pred: pred.clone(),
                    ..Default::default()
                };
                for added in parts.into_iter().skip(1) {
                    let name: String = added
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                        .collect();
                    if name == "derive" {
                        let inner = added[name.len()..].trim();
                        for d in top_level_parts(inner) {
                            attrs.derives.push(d.trim().to_string());
                            added_by.derives.push(d.trim().to_string());
                        }
                    } else if name == "cfg" {
                        // `cfg_attr(p, cfg(q))`: exists unless p holds and q does not.
                        let q = added[name.len()..].trim();
                        if let [q] = top_level_parts(q).as_slice() {
                            attrs
                                .cfgs
                                .push(format!("any(not({pred}), {})", super::squash(q)));
                        }
                    } else if name == "path" {
                        // Its file depends on the configuration: a name no
                        // configuration sets keeps it uncertain.
                        attrs.cfgs.push("__grounded_cfg_attr_path".to_string());
                    } else if !BUILTIN_ATTRS.contains(&name.split("::").next().unwrap_or("")) {
                        attrs.macros.push(name.clone());
                        added_by.macros.push(name);
                    }
                }
                if !added_by.derives.is_empty() || !added_by.macros.is_empty() {
                    attrs.cfg_attrs.push(added_by);
                }
            }
            "macro_export" => attrs.macro_export = true,
            "macro_use" => attrs.macro_use = true,
            "proc_macro" => attrs.proc_macro = Some((ProcMacroKind::Bang, None)),
            "proc_macro_attribute" => attrs.proc_macro = Some((ProcMacroKind::Attr, None)),
            "proc_macro_derive" => {
                let name = top_level_parts(args)
                    .first()
                    .map(|n| n.trim().to_string())
                    .filter(|n| !n.is_empty());
                attrs.proc_macro = Some((ProcMacroKind::Derive, name));
            }
            "derive" => {
                if let Some(tree) = rfield!(attr, "arguments") {
                    attrs.derive_paths.extend(self.derive_paths(tree));
                }
                let inner = args.trim_start_matches('(').trim_end_matches(')');
                for d in inner.split(',') {
                    let d = d.trim();
                    if !d.is_empty() {
                        attrs.derives.push(d.to_string());
                    }
                }
            }
            "path" => {
                if let Some(v) = rfield!(attr, "value") {
                    attrs.path = Some(self.text(v).trim_matches('"').to_string());
                }
            }
            other => {
                let first = other.split("::").next().unwrap_or(other);
                if !BUILTIN_ATTRS.contains(&first) && !first.starts_with("rustc_") {
                    attrs.macros.push(other.to_string());
                }
            }
        }
    }

    /// The paths a `derive(...)` token tree names: `(serde::Serialize,
    /// Debug)`. A part that is not a plain path is left out.
    fn derive_paths(
        &self,
        tree: Node,
    ) -> Vec<(Vec<String>, Vec<crate::syntax::facts::Span>, bool)> {
        let mut out = Vec::new();
        let (mut segs, mut spans, mut absolute, mut plain) = (Vec::new(), Vec::new(), false, true);
        let mut cursor = tree.walk();
        let children: Vec<Node> = tree.children(&mut cursor).collect();
        let last = children.len().saturating_sub(1);
        for (i, c) in children.into_iter().enumerate() {
            match c.kind() {
                "(" if i == 0 => {}
                "identifier" | "crate" | "self" | "super" => {
                    segs.push(self.text(c).to_string());
                    spans.push(span(c));
                }
                "::" => absolute |= segs.is_empty(),
                "," | ")" if c.kind() == "," || i == last => {
                    if plain && !segs.is_empty() {
                        out.push((
                            std::mem::take(&mut segs),
                            std::mem::take(&mut spans),
                            absolute,
                        ));
                    }
                    (segs, spans, absolute, plain) = (Vec::new(), Vec::new(), false, true);
                }
                "line_comment" | "block_comment" => {}
                _ => plain = false,
            }
        }
        out
    }

    fn is_pub(&self, n: Node) -> bool {
        named_children(n)
            .into_iter()
            .any(|c| c.kind() == "visibility_modifier")
    }

    /// Declared `pub(crate)`, `pub(super)`, `pub(in …)` or `pub(self)`.
    pub(super) fn is_restricted(&self, n: Node) -> bool {
        named_children(n)
            .into_iter()
            .any(|c| c.kind() == "visibility_modifier" && self.text(c).contains('('))
    }

    /// Declared plain `pub`: another crate can name it.
    fn is_exported(&self, n: Node) -> bool {
        self.is_pub(n) && !self.is_restricted(n)
    }

    fn push_item(&mut self, module: ModuleId, scope: Option<ScopeId>, item: RItem) {
        match scope {
            // Items inside a body are local names of that body.
            Some(_) => self.bind_local(scope, &item.name.clone()),
            None => {
                if let Some(m) = self.facts.modules.get_mut(module as usize) {
                    m.items.push(item);
                }
            }
        }
    }

    fn open_module(&mut self, module: ModuleId, reason: String) {
        if let Some(m) = self.facts.modules.get_mut(module as usize) {
            if !m.open_reasons.contains(&reason) {
                m.open_reasons.push(reason);
                m.open_lines.push(u32::MAX);
            }
        }
    }

    /// [`Self::open_module`], remembering the row of the construct (`--why`).
    fn open_module_at(&mut self, module: ModuleId, reason: String, n: Node) {
        self.open_module(module, reason.clone());
        if let Some(m) = self.facts.modules.get_mut(module as usize) {
            if let Some(i) = m.open_reasons.iter().position(|r| *r == reason) {
                if m.open_lines.len() == m.open_reasons.len() && m.open_lines[i] == u32::MAX {
                    m.open_lines[i] = n.start_position().row as u32;
                }
            }
        }
    }

    /// An item-level macro invocation: its body read as items; the module
    /// is open (`name!`) unless the macro makes no nameable item or its
    /// body was read whole (`thread_local!`).
    fn item_level_call(&mut self, n: Node, module: ModuleId, cfgs: &[String]) {
        let name = rfield!(n, "macro").map(|m| self.text(m)).unwrap_or("");
        if !may_declare_items(name) {
            return;
        }
        let name = name.to_string();
        self.note_macro_definitions(n, module);
        if !self.item_macro_call(n, module, cfgs) {
            self.open_module_at(module, format!("{name}!"), n);
        }
    }

    /// Where code under `#[cfg(…)]` is: `n`, under `cfgs`.
    pub(super) fn cfg_region(&mut self, n: Node, cfgs: &[String]) {
        if !cfgs.is_empty() && self.via.is_none() {
            self.facts.cfg_regions.push(CfgRegion {
                start_byte: n.start_byte() as u32,
                end_byte: n.end_byte() as u32,
                cfgs: cfgs.to_vec(),
            });
        }
    }

    /// The macros `text` (an item-level invocation, a `macro_rules!` body)
    /// may define: the names after each `macro_rules!` in it.
    fn note_macro_definitions_in(&mut self, text: &str, module: ModuleId) {
        let (names, unnamed) = macro_rules_names(text);
        if let Some(m) = self.facts.modules.get_mut(module as usize) {
            m.defined_macros.extend(names);
            m.defined_macros_unnamed |= unnamed;
        }
    }

    fn note_macro_definitions(&mut self, invocation: Node, module: ModuleId) {
        let text = self.text(invocation);
        self.note_macro_definitions_in(text, module);
    }

    pub(super) fn item(&mut self, n: Node, module: ModuleId, scope: Option<ScopeId>, attrs: Attrs) {
        self.cfg_region(n, &attrs.cfgs);
        let kind = match n.kind() {
            "function_item" => Some(RItemKind::Fn),
            "function_signature_item" => Some(RItemKind::Fn),
            "struct_item" => Some(RItemKind::Struct),
            "enum_item" => Some(RItemKind::Enum),
            "union_item" => Some(RItemKind::Union),
            "trait_item" => Some(RItemKind::Trait),
            "type_item" => Some(RItemKind::TypeAlias),
            "const_item" => Some(RItemKind::Const),
            "static_item" => Some(RItemKind::Static),
            "mod_item" => Some(RItemKind::Mod),
            "macro_definition" => Some(RItemKind::Macro),
            "extern_crate_declaration" => Some(RItemKind::ExternCrate),
            _ => None,
        };
        if scope.is_none() && !attrs.macros.is_empty() && n.kind() != "impl_item" {
            // An attribute macro may add items beside the one it decorates.
            let reason = format!("#[{}]", attrs.macros[0]);
            self.open_module_at(module, reason, n);
        }
        if !attrs.cfg {
            // A derive under `cfg` may never be compiled: its paths are not
            // checked.
            for (segs, spans, absolute) in &attrs.derive_paths {
                self.facts.refs.push(PathRef {
                    segs: segs.clone(),
                    spans: spans.clone(),
                    absolute: *absolute,
                    kind: RefKind::Derive,
                    module,
                    scope,
                });
            }
        }
        let Some(kind) = kind else {
            match n.kind() {
                "use_declaration" => self.use_declaration(n, module, scope, &attrs),
                "impl_item" => self.impl_item(n, module, scope, attrs),
                "macro_invocation" => {
                    self.macro_invocation(n, module, scope);
                    if scope.is_none() {
                        self.item_level_call(n, module, &attrs.cfgs);
                    }
                }
                "foreign_mod_item" => {
                    if let Some(body) = rfield!(n, "body") {
                        self.module_body(body, module, scope);
                    }
                }
                "expression_statement" | "let_declaration" | "empty_statement" => {
                    // `make_fn!(x);` at item level is an expression statement
                    // in the grammar: it may expand to items.
                    if scope.is_none() {
                        if let Some(m) = named_children(n)
                            .into_iter()
                            .find(|c| c.kind() == "macro_invocation")
                        {
                            self.item_level_call(m, module, &attrs.cfgs);
                        }
                    }
                    self.statement(n, module, scope)
                }
                "ERROR" => {
                    for c in named_children(n) {
                        self.item(c, module, scope, Attrs::default());
                    }
                }
                _ => self.statement(n, module, scope),
            }
            return;
        };
        let name_node = rfield!(n, "name");
        let mut name = name_node
            .map(|c| self.text(c).to_string())
            .unwrap_or_default();
        if name.is_empty() {
            return;
        }
        let mut item = RItem {
            name: name.clone(),
            kind,
            public: self.is_pub(n) || attrs.macro_export,
            restricted: self.is_restricted(n) && !attrs.macro_export,
            cfg: attrs.cfg,
            macro_export: attrs.macro_export,
            test_only: attrs.test_only,
            macro_inherent_impls: kind == RItemKind::Macro && inherent_impl_in(self.text(n)),
            macro_shape: if kind == RItemKind::Macro {
                self.macro_shape(n)
            } else {
                None
            },
            cfgs: attrs.cfgs.clone(),
            cfg_attrs: attrs.cfg_attrs.clone(),
            via: self.via_for(module),
            macro_use: attrs.macro_use,
            macro_trait_impls: if kind == RItemKind::Macro {
                trait_impls_in(self.text(n))
            } else {
                Vec::new()
            },
            derives: attrs.derives.clone(),
            proc_macro: attrs.proc_macro.as_ref().map(|(kind, named)| ProcMacro {
                name: named.clone().unwrap_or_else(|| name.clone()),
                kind: *kind,
            }),
            attr_macros: attrs.macros.clone(),
            module: None,
            members: Vec::new(),
            extern_crate: None,
            signature: None,
            ret: None,
            aliased: None,
            doc: attrs.doc.line(),
            span: span(name_node.unwrap_or(n)),
        };
        match kind {
            RItemKind::Fn => {
                item.signature = Some(self.fn_signature(n));
                item.ret = rfield!(n, "return_type").and_then(|t| self.type_ref(t));
                if let Some(body) = rfield!(n, "body") {
                    self.fn_body(n, body, module, scope, None);
                }
                self.types_in_signature(n, module, scope);
            }
            RItemKind::Struct | RItemKind::Union => {
                if let Some(body) = rfield!(n, "body") {
                    item.members = self.fields(body, module, scope);
                }
            }
            RItemKind::Enum => {
                if let Some(body) = rfield!(n, "body") {
                    item.members = self.variants(body);
                }
            }
            RItemKind::Trait => {
                // Its head (`trait Error: Debug + Display`): whether it has supertraits.
                let start = name_node.map_or(n.start_byte(), |c| c.start_byte());
                let end = rfield!(n, "body").map_or(n.end_byte(), |b| b.start_byte());
                let head = self.src.get(start..end).unwrap_or("");
                item.signature = Some(format!("trait {}", squash(head.trim())));
                let trait_scope = self.new_scope(scope, module);
                self.generics(n, Some(trait_scope));
                if let Some(t) = self.facts.scopes.get_mut(trait_scope as usize) {
                    t.self_ty = Some(TypeRef {
                        path: vec!["Self".to_string()],
                    });
                }
                if let Some(body) = rfield!(n, "body") {
                    item.members = self.assoc_items(body, module, trait_scope);
                }
            }
            RItemKind::TypeAlias => {
                item.aliased = rfield!(n, "type").and_then(|t| self.type_ref(t));
                // `type Result<T> = std::result::Result<T, Error>`, for
                // receiver types that go through the alias.
                let start = name_node.map_or(n.start_byte(), |c| c.start_byte());
                let text = self.src.get(start..n.end_byte()).unwrap_or("");
                item.signature = Some(format!(
                    "type {}",
                    squash(text.trim_end_matches(';').trim())
                ));
                if let Some(t) = rfield!(n, "type") {
                    self.type_refs(t, module, scope);
                }
            }
            RItemKind::Const | RItemKind::Static => {
                if let Some(t) = rfield!(n, "type") {
                    self.type_refs(t, module, scope);
                }
                if let Some(v) = rfield!(n, "value") {
                    self.expr(v, module, scope);
                }
            }
            RItemKind::Mod => {
                if scope.is_some() {
                    return;
                }
                match rfield!(n, "body") {
                    Some(body) => {
                        let id = self.facts.modules.len() as ModuleId;
                        self.facts.modules.push(RModule {
                            name: name.clone(),
                            parent: Some(module),
                            ..Default::default()
                        });
                        item.module = Some(ModTarget::Inline(id));
                        self.module_body(body, id, None);
                        if item.doc.is_none() {
                            // `mod x { //! … }`: documented from inside.
                            item.doc = self.facts.modules[id as usize].doc.clone();
                        }
                    }
                    None => {
                        item.module = Some(ModTarget::File {
                            path_attr: attrs.path.clone(),
                        });
                    }
                }
            }
            RItemKind::Macro => {
                // A macro whose body defines macros (after its own name).
                if let Some(body) = name_node.and_then(|c| self.src.get(c.end_byte()..n.end_byte()))
                {
                    self.note_macro_definitions_in(body, module);
                }
            }
            RItemKind::ExternCrate => {
                // `extern crate foo as bar;` binds `bar`; `extern crate self as x`.
                item.extern_crate = Some(name.clone());
                if let Some(alias) = rfield!(n, "alias") {
                    name = self.text(alias).to_string();
                    item.name = name.clone();
                }
            }
        }
        if attrs.test_only && kind == RItemKind::Mod {
            // `#[cfg(test)] mod tests;` still exists for the test build.
            item.cfg = true;
        }
        self.push_item(module, scope, item);
    }

    fn fn_signature(&self, n: Node) -> String {
        let end = rfield!(n, "body")
            .map(|b| b.start_byte())
            .unwrap_or(n.end_byte());
        let start = rfield!(n, "name")
            .map(|c| c.start_byte())
            .unwrap_or(n.start_byte());
        let text = self.src.get(start..end).unwrap_or("");
        // An `async fn` returns a future of what it says it returns.
        let is_async = named_children(n).into_iter().any(|c| {
            c.kind() == "function_modifiers"
                && self.text(c).split_whitespace().any(|w| w == "async")
        });
        let keyword = if is_async { "async fn" } else { "fn" };
        format!("{keyword} {}", squash(text.trim_end_matches(';').trim()))
    }

    fn variants(&mut self, body: Node) -> Vec<RMember> {
        let mut out = Vec::new();
        let mut attrs = Attrs::default();
        for v in named_children(body) {
            if self.member_prelude(v, &mut attrs) {
                continue;
            }
            let taken = std::mem::take(&mut attrs);
            let doc = taken.doc.line();
            let cfgs = taken.cfgs;
            if v.kind() != "enum_variant" {
                continue;
            }
            if let Some(vn) = rfield!(v, "name") {
                out.push(RMember {
                    name: self.text(vn).to_string(),
                    cfgs: cfgs.clone(),
                    kind: MemberKind::Variant,
                    public: true,
                    ty: None,
                    signature: None,
                    doc,
                });
            }
        }
        out
    }

    fn fields(&mut self, body: Node, module: ModuleId, scope: Option<ScopeId>) -> Vec<RMember> {
        let mut out = Vec::new();
        let mut attrs = Attrs::default();
        // A tuple struct's fields are named by position: `.0`, `.1`, ...
        let mut position = 0usize;
        // A tuple field's visibility is the node before its type.
        let mut tuple_pub = false;
        for f in named_children(body) {
            if f.kind() == "visibility_modifier" {
                tuple_pub = !self.text(f).contains('(');
                continue;
            }
            if self.member_prelude(f, &mut attrs) {
                continue;
            }
            let public = std::mem::take(&mut tuple_pub) || self.is_exported(f);
            let taken = std::mem::take(&mut attrs);
            let doc = taken.doc.line();
            let cfgs = taken.cfgs;
            match f.kind() {
                "field_declaration" => {
                    let ty = rfield!(f, "type");
                    if let Some(t) = ty {
                        self.type_refs(t, module, scope);
                    }
                    if let Some(name) = rfield!(f, "name") {
                        out.push(RMember {
                            name: self.text(name).to_string(),
                            cfgs: cfgs.clone(),
                            kind: MemberKind::Field,
                            public,
                            ty: ty.and_then(|t| self.type_ref(t)),
                            signature: None,
                            doc,
                        });
                    }
                }
                _ => {
                    self.type_refs(f, module, scope);
                    out.push(RMember {
                        name: position.to_string(),
                        cfgs: cfgs.clone(),
                        kind: MemberKind::Field,
                        public,
                        ty: self.type_ref(f),
                        signature: None,
                        doc,
                    });
                    position += 1;
                }
            }
        }
        out
    }

    /// Items of a trait or impl body.
    fn assoc_items(&mut self, body: Node, module: ModuleId, scope: ScopeId) -> Vec<RMember> {
        let mut out = Vec::new();
        let mut attrs = Attrs::default();
        for c in named_children(body) {
            if self.member_prelude(c, &mut attrs) {
                continue;
            }
            let taken = std::mem::take(&mut attrs);
            self.cfg_region(c, &taken.cfgs);
            let doc = taken.doc.line();
            let cfgs = taken.cfgs;
            match c.kind() {
                "function_item" | "function_signature_item" => {
                    let Some(name) = rfield!(c, "name") else {
                        continue;
                    };
                    let has_self = rfield!(c, "parameters").is_some_and(|p| {
                        named_children(p)
                            .into_iter()
                            .any(|x| x.kind() == "self_parameter")
                    });
                    let ret = rfield!(c, "return_type").and_then(|t| self.type_ref(t));
                    out.push(RMember {
                        name: self.text(name).to_string(),
                        cfgs: cfgs.clone(),
                        kind: MemberKind::Fn {
                            has_self,
                            has_default: c.kind() == "function_item",
                        },
                        public: self.is_exported(c),
                        ty: ret,
                        signature: Some(self.fn_signature(c)),
                        doc,
                    });
                    self.types_in_signature(c, module, Some(scope));
                    if let Some(b) = rfield!(c, "body") {
                        self.fn_body(c, b, module, Some(scope), None);
                    }
                }
                "const_item" => {
                    if let Some(name) = rfield!(c, "name") {
                        out.push(RMember {
                            name: self.text(name).to_string(),
                            cfgs: cfgs.clone(),
                            kind: MemberKind::Const,
                            public: self.is_exported(c),
                            ty: None,
                            signature: None,
                            doc,
                        });
                    }
                    if let Some(v) = rfield!(c, "value") {
                        self.expr(v, module, Some(scope));
                    }
                }
                "associated_type" | "type_item" => {
                    if let Some(name) = rfield!(c, "name") {
                        // `type Target = Inner;` in an impl: what it names.
                        let signature = rfield!(c, "type").map(|t| {
                            format!("type {} = {}", self.text(name), squash(self.text(t)))
                        });
                        out.push(RMember {
                            name: self.text(name).to_string(),
                            cfgs: cfgs.clone(),
                            kind: MemberKind::Type,
                            public: self.is_exported(c),
                            ty: None,
                            signature,
                            doc,
                        });
                    }
                }
                "macro_invocation" => {
                    // Items generated inside an impl or trait: unknown.
                    out.push(RMember {
                        name: "*".to_string(),
                        cfgs: Vec::new(),
                        public: true,
                        kind: MemberKind::Fn {
                            has_self: true,
                            has_default: true,
                        },
                        ty: None,
                        signature: None,
                        doc: None,
                    });
                }
                _ => {}
            }
        }
        out
    }

    fn impl_item(&mut self, n: Node, module: ModuleId, scope: Option<ScopeId>, attrs: Attrs) {
        let impl_scope = self.new_scope(scope, module);
        let generics = self.generics(n, Some(impl_scope));
        let self_node = rfield!(n, "type");
        let self_ty = self_node.and_then(|t| self.type_ref(t));
        let blanket = self_ty
            .as_ref()
            .is_some_and(|t| t.path.len() == 1 && generics.contains(&t.path[0]))
            || self_node.is_some_and(|t| matches!(t.kind(), "reference_type" | "pointer_type"))
                && self_ty
                    .as_ref()
                    .is_some_and(|t| t.path.len() == 1 && generics.contains(&t.path[0]));
        let blanket_bounds = if blanket {
            let head_end = rfield!(n, "body").map_or(n.end_byte(), |b| b.start_byte());
            let head = self.src.get(n.start_byte()..head_end).unwrap_or_default();
            self_ty
                .as_ref()
                .and_then(|t| super::trait_header::param_bounds(head, &t.path[0]))
        } else {
            None
        };
        if let Some(t) = self.facts.scopes.get_mut(impl_scope as usize) {
            t.self_ty = self_ty.clone();
        }
        let trait_path = rfield!(n, "trait").map(|t| {
            let base = if t.kind() == "generic_type" {
                rfield!(t, "type").unwrap_or(t)
            } else {
                t
            };
            self.text(base)
                .split("::")
                .map(|s| s.trim().to_string())
                .collect::<Vec<_>>()
        });
        if let Some(t) = rfield!(n, "trait") {
            self.type_refs(t, module, Some(impl_scope));
        }
        if let Some(t) = self_node {
            self.type_refs(t, module, Some(impl_scope));
        }
        let items = match rfield!(n, "body") {
            Some(body) => self.assoc_items(body, module, impl_scope),
            None => Vec::new(),
        };
        if scope.is_some() {
            // Impls inside function bodies still count (their methods exist).
        }
        let via = self.via_for(module);
        if let Some(m) = self.facts.modules.get_mut(module as usize) {
            m.impls.push(RImpl {
                self_ty,
                trait_path,
                blanket,
                blanket_bounds,
                generics,
                items,
                attr_macros: attrs.macros,
                cfgs: attrs.cfgs,
                via,
                span: span(n),
            });
        }
    }

    /// Bind the generic parameters of `n` in `scope`; returns their names.
    pub(super) fn generics(&mut self, n: Node, scope: Option<ScopeId>) -> Vec<String> {
        let mut names = Vec::new();
        let Some(params) = rfield!(n, "type_parameters") else {
            return names;
        };
        for p in named_children(params) {
            let name = match p.kind() {
                "type_parameter" | "const_parameter" => rfield!(p, "name")
                    .or_else(|| named_children(p).into_iter().next())
                    .map(|x| self.text(x).to_string()),
                "type_identifier" | "identifier" => Some(self.text(p).to_string()),
                "constrained_type_parameter" | "optional_type_parameter" => {
                    let left = rfield!(p, "left")
                        .or_else(|| rfield!(p, "name"))
                        .or_else(|| named_children(p).into_iter().next());
                    left.map(|x| self.text(x).to_string())
                }
                _ => None,
            };
            if let Some(name) = name {
                self.bind_local(scope, &name);
                names.push(name);
            }
        }
        names
    }

    fn types_in_signature(&mut self, f: Node, module: ModuleId, scope: Option<ScopeId>) {
        // Generic parameters of the fn shadow paths in its signature.
        let sig_scope = self.new_scope(scope, module);
        self.generics(f, Some(sig_scope));
        if let Some(params) = rfield!(f, "parameters") {
            for p in named_children(params) {
                if let Some(t) = rfield!(p, "type") {
                    self.type_refs(t, module, Some(sig_scope));
                }
            }
        }
        if let Some(t) = rfield!(f, "return_type") {
            self.type_refs(t, module, Some(sig_scope));
        }
    }
}
