//! What ends a line: `\n`, `\r\n` and a lone `\r` — exactly the three the
//! LSP specification names, and nothing else. Form feed, `\v`, U+0085,
//! U+2028 and U+2029 are characters inside a line (Python itself treats a
//! form feed as whitespace), so the CLI, the language server (its rope is
//! built with CR/LF line breaks only) and the parsers count the same lines.
//!
//! tree-sitter's grammars end lines (and `#`/`//` comments) at `\n` only: a
//! file with old-Mac `\r` line endings would be one long comment. The
//! parsers are therefore given [`for_parser`]'s text, in which each lone `\r`
//! is a `\n` — the same length, so every byte offset stays valid.

use std::borrow::Cow;

/// `text` with every lone `\r` (one not followed by `\n`) replaced by `\n`.
pub fn for_parser(text: &str) -> Cow<'_, str> {
    if !has_lone_cr(text) {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for i in 0..bytes.len() {
        if is_lone_cr(&bytes, i) {
            bytes[i] = b'\n';
        }
    }
    // Only ASCII bytes were swapped for ASCII bytes.
    Cow::Owned(String::from_utf8(bytes).expect("still UTF-8"))
}

/// Whether `text` holds a `\r` that is not the start of a `\r\n`.
pub fn has_lone_cr(text: &str) -> bool {
    let b = text.as_bytes();
    (0..b.len()).any(|i| is_lone_cr(b, i))
}

fn is_lone_cr(b: &[u8], i: usize) -> bool {
    b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')
}

/// The number of line breaks in `text`.
pub fn count(text: &str) -> usize {
    let b = text.as_bytes();
    (0..b.len())
        .filter(|&i| b[i] == b'\n' || is_lone_cr(b, i))
        .count()
}

/// Whether `text` ends with a line break.
pub fn ends_with_break(text: &str) -> bool {
    text.ends_with('\n') || text.ends_with('\r')
}

/// The byte offset where the line holding byte `at` starts (`at` clamped to
/// `text` and to a char boundary).
pub fn line_start(text: &str, at: usize) -> usize {
    let at = floor_char_boundary(text, at.min(text.len()));
    text[..at]
        .rfind(['\n', '\r'])
        // A `\r` right before `at` whose `\n` is at `at` belongs to the line
        // it ends: `at` is then on that line's break, not after it.
        .map(|i| {
            if text.as_bytes()[i] == b'\r' && text.as_bytes().get(i + 1) == Some(&b'\n') {
                line_start(text, i)
            } else {
                i + 1
            }
        })
        .unwrap_or(0)
}

/// The byte offset where the text of the line holding byte `at` ends, before
/// its line break.
pub fn line_end(text: &str, at: usize) -> usize {
    let at = floor_char_boundary(text, at.min(text.len()));
    text[at..]
        .find(['\n', '\r'])
        .map(|i| at + i)
        .unwrap_or(text.len())
}

/// The 1-based line and 1-based character column of byte `at`.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let at = floor_char_boundary(text, at.min(text.len()));
    let start = line_start(text, at);
    let line = count(&text[..start]) + 1;
    let column = text[start..at].chars().count() + 1;
    (line, column)
}

/// Where each line of a text starts, for placing many positions at the cost
/// of one pass over the text ([`line_col`] scans from the start each time:
/// `k` positions in an `n`-byte text cost `k·n`).
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of each line's first byte; `starts[0]` is 0.
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let b = text.as_bytes();
        let mut starts = vec![0];
        for (i, &c) in b.iter().enumerate() {
            if c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// The 0-based line holding byte `at` (clamped to the text); a position
    /// on a `\r\n` is on the line it ends.
    pub fn line(&self, at: usize) -> usize {
        let at = at.min(self.len);
        self.starts.partition_point(|&s| s <= at) - 1
    }

    /// The byte offset where 0-based `line` starts (the text's end past the last).
    pub fn start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.len)
    }

    /// The byte offset where the text of 0-based `line` ends, before its
    /// line break.
    pub fn end(&self, text: &str, line: usize) -> usize {
        match self.starts.get(line + 1) {
            Some(&next) => {
                let b = text.as_bytes();
                if next >= 2 && b[next - 2] == b'\r' && b[next - 1] == b'\n' {
                    next - 2
                } else {
                    next - 1
                }
            }
            None => self.len,
        }
    }

    /// The 1-based line and character column of every offset in `offsets`
    /// (each clamped to the text and to a char boundary, as [`line_col`]
    /// does), in their order. The offsets are visited sorted, and a column
    /// is counted on from the previous offset of the same line: the whole
    /// costs one pass over the text however many offsets share a line.
    pub fn line_cols(&self, text: &str, offsets: &[usize]) -> Vec<(usize, usize)> {
        let at: Vec<usize> = offsets
            .iter()
            .map(|&o| floor_char_boundary(text, o.min(text.len())))
            .collect();
        let mut order: Vec<usize> = (0..at.len()).collect();
        order.sort_unstable_by_key(|&i| at[i]);
        let mut out = vec![(0, 0); at.len()];
        // (line, offset, column) of the previous offset visited.
        let mut previous: Option<(usize, usize, usize)> = None;
        for i in order {
            let line = self.line(at[i]);
            let column = match previous {
                Some((l, from, column)) if l == line => column + chars(&text[from..at[i]]),
                _ => 1 + chars(&text[self.start(line)..at[i]]),
            };
            previous = Some((line, at[i], column));
            out[i] = (line + 1, column);
        }
        out
    }
}

/// The number of characters in `s` (its bytes that start one).
fn chars(s: &str) -> usize {
    s.bytes().filter(|&b| (b as i8) >= -0x40).count()
}

pub fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_lf_crlf_and_cr_end_lines() {
        for (text, lines) in [
            ("a\nb\nc", 3),
            ("a\r\nb\r\nc", 3),
            ("a\rb\rc", 3),
            ("a\r\n\rb\n\nc", 5),
            ("a\x0cb\x0bc\u{85}d\u{2028}e\u{2029}f", 1),
        ] {
            assert_eq!(count(text) + 1, lines, "{text:?}");
            let last = text.len() - 1;
            assert_eq!(line_col(text, last).0, lines, "{text:?}");
        }
    }

    #[test]
    fn lines_and_columns_of_each_break() {
        // The same text, `json.parse` on the third line, with each break.
        for br in ["\n", "\r\n", "\r"] {
            let text = format!("import json{br}#{br}json.parse('1'){br}");
            let at = text.find("parse").unwrap();
            assert_eq!(line_col(&text, at), (3, 6), "{br:?}");
            let s = line_start(&text, at);
            assert_eq!(&text[s..line_end(&text, at)], "json.parse('1')", "{br:?}");
        }
        // Characters that are not line breaks stay inside their line.
        for ch in ['\x0c', '\x0b', '\u{85}', '\u{2028}', '\u{2029}'] {
            let text = format!("import json\n#{ch}\njson.parse('1')\n");
            let at = text.find("parse").unwrap();
            assert_eq!(line_col(&text, at), (3, 6), "{ch:?}");
        }
        // A position on a `\r\n` is on the line it ends.
        assert_eq!(line_col("ab\r\ncd", 2), (1, 3));
        assert_eq!(line_col("ab\r\ncd", 3), (1, 4));
        assert_eq!(line_col("ab\r\ncd", 4), (2, 1));
    }

    /// The index places every offset of texts with each kind of break, and
    /// multi-byte characters, where [`line_col`] does — in any order of
    /// offsets — and gives each line's bounds as [`line_start`] and
    /// [`line_end`] do.
    #[test]
    fn the_line_index_agrees_with_line_col() {
        for text in [
            "",
            "a",
            "\n",
            "\r\n",
            "\r",
            "ab\r\ncd",
            "a\r\n\rb\n\nc\r",
            "é\u{1F600}x\r\ný\rz\u{2028}w\n",
            "import json\r\n#\x0c\njson.parse('ü')\r",
        ] {
            let index = LineIndex::new(text);
            let offsets: Vec<usize> = (0..=text.len() + 2).rev().collect();
            let placed = index.line_cols(text, &offsets);
            for (&at, &got) in offsets.iter().zip(&placed) {
                assert_eq!(got, line_col(text, at), "{text:?} at {at}");
                let line = index.line(at);
                assert_eq!(index.start(line), line_start(text, at), "{text:?} at {at}");
                let start = line_start(text, at);
                assert_eq!(
                    index.end(text, line),
                    line_end(text, start),
                    "{text:?} at {at}"
                );
            }
        }
    }

    #[test]
    fn the_parsers_text_keeps_every_offset() {
        let text = "# c\rimport json\r\njson.parse(1)\r";
        let p = for_parser(text);
        assert_eq!(p.len(), text.len());
        assert_eq!(p, "# c\nimport json\r\njson.parse(1)\n");
        assert!(matches!(for_parser("a\r\nb\n"), Cow::Borrowed(_)));
    }
}
