//! Whether a receiver's type may implement a trait in scope — a trait's
//! method is callable only then (`vec![1].sum()` is an error: `Vec` is not
//! an `Iterator`).
//!
//! - A std trait on a std type: the impls std's documentation shows on the
//!   type's page (trait, auto-trait and blanket impls; `impl<T> ToString for
//!   T where T: Display` is shown only where it may apply), for the type and
//!   for each type it dereferences to. No other crate can implement a std
//!   trait for a std type (the orphan rule) unless the trait has type
//!   parameters (`From<Local>`), which are never decided.
//! - A crate's trait: its impls in its own crate and, for a crate's type, in
//!   the type's crate (where the orphan rule lets them be): an impl for
//!   another named type does not apply; a blanket impl applies unless one of
//!   its bounds is a trait the type certainly does not implement.
//!
//! Everything else may hold: a std trait on a crate's type, a crate whose
//! macros may write impls of the trait, an impl whose self type or bounds
//! cannot be read, a type the receiver typing does not know exactly.

use std::sync::Arc;

use super::prelude;
use super::receivers::{RTy, Typer};
use super::resolve::{Outcome, Res, Resolver};
use super::NO_CRATE;
use crate::index::rust::{ModNode, StdApi, StdKind, TraitImpl};
use crate::syntax::rust::facts::RItemKind;
use crate::syntax::rust::trait_header::impl_head;

/// How many bounds deep a blanket impl is followed.
const MAX_DEPTH: u32 = 4;

/// A trait in scope.
#[derive(Debug, Clone)]
pub enum ScopeTrait {
    /// A std trait by its full path.
    Std(String),
    /// A crate's trait (by index in its module's items).
    Item(Arc<ModNode>, usize),
}

impl ScopeTrait {
    /// The trait's name, for messages.
    pub fn name(&self) -> String {
        match self {
            ScopeTrait::Std(p) => last(p).to_string(),
            ScopeTrait::Item(n, i) => n.module().items[*i].name.clone(),
        }
    }
}

/// Whether `ty` may implement `tr`; false only when it certainly does not.
pub fn may_implement(r: &Resolver, ty: &RTy, tr: &ScopeTrait, depth: u32) -> bool {
    if depth > MAX_DEPTH || ty.dyn_trait {
        return true;
    }
    match tr {
        ScopeTrait::Std(path) => std_trait(r, ty, path),
        ScopeTrait::Item(n, i) => crate_trait(r, ty, n, *i, depth),
    }
}

/// A std trait: decided for std types only, by their pages' impls.
fn std_trait(r: &Resolver, ty: &RTy, trait_path: &str) -> bool {
    let Some(std) = r.index.std.as_ref() else {
        return true;
    };
    // `From<T>`, `PartialEq<Rhs>`, `Extend<A>`: other crates may implement
    // them for std types (with a type of theirs as the parameter).
    match std.signature(trait_path) {
        Some(head) if !has_type_params(&head) => {}
        _ => return true,
    }
    let Res::Std(path, StdKind::Type) = &ty.res else {
        return true;
    };
    let name = last(trait_path);
    let mut cur = Some(path.as_str());
    let mut steps = 0;
    while let Some(p) = cur {
        match page_shows_impl(&**std, p, name) {
            Some(false) => {}
            _ => return true,
        }
        steps += 1;
        if steps > 4 || prelude::derefs_to_unknown(p) {
            return true;
        }
        cur = prelude::deref_target(p);
        if cur.is_none() && std.implemented_traits(p).iter().any(|t| last(t) == "Deref") {
            // It dereferences to a type this list does not know.
            return true;
        }
    }
    false
}

/// Whether the page of std type `path` shows an impl of a trait named
/// `trait_name` for it (or for `&`/`&mut` of it, or a blanket impl rustdoc
/// found may apply); None when the page cannot be read.
fn page_shows_impl(std: &dyn StdApi, path: &str, trait_name: &str) -> Option<bool> {
    let headers = std.impl_headers(path)?;
    let short = last(path);
    for h in &headers {
        let Some(head) = impl_head(h) else {
            if h.contains(trait_name) {
                return None;
            }
            continue;
        };
        if head.trait_name.as_deref() != Some(trait_name) || head.negative {
            continue;
        }
        if head.blanket() || head.self_head == short {
            return Some(true);
        }
    }
    Some(false)
}

/// A crate's trait: its impls where the orphan rule allows them.
fn crate_trait(r: &Resolver, ty: &RTy, tn: &Arc<ModNode>, ti: usize, depth: u32) -> bool {
    let item = &tn.module().items[ti];
    if item.kind != RItemKind::Trait {
        return true;
    }
    match item.signature.as_deref() {
        Some(head) if !has_type_params(head) => {}
        _ => return true,
    }
    if tn.key.0 == NO_CRATE {
        return true;
    }
    let mut crates = vec![tn.key.0];
    match &ty.res {
        Res::Item(n, _) if n.key.0 == NO_CRATE => return true,
        Res::Item(n, _) if n.key.0 != tn.key.0 => crates.push(n.key.0),
        Res::Item(..) | Res::Std(_, StdKind::Type) => {}
        _ => return true,
    }
    for k in crates {
        let impls = r.index.crate_impls(k);
        // A macro that may write an impl of this trait: the trait's name,
        // a metavariable, or one in the trait's own module (or `crate`,
        // `self`, `super`).
        let module_name = tn.key.1.last().map(String::as_str).unwrap_or("crate");
        let by_macro = impls.macro_trait_impls.iter().any(|t| {
            t == &item.name
                || t == "*"
                || t.strip_suffix("::*")
                    .is_some_and(|m| m == module_name || matches!(m, "crate" | "self" | "super"))
        });
        if impls.trait_impls_open || by_macro {
            return true;
        }
        for imp in impls.trait_impls.get(&item.name).into_iter().flatten() {
            if impl_may_apply(r, ty, imp, (tn, ti), depth) {
                return true;
            }
        }
    }
    false
}

/// Whether one `impl … Trait for X` (of `this` trait) may be an impl for
/// `ty`.
fn impl_may_apply(
    r: &Resolver,
    ty: &RTy,
    imp: &TraitImpl,
    this: (&Arc<ModNode>, usize),
    depth: u32,
) -> bool {
    if imp.blanket {
        let Some(bounds) = &imp.bounds else {
            return true;
        };
        for b in bounds {
            let bound = match r.resolve(&imp.module, b, false, None, 0) {
                Outcome::Res(Res::Std(p, StdKind::Trait)) => ScopeTrait::Std(p),
                // `impl<T: Tr + ?Sized> Tr for &T`: it applies only where
                // another impl does.
                Outcome::Res(Res::Item(n, i))
                    if n.key == this.0.key && n.local == this.0.local && i == this.1 =>
                {
                    return false;
                }
                Outcome::Res(Res::Item(n, i)) if n.module().items[i].kind == RItemKind::Trait => {
                    ScopeTrait::Item(n, i)
                }
                // A bound that cannot be resolved may hold.
                _ => continue,
            };
            if !may_implement(r, ty, &bound, depth + 1) {
                return false;
            }
        }
        return true;
    }
    if imp.self_path.is_empty() {
        return true;
    }
    // (An alias is expanded: `impl Tr for Bytes` is for what `Bytes` names.)
    match (Typer { r }).written_type(&imp.module, &imp.self_path) {
        None => true,
        Some(t) => same_or_deref(r, ty, &t.res, 0),
    }
}

/// Whether `res` is `ty`'s type or one it dereferences to (a method is
/// looked up on each); unknown counts as the same.
fn same_or_deref(r: &Resolver, ty: &RTy, res: &Res, depth: u32) -> bool {
    if depth > MAX_DEPTH {
        return true;
    }
    match (&ty.res, res) {
        // An alias may name any type.
        (_, Res::Item(m, j)) if m.module().items[*j].kind == RItemKind::TypeAlias => true,
        (_, Res::Std(q, _))
            if r.index
                .std
                .as_ref()
                .is_none_or(|s| s.label(q) == Some("type alias")) =>
        {
            true
        }
        (Res::Std(p, _), Res::Std(q, _)) => {
            // One std type has several paths (`std::collections::HashMap`,
            // `std::collections::hash_map::HashMap`): compared by name.
            let mut cur = Some(p.as_str());
            let mut steps = 0;
            while let Some(x) = cur {
                if last(x) == last(q) || prelude::derefs_to_unknown(x) || steps > 4 {
                    return true;
                }
                steps += 1;
                cur = prelude::deref_target(x);
            }
            false
        }
        (Res::Std(..), Res::Item(..)) => false,
        (Res::Item(n, i), _) => {
            if let Res::Item(m, j) = res {
                if m.key == n.key && m.local == n.local && j == i {
                    return true;
                }
            }
            let typer = Typer { r };
            match typer.deref_target(ty, depth) {
                Some(None) => false,
                Some(Some(target)) => same_or_deref(r, &target, res, depth + 1),
                None => true,
            }
        }
        _ => true,
    }
}

/// Whether a trait's declaration head (`trait AsRef<T: ?Sized>`, `pub trait
/// Iterator`) declares type parameters (lifetimes alone do not count).
fn has_type_params(head: &str) -> bool {
    let Some(at) = head.find("trait ") else {
        return true;
    };
    let rest = head[at + 6..].trim_start();
    let name_end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let after = rest[name_end..].trim_start();
    if !after.starts_with('<') {
        return false;
    }
    // `trait Pattern<'a>`: lifetimes only.
    let inner = &after[1..after.find('>').unwrap_or(after.len())];
    inner
        .split(',')
        .any(|p| !p.trim().is_empty() && !p.trim().starts_with('\''))
}

fn last(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trait_type_params() {
        assert!(!has_type_params("pub trait Iterator"));
        assert!(!has_type_params("trait Itertools: Iterator"));
        assert!(has_type_params("pub trait AsRef<T: ?Sized>"));
        assert!(!has_type_params("pub trait Pattern<'a>: Sized"));
        assert!(has_type_params("no head"));
    }
}
