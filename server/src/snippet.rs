//! Checking code before it is written: a snippet analyzed as if it were a
//! file's whole content, or as if it were appended to the file, with the
//! findings placed in the snippet's own lines.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::check::{self, Reported};
use crate::session::Session;
use crate::source_lang::{lang_of, Lang};
use crate::syntax::line_breaks;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnippetMode {
    /// The snippet replaces the file's content.
    Replace,
    /// The snippet is appended to the file as it is on disk (its imports
    /// and definitions are in scope).
    Append,
}

/// Findings in `code`, lines and columns relative to the snippet (1-based).
pub fn check_snippet(
    session: &Session,
    path: &Path,
    code: &str,
    mode: SnippetMode,
) -> Result<Vec<Reported>, String> {
    let Some(language) = lang_of(path) else {
        return Err(format!(
            "{}: not a Python (.py, .pyi) or Rust (.rs) file",
            path.display()
        ));
    };
    // What is at `path` now, when anything is, must be a file that code
    // could be written to: never a FIFO, socket, device or directory.
    if let Ok(meta) = std::fs::metadata(path) {
        crate::regular_file::require(&meta).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let mut text = String::new();
    if mode == SnippetMode::Append {
        match crate::regular_file::read(path) {
            Ok(bytes) => {
                text = String::from_utf8(bytes)
                    .map_err(|_| format!("{}: not valid UTF-8", path.display()))?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("{}: {e}", path.display())),
        }
        // A file ending in a lone `\r` and a snippet starting with `\n`
        // would make one `\r\n` of two line breaks.
        if !text.is_empty() && (!line_breaks::ends_with_break(&text) || code.starts_with('\n')) {
            text.push('\n');
        }
    }
    let start = text.len();
    let lines_before = line_breaks::count(&text);
    text.push_str(code);
    let findings = match language {
        Lang::Python => {
            let facts = Arc::new(crate::syntax::python::parse(&text));
            session.analyze(path, facts, &HashMap::new())
        }
        Lang::Rust => session.analyze_rust(path, Arc::new(crate::syntax::rust::parse(&text))),
    };
    let display = path
        .strip_prefix(session.root())
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned();
    let found = findings
        .into_iter()
        .filter(|(f, _)| f.span.start_byte as usize >= start);
    let mut out: Vec<Reported> = check::place_all(&display, &text, found);
    for r in &mut out {
        r.line -= lines_before;
        r.end_line -= lines_before;
    }
    out.sort_by_key(|r| (r.line, r.column, r.finding.code));
    Ok(out)
}
