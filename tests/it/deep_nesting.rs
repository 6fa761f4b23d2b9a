//! Valid code nested 100,000 levels deep, in every shape that recursion
//! meets, gives a note — never a stack overflow — in the CLI and in the
//! language server, and the rest of the file is still checked. Code up to
//! the bound (`syntax::nesting::MAX_DEPTH` tree levels) is checked whole.

use serde_json::json;

use crate::ci_support::{grounded, has_python, stderr, stdout, write};
use crate::common::lsp_client::uri_of;
use crate::common::python_workspace_server;

const DEEP: usize = 100_000;
const NOTE: &str = "nesting deeper than 2000 levels; this statement is not checked";

/// Python statements nested `n` levels deep, one per shape.
fn python_shapes(n: usize) -> Vec<(&'static str, String)> {
    vec![
        ("plus", format!("b = {}", vec!["a"; n].join(" + "))),
        ("ands", format!("b = {}", vec!["a"; n].join(" and "))),
        ("lists", format!("b = {}1{}", "[".repeat(n), "]".repeat(n))),
        (
            "dicts",
            format!("b = {}1{}", "{'k': ".repeat(n), "}".repeat(n)),
        ),
        ("parens", format!("b = {}a{}", "(".repeat(n), ")".repeat(n))),
        ("attributes", format!("b = os{}", ".path".repeat(n))),
        ("calls", format!("b = os.getcwd{}", "()".repeat(n))),
        ("methods", format!("b = 'a'{}", ".strip()".repeat(n))),
        ("subscripts", format!("b = [1]{}", "[0]".repeat(n))),
        ("nots", format!("b = {}a", "not ".repeat(n))),
        ("lambdas", format!("b = {}1", "lambda: ".repeat(n))),
    ]
}

/// Rust code nested `n` levels deep, one per shape: `true` where the deep
/// part is an item (the file's modules are then open: an item left out may
/// provide anything), `false` where it is a statement in a function body.
fn rust_shapes(n: usize) -> Vec<(&'static str, bool, String)> {
    vec![
        (
            "blocks",
            false,
            format!("pub fn f() {{\n{}(){}\n}}", "{ ".repeat(n), " }".repeat(n)),
        ),
        (
            "ifs",
            false,
            format!(
                "pub fn f(x: bool) {{\n{}(){}\n}}",
                "if x { ".repeat(n),
                " }".repeat(n)
            ),
        ),
        (
            "method_chain",
            false,
            format!(
                "pub fn f(v: Vec<u8>) {{\nlet _ = v.iter(){}.count();\n}}",
                ".map(|x| x)".repeat(n)
            ),
        ),
        (
            "sum",
            false,
            format!("pub fn f() -> u32 {{\n{}\n}}", vec!["1"; n].join(" + ")),
        ),
        (
            "parens",
            false,
            format!(
                "pub fn f() -> u32 {{\n{}1{}\n}}",
                "(".repeat(n),
                ")".repeat(n)
            ),
        ),
        (
            "closures",
            false,
            format!("pub fn f() {{\nlet _ = {}1;\n}}", "|| ".repeat(n)),
        ),
        (
            "paths",
            false,
            format!("pub fn f() {{\n{}b();\n}}", "a::".repeat(n)),
        ),
        (
            "modules",
            true,
            format!("{}pub fn g() {{}}{}", "mod m { ".repeat(n), " }".repeat(n)),
        ),
        (
            "generics",
            true,
            format!("pub type T = {}u8{};", "Vec<".repeat(n), ">".repeat(n)),
        ),
        (
            "tuples",
            true,
            format!("pub type T = {}u8,{};", "(".repeat(n), ")".repeat(n)),
        ),
        (
            "arrays",
            true,
            format!("pub const A: u8 = {}1{};", "[".repeat(n), "]".repeat(n)),
        ),
    ]
}

/// The deep statement on line 3, a hallucinated call on line 4.
fn python_file(deep: &str) -> String {
    format!("import json, os\na = 1\n{deep}\njson.parse('1')\n")
}

/// The deep code from line 1, a hallucinated method after it.
fn rust_file(deep: &str) -> String {
    format!("{deep}\npub fn h(v: Vec<u8>) {{\n    v.push_all(1);\n}}\n")
}

#[test]
fn cli_notes_each_shape_100000_levels_deep_and_checks_the_rest() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    write(ws, "pyproject.toml", "[project]\nname = \"ws\"\n");
    write(
        ws,
        "Cargo.toml",
        "[package]\nname = \"deep\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    for (name, deep) in python_shapes(DEEP) {
        write(ws, &format!("py/{name}.py"), &python_file(&deep));
    }
    for (name, _, deep) in rust_shapes(DEEP) {
        write(ws, &format!("src/{name}.rs"), &rust_file(&deep));
    }
    let o = grounded(ws, &["check", "py", "src"]);
    let (out, err) = (stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    for (name, _) in python_shapes(1) {
        let note = format!("note: py/{name}.py:3:1: {NOTE}");
        assert!(err.contains(&note), "{name}: {err}");
        let finding = format!("py/{name}.py:4:6: error[unresolved-symbol] `json.parse`");
        assert!(out.contains(&finding), "{name}: {out}");
    }
    for (name, item, _) in rust_shapes(1) {
        // The innermost statement that reaches the bound is left out: in
        // nested blocks, one ~1,000 levels in.
        let line = if item { 1 } else { 2 };
        let prefix = format!("note: src/{name}.rs:{line}:");
        let noted = err
            .lines()
            .any(|l| l.contains(&prefix) && l.ends_with(NOTE));
        assert!(noted, "{name}: {err}");
        // Where an item was left out, a trait it might have implemented
        // could provide the method: silent, as for any open module.
        let finding_line = if item { 3 } else { 5 };
        let finding = format!("src/{name}.rs:{finding_line}:7: error[unknown-member]");
        assert_eq!(out.contains(&finding), !item, "{name}: {out}");
    }
}

#[test]
fn code_up_to_the_bound_is_checked_whole() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    write(ws, "pyproject.toml", "[project]\nname = \"ws\"\n");
    // 1,990 levels of lists around a hallucinated call, which is found.
    let n = 1_990;
    let deep = format!("b = {}json.parse('1'){}", "[".repeat(n), "]".repeat(n));
    write(ws, "lists.py", &format!("import json\n{deep}\n"));
    // 990 nested blocks (two tree levels each) around a hallucinated method.
    let n = 990;
    let blocks = format!(
        "pub fn f(v: Vec<u8>) {{\n{}v.push_all(1);{}\n}}\n",
        "{ ".repeat(n),
        " }".repeat(n)
    );
    write(ws, "blocks.rs", &blocks);
    let o = grounded(ws, &["check", "lists.py", "blocks.rs"]);
    let (out, err) = (stdout(&o), stderr(&o));
    assert!(!err.contains("nesting deeper"), "{err}");
    assert!(
        out.contains("lists.py:2:2000: error[unresolved-symbol] `json.parse`"),
        "{out}{err}"
    );
    assert!(
        out.contains("blocks.rs:2:1983: error[unknown-member]"),
        "{out}{err}"
    );
}

#[test]
fn language_server_notes_deep_documents_and_keeps_serving() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let (_dir, ws, mut c) = python_workspace_server();
    let shapes = python_shapes(DEEP)
        .into_iter()
        .map(|(n, d)| (n, "py", python_file(&d)));
    let rust = rust_shapes(DEEP)
        .into_iter()
        .filter(|(_, item, _)| !item)
        .map(|(n, _, d)| (n, "rs", rust_file(&d)));
    for (name, ext, text) in shapes.chain(rust) {
        let uri = uri_of(&ws.join(format!("{name}.{ext}")));
        c.open(&uri, &text);
        let d = c.diagnostics(&uri, 1);
        let notes: Vec<_> = d.iter().filter(|d| d["message"] == NOTE).collect();
        assert_eq!(notes.len(), 1, "{name}.{ext}: {d:?}");
        assert_eq!(notes[0]["severity"], 3, "{name}.{ext}: information");
        let line = if ext == "py" { 2 } else { 1 };
        assert_eq!(notes[0]["range"]["start"]["line"], line, "{name}.{ext}");
        // The hallucinated call after it is reported all the same.
        assert_eq!(d.len(), 2, "{name}.{ext}: {d:?}");
    }
    // Still serving: a hover answers.
    let uri = uri_of(&ws.join("plus.py"));
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 8}}),
    );
    assert!(hover["result"].to_string().contains("json"), "{hover}");
    c.shutdown_and_exit();
}
