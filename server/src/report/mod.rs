//! Check output formats. Each turns a [`CheckOutcome`] into text; none decides
//! anything about findings.

pub mod github;
pub mod gitlab;
pub mod json;
pub mod sarif;
pub mod text;

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
