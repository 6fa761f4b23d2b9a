//! What the context may list, and in which order: the modules a file
//! imports (and the modules its attribute chains reach), each member that
//! really exists, ranked — members the file uses, then members whose names
//! share words with the task or the code around the cursor, then the rest.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use super::relevance::Interest;
use super::{Relevance, Section};
use crate::analysis::eval::{Ctx, Evaluator};
use crate::analysis::types::{Lookup, Ty};
use crate::index::python_env::DumpMember;
use crate::index::{Module, Origin};
use crate::syntax::facts::*;
use crate::syntax::python::dunder;

/// A module the context lists, under one heading.
pub struct Heading {
    pub section: Section,
    /// As the text names it: `os.path`, `std::fs`.
    pub name: String,
    /// The file that defines it.
    pub source: Option<PathBuf>,
    /// The Python module whose members are described on demand (None where
    /// every candidate comes described, as for Rust).
    pub module: Option<Arc<Module>>,
    /// The file the context is for.
    pub this_file: bool,
}

impl Heading {
    fn python(section: Section, module: &Arc<Module>, this_file: bool) -> Heading {
        Heading {
            section,
            name: module.name.clone(),
            source: module.file.clone(),
            module: Some(module.clone()),
            this_file,
        }
    }
}

/// Rank order: relevance tier, then more shared words first, then how close
/// the member is to the file (methods of classes it uses, its own
/// definitions, its workspace neighbours, libraries), then position — the
/// first members of every module before the second of any, so each module
/// gets its share.
pub type RankKey = (u8, Reverse<u32>, u8, u32, u32, u32);

pub struct Candidate {
    pub heading: usize,
    pub name: String,
    /// For a class member: the candidate of its class.
    pub parent: Option<usize>,
    pub relevance: Relevance,
    pub key: RankKey,
}

/// Members the file refers to, by module: `member` and `member.child`.
#[derive(Default)]
pub struct Used {
    members: BTreeMap<String, BTreeSet<String>>,
    children: BTreeSet<(String, String, String)>,
    /// Names the file reads from a module that the module lacks.
    missing: BTreeMap<String, BTreeSet<String>>,
}

impl Used {
    pub fn member(&self, module: &str, name: &str) -> bool {
        self.members.get(module).is_some_and(|s| s.contains(name))
    }

    pub fn child(&self, module: &str, member: &str, child: &str) -> bool {
        self.children
            .contains(&(module.to_string(), member.to_string(), child.to_string()))
    }

    /// Top-level packages the file imports.
    pub fn top_levels(&self, modules: &[Arc<Module>]) -> BTreeSet<String> {
        modules
            .iter()
            .map(|m| m.name.split('.').next().unwrap_or("").to_string())
            .collect()
    }
}

/// The modules the file imports, in order (self-imports and unresolved
/// modules left out), and what it uses of them.
pub fn imported_modules(ev: &Evaluator, ctx: &Ctx) -> (Vec<Arc<Module>>, Used) {
    let facts = ctx.facts();
    let mut names: Vec<String> = Vec::new();
    let mut used = Used::default();
    let push = |names: &mut Vec<String>, n: String| {
        if !names.contains(&n) {
            names.push(n);
        }
    };
    for imp in &facts.imports {
        if !ev.guard_active(ctx, imp.guard) {
            continue;
        }
        let Some(abs) = ev.absolute_module(ctx, imp.level, &imp.module) else {
            continue;
        };
        push(&mut names, abs.clone());
        for (name, _) in &imp.names {
            used.members
                .entry(abs.clone())
                .or_default()
                .insert(name.to_string());
            // `from os import path`: a module imported by name.
            let full = format!("{abs}.{name}");
            if ev.index.module(&full).is_some() {
                push(&mut names, full);
            }
        }
    }
    for r in &facts.attr_refs {
        let Some((base, scope, segments)) = chain(&r.expr) else {
            continue;
        };
        let Some((module, segments)) = chain_start(ev, ctx, base, scope, segments) else {
            continue;
        };
        let Some(mut current) = ev.resolve_module(&module) else {
            continue;
        };
        for (i, seg) in segments.iter().enumerate() {
            let ty = match ev.module_member(&current, seg) {
                Lookup::Found(t) => t,
                Lookup::Missing(_) => {
                    used.missing
                        .entry(current.name.clone())
                        .or_default()
                        .insert(seg.clone());
                    break;
                }
                _ => break,
            };
            used.members
                .entry(current.name.clone())
                .or_default()
                .insert(seg.clone());
            match ty {
                Ty::Module(sub) => {
                    push(&mut names, sub.name.clone());
                    current = sub;
                }
                _ => {
                    if let Some(child) = segments.get(i + 1) {
                        used.children
                            .insert((current.name.clone(), seg.clone(), child.clone()));
                    }
                    break;
                }
            }
        }
    }
    let own = ctx.module.file.as_deref();
    let modules = names
        .iter()
        .filter_map(|n| ev.resolve_module(n))
        .filter(|m| m.file.is_none() || m.file.as_deref() != own)
        .fold(Vec::<Arc<Module>>::new(), |mut acc, m| {
            if !acc.iter().any(|x| x.name == m.name) {
                acc.push(m);
            }
            acc
        });
    (modules, used)
}

/// `a.b().c` → (`a`, its scope, [`b`, `c`]).
fn chain(e: &Expr) -> Option<(&str, ScopeId, Vec<String>)> {
    match e {
        Expr::Name { name, scope, .. } => Some((name, *scope, Vec::new())),
        Expr::Attr { base, attr, .. } => {
            let (n, s, mut segs) = chain(base)?;
            segs.push(attr.to_string());
            Some((n, s, segs))
        }
        Expr::Call { func, .. } => chain(func),
        _ => None,
    }
}

/// The module a chain starts from, and the member path below it.
fn chain_start(
    ev: &Evaluator,
    ctx: &Ctx,
    base: &str,
    scope: ScopeId,
    segments: Vec<String>,
) -> Option<(String, Vec<String>)> {
    let facts = ctx.facts();
    let s = facts.binding_scope(scope, base)?;
    for b in &facts.scope(s).bindings[base] {
        match &b.kind {
            BindingKind::Import { module } => return Some((module.to_string(), segments)),
            BindingKind::ImportFrom {
                level,
                module,
                name,
            } => {
                let abs = ev.absolute_module(ctx, *level, module)?;
                let mut path = vec![name.to_string()];
                path.extend(segments);
                return Some((abs, path));
            }
            _ => {}
        }
    }
    None
}

/// The members of `m` worth listing: `__all__` when it is literal, else the
/// public names, without the modules and names it merely imports from
/// elsewhere.
pub fn public_members(ev: &Evaluator, m: &Arc<Module>) -> Vec<String> {
    let public_sub = m.submodules.iter().filter(|s| !s.starts_with('_')).cloned();
    if let Some(all) = m.facts.as_ref().and_then(|f| f.all.as_ref()) {
        let mut out: BTreeSet<String> = all.iter().cloned().collect();
        out.extend(public_sub);
        return out.into_iter().collect();
    }
    let dump = ev.index.dump_of(&m.name);
    let top = m.name.split('.').next().unwrap_or("");
    ev.module_member_names(m)
        .into_iter()
        .filter(|n| !n.starts_with('_'))
        .filter(|n| {
            if m.submodules.contains(n) {
                return true;
            }
            if let Some(DumpMember::Module { .. }) = dump.and_then(|d| d.members.get(n)) {
                return false;
            }
            let Some(bindings) = m.facts.as_ref().and_then(|f| f.module_bindings(n)) else {
                return true;
            };
            !bindings.iter().all(|b| match &b.kind {
                BindingKind::Import { .. } => true,
                BindingKind::ImportFrom { level, module, .. } => {
                    *level == 0 && module.split('.').next() != Some(top)
                }
                _ => false,
            })
        })
        .collect()
}

/// The functions and classes a file defines at module level, in source order.
pub fn own_definitions(facts: &FileFacts) -> Vec<String> {
    let mut defs: Vec<(u32, String)> = facts
        .scope(MODULE_SCOPE)
        .bindings
        .iter()
        .filter_map(|(name, bindings)| {
            let b = bindings
                .iter()
                .find(|b| matches!(b.kind, BindingKind::Function(_) | BindingKind::Class(_)))?;
            Some((b.span.start_byte, name.to_string()))
        })
        .collect();
    defs.sort();
    defs.into_iter().map(|(_, n)| n).collect()
}

/// The headings and their member candidates, ranked. The file's own module
/// comes first among the local headings.
pub fn plan(
    ev: &Evaluator,
    ctx: &Ctx,
    interest: &Interest,
    modules: &[Arc<Module>],
    used: &Used,
) -> (Vec<Heading>, Vec<Candidate>) {
    let mut headings = Vec::new();
    for m in modules.iter().filter(|m| m.origin != Origin::Workspace) {
        headings.push(Heading::python(Section::Api, m, false));
    }
    headings.push(Heading::python(Section::Local, &ctx.module, true));
    for m in modules.iter().filter(|m| m.origin == Origin::Workspace) {
        headings.push(Heading::python(Section::Local, m, false));
    }
    let mut candidates = Vec::new();
    for (h, heading) in headings.iter().enumerate() {
        let Some(m) = &heading.module else {
            continue;
        };
        let closeness = match (heading.this_file, m.origin) {
            (true, _) => 1,
            (false, Origin::Workspace) => 2,
            _ => 3,
        };
        let mut names = if heading.this_file {
            own_definitions(ctx.facts())
        } else {
            public_members(ev, m)
        };
        // A name the file uses that the module lacks (a hallucination): its
        // nearest real names are what the author meant; they rank as related.
        let mut meant: Vec<String> = Vec::new();
        let missing = used.missing.get(&m.name).into_iter().flatten();
        for n in used
            .members
            .get(&m.name)
            .into_iter()
            .flatten()
            .chain(missing)
        {
            if !names.contains(n) && !dunder(n) {
                meant.extend(crate::analysis::suggest::suggest(
                    n,
                    names.iter().map(String::as_str),
                    3,
                ));
            }
        }
        if let Some(used_names) = used.members.get(&m.name) {
            for n in used_names {
                if !names.contains(n) && !dunder(n) {
                    names.push(n.clone());
                }
            }
        }
        for (i, name) in names.into_iter().enumerate() {
            let score = interest.score(&name) + u32::from(meant.contains(&name)) * 2;
            let relevance = if used.member(&m.name, &name) {
                Relevance::Used
            } else if score > 0 {
                Relevance::Related
            } else {
                Relevance::Other
            };
            candidates.push(Candidate {
                heading: h,
                key: (
                    relevance as u8,
                    Reverse(score),
                    closeness,
                    i as u32,
                    h as u32,
                    0,
                ),
                name,
                parent: None,
                relevance,
            });
        }
    }
    (headings, candidates)
}

/// The candidates for the members of class candidate `parent`.
pub fn class_members(
    ev: &Evaluator,
    class: &crate::analysis::types::ClassRef,
    parent: usize,
    parent_candidate: &Candidate,
    module: &str,
    interest: &Interest,
    used: &Used,
) -> Vec<Candidate> {
    let mut names: Vec<String> = ev
        .class_member_names(class)
        .into_iter()
        .filter(|n| {
            (!n.starts_with('_')
                || n == "__init__"
                || used.child(module, &parent_candidate.name, n))
                && (!dunder(n) || n == "__init__")
        })
        .collect();
    // `__init__` first: how to make one.
    names.sort_by_key(|n| (n != "__init__", n.clone()));
    let (ptier, _, pclose, i, h, _) = parent_candidate.key;
    names
        .into_iter()
        .enumerate()
        .map(|(j, name)| {
            let score = interest.score(&name);
            let own = if used.child(module, &parent_candidate.name, &name) {
                Relevance::Used
            } else if score > 0 {
                Relevance::Related
            } else {
                Relevance::Other
            };
            let tier = ptier.max(own as u8);
            // Members of the classes the file uses or the task names come
            // before the rest of every module.
            let closeness = if ptier < Relevance::Other as u8 && tier == Relevance::Other as u8 {
                0
            } else {
                pclose
            };
            Candidate {
                heading: parent_candidate.heading,
                key: (tier, Reverse(score), closeness, i, h, j as u32 + 1),
                name,
                parent: Some(parent),
                relevance: own,
            }
        })
        .collect()
}
