//! Which names matter for what the user is doing: the words of the task and
//! of the code around the cursor, matched against the word tokens of a name
//! (`read_text` → read, text; `getLogger` → get, logger).

use std::collections::BTreeSet;

use crate::analysis::suggest;

/// Words too common to say anything about which API is wanted.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "def", "do", "does", "for", "from", "if",
    "in", "into", "is", "it", "its", "me", "not", "of", "on", "or", "return", "self", "so", "that",
    "the", "then", "this", "to", "use", "using", "with", "write", "code", "function", "none",
    "true", "false", "import", "class", "we", "you", "can", "should", "all", "new",
];

/// How many lines above and below the cursor count as "around" it.
pub const CURSOR_WINDOW: usize = 6;

/// The words of interest: the task's and those of the lines around the cursor.
#[derive(Debug, Default)]
pub struct Interest {
    words: BTreeSet<String>,
}

impl Interest {
    pub fn new(task: Option<&str>, text: &str, line: Option<usize>) -> Interest {
        let mut words = BTreeSet::new();
        if let Some(task) = task {
            add_words(&mut words, task);
        }
        if let Some(line) = line {
            let lines: Vec<&str> = text.lines().collect();
            let start = line.saturating_sub(CURSOR_WINDOW);
            let end = (line + CURSOR_WINDOW + 1).min(lines.len());
            for l in lines.get(start..end).unwrap_or_default() {
                add_words(&mut words, l);
            }
        }
        Interest { words }
    }

    /// How many of the name's tokens are words of interest.
    pub fn score(&self, name: &str) -> u32 {
        if self.words.is_empty() {
            return 0;
        }
        let tokens: BTreeSet<String> = suggest::tokens(name).into_iter().map(normal).collect();
        tokens
            .iter()
            .filter(|t| t.len() >= 2 && self.words.contains(t.as_str()))
            .count() as u32
    }
}

fn add_words(words: &mut BTreeSet<String>, text: &str) {
    for raw in text.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
        for token in suggest::tokens(raw) {
            let token = normal(token);
            if token.len() >= 2 && !STOP_WORDS.contains(&token.as_str()) {
                words.insert(token);
            }
        }
    }
}

/// A plural is the same word: "files" matches `read_file`.
fn normal(token: String) -> String {
    if token.len() > 3 && token.ends_with('s') && !token.ends_with("ss") {
        token[..token.len() - 1].to_string()
    } else {
        token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_words_match_name_tokens() {
        let i = Interest::new(Some("Read the config files as JSON"), "", None);
        assert_eq!(i.score("read_file"), 2);
        assert_eq!(i.score("loadJson"), 1);
        assert_eq!(i.score("write_text"), 0);
    }

    #[test]
    fn the_cursor_window_counts_and_far_lines_do_not() {
        let mut text = String::from("session.fetch_all()\n");
        text.push_str(&"pass\n".repeat(20));
        text.push_str("download_archive(url)\n");
        let near = Interest::new(None, &text, Some(21));
        assert_eq!(near.score("download"), 1);
        assert_eq!(near.score("fetch"), 0);
        assert_eq!(Interest::default().score("fetch"), 0);
    }
}
