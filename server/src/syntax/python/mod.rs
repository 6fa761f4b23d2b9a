//! Python front end: tree-sitter-python → [`FileFacts`].
//!
//! One pass over the tree collects scopes, bindings, imports, attribute chains
//! and free names; a short post-pass marks `hasattr`-guarded attributes and
//! keeps only names no scope binds. Pure: no I/O.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use tree_sitter::{Node, Parser, Tree};

use super::doc_line::first_doc_line;
use super::facts::*;
use super::nesting;

/// `field!(node, "x")` without the per-call name lookup (a linear
/// `strncmp` scan inside tree-sitter): each call site resolves its field id once.
macro_rules! field {
    ($node:expr, $name:literal) => {{
        static ID: std::sync::OnceLock<Option<std::num::NonZeroU16>> = std::sync::OnceLock::new();
        let id = *ID.get_or_init(|| {
            tree_sitter::Language::from(tree_sitter_python::LANGUAGE).field_id_for_name($name)
        });
        id.and_then(|id| $node.child_by_field_id(id.get()))
    }};
}

/// A node's kind name. `Node::kind` measures and UTF-8-checks the grammar's
/// C string on every call, and the walker asks for kinds constantly; the
/// names are looked up once per grammar symbol instead.
fn kind<'t>(n: impl std::borrow::Borrow<Node<'t>>) -> &'static str {
    static NAMES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let names = NAMES.get_or_init(|| {
        let language = tree_sitter::Language::from(tree_sitter_python::LANGUAGE);
        (0..language.node_kind_count())
            .map(|id| language.node_kind_for_id(id as u16).unwrap_or(""))
            .collect()
    });
    names
        .get(n.borrow().kind_id() as usize)
        .copied()
        .unwrap_or("")
}

mod chunks;
mod conditions;
mod control_flow;
mod definitions;
mod expressions;
mod functional_classes;
mod getattr_body;
mod imports;
mod literal_tables;
mod literals;
mod pieces;
mod statements;

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Parse `text` and extract its facts. Never fails: a file that does not parse
/// still yields the facts of what did, and `syntax_errors` says how much didn't.
pub fn parse(text: &str) -> FileFacts {
    parse_incremental(text, None).0
}

/// Like [`parse`], reusing `old` — the previous tree of this document with
/// the edits since applied (`Tree::edit`) — so tree-sitter re-parses only
/// what changed. Returns the new tree for the next edit.
pub fn parse_incremental(text: &str, old: Option<&Tree>) -> (FileFacts, Option<Tree>) {
    // Never cancelled: always parsed.
    parse_cancellable(text, old, &|| false).unwrap_or_else(|| (Builder::new(text).finish(), None))
}

/// Like [`parse_incremental`], giving up (`None`) as soon as `cancelled`
/// says so: tree-sitter asks it as it goes, and it is asked again before
/// the facts are extracted (the language server drops the analysis of a
/// version a newer one superseded).
pub fn parse_cancellable(
    text: &str,
    old: Option<&Tree>,
    cancelled: &dyn Fn() -> bool,
) -> Option<(FileFacts, Option<Tree>)> {
    // Lone `\r` line breaks as `\n`, which the grammar knows (same offsets).
    let text = &*crate::syntax::line_breaks::for_parser(text);
    let tree = parse_tree(text, old, cancelled);
    if cancelled() {
        return None;
    }
    let Some(tree) = tree else {
        return Some((Builder::new(text).finish(), None));
    };
    let reparse = |t: &str| parse_tree(t, None, cancelled);
    let facts = match nesting::shallow(text, &tree, is_body, "...", reparse) {
        nesting::Shallow::Walkable => facts_of(text, &tree),
        nesting::Shallow::Cut(blanked, shallow_tree, cut) => {
            let mut facts = facts_of(&blanked, &shallow_tree);
            damage_cut(text, &cut, &mut facts);
            facts
        }
        // Too deep, and the shallow text did not parse (cancelled).
        nesting::Shallow::Unparsed => return None,
    };
    Some((facts, Some(tree)))
}

pub use chunks::Chunks;

/// Like [`parse_cancellable`], walking the module in chunks of top-level
/// statements and returning them: given the previous analysis's tree and
/// chunks (both brought up to `text` by the edits since), only the chunks
/// an edit or a change of structure touched are walked again. The facts
/// are the ones [`parse_cancellable`] makes (see `chunks`).
///
/// `chunked` says whether the new tree is worth chunks (they are kept with
/// it); when not, the module is walked whole.
pub fn parse_with_chunks(
    text: &str,
    old: Option<(&Tree, &Chunks)>,
    cancelled: &dyn Fn() -> bool,
    chunked: &dyn Fn(&Tree) -> bool,
) -> Option<(FileFacts, Option<Tree>, Option<Chunks>)> {
    parse_in_chunks(text, old, cancelled, chunked, chunks::STATEMENTS_PER_CHUNK)
}

/// [`parse_with_chunks`] with chunks of about `per_chunk` statements.
fn parse_in_chunks(
    text: &str,
    old: Option<(&Tree, &Chunks)>,
    cancelled: &dyn Fn() -> bool,
    chunked: &dyn Fn(&Tree) -> bool,
    per_chunk: u64,
) -> Option<(FileFacts, Option<Tree>, Option<Chunks>)> {
    let text = &*crate::syntax::line_breaks::for_parser(text);
    // A large module with no tree to reuse that is mostly literal tables:
    // parsed with the tables blanked (no tree or chunks are kept: the
    // tree is not the text's).
    if old.is_none() && text.len() >= pieces::DENSE_FROM {
        let min_bytes = text.len() / 4 * 3;
        if let Some(facts) = facts_without_tables(text, min_bytes, cancelled) {
            return facts.map(|f| (f, None, None));
        }
    }
    // A large dense module with no tree to reuse: in pieces, one piece's
    // tree alive at a time (no tree or chunks are kept).
    if old.is_none() && text.len() >= pieces::DENSE_FROM {
        let dense = pieces::DENSE_NODES_PER_BYTE;
        match pieces::facts_in_pieces(text, cancelled, pieces::PIECE_BYTES, dense)? {
            pieces::Pieces::Facts(facts) => return Some((*facts, None, None)),
            pieces::Pieces::Whole => {}
        }
    }
    let tree = parse_tree(text, old.map(|o| o.0), cancelled);
    if cancelled() {
        return None;
    }
    let Some(tree) = tree else {
        return Some((Builder::new(text).finish(), None, None));
    };
    let reparse = |t: &str| parse_tree(t, None, cancelled);
    match nesting::shallow(text, &tree, is_body, "...", reparse) {
        nesting::Shallow::Walkable => {}
        nesting::Shallow::Cut(blanked, shallow_tree, cut) => {
            let mut facts = facts_of(&blanked, &shallow_tree);
            damage_cut(text, &cut, &mut facts);
            return Some((facts, Some(tree), None));
        }
        nesting::Shallow::Unparsed => return None,
    }
    if !chunked(&tree) {
        return Some((facts_of(text, &tree), Some(tree), None));
    }
    let changed: Vec<tree_sitter::Range> = old
        .map(|(old_tree, _)| old_tree.changed_ranges(&tree).collect())
        .unwrap_or_default();
    let (facts, chunks) = chunks::facts_in_chunks(
        text,
        &tree,
        old.map(|o| o.1),
        &changed,
        cancelled,
        per_chunk,
    )?;
    Some((facts, Some(tree), Some(chunks)))
}

/// The facts of `text` parsed with its literal tables blanked
/// (`literal_tables`), when they make up `min_bytes` or more of it and the
/// parse of the copy shows them where they were read: `Some(None)` when
/// cancelled, `None` when the text is to be parsed as it is.
fn facts_without_tables(
    text: &str,
    min_bytes: usize,
    cancelled: &dyn Fn() -> bool,
) -> Option<Option<FileFacts>> {
    let (copy, tables) = literal_tables::blank_tables(text, min_bytes)?;
    let tree = parse_tree(&copy, None, cancelled);
    if cancelled() {
        return Some(None);
    }
    let tree = tree?;
    if !literal_tables::tables_hold(tree.root_node(), &tables) {
        return None;
    }
    match nesting::shallow(&copy, &tree, is_body, "...", |_| None) {
        nesting::Shallow::Walkable => Some(Some(facts_of(&copy, &tree))),
        _ => None,
    }
}

/// Parse with the thread's parser, halting as soon as `cancelled` says so.
fn parse_tree(text: &str, old: Option<&Tree>, cancelled: &dyn Fn() -> bool) -> Option<Tree> {
    PARSER.with(|cell| {
        let language = || tree_sitter_python::LANGUAGE.into();
        super::parser::parse_halting(cell, language, text, old, cancelled)
    })
}

fn is_body(kind: &str) -> bool {
    matches!(kind, "module" | "block")
}

/// The statements left out count as damaged: nothing in them is reported,
/// and any word in them may be a name they bind.
fn damage_cut(text: &str, cut: &[nesting::Statement], facts: &mut FileFacts) {
    facts.nesting_cut = nesting::cut_of(text, cut);
    let d = &mut facts.damaged;
    let newlines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    let lines: Vec<(usize, usize)> = cut
        .iter()
        .map(|s| whole_lines(text, &newlines, (s.start, s.end)))
        .collect();
    for &(start, end) in &lines {
        let region = text.get(start..end);
        d.dynamic |= add_words(region, &mut d.rebound);
        d.dynamic |= add_words(region, &mut d.words);
    }
    let ranges = d.ranges.iter().map(|&(s, e)| (s as usize, e as usize));
    d.ranges = disjoint(ranges.chain(lines).collect())
        .into_iter()
        .map(|(s, e)| (s as u32, e as u32))
        .collect();
}

fn facts_of(text: &str, tree: &Tree) -> FileFacts {
    let root = tree.root_node();
    let mut b = Builder::new(text);
    b.module(root);
    b.suppressions(root, 0..text.len());
    with_errors(text, root, b.finish())
}

/// The syntax errors of the whole tree and the statements they damage,
/// added to the facts walked from it.
fn with_errors(text: &str, root: Node, mut facts: FileFacts) -> FileFacts {
    // What tree-sitter accepts and Python rejects (a dedent to no enclosing
    // level, two statements on a line) is a syntax error like the rest.
    let misplaced = misplaced_statements(text, root);
    if root.has_error() || !misplaced.is_empty() {
        let errors = error_nodes(root);
        facts.syntax_errors = ((errors.len() + misplaced.len()) as u32).max(1);
        let first = errors
            .iter()
            .chain(&misplaced)
            .map(|n| {
                let p = n.start_position();
                (p.row as u32, p.column as u32)
            })
            .min();
        facts.first_error = first.or(facts.first_error);
        facts.damaged = damaged(text, root, &errors, &misplaced);
    }
    facts
}

/// The ERROR and MISSING nodes, descending only into subtrees that have one.
fn error_nodes(root: Node) -> Vec<Node> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        if n.is_error() || n.is_missing() {
            out.push(n);
            continue;
        }
        let mut cursor = n.walk();
        for c in n.children(&mut cursor) {
            if c.has_error() {
                stack.push(c);
            }
        }
    }
    out
}

/// The byte ranges of the strings that span lines.
fn multiline_strings(root: Node, out: &mut Vec<(usize, usize)>) {
    let mut cursor = root.walk();
    'nodes: loop {
        let n = cursor.node();
        let multiline = kind(n) == "string" && n.start_position().row != n.end_position().row;
        if multiline {
            out.push((n.start_byte(), n.end_byte()));
        } else if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'nodes;
            }
            if !cursor.goto_parent() {
                break 'nodes;
            }
        }
    }
}

/// The first node from `n` on (going back or forth) that is no comment.
fn statement_sibling(mut n: Option<Node>, back: bool) -> Option<Node> {
    while let Some(s) = n {
        if kind(s) != "comment" {
            return Some(s);
        }
        n = if back {
            s.prev_named_sibling()
        } else {
            s.next_named_sibling()
        };
    }
    None
}

/// Statements tree-sitter accepts and Python does not: one that does not
/// start at its block's indentation (the module's: none) — tree-sitter
/// takes a dedent to no enclosing level as the end of the block —, one on
/// a later line of a block begun on its header's line, and one that shares
/// a line with the statement before it with no `;` between them (the
/// `def` of `'''…'''def f():`, once a stray quote turned code into a
/// string), and a `try` without a handler.
fn misplaced_statements<'t>(text: &str, root: Node<'t>) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut bodies = vec![root];
    while let Some(body) = bodies.pop() {
        let mut indent = (kind(body) == "module").then_some("");
        // The block's first statement is on its header's line.
        let mut inline = false;
        let mut prev: Option<Node> = None;
        for stmt in named_children(body) {
            match kind(stmt) {
                "comment" => continue,
                "ERROR" => {
                    prev = Some(stmt);
                    continue;
                }
                _ => {}
            }
            let misplaced = match (line_indent(text, root, stmt.start_byte()), prev) {
                (Some(_), _) if inline => true,
                (Some(own), _) => match indent {
                    None => {
                        indent = Some(own);
                        false
                    }
                    Some(expected) => expected != own,
                },
                (None, None) => {
                    inline = kind(body) == "block";
                    false
                }
                (None, Some(p)) => {
                    let between = text.get(p.end_byte()..stmt.start_byte()).unwrap_or("");
                    let mut separator =
                        between.chars().filter(|c| !c.is_whitespace() && *c != '\\');
                    separator.next() != Some(';') || separator.next().is_some()
                }
            };
            // A `try` with no handler (its `except` line was garbled).
            let bare_try = kind(stmt) == "try_statement"
                && !named_children(stmt)
                    .iter()
                    .any(|c| matches!(kind(c), "except_clause" | "finally_clause"));
            if misplaced || bare_try {
                out.push(stmt);
            }
            nested_bodies(stmt, &mut bodies);
            prev = Some(stmt);
        }
    }
    out
}

/// The blocks of a compound statement, through its clauses.
fn nested_bodies<'t>(n: Node<'t>, out: &mut Vec<Node<'t>>) {
    for c in named_children(n) {
        match kind(c) {
            "block" => out.push(c),
            k if k.ends_with("_clause")
                || matches!(k, "function_definition" | "class_definition") =>
            {
                nested_bodies(c, out)
            }
            _ => {}
        }
    }
}

/// The indentation of the line `byte` is on when only whitespace precedes
/// it there and the line before does not continue into it (a `\\` that
/// ends it outside a comment); a form feed resets it, as in Python's
/// tokenizer.
///
/// Only the whitespace before `byte` is walked back over, never the rest of
/// its line: statements sharing one long line (`a = 1; b = 2; …`) cost no
/// more than they are long.
fn line_indent<'s>(text: &'s str, root: Node, byte: usize) -> Option<&'s str> {
    let before = text.get(..byte)?;
    let start = before.trim_end_matches([' ', '\t', '\x0c']).len();
    if start > 0 && !before[..start].ends_with('\n') {
        return None;
    }
    let previous = before[..start.saturating_sub(1)].trim_end_matches('\r');
    if previous.ends_with('\\') {
        let at = previous.len() - 1;
        let in_comment = root
            .descendant_for_byte_range(at, at + 1)
            .is_some_and(|n| kind(n) == "comment");
        if !in_comment {
            return None;
        }
    }
    let line = &before[start..];
    Some(&line[line.rfind('\x0c').map_or(0, |i| i + 1)..])
}

/// Words that, in a damaged statement, may bind names no word shows or
/// make a missing name expected.
const DAMAGED_DYNAMIC: &[&str] = &[
    "globals",
    "locals",
    "vars",
    "exec",
    "execfile",
    "eval",
    "setattr",
    "__dict__",
    "__builtins__",
    "NameError",
];

/// The lines of the statements around syntax errors. The core: the
/// statement holding each ERROR or MISSING node (its ancestor just below a
/// `module` or `block`; the whole file when the root itself is the error),
/// and for a misplaced statement the one before it too (what tree-sitter
/// read into it: `for x in` over two lines takes the next line's name).
/// Around the core: the statement after it (`try` without its colon leaves
/// `import json` as the statement `json`), the one before an error with a
/// line that starts a clause (`except`, `else`: the statement it belonged
/// to), and every string over several lines (a stray `'''` turns code into a
/// string and the string after it into code).
fn damaged(text: &str, root: Node, errors: &[Node], misplaced: &[Node]) -> Damaged {
    let mut core: Vec<(usize, usize)> = Vec::new();
    let mut around: Vec<(usize, usize)> = Vec::new();
    let statements = errors.iter().map(|&e| (e, false));
    for (e, with_previous) in statements.chain(misplaced.iter().map(|&m| (m, true))) {
        let mut stmt = e;
        while let Some(p) = stmt.parent() {
            if matches!(kind(p), "module" | "block") {
                break;
            }
            stmt = p;
        }
        if stmt.id() == root.id() {
            core.push((0, text.len()));
            continue;
        }
        let mut start = stmt.start_byte();
        let previous = statement_sibling(stmt.prev_named_sibling(), true);
        if let Some(prev) = previous {
            if with_previous {
                start = prev.start_byte();
            } else if text
                .get(e.byte_range())
                .is_some_and(|t| t.lines().any(starts_clause))
            {
                // `except ImportError` without its colon: the `try` before
                // lost its handler, its imports look unguarded.
                around.push((prev.start_byte(), prev.end_byte()));
            }
        }
        core.push((start, stmt.end_byte()));
        if let Some(next) = statement_sibling(stmt.next_named_sibling(), false) {
            around.push((next.start_byte(), next.end_byte()));
        }
    }
    multiline_strings(root, &mut around);
    let mut out = Damaged::default();
    // Whole lines: a stray quote moves string boundaries within its line
    // (`cmd = set -x; ' + cmd`), whatever statement the error lands in.
    let newlines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    let core = disjoint(
        core.into_iter()
            .map(|r| whole_lines(text, &newlines, r))
            .collect(),
    );
    for &(start, end) in &core {
        out.dynamic |= add_words(text.get(start..end), &mut out.rebound);
    }
    around.extend(core);
    let around = around
        .into_iter()
        .map(|r| whole_lines(text, &newlines, r))
        .collect();
    for (start, end) in disjoint(around) {
        out.ranges.push((start as u32, end as u32));
        out.dynamic |= add_words(text.get(start..end), &mut out.words);
    }
    out
}

/// Whether a piece of code starts with the keyword of a clause that
/// continues the compound statement before it.
fn starts_clause(code: &str) -> bool {
    let word = code
        .trim_start()
        .split(|c: char| c != '_' && !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    matches!(word, "except" | "else" | "elif" | "finally" | "case")
}

/// A byte range grown to the lines it touches (without the last line
/// break); `newlines`: the offsets of the text's `\n`s, searched rather than
/// the text (many ranges on one long line would each scan it).
fn whole_lines(text: &str, newlines: &[usize], (start, end): (usize, usize)) -> (usize, usize) {
    let end = end.min(text.len());
    let start = start.min(end);
    let before = newlines.partition_point(|&n| n < start);
    let start = before.checked_sub(1).map_or(0, |i| newlines[i] + 1);
    let after = newlines.partition_point(|&n| n < end);
    let end = newlines.get(after).copied().unwrap_or(text.len());
    (start, end)
}

/// Sorted, disjoint ranges covering the same bytes.
fn disjoint(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    ranges.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (start, end) in ranges {
        match out.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

/// Adds the words of a damaged region to `words`; true when the region
/// may bind names no word shows (or is not text: nodes end on tokens, so
/// never).
fn add_words(region: Option<&str>, words: &mut BTreeSet<Box<str>>) -> bool {
    let Some(region) = region else {
        return true;
    };
    let mut dynamic = false;
    for run in region.split(|c: char| c != '_' && !c.is_alphanumeric()) {
        // A number glued to a name (`%.3fs` of a string become code, `0x1fg`)
        // lexes as the number, then the name: every tail that can start a
        // name may be one.
        let from_digit = run.starts_with(|c: char| c.is_ascii_digit());
        let tails = run
            .char_indices()
            .filter(|(_, c)| !c.is_ascii_digit())
            .take(if from_digit { usize::MAX } else { 1 })
            .map(|(i, _)| &run[i..]);
        for word in tails {
            dynamic |= DAMAGED_DYNAMIC.contains(&word);
            words.insert(word.into());
        }
    }
    // `from m import *`, `from m import (*`
    dynamic |= region.match_indices("import").any(|(i, _)| {
        region[i + "import".len()..]
            .trim_start_matches(|c: char| c.is_whitespace() || c == '(' || c == '\\')
            .starts_with('*')
    });
    dynamic
}

#[derive(Clone)]
struct PendingName {
    name: Box<str>,
    scope: ScopeId,
    span: Span,
    guard: GuardId,
    in_try_name: bool,
}

struct Builder<'s> {
    src: &'s str,
    facts: FileFacts,
    scope: ScopeId,
    guard_stack: Vec<(Condition, bool)>,
    guard_ids: BTreeMap<String, GuardId>,
    current_guard: GuardId,
    try_import: u32,
    /// Depth of `except ImportError:` handlers being walked.
    fallback: u32,
    try_attr: u32,
    try_name: u32,
    type_checking: u32,
    /// Depth of annotations being walked.
    annotation: u32,
    pending_names: Vec<PendingName>,
    /// (dotted base text, attribute) pairs seen in hasattr/getattr calls.
    hasattr_pairs: HashSet<(String, String)>,
    /// (scope, name) → the scope a `global`/`nonlocal` declaration names.
    declarations: HashMap<(ScopeId, Box<str>), ScopeId>,
    /// The conditions of the `and`/`or` expressions met, by node id.
    conditions: RefCell<HashMap<usize, Condition>>,
    /// The `for NAME in <literal list>:` loops being walked, innermost last.
    literal_loops: Vec<(Box<str>, Vec<Box<str>>)>,
    /// Names of collections changed in place somewhere in the file.
    mutated_collections: BTreeSet<Box<str>>,
    /// While a `__getattr__`-like body is read: its locals derived from the
    /// parameter (see `getattr_body.rs`).
    getattr_aliases: HashMap<Box<str>, getattr_body::GetattrAlias>,
    /// `__all__ = …` was met (a chunk's `__all__ +=` before it extends the
    /// `__all__` of the statements before the chunk: see `chunks`).
    all_set: bool,
    /// Walking one chunk of the module's statements (`chunks`): the
    /// module-level bindings of the chunks before, and what the chunk did
    /// with them.
    chunk: Option<chunks::ChunkWalk<'s>>,
}

/// The class a name is bound to, as `Builder::class_named` finds it.
enum Named {
    /// One of the walk's own classes.
    Here(ClassId),
    /// In a chunk: the class of the module-level binding at this index of
    /// the name's bindings in the chunks before.
    Before(u8),
}

impl Builder<'_> {
    /// Record what made `target` open, at `n`, for `--why` (beside the flag
    /// the caller sets).
    pub(super) fn open_site(&mut self, target: OpenTarget, n: Node, what: impl Into<Box<str>>) {
        self.facts.open_sites.push(OpenSite {
            target,
            row: n.start_position().row as u32,
            what: what.into(),
        });
    }
}

fn span(n: Node) -> Span {
    let s = n.start_position();
    let e = n.end_position();
    Span {
        start_byte: n.start_byte() as u32,
        end_byte: n.end_byte() as u32,
        start_row: s.row as u32,
        start_col: s.column as u32,
        end_row: e.row as u32,
        end_col: e.column as u32,
    }
}

fn named_children<'t>(n: Node<'t>) -> Vec<Node<'t>> {
    let mut cursor = n.walk();
    n.named_children(&mut cursor).collect()
}

fn is_dunder(name: &str) -> bool {
    name.len() > 4 && name.starts_with("__") && name.ends_with("__")
}

impl<'s> Builder<'s> {
    fn new(src: &'s str) -> Self {
        let module_scope = Scope {
            kind: ScopeKind::Module,
            parent: None,
            bindings: BTreeMap::new(),
            narrowed: BTreeSet::new(),
            star_imports: Vec::new(),
            dynamic_names: false,
        };
        Builder {
            src,
            facts: FileFacts {
                scopes: vec![module_scope],
                classes: Vec::new(),
                functions: Vec::new(),
                imports: Vec::new(),
                attr_refs: Vec::new(),
                free_names: Vec::new(),
                guards: vec![Vec::new()],
                all: None,
                dynamic: DynamicModule::default(),
                literal_collections: BTreeMap::new(),
                sys_modules_aliases: Vec::new(),
                suppressions: Vec::new(),
                foreign_attr_stores: BTreeSet::new(),
                doc: None,
                syntax_errors: 0,
                first_error: None,
                damaged: Damaged::default(),
                nesting_cut: None,
                open_sites: Vec::new(),
            },
            scope: MODULE_SCOPE,
            guard_stack: Vec::new(),
            guard_ids: BTreeMap::new(),
            current_guard: 0,
            try_import: 0,
            fallback: 0,
            try_attr: 0,
            try_name: 0,
            type_checking: 0,
            annotation: 0,
            pending_names: Vec::new(),
            hasattr_pairs: HashSet::new(),
            declarations: HashMap::new(),
            conditions: RefCell::new(HashMap::new()),
            literal_loops: Vec::new(),
            mutated_collections: BTreeSet::new(),
            getattr_aliases: HashMap::new(),
            all_set: false,
            chunk: None,
        }
    }

    fn text(&self, n: Node) -> &'s str {
        self.src.get(n.byte_range()).unwrap_or("")
    }

    fn push_scope(&mut self, kind: ScopeKind) -> ScopeId {
        let id = self.facts.scopes.len() as ScopeId;
        self.facts.scopes.push(Scope {
            kind,
            parent: Some(self.scope),
            bindings: BTreeMap::new(),
            narrowed: BTreeSet::new(),
            star_imports: Vec::new(),
            dynamic_names: false,
        });
        id
    }

    fn bind_in(&mut self, scope: ScopeId, name: &str, kind: BindingKind, at: Node) {
        let binding = Binding {
            kind,
            guard: self.current_guard,
            in_try_import: self.try_import > 0,
            in_fallback: self.fallback > 0,
            span: span(at),
        };
        self.facts.scopes[scope as usize]
            .bindings
            .entry(name.into())
            .or_default()
            .push(binding);
    }

    /// Bind in the current scope, honouring `global` / `nonlocal` declarations
    /// (recorded as `Other` bindings in the scope they name).
    fn bind(&mut self, name: &str, kind: BindingKind, at: Node) {
        let target = self.declared_target(name).unwrap_or(self.scope);
        let kind = if target != self.scope {
            BindingKind::Other
        } else {
            kind
        };
        self.bind_in(target, name, kind, at);
    }

    /// The scope a `global`/`nonlocal` declaration in the current scope
    /// sends `name` to. (The declaration also leaves a sentinel binding, so
    /// the name counts as bound here while free names are resolved.)
    fn declared_target(&self, name: &str) -> Option<ScopeId> {
        self.declarations
            .get(&(self.scope, Box::from(name)))
            .copied()
    }

    fn nearest_non_comprehension(&self) -> ScopeId {
        let mut id = self.scope;
        while matches!(
            self.facts.scopes[id as usize].kind,
            ScopeKind::Comprehension
        ) {
            id = self.facts.scopes[id as usize]
                .parent
                .unwrap_or(MODULE_SCOPE);
        }
        id
    }

    fn enter_guard(&mut self, cond: Condition, truth: bool) -> GuardId {
        let saved = self.current_guard;
        self.guard_stack.push((cond, truth));
        let key = format!("{:?}", self.guard_stack);
        let next_id = self.facts.guards.len() as GuardId;
        let id = *self.guard_ids.entry(key).or_insert(next_id);
        if id == next_id {
            self.facts.guards.push(self.guard_stack.clone());
        }
        self.current_guard = id;
        saved
    }

    fn leave_guard(&mut self, saved: GuardId) {
        self.guard_stack.pop();
        self.current_guard = saved;
    }

    fn module(&mut self, root: Node) {
        self.facts.doc = self.docstring(root);
        self.block(root);
    }

    fn finish(self) -> FileFacts {
        finish(
            self.facts,
            self.pending_names,
            self.mutated_collections,
            &self.hasattr_pairs,
        )
    }

    fn block(&mut self, n: Node) {
        for child in named_children(n) {
            self.statement(child);
        }
    }

    fn docstring(&self, body: Node) -> Option<String> {
        let first = named_children(body)
            .into_iter()
            .find(|c| kind(c) != "comment")?;
        self.docstring_of(first)
    }

    /// The first line of the docstring `first`, a body's first statement
    /// (not a comment), starts with.
    fn docstring_of(&self, first: Node) -> Option<String> {
        if kind(first) != "expression_statement" {
            return None;
        }
        let s = first.named_child(0)?;
        if kind(s) != "string" {
            return None;
        }
        let content: String = named_children(s)
            .into_iter()
            .filter(|c| kind(c) == "string_content")
            .map(|c| self.text(c))
            .collect();
        first_doc_line(&content)
    }

    fn note_error(&mut self, n: Node) {
        self.facts.syntax_errors += 1;
        if self.facts.first_error.is_none() {
            let p = n.start_position();
            self.facts.first_error = Some((p.row as u32, p.column as u32));
        }
    }

    /// Comments are extras that may sit anywhere in the tree, so suppressions
    /// are found by a text scan and confirmed against the tree; the walker's
    /// visits to comment nodes do nothing.
    fn comment(&mut self, _n: Node) {}

    /// The suppression comments of the text in `within` (whole lines:
    /// the statements of a chunk, or the whole file).
    fn suppressions(&mut self, root: Node, within: std::ops::Range<usize>) {
        let src = self.src.get(within.clone()).unwrap_or("");
        let mut seen_rows = HashSet::new();
        for marker in ["grounded: ignore", "type: ignore", "pyright: ignore"] {
            for (pos, _) in src.match_indices(marker) {
                let pos = within.start + pos;
                let Some(node) = root.descendant_for_byte_range(pos, pos) else {
                    continue;
                };
                if kind(node) == "comment" && seen_rows.insert((node.start_byte(), marker)) {
                    self.suppression_comment(node);
                }
            }
        }
        // Sorted by line, for the binary search of `FileFacts::suppressed`.
        self.facts.suppressions.sort_by_key(|s| s.row);
    }

    fn suppression_comment(&mut self, n: Node) {
        let text = self.text(n);
        // A line its authors marked as a known type error (`# type: ignore`,
        // `# pyright: ignore`) is deliberately dynamic: say nothing there.
        if text.contains("type: ignore") || text.contains("pyright: ignore") {
            self.facts.suppressions.push(Suppression {
                row: n.start_position().row as u32,
                codes: None,
            });
        }
        let Some(pos) = text.find("grounded: ignore") else {
            return;
        };
        let rest = &text[pos + "grounded: ignore".len()..];
        let codes = rest.strip_prefix('[').and_then(|r| {
            let end = r.find(']')?;
            Some(
                r[..end]
                    .split(',')
                    .map(|c| c.trim().to_string())
                    .filter(|c| !c.is_empty())
                    .collect::<Vec<_>>(),
            )
        });
        self.facts.suppressions.push(Suppression {
            row: n.start_position().row as u32,
            codes,
        });
    }
}

/// What ends a walk of the whole module (or the merge of its chunks):
/// keep the names read that no visible scope binds, forget the literal
/// collections changed in place, drop the `global`/`nonlocal` sentinels and
/// mark the attributes `hasattr`/`getattr` guard.
fn finish(
    mut facts: FileFacts,
    pending: Vec<PendingName>,
    mutated: BTreeSet<Box<str>>,
    hasattr_pairs: &HashSet<(String, String)>,
) -> FileFacts {
    // In source order (a chunked walk records a statement's change to a
    // class of an earlier chunk when the chunks merge, not where it is).
    facts.open_sites.sort_by_key(|o| o.row);
    // Keep only names that no visible scope binds.
    for p in pending {
        if facts.binding_scope(p.scope, &p.name).is_none() {
            facts.free_names.push(FreeName {
                name: p.name,
                scope: p.scope,
                span: p.span,
                guard: p.guard,
                in_try_name: p.in_try_name,
            });
        }
    }
    // A collection changed in place is not the literal it was written as.
    for name in mutated {
        facts.literal_collections.remove(&name);
    }
    // Drop the global/nonlocal sentinels.
    for scope in &mut facts.scopes {
        scope.bindings.retain(|_, v| {
            v.retain(|b| b.span.start_row != u32::MAX);
            !v.is_empty()
        });
    }
    if !hasattr_pairs.is_empty() {
        for r in &mut facts.attr_refs {
            mark_guarded(&mut r.expr, hasattr_pairs);
        }
    }
    facts
}

fn first_identifier(n: Node) -> Option<Node> {
    if kind(n) == "identifier" {
        return Some(n);
    }
    let mut cursor = n.walk();
    let found = n.named_children(&mut cursor).find_map(|c| {
        if kind(c) == "identifier" {
            Some(c)
        } else {
            first_identifier(c)
        }
    });
    found
}

/// `X.__new__`, `super().__new__`, `object.__new__`.
fn is_new_call(func: &Expr) -> bool {
    matches!(func, Expr::Attr { attr, .. } if &**attr == "__new__")
}

fn contains_attr(e: &Expr) -> bool {
    match e {
        Expr::Attr { .. } => true,
        Expr::Call { func, .. } => contains_attr(func),
        Expr::Subscript { value, .. } => contains_attr(value),
        _ => false,
    }
}

fn mark_guarded(e: &mut Expr, pairs: &HashSet<(String, String)>) {
    match e {
        Expr::Attr {
            base,
            attr,
            guarded,
            ..
        } => {
            if let Some(b) = base.dotted() {
                if pairs.contains(&(b, attr.to_string())) {
                    *guarded = true;
                }
            }
            mark_guarded(base, pairs);
        }
        Expr::Call { func, .. } => mark_guarded(func, pairs),
        Expr::Subscript { value, .. } => mark_guarded(value, pairs),
        _ => {}
    }
}

/// Collapse whitespace runs (multi-line annotations and defaults).
fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for ch in s.chars() {
        if ch.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(ch);
        }
    }
    out
}

/// Whether a name is a dunder (`__x__`): never reported as a member.
pub fn dunder(name: &str) -> bool {
    is_dunder(name)
}

#[cfg(test)]
mod cancel_tests {
    use super::*;

    /// A cancelled parse gives nothing, and leaves the thread's parser
    /// ready for the next text (not resuming the halted one).
    #[test]
    fn a_cancelled_parse_leaves_the_parser_clean() {
        let big: String = (0..20_000).map(|i| format!("x{i} = {i}\n")).collect();
        assert!(parse_cancellable(&big, None, &|| true).is_none());
        let (facts, tree) = parse_cancellable("import os\nos.path\n", None, &|| false).unwrap();
        assert_eq!(facts.imports.len(), 1);
        assert_eq!(facts.syntax_errors, 0);
        assert_eq!(tree.unwrap().root_node().end_byte(), 18);
        // Cancelled half way (after some progress): the same.
        let calls = std::cell::Cell::new(0);
        let halfway = || {
            calls.set(calls.get() + 1);
            calls.get() > 3
        };
        assert!(parse_cancellable(&big, None, &halfway).is_none());
        let (facts, _) = parse_cancellable("import json\n", None, &|| false).unwrap();
        assert_eq!(&*facts.imports[0].module, "json");
    }
}
