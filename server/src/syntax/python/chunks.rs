//! Incremental facts: the module's top-level statements walked in chunks,
//! each chunk's facts kept, and a keystroke's analysis walking again only
//! the chunks it changed.
//!
//! A chunk is a run of top-level statements (with the comments between
//! them) starting at a line start. Walked on its own, its facts hold its
//! own numbering (scope 0 is the module), and what the statements before it
//! decide is left open:
//!
//! - a name read and bound nowhere in the chunk stays *pending*, and the
//!   merge resolves it against the whole module (as `finish` does);
//! - `__all__ +=` before any `__all__ =` of the chunk extends what the
//!   chunks before left (`all_set` false: `all` holds the extension);
//! - a module-level class looked up by name (`Cls.attr = …`,
//!   `setattr(Cls, …)`) is looked for among the bindings of the chunks
//!   before (the merge so far) then the chunk's own, as one walk does; a
//!   class of a chunk before is changed by the merge ([`ForeignOp`]), in
//!   order, and the chunk records which of those bindings were classes
//!   (`assumed`): a kept chunk whose assumption no longer holds is walked
//!   again;
//! - the `hasattr` pairs and the collections changed in place are merged,
//!   then applied to the whole module; guards are numbered again in order
//!   of first use, as one walk numbers them.
//!
//! The merge renumbers each chunk's scopes, classes, functions and guards
//! and moves its positions to where the chunk now stands (a chunk starts at
//! a line start, so its columns never change), then ends as one walk does
//! (`finish`, `with_errors` on the whole tree). The result is the facts of
//! one walk of the whole module, field for field: `tests/it` compares them
//! over random edits (`incremental_facts_*`), and `scripts/fuzz.py edits`
//! through the language server.
//!
//! A chunk is kept while no edit touches it and tree-sitter reports no
//! change of structure over it (`Tree::changed_ranges`), and it holds no
//! syntax error. Chunk boundaries depend only on the statement that starts
//! the chunk (a hash of its first bytes), so an edit moves no boundary but
//! its own chunk's.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use tree_sitter::{InputEdit, Node, Tree};

use super::*;

/// A statement starts a new chunk when a hash of its first bytes is a
/// multiple of this: chunks of about this many top-level statements.
pub(super) const STATEMENTS_PER_CHUNK: u64 = 24;

/// The bytes of a statement the chunk boundary hashes.
const HASHED_BYTES: usize = 48;

/// The first (up to four) module-level bindings of a name: how many, and
/// which are classes (bit `i`: binding `i`).
pub(super) type Pattern = (u8, u8);

fn pattern(bindings: Option<&Vec<Binding>>) -> Pattern {
    let mut out = (0, 0);
    for (i, b) in bindings.into_iter().flatten().take(4).enumerate() {
        out.0 = i as u8 + 1;
        if matches!(b.kind, BindingKind::Class(_)) {
            out.1 |= 1 << i;
        }
    }
    out
}

/// What a chunk does to a class of a chunk before it.
#[derive(Debug, Clone)]
pub(super) enum ClassEffect {
    /// `Cls.attr = value`.
    Attr(Box<str>, Expr),
    /// `setattr(Cls, …)`: at that row (in the chunk), the construct for `--why`.
    Dynamic(u32, Box<str>),
}

/// A change to the class of the module-level binding `index` of `name` in
/// the chunks before.
#[derive(Debug, Clone)]
pub(super) struct ForeignOp {
    name: Box<str>,
    index: u8,
    effect: ClassEffect,
}

/// The state of a walk of one chunk: the module-level bindings of the
/// chunks before it, what it assumed of them and did to their classes.
pub(super) struct ChunkWalk<'m> {
    earlier: &'m BTreeMap<Box<str>, Vec<Binding>>,
    assumed: BTreeMap<Box<str>, Pattern>,
    ops: Vec<ForeignOp>,
}

impl ChunkWalk<'_> {
    /// The pattern of the bindings of `name` in the chunks before (recorded).
    pub(super) fn earlier(&mut self, name: &str) -> Pattern {
        let p = pattern(self.earlier.get(name));
        self.assumed.insert(name.into(), p);
        p
    }
}

impl Builder<'_> {
    /// Change the class of the module-level binding `index` of `name` in
    /// the chunks before this one (at the merge).
    pub(super) fn class_before(&mut self, name: &str, index: u8, effect: ClassEffect) {
        if let Some(chunk) = &mut self.chunk {
            chunk.ops.push(ForeignOp {
                name: name.into(),
                index,
                effect,
            });
        }
    }
}

/// The facts of one chunk, walked on their own: positions as in the text
/// the chunk was walked in, ids in the chunk's own numbering.
pub struct ChunkFacts {
    /// Where the chunk started (byte, row) when it was walked.
    start: u32,
    row: u32,
    facts: FileFacts,
    pending: Vec<PendingName>,
    hasattr_pairs: Vec<(String, String)>,
    mutated: BTreeSet<Box<str>>,
    all_set: bool,
    /// The docstring of the chunk's first statement; `None` when the chunk
    /// holds only comments.
    doc: Option<Option<String>>,
    /// The pattern of the earlier bindings of each name it looked up.
    assumed: BTreeMap<Box<str>, Pattern>,
    ops: Vec<ForeignOp>,
}

/// A chunk where it stands in the current text.
#[derive(Clone)]
struct Placed {
    start: u32,
    end: u32,
    row: u32,
    facts: Arc<ChunkFacts>,
}

/// The chunks of a document's last analysis, kept with its tree and
/// brought up to the edits made since ([`Chunks::edit`]).
#[derive(Clone, Default)]
pub struct Chunks {
    placed: Vec<Placed>,
    /// How many of them this analysis walked (the others were kept).
    walked: usize,
}

impl Chunks {
    /// The chunks after `edit`: the ones it touches are dropped, the ones
    /// after it move.
    pub fn edit(&mut self, edit: &InputEdit) {
        let (s, old_end, new_end) = (
            edit.start_byte as i64,
            edit.old_end_byte as i64,
            edit.new_end_byte as i64,
        );
        let rows = edit.new_end_position.row as i64 - edit.old_end_position.row as i64;
        self.placed.retain_mut(|p| {
            let (start, end) = (p.start as i64, p.end as i64);
            if end < s {
                true
            } else if start > old_end {
                p.start = (start + new_end - old_end) as u32;
                p.end = (end + new_end - old_end) as u32;
                p.row = (p.row as i64 + rows) as u32;
                true
            } else {
                false
            }
        });
    }

    /// How many chunks there are.
    pub fn len(&self) -> usize {
        self.placed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.placed.is_empty()
    }

    /// How many chunks the analysis that made them walked (the others it
    /// kept from the one before).
    pub fn walked(&self) -> usize {
        self.walked
    }
}

/// The top-level statements of `root`, in chunks: (start byte, end byte,
/// statements). The chunks cover the text; each but the first starts at a
/// statement at the start of its line.
fn partition<'t>(text: &str, root: Node<'t>, per_chunk: u64) -> Vec<(usize, usize, Vec<Node<'t>>)> {
    let mut out: Vec<(usize, usize, Vec<Node<'t>>)> = Vec::new();
    for child in named_children(root) {
        let starts_chunk = out.is_empty()
            || (child.start_position().column == 0 && boundary_hash(text, child) % per_chunk == 0);
        if starts_chunk {
            let start = if out.is_empty() {
                0
            } else {
                child.start_byte()
            };
            if let Some(last) = out.last_mut() {
                last.1 = start;
            }
            out.push((start, text.len(), Vec::new()));
        }
        if let Some(last) = out.last_mut() {
            last.2.push(child);
        }
    }
    if out.is_empty() {
        out.push((0, text.len(), Vec::new()));
    }
    out
}

/// A hash of the first bytes of the statement `n` (FNV-1a), which decides
/// whether it starts a chunk: an edit elsewhere never moves a boundary.
fn boundary_hash(text: &str, n: Node) -> u64 {
    let start = n.start_byte();
    let end = n.end_byte().min(start + HASHED_BYTES);
    let bytes = text.as_bytes().get(start..end).unwrap_or(&[]);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Walk the statements of one chunk, `earlier` being the module-level
/// bindings of the chunks before.
fn walk_chunk(
    text: &str,
    root: Node,
    (start, end): (usize, usize),
    statements: &[Node],
    earlier: &BTreeMap<Box<str>, Vec<Binding>>,
) -> ChunkFacts {
    let mut b = Builder::new(text);
    // `__all__ +=` before an `__all__ =` of the chunk: the extension.
    b.facts.all = Some(Vec::new());
    b.chunk = Some(ChunkWalk {
        earlier,
        assumed: BTreeMap::new(),
        ops: Vec::new(),
    });
    let doc = statements
        .iter()
        .find(|c| kind(*c) != "comment")
        .map(|&first| b.docstring_of(first));
    for &s in statements {
        b.statement(s);
    }
    b.suppressions(root, start..end);
    let row = chunk_row(start, statements);
    let Builder {
        facts,
        pending_names,
        hasattr_pairs,
        mutated_collections,
        all_set,
        chunk,
        ..
    } = b;
    let (assumed, ops) = chunk.map(|c| (c.assumed, c.ops)).unwrap_or_default();
    // A name the chunk binds is bound in the module whatever the rest says.
    let pending = pending_names
        .into_iter()
        .filter(|p| facts.binding_scope(p.scope, &p.name).is_none())
        .collect();
    ChunkFacts {
        start: start as u32,
        row,
        facts,
        pending,
        hasattr_pairs: hasattr_pairs.into_iter().collect(),
        mutated: mutated_collections,
        all_set,
        doc,
        assumed,
        ops,
    }
}

/// Walk a piece of the module parsed on its own (`pieces`), `m` holding
/// the pieces before.
pub(super) fn walk_piece(piece: &str, root: Node, m: &Merger) -> ChunkFacts {
    let statements = named_children(root);
    let earlier = &m.facts.scopes[MODULE_SCOPE as usize].bindings;
    walk_chunk(piece, root, (0, piece.len()), &statements, earlier)
}

/// The row a chunk starts on.
fn chunk_row(start: usize, statements: &[Node]) -> u32 {
    match statements.first() {
        Some(s) if start > 0 => s.start_position().row as u32,
        _ => 0,
    }
}

/// The facts of `tree` (the parse of `text`) walked in chunks, and the
/// chunks: the ones of `old` that no edit or change of structure touched
/// (`changed`: tree-sitter's changed ranges against the previous tree) are
/// kept, the others walked. `None` once `cancelled`.
pub(super) fn facts_in_chunks(
    text: &str,
    tree: &Tree,
    old: Option<&Chunks>,
    changed: &[tree_sitter::Range],
    cancelled: &dyn Fn() -> bool,
    per_chunk: u64,
) -> Option<(FileFacts, Chunks)> {
    let root = tree.root_node();
    let old = old.map_or(&[][..], |c| &c.placed[..]);
    let mut m = Merger::new();
    let mut placed = Vec::new();
    let mut walked = 0;
    for (start, end, statements) in partition(text, root, per_chunk) {
        let row = chunk_row(start, &statements);
        let (s, e) = (start as u32, end as u32);
        let untouched = || {
            !changed
                .iter()
                .any(|r| r.start_byte <= end && r.end_byte >= start)
                && !statements.iter().any(|n| n.has_error())
        };
        let kept = old
            .binary_search_by_key(&s, |p| p.start)
            .ok()
            .map(|i| &old[i])
            .filter(|p| p.end == e && p.row == row && untouched())
            .filter(|p| m.assumptions_hold(&p.facts));
        let facts = match kept {
            Some(p) => p.facts.clone(),
            None => {
                if cancelled() {
                    return None;
                }
                walked += 1;
                let earlier = &m.facts.scopes[MODULE_SCOPE as usize].bindings;
                Arc::new(walk_chunk(text, root, (start, end), &statements, earlier))
            }
        };
        let bytes = s as i64 - facts.start as i64;
        let rows = row as i64 - facts.row as i64;
        m.add(&facts, bytes, rows);
        placed.push(Placed {
            start: s,
            end: e,
            row,
            facts,
        });
    }
    let facts = finish(m.facts, m.pending, m.mutated, &m.hasattr_pairs);
    let facts = with_errors(text, root, facts);
    Some((facts, Chunks { placed, walked }))
}

/// The module's facts being merged from its chunks, in order.
pub(super) struct Merger {
    facts: FileFacts,
    pending: Vec<PendingName>,
    hasattr_pairs: HashSet<(String, String)>,
    mutated: BTreeSet<Box<str>>,
    /// Guards by their conditions (as `Builder::enter_guard` keys them).
    guard_ids: HashMap<String, GuardId>,
    /// A chunk with a statement that is no comment was merged.
    doc_found: bool,
}

impl Merger {
    pub(super) fn new() -> Self {
        Merger {
            facts: Builder::new("").facts,
            pending: Vec::new(),
            hasattr_pairs: HashSet::new(),
            mutated: BTreeSet::new(),
            guard_ids: HashMap::new(),
            doc_found: false,
        }
    }

    /// Add the facts of the next chunk, moved by `bytes` and `rows`.
    pub(super) fn add(&mut self, chunk: &ChunkFacts, bytes: i64, rows: i64) {
        let mut map = Renumber {
            scope_base: self.facts.scopes.len() as u32,
            class_base: self.facts.classes.len() as u32,
            func_base: self.facts.functions.len() as u32,
            guards: vec![0],
            bytes,
            rows,
        };
        // Guards, numbered in order of first use.
        for conds in chunk.facts.guards.iter().skip(1) {
            let mut conds = conds.clone();
            for (c, _) in &mut conds {
                map.condition(c);
            }
            let key = format!("{conds:?}");
            let next = self.facts.guards.len() as GuardId;
            let id = *self.guard_ids.entry(key).or_insert(next);
            if id == next {
                self.facts.guards.push(conds);
            }
            map.guards.push(id);
        }
        // What it does to the classes of the chunks before, in order (its
        // own module-level bindings come after the ones it refers to).
        for op in &chunk.ops {
            let earlier = &self.facts.scopes[MODULE_SCOPE as usize].bindings;
            let class = earlier
                .get(&op.name)
                .and_then(|b| b.get(op.index as usize))
                .and_then(|b| match b.kind {
                    BindingKind::Class(c) => Some(c),
                    _ => None,
                });
            // Always there: the chunk was walked with these bindings.
            let Some(class) = class else { continue };
            let class_id = class;
            let class = &mut self.facts.classes[class as usize];
            match &op.effect {
                ClassEffect::Attr(attr, value) => {
                    let mut value = value.clone();
                    map.expr(&mut value);
                    class
                        .self_attrs
                        .entry(attr.clone())
                        .or_default()
                        .push(value);
                }
                ClassEffect::Dynamic(row, what) => {
                    class.dynamic = true;
                    self.facts.open_sites.push(OpenSite {
                        target: OpenTarget::Class(class_id),
                        row: map.row(*row),
                        what: what.clone(),
                    });
                }
            }
        }
        let mut f = chunk.facts.clone();
        let mut scopes = std::mem::take(&mut f.scopes).into_iter();
        let Some(mut module) = scopes.next() else {
            return;
        };

        map.scope_body(&mut module);
        let target = &mut self.facts.scopes[MODULE_SCOPE as usize];
        for (name, bindings) in module.bindings {
            target.bindings.entry(name).or_default().extend(bindings);
        }
        target.narrowed.extend(module.narrowed);
        target.star_imports.extend(module.star_imports);
        target.dynamic_names |= module.dynamic_names;
        for mut s in scopes {
            map.scope(&mut s);
            self.facts.scopes.push(s);
        }
        for mut c in f.classes {
            map.class_facts(&mut c);
            self.facts.classes.push(c);
        }
        for mut func in f.functions {
            map.function(&mut func);
            self.facts.functions.push(func);
        }
        for mut i in f.imports {
            map.span(&mut i.span);
            for (_, s) in &mut i.names {
                map.span(s);
            }
            i.guard = map.guard(i.guard);
            self.facts.imports.push(i);
        }
        for mut r in f.attr_refs {
            map.expr(&mut r.expr);
            r.guard = map.guard(r.guard);
            self.facts.attr_refs.push(r);
        }
        for (name, mut e) in f.sys_modules_aliases {
            map.expr(&mut e);
            self.facts.sys_modules_aliases.push((name, e));
        }
        for mut s in f.suppressions {
            s.row = map.row(s.row);
            self.facts.suppressions.push(s);
        }
        for mut o in f.open_sites {
            o.row = map.row(o.row);
            o.target = match o.target {
                OpenTarget::Module => OpenTarget::Module,
                OpenTarget::Class(c) => OpenTarget::Class(map.class(c)),
                OpenTarget::Scope(s) => OpenTarget::Scope(map.scope_id(s)),
            };
            self.facts.open_sites.push(o);
        }
        self.facts.literal_collections.extend(f.literal_collections);
        self.facts.foreign_attr_stores.extend(f.foreign_attr_stores);
        let d = &mut self.facts.dynamic;
        d.globals_write |= f.dynamic.globals_write;
        d.setattr_self |= f.dynamic.setattr_self;
        d.sys_modules_self |= f.dynamic.sys_modules_self;
        d.meta_path_finder |= f.dynamic.meta_path_finder;
        if chunk.all_set {
            self.facts.all = f.all;
        } else if let (Some(all), Some(extra)) = (&mut self.facts.all, f.all) {
            all.extend(extra);
        }
        if !self.doc_found {
            if let Some(doc) = &chunk.doc {
                self.facts.doc = doc.clone();
                self.doc_found = true;
            }
        }
        self.facts.syntax_errors += f.syntax_errors;
        if self.facts.first_error.is_none() {
            self.facts.first_error = f.first_error.map(|(r, c)| (map.row(r), c));
        }
        for mut p in chunk.pending.iter().cloned() {
            p.scope = map.scope_id(p.scope);
            p.guard = map.guard(p.guard);
            map.span(&mut p.span);
            self.pending.push(p);
        }
        self.hasattr_pairs
            .extend(chunk.hasattr_pairs.iter().cloned());
        self.mutated.extend(chunk.mutated.iter().cloned());
    }

    /// The facts of a module without syntax errors, once all its chunks
    /// are added.
    pub(super) fn finish_clean(self) -> FileFacts {
        finish(self.facts, self.pending, self.mutated, &self.hasattr_pairs)
    }

    /// Whether the module-level bindings merged so far are, for each name
    /// the chunk looked up a class by, what they were when it was walked.
    fn assumptions_hold(&self, chunk: &ChunkFacts) -> bool {
        let earlier = &self.facts.scopes[MODULE_SCOPE as usize].bindings;
        chunk
            .assumed
            .iter()
            .all(|(name, p)| pattern(earlier.get(name)) == *p)
    }
}

/// A chunk's ids in the module's numbering, its positions where it now
/// stands.
struct Renumber {
    scope_base: u32,
    class_base: u32,
    func_base: u32,
    /// The module's guard of each of the chunk's.
    guards: Vec<GuardId>,
    bytes: i64,
    rows: i64,
}

impl Renumber {
    fn scope_id(&self, s: ScopeId) -> ScopeId {
        if s == MODULE_SCOPE {
            MODULE_SCOPE
        } else {
            self.scope_base + s - 1
        }
    }

    fn class(&self, c: ClassId) -> ClassId {
        self.class_base + c
    }

    fn func(&self, f: FuncId) -> FuncId {
        self.func_base + f
    }

    fn guard(&self, g: GuardId) -> GuardId {
        self.guards[g as usize]
    }

    fn row(&self, r: u32) -> u32 {
        (r as i64 + self.rows) as u32
    }

    fn span(&self, s: &mut Span) {
        // A `global`/`nonlocal` sentinel (dropped by `finish`).
        if s.start_row == u32::MAX {
            return;
        }
        s.start_byte = (s.start_byte as i64 + self.bytes) as u32;
        s.end_byte = (s.end_byte as i64 + self.bytes) as u32;
        s.start_row = self.row(s.start_row);
        s.end_row = self.row(s.end_row);
    }

    /// An expression is a chain (each node holds at most one other, but a
    /// subscript's type arguments, walked on their own).
    fn expr(&self, mut e: &mut Expr) {
        loop {
            e = match e {
                Expr::Name { scope, span, .. } => {
                    *scope = self.scope_id(*scope);
                    self.span(span);
                    return;
                }
                Expr::Attr { base, span, .. } => {
                    self.span(span);
                    base
                }
                Expr::Call { func, builds, .. } => {
                    *builds = builds.map(|c| self.class(c));
                    func
                }
                Expr::Subscript { value, args } => {
                    for a in args.iter_mut() {
                        self.expr(a);
                    }
                    value
                }
                Expr::Literal(_) | Expr::Unknown => return,
            }
        }
    }

    fn condition(&self, c: &mut Condition) {
        let mut pending = vec![c];
        while let Some(c) = pending.pop() {
            match c {
                Condition::HasAttr { base, .. } => self.expr(base),
                Condition::Not(inner) => pending.push(inner),
                Condition::And(all) | Condition::Or(all) => pending.extend(all.iter_mut()),
                Condition::Version { .. }
                | Condition::Platform { .. }
                | Condition::TypeChecking
                | Condition::Main
                | Condition::Unknown => {}
            }
        }
    }

    fn scope(&self, s: &mut Scope) {
        s.kind = match s.kind {
            ScopeKind::Class(c) => ScopeKind::Class(self.class(c)),
            ScopeKind::Function(f) => ScopeKind::Function(self.func(f)),
            k => k,
        };
        s.parent = s.parent.map(|p| self.scope_id(p));
        self.scope_body(s);
    }

    /// A scope's bindings and star imports (its kind and parent aside).
    fn scope_body(&self, s: &mut Scope) {
        for b in s.bindings.values_mut().flatten() {
            self.binding(b);
        }
        for st in &mut s.star_imports {
            st.guard = self.guard(st.guard);
        }
    }

    fn binding(&self, b: &mut Binding) {
        b.guard = self.guard(b.guard);
        self.span(&mut b.span);
        match &mut b.kind {
            BindingKind::Class(c) => *c = self.class(*c),
            BindingKind::Function(f) => *f = self.func(*f),
            BindingKind::Assign(e) | BindingKind::With(e) | BindingKind::Except(e) => self.expr(e),
            BindingKind::Unpack { value, .. } => self.expr(value),
            BindingKind::Annotated { annotation, value } => {
                self.expr(annotation);
                if let Some(v) = value {
                    self.expr(v);
                }
            }
            BindingKind::Param {
                annotation, role, ..
            } => {
                if let Some(a) = annotation {
                    self.expr(a);
                }
                match role {
                    ParamRole::SelfOf(c) | ParamRole::ClsOf(c) => *c = self.class(*c),
                    ParamRole::Plain | ParamRole::Variadic => {}
                }
            }
            BindingKind::Import { .. } | BindingKind::ImportFrom { .. } | BindingKind::Other => {}
        }
    }

    fn class_facts(&self, c: &mut ClassFacts) {
        self.span(&mut c.span);
        c.scope = self.scope_id(c.scope);
        c.parent_scope = self.scope_id(c.parent_scope);
        for e in c.bases.iter_mut().chain(c.metaclass.as_mut()) {
            self.expr(e);
        }
        for e in c.self_attrs.values_mut().flatten() {
            self.expr(e);
        }
    }

    fn function(&self, f: &mut FunctionFacts) {
        self.span(&mut f.span);
        f.scope = self.scope_id(f.scope);
        f.parent_scope = self.scope_id(f.parent_scope);
        f.class = f.class.map(|c| self.class(c));
        for p in &mut f.params {
            if let Some(a) = &mut p.annotation {
                self.expr(a);
            }
        }
        for e in f.returns.iter_mut().chain(f.return_exprs.iter_mut()) {
            self.expr(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tree_sitter::Point;

    /// One copy of a module with a bit of everything the merge must get
    /// right: a docstring, `__all__` set then extended, literal collections
    /// changed in place, classes given attributes from outside their body,
    /// module-level `if`/`else` and `try`, decorators, `global`, `hasattr`
    /// guards, suppressions, `sys.modules` aliases, free names.
    const MODULE: &str = r#""""Module doc."""
import os
import sys
from collections import OrderedDict  # grounded: ignore[unresolved-symbol]

__all__ = ["Store@", "helper@"]
NAMES@ = ("a", "b")
TABLE@ = {"k": "v"}

class Store@:
    """A store."""
    def __init__(self):
        self.items = OrderedDict()

    def save(self, path):
        if hasattr(os, "fspath"):
            path = os.fspath(path)
        Store@.saved = True
        return os.path.exists(path)

Store@.extra = 1
setattr(Store@, "dyn", 2)
__all__ += ["Other@"]
__all__.extend(["more"])

@decorator
def helper@(x):
    global COUNTER
    COUNTER = x
    return x.attr

if sys.version_info >= (3, 8):
    from typing import Protocol
else:
    Protocol = object

try:
    import json
except ImportError:
    json = None

if hasattr(sys, "frozen"):
    frozen = sys.frozen

def __getattr__(name):
    if name in NAMES@:
        return 1
    raise AttributeError(name)

LIST@ = ["x"]
LIST@.append("y")
sys.modules["alias@"] = os
os.environ.get("X")  # type: ignore
class Other@(Store@):
    pass
Other@.more = Store@.extra
value = undefined_name + len(NAMES@) + COUNTER
"#;

    /// What the random edits insert: statements joined and split, blocks
    /// opened and closed, strings and brackets left open, decorators,
    /// clauses, `__all__`, class attributes set from outside, deep nesting.
    const PIECES: &[&str] = &[
        "\n",
        "\n\n",
        "    ",
        ":",
        "(",
        ")",
        "[",
        "]",
        "\"\"\"",
        "'",
        "#",
        "\\\n",
        ";",
        "x",
        "Store0",
        "class Store0:\n    pass\n",
        "class Fresh:\n    def m(self):\n        self.a = 1\n",
        "def f():\n    global G\n    G = 1\n",
        "@dec\n",
        "else:\n    y = 1\n",
        "elif x:\n",
        "if hasattr(os, 'x'):\n    ",
        "__all__ += ['extra']\n",
        "__all__ = ['a']\n",
        "__all__.append('b')\n",
        "Store0.attr = 1\n",
        "setattr(Store1, 'a', 1)\n",
        "NAMES0 = ('q',)\n",
        "LIST1.append('q')\n",
        "# grounded: ignore\n",
        "  # type: ignore",
        "import sys\n",
        "sys.modules['m'] = os\n",
        "\"\"\"Doc.\"\"\"\n",
        "def __getattr__(name):\n    return name\n",
        "try:\n    import yaml\nexcept ImportError:\n    yaml = None\n",
        "fig, ax = Store0.make()\n",
        "t: tuple[Store0, Fresh] = pair()\n",
        "P = namedtuple('P', 'a b')\n",
        "v: Final[Store0] = Store0()\n",
    ];

    use crate::syntax::test_rng::Rng;

    fn point(text: &str, byte: usize) -> Point {
        let before = &text.as_bytes()[..byte];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        Point {
            row: before.iter().filter(|&&b| b == b'\n').count(),
            column: byte - line_start,
        }
    }

    fn boundary(text: &str, mut at: usize) -> usize {
        at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    /// A random edit of `text`: the edit and the new text.
    fn random_edit(rng: &mut Rng, text: &str) -> (InputEdit, String) {
        let start = boundary(text, rng.below(text.len() + 1));
        let len = [0, 0, 1, 2, 5, 20, 80, 400][rng.below(8)];
        let old_end = boundary(text, start + len);
        let mut new: String = (0..rng.below(4))
            .map(|_| PIECES[rng.below(PIECES.len())])
            .collect();
        if rng.below(40) == 0 {
            // Nesting deeper than the walk goes: the module is cut.
            new = "[".repeat(2_100);
        }
        let edited = format!("{}{}{}", &text[..start], new, &text[old_end..]);
        let edit = InputEdit {
            start_byte: start,
            old_end_byte: old_end,
            new_end_byte: start + new.len(),
            start_position: point(text, start),
            old_end_position: point(text, old_end),
            new_end_position: point(&edited, start + new.len()),
        };
        (edit, edited)
    }

    /// Incremental facts equal a fresh walk of the whole text after every
    /// one of many random edits, chunks of one to three statements (so
    /// that edits join, split and cross chunks), and most chunks are kept.
    #[test]
    fn incremental_facts_equal_a_fresh_walk_over_random_edits() {
        for (seed, per_chunk) in [(1u64, 1u64), (2, 2), (3, 3), (4, 1)] {
            let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ seed);
            let mut text: String = (0..4)
                .map(|i| MODULE.replace('@', &i.to_string()))
                .collect();
            let (_, mut tree, mut chunks) =
                parse_in_chunks(&text, None, &|| false, &|_| true, per_chunk).unwrap();
            let (mut walked, mut total) = (0, 0);
            for step in 0..150 {
                let (edit, edited) = random_edit(&mut rng, &text);
                let before = std::mem::replace(&mut text, edited);
                if let Some(t) = &mut tree {
                    t.edit(&edit);
                }
                if let Some(c) = &mut chunks {
                    c.edit(&edit);
                }
                let old = tree.as_ref().zip(chunks.as_ref());
                let (facts, new_tree, new_chunks) =
                    parse_in_chunks(&text, old, &|| false, &|_| true, per_chunk).unwrap();
                // One walk of the same tree: tree-sitter's incremental parse
                // of text with syntax errors may recover from them otherwise
                // than a parse from scratch does.
                let (whole, _) = parse_cancellable(&text, tree.as_ref(), &|| false).unwrap();
                let fresh = parse(&text);
                let mut compared = vec![(format!("{facts:?}"), format!("{whole:?}"))];
                if fresh.syntax_errors == 0 {
                    compared.push((format!("{facts:?}"), format!("{fresh:?}")));
                }
                if let Some((got, want)) = compared.into_iter().find(|(g, w)| g != w) {
                    let at = got
                        .bytes()
                        .zip(want.bytes())
                        .position(|(a, b)| a != b)
                        .unwrap_or(got.len().min(want.len()));
                    let around =
                        |s: &str| s[at.saturating_sub(400)..(at + 200).min(s.len())].to_string();
                    panic!(
                        "seed {seed}, step {step}: incremental facts differ from one walk\n\
                         incremental: …{}…\nfresh:       …{}…\nedit {edit:?} of\n{before:?}\ntext:\n{text:?}",
                        around(&got),
                        around(&want)
                    );
                }
                if let Some(c) = &new_chunks {
                    walked += c.walked;
                    total += c.len();
                }
                tree = new_tree;
                chunks = new_chunks;
                // Now and then, back to the whole module.
                if rng.below(30) == 0 {
                    text = (0..4)
                        .map(|i| MODULE.replace('@', &i.to_string()))
                        .collect();
                    (_, tree, chunks) =
                        parse_in_chunks(&text, None, &|| false, &|_| true, per_chunk).unwrap();
                }
            }
            assert!(
                walked * 3 < total,
                "seed {seed}: {walked} of {total} chunks walked again"
            );
        }
    }
}
