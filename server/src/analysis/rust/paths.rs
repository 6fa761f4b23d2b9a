//! Paths checked in a namespace of their own: derive names (macros) and
//! `<T as Trait>::item` (the trait's own items).

use std::sync::Arc;

use super::resolve::{Look, Outcome, Res, Resolver};
use super::NO_CRATE;
use crate::index::rust::{ModNode, StdKind};
use crate::syntax::rust::facts::*;
use crate::syntax::rust::STD_DERIVES;

/// When the one-name derive `r` (`#[derive(Debugg)]`) names no derive macro
/// in scope: the names that are (for suggestions). None when it does, or may:
/// an import, a glob that cannot be followed, a `#[macro_use] extern crate`
/// (its macros join every module's scope), a local binding.
pub fn missing_derive(
    r: &Resolver,
    node: &Arc<ModNode>,
    facts: &RustFacts,
    path: &PathRef,
) -> Option<Vec<String>> {
    let name = path.segs.first()?;
    if node.key.0 == NO_CRATE
        || STD_DERIVES.contains(&name.as_str())
        || facts.bound_locally(path.scope, name)
    {
        return None;
    }
    if !matches!(
        r.lookup_in(node, name, path.scope, 0, Namespace::DeriveMacro),
        Look::NotFound
    ) {
        return None;
    }
    let root = r.index.root(node.key.0)?;
    if root
        .module()
        .items
        .iter()
        .any(|i| i.kind == RItemKind::ExternCrate && i.macro_use)
    {
        return None;
    }
    let mut candidates: Vec<String> = STD_DERIVES.iter().map(|d| d.to_string()).collect();
    candidates.extend(
        node.module()
            .uses
            .iter()
            .filter_map(|u| u.binds().map(str::to_string)),
    );
    Some(candidates)
}

/// When `<T as Trait>::item` names no item of the trait: the trait's name
/// and its items. None when the trait is not known for certain, or its
/// items may be more than its source shows (a macro among them, an
/// attribute macro on it).
pub fn missing_trait_item(
    r: &Resolver,
    node: &Arc<ModNode>,
    q: &QualifiedRef,
) -> Option<(String, Vec<String>)> {
    let outcome = r.resolve_in(node, &q.trait_segs, q.absolute, q.scope, 0, Namespace::Type);
    let Outcome::Res(res) = outcome else {
        return None;
    };
    let (name, items) = match res {
        Res::Std(p, StdKind::Trait) => {
            let items = r.index.std.as_ref()?.members(&p)?;
            (p.rsplit("::").next().unwrap_or(&p).to_string(), items)
        }
        Res::Item(n, i) => {
            let item = &n.module().items[i];
            if item.kind != RItemKind::Trait
                || n.key.0 == NO_CRATE
                || !item.attr_macros.is_empty()
                || item.members.iter().any(|m| m.name == "*")
            {
                return None;
            }
            let items = item.members.iter().map(|m| m.name.clone()).collect();
            (item.name.clone(), items)
        }
        _ => return None,
    };
    if items.iter().any(|m| m == &q.item) {
        return None;
    }
    Some((name, items))
}

/// A struct's name, the fields a literal names that it lacks (with their
/// spans), and the fields it has.
pub type UnknownFields = (
    String,
    Vec<(String, crate::syntax::facts::Span)>,
    Vec<String>,
);

/// The fields a struct literal names that its struct does not have (with
/// their spans), the struct's name and its fields. None when the struct or
/// its fields are not known for certain (an attribute macro may add fields;
/// std's are the public fields the index lists, and a type it lists none of
/// is not checked).
pub fn unknown_fields(
    r: &Resolver,
    node: &Arc<ModNode>,
    lit: &StructLiteral,
) -> Option<UnknownFields> {
    let Outcome::Res(res) =
        r.resolve_in(node, &lit.segs, lit.absolute, lit.scope, 0, Namespace::Type)
    else {
        return None;
    };
    let (name, fields) = match res {
        Res::Std(p, StdKind::Type) => {
            let std = r.index.std.as_ref()?;
            let fields: Vec<String> = std
                .members(&p)?
                .into_iter()
                .filter(|m| std.label(&format!("{p}::{m}")) == Some("field"))
                .collect();
            if fields.is_empty() {
                return None;
            }
            (p.rsplit("::").next().unwrap_or(&p).to_string(), fields)
        }
        Res::Item(n, i) => {
            let item = &n.module().items[i];
            if !matches!(item.kind, RItemKind::Struct | RItemKind::Union)
                || n.key.0 == NO_CRATE
                || !item.attr_macros.is_empty()
            {
                return None;
            }
            let fields = item
                .members
                .iter()
                .filter(|m| m.kind == MemberKind::Field)
                .map(|m| m.name.clone())
                .collect();
            (item.name.clone(), fields)
        }
        _ => return None,
    };
    let unknown: Vec<_> = lit
        .fields
        .iter()
        .filter(|(f, _)| !fields.contains(f))
        .cloned()
        .collect();
    (!unknown.is_empty()).then_some((name, unknown, fields))
}
