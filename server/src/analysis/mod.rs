//! References resolved against the index → findings. Only what is certain is
//! reported: a member missing from a *closed* container.

pub mod eval;
pub mod hover;
pub(crate) mod known_returns;
pub mod named;
pub mod platform_members;
pub mod rust;
pub mod suggest;
pub mod synonyms;
pub mod types;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use crate::index::module_finder::FileKind;
use crate::index::{Index, Module, Origin};
use crate::syntax::facts::*;
use crate::syntax::python::dunder;
use eval::{Ctx, Evaluator, SharedCache, MODULE_IMPLICIT};
use types::{Container, Lookup, Ty};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    UnresolvedModule,
    UnresolvedSymbol,
    UnknownMember,
    UndefinedName,
    RemovedApi,
}

impl Code {
    pub const ALL: [Code; 5] = [
        Code::UnresolvedModule,
        Code::UnresolvedSymbol,
        Code::UnknownMember,
        Code::UndefinedName,
        Code::RemovedApi,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnresolvedModule => "unresolved-module",
            Code::UnresolvedSymbol => "unresolved-symbol",
            Code::UnknownMember => "unknown-member",
            Code::UndefinedName => "undefined-name",
            Code::RemovedApi => "removed-api",
        }
    }

    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub code: Code,
    pub message: String,
    /// The symbol as the code names it (`os.path.exist`).
    pub symbol: String,
    /// Real names, in the same dotted form as `symbol`, best first.
    pub suggestions: Vec<String>,
    pub span: Span,
}

/// Builtins every Python 3 interpreter has; used only when no interpreter was
/// found, so it errs on the side of more names.
const FALLBACK_BUILTINS: &str = include_str!("fallback_builtins.txt");

/// Names a module body can read without binding them.
fn implicit_module_name(name: &str) -> bool {
    MODULE_IMPLICIT.contains(&name)
        || matches!(
            name,
            "__class__" | "__qualname__" | "__module__" | "reveal_type" | "reveal_locals"
        )
}

/// Check one parsed file. `module` is the module the file defines (or a
/// synthetic `__main__` for scripts outside the import roots).
pub fn check_file(index: &Index, shared: &SharedCache, module: Arc<Module>) -> Vec<Finding> {
    let Some(facts) = module.facts.clone() else {
        return Vec::new();
    };
    let ev = Evaluator::new(index, shared);
    let ctx = Ctx { module };
    let mut out = Vec::new();
    check_imports(&ev, &ctx, &facts, &mut out);
    check_attributes(&ev, &ctx, &facts, &mut out);
    check_names(&ev, &ctx, &facts, &mut out);
    // Nothing is concluded from the statements around a syntax error, and a
    // member one of them names may be assigned there (`Path.read = …`).
    out.retain(|f| {
        let member = match f.code {
            Code::UnresolvedSymbol | Code::UnknownMember | Code::RemovedApi => {
                f.symbol.rsplit('.').next()
            }
            Code::UnresolvedModule | Code::UndefinedName => None,
        };
        !facts.suppressed(f.span.start_row, f.code.as_str())
            && !facts.damaged.covers(&f.span)
            && !member.is_some_and(|m| facts.damaged.words.contains(m))
    });
    out.sort_by_key(|f| (f.span.start_byte, f.code));
    out.dedup_by(|a, b| a.span == b.span && a.code == b.code);
    out
}

/// Why each silent attribute lookup of one file is silent (`--why`): the
/// chains [`check_file`] reads, each up to its first open container or
/// unknown call result. Computed only when asked.
pub fn why_file(index: &Index, shared: &SharedCache, module: Arc<Module>) -> Vec<eval::Why> {
    let Some(facts) = module.facts.clone() else {
        return Vec::new();
    };
    let ev = Evaluator::new(index, shared);
    let ctx = Ctx { module };
    let mut out: Vec<eval::Why> = facts
        .attr_refs
        .iter()
        .filter_map(|r| why_ref(&ev, &ctx, &facts, r))
        .collect();
    why_imports(&ev, &ctx, &facts, &mut out);
    out.sort_by_key(|w| w.span.start_byte);
    out.dedup_by(|a, b| a.span == b.span);
    out
}

/// The imports [`check_imports`] cannot check: a name from an open module,
/// a submodule of an open package.
fn why_imports(ev: &Evaluator, ctx: &Ctx, facts: &FileFacts, out: &mut Vec<eval::Why>) {
    for imp in &facts.imports {
        if imp.in_try_import
            || !ev.guard_active(ctx, imp.guard)
            || ev.guard_uncertain(ctx, imp.guard)
        {
            continue;
        }
        let Some(abs) = ev.absolute_module(ctx, imp.level, &imp.module) else {
            continue;
        };
        let Some(module) = ev.resolve_module(&abs) else {
            // The deepest package that exists, when it is open.
            let parts: Vec<&str> = abs.split('.').collect();
            let parent = (1..parts.len())
                .rev()
                .find_map(|i| Some((i, ev.resolve_module(&parts[..i].join("."))?)));
            if let Some((i, p)) = parent {
                if let Lookup::Unknown = ev.module_member(&p, parts[i]) {
                    out.push(eval::Why {
                        span: imp.span,
                        symbol: abs.clone(),
                        reason: ev.why_module(&p, parts[i], 0),
                    });
                }
            }
            continue;
        };
        for (name, span) in &imp.names {
            if dunder(name) {
                continue;
            }
            if let Lookup::Unknown = ev.module_member(&module, name) {
                out.push(eval::Why {
                    span: *span,
                    symbol: format!("{abs}.{name}"),
                    reason: ev.why_module(&module, name, 0),
                });
            }
        }
    }
}

/// Why the lookup at byte `at` of the file is silent, when it is (hover).
pub fn why_at(
    index: &Index,
    shared: &SharedCache,
    module: Arc<Module>,
    at: u32,
) -> Option<eval::Why> {
    let facts = module.facts.clone()?;
    let ev = Evaluator::new(index, shared);
    let ctx = Ctx { module };
    facts
        .attr_refs
        .iter()
        .filter(|r| expr_covers(&r.expr, at))
        .filter_map(|r| why_ref(&ev, &ctx, &facts, r))
        .find(|w| w.span.start_byte <= at && at <= w.span.end_byte)
}

/// Whether an attribute of the chain `e` spans byte `at`.
fn expr_covers(e: &Expr, at: u32) -> bool {
    match e {
        Expr::Attr { base, span, .. } => {
            (span.start_byte <= at && at <= span.end_byte) || expr_covers(base, at)
        }
        Expr::Call { func, .. } => expr_covers(func, at),
        Expr::Subscript { value, .. } => expr_covers(value, at),
        _ => false,
    }
}

/// The reason for one chain, under the same conditions as [`check_attributes`]
/// (chains it never checks have no reason to give here).
fn why_ref(ev: &Evaluator, ctx: &Ctx, facts: &FileFacts, r: &AttrRef) -> Option<eval::Why> {
    if r.in_try_attr || !ev.guard_active(ctx, r.guard) {
        return None;
    }
    if chain_root(&r.expr).is_some_and(|n| facts.damaged.rebound.contains(n)) {
        return None;
    }
    let mut why = None;
    ev.why_chain(ctx, &r.expr, &mut why);
    let why = why?;
    let damaged = facts.damaged.covers(&why.span)
        || why
            .symbol
            .rsplit('.')
            .next()
            .is_some_and(|m| facts.damaged.words.contains(m));
    (!damaged && !facts.suppressed(why.span.start_row, Code::UnknownMember.as_str())).then_some(why)
}

fn env_description(index: &Index) -> String {
    match &index.env {
        Some(env) => format!(
            "the workspace or the environment of {} (Python {}.{})",
            env.venv.as_ref().unwrap_or(&env.executable).display(),
            env.version.0,
            env.version.1
        ),
        None => "the workspace".to_string(),
    }
}

/// Whether a missing module may be reported: with no interpreter, only
/// modules whose top-level package is part of the workspace.
fn may_report_module(ev: &Evaluator, name: &str) -> bool {
    if ev.index.has_env() {
        return true;
    }
    let top = name.split('.').next().unwrap_or(name);
    ev.index
        .module(top)
        .is_some_and(|m| m.origin == crate::index::Origin::Workspace)
        && name.contains('.')
}

fn check_imports(ev: &Evaluator, ctx: &Ctx, facts: &FileFacts, out: &mut Vec<Finding>) {
    for imp in &facts.imports {
        if imp.in_try_import || !ev.guard_active(ctx, imp.guard) {
            continue;
        }
        // An import under a runtime condition (`if has_simplejson:`) is optional.
        let optional = ev.guard_uncertain(ctx, imp.guard);
        let Some(abs) = ev.absolute_module(ctx, imp.level, &imp.module) else {
            continue;
        };
        let module = ev.resolve_module(&abs);
        let Some(module) = module else {
            if optional {
                continue;
            }
            if let Some(f) = missing_module(ev, &abs, imp) {
                out.push(f);
            }
            continue;
        };
        // Stubs import from typeshed's view of the stdlib (`type_check_only`,
        // `_typeshed`), which the runtime modules do not have.
        let stub_file = ctx.module.kind == FileKind::Stub;
        if (stub_file || imp.in_type_checking) && module.origin == Origin::Stdlib {
            continue;
        }
        for (name, span) in &imp.names {
            if dunder(name) {
                continue;
            }
            match ev.module_member(&module, name) {
                Lookup::Missing(_) => {
                    let full = format!("{abs}.{name}");
                    if ev.resolve_module(&full).is_some() {
                        continue;
                    }
                    if let Some(f) = removed_finding(ev, &module, &abs, name, *span) {
                        out.push(f);
                        continue;
                    }
                    // Ranked as an attribute of the module would be (spelling,
                    // word parts, doc lines, thesaurus); whether it is called
                    // is not known here.
                    let key = format!("module\0{}\0{:?}\0false", module.name, module.file);
                    let suggestions = ev.suggestions_for(key, name, || {
                        let names = named::members(ev, &Ty::Module(module.clone()));
                        suggest::suggest_members(name, &names, false, 3)
                    });
                    out.push(Finding {
                        code: Code::UnresolvedSymbol,
                        message: format!(
                            "`{name}` does not exist in module `{}` ({})",
                            module.name,
                            module.location()
                        ),
                        symbol: full,
                        suggestions: suggestions
                            .into_iter()
                            .map(|s| format!("{abs}.{s}"))
                            .collect(),
                        span: *span,
                    });
                }
                Lookup::Found(_)
                    if !stub_file
                        && !imp.in_type_checking
                        && ev.only_for_type_checkers(&module, name) =>
                {
                    let full = format!("{abs}.{name}");
                    out.push(type_checking_only_finding(&module, name, full, *span));
                }
                Lookup::Found(_) | Lookup::Unknown => {}
            }
        }
    }
}

/// A name a run-time module binds only under `if TYPE_CHECKING:`, used
/// where the code runs.
fn type_checking_only_finding(m: &Module, name: &str, symbol: String, span: Span) -> Finding {
    Finding {
        code: Code::UnresolvedSymbol,
        message: format!(
            "`{symbol}` does not exist at run time: module `{}` ({}) binds `{name}` only under `if TYPE_CHECKING:`",
            m.name,
            m.location()
        ),
        symbol,
        suggestions: Vec::new(),
        span,
    }
}

/// An import whose module is missing: find the deepest existing parent to say
/// where Grounded looked, and stay silent when that parent is open.
fn missing_module(ev: &Evaluator, abs: &str, imp: &ImportFacts) -> Option<Finding> {
    if !may_report_module(ev, abs) {
        return None;
    }
    let top = abs.split('.').next().unwrap_or(abs);
    // A stdlib module of another platform (msvcrt, winreg) exists; `_typeshed`
    // exists for type checkers only.
    let stdlib_elsewhere = ev
        .index
        .env
        .as_ref()
        .is_some_and(|e| e.stdlib_module_names.contains(top));
    if top == "_typeshed" || (stdlib_elsewhere && ev.resolve_module(top).is_none()) {
        return None;
    }
    let parts: Vec<&str> = abs.split('.').collect();
    let mut parent: Option<Arc<Module>> = None;
    let mut missing_at = 0;
    for i in 1..=parts.len() {
        match ev.resolve_module(&parts[..i].join(".")) {
            Some(m) => {
                // An import hook the module installs may serve any module
                // under its name (`six` → `six.moves`).
                if m.facts.as_ref().is_some_and(|f| f.dynamic.meta_path_finder) {
                    return None;
                }
                parent = Some(m);
                missing_at = i;
            }
            None => break,
        }
    }
    let missing = parts[..(missing_at + 1).min(parts.len())].join(".");
    let message = match &parent {
        Some(p) => {
            if ev.module_open(p)
                || !p.is_package() && p.kind != crate::index::module_finder::FileKind::Source
            {
                return None;
            }
            // `import pkg.name` where `name` is a real member that is a module.
            if let Lookup::Unknown = ev.module_member(p, parts[missing_at]) {
                return None;
            }
            format!(
                "module `{missing}` not found: package `{}` ({}) has no submodule `{}`",
                p.name,
                p.location(),
                parts[missing_at]
            )
        }
        None => format!(
            "module `{missing}` not found in {}",
            env_description(ev.index)
        ),
    };
    let suggestions = match &parent {
        Some(p) => {
            let subs: Vec<&str> = p.submodules.iter().map(String::as_str).collect();
            suggest::suggest(parts[missing_at], subs, 3)
                .into_iter()
                .map(|s| format!("{}.{s}", p.name))
                .collect()
        }
        None => {
            let names = ev.index.top_level_names();
            let mut near = suggest::suggest(parts[0], names.iter().map(String::as_str), 3);
            // `import fastjsonx`: the packages whose names it holds.
            for s in suggest::suggest_packages(parts[0], names.iter().map(String::as_str), 3) {
                if near.len() < 3 && !near.contains(&s) {
                    near.push(s);
                }
            }
            near
        }
    };
    Some(Finding {
        code: Code::UnresolvedModule,
        message,
        symbol: missing,
        suggestions,
        span: imp.span,
    })
}

fn check_attributes(ev: &Evaluator, ctx: &Ctx, facts: &FileFacts, out: &mut Vec<Finding>) {
    let stub_file = ctx.module.kind == FileKind::Stub;
    for r in &facts.attr_refs {
        if r.in_try_attr || !ev.guard_active(ctx, r.guard) {
            continue;
        }
        // A name a statement with a syntax error mentions may be bound there
        // to anything.
        if chain_root(&r.expr).is_some_and(|n| facts.damaged.rebound.contains(n)) {
            continue;
        }
        let mut finding = None;
        let typeshed_view = stub_file || under_type_checking(facts, r.guard);
        let runtime = !typeshed_view && !r.in_annotation;
        check_chain(
            ev,
            ctx,
            &r.expr,
            typeshed_view,
            runtime,
            false,
            &mut finding,
        );
        if let Some(f) = finding {
            out.push(f);
        }
    }
}

/// The name an attribute chain starts from (`a` of `a.b().c[0].d`).
fn chain_root(e: &Expr) -> Option<&str> {
    match e {
        Expr::Name { name, .. } => Some(name),
        Expr::Attr { base, .. } => chain_root(base),
        Expr::Call { func, .. } => chain_root(func),
        Expr::Subscript { value, .. } => chain_root(value),
        Expr::Literal(_) | Expr::Unknown => None,
    }
}

/// Evaluate a chain from the inside out, reporting its first missing member.
/// `typeshed_view`: the code is read by type checkers only (a stub, or under
/// `TYPE_CHECKING`), so stdlib names come from typeshed, which may have more.
/// `runtime`: the code runs (not a stub, not under `TYPE_CHECKING`, not an
/// annotation), so names that exist for type checkers only are missing.
/// `called`: `e` is the function of a call (its suggestions are callables).
fn check_chain(
    ev: &Evaluator,
    ctx: &Ctx,
    e: &Expr,
    typeshed_view: bool,
    runtime: bool,
    called: bool,
    finding: &mut Option<Finding>,
) -> Ty {
    match e {
        Expr::Attr {
            base,
            attr,
            span,
            guarded,
        } => {
            let b = check_chain(ev, ctx, base, typeshed_view, runtime, false, finding);
            if finding.is_some() {
                return Ty::Unknown;
            }
            match ev.member(&b, attr) {
                Lookup::Found(t) => {
                    if let (true, false, Ty::Module(m)) = (runtime, *guarded, &b) {
                        if ev.only_for_type_checkers(m, attr) {
                            let symbol = match base.dotted() {
                                Some(prefix) => format!("{prefix}.{attr}"),
                                None => format!("{}.{attr}", m.name),
                            };
                            *finding = Some(type_checking_only_finding(m, attr, symbol, *span));
                            return Ty::Unknown;
                        }
                    }
                    t
                }
                Lookup::Unknown => Ty::Unknown,
                Lookup::Missing(container) => {
                    if *guarded || dunder(attr) {
                        return Ty::Unknown;
                    }
                    if let Container::Class(class) = &container {
                        if assigned_from_outside(ev, class, attr) {
                            return Ty::Unknown;
                        }
                    }
                    // An instance declared as a base class may be any subclass:
                    // `self` in a template method, a parameter `p: Base`.
                    if let (Container::Class(class), Ty::Instance(_)) = (&container, &b) {
                        if defined_in_subclass(ev, class, attr) {
                            return Ty::Unknown;
                        }
                    }
                    if typeshed_view && stdlib_container(&container) {
                        return Ty::Unknown;
                    }
                    *finding = Some(member_finding(ev, base, attr, *span, &container, called));
                    Ty::Unknown
                }
            }
        }
        Expr::Call {
            func,
            builds,
            no_args,
            ..
        } => {
            let f = check_chain(ev, ctx, func, typeshed_view, runtime, true, finding);
            ev.call_building(ctx, &f, *builds, *no_args)
        }
        Expr::Subscript { value, .. } => {
            check_chain(ev, ctx, value, typeshed_view, runtime, false, finding);
            Ty::Unknown
        }
        other => ev.eval(ctx, other),
    }
}

/// `obj.attr = …` somewhere in the workspace or in the class's own module,
/// on an object that is not `self`: instances may carry `attr` without their
/// class declaring it (`value.configurator = self`).
fn assigned_from_outside(ev: &Evaluator, class: &types::ClassRef, attr: &str) -> bool {
    if class
        .facts_file()
        .is_some_and(|f| f.foreign_attr_stores.contains(attr))
    {
        return true;
    }
    // A workspace class may be given attributes by any workspace file; a
    // library class only by its own module (workspace code setting `x.foo`
    // says nothing about `requests.Session`).
    let workspace_class = matches!(class, types::ClassRef::Source { module, .. }
        if module.origin == crate::index::Origin::Workspace);
    workspace_class
        && ev
            .index
            .workspace_files()
            .any(|(_, f)| f.foreign_attr_stores.contains(attr))
}

/// Whether code under this guard is read by type checkers only.
fn under_type_checking(facts: &FileFacts, guard: GuardId) -> bool {
    facts.guards.get(guard as usize).is_some_and(|conds| {
        conds
            .iter()
            .any(|(c, truth)| *c == Condition::TypeChecking && *truth)
    })
}

/// A stdlib module or class (typeshed may describe more than the runtime has).
fn stdlib_container(c: &Container) -> bool {
    match c {
        Container::Module(m) => matches!(m.origin, Origin::Stdlib | Origin::Builtin),
        Container::Class(types::ClassRef::Source { module, .. }) => {
            matches!(module.origin, Origin::Stdlib | Origin::Builtin)
        }
        Container::Class(types::ClassRef::Dump { .. }) => true,
    }
}

/// The base-class pattern: a method reads `self.x` that only subclasses (or
/// the classes a mixin is combined with) define. `self` may be any of them,
/// so when a workspace subclass has the member, nothing is reported.
fn defined_in_subclass(ev: &Evaluator, class: &types::ClassRef, attr: &str) -> bool {
    for &(path, facts, id) in ev.workspace_subclasses(&class.name()) {
        let module = ev.index.module_for_file(path, facts.clone());
        let sub = types::ClassRef::Source { module, id };
        if sub.same(class) {
            continue;
        }
        if !matches!(ev.class_member(&sub, attr, true), Lookup::Missing(_)) {
            return true;
        }
    }
    false
}

fn member_finding(
    ev: &Evaluator,
    base: &Expr,
    attr: &str,
    span: Span,
    c: &Container,
    called: bool,
) -> Finding {
    let written = base.dotted();
    match c {
        Container::Module(m) => {
            let prefix = written.unwrap_or_else(|| m.name.clone());
            if let Some(f) = removed_finding(ev, m, &prefix, attr, span) {
                return f;
            }
            let key = format!("module\0{}\0{:?}\0{called}", m.name, m.file);
            let suggestions = ev.suggestions_for(key, attr, || {
                let names = named::members(ev, &Ty::Module(m.clone()));
                suggest::suggest_members(attr, &names, called, 3)
            });
            Finding {
                code: Code::UnresolvedSymbol,
                message: format!(
                    "`{prefix}.{attr}` does not exist: module `{}` ({}) has no member `{attr}`",
                    m.name,
                    m.location()
                ),
                symbol: format!("{prefix}.{attr}"),
                suggestions: suggestions
                    .into_iter()
                    .map(|s| format!("{prefix}.{s}"))
                    .collect(),
                span,
            }
        }
        Container::Class(class) => {
            // Name the class as the code reaches it when the chain is a plain path.
            let prefix = match base {
                Expr::Call { func, .. } => func.dotted(),
                Expr::Name { .. } | Expr::Attr { .. } => None,
                _ => None,
            }
            .unwrap_or_else(|| class.qualified_name());
            let key = match class {
                types::ClassRef::Source { module, id } => {
                    format!("class\0{}\0{:?}\0{id}\0{called}", module.name, module.file)
                }
                types::ClassRef::Dump { module, name } => {
                    format!("dump\0{module}\0{name}\0{called}")
                }
            };
            let suggestions = ev.suggestions_for(key, attr, || {
                let names = named::members(ev, &Ty::Instance(class.clone()));
                suggest::suggest_members(attr, &names, called, 3)
            });
            Finding {
                code: Code::UnknownMember,
                message: format!(
                    "`{attr}` is not an attribute of class `{}` ({}) or its bases",
                    class.qualified_name(),
                    class.location()
                ),
                symbol: format!("{prefix}.{attr}"),
                suggestions: suggestions
                    .into_iter()
                    .map(|s| format!("{prefix}.{s}"))
                    .collect(),
                span,
            }
        }
    }
}

/// A name a module's `__getattr__` raises for on a path of its own: a
/// removed API, said with the library's own message when it is literal,
/// and the replacement that message names (when it exists) as the fix.
fn removed_finding(
    ev: &Evaluator,
    m: &Arc<Module>,
    prefix: &str,
    attr: &str,
    span: Span,
) -> Option<Finding> {
    let (removal, location) = ev.module_removal(m, attr)?;
    let message = removal.message;
    let raises = removal.exception.as_deref().unwrap_or("an exception");
    let symbol = format!("{prefix}.{attr}");
    let said = match &message {
        Some(text) if !text.trim().is_empty() => {
            format!(
                ": \"{}\"",
                text.split_whitespace().collect::<Vec<_>>().join(" ")
            )
        }
        _ => String::new(),
    };
    let suggestions = message
        .as_deref()
        .map(|text| replacements(ev, m, prefix, attr, text))
        .unwrap_or_default();
    Some(Finding {
        code: Code::RemovedApi,
        message: format!(
            "`{symbol}` was removed: module `{}` raises {raises} for it ({location}){said}",
            m.name
        ),
        symbol,
        suggestions,
        span,
    })
}

/// The names a removal message quotes that exist in the module (`Use
/// \`np.inf\` instead.` → `np.inf`), as the code would write them: the
/// message's own alias for the module (`np`) is dropped.
fn replacements(
    ev: &Evaluator,
    m: &Arc<Module>,
    prefix: &str,
    attr: &str,
    text: &str,
) -> Vec<String> {
    let mut out = Vec::new();
    for quoted in eval::quoted_names(text) {
        let mut path: Vec<&str> = quoted.split('.').collect();
        // `np.inf`: the message's alias of the module itself, or a name the
        // module lacks, is dropped (`np.lib.add_newdoc` → `lib.add_newdoc`).
        if path.len() > 1 {
            let alias = match ev.module_member(m, path[0]) {
                Lookup::Missing(_) => true,
                Lookup::Found(Ty::Module(same)) => same.name == m.name,
                _ => false,
            };
            if alias {
                path.remove(0);
            }
        }
        if path != [attr] && path_exists(ev, m, &path) {
            let s = format!("{prefix}.{}", path.join("."));
            if !out.contains(&s) {
                out.push(s);
            }
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

/// Whether `a.b.c` is certainly there, member by member, from module `m`.
fn path_exists(ev: &Evaluator, m: &Arc<Module>, path: &[&str]) -> bool {
    let mut t = Ty::Module(m.clone());
    for (i, p) in path.iter().enumerate() {
        t = match ev.member(&t, p) {
            Lookup::Found(next) if i + 1 == path.len() || !next.is_unknown() => next,
            _ => return false,
        };
    }
    !path.is_empty()
}

fn check_names(ev: &Evaluator, ctx: &Ctx, facts: &FileFacts, out: &mut Vec<Finding>) {
    if facts.dynamic.globals_write || facts.free_names.is_empty() {
        return;
    }
    // A file with syntax errors: report what the parsed parts prove, as
    // pyright does, and nothing recovery may have garbled. A name is missing
    // only when no scope of the file binds it (recovery can misplace a
    // definition into another scope) and it is no word of the statements
    // around an error (recovery can misread a definition there).
    let damaged = facts.is_damaged();
    if damaged && facts.damaged.dynamic {
        return;
    }
    let bound_somewhere: BTreeSet<&str> = if damaged {
        facts
            .scopes
            .iter()
            .flat_map(|s| s.bindings.keys().map(|k| &**k))
            .chain(facts.damaged.words.iter().map(|w| &**w))
            .collect()
    } else {
        BTreeSet::new()
    };
    let module_scope = facts.scope(MODULE_SCOPE);
    // A star import we cannot enumerate hides every free name.
    let mut star_modules = Vec::new();
    for star in &module_scope.star_imports {
        if !ev.guard_active(ctx, star.guard) {
            continue;
        }
        match ev
            .absolute_module(ctx, star.level, &star.module)
            .and_then(|n| ev.resolve_module(&n))
        {
            Some(m) if !ev.module_open(&m) => star_modules.push(m),
            _ => return,
        }
    }
    let builtins: BTreeSet<&str> = match &ev.index.env {
        Some(env) if !env.builtins.is_empty() => env.builtins.iter().map(String::as_str).collect(),
        _ => FALLBACK_BUILTINS.split_whitespace().collect(),
    };
    // In a package's `__init__`, `from .sub import x` also binds `sub`.
    let subpackages: HashSet<&str> = if ctx.module.is_package() {
        facts
            .imports
            .iter()
            .filter(|i| i.level == 1)
            .filter_map(|i| i.module.split('.').next())
            .collect()
    } else {
        HashSet::new()
    };
    // The suggestions for a name seen from a scope, made once however often
    // the name is missing there (each costs a pass over every name in reach).
    let mut suggested: HashMap<(ScopeId, &str), Vec<String>> = HashMap::new();
    for free in &facts.free_names {
        let name = &*free.name;
        if free.in_try_name
            || bound_somewhere.contains(name)
            || builtins.contains(name)
            || platform_members::other_platform_member("builtins", name)
            || implicit_module_name(name)
            || !ev.guard_active(ctx, free.guard)
        {
            continue;
        }
        if scope_chain_dynamic(facts, free.scope) {
            continue;
        }
        if subpackages.contains(name) {
            continue;
        }
        let from_star = star_modules
            .iter()
            .any(|m| !matches!(ev.module_member(m, name), Lookup::Missing(_)));
        if from_star {
            continue;
        }
        let suggestions = suggested
            .entry((free.scope, name))
            .or_insert_with(|| {
                let mut candidates: BTreeSet<&str> = builtins.clone();
                let mut scope = Some(free.scope);
                while let Some(s) = scope {
                    candidates.extend(facts.scope(s).bindings.keys().map(|k| &**k));
                    scope = facts.scope(s).parent;
                }
                suggest::suggest(name, candidates, 3)
            })
            .clone();
        let version = ev
            .index
            .env
            .as_ref()
            .map(|e| format!(" of Python {}.{}", e.version.0, e.version.1))
            .unwrap_or_default();
        out.push(Finding {
            code: Code::UndefinedName,
            message: format!(
                "`{name}` is not defined: no enclosing scope, module global, import or builtin{version} binds it"
            ),
            symbol: name.to_string(),
            suggestions,
            span: free.span,
        });
    }
}

fn scope_chain_dynamic(facts: &FileFacts, scope: ScopeId) -> bool {
    let mut current = Some(scope);
    while let Some(s) = current {
        if facts.scope(s).dynamic_names {
            return true;
        }
        current = facts.scope(s).parent;
    }
    false
}
