//! Findings → LSP diagnostics, and the quick fixes offered for them.

use std::collections::HashMap;

use ropey::Rope;
use serde_json::Value;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Diagnostic, DiagnosticSeverity,
    NumberOrString, Position, Range, TextEdit, Uri, WorkspaceEdit,
};

use super::documents::{byte_range_to_range, char_to_position, position_to_char, Encoding};
use crate::analysis::hover::Description;
use crate::analysis::{Finding, Severity};
use crate::syntax::nesting::NestingCut;

pub const SOURCE: &str = "grounded";

pub fn to_diagnostic(
    rope: &Rope,
    finding: &Finding,
    severity: Severity,
    enc: Encoding,
) -> Diagnostic {
    let range = byte_range_to_range(
        rope,
        finding.span.start_byte as usize,
        finding.span.end_byte as usize,
        enc,
    );
    let mut message = finding.message.clone();
    if let Some(best) = finding.suggestions.first() {
        message.push_str(&format!(" (did you mean `{best}`?)"));
    }
    Diagnostic {
        range,
        severity: Some(match severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(finding.code.as_str().to_string())),
        source: Some(SOURCE.to_string()),
        message,
        data: Some(Value::from(finding.suggestions.clone())),
        ..Default::default()
    }
}

/// The note that a statement nested too deeply was left out: information
/// on its first line, as pyright reports "maximum parse depth exceeded".
pub fn nesting_note(rope: &Rope, cut: &NestingCut, enc: Encoding) -> Diagnostic {
    // From the statement's start to the end of its first line.
    let start = (cut.start_byte as usize).min(rope.len_bytes());
    let line = rope.byte_to_line(start);
    let slice = rope.line(line);
    let mut len = slice.len_bytes();
    while len > 0 && matches!(slice.byte(len - 1), b'\n' | b'\r') {
        len -= 1;
    }
    let end = (rope.line_to_byte(line) + len).max(start);
    Diagnostic {
        range: byte_range_to_range(rope, start, end, enc),
        severity: Some(DiagnosticSeverity::INFORMATION),
        source: Some(SOURCE.to_string()),
        message: cut.message(),
        ..Default::default()
    }
}

/// At most this many findings of one document are published (then one
/// more diagnostic says how many there are): a document with 58,000
/// findings took 490 bytes of memory per source byte to publish them all,
/// and no editor shows that many usefully. `grounded check` lists them all.
pub const MAX_PER_DOCUMENT: usize = 1000;

/// The diagnostic after the first [`MAX_PER_DOCUMENT`] of `total` findings.
pub fn more_notice(total: usize) -> Diagnostic {
    Diagnostic {
        range: Range::default(),
        severity: Some(DiagnosticSeverity::INFORMATION),
        code: Some(NumberOrString::String("too-many-findings".to_string())),
        source: Some(SOURCE.to_string()),
        message: format!(
            "{total} findings in this document: the first {MAX_PER_DOCUMENT} are shown \
(`grounded check` lists them all)"
        ),
        ..Default::default()
    }
}

/// The one diagnostic of a document over `maxDocumentSize`, at its start:
/// information, not an error — the document is fine, it is only not
/// checked. A diagnostic rather than `window/showMessage`: it belongs to
/// the document (shown with it, in the problems list), replaces the
/// findings of an earlier version, goes away by itself once the document
/// shrinks under the limit or is closed, and does not pop up again on
/// every keystroke.
pub fn size_notice(size: usize, limit: usize) -> Diagnostic {
    let mb = |n: usize| n as f64 / (1024.0 * 1024.0);
    Diagnostic {
        range: Range::default(),
        severity: Some(DiagnosticSeverity::INFORMATION),
        code: Some(NumberOrString::String("document-too-large".to_string())),
        source: Some(SOURCE.to_string()),
        message: format!(
            "not checked: this document is {:.1} MB, over the {:.1} MB of the `maxDocumentSize` setting \
(raise it to check this document; `grounded check` checks files of any size)",
            mb(size),
            mb(limit)
        ),
        ..Default::default()
    }
}

/// The quick fixes for grounded diagnostics in a code-action request:
/// "Replace with `X`" per suggestion (the first preferred), then
/// "Ignore on this line".
pub fn code_actions(
    uri: &Uri,
    rope: &Rope,
    diagnostics: &[Diagnostic],
    enc: Encoding,
) -> Vec<CodeActionOrCommand> {
    let mut out = Vec::new();
    for d in diagnostics {
        if d.source.as_deref() != Some(SOURCE) {
            continue;
        }
        // Finding codes only (not the size notice).
        let code = match &d.code {
            Some(NumberOrString::String(c)) if crate::analysis::Code::parse(c).is_some() => {
                c.clone()
            }
            _ => continue,
        };
        let written: String = {
            let start = position_to_char(rope, d.range.start, enc);
            let end = position_to_char(rope, d.range.end, enc).max(start);
            rope.slice(start..end).to_string()
        };
        let suggestions: Vec<String> = d
            .data
            .as_ref()
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        for (i, s) in suggestions.iter().enumerate() {
            // A dotted range (a module path) takes the whole name; an attribute
            // or a bare name takes the last segment.
            let replacement = if written.contains('.') {
                s.clone()
            } else {
                s.rsplit('.').next().unwrap_or(s).to_string()
            };
            out.push(action(
                format!("Replace with `{replacement}`"),
                uri,
                TextEdit::new(d.range, replacement),
                d.clone(),
                i == 0,
            ));
        }
        // Append the suppression to the end of the diagnostic's first line.
        let line = d.range.start.line as usize;
        if line < rope.len_lines() {
            let mut end = rope.line_to_char(line) + rope.line(line).len_chars();
            while end > rope.line_to_char(line) && matches!(rope.char(end - 1), '\n' | '\r') {
                end -= 1;
            }
            let at = char_to_position(rope, end, enc);
            out.push(action(
                "Ignore on this line".to_string(),
                uri,
                TextEdit::new(
                    Range::new(at, Position::new(at.line, at.character)),
                    format!("  # grounded: ignore[{code}]"),
                ),
                d.clone(),
                false,
            ));
        }
    }
    out
}

fn action(
    title: String,
    uri: &Uri,
    edit: TextEdit,
    diagnostic: Diagnostic,
    preferred: bool,
) -> CodeActionOrCommand {
    let mut changes = HashMap::new();
    changes.insert(uri.clone(), vec![edit]);
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic]),
        edit: Some(WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        }),
        is_preferred: preferred.then_some(true),
        ..Default::default()
    })
}

/// A hover card: what the thing is, its signature, its first doc line, where
/// it is defined.
pub fn hover_markdown(d: &Description) -> String {
    let mut out = format!("**{}** `{}`", d.kind, d.name);
    if let Some(sig) = &d.signature {
        out.push_str(&format!("\n\n```python\n{sig}\n```"));
    }
    if let Some(doc) = &d.doc {
        out.push_str(&format!("\n\n{doc}"));
    }
    if let Some(loc) = &d.location {
        out.push_str(&format!("\n\n*{loc}*"));
    }
    out
}
