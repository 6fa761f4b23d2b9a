//! A dependency's file as the index needs it: the text with the bodies of
//! its `fn` items blanked (every byte but line breaks made a space, so
//! every offset, row and column stays where it was). A dependency is read
//! for its items, uses, impls and macros, never for what its function
//! bodies call; tree-sitter skips blanks far faster than it parses code, so
//! a closed crate whose every module is read for its impls (tokio: 309
//! files) costs a fraction of a full parse.
//!
//! What a body may add to its module is kept: a body whose text holds the
//! word `impl` (impls in a fn body are the crate's) or `macro_rules` (its
//! names count among what the crate may define) is left as written, and so
//! is every `macro_rules!` definition (its text is read for its shape). The
//! scan is a small lexer (comments, strings, raw strings, chars and
//! lifetimes) matching braces; when the text does not scan cleanly (an
//! unterminated literal, unbalanced braces) nothing is blanked.

/// The text with its fn bodies blanked; None when nothing was (no body, or
/// text that does not scan cleanly): parse the text as it is.
pub fn blank_fn_bodies(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out: Option<Vec<u8>> = None;
    let mut i = 0;
    // After `fn name`: the depth of `(`/`[` since, until the body's `{` (or
    // the `;` of a fn without one).
    let mut pending_fn: Option<i32> = None;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'/' | b'"' | b'\'' => {
                i = skip_trivia_or_literal(bytes, i)?;
                continue;
            }
            c if is_ident_start(c) => {
                let start = i;
                while i < bytes.len() && is_ident_char(bytes[i]) {
                    i += 1;
                }
                let word = &bytes[start..i];
                if let Some(end) = raw_string_end(bytes, word, i) {
                    i = end?;
                    continue;
                }
                let after_path = start > 0 && matches!(bytes[start - 1], b'#' | b'$' | b'.');
                if after_path {
                    continue;
                }
                match word {
                    b"fn" => {
                        let next = skip_space(bytes, i);
                        if next < bytes.len() && is_ident_start(bytes[next]) {
                            pending_fn = Some(0);
                        }
                    }
                    b"macro_rules" => {
                        // `macro_rules! name { … }`: kept whole.
                        let bang = skip_space(bytes, i);
                        if bytes.get(bang) == Some(&b'!') {
                            let mut j = skip_space(bytes, bang + 1);
                            while j < bytes.len() && is_ident_char(bytes[j]) {
                                j += 1;
                            }
                            let open = skip_space(bytes, j);
                            if matches!(bytes.get(open), Some(b'{' | b'(' | b'[')) {
                                i = group_end(bytes, open)? + 1;
                                pending_fn = None;
                            }
                        }
                    }
                    _ => {}
                }
                continue;
            }
            b'(' | b'[' => {
                if let Some(d) = pending_fn.as_mut() {
                    *d += 1;
                }
            }
            b')' | b']' => {
                if let Some(d) = pending_fn.as_mut() {
                    *d -= 1;
                }
            }
            b';' if pending_fn == Some(0) => pending_fn = None,
            b'{' if pending_fn == Some(0) => {
                pending_fn = None;
                let close = group_end(bytes, i)?;
                let body = &text[i + 1..close];
                if !has_word(body, "impl") && !has_word(body, "macro_rules") {
                    let buf = out.get_or_insert_with(|| bytes.to_vec());
                    for b in &mut buf[i + 1..close] {
                        if *b != b'\n' && *b != b'\r' {
                            *b = b' ';
                        }
                    }
                    i = close + 1;
                    continue;
                }
                // Kept: its own fns are still looked at.
            }
            b'}' if pending_fn == Some(0) => pending_fn = None,
            _ => {}
        }
        i += 1;
    }
    // A body lies between two ASCII braces and every byte of it (those of
    // multi-byte characters too) became a space: still valid UTF-8.
    out.map(|b| String::from_utf8(b).unwrap_or_else(|_| text.to_string()))
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

fn skip_space(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// Whether `word` occurs in `text` as a whole word.
fn has_word(text: &str, word: &str) -> bool {
    let bytes = text.as_bytes();
    text.match_indices(word).any(|(at, _)| {
        let before = at.checked_sub(1).map(|b| bytes[b]);
        let after = bytes.get(at + word.len()).copied();
        !before.is_some_and(is_ident_char) && !after.is_some_and(is_ident_char)
    })
}

/// At `i`, a `/`, `"` or `'`: the offset after the comment, string, char
/// literal or lifetime that starts there (just after a lone `/`). None: an
/// unterminated one.
fn skip_trivia_or_literal(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes[i] {
        b'/' => match bytes.get(i + 1) {
            Some(b'/') => Some(
                bytes[i..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |p| i + p),
            ),
            Some(b'*') => {
                let mut depth = 1;
                let mut j = i + 2;
                while depth > 0 {
                    match (bytes.get(j)?, bytes.get(j + 1)) {
                        (b'/', Some(b'*')) => {
                            depth += 1;
                            j += 2;
                        }
                        (b'*', Some(b'/')) => {
                            depth -= 1;
                            j += 2;
                        }
                        _ => j += 1,
                    }
                }
                Some(j)
            }
            _ => Some(i + 1),
        },
        b'"' => {
            let mut j = i + 1;
            loop {
                match bytes.get(j)? {
                    b'\\' => j += 2,
                    b'"' => return Some(j + 1),
                    _ => j += 1,
                }
            }
        }
        _ => {
            // `'\n'`, `'x'`, `'é'`, or a lifetime / label (`'a`, `'outer:`).
            match bytes.get(i + 1)? {
                b'\\' => {
                    let mut j = i + 3;
                    while *bytes.get(j)? != b'\'' {
                        j += 1;
                    }
                    Some(j + 1)
                }
                &first => {
                    let len = utf8_len(first);
                    if bytes.get(i + 1 + len) == Some(&b'\'') {
                        Some(i + 2 + len)
                    } else {
                        Some(i + 1)
                    }
                }
            }
        }
    }
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// After the identifier `word` ending at `i`: when it opens a raw string
/// (`r"…"`, `r#"…"#`, `br##"…"##`, `cr"…"`), Some(the offset after it, or
/// None when it is unterminated); else None.
fn raw_string_end(bytes: &[u8], word: &[u8], i: usize) -> Option<Option<usize>> {
    if !matches!(word, b"r" | b"br" | b"cr") {
        return None;
    }
    let mut j = i;
    while bytes.get(j) == Some(&b'#') {
        j += 1;
    }
    if bytes.get(j) != Some(&b'"') {
        return None;
    }
    let hashes = j - i;
    let mut k = j + 1;
    loop {
        let Some(&b) = bytes.get(k) else {
            return Some(None);
        };
        if b == b'"'
            && bytes.len() >= k + 1 + hashes
            && bytes[k + 1..k + 1 + hashes].iter().all(|&h| h == b'#')
        {
            return Some(Some(k + 1 + hashes));
        }
        k += 1;
    }
}

/// The offset of the bracket closing the one at `open` (`{`, `(` or `[`),
/// skipping comments and literals; None when it is not closed.
fn group_end(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0i32;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'/' | b'"' | b'\'' => {
                i = skip_trivia_or_literal(bytes, i)?;
                continue;
            }
            c if is_ident_start(c) => {
                let start = i;
                while i < bytes.len() && is_ident_char(bytes[i]) {
                    i += 1;
                }
                if let Some(end) = raw_string_end(bytes, &bytes[start..i], i) {
                    i = end?;
                }
                continue;
            }
            b'{' | b'(' | b'[' => depth += 1,
            b'}' | b')' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
                if depth < 0 {
                    return None;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank(text: &str) -> String {
        let out = blank_fn_bodies(text).unwrap_or_else(|| text.to_string());
        assert_eq!(out.len(), text.len(), "offsets kept");
        assert_eq!(
            out.matches('\n').count(),
            text.matches('\n').count(),
            "rows kept"
        );
        out
    }

    #[test]
    fn fn_bodies_are_blanked_signatures_kept() {
        let text = "pub fn a(x: [u8; 2], S { f }: S) -> Vec<u8> where T: Fn() {\n    call(x); { nested }\n}\nstruct K;\n";
        let out = blank(text);
        assert!(out.starts_with("pub fn a(x: [u8; 2], S { f }: S) -> Vec<u8> where T: Fn() {"));
        assert!(!out.contains("call") && !out.contains("nested"));
        assert!(out.contains("}\nstruct K;"));
        // In impls and traits; a fn without a body; fn pointer types.
        let text = "impl X {\n    pub fn m(&self) -> u8 { 1 }\n    fn n();\n}\ntrait T { fn d(&self) { body() } }\ntype F = fn(u8) -> u8;\n";
        let out = blank(text);
        assert!(out.contains("pub fn m(&self) -> u8 {"));
        assert!(out.contains("fn n();") && out.contains("trait T { fn d(&self) {"));
        assert!(!out.contains("body()") && out.contains("type F = fn(u8) -> u8;"));
    }

    #[test]
    fn literals_comments_and_lifetimes_do_not_confuse_braces() {
        let text = concat!(
            "fn a<'a>(s: &'a str) -> char {\n",
            "    let _ = \"}\"; let _ = '}'; let _ = '\\''; let _ = 'é';\n",
            "    let _ = r#\"} \"still\" }\"#; // }\n",
            "    /* } /* } */ */ 'outer: loop { break 'outer; }\n",
            "    '{'\n",
            "}\n",
            "pub struct After;\n",
        );
        let out = blank(text);
        assert!(out.contains("pub struct After;"));
        assert!(!out.contains("still") && !out.contains("outer"));
        assert!(out.trim_end().ends_with("}\npub struct After;"));
    }

    #[test]
    fn bodies_that_may_add_to_the_module_are_kept() {
        // An impl in a fn body is the crate's; a macro_rules! adds names.
        let text = "fn a() { impl X { fn inner() { gone() } } }\nfn b() { macro_rules! m { () => {} } }\nmacro_rules! top { () => { fn f() { kept() } } }\n";
        let out = blank(text);
        assert!(out.contains("impl X { fn inner() {"));
        assert!(!out.contains("gone()"), "a nested fn's own body still goes");
        assert!(out.contains("macro_rules! m") && out.contains("kept()"));
    }

    #[test]
    fn text_that_does_not_scan_is_left_alone() {
        assert_eq!(blank_fn_bodies("fn a() { \"unterminated }\n"), None);
        assert_eq!(blank_fn_bodies("fn a() { {\n"), None);
        assert_eq!(blank_fn_bodies("struct S;\n"), None);
        // A raw identifier named fn is no fn.
        assert_eq!(blank_fn_bodies("let r#fn = x; { y }"), None);
    }
}
