//! The real names of a container as suggestions weigh them: each with its
//! kind (callable, class, value) and first doc line.

use std::sync::Arc;

use super::eval::{Ctx, Evaluator};
use super::hover;
use super::suggest::{NameKind, Named};
use super::types::{Lookup, Ty};
use crate::index::python_env::DumpMember;
use crate::index::Module;
use crate::syntax::facts::{Span, MODULE_SCOPE};

/// The members of a module or class (`container`), named with their kinds
/// and doc lines.
pub fn members(ev: &Evaluator, container: &Ty) -> Vec<Named> {
    let names: Vec<String> = match container {
        Ty::Module(m) => ev.module_member_names(m).into_iter().collect(),
        Ty::Class(c) | Ty::Instance(c) => ev.class_member_names(c).into_iter().collect(),
        _ => return Vec::new(),
    };
    names
        .into_iter()
        .map(|name| {
            let ty = match ev.member(container, &name) {
                Lookup::Found(t) => Some(t),
                _ => None,
            };
            let (kind, mut doc) = match &ty {
                Some(t) => (
                    kind_of(ev, container, &name, t),
                    hover::describe_member(ev, t, container, &name, Span::default()).doc,
                ),
                None => (NameKind::Unknown, hover::compiled_doc(ev, container, &name)),
            };
            if doc.is_none() {
                if let Ty::Module(m) = container {
                    doc = star_imported_doc(ev, m, &name, 0);
                }
            }
            Named { name, kind, doc }
        })
        .collect()
}

fn kind_of(ev: &Evaluator, container: &Ty, name: &str, ty: &Ty) -> NameKind {
    match ty {
        Ty::Function(_) | Ty::BoundMethod(..) | Ty::Known { .. } => NameKind::Callable,
        Ty::Class(_) => NameKind::Class,
        Ty::Instance(_) | Ty::Module(_) => NameKind::Value,
        Ty::Unknown => match container {
            Ty::Module(m) => match ev.index.dump_of(&m.name).and_then(|d| d.members.get(name)) {
                Some(DumpMember::Function) => NameKind::Callable,
                Some(DumpMember::Class { .. }) => NameKind::Class,
                Some(DumpMember::Variable { .. } | DumpMember::Module { .. }) => NameKind::Value,
                None => NameKind::Unknown,
            },
            _ => NameKind::Unknown,
        },
    }
}

/// The doc line of a name a module has through a star import
/// (`posixpath.exists` from `genericpath`), read where it is defined.
fn star_imported_doc(ev: &Evaluator, m: &Arc<Module>, name: &str, depth: u32) -> Option<String> {
    let facts = m.facts.as_ref()?;
    if depth >= 3 || facts.module_bindings(name).is_some() {
        return None;
    }
    let ctx = Ctx { module: m.clone() };
    facts
        .scope(MODULE_SCOPE)
        .star_imports
        .iter()
        .filter(|star| ev.guard_active(&ctx, star.guard))
        .filter_map(|star| {
            ev.absolute_module(&ctx, star.level, &star.module)
                .and_then(|n| ev.resolve_module(&n))
        })
        .find_map(|target| {
            let Lookup::Found(t) = ev.module_member(&target, name) else {
                return None;
            };
            let container = Ty::Module(target.clone());
            hover::describe_member(ev, &t, &container, name, Span::default())
                .doc
                .or_else(|| star_imported_doc(ev, &target, name, depth + 1))
        })
}
