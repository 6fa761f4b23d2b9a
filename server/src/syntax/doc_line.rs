//! The one line of documentation the context and hover show for a
//! definition, from its whole doc text (a Python docstring, a Rust doc
//! comment): the first paragraph's first sentence, on one line, cut to a
//! length a listing can afford. Shared so both languages read alike.

/// The longest doc line kept, in characters (a cut one ends with `…`).
const MAX_CHARS: usize = 160;

/// Words that end with a period without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "etc", "vs", "cf", "approx", "resp", "Mr", "Dr",
];

/// The summary line of `text`, or None when it has no words.
pub fn first_doc_line(text: &str) -> Option<String> {
    let paragraph = first_paragraph(text);
    if paragraph.is_empty() {
        return None;
    }
    let sentence = first_sentence(&paragraph);
    Some(cut(sentence, MAX_CHARS))
}

/// The lines of the first paragraph, trimmed and joined by single spaces. A
/// paragraph ends at a blank line, or at a line that starts a block of its
/// own (a heading, a code fence, a list, a doctest, a reST field).
fn first_paragraph(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            if out.is_empty() {
                continue;
            }
            break;
        }
        if !out.is_empty() && starts_block(line) {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

fn starts_block(line: &str) -> bool {
    ["#", "```", ">>>", "- ", "* ", ":param", ":return", ".. "]
        .iter()
        .any(|p| line.starts_with(p))
}

/// Up to the end of the first sentence: a `.`, `!` or `?` followed by
/// whitespace, outside backticks, not ending a known abbreviation.
fn first_sentence(text: &str) -> &str {
    let mut in_code = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '`' => in_code = !in_code,
            '.' | '!' | '?' if !in_code => {
                let at_space = chars.peek().is_some_and(|(_, n)| n.is_whitespace());
                if at_space && !(c == '.' && ends_abbreviation(&text[..i])) {
                    return &text[..i + c.len_utf8()];
                }
            }
            _ => {}
        }
    }
    text
}

fn ends_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    ABBREVIATIONS.contains(&word)
}

/// `text` cut at a word boundary to at most `max` characters, `…` marking a cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let end = text
        .char_indices()
        .nth(max.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(text.len());
    let head = &text[..end];
    let head = match head.rfind(char::is_whitespace) {
        Some(space) if space > end / 2 => &head[..space],
        _ => head,
    };
    format!("{}…", head.trim_end_matches([',', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::first_doc_line;

    #[test]
    fn first_sentence_of_first_paragraph() {
        let doc = "Count the words of a file,\nupper-cased. Then more.\n\nDetails.";
        assert_eq!(
            first_doc_line(doc).as_deref(),
            Some("Count the words of a file, upper-cased.")
        );
    }

    #[test]
    fn leading_blank_lines_and_blocks() {
        assert_eq!(
            first_doc_line("\n\n  Read it\n# Examples\nx").as_deref(),
            Some("Read it")
        );
        assert_eq!(first_doc_line("  \n \n").as_deref(), None);
        assert_eq!(first_doc_line("").as_deref(), None);
    }

    #[test]
    fn abbreviations_code_and_urls_do_not_end_a_sentence() {
        assert_eq!(
            first_doc_line("Parse, e.g. `a. b` or v1.2 here. No.").as_deref(),
            Some("Parse, e.g. `a. b` or v1.2 here.")
        );
        assert_eq!(first_doc_line("Done!  Next").as_deref(), Some("Done!"));
    }

    #[test]
    fn long_lines_are_cut_at_a_word() {
        let long = "word ".repeat(100);
        let line = first_doc_line(&long).unwrap();
        assert!(line.chars().count() <= 160, "{line}");
        assert!(line.ends_with("word…"), "{line}");
        // No whitespace at all: cut anyway, on a char boundary.
        let line = first_doc_line(&"é".repeat(300)).unwrap();
        assert_eq!(line.chars().count(), 160);
    }
}
