//! GitLab code-quality report (a subset of the Code Climate format that GitLab
//! reads): `[{"description", "check_name", "fingerprint", "severity",
//! "location": {"path", "lines": {"begin"}}}]`.

use serde_json::json;

use crate::analysis::Severity;
use crate::check::CheckOutcome;
use crate::fingerprint;

use super::text::with_suggestions;

pub fn render(outcome: &CheckOutcome) -> String {
    let fingerprints = fingerprint::fingerprints(&outcome.findings, |r| r.path.replace('\\', "/"));
    let issues = outcome.findings.iter().zip(fingerprints).map(|(r, fp)| {
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
    });
    let mut s = super::pretty_with_items(&json!(super::ITEMS), issues);
    s.push('\n');
    s
}
