//! Types as signatures write them: `Result<Regex, Error>`, `&'a Path`,
//! `Option<&mut [u8]>`, `Box<dyn Error + Send>` — read into [`Ty`], with
//! references stripped (a method call sees through them) and everything
//! that is not a named type (tuples, `impl Trait`, fn pointers, raw
//! pointers, `Self::Item`…) left [`Ty::Unknown`].

/// A type written in a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// A path with its generic arguments (lifetimes and `Item = X`
    /// bindings left out): `core::result::Result<T, E>`.
    Path(Vec<String>, Vec<Ty>),
    /// `[T]`.
    Slice,
    /// `[T; N]`.
    Array,
    /// `dyn Trait` (its first trait; `+ Send` and lifetimes dropped).
    Dyn(Vec<String>),
    /// `(A, B)`: a tuple of two or more (`()` and `(A)` are no tuple here).
    Tuple(Vec<Ty>),
    Unknown,
}

/// The return type of a fn signature (`fn new(re: &str) -> Result<Regex,
/// Error> where …`): the text after the `->` that follows the parameter
/// list, cut before `where`. None when the fn returns `()`.
pub fn return_text(signature: &str) -> Option<&str> {
    // An `async fn` returns a future, whatever it writes.
    if is_async(signature) {
        return None;
    }
    written_return(signature)
}

/// Whether a fn signature declares an `async fn` (its return type is what
/// awaiting it gives).
pub fn is_async(signature: &str) -> bool {
    signature.starts_with("async ")
        || signature
            .split_once(" fn ")
            .is_some_and(|(head, _)| head.split_whitespace().any(|w| w == "async"))
}

/// The return type a fn signature writes (for an `async fn`, the output of
/// its future).
pub fn written_return(signature: &str) -> Option<&str> {
    let bytes = signature.as_bytes();
    // The parameter list: the first `(` outside `<…>`.
    let mut angle = 0i32;
    let mut open = None;
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'<' => angle += 1,
            b'>' if i > 0 && bytes[i - 1] != b'-' => angle -= 1,
            b'(' if angle == 0 => {
                open = Some(i);
                break;
            }
            _ => {}
        }
    }
    let mut depth = 0i32;
    let mut close = None;
    for (i, b) in bytes.iter().enumerate().skip(open?) {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let rest = signature[close? + 1..].trim_start();
    let ret = rest.strip_prefix("->")?.trim();
    let end = top_level_word(ret, "where").unwrap_or(ret.len());
    let ret = ret[..end].trim().trim_end_matches(['{', ';']).trim();
    (!ret.is_empty()).then_some(ret)
}

/// The generic parameter names declared right after a fn's or alias's
/// name: `fn get<Q: ?Sized, 'a>(…)` → `Q`; `type Result<T, E = Error>` → `T`, `E`.
pub fn generic_params(signature: &str) -> Vec<String> {
    let head_end = [
        top_level_char(signature, '('),
        top_level_char(signature, '='),
    ]
    .into_iter()
    .flatten()
    .min()
    .unwrap_or(signature.len());
    let head = &signature[..head_end];
    let Some(open) = head.find('<') else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut part_start = open + 1;
    let bytes = head.as_bytes();
    for i in open..head.len() {
        match bytes[i] {
            b'<' => depth += 1,
            b'>' => {
                depth -= 1;
                if depth == 0 {
                    push_param(&head[part_start..i], &mut out);
                    break;
                }
            }
            b',' if depth == 1 => {
                push_param(&head[part_start..i], &mut out);
                part_start = i + 1;
            }
            _ => {}
        }
    }
    out
}

fn push_param(part: &str, out: &mut Vec<String>) {
    let part = part.trim();
    let part = part.strip_prefix("const ").unwrap_or(part);
    if part.starts_with('\'') {
        return;
    }
    let name: String = part
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if !name.is_empty() {
        out.push(name);
    }
}

/// A type alias's declaration (`type Result<T> = std::result::Result<T,
/// Error>`): its parameters and the type it names.
pub fn alias_parts(declaration: &str) -> Option<(Vec<String>, Ty)> {
    let eq = top_level_char(declaration, '=')?;
    let params = generic_params(&declaration[..eq]);
    Some((params, parse(&declaration[eq + 1..])))
}

/// Where `word` first stands alone in `s` outside brackets.
fn top_level_word(s: &str, word: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut depth = 0i32;
    for i in 0..bytes.len() {
        match bytes[i] {
            b'<' | b'(' | b'[' => depth += 1,
            b'>' if i > 0 && bytes[i - 1] == b'-' => {}
            b'>' | b')' | b']' => depth -= 1,
            _ if depth == 0 && s[i..].starts_with(word) => {
                let before = i == 0 || !is_ident(bytes[i - 1]);
                let after = bytes.get(i + word.len()).is_none_or(|b| !is_ident(*b));
                if before && after {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Where `c` first appears in `s` outside `<…>`.
fn top_level_char(s: &str, c: char) -> Option<usize> {
    let mut depth = 0i32;
    for (i, ch) in s.char_indices() {
        match ch {
            '<' => depth += 1,
            '>' => depth -= 1,
            _ if ch == c && depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Read a type.
pub fn parse(text: &str) -> Ty {
    let tokens = tokenize(text);
    let mut p = Parser { tokens, at: 0 };
    let ty = p.ty();
    // Anything left over (`Fn(A) -> B`, a `+` bound on a non-dyn type): not a plain type.
    if p.at < p.tokens.len() {
        return Ty::Unknown;
    }
    ty
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Lifetime,
    Punct(&'static str),
}

fn tokenize(s: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Tok::Ident(chars[start..i].iter().collect()));
        } else if c == '\'' {
            i += 1;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Tok::Lifetime);
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push(Tok::Punct("::"));
            i += 2;
        } else if c == '-' && chars.get(i + 1) == Some(&'>') {
            out.push(Tok::Punct("->"));
            i += 2;
        } else {
            let p = match c {
                '<' => "<",
                '>' => ">",
                ',' => ",",
                '&' => "&",
                '*' => "*",
                '(' => "(",
                ')' => ")",
                '[' => "[",
                ']' => "]",
                ';' => ";",
                '+' => "+",
                '=' => "=",
                '?' => "?",
                '!' => "!",
                _ => "?other",
            };
            out.push(Tok::Punct(p));
            i += 1;
        }
    }
    out
}

struct Parser {
    tokens: Vec<Tok>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.at)
    }

    fn eat(&mut self, p: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Punct(q)) if *q == p) {
            self.at += 1;
            return true;
        }
        false
    }

    fn eat_word(&mut self, w: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Ident(q)) if q == w) {
            self.at += 1;
            return true;
        }
        false
    }

    /// Skip tokens to the end of the current bracket level (for what is not
    /// read: a tuple's elements, a fn pointer's parameters).
    fn skip_to_close(&mut self, close: &str) {
        let mut depth = 0i32;
        while let Some(t) = self.peek().cloned() {
            match t {
                Tok::Punct("<" | "(" | "[") => depth += 1,
                Tok::Punct(">" | ")" | "]") if depth > 0 => depth -= 1,
                Tok::Punct(p) if p == close && depth == 0 => {
                    self.at += 1;
                    return;
                }
                Tok::Punct(">" | ")" | "]") => return,
                _ => {}
            }
            self.at += 1;
        }
    }

    fn ty(&mut self) -> Ty {
        // References and lifetimes peel off: methods see through them.
        while self.eat("&") {
            while matches!(self.peek(), Some(Tok::Lifetime)) {
                self.at += 1;
            }
            self.eat_word("mut");
        }
        match self.peek().cloned() {
            Some(Tok::Punct("*")) => {
                // A raw pointer has its own methods, never the pointee's.
                self.at += 1;
                let _ = self.eat_word("const") || self.eat_word("mut");
                self.ty();
                Ty::Unknown
            }
            Some(Tok::Punct("(")) => {
                self.at += 1;
                let mut elems = Vec::new();
                loop {
                    if self.eat(")") {
                        break;
                    }
                    elems.push(self.ty());
                    if self.eat(",") {
                        continue;
                    }
                    if self.eat(")") {
                        break;
                    }
                    // Not a plain tuple (`(dyn A + B)`…).
                    self.skip_to_close(")");
                    return Ty::Unknown;
                }
                if elems.len() >= 2 {
                    Ty::Tuple(elems)
                } else {
                    Ty::Unknown
                }
            }
            Some(Tok::Punct("[")) => {
                self.at += 1;
                self.ty();
                let array = self.eat(";");
                self.skip_to_close("]");
                if array {
                    Ty::Array
                } else {
                    Ty::Slice
                }
            }
            Some(Tok::Punct("!")) => {
                self.at += 1;
                Ty::Unknown
            }
            Some(Tok::Ident(w)) if w == "dyn" => {
                self.at += 1;
                let t = match self.path() {
                    Some((segs, _)) => Ty::Dyn(segs),
                    None => return Ty::Unknown,
                };
                // `+ Send + 'a`
                while self.eat("+") {
                    if matches!(self.peek(), Some(Tok::Lifetime)) {
                        self.at += 1;
                    } else if self.path().is_none() {
                        return Ty::Unknown;
                    }
                }
                t
            }
            Some(Tok::Ident(w)) if w == "impl" || w == "fn" || w == "unsafe" || w == "extern" => {
                // Consume the rest: none of it is a plain type.
                self.at = self.tokens.len();
                Ty::Unknown
            }
            Some(Tok::Punct("::")) | Some(Tok::Ident(_)) => match self.path() {
                Some((segs, args)) => Ty::Path(segs, args),
                None => Ty::Unknown,
            },
            _ => {
                self.at = self.tokens.len();
                Ty::Unknown
            }
        }
    }

    /// `a::b::C<X, 'a, Item = Y>`; None for what is not a path
    /// (`<T as Trait>::X`, `Fn(A) -> B`).
    fn path(&mut self) -> Option<(Vec<String>, Vec<Ty>)> {
        let mut segs = Vec::new();
        let mut args = Vec::new();
        self.eat("::");
        loop {
            match self.peek().cloned() {
                Some(Tok::Ident(w)) => {
                    self.at += 1;
                    segs.push(w);
                }
                _ => return None,
            }
            if matches!(self.peek(), Some(Tok::Punct("("))) {
                // `Fn(A) -> B`
                return None;
            }
            if self.eat("<") {
                args.clear();
                loop {
                    if self.eat(">") {
                        break;
                    }
                    match self.peek().cloned() {
                        Some(Tok::Lifetime) => {
                            self.at += 1;
                        }
                        Some(Tok::Ident(_))
                            if matches!(self.tokens.get(self.at + 1), Some(Tok::Punct("="))) =>
                        {
                            // `Item = X`: a binding, not an argument.
                            self.at += 2;
                            self.ty();
                        }
                        None => return None,
                        _ => args.push(self.ty()),
                    }
                    if !self.eat(",") && !matches!(self.peek(), Some(Tok::Punct(">"))) {
                        return None;
                    }
                }
            }
            if !self.eat("::") {
                break;
            }
        }
        Some((segs, args))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(segs: &[&str], args: Vec<Ty>) -> Ty {
        Ty::Path(segs.iter().map(|s| s.to_string()).collect(), args)
    }

    #[test]
    fn return_types_of_signatures() {
        assert_eq!(
            return_text("fn new(re: &str) -> Result<Regex, Error>"),
            Some("Result<Regex, Error>")
        );
        assert_eq!(
            return_text("fn get<Q: ?Sized>(&self, k: &Q) -> Option<&V> where K: Borrow<Q>"),
            Some("Option<&V>")
        );
        assert_eq!(
            return_text("fn map<F: Fn(u8) -> u8>(f: F) -> Self"),
            Some("Self")
        );
        assert_eq!(return_text("fn push(&mut self, v: T)"), None);
        assert_eq!(return_text("async fn fetch(&self) -> Response"), None);
        // What awaiting it gives.
        assert!(is_async("pub async fn read(p: P) -> io::Result<Vec<u8>>"));
        assert!(!is_async("fn asyncify(f: F) -> R"));
        assert_eq!(
            written_return("async fn fetch(&self) -> Response"),
            Some("Response")
        );
        assert_eq!(
            return_text("fn f(g: impl Fn() -> u8) -> &'a Path"),
            Some("&'a Path")
        );
    }

    #[test]
    fn tuples_read() {
        assert_eq!(
            parse("(Sender<T>, Receiver<T>)"),
            Ty::Tuple(vec![
                path(&["Sender"], vec![path(&["T"], vec![])]),
                path(&["Receiver"], vec![path(&["T"], vec![])]),
            ])
        );
        // The unit type and a parenthesised type are no tuple.
        assert_eq!(parse("()"), Ty::Unknown);
        assert_eq!(parse("(u8)"), Ty::Unknown);
    }

    #[test]
    fn types_read() {
        assert_eq!(
            parse("Result<Regex, Error>"),
            path(
                &["Result"],
                vec![path(&["Regex"], vec![]), path(&["Error"], vec![])]
            )
        );
        assert_eq!(
            parse("&'a mut std::path::Path"),
            path(&["std", "path", "Path"], vec![])
        );
        assert_eq!(parse("&[u8]"), Ty::Slice);
        assert_eq!(parse("[u8; 4]"), Ty::Array);
        assert_eq!(
            parse("Box<dyn Error + Send + 'static>"),
            path(&["Box"], vec![Ty::Dyn(vec!["Error".into()])])
        );
        assert_eq!(
            parse("Option<&'a str>"),
            path(&["Option"], vec![path(&["str"], vec![])])
        );
        assert_eq!(
            parse("Iter<'_, T>"),
            path(&["Iter"], vec![path(&["T"], vec![])])
        );
        assert_eq!(parse("impl Iterator<Item = u8>"), Ty::Unknown);
        // (A tuple is read now: `tuples_read`.)
        assert_eq!(parse("(u8)"), Ty::Unknown);
        assert_eq!(parse("*const u8"), Ty::Unknown);
        assert_eq!(parse("Box<dyn Fn(u8) -> u8>"), Ty::Unknown);
        assert_eq!(parse("<T as Trait>::Output"), Ty::Unknown);
        assert_eq!(parse("Self::Item"), path(&["Self", "Item"], vec![]));
    }

    #[test]
    fn generics_and_aliases() {
        assert_eq!(
            generic_params("fn get<'a, Q: ?Sized, const N: usize>(x: Q)"),
            ["Q", "N"]
        );
        assert_eq!(generic_params("fn now() -> Instant"), Vec::<String>::new());
        let (params, ty) =
            alias_parts("type Result<T, E = Error> = std::result::Result<T, E>").unwrap();
        assert_eq!(params, ["T", "E"]);
        assert_eq!(
            ty,
            path(
                &["std", "result", "Result"],
                vec![path(&["T"], vec![]), path(&["E"], vec![])]
            )
        );
    }
}
