//! A module as the compiler sees it: item-level calls of the crate's
//! pass-through macros expanded (their bodies' items become the module's,
//! under the attributes the macro wraps them in), and every `cfg(...)`
//! evaluated against the crate's configuration ([`super::host_cfg`]): an
//! item whose predicate is false is gone, one whose predicate is unknown
//! may exist (`cfg`), and a `cfg_attr` that does not apply adds nothing;
//! the same for fields, variants and trait and impl items
//! ([`super::member_cfg`]).
//!
//! Which macro a call names: the crate's own `macro_rules!` of that name
//! (`name!`, `crate::name!`, `$crate::name!`) in textual scope — defined in
//! the crate root or a module it declares `#[macro_use]` (and theirs), in
//! the call's own file or an ancestor module's —, when every such
//! definition has the same shape (else those of the call's own file), and
//! the module imports no macro of that name. Definitions are read from the
//! files as written (a `#[macro_use] mod` inside a macro body too), so
//! finding them needs no expansion; one for another configuration
//! (`#[cfg(loom)] macro_rules! …`) is none.
//!
//! A call of a macro whose arms write `impl` blocks only keeps the module
//! closed; it opens the types those impls name (`impl Foo<$t>` → `Foo`; for
//! `impl $t`, the types the call names). Any other call keeps its open
//! reason (`name!`): what still opens a module.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::host_cfg::CrateCfg;
use super::{MacroTable, RustIndex};
use crate::index::cargo::CrateId;
use crate::syntax::rust::cfg::{compiled_out, eval_text, top_level_parts};
use crate::syntax::rust::facts::*;
use crate::syntax::rust::macros::last_segment;

/// A module's expansion: the module as compiled, and the types whose
/// inherent impls some macro call may extend.
#[derive(Debug, Default)]
pub struct Expanded {
    pub module: RModule,
    pub open_types: Vec<String>,
    /// What confined calls of other crates' macros may add (names of
    /// items, of types given impls, of traits implemented):
    /// [`super::foreign_macro`].
    pub maybe_names: BTreeSet<String>,
    /// Each confined call, for `--why`: the macro (`name!`), its 0-based
    /// row (`u32::MAX` when not known) and the names it may add.
    pub confined_calls: Vec<(String, u32, BTreeSet<String>)>,
}

/// What became of one macro call.
#[derive(Clone)]
enum Call {
    /// Its items are the module's, each under these predicates (its own
    /// and its enclosing calls' wrappers); `export`: the macro marks them
    /// `#[macro_export]`.
    Items(Vec<String>, bool),
    /// Its macro writes impls (or `thread_local!` statics) only, or the
    /// call is compiled out: the module stays closed.
    Closed,
    /// Unknown macro, or inside one: the module stays open.
    Open,
}

/// Every `macro_rules!` definition of a crate by name: the file and shape
/// of each.
#[derive(Debug, Default)]
pub struct CrateMacros {
    pub by_name: HashMap<String, Vec<(PathBuf, Option<MacroShape>)>>,
}

impl CrateMacros {
    /// The one shape every definition of `name` has; else the one shape of
    /// those in `file` (a definition earlier in the file shadows the
    /// others, in textual scope).
    fn shape(&self, name: &str, file: &Path) -> Option<&MacroShape> {
        let defs = self.by_name.get(name)?;
        fn same<'a>(
            mut defs: impl Iterator<Item = &'a Option<MacroShape>>,
        ) -> Option<&'a MacroShape> {
            let first = defs.next()?.as_ref()?;
            defs.all(|d| d.as_ref() == Some(first)).then_some(first)
        }
        same(defs.iter().map(|(_, s)| s))
            .or_else(|| same(defs.iter().filter(|(f, _)| f == file).map(|(_, s)| s)))
    }
}

impl RustIndex {
    /// The module `local` of `facts`, in crate `krate`, as compiled; None
    /// when it is the module as written (nothing to expand or evaluate).
    pub(super) fn expand(
        &self,
        (krate, key): (CrateId, &[String]),
        file: &Path,
        facts: &RustFacts,
        local: ModuleId,
    ) -> Option<Expanded> {
        if self.std_sources {
            return None;
        }
        let m = facts.modules.get(local as usize)?;
        let conditional = m
            .items
            .iter()
            .any(|i| !i.cfgs.is_empty() || !i.cfg_attrs.is_empty())
            || m.uses.iter().any(|u| !u.cfgs.is_empty())
            || m.impls.iter().any(|i| !i.cfgs.is_empty())
            || super::member_cfg::any_conditional(m);
        if m.macro_calls.is_empty() && !conditional {
            return None;
        }
        let info = self.ws.crates.get(krate);
        let env = CrateCfg::of(&self.host_cfg, info, self.ws.graph_known);
        let macros = if m.macro_calls.is_empty() || krate == usize::MAX {
            None
        } else {
            Some(self.macros_for(krate, key, file))
        };
        let imported: BTreeSet<&str> = m.uses.iter().filter_map(|u| u.binds()).collect();
        let mut out = Expanded::default();
        let mut calls: Vec<Call> = Vec::with_capacity(m.macro_calls.len());
        let mut thread_locals: Vec<RItem> = Vec::new();
        for call in &m.macro_calls {
            let outer = match call.parent {
                Some(p) => match calls.get(p as usize) {
                    Some(Call::Items(preds, _)) => Some(preds.clone()),
                    _ => None,
                },
                None => Some(Vec::new()),
            };
            let outer = outer.map(|mut p| {
                p.extend(call.cfgs.iter().cloned());
                p
            });
            // A call for another configuration: nothing.
            if compiled_out(&call.cfgs, &env) {
                calls.push(Call::Closed);
                continue;
            }
            let in_open_call = outer.is_none();
            let shape = macros
                .as_ref()
                .filter(|_| crate_local(&call.name))
                .and_then(|t| t.shape(last_segment(&call.name), file))
                .filter(|_| !imported.contains(last_segment(&call.name)));
            let decided = match (outer, shape) {
                (
                    Some(mut preds),
                    Some(MacroShape::PassThrough {
                        attrs,
                        meta,
                        forward,
                    }),
                ) if call.items_ok => {
                    // A macro the items go on to: its wrappers too.
                    let target = match forward {
                        None => Some(Vec::new()),
                        Some(t) => match macros.as_ref().and_then(|ms| ms.shape(t, file)) {
                            Some(MacroShape::PassThrough {
                                attrs,
                                meta: None,
                                forward: None,
                            }) => Some(attrs.clone()),
                            _ => None,
                        },
                    };
                    let attrs: Option<Vec<String>> = target.map(|mut t| {
                        t.extend(attrs.iter().cloned());
                        t
                    });
                    match attrs.and_then(|a| {
                        wrapper_preds(&a, meta.as_deref(), call.inner_meta.as_deref())
                    }) {
                        Some((more, export)) => {
                            preds.extend(more);
                            Call::Items(preds, export)
                        }
                        None => Call::Open,
                    }
                }
                (Some(preds), Some(MacroShape::ThreadLocal)) => {
                    for st in &call.statics {
                        let mut st = st.clone();
                        st.cfgs = preds.clone();
                        thread_locals.push(st);
                    }
                    Call::Closed
                }
                (Some(_), Some(MacroShape::Impls { types, from_call })) => {
                    out.open_types.extend(types.iter().cloned());
                    if *from_call {
                        out.open_types.extend(call.idents.iter().cloned());
                    }
                    Call::Closed
                }
                (_, None) if !in_open_call => {
                    match self.confined_call(krate, file, m, call, macros.as_ref()) {
                        Some(names) => {
                            let row = m
                                .open_reasons
                                .iter()
                                .position(|r| *r == call.reason)
                                .and_then(|i| m.open_lines.get(i).copied())
                                .unwrap_or(u32::MAX);
                            out.maybe_names.extend(names.iter().cloned());
                            out.confined_calls.push((call.reason.clone(), row, names));
                            Call::Closed
                        }
                        None => Call::Open,
                    }
                }
                _ => Call::Open,
            };
            calls.push(decided);
        }
        let via_preds = |via: Option<u32>| -> Option<(&[String], bool)> {
            match via {
                None => Some((&[], false)),
                Some(c) => match calls.get(c as usize) {
                    Some(Call::Items(p, export)) => Some((p.as_slice(), *export)),
                    _ => None,
                },
            }
        };
        // Some(true): certain; Some(false): gone; None: may exist.
        let decide = |own: &[String], via: &[String]| -> Option<bool> {
            let mut unknown = false;
            for p in own.iter().chain(via) {
                match eval_text(p, &env) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            (!unknown).then_some(true)
        };
        // Every field spelled out: a field added to `RModule` must be
        // decided here (the expanded module replaces the read one).
        let mut module = RModule {
            name: m.name.clone(),
            parent: m.parent,
            items: Vec::new(),
            uses: Vec::new(),
            impls: Vec::new(),
            open_reasons: Vec::new(),
            open_lines: Vec::new(),
            doc: m.doc.clone(),
            macro_calls: m.macro_calls.clone(),
            // Read from the text, whatever the calls expand to: a superset.
            defined_macros: m.defined_macros.clone(),
            defined_macros_unnamed: m.defined_macros_unnamed,
        };
        for item in m.items.iter().chain(&thread_locals) {
            let Some((via, export)) = via_preds(item.via) else {
                continue;
            };
            let mut item = item.clone();
            if export && item.kind == RItemKind::Macro {
                item.macro_export = true;
                item.public = true;
            }
            match decide(&item.cfgs, via) {
                Some(false) => continue,
                Some(true) if !item.test_only => item.cfg = false,
                _ => {
                    item.cfg = true;
                    // The wrapping call's cfgs are the item's too (a
                    // listing names only what surely exists).
                    item.cfgs.extend(via.iter().cloned());
                }
            }
            for attr in &item.cfg_attrs {
                if eval_text(&attr.pred, &env) == Some(false) {
                    remove_each(&mut item.derives, &attr.derives);
                    remove_each(&mut item.attr_macros, &attr.macros);
                }
            }
            super::member_cfg::item_members(&mut item, &env);
            module.items.push(item);
        }
        for u in &m.uses {
            let Some((via, _)) = via_preds(u.via) else {
                continue;
            };
            match decide(&u.cfgs, via) {
                Some(false) => continue,
                certain => {
                    let mut u = u.clone();
                    u.cfg = certain.is_none();
                    if u.cfg {
                        u.cfgs.extend(via.iter().cloned());
                    }
                    module.uses.push(u);
                }
            }
        }
        for imp in &m.impls {
            let Some((via, _)) = via_preds(imp.via) else {
                continue;
            };
            match decide(&imp.cfgs, via) {
                Some(false) => {}
                Some(true) => {
                    let mut imp = imp.clone();
                    super::member_cfg::impl_items(&mut imp, &env);
                    module.impls.push(imp);
                }
                None => {
                    let mut imp = imp.clone();
                    imp.cfgs.extend(via.iter().cloned());
                    super::member_cfg::impl_items(&mut imp, &env);
                    module.impls.push(imp);
                }
            }
        }
        // A reason stays while some call that gave it is not expanded; an
        // attribute macro's while an item still carries it (a `cfg_attr`
        // that does not apply adds none).
        for (i, reason) in m.open_reasons.iter().enumerate() {
            // Its row goes with it (`--why`).
            let row = m.open_lines.get(i).copied().unwrap_or(u32::MAX);
            if let Some(attr) = reason.strip_prefix("#[").and_then(|r| r.strip_suffix(']')) {
                if module
                    .items
                    .iter()
                    .any(|i| i.attr_macros.iter().any(|a| a == attr))
                {
                    module.open_reasons.push(reason.clone());
                    module.open_lines.push(row);
                }
                continue;
            }
            let mut gave = m
                .macro_calls
                .iter()
                .zip(&calls)
                .filter(|(c, _)| &c.reason == reason)
                .peekable();
            let closed = gave.peek().is_some() && gave.all(|(_, d)| !matches!(d, Call::Open));
            if !closed {
                module.open_reasons.push(reason.clone());
                module.open_lines.push(row);
            }
        }
        out.module = module;
        Some(out)
    }

    /// The `macro_rules!` a crate's modules see from everywhere: those of
    /// its root and of the modules it declares `#[macro_use]`, and theirs
    /// (textual scope), read as written.
    pub fn crate_macros(&self, krate: CrateId) -> Arc<CrateMacros> {
        let table: &MacroTable = match self.frozen_store(krate) {
            Some(f) => &f.macros,
            None => &self.macros,
        };
        let cell = table
            .entry(krate)
            .or_insert_with(|| Arc::new(std::sync::OnceLock::new()))
            .clone();
        cell.get_or_init(|| Arc::new(self.scan_macros(krate)))
            .clone()
    }

    fn scan_macros(&self, krate: CrateId) -> CrateMacros {
        let mut out = CrateMacros::default();
        let Some(info) = self.ws.crates.get(krate) else {
            return out;
        };
        let Some(root_dir) = info.root_file.parent() else {
            return out;
        };
        let env = CrateCfg::of(&self.host_cfg, Some(info), self.ws.graph_known);
        // (file, module in it, the directory of its `mod x;` files, whether
        // its `mod` items are followed: the root's `#[macro_use]` ones only)
        let mut stack: Vec<(PathBuf, ModuleId, PathBuf)> =
            vec![(info.root_file.clone(), 0, root_dir.to_path_buf())];
        let mut seen: BTreeSet<(PathBuf, ModuleId)> = BTreeSet::new();
        while let Some((file, local, dir)) = stack.pop() {
            if !seen.insert((file.clone(), local)) || seen.len() > 2_000 {
                continue;
            }
            let Some(facts) = self.facts(&file) else {
                continue;
            };
            add_definitions(&mut out, &file, &facts, local, &env);
            let Some(m) = facts.modules.get(local as usize) else {
                continue;
            };
            for item in &m.items {
                if item.kind != RItemKind::Mod || !item.macro_use {
                    continue;
                }
                match &item.module {
                    Some(ModTarget::Inline(id)) => {
                        stack.push((file.clone(), *id, dir.join(&item.name)))
                    }
                    Some(ModTarget::File { path_attr }) => {
                        let base = if local == 0 {
                            file.parent().map(Path::to_path_buf).unwrap_or_default()
                        } else {
                            dir.clone()
                        };
                        for (f, d) in module_files(&dir, &base, &item.name, path_attr) {
                            if f.is_file() {
                                stack.push((f, 0, d));
                                break;
                            }
                        }
                    }
                    None => {}
                }
            }
        }
        out
    }

    /// The macros a module of `file` sees: the crate's ([`Self::crate_macros`]),
    /// and those its own file and its ancestors' files define.
    fn macros_for(&self, krate: CrateId, key: &[String], file: &Path) -> CrateMacros {
        let base = self.crate_macros(krate);
        let mut out = CrateMacros {
            by_name: base.by_name.clone(),
        };
        let Some(info) = self.ws.crates.get(krate) else {
            return out;
        };
        let env = CrateCfg::of(&self.host_cfg, Some(info), self.ws.graph_known);
        let mut files: Vec<(PathBuf, Arc<RustFacts>)> = Vec::new();
        for depth in 0..key.len() {
            if let Some(n) = self.module(&(krate, key[..depth].to_vec())) {
                if !files.iter().any(|(f, _)| *f == n.file) {
                    files.push((n.file.clone(), n.facts.clone()));
                }
            }
        }
        if !files.iter().any(|(f, _)| f == file) {
            if let Some(facts) = self.facts(file) {
                files.push((file.to_path_buf(), facts));
            }
        }
        for (f, facts) in files {
            if f == info.root_file {
                continue;
            }
            for local in 0..facts.modules.len() {
                add_definitions(&mut out, &f, &facts, local as ModuleId, &env);
            }
        }
        out
    }
}

/// The definitions module `local` of `facts` holds, but those for another
/// configuration.
fn add_definitions(
    out: &mut CrateMacros,
    file: &Path,
    facts: &RustFacts,
    local: ModuleId,
    env: &CrateCfg,
) {
    let Some(m) = facts.modules.get(local as usize) else {
        return;
    };
    for item in &m.items {
        if item.kind != RItemKind::Macro || compiled_out(&item.cfgs, env) {
            continue;
        }
        let defs = out.by_name.entry(item.name.clone()).or_default();
        let def = (file.to_path_buf(), item.macro_shape.clone());
        if !defs.contains(&def) {
            defs.push(def);
        }
    }
}

/// Where `mod name;` may be, with the directory of its own `mod x;` files.
pub(super) fn module_files(
    dir: &Path,
    attr_base: &Path,
    name: &str,
    path_attr: &Option<String>,
) -> Vec<(PathBuf, PathBuf)> {
    match path_attr {
        Some(p) => {
            let f = attr_base.join(p);
            let d = f.parent().map(Path::to_path_buf).unwrap_or_default();
            vec![(f, d)]
        }
        None => vec![
            (dir.join(format!("{name}.rs")), dir.join(name)),
            (dir.join(name).join("mod.rs"), dir.join(name)),
        ],
    }
}

/// A call that names the crate's own macro: `name!`, `crate::name!`,
/// `$crate::name!`, `self::name!`.
fn crate_local(path: &str) -> bool {
    let p: String = path.chars().filter(|c| !c.is_whitespace()).collect();
    match p.rsplit_once("::") {
        None => true,
        Some((head, _)) => matches!(head, "crate" | "$crate" | "self"),
    }
}

/// The predicates a pass-through macro's wrapping attributes put on each
/// item, and whether they mark macros `#[macro_export]`; None when one may
/// do more than that (a derive, an attribute macro, a `path`), or names a
/// fragment the call does not give.
fn wrapper_preds(
    attrs: &[String],
    meta: Option<&str>,
    given: Option<&str>,
) -> Option<(Vec<String>, bool)> {
    let mut out = Vec::new();
    let mut export = false;
    for attr in attrs {
        let text = match meta {
            Some(m) if attr.contains(&format!("${m}")) => attr.replace(&format!("${m}"), given?),
            _ => attr.clone(),
        };
        if text.contains('$') {
            return None;
        }
        let name: String = text
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let args = &text[name.len()..];
        match name.as_str() {
            "cfg" => match top_level_parts(args).as_slice() {
                [p] => out.push(p.to_string()),
                _ => return None,
            },
            "cfg_attr" => {
                let parts = top_level_parts(args);
                for added in parts.iter().skip(1) {
                    let n: String = added
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !matches!(
                        n.as_str(),
                        "doc" | "allow" | "warn" | "deny" | "expect" | "inline"
                    ) {
                        return None;
                    }
                }
            }
            "macro_export" => export = true,
            "derive" | "path" => return None,
            other => {
                let first = other.split("::").next().unwrap_or(other);
                if !crate::syntax::rust::BUILTIN_ATTRS.contains(&first) {
                    return None;
                }
            }
        }
    }
    Some((out, export))
}

/// Remove one of each of `gone` from `list`.
fn remove_each(list: &mut Vec<String>, gone: &[String]) {
    for g in gone {
        if let Some(i) = list.iter().position(|x| x == g) {
            list.remove(i);
        }
    }
}
