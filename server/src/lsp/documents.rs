//! Open documents on ropey: full and incremental edits, versions, and
//! conversion between LSP positions (UTF-8 or UTF-16 code units, as
//! negotiated) and byte offsets.

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};
use tree_sitter::{InputEdit, Point};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub rope: Rope,
    pub version: i32,
    /// Edits since the last parse tree, for tree-sitter's incremental
    /// re-parse: (version, edit); `None` is a whole-text replacement.
    pub edits: Vec<(i32, Option<InputEdit>)>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum EditError {
    /// The change's version is not newer than the document's.
    StaleVersion { have: i32, got: i32 },
}

impl Document {
    pub fn new(text: &str, version: i32) -> Document {
        Document {
            rope: Rope::from_str(text),
            version,
            edits: Vec::new(),
        }
    }

    /// Apply one `didChange` in order. Out-of-range positions are clamped to
    /// the document (a client bug must not take the server down).
    pub fn apply(
        &mut self,
        version: i32,
        changes: &[TextDocumentContentChangeEvent],
        enc: Encoding,
    ) -> Result<(), EditError> {
        if version <= self.version {
            return Err(EditError::StaleVersion {
                have: self.version,
                got: version,
            });
        }
        for change in changes {
            match change.range {
                None => {
                    self.rope = Rope::from_str(&change.text);
                    self.edits.push((version, None));
                }
                Some(range) => {
                    let start = position_to_char(&self.rope, range.start, enc);
                    let end = position_to_char(&self.rope, range.end, enc).max(start);
                    // The parsers read a lone `\r` as `\n` (line_breaks): an
                    // edit right after a `\r` may make it part of a `\r\n` or
                    // alone again, so tree-sitter is told it changed too.
                    let touched = if start > 0 && self.rope.char(start - 1) == '\r' {
                        start - 1
                    } else {
                        start
                    };
                    let start_byte = self.rope.char_to_byte(touched);
                    let old_end_byte = self.rope.char_to_byte(end);
                    let start_position = point(&self.rope, start_byte);
                    let old_end_position = point(&self.rope, old_end_byte);
                    self.rope.remove(start..end);
                    self.rope.insert(start, &change.text);
                    let new_end_byte = self.rope.char_to_byte(start) + change.text.len();
                    let edit = InputEdit {
                        start_byte,
                        old_end_byte,
                        new_end_byte,
                        start_position,
                        old_end_position,
                        new_end_position: point(&self.rope, new_end_byte),
                    };
                    self.edits.push((version, Some(edit)));
                }
            }
        }
        self.version = version;
        Ok(())
    }
}

/// The tree-sitter point (row, byte column) of a byte offset.
fn point(rope: &Rope, byte: usize) -> Point {
    let byte = byte.min(rope.len_bytes());
    let row = rope.byte_to_line(byte);
    Point::new(row, byte - rope.line_to_byte(row))
}

/// The char index of an LSP position, clamped to the document.
pub fn position_to_char(rope: &Rope, pos: Position, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let line_start = rope.line_to_char(line);
    // The end of the line's text, before its terminator.
    let mut line_end = if line + 1 < rope.len_lines() {
        rope.line_to_char(line + 1)
    } else {
        rope.len_chars()
    };
    while line_end > line_start && matches!(rope.char(line_end - 1), '\n' | '\r') {
        line_end -= 1;
    }
    let col = pos.character as usize;
    let char_idx = match enc {
        Encoding::Utf16 => {
            let base = rope.char_to_utf16_cu(line_start);
            let target = (base + col).min(rope.len_utf16_cu());
            rope.utf16_cu_to_char(target)
        }
        Encoding::Utf8 => {
            let base = rope.char_to_byte(line_start);
            let target = (base + col).min(rope.len_bytes());
            rope.byte_to_char(target)
        }
    };
    char_idx.clamp(line_start, line_end)
}

/// The LSP position of a char index.
pub fn char_to_position(rope: &Rope, char_idx: usize, enc: Encoding) -> Position {
    let char_idx = char_idx.min(rope.len_chars());
    let line = rope.char_to_line(char_idx);
    let line_start = rope.line_to_char(line);
    let character = match enc {
        Encoding::Utf16 => rope.char_to_utf16_cu(char_idx) - rope.char_to_utf16_cu(line_start),
        Encoding::Utf8 => rope.char_to_byte(char_idx) - rope.char_to_byte(line_start),
    };
    Position::new(line as u32, character as u32)
}

/// The LSP range of a byte range of the text the rope holds.
pub fn byte_range_to_range(rope: &Rope, start: usize, end: usize, enc: Encoding) -> Range {
    let to_char = |b: usize| rope.byte_to_char(b.min(rope.len_bytes()));
    Range::new(
        char_to_position(rope, to_char(start), enc),
        char_to_position(rope, to_char(end), enc),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(range: Option<Range>, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range,
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn utf16_positions_after_emoji_and_cjk() {
        let rope = Rope::from_str("s = '😀日本'; json.parse(s)\n");
        // 😀 is two UTF-16 units, 日 and 本 one each: `json` starts at char 11.
        let pos = char_to_position(&rope, 11, Encoding::Utf16);
        assert_eq!(pos, Position::new(0, 12));
        assert_eq!(position_to_char(&rope, pos, Encoding::Utf16), 11);
        // In UTF-8 bytes: 😀 is 4, 日 and 本 3 each.
        let pos8 = char_to_position(&rope, 11, Encoding::Utf8);
        assert_eq!(pos8, Position::new(0, 18));
        assert_eq!(position_to_char(&rope, pos8, Encoding::Utf8), 11);
    }

    #[test]
    fn incremental_edits_apply_in_order_and_reject_stale_versions() {
        let mut doc = Document::new("import os\nos.path.exists('x')\n", 1);
        let r = Range::new(Position::new(1, 8), Position::new(1, 14));
        doc.apply(2, &[change(Some(r), "exist")], Encoding::Utf16)
            .unwrap();
        assert_eq!(doc.rope.to_string(), "import os\nos.path.exist('x')\n");
        assert_eq!(
            doc.apply(2, &[change(None, "x")], Encoding::Utf16),
            Err(EditError::StaleVersion { have: 2, got: 2 })
        );
        doc.apply(3, &[change(None, "print(1)\n")], Encoding::Utf16)
            .unwrap();
        assert_eq!(doc.rope.to_string(), "print(1)\n");
    }

    #[test]
    fn out_of_range_positions_are_clamped() {
        let mut doc = Document::new("ab\ncd", 1);
        let r = Range::new(Position::new(0, 99), Position::new(42, 7));
        doc.apply(2, &[change(Some(r), "!")], Encoding::Utf16)
            .unwrap();
        assert_eq!(doc.rope.to_string(), "ab!");
    }
}
