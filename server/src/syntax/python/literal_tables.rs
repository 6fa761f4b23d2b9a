//! Large literal tables read without their tree.
//!
//! A module that is mostly data (`DATA = [1, 22, 333, …]` over a
//! megabyte) is one statement: no cut divides it (`pieces`), and its tree
//! — a node every two bytes, 120 bytes a node — weighs a hundred times the
//! text while it is walked. Yet such a statement tells the facts little:
//! it binds its targets to a list, tuple, set or dict, and it is a
//! collection of strings (`literal_collections`) or not. So a statement
//! at column 0 of the form `NAME = … = <literal>`, the literal made only
//! of numbers, strings, `True`/`False`/`None`, brackets, commas, colons
//! and comments, is checked by a scanner here and blanked to spaces in a
//! copy of the text (line breaks and comments kept, so every offset, row
//! and suppression stays) but for one element that keeps its kind and
//! makes it no collection of strings (a number, a nested list): the copy
//! is parsed instead, its tree a few nodes per table.
//!
//! Only a literal the scanner reads whole and that holds such an element
//! at its top level is blanked (a list of strings is a collection the
//! facts keep, element by element). After the parse of the copy, each
//! blanked literal must be, in its tree, exactly the value of a top-level
//! assignment and the tree must hold no error; then the text before each
//! literal reads the same in both texts and the literal is one in the
//! original too (the scanner takes Python's tokens as tree-sitter does),
//! so the facts are those of the original text, field for field
//! (`tests` compares them over random tables). Otherwise the original is
//! parsed.

use tree_sitter::Node;

/// A literal blanked in the copy: its bytes (opening to closing bracket)
/// and the statement's start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Table {
    pub statement: usize,
    pub start: usize,
    pub end: usize,
}

/// Brackets nested deeper than this are not read (the parse decides).
const MAX_DEPTH: usize = 64;

/// Python's hard keywords: never an assignment's target.
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// The copy of `text` with its literal tables blanked, when they make up
/// at least `min_bytes` of it (brackets to brackets).
pub(super) fn blank_tables(text: &str, min_bytes: usize) -> Option<(String, Vec<Table>)> {
    let b = text.as_bytes();
    let mut out: Option<Vec<u8>> = None;
    let mut tables = Vec::new();
    let mut blanked = 0;
    let mut at = 0;
    while at < b.len() {
        let next = match table_at(b, at) {
            Some(found) => {
                let copy = out.get_or_insert_with(|| b.to_vec());
                found.blank(copy);
                blanked += found.table.end - found.table.start;
                let end = found.table.end;
                tables.push(found.table);
                end
            }
            None => at,
        };
        // The next line start.
        at = match b[next..].iter().position(|&c| c == b'\n') {
            Some(nl) => next + nl + 1,
            None => b.len(),
        };
    }
    if blanked < min_bytes.max(1) {
        return None;
    }
    // Only ASCII bytes were written over whole UTF-8 sequences (every byte
    // of a blanked multi-byte character became a space).
    let copy = String::from_utf8(out?).ok()?;
    Some((copy, tables))
}

/// Whether every table is, in `root` (the parse of the copy), exactly the
/// value of a top-level assignment, and the tree holds no error.
pub(super) fn tables_hold(root: Node, tables: &[Table]) -> bool {
    if root.has_error() {
        return false;
    }
    let mut cursor = root.walk();
    let statements: Vec<Node> = root.named_children(&mut cursor).collect();
    tables.iter().all(|t| {
        let Ok(i) = statements.binary_search_by_key(&t.statement, |s| s.start_byte()) else {
            return false;
        };
        let s = statements[i];
        if s.kind() != "expression_statement" || s.named_child_count() != 1 {
            return false;
        }
        let mut value = s.named_child(0);
        while let Some(v) = value.filter(|v| v.kind() == "assignment") {
            value = v.child_by_field_name("right");
        }
        value.is_some_and(|v| {
            matches!(v.kind(), "list" | "tuple" | "set" | "dictionary")
                && v.start_byte() == t.start
                && v.end_byte() == t.end
        })
    })
}

/// A table found at a line start, and what of it to keep.
struct Found {
    table: Table,
    /// The element kept, `keep.0..keep.1` (inside the brackets).
    keep: (usize, usize),
    /// Comments inside the literal (kept).
    comments: Vec<(usize, usize)>,
}

impl Found {
    /// Blank the literal in `copy` but its brackets, the element kept,
    /// comments and line breaks.
    fn blank(&self, copy: &mut [u8]) {
        let mut comments = self.comments.iter().peekable();
        let mut i = self.table.start + 1;
        while i + 1 < self.table.end {
            if i == self.keep.0 {
                i = self.keep.1;
                continue;
            }
            while comments.peek().is_some_and(|c| c.1 <= i) {
                comments.next();
            }
            if let Some(&&(s, e)) = comments.peek() {
                if s <= i {
                    i = e;
                    continue;
                }
            }
            if !matches!(copy[i], b'\n' | b'\r') {
                copy[i] = b' ';
            }
            i += 1;
        }
    }
}

/// `NAME = … = <literal>` at `at` (a line start), the literal a table with
/// an element to keep, nothing after it on its line but a comment.
fn table_at(b: &[u8], at: usize) -> Option<Found> {
    let mut i = at;
    let mut targets = 0;
    let open = loop {
        match b.get(i) {
            Some(b'[' | b'(' | b'{') if targets > 0 => break i,
            _ => {}
        }
        let name_end = identifier(b, i)?;
        let name = std::str::from_utf8(&b[i..name_end]).ok()?;
        if KEYWORDS.contains(&name) || (name.starts_with("__") && name.ends_with("__")) {
            return None;
        }
        i = spaces(b, name_end);
        if b.get(i) != Some(&b'=') || b.get(i + 1) == Some(&b'=') {
            return None;
        }
        i = spaces(b, i + 1);
        targets += 1;
    };
    let mut scan = Scan {
        b,
        i: open,
        depth: 0,
        top: None,
        top_kind: Kind::List,
        comments: Vec::new(),
    };
    scan.value()?;
    let end = scan.i;
    // Nothing after it on the line but a comment.
    let mut j = spaces(b, end);
    if b.get(j) == Some(&b'#') {
        j += b[j..]
            .iter()
            .position(|&c| c == b'\n')
            .unwrap_or(b.len() - j);
    }
    if b.get(j) == Some(&b'\r') {
        j += 1;
    }
    if j < b.len() && b[j] != b'\n' {
        return None;
    }
    let keep = scan.kept()?;
    Some(Found {
        table: Table {
            statement: at,
            start: open,
            end,
        },
        keep,
        comments: scan.comments,
    })
}

/// The end of the identifier (ASCII) at `i`.
fn identifier(b: &[u8], i: usize) -> Option<usize> {
    let first = *b.get(i)?;
    if !(first == b'_' || first.is_ascii_alphabetic()) {
        return None;
    }
    let len = b[i..]
        .iter()
        .position(|&c| !(c == b'_' || c.is_ascii_alphanumeric()))
        .unwrap_or(b.len() - i);
    // A non-ASCII letter continues the name: not read here.
    if b.get(i + len).is_some_and(|c| !c.is_ascii()) {
        return None;
    }
    Some(i + len)
}

fn spaces(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    List,
    Tuple,
    Set,
    Dict,
    /// `(x)`: no tuple.
    Parenthesized,
}

/// What an element is, as far as a collection of strings goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Element {
    /// A number (signed or not), `True`, `False`, `None`, a list, set or
    /// dict: it makes its collection no collection of strings.
    Other,
    /// A string, strings side by side, or a parenthesized element: may be
    /// part of a collection of strings.
    Stringish,
}

/// The first element of the outermost literal that is (a dict's pair: its
/// key is) [`Element::Other`]: its bytes, the end of the comma after it,
/// the start of the element before it.
struct Top {
    start: usize,
    end: usize,
    comma_end: Option<usize>,
    before: Option<usize>,
}

struct Scan<'t> {
    b: &'t [u8],
    i: usize,
    depth: usize,
    top: Option<Top>,
    top_kind: Kind,
    comments: Vec<(usize, usize)>,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Whitespace, line breaks and comments (inside brackets).
    fn skip(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => self.i += 1,
                b'#' => {
                    let start = self.i;
                    while self.peek().is_some_and(|c| c != b'\n' && c != b'\r') {
                        self.i += 1;
                    }
                    self.comments.push((start, self.i));
                }
                _ => return,
            }
        }
    }

    /// One element at `i`.
    fn value(&mut self) -> Option<Element> {
        let c = self.peek()?;
        match c {
            b'[' | b'(' | b'{' => {
                let kind = self.container()?;
                Some(match kind {
                    Kind::Tuple | Kind::Parenthesized => Element::Stringish,
                    _ => Element::Other,
                })
            }
            b'-' | b'+' => {
                self.i += 1;
                self.skip();
                self.number()?;
                Some(Element::Other)
            }
            b'0'..=b'9' | b'.' => {
                self.number()?;
                Some(Element::Other)
            }
            _ => {
                if self.string_start().is_some() {
                    while self.string_start().is_some() {
                        self.string()?;
                        self.skip();
                    }
                    // (The comments and spaces after the last string are
                    // not the element's.)
                    return Some(Element::Stringish);
                }
                let end = identifier(self.b, self.i)?;
                match &self.b[self.i..end] {
                    b"True" | b"False" | b"None" => {
                        self.i = end;
                        Some(Element::Other)
                    }
                    _ => None,
                }
            }
        }
    }

    /// A bracketed literal at `i`; its kind.
    fn container(&mut self) -> Option<Kind> {
        let open = self.peek()?;
        let close = match open {
            b'[' => b']',
            b'(' => b')',
            _ => b'}',
        };
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let outermost = self.depth == 1;
        self.i += 1;
        let mut kind = match open {
            b'[' => Kind::List,
            b'(' => Kind::Parenthesized,
            _ => Kind::Set,
        };
        let mut items = 0;
        let mut commas = 0;
        let mut before = None;
        loop {
            self.skip();
            if self.peek()? == close {
                self.i += 1;
                break;
            }
            let start = self.i;
            let element = self.value()?;
            let mut end = self.i;
            self.skip();
            if open == b'{' && (items == 0 || kind == Kind::Dict) && self.peek() == Some(b':') {
                if items == 0 {
                    kind = Kind::Dict;
                }
                self.i += 1;
                self.skip();
                self.value()?;
                end = self.i;
                self.skip();
            } else if kind == Kind::Dict {
                return None;
            }
            // (A dict's pair counts by its key.)
            items += 1;
            let mut comma_end = None;
            if self.peek() == Some(b',') {
                self.i += 1;
                commas += 1;
                comma_end = Some(self.i);
            } else if self.peek() != Some(close) {
                return None;
            }
            if outermost && self.top.is_none() && element == Element::Other {
                self.top = Some(Top {
                    start,
                    end,
                    comma_end,
                    before,
                });
            }
            before = Some(start);
        }
        if open == b'(' && (commas > 0 || items == 0) {
            kind = Kind::Tuple;
        }
        if outermost {
            self.top_kind = kind;
        }
        self.depth -= 1;
        Some(kind)
    }

    /// A number at `i`: decimal (with `_` between digits, a fraction, an
    /// exponent, `j`) or hexadecimal, as tree-sitter reads it in one token.
    fn number(&mut self) -> Option<()> {
        let b = self.b;
        // Digits at `i`, single underscores between them.
        let digits = |mut i: usize, hex: bool| -> Option<usize> {
            let is = |c: u8| {
                if hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                }
            };
            loop {
                let run = b[i..].iter().take_while(|&&c| is(c)).count();
                if run == 0 {
                    return None;
                }
                i += run;
                if b.get(i) == Some(&b'_') && b.get(i + 1).is_some_and(|&c| is(c)) {
                    i += 1;
                } else {
                    return Some(i);
                }
            }
        };
        let mut i = self.i;
        if b.get(i) == Some(&b'0') && matches!(b.get(i + 1), Some(b'x' | b'X')) {
            i = digits(i + 2, true)?;
        } else {
            let int = digits(i, false);
            i = int.unwrap_or(i);
            if b.get(i) == Some(&b'.') {
                i += 1;
                match digits(i, false) {
                    Some(e) => i = e,
                    None if int.is_some() => {}
                    None => return None,
                }
            } else if int.is_none() {
                return None;
            }
            if matches!(b.get(i), Some(b'e' | b'E')) {
                let mut e = i + 1;
                if matches!(b.get(e), Some(b'+' | b'-')) {
                    e += 1;
                }
                i = digits(e, false)?;
            }
            if matches!(b.get(i), Some(b'j' | b'J')) {
                i += 1;
            }
        }
        // Nothing glued to it (`1x`, `1.2.3`).
        if b.get(i)
            .is_some_and(|&c| c == b'_' || c == b'.' || c.is_ascii_alphanumeric() || !c.is_ascii())
        {
            return None;
        }
        self.i = i;
        Some(())
    }

    /// The length of a string's prefix and quote at `i` (`r"`, `b'''`):
    /// prefixes r, u, b, br, rb in any case; not f or t (they hold code).
    fn string_start(&self) -> Option<usize> {
        let rest = &self.b[self.i..];
        let prefix = rest
            .iter()
            .take(3)
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
        let p: Vec<u8> = rest[..prefix].iter().map(u8::to_ascii_lowercase).collect();
        if !matches!(&p[..], b"" | b"r" | b"u" | b"b" | b"br" | b"rb") {
            return None;
        }
        matches!(rest.get(prefix), Some(b'"' | b'\'')).then_some(prefix)
    }

    /// One string at `i` (a backslash escapes the character after it, in
    /// raw strings too, as far as where the string ends goes).
    fn string(&mut self) -> Option<()> {
        let b = self.b;
        self.i += self.string_start()?;
        let q = b[self.i];
        let triple = b.get(self.i + 1) == Some(&q) && b.get(self.i + 2) == Some(&q);
        self.i += if triple { 3 } else { 1 };
        loop {
            let c = *b.get(self.i)?;
            match c {
                b'\\' => self.i += 2,
                b'\n' | b'\r' if !triple => return None,
                _ if c == q => {
                    if !triple {
                        self.i += 1;
                        return Some(());
                    }
                    if b.get(self.i + 1) == Some(&q) && b.get(self.i + 2) == Some(&q) {
                        self.i += 3;
                        return Some(());
                    }
                    self.i += 1;
                }
                _ => self.i += 1,
            }
        }
    }

    /// The element of the outermost literal to keep: one that makes it no
    /// collection of strings (for a tuple, with a comma, so that it stays
    /// a tuple). `None` when there is none (or it is no tuple, list, set
    /// or dict).
    fn kept(&self) -> Option<(usize, usize)> {
        if self.top_kind == Kind::Parenthesized {
            return None;
        }
        let t = self.top.as_ref()?;
        if self.top_kind != Kind::Tuple {
            return Some((t.start, t.end));
        }
        match t.comma_end {
            Some(comma) => Some((t.start, comma)),
            // The last element, no comma after it: with the one before.
            None => Some((t.before?, t.end)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use super::*;

    use crate::syntax::test_rng::Rng;

    const SCALARS: &[&str] = &[
        "1",
        "22",
        "-3",
        "+ 4",
        "4.5",
        "1e-3",
        "2E+10",
        "0x1F",
        "0Xdead_beef",
        "1_000",
        "2j",
        ".5",
        "7.",
        "1.e5",
        "007",
        "True",
        "False",
        "None",
    ];
    const STRINGS: &[&str] = &[
        "'a'",
        "\"b c\"",
        "r'\\d+'",
        "b\"x\"",
        "'''multi\nline = [1, 2]\n'''",
        "\"é ü\"",
        "\"a\" \"b\"",
        "'it\\'s'",
        "u'x'",
        "Rb'\\x00'",
        "'# not a comment'",
        "\"\"",
        "'\\\n'",
    ];
    /// What the scanner must refuse (the parse then decides).
    const HOSTILE: &[&str] = &[
        "y",
        "f\"{x}\"",
        "1 2",
        "1__0",
        "1x",
        "0x_1",
        "1.2.3",
        "*a",
        "lambda: 1",
        "(1)(2)",
        "'open",
        "1L",
        "[1,,2]",
        "{1: 2, 3}",
        "{1, 2: 3}",
        "x.y",
        "\\\n1",
    ];
    const SPACES: &[&str] = &[
        "",
        " ",
        "\n",
        "\n    ",
        "  # grounded: ignore\n",
        "  # type: ignore\n  ",
        "\t",
    ];

    fn element(rng: &mut Rng, depth: usize, hostile: bool) -> String {
        if hostile && rng.below(30) == 0 {
            return rng.pick(HOSTILE).to_string();
        }
        match rng.below(if depth > 3 { 2 } else { 4 }) {
            0 => rng.pick(SCALARS).to_string(),
            1 => rng.pick(STRINGS).to_string(),
            _ => container(rng, depth + 1, hostile),
        }
    }

    fn container(rng: &mut Rng, depth: usize, hostile: bool) -> String {
        let (open, close) = [("[", "]"), ("(", ")"), ("{", "}"), ("{", "}")][rng.below(4)];
        let dict = open == "{" && rng.below(2) == 0;
        let n = rng.below(6);
        let mut out = String::from(open);
        for i in 0..n {
            out.push_str(rng.pick(SPACES));
            out.push_str(&element(rng, depth, hostile));
            if dict {
                out.push_str(": ");
                out.push_str(&element(rng, depth, hostile));
            }
            if i + 1 < n || rng.below(3) == 0 {
                out.push(',');
            }
        }
        out.push_str(rng.pick(SPACES));
        out.push_str(close);
        out
    }

    /// A module around random tables: code before and after (a finding,
    /// uses of the tables, a string and a call holding what looks like a
    /// table at column 0), the tables bound to one or two names.
    fn module(rng: &mut Rng) -> String {
        let mut out = String::from("\"\"\"Doc.\"\"\"\nimport os\nos.path.joinx(1)\n");
        for k in 0..1 + rng.below(3) {
            match rng.below(6) {
                0 => out.push_str("S = '''\nHIDDEN = [1, 2, 3]\n'''\n"),
                1 => out.push_str("call(\nKW = [1, 2]\n)\n"),
                _ => {}
            }
            let targets = if rng.below(4) == 0 {
                format!("ALIAS{k} = TABLE{k}")
            } else {
                format!("TABLE{k}")
            };
            let hostile = rng.below(3) == 0;
            let table = container(rng, 1, hostile);
            let tail = [
                "",
                "  # grounded: ignore",
                "  # a comment",
                " ;x = 1",
                " + [y]",
            ][rng.below(5)];
            out.push_str(&format!("{targets} = {table}{tail}\n"));
            if rng.below(2) == 0 {
                out.push_str(&format!("TABLE{k}.append(1)\n"));
            }
            out.push_str(&format!("value{k} = TABLE{k}\nos.sep\n"));
        }
        out
    }

    /// The facts of a module read with its tables blanked are those of the
    /// module parsed as it is, over random tables (hostile ones included).
    #[test]
    fn blanked_tables_give_the_facts_of_the_text() {
        let mut rng = Rng(0x5eed_1234_abcd_ef01);
        let mut blanked = 0;
        let runs = 1_500;
        for run in 0..runs {
            let text = module(&mut rng);
            let fresh = format!("{:?}", parse(&text));
            if let Some(facts) = facts_without_tables(&text, 0, &|| false) {
                let facts = facts.expect("not cancelled");
                assert_eq!(format!("{facts:?}"), fresh, "run {run}:\n{text}");
                blanked += 1;
            }
        }
        // (Many random modules hold a table refused: hostile, with code after
        // it, or a collection of strings.)
        assert!(
            blanked * 10 > runs,
            "{blanked} of {runs} modules read without their tables"
        );
    }

    /// A table of numbers is blanked but for one number (its kind kept); a
    /// list of strings is not (the facts hold its strings); a table in a
    /// string or a call's arguments is refused once parsed.
    #[test]
    fn what_is_blanked_and_what_is_refused() {
        let text = "T = (1, 2,\n  3)  # c\nL = [\"a\", 2, 'b']\nN = ['a', 'b']\nE = []\n";
        let (copy, tables) = blank_tables(text, 0).unwrap();
        assert_eq!(
            copy,
            "T = (1,   \n   )  # c\nL = [     2     ]\nN = ['a', 'b']\nE = []\n"
        );
        assert_eq!(tables.len(), 2);
        let last = "T = ('a', 2)\n";
        assert_eq!(blank_tables(last, 0).unwrap().0, "T = ('a', 2)\n");
        for refused in ["S = '''\nX = [1, 2]\n'''\n", "f(\nX = [1, 2]\n)\n"] {
            let (copy, tables) = blank_tables(refused, 0).unwrap();
            let tree = parse_tree(&copy, None, &|| false).unwrap();
            assert!(!tables_hold(tree.root_node(), &tables), "{refused}");
            assert!(facts_without_tables(refused, 0, &|| false).is_none());
        }
        for not_a_table in [
            "X = [1, y]\n",
            "X = [1, 2] + z\n",
            "__all__ = [1]\n",
            "if = [1]\n",
            "X = (1)\n",
            "X == [1]\n",
            "X = [1, f'{a}']\n",
        ] {
            assert!(blank_tables(not_a_table, 0).is_none(), "{not_a_table}");
        }
    }

    /// A large module of data is read without the tree of its table (no
    /// tree kept), with the facts of the whole parse.
    #[test]
    fn a_large_data_module_keeps_no_tree_and_the_same_facts() {
        let text = format!(
            "import os\nDATA = [\n{}]\nos.path.joinx(DATA)\n",
            "    1, 22, 333, -4.5, None, (1, 'a'), {'k': 2},\n".repeat(8_000)
        );
        assert!(text.len() >= pieces::DENSE_FROM);
        let (facts, tree, chunks) = parse_with_chunks(&text, None, &|| false, &|_| true).unwrap();
        assert!(tree.is_none() && chunks.is_none());
        assert_eq!(format!("{facts:?}"), format!("{:?}", parse(&text)));
    }
}
