//! The parse tree an open document keeps between analyses, so that a
//! keystroke re-parses only what it changed (tree-sitter's incremental
//! parse) and re-measures only the top-level statements it made anew
//! ([`nesting::Previous`]).
//!
//! A tree costs about 120 bytes per node. Ordinary code has one node every
//! five or six bytes (about 20 bytes of tree per source byte); dense code —
//! a literal table of numbers, a finding every few bytes — has one every
//! one or two and its tree outweighs everything else the document holds
//! (90–100 bytes per source byte). A large document that dense keeps no
//! tree: its next analysis parses it whole, which costs a few hundred
//! milliseconds per megabyte, instead of holding the tree all the while.

use tree_sitter::{InputEdit, Tree};

use crate::syntax::nesting;

/// Below this size a document always keeps its tree (its memory is small
/// whatever its density).
const ALWAYS_KEEP_BELOW: usize = 256 << 10;

/// Visible nodes per source byte up to which a large document keeps its
/// tree: about 30 bytes of tree per source byte (stdlib code has 0.18).
const MAX_NODES_PER_BYTE: f64 = 0.25;

pub struct KeptTree {
    /// The version the tree was parsed from.
    pub version: i32,
    pub tree: Tree,
    /// Whether nothing in it nests too deeply to be walked.
    pub walkable: bool,
}

impl KeptTree {
    /// The tree of the analysis of `version` (`len` bytes of text), when it
    /// is worth keeping.
    pub fn keep(version: i32, tree: Tree, walkable: bool, len: usize) -> Option<KeptTree> {
        let nodes = tree.root_node().descendant_count() as f64;
        let dense = len >= ALWAYS_KEEP_BELOW && nodes > MAX_NODES_PER_BYTE * len as f64;
        (!dense).then_some(KeptTree {
            version,
            tree,
            walkable,
        })
    }

    /// A copy brought up to the document's text by the edits made since
    /// its version (`None`: a whole-text replacement, nothing to reuse).
    pub fn edited<'e>(
        &self,
        edits: impl IntoIterator<Item = &'e (i32, Option<InputEdit>)>,
    ) -> Option<(Tree, bool)> {
        let mut tree = self.tree.clone();
        for (v, edit) in edits {
            if *v <= self.version {
                continue;
            }
            tree.edit(edit.as_ref()?);
        }
        Some((tree, self.walkable))
    }
}

/// The previous tree for a parse, from [`KeptTree::edited`]'s result.
pub fn previous(old: &Option<(Tree, bool)>) -> Option<nesting::Previous<'_>> {
    old.as_ref().map(|(tree, walkable)| nesting::Previous {
        tree,
        walkable: *walkable,
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

    #[test]
    fn a_large_dense_document_keeps_no_tree() {
        let data = format!(
            "DATA = [\n{}]\n",
            "    1, 22, 333, 1, 22, 333,\n".repeat(12_000)
        );
        assert!(data.len() >= ALWAYS_KEEP_BELOW);
        assert!(KeptTree::keep(1, python(&data), true, data.len()).is_none());
        // Ordinary code of the same size keeps it.
        let code =
            "def area(width, height):\n    \"\"\"The area.\"\"\"\n    return width * height\n\n"
                .repeat(4_000);
        assert!(code.len() >= ALWAYS_KEEP_BELOW);
        assert!(KeptTree::keep(1, python(&code), true, code.len()).is_some());
        // So does a small dense one.
        let small = "DATA = [1, 2, 3, 4, 5, 6, 7, 8]\n";
        assert!(KeptTree::keep(1, python(small), true, small.len()).is_some());
    }
}
