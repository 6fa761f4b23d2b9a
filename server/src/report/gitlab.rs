//! GitLab code-quality report (a subset of the Code Climate format that GitLab
//! reads): `[{"description", "check_name", "fingerprint", "severity",
//! "location": {"path", "lines": {"begin"}}}]`.

use serde_json::{json, Value};

use crate::analysis::Severity;
use crate::check::CheckOutcome;
use crate::fingerprint;

use super::text::with_suggestions;

pub fn to_value(outcome: &CheckOutcome) -> Value {
    let fingerprints = fingerprint::fingerprints(&outcome.findings, |r| r.path.replace('\\', "/"));
    let issues: Vec<Value> = outcome
        .findings
        .iter()
        .zip(fingerprints)
        .map(|(r, fp)| {
            json!({
                "type": "issue",
                "description": with_suggestions(&r.finding),
                "check_name": r.finding.code.as_str(),
                "categories": ["Bug Risk"],
                "fingerprint": fp,
                "severity": match r.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
                "location": {
                    "path": r.path.replace('\\', "/"),
                    "lines": {"begin": r.line, "end": r.end_line},
                },
            })
        })
        .collect();
    Value::from(issues)
}

pub fn render(outcome: &CheckOutcome) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(outcome)).unwrap_or_default();
    s.push('\n');
    s
}
