//! Raw identifiers: `r#gen` names `gen`. Facts hold the bare name (the
//! parser strips `r#`); what Grounded writes for code to use — a context's
//! listing, a finding's suggestions — is spelled raw where the name is a
//! keyword of the edition the code is built with (`r#gen` in edition 2024,
//! `gen` before it; `r#type` in every edition).

use std::borrow::Cow;

/// Keywords in every edition (strict and reserved) that may be written raw
/// (`self`, `Self`, `super`, `crate` and `_` cannot be).
const ALWAYS: &[&str] = &[
    "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static",
    "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become",
    "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield",
];

/// Keywords from edition 2018 on.
const SINCE_2018: &[&str] = &["async", "await", "dyn", "try"];

/// Keywords from edition 2024 on.
const SINCE_2024: &[&str] = &["gen"];

/// Whether `name` is a keyword of `edition` ("2015", "2018", "2021",
/// "2024"; an unknown edition counts as the newest, where most names are
/// keywords: spelling a name raw is never wrong where it is one).
pub fn is_keyword(name: &str, edition: &str) -> bool {
    let year: u32 = edition.parse().unwrap_or(u32::MAX);
    ALWAYS.contains(&name)
        || (year >= 2018 && SINCE_2018.contains(&name))
        || (year >= 2024 && SINCE_2024.contains(&name))
}

/// `name` as code built with `edition` must write it: `r#gen` where `gen`
/// is a keyword, else the name itself.
pub fn written<'a>(name: &'a str, edition: &str) -> Cow<'a, str> {
    if is_keyword(name, edition) {
        Cow::Owned(format!("r#{name}"))
    } else {
        Cow::Borrowed(name)
    }
}

/// Each segment of the `::` path `path` [`written`] for `edition`.
pub fn written_path(path: &str, edition: &str) -> String {
    if !path.split("::").any(|s| is_keyword(s, edition)) {
        return path.to_string();
    }
    path.split("::")
        .map(|s| written(s, edition))
        .collect::<Vec<_>>()
        .join("::")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gen_is_raw_from_edition_2024_only() {
        assert_eq!(written("gen", "2021"), "gen");
        assert_eq!(written("gen", "2024"), "r#gen");
        assert_eq!(written("type", "2015"), "r#type");
        assert_eq!(written("async", "2015"), "async");
        assert_eq!(written("async", "2018"), "r#async");
        assert_eq!(written("random", "2024"), "random");
    }

    #[test]
    fn a_path_is_respelled_segment_by_segment() {
        assert_eq!(written_path("rand::Rng::gen", "2024"), "rand::Rng::r#gen");
        assert_eq!(written_path("crate::r#type", "2021"), "crate::r#type");
        assert_eq!(written_path("rand::Rng::gen", "2021"), "rand::Rng::gen");
    }
}
