//! Item-level calls of another crate's `macro_rules!` macro (tokio's
//! `pin_project! { … }`, from pin-project-lite), kept confined.
//!
//! Why not expand them: a faithful `macro_rules!` expander (fragment
//! matching with the parser's rules for `ty`, `path`, `expr`…, repetitions,
//! hygiene, recursion through `$crate::` helpers whose names are themselves
//! metavariables) is a compiler's job; one that is nearly right would make
//! up items, and a made-up item is a finding missed or, worse, reported.
//! What a call can add is bounded without expanding it, though: names are
//! not hygienic in `macro_rules!`, so every name an expansion declares or
//! implements for is a token of the call or a literal token of the macro
//! crate's transcribers. So the call is [`Confined`]: its module may hold
//! items of those names only, and only types and traits of those names may
//! gain impls; everything else the crate declares stays checked.
//!
//! Only when that bound holds: the macro is `#[macro_export]`ed by a
//! dependency named in the call's path or its `use`; every macro its crate's
//! transcribers call is the crate's own (`$crate::…!`) or a std macro that
//! makes no item; no transcriber writes an attribute macro, a derive the
//! compiler does not implement, or `macro_rules!`; and the call's own
//! tokens hold no macro call, no such attribute or derive (an attribute the
//! crate's matchers spell out, `#[pin]`, is consumed by the macro). Else the
//! call opens its module as before.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use super::expand::CrateMacros;
use super::RustIndex;
use crate::index::cargo::{CrateId, TargetKind};
use crate::syntax::rust::facts::{MacroCall, RItemKind, RModule, STD_MACROS};

/// What a confined call may add: items, inherent impls and trait impls
/// whose names are among these.
pub type Confined = BTreeSet<String>;

/// What a crate's `macro_rules!` definitions may write, when bounded.
#[derive(Debug, Default)]
pub struct Family {
    /// Every identifier its transcribers write literally.
    names: BTreeSet<String>,
    /// Attributes its matchers spell out (`#[pin]`): consumed by the macro.
    consumed_attrs: BTreeSet<String>,
    /// Its `#[macro_export]` macros.
    exported: BTreeSet<String>,
}

/// A token of Rust source, as far as bounding a macro needs.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Punct(char),
    Open(char),
    Close(char),
    /// A literal or a lifetime.
    Lit,
}

/// The tokens of `text` (comments, doc comments and literals' contents
/// dropped).
fn lex(text: &str) -> Vec<Tok> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            let mut depth = 0;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if let Some(end) = raw_string_end(b, i) {
            out.push(Tok::Lit);
            i = end;
        } else if c == b'"' || (c == b'b' && b.get(i + 1) == Some(&b'"')) {
            i += if c == b'b' { 2 } else { 1 };
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push(Tok::Lit);
        } else if c == b'\'' || (c == b'b' && b.get(i + 1) == Some(&b'\'')) {
            // A char literal (`'a'`, `'\n'`, `b'x'`) or a lifetime (`'a`).
            let start = if c == b'b' { i + 2 } else { i + 1 };
            let close = if b.get(start) == Some(&b'\\') {
                b[start..]
                    .iter()
                    .skip(2)
                    .position(|&x| x == b'\'')
                    .map(|p| start + 2 + p)
            } else {
                let ch = text[start..].chars().next().map_or(1, char::len_utf8);
                (b.get(start + ch) == Some(&b'\'')).then_some(start + ch)
            };
            match close {
                Some(e) => i = e + 1,
                None => {
                    i = start;
                    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                        i += 1;
                    }
                }
            }
            out.push(Tok::Lit);
        } else if c.is_ascii_digit() {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                // `1..2`: a range, not a float.
                if b[i] == b'.' && b.get(i + 1) == Some(&b'.') {
                    break;
                }
                i += 1;
            }
            out.push(Tok::Lit);
        } else if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] >= 0x80) {
                i += 1;
            }
            let word = &text[start..i];
            out.push(Tok::Ident(
                word.strip_prefix("r#").unwrap_or(word).to_string(),
            ));
        } else {
            out.push(match c {
                b'(' | b'[' | b'{' => Tok::Open(c as char),
                b')' | b']' | b'}' => Tok::Close(c as char),
                _ => Tok::Punct(c as char),
            });
            i += 1;
        }
    }
    out
}

/// Where a raw string starting at `i` (`r"…"`, `r#"…"#`, `br"…"`) ends.
fn raw_string_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    if b.get(j) == Some(&b'b') {
        j += 1;
    }
    if b.get(j) != Some(&b'r') {
        return None;
    }
    j += 1;
    let hashes = b[j..].iter().take_while(|&&x| x == b'#').count();
    j += hashes;
    if b.get(j) != Some(&b'"') {
        return None;
    }
    j += 1;
    while j < b.len() {
        if b[j] == b'"'
            && b[j + 1..]
                .iter()
                .take(hashes)
                .filter(|&&x| x == b'#')
                .count()
                == hashes
        {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
    Some(b.len())
}

/// The index just past the group opening at `at`.
fn group_end(toks: &[Tok], at: usize) -> usize {
    let mut depth = 0usize;
    for (i, t) in toks.iter().enumerate().skip(at) {
        match t {
            Tok::Open(_) => depth += 1,
            Tok::Close(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    toks.len()
}

/// What one run of tokens (a transcriber, or a call's tokens) says.
#[derive(Default)]
struct Scan {
    names: BTreeSet<String>,
    /// The macros it calls, as paths (`$crate::__helper`, `stringify`).
    calls: Vec<Vec<String>>,
    /// The attributes it writes (their path's first name), but derives.
    attrs: Vec<String>,
    /// The derives it writes (last names; `$`: one a metavariable gives).
    derives: Vec<String>,
    /// Writes `macro_rules!`.
    defines_macros: bool,
}

fn scan(toks: &[Tok]) -> Scan {
    let mut s = Scan::default();
    let ident = |i: usize| match toks.get(i) {
        Some(Tok::Ident(w)) => Some(w.as_str()),
        _ => None,
    };
    let metavar = |i: usize| i > 0 && toks[i - 1] == Tok::Punct('$');
    for i in 0..toks.len() {
        match &toks[i] {
            Tok::Ident(w) if !metavar(i) => {
                if w == "macro_rules" {
                    s.defines_macros = true;
                }
                s.names.insert(w.clone());
            }
            // `#[name …]`, `#![name …]`.
            Tok::Punct('#') => {
                let open = if toks.get(i + 1) == Some(&Tok::Punct('!')) {
                    i + 2
                } else {
                    i + 1
                };
                if toks.get(open) != Some(&Tok::Open('[')) {
                    continue;
                }
                let Some(name) = ident(open + 1).filter(|_| !metavar(open + 1)) else {
                    continue;
                };
                if name == "derive" {
                    let end = group_end(toks, open);
                    let inner_open = open + 2;
                    let inner_end = if toks
                        .get(inner_open)
                        .is_some_and(|t| matches!(t, Tok::Open(_)))
                    {
                        group_end(toks, inner_open)
                    } else {
                        end
                    };
                    // The last name of each comma-separated path.
                    let mut last: Option<String> = None;
                    let inner = toks
                        .iter()
                        .enumerate()
                        .take(inner_end.saturating_sub(1))
                        .skip(inner_open + 1);
                    for (j, tok) in inner {
                        match tok {
                            Tok::Ident(_) if metavar(j) => last = Some("$".to_string()),
                            Tok::Ident(w) => last = Some(w.clone()),
                            Tok::Punct(',') => s.derives.extend(last.take()),
                            _ => {}
                        }
                    }
                    s.derives.extend(last);
                } else {
                    s.attrs.push(name.to_string());
                }
            }
            // `path!(…)`, but `#!`, `!=` and `!Trait`.
            Tok::Punct('!') if matches!(toks.get(i + 1), Some(Tok::Open(_))) => {
                if i > 0 && toks[i - 1] == Tok::Punct('#') {
                    continue;
                }
                let mut path: Vec<String> = Vec::new();
                let mut j = i;
                while j > 0 {
                    match &toks[j - 1] {
                        Tok::Ident(w) => {
                            let var = j >= 2 && toks[j - 2] == Tok::Punct('$');
                            path.insert(0, if var { format!("${w}") } else { w.clone() });
                            j -= if var { 2 } else { 1 };
                        }
                        Tok::Punct(':') if j >= 2 && toks[j - 2] == Tok::Punct(':') => {
                            j -= 2;
                        }
                        _ => break,
                    }
                }
                s.calls.push(path);
            }
            _ => {}
        }
    }
    s
}

/// A std macro that expands to an expression, never to an item.
fn std_expression_macro(name: &str) -> bool {
    STD_MACROS.contains(&name) && !matches!(name, "include" | "macro_rules" | "thread_local")
}

fn builtin_attr(name: &str) -> bool {
    crate::syntax::rust::BUILTIN_ATTRS.contains(&name) && name != "derive"
}

fn std_derive(name: &str) -> bool {
    crate::syntax::rust::STD_DERIVES.contains(&name)
}

/// The family of the `macro_rules!` definitions in `texts` (each the text
/// from a definition's name on); None when what they write is not bounded.
fn family_of<'a>(
    texts: impl Iterator<Item = (&'a str, bool)>,
    outside: &dyn Fn(&[String]) -> Option<Arc<Family>>,
) -> Option<Family> {
    let mut fam = Family::default();
    let mut helpers: Vec<Vec<String>> = Vec::new();
    let mut attrs: Vec<String> = Vec::new();
    let mut defined: BTreeSet<String> = BTreeSet::new();
    for (text, exported) in texts {
        let toks = lex(text);
        let Some(Tok::Ident(name)) = toks.first() else {
            return None;
        };
        defined.insert(name.clone());
        if exported {
            fam.exported.insert(name.clone());
        }
        let open = toks.iter().position(|t| matches!(t, Tok::Open(_)))?;
        let end = group_end(&toks, open);
        // `(matcher) => {transcriber};`, repeated.
        let mut at = open + 1;
        while at + 1 < end {
            if !matches!(toks[at], Tok::Open(_)) {
                return None;
            }
            let m_end = group_end(&toks, at);
            let matcher = scan(&toks[at..m_end]);
            for (k, t) in toks[at..m_end].iter().enumerate() {
                if *t == Tok::Punct('#') {
                    if let Some(Tok::Ident(a)) = toks[at..m_end].get(k + 2) {
                        fam.consumed_attrs.insert(a.clone());
                    }
                }
            }
            drop(matcher);
            if toks.get(m_end) != Some(&Tok::Punct('='))
                || toks.get(m_end + 1) != Some(&Tok::Punct('>'))
            {
                return None;
            }
            let t_at = m_end + 2;
            if !matches!(toks.get(t_at), Some(Tok::Open(_))) {
                return None;
            }
            let t_end = group_end(&toks, t_at);
            let body = scan(&toks[t_at + 1..t_end.saturating_sub(1)]);
            if body.defines_macros || body.derives.iter().any(|d| d != "$" && !std_derive(d)) {
                return None;
            }
            attrs.extend(body.attrs);
            helpers.extend(body.calls);
            fam.names.extend(body.names);
            at = t_end;
            if toks.get(at) == Some(&Tok::Punct(';')) {
                at += 1;
            }
        }
    }
    // Every macro a transcriber calls: the crate's own, std's, or one
    // whose own family is bounded (its names join these).
    for path in &helpers {
        let ok = match path.as_slice() {
            [one] if std_expression_macro(one) || defined.contains(one) => true,
            [krate, name] if krate == "$crate" => name.starts_with('$') || defined.contains(name),
            _ => match outside(path) {
                Some(other) => {
                    fam.names.extend(other.names.iter().cloned());
                    fam.consumed_attrs
                        .extend(other.consumed_attrs.iter().cloned());
                    true
                }
                None => false,
            },
        };
        if !ok {
            return None;
        }
    }
    // An attribute a transcriber writes: the compiler's, or one a macro of
    // the family consumes (`#[pin]` in the tokens handed to `pin_project!`).
    if !attrs
        .iter()
        .all(|a| builtin_attr(a) || fam.consumed_attrs.contains(a))
    {
        return None;
    }
    Some(fam)
}

/// What a call with tokens `body` of a macro of `fam` may add; None when
/// its tokens may make it more (a macro call, an attribute macro, a derive
/// the compiler does not implement, `macro_rules!`).
fn confine(fam: &Family, body: &str) -> Option<Confined> {
    let s = scan(&lex(body));
    let calls_ok = s
        .calls
        .iter()
        .all(|p| p.len() == 1 && std_expression_macro(&p[0]));
    let attrs_ok = s
        .attrs
        .iter()
        .all(|a| builtin_attr(a) || fam.consumed_attrs.contains(a));
    if s.defines_macros || !calls_ok || !attrs_ok || !s.derives.iter().all(|d| std_derive(d)) {
        return None;
    }
    let mut names = s.names;
    names.extend(fam.names.iter().cloned());
    Some(names)
}

impl RustIndex {
    /// What the item-level `call` in module `m` (of crate `krate`, file
    /// `file`) may add, when it calls another crate's `macro_rules!` macro
    /// whose effect is bounded (see the module's doc); None: it stays open.
    pub(super) fn confined_call(
        &self,
        krate: CrateId,
        file: &Path,
        m: &RModule,
        call: &MacroCall,
        own: Option<&CrateMacros>,
    ) -> Option<Confined> {
        let (start, end) = call.body?;
        let name: String = call.name.chars().filter(|c| !c.is_whitespace()).collect();
        let segs: Vec<String> = name.split("::").map(str::to_string).collect();
        let fam = match segs.as_slice() {
            // The crate's own macro, when no import shadows it.
            [head, last] if matches!(head.as_str(), "crate" | "$crate" | "self") => {
                self.own_family(krate, last, own?, m)?
            }
            [last]
                if !m.uses.iter().any(|u| u.binds() == Some(last.as_str()))
                    && own.is_some_and(|o| o.by_name.contains_key(last)) =>
            {
                self.own_family(krate, last, own?, m)?
            }
            _ => self.imported_family(krate, m, &segs)?,
        };
        let text = crate::regular_file::read(file).ok()?;
        let body = text.get(start as usize..end as usize)?;
        confine(&fam, &String::from_utf8_lossy(body))
    }

    /// The family of the macro a call path names in module `m` of crate
    /// `krate` when it is another crate's: `dep::name!`, or `name!`
    /// imported by `use dep::name;` (only `#[macro_export]`ed macros).
    fn imported_family(&self, krate: CrateId, m: &RModule, segs: &[String]) -> Option<Arc<Family>> {
        let segs: Vec<&str> = segs
            .iter()
            .map(|s| s.as_str())
            .filter(|s| !s.is_empty())
            .collect();
        let (dep, last) = match segs.as_slice() {
            [dep, last] => (dep.to_string(), last.to_string()),
            [last] => {
                let u = m
                    .uses
                    .iter()
                    .find(|u| u.binds() == Some(*last) && !u.glob)?;
                match u.path.as_slice() {
                    [dep, n] if n == last => (dep.clone(), last.to_string()),
                    _ => return None,
                }
            }
            _ => return None,
        };
        let c = *self.ws.crates.get(krate)?.deps.get(&dep)?;
        let fam = self.family(c)?;
        fam.exported.contains(&last).then_some(fam)
    }

    /// The family of crate `krate`'s own macro `name` (called in module
    /// `m`): its definitions and those of the crate's macros they call;
    /// another crate's macro they call resolves where the call is (`m`'s
    /// imports), as a `macro_rules!` transcriber's names do.
    fn own_family(
        &self,
        krate: CrateId,
        name: &str,
        own: &CrateMacros,
        m: &RModule,
    ) -> Option<Arc<Family>> {
        let mut texts: Vec<String> = Vec::new();
        let mut todo = vec![name.to_string()];
        let mut seen: BTreeSet<String> = BTreeSet::new();
        while let Some(n) = todo.pop() {
            if !seen.insert(n.clone()) || seen.len() > 32 {
                if seen.len() > 32 {
                    return None;
                }
                continue;
            }
            for (file, _) in own.by_name.get(&n)? {
                let facts = self.facts(file)?;
                let bytes = crate::regular_file::read(file).ok()?;
                let text = String::from_utf8_lossy(&bytes);
                for module in &facts.modules {
                    for item in &module.items {
                        if item.kind != RItemKind::Macro || item.name != n {
                            continue;
                        }
                        let def = definition(text.get(item.span.start_byte as usize..)?);
                        for path in scan(&lex(def)).calls {
                            let callee = match path.as_slice() {
                                [one] => one,
                                [head, one] if head == "$crate" => one,
                                _ => continue,
                            };
                            if own.by_name.contains_key(callee) {
                                todo.push(callee.clone());
                            }
                        }
                        texts.push(def.to_string());
                    }
                }
            }
        }
        let outside = |path: &[String]| self.imported_family(krate, m, path);
        family_of(texts.iter().map(|t| (t.as_str(), false)), &outside).map(Arc::new)
    }

    /// The [`Family`] of crate `c`'s `macro_rules!` definitions, once.
    fn family(&self, c: CrateId) -> Option<Arc<Family>> {
        if let Some(f) = self.families.get(&c) {
            return f.clone();
        }
        let found = self.read_family(c).map(Arc::new);
        self.families.insert(c, found.clone());
        found
    }

    fn read_family(&self, c: CrateId) -> Option<Family> {
        let info = self.ws.crates.get(c)?;
        if info.kind == TargetKind::ProcMacro || self.crate_impls(c).macros_open {
            return None;
        }
        let (modules, incomplete) = self.all_modules(c);
        if incomplete {
            return None;
        }
        let mut texts: Vec<(String, bool)> = Vec::new();
        let mut files: Vec<(std::path::PathBuf, String)> = Vec::new();
        for node in &modules {
            for item in node.module().items.iter() {
                if item.kind != RItemKind::Macro {
                    continue;
                }
                if !files.iter().any(|(f, _)| *f == node.file) {
                    let bytes = crate::regular_file::read(&node.file).ok()?;
                    files.push((
                        node.file.clone(),
                        String::from_utf8_lossy(&bytes).into_owned(),
                    ));
                }
                let text = &files.iter().find(|(f, _)| *f == node.file)?.1;
                let from = item.span.start_byte as usize;
                texts.push((text.get(from..)?.to_string(), item.macro_export));
            }
        }
        // (Each text runs to the file's end: the definition is its first group.)
        // (A bare macro a transcriber calls resolves where the call is:
        // not bounded here.)
        let fam = family_of(texts.iter().map(|(t, e)| (definition(t), *e)), &|_| None)?;
        Some(fam)
    }
}

/// A definition's text from its name to the end of its rules' group.
fn definition(from_name: &str) -> &str {
    let b = from_name.as_bytes();
    let Some(open) = b.iter().position(|c| matches!(c, b'{' | b'(' | b'[')) else {
        return from_name;
    };
    let toks_end = {
        // Count brackets outside comments and literals by lexing up to the
        // close: cheap enough for a definition.
        let mut depth = 0i32;
        let mut i = open;
        let mut end = b.len();
        while i < b.len() {
            match b[i] {
                b'{' | b'(' | b'[' => depth += 1,
                b'}' | b')' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                b'/' if b.get(i + 1) == Some(&b'/') => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                    continue;
                }
                b'"' => {
                    i += 1;
                    while i < b.len() && b[i] != b'"' {
                        i += if b[i] == b'\\' { 2 } else { 1 };
                    }
                }
                _ => {}
            }
            i += 1;
        }
        end
    };
    &from_name[..toks_end.min(from_name.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIB: &str = r#"
macro_rules! wrap {
    ($(#[$a:meta])* $v:vis struct $name:ident { $($f:ident : $t:ty),* $(,)? }) => {
        $crate::__helper! { [$name] $($f)* }
        $(#[$a])* $v struct $name { $($f: $t),* }
    };
}
macro_rules! __helper {
    ([$name:ident] #[pin] $($f:ident)*) => {
        impl $name { pub fn project(&self) -> usize { stringify!($($f)*).len() } }
        impl Unpin for $name {}
    };
}
"#;

    fn fam(text: &str) -> Option<Family> {
        let defs: Vec<(&str, bool)> = text
            .match_indices("macro_rules!")
            .map(|(i, _)| {
                (
                    definition(text[i + "macro_rules!".len()..].trim_start()),
                    true,
                )
            })
            .collect();
        family_of(defs.into_iter(), &|_| None)
    }

    #[test]
    fn a_family_of_crate_macros_is_bounded_by_its_tokens() {
        let f = fam(LIB).expect("bounded");
        assert!(f.names.contains("project") && f.names.contains("Unpin"));
        assert!(!f.names.contains("name"), "metavariables are not names");
        assert!(f.consumed_attrs.contains("pin"));
        assert_eq!(f.exported.len(), 2);
        let n = confine(
            &f,
            "/// docs: other_macro! {}\n#[pin] #[derive(Debug)] pub struct Sleep { at: Instant }",
        )
        .expect("confined");
        assert!(n.contains("Sleep") && n.contains("Instant") && n.contains("project"));
        assert!(!n.contains("Runtime") && !n.contains("docs"));
    }

    #[test]
    fn what_may_write_anything_is_not_bounded() {
        let f = fam(LIB).unwrap();
        // A call whose tokens call a macro, or carry an attribute macro or
        // a derive the compiler does not implement.
        assert!(confine(&f, "struct A { x: u8 } other! { }").is_none());
        assert!(confine(&f, "#[serde(x)] struct A { x: u8 }").is_none());
        assert!(confine(&f, "#[derive(Serialize)] struct A { x: u8 }").is_none());
        assert!(confine(&f, "macro_rules! m { () => {} }").is_none());
        // A transcriber that calls a macro resolved where it is called, or
        // defines macros, or writes an attribute macro.
        assert!(fam("macro_rules! a { () => { other!(); } }").is_none());
        assert!(fam("macro_rules! a { ($m:ident) => { $m!(); } }").is_none());
        assert!(fam("macro_rules! a { () => { macro_rules! b { () => {} } } }").is_none());
        assert!(fam("macro_rules! a { () => { #[tokio::main] fn f() {} } }").is_none());
        assert!(fam("macro_rules! a { () => { $crate::missing!(); } }").is_none());
        assert!(
            fam("macro_rules! a { () => { #[derive(Debug)] struct S; concat!(\"x\"); } }")
                .is_some()
        );
    }

    #[test]
    fn lexing_drops_comments_and_literals() {
        let toks = lex("a /* b /* c */ d */ 'x' 'life \"e f\" r#\"g\"# 1..2 // h\n i");
        let words: Vec<&Tok> = toks.iter().filter(|t| matches!(t, Tok::Ident(_))).collect();
        assert_eq!(words, [&Tok::Ident("a".into()), &Tok::Ident("i".into())]);
    }
}
