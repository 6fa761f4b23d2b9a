//! Rust findings: the same codes and the same rule as Python — a name is
//! reported only when its container is closed and certainly lacks it.

mod methods;
pub mod named;
mod paths;
pub mod prelude;
pub mod receivers;
pub mod resolve;
mod trait_impls;
pub mod type_text;
pub mod why;

use std::path::Path;
use std::sync::Arc;

use super::{suggest, Code, Finding};
use crate::index::rust::{ModNode, RustIndex};
use crate::syntax::facts::Span;
use crate::syntax::rust::facts::*;
use crate::syntax::rust::raw_ident;
pub use methods::receiver_type;
use resolve::{Look, MissingKind, Outcome, Resolver};

/// The crate id of a file that no crate of the workspace reaches.
pub const NO_CRATE: usize = usize::MAX;

/// The module node of each of a file's modules (index 0 is the file's own;
/// inline `mod x { }` blocks follow), in the crate that holds the file —
/// or under [`NO_CRATE`] when no crate of the workspace reaches it.
pub fn file_nodes(index: &RustIndex, file: &Path, facts: &Arc<RustFacts>) -> Vec<Arc<ModNode>> {
    let root = index
        .crates_for_file(file)
        .into_iter()
        .find_map(|k| index.module_of_file(k, file))
        .filter(|n| Arc::ptr_eq(&n.facts, facts) || n.facts.modules.len() == facts.modules.len())
        .map(|n| {
            Arc::new(index.node(
                n.key.clone(),
                n.file.clone(),
                n.local,
                facts.clone(),
                n.dir.clone(),
            ))
        })
        .unwrap_or_else(|| {
            Arc::new(index.node(
                (NO_CRATE, Vec::new()),
                file.to_path_buf(),
                0,
                facts.clone(),
                file.parent().map(Path::to_path_buf).unwrap_or_default(),
            ))
        });
    // The node of each of the file's modules (inline `mod x { }` included).
    let mut nodes: Vec<Arc<ModNode>> = Vec::with_capacity(facts.modules.len());
    for (id, m) in facts.modules.iter().enumerate() {
        let node = match m.parent {
            None => root.clone(),
            Some(p) => {
                let parent = nodes
                    .get(p as usize)
                    .cloned()
                    .unwrap_or_else(|| root.clone());
                let mut key = parent.key.clone();
                key.1.push(m.name.clone());
                let dir = parent.dir.join(&m.name);
                Arc::new(index.node(key, file.to_path_buf(), id as ModuleId, facts.clone(), dir))
            }
        };
        nodes.push(node);
    }
    nodes
}

/// The edition crate `krate` is built with ("2021" for a file no crate
/// reaches: what `cargo new` gave for years, and no keyword it lacks matters
/// to the names a finding suggests).
pub fn crate_edition(index: &RustIndex, krate: usize) -> &str {
    index
        .ws
        .crates
        .get(krate)
        .map_or("2021", |c| c.edition.as_str())
}

/// Check one Rust file of the workspace.
pub fn check_rust_file(index: &RustIndex, file: &Path, facts: Arc<RustFacts>) -> Vec<Finding> {
    let nodes = file_nodes(index, file, &facts);
    let mut resolver = Resolver {
        index,
        scope_methods: Default::default(),
        visiting: Default::default(),
    };
    let scope = methods::traits_in_scope(&resolver, &nodes);
    resolver.scope_methods = scope.methods.clone();
    let mut out = Vec::new();
    let edition = crate_edition(index, nodes[0].key.0);
    let mut report =
        |code: Code, span: Span, message: String, symbol: String, suggestions: Vec<String>| {
            if facts.suppressed(span.start_row, code.as_str()) {
                return;
            }
            // A suggestion is code to write: a keyword of the crate's
            // edition is spelled raw (`rng.r#gen()` in edition 2024).
            let suggestions = suggestions
                .iter()
                .map(|s| raw_ident::written_path(s, edition))
                .collect();
            out.push(Finding {
                code,
                message,
                symbol,
                suggestions,
                span,
            });
        };

    // `mod x;` whose file is not there.
    for node in &nodes {
        if node.key.0 == NO_CRATE {
            continue;
        }
        for item in &node.module().items {
            if item.kind != RItemKind::Mod || item.cfg {
                continue;
            }
            if let Some(ModTarget::File { path_attr: None }) = &item.module {
                if matches!(
                    index.child(node, &item.name),
                    crate::index::rust::Child::Missing
                ) {
                    let d = &node.dir;
                    report(
                        Code::UnresolvedModule,
                        item.span,
                        format!(
                            "file for module `{}` not found: neither {} nor {} exists",
                            item.name,
                            d.join(format!("{}.rs", item.name)).display(),
                            d.join(&item.name).join("mod.rs").display()
                        ),
                        item.name.clone(),
                        Vec::new(),
                    );
                }
            }
        }
    }

    // `use` declarations.
    for node in &nodes {
        for u in &node.module().uses {
            let outcome = resolver.resolve(node, &u.path, u.absolute, u.scope, 0);
            let at = Place {
                resolver: &resolver,
                node,
                absolute: u.absolute,
                scope: u.scope,
                called: false,
            };
            emit_missing(&mut report, &outcome, &u.path, &u.spans, &at);
        }
    }

    // Paths in expressions, types, macro invocations and derives, each in
    // its namespace.
    for r in &facts.refs {
        let Some(node) = nodes.get(r.module as usize) else {
            continue;
        };
        if r.kind == RefKind::Derive && r.segs.len() == 1 && !r.absolute {
            if let Some(candidates) = paths::missing_derive(&resolver, node, &facts, r) {
                let name = &r.segs[0];
                report(
                    Code::UndefinedName,
                    r.spans[0],
                    format!(
                        "derive macro `{name}` is not in scope: it is not one of std's derives, and no import brings a macro of that name"
                    ),
                    name.clone(),
                    suggest::suggest(name, candidates.iter().map(String::as_str), 3),
                );
            }
            continue;
        }
        let ns = r.kind.namespace();
        let outcome = resolver.resolve_in(node, &r.segs, r.absolute, r.scope, 0, ns);
        let at = Place {
            resolver: &resolver,
            node,
            absolute: r.absolute,
            scope: r.scope,
            called: matches!(r.kind, RefKind::Call | RefKind::Macro),
        };
        emit_missing(&mut report, &outcome, &r.segs, &r.spans, &at);
    }

    // Struct literals: the fields they name.
    for lit in &facts.struct_literals {
        let Some(node) = nodes.get(lit.module as usize) else {
            continue;
        };
        let Some((ty, unknown, fields)) = paths::unknown_fields(&resolver, node, lit) else {
            continue;
        };
        for (field, span) in unknown {
            report(
                Code::UnknownMember,
                span,
                format!("struct `{ty}` has no field `{field}`"),
                format!("{ty}::{field}"),
                suggest::suggest(&field, fields.iter().map(String::as_str), 3)
                    .into_iter()
                    .map(|s| format!("{ty}::{s}"))
                    .collect(),
            );
        }
    }

    // `<T as Trait>::item`: the trait's own items.
    for q in &facts.qualified {
        let Some(node) = nodes.get(q.module as usize) else {
            continue;
        };
        if let Some((tr, candidates)) = paths::missing_trait_item(&resolver, node, q) {
            report(
                Code::UnknownMember,
                q.item_span,
                format!(
                    "`{}` is not an item of trait `{tr}`: `<T as {tr}>::{}` names the trait's own methods, constants and types only",
                    q.item, q.item
                ),
                format!("{tr}::{}", q.item),
                suggest::suggest(&q.item, candidates.iter().map(String::as_str), 3)
                    .into_iter()
                    .map(|s| format!("{tr}::{s}"))
                    .collect(),
            );
        }
    }

    // Bare calls of functions nothing defines.
    for call in &facts.calls {
        let Some(node) = nodes.get(call.module as usize) else {
            continue;
        };
        if !call
            .name
            .starts_with(|c: char| c.is_lowercase() || c == '_')
            || facts.bound_locally(call.scope, &call.name)
            || facts.macros_around(call.scope)
            || prelude::PRELUDE.iter().any(|(n, _)| *n == call.name)
        {
            continue;
        }
        if let Look::NotFound =
            resolver.lookup_in(node, &call.name, call.scope, 0, Namespace::Value)
        {
            let mut candidates: Vec<String> = node
                .module()
                .items
                .iter()
                .filter(|i| i.kind == RItemKind::Fn)
                .map(|i| i.name.clone())
                .collect();
            candidates.extend(
                node.module()
                    .uses
                    .iter()
                    .filter_map(|u| u.binds().map(str::to_string)),
            );
            report(
                Code::UndefinedName,
                call.span,
                format!(
                    "`{}` is not defined: no function, import or local binding of that name is in scope",
                    call.name
                ),
                call.name.clone(),
                suggest::suggest(&call.name, candidates.iter().map(String::as_str), 3),
            );
        }
    }

    // Methods on receivers whose type is certain.
    let in_scope: std::collections::BTreeSet<String> =
        scope.traits.iter().map(|(t, _)| t.name()).collect();
    if !scope.open {
        for call in &facts.method_calls {
            let Some(node) = nodes.get(call.module as usize) else {
                continue;
            };
            if let Some(miss) = methods::missing_method(&resolver, node, call, &scope) {
                let ty = &miss.ty;
                let mut named = match receiver_type(&resolver, node, call) {
                    Some(res) => named::for_methods(&resolver, &res, &miss.candidates, &in_scope),
                    None => named::for_path(&resolver, node, &[], 0, false, None, &miss.candidates),
                };
                // The methods of the traits the file imports that the type
                // may implement are real members of the receiver too.
                let traits = methods::imported_traits(&resolver, node, call, &scope);
                for m in named::imported_trait_methods(&resolver, &traits) {
                    if !named.iter().any(|n| n.name == m.name) {
                        named.push(m);
                    }
                }
                let message = if let Some(traits) = &miss.out_of_scope {
                    format!(
                        "no method `{}` on `{ty}` in scope: it comes from {traits}, which is not imported (items from traits can only be used if the trait is in scope)",
                        call.method
                    )
                } else if miss.unimplemented.is_empty() {
                    format!(
                        "no method `{}` on `{ty}`: it is not inherent, not from a trait the type implements, and no trait in scope provides it",
                        call.method
                    )
                } else {
                    format!(
                        "no method `{}` on `{ty}`: `{ty}` does not implement {}, the trait in scope that has it",
                        call.method,
                        miss.unimplemented
                            .iter()
                            .map(|t| format!("`{t}`"))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    )
                };
                report(
                    Code::UnknownMember,
                    call.span,
                    message,
                    format!("{ty}::{}", call.method),
                    suggest::suggest_members(&call.method, &named, true, 3)
                        .into_iter()
                        .map(|s| format!("{ty}::{s}"))
                        .collect(),
                );
            }
        }
    }
    // Named fields on receivers whose type is certain.
    for access in &facts.field_accesses {
        let Some(node) = nodes.get(access.module as usize) else {
            continue;
        };
        if let Some((ty, candidates)) = methods::missing_field(&resolver, node, access) {
            report(
                Code::UnknownMember,
                access.span,
                format!(
                    "no field `{}` on `{ty}`: the type has no field, and dereferences to nothing that has one",
                    access.method
                ),
                format!("{ty}::{}", access.method),
                suggest::suggest(&access.method, candidates.iter().map(String::as_str), 3)
                    .into_iter()
                    .map(|s| format!("{ty}::{s}"))
                    .collect(),
            );
        }
    }
    // Code for another configuration is not compiled here: nothing in it
    // is reported (`#[cfg(windows)] fn f() { tokio::net::windows::… }`).
    if !facts.cfg_regions.is_empty() {
        let env = index.cfg_env(nodes[0].key.0);
        let off: Vec<(u32, u32)> = facts
            .cfg_regions
            .iter()
            .filter(|r| crate::syntax::rust::cfg::compiled_out(&r.cfgs, &env))
            .map(|r| (r.start_byte, r.end_byte))
            .collect();
        out.retain(|f| {
            !off.iter()
                .any(|(s, e)| *s <= f.span.start_byte && f.span.end_byte <= *e)
        });
    }
    out.sort_by_key(|f| (f.span.start_byte, f.code));
    out.dedup_by(|a, b| a.span == b.span && a.code == b.code);
    out
}

/// The real names nearest `segs[at]` among `candidates`, as full paths
/// (`std::collections::HashMap`), best first, at most `n`.
pub fn path_suggestions(
    segs: &[String],
    at: usize,
    candidates: &[String],
    n: usize,
) -> Vec<String> {
    let prefix = segs[..at].join("::");
    suggest::suggest(&segs[at], candidates.iter().map(String::as_str), n)
        .into_iter()
        .map(|s| {
            if prefix.is_empty() {
                s
            } else {
                format!("{prefix}::{s}")
            }
        })
        .collect()
}

/// Where a path is read, for describing the names its suggestions come from.
struct Place<'a, 'r> {
    resolver: &'a Resolver<'r>,
    node: &'a Arc<ModNode>,
    absolute: bool,
    scope: Option<ScopeId>,
    /// The path is called (`fs::read_file(…)`, `json!(…)`): only callables fit.
    called: bool,
}

fn emit_missing(
    report: &mut impl FnMut(Code, Span, String, String, Vec<String>),
    outcome: &Outcome,
    segs: &[String],
    spans: &[Span],
    at: &Place,
) {
    let Outcome::Missing {
        index,
        kind,
        container,
        candidates,
    } = outcome
    else {
        return;
    };
    let Some(span) = spans.get(*index).copied() else {
        return;
    };
    let name = &segs[*index];
    let symbol = segs[..=*index].join("::");
    // A missing crate or module is offered names alike; an item of a module
    // or type, names alike or meaning alike, of the kind the use wants.
    let suggestions = match kind {
        MissingKind::Crate | MissingKind::Module | MissingKind::Macro | MissingKind::Derive => {
            path_suggestions(segs, *index, candidates, 3)
        }
        MissingKind::Symbol | MissingKind::Member => {
            let named = named::for_path(
                at.resolver,
                at.node,
                segs,
                *index,
                at.absolute,
                at.scope,
                candidates,
            );
            let prefix = segs[..*index].join("::");
            suggest::suggest_members(name, &named, at.called && *index + 1 == segs.len(), 3)
                .into_iter()
                .map(|s| {
                    if prefix.is_empty() {
                        s
                    } else {
                        format!("{prefix}::{s}")
                    }
                })
                .collect()
        }
    };
    let (code, message) = match kind {
        MissingKind::Crate => (
            Code::UnresolvedModule,
            format!(
                "crate or module `{name}` not found: it is not a dependency of {container} (Cargo.toml), a module or an import in scope"
            ),
        ),
        MissingKind::Module => (
            Code::UnresolvedModule,
            format!("module `{name}` not found in {container}"),
        ),
        MissingKind::Symbol => (
            Code::UnresolvedSymbol,
            format!("`{name}` does not exist in {container}"),
        ),
        MissingKind::Macro => (
            Code::UnresolvedSymbol,
            format!("no macro `{name}!` in {container}: a macro path names macros only, not modules, types or functions"),
        ),
        MissingKind::Derive => (
            Code::UnresolvedSymbol,
            format!("no derive macro `{name}` in {container}: a derive names a derive macro, not a trait, type or module"),
        ),
        MissingKind::Member => (
            Code::UnknownMember,
            format!("`{name}` is not an associated item of {container}"),
        ),
    };
    report(code, span, message, symbol, suggestions);
}
