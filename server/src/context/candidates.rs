//! What the context may list, and in which order: the modules a file
//! imports (and the modules its attribute chains reach), each member that
//! really exists, ranked — members the file uses, then members whose names
//! share words with the task or the code around the cursor, then the rest.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use super::describe::Described;
use super::relevance::Interest;
use super::{Relevance, Section};
use crate::analysis::eval::{Ctx, Evaluator};
use crate::analysis::types::{Lookup, Ty};
use crate::index::module_finder::FileKind;
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
    /// Names can appear in it at run time.
    pub open: bool,
    /// Its classes list their members whatever their rank (the builtin types).
    pub classes_listed: bool,
}

impl Heading {
    fn python(ev: &Evaluator, section: Section, module: &Arc<Module>, this_file: bool) -> Heading {
        Heading {
            section,
            name: module.name.clone(),
            source: module.file.clone(),
            module: Some(module.clone()),
            this_file,
            open: !this_file && module_is_open(ev, module),
            classes_listed: false,
        }
    }
}

impl Heading {
    /// A module reached as an attribute (`os.path`) names its members that
    /// way, not by the module's own name (`posixpath.join`).
    pub fn reached_as(&self, qualified: &str) -> String {
        if let Some(m) = self.module.as_ref().filter(|m| m.name != self.name) {
            if let Some(rest) = qualified.strip_prefix(&format!("{}.", m.name)) {
                return format!("{}.{rest}", self.name);
            }
        }
        qualified.to_string()
    }
}

/// A name no real module has: whether a lookup of it is "missing" tells
/// whether the module is closed.
pub const PROBE: &str = "grounded_probe_no_such_member";

/// Whether names the index does not know may still exist in `m` at run time.
pub fn module_is_open(ev: &Evaluator, m: &Arc<Module>) -> bool {
    !matches!(ev.module_member(m, PROBE), Lookup::Missing(_))
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
/// elsewhere — but with its re-exports (`from x import y as y` in a stub,
/// `import posixpath as path`, `from .sub import name`, star imports) — and
/// only names the checker accepts and that exist at run time here: not
/// those of other platforms, nor those bound only under `TYPE_CHECKING` or
/// only as loop variables.
pub fn public_members(ev: &Evaluator, m: &Arc<Module>) -> Vec<String> {
    let public_sub = m
        .submodules
        .iter()
        .filter(|s| !s.starts_with('_') && submodule_bound(ev, m, s))
        .cloned();
    // `__all__` first (what the module means to export), then what else it
    // defines or re-exports: `__all__` may be extended at run time
    // (`os.__all__.extend(…)` from `posix`), and the checker accepts it all.
    let all: Vec<String> = match m.facts.as_ref().and_then(|f| f.all.as_ref()) {
        Some(all) => {
            let mut out: BTreeSet<String> = all.iter().cloned().collect();
            out.extend(public_sub.clone());
            out.into_iter().collect()
        }
        None => Vec::new(),
    };
    let rest: Vec<String> = {
        let dump = ev.index.dump_of(&m.name);
        let top = m.name.split('.').next().unwrap_or("");
        let stub = m.kind == FileKind::Stub;
        ev.module_member_names(m)
            .into_iter()
            .filter(|n| !n.starts_with('_'))
            .filter(|n| {
                if m.submodules.contains(n) {
                    return submodule_bound(ev, m, n);
                }
                let Some(bindings) = m.facts.as_ref().and_then(|f| f.module_bindings(n)) else {
                    // Only in the interpreter's namespace (`os` from
                    // `posix`), or through a star import.
                    return !matches!(
                        dump.and_then(|d| d.members.get(n)),
                        Some(DumpMember::Module { .. })
                    );
                };
                bindings.iter().any(|b| reexported(b, n, top, stub))
            })
            .collect()
    };
    let mut names = all;
    for n in rest {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    let facts = m.facts.as_deref();
    let ctx = Ctx { module: m.clone() };
    names
        .into_iter()
        .filter(|n| !n.starts_with("__"))
        .filter(|n| match facts.and_then(|f| f.module_bindings(n)) {
            Some(bindings) => bindings.iter().any(|b| {
                !matches!(b.kind, BindingKind::Other)
                    && ev.guard_active(&ctx, b.guard)
                    && !type_checking_only(facts, b.guard)
            }),
            None => true,
        })
        .filter(|n| confirmed(ev, m, n))
        .filter(|n| !crate::analysis::platform_members::other_platform_member(&m.name, n))
        .collect()
}

/// Whether the index confirms that module `m` has `name` — more than the
/// checker's "found": a name an open module cannot rule out (a module
/// `__getattr__`, a star import of the runtime module behind a stub) is
/// accepted by the checker but not confirmed, so never listed.
pub fn confirmed(ev: &Evaluator, m: &Arc<Module>, name: &str) -> bool {
    confirmed_at(ev, m, name, 0)
}

fn confirmed_at(ev: &Evaluator, m: &Arc<Module>, name: &str, depth: u32) -> bool {
    if !matches!(ev.module_member(m, name), Lookup::Found(_)) {
        return false;
    }
    // The interpreter's own namespace is the truth where it was read.
    if let Some(dump) = ev.index.dump_of(&m.name) {
        return dump.members.contains_key(name);
    }
    if m.submodules.contains(name) {
        return submodule_bound(ev, m, name);
    }
    let Some(facts) = m.facts.as_ref() else {
        return false;
    };
    let ctx = Ctx { module: m.clone() };
    let runs = |guard: GuardId| {
        ev.guard_active(&ctx, guard) && !type_checking_only(Some(facts.as_ref()), guard)
    };
    if let Some(bindings) = facts.module_bindings(name) {
        let bound = bindings
            .iter()
            .any(|b| !matches!(b.kind, BindingKind::Other) && runs(b.guard));
        return bound && (!imported_only(bindings) || runtime_confirms(ev, m, name, depth));
    }
    if depth >= 4 {
        return false;
    }
    // Through a star import that runs: confirmed where it comes from.
    facts.scope(MODULE_SCOPE).star_imports.iter().any(|star| {
        runs(star.guard)
            && ev
                .absolute_module(&ctx, star.level, &star.module)
                .and_then(|n| ev.resolve_module(&n))
                .is_some_and(|t| confirmed_at(ev, &t, name, depth + 1))
    })
}

/// Whether every binding of a name is an import (`from x import name`), not
/// a definition.
fn imported_only(bindings: &[Binding]) -> bool {
    bindings.iter().all(|b| {
        matches!(
            b.kind,
            BindingKind::ImportFrom { .. } | BindingKind::Import { .. }
        )
    })
}

/// For a name a stub only imports from elsewhere (`float96` in numpy's
/// `__init__.pyi`, which the runtime binds on some platforms only): whether
/// the runtime module beside the stub binds it too. A stub without a
/// runtime module beside it is taken at its word.
fn runtime_confirms(ev: &Evaluator, m: &Arc<Module>, name: &str, depth: u32) -> bool {
    if m.kind != FileKind::Stub {
        return true;
    }
    match ev.index.runtime_module_of(m) {
        Some(runtime) => depth < 4 && confirmed_at(ev, &runtime, name, depth + 1),
        None => true,
    }
}

/// Whether submodule `sub` of package `m` is an attribute of it once `m` is
/// imported: the interpreter's namespace has it, or the package binds or
/// imports it (`from . import sub`, `from .sub import x`, `import m.sub`).
/// A submodule file nothing imports (`asyncio.windows_events`) is not.
fn submodule_bound(ev: &Evaluator, m: &Arc<Module>, sub: &str) -> bool {
    if let Some(dump) = ev.index.dump_of(&m.name) {
        return dump.members.contains_key(sub);
    }
    let Some(facts) = m.facts.as_ref() else {
        return false;
    };
    if facts.module_bindings(sub).is_some() {
        return true;
    }
    let full = format!("{}.{sub}", m.name);
    facts.imports.iter().any(|i| match i.level {
        0 => i.module.as_ref() == full || i.module.starts_with(&format!("{full}.")),
        1 => i.module.split('.').next() == Some(sub),
        _ => false,
    })
}

/// Whether a module-level binding of `name` makes it part of the module's
/// API rather than a name it uses: a definition, or an import that re-exports.
fn reexported(b: &Binding, name: &str, top: &str, stub: bool) -> bool {
    match &b.kind {
        // `import posixpath as path`, `import pkg.linalg as linalg`: a
        // module under a name of its own (not a short alias like `np`, nor
        // a plain `import sys`).
        BindingKind::Import { module } => {
            module.as_ref() != name
                && module.as_ref() != top
                && (module.starts_with(&format!("{top}.")) || name.chars().count() >= 4)
        }
        BindingKind::ImportFrom {
            level,
            module,
            name: imported,
        } => {
            // `from x import y as y`: the stub spelling of a re-export (the
            // binding spans the alias clause, longer than the name). In a
            // stub that is the only one (the typing spec's rule: `from
            // numpy._typing import NDArray` is no attribute of `numpy`);
            // in a source package, so is any import from inside it.
            let as_itself = imported.as_ref() == name
                && (b.span.end_byte - b.span.start_byte) as usize > name.len();
            if stub {
                return as_itself;
            }
            *level > 0 || module.split('.').next() == Some(top)
        }
        _ => true,
    }
}

/// Whether code under `guard` runs for type checkers only, or only when
/// the module is run as a script (`if __name__ == "__main__":`): what it
/// binds is no attribute of the imported module.
fn type_checking_only(facts: Option<&FileFacts>, guard: GuardId) -> bool {
    facts
        .and_then(|f| f.guards.get(guard as usize))
        .is_some_and(|conds| {
            conds
                .iter()
                .any(|(c, truth)| matches!(c, Condition::TypeChecking | Condition::Main) && *truth)
        })
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

/// The builtin types whose methods are listed when the file or the task
/// uses them (`str.strip`, `dict.pop`): the ones assistants most often
/// invent methods of.
const BUILTIN_TYPES: &[&str] = &["str", "list", "dict", "set", "bytes", "int"];

/// The candidates found so far, and what describing them already told.
pub type Planned = (Vec<Heading>, Vec<Candidate>, Vec<Option<Option<Described>>>);

/// The headings and their member candidates, ranked. The file's own module
/// comes first among the local headings.
pub fn plan(
    ev: &Evaluator,
    ctx: &Ctx,
    interest: &Interest,
    modules: &[Arc<Module>],
    used: &Used,
) -> Planned {
    let mut headings = Vec::new();
    for m in modules.iter().filter(|m| m.origin != Origin::Workspace) {
        headings.push(Heading::python(ev, Section::Api, m, false));
    }
    // Modules that are attributes of those (`os.path`), though the file
    // does not use them yet: listed after the modules it imports.
    let direct = headings.len();
    let mut listed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for h in 0..direct {
        let Some(m) = headings[h].module.clone() else {
            continue;
        };
        let names = public_members(ev, &m);
        for n in &names {
            let bound = m
                .facts
                .as_ref()
                .is_some_and(|f| f.module_bindings(n).is_some())
                || ev
                    .index
                    .dump_of(&m.name)
                    .is_some_and(|d| d.members.contains_key(n));
            if !bound {
                continue;
            }
            if let Lookup::Found(Ty::Module(sub)) = ev.module_member(&m, n) {
                let known = headings.iter().any(|x| x.name == sub.name)
                    || modules.iter().any(|x| x.name == sub.name);
                if !known && sub.origin != Origin::Workspace {
                    let mut heading = Heading::python(ev, Section::Api, &sub, false);
                    heading.name = format!("{}.{n}", m.name);
                    headings.push(heading);
                }
            }
        }
        listed.insert(m.name.clone(), names);
    }
    let reached = direct..headings.len();
    // The builtin types, with their methods: ranked with the imports when
    // the file names them or the task speaks of them, last otherwise.
    let file_names: BTreeSet<&str> = ctx.facts().free_names.iter().map(|f| &*f.name).collect();
    let mentioned: Vec<&str> = BUILTIN_TYPES
        .iter()
        .copied()
        .filter(|t| file_names.contains(t) || interest.score(t) > 0)
        .collect();
    let builtins = ev.resolve_module("builtins").map(|b| {
        let mut heading = Heading::python(ev, Section::Api, &b, false);
        heading.classes_listed = true;
        headings.push(heading);
        headings.len() - 1
    });
    headings.push(Heading::python(ev, Section::Local, &ctx.module, true));
    for m in modules.iter().filter(|m| m.origin == Origin::Workspace) {
        headings.push(Heading::python(ev, Section::Local, m, false));
    }
    let mut candidates = Vec::new();
    let mut described = Vec::new();
    for (h, heading) in headings.iter().enumerate() {
        let Some(m) = &heading.module else {
            continue;
        };
        let closeness = match (heading.this_file, m.origin) {
            (true, _) => 1,
            (false, Origin::Workspace) => 2,
            _ if reached.contains(&h) => 4,
            _ => 3,
        };
        let builtin = Some(h) == builtins;
        let mut names = if heading.this_file {
            own_definitions(ctx.facts())
        } else if builtin {
            BUILTIN_TYPES.iter().map(|t| t.to_string()).collect()
        } else if let Some(names) = listed.remove(&m.name) {
            names
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
        // A name the file uses is listed only when it really exists (not
        // the invented name an open module cannot rule out).
        if let Some(used_names) = used.members.get(&m.name) {
            for n in used_names {
                if !names.contains(n) && !dunder(n) && confirmed(ev, m, n) {
                    names.push(n.clone());
                }
            }
        }
        // Doc lines count when there are words to match: the members are
        // described now (the ones listed would be anyway).
        let with_docs = !interest.is_empty() && !heading.this_file;
        let docs: Vec<_> = names
            .iter()
            .map(|name| with_docs.then(|| super::describe::module_member(ev, m, name)))
            .collect();
        let matched: Vec<_> = names
            .iter()
            .zip(&docs)
            .map(|(name, d)| {
                let doc = d.as_ref().and_then(|d| d.as_ref()?.doc.as_deref());
                (
                    interest.name_matches(name),
                    doc.map(|doc| interest.doc_matches(doc)).unwrap_or_default(),
                )
            })
            .collect();
        let all: Vec<BTreeSet<String>> = matched.iter().map(|(n, d)| n | d).collect();
        let common = super::relevance::common_words(all.iter());
        for (i, ((name, d), (by_name, by_doc))) in
            names.into_iter().zip(docs).zip(matched).enumerate()
        {
            let doc_score = (by_doc.difference(&common).count() as u32).min(2);
            let score = by_name.difference(&common).count() as u32 * 2
                + doc_score
                + u32::from(meant.contains(&name)) * 4;
            let said = builtin && mentioned.contains(&name.as_str());
            let relevance = if used.member(&m.name, &name) {
                Relevance::Used
            } else if score > 0 || said {
                Relevance::Related
            } else {
                Relevance::Other
            };
            let closeness = if builtin && !said { 5 } else { closeness };
            described.push(d);
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
    (headings, candidates, described)
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
            let score = interest.score(&name) * 2;
            let own = if used.child(module, &parent_candidate.name, &name) {
                Relevance::Used
            } else if score > 0 {
                Relevance::Related
            } else {
                Relevance::Other
            };
            // A member related to the task is so whatever its class is.
            let tier = match own {
                Relevance::Other => ptier.max(own as u8),
                _ => ptier.max(own as u8).min(Relevance::Related as u8),
            };
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
