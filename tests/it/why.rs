//! `grounded check --why`: one line per lookup left unchecked on an open
//! container, naming the construct that opened it and where — in the text
//! output, the JSON `why` field and the hover of the language server.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::lsp_client::{uri_of, Client};
use serde_json::{json, Value};

fn grounded(dir: &Path, args: &[&str]) -> Output {
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("grounded-cache");
    Command::new(env!("CARGO_BIN_EXE_grounded"))
        .args(args)
        .current_dir(dir)
        .env("GROUNDED_CACHE_DIR", cache)
        .env_remove("VIRTUAL_ENV")
        .env_remove("CONDA_PREFIX")
        .output()
        .expect("grounded runs")
}

fn write_tree(root: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let p = root.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

fn has_python() -> bool {
    Command::new("python3").arg("--version").output().is_ok()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The `silent[why]` lines of a text output.
fn why_lines(out: &str) -> Vec<&str> {
    out.lines()
        .filter(|l| l.contains(": silent[why] "))
        .collect()
}

/// A package with one module or class per kind of open construct, and a
/// script looking up a name on each (line N of main.py uses kind N).
const PYTHON: &[(&str, &str)] = &[
    ("pkg/__init__.py", ""),
    (
        "pkg/lazy.py",
        "def _load(name):\n    return name\n\n\ndef __getattr__(name):\n    _load(name)\n    if name.startswith(\"x\"):\n        return 1\n    raise AttributeError(name)\n",
    ),
    (
        "pkg/closed.py",
        "def __getattr__(name):\n    if name == \"extra\":\n        return 1\n    raise AttributeError(name)\n",
    ),
    (
        "pkg/glob.py",
        "import os\n\nglobals()[os.environ.get(\"K\", \"k\")] = 1\n",
    ),
    ("pkg/star.py", "from not_installed_anywhere import *\n"),
    (
        "pkg/classes.py",
        "\
from not_installed_anywhere import Base


class Bag:
    def __init__(self, **kw):
        for k, v in kw.items():
            setattr(self, k, v)


class Sub(Base):
    pass


class Proxy:
    def __getattr__(self, name):
        return 1


class Meta(type):
    pass


class WithMeta(metaclass=Meta):
    pass


def register(cls):
    return cls


@register
class Decorated:
    pass


class Model:
    model_config = dict(extra=\"allow\")


def cached(f):
    return f


@cached
def make():
    return Bag()


def build():
    return helper()
",
    ),
    (
        "main.py",
        "\
import pkg.lazy, pkg.closed, pkg.glob, pkg.star
from pkg.classes import Bag, Sub, Proxy, WithMeta, Decorated, Model, make, build
pkg.lazy.anything
pkg.glob.anything
pkg.star.anything
Bag().colour
Sub().colour
Proxy().colour
WithMeta().colour
Decorated().colour
Model().colour
make().colour
build().colour
pkg.closed.extra
pkg.closed.missing
from pkg.lazy import other
",
    ),
];

/// The exact line for each kind of open Python construct; nothing for a
/// closed container (its names are checked: found, or reported).
#[test]
fn python_why_names_each_construct_and_its_line() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), PYTHON);
    let o = grounded(dir.path(), &["check", "--why", "main.py"]);
    let out = stdout(&o);
    let expected = [
        "main.py:3:10: silent[why] `pkg.lazy.anything`: pkg/lazy.py:5: `__getattr__` not closed-form (calls `_load`, which may return; a branch its parameter does not decide (an `if` on something else, a loop, a `try`))",
        "main.py:4:10: silent[why] `pkg.glob.anything`: pkg/glob.py:3: `globals()[os.environ.get(\"K\", \"k\")] = …` with a computed key",
        "main.py:5:10: silent[why] `pkg.star.anything`: pkg/star.py:1: `from not_installed_anywhere import *`: module `not_installed_anywhere` not found",
        "main.py:6:7: silent[why] `Bag().colour`: pkg/classes.py:7: `setattr(self, …)` (class `Bag`)",
        "main.py:7:7: silent[why] `Sub().colour`: pkg/classes.py:10: base `Base` of class `Sub` does not resolve to a class",
        "main.py:8:9: silent[why] `Proxy().colour`: pkg/classes.py:15: `Proxy.__getattr__` answers any name",
        "main.py:9:12: silent[why] `WithMeta().colour`: pkg/classes.py:23: calling class `pkg.classes.WithMeta`: its metaclass `Meta` may build anything",
        "main.py:10:13: silent[why] `Decorated().colour`: pkg/classes.py:32: class decorator `@register` on `Decorated` may add members",
        "main.py:11:9: silent[why] `Model().colour`: pkg/classes.py:37: `model_config = dict(extra=\"allow\")` (class `Model`)",
        "main.py:12:8: silent[why] `make().colour`: pkg/classes.py:45: return type of `make()` not known: decorated with `@cached`",
        "main.py:13:9: silent[why] `build().colour`: pkg/classes.py:49: return type of `build()` not written, and it returns `helper` of unknown type",
        "main.py:16:22: silent[why] `pkg.lazy.other`: pkg/lazy.py:5: `__getattr__` not closed-form (calls `_load`, which may return; a branch its parameter does not decide (an `if` on something else, a loop, a `try`))",
    ];
    assert_eq!(why_lines(&out), expected, "{out}");
    // The closed module's missing name is a finding, not a silent lookup.
    assert!(
        out.contains("main.py:15:12: error[unresolved-symbol] `pkg.closed.missing`"),
        "{out}"
    );
    // Without --why, no such line.
    let plain = stdout(&grounded(dir.path(), &["check", "main.py"]));
    assert!(why_lines(&plain).is_empty(), "{plain}");
}

/// The JSON output carries the same lines as `why` objects — only with
/// `--why`, so that the contract's documents stay as they were without it.
#[test]
fn json_why_field_lists_each_silent_lookup() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), PYTHON);
    let o = grounded(
        dir.path(),
        &["check", "--why", "--format", "json", "main.py"],
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let why = v["why"].as_array().expect("a why array");
    assert_eq!(why.len(), 12, "{why:?}");
    assert_eq!(
        why[0],
        json!({
            "path": "main.py",
            "line": 3,
            "column": 10,
            "symbol": "pkg.lazy.anything",
            "reason": "pkg/lazy.py:5: `__getattr__` not closed-form (calls `_load`, which may return; a branch its parameter does not decide (an `if` on something else, a loop, a `try`))"
        })
    );
    let o = grounded(dir.path(), &["check", "--format", "json", "main.py"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v.get("why").is_none(), "{v}");
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Rust: the macro, the derive, the attribute macro, the proc-macro crate,
/// the trait method found by name and the unknown receiver, each with its
/// place (the `open_patterns` fixture, whose code is valid).
#[test]
fn rust_why_names_macros_derives_and_receivers() {
    let dir = repo_root().join("fixtures/rust/open_patterns");
    let o = grounded(&dir, &["check", "--why", "src/lib.rs"]);
    let out = stdout(&o);
    let lines = why_lines(&out);
    for expected in [
        "src/lib.rs:66:18: silent[why] `gen::generated`: gen/src/lib.rs:10: macro `make_fn!` not expanded: it may define `generated`, a name its tokens hold",
        "src/lib.rs:67:18: silent[why] `inc::from_include`: open_patterns/src/lib.rs:9: macro `include!` not expanded",
        "src/lib.rs:68:20: silent[why] `built::from_build_script`: open_patterns/src/lib.rs:14: macro `include!` not expanded",
        "src/lib.rs:69:22: silent[why] `Greeter::hello`: open_patterns/src/lib.rs:22: `#[derive(Hello)]` on `Greeter` may add items",
        "src/lib.rs:69:30: silent[why] `.len()`: receiver type unknown: return type of `Greeter::hello()` not known",
        "src/lib.rs:71:15: silent[why] `.describe()`: `describe` is a method of a trait in scope: not checked against the traits `Vec` implements",
        "src/lib.rs:75:21: silent[why] `Oracle::answer`: an `impl Oracle` block has generated items (a macro inside it, or an attribute macro)",
    ] {
        assert!(lines.contains(&expected), "missing {expected}\n{out}");
    }
    // A method the type has is checked, not silent; so is a proc-macro
    // crate's macro, known by its attribute.
    assert!(!out.contains("`.ask()`"), "{out}");
    assert!(!out.contains("hello_derive::with_answer"), "{out}");
}

/// Hover on an attribute of an open container says why it is not checked.
#[test]
fn hover_on_an_unchecked_attribute_says_why() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), PYTHON);
    let mut c = Client::start(&dir.path().join("cache"));
    c.initialize(dir.path(), &["utf-16"]);
    let uri = uri_of(&dir.path().join("h.py"));
    c.open(&uri, "import pkg.lazy\npkg.lazy.anything\n");
    c.diagnostics(&uri, 1);
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 11}}),
    )["result"]
        .clone();
    let text = h["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        text,
        "**unchecked** `pkg.lazy.anything`\n\nNot checked: pkg/lazy.py:5: `__getattr__` not closed-form (calls `_load`, which may return; a branch its parameter does not decide (an `if` on something else, a loop, a `try`))",
        "{h}"
    );
    assert_eq!(h["range"]["start"], json!({"line": 1, "character": 9}));
    c.shutdown_and_exit();
}
