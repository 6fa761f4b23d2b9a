//! Method calls on receivers whose type is certain, and the traits in scope
//! that may provide methods.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::prelude;
use super::receivers::{RTy, Typer};
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
    let ty = Typer { r }.receiver(node, &call.receiver, call.scope, 0)?;
    (!ty.dyn_trait).then_some(ty.res)
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
    let typer = Typer { r };
    let ty = typer.receiver(node, &call.receiver, call.scope, 0)?;
    let members = callable(&typer, &ty, 0)?;
    if members.iter().any(|m| m == &call.method) {
        return None;
    }
    let short = match &ty.res {
        Res::Std(p, _) => p.rsplit("::").next().unwrap_or(p).to_string(),
        Res::Item(n, i) => n.module().items[*i].name.clone(),
        _ => return None,
    };
    Some((short, members))
}

/// Every method name callable on a value of type `ty` (its own, its traits',
/// what it dereferences to); None when they cannot all be known.
pub(super) fn callable(typer: &Typer, ty: &RTy, depth: u32) -> Option<Vec<String>> {
    const MAX_DEREFS: u32 = 4;
    if depth > MAX_DEREFS {
        return None;
    }
    let r = typer.r;
    match &ty.res {
        Res::Std(p, kind) => {
            let std = r.index.std.as_ref()?;
            if ty.dyn_trait {
                // `dyn Trait`: the trait's methods, its supertraits' too —
                // unknown here, so only a trait without any is checked.
                if *kind != StdKind::Trait || has_supertraits(std.signature(p).as_deref()) {
                    return None;
                }
                return std.members(p);
            }
            if prelude::derefs_to_unknown(p) {
                return None;
            }
            let mut members = std.members(p)?;
            if let Some(target) = prelude::deref_target(p) {
                members.extend(std.members(target)?);
            } else if std
                .implemented_traits(p)
                .iter()
                .any(|t| t.ends_with("::Deref"))
            {
                return None;
            }
            Some(members)
        }
        Res::Item(n, i) => {
            let item = &n.module().items[*i];
            if ty.dyn_trait {
                if item.kind != RItemKind::Trait || has_supertraits(item.signature.as_deref()) {
                    return None;
                }
                let mut out = r.crate_type_members(n, item)?;
                // (`impl dyn Trait { … }` adds inherent methods.)
                out.extend(item.members.iter().map(|m| m.name.clone()));
                return Some(out.into_iter().collect());
            }
            if !matches!(
                item.kind,
                RItemKind::Struct | RItemKind::Enum | RItemKind::Union
            ) {
                return None;
            }
            let mut members: Vec<String> = r.crate_type_members(n, item)?.into_iter().collect();
            match typer.deref_target(ty, depth)? {
                None => {}
                Some(target) => members.extend(callable(typer, &target, depth + 1)?),
            }
            Some(members)
        }
        _ => None,
    }
}

/// Whether a trait's declaration head (`trait Error: Debug + Display`)
/// names supertraits; unknown (no head) counts as having them.
fn has_supertraits(head: Option<&str>) -> bool {
    let Some(head) = head else {
        return true;
    };
    let head = head.split(" where ").next().unwrap_or(head);
    let after_name = head.split_once('>').map_or(head, |(_, rest)| rest);
    let generics_free = if head.contains('<') { after_name } else { head };
    generics_free.contains(':')
}

/// When a named field certainly does not exist on `access`'s receiver: the
/// type (for the message) and the fields it has.
pub fn missing_field(
    r: &Resolver,
    node: &Arc<ModNode>,
    access: &MethodCall,
) -> Option<(String, Vec<String>)> {
    let typer = Typer { r };
    let ty = typer.receiver(node, &access.receiver, access.scope, 0)?;
    let names = fields(&typer, &ty, 0)?;
    if names.iter().any(|f| f == &access.method) {
        return None;
    }
    let short = match &ty.res {
        Res::Std(p, _) => p.rsplit("::").next().unwrap_or(p).to_string(),
        Res::Item(n, i) => n.module().items[*i].name.clone(),
        _ => return None,
    };
    Some((short, names))
}

/// Names a field access on `ty` may reach (its fields and those of what it
/// dereferences to; for std types every member, a superset); None when not
/// all can be known.
fn fields(typer: &Typer, ty: &RTy, depth: u32) -> Option<Vec<String>> {
    const MAX_DEREFS: u32 = 4;
    if depth > MAX_DEREFS || ty.dyn_trait {
        return None;
    }
    let r = typer.r;
    match &ty.res {
        Res::Std(p, _) => {
            let std = r.index.std.as_ref()?;
            if prelude::derefs_to_unknown(p) {
                return None;
            }
            let mut names = std.members(p)?;
            if let Some(target) = prelude::deref_target(p) {
                names.extend(std.members(target)?);
            } else if std
                .implemented_traits(p)
                .iter()
                .any(|t| t.ends_with("::Deref"))
            {
                return None;
            }
            Some(names)
        }
        Res::Item(n, i) => {
            let item = &n.module().items[*i];
            if !matches!(item.kind, RItemKind::Struct | RItemKind::Union) {
                return None;
            }
            // Attribute macros and proc-macro derives may add fields.
            r.crate_type_members(n, item)?;
            let mut names: Vec<String> = item
                .members
                .iter()
                .filter(|m| m.kind == MemberKind::Field)
                .map(|m| m.name.clone())
                .collect();
            if let Some(target) = typer.deref_target(ty, depth)? {
                names.extend(fields(typer, &target, depth + 1)?);
            }
            Some(names)
        }
        _ => None,
    }
}
