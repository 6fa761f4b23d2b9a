//! The tools as a model sees them: names, descriptions written for a model
//! to read, and JSON schemas of their arguments.

use std::sync::Arc;

use rmcp::model::{JsonObject, Tool, ToolAnnotations};
use serde_json::{json, Value};

pub const API_CONTEXT: &str = "api_context";
pub const CHECK_CODE: &str = "check_code";
pub const LOOKUP: &str = "lookup";
pub const MEMBERS: &str = "members";

pub const NAMES: [&str; 4] = [API_CONTEXT, CHECK_CODE, LOOKUP, MEMBERS];

/// What the server tells the client about itself at `initialize`.
pub const INSTRUCTIONS: &str = "Grounded knows which Python APIs really exist in this workspace \
and its installed environment. Before writing code that calls a library, call api_context for the \
file you are editing (it lists the real functions, classes, methods and signatures you may use, and \
the packages that are installed). Before presenting or saving code, call check_code to catch calls \
to modules, functions or methods that do not exist. Use lookup and members to check one name.";

fn schema(v: Value) -> Arc<JsonObject> {
    match v {
        Value::Object(map) => Arc::new(map),
        _ => Arc::new(JsonObject::new()),
    }
}

fn read_only() -> ToolAnnotations {
    let mut a = ToolAnnotations::new();
    a.read_only_hint = Some(true);
    a.open_world_hint = Some(false);
    a.idempotent_hint = Some(true);
    a
}

const PATH_DOC: &str =
    "A file in the workspace: absolute, or relative to the workspace root. Files outside the workspace are refused.";

pub fn all() -> Vec<Tool> {
    vec![
        Tool::new(
            API_CONTEXT,
            "List the APIs that really exist for a Python file: for each module the file imports, \
its real functions, classes and methods with their signatures (parameters, defaults, annotations) \
and the first line of their docstrings; the file's own functions and classes and those of the \
workspace modules it imports; and the top-level packages installed in its environment (anything \
else cannot be imported). Members the file already uses come first, then those whose names match \
`task` or the code around `line`. The list fits `budget` tokens and says what it left out. Call it \
before writing code in that file, and use only what it lists; if something you need is missing, \
call lookup or members rather than guessing. For a Rust file (.rs): the items of the std modules, \
dependency crates and crate modules its `use` declarations reach (fn signatures, types with their \
methods), its own items, and the crate's dependencies (what `use` may name).",
            schema(json!({
                "type": "object",
                "properties": {
                    "path": {"type": "string", "description": PATH_DOC},
                    "line": {"type": "integer", "minimum": 1,
                             "description": "The 1-based line you are about to edit: names used around it rank higher."},
                    "budget": {"type": "integer", "minimum": 1,
                               "description": "Token budget for the answer (default 2000; a token is about 4 characters)."},
                    "task": {"type": "string",
                             "description": "What you are about to write, in a sentence: APIs whose names share its words rank higher."}
                },
                "required": ["path"],
                "additionalProperties": false
            })),
        )
        .with_annotations(read_only()),
        Tool::new(
            CHECK_CODE,
            "Check code before you write it: finds calls to modules, functions, classes, methods and \
attributes that do not exist (hallucinated APIs) and names that nothing defines, each with the real \
names it probably meant. `code` is checked as the whole content of the file at `path` (the file \
need not exist yet), or, with `append: true`, as if added at the end of that file, so its imports \
and definitions are in scope. Lines and columns in the answer are 1-based, counted in `code`. Only \
what is certain is reported: no findings means nothing Grounded could verify is wrong. Works for \
Python (.py) and Rust (.rs) files.",
            schema(json!({
                "type": "object",
                "properties": {
                    "path": {"type": "string", "description": PATH_DOC},
                    "code": {"type": "string", "description": "The code to check."},
                    "append": {"type": "boolean",
                               "description": "Check `code` as appended to the file's current content instead of replacing it (default false)."}
                },
                "required": ["path", "code"],
                "additionalProperties": false
            })),
        )
        .with_annotations(read_only()),
        Tool::new(
            LOOKUP,
            "Does a Python name or a Rust path exist? Give a dotted Python name such as \
`os.path.join`, `requests.Session.get` or `myapp.utils.slugify`, or a Rust path such as \
`std::collections::HashMap::insert`, `serde_json::from_str` or `Vec::push` (read from the root of \
the workspace's crate; with `path` set to a .rs file, read as that file would: its imports, \
`crate::`, `super::`). Answers exists (with its kind, signature, first doc line and the file it is \
defined in), missing (with the nearest real names), or unknown (the module, class or type is open: \
dynamic in Python, macro-generated in Rust, so nobody can tell before running or compiling it).",
            schema(json!({
                "type": "object",
                "properties": {
                    "symbol": {"type": "string", "description": "A dotted Python name, module first, or a Rust path with `::`."},
                    "path": {"type": "string",
                             "description": "Optional: a file whose project and environment to look in (default: the workspace root's); for Rust, the .rs file a path is read from."}
                },
                "required": ["symbol"],
                "additionalProperties": false
            })),
        )
        .with_annotations(read_only()),
        Tool::new(
            MEMBERS,
            "List the members of a Python module or class (`json`, `pathlib.Path`, \
`requests.Session`), or of a Rust crate, module, type or trait (`serde_json`, `std::fs`, \
`std::collections::HashMap`, `std::io::Read`), with their kinds and signatures, and say whether the \
list is closed (complete: a name not listed does not exist) or open (members can appear at run time \
or come from macros, so the list may be incomplete).",
            schema(json!({
                "type": "object",
                "properties": {
                    "module_or_type": {"type": "string", "description": "A dotted Python module or class name, or a Rust path with `::`."},
                    "path": {"type": "string",
                             "description": "Optional: a file whose project and environment to look in (default: the workspace root's); for Rust, the .rs file a path is read from."}
                },
                "required": ["module_or_type"],
                "additionalProperties": false
            })),
        )
        .with_annotations(read_only()),
    ]
}
