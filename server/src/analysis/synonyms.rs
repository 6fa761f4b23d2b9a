//! A thesaurus of programming vocabulary: the names other languages and
//! libraries give the same operation (`push`, `add`, `append`, `insert`;
//! `move`, `rename`; `clamp`, `clip`), for ranking the suggestions of a
//! missing name by what it means when nothing is spelled alike.
//!
//! The groups live in `synonyms.txt` beside this file (one group a line,
//! each with a comment naming the languages and libraries its words come
//! from); docs/suggestions.md says how they were written and how they are
//! weighed. Language-neutral: the word stems are the same for Python's and
//! Rust's suggestions ([`crate::analysis::suggest::suggest_members`] serves
//! both), and no group is keyed on a package or crate.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::analysis::suggest::stem;

/// The thesaurus text, compiled in.
const TEXT: &str = include_str!("synonyms.txt");

/// The groups, as stems, and for each stem the groups that hold it.
struct Thesaurus {
    groups: Vec<Vec<String>>,
    by_stem: HashMap<String, Vec<usize>>,
}

fn thesaurus() -> &'static Thesaurus {
    static THESAURUS: OnceLock<Thesaurus> = OnceLock::new();
    THESAURUS.get_or_init(|| parse(TEXT))
}

/// Reads the groups of a thesaurus text: `#` lines are comments, any other
/// non-empty line one group of words separated by white space, each word
/// reduced to its stem. A group left with fewer than two stems (two words of
/// one stem) is dropped: it links nothing.
fn parse(text: &str) -> Thesaurus {
    let mut groups: Vec<Vec<String>> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut group: Vec<String> = Vec::new();
        for word in line.split_whitespace() {
            let s = stem(word);
            if !group.contains(&s) {
                group.push(s);
            }
        }
        if group.len() >= 2 {
            groups.push(group);
        }
    }
    let mut by_stem: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, group) in groups.iter().enumerate() {
        for s in group {
            by_stem.entry(s.clone()).or_default().push(i);
        }
    }
    Thesaurus { groups, by_stem }
}

/// The stems that share a group with `stem` (itself left out), each once,
/// in the thesaurus' order.
pub fn of(stem: &str) -> Vec<&'static str> {
    let t = thesaurus();
    let mut out: Vec<&'static str> = Vec::new();
    for &g in t.by_stem.get(stem).map(Vec::as_slice).unwrap_or_default() {
        for s in &t.groups[g] {
            if s != stem && !out.contains(&s.as_str()) {
                out.push(s.as_str());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_of_a_group_are_synonyms_by_stem() {
        // `remove` and `delete` are looked up by their stems.
        let remove = of(&stem("remove"));
        assert!(remove.contains(&stem("delete").as_str()), "{remove:?}");
        assert!(remove.contains(&"discard"), "{remove:?}");
        let push = of("push");
        assert!(push.contains(&"append"), "{push:?}");
        assert!(!push.contains(&"push"), "{push:?}");
        assert!(of(&stem("move")).contains(&stem("rename").as_str()));
        assert!(of("clamp").contains(&"clip"));
    }

    #[test]
    fn a_word_in_several_groups_gets_all_of_them() {
        // `count`: a collection's size, and a tally.
        let count = of("count");
        assert!(
            count.contains(&"len") && count.contains(&"tally"),
            "{count:?}"
        );
        let mut sorted = count.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), count.len(), "each stem once: {count:?}");
    }

    #[test]
    fn unknown_words_have_no_synonyms() {
        assert!(of("frobnicate").is_empty());
        assert!(of("").is_empty());
    }

    #[test]
    fn comments_blank_lines_and_one_stem_groups_link_nothing() {
        let t = parse("# a comment\n\n  lookup find\nexist exists\n");
        assert_eq!(
            t.groups,
            vec![vec!["lookup".to_string(), "find".to_string()]]
        );
        assert!(!t.by_stem.contains_key("exist"));
    }

    #[test]
    fn the_thesaurus_is_well_formed() {
        let t = thesaurus();
        assert!(t.groups.len() >= 100, "{} groups", t.groups.len());
        for line in TEXT
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        {
            // Lower-case words only: the stems are matched against lower-cased
            // word parts.
            assert!(
                line.split_whitespace().all(|w| w
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
                "{line}"
            );
            assert!(line.split_whitespace().count() >= 2, "{line}");
        }
        // Every group says where it comes from: a comment line above it.
        let mut commented = false;
        for line in TEXT.lines() {
            if line.starts_with('#') {
                commented = true;
            } else if line.trim().is_empty() {
                commented = false;
            } else {
                assert!(commented, "group without a source comment: {line}");
            }
        }
    }
}
