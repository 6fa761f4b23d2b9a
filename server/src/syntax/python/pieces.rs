//! A large dense module parsed in pieces, so that only one piece's tree is
//! alive at a time.
//!
//! A tree costs about 120 bytes per node, and dense code (a finding on
//! every line) has a node every byte or two: its whole tree weighs 100–200
//! times the text while the facts are read from it. Top-level statements
//! parse on their own, so the text is cut at line starts that can begin
//! one (a name or keyword at column 0 that starts no clause, the line
//! before it no decorator and not continued by `\`), each piece parsed
//! and walked as a chunk of the module (`chunks`), its tree dropped before
//! the next. The pieces of error-free code are modules of their own and
//! their concatenation the same module, so the facts are the ones of one
//! walk of the whole tree; a piece with a syntax error, a misplaced
//! statement or nesting too deep for the walk (where a cut could have
//! fallen inside a statement, or the file's recovery depends on the rest)
//! sends the module back to a parse of the whole text.

use super::chunks::Merger;
use super::*;

/// Modules of this size or more with no tree to reuse may be parsed in
/// pieces (below it, the whole tree is small anyway).
pub(super) const DENSE_FROM: usize = 256 << 10;

/// Bytes of text parsed at a time.
pub(super) const PIECE_BYTES: usize = 16 << 10;

/// Visible nodes per byte of the first piece above which the module is
/// parsed in pieces (what `lsp::kept_tree` calls dense).
pub(super) const DENSE_NODES_PER_BYTE: f64 = 0.4;

/// What parsing in pieces came to.
pub(super) enum Pieces {
    Facts(Box<FileFacts>),
    /// The module is one piece, is not dense (its first piece has at most
    /// `dense` nodes per byte) or a piece does not parse cleanly on its
    /// own: parse it whole.
    Whole,
}

/// The facts of `text` parsed in pieces of about `piece_bytes`; `None`
/// when cancelled.
pub(super) fn facts_in_pieces(
    text: &str,
    cancelled: &dyn Fn() -> bool,
    piece_bytes: usize,
    dense: f64,
) -> Option<Pieces> {
    let mut m = Merger::new();
    let mut start = 0;
    let mut row = 0u32;
    let mut nodes = 0usize;
    while start < text.len() {
        let end = next_cut(text, start + piece_bytes);
        // One piece, or a first piece much longer than asked for (one
        // statement over most of the text: a table): the whole parse it
        // would be, and a syntax error in it would cost a second.
        let long = 4 * piece_bytes.max(PIECE_BYTES);
        if start == 0 && (end == text.len() || end - start > long) {
            return Some(Pieces::Whole);
        }
        let piece = &text[start..end];
        let tree = parse_tree(piece, None, cancelled);
        if cancelled() {
            return None;
        }
        let Some(tree) = tree else {
            return Some(Pieces::Whole);
        };
        let root = tree.root_node();
        nodes += root.descendant_count();
        if start == 0 && (nodes as f64) <= dense * piece.len() as f64 {
            return Some(Pieces::Whole);
        }
        let clean = !root.has_error()
            && misplaced_statements(piece, root).is_empty()
            && matches!(
                nesting::shallow(piece, &tree, is_body, "...", |_| None),
                nesting::Shallow::Walkable
            );
        if !clean {
            return Some(Pieces::Whole);
        }
        let chunk = chunks::walk_piece(piece, root, &m);
        drop(tree);
        m.add(&chunk, start as i64, row as i64);
        row += piece.bytes().filter(|&b| b == b'\n').count() as u32;
        start = end;
    }
    // Dense at its start only: parsed whole, so that its tree is kept and
    // its next analyses are incremental.
    if (nodes as f64) <= dense * text.len() as f64 {
        return Some(Pieces::Whole);
    }
    Some(Pieces::Facts(Box::new(m.finish_clean())))
}

/// The first line start at or after `from` where a piece may begin (the
/// text's end when there is none).
fn next_cut(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = from;
    while at < bytes.len() {
        let Some(nl) = bytes[at..].iter().position(|&b| b == b'\n') else {
            return text.len();
        };
        let line = at + nl + 1;
        if cuttable(text, line) {
            return line;
        }
        at = line;
    }
    text.len()
}

/// Whether a piece may begin at `line` (a line start): the line starts
/// a statement at column 0 that continues none before it, and the line
/// before is no decorator and is not continued.
fn cuttable(text: &str, line: usize) -> bool {
    let rest = &text[line..];
    let word: &str = rest
        .split(|c: char| c != '_' && !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("");
    let starts_statement = rest.starts_with(|c: char| c == '_' || c.is_ascii_alphabetic())
        && !matches!(word, "else" | "elif" | "except" | "finally" | "case");
    let before = text[..line - 1].trim_end_matches('\r');
    let previous = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    starts_statement && !previous.ends_with('\\') && !previous.trim_start().starts_with('@')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dense modules parsed in pieces of a few hundred bytes give the facts
    /// of one parse and walk of the whole text; text a cut could break
    /// (a string or brackets over lines, a decorator, a clause, a line
    /// continued, a syntax error) falls back on the whole parse.
    #[test]
    fn a_module_in_pieces_has_the_facts_of_the_whole() {
        let findings = format!(
            "\"\"\"Doc.\"\"\"\nimport os\n{}",
            "os.path.joinx(1)\nclass C:\n    x = os.sep\nC.y = 1\nsetattr(C, 'z', 2)\n".repeat(60)
        );
        let data = format!(
            "import sys\nDATA = [\n{}]\n{}",
            "    1, 22, 333,\n".repeat(50),
            "ROW = (1, 2)  # grounded: ignore\n__all__ += ['ROW']\n".repeat(80)
        );
        let hostile = [
            "x = '''\nlong string\nstill = 1\n'''\ny = 2\n",
            "x = (\n1\n)\nz = 3\n",
            "@dec\ndef f():\n    pass\ng = 1\n",
            "if x:\n    pass\nelse:\n    pass\nw = 1\n",
            "a = 1 + \\\nb\nc = 2\n",
            "def broken(:\n    pass\nq = 1\n",
            "__all__ = ['a']\n__all__ += ['b']\n",
        ];
        let mut texts = vec![findings.clone(), data];
        for h in hostile {
            texts.push(format!("{findings}{h}{findings}"));
        }
        for text in &texts {
            let fresh = parse(text);
            for piece_bytes in [1, 200, 1_000] {
                let pieces = facts_in_pieces(text, &|| false, piece_bytes, 0.0).unwrap();
                match pieces {
                    Pieces::Facts(facts) => assert_eq!(
                        format!("{facts:?}"),
                        format!("{fresh:?}"),
                        "pieces of {piece_bytes} bytes of\n{text}"
                    ),
                    Pieces::Whole => assert!(
                        fresh.syntax_errors > 0 || hostile.iter().any(|h| text.contains(h)),
                        "clean text not parsed in pieces:\n{text}"
                    ),
                }
            }
        }
        // The clean ones are parsed in pieces.
        let in_pieces = facts_in_pieces(&texts[0], &|| false, 200, 0.0).unwrap();
        assert!(matches!(in_pieces, Pieces::Facts(_)));
        // Code that is not dense is parsed whole, and so is one piece.
        let sparse = concat!(
            "def read_config(path, defaults=None):\n",
            "    \"\"\"Read the configuration file at `path`, falling back on `defaults`.\"\"\"\n",
            "    # An unreadable file counts as an empty one.\n",
            "    with open(path, encoding=\"utf-8\") as handle:\n",
            "        text = handle.read()\n",
            "    return parse_config(text) or defaults\n\n\n",
        )
        .repeat(20);
        let whole = facts_in_pieces(&sparse, &|| false, 200, DENSE_NODES_PER_BYTE).unwrap();
        assert!(matches!(whole, Pieces::Whole));
        let one = facts_in_pieces(&texts[0], &|| false, 1 << 20, 0.0).unwrap();
        assert!(matches!(one, Pieces::Whole));
    }
}
