//! `lookup` and `members` for Rust paths (`std::collections::HashMap::insert`,
//! `serde_json::from_str`, `crate::store::Store`), with the checker's
//! certainty rules: a name is missing only from a closed module or type; a
//! type whose items macros or derives may generate answers "unknown".
//!
//! A path is read as code at one place would read it (the vantage):
//! - with a `.rs` file, from that file's top module: its imports,
//!   `crate::`, `self::` and `super::` count, as they would in the file;
//! - otherwise from the root of each crate of the Cargo workspace in turn
//!   (the first that knows the path's first segment answers), so its
//!   dependencies, std and the prelude (`Vec::push`) are reachable, and a
//!   workspace crate may be named by its own name (`report::Report`).

use std::path::PathBuf;
use std::sync::Arc;

use super::describe::Described;
use super::lookup::{Existence, MemberList, SymbolLookup};
use super::rust::{crate_items, declaration, described, listed_item, std_items, std_members};
use super::rust::{Member, MemberTables};
use crate::analysis::rust::prelude;
use crate::analysis::rust::resolve::{Look, MissingKind, Outcome, Res, Resolver};
use crate::analysis::rust::{file_nodes, path_suggestions, NO_CRATE};
use crate::index::cargo::TargetKind;
use crate::index::rust::{ModNode, RustIndex, StdApi, StdKind};
use crate::syntax::rust::facts::RustFacts;

/// A name no real module or type has: whether it is found tells whether the
/// container is closed.
const PROBE: &str = "grounded_probe_no_such_member";

/// Where a path is read from: a file (its text as parsed) or nowhere in
/// particular (the workspace's crates).
pub struct Vantage {
    pub file: Option<(PathBuf, Arc<RustFacts>)>,
}

/// Does the Rust path `symbol` exist?
pub fn lookup_rust(
    index: &RustIndex,
    vantage: &Vantage,
    symbol: &str,
) -> Result<SymbolLookup, String> {
    let symbol = symbol.trim();
    let segs = segments(symbol, vantage, index)?;
    let resolver = resolver(index);
    let answer = |existence, found, reason: Option<String>, suggestions| SymbolLookup {
        symbol: symbol.to_string(),
        existence,
        found,
        reason,
        suggestions,
    };
    let outcome = resolve(index, &resolver, vantage, &segs);
    Ok(match outcome {
        Outcome::Res(res) => {
            let d = describe_res(index, &res, symbol);
            answer(Existence::Exists, Some(d), None, Vec::new())
        }
        Outcome::Missing {
            index: at,
            kind,
            container,
            candidates,
        } => {
            let name = &segs[at];
            let suggestions = path_suggestions(&segs, at, &candidates, 5);
            let reason = match kind {
                MissingKind::Crate => format!(
                    "no crate, module or item `{name}`: it is not std, core, alloc, a dependency in Cargo.toml or a name in scope{}",
                    if container.is_empty() { String::new() } else { format!(" of {container}") }
                ),
                MissingKind::Module => format!("no module `{name}` in {container}"),
                MissingKind::Symbol => format!("{container} has no item `{name}`"),
                MissingKind::Member => format!("{container} has no associated item `{name}`"),
            };
            answer(Existence::Missing, None, Some(reason), suggestions)
        }
        Outcome::Unknown => match member_of_type(index, &resolver, vantage, &segs, symbol) {
            Some(d) => answer(Existence::Exists, Some(d), None, Vec::new()),
            None => answer(
                Existence::Unknown,
                None,
                Some(unknown_reason(index, &resolver, vantage, &segs)),
                Vec::new(),
            ),
        },
    })
}

/// The items of a Rust module or the associated items of a type or trait.
pub fn members_rust(
    index: &RustIndex,
    vantage: &Vantage,
    name: &str,
) -> Result<MemberList, String> {
    let name = name.trim();
    let segs = segments(name, vantage, index)?;
    let resolver = resolver(index);
    let res = match resolve(index, &resolver, vantage, &segs) {
        Outcome::Res(res) => res,
        Outcome::Missing { .. } => {
            let l = lookup_rust(index, vantage, name)?;
            return Err(format!(
                "`{name}` does not exist: {}",
                l.reason.unwrap_or_default()
            ));
        }
        Outcome::Unknown => return Err(unknown_reason(index, &resolver, vantage, &segs)),
    };
    let container = describe_res(index, &res, name);
    let qualify = |mut d: Described| {
        d.name = format!("{name}::{}", d.name);
        d
    };
    let (closed, members) = match &res {
        Res::Std(p, StdKind::Module) => {
            let items = std_items(index, p);
            (
                true,
                items.into_iter().map(|l| qualify(l.described)).collect(),
            )
        }
        Res::Std(p, StdKind::Type | StdKind::Trait) => {
            let std = index
                .std
                .as_ref()
                .ok_or("Rust's standard library is not known")?;
            let (closed, members) = std_type_members(std.as_ref(), p);
            (closed, members.into_iter().map(qualify).collect())
        }
        Res::Module(n) => module_members(index, &resolver, n, &qualify),
        Res::Crate(c) => match index.root(*c) {
            Some(root) => module_members(index, &resolver, &root, &qualify),
            None => return Err(format!("the sources of `{name}` could not be read")),
        },
        Res::Item(n, i) => {
            let item = &n.module().items[*i];
            if !item.kind.is_type() && item.kind != crate::syntax::rust::facts::RItemKind::Trait {
                return Err(not_a_container(name, container.kind));
            }
            let mut tables = MemberTables::default();
            let table = tables.of(index, n.key.0, n);
            let listed = listed_item(item, &table, false);
            let closed = item.kind != crate::syntax::rust::facts::RItemKind::TypeAlias
                && resolver.crate_type_members(n, item).is_some();
            let members = listed
                .members
                .into_iter()
                .map(|m: Member| qualify(m.described));
            (closed, members.collect())
        }
        Res::Std(..) | Res::Unknown => return Err(not_a_container(name, container.kind)),
    };
    let open_because = (!closed).then_some(match res {
        Res::Std(..) => "method calls also reach the methods of its `Deref` target, a type parameter or a type not known here",
        Res::Item(..) => "macros, derives or attribute macros may add items the sources do not show",
        _ => "a glob import, a macro or a cfg may add names",
    });
    Ok(MemberList {
        container,
        closed,
        open_because,
        members,
    })
}

/// A std type's members as a method call sees them: its own, then those of
/// its `Deref` target (`String` → `str`), each saying so. Open when the
/// target is a type parameter or not known (`Box<T>`, `Arc<T>`).
fn std_type_members(std: &dyn StdApi, path: &str) -> (bool, Vec<Described>) {
    let mut out: Vec<Described> = std_members(std, path)
        .into_iter()
        .map(|m| m.described)
        .collect();
    if prelude::derefs_to_unknown(path) {
        return (false, out);
    }
    let Some(target) = prelude::deref_target(path) else {
        let derefs = std
            .implemented_traits(path)
            .iter()
            .any(|t| t.ends_with("::Deref"));
        return (!derefs, out);
    };
    let short = target.rsplit("::").next().unwrap_or(target);
    for m in std_members(std, target) {
        if out.iter().any(|d| d.name == m.name) {
            continue;
        }
        let mut d = m.described;
        d.doc = Some(match d.doc {
            Some(doc) => format!("(through `Deref` to `{short}`) {doc}"),
            None => format!("(through `Deref` to `{short}`)"),
        });
        out.push(d);
    }
    (true, out)
}

fn not_a_container(name: &str, kind: &str) -> String {
    format!("`{name}` is a {kind}, not a module, type or trait: it has no member list")
}

fn module_members(
    index: &RustIndex,
    resolver: &Resolver,
    n: &Arc<ModNode>,
    qualify: &dyn Fn(Described) -> Described,
) -> (bool, Vec<Described>) {
    let mut tables = MemberTables::default();
    let items = crate_items(index, resolver, &mut tables, n, false);
    let closed =
        n.key.0 != NO_CRATE && matches!(resolver.lookup(n, PROBE, None, 0), Look::NotFound);
    (
        closed,
        items.into_iter().map(|l| qualify(l.described)).collect(),
    )
}

/// `std::collections::HashMap` → its segments; a clear error for what is
/// not a Rust path.
fn segments(symbol: &str, vantage: &Vantage, index: &RustIndex) -> Result<Vec<String>, String> {
    let path = symbol.strip_prefix("::").unwrap_or(symbol);
    let segs: Vec<String> = path.split("::").map(str::to_string).collect();
    let ident = |s: &str| {
        let s = s.strip_prefix("r#").unwrap_or(s);
        !s.is_empty()
            && !s.starts_with(|c: char| c.is_ascii_digit())
            && s.chars().all(|c| c.is_alphanumeric() || c == '_')
    };
    if !segs.iter().all(|s| ident(s)) {
        return Err(format!(
            "`{symbol}` is not a Rust path (like `std::collections::HashMap::insert` or `serde_json::from_str`)"
        ));
    }
    if vantage.file.is_none() && matches!(segs[0].as_str(), "crate" | "self" | "super") {
        let lib = index
            .ws
            .crates
            .iter()
            .find(|c| c.workspace && c.kind == TargetKind::Lib)
            .map(|c| c.name.as_str())
            .unwrap_or("mycrate");
        return Err(format!(
            "`{symbol}` is relative to a file: pass `path` (a .rs file of the crate) or start with the crate's name (`{lib}::{}`)",
            segs[1..].join("::")
        ));
    }
    Ok(segs)
}

fn resolver(index: &RustIndex) -> Resolver<'_> {
    Resolver {
        index,
        scope_methods: Default::default(),
        visiting: Default::default(),
    }
}

/// The module nodes a path may be read from, best first.
fn vantage_nodes(index: &RustIndex, vantage: &Vantage) -> Vec<Arc<ModNode>> {
    if let Some((file, facts)) = &vantage.file {
        return vec![file_nodes(index, file, facts)[0].clone()];
    }
    let mut crates: Vec<usize> = (0..index.ws.crates.len())
        .filter(|&k| index.ws.crates[k].workspace)
        .collect();
    // A library first: its root is where the crate's API lives.
    crates.sort_by_key(|&k| (index.ws.crates[k].kind != TargetKind::Lib, k));
    let mut nodes: Vec<Arc<ModNode>> = crates.into_iter().filter_map(|k| index.root(k)).collect();
    if nodes.is_empty() {
        // No Cargo workspace: std, core and alloc only.
        nodes.push(Arc::new(ModNode {
            key: (NO_CRATE, Vec::new()),
            file: index.ws.root.join("lib.rs"),
            local: 0,
            facts: Arc::new(crate::syntax::rust::parse("")),
            dir: index.ws.root.clone(),
            expanded: None,
        }));
    }
    nodes
}

fn resolve(index: &RustIndex, resolver: &Resolver, vantage: &Vantage, segs: &[String]) -> Outcome {
    let nodes = vantage_nodes(index, vantage);
    if vantage.file.is_none() {
        // A workspace crate named by its own name.
        let own = nodes.iter().find(|n| {
            index
                .ws
                .crates
                .get(n.key.0)
                .is_some_and(|c| c.name == segs[0] && c.kind == TargetKind::Lib)
        });
        if let Some(node) = own {
            let mut rest = segs.to_vec();
            rest[0] = "crate".to_string();
            return resolver.resolve(node, &rest, false, None, 0);
        }
    }
    let mut first: Option<Outcome> = None;
    for node in &nodes {
        let outcome = resolver.resolve(node, segs, false, None, 0);
        match outcome {
            Outcome::Missing { index: 0, .. } if first.is_some() => {}
            Outcome::Missing { index: 0, .. } => first = Some(outcome),
            found => return found,
        }
    }
    first.unwrap_or(Outcome::Unknown)
}

/// When the resolver cannot follow a path through a type (it does not
/// resolve associated items), the type's listed members can still say the
/// last segment exists.
fn member_of_type(
    index: &RustIndex,
    resolver: &Resolver,
    vantage: &Vantage,
    segs: &[String],
    symbol: &str,
) -> Option<Described> {
    let (last, prefix) = segs.split_last()?;
    if prefix.is_empty() {
        return None;
    }
    let mut d = match resolve(index, resolver, vantage, prefix) {
        Outcome::Res(Res::Std(p, StdKind::Type | StdKind::Trait)) => {
            let std = index.std.as_ref()?;
            std_members(std.as_ref(), &p)
                .into_iter()
                .find(|m| &m.name == last)?
                .described
        }
        Outcome::Res(Res::Item(n, i)) => {
            let item = &n.module().items[i];
            let mut tables = MemberTables::default();
            let table = tables.of(index, n.key.0, &n);
            let mut d = listed_item(item, &table, true)
                .members
                .into_iter()
                .find(|m| &m.name == last)?
                .described;
            d.source = Some(n.file.clone());
            d
        }
        _ => return None,
    };
    d.name = symbol.to_string();
    Some(d)
}

/// Why a path that resolved to "unknown" cannot be settled.
fn unknown_reason(
    index: &RustIndex,
    resolver: &Resolver,
    vantage: &Vantage,
    segs: &[String],
) -> String {
    if index.ws.crates.is_empty() && !matches!(segs[0].as_str(), "std" | "core" | "alloc") {
        return format!(
            "no Cargo.toml was found, so crates other than std, core and alloc are not known (`{}`)",
            segs[0]
        );
    }
    if index.std.is_none() && matches!(segs[0].as_str(), "std" | "core" | "alloc") {
        return "Rust's standard library is not known (no rust-src and no readable rustdoc index in the toolchain)".to_string();
    }
    // The longest prefix that resolves names what is open.
    for k in (1..segs.len()).rev() {
        if let Outcome::Res(res) = resolve(index, resolver, vantage, &segs[..k]) {
            let what = segs[..k].join("::");
            return match res {
                Res::Item(..) | Res::Std(..) => format!(
                    "`{what}` may have associated items its source does not show (macros, derives, trait impls elsewhere), so whether it has `{}` cannot be known",
                    segs[k]
                ),
                _ => format!(
                    "`{what}` is open (a glob import, a macro or a cfg may add names to it), so whether it has `{}` cannot be known",
                    segs[k]
                ),
            };
        }
    }
    format!(
        "`{}` cannot be followed (a crate whose sources are not available, or a name a macro makes)",
        segs[0]
    )
}

fn describe_res(index: &RustIndex, res: &Res, name: &str) -> Described {
    let short = name.rsplit("::").next().unwrap_or(name);
    let mut d = match res {
        Res::Module(n) => {
            let root = n.key.1.is_empty() && n.local == 0 && n.key.0 != NO_CRATE;
            let mut d = described(if root { "crate" } else { "module" }, short, None);
            d.source = Some(n.file.clone());
            d.doc = n.module().doc.clone();
            d
        }
        Res::Crate(c) => {
            let mut d = described("crate", short, None);
            let root = index.root(*c);
            d.source = root.as_ref().map(|r| r.file.clone());
            d.doc = root.and_then(|r| r.module().doc.clone());
            d
        }
        Res::Item(n, i) => {
            let item = &n.module().items[*i];
            let mut tables = MemberTables::default();
            let table = tables.of(index, n.key.0, n);
            let mut d = listed_item(item, &table, false).described;
            d.source = Some(n.file.clone());
            d
        }
        Res::Std(p, kind) => {
            let std = index.std.as_ref();
            let label = std.and_then(|s| s.label(p)).unwrap_or(match kind {
                StdKind::Module => "module",
                StdKind::Type => "type",
                StdKind::Trait => "trait",
                StdKind::Fn => "function",
                StdKind::Macro => "macro",
                StdKind::Other => "item",
            });
            let signature = std
                .and_then(|s| s.signature(p))
                .or_else(|| declaration(label, short));
            let mut d = described(label, short, signature);
            d.doc = std.and_then(|s| s.doc(p));
            d
        }
        Res::Unknown => described("item", short, None),
    };
    d.name = name.to_string();
    d
}
