//! The type a method call's receiver certainly has, followed through what
//! calls return: a dependency's fn or method with a written return type, a
//! std fn or method by its signature (rustdoc's pages, every name linked to
//! its full path); `Self` substituted, references stripped; `Option` and
//! `Result` give their `T` through `unwrap`, `expect`, `unwrap_or*` and
//! `?`; type aliases expanded; range literals are `core::ops::Range*`.
//!
//! Anything that cannot be decided — a generic parameter, `impl Trait`, a
//! tuple, a method no written impl or page shows, signatures that disagree —
//! is no type, and nothing is checked on it.

use std::collections::HashMap;
use std::sync::Arc;

use super::prelude;
use super::resolve::{Outcome, Res, Resolver};
use super::type_text::{self, Ty};
use crate::index::rust::{ImplFn, ModNode, StdKind};
use crate::syntax::rust::facts::*;

/// How many calls, aliases and derefs one receiver is followed through.
const MAX_DEPTH: u32 = 24;

/// The marker of a tuple type (its elements are the args): no std path has
/// this name, so nothing is looked up on it but its elements and its lack
/// of named fields.
pub const TUPLE: &str = "(tuple)";
/// The marker of what an `async fn` call gives (the output is its one
/// arg): only `.await` reads it.
pub const FUTURE: &str = "(future)";

/// A resolved type with its generic arguments, as far as they are known.
#[derive(Debug, Clone)]
pub struct RTy {
    /// `Res::Std` (a type, or a trait for `dyn`) or `Res::Item`.
    pub res: Res,
    pub args: Vec<Option<RTy>>,
    /// `dyn Trait`: `res` is the trait; its methods are the trait's.
    pub dyn_trait: bool,
}

impl RTy {
    pub fn plain(res: Res) -> RTy {
        RTy {
            res,
            args: Vec::new(),
            dyn_trait: false,
        }
    }

    /// A marker type ([`TUPLE`], [`FUTURE`]) over `args`.
    fn marker(name: &str, args: Vec<Option<RTy>>) -> RTy {
        RTy {
            res: Res::Std(name.to_string(), StdKind::Type),
            args,
            dyn_trait: false,
        }
    }

    /// Whether this is marker type `name`.
    pub fn is_marker(&self, name: &str) -> bool {
        matches!(&self.res, Res::Std(p, _) if p == name)
    }

    /// What identifies the type, to tell whether two signatures agree.
    fn key(&self) -> String {
        let head = match &self.res {
            Res::Std(p, _) => format!("std:{p}"),
            Res::Item(n, i) => format!("{:?}/{}/{i}", n.key, n.local),
            _ => "?".to_string(),
        };
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| a.as_ref().map_or("?".to_string(), RTy::key))
            .collect();
        format!("{head}<{}>{}", args.join(","), self.dyn_trait)
    }

    /// `core::option::Option` or `core::result::Result` (by any of std's paths).
    fn option_or_result(&self) -> bool {
        match &self.res {
            Res::Std(p, _) => matches!(
                p.as_str(),
                "core::option::Option"
                    | "std::option::Option"
                    | "core::result::Result"
                    | "std::result::Result"
            ),
            _ => false,
        }
    }
}

/// Names bound while a signature's type is resolved: `Self`, an alias's
/// parameters; and generic parameters, which are never a known type.
#[derive(Default)]
struct Env {
    self_ty: Option<RTy>,
    bound: HashMap<String, Option<RTy>>,
    generics: Vec<String>,
}

pub struct Typer<'r, 'a> {
    pub r: &'r Resolver<'a>,
}

impl Typer<'_, '_> {
    /// The type of a receiver as written in `node`, seen from `scope`.
    pub fn receiver(
        &self,
        node: &Arc<ModNode>,
        recv: &Receiver,
        scope: Option<ScopeId>,
        depth: u32,
    ) -> Option<RTy> {
        if depth > MAX_DEPTH {
            return None;
        }
        let facts = &node.facts;
        match recv {
            Receiver::Var(name) if name == "self" => {
                let ty = facts.self_type(scope)?;
                self.written(node, &ty.path, scope, depth)
            }
            Receiver::Var(name) => {
                let (ty, at) = var_type_at(facts, scope, name)?;
                match ty {
                    VarType::Declared(t) | VarType::Literal(t) => {
                        self.written(node, &t.path, Some(at), depth)
                    }
                    VarType::Constructed(path, ctor) => {
                        self.call(node, path, ctor, Some(at), depth + 1)
                    }
                    VarType::Expr(inner) => self.receiver(node, inner, Some(at), depth + 1),
                }
            }
            Receiver::Literal(t) => self.written(node, &t.path, scope, depth),
            Receiver::Constructed(path, ctor) => self.call(node, path, ctor, scope, depth + 1),
            Receiver::SelfField(field) => {
                let ty = facts.self_type(scope)?;
                let Res::Item(n, i) = type_res(self.r, node, &ty.path, scope)? else {
                    return None;
                };
                let item = &n.module().items[i];
                let member = item.members.iter().find(|m| &m.name == field)?;
                let fty = member.ty.as_ref()?;
                // The field's type is written in the struct's own module.
                self.written(&n, &fty.path, None, depth)
            }
            Receiver::Method(inner, method) => {
                let base = self.receiver(node, inner, scope, depth + 1)?;
                self.method(&base, method, depth + 1)
            }
            Receiver::Try(inner) => {
                let base = self.receiver(node, inner, scope, depth + 1)?;
                unwrapped(&base)
            }
            Receiver::Path(path) => self.variant_value(node, path, scope, depth),
            Receiver::TupleField(inner, i) => {
                let base = self.receiver(node, inner, scope, depth + 1)?;
                if !base.is_marker(TUPLE) {
                    return None;
                }
                base.args.get(*i as usize).cloned().flatten()
            }
            Receiver::Await(inner) => {
                let base = self.receiver(node, inner, scope, depth + 1)?;
                if !base.is_marker(FUTURE) {
                    return None;
                }
                base.args.first().cloned().flatten()
            }
            Receiver::Other => None,
        }
    }

    /// The enum a unit variant written as a path (`Value::Null`,
    /// `Ordering::Less`) belongs to; any other path value is no type.
    fn variant_value(
        &self,
        node: &Arc<ModNode>,
        path: &[String],
        scope: Option<ScopeId>,
        depth: u32,
    ) -> Option<RTy> {
        let (name, parent) = path.split_last()?;
        let ty = self.expand(RTy::plain(type_res(self.r, node, parent, scope)?), depth)?;
        match &ty.res {
            Res::Item(n, i) => {
                let item = &n.module().items[*i];
                let variant = item.kind == RItemKind::Enum
                    && item
                        .members
                        .iter()
                        .any(|m| m.kind == MemberKind::Variant && &m.name == name);
                variant.then_some(ty)
            }
            Res::Std(p, StdKind::Type) => {
                let std = self.r.index.std.as_ref()?;
                (std.label(&format!("{p}::{name}")) == Some("variant")).then_some(ty)
            }
            _ => None,
        }
    }

    /// A type written as a plain path at the level of module `node`
    /// (aliases expanded).
    pub fn written_type(&self, node: &Arc<ModNode>, path: &[String]) -> Option<RTy> {
        self.written(node, path, None, 0)
    }

    /// A type written as a plain path in `node` (aliases expanded).
    fn written(
        &self,
        node: &Arc<ModNode>,
        path: &[String],
        scope: Option<ScopeId>,
        depth: u32,
    ) -> Option<RTy> {
        let res = type_res(self.r, node, path, scope)?;
        self.expand(RTy::plain(res), depth)
    }

    /// A type alias replaced by the type it names; any other type as it is.
    fn expand(&self, ty: RTy, depth: u32) -> Option<RTy> {
        if depth > MAX_DEPTH {
            return None;
        }
        match &ty.res {
            Res::Item(n, i) if n.module().items[*i].kind == RItemKind::TypeAlias => {
                let item = &n.module().items[*i];
                let (params, target) = type_text::alias_parts(item.signature.as_deref()?)?;
                let env = Env {
                    bound: params.into_iter().zip(pad(&ty.args)).collect(),
                    ..Env::default()
                };
                self.in_crate(&target, n, &env, depth + 1)
            }
            Res::Std(p, StdKind::Type) => {
                let std = self.r.index.std.as_ref()?;
                if std.label(p) != Some("type alias") {
                    return Some(ty);
                }
                // (A std alias whose page cannot be read is not known.)
                let (params, target) = type_text::alias_parts(&std.type_alias(p)?)?;
                let env = Env {
                    bound: params.into_iter().zip(pad(&ty.args)).collect(),
                    ..Env::default()
                };
                self.in_std(&target, &env, depth + 1)
            }
            _ => Some(ty),
        }
    }

    /// What `path::ctor(...)` returns (`path` empty: a bare `ctor(...)`).
    fn call(
        &self,
        node: &Arc<ModNode>,
        path: &[String],
        ctor: &str,
        scope: Option<ScopeId>,
        depth: u32,
    ) -> Option<RTy> {
        if !path.is_empty() {
            if let Some(res) = type_res(self.r, node, path, scope) {
                let ty = self.expand(RTy::plain(res), depth)?;
                return self.assoc_call(&ty, ctor, depth);
            }
        }
        let mut full = path.to_vec();
        full.push(ctor.to_string());
        // A call names a value: `rand::rng()` is the fn a `pub use` brings,
        // not the module `rng` of the same name.
        match self
            .r
            .resolve_in(node, &full, false, scope, 0, Namespace::Value)
        {
            Outcome::Res(Res::Item(n, i)) => {
                let item = &n.module().items[i];
                if item.kind != RItemKind::Fn {
                    return None;
                }
                let sig = item.signature.as_deref()?;
                let env = Env {
                    generics: type_text::generic_params(sig),
                    ..Env::default()
                };
                let ret = type_text::parse(type_text::written_return(sig)?);
                let ty = self.in_crate(&ret, &n, &env, depth);
                async_output(sig, ty)
            }
            Outcome::Res(Res::Std(p, StdKind::Fn)) => self.std_call(&p, None, depth),
            // A std variant's constructor (`Some(1)`, `Ok(x)`): its enum.
            Outcome::Res(Res::Std(p, StdKind::Other)) => {
                let std = self.r.index.std.as_ref()?;
                let (parent, _) = p.rsplit_once("::")?;
                let variant = std.label(&p) == Some("variant")
                    && std.kinds_of(parent).contains(&StdKind::Type);
                variant.then(|| RTy::plain(Res::Std(parent.to_string(), StdKind::Type)))
            }
            _ => None,
        }
    }

    /// What `Type::name(...)` returns: a variant's constructor gives the
    /// enum; an associated fn its return type.
    fn assoc_call(&self, ty: &RTy, name: &str, depth: u32) -> Option<RTy> {
        match &ty.res {
            Res::Std(p, StdKind::Type) => {
                if prelude::returns_self(p, name) {
                    return Some(ty.clone());
                }
                self.std_call(&format!("{p}::{name}"), Some(ty), depth)
            }
            Res::Item(n, i) => {
                let item = &n.module().items[*i];
                if item.kind == RItemKind::Enum
                    && item
                        .members
                        .iter()
                        .any(|m| m.kind == MemberKind::Variant && m.name == name)
                {
                    return Some(ty.clone());
                }
                self.crate_fn(ty, name, depth)
            }
            _ => None,
        }
    }

    /// What `receiver.method(...)` returns.
    fn method(&self, base: &RTy, method: &str, depth: u32) -> Option<RTy> {
        if base.dyn_trait {
            return None;
        }
        if base.option_or_result()
            && matches!(
                method,
                "unwrap"
                    | "expect"
                    | "unwrap_or"
                    | "unwrap_or_default"
                    | "unwrap_or_else"
                    | "unwrap_unchecked"
            )
        {
            return unwrapped(base);
        }
        match &base.res {
            Res::Std(p, StdKind::Type) => {
                let found = self.std_call(&format!("{p}::{method}"), Some(base), depth);
                if found.is_some() {
                    return found;
                }
                // A method of the type it dereferences to (`String` → `str`).
                let target = prelude::deref_target(p)?;
                let target_ty = RTy::plain(Res::Std(target.to_string(), StdKind::Type));
                self.std_call(&format!("{target}::{method}"), Some(&target_ty), depth)
            }
            Res::Item(..) => self.crate_fn(base, method, depth),
            _ => None,
        }
    }

    /// The return type of the std fn at `path`, by its signatures (all of
    /// them must agree).
    fn std_call(&self, path: &str, self_ty: Option<&RTy>, depth: u32) -> Option<RTy> {
        let std = self.r.index.std.as_ref()?;
        let sigs = std.qualified_signatures(path);
        let mut out: Option<RTy> = None;
        for sig in &sigs {
            let env = Env {
                self_ty: self_ty.cloned(),
                generics: type_text::generic_params(sig),
                ..Env::default()
            };
            let ty = self.in_std(&type_text::parse(type_text::return_text(sig)?), &env, depth)?;
            match &out {
                Some(prev) if prev.key() != ty.key() => return None,
                _ => out = Some(ty),
            }
        }
        out
    }

    /// The return type of `Type::name` as a workspace or dependency crate
    /// declares it: its inherent impls' fn (one, or all agreeing), else the
    /// trait impls' (all agreeing).
    fn crate_fn(&self, ty: &RTy, name: &str, depth: u32) -> Option<RTy> {
        let Res::Item(n, i) = &ty.res else {
            return None;
        };
        let item = &n.module().items[*i];
        let impls = self.r.index.crate_impls(n.key.0);
        let fns: Vec<&ImplFn> = impls
            .fns
            .get(&format!("{}::{name}", item.name))?
            .iter()
            .filter(|f| !self.impl_of_other_type(f, &ty.res))
            .collect();
        let inherent: Vec<_> = fns.iter().copied().filter(|f| !f.from_trait).collect();
        let chosen: Vec<_> = if inherent.is_empty() { fns } else { inherent };
        let mut out: Option<RTy> = None;
        for f in chosen {
            let sig = f.signature.as_deref()?;
            let mut generics = type_text::generic_params(sig);
            generics.extend(f.generics.iter().cloned());
            let env = Env {
                self_ty: Some(ty.clone()),
                generics,
                ..Env::default()
            };
            let ret = type_text::parse(type_text::written_return(sig)?);
            let found = async_output(sig, self.in_crate(&ret, &f.module, &env, depth))?;
            match &out {
                Some(prev) if prev.key() != found.key() => return None,
                _ => out = Some(found),
            }
        }
        out
    }

    /// A type from a std signature: names are full paths (rustdoc links
    /// them); an unlinked name is a generic parameter, never known.
    fn in_std(&self, ty: &Ty, env: &Env, depth: u32) -> Option<RTy> {
        if depth > MAX_DEPTH {
            return None;
        }
        let std = self.r.index.std.as_ref()?;
        match ty {
            Ty::Path(segs, args) => {
                if let Some(t) = bound_name(segs, env) {
                    return t;
                }
                if segs.len() == 1 {
                    let name = segs[0].as_str();
                    return prelude::PRIMITIVES
                        .contains(&name)
                        .then(|| RTy::plain(Res::Std(name.to_string(), StdKind::Type)));
                }
                if segs[0] == "Self" {
                    return None;
                }
                let p = segs.join("::");
                if !std.kinds_of(&p).contains(&StdKind::Type) {
                    return None;
                }
                let args = args
                    .iter()
                    .map(|a| self.in_std(a, env, depth + 1))
                    .collect();
                self.expand(
                    RTy {
                        res: Res::Std(p, StdKind::Type),
                        args,
                        dyn_trait: false,
                    },
                    depth + 1,
                )
            }
            Ty::Slice => Some(RTy::plain(Res::Std("slice".to_string(), StdKind::Type))),
            Ty::Array => Some(RTy::plain(Res::Std("array".to_string(), StdKind::Type))),
            Ty::Tuple(elems) => Some(RTy::marker(
                TUPLE,
                elems
                    .iter()
                    .map(|e| self.in_std(e, env, depth + 1))
                    .collect(),
            )),
            Ty::Dyn(segs) => {
                let p = segs.join("::");
                (segs.len() > 1 && std.kinds_of(&p).contains(&StdKind::Trait)).then(|| RTy {
                    res: Res::Std(p, StdKind::Trait),
                    args: Vec::new(),
                    dyn_trait: true,
                })
            }
            Ty::Unknown => None,
        }
    }

    /// A type from a crate's source, its names resolved in `node`.
    fn in_crate(&self, ty: &Ty, node: &Arc<ModNode>, env: &Env, depth: u32) -> Option<RTy> {
        if depth > MAX_DEPTH {
            return None;
        }
        match ty {
            Ty::Path(segs, args) => {
                if let Some(t) = bound_name(segs, env) {
                    return t;
                }
                if segs[0] == "Self" {
                    return None;
                }
                let res = match self.r.resolve(node, segs, false, None, 0) {
                    Outcome::Res(res @ Res::Std(_, StdKind::Type)) => res,
                    Outcome::Res(res @ Res::Item(..)) => res,
                    _ => return None,
                };
                if let Res::Item(n, i) = &res {
                    let kind = n.module().items[*i].kind;
                    if !matches!(
                        kind,
                        RItemKind::Struct
                            | RItemKind::Enum
                            | RItemKind::Union
                            | RItemKind::TypeAlias
                    ) {
                        return None;
                    }
                }
                let args = args
                    .iter()
                    .map(|a| self.in_crate(a, node, env, depth + 1))
                    .collect();
                self.expand(
                    RTy {
                        res,
                        args,
                        dyn_trait: false,
                    },
                    depth + 1,
                )
            }
            Ty::Slice => Some(RTy::plain(Res::Std("slice".to_string(), StdKind::Type))),
            Ty::Array => Some(RTy::plain(Res::Std("array".to_string(), StdKind::Type))),
            Ty::Tuple(elems) => Some(RTy::marker(
                TUPLE,
                elems
                    .iter()
                    .map(|e| self.in_crate(e, node, env, depth + 1))
                    .collect(),
            )),
            Ty::Dyn(segs) => match self.r.resolve(node, segs, false, None, 0) {
                Outcome::Res(res @ Res::Std(_, StdKind::Trait)) => Some(RTy {
                    res,
                    args: Vec::new(),
                    dyn_trait: true,
                }),
                Outcome::Res(Res::Item(n, i)) if n.module().items[i].kind == RItemKind::Trait => {
                    Some(RTy {
                        res: Res::Item(n, i),
                        args: Vec::new(),
                        dyn_trait: true,
                    })
                }
                _ => None,
            },
            Ty::Unknown => None,
        }
    }

    /// The `Deref::Target` of a crate type, when its one `Deref` impl names
    /// a type that can be resolved (Some(None): it has no `Deref` impl).
    pub fn deref_target(&self, ty: &RTy, depth: u32) -> Option<Option<RTy>> {
        let Res::Item(n, i) = &ty.res else {
            return None;
        };
        let item = &n.module().items[*i];
        let impls = self.r.index.crate_impls(n.key.0);
        let derefs = impls
            .traits
            .get(&item.name)
            .is_some_and(|t| t.contains("Deref"));
        if !derefs {
            return Some(None);
        }
        let targets: Vec<&ImplFn> = impls
            .deref_targets
            .get(&item.name)?
            .iter()
            .filter(|f| !self.impl_of_other_type(f, &ty.res))
            .collect();
        let [target] = targets.as_slice() else {
            return None;
        };
        let text = target.signature.as_deref()?.split_once('=')?.1;
        let mut generics = target.generics.clone();
        generics.extend(single_letter_or_unknown(text));
        let env = Env {
            self_ty: Some(ty.clone()),
            // Generic impls (`impl<T> Deref for W<T>`) name a parameter: never known.
            generics,
            ..Env::default()
        };
        self.in_crate(&type_text::parse(text), &target.module, &env, depth + 1)
            .map(Some)
    }

    /// Whether an impl's self type resolves to another item than `res`
    /// (two types of one name in different modules); an impl whose self
    /// type cannot be resolved may be of either.
    fn impl_of_other_type(&self, f: &ImplFn, res: &Res) -> bool {
        let Res::Item(n, i) = res else {
            return false;
        };
        match type_res(self.r, &f.module, &f.self_path, None) {
            Some(Res::Item(m, j)) => !(m.key == n.key && m.local == n.local && j == *i),
            Some(_) => true,
            None => false,
        }
    }
}

/// Capitalised one-letter names in a type's text (generic parameters by
/// convention), so that a `Target = T` is never taken for a type named `T`.
fn single_letter_or_unknown(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| w.len() == 1 && w.chars().all(|c| c.is_ascii_uppercase()))
        .map(str::to_string)
        .collect()
}

/// `Self`, an alias parameter or a generic parameter: Some(its type, None
/// when unknown); None for any other name.
fn bound_name(segs: &[String], env: &Env) -> Option<Option<RTy>> {
    if segs.len() != 1 {
        return None;
    }
    let name = segs[0].as_str();
    if name == "Self" {
        return Some(env.self_ty.clone());
    }
    if let Some(t) = env.bound.get(name) {
        return Some(t.clone());
    }
    env.generics.iter().any(|g| g == name).then_some(None)
}

/// `args` padded with unknowns (an alias used with fewer arguments than it
/// declares relies on defaults: unknown here).
fn pad(args: &[Option<RTy>]) -> impl Iterator<Item = Option<RTy>> + '_ {
    args.iter().cloned().chain(std::iter::repeat(None))
}

/// What calling a fn of signature `sig` gives, its written return type
/// being `ret`: for an `async fn`, a future of it (the output known or not).
fn async_output(sig: &str, ret: Option<RTy>) -> Option<RTy> {
    if type_text::is_async(sig) {
        return Some(RTy::marker(FUTURE, vec![ret]));
    }
    ret
}

/// `T` of an `Option<T>` or `Result<T, E>`.
fn unwrapped(base: &RTy) -> Option<RTy> {
    if !base.option_or_result() {
        return None;
    }
    base.args.first().cloned().flatten()
}

/// The type of variable `name` seen from `scope`, with the scope that binds it.
fn var_type_at<'f>(
    facts: &'f RustFacts,
    mut scope: Option<ScopeId>,
    name: &str,
) -> Option<(&'f VarType, ScopeId)> {
    while let Some(id) = scope {
        let s = facts.scopes.get(id as usize)?;
        if let Some(t) = s.typed.get(name) {
            return t.as_ref().map(|t| (t, id));
        }
        if s.names.contains(name) {
            return None;
        }
        scope = s.parent;
    }
    None
}

/// A type written as a plain path, resolved: a std type (or primitive) or a
/// crate's item.
pub fn type_res(
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
