//! Lines end at `\n`, `\r\n` and `\r`, and nowhere else, in both shells: the
//! CLI's line numbers, the language server's positions after full and
//! incremental sync, and the findings of files written with each line break
//! (a file with old-Mac `\r` line endings is checked like any other).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::ci_support::{grounded, has_python, stderr, stdout, write};
use crate::common::lsp_client::uri_of;
use crate::common::python_workspace_server;

/// The line breaks, by name.
const BREAKS: [(&str, &str); 3] = [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")];

/// Characters some Unicode-aware tools take for line breaks; LSP does not.
const NOT_BREAKS: [(&str, char); 5] = [
    ("ff", '\x0c'),
    ("vt", '\x0b'),
    ("nel", '\u{85}'),
    ("ls", '\u{2028}'),
    ("ps", '\u{2029}'),
];

/// A Python file: a comment first (with `\r` endings misread, it would
/// swallow the file), one of `ch` inside a comment line, then a hallucinated
/// call on line 4, column 6.
fn python_source(br: &str, ch: char) -> String {
    format!("# notes{br}import json{br}#{ch}{br}json.parse('1'){br}")
}

/// A Rust file, the same shape: the hallucinated method on line 5, column 7.
fn rust_source(br: &str, ch: char) -> String {
    format!(
        "// notes{br}fn main() {{{br}    let v: Vec<u8> = Vec::new();{br}    //{ch}{br}    v.push_all(1);{br}}}{br}"
    )
}

/// `path → [(line, column)]` of a JSON report.
fn places(report: &str) -> BTreeMap<String, Vec<(u64, u64)>> {
    let v: Value = serde_json::from_str(report).unwrap_or_else(|e| panic!("{e}: {report}"));
    let mut out: BTreeMap<String, Vec<(u64, u64)>> = BTreeMap::new();
    for d in v["diagnostics"].as_array().unwrap() {
        out.entry(d["path"].as_str().unwrap().to_string())
            .or_default()
            .push((d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()));
    }
    out
}

#[test]
fn cli_counts_lf_crlf_and_cr_as_line_breaks_and_nothing_else() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    write(ws, "pyproject.toml", "[project]\nname = \"ws\"\n");
    let mut want = BTreeMap::new();
    for (bname, br) in BREAKS {
        for (cname, ch) in NOT_BREAKS {
            let py = format!("py/{bname}_{cname}.py");
            write(ws, &py, &python_source(br, ch));
            want.insert(py, vec![(4, 6)]);
            let rs = format!("rs/{bname}_{cname}.rs");
            write(ws, &rs, &rust_source(br, ch));
            want.insert(rs, vec![(5, 7)]);
        }
    }
    let o = grounded(ws, &["check", "py", "rs", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(places(&stdout(&o)), want, "{}", stderr(&o));
}

#[test]
fn language_server_lines_agree_after_full_and_incremental_sync() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let (_dir, ws, mut c) = python_workspace_server();
    let want = json!({"start": {"line": 3, "character": 5}, "end": {"line": 3, "character": 10}});
    for (bname, br) in BREAKS {
        for (cname, ch) in NOT_BREAKS {
            let what = format!("{bname} with {cname}");
            let text = python_source(br, ch).replace("parse", "loads");
            // Incremental: `loads` → `parse` on line 3 (0-based).
            let uri = uri_of(&ws.join(format!("inc_{bname}_{cname}.py")));
            c.open(&uri, &text);
            assert!(c.diagnostics(&uri, 1).is_empty(), "{what}");
            c.change(
                &uri,
                2,
                json!([{"range": {"start": {"line": 3, "character": 5}, "end": {"line": 3, "character": 10}}, "text": "parse"}]),
            );
            let d = c.diagnostics(&uri, 2);
            assert_eq!(d.len(), 1, "{what}: {d:?}");
            assert_eq!(d[0]["range"], want, "{what}: incremental");
            // Full: the same text sent whole.
            let uri = uri_of(&ws.join(format!("full_{bname}_{cname}.py")));
            c.open(&uri, &text);
            assert!(c.diagnostics(&uri, 1).is_empty(), "{what}");
            c.change(&uri, 2, json!([{"text": python_source(br, ch)}]));
            let d = c.diagnostics(&uri, 2);
            assert_eq!(d.len(), 1, "{what}: {d:?}");
            assert_eq!(d[0]["range"], want, "{what}: full");
        }
    }
    c.shutdown_and_exit();
}

/// Edits that turn a lone `\r` into half of a `\r\n` and back: the document
/// re-parsed from its edits must agree with the same text opened fresh.
#[test]
fn language_server_follows_edits_that_join_and_split_cr_lf() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let (_dir, ws, mut c) = python_workspace_server();
    let uri = uri_of(&ws.join("mac.py"));
    c.open(&uri, "# notes\rimport json\rjson.loads('1')\r");
    assert!(c.diagnostics(&uri, 1).is_empty());
    // `\n` right after the first `\r`: one `\r\n`, still three lines.
    c.change(
        &uri,
        2,
        json!([{"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}}, "text": "\n"}]),
    );
    assert!(c.diagnostics(&uri, 2).is_empty());
    c.change(
        &uri,
        3,
        json!([{"range": {"start": {"line": 2, "character": 5}, "end": {"line": 2, "character": 10}}, "text": "parse"}]),
    );
    let d = c.diagnostics(&uri, 3);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["range"]["start"], json!({"line": 2, "character": 5}));
    // Delete that `\n` again (the end of line 0 to the start of line 1).
    c.change(
        &uri,
        4,
        json!([{"range": {"start": {"line": 0, "character": 7}, "end": {"line": 1, "character": 0}}, "text": "\r"}]),
    );
    let d = c.diagnostics(&uri, 4);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["range"]["start"], json!({"line": 2, "character": 5}));
    // A Rust document with `\r` line endings is checked too.
    let rs = uri_of(&ws.join("mac.rs"));
    c.open(&rs, &rust_source("\r", '\x0c'));
    let d = c.diagnostics(&rs, 1);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["range"]["start"], json!({"line": 4, "character": 6}));
    c.shutdown_and_exit();
}
