//! Suggestions: real names from the same container, nearest first.

use crate::analysis::synonyms;

/// Up to `limit` candidates close to `name`, best first. Close means a small
/// edit distance (case-insensitive), a shared prefix, or shared word tokens.
pub fn suggest<'a, I>(name: &str, candidates: I, limit: usize) -> Vec<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let lname = name.to_lowercase();
    let ntokens = tokens(name);
    let mut scored: Vec<(f64, String)> = candidates
        .into_iter()
        .filter(|c| *c != name && !c.is_empty())
        // Private names are only suggested for private names.
        .filter(|c| name.starts_with('_') || !c.starts_with('_'))
        .filter_map(|c| {
            let s = score(&lname, &ntokens, c);
            (s >= 0.62).then(|| (s, c.to_string()))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(limit).map(|(_, c)| c).collect()
}

fn score(lname: &str, ntokens: &[String], candidate: &str) -> f64 {
    let lc = candidate.to_lowercase();
    if lc == lname {
        return 1.0;
    }
    let dist = strsim::damerau_levenshtein(lname, &lc) as f64;
    let longest = lname.chars().count().max(lc.chars().count()) as f64;
    let mut sim = 1.0 - dist / longest;
    // Very short names: only one edit away counts.
    if longest <= 4.0 && dist > 1.0 {
        sim = 0.0;
    }
    let ctokens = tokens(candidate);
    let shared = ntokens.iter().filter(|t| ctokens.contains(t)).count() as f64;
    let union = (ntokens.len() + ctokens.len()) as f64 - shared;
    let overlap = if union > 0.0 { shared / union } else { 0.0 };
    // `read` → `read_text`, `exist` → `exists`: the name is a prefix of the real one.
    let prefix = if lname.len() >= 3 && lc.starts_with(lname) {
        0.25
    } else {
        0.0
    };
    sim.max(overlap * 0.9) + prefix
}

/// Words that name the same thing in API names, by stem: a task word in a
/// group matches every member of it. General programming vocabulary, never
/// a package's names.
pub const SYNONYMS: &[&[&str]] = &[
    &["error", "exception", "exc", "err"],
    &["pars", "deserializ", "decod", "load", "unmarshal"],
    &["serializ", "encod", "dump", "stringify", "marshal"],
    &["dict", "dictionary", "mapp", "map"],
    &["str", "text"],
    &["dir", "directory", "folder"],
    &["remov", "delet", "unlink", "rm", "eras"],
    &["mak", "creat", "new", "build", "compil"],
    &["fetch", "get", "download", "retriev"],
    &["length", "len", "siz"],
    &["int", "integ", "numb"],
    &["sleep", "wait", "paus"],
    &["join", "concat", "combin", "chain"],
    &["sort", "ord"],
    &["hash", "digest"],
    &["environ", "env", "environment"],
    &["temp", "tmp", "temporary"],
    &["cwd", "current"],
    &["walk", "travers"],
    &["match", "search", "find"],
    &["replac", "substitut", "sub"],
    &["strip", "trim"],
];

/// A simple stem, the same for a word's common forms: "files", "file" →
/// fil; "parsing", "parser", "parse" → pars; "entries" → entry. One suffix
/// is taken off, and never below three letters.
pub fn stem(token: &str) -> String {
    let t = token.to_lowercase();
    if t.len() > 4 && t.ends_with("ies") {
        return format!("{}y", &t[..t.len() - 3]);
    }
    for suffix in ["ing", "ers", "er", "ed", "es", "s", "e"] {
        if let Some(rest) = t.strip_suffix(suffix) {
            if rest.len() < 3 || (suffix == "s" && rest.ends_with('s')) {
                continue;
            }
            if suffix == "es" && !rest.ends_with(|c: char| !"aeiou".contains(c)) {
                continue;
            }
            return rest.to_string();
        }
    }
    t
}

/// What a missing name is used as, for the kinds of names to suggest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// A function, method or anything else that can be called.
    Callable,
    Class,
    /// A constant, variable or module: not callable.
    Value,
    Unknown,
}

/// A real name to suggest, with what the index knows of it.
#[derive(Debug, Clone)]
pub struct Named {
    pub name: String,
    pub kind: NameKind,
    /// Its first doc line.
    pub doc: Option<String>,
}

/// Up to `limit` real names for a missing member `name`, best first. One
/// score mixes how each candidate is spelled and what it means:
/// - spelling, as [`suggest`] weighs it (counted when it is near);
/// - the name's word parts the candidate's name holds — the same stem, a
///   synonym, one stem the start of the other (`configure` → `basicConfig`,
///   `closest` → `get_close_matches`), or the word inside an unsplit name
///   (`random_bytes` → `urandom`, `NULL` → `DEVNULL`) — the first content
///   word (the action: `save_array` → `save`) weighing more than the rest,
///   and how much of the candidate those words cover;
/// - the name's word parts its doc line says (`json.parse` → `loads`,
///   "Deserialize …");
/// - an abbreviation (`make_dirs` → `mkdir`);
/// - the kind the use wants: a call is never offered a value
///   (`shutil.COPY_BUFSIZE` for `shutil.copy_file(…)`), a constant's name
///   (`WARN_LEVEL`) never a function or class; a capitalised name prefers
///   classes, a lower-case call functions.
///
/// The spelling left unweighed (a fraction) breaks ties.
pub fn suggest_members(
    name: &str,
    candidates: &[Named],
    called: bool,
    limit: usize,
) -> Vec<String> {
    let lname = name.to_lowercase();
    let ntokens = tokens(name);
    let words = Words::of(name);
    let capital = name.starts_with(|c: char| c.is_uppercase());
    let constant = name.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !name.chars().any(|c| c.is_lowercase());
    let fits = |c: &Named| match c.kind {
        NameKind::Value => !called,
        NameKind::Callable | NameKind::Class => called || !constant,
        NameKind::Unknown => true,
    };
    let visible = |c: &Named| {
        c.name != name && !c.name.is_empty() && (name.starts_with('_') || !c.name.starts_with('_'))
    };
    let mut scored: Vec<(f64, &str)> = candidates
        .iter()
        .filter(|c| visible(c) && fits(c))
        .filter_map(|c| {
            let spelled = if negates(&lname, &c.name.to_lowercase()) {
                0.0
            } else {
                score(&lname, &ntokens, &c.name)
            };
            let near = if spelled >= NEAR_SPELLING {
                spelled
            } else {
                0.0
            };
            let meaning = words.meaning(c);
            if near == 0.0 && meaning == 0.0 {
                return None;
            }
            let kind = match (constant, capital, c.kind) {
                (true, _, NameKind::Value) => 0.1,
                (false, true, NameKind::Class) => 0.1,
                (false, false, NameKind::Callable) if called => 0.1,
                _ => 0.0,
            };
            Some((
                near + meaning + kind + 0.1 * spelled.min(1.0),
                c.name.as_str(),
            ))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(limit)
        .map(|(_, c)| c.to_string())
        .collect()
}

/// How alike two names must be spelled for the spelling to count in
/// [`suggest_members`]: a typo's distance (`get_env` → `getenv` 0.86,
/// `OrderDict` → `OrderedDict` 0.82). Below it the names differ by a word
/// (`open_url` and `open_new`, 0.63), and the words decide.
const NEAR_SPELLING: f64 = 0.7;

/// The word parts of a missing name, weighed for [`suggest_members`].
struct Words {
    /// The name as written.
    name: String,
    /// Stems, each with its weight: a word of one or two letters (`is`,
    /// `to`) 0.5, the first longer one 1.5 when there are several, others 1.
    stems: Vec<(String, f64)>,
}

/// What a word part matched counts: the same stem or a synonym fully, one
/// stem the start of the other or a word inside an unsplit name less.
const PARTIAL_MATCH: f64 = 0.6;

impl Words {
    fn of(name: &str) -> Words {
        let mut stems: Vec<String> = tokens(name)
            .iter()
            .filter(|t| t.len() >= 2)
            .map(|t| stem(t))
            .collect();
        if stems.is_empty() {
            stems.push(name.to_lowercase());
        }
        let first = stems.iter().position(|w| w.len() > 2).unwrap_or(0);
        let several = stems.len() > 1;
        let stems = stems
            .into_iter()
            .enumerate()
            .map(|(i, w)| {
                let weight = if w.len() <= 2 {
                    0.5
                } else if i == first && several {
                    1.5
                } else {
                    1.0
                };
                (w, weight)
            })
            .collect();
        Words {
            name: name.to_string(),
            stems,
        }
    }

    /// The weighed share of the name's words `matched` finds, 0 to 1.
    fn share(&self, matched: impl Fn(&str) -> f64) -> f64 {
        let total: f64 = self.stems.iter().map(|(_, w)| w).sum();
        let got: f64 = self.stems.iter().map(|(s, w)| w * matched(s)).sum();
        if total > 0.0 {
            got / total
        } else {
            0.0
        }
    }

    /// 1 when `candidate` abbreviates the name (`mkdir` of `make_dirs`) or
    /// the name abbreviates it.
    fn abbreviated_by(&self, candidate: &str) -> f64 {
        // Either one may abbreviate the other: `sqrt` for `square_root`;
        // `ext` for `extension` (a one-word name cut short).
        let short = abbreviates(candidate, &self.name)
            || abbreviates(&self.name, candidate)
            || truncates(&self.name, candidate);
        f64::from(u8::from(short))
    }

    /// How much candidate `c` means what the name says, by its name's
    /// words, their cover of the candidate, its doc line and abbreviation.
    fn meaning(&self, c: &Named) -> f64 {
        let cstems: Vec<String> = tokens(&c.name)
            .iter()
            .filter(|t| t.len() >= 2)
            .map(|t| stem(t))
            .collect();
        let unsplit: String = c.name.to_lowercase().replace('_', "");
        let in_name = self.share(|w| {
            let m = word_match(w, &cstems);
            if m == 0.0 {
                inside(w, &unsplit)
            } else {
                m
            }
        });
        // How much of the candidate the name's words account for.
        let cover = if in_name > 0.0 && !cstems.is_empty() {
            let covered = cstems
                .iter()
                .filter(|x| {
                    self.stems.iter().any(|(w, _)| {
                        word_match(w, std::slice::from_ref(*x)) > 0.0
                            || (w.len() >= 4 && x.contains(w.as_str()))
                    })
                })
                .count();
            covered as f64 / cstems.len() as f64
        } else {
            0.0
        };
        let in_doc = c.doc.as_deref().map_or(0.0, |d| {
            let dwords: Vec<String> = d
                .split(|ch: char| !ch.is_alphanumeric())
                .filter(|w| w.len() >= 2)
                .map(stem)
                .collect();
            self.share(|w| word_match(w, &dwords))
        });
        let abbreviation = self.abbreviated_by(&c.name);
        0.4 * in_name + 0.3 * abbreviation + 0.15 * cover + 0.25 * in_doc
    }
}

/// How well stem `w` of a name matches one of `words`: 1 for the same stem
/// or a [`SYNONYMS`] one, [`THESAURUS_MATCH`] for a thesaurus synonym
/// ([`synonyms`]: `push` → `append`), a [`PARTIAL_MATCH`] share of that when
/// one is the start of the other (the shorter of four letters or more:
/// `config` of `configur`), else 0.
fn word_match(w: &str, words: &[String]) -> f64 {
    let mut best: f64 = 0.0;
    for (s, weight) in synonyms_of(w) {
        for x in words {
            if x == s {
                best = best.max(weight);
                continue;
            }
            let (short, long) = if s.len() <= x.len() {
                (s, x.as_str())
            } else {
                (x.as_str(), s)
            };
            if short.len() >= 4 && long.starts_with(short) {
                best = best.max(PARTIAL_MATCH * weight);
            }
        }
    }
    best
}

/// How much stem `w` of a name, or a synonym of it, counts inside the
/// unsplit name `unsplit` of a candidate: [`PARTIAL_MATCH`] times what the
/// synonym counts (`random` in `urandom`, `find` for `match` in `findall`),
/// for words of four letters or more (shorter ones sit inside too many names
/// by chance).
fn inside(w: &str, unsplit: &str) -> f64 {
    synonyms_of(w)
        .into_iter()
        .filter(|(s, _)| s.len() >= 4 && unsplit.contains(s))
        .map(|(_, weight)| PARTIAL_MATCH * weight)
        .fold(0.0, f64::max)
}

/// Whether one lower-cased name is the other with a negation prefix
/// (`immutable` and `mutable`, `unquote` and `quote`, `non_blocking` and
/// `blocking`): spelled alike, they mean the opposite, so their spelling
/// must not make one the suggestion for the other. The shorter has four
/// letters or more (`index` is not the opposite of `dex`).
fn negates(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short.len() >= 4
        && ["un", "in", "im", "ir", "non", "dis"].iter().any(|p| {
            long.strip_prefix(p)
                .is_some_and(|rest| rest.trim_start_matches('_') == short)
        })
}

/// What a thesaurus synonym counts: a little less than the same stem, so
/// that the name's own word wins when both are there.
const THESAURUS_MATCH: f64 = 0.9;

/// A stem and the members of every synonym group that holds it, each with
/// what a match on it counts: the stem and [`SYNONYMS`] 1, the thesaurus'
/// [`THESAURUS_MATCH`].
fn synonyms_of(w: &str) -> Vec<(&str, f64)> {
    let mut out = vec![(w, 1.0)];
    for g in SYNONYMS.iter().filter(|g| g.contains(&w)) {
        out.extend(g.iter().filter(|x| **x != w).map(|x| (*x, 1.0)));
    }
    for x in synonyms::of(w) {
        if !out.iter().any(|(s, _)| *s == x) {
            out.push((x, THESAURUS_MATCH));
        }
    }
    out
}

/// Whether `short` (one word) abbreviates the several-word name `long`:
/// its letters in order within `long`'s, taking the first letter of every
/// word (`sqrt` of `square_root`, `rmtree` of `remove_tree`, `mkdir` of
/// `make_dirs`; not `sum` of `stack_columns`, nor `encode` of
/// `encode_base64`).
fn abbreviates(short: &str, long: &str) -> bool {
    if short.trim_matches('_').contains('_') {
        return false;
    }
    let short: Vec<char> = short.to_lowercase().chars().collect();
    let words: Vec<Vec<char>> = tokens(long).iter().map(|w| w.chars().collect()).collect();
    let letters: usize = words.iter().map(Vec::len).sum();
    if short.len() < 3 || short.len() + 2 > letters || words.len() < 2 {
        return false;
    }
    abbreviates_from(&short, &words, 0, 0)
}

/// Whether `short` is one-word `long` cut short by two letters or more
/// (`ext` of `extension`; not `exist` of `exists`).
fn truncates(short: &str, long: &str) -> bool {
    let short = short.to_lowercase();
    let long_l = long.to_lowercase();
    short.len() >= 3
        && long_l.len() >= short.len() + 2
        && long_l.starts_with(&short)
        && tokens(long).len() == 1
}

/// Whether `short[i..]` abbreviates `words[w..]`, starting with the first
/// letter of `words[w]`.
fn abbreviates_from(short: &[char], words: &[Vec<char>], i: usize, w: usize) -> bool {
    let Some(word) = words.get(w) else {
        return i == short.len();
    };
    if short.get(i) != word.first() {
        return false;
    }
    within_word(short, words, i + 1, w, 1)
}

/// Whether `short[i..]` goes on inside `words[w]` from letter `p` (taking
/// any of its letters in order) and then abbreviates the words after it.
fn within_word(short: &[char], words: &[Vec<char>], i: usize, w: usize, p: usize) -> bool {
    if abbreviates_from(short, words, i, w + 1) {
        return true;
    }
    let word = &words[w];
    (p..word.len())
        .any(|q| short.get(i) == Some(&word[q]) && within_word(short, words, i + 1, w, q + 1))
}

/// Installed top-level names for a module that does not exist, by the parts
/// they share with it (`fastjsonx` → `json`, `orjson`): a common run of at
/// least four characters that is at least half of the candidate, longest
/// and most complete first.
pub fn suggest_packages<'a, I>(name: &str, candidates: I, limit: usize) -> Vec<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let lname = name.to_lowercase();
    let mut scored: Vec<(usize, usize, String)> = candidates
        .into_iter()
        .filter(|c| *c != name && !c.starts_with('_'))
        .filter_map(|c| {
            let lc = c.to_lowercase();
            let common = longest_common_run(&lname, &lc);
            let n = lc.chars().count();
            (common >= 4 && common * 2 >= n).then(|| (common, n, c.to_string()))
        })
        .collect();
    // Longest run first, then the candidate it covers most (the shortest).
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    scored.into_iter().take(limit).map(|(_, _, c)| c).collect()
}

fn longest_common_run(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut best = 0;
    let mut prev = vec![0usize; b.len() + 1];
    for x in &a {
        let mut row = vec![0usize; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            if x == y {
                row[j + 1] = prev[j] + 1;
                best = best.max(row[j + 1]);
            }
        }
        prev = row;
    }
    best
}

/// The word parts of an identifier: `read_text` → [read, text];
/// `getLogger` → [get, logger]; `YAMLError` → [yaml, error] (an acronym ends
/// before the capital that starts the next word); `sha256` → [sha, 256].
pub fn tokens(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = Vec::new();
    let mut current = String::new();
    for (i, &ch) in chars.iter().enumerate() {
        if !ch.is_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        if let Some(&prev) = i.checked_sub(1).and_then(|p| chars.get(p)) {
            let next_lower = chars.get(i + 1).is_some_and(|c| c.is_lowercase());
            let boundary = (ch.is_uppercase() && (prev.is_lowercase() || prev.is_ascii_digit()))
                || (ch.is_uppercase() && prev.is_uppercase() && next_lower)
                || (ch.is_ascii_digit() && prev.is_alphabetic())
                || (ch.is_alphabetic() && prev.is_ascii_digit());
            if boundary && !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        }
        current.extend(ch.to_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_find_the_real_name() {
        assert_eq!(
            suggest("exist", ["exists", "expanduser", "join"], 3),
            vec!["exists"]
        );
        assert_eq!(
            suggest("getlogger", ["getLogger", "Logger", "info"], 3)[0],
            "getLogger"
        );
        assert_eq!(
            suggest("OrderDict", ["OrderedDict", "defaultdict", "deque"], 3)[0],
            "OrderedDict"
        );
        assert_eq!(
            suggest(
                "read",
                ["read_text", "read_bytes", "write_text", "rename"],
                3
            )[..2],
            ["read_bytes".to_string(), "read_text".to_string()]
        );
    }

    #[test]
    fn identifiers_split_into_word_parts() {
        assert_eq!(tokens("YAMLError"), ["yaml", "error"]);
        assert_eq!(tokens("HTTPServer"), ["http", "server"]);
        assert_eq!(tokens("getLogger"), ["get", "logger"]);
        assert_eq!(tokens("read_text"), ["read", "text"]);
        assert_eq!(tokens("sha256"), ["sha", "256"]);
        assert_eq!(tokens("b64encode"), ["b", "64", "encode"]);
        assert_eq!(tokens("IOError"), ["io", "error"]);
        assert_eq!(tokens("__init__"), ["init"]);
    }

    fn named(name: &str, kind: NameKind, doc: Option<&str>) -> Named {
        Named {
            name: name.to_string(),
            kind,
            doc: doc.map(str::to_string),
        }
    }

    #[test]
    fn a_call_gets_callables_and_meanings_when_nothing_is_near() {
        let shutil = [
            named("COPY_BUFSIZE", NameKind::Value, None),
            named(
                "copyfile",
                NameKind::Callable,
                Some("Copy data from src to dst."),
            ),
            named("copy", NameKind::Callable, Some("Copy data and mode bits.")),
        ];
        let s = suggest_members("copy_buf", &shutil, true, 3);
        assert!(!s.contains(&"COPY_BUFSIZE".to_string()), "{s:?}");
        let json = [
            named(
                "loads",
                NameKind::Callable,
                Some("Deserialize ``s`` to a Python object."),
            ),
            named(
                "dumps",
                NameKind::Callable,
                Some("Serialize ``obj`` to a JSON formatted ``str``."),
            ),
            named("JSONDecodeError", NameKind::Class, None),
        ];
        let s = suggest_members("parse", &json, true, 3);
        assert_eq!(s.first().map(String::as_str), Some("loads"), "{s:?}");
        assert!(!s.contains(&"dumps".to_string()), "{s:?}");
    }

    #[test]
    fn an_abbreviation_is_offered_when_nothing_is_spelled_alike() {
        let math = [
            named("sqrt", NameKind::Callable, None),
            named("pow", NameKind::Callable, None),
            named("pi", NameKind::Value, None),
        ];
        assert_eq!(suggest_members("square_root", &math, true, 3), ["sqrt"]);
        assert!(!abbreviates("pow", "square_root"));
        assert!(!abbreviates("tan", "concat"));
        // The other way round: the invented name abbreviates the real one.
        let path = [
            named("extension", NameKind::Callable, None),
            named("exists", NameKind::Callable, None),
        ];
        assert_eq!(suggest_members("ext", &path, true, 3)[0], "extension");
    }

    #[test]
    fn word_parts_match_by_the_start_of_a_stem_and_inside_unsplit_names() {
        let logging = [
            named(
                "basicConfig",
                NameKind::Callable,
                Some("Do basic configuration for the logging system."),
            ),
            named("shutdown", NameKind::Callable, None),
        ];
        assert_eq!(
            suggest_members("configure", &logging, true, 3),
            ["basicConfig"]
        );
        let process = [
            named("DEVNULL", NameKind::Value, None),
            named("PIPE", NameKind::Value, None),
            named("run", NameKind::Callable, None),
        ];
        assert_eq!(suggest_members("NULL", &process, false, 3), ["DEVNULL"]);
    }

    #[test]
    fn the_meaning_outranks_a_spelling_that_shares_a_minor_word() {
        let path = [
            named(
                "is_dir",
                NameKind::Callable,
                Some("Whether this path is a directory."),
            ),
            named(
                "home",
                NameKind::Callable,
                Some("Return the user's home directory."),
            ),
            named("iterdir", NameKind::Callable, None),
        ];
        let s = suggest_members("home_dir", &path, true, 3);
        assert_eq!(s.first().map(String::as_str), Some("home"), "{s:?}");
    }

    #[test]
    fn another_languages_name_finds_the_real_one_through_the_thesaurus() {
        // JavaScript's and Rust's `push` is Python's `append`.
        let list = [
            named("append", NameKind::Callable, None),
            named("pop", NameKind::Callable, None),
            named("sort", NameKind::Callable, None),
        ];
        assert_eq!(suggest_members("push", &list, true, 3)[0], "append");
        // `mv` / Java's `Files.move` is `rename`; C++'s `clamp` is numpy's `clip`.
        let os = [
            named("rename", NameKind::Callable, None),
            named("remove", NameKind::Callable, None),
            named("mkdir", NameKind::Callable, None),
        ];
        assert_eq!(suggest_members("move", &os, true, 3)[0], "rename");
        let np = [
            named("clip", NameKind::Callable, None),
            named("cumsum", NameKind::Callable, None),
        ];
        assert_eq!(suggest_members("clamp", &np, true, 3), ["clip"]);
    }

    #[test]
    fn a_doc_line_that_says_a_synonym_counts() {
        // Nothing in the names links `deflate` to `compress`: the doc line
        // of `compress` says the synonym.
        let gzip = [
            named(
                "compress",
                NameKind::Callable,
                Some("Compress data in one shot and return the compressed string."),
            ),
            named(
                "open",
                NameKind::Callable,
                Some("Open a gzip-compressed file."),
            ),
            named("GzipFile", NameKind::Class, None),
        ];
        let s = suggest_members("deflate", &gzip, true, 3);
        assert_eq!(s.first().map(String::as_str), Some("compress"), "{s:?}");
    }

    #[test]
    fn the_names_own_word_outranks_a_synonym() {
        // `move_file`: `move` says the word itself, `rename` a synonym.
        let shutil = [
            named("rename", NameKind::Callable, None),
            named("move", NameKind::Callable, None),
        ];
        assert_eq!(suggest_members("move_file", &shutil, true, 3)[0], "move");
        assert_eq!(word_match("push", &["push".to_string()]), 1.0);
        assert_eq!(word_match("push", &["append".to_string()]), THESAURUS_MATCH);
        assert_eq!(word_match("frobn", &["append".to_string()]), 0.0);
    }

    #[test]
    fn a_synonym_counts_inside_an_unsplit_name() {
        // `push`, a synonym of `add`, is inside `heappush`.
        let heapq = [
            named("heappush", NameKind::Callable, None),
            named("heapify", NameKind::Callable, None),
            named("nlargest", NameKind::Callable, None),
        ];
        assert_eq!(suggest_members("add", &heapq, true, 3), ["heappush"]);
        assert!(inside("add", "heappush") > 0.0);
        assert_eq!(inside("add", "heapify"), 0.0);
        // Three letters are too few to count inside a name.
        assert_eq!(inside("dir", "chdir"), 0.0);
    }

    #[test]
    fn an_opposite_is_not_suggested_for_its_spelling() {
        let attrs = [
            named("mutable", NameKind::Callable, None),
            named(
                "frozen",
                NameKind::Callable,
                Some("Define a frozen class: its instances cannot be changed."),
            ),
        ];
        assert_eq!(suggest_members("immutable", &attrs, true, 3), ["frozen"]);
        assert!(negates("immutable", "mutable"));
        assert!(negates("quote", "unquote"));
        assert!(negates("non_blocking", "blocking"));
        // Not a word of three letters: `index` is not the opposite of `dex`.
        assert!(!negates("index", "dex"));
        assert!(!negates("quote", "unquote_plus"));
    }

    #[test]
    fn a_name_that_differs_by_a_word_is_not_near() {
        // `open_new` is spelled like `open_url` only by chance (0.63):
        // `open` says the name's word and nothing else.
        let webbrowser = [
            named("open_new", NameKind::Callable, None),
            named("open", NameKind::Callable, None),
        ];
        assert_eq!(suggest_members("open_url", &webbrowser, true, 3)[0], "open");
        // A typo still is.
        let os = [
            named("getenv", NameKind::Callable, None),
            named("putenv", NameKind::Callable, None),
        ];
        assert_eq!(suggest_members("get_env", &os, true, 3)[0], "getenv");
    }

    #[test]
    fn a_constant_gets_values() {
        let logging = [
            named(
                "warning",
                NameKind::Callable,
                Some("Log a message with severity WARNING."),
            ),
            named("WARN", NameKind::Value, None),
            named("WARNING", NameKind::Value, None),
            named("getLevelName", NameKind::Callable, None),
        ];
        let s = suggest_members("WARN_LEVEL", &logging, false, 3);
        assert!(!s.is_empty(), "{s:?}");
        assert!(
            s.iter().all(|n| n.chars().all(|c| !c.is_lowercase())),
            "{s:?}"
        );
    }

    #[test]
    fn an_abbreviation_takes_the_first_letter_of_every_word() {
        assert!(abbreviates("mkdir", "make_dirs"));
        assert!(abbreviates("rmtree", "remove_tree"));
        assert!(!abbreviates("sum", "stack_columns"));
        assert!(!abbreviates("encode", "encode_base64"));
    }

    #[test]
    fn packages_sharing_a_part_of_the_name() {
        let s = suggest_packages("fastjsonx", ["json", "orjson", "fastapi", "yaml", "js"], 3);
        assert_eq!(s, ["json", "orjson", "fastapi"]);
    }

    #[test]
    fn unrelated_names_are_not_suggested() {
        assert!(suggest("add_days", ["astimezone", "isoformat", "now"], 3).is_empty());
        assert!(suggest("xy", ["ab", "cd"], 3).is_empty());
    }

    #[test]
    fn private_names_only_for_private_names() {
        assert!(suggest("helper", ["_helper"], 3).is_empty());
        assert_eq!(suggest("_helpr", ["_helper"], 3), vec!["_helper"]);
    }
}
