//! Whether a dependency's `#[cfg(…)]` item exists in this build: its crate's
//! resolved features (from `cargo metadata`) and the platform Grounded runs
//! on decide `feature = "x"`, `unix`, `target_os = "linux"`; what cannot be
//! told here (a cfg a build script sets, `debug_assertions`) keeps the item,
//! so the context leaves out only what surely is not there.

use std::collections::BTreeSet;

/// Cfg names no ordinary build of a dependency sets.
const UNSET: &[&str] = &[
    "test", "doc", "docsrs", "miri", "loom", "fuzzing", "rustdoc",
];

/// What a crate's build is known to enable: None when its features are not
/// known (no `cargo metadata`).
pub(super) struct Build<'a> {
    pub features: Option<&'a BTreeSet<String>>,
}

impl Build<'_> {
    /// True when one of `preds` (each one `#[cfg]`'s predicate) surely does
    /// not hold: the item is compiled out.
    pub(super) fn off(&self, preds: &[String]) -> bool {
        preds.iter().any(|p| self.holds(p) == Some(false))
    }

    /// Some(true/false) when `pred` surely holds / does not; None when it
    /// cannot be told.
    pub(super) fn holds(&self, pred: &str) -> Option<bool> {
        let tokens = tokenize(pred)?;
        let mut at = 0;
        let value = self.expr(&tokens, &mut at)?;
        (at == tokens.len()).then_some(value)?
    }

    /// One predicate: `name`, `name = "value"`, `all(…)`, `any(…)`,
    /// `not(…)`. The outer Option is the parse (None: not understood).
    fn expr(&self, t: &[Token], at: &mut usize) -> Option<Option<bool>> {
        let Some(Token::Ident(name)) = t.get(*at) else {
            return None;
        };
        *at += 1;
        match t.get(*at) {
            Some(Token::Open) => {
                *at += 1;
                let mut args = Vec::new();
                while t.get(*at) != Some(&Token::Close) {
                    args.push(self.expr(t, at)?);
                    if t.get(*at) == Some(&Token::Comma) {
                        *at += 1;
                    }
                }
                *at += 1;
                Some(match name.as_str() {
                    "all" => all(&args),
                    "any" => any(&args),
                    "not" if args.len() == 1 => args[0].map(|v| !v),
                    _ => None,
                })
            }
            Some(Token::Eq) => {
                *at += 1;
                let Some(Token::Str(value)) = t.get(*at) else {
                    return None;
                };
                *at += 1;
                Some(self.key_value(name, value))
            }
            _ => Some(bare(name)),
        }
    }

    fn key_value(&self, key: &str, value: &str) -> Option<bool> {
        match key {
            "feature" => self.features.map(|f| f.contains(value)),
            "target_os" => Some(value == std::env::consts::OS),
            "target_family" => Some(value == std::env::consts::FAMILY),
            "target_arch" => Some(value == std::env::consts::ARCH),
            "target_pointer_width" => Some(value == (usize::BITS).to_string()),
            _ => None,
        }
    }
}

fn bare(name: &str) -> Option<bool> {
    match name {
        "unix" => Some(cfg!(unix)),
        "windows" => Some(cfg!(windows)),
        _ if UNSET.contains(&name) => Some(false),
        _ => None,
    }
}

fn all(args: &[Option<bool>]) -> Option<bool> {
    if args.contains(&Some(false)) {
        Some(false)
    } else if args.iter().all(|a| *a == Some(true)) {
        Some(true)
    } else {
        None
    }
}

fn any(args: &[Option<bool>]) -> Option<bool> {
    if args.contains(&Some(true)) {
        Some(true)
    } else if args.iter().all(|a| *a == Some(false)) {
        Some(false)
    } else {
        None
    }
}

#[derive(Debug, PartialEq)]
enum Token {
    Ident(String),
    Str(String),
    Open,
    Close,
    Comma,
    Eq,
}

fn tokenize(s: &str) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            '(' | ')' | ',' | '=' => {
                chars.next();
                out.push(match c {
                    '(' => Token::Open,
                    ')' => Token::Close,
                    ',' => Token::Comma,
                    _ => Token::Eq,
                });
            }
            '"' => {
                chars.next();
                let mut v = String::new();
                loop {
                    match chars.next()? {
                        '"' => break,
                        ch => v.push(ch),
                    }
                }
                out.push(Token::Str(v));
            }
            c if c.is_whitespace() => {
                chars.next();
            }
            c if c.is_alphanumeric() || c == '_' => {
                let mut v = String::new();
                while let Some(&ch) = chars.peek() {
                    if !(ch.is_alphanumeric() || ch == '_' || ch == ':') {
                        break;
                    }
                    v.push(ch);
                    chars.next();
                }
                out.push(Token::Ident(v));
            }
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_platforms_and_what_cannot_be_told() {
        let on: BTreeSet<String> = ["std".to_string(), "v4".to_string()].into();
        let b = Build {
            features: Some(&on),
        };
        assert_eq!(b.holds("feature = \"std\""), Some(true));
        assert_eq!(b.holds("feature = \"v1\""), Some(false));
        assert_eq!(
            b.holds("all(feature = \"std\", feature = \"serde\")"),
            Some(false)
        );
        assert_eq!(
            b.holds("any(feature = \"v1\", feature = \"v4\")"),
            Some(true)
        );
        assert_eq!(b.holds("not(feature = \"v1\")"), Some(true));
        assert_eq!(b.holds("docsrs"), Some(false));
        assert_eq!(b.holds("test"), Some(false));
        assert_eq!(b.holds("unix"), Some(cfg!(unix)));
        assert_eq!(b.holds("tokio_unstable"), None);
        assert_eq!(b.holds("any(tokio_unstable, feature = \"v1\")"), None);
        assert_eq!(
            b.holds("all(tokio_unstable, feature = \"v1\")"),
            Some(false)
        );
        assert_eq!(b.holds("broken(("), None);
        assert!(b.off(&["feature = \"v1\"".to_string()]));
        assert!(!b.off(&[
            "tokio_unstable".to_string(),
            "feature = \"std\"".to_string()
        ]));
        // Features unknown: nothing is ruled out by them.
        let unknown = Build { features: None };
        assert_eq!(unknown.holds("feature = \"v1\""), None);
        assert!(!unknown.off(&["feature = \"v1\"".to_string()]));
    }
}
