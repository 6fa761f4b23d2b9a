//! The API context of a Rust file: the modules its `use` declarations and
//! qualified paths reach (std modules from the toolchain, dependency crates
//! from their sources) with the items that really exist, the file's own
//! items and those of its crate's modules it imports, and the crate's
//! dependencies — ranked and fitted by the same budget as Python.
//!
//! Choices worth knowing:
//! - A heading is a module: `use std::collections::HashMap` lists
//!   `std::collections` with `HashMap` first (used) and its members under it,
//!   as Python lists a class under its module.
//! - "Local" is the file's own crate (`crate::…`); every other crate, a
//!   sibling workspace crate included, is an API the file imports by name.
//! - "Used": the items the file imports or names in a path, and the members
//!   it calls — on the receiver's type when the checker knows it for certain
//!   (`let m: HashMap<..> = ..; m.insert(..)`, `Store::open(..).put(..)`),
//!   otherwise by name on every type the file uses.
//! - Names are as the file writes them (`std::fs`, not `alloc::…`).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use super::build::{fit, Plan, Shell};
use super::candidates::{Candidate, Heading};
use super::describe::Described;
use super::packages::Package;
use super::relevance::Interest;
use super::*;
use crate::analysis::rust::prelude;
use crate::analysis::rust::resolve::{Outcome, Res, Resolver};
use crate::analysis::rust::{file_nodes, receiver_type, NO_CRATE};
use crate::index::rust::host_cfg::CrateCfg;
use crate::index::rust::{ModNode, RustIndex, StdKind};
use crate::syntax::rust::cfg::{compiled_out, surely_compiled, surely_one_compiled, CfgEnv};
use crate::syntax::rust::facts::*;
use crate::syntax::rust::raw_ident;

/// The API context of the Rust file `file` whose current content parsed to
/// `facts`; `notes` say what is not known (no Cargo.toml, std unknown).
pub fn build_rust(
    index: &RustIndex,
    file: &Path,
    facts: Arc<RustFacts>,
    notes: Vec<String>,
    req: &ContextRequest,
) -> ApiContext {
    let nodes = file_nodes(index, file, &facts);
    let own = nodes[0].clone();
    let krate = own.key.0;
    let resolver = Resolver {
        index,
        scope_methods: Default::default(),
        visiting: Default::default(),
    };
    let interest = Interest::new(req.task, req.text, req.line);
    let edition = crate::analysis::rust::crate_edition(index, krate);
    let mut groups = Groups::default();
    let this = groups.get_or_add(index, &Container::Crate(own.clone()), krate);
    groups.list[this].this_file = true;
    let mut crates_named: BTreeSet<String> = BTreeSet::new();
    // Where the file's imports name each re-exported item (`chrono::Utc`,
    // defined in `chrono::offset::utc`): its paths and calls are noted
    // there, under the path that compiles.
    let mut homes: HashMap<(crate::index::rust::ModKey, usize), (Arc<ModNode>, String)> =
        HashMap::new();

    for (id, node) in nodes.iter().enumerate() {
        if test_only(&facts, id) {
            continue;
        }
        for u in &node.module().uses {
            if let Some(first) = u.path.first() {
                crates_named.insert(first.clone());
            }
            let Outcome::Res(res) = resolver.resolve(node, &u.path, u.absolute, u.scope, 0) else {
                continue;
            };
            // The crate a path goes into reaches its root's API (`use
            // serde_json::Value` reaches `serde_json::to_string`), listed
            // after what the file names.
            if let Some(root) = dependency_root(index, &resolver, node, &u.path, u.absolute, krate)
            {
                let name = module_name(index, &root, krate);
                if !groups.by_name.contains_key(&name) {
                    let g = groups.get_or_add(index, &Container::Crate(root), krate);
                    groups.list[g].reached = true;
                }
            }
            if u.glob {
                if let Some(c) = container_of_module(&res) {
                    groups.get_or_add(index, &c, krate);
                }
                continue;
            }
            if let Some((home, name)) = named_in(&resolver, node, &u.path, u.absolute, &res) {
                groups.note_in(index, &home, &name, None, krate);
                if let Res::Item(n, i) = &res {
                    homes.insert((n.key.clone(), *i), (home, name));
                }
                continue;
            }
            groups.note(index, &res, None, krate, true);
        }
    }
    for r in &facts.refs {
        if r.segs.len() < 2 || test_only(&facts, r.module as usize) {
            continue;
        }
        let Some(node) = nodes.get(r.module as usize) else {
            continue;
        };
        crates_named.insert(r.segs[0].clone());
        let prefix = &r.segs[..r.segs.len() - 1];
        let Outcome::Res(res) = resolver.resolve(node, prefix, r.absolute, r.scope, 0) else {
            continue;
        };
        // A prelude name (`String::new`, `Some(..)`) brings no heading of its own.
        let may_add = !prelude::PRELUDE.iter().any(|(n, _)| *n == r.segs[0])
            && !prelude::PRIMITIVES.contains(&r.segs[0].as_str());
        if may_add {
            let home = named_in(&resolver, node, prefix, r.absolute, &res).or_else(|| match &res {
                Res::Item(n, i) => homes.get(&(n.key.clone(), *i)).cloned(),
                _ => None,
            });
            if let Some((home, name)) = home {
                groups.note_in(index, &home, &name, r.segs.last().cloned(), krate);
                continue;
            }
        }
        groups.note(index, &res, r.segs.last().cloned(), krate, may_add);
    }
    // The prelude's types and the primitives the file uses (`String::new`,
    // `Vec<u8>`, a literal's methods) or the task speaks of ("a string"):
    // their members are listed as a module's, as Python's builtin types' are.
    let mut types: BTreeMap<String, bool> = BTreeMap::new();
    for r in &facts.refs {
        let (Some(first), Some(node)) = (r.segs.first(), nodes.get(r.module as usize)) else {
            continue;
        };
        if test_only(&facts, r.module as usize) {
            continue;
        }
        // What the name is here: a file's own `Result` is not the prelude's.
        let one = std::slice::from_ref(first);
        if let Outcome::Res(Res::Std(p, _)) = resolver.resolve(node, one, r.absolute, r.scope, 0) {
            if let Some(t) = prelude_type(&p) {
                types.insert(t, true);
            }
        }
    }
    // Methods called on a receiver whose type is known mark that type's
    // member; those on a receiver of unknown type mark the name on every
    // type the file uses (a `.push` may well be on the Vec it imports).
    let mut untyped_calls: BTreeSet<&str> = BTreeSet::new();
    for call in &facts.method_calls {
        if test_only(&facts, call.module as usize) {
            continue;
        }
        let Some(node) = nodes.get(call.module as usize) else {
            continue;
        };
        match receiver_type(&resolver, node, call) {
            Some(res) => {
                if let Res::Std(p, _) = &res {
                    if let Some(t) = prelude_type(p) {
                        let g = groups.get_or_add(index, &Container::Type(t.clone()), krate);
                        groups.list[g].used.insert(call.method.clone());
                        types.insert(t, true);
                        continue;
                    }
                }
                if let Res::Item(n, i) = &res {
                    if let Some((home, name)) = homes.get(&(n.key.clone(), *i)) {
                        let (home, name) = (home.clone(), name.clone());
                        groups.note_in(index, &home, &name, Some(call.method.clone()), krate);
                        continue;
                    }
                }
                groups.note(index, &res, Some(call.method.clone()), krate, false)
            }
            None => {
                untyped_calls.insert(call.method.as_str());
            }
        }
    }
    for (path, words) in PRELUDE_TYPES {
        if words.iter().any(|w| interest.score(w) > 0) {
            types.entry(path.to_string()).or_insert(false);
        }
    }
    for (t, used) in types {
        let g = groups.get_or_add(index, &Container::Type(t), krate);
        // Spoken of by the task only: after the modules the file names.
        groups.list[g].reached |= !used;
    }

    let mut plan = Plan {
        ev: None,
        headings: Vec::new(),
        cands: Vec::new(),
        described: Vec::new(),
        has_children: Vec::new(),
        exists: Vec::new(),
    };
    let mut members_of = MemberTables::default();
    let order = groups.order();
    for gi in order {
        let g = &groups.list[gi];
        let h = plan.headings.len();
        plan.headings.push(Heading {
            section: if g.local {
                Section::Local
            } else {
                Section::Api
            },
            name: g.name.clone(),
            source: match &g.container {
                Container::Crate(n) => Some(n.file.clone()),
                Container::Std(_) | Container::Type(_) => None,
            },
            module: None,
            this_file: g.this_file,
            open: false,
            classes_listed: false,
        });
        // The prelude's types come after the modules the file imports, as
        // Python's builtin types do: used by the file, then spoken of by the
        // task only.
        let is_type = matches!(g.container, Container::Type(_));
        let closeness = match (g.this_file, g.local, g.reached, is_type) {
            (true, _, _, _) => 1,
            (false, true, _, _) => 2,
            (false, false, false, false) => 3,
            (false, false, true, false) | (false, false, false, true) => 4,
            (false, false, true, true) => 5,
        };
        let items = g.items(index, &resolver, &mut members_of, krate);
        // A name the file uses that the heading lacks (an invented one):
        // the nearest real names are what its author meant; they rank as
        // related, as Python's do.
        let names: Vec<&str> = items.iter().map(|l| l.described.name.as_str()).collect();
        let mut meant: BTreeSet<String> = BTreeSet::new();
        for u in &g.used {
            if !names.contains(&u.as_str()) {
                meant.extend(crate::analysis::suggest::suggest(
                    u,
                    names.iter().copied(),
                    3,
                ));
            }
        }
        for (i, item) in items.into_iter().enumerate() {
            let short = item.described.name.clone();
            let score = rank_score(&interest, &short, item.described.doc.as_deref())
                + u32::from(meant.contains(&short)) * 4;
            let relevance = if g.used.contains(&short) {
                Relevance::Used
            } else if score > 0 {
                Relevance::Related
            } else {
                Relevance::Other
            };
            let parent = plan.cands.len();
            let key = (
                relevance as u8,
                Reverse(score),
                closeness,
                i as u32,
                h as u32,
                0,
            );
            let mut d = item.described;
            let spelled = spell(&mut d, &short, edition);
            d.name = format!("{}::{spelled}", g.name);
            let qualified = d.name.clone();
            plan.cands.push(Candidate {
                heading: h,
                name: spelled,
                parent: None,
                relevance,
                key,
            });
            plan.described.push(Some(Some(d)));
            // The members of the types the file uses or the task names, and
            // of the file's own types.
            let with_members = relevance != Relevance::Other || g.this_file;
            let members = if with_members {
                item.members
            } else {
                Vec::new()
            };
            plan.has_children.push(!members.is_empty());
            let member_names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
            let mut meant_members: BTreeSet<String> = BTreeSet::new();
            for (ty, name) in &g.used_members {
                if ty == &short && !member_names.contains(&name.as_str()) {
                    meant_members.extend(crate::analysis::suggest::suggest(
                        name,
                        member_names.iter().copied(),
                        3,
                    ));
                }
            }
            for (j, m) in members.into_iter().enumerate() {
                let score = rank_score(&interest, &m.name, m.described.doc.as_deref())
                    + u32::from(meant_members.contains(&m.name)) * 4;
                let used = g.used_members.contains(&(short.clone(), m.name.clone()))
                    || (relevance == Relevance::Used && untyped_calls.contains(m.name.as_str()));
                let mine = if used {
                    Relevance::Used
                } else if score > 0 {
                    Relevance::Related
                } else {
                    Relevance::Other
                };
                let tier = (relevance as u8).max(mine as u8);
                // The own members of a type the file uses come before the
                // rest of every module; what its trait impls add does not.
                let close = if relevance != Relevance::Other
                    && tier == Relevance::Other as u8
                    && !m.from_trait
                {
                    0
                } else {
                    closeness
                };
                let mut d = m.described;
                let spelled = spell(&mut d, &m.name, edition);
                plan.cands.push(Candidate {
                    heading: h,
                    name: spelled.clone(),
                    parent: Some(parent),
                    relevance: mine,
                    key: (
                        tier,
                        Reverse(score),
                        close,
                        i as u32,
                        h as u32,
                        j as u32 + 1,
                    ),
                });
                d.name = format!("{qualified}::{spelled}");
                plan.described.push(Some(Some(d)));
                plan.has_children.push(false);
            }
        }
    }

    let packages = dependencies(index, krate, &crates_named, &interest);
    let crate_name = index.ws.crates.get(krate).map(|c| c.name.clone());
    let module = match (&crate_name, own.key.1.is_empty()) {
        (Some(_), true) => "crate".to_string(),
        (Some(_), false) => format!("crate::{}", own.key.1.join("::")),
        (None, _) => file_stem(file),
    };
    let shell = Shell {
        req,
        module,
        python: None,
        rust: Some(RustInfo {
            krate: crate_name,
            notes,
        }),
    };
    fit(&shell, plan, &packages)
}

/// How well a name meets the task and the code around the cursor: its word
/// parts count twice, its doc line's words once (at most two), as Python's
/// (`candidates::plan`).
fn rank_score(interest: &Interest, name: &str, doc: Option<&str>) -> u32 {
    interest.score(name) * 2 + doc.map_or(0, |d| interest.doc_score(d).min(2))
}

/// The types every file has without a `use`: the prelude's and the
/// primitives a task speaks of most, by the words it uses for them (the
/// default integer and float types for "integer" and "float"). Headed by
/// the path code names them by.
const PRELUDE_TYPES: &[(&str, &[&str])] = &[
    ("str", &["str", "string", "text"]),
    ("std::string::String", &["string"]),
    ("std::vec::Vec", &["vec", "vector"]),
    ("std::option::Option", &["option", "optional"]),
    ("std::result::Result", &["result"]),
    ("char", &["char", "character"]),
    ("f64", &["float"]),
    ("i32", &["integer"]),
];

/// The heading of the prelude type or primitive a path or a receiver's type
/// is (`String`, `alloc::string::String`, `u32`), when it is one.
fn prelude_type(name: &str) -> Option<String> {
    let (module, last) = name.rsplit_once("::").unwrap_or(("", name));
    let std_path = module.is_empty()
        || ["std::", "core::", "alloc::"]
            .iter()
            .any(|r| module.starts_with(r));
    if !std_path {
        return None;
    }
    if prelude::PRIMITIVES.contains(&last) {
        return module.is_empty().then(|| last.to_string());
    }
    PRELUDE_TYPES
        .iter()
        .map(|(p, _)| *p)
        .find(|p| p.rsplit("::").next() == Some(last))
        .map(str::to_string)
}

/// The module a path names its last segment in, when that is not where the
/// item is defined (a re-export: `chrono::Utc` is defined in the private
/// `chrono::offset::utc`): the heading should be the path the file wrote,
/// which compiles, not the defining module, which may not.
fn named_in(
    resolver: &Resolver,
    node: &Arc<ModNode>,
    path: &[String],
    absolute: bool,
    res: &Res,
) -> Option<(Arc<ModNode>, String)> {
    let Res::Item(defining, _) = res else {
        return None;
    };
    let (last, prefix) = path.split_last()?;
    if prefix.is_empty() {
        return None;
    }
    let home = match resolver.resolve(node, prefix, absolute, None, 0) {
        Outcome::Res(Res::Module(n)) => n,
        Outcome::Res(Res::Crate(c)) => resolver.index.root(c)?,
        _ => return None,
    };
    (home.key != defining.key).then(|| (home, last.clone()))
}

/// The root module of the dependency crate a path starts in (not std, not
/// the file's own crate).
fn dependency_root(
    index: &RustIndex,
    resolver: &Resolver,
    node: &Arc<ModNode>,
    path: &[String],
    absolute: bool,
    krate: usize,
) -> Option<Arc<ModNode>> {
    let first = path.first()?;
    match resolver.resolve(node, std::slice::from_ref(first), absolute, None, 0) {
        Outcome::Res(Res::Crate(c)) if c != krate => index.root(c),
        _ => None,
    }
}

/// Whether module `id` of the file is (inside) a `#[cfg(test)]` module.
fn test_only(facts: &RustFacts, mut id: usize) -> bool {
    while let Some(m) = facts.modules.get(id) {
        let Some(p) = m.parent else {
            return false;
        };
        let parent = &facts.modules[p as usize];
        if parent
            .items
            .iter()
            .any(|i| i.kind == RItemKind::Mod && i.name == m.name && i.test_only)
        {
            return true;
        }
        id = p as usize;
    }
    false
}

fn file_stem(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Where a heading's items come from.
#[derive(Clone)]
enum Container {
    /// A module of std, core or alloc, by path.
    Std(String),
    /// A module of a crate of the Cargo graph (or of the file itself).
    Crate(Arc<ModNode>),
    /// A std type whose members are listed as a module's items, by the path
    /// code names it by: `str`, `std::string::String`.
    Type(String),
}

fn container_of_module(res: &Res) -> Option<Container> {
    match res {
        Res::Std(p, StdKind::Module) => Some(Container::Std(p.clone())),
        Res::Module(n) => Some(Container::Crate(n.clone())),
        _ => None,
    }
}

struct Group {
    name: String,
    container: Container,
    /// In the file's own crate.
    local: bool,
    this_file: bool,
    /// Items the file names.
    used: BTreeSet<String>,
    /// (item, member) the file names: `HashMap::new`.
    used_members: BTreeSet<(String, String)>,
    /// The order headings were first reached in.
    first_seen: usize,
    /// Reached through what the file names, not named by it (a crate's
    /// root, a type the task speaks of): ranked after those it names.
    reached: bool,
}

#[derive(Default)]
struct Groups {
    list: Vec<Group>,
    by_name: HashMap<String, usize>,
}

impl Groups {
    fn get_or_add(&mut self, index: &RustIndex, c: &Container, krate: usize) -> usize {
        let name = match c {
            Container::Std(p) | Container::Type(p) => p.clone(),
            Container::Crate(n) => module_name(index, n, krate),
        };
        if let Some(&i) = self.by_name.get(&name) {
            return i;
        }
        let local = match c {
            Container::Std(_) | Container::Type(_) => false,
            Container::Crate(n) => n.key.0 == krate,
        };
        let i = self.list.len();
        self.list.push(Group {
            name: name.clone(),
            container: c.clone(),
            local,
            this_file: false,
            used: BTreeSet::new(),
            used_members: BTreeSet::new(),
            first_seen: i,
            reached: false,
        });
        self.by_name.insert(name, i);
        i
    }

    /// What a resolved path reaches: its module gets a heading (when
    /// `may_add`) and the names it uses are marked. `then` is the segment
    /// after `res` in a path (`fs` → `read_to_string`).
    fn note(
        &mut self,
        index: &RustIndex,
        res: &Res,
        then: Option<String>,
        krate: usize,
        may_add: bool,
    ) {
        let add = |groups: &mut Groups, c: Container| -> Option<usize> {
            if may_add {
                // Named by the file: no longer only reached through it.
                let g = groups.get_or_add(index, &c, krate);
                groups.list[g].reached = false;
                return Some(g);
            }
            let name = match &c {
                Container::Std(p) | Container::Type(p) => p.clone(),
                Container::Crate(n) => module_name(index, n, krate),
            };
            groups.by_name.get(&name).copied()
        };
        match res {
            Res::Std(p, StdKind::Module) => {
                if let (Some(g), Some(t)) = (add(self, Container::Std(p.clone())), then) {
                    self.list[g].used.insert(t);
                }
            }
            Res::Std(p, kind) => {
                let Some((parent, name)) = p.rsplit_once("::") else {
                    return;
                };
                let parent_is_module = index
                    .std
                    .as_ref()
                    .is_some_and(|s| s.kinds_of(parent).contains(&StdKind::Module));
                if parent_is_module {
                    if let Some(g) = add(self, Container::Std(parent.to_string())) {
                        self.list[g].used.insert(name.to_string());
                        if let (Some(t), StdKind::Type | StdKind::Trait) = (then, kind) {
                            self.list[g].used_members.insert((name.to_string(), t));
                        }
                    }
                } else if let Some((module, ty)) = parent.rsplit_once("::") {
                    // A variant or associated item: `use std::cmp::Ordering::Less`.
                    if let Some(g) = add(self, Container::Std(module.to_string())) {
                        self.list[g].used.insert(ty.to_string());
                        self.list[g]
                            .used_members
                            .insert((ty.to_string(), name.to_string()));
                    }
                }
            }
            Res::Module(n) => {
                if let (Some(g), Some(t)) = (add(self, Container::Crate(n.clone())), then) {
                    self.list[g].used.insert(t);
                }
            }
            Res::Crate(c) => {
                if let Some(root) = index.root(*c) {
                    if let (Some(g), Some(t)) = (add(self, Container::Crate(root)), then) {
                        self.list[g].used.insert(t);
                    }
                }
            }
            Res::Item(n, i) => {
                let item = &n.module().items[*i];
                if let Some(g) = add(self, Container::Crate(n.clone())) {
                    self.list[g].used.insert(item.name.clone());
                    if let Some(t) = then {
                        self.list[g].used_members.insert((item.name.clone(), t));
                    }
                }
            }
            Res::Unknown => {}
        }
    }

    /// The item `name` of crate module `home`, as the file names it there
    /// (`then`: the member after it in the path).
    fn note_in(
        &mut self,
        index: &RustIndex,
        home: &Arc<ModNode>,
        name: &str,
        then: Option<String>,
        krate: usize,
    ) {
        let g = self.get_or_add(index, &Container::Crate(home.clone()), krate);
        let group = &mut self.list[g];
        group.reached = false;
        group.used.insert(name.to_string());
        if let Some(t) = then {
            group.used_members.insert((name.to_string(), t));
        }
    }

    /// Headings in the order of the text: APIs, then the file itself, then
    /// the other modules of its crate; each in the order first reached.
    fn order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.list.len()).collect();
        order.sort_by_key(|&i| {
            let g = &self.list[i];
            (g.local, !g.this_file, g.first_seen)
        });
        order
    }
}

/// A module's heading: `std::fs`, `helpers::text`, `crate::util` (the
/// file's own crate as the file names it).
fn module_name(index: &RustIndex, n: &ModNode, krate: usize) -> String {
    let (k, path) = &n.key;
    let head = if *k == krate {
        if *k == NO_CRATE {
            file_stem(&n.file)
        } else {
            "crate".to_string()
        }
    } else {
        index
            .ws
            .crates
            .get(*k)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| "crate".to_string())
    };
    let mut out = head;
    for seg in path {
        out.push_str("::");
        out.push_str(seg);
    }
    out
}

/// One item a heading may list, with the members of a type.
pub(super) struct Listed {
    /// `name` is the short name here; qualified when the plan takes it.
    pub(super) described: Described,
    pub(super) members: Vec<Member>,
}

pub(super) struct Member {
    pub(super) name: String,
    /// Provided by a trait impl rather than the type itself.
    pub(super) from_trait: bool,
    pub(super) described: Described,
}

pub(super) fn described(kind: &'static str, name: &str, signature: Option<String>) -> Described {
    Described {
        kind,
        name: name.to_string(),
        signature,
        doc: None,
        source: None,
        class: None,
    }
}

impl Group {
    fn items(
        &self,
        index: &RustIndex,
        resolver: &Resolver,
        tables: &mut MemberTables,
        krate: usize,
    ) -> Vec<Listed> {
        match &self.container {
            Container::Std(p) => std_items(index, p),
            Container::Crate(n) => {
                crate_items(index, resolver, tables, n, self.this_file, Some(krate))
            }
            Container::Type(p) => type_items(index, p),
        }
    }
}

pub(super) fn std_items(index: &RustIndex, module: &str) -> Vec<Listed> {
    let Some(std) = index.std.as_ref() else {
        return Vec::new();
    };
    let mut names = std.children(module).unwrap_or_default();
    names.sort();
    names.dedup();
    names
        .into_iter()
        // Nightly-only items and other platforms' exist, but code built
        // here cannot use them.
        .filter(|n| !n.starts_with('_') && !std.unavailable(&format!("{module}::{n}")))
        .map(|name| {
            let path = format!("{module}::{name}");
            let kinds = std.kinds_of(&path);
            let label = std.label(&path).unwrap_or_else(|| {
                match [
                    StdKind::Type,
                    StdKind::Trait,
                    StdKind::Fn,
                    StdKind::Module,
                    StdKind::Macro,
                ]
                .into_iter()
                .find(|k| kinds.contains(k))
                {
                    Some(StdKind::Type) => "type",
                    Some(StdKind::Trait) => "trait",
                    Some(StdKind::Fn) => "function",
                    Some(StdKind::Module) => "module",
                    Some(StdKind::Macro) => "macro",
                    _ => "item",
                }
            });
            let signature = std.signature(&path).or_else(|| declaration(label, &name));
            let is_type = kinds.contains(&StdKind::Type) || kinds.contains(&StdKind::Trait);
            let mut members = if is_type {
                std_members(std.as_ref(), &path)
            } else {
                Vec::new()
            };
            if label == "type alias" {
                // A trait's method is no path through an alias
                // (`io::Result::eq` does not compile); its own items are.
                members.retain(|m| !m.from_trait);
            }
            members.retain(nameable);
            let mut described = described(label, &name, signature);
            described.doc = std.doc(&path);
            Listed { described, members }
        })
        .collect()
}

/// The members of the std type `path` as a heading's items.
fn type_items(index: &RustIndex, path: &str) -> Vec<Listed> {
    let Some(std) = index.std.as_ref() else {
        return Vec::new();
    };
    std_members(std.as_ref(), path)
        .into_iter()
        .filter(nameable)
        .map(|m| Listed {
            described: m.described,
            members: Vec::new(),
        })
        .collect()
}

/// Whether a context lists a std member: an associated type is no path of
/// its own (`Type::Item`, `Iterator::Item` are ambiguous: `<T as
/// Iterator>::Item` is the path), and a field is read on a value
/// (`out.status`), not named by a path (a crate's are listed for the file's
/// own types only).
fn nameable(m: &Member) -> bool {
    !matches!(m.described.kind, "associated type" | "field")
}

/// Traits every type gets from a blanket impl: their methods (`into`,
/// `borrow`, `type_id`…) say nothing about the type, so they are not listed,
/// as Python's dunders are not.
const BLANKET_TRAITS: &[&str] = &[
    "core::any::Any",
    "core::borrow::Borrow",
    "core::borrow::BorrowMut",
    "core::convert::Into",
    "core::convert::TryFrom",
    "core::convert::TryInto",
    "alloc::borrow::ToOwned",
    "core::clone::CloneToUninit",
];

/// A std type's members: its own items first, then those of trait impls.
pub(super) fn std_members(std: &dyn crate::index::rust::StdApi, path: &str) -> Vec<Member> {
    let mut details = std.member_details(path).unwrap_or_default();
    details
        .sort_by(|a, b| (a.from_trait.is_some(), &a.name).cmp(&(b.from_trait.is_some(), &b.name)));
    details
        .into_iter()
        .filter(|m| !m.name.starts_with('_') && !m.unavailable)
        .filter(|m| {
            m.from_trait
                .as_deref()
                .is_none_or(|t| !BLANKET_TRAITS.contains(&t))
        })
        .map(|m| {
            let mut described = described(m.kind.unwrap_or("item"), &m.name, m.signature);
            described.doc = m.doc;
            Member {
                from_trait: m.from_trait.is_some(),
                described,
                name: m.name,
            }
        })
        .collect()
}

/// `struct HashMap`, `trait Read`: what an item is, when no signature says
/// more (functions get none: their parameters are unknown).
pub(super) fn declaration(label: &str, name: &str) -> Option<String> {
    let keyword = match label {
        "struct" | "enum" | "union" | "trait" => label,
        "type alias" => "type",
        "constant" => "const",
        "static" => "static",
        _ => return None,
    };
    Some(format!("{keyword} {name}"))
}

/// A crate's impl items by self type name, each with whether a trait impl
/// gives it.
type ImplTable = HashMap<String, Vec<(RMember, bool)>>;

/// One impl item of a crate: the item, whether a trait impl gives it, and
/// the module of the impl.
type ImplEntry = (RMember, bool, crate::index::rust::ModKey);

/// A crate's impl items by self type name, and the type names declared in
/// more than one of its modules (`ser::Serializer`, `value::Serializer`).
#[derive(Default)]
struct CrateImpls {
    by_name: HashMap<String, Vec<ImplEntry>>,
    ambiguous: BTreeSet<String>,
}

/// Per crate: each type's associated items from its impls.
#[derive(Default)]
pub(super) struct MemberTables {
    by_crate: HashMap<usize, Arc<CrateImpls>>,
    by_module: HashMap<crate::index::rust::ModKey, Arc<ImplTable>>,
}

impl MemberTables {
    /// The impl items for the types of module `node` of crate `krate`: by
    /// type name, and for a name several modules declare a type of, only
    /// the impls in `node` itself (impls name their type by its last
    /// segment, so the crate's other types of that name are not this one).
    pub(super) fn of(&mut self, index: &RustIndex, krate: usize, node: &ModNode) -> Arc<ImplTable> {
        if let Some(t) = self.by_module.get(&node.key) {
            return t.clone();
        }
        let all = match self.by_crate.get(&krate) {
            Some(t) => t.clone(),
            None => {
                let t = Arc::new(crate_impls(index, krate, node));
                self.by_crate.insert(krate, t.clone());
                t
            }
        };
        let table: ImplTable = all
            .by_name
            .iter()
            .map(|(name, entries)| {
                let mine = !all.ambiguous.contains(name);
                let items = entries
                    .iter()
                    .filter(|(_, _, at)| mine || *at == node.key)
                    .map(|(m, t, _)| (m.clone(), *t))
                    .collect();
                (name.clone(), items)
            })
            .collect();
        let table = Arc::new(table);
        self.by_module.insert(node.key.clone(), table.clone());
        table
    }
}

fn crate_impls(index: &RustIndex, krate: usize, node: &ModNode) -> CrateImpls {
    // A file outside every crate: its own impls only.
    let modules = if krate == NO_CRATE {
        Vec::new()
    } else {
        index.all_modules(krate).0
    };
    let mut out = CrateImpls::default();
    let mut declared: HashMap<String, usize> = HashMap::new();
    // What the crate's build compiles out (a feature that is off) has no
    // items.
    let build = OrdinaryBuild(index.cfg_env(krate));
    let mut add = |m: &RModule, at: &crate::index::rust::ModKey| {
        for item in m.items.iter().filter(|i| i.kind.is_type()) {
            *declared.entry(item.name.clone()).or_default() += 1;
        }
        for imp in &m.impls {
            let Some(ty) = imp.self_ty.as_ref().and_then(|t| t.path.last()) else {
                continue;
            };
            // Listed members surely exist: an impl or item under a cfg
            // nothing decides (`cfg(tokio_unstable)`) is left out.
            if !surely_compiled(&imp.cfgs, &build) {
                continue;
            }
            let entry = out.by_name.entry(ty.clone()).or_default();
            for item in &imp.items {
                if item.name != "*"
                    && !compiled_out(&item.cfgs, &build)
                    && (surely_compiled(&item.cfgs, &build)
                        || declared_surely(&imp.items, &item.name, &build))
                    && !entry.iter().any(|(e, _, k)| e.name == item.name && k == at)
                {
                    entry.push((item.clone(), imp.trait_path.is_some(), at.clone()));
                }
            }
        }
    };
    for n in modules.iter().filter(|n| !module_off(index, n, &build)) {
        add(n.module(), &n.key);
    }
    if krate == NO_CRATE {
        for m in &node.facts.modules {
            add(m, &node.key);
        }
    }
    out.ambiguous = declared
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(name, _)| name)
        .collect();
    out
}

/// Whether `items` (one impl's) declare `name` under cfgs of which one
/// surely holds.
fn declared_surely(items: &[RMember], name: &str, build: &OrdinaryBuild) -> bool {
    let decls: Vec<&[String]> = items
        .iter()
        .filter(|i| i.name == name)
        .map(|i| i.cfgs.as_slice())
        .collect();
    decls.len() > 1 && surely_one_compiled(&decls, build)
}

/// `from`: the crate reading the module (None: any other crate than its
/// own workspace's), which may not name its `pub(crate)` items.
pub(super) fn crate_items(
    index: &RustIndex,
    resolver: &Resolver,
    tables: &mut MemberTables,
    node: &Arc<ModNode>,
    all: bool,
    from: Option<usize>,
) -> Vec<Listed> {
    let foreign = match from {
        Some(k) => k != node.key.0,
        None => index
            .ws
            .crates
            .get(node.key.0)
            .is_some_and(|c| !c.workspace),
    };
    crate_items_at(index, resolver, tables, node, all, foreign, 0)
}

/// How many glob re-exports deep a module's items are followed.
const MAX_GLOB_DEPTH: u32 = 4;

fn crate_items_at(
    index: &RustIndex,
    resolver: &Resolver,
    tables: &mut MemberTables,
    node: &Arc<ModNode>,
    all: bool,
    foreign: bool,
    depth: u32,
) -> Vec<Listed> {
    let m = node.module();
    // The file's own module lists everything it declares; another module
    // what it makes public (its crate's too: private items are not
    // reachable from here). A dependency's `pub(crate)` items and its
    // `__`-named ones (hidden from its docs, not its API) are not listed.
    let build = OrdinaryBuild(index.cfg_env(node.key.0));
    // What a listing names must surely exist: an item under a cfg nothing
    // decides (one a build script sets) is left out, unless the module
    // declares the name under cfgs of which one surely holds (`#[cfg(x)]`
    // and `#[cfg(not(x))]`).
    // (Public declarations only: a private `mod m` does not make `pub mod
    // m` exist.)
    let mut decls: HashMap<&str, Vec<&[String]>> = HashMap::new();
    for i in m.items.iter().filter(|i| i.public || i.macro_export) {
        decls.entry(i.name.as_str()).or_default().push(&i.cfgs);
    }
    for u in m.uses.iter().filter(|u| u.scope.is_none() && u.public) {
        if let Some(name) = u.binds() {
            decls.entry(name).or_default().push(&u.cfgs);
        }
    }
    let surely = |name: &str, cfg: &[String]| {
        surely_compiled(cfg, &build)
            || decls
                .get(name)
                .is_some_and(|d| d.len() > 1 && surely_one_compiled(d, &build))
    };
    let hidden = |name: &str, restricted: bool, cfg: &[String]| {
        (foreign && (restricted || name.starts_with("__"))) || (!all && !surely(name, cfg))
    };
    let mut out: Vec<Listed> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let table = tables.of(index, node.key.0, node);
    for item in &m.items {
        if (!all && !item.public && !item.macro_export)
            || hidden(&item.name, item.restricted, &item.cfgs)
            || item.test_only
            || item.kind == RItemKind::ExternCrate
            || !seen.insert(item.name.clone())
        {
            continue;
        }
        let mut l = listed_item(item, &table, all);
        if item.kind == RItemKind::Mod && l.described.doc.is_none() {
            l.described.doc = child_module_doc(index, node, &item.name);
        }
        out.push(l);
    }
    // Re-exports: `pub use value::Value` is part of a crate's API.
    for u in &m.uses {
        let Some(name) = u.binds() else {
            continue;
        };
        if !u.public
            || hidden(name, u.restricted, &u.cfgs)
            || u.scope.is_some()
            || all
            || !seen.insert(name.to_string())
        {
            continue;
        }
        let d = match resolver.resolve(node, &u.path, u.absolute, None, 0) {
            Outcome::Res(Res::Item(n, i)) => {
                let table = tables.of(index, n.key.0, &n);
                let mut l = listed_item(&n.module().items[i], &table, false);
                rename(&mut l.described, name);
                l
            }
            Outcome::Res(res @ (Res::Module(_) | Res::Crate(_))) => {
                let target = match res {
                    Res::Module(n) => Some(n),
                    Res::Crate(c) => index.root(c),
                    _ => None,
                };
                let mut d = described("module", name, None);
                d.doc = target.and_then(|n| n.module().doc.clone());
                Listed {
                    described: d,
                    members: Vec::new(),
                }
            }
            Outcome::Res(Res::Std(p, _)) => {
                let label = index
                    .std
                    .as_ref()
                    .and_then(|s| s.label(&p))
                    .unwrap_or("item");
                Listed {
                    described: described(label, name, declaration(label, name)),
                    members: Vec::new(),
                }
            }
            // Not resolved (items of the same name under different `cfg`s):
            // the item of that name in the module the path names.
            _ => match reexported_item(resolver, node, &u.path, u.absolute) {
                Some((n, i)) => {
                    let table = tables.of(index, n.key.0, &n);
                    let mut l = listed_item(&n.module().items[i], &table, false);
                    rename(&mut l.described, name);
                    l
                }
                None => Listed {
                    described: described("re-export", name, None),
                    members: Vec::new(),
                },
            },
        };
        out.push(d);
    }
    // Glob re-exports (`pub use regex::string::*`): the public items of the
    // module they name are this module's API too.
    if !all && depth < MAX_GLOB_DEPTH {
        for u in m
            .uses
            .iter()
            .filter(|u| u.glob && u.public && u.scope.is_none())
        {
            if hidden("", u.restricted, &u.cfgs) {
                continue;
            }
            let target = match resolver.resolve(node, &u.path, u.absolute, None, 0) {
                Outcome::Res(Res::Module(n)) => n,
                Outcome::Res(Res::Crate(c)) => match index.root(c) {
                    Some(n) => n,
                    None => continue,
                },
                _ => continue,
            };
            if target.key == node.key {
                continue;
            }
            for l in crate_items_at(index, resolver, tables, &target, false, foreign, depth + 1) {
                if seen.insert(l.described.name.clone()) {
                    out.push(l);
                }
            }
        }
    }
    // `#[macro_export]` macros live at the crate root (those the items
    // declare: a name a macro's text may define is not listed).
    if node.key.1.is_empty() && node.local == 0 && node.key.0 != NO_CRATE {
        for name in index.declared_macros(node.key.0) {
            if !hidden(&name, false, &[]) && seen.insert(name.clone()) {
                out.push(Listed {
                    described: described("macro", &name, None),
                    members: Vec::new(),
                });
            }
        }
    }
    for l in out.iter_mut().filter(|l| l.described.source.is_none()) {
        l.described.source = Some(node.file.clone());
    }
    out
}

/// The configuration a listing assumes: the crate's (features, host), in
/// an ordinary build — the cfgs only special builds set (docs.rs, tests of
/// the crate itself, fuzzing, loom, miri) are off, so what only they
/// compile is not listed. (The checker keeps those unknown: silent.)
struct OrdinaryBuild<'a>(CrateCfg<'a>);

const SPECIAL_BUILDS: &[&str] = &[
    "test", "doc", "docsrs", "miri", "loom", "fuzzing", "rustdoc",
];

impl CfgEnv for OrdinaryBuild<'_> {
    fn name(&self, name: &str) -> Option<bool> {
        if SPECIAL_BUILDS.contains(&name) {
            return Some(false);
        }
        self.0.name(name)
    }

    fn key_value(&self, key: &str, value: &str) -> Option<bool> {
        self.0.key_value(key, value)
    }
}

/// Whether module `n` or a module above it is declared under a `#[cfg]`
/// the build rules out (`#[cfg(feature = "serde")] mod serde;`).
fn module_off(index: &RustIndex, n: &ModNode, build: &OrdinaryBuild) -> bool {
    let (krate, path) = &n.key;
    (1..=path.len()).any(|i| {
        index
            .module(&(*krate, path[..i - 1].to_vec()))
            .and_then(|parent| {
                parent
                    .module()
                    .items
                    .iter()
                    .find(|it| it.kind == RItemKind::Mod && it.name == path[i - 1])
                    .map(|it| compiled_out(&it.cfgs, build))
            })
            .unwrap_or(false)
    })
}

/// `name` as code of `edition` writes it (`r#gen` where `gen` is a keyword,
/// else `gen`), in the listing and in `d`'s signature, whose name is as
/// its source spelled it.
fn spell(d: &mut Described, name: &str, edition: &str) -> String {
    let written = raw_ident::written(name, edition).into_owned();
    if let Some(sig) = &mut d.signature {
        let raw = format!("r#{name}");
        let at = [raw.as_str(), name].into_iter().find_map(|word| {
            sig.match_indices(word)
                .find(|(i, _)| {
                    let before = sig[..*i].chars().last();
                    let after = sig[i + word.len()..].chars().next();
                    before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '#'))
                        && after.is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
                })
                .map(|(i, _)| (i, word.len()))
        });
        if let Some((i, len)) = at {
            sig.replace_range(i..i + len, &written);
        }
    }
    written
}

/// An item as a re-export names it (`pub use weighted::Error as
/// WeightError`): its name, and the name in its signature, are the new one.
fn rename(d: &mut Described, name: &str) {
    if d.name != name {
        if let Some(sig) = &mut d.signature {
            let old = &d.name;
            let at = sig.match_indices(old.as_str()).find(|(i, _)| {
                let before = sig[..*i].chars().last();
                let after = sig[i + old.len()..].chars().next();
                before.is_none_or(|c| c == ' ')
                    && after.is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
            });
            if let Some((i, _)) = at {
                sig.replace_range(i..i + old.len(), name);
            }
        }
        d.name = name.to_string();
    }
}

/// The item a `pub use` names when the resolver cannot tell which one it is
/// (an item declared twice, under `cfg`s that exclude each other): the
/// first of that name in the module its path names, a type before a value.
fn reexported_item(
    resolver: &Resolver,
    node: &Arc<ModNode>,
    path: &[String],
    absolute: bool,
) -> Option<(Arc<ModNode>, usize)> {
    let (last, prefix) = path.split_last()?;
    let module = match resolver.resolve(node, prefix, absolute, None, 0) {
        Outcome::Res(Res::Module(n)) => n,
        Outcome::Res(Res::Crate(c)) => resolver.index.root(c)?,
        _ => return None,
    };
    let items = &module.module().items;
    let i = items
        .iter()
        .position(|i| &i.name == last && i.kind.is_type())
        .or_else(|| items.iter().position(|i| &i.name == last))?;
    Some((module, i))
}

/// `own`: the item is the file's own, so its struct fields and the private
/// items of its inherent impls are listed; of any other item only what code
/// elsewhere can name (a `pub fn` of an impl, a trait's items).
pub(super) fn listed_item(item: &RItem, table: &ImplTable, own: bool) -> Listed {
    let label = item.kind.label();
    let signature = match item.kind {
        RItemKind::Fn => item.signature.clone(),
        RItemKind::Macro => Some(format!("macro_rules! {}", item.name)),
        _ => declaration(label, &item.name),
    };
    let mut members: Vec<Member> = Vec::new();
    if item.kind.is_type() {
        // A type alias of a type of the same crate has that type's items
        // (`chrono::Duration` is `TimeDelta`).
        let target = match (&item.kind, &item.aliased) {
            (RItemKind::TypeAlias, Some(t)) => t.path.last().filter(|t| **t != item.name),
            _ => None,
        };
        let impls = table
            .get(&item.name)
            .into_iter()
            .chain(target.and_then(|t| table.get(t)))
            .flatten()
            .map(|(m, from_trait)| (m.clone(), *from_trait, true));
        let declared = item.members.iter().cloned().map(|m| (m, false, false));
        for (m, from_trait, of_impl) in declared.chain(impls) {
            if m.name == "*"
                || (m.kind == MemberKind::Field && !own)
                // An inherent impl's item without `pub` is private to its module.
                || (of_impl && !from_trait && !m.public && !own)
                // An associated type is no path of its own: `Type::Item` is
                // ambiguous (`<Type as Trait>::Item` is the path).
                || (m.kind == MemberKind::Type && !own)
                || members.iter().any(|x| x.name == m.name)
            {
                continue;
            }
            let mut d = described(m.kind.label(), &m.name, m.signature.clone());
            d.doc = m.doc.clone();
            members.push(Member {
                name: m.name.clone(),
                from_trait,
                described: d,
            });
        }
    }
    let mut d = described(label, &item.name, signature);
    d.doc = item.doc.clone();
    Listed {
        described: d,
        members,
    }
}

/// The inner docs (`//!`) of `mod name;` declared in `parent`, from its file.
fn child_module_doc(index: &RustIndex, parent: &ModNode, name: &str) -> Option<String> {
    match index.child(parent, name) {
        crate::index::rust::Child::Found(n) => n.module().doc.clone(),
        _ => None,
    }
}

/// The crate's direct dependencies by the names code uses, ranked: those
/// the file names, those the task or cursor mentions, the rest.
fn dependencies(
    index: &RustIndex,
    krate: usize,
    named: &BTreeSet<String>,
    interest: &Interest,
) -> Vec<Package> {
    let Some(info) = index.ws.crates.get(krate) else {
        return Vec::new();
    };
    let names: BTreeMap<&String, ()> = info
        .deps
        .keys()
        .chain(info.opaque_deps.iter())
        .map(|n| (n, ()))
        .collect();
    let mut out: Vec<Package> = names
        .into_keys()
        .map(|name| Package::ranked(name.clone(), named.contains(name), interest))
        .collect();
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_renamed_reexport_renames_its_signature() {
        let mut d = described("enum", "Error", Some("enum Error".to_string()));
        rename(&mut d, "WeightError");
        assert_eq!(d.name, "WeightError");
        assert_eq!(d.signature.as_deref(), Some("enum WeightError"));
        let mut f = described(
            "function",
            "to_string",
            Some("fn to_string<T: ?Sized + Serialize>(value: &T) -> Result<String>".to_string()),
        );
        rename(&mut f, "to_text");
        assert_eq!(
            f.signature.as_deref(),
            Some("fn to_text<T: ?Sized + Serialize>(value: &T) -> Result<String>")
        );
    }

    #[test]
    fn prelude_types_by_any_path_and_primitives_by_name() {
        assert_eq!(
            prelude_type("alloc::vec::Vec").as_deref(),
            Some("std::vec::Vec")
        );
        assert_eq!(prelude_type("Vec").as_deref(), Some("std::vec::Vec"));
        assert_eq!(
            prelude_type("core::option::Option").as_deref(),
            Some("std::option::Option")
        );
        assert_eq!(prelude_type("u32").as_deref(), Some("u32"));
        assert_eq!(prelude_type("str").as_deref(), Some("str"));
        assert_eq!(prelude_type("anyhow::Result"), None);
        assert_eq!(prelude_type("std::collections::HashMap"), None);
    }
}
