//! The JSON contract of DESIGN.md: `{"version": 1, "diagnostics": [...], "summary": {...}}`.

use serde_json::{json, Value};

use crate::analysis::Severity;
use crate::check::{CheckOutcome, Reported};

/// One finding of the contract.
fn diagnostic(r: &Reported) -> Value {
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
}

pub fn render(outcome: &CheckOutcome) -> String {
    let skeleton = json!({
        "version": 1,
        "diagnostics": super::ITEMS,
        "summary": {
            "files": outcome.files,
            "errors": outcome.count(Severity::Error),
            "warnings": outcome.count(Severity::Warning),
            "duration_ms": outcome.duration_ms as u64,
        },
    });
    let mut skeleton = skeleton;
    if let Some(why) = &outcome.why {
        skeleton["why"] = why
            .iter()
            .map(|w| {
                json!({
                    "path": w.path,
                    "line": w.line,
                    "column": w.column,
                    "symbol": w.symbol,
                    "reason": w.reason,
                })
            })
            .collect();
    }
    let mut s = super::pretty_with_items(&skeleton, outcome.findings.iter().map(diagnostic));
    s.push('\n');
    s
}
