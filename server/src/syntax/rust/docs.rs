//! Doc comments: what documents an item, a member or a module, reduced to
//! its first line. Outer docs (`///`, `/** */`, `#[doc = ".."]`) precede
//! what they document as siblings in the tree; inner docs (`//!`, `/*! */`,
//! `#![doc = ".."]`) open the module they document.

use tree_sitter::Node;

use super::{named_children, rfield, Builder};
use crate::syntax::doc_line::first_doc_line;

/// Doc text gathered for one item, up to the end of its first paragraph
/// (the rest never shows, so it is not kept).
#[derive(Default)]
pub(super) struct DocText {
    text: String,
    /// The first paragraph has ended.
    closed: bool,
}

impl DocText {
    /// Lines of a line doc comment or a `#[doc]` string.
    pub(super) fn push(&mut self, chunk: &str) {
        for line in chunk.lines() {
            self.push_line(line);
        }
        if chunk.is_empty() {
            // `///` alone: a blank line.
            self.push_line("");
        }
    }

    /// The body of a `/** */` comment, whose lines may start with `*`.
    fn push_block(&mut self, body: &str) {
        for line in body.lines() {
            let line = line.trim_start();
            self.push_line(line.strip_prefix('*').unwrap_or(line));
        }
    }

    fn push_line(&mut self, line: &str) {
        if self.closed {
            return;
        }
        let line = line.trim();
        if line.is_empty() {
            self.closed = !self.text.is_empty();
            return;
        }
        self.text.push_str(line);
        self.text.push('\n');
    }

    pub(super) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The line a listing shows: links simplified, first sentence.
    pub(super) fn line(&self) -> Option<String> {
        if self.text.is_empty() {
            return None;
        }
        first_doc_line(&simplify_links(&self.text))
    }
}

/// What a comment node is, as documentation.
pub(super) enum DocComment<'s> {
    /// `///` or `/** */`: documents what follows.
    Outer(Comment<'s>),
    /// `//!` or `/*! */`: documents the enclosing module.
    Inner(Comment<'s>),
}

/// The text of a doc comment, without its markers.
pub(super) enum Comment<'s> {
    Line(&'s str),
    Block(&'s str),
}

impl Comment<'_> {
    pub(super) fn add_to(&self, doc: &mut DocText) {
        match self {
            Comment::Line(t) => doc.push(t),
            Comment::Block(t) => doc.push_block(t),
        }
    }
}

impl<'s> Builder<'s> {
    /// `n` (a `line_comment` or `block_comment`) as documentation; None for
    /// a plain comment (`//`, `////`, `/* */`).
    pub(super) fn doc_comment(&self, n: Node) -> Option<DocComment<'s>> {
        let mut outer = None;
        let mut text = "";
        for c in named_children(n) {
            match c.kind() {
                "outer_doc_comment_marker" => outer = Some(true),
                "inner_doc_comment_marker" => outer = Some(false),
                "doc_comment" => text = self.text(c),
                _ => {}
            }
        }
        let comment = match n.kind() {
            "line_comment" => Comment::Line(text),
            "block_comment" => Comment::Block(text),
            _ => return None,
        };
        match outer? {
            true => Some(DocComment::Outer(comment)),
            false => Some(DocComment::Inner(comment)),
        }
    }

    /// The string of `doc = "…"` in an `attribute` node (`#[doc = "…"]`);
    /// None for `#[doc(hidden)]`, `#[doc = include_str!(..)]` and the like.
    pub(super) fn doc_attribute(&self, attr: Node) -> Option<String> {
        let value = rfield!(attr, "value")?;
        string_literal(self.text(value))
    }

    /// An `inner_attribute_item` that is `#![doc = "…"]`: its string.
    pub(super) fn inner_doc_attribute(&self, n: Node) -> Option<String> {
        let attr = named_children(n)
            .into_iter()
            .find(|c| c.kind() == "attribute")?;
        let path = named_children(attr).into_iter().next()?;
        if self.text(path) != "doc" {
            return None;
        }
        self.doc_attribute(attr)
    }
}

/// The value of a Rust string literal as written: `"a\"b"` → `a"b`,
/// `r#"x"#` → `x`. None for anything else.
fn string_literal(lit: &str) -> Option<String> {
    let lit = lit.trim();
    if let Some(raw) = lit.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let inner = raw.get(hashes..raw.len().checked_sub(hashes)?)?;
        return inner
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .map(str::to_string);
    }
    let inner = lit.strip_prefix('"')?.strip_suffix('"')?;
    Some(unescape(inner))
}

/// Rust string escapes; an unknown one is kept as written.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => {}
            Some('0') => {}
            Some(q @ ('\\' | '"' | '\'')) => out.push(q),
            // A line continuation: the newline and the next line's indent go.
            Some('\n') => {
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Markdown links as their text: `[`Foo`]` → `` `Foo` ``, `[text](url)`
/// and `[text][ref]` → `text`. Code spans are left alone.
fn simplify_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let close = if c == '[' && !in_code {
            rest[1..]
                .find([']', '[', '\n'])
                .filter(|&e| rest[1 + e..].starts_with(']'))
        } else {
            None
        };
        let Some(end) = close else {
            if c == '`' {
                in_code = !in_code;
            }
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        };
        out.push_str(&rest[1..1 + end]);
        rest = &rest[end + 2..];
        // The link's target, if any: `(url)` or `[ref]`.
        for (open, shut) in [('(', ')'), ('[', ']')] {
            if rest.starts_with(open) {
                if let Some(e) = rest.find(shut) {
                    rest = &rest[e + 1..];
                }
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_become_their_text() {
        assert_eq!(simplify_links("See [`Foo`]."), "See `Foo`.");
        assert_eq!(
            simplify_links("A [map](https://x.y/z) of [`K`][crate::K]."),
            "A map of `K`."
        );
        assert_eq!(simplify_links("Index `v[0]` and [x"), "Index `v[0]` and [x");
    }

    #[test]
    fn string_literals() {
        assert_eq!(string_literal(r#""a \"b\"""#).as_deref(), Some("a \"b\""));
        assert_eq!(
            string_literal(r###"r#"raw "q""#"###).as_deref(),
            Some("raw \"q\"")
        );
        assert_eq!(string_literal("include_str!(\"x\")"), None);
        assert_eq!(string_literal("r#"), None);
    }

    #[test]
    fn only_the_first_paragraph_is_kept() {
        let mut d = DocText::default();
        d.push(" First line");
        d.push(" goes on.");
        d.push("");
        d.push(" Second paragraph.");
        assert_eq!(d.text, "First line\ngoes on.\n");
        assert_eq!(d.line().as_deref(), Some("First line goes on."));
    }
}
