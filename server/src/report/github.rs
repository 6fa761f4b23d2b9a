//! GitHub Actions workflow commands: one annotation per finding,
//! `::error file=…,line=…,endLine=…,col=…,endColumn=…,title=…::message`.
//! Info findings become `::notice`.

use std::fmt::Write;

use crate::analysis::Severity;
use crate::check::CheckOutcome;

use super::text::with_suggestions;

pub fn render(outcome: &CheckOutcome) -> String {
    let mut out = String::new();
    for r in &outcome.findings {
        let command = match r.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let code = r.finding.code.as_str();
        let _ = writeln!(
            out,
            "::{command} file={},line={},endLine={},col={},endColumn={},title={}::{}",
            property(&r.path),
            r.line,
            r.end_line,
            r.column,
            r.end_column,
            property(&format!("grounded ({code})")),
            data(&format!("[{code}] {}", with_suggestions(&r.finding))),
        );
    }
    out
}

/// A command's message: `%`, CR and LF escaped.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: as data, plus `:` and `,`.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(data("100% a\r\nb: c, d"), "100%25 a%0D%0Ab: c, d");
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
