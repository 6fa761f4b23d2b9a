//! The JSON contract of DESIGN.md: `{"version": 1, "diagnostics": [...], "summary": {...}}`.

use serde_json::{json, Value};

use crate::analysis::Severity;
use crate::check::CheckOutcome;

pub fn to_value(outcome: &CheckOutcome) -> Value {
    let diagnostics: Vec<Value> = outcome
        .findings
        .iter()
        .map(|r| {
            json!({
                "path": r.path,
                "line": r.line,
                "column": r.column,
                "end_line": r.end_line,
                "end_column": r.end_column,
                "severity": r.severity.as_str(),
                "code": r.finding.code.as_str(),
                "message": r.finding.message,
                "symbol": r.finding.symbol,
                "suggestions": r.finding.suggestions,
            })
        })
        .collect();
    json!({
        "version": 1,
        "diagnostics": diagnostics,
        "summary": {
            "files": outcome.files,
            "errors": outcome.count(Severity::Error),
            "warnings": outcome.count(Severity::Warning),
            "duration_ms": outcome.duration_ms as u64,
        },
    })
}

pub fn render(outcome: &CheckOutcome) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(outcome)).unwrap_or_default();
    s.push('\n');
    s
}
