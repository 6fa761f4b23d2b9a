//! Why a Rust path or method call is silent (`grounded check --why`): the
//! construct that left its module, type or receiver open, and where
//! (`tokio/src/lib.rs:450: macro `cfg_rt!` not expanded`).
//!
//! Nothing here decides anything: it retraces what [`super::resolve`] and
//! [`super::methods`] answered "unknown" to, and names the first construct
//! that explains it. It runs only when asked, never in a plain check.

use std::path::Path;
use std::sync::Arc;

use super::methods::{self, traits_in_scope};
use super::prelude;
use super::receivers::{RTy, Typer};
use super::resolve::{Look, Outcome, Res, Resolver};
use crate::index::rust::{ModNode, RustIndex, StdKind};
use crate::syntax::facts::Span;
use crate::syntax::rust::facts::*;

/// A module's file as its crate lays it out (`tokio/src/lib.rs`): short,
/// and the same on every machine.
pub fn short_file(index: &RustIndex, node: &ModNode) -> String {
    if let Some(info) = index.ws.crates.get(node.key.0) {
        let package_dir = info.root_file.parent().and_then(Path::parent);
        if let Some(rel) = package_dir.and_then(|d| node.file.strip_prefix(d).ok()) {
            return format!("{}/{}", info.name, rel.display());
        }
    }
    node.file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `file:line: ` for a 0-based row of the module's file (the file alone
/// when the row is not known).
fn at(index: &RustIndex, node: &ModNode, row: u32) -> String {
    match row {
        u32::MAX => short_file(index, node),
        row => format!("{}:{}", short_file(index, node), row + 1),
    }
}

/// The `i`-th open reason of a module, said with its place.
pub fn open_reason(index: &RustIndex, node: &ModNode, i: usize) -> String {
    let m = node.module();
    let reason = &m.open_reasons[i];
    let row = m.open_lines.get(i).copied().unwrap_or(u32::MAX);
    let said = if let Some(name) = reason.strip_suffix('!') {
        format!("macro `{name}!` not expanded")
    } else if reason.starts_with("#[") {
        format!("attribute macro `{reason}` may add items")
    } else {
        reason.clone()
    };
    format!("{}: {said}", at(index, node, row))
}

/// The silent lookups of one file: (span, symbol, reason).
pub fn why_rust_file(
    index: &RustIndex,
    file: &Path,
    facts: Arc<RustFacts>,
) -> Vec<(Span, String, String)> {
    let nodes = super::file_nodes(index, file, &facts);
    let mut resolver = Resolver {
        index,
        scope_methods: Default::default(),
        visiting: Default::default(),
    };
    let scope = traits_in_scope(&resolver, &nodes);
    resolver.scope_methods = scope.methods.clone();
    let mut out = Vec::new();
    let mut path = |node: &Arc<ModNode>, segs: &[String], absolute, s, spans: &[Span]| {
        if !matches!(
            resolver.resolve(node, segs, absolute, s, 0),
            Outcome::Unknown
        ) {
            return;
        }
        if let Some((i, reason)) = why_path(&resolver, node, segs, absolute, s) {
            if let Some(span) = spans.get(i) {
                out.push((*span, segs[..=i].join("::"), reason));
            }
        }
    };
    for node in &nodes {
        for u in &node.module().uses {
            path(node, &u.path, u.absolute, u.scope, &u.spans);
        }
    }
    for r in &facts.refs {
        if let Some(node) = nodes.get(r.module as usize) {
            path(node, &r.segs, r.absolute, r.scope, &r.spans);
        }
    }
    for call in &facts.method_calls {
        let Some(node) = nodes.get(call.module as usize) else {
            continue;
        };
        if methods::missing_method(&resolver, node, call, &scope).is_some() {
            continue;
        }
        if let Some(reason) = why_method(&resolver, &nodes, scope.open, node, call) {
            out.push((call.span, format!(".{}()", call.method), reason));
        }
    }
    out.retain(|(span, ..)| !facts.suppressed(span.start_row, "unknown-member"));
    out.sort_by_key(|(span, ..)| span.start_byte);
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

/// For a path that resolved to nothing certain: the segment where it went
/// silent, and why — the last container it reached and what opens it.
fn why_path(
    r: &Resolver,
    node: &Arc<ModNode>,
    segs: &[String],
    absolute: bool,
    scope: Option<ScopeId>,
) -> Option<(usize, String)> {
    // The longest prefix that resolves to something certain.
    let (k, res) = (1..segs.len()).rev().find_map(|k| {
        match r.resolve(node, &segs[..k], absolute, scope, 0) {
            Outcome::Res(res) if !matches!(res, Res::Unknown) => Some((k, res)),
            _ => None,
        }
    })?;
    let seg = segs[k].as_str();
    // A crate's items are its root module's (a proc-macro crate's are not).
    let res = match res {
        Res::Crate(c) => match (r.index.ws.crates.get(c), r.index.root(c)) {
            (Some(info), Some(root)) if info.kind != crate::index::cargo::TargetKind::ProcMacro => {
                Res::Module(root)
            }
            _ => Res::Crate(c),
        },
        other => other,
    };
    let trait_method =
        || r.scope_methods.contains(seg) || prelude::UNIVERSAL_METHODS.contains(&seg);
    let reason = match res {
        Res::Module(n) => match r.lookup(&n, seg, None, 0) {
            Look::Open => why_module_open(r, &n, seg)?,
            _ => return None,
        },
        Res::Crate(c) => {
            let info = r.index.ws.crates.get(c)?;
            if info.kind == crate::index::cargo::TargetKind::ProcMacro {
                format!(
                    "crate `{}` is a proc-macro crate: its exports are macros its attributes name",
                    info.name
                )
            } else {
                format!("the sources of crate `{}` were not found", info.name)
            }
        }
        Res::Item(n, i) => {
            let item = &n.module().items[i];
            if item.kind == RItemKind::TypeAlias {
                match r.alias_target(&n, item, 0) {
                    Some((t, ti)) => {
                        let target = &t.module().items[ti];
                        match r.crate_type_members(&t, target) {
                            None => why_type_open(r, &t, target),
                            Some(_) if trait_method() => trait_reason(seg, &item.name),
                            Some(_) => return None,
                        }
                    }
                    None => format!(
                        "{}: `{}` is a type alias of a std type, a generic or another alias, not followed",
                        at(r.index, &n, item.span.start_row),
                        item.name
                    ),
                }
            } else if !item.kind.is_type() {
                return None;
            } else {
                match r.crate_type_members(&n, item) {
                    None => why_type_open(r, &n, item),
                    Some(_) if trait_method() => trait_reason(seg, &item.name),
                    Some(_) => return None,
                }
            }
        }
        Res::Std(p, StdKind::Type | StdKind::Trait) => {
            let std = r.index.std.as_ref()?;
            match std.members(&p) {
                None => format!("std's index lists no members of `{p}`"),
                Some(_) if trait_method() => trait_reason(seg, &p),
                Some(_) => return None,
            }
        }
        _ => return None,
    };
    Some((k, reason))
}

fn trait_reason(method: &str, ty: &str) -> String {
    format!(
        "`{method}` is a method of a trait in scope: not checked against the traits `{ty}` implements"
    )
}

/// Why a module may hold names its source does not show.
fn why_module_open(r: &Resolver, n: &Arc<ModNode>, name: &str) -> Option<String> {
    let m = n.module();
    if !m.open_reasons.is_empty() {
        // The outermost call (`include!`, not the `concat!` its tokens hold).
        let outer = m.open_reasons.iter().position(|reason| {
            m.macro_calls
                .iter()
                .any(|c| c.parent.is_none() && c.reason == *reason)
        });
        return Some(open_reason(r.index, n, outer.unwrap_or(0)));
    }
    if let Some((call, row)) = n.confined_call_of(name) {
        return Some(format!(
            "{}: macro `{call}` not expanded: it may define `{name}`, a name its tokens hold",
            at(r.index, n, row)
        ));
    }
    // A glob import that cannot be followed (or brings in an open module).
    for u in m.uses.iter().filter(|u| u.glob) {
        let row = u.spans.first().map_or(u32::MAX, |s| s.start_row);
        let written = format!("`use {}::*`", u.path.join("::"));
        match r.resolve_use(n, u, 0) {
            Outcome::Res(Res::Module(target)) => {
                let inner = target.module();
                if !inner.open_reasons.is_empty() || inner.uses.iter().any(|x| x.glob) {
                    let further = why_module_open(r, &target, name)
                        .map(|w| format!("; {w}"))
                        .unwrap_or_default();
                    return Some(format!(
                        "{}: {written} of an open module{further}",
                        at(r.index, n, row)
                    ));
                }
            }
            Outcome::Res(Res::Std(..)) => {}
            Outcome::Res(Res::Item(..)) => {}
            _ => {
                return Some(format!(
                    "{}: {written} cannot be followed",
                    at(r.index, n, row)
                ))
            }
        }
    }
    Some(format!(
        "{}: module open (a rule --why does not name yet)",
        short_file(r.index, n)
    ))
}

/// Why the associated items of a workspace or dependency type are not all known.
fn why_type_open(r: &Resolver, n: &Arc<ModNode>, item: &RItem) -> String {
    let here = at(r.index, n, item.span.start_row);
    let name = &item.name;
    if let Some(a) = item.attr_macros.first() {
        return format!("{here}: attribute macro `#[{a}]` on `{name}` may add items");
    }
    if let Some(d) = item
        .derives
        .iter()
        .find(|d| !crate::syntax::rust::STD_DERIVES.contains(&d.rsplit("::").next().unwrap_or(d)))
    {
        return format!("{here}: `#[derive({d})]` on `{name}` may add items");
    }
    let impls = r.index.crate_impls(n.key.0);
    if impls.open_types.contains(name) {
        return format!(
            "an `impl {name}` block has generated items (a macro inside it, or an attribute macro)"
        );
    }
    if impls.macro_named.contains(name) {
        let at = impls.macro_named_because.clone().unwrap_or_default();
        return format!(
            "`{name}` is named in a call of another crate's macro ({at}), which may give it impls"
        );
    }
    if impls.open {
        let because = impls
            .open_because
            .clone()
            .unwrap_or_else(|| "a module of the crate may generate impls".to_string());
        return format!("impls of `{name}` may be generated: {because}");
    }
    format!("{here}: the items of `{name}` are not all known")
}

/// Why a method call is not reported: the receiver's type is not known, a
/// trait in scope may provide the method, or the type's items are open.
fn why_method(
    r: &Resolver,
    nodes: &[Arc<ModNode>],
    scope_open: bool,
    node: &Arc<ModNode>,
    call: &MethodCall,
) -> Option<String> {
    let typer = Typer { r };
    let Some(ty) = typer.receiver(node, &call.receiver, call.scope, 0) else {
        return why_receiver(&typer, node, &call.receiver, call.scope);
    };
    let shown = show(&ty);
    let res = ty.res.clone();
    match &res {
        Res::Item(n, i) => {
            let item = &n.module().items[*i];
            if item.kind.is_type() && r.crate_type_members(n, item).is_none() {
                return Some(why_type_open(r, n, item));
            }
        }
        Res::Std(p, _) => {
            if r.index.std.as_ref()?.members(p).is_none() {
                return Some(format!("std's index lists no members of `{p}`"));
            }
        }
        _ => return None,
    }
    if prelude::UNIVERSAL_METHODS.contains(&call.method.as_str()) {
        return None;
    }
    let members = methods::callable(&typer, &ty, 0);
    if members.as_ref().is_some_and(|ms| ms.contains(&call.method)) {
        return None;
    }
    if r.scope_methods.contains(&call.method) {
        return Some(trait_reason(&call.method, &shown));
    }
    if scope_open {
        return Some(why_scope_open(r, nodes));
    }
    None
}

/// Why the traits in scope are not all known.
fn why_scope_open(r: &Resolver, nodes: &[Arc<ModNode>]) -> String {
    if r.index.std.is_none() {
        return "the standard library was not found: the prelude's traits are unknown".to_string();
    }
    for node in nodes {
        for u in &node.module().uses {
            let row = u.spans.first().map_or(u32::MAX, |s| s.start_row);
            let written = if u.glob {
                format!("`use {}::*`", u.path.join("::"))
            } else {
                format!("`use {}`", u.path.join("::"))
            };
            let open = match r.resolve_use(node, u, 0) {
                Outcome::Unknown => true,
                Outcome::Res(Res::Crate(_)) => u.glob,
                Outcome::Res(Res::Module(m)) if u.glob => {
                    let m = m.module();
                    !m.open_reasons.is_empty()
                        || m.uses.iter().any(|x| x.glob)
                        || m.uses.iter().any(|x| x.public)
                }
                _ => false,
            };
            if open {
                return format!(
                    "{}: {written} cannot be followed: a trait it brings into scope may provide the method",
                    at(r.index, node, row)
                );
            }
        }
    }
    "a trait in scope is not known".to_string()
}

/// Why a receiver's type is not known: the innermost call whose result is
/// not known. A plain variable or expression says nothing here.
fn why_receiver(
    typer: &Typer,
    node: &Arc<ModNode>,
    recv: &Receiver,
    scope: Option<ScopeId>,
) -> Option<String> {
    match recv {
        Receiver::Method(inner, m) => match typer.receiver(node, inner, scope, 0) {
            Some(t) => Some(format!(
                "receiver type unknown: return type of `{}::{m}()` not known",
                show(&t)
            )),
            None => why_receiver(typer, node, inner, scope),
        },
        Receiver::Try(inner) => match typer.receiver(node, inner, scope, 0) {
            Some(t) => Some(format!(
                "receiver type unknown: `?` on `{}` not followed",
                show(&t)
            )),
            None => why_receiver(typer, node, inner, scope),
        },
        Receiver::Await(inner) => match typer.receiver(node, inner, scope, 0) {
            Some(t) => Some(format!(
                "receiver type unknown: what awaiting `{}` gives is not known",
                show(&t)
            )),
            None => why_receiver(typer, node, inner, scope),
        },
        Receiver::TupleField(inner, i) => match typer.receiver(node, inner, scope, 0) {
            Some(t) => Some(format!(
                "receiver type unknown: element {i} of `{}` not known",
                show(&t)
            )),
            None => why_receiver(typer, node, inner, scope),
        },
        Receiver::Constructed(path, ctor) => {
            let mut full = path.clone();
            full.push(ctor.clone());
            Some(format!(
                "receiver type unknown: return type of `{}()` not known",
                full.join("::")
            ))
        }
        _ => None,
    }
}

/// A type's short name (`Regex`, `Vec`).
fn show(t: &RTy) -> String {
    match &t.res {
        Res::Std(p, _) => p.rsplit("::").next().unwrap_or(p).to_string(),
        Res::Item(n, i) => n.module().items[*i].name.clone(),
        _ => "_".to_string(),
    }
}
