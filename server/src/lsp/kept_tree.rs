//! The parse tree an open document keeps between analyses, so that a
//! keystroke re-parses only what it changed (tree-sitter's incremental
//! parse).
//!
//! A tree costs about 120 bytes per node. Ordinary code has one node every
//! five or six bytes (about 20 bytes of tree per source byte); dense code —
//! a literal table of numbers, a finding every few bytes — has one every
//! one or two and its tree outweighs everything else the document holds
//! (90–100 bytes per source byte). A large document that dense keeps no
//! tree: its next analysis parses it whole, which costs a few hundred
//! milliseconds per megabyte, instead of holding the tree all the while.
//! (Dense code of 10 MB thus meets the memory target, not the keystroke
//! one: the trade is deliberate.)

use tree_sitter::{InputEdit, Tree};

use crate::syntax::python::Chunks;

/// Below this size a document always keeps its tree (its memory is small
/// whatever its density).
const ALWAYS_KEEP_BELOW: usize = 256 << 10;

/// Visible nodes per source byte up to which a large document keeps its
/// tree: about 50 bytes of tree per source byte for code. The stdlib's
/// modules have 0.23 (median), 0.32 (90th percentile) and 0.40 (99th, its
/// test modules); a finding on every line has 0.77, a table of numbers
/// 0.48 (and twice the bytes per visible node: long lists are balanced
/// trees of hidden nodes).
const MAX_NODES_PER_BYTE: f64 = 0.4;

pub struct KeptTree {
    /// The version the tree was parsed from.
    pub version: i32,
    pub tree: Tree,
    /// A Python document's facts in chunks of top-level statements, so that
    /// a keystroke walks again only the chunks it changed.
    pub chunks: Option<Chunks>,
}

impl KeptTree {
    /// The tree of the analysis of `version` (`len` bytes of text), when it
    /// is worth keeping.
    pub fn keep(version: i32, tree: Tree, chunks: Option<Chunks>, len: usize) -> Option<KeptTree> {
        Self::worth_keeping(&tree, len).then_some(KeptTree {
            version,
            tree,
            chunks,
        })
    }

    /// Whether the tree of a document of `len` bytes is kept: not when the
    /// document is large and dense.
    pub fn worth_keeping(tree: &Tree, len: usize) -> bool {
        let nodes = tree.root_node().descendant_count() as f64;
        len < ALWAYS_KEEP_BELOW || nodes <= MAX_NODES_PER_BYTE * len as f64
    }

    /// A copy brought up to the document's text by the edits made since
    /// its version, with the chunks no edit touched (`None`: a whole-text
    /// replacement, nothing to reuse).
    pub fn edited<'e>(
        &self,
        edits: impl IntoIterator<Item = &'e (i32, Option<InputEdit>)>,
    ) -> Option<(Tree, Option<Chunks>)> {
        let mut tree = self.tree.clone();
        let mut chunks = self.chunks.clone();
        for (v, edit) in edits {
            if *v <= self.version {
                continue;
            }
            let edit = edit.as_ref()?;
            tree.edit(edit);
            if let Some(c) = &mut chunks {
                c.edit(edit);
            }
        }
        Some((tree, chunks))
    }
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

    #[test]
    fn a_large_dense_document_keeps_no_tree() {
        let data = format!(
            "DATA = [\n{}]\n",
            "    1, 2, 3, 4, 5, 6, 7, 8,\n".repeat(12_000)
        );
        assert!(data.len() >= ALWAYS_KEEP_BELOW);
        assert!(KeptTree::keep(1, python(&data), None, data.len()).is_none());
        // Ordinary code of the same size keeps it.
        let code = concat!(
            "def read_config(path, defaults=None):\n",
            "    \"\"\"Read the configuration file at `path`, falling back on `defaults`.\"\"\"\n",
            "    # An unreadable file counts as an empty one.\n",
            "    with open(path, encoding=\"utf-8\") as handle:\n",
            "        text = handle.read()\n",
            "    return parse_config(text) or defaults\n\n\n",
        )
        .repeat(1_500);
        assert!(code.len() >= ALWAYS_KEEP_BELOW);
        assert!(KeptTree::keep(1, python(&code), None, code.len()).is_some());
        // So does a small dense one.
        let small = "DATA = [1, 2, 3, 4, 5, 6, 7, 8]\n";
        assert!(KeptTree::keep(1, python(small), None, small.len()).is_some());
    }
}
