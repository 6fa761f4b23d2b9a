//! A bound on how deeply the fact builders descend.
//!
//! The builders of both languages walk the syntax tree recursively, and so do
//! the analyses over the facts they make (an attribute chain is a nested
//! [`Expr`](super::facts::Expr)). Valid code can nest as deep as anyone likes
//! (`a + a + … + a` with 100,000 terms, 100,000 nested blocks), and a
//! recursion that deep overflows the stack, which aborts the process: the
//! language server and the editor session with it.
//!
//! So the tree is measured first, without recursion: a statement holding a
//! node deeper than [`MAX_DEPTH`] is blanked out — replaced by whitespace of
//! the same length, line breaks kept, so every offset and position of the
//! rest stays — and the file is parsed again. Everything else is checked as
//! usual; the statement itself is not, and the front ends say so with a
//! note ([`NestingCut`]). The threads that build and analyse facts get
//! stacks sized for this bound (see `crate::stack`).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use tree_sitter::{Node, Tree};

/// Deepest syntax-tree node the builders visit. CPython compiles `a + … + a`
/// of about 1,100 terms and refuses more; no hand-written code comes near.
pub const MAX_DEPTH: usize = 2_000;

/// Where a file's first too-deep statement starts, for the note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NestingCut {
    /// Byte offset, 1-based line and column (in characters) of the first
    /// statement left out.
    pub start_byte: u32,
    pub line: u32,
    pub column: u32,
    /// How many statements were left out.
    pub statements: u32,
}

impl NestingCut {
    /// The note's text after the position: "nesting deeper than N levels; …".
    pub fn message(&self) -> String {
        let what = if self.statements == 1 {
            "this statement is".to_string()
        } else {
            format!("{} statements (the first here) are", self.statements)
        };
        format!("nesting deeper than {MAX_DEPTH} levels; {what} not checked")
    }
}

/// A statement left out: its byte range and the kind of the body holding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Statement {
    pub start: usize,
    pub end: usize,
    pub body: &'static str,
}

/// The previous tree of a document, edited to the new text, that an
/// incremental parse reuses; `walkable` when [`shallow`] found nothing too
/// deep in it.
#[derive(Clone, Copy)]
pub struct Previous<'t> {
    pub tree: &'t Tree,
    pub walkable: bool,
}

impl Previous<'_> {
    /// The ids of the root's children known to nest no deeper than the
    /// bound: all of them when the previous tree was walkable. A node id is
    /// its subtree's address, and the previous tree is alive while the new
    /// one is measured, so a child of the new tree with one of these ids is
    /// that very subtree, reused by the incremental parse.
    fn shallow_children(&self) -> HashSet<usize> {
        if !self.walkable {
            return HashSet::new();
        }
        let root = self.tree.root_node();
        let mut cursor = root.walk();
        root.children(&mut cursor).map(|c| c.id()).collect()
    }
}

/// The statements that hold a node deeper than `max_depth`, in source
/// order. A statement is a node whose parent's kind `is_body` accepts (a
/// module, a block); the walk never descends into one it has cut, so its
/// cost is linear in the size of the tree.
pub fn too_deep(tree: &Tree, max_depth: usize, is_body: fn(&str) -> bool) -> Vec<Statement> {
    too_deep_except(tree, max_depth, is_body, &HashSet::new())
}

/// [`too_deep`], not descending into the root's children whose ids are in
/// `known`: after a keystroke, only the top-level statements the
/// incremental parse made anew are walked.
fn too_deep_except(
    tree: &Tree,
    max_depth: usize,
    is_body: fn(&str) -> bool,
    known: &HashSet<usize>,
) -> Vec<Statement> {
    let mut out = Vec::new();
    let mut cursor = tree.walk();
    // The nodes from the root down to the cursor.
    let mut path: Vec<Node> = vec![cursor.node()];
    'walk: loop {
        if path.len() > max_depth {
            // The innermost statement on the path: cut it, go on after it.
            let cut = (1..path.len())
                .rev()
                .find(|&i| is_body(path[i - 1].kind()))
                .unwrap_or(0);
            let stmt = path[cut];
            out.push(Statement {
                start: stmt.start_byte(),
                end: stmt.end_byte(),
                body: cut.checked_sub(1).map_or("", |i| path[i].kind()),
            });
            while path.len() > cut + 1 {
                cursor.goto_parent();
                path.pop();
            }
            if cut == 0 {
                // No statement holds it (no body kind on the path): the file.
                break;
            }
        } else if !(path.len() == 2 && known.contains(&cursor.node().id()))
            && cursor.goto_first_child()
        {
            path.push(cursor.node());
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                *path.last_mut().expect("the path holds the cursor") = cursor.node();
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
            path.pop();
        }
    }
    out
}

/// What [`shallow`] makes of a tree.
pub enum Shallow {
    /// Nothing too deep: the tree may be walked as it is.
    Walkable,
    /// The blanked text, its tree, and the statements left out.
    Cut(String, Tree, Vec<Statement>),
    /// Too deep, and the blanked text gave no tree (the parse was
    /// cancelled): nothing may walk the tree.
    Unparsed,
}

/// When `tree` nests deeper than a builder may walk: the text with the
/// too-deep statements blanked (see [`blank`]), its tree made by `parse`,
/// and the ranges left out. Blanking can change how error recovery reads
/// the rest, so the new tree is measured too; the file is blanked whole as
/// a last resort. `previous`, the tree `tree` was parsed from, spares the
/// walk of what it shares with it.
pub fn shallow(
    text: &str,
    tree: &Tree,
    previous: Option<Previous>,
    is_body: fn(&str) -> bool,
    filler: &str,
    parse: impl Fn(&str) -> Option<Tree>,
) -> Shallow {
    let known = previous.map(|p| p.shallow_children()).unwrap_or_default();
    let mut cut = too_deep_except(tree, MAX_DEPTH, is_body, &known);
    if cut.is_empty() {
        return Shallow::Walkable;
    }
    for _ in 0..3 {
        let blanked = blank(text, &cut, filler);
        let Some(t) = parse(&blanked) else {
            return Shallow::Unparsed;
        };
        let more = too_deep(&t, MAX_DEPTH, is_body);
        if more.is_empty() {
            return Shallow::Cut(blanked, t, cut);
        }
        cut.extend(more);
        cut.sort_unstable();
        cut.dedup();
    }
    let cut = vec![Statement {
        start: 0,
        end: text.len(),
        body: "",
    }];
    let blanked = blank(text, &cut, "");
    match parse(&blanked) {
        Some(t) => Shallow::Cut(blanked, t, cut),
        None => Shallow::Unparsed,
    }
}

/// `text` with each range replaced by `filler` and then spaces, line breaks
/// kept (where `filler` does not fit, spaces alone).
pub fn blank(text: &str, statements: &[Statement], filler: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for &Statement { start, end, .. } in statements {
        let end = end.min(bytes.len());
        for b in &mut bytes[start.min(end)..end] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
        let room = bytes[start.min(end)..end]
            .iter()
            .take_while(|&&b| b == b' ')
            .count();
        if filler.len() <= room {
            bytes[start..start + filler.len()].copy_from_slice(filler.as_bytes());
        }
    }
    // Whole characters become spaces (statements start and end on tokens);
    // the lossy conversion only keeps this total.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The cut for the note, from the statements left out of `text`.
pub fn cut_of(text: &str, statements: &[Statement]) -> Option<NestingCut> {
    let start = statements.first()?.start;
    let (line, column) = crate::syntax::line_breaks::line_col(text, start);
    Some(NestingCut {
        start_byte: start as u32,
        line: line as u32,
        column: column as u32,
        statements: statements.len() as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn python(text: &str) -> Tree {
        let mut p = tree_sitter::Parser::new();
        p.set_language(&tree_sitter_python::LANGUAGE.into())
            .unwrap();
        p.parse(text, None).unwrap()
    }

    fn is_python_body(kind: &str) -> bool {
        matches!(kind, "module" | "block")
    }

    #[test]
    fn shallow_code_is_left_whole() {
        let t = python("import os\nx = os.path.join('a', [1, (2, 3)])\n");
        assert!(too_deep(&t, 20, is_python_body).is_empty());
    }

    #[test]
    fn the_innermost_statement_holding_a_deep_node_is_cut() {
        let deep = format!("x = {}1{}", "[".repeat(30), "]".repeat(30));
        let text = format!("import os\ndef f():\n    y = 1\n    {deep}\n    return y\nz = 2\n");
        let t = python(&text);
        let cut = too_deep(&t, 20, is_python_body);
        assert_eq!(cut.len(), 1);
        assert_eq!(&text[cut[0].start..cut[0].end], deep);
        assert_eq!(cut[0].body, "block");
        let blanked = blank(&text, &cut, "...");
        assert_eq!(blanked.len(), text.len());
        assert!(blanked.contains("\n    ...   "));
        assert!(blanked.contains("    return y\nz = 2\n"));
        let again = python(&blanked);
        assert!(!again.root_node().has_error());
        assert!(too_deep(&again, 20, is_python_body).is_empty());
    }

    #[test]
    fn every_deep_statement_is_cut_once() {
        let deep = format!("{}1{}", "(".repeat(40), ")".repeat(40));
        let text = format!("a = {deep}\nb = 1\nc = {deep}\n");
        let cut = too_deep(&python(&text), 20, is_python_body);
        assert_eq!(cut.len(), 2);
        let found = cut_of(&text, &cut).unwrap();
        assert_eq!((found.line, found.column, found.statements), (1, 1, 2));
        assert!(found.message().contains("2 statements"));
    }

    #[test]
    fn line_breaks_survive_blanking() {
        let text = "x = [\n1,\r\n2]\ny = 3\n";
        let whole = Statement {
            start: 0,
            end: 12,
            body: "module",
        };
        let blanked = blank(text, &[whole], "...");
        assert_eq!(blanked, "...  \n  \r\n  \ny = 3\n");
    }

    /// `text[..at]` + `insert` + `text[at..]`, the previous tree edited to it.
    fn edited(text: &str, tree: &Tree, at: usize, insert: &str) -> (String, Tree) {
        let new = format!("{}{insert}{}", &text[..at], &text[at..]);
        let point = |t: &str, b: usize| {
            let row = t[..b].matches('\n').count();
            tree_sitter::Point::new(row, b - t[..b].rfind('\n').map_or(0, |i| i + 1))
        };
        let mut old = tree.clone();
        old.edit(&tree_sitter::InputEdit {
            start_byte: at,
            old_end_byte: at,
            new_end_byte: at + insert.len(),
            start_position: point(text, at),
            old_end_position: point(text, at),
            new_end_position: point(&new, at + insert.len()),
        });
        (new, old)
    }

    fn reparse(text: &str, old: &Tree) -> Tree {
        let mut p = tree_sitter::Parser::new();
        p.set_language(&tree_sitter_python::LANGUAGE.into())
            .unwrap();
        p.parse(text, Some(old)).unwrap()
    }

    #[test]
    fn after_an_edit_only_the_new_statements_are_measured() {
        let deep = format!("{}1{}", "(".repeat(3000), ")".repeat(3000));
        let text = "a = 1\nb = 2\nc = 3\n".to_string();
        let tree = python(&text);
        // A deep statement typed between two reused ones is found.
        let (new, old) = edited(&text, &tree, 6, &format!("x = {deep}\n"));
        let t = reparse(&new, &old);
        let previous = Previous {
            tree: &old,
            walkable: true,
        };
        let Shallow::Cut(_, _, cut) = shallow(&new, &t, Some(previous), is_python_body, "", |s| {
            Some(python(s))
        }) else {
            panic!("the new deep statement was not measured");
        };
        assert_eq!(&new[cut[0].start..cut[0].end], format!("x = {deep}"));
        // The reused statements are not walked: a known deep one is skipped,
        // which shows the walk trusts the previous measure.
        let known = previous.shallow_children();
        let reused = {
            let root = t.root_node();
            let mut c = root.walk();
            root.children(&mut c)
                .filter(|n| known.contains(&n.id()))
                .count()
        };
        assert!(reused >= 2, "a = 1 and c = 3 are reused subtrees");
        // A statement edited into a deep one is new, so measured.
        let (deeper, old) = edited(&text, &tree, 4, &deep);
        let t = reparse(&deeper, &old);
        let previous = Previous {
            tree: &old,
            walkable: true,
        };
        assert!(matches!(
            shallow(&deeper, &t, Some(previous), is_python_body, "", |s| Some(
                python(s)
            )),
            Shallow::Cut(..)
        ));
        // A previous tree that had a cut vouches for nothing.
        let not = Previous {
            tree: &old,
            walkable: false,
        };
        assert!(not.shallow_children().is_empty());
    }
}
