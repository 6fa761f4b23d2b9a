//! Check output formats. Each turns a [`CheckOutcome`] into text; none decides
//! anything about findings.

pub mod json;
pub mod text;

use crate::check::CheckOutcome;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

pub fn render(format: Format, outcome: &CheckOutcome) -> String {
    match format {
        Format::Text => text::render(outcome),
        Format::Json => json::render(outcome),
    }
}
