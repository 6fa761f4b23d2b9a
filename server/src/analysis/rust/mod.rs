//! Rust findings: the same codes and the same rule as Python — a name is
//! reported only when its container is closed and certainly lacks it.

mod methods;
pub mod prelude;
pub mod receivers;
pub mod resolve;
pub mod type_text;
pub mod why;

use std::path::Path;
use std::sync::Arc;

use super::{suggest, Code, Finding};
use crate::index::rust::{ModNode, RustIndex};
use crate::syntax::facts::Span;
use crate::syntax::rust::facts::*;
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
    let mut report =
        |code: Code, span: Span, message: String, symbol: String, suggestions: Vec<String>| {
            if facts.suppressed(span.start_row, code.as_str()) {
                return;
            }
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
            emit_missing(&mut report, &outcome, &u.path, &u.spans);
        }
    }

    // Paths in expressions, types and macro invocations.
    for r in &facts.refs {
        let Some(node) = nodes.get(r.module as usize) else {
            continue;
        };
        let outcome = resolver.resolve(node, &r.segs, r.absolute, r.scope, 0);
        emit_missing(&mut report, &outcome, &r.segs, &r.spans);
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
        if let Look::NotFound = resolver.lookup(node, &call.name, call.scope, 0) {
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
    if !scope.open {
        for call in &facts.method_calls {
            let Some(node) = nodes.get(call.module as usize) else {
                continue;
            };
            if let Some((ty, candidates)) = methods::missing_method(&resolver, node, call) {
                report(
                    Code::UnknownMember,
                    call.span,
                    format!(
                        "no method `{}` on `{ty}`: it is not inherent, not from a trait the type implements, and no trait in scope provides it",
                        call.method
                    ),
                    format!("{ty}::{}", call.method),
                    suggest::suggest(&call.method, candidates.iter().map(String::as_str), 3)
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
            .filter(|r| {
                r.cfgs
                    .iter()
                    .any(|p| crate::syntax::rust::cfg::eval_text(p, &env) == Some(false))
            })
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

fn emit_missing(
    report: &mut impl FnMut(Code, Span, String, String, Vec<String>),
    outcome: &Outcome,
    segs: &[String],
    spans: &[Span],
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
    let suggestions = path_suggestions(segs, *index, candidates, 3);
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
        MissingKind::Member => (
            Code::UnknownMember,
            format!("`{name}` is not an associated item of {container}"),
        ),
    };
    report(code, span, message, symbol, suggestions);
}
