//! SARIF 2.1.0 (OASIS): one rule per finding code with its help text, results
//! with exact regions (1-based lines, columns in Unicode code points, end
//! column exclusive), suggestions as fixes, and stable partial fingerprints.
//! Paths are relative to `%SRCROOT%`, the directory the check ran in.

use std::path::Path;

use serde_json::{json, Value};

use crate::analysis::{Code, Severity};
use crate::check::{CheckOutcome, Reported};
use crate::explain;
use crate::fingerprint;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

/// The SARIF document, the results left to [`super::pretty_with_items`].
fn document(cwd: &Path) -> Value {
    let rules: Vec<Value> = Code::ALL.iter().map(|c| rule(*c)).collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "grounded",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "originalUriBaseIds": {
                SRCROOT: {"uri": dir_uri(cwd)},
            },
            "columnKind": "unicodeCodePoints",
            "results": super::ITEMS,
        }],
    })
}

pub fn render(outcome: &CheckOutcome) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let fingerprints = fingerprint::fingerprints(&outcome.findings, |r| r.path.replace('\\', "/"));
    let results = outcome
        .findings
        .iter()
        .zip(fingerprints)
        .map(|(r, fp)| result(r, &fp));
    let mut s = super::pretty_with_items(&document(&cwd), results);
    s.push('\n');
    s
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule(code: Code) -> Value {
    let d = explain::doc(code);
    let id = code.as_str();
    let help = format!(
        "{}\n\n{}\n\nExample: {}\n\nSuppress one line with `# grounded: ignore[{id}]`; set its \
severity (error, warning, info, off) under [severity] in grounded.toml or \
[tool.grounded.severity] in pyproject.toml. `grounded explain {id}` says more.",
        d.meaning, d.fix, d.example
    );
    let markdown = format!(
        "{}\n\n{}\n\n```python\n{}\n```\n\nSuppress one line with `# grounded: ignore[{id}]`; \
set its severity (`error`, `warning`, `info`, `off`) under `[severity]` in `grounded.toml` or \
`[tool.grounded.severity]` in `pyproject.toml`. `grounded explain {id}` says more.",
        d.meaning, d.fix, d.example
    );
    json!({
        "id": id,
        "name": camel(id),
        "shortDescription": {"text": d.summary},
        "fullDescription": {"text": d.meaning},
        "help": {"text": help, "markdown": markdown},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["correctness"], "precision": "very-high"},
    })
}

fn result(r: &Reported, fp: &str) -> Value {
    let f = &r.finding;
    let location = artifact_location(&r.path);
    let region = json!({
        "startLine": r.line,
        "startColumn": r.column,
        "endLine": r.end_line,
        "endColumn": r.end_column,
    });
    let written = written_text(r);
    let mut physical = json!({"artifactLocation": location.clone(), "region": region});
    if let Some(w) = &written {
        physical["region"]["snippet"] = json!({"text": w});
        // The line, for viewers that show the code around a result; of a
        // long line, the excerpt, its columns said.
        let excerpt = &r.excerpt;
        physical["contextRegion"] = if excerpt.whole_line {
            json!({"startLine": r.line, "snippet": {"text": excerpt.text}})
        } else {
            json!({
                "startLine": r.line,
                "startColumn": excerpt.column,
                "endLine": r.line,
                "endColumn": excerpt.column + excerpt.text.chars().count(),
                "snippet": {"text": excerpt.text},
            })
        };
    }
    let mut message = f.message.clone();
    if let Some(best) = f.suggestions.first() {
        message.push_str(&format!(" (did you mean `{best}`?)"));
    }
    let mut result = json!({
        "ruleId": f.code.as_str(),
        "ruleIndex": Code::ALL.iter().position(|c| *c == f.code).unwrap_or(0),
        "level": level(r.severity),
        "message": {"text": message},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {"groundedFingerprint/v1": fp},
        "properties": {"symbol": f.symbol, "suggestions": f.suggestions},
    });
    if let Some(written) = written {
        let fixes: Vec<Value> = f
            .suggestions
            .iter()
            .map(|s| {
                let replacement = replacement(&written, s);
                json!({
                    "description": {"text": format!("Replace with `{replacement}`")},
                    "artifactChanges": [{
                        "artifactLocation": location.clone(),
                        "replacements": [{
                            "deletedRegion": {
                                "startLine": r.line,
                                "startColumn": r.column,
                                "endLine": r.end_line,
                                "endColumn": r.end_column,
                            },
                            "insertedContent": {"text": replacement},
                        }],
                    }],
                })
            })
            .collect();
        if !fixes.is_empty() {
            result["fixes"] = Value::from(fixes);
        }
    }
    result
}

/// The text the finding's region covers, when it lies on one line (and
/// within its excerpt).
fn written_text(r: &Reported) -> Option<String> {
    if r.end_line != r.line || r.end_column <= r.column || r.column < r.excerpt.column {
        return None;
    }
    let text: String = r
        .excerpt
        .text
        .chars()
        .skip(r.column - r.excerpt.column)
        .take(r.end_column - r.column)
        .collect();
    (text.chars().count() == r.end_column - r.column).then_some(text)
}

/// What replaces the written text for a suggestion: a dotted region (a module
/// path) takes the whole name, an attribute or a bare name the last segment
/// (as the language server's quick fix does).
pub(crate) fn replacement(written: &str, suggestion: &str) -> String {
    if written.contains('.') {
        suggestion.to_string()
    } else {
        suggestion
            .rsplit('.')
            .next()
            .unwrap_or(suggestion)
            .to_string()
    }
}

fn artifact_location(path: &str) -> Value {
    let p = Path::new(path);
    if p.is_absolute() {
        json!({"uri": file_uri(p)})
    } else {
        json!({"uri": encode_path(&path.replace('\\', "/")), "uriBaseId": SRCROOT})
    }
}

fn dir_uri(dir: &Path) -> String {
    let mut uri = file_uri(dir);
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

fn file_uri(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    let s = if s.starts_with('/') {
        s
    } else {
        format!("/{s}")
    };
    format!("file://{}", encode_path(&s))
}

/// Percent-encode everything in a path but unreserved characters and `/`.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `unresolved-module` → `UnresolvedModule`.
fn camel(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(encode_path("src/a b/ü.py"), "src/a%20b/%C3%BC.py");
        assert_eq!(file_uri(Path::new("/w/x#y.py")), "file:///w/x%23y.py");
        assert_eq!(dir_uri(Path::new("/w")), "file:///w/");
        assert_eq!(camel("unknown-member"), "UnknownMember");
    }

    #[test]
    fn replacements_follow_the_written_text() {
        assert_eq!(replacement("parse", "json.loads"), "loads");
        assert_eq!(replacement("os.pathx", "os.path"), "os.path");
    }
}
