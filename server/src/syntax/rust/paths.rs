//! Paths: `use` trees, paths in types and expressions, and types written as
//! plain paths.

use tree_sitter::Node;

use super::facts::*;
use super::{named_children, rfield, span, Builder};
use crate::syntax::facts::Span;

impl<'s> Builder<'s> {
    /// The segments of a path node (`a::b::c`, `crate::x`, `::a`), with their
    /// spans; None when a segment is not a plain name (a bracketed type:
    /// `<T as Trait>::x`). Turbofish arguments are dropped (`Vec::<u8>::new`
    /// is `Vec::new`).
    pub(super) fn segments(&self, n: Node) -> Option<(Vec<String>, Vec<Span>, bool)> {
        let mut segs = Vec::new();
        let mut spans = Vec::new();
        let mut absolute = false;
        let mut cur = n;
        loop {
            match cur.kind() {
                "scoped_identifier" | "scoped_type_identifier" => {
                    let name = rfield!(cur, "name")?;
                    segs.push(self.text(name).to_string());
                    spans.push(span(name));
                    match rfield!(cur, "path") {
                        Some(p) => cur = p,
                        None => {
                            // `::a` (a leading `::`).
                            absolute = self.text(cur).trim_start().starts_with("::");
                            break;
                        }
                    }
                }
                // `HashMap::<K, V>::new`: the turbofish is not a segment.
                "generic_type" => cur = rfield!(cur, "type")?,
                "identifier" | "type_identifier" | "crate" | "self" | "super"
                | "primitive_type" | "field_identifier" => {
                    segs.push(self.text(cur).to_string());
                    spans.push(span(cur));
                    break;
                }
                _ => return None,
            }
        }
        segs.reverse();
        spans.reverse();
        Some((segs, spans, absolute))
    }

    /// A type written as a plain path (references and generic arguments
    /// peeled off): `&mut Vec<u8>` → `Vec`.
    pub(super) fn type_ref(&self, t: Node) -> Option<TypeRef> {
        match t.kind() {
            "reference_type" => self.type_ref(rfield!(t, "type")?),
            // A raw pointer has its own inherent methods (`is_null`, `add`) and
            // never auto-derefs to the pointee's: its members are not checked.
            "pointer_type" => None,
            "generic_type" => self.type_ref(rfield!(t, "type")?),
            // `[T; N]` is an array; `[T]` (no length) a slice.
            "array_type" => Some(TypeRef {
                path: vec![if rfield!(t, "length").is_some() {
                    "array".to_string()
                } else {
                    "slice".to_string()
                }],
            }),
            "primitive_type" => Some(TypeRef {
                path: vec![self.text(t).to_string()],
            }),
            "type_identifier" | "scoped_type_identifier" | "identifier" | "scoped_identifier" => {
                let (segs, _, _) = self.segments(t)?;
                Some(TypeRef { path: segs })
            }
            _ if self.text(t).starts_with('[') => Some(TypeRef {
                path: vec!["slice".to_string()],
            }),
            _ => None,
        }
    }

    /// Record the multi-segment paths inside a type (`serde_json::Valuee`,
    /// `std::collections::HashMapp<K, V>`).
    pub(super) fn type_refs(&mut self, t: Node, module: ModuleId, scope: Option<ScopeId>) {
        match t.kind() {
            "scoped_type_identifier" => {
                if let Some((segs, spans, absolute)) = self.segments(t) {
                    self.facts.refs.push(PathRef {
                        segs,
                        spans,
                        absolute,
                        kind: RefKind::Type,
                        module,
                        scope,
                    });
                }
            }
            "generic_type" => {
                if let Some(base) = rfield!(t, "type") {
                    self.type_refs(base, module, scope);
                }
                if let Some(args) = rfield!(t, "type_arguments") {
                    for a in named_children(args) {
                        self.type_refs(a, module, scope);
                    }
                }
            }
            "type_identifier" | "primitive_type" | "identifier" => {}
            _ => {
                for c in named_children(t) {
                    self.type_refs(c, module, scope);
                }
            }
        }
    }

    pub(super) fn use_declaration(
        &mut self,
        n: Node,
        module: ModuleId,
        scope: Option<ScopeId>,
        attrs: &super::items::Attrs,
    ) {
        let public = named_children(n)
            .into_iter()
            .any(|c| c.kind() == "visibility_modifier");
        let Some(arg) = rfield!(n, "argument") else {
            return;
        };
        let mut out = Vec::new();
        self.use_tree(arg, &[], &[], false, &mut out);
        for (path, spans, alias, glob, absolute) in out {
            let u = RUse {
                path,
                spans,
                alias,
                glob,
                public,
                absolute,
                scope,
                cfg: attrs.cfg,
                cfgs: attrs.cfgs.clone(),
                via: self.via_for(module),
            };
            if let Some(name) = u.binds() {
                let name = name.to_string();
                self.bind_local(scope, &name);
            }
            if let Some(m) = self.facts.modules.get_mut(module as usize) {
                m.uses.push(u);
            }
        }
    }

    #[allow(clippy::type_complexity)]
    fn use_tree(
        &self,
        n: Node,
        prefix: &[String],
        prefix_spans: &[Span],
        absolute: bool,
        out: &mut Vec<(Vec<String>, Vec<Span>, Option<String>, bool, bool)>,
    ) {
        let join = |segs: Vec<String>, spans: Vec<Span>, abs: bool| {
            let mut p = prefix.to_vec();
            let mut s = prefix_spans.to_vec();
            p.extend(segs);
            s.extend(spans);
            (p, s, absolute || abs)
        };
        match n.kind() {
            "use_as_clause" => {
                let Some(path) = rfield!(n, "path") else {
                    return;
                };
                let Some((segs, spans, abs)) = self.segments(path) else {
                    return;
                };
                let alias = rfield!(n, "alias").map(|a| self.text(a).to_string());
                let (p, s, abs) = join(segs, spans, abs);
                out.push((p, s, alias, false, abs));
            }
            "scoped_use_list" => {
                let (p, s, abs) = match rfield!(n, "path") {
                    Some(path) => match self.segments(path) {
                        Some((segs, spans, abs)) => join(segs, spans, abs),
                        None => return,
                    },
                    None => (
                        prefix.to_vec(),
                        prefix_spans.to_vec(),
                        absolute || self.text(n).trim_start().starts_with("::"),
                    ),
                };
                if let Some(list) = rfield!(n, "list") {
                    for c in named_children(list) {
                        self.use_tree(c, &p, &s, abs, out);
                    }
                }
            }
            "use_list" => {
                for c in named_children(n) {
                    self.use_tree(c, prefix, prefix_spans, absolute, out);
                }
            }
            "use_wildcard" => {
                let (p, s, abs) = match named_children(n).into_iter().next() {
                    Some(path) => match self.segments(path) {
                        Some((segs, spans, abs)) => join(segs, spans, abs),
                        None => return,
                    },
                    None => (prefix.to_vec(), prefix_spans.to_vec(), absolute),
                };
                out.push((p, s, None, true, abs));
            }
            "self" if !prefix.is_empty() => {
                // `use a::b::{self}` binds `b`.
                out.push((
                    prefix.to_vec(),
                    prefix_spans.to_vec(),
                    None,
                    false,
                    absolute,
                ));
            }
            _ => {
                if let Some((segs, spans, abs)) = self.segments(n) {
                    let (p, s, abs) = join(segs, spans, abs);
                    out.push((p, s, None, false, abs));
                }
            }
        }
    }
}
