//! `cfg(...)` predicates, read from their text: `feature = "rt"`,
//! `any(unix, target_os = "wasi")`, `not(all(doc, docsrs))`. Evaluated
//! three-valued: a name nothing says anything about (a custom `--cfg` such
//! as `tokio_unstable` or `docsrs`) is unknown, and keeps both sides.

/// A parsed predicate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CfgPred {
    /// `unix`, `test`, `tokio_unstable`.
    Name(String),
    /// `feature = "rt"`, `target_os = "linux"`.
    KeyValue(String, String),
    All(Vec<CfgPred>),
    Any(Vec<CfgPred>),
    Not(Box<CfgPred>),
}

/// What a predicate's names and key-value pairs are: `Some(true)` set,
/// `Some(false)` certainly not set, `None` unknown.
pub trait CfgEnv {
    fn name(&self, name: &str) -> Option<bool>;
    fn key_value(&self, key: &str, value: &str) -> Option<bool>;
}

impl CfgPred {
    /// Parse a predicate's text (what `#[cfg(` … `)]` holds). None when it
    /// is not one (a macro fragment such as `$meta`, unbalanced text).
    pub fn parse(text: &str) -> Option<CfgPred> {
        let tokens = tokenize(text)?;
        let mut pos = 0;
        let pred = parse_pred(&tokens, &mut pos)?;
        (pos == tokens.len()).then_some(pred)
    }

    /// Three-valued: None when the result depends on something unknown.
    pub fn eval(&self, env: &dyn CfgEnv) -> Option<bool> {
        match self {
            CfgPred::Name(n) => env.name(n),
            CfgPred::KeyValue(k, v) => env.key_value(k, v),
            CfgPred::Not(p) => p.eval(env).map(|b| !b),
            CfgPred::All(ps) => {
                let mut unknown = false;
                for p in ps {
                    match p.eval(env) {
                        Some(false) => return Some(false),
                        None => unknown = true,
                        Some(true) => {}
                    }
                }
                (!unknown).then_some(true)
            }
            CfgPred::Any(ps) => {
                let mut unknown = false;
                for p in ps {
                    match p.eval(env) {
                        Some(true) => return Some(true),
                        None => unknown = true,
                        Some(false) => {}
                    }
                }
                (!unknown).then_some(false)
            }
        }
    }
}

/// Evaluate the text of a predicate; text that does not parse is unknown.
pub fn eval_text(text: &str, env: &dyn CfgEnv) -> Option<bool> {
    CfgPred::parse(text)?.eval(env)
}

/// Whether one of `cfgs` (each one `#[cfg]`'s predicate; all must hold)
/// surely does not hold in `env`: the item is compiled out. Unknown keeps it.
pub fn compiled_out(cfgs: &[String], env: &dyn CfgEnv) -> bool {
    cfgs.iter().any(|p| eval_text(p, env) == Some(false))
}

/// Whether the cfgs of one declaration of a name surely all hold in `env`:
/// a listing names only what certainly exists (an item under a cfg a build
/// script sets, `#[cfg(error_generic_member_access)]`, is unknown, and left
/// out), where the checker keeps unknown cfgs silent.
pub fn surely_compiled(cfgs: &[String], env: &dyn CfgEnv) -> bool {
    surely_one_compiled(&[cfgs], env)
}

/// Whether one of several declarations of the same name (each with its
/// `#[cfg]`s) surely holds, whatever the unknown names are: `#[cfg(x)] pub
/// mod m;` and `#[cfg(not(x))] pub mod m;` together declare `m` surely.
/// The unknown names met (at most [`MAX_UNKNOWN`]) are tried both ways.
pub fn surely_one_compiled(decls: &[&[String]], env: &dyn CfgEnv) -> bool {
    let preds: Option<Vec<Vec<CfgPred>>> = decls
        .iter()
        .map(|cfgs| cfgs.iter().map(|c| CfgPred::parse(c)).collect())
        .collect();
    let Some(preds) = preds else {
        return false;
    };
    holds_always(&preds, env, &mut Vec::new())
}

/// How many unknown names [`surely_one_compiled`] tries both ways.
const MAX_UNKNOWN: usize = 4;

/// An unknown name (or `key = "value"`) given a value while trying.
type Assumed = (String, Option<String>, bool);

struct Trying<'a> {
    env: &'a dyn CfgEnv,
    assumed: &'a [Assumed],
    /// The first unknown name met that has no assumed value.
    open: std::cell::RefCell<Option<(String, Option<String>)>>,
}

impl Trying<'_> {
    fn answer(&self, key: &str, value: Option<&str>, known: Option<bool>) -> Option<bool> {
        if known.is_some() {
            return known;
        }
        if let Some((_, _, b)) = self
            .assumed
            .iter()
            .find(|(k, v, _)| k == key && v.as_deref() == value)
        {
            return Some(*b);
        }
        self.open
            .borrow_mut()
            .get_or_insert_with(|| (key.to_string(), value.map(str::to_string)));
        None
    }
}

impl CfgEnv for Trying<'_> {
    fn name(&self, name: &str) -> Option<bool> {
        self.answer(name, None, self.env.name(name))
    }
    fn key_value(&self, key: &str, value: &str) -> Option<bool> {
        self.answer(key, Some(value), self.env.key_value(key, value))
    }
}

fn holds_always(decls: &[Vec<CfgPred>], env: &dyn CfgEnv, assumed: &mut Vec<Assumed>) -> bool {
    let trying = Trying {
        env,
        assumed,
        open: Default::default(),
    };
    let mut unknown = false;
    for decl in decls {
        let all = CfgPred::All(decl.clone()).eval(&trying);
        match all {
            Some(true) => return true,
            None => unknown = true,
            Some(false) => {}
        }
    }
    let open = trying.open.into_inner();
    let (Some((key, value)), true) = (open, unknown) else {
        return false;
    };
    if assumed.len() >= MAX_UNKNOWN {
        return false;
    }
    [true, false].into_iter().all(|b| {
        assumed.push((key.clone(), value.clone(), b));
        let ok = holds_always(decls, env, assumed);
        assumed.pop();
        ok
    })
}

#[derive(Debug, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Str(String),
    Eq,
    Comma,
    Open,
    Close,
}

fn tokenize(text: &str) -> Option<Vec<Tok>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '=' => out.push(Tok::Eq),
            ',' => out.push(Tok::Comma),
            '(' => out.push(Tok::Open),
            ')' => out.push(Tok::Close),
            '"' => {
                let mut s = String::new();
                let mut closed = false;
                while let Some((_, c)) = chars.next() {
                    match c {
                        '"' => {
                            closed = true;
                            break;
                        }
                        '\\' => {
                            if let Some((_, e)) = chars.next() {
                                s.push(e);
                            }
                        }
                        c => s.push(c),
                    }
                }
                if !closed {
                    return None;
                }
                out.push(Tok::Str(s));
            }
            c if c.is_alphanumeric() || c == '_' => {
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = chars.peek() {
                    if d.is_alphanumeric() || d == '_' {
                        end = j + d.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                let word = &text[i..end];
                out.push(Tok::Ident(
                    word.strip_prefix("r#").unwrap_or(word).to_string(),
                ));
            }
            // `$meta`, `::`, anything else: not a plain predicate.
            _ => return None,
        }
    }
    Some(out)
}

fn parse_pred(tokens: &[Tok], pos: &mut usize) -> Option<CfgPred> {
    let Tok::Ident(name) = tokens.get(*pos)? else {
        return None;
    };
    *pos += 1;
    match tokens.get(*pos) {
        Some(Tok::Eq) => {
            *pos += 1;
            let Tok::Str(value) = tokens.get(*pos)? else {
                return None;
            };
            *pos += 1;
            Some(CfgPred::KeyValue(name.clone(), value.clone()))
        }
        Some(Tok::Open) => {
            *pos += 1;
            let mut args = Vec::new();
            loop {
                if tokens.get(*pos) == Some(&Tok::Close) {
                    *pos += 1;
                    break;
                }
                args.push(parse_pred(tokens, pos)?);
                match tokens.get(*pos)? {
                    Tok::Comma => *pos += 1,
                    Tok::Close => {
                        *pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
            match name.as_str() {
                "all" => Some(CfgPred::All(args)),
                "any" => Some(CfgPred::Any(args)),
                "not" if args.len() == 1 => Some(CfgPred::Not(Box::new(args.remove(0)))),
                _ => None,
            }
        }
        _ => Some(CfgPred::Name(name.clone())),
    }
}

/// The top-level comma-separated parts of an attribute's arguments,
/// `(a, b(c, d), e)` → `a`, `b(c, d)`, `e` (strings kept whole).
pub fn top_level_parts(args: &str) -> Vec<&str> {
    let inner = args.trim();
    let inner = inner
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(inner);
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in inner.char_indices() {
        if in_str {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(inner[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = inner[start..].trim();
    if !last.is_empty() {
        parts.push(last);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Env;
    impl CfgEnv for Env {
        fn name(&self, name: &str) -> Option<bool> {
            match name {
                "unix" => Some(true),
                "windows" | "doc" => Some(false),
                _ => None,
            }
        }
        fn key_value(&self, key: &str, value: &str) -> Option<bool> {
            match key {
                "feature" => Some(value == "rt"),
                "target_os" => Some(value == "linux"),
                _ => None,
            }
        }
    }

    #[test]
    fn predicates_are_three_valued() {
        let eval = |t: &str| eval_text(t, &Env);
        assert_eq!(eval(r#"feature = "rt""#), Some(true));
        assert_eq!(eval(r#"feature = "fs""#), Some(false));
        assert_eq!(eval(r#"not(feature = "rt")"#), Some(false));
        assert_eq!(eval("any(all(doc, docsrs), windows)"), Some(false));
        assert_eq!(eval("any(all(doc, docsrs), unix)"), Some(true));
        assert_eq!(eval("tokio_unstable"), None);
        assert_eq!(eval(r#"all(feature = "rt", tokio_unstable)"#), None);
        assert_eq!(eval(r#"all(feature = "fs", tokio_unstable)"#), Some(false));
        assert_eq!(
            eval(r#"any(target_os = "linux", tokio_unstable)"#),
            Some(true)
        );
        assert_eq!(eval("all()"), Some(true));
        assert_eq!(eval("any()"), Some(false));
        // Not predicates: unknown.
        assert_eq!(eval("$meta"), None);
        assert_eq!(eval("not(a, b)"), None);
        assert_eq!(eval(r#"feature = "rt"#), None);
    }

    #[test]
    fn surely_compiled_needs_every_cfg_known_true_or_a_covering_pair() {
        let env = Env;
        let c = |s: &str| vec![s.to_string()];
        assert!(surely_compiled(&[], &env));
        assert!(surely_compiled(&c(r#"feature = "rt""#), &env));
        assert!(!surely_compiled(&c("tokio_unstable"), &env));
        assert!(!surely_compiled(&c(r#"feature = "fs""#), &env));
        // `#[cfg(x)]` and `#[cfg(not(x))]` declarations of one name: surely one.
        let (on, off) = (c("tokio_unstable"), c("not(tokio_unstable)"));
        assert!(surely_one_compiled(&[&on, &off], &env));
        let fs = c(r#"all(feature = "fs", not(tokio_unstable))"#);
        assert!(!surely_one_compiled(&[&on, &fs], &env));
        assert!(!surely_compiled(&c("$meta"), &env));
    }

    #[test]
    fn top_level_parts_keep_strings_and_groups() {
        assert_eq!(
            top_level_parts(r#"(docsrs, doc(cfg(feature = "a,b")), x)"#),
            ["docsrs", r#"doc(cfg(feature = "a,b"))"#, "x"]
        );
    }
}
