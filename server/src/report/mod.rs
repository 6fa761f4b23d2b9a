//! Check output formats. Each turns a [`CheckOutcome`] into text; none decides
//! anything about findings.

pub mod github;
pub mod gitlab;
pub mod json;
pub mod sarif;
pub mod text;

use serde_json::Value;

use crate::check::CheckOutcome;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `path:line:col: severity[code] message`, then a summary.
    Text,
    /// The JSON contract: `{"version": 1, "diagnostics": [...], "summary": {...}}`.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// GitLab code-quality report (artifacts:reports:codequality).
    Gitlab,
}

pub fn render(format: Format, outcome: &CheckOutcome) -> String {
    match format {
        Format::Text => text::render(outcome),
        Format::Json => json::render(outcome),
        Format::Sarif => sarif::render(outcome),
        Format::Github => github::render(outcome),
        Format::Gitlab => gitlab::render(outcome),
    }
}

/// Stands in a report's skeleton for its array of findings (NUL never
/// occurs in the paths and numbers a skeleton holds besides).
const ITEMS: &str = "\0grounded-items\0";

/// `skeleton` pretty-printed as `serde_json::to_string_pretty` prints it,
/// with the string [`ITEMS`] in it replaced by the array of `items`. Each
/// item is built, printed and dropped in turn: 70,000 findings never exist
/// as one tree of values (SARIF's took 26 KB a finding), only as text.
pub(crate) fn pretty_with_items(skeleton: &Value, items: impl Iterator<Item = Value>) -> String {
    let text = serde_json::to_string_pretty(skeleton).unwrap_or_default();
    let marker = serde_json::to_string(ITEMS).unwrap_or_default();
    let Some(at) = text.find(&marker) else {
        return text;
    };
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent = " ".repeat(text[line_start..at].len() - text[line_start..at].trim_start().len());
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..at]);
    let mut first = true;
    for item in items {
        out.push_str(if first { "[\n" } else { ",\n" });
        first = false;
        let item = serde_json::to_string_pretty(&item).unwrap_or_default();
        for (i, line) in item.lines().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&indent);
            out.push_str("  ");
            out.push_str(line);
        }
    }
    if first {
        out.push_str("[]");
    } else {
        out.push('\n');
        out.push_str(&indent);
        out.push(']');
    }
    out.push_str(&text[at + marker.len()..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The same text as printing the whole tree, at any depth, empty or not.
    #[test]
    fn items_print_as_the_whole_tree_would() {
        let items = || {
            (0..3).map(|i| json!({"n": i, "nested": {"list": [i, "a\nb"], "empty": []}, "s": "x"}))
        };
        let whole: Vec<Value> = items().collect();
        for (skeleton, tree) in [
            (json!(ITEMS), json!(whole)),
            (
                json!({"a": 1, "b": [{"c": ITEMS}], "z": 2}),
                json!({"a": 1, "b": [{"c": whole}], "z": 2}),
            ),
        ] {
            assert_eq!(
                pretty_with_items(&skeleton, items()),
                serde_json::to_string_pretty(&tree).unwrap()
            );
        }
        assert_eq!(
            pretty_with_items(&json!({"r": ITEMS}), std::iter::empty()),
            serde_json::to_string_pretty(&json!({"r": []})).unwrap()
        );
    }
}
