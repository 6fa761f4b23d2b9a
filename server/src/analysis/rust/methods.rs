//! Method calls on receivers whose type is certain, and the traits in scope
//! that may provide methods.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::prelude;
use super::receivers::{RTy, Typer, FUTURE, TUPLE};
use super::resolve::{Outcome, Res, Resolver};
use super::trait_impls::{may_implement, ScopeTrait};
use crate::index::rust::{ModNode, StdKind};
use crate::syntax::rust::facts::*;

pub struct TraitsInScope {
    /// Method names of every trait in scope (the prelude's included).
    pub methods: BTreeSet<String>,
    /// A glob import or an import could not be followed: a trait in scope
    /// may be unknown, so no method call is reported.
    pub open: bool,
    /// Each trait in scope with its method names.
    pub traits: Vec<(ScopeTrait, BTreeSet<String>)>,
}

pub fn traits_in_scope(r: &Resolver, nodes: &[Arc<ModNode>]) -> TraitsInScope {
    let mut out = TraitsInScope {
        methods: BTreeSet::new(),
        open: false,
        traits: Vec::new(),
    };
    let Some(std) = r.index.std.as_ref() else {
        out.open = true;
        return out;
    };
    for path in prelude::prelude_traits() {
        match std.members(path) {
            Some(ms) => out.add(ScopeTrait::Std(path.to_string()), ms),
            None => out.open = true,
        }
    }
    for node in nodes {
        for u in &node.module().uses {
            match r.resolve(node, &u.path, u.absolute, u.scope, 0) {
                Outcome::Res(Res::Std(p, StdKind::Trait)) => {
                    let ms = std.members(&p).unwrap_or_default();
                    out.add(ScopeTrait::Std(p), ms);
                }
                Outcome::Res(Res::Std(p, StdKind::Module)) if u.glob => {
                    for child in std.children(&p).unwrap_or_default() {
                        let full = format!("{p}::{child}");
                        if std.kinds_of(&full).contains(&StdKind::Trait) {
                            let ms = std.members(&full).unwrap_or_default();
                            out.add(ScopeTrait::Std(full), ms);
                        }
                    }
                }
                Outcome::Res(Res::Item(n, i)) => {
                    let item = &n.module().items[i];
                    if item.kind == RItemKind::Trait {
                        if item.members.iter().any(|m| m.name == "*") {
                            out.open = true;
                        }
                        out.add_item(&n, i);
                    }
                }
                Outcome::Res(Res::Module(m)) if u.glob => {
                    let module = m.module();
                    if !module.open_reasons.is_empty()
                        || module.uses.iter().any(|x| x.glob)
                        || m.maybe_names().is_some()
                    {
                        out.open = true;
                    }
                    for (i, item) in module.items.iter().enumerate() {
                        if item.kind == RItemKind::Trait {
                            out.add_item(&m, i);
                        }
                    }
                    // A glob imports the module's own imports too (a child's
                    // `use super::*` sees its parent's private `use`s).
                    for x in module.uses.iter().filter(|x| !x.glob) {
                        match r.resolve(&m, &x.path, x.absolute, None, 0) {
                            Outcome::Res(Res::Std(p, StdKind::Trait)) => {
                                let ms = std.members(&p).unwrap_or_default();
                                out.add(ScopeTrait::Std(p), ms);
                            }
                            Outcome::Res(Res::Item(n, i))
                                if n.module().items[i].kind == RItemKind::Trait =>
                            {
                                out.add_item(&n, i);
                            }
                            Outcome::Unknown => out.open = true,
                            _ => {}
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
        // A call of another crate's macro may declare a trait here.
        if node.maybe_names().is_some() {
            out.open = true;
        }
        // Traits declared in the file are in scope where declared.
        for (i, item) in node.module().items.iter().enumerate() {
            if item.kind == RItemKind::Trait {
                out.add_item(node, i);
            }
        }
    }
    out
}

impl TraitsInScope {
    fn add(&mut self, tr: ScopeTrait, methods: Vec<String>) {
        let methods: BTreeSet<String> = methods.into_iter().collect();
        self.methods.extend(methods.iter().cloned());
        self.traits.push((tr, methods));
    }

    fn add_item(&mut self, n: &Arc<ModNode>, i: usize) {
        let names = n.module().items[i]
            .members
            .iter()
            .map(|m| m.name.clone())
            .collect();
        self.add(ScopeTrait::Item(n.clone(), i), names);
    }
}

/// A method call that certainly fails: the receiver's type (for the
/// message), the names it has, and the traits in scope that have the
/// method but that the type does not implement.
pub struct MissingMethod {
    pub ty: String,
    pub candidates: Vec<String>,
    pub unimplemented: Vec<String>,
    /// The method exists, from traits that are not in scope (their paths,
    /// for the message).
    pub out_of_scope: Option<String>,
}

/// The type a receiver certainly has, resolved.
pub fn receiver_type(r: &Resolver, node: &Arc<ModNode>, call: &MethodCall) -> Option<Res> {
    let ty = Typer { r }.receiver(node, &call.receiver, call.scope, 0)?;
    (!ty.dyn_trait && !ty.is_marker(TUPLE) && !ty.is_marker(FUTURE)).then_some(ty.res)
}

/// When `call`'s method certainly does not exist: the receiver's type (for
/// the message) and the names it does have. A method of a trait in scope
/// counts only when the type may implement the trait.
pub fn missing_method(
    r: &Resolver,
    node: &Arc<ModNode>,
    call: &MethodCall,
    scope: &TraitsInScope,
) -> Option<MissingMethod> {
    let method = call.method.as_str();
    // `to_string` is universal only for what is `Display`, which std's
    // types tell (`impl<T: Display> ToString for T` is on their pages).
    if prelude::UNIVERSAL_METHODS.contains(&method) && method != "to_string" {
        return None;
    }
    if method == "to_string" && !r.scope_methods.contains(method) {
        return None;
    }
    let typer = Typer { r };
    let ty = typer.receiver(node, &call.receiver, call.scope, 0)?;
    let std_receiver = matches!(ty.res, Res::Std(..)) && !ty.dyn_trait;
    if method == "to_string" && !std_receiver {
        return None;
    }
    let members = callable(&typer, &ty, 0)?;
    if members.iter().any(|m| m == method) {
        // A std type's method that only traits out of scope provide
        // (`file.write(…)` without `use std::io::Write`).
        let out_of_scope = match &ty.res {
            Res::Std(p, _) if std_receiver => trait_not_in_scope(r, p, method, scope)?,
            _ => return None,
        };
        let short = p_short(&ty.res)?;
        return Some(MissingMethod {
            ty: short,
            candidates: Vec::new(),
            unimplemented: Vec::new(),
            out_of_scope: Some(out_of_scope),
        });
    }
    let mut unimplemented = Vec::new();
    if r.scope_methods.contains(method) {
        let providers: Vec<&ScopeTrait> = scope
            .traits
            .iter()
            .filter(|(_, ms)| ms.contains(method))
            .map(|(t, _)| t)
            .collect();
        if providers.is_empty() || providers.iter().any(|t| may_implement(r, &ty, t, 0)) {
            return None;
        }
        unimplemented = providers.iter().map(|t| t.name()).collect();
        unimplemented.dedup();
    }
    Some(MissingMethod {
        ty: p_short(&ty.res)?,
        candidates: members,
        unimplemented,
        out_of_scope: None,
    })
}

/// The traits the file imports (not the prelude's) that the receiver of
/// `call` may implement: their methods are the receiver's too.
pub fn imported_traits<'a>(
    r: &Resolver,
    node: &Arc<ModNode>,
    call: &MethodCall,
    scope: &'a TraitsInScope,
) -> Vec<&'a ScopeTrait> {
    let Some(ty) = (Typer { r }).receiver(node, &call.receiver, call.scope, 0) else {
        return Vec::new();
    };
    let prelude: BTreeSet<&str> = prelude::prelude_traits().collect();
    scope
        .traits
        .iter()
        .map(|(t, _)| t)
        .filter(|t| !matches!(t, ScopeTrait::Std(p) if prelude.contains(p.as_str())))
        .filter(|t| may_implement(r, &ty, t, 0))
        .collect()
}

/// A type's name for messages.
fn p_short(res: &Res) -> Option<String> {
    match res {
        Res::Std(p, _) => Some(p.rsplit("::").next().unwrap_or(p).to_string()),
        Res::Item(n, i) => Some(n.module().items[*i].name.clone()),
        _ => None,
    }
}

/// When every `method` std type `path` (or what it dereferences to) has
/// comes from impls of traits that are not in scope: those traits' paths.
/// None when an inherent one exists, one trait is in scope (by name), or
/// the members cannot be told.
fn trait_not_in_scope(
    r: &Resolver,
    path: &str,
    method: &str,
    scope: &TraitsInScope,
) -> Option<String> {
    let std = r.index.std.as_ref()?;
    let in_scope: BTreeSet<String> = scope.traits.iter().map(|(t, _)| t.name()).collect();
    let mut traits: Vec<String> = Vec::new();
    let mut cur = Some(path);
    let mut steps = 0;
    while let Some(p) = cur {
        for from in std.member_traits(p, method) {
            let t = from?;
            let name = t.rsplit("::").next().unwrap_or(&t).to_string();
            // (Edition 2024's prelude adds `Future` and `IntoFuture`.)
            if in_scope.contains(&name) || matches!(name.as_str(), "Future" | "IntoFuture") {
                return None;
            }
            if !traits.contains(&t) {
                traits.push(t);
            }
        }
        steps += 1;
        if steps > 4 {
            return None;
        }
        cur = prelude::deref_target(p);
    }
    if traits.is_empty() {
        return None;
    }
    Some(
        traits
            .iter()
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(" or "),
    )
}

/// Every method name callable on a value of type `ty` (its own, its traits',
/// what it dereferences to); None when they cannot all be known.
pub(super) fn callable(typer: &Typer, ty: &RTy, depth: u32) -> Option<Vec<String>> {
    const MAX_DEREFS: u32 = 4;
    if depth > MAX_DEREFS {
        return None;
    }
    let r = typer.r;
    // A tuple's methods are its traits' (not listed here); a future's are
    // `Future`'s: neither is checked.
    if ty.is_marker(TUPLE) || ty.is_marker(FUTURE) {
        return None;
    }
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
        _ if ty.is_marker(TUPLE) => "tuple".to_string(),
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
    // A tuple has no named field (`.0` is not recorded as one).
    if ty.is_marker(TUPLE) {
        return Some(Vec::new());
    }
    if ty.is_marker(FUTURE) {
        return None;
    }
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
