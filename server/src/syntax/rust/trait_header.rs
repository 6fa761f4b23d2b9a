//! Reading impl headers as text (`impl<T: Iterator + ?Sized> Itertools for T
//! where T: Clone`): the trait, the self type's head, the generic parameters
//! and the bounds of one of them. Used for the impls a macro writes, for the
//! bounds of a crate's blanket impls and for the impl headers of rustdoc's
//! pages. Anything not read with certainty gives None.

/// `s` split at `sep` where no bracket (`<>`, `()`, `[]`) is open; `->`
/// closes nothing.
pub fn split_top(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let mut prev = '\0';
    for (i, c) in s.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' if prev != '-' => depth -= 1,
            ')' | ']' => depth -= 1,
            _ if c == sep && depth == 0 => {
                out.push(&s[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
        prev = c;
    }
    out.push(&s[start..]);
    out
}

/// The end (exclusive) of the `<…>` that opens `s` (which starts with `<`).
fn generics_end(s: &str) -> Option<usize> {
    let mut depth = 0i32;
    let mut prev = '\0';
    for (i, c) in s.char_indices() {
        match c {
            '<' => depth += 1,
            '>' if prev != '-' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        prev = c;
    }
    None
}

/// `s` without the `<…>` it may start with.
pub fn skip_generics(s: &str) -> &str {
    let t = s.trim_start();
    if t.starts_with('<') {
        if let Some(end) = generics_end(t) {
            return t[end..].trim();
        }
    }
    t.trim()
}

/// The last name of a path as written (`std::iter::Iterator<Item = u8>` →
/// `Iterator`); empty when there is none.
pub fn last_name(path: &str) -> String {
    let path = path.trim().trim_start_matches('!').trim();
    let base = &path[..path.find('<').unwrap_or(path.len())];
    let last = base.rsplit("::").next().unwrap_or(base).trim();
    last.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// The names of generic parameters in `<…>` text (lifetimes left out;
/// `const N: usize` gives `N`).
fn param_names(generics: &str) -> Vec<String> {
    let inner = generics
        .trim()
        .strip_prefix('<')
        .and_then(|g| g.strip_suffix('>'))
        .unwrap_or("");
    split_top(inner, ',')
        .into_iter()
        .filter_map(|p| {
            let p = p.trim();
            let p = p.strip_prefix("const ").unwrap_or(p);
            if p.starts_with('\'') {
                return None;
            }
            let name: String = p
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

/// The trait bounds on `param` in an impl's head (`impl<T: A + B> X for T
/// where T: C`): each bound's path; `?Sized` and lifetimes left out. None
/// when a bound cannot be read (parenthesised, higher-ranked, a macro).
pub fn param_bounds(head: &str, param: &str) -> Option<Vec<Vec<String>>> {
    let head = head.split_whitespace().collect::<Vec<_>>().join(" ");
    let head = head.as_str();
    let rest = head.strip_prefix("unsafe").unwrap_or(head).trim_start();
    let rest = rest.strip_prefix("impl")?.trim_start();
    let mut clauses: Vec<&str> = Vec::new();
    let after = if rest.starts_with('<') {
        let end = generics_end(rest)?;
        clauses.extend(split_top(&rest[1..end - 1], ','));
        &rest[end..]
    } else {
        rest
    };
    if let Some(at) = split_top(after, ' ')
        .iter()
        .position(|w| *w == "where")
        .and_then(|_| after.find(" where "))
    {
        clauses.extend(split_top(&after[at + " where ".len()..], ','));
    }
    let mut out = Vec::new();
    for clause in clauses {
        let clause = clause.trim();
        let Some((lhs, bounds)) = clause.split_once(':') else {
            continue;
        };
        if lhs.trim() != param {
            continue;
        }
        for b in split_top(bounds, '+') {
            let b = b.trim();
            if b.is_empty() || b.starts_with('\'') || b.starts_with('?') {
                continue;
            }
            if b.starts_with('(') || b.starts_with("for<") || b.contains('$') || b.contains('!') {
                return None;
            }
            // (`Iterator<Item = u8>`, `Fn(u8) -> u8`: the trait's path.)
            let base = &b[..b.find(['<', '(']).unwrap_or(b.len())];
            let segs: Vec<String> = base
                .split("::")
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            let plain = segs
                .iter()
                .all(|s| s.chars().all(|c| c.is_alphanumeric() || c == '_'));
            if segs.is_empty() || !plain {
                return None;
            }
            out.push(segs);
        }
    }
    Some(out)
}

/// An impl header read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImplHead {
    pub generics: Vec<String>,
    /// The trait's last name; None for an inherent impl.
    pub trait_name: Option<String>,
    /// `impl !Trait for X`.
    pub negative: bool,
    /// The self type's head: a path's last name (`Vec`), `slice`, `array`,
    /// `tuple`; references stripped.
    pub self_head: String,
}

impl ImplHead {
    /// Whether the self type is one of the impl's parameters (`impl<T> X for T`).
    pub fn blanket(&self) -> bool {
        self.generics.contains(&self.self_head)
    }
}

/// Read `impl<T> Trait for Self where …` (rustdoc's header text).
pub fn impl_head(header: &str) -> Option<ImplHead> {
    let h = header.split_whitespace().collect::<Vec<_>>().join(" ");
    let h = h.as_str();
    let h = h.strip_prefix("unsafe").unwrap_or(h).trim_start();
    let rest = h.strip_prefix("impl")?;
    let rest_t = rest.trim_start();
    let (generics, after) = if rest_t.starts_with('<') {
        let end = generics_end(rest_t)?;
        (param_names(&rest_t[..end]), &rest_t[end..])
    } else {
        (Vec::new(), rest_t)
    };
    let after = after.trim();
    let after = match after.find(" where") {
        Some(w) => &after[..w],
        None => after,
    };
    let (trait_name, negative, self_text) =
        match split_top(after, ' ').iter().position(|w| *w == "for") {
            Some(_) => {
                let at = after.find(" for ")?;
                let t = after[..at].trim();
                (
                    Some(last_name(t)),
                    t.starts_with('!'),
                    after[at + 5..].trim(),
                )
            }
            None => (None, false, after),
        };
    Some(ImplHead {
        generics,
        trait_name,
        negative,
        self_head: type_head(self_text),
    })
}

/// The head of a type as written: references and lifetimes stripped,
/// `[T]` → `slice`, `[T; N]` → `array`, `(A, B)` → `tuple`, a path → its
/// last name.
pub fn type_head(ty: &str) -> String {
    let mut t = ty.trim();
    loop {
        if let Some(r) = t.strip_prefix('&') {
            t = r.trim_start();
            if t.starts_with('\'') {
                t = t.split_once(' ').map_or("", |(_, r)| r).trim_start();
            }
            t = t.strip_prefix("mut ").unwrap_or(t).trim_start();
            continue;
        }
        if let Some(r) = t
            .strip_prefix("*const ")
            .or_else(|| t.strip_prefix("*mut "))
        {
            t = r.trim_start();
            continue;
        }
        break;
    }
    if t.starts_with('[') {
        let inner = t
            .strip_prefix('[')
            .and_then(|x| x.strip_suffix(']'))
            .unwrap_or("");
        return if split_top(inner, ';').len() > 1 {
            "array".to_string()
        } else {
            "slice".to_string()
        };
    }
    if t.starts_with('(') {
        return "tuple".to_string();
    }
    last_name(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_from_generics_and_where() {
        let b = param_bounds(
            "impl<T: Iterator<Item = u8> + ?Sized + 'static, U> Tr for T where T: core::fmt::Debug, U: Clone",
            "T",
        );
        assert_eq!(
            b,
            Some(vec![
                vec!["Iterator".to_string()],
                vec!["core".to_string(), "fmt".to_string(), "Debug".to_string()]
            ])
        );
        assert_eq!(param_bounds("impl<T> Tr for T", "T"), Some(vec![]));
        assert_eq!(
            param_bounds("impl<T> Tr for T\nwhere\n    T: Display + ?Sized,\n", "T"),
            Some(vec![vec!["Display".to_string()]])
        );
        assert_eq!(
            param_bounds("impl<F: Fn(u8) -> u8> Tr for F", "F"),
            Some(vec![vec!["Fn".to_string()]])
        );
        assert_eq!(
            param_bounds("impl<T> Tr for T where T: for<'a> X<'a>", "T"),
            None
        );
    }

    #[test]
    fn heads_of_impls() {
        let h = impl_head("impl<T> ToString for T where T: Display + ?Sized").unwrap();
        assert_eq!(h.trait_name.as_deref(), Some("ToString"));
        assert!(h.blanket() && !h.negative);
        let h = impl_head("impl<'a, T, A: Allocator> IntoIterator for &'a mut Vec<T, A>").unwrap();
        assert_eq!(h.self_head, "Vec");
        assert!(!h.blanket());
        let h = impl_head("impl<T> !Iterator for [T]").unwrap();
        assert!(h.negative);
        assert_eq!(h.self_head, "slice");
        assert_eq!(
            impl_head("impl<T, const N: usize> Debug for [T; N]")
                .unwrap()
                .self_head,
            "array"
        );
        assert_eq!(impl_head("impl<T> Vec<T>").unwrap().trait_name, None);
    }
}
