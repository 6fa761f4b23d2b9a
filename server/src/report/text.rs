//! `path:line:col: error[code] message (did you mean X?)`, then a summary line.

use std::fmt::Write;

use crate::analysis::{Finding, Severity};
use crate::check::CheckOutcome;

pub fn render(outcome: &CheckOutcome) -> String {
    let mut out = String::new();
    for r in &outcome.findings {
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            r.path,
            r.line,
            r.column,
            r.severity.as_str(),
            r.finding.code.as_str(),
            with_suggestions(&r.finding)
        );
    }
    // `--why`: one line per silent lookup, in the findings' shape.
    for w in outcome.why.iter().flatten() {
        let _ = writeln!(
            out,
            "{}:{}:{}: silent[why] `{}`: {}",
            w.path, w.line, w.column, w.symbol, w.reason
        );
    }
    out.push_str(&summary(outcome));
    out.push('\n');
    out
}

/// The message, then `(did you mean `a` or `b`?)` when there are suggestions.
pub fn with_suggestions(f: &Finding) -> String {
    match f.suggestions.as_slice() {
        [] => f.message.clone(),
        [one] => format!("{} (did you mean `{one}`?)", f.message),
        many => {
            let list: Vec<String> = many.iter().map(|s| format!("`{s}`")).collect();
            format!("{} (did you mean {}?)", f.message, list.join(" or "))
        }
    }
}

pub fn summary(outcome: &CheckOutcome) -> String {
    let errors = outcome.count(Severity::Error);
    let warnings = outcome.count(Severity::Warning);
    let infos = outcome.count(Severity::Info);
    let files = plural(outcome.files, "file");
    if outcome.findings.is_empty() {
        return format!(
            "No hallucinated APIs: checked {files} in {} ms.",
            outcome.duration_ms
        );
    }
    let mut parts = vec![plural(errors, "error"), plural(warnings, "warning")];
    if infos > 0 {
        parts.push(plural(infos, "info"));
    }
    format!(
        "Found {} in {files} ({}) in {} ms.",
        plural(outcome.findings.len(), "problem"),
        parts.join(", "),
        outcome.duration_ms
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
