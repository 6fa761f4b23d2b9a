//! Stable identities for findings, for baselines, SARIF `partialFingerprints`
//! and GitLab code-quality reports.
//!
//! A fingerprint is a SHA-256 of the finding's code, its file's path, the text
//! of its line (whitespace-normalized; for a line longer than
//! [`LINE_KEY_MAX`] bytes so normalized, the SHA-256 of that text), the
//! symbol, and the occurrence index among findings that share all of those.
//! Line and column numbers are left out, so lines inserted or removed
//! elsewhere in the file do not change it; re-indenting the line does not
//! either.

use std::collections::HashMap;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::check::Reported;

/// The line's words joined by single spaces.
pub fn normalized_line(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Normalized lines up to this many bytes go into fingerprints as they are.
pub const LINE_KEY_MAX: usize = 1000;

/// What stands for a finding's line (its text, without the line break) in
/// its fingerprint: the normalized line, or `sha256:` and the hex digest of
/// it when it is longer than [`LINE_KEY_MAX`] — computed once per line, so
/// the findings of a long line neither copy nor hash it each.
pub fn line_key(line: &str) -> Arc<str> {
    let normalized = normalized_line(line);
    if normalized.len() <= LINE_KEY_MAX {
        return normalized.into();
    }
    let digest = Sha256::digest(normalized.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}").into()
}

/// One fingerprint per finding, in order. `path_of` gives the path that goes
/// into the hash (relative to a root that stays put, with `/` separators).
/// Occurrence indices count in the order given, which for a check's sorted
/// findings is the order in the file.
pub fn fingerprints(findings: &[Reported], path_of: impl Fn(&Reported) -> String) -> Vec<String> {
    let mut seen: HashMap<(&str, String, Arc<str>, &str), usize> = HashMap::new();
    findings
        .iter()
        .map(|r| {
            let key = (
                r.finding.code.as_str(),
                path_of(r),
                r.line_key.clone(),
                r.finding.symbol.as_str(),
            );
            let n = seen.entry(key.clone()).or_insert(0);
            let occurrence = *n;
            *n += 1;
            hash(key.0, &key.1, &key.2, key.3, occurrence)
        })
        .collect()
}

fn hash(code: &str, path: &str, line: &str, symbol: &str, occurrence: usize) -> String {
    let mut h = Sha256::new();
    // NUL never occurs in a path, a code or a symbol: the fields cannot run together.
    for part in ["grounded-fingerprint-v1", code, path, line, symbol] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    h.update(occurrence.to_string().as_bytes());
    let digest = h.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Code, Finding, Severity};
    use crate::syntax::facts::Span;

    fn reported(line: usize, text: &str, symbol: &str) -> Reported {
        Reported {
            path: "app.py".into(),
            line,
            column: 1,
            end_line: line,
            end_column: 2,
            severity: Severity::Error,
            finding: Finding {
                code: Code::UnresolvedSymbol,
                message: String::new(),
                symbol: symbol.into(),
                suggestions: Vec::new(),
                span: Span::default(),
            },
            excerpt: crate::check::Excerpt {
                text: text.into(),
                column: 1,
                whole_line: true,
            },
            line_key: line_key(text),
        }
    }

    #[test]
    fn line_numbers_and_indentation_do_not_matter() {
        let a = fingerprints(&[reported(3, "x = json.parse(s)", "json.parse")], |r| {
            r.path.clone()
        });
        let b = fingerprints(
            &[reported(40, "    x  =  json.parse(s)\t", "json.parse")],
            |r| r.path.clone(),
        );
        assert_eq!(a, b);
        assert_eq!(a[0].len(), 32);
    }

    /// Up to the limit a line is itself in the hash (fingerprints of
    /// baselines written before the limit stay the same); beyond it, its
    /// digest, which still tells lines apart and ignores whitespace.
    #[test]
    fn long_lines_are_keyed_by_their_digest() {
        let short = "x".repeat(LINE_KEY_MAX);
        assert_eq!(&*line_key(&format!("  {short}\t")), short.as_str());
        let long = format!("x = [{}]", "os.pathx, ".repeat(200));
        let key = line_key(&long);
        assert!(key.starts_with("sha256:") && key.len() == 7 + 64, "{key}");
        assert_eq!(key, line_key(&format!("\t  {}", long.replace(' ', "   "))));
        assert_ne!(key, line_key(&long.replacen("pathx", "pathy", 1)));
    }

    #[test]
    fn same_line_twice_gets_two_fingerprints() {
        let fs = fingerprints(
            &[
                reported(3, "json.parse(s)", "json.parse"),
                reported(9, "json.parse(s)", "json.parse"),
                reported(10, "json.parse(t)", "json.parse"),
            ],
            |r| r.path.clone(),
        );
        assert_ne!(fs[0], fs[1]);
        assert_ne!(fs[1], fs[2]);
        // The value is fixed across builds and platforms.
        assert_eq!(
            fs[0],
            hash(
                "unresolved-symbol",
                "app.py",
                "json.parse(s)",
                "json.parse",
                0
            )
        );
        assert_eq!(fs[0], "04568f402e59d4a1d6bef7b580ffb588");
    }
}
