//! Method calls on receivers whose type is certain, and the traits in scope
//! that may provide methods.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::prelude;
use super::resolve::{Outcome, Res, Resolver};
use crate::index::rust::{ModNode, StdKind};
use crate::syntax::rust::facts::*;

pub struct TraitsInScope {
    /// Method names of every trait in scope (the prelude's included).
    pub methods: BTreeSet<String>,
    /// A glob import or an import could not be followed: a trait in scope
    /// may be unknown, so no method call is reported.
    pub open: bool,
}

pub fn traits_in_scope(r: &Resolver, nodes: &[Arc<ModNode>]) -> TraitsInScope {
    let mut out = TraitsInScope {
        methods: BTreeSet::new(),
        open: false,
    };
    let Some(std) = r.index.std.as_ref() else {
        out.open = true;
        return out;
    };
    for path in prelude::prelude_traits() {
        match std.members(path) {
            Some(ms) => out.methods.extend(ms),
            None => out.open = true,
        }
    }
    for node in nodes {
        for u in &node.module().uses {
            match r.resolve(node, &u.path, u.absolute, u.scope, 0) {
                Outcome::Res(Res::Std(p, StdKind::Trait)) => {
                    out.methods.extend(std.members(&p).unwrap_or_default());
                }
                Outcome::Res(Res::Std(p, StdKind::Module)) if u.glob => {
                    for child in std.children(&p).unwrap_or_default() {
                        let full = format!("{p}::{child}");
                        if std.kinds_of(&full).contains(&StdKind::Trait) {
                            out.methods.extend(std.members(&full).unwrap_or_default());
                        }
                    }
                }
                Outcome::Res(Res::Item(n, i)) => {
                    let item = &n.module().items[i];
                    if item.kind == RItemKind::Trait {
                        if item.members.iter().any(|m| m.name == "*") {
                            out.open = true;
                        }
                        out.methods
                            .extend(item.members.iter().map(|m| m.name.clone()));
                    }
                }
                Outcome::Res(Res::Module(m)) if u.glob => {
                    let module = m.module();
                    if !module.open_reasons.is_empty() || module.uses.iter().any(|x| x.glob) {
                        out.open = true;
                    }
                    for item in &module.items {
                        if item.kind == RItemKind::Trait {
                            out.methods
                                .extend(item.members.iter().map(|m| m.name.clone()));
                        }
                    }
                    if module.uses.iter().any(|x| x.public) {
                        // Re-exported traits: not followed.
                        out.open = true;
                    }
                }
                Outcome::Res(Res::Std(..)) => {}
                Outcome::Res(Res::Crate(_)) if u.glob => out.open = true,
                Outcome::Res(_) => {}
                Outcome::Unknown => out.open = true,
                Outcome::Missing { .. } => {}
            }
        }
        // Traits declared in the file are in scope where declared.
        for item in &node.module().items {
            if item.kind == RItemKind::Trait {
                out.methods
                    .extend(item.members.iter().map(|m| m.name.clone()));
            }
        }
    }
    out
}

/// The type a receiver certainly has, resolved.
pub fn receiver_type(r: &Resolver, node: &Arc<ModNode>, call: &MethodCall) -> Option<Res> {
    let facts = &node.facts;
    match &call.receiver {
        Receiver::Var(name) if name == "self" => {
            let ty = facts.self_type(call.scope)?;
            type_res(r, node, &ty.path, call.scope)
        }
        Receiver::Var(name) => match facts.var_type(call.scope, name)? {
            VarType::Declared(t) | VarType::Literal(t) => type_res(r, node, &t.path, call.scope),
            VarType::Constructed(path, ctor) => constructed(r, node, path, ctor, call.scope),
        },
        Receiver::Literal(t) => type_res(r, node, &t.path, call.scope),
        Receiver::Constructed(path, ctor) => constructed(r, node, path, ctor, call.scope),
        Receiver::SelfField(field) => {
            let ty = facts.self_type(call.scope)?;
            let Res::Item(n, i) = type_res(r, node, &ty.path, call.scope)? else {
                return None;
            };
            let item = &n.module().items[i];
            let member = item.members.iter().find(|m| &m.name == field)?;
            let fty = member.ty.as_ref()?;
            // The field's type is written in the struct's own module.
            type_res(r, &n, &fty.path, None)
        }
        Receiver::Other => None,
    }
}

fn type_res(
    r: &Resolver,
    node: &Arc<ModNode>,
    path: &[String],
    scope: Option<ScopeId>,
) -> Option<Res> {
    if path.first().is_some_and(|f| f == "Self") && path.len() == 1 {
        let ty = node.facts.self_type(scope)?;
        if ty.path.first().is_some_and(|f| f == "Self") {
            return None;
        }
        return type_res(r, node, &ty.path.clone(), None);
    }
    if path.len() == 1 && (path[0] == "slice" || path[0] == "array") {
        return Some(Res::Std(path[0].clone(), StdKind::Type));
    }
    match r.resolve(node, path, false, scope, 0) {
        Outcome::Res(res @ Res::Std(_, StdKind::Type)) => Some(res),
        Outcome::Res(res @ Res::Item(..)) => Some(res),
        _ => None,
    }
}

fn constructed(
    r: &Resolver,
    node: &Arc<ModNode>,
    path: &[String],
    ctor: &str,
    scope: Option<ScopeId>,
) -> Option<Res> {
    let ty = type_res(r, node, path, scope)?;
    match &ty {
        Res::Std(p, _) if prelude::returns_self(p, ctor) => Some(ty),
        Res::Item(n, _) => {
            let impls = r.index.crate_impls(n.key.0);
            let name = path.last()?;
            impls
                .ctors
                .get(name)
                .is_some_and(|c| c.contains(ctor))
                .then_some(ty)
        }
        _ => None,
    }
}

/// When `call`'s method certainly does not exist: the receiver's type (for
/// the message) and the names it does have.
pub fn missing_method(
    r: &Resolver,
    node: &Arc<ModNode>,
    call: &MethodCall,
) -> Option<(String, Vec<String>)> {
    if r.scope_methods.contains(&call.method)
        || prelude::UNIVERSAL_METHODS.contains(&call.method.as_str())
    {
        return None;
    }
    let ty = receiver_type(r, node, call)?;
    match ty {
        Res::Std(p, _) => {
            let std = r.index.std.as_ref()?;
            if prelude::derefs_to_unknown(&p) {
                return None;
            }
            let mut members = std.members(&p)?;
            if let Some(target) = prelude::deref_target(&p) {
                members.extend(std.members(target)?);
            } else if std
                .implemented_traits(&p)
                .iter()
                .any(|t| t.ends_with("::Deref"))
            {
                return None;
            }
            if members.iter().any(|m| m == &call.method) {
                return None;
            }
            let short = p.rsplit("::").next().unwrap_or(&p).to_string();
            Some((short, members))
        }
        Res::Item(n, i) => {
            let item = &n.module().items[i];
            if !matches!(
                item.kind,
                RItemKind::Struct | RItemKind::Enum | RItemKind::Union
            ) {
                return None;
            }
            let impls = r.index.crate_impls(n.key.0);
            if impls
                .traits
                .get(&item.name)
                .is_some_and(|t| t.contains("Deref"))
            {
                return None;
            }
            let members = r.crate_type_members(&n, item)?;
            if members.contains(&call.method) {
                return None;
            }
            Some((item.name.clone(), members.into_iter().collect()))
        }
        _ => None,
    }
}
