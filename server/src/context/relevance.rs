//! Which names matter for what the user is doing: the words of the task and
//! of the code around the cursor, matched against the word parts of a name
//! (`read_text` → read, text; `getLogger` → get, logger; `YAMLError` → yaml,
//! error) and against the words of its first doc line, each reduced to a
//! simple stem ("raised", "raises" → rais) and widened by a few synonyms
//! programmers use for the same act ("exception" finds `…Error`).

use std::collections::BTreeSet;

use crate::analysis::suggest::{self, stem, SYNONYMS};

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
    /// Stems, synonyms included.
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
        let synonyms: Vec<&str> = words
            .iter()
            .flat_map(|w| {
                SYNONYMS
                    .iter()
                    .filter(|g| g.contains(&w.as_str()))
                    .flat_map(|g| g.iter().copied())
            })
            .collect();
        words.extend(synonyms.into_iter().map(str::to_string));
        Interest { words }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// How many of the name's word parts are words of interest.
    pub fn score(&self, name: &str) -> u32 {
        self.name_matches(name).len() as u32
    }

    /// The words of interest among the name's word parts.
    pub fn name_matches(&self, name: &str) -> BTreeSet<String> {
        if self.words.is_empty() {
            return BTreeSet::new();
        }
        suggest::tokens(name)
            .iter()
            .map(|t| stem(t))
            .filter(|t| t.len() >= 2 && self.words.contains(t.as_str()))
            .collect()
    }

    /// How many different words of a doc line are words of interest.
    pub fn doc_score(&self, doc: &str) -> u32 {
        self.doc_matches(doc).len() as u32
    }

    /// The words of interest among a doc line's words.
    pub fn doc_matches(&self, doc: &str) -> BTreeSet<String> {
        if self.words.is_empty() {
            return BTreeSet::new();
        }
        let mut found = BTreeSet::new();
        add_words(&mut found, doc);
        found.retain(|w| self.words.contains(w));
        found
    }
}

/// The words that say nothing about which member of one container is
/// meant: words that at least two thirds of its members (of six or more)
/// match, by name or doc line — "json" in a task about module `json`, whose
/// members nearly all speak of JSON. They still make the container relevant;
/// they do not rank its members. (A container's own name is not enough:
/// `rich.markdown.Markdown` is what a task about Markdown means.)
pub fn common_words<'a>(
    matches: impl Iterator<Item = &'a BTreeSet<String>> + Clone,
) -> BTreeSet<String> {
    let members = matches.clone().count();
    if members < 6 {
        return BTreeSet::new();
    }
    let mut counts: std::collections::BTreeMap<&String, usize> = Default::default();
    for m in matches {
        for w in m {
            *counts.entry(w).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter(|(_, c)| c * 3 >= members * 2)
        .map(|(w, _)| w.clone())
        .collect()
}

fn add_words(words: &mut BTreeSet<String>, text: &str) {
    for raw in text.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
        for token in suggest::tokens(raw) {
            if token.len() >= 2 && !STOP_WORDS.contains(&token.as_str()) {
                words.insert(stem(&token));
            }
        }
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
    fn words_meet_in_split_identifiers_stems_synonyms_and_docs() {
        let i = Interest::new(
            Some("get the base exception raised for invalid YAML"),
            "",
            None,
        );
        assert_eq!(i.score("YAMLError"), 2);
        assert_eq!(i.score("safe_load"), 0);
        assert!(i.doc_score("Raised when the input is not valid.") >= 1);
        let i = Interest::new(Some("parsing the entries"), "", None);
        assert_eq!(i.score("parse"), 1);
        assert_eq!(i.score("loads"), 1);
        assert_eq!(i.score("entry"), 1);
        assert_eq!(stem("files"), stem("file"));
        assert_eq!(stem("class"), "class");
    }

    #[test]
    fn words_every_member_shares_rank_none_of_them() {
        let i = Interest::new(Some("save notes as json"), "", None);
        let members = [
            ("dump", "Serialize obj as a JSON formatted stream to fp."),
            ("dumps", "Serialize obj to a JSON formatted str."),
            (
                "load",
                "Deserialize fp (a file containing a JSON document).",
            ),
            ("loads", "Deserialize s (a str) to a Python object."),
            ("JSONDecoder", "Simple JSON decoder."),
            (
                "JSONEncoder",
                "Extensible JSON encoder for Python data structures.",
            ),
            ("scanner", "JSON token scanner"),
        ];
        let matches: Vec<BTreeSet<String>> = members
            .iter()
            .map(|(n, d)| &i.name_matches(n) | &i.doc_matches(d))
            .collect();
        let common = common_words(matches.iter());
        assert!(common.contains("json"), "{common:?}");
        // "save" is not said of most: it still ranks `dump` (a synonym).
        assert!(!common.contains("sav"), "{common:?}");
        assert!(
            common_words(matches[..5].iter()).is_empty(),
            "too few to tell"
        );
    }

    #[test]
    fn the_cursor_window_counts_and_far_lines_do_not() {
        let mut text = String::from("session.fetch_all()\n");
        text.push_str(&"pass\n".repeat(20));
        text.push_str("compress_archive(url)\n");
        let near = Interest::new(None, &text, Some(21));
        assert_eq!(near.score("compress"), 1);
        assert_eq!(near.score("session"), 0);
        assert_eq!(Interest::default().score("fetch"), 0);
    }
}
