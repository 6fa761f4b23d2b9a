//! The real names a missing Rust name could have meant, with what each one
//! is (callable, type, value) and its first doc line, so that suggestions
//! rank by spelling, shared word parts, doc words and kind
//! ([`suggest::suggest_members`]) as Python's do: `fs::list_dir(…)` is
//! offered functions, never a constant, and `serde_json::from_file` the
//! function whose doc line speaks of reading from a file.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::analysis::suggest::{NameKind, Named};
use crate::index::rust::{ModNode, StdApi, StdKind, StdMemberInfo};
use crate::syntax::rust::facts::{MemberKind, RItem, RItemKind, RMember, ScopeId};

use super::prelude;
use super::resolve::{Outcome, Res, Resolver};
use super::trait_impls::ScopeTrait;

/// `candidates` (the names the resolver found in the container of
/// `segs[at]`) described: the container is resolved again, and each name is
/// looked up in it. A name not described stays, kind unknown.
pub fn for_path(
    r: &Resolver,
    node: &Arc<ModNode>,
    segs: &[String],
    at: usize,
    absolute: bool,
    scope: Option<ScopeId>,
    candidates: &[String],
) -> Vec<Named> {
    let container = match at {
        0 => None,
        _ => match r.resolve(node, &segs[..at], absolute, scope, 0) {
            Outcome::Res(res) => Some(res),
            _ => None,
        },
    };
    let Some(res) = container else {
        return complete(Vec::new(), candidates);
    };
    let kept = usable(r, &res, candidates);
    let candidates = kept.as_slice();
    let described = of_container(r, &res);
    // A crate module's glob re-exports (`pub use crate::free::*`) are its
    // names too, though the resolver lists only what it declares and binds.
    let globbed: Vec<Named> = match res {
        Res::Module(_) | Res::Crate(_) => described
            .iter()
            .filter(|d| !candidates.contains(&d.name))
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    let mut all = complete(described, candidates);
    all.extend(globbed);
    all
}

/// `candidates` of the container `res` (a module, crate or type) described.
pub fn for_container(r: &Resolver, res: &Res, candidates: &[String]) -> Vec<Named> {
    complete(of_container(r, res), &usable(r, res, candidates))
}

/// `candidates` less the std items of container `res` that code built on
/// stable cannot use (nightly-only: `Duration::MILLISECOND`): no fix.
fn usable(r: &Resolver, res: &Res, candidates: &[String]) -> Vec<String> {
    let (Res::Std(p, kind), Some(std)) = (res, r.index.std.as_ref()) else {
        return candidates.to_vec();
    };
    let off: BTreeSet<String> = match kind {
        StdKind::Module => candidates
            .iter()
            .filter(|c| std.unavailable(&format!("{p}::{c}")))
            .cloned()
            .collect(),
        StdKind::Type | StdKind::Trait => {
            let details = std.member_details(p).unwrap_or_default();
            details
                .iter()
                .filter(|m| m.unavailable)
                .filter(|m| !details.iter().any(|x| x.name == m.name && !x.unavailable))
                .map(|m| m.name.clone())
                .collect()
        }
        _ => BTreeSet::new(),
    };
    candidates
        .iter()
        .filter(|c| !off.contains(*c))
        .cloned()
        .collect()
}

/// The methods callable on a value of type `ty` (a receiver's), described;
/// `candidates` as in [`for_path`], less what a method call cannot name:
/// an associated fn without `self` (`Vec::new_in`), a nightly-only std
/// method, and a std method only a trait out of scope provides
/// (`str::to_socket_addrs` without `use std::net::ToSocketAddrs`).
/// `in_scope`: the names of the traits in scope (the prelude's included).
pub fn for_methods(
    r: &Resolver,
    ty: &Res,
    candidates: &[String],
    in_scope: &BTreeSet<String>,
) -> Vec<Named> {
    let mut described = Vec::new();
    let mut not_methods: BTreeSet<String> = BTreeSet::new();
    let mut std_types: Vec<&str> = Vec::new();
    if let Res::Std(p, _) = ty {
        std_types.push(p);
        // What the type dereferences to (`String` → `str`): its methods too.
        if let Some(t) = prelude::deref_target(p) {
            std_types.push(t);
        }
    }
    match (std_types.is_empty(), r.index.std.as_ref()) {
        (false, Some(std)) => {
            for p in std_types {
                for m in std.member_details(p).unwrap_or_default() {
                    let usable = !m.unavailable
                        && m.kind.is_none_or(|k| k == "method")
                        && m.from_trait.as_deref().is_none_or(|t| {
                            let path = t.split('<').next().unwrap_or(t);
                            in_scope.contains(path.rsplit("::").next().unwrap_or(path))
                        });
                    if usable {
                        described.push(std_named(m));
                    } else {
                        not_methods.insert(m.name);
                    }
                }
            }
            // A name some usable member has stays.
            not_methods.retain(|n| !described.iter().any(|d| &d.name == n));
        }
        (false, None) => {}
        (true, _) => {
            if let Res::Item(n, i) = ty {
                let item = &n.module().items[*i];
                for m in crate_members(r, n, item) {
                    if matches!(
                        m.kind,
                        MemberKind::Fn {
                            has_self: false,
                            ..
                        }
                    ) {
                        not_methods.insert(m.name.clone());
                    } else {
                        described.push(member_named(&m));
                    }
                }
                not_methods.retain(|n| !described.iter().any(|d| &d.name == n));
            } else {
                described = of_container(r, ty);
            }
        }
    }
    let candidates: Vec<String> = candidates
        .iter()
        .filter(|c| !not_methods.contains(*c))
        .cloned()
        .collect();
    complete(described, &candidates)
}

/// The methods of the traits the file imports (not the prelude's) that
/// `ty` may implement, described: `v.shuffle_in_place()` with `use
/// rand::seq::SliceRandom` is offered `shuffle`.
pub fn imported_trait_methods(r: &Resolver, traits: &[&ScopeTrait]) -> Vec<Named> {
    let mut out = Vec::new();
    for t in traits {
        match t {
            ScopeTrait::Std(p) => {
                if let Some(std) = r.index.std.as_ref() {
                    out.extend(
                        std.member_details(p)
                            .unwrap_or_default()
                            .into_iter()
                            .filter(|m| !m.unavailable && m.kind.is_none_or(|k| k == "method"))
                            .map(std_named),
                    );
                }
            }
            ScopeTrait::Item(n, i) => out.extend(
                n.module().items[*i]
                    .members
                    .iter()
                    .filter(|m| matches!(m.kind, MemberKind::Fn { has_self: true, .. }))
                    .map(member_named),
            ),
        }
    }
    out
}

/// Every name of `candidates`, described when `described` has it (the first
/// description of a name wins); only the candidates.
fn complete(described: Vec<Named>, candidates: &[String]) -> Vec<Named> {
    candidates
        .iter()
        .map(|c| {
            described
                .iter()
                .find(|d| &d.name == c)
                .cloned()
                .unwrap_or_else(|| Named {
                    name: c.clone(),
                    kind: NameKind::Unknown,
                    doc: None,
                })
        })
        .collect()
}

fn of_container(r: &Resolver, res: &Res) -> Vec<Named> {
    match res {
        Res::Std(p, StdKind::Module) => r
            .index
            .std
            .as_ref()
            .map(|s| std_module(s.as_ref(), p))
            .unwrap_or_default(),
        Res::Std(p, StdKind::Type | StdKind::Trait) => r
            .index
            .std
            .as_ref()
            .map(|s| std_type(s.as_ref(), p))
            .unwrap_or_default(),
        Res::Module(n) => crate_module(r, n),
        Res::Crate(c) => r
            .index
            .root(*c)
            .map(|n| crate_module(r, &n))
            .unwrap_or_default(),
        Res::Item(n, i) => crate_type(r, n, &n.module().items[*i]),
        _ => Vec::new(),
    }
}

fn std_module(std: &dyn StdApi, module: &str) -> Vec<Named> {
    std.children(module)
        .unwrap_or_default()
        .into_iter()
        .map(|name| {
            let path = format!("{module}::{name}");
            let kinds = std.kinds_of(&path);
            let kind = if kinds.contains(&StdKind::Fn) || kinds.contains(&StdKind::Macro) {
                NameKind::Callable
            } else if kinds.contains(&StdKind::Type) || kinds.contains(&StdKind::Trait) {
                NameKind::Class
            } else if kinds.contains(&StdKind::Module)
                || matches!(std.label(&path), Some("constant" | "static"))
            {
                NameKind::Value
            } else {
                NameKind::Unknown
            };
            Named {
                doc: std.doc(&path),
                name,
                kind,
            }
        })
        .collect()
}

fn std_type(std: &dyn StdApi, ty: &str) -> Vec<Named> {
    std.member_details(ty)
        .unwrap_or_default()
        .into_iter()
        // A nightly-only member is no fix for code built on stable.
        .filter(|m| !m.unavailable)
        .map(std_named)
        .collect()
}

fn std_named(m: StdMemberInfo) -> Named {
    Named {
        kind: match m.kind {
            Some("method" | "associated function") => NameKind::Callable,
            Some("associated constant" | "field") => NameKind::Value,
            Some("associated type") => NameKind::Class,
            _ => NameKind::Unknown,
        },
        name: m.name,
        doc: m.doc,
    }
}

fn item_kind(kind: RItemKind) -> NameKind {
    match kind {
        RItemKind::Fn | RItemKind::Macro => NameKind::Callable,
        RItemKind::Struct
        | RItemKind::Enum
        | RItemKind::Union
        | RItemKind::Trait
        | RItemKind::TypeAlias => NameKind::Class,
        RItemKind::Const | RItemKind::Static | RItemKind::Mod | RItemKind::ExternCrate => {
            NameKind::Value
        }
    }
}

fn member_named(m: &RMember) -> Named {
    Named {
        name: m.name.clone(),
        kind: match m.kind {
            MemberKind::Fn { .. } => NameKind::Callable,
            MemberKind::Const | MemberKind::Field => NameKind::Value,
            MemberKind::Type => NameKind::Class,
            MemberKind::Variant => NameKind::Unknown,
        },
        doc: m.doc.clone(),
    }
}

/// A crate module's items and what its imports bring in (`pub use
/// ser::to_string` is `serde_json::to_string`, with `to_string`'s doc line),
/// and the public ones of the modules its `pub use …::*` name.
fn crate_module(r: &Resolver, n: &Arc<ModNode>) -> Vec<Named> {
    let mut out = Vec::new();
    module_names(r, n, false, 0, &mut out);
    out
}

fn module_names(
    r: &Resolver,
    n: &Arc<ModNode>,
    public_only: bool,
    depth: u32,
    out: &mut Vec<Named>,
) {
    let m = n.module();
    let visible = |public: bool, restricted: bool| !public_only || (public && !restricted);
    for i in m.items.iter().filter(|i| visible(i.public, i.restricted)) {
        if !out.iter().any(|o| o.name == i.name) {
            out.push(Named {
                name: i.name.clone(),
                kind: item_kind(i.kind),
                doc: i.doc.clone(),
            });
        }
    }
    for u in m.uses.iter().filter(|u| u.scope.is_none()) {
        if !visible(u.public, u.restricted) {
            continue;
        }
        if u.glob {
            if depth < 2 {
                if let Outcome::Res(Res::Module(t)) = r.resolve(n, &u.path, u.absolute, None, 0) {
                    if t.key != n.key {
                        module_names(r, &t, true, depth + 1, out);
                    }
                }
            }
            continue;
        }
        let Some(name) = u.binds() else {
            continue;
        };
        if out.iter().any(|o| o.name == name) {
            continue;
        }
        let found = match r.resolve(n, &u.path, u.absolute, None, 0) {
            Outcome::Res(Res::Item(t, i)) => {
                let item = &t.module().items[i];
                Some((item_kind(item.kind), item.doc.clone()))
            }
            Outcome::Res(Res::Std(p, k)) => {
                let kind = match k {
                    StdKind::Fn | StdKind::Macro => NameKind::Callable,
                    StdKind::Type | StdKind::Trait => NameKind::Class,
                    StdKind::Module => NameKind::Value,
                    StdKind::Other => NameKind::Unknown,
                };
                Some((kind, r.index.std.as_ref().and_then(|s| s.doc(&p))))
            }
            Outcome::Res(Res::Module(_) | Res::Crate(_)) => Some((NameKind::Value, None)),
            _ => None,
        };
        let (kind, doc) = found.unwrap_or((NameKind::Unknown, None));
        out.push(Named {
            name: name.to_string(),
            kind,
            doc,
        });
    }
}

/// A crate type's declared members and the items of its impls anywhere in
/// its crate.
fn crate_type(r: &Resolver, n: &Arc<ModNode>, item: &RItem) -> Vec<Named> {
    crate_members(r, n, item).iter().map(member_named).collect()
}

/// A crate type's declared members and the items of its impls anywhere in
/// its crate; a type alias's, those of the type it names too.
fn crate_members(r: &Resolver, n: &Arc<ModNode>, item: &RItem) -> Vec<RMember> {
    let mut out: Vec<RMember> = item.members.clone();
    if n.key.0 == super::NO_CRATE {
        return out;
    }
    if let Some((t, i)) = r.alias_target(n, item, 0) {
        out.extend(crate_members(r, &t, &t.module().items[i]));
    }
    for module in r.index.all_modules(n.key.0).0 {
        for imp in &module.module().impls {
            if imp.self_ty.as_ref().and_then(|t| t.path.last()) != Some(&item.name) {
                continue;
            }
            out.extend(imp.items.iter().filter(|m| m.name != "*").cloned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_candidate_stays_and_described_ones_keep_their_kind() {
        let described = vec![
            Named {
                name: "read_to_string".into(),
                kind: NameKind::Callable,
                doc: Some("Reads the entire contents of a file into a string.".into()),
            },
            Named {
                name: "other".into(),
                kind: NameKind::Value,
                doc: None,
            },
        ];
        let out = complete(described, &["read_to_string".into(), "write".into()]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].kind, NameKind::Callable);
        assert!(out[0].doc.is_some());
        assert_eq!(out[1].name, "write");
        assert_eq!(out[1].kind, NameKind::Unknown);
    }
}
