//! The one way both front ends run tree-sitter: the thread's parser for
//! the language, halting as soon as the caller says the result is no longer
//! wanted.

use std::cell::RefCell;

use tree_sitter::{Language, Parser, Tree};

/// Parse `text` (reusing `old`, the previous tree edited to it) with the
/// parser in `slot`, made for `language` on first use; `None` once
/// `cancelled` says so.
pub fn parse_halting(
    slot: &RefCell<Option<Parser>>,
    language: impl FnOnce() -> Language,
    text: &str,
    old: Option<&Tree>,
    cancelled: &dyn Fn() -> bool,
) -> Option<Tree> {
    let bytes = text.as_bytes();
    let mut slot = slot.borrow_mut();
    let parser = slot.get_or_insert_with(|| {
        let mut p = Parser::new();
        p.set_language(&language())
            .expect("the tree-sitter grammar is compatible");
        p
    });
    let mut progress = |_: &tree_sitter::ParseState| cancelled();
    let options = tree_sitter::ParseOptions::new().progress_callback(&mut progress);
    let tree = parser.parse_with_options(
        &mut |i, _| bytes.get(i..).unwrap_or_default(),
        old,
        Some(options),
    );
    if tree.is_none() {
        // A halted parse would otherwise resume on the next text.
        parser.reset();
    }
    tree
}
