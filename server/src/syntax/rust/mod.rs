//! Rust front end: tree-sitter-rust → [`RustFacts`]. One pass over the tree;
//! pure, no I/O.

mod body;
pub mod cfg;
mod docs;
pub mod facts;
mod items;
pub mod macros;
mod paths;
pub mod raw_ident;
pub mod skeleton;
pub mod trait_header;

pub(crate) use items::{BUILTIN_ATTRS, STD_DERIVES};

use std::cell::RefCell;

use tree_sitter::{Node, Parser, Tree};

use crate::syntax::facts::{Span, Suppression};
use crate::syntax::nesting;
use facts::*;

macro_rules! rfield {
    ($node:expr, $name:literal) => {{
        static ID: std::sync::OnceLock<Option<std::num::NonZeroU16>> = std::sync::OnceLock::new();
        let id = *ID.get_or_init(|| {
            tree_sitter::Language::from(tree_sitter_rust::LANGUAGE).field_id_for_name($name)
        });
        id.and_then(|id| $node.child_by_field_id(id.get()))
    }};
}
pub(crate) use rfield;

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Parse `text` and extract its facts. Never fails: what did not parse is
/// counted in `syntax_errors`.
pub fn parse(text: &str) -> RustFacts {
    parse_incremental(text, None).0
}

/// Like [`parse`], reusing `old` (the previous tree with the edits since
/// applied). Returns the new tree for the next edit.
pub fn parse_incremental(text: &str, old: Option<&Tree>) -> (RustFacts, Option<Tree>) {
    // Never cancelled: always parsed.
    parse_cancellable(text, old, &|| false).unwrap_or_else(|| (Builder::new(text).finish(), None))
}

/// Like [`parse_incremental`], giving up (`None`) as soon as `cancelled`
/// says so, as tree-sitter parses and before the facts are extracted.
pub fn parse_cancellable(
    text: &str,
    old: Option<&Tree>,
    cancelled: &dyn Fn() -> bool,
) -> Option<(RustFacts, Option<Tree>)> {
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
    let facts = match nesting::shallow(text, &tree, is_body, "", reparse) {
        nesting::Shallow::Walkable => facts_of(text, &tree),
        // Too deep, and the shallow text did not parse (cancelled).
        nesting::Shallow::Unparsed => return None,
        nesting::Shallow::Cut(blanked, shallow_tree, cut) => {
            let mut facts = facts_of(&blanked, &shallow_tree);
            facts.nesting_cut = nesting::cut_of(text, &cut);
            // An item left out: the file's modules may hold names its facts
            // do not show (which module is not known once it is blanked).
            if cut.iter().any(|s| s.body != "block") {
                let reason = "an item nested too deeply, left out".to_string();
                for m in &mut facts.modules {
                    m.open_reasons.push(reason.clone());
                    m.open_lines.push(u32::MAX);
                }
            }
            facts
        }
    };
    Some((facts, Some(tree)))
}

/// Parse with the thread's parser, halting as soon as `cancelled` says so.
fn parse_tree(text: &str, old: Option<&Tree>, cancelled: &dyn Fn() -> bool) -> Option<Tree> {
    PARSER.with(|cell| {
        let language = || tree_sitter_rust::LANGUAGE.into();
        super::parser::parse_halting(cell, language, text, old, cancelled)
    })
}

/// Where a statement or item may be left out whole (blanked to spaces):
/// bodies whose entries need no separator.
fn is_body(kind: &str) -> bool {
    matches!(kind, "source_file" | "block" | "declaration_list")
}

fn facts_of(text: &str, tree: &Tree) -> RustFacts {
    let mut b = Builder::new(text);
    let root = tree.root_node();
    b.module_body(root, 0, None);
    b.suppressions();
    if root.has_error() {
        b.count_errors(root);
    }
    b.finish()
}

pub(super) fn span(n: Node) -> Span {
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

struct Builder<'s> {
    src: &'s str,
    facts: RustFacts,
    /// While a macro body is walked: its module and call (see `macros`).
    via: Option<(ModuleId, u32)>,
}

impl<'s> Builder<'s> {
    fn new(src: &'s str) -> Self {
        Builder {
            src,
            via: None,
            facts: RustFacts {
                modules: vec![RModule::default()],
                ..Default::default()
            },
        }
    }

    /// The source text of `n`; for a name, the name itself: a raw
    /// identifier `r#gen` names `gen` (written raw where `gen` is a keyword),
    /// so facts, lookups and suggestions all hold the bare name.
    fn text(&self, n: Node) -> &'s str {
        let t = self.src.get(n.byte_range()).unwrap_or("");
        match n.kind() {
            "identifier"
            | "field_identifier"
            | "type_identifier"
            | "shorthand_field_identifier" => t.strip_prefix("r#").unwrap_or(t),
            _ => t,
        }
    }

    fn finish(self) -> RustFacts {
        self.facts
    }

    fn new_scope(&mut self, parent: Option<ScopeId>, module: ModuleId) -> ScopeId {
        let id = self.facts.scopes.len() as ScopeId;
        self.facts.scopes.push(LocalScope {
            parent,
            module,
            ..Default::default()
        });
        id
    }

    fn bind_local(&mut self, scope: Option<ScopeId>, name: &str) {
        if let Some(s) = scope.and_then(|id| self.facts.scopes.get_mut(id as usize)) {
            s.names.insert(name.to_string());
        }
    }

    /// Record a variable's certain type (a second binding makes it uncertain).
    fn type_local(&mut self, scope: Option<ScopeId>, name: &str, ty: Option<VarType>) {
        if let Some(s) = scope.and_then(|id| self.facts.scopes.get_mut(id as usize)) {
            let seen = s.names.contains(name) || s.typed.contains_key(name);
            s.names.insert(name.to_string());
            if seen {
                s.typed.insert(name.to_string(), None);
            } else {
                s.typed.insert(name.to_string(), ty);
            }
        }
    }

    fn count_errors(&mut self, root: Node) {
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            if n.is_error() || n.is_missing() {
                self.facts.syntax_errors += 1;
                let p = n.start_position();
                let pos = (p.row as u32, p.column as u32);
                if self.facts.first_error.is_none_or(|f| pos < f) {
                    self.facts.first_error = Some(pos);
                }
                continue;
            }
            for c in named_children(n) {
                if c.has_error() {
                    stack.push(c);
                }
            }
            if n.has_error() && n.child_count() == 0 {
                self.facts.syntax_errors += 1;
            }
        }
    }

    /// `// grounded: ignore` and `// grounded: ignore[code, ...]` comments.
    /// The markers are visited in order and what was scanned for one is not
    /// scanned again for the next (rows, line starts, the next `]` and line
    /// end): one pass over the text, however many markers a line holds.
    fn suppressions(&mut self) {
        const MARKER: &str = "grounded: ignore";
        let src = self.src;
        let bytes = src.as_bytes();
        let (mut row, mut line_start, mut scanned) = (0u32, 0usize, 0usize);
        // Whether the line holds `//` before `scanned`.
        let mut slashes = false;
        // The first `]` and the first `\n` at or after the last position
        // asked about (the text's length when there is none).
        let (mut close, mut newline) = (0usize, 0usize);
        let next = |from: usize, at: &mut usize, byte: u8| {
            if *at < from {
                *at = bytes[from..]
                    .iter()
                    .position(|&b| b == byte)
                    .map_or(bytes.len(), |i| from + i);
            }
            *at
        };
        for (pos, _) in src.match_indices(MARKER) {
            for (i, _) in src[scanned..pos].match_indices('\n') {
                row += 1;
                line_start = scanned + i + 1;
                slashes = false;
            }
            // From one byte back: a `//` across the previous marker's start.
            let from = scanned.saturating_sub(1).max(line_start);
            slashes |= bytes[from..pos].windows(2).any(|w| w == b"//");
            scanned = pos;
            if !slashes {
                continue;
            }
            let after = pos + MARKER.len();
            let codes = (bytes.get(after) == Some(&b'[')).then(|| {
                let end = next(after, &mut close, b']');
                (end < next(after, &mut newline, b'\n')).then(|| {
                    src[after + 1..end]
                        .split(',')
                        .map(|c| c.trim().to_string())
                        .filter(|c| !c.is_empty())
                        .collect::<Vec<_>>()
                })
            });
            self.facts.suppressions.push(Suppression {
                row,
                codes: codes.flatten(),
            });
        }
    }
}

/// Collapse whitespace runs (multi-line signatures).
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

#[cfg(test)]
mod tests;
