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

/// The statements that hold a node deeper than `max_depth`, in source
/// order. A statement is a node whose parent's kind `is_body` accepts (a
/// module, a block); the walk never descends into one it has cut, so its
/// cost is linear in the size of the tree.
pub fn too_deep(tree: &Tree, max_depth: usize, is_body: fn(&str) -> bool) -> Vec<Statement> {
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
        } else if !fits(cursor.node(), max_depth - path.len()) && cursor.goto_first_child() {
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

/// Whether `node` certainly holds no more than `levels` levels (itself
/// included), judged by its length alone: a level of nesting takes at
/// least a byte of source, and grammar rules wrap a token in a few nodes
/// at most. Over the stdlib's modules and 3,000 crates' sources no node is
/// higher than twice its length plus one, nor in the densest nestings
/// either grammar has (`tests::height_is_bounded_by_length`); this allows
/// four times plus eight. Were a node ever higher, it could be so only by
/// some small factor, and its few thousand levels are well within the
/// analysis stack (`crate::stack`), which holds several times the bound.
/// This spares the walk all but the long nodes and their children: on
/// 10 MB of code, most of the tree.
fn fits(node: Node, levels: usize) -> bool {
    (node.end_byte() - node.start_byte())
        .saturating_mul(4)
        .saturating_add(8)
        <= levels
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
/// a last resort.
pub fn shallow(
    text: &str,
    tree: &Tree,
    is_body: fn(&str) -> bool,
    filler: &str,
    parse: impl Fn(&str) -> Option<Tree>,
) -> Shallow {
    let mut cut = too_deep(tree, MAX_DEPTH, is_body);
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

    /// The height of every node of `tree` (itself included) and its length.
    fn heights(tree: &Tree) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut stack = vec![(tree.root_node(), false)];
        let mut done: std::collections::HashMap<usize, usize> = Default::default();
        while let Some((n, visited)) = stack.pop() {
            let mut c = n.walk();
            if !visited {
                stack.push((n, true));
                stack.extend(n.children(&mut c).map(|ch| (ch, false)));
                continue;
            }
            let h = 1 + n
                .children(&mut c)
                .map(|ch| done[&ch.id()])
                .max()
                .unwrap_or(0);
            done.insert(n.id(), h);
            out.push((h, n.end_byte() - n.start_byte()));
        }
        out
    }

    #[test]
    fn height_is_bounded_by_length() {
        // The densest nestings either grammar has: a level per byte or two.
        let python = [
            format!("x = {}1\n", "~".repeat(300)),
            format!("x = {}1\n", "-".repeat(300)),
            format!("x = {}1{}\n", "[".repeat(300), "]".repeat(300)),
            format!("x = {}1{}\n", "(".repeat(300), ")".repeat(300)),
            format!("x = {}a\n", "not ".repeat(300)),
            format!("x = a{}\n", "()".repeat(300)),
            format!("x = a{}\n", ".b".repeat(300)),
            format!("x = {}\n", vec!["a"; 300].join("+")),
            "with a:\n    pass\n".to_string(),
            "@d\ndef f(): ...\n".to_string(),
            "x = [\n".to_string(),
            "def f(:\n  )]\n".to_string(),
        ];
        for text in &python {
            for (h, len) in heights(&self::python(text)) {
                assert!(h <= 4 * len + 8, "{text:?}: height {h} over {len} bytes");
            }
        }
        let mut p = tree_sitter::Parser::new();
        p.set_language(&tree_sitter_rust::LANGUAGE.into()).unwrap();
        let rust = [
            format!("fn f() {{ let x = {}y; }}", "&".repeat(300)),
            format!("fn f() {{ let x = {}y; }}", "!".repeat(300)),
            format!("fn f() {{ let x = {}y; }}", "*".repeat(300)),
            format!("fn f() {}{}", "{".repeat(300), "}".repeat(300)),
            format!("type T = {}u8{};", "Vec<".repeat(300), ">".repeat(300)),
            format!("fn f() {{ a{}; }}", ".b()".repeat(300)),
            format!("fn f() {{ x{}; }}", "?".repeat(300)),
            "fn f() { let x = ; }".to_string(),
            "struct S<'a>(&'a u8);".to_string(),
        ];
        for text in &rust {
            let tree = p.parse(text, None).unwrap();
            for (h, len) in heights(&tree) {
                assert!(h <= 4 * len + 8, "{text:?}: height {h} over {len} bytes");
            }
        }
    }

    #[test]
    fn short_nodes_are_judged_by_length_and_long_ones_walked() {
        // 600 levels in 1,200 bytes: long enough to be walked, and found
        // too deep for a bound of 500.
        let text = format!("x = {}1{}\n", "(".repeat(600), ")".repeat(600));
        assert_eq!(too_deep(&python(&text), 500, is_python_body).len(), 1);
        // A short statement is judged by its length alone.
        let t = python("x = ((1))\n");
        assert!(fits(t.root_node(), 100));
        assert!(!fits(t.root_node(), 20));
    }
}
