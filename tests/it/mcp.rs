//! `grounded mcp` as an AI assistant's client meets it: the real binary,
//! newline-delimited JSON-RPC over stdio — the handshake, the tool list,
//! every tool, bad arguments, and files edited between calls.

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

struct Client {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start(root: &Path) -> Client {
        Client::start_configured(root, &[], |_| {})
    }

    /// `grounded mcp --root ROOT` with its own cache directory and the
    /// environment `envs` added.
    fn start_with(root: &Path, cache: &Path, envs: &[(&str, &Path)]) -> Client {
        Client::start_configured(root, &[], |cmd| {
            cmd.env("GROUNDED_CACHE_DIR", cache)
                .envs(envs.iter().copied());
        })
    }

    /// `grounded mcp --root ROOT ARGS`, its command adjusted by `configure`.
    fn start_configured(
        root: &Path,
        args: &[&str],
        configure: impl FnOnce(&mut Command),
    ) -> Client {
        let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("grounded-cache");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_grounded"));
        cmd.args(["mcp", "--root"])
            .arg(root)
            .args(args)
            .env("GROUNDED_CACHE_DIR", cache)
            .env_remove("VIRTUAL_ENV")
            .env_remove("CONDA_PREFIX")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        configure(&mut cmd);
        let mut child = cmd.spawn().expect("grounded mcp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                let v: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("stdout carries only JSON-RPC ({e}): {line}"));
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            rx,
            next_id: 1,
        };
        let init = client.request(
            "initialize",
            json!({"protocolVersion": "2025-06-18", "capabilities": {},
                   "clientInfo": {"name": "grounded-tests", "version": "0"}}),
        );
        assert_eq!(init["result"]["serverInfo"]["name"], "grounded", "{init}");
        assert!(
            init["result"]["capabilities"]["tools"].is_object(),
            "{init}"
        );
        assert!(init["result"]["instructions"]
            .as_str()
            .is_some_and(|i| i.contains("api_context")));
        client.send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        client
    }

    fn send(&mut self, msg: Value) {
        writeln!(self.stdin, "{msg}").unwrap();
        self.stdin.flush().unwrap();
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = self
                .rx
                .recv_timeout(Duration::from_secs(30))
                .expect("an answer within 30 s");
            if m["id"] == id {
                return m;
            }
        }
    }

    /// A tool's result: (is_error, text, structured content).
    fn call(&mut self, tool: &str, args: Value) -> (bool, String, Value) {
        let r = self.request("tools/call", json!({"name": tool, "arguments": args}));
        let result = &r["result"];
        assert!(result.is_object(), "{tool}: no result: {r}");
        let text = result["content"][0]["text"]
            .as_str()
            .unwrap_or("")
            .to_string();
        (
            result["isError"] == true,
            text,
            result["structuredContent"].clone(),
        )
    }

    fn ok(&mut self, tool: &str, args: Value) -> (String, Value) {
        let (err, text, json) = self.call(tool, args.clone());
        assert!(!err, "{tool} {args} failed: {text}");
        (text, json)
    }

    fn tool_error(&mut self, tool: &str, args: Value, want: &str) {
        let (err, text, _) = self.call(tool, args.clone());
        assert!(err, "{tool} {args} should fail, got: {text}");
        assert!(
            text.contains(want),
            "{tool} {args}: wanted {want:?} in {text:?}"
        );
        assert_eq!(text.lines().count(), 1, "one line: {text}");
    }

    fn close(mut self) {
        drop(self.stdin);
        for _ in 0..500 {
            if self.child.try_wait().unwrap().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        panic!("grounded mcp did not exit when its input closed");
    }
}

fn has_python() -> bool {
    Command::new("python3").arg("--version").output().is_ok()
}

/// A private copy of fixtures/context (the tests edit it).
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/context");
    common::copy_dir(&fixture, dir.path());
    dir
}

#[test]
fn tools_are_listed_for_a_model_to_read() {
    let dir = workspace();
    let mut c = Client::start(dir.path());
    let r = c.request("tools/list", json!({}));
    let tools = r["result"]["tools"].as_array().expect("a tool list");
    let names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["api_context", "check_code", "lookup", "members"]);
    for t in tools {
        let description = t["description"].as_str().unwrap();
        assert!(description.len() > 150, "{}: {description}", t["name"]);
        assert_eq!(t["inputSchema"]["type"], "object");
        assert!(!t["inputSchema"]["required"].as_array().unwrap().is_empty());
        assert_eq!(t["annotations"]["readOnlyHint"], true);
    }
    c.close();
}

#[test]
fn every_tool_answers() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let dir = workspace();
    let mut c = Client::start(dir.path());

    let (text, json) = c.ok(
        "api_context",
        json!({"path": "app/main.py", "budget": 800, "task": "pivot rows"}),
    );
    assert!(text.starts_with("# API context for app/main.py"), "{text}");
    assert!(
        text.contains("## Available APIs") && text.contains("## Task\npivot rows"),
        "{text}"
    );
    assert!(text.contains("- def fetch_json(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> dict — Fetch a URL and decode its JSON body."), "{text}");
    assert!(json["tokens"].as_u64().unwrap() <= 800, "{json}");
    let items = json["items"].as_array().unwrap();
    assert!(
        items.iter().any(|i| i["name"] == "tabular.pivot_rows"),
        "{json}"
    );
    // Absolute paths inside the root are accepted too.
    let abs = dir.path().join("app/utils.py");
    let (text, _) = c.ok(
        "api_context",
        json!({"path": abs.to_string_lossy(), "line": 3}),
    );
    assert!(text.contains("### app.utils (this file)"), "{text}");

    let (text, json) = c.ok(
        "check_code",
        json!({"path": "app/new.py",
               "code": "import webkit\nfrom app.utils import slugfy\n\nwebkit.Client().fetch('u')\nwebkit.fetch_json('u')\n"}),
    );
    assert!(text.starts_with("2 problems"), "{text}");
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings[0]["line"], 2);
    assert_eq!(findings[0]["code"], "unresolved-symbol");
    assert_eq!(findings[0]["suggestions"][0], "app.utils.slugify");
    assert_eq!(findings[1]["line"], 4);
    assert_eq!(findings[1]["code"], "unknown-member");
    // Appended: the file's imports are in scope, lines count in the snippet.
    let (text, json) = c.ok(
        "check_code",
        json!({"path": "app/main.py", "append": true,
               "code": "\ndef more():\n    return report_nam('x') + slugify('y')\n"}),
    );
    assert_eq!(json["mode"], "append");
    assert_eq!(json["findings"].as_array().unwrap().len(), 1, "{text}");
    assert_eq!(json["findings"][0]["line"], 3);
    assert_eq!(json["findings"][0]["suggestions"][0], "report_name");
    let (text, json) = c.ok(
        "check_code",
        json!({"path": "app/ok.py", "code": "from webkit import fetch_text\n"}),
    );
    assert!(text.starts_with("No problems found"), "{text}");
    assert!(json["findings"].as_array().unwrap().is_empty());
    // Rust is checked too.
    let (text, json) = c.ok(
        "check_code",
        json!({"path": "src/lib.rs", "code": "fn f() {\n    undefined_thing();\n}\n"}),
    );
    assert_eq!(json["findings"][0]["code"], "undefined-name", "{text}");
    assert_eq!(json["findings"][0]["line"], 2, "{text}");

    let (text, json) = c.ok("lookup", json!({"symbol": "webkit.Client.get"}));
    assert_eq!(json["exists"], true);
    assert_eq!(json["found"]["kind"], "method");
    assert_eq!(
        json["found"]["signature"],
        "def get(self, url: str, *, timeout: float = 10.0) -> Response"
    );
    assert_eq!(
        json["found"]["source"],
        "venv/lib/python3.11/site-packages/webkit/client.py"
    );
    assert!(text.starts_with("`webkit.Client.get` exists"), "{text}");
    let (text, json) = c.ok("lookup", json!({"symbol": "webkit.fetch_jsn"}));
    assert_eq!(json["exists"], false, "{text}");
    assert_eq!(json["suggestions"][0], "webkit.fetch_json");
    let (_, json) = c.ok("lookup", json!({"symbol": "webkitt.Client"}));
    assert_eq!(json["exists"], false);
    assert_eq!(json["suggestions"][0], "webkit");
    let (_, json) = c.ok("lookup", json!({"symbol": "app.utils.Cache.lookup"}));
    assert_eq!(
        json["found"]["signature"],
        "def lookup(self, key: str) -> object"
    );
    let (_, json) = c.ok("lookup", json!({"symbol": "app.plugins.anything"}));
    assert_eq!(json["status"], "unknown", "{json}");
    assert_eq!(json["exists"], Value::Null);

    let (text, json) = c.ok("members", json!({"module_or_type": "webkit.Client"}));
    assert_eq!(json["closed"], true, "{text}");
    let members: Vec<&str> = json["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert!(
        members.contains(&"webkit.Client.download_file"),
        "{members:?}"
    );
    assert!(!members.contains(&"webkit.Client._pool"), "{members:?}");
    assert!(text.contains("closed (complete"), "{text}");
    let (text, json) = c.ok("members", json!({"module_or_type": "app.plugins"}));
    assert_eq!(json["closed"], false, "{text}");
    assert!(
        text.contains("open (members can appear at run time"),
        "{text}"
    );
    let (_, json) = c.ok(
        "members",
        json!({"module_or_type": "webkit", "path": "app/main.py"}),
    );
    assert_eq!(json["kind"], "module");
    // `__all__` and the submodules.
    assert_eq!(json["members"].as_array().unwrap().len(), 9, "{json}");
    c.close();
}

/// `lookup` of a name a module re-exports through a star import answers
/// with its signature, doc line and the file that defines it; a missing
/// name with nothing spelled alike gets the members that mean it.
#[test]
fn lookup_follows_re_exports_and_meanings() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let dir = workspace();
    let mut c = Client::start(dir.path());
    let (text, json) = c.ok("lookup", json!({"symbol": "os.path.exists"}));
    assert_eq!(json["exists"], true, "{text}");
    assert_eq!(json["found"]["signature"], "def exists(path)", "{text}");
    assert!(
        json["found"]["source"]
            .as_str()
            .is_some_and(|s| s.ends_with("genericpath.py")),
        "{text}"
    );
    assert!(json["found"]["doc"].as_str().is_some(), "{text}");
    let (text, json) = c.ok("lookup", json!({"symbol": "json.parse"}));
    assert_eq!(json["exists"], false, "{text}");
    let first_two: Vec<&str> = json["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .take(2)
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(first_two.contains(&"json.loads"), "{text}");
    c.close();
}

#[test]
fn bad_arguments_are_tool_errors_and_the_server_goes_on() {
    let dir = workspace();
    let mut c = Client::start(dir.path());
    c.tool_error("api_context", json!({}), "`path` is required");
    c.tool_error("api_context", json!({"path": 3}), "`path` must be a string");
    c.tool_error(
        "api_context",
        json!({"path": "app/main.py", "budget": -1}),
        "positive integer",
    );
    c.tool_error(
        "api_context",
        json!({"path": "app/main.py", "line": "x"}),
        "positive integer",
    );
    c.tool_error(
        "api_context",
        json!({"path": "app/main.py", "colour": 1}),
        "unknown argument `colour`",
    );
    c.tool_error(
        "api_context",
        json!({"path": "../outside.py"}),
        "outside the workspace",
    );
    c.tool_error(
        "api_context",
        json!({"path": "/etc/hostname"}),
        "outside the workspace",
    );
    c.tool_error(
        "api_context",
        json!({"path": "app/missing.py"}),
        "app/missing.py",
    );
    c.tool_error(
        "api_context",
        json!({"path": "README.md"}),
        "not a Python file",
    );
    c.tool_error(
        "check_code",
        json!({"path": "app/main.py"}),
        "`code` is required",
    );
    c.tool_error(
        "check_code",
        json!({"path": "app/main.py", "code": "x", "append": "yes"}),
        "true or false",
    );
    c.tool_error(
        "check_code",
        json!({"path": "notes.txt", "code": "x"}),
        "not a Python",
    );
    c.tool_error(
        "lookup",
        json!({"symbol": "os..path"}),
        "not a dotted Python name",
    );
    c.tool_error("lookup", json!({"symbol": ""}), "not a dotted Python name");
    c.tool_error(
        "members",
        json!({"module_or_type": "webkit.nothing_here"}),
        "does not exist",
    );
    let r = c.request(
        "tools/call",
        json!({"name": "no_such_tool", "arguments": {}}),
    );
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("unknown tool"),
        "{r}"
    );
    // Still serving.
    let r = c.request("tools/list", json!({}));
    assert_eq!(r["result"]["tools"].as_array().unwrap().len(), 4);
    c.close();
}

#[test]
fn files_edited_between_calls_are_seen() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let dir = workspace();
    let mut c = Client::start(dir.path());
    let (_, json) = c.ok("lookup", json!({"symbol": "app.utils.unslugify"}));
    assert_eq!(json["exists"], false);
    let (_, json) = c.ok(
        "check_code",
        json!({"path": "app/x.py", "code": "from app.extra import helper\n"}),
    );
    assert_eq!(json["findings"][0]["code"], "unresolved-module", "{json}");

    let utils = dir.path().join("app/utils.py");
    let mut text = std::fs::read_to_string(&utils).unwrap();
    text.push_str("\n\ndef unslugify(slug: str) -> str:\n    \"\"\"Words back from a slug.\"\"\"\n    return slug.replace('-', ' ')\n");
    std::fs::write(&utils, text).unwrap();
    std::fs::write(
        dir.path().join("app/extra.py"),
        "def helper() -> int:\n    return 1\n",
    )
    .unwrap();

    let (_, json) = c.ok("lookup", json!({"symbol": "app.utils.unslugify"}));
    assert_eq!(json["exists"], true, "{json}");
    assert_eq!(
        json["found"]["signature"],
        "def unslugify(slug: str) -> str"
    );
    let (_, json) = c.ok(
        "check_code",
        json!({"path": "app/x.py", "code": "from app.extra import helper\n"}),
    );
    assert!(json["findings"].as_array().unwrap().is_empty(), "{json}");
    let (text, _) = c.ok(
        "api_context",
        json!({"path": "app/main.py", "task": "unslugify"}),
    );
    assert!(
        text.contains("def unslugify(slug: str) -> str — Words back from a slug."),
        "{text}"
    );

    // The edited file itself: its new import is used at once.
    let main = dir.path().join("app/main.py");
    std::fs::write(&main, "import webkit\n\nwebkit.fetch_text('u')\n").unwrap();
    let (_, json) = c.ok("api_context", json!({"path": "app/main.py", "budget": 300}));
    let items = json["items"].as_array().unwrap();
    assert_eq!(items[0]["name"], "webkit.fetch_text", "{json}");
    assert!(!items.iter().any(|i| i["module"] == "tabular"), "{json}");
    c.close();
}

#[test]
fn api_context_covers_rust_files() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/context_rust");
    common::copy_dir(&fixture, dir.path());
    let mut c = Client::start(dir.path());
    let (text, json) = c.ok(
        "api_context",
        json!({"path": "src/summary.rs", "budget": 400, "task": "shorten the title"}),
    );
    assert!(
        text.starts_with(
            "# API context for src/summary.rs (module crate::summary, crate report, Rust)"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "- fn shorten(text: &str, max: usize) -> String — The first `max` characters of `text`.\n"
        ),
        "{text}"
    );
    assert!(text.contains("## Task\nshorten the title"), "{text}");
    assert!(json["tokens"].as_u64().unwrap() <= 400, "{json}");
    assert_eq!(json["rust"]["crate"], "report", "{json}");
    let items = json["items"].as_array().unwrap();
    let counter = items
        .iter()
        .find(|i| i["name"] == "textkit::Counter::bump")
        .unwrap_or_else(|| panic!("{json}"));
    assert_eq!(counter["relevance"], "used");
    assert!(
        items
            .iter()
            .any(|i| i["section"] == "packages" && i["name"] == "textkit"),
        "{json}"
    );
    c.close();
}

/// `lookup` and `members` take Rust paths: std, a dependency, the crate by
/// its name, and — with `path` — as a file of the crate reads them.
#[test]
fn lookup_and_members_answer_rust_paths() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/context_rust");
    common::copy_dir(&fixture, dir.path());
    let mut c = Client::start(dir.path());

    let (text, json) = c.ok(
        "lookup",
        json!({"symbol": "std::collections::HashMap::insert"}),
    );
    assert_eq!(json["status"], "exists", "{text}");
    assert_eq!(
        json["found"]["name"], "std::collections::HashMap::insert",
        "{json}"
    );
    // With the toolchain's signature and first doc line.
    assert_eq!(
        json["found"]["signature"], "fn insert(&mut self, k: K, v: V) -> Option<V>",
        "{json}"
    );
    assert_eq!(json["found"]["kind"], "method", "{json}");
    assert_eq!(
        json["found"]["doc"],
        "Inserts a key-value pair into the map."
    );
    let (text, json) = c.ok(
        "lookup",
        json!({"symbol": "std::collections::HashMap::push_all"}),
    );
    assert_eq!(json["status"], "missing", "{text}");
    assert!(text.contains("has no associated item `push_all`"), "{text}");
    let (_, json) = c.ok("lookup", json!({"symbol": "std::collections::HashMapp"}));
    assert_eq!(
        json["suggestions"][0], "std::collections::HashMap",
        "{json}"
    );
    // The prelude, as code at the crate root sees it.
    let (_, json) = c.ok("lookup", json!({"symbol": "Vec::pushh"}));
    assert_eq!(json["status"], "missing", "{json}");
    assert_eq!(json["suggestions"][0], "Vec::push", "{json}");

    // A dependency, read from its sources.
    let (text, json) = c.ok("lookup", json!({"symbol": "textkit::Counter::bump"}));
    assert_eq!(json["status"], "exists", "{text}");
    assert_eq!(json["found"]["signature"], "fn bump(&mut self)", "{json}");
    assert_eq!(json["found"]["kind"], "method", "{json}");
    assert_eq!(json["found"]["source"], "textkit/src/lib.rs", "{json}");
    assert_eq!(json["found"]["doc"], "Count one more event.", "{json}");
    let (_, json) = c.ok("lookup", json!({"symbol": "textkit::Counter::bumpp"}));
    assert_eq!(json["status"], "missing", "{json}");
    assert_eq!(json["suggestions"][0], "textkit::Counter::bump", "{json}");
    // A crate that is not a dependency.
    let (text, json) = c.ok("lookup", json!({"symbol": "serde_json::from_str"}));
    assert_eq!(json["status"], "missing", "{text}");
    assert!(text.contains("dependency in Cargo.toml"), "{text}");
    // The workspace crate by its own name, and a bare crate name.
    let (_, json) = c.ok("lookup", json!({"symbol": "report::store::Store::open"}));
    assert_eq!(json["found"]["signature"], "fn open(dir: &str) -> Store");
    let (_, json) = c.ok("lookup", json!({"symbol": "textkit"}));
    assert_eq!(json["found"]["kind"], "crate", "{json}");

    // From a file: its imports and `crate::`, `super::` count.
    let (_, json) = c.ok(
        "lookup",
        json!({"symbol": "Store::put", "path": "src/summary.rs"}),
    );
    assert_eq!(json["found"]["signature"], "fn put(&mut self, key: &str)");
    let (_, json) = c.ok(
        "lookup",
        json!({"symbol": "super::store::default_dirr", "path": "src/summary.rs"}),
    );
    assert_eq!(
        json["suggestions"][0], "super::store::default_dir",
        "{json}"
    );
    // `crate::` without a file is refused with what to do instead.
    c.tool_error(
        "lookup",
        json!({"symbol": "crate::Report"}),
        "start with the crate's name (`report::Report`)",
    );
    c.tool_error(
        "lookup",
        json!({"symbol": "std::::fs"}),
        "is not a Rust path",
    );

    // Members: a dependency's type (closed), a module, std.
    let (text, json) = c.ok("members", json!({"module_or_type": "textkit::Counter"}));
    assert_eq!(json["closed"], true, "{text}");
    let names: Vec<&str> = json["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "textkit::Counter::new",
            "textkit::Counter::bump",
            "textkit::Counter::reset"
        ]
    );
    let (_, json) = c.ok("members", json!({"module_or_type": "textkit::case"}));
    assert!(
        json["members"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["name"] == "textkit::case::upper" && m["kind"] == "function"),
        "{json}"
    );
    let (_, json) = c.ok("members", json!({"module_or_type": "std::fs"}));
    assert_eq!(json["kind"], "module", "{json}");
    assert!(
        json["members"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["name"] == "std::fs::read_to_string"),
        "{json}"
    );
    // What a method call on a String reaches: str's methods too, saying so.
    let (text, json) = c.ok("members", json!({"module_or_type": "String"}));
    assert_eq!(json["closed"], true, "{text}");
    let trim = json["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "String::trim")
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        trim["doc"]
            .as_str()
            .unwrap()
            .starts_with("(through `Deref` to `str`)"),
        "{trim}"
    );
    // A Deref to a type parameter: open.
    let (text, json) = c.ok("members", json!({"module_or_type": "std::sync::Arc"}));
    assert_eq!(json["closed"], false, "{text}");
    assert!(
        text.contains("open (method calls also reach the methods of its `Deref` target"),
        "{text}"
    );
    c.tool_error(
        "members",
        json!({"module_or_type": "textkit::shorten"}),
        "is a function, not a module, type or trait",
    );
    // A dependency added to Cargo.toml between calls is seen.
    let (_, json) = c.ok("lookup", json!({"symbol": "extra::helper"}));
    assert_eq!(json["status"], "missing", "{json}");
    std::fs::create_dir_all(dir.path().join("extra/src")).unwrap();
    std::fs::write(
        dir.path().join("extra/Cargo.toml"),
        "[package]\nname = \"extra\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("extra/src/lib.rs"),
        "/// Help.\npub fn helper() {}\n",
    )
    .unwrap();
    let manifest = std::fs::read_to_string(dir.path().join("Cargo.toml")).unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        manifest.replace(
            "[dependencies]\n",
            "[dependencies]\nextra = { path = \"extra\" }\n",
        ),
    )
    .unwrap();
    let (_, json) = c.ok("lookup", json!({"symbol": "extra::helper"}));
    assert_eq!(json["status"], "exists", "{json}");
    assert_eq!(json["found"]["doc"], "Help.", "{json}");
    // Python names still go to Python.
    if has_python() {
        let (_, json) = c.ok("lookup", json!({"symbol": "json.loads"}));
        assert_eq!(json["status"], "exists", "{json}");
    }
    c.close();
}

/// `--untrusted` (or `GROUNDED_UNTRUSTED`): every tool answers, and nothing
/// the workspace names runs — not its venv, its configured interpreter,
/// cargo or rustc under its toolchain files.
#[test]
fn untrusted_runs_nothing_the_workspace_names() {
    use common::hostile::{self, Hostile, APP_PY};
    let h = Hostile::new();
    let cache = h.dir.path().join("cache");
    for (args, env) in [(&["--untrusted"][..], None), (&[][..], Some("1"))] {
        h.forget_runs();
        // One root holding every workspace; the server runs inside the
        // Rust one (where its toolchain files apply).
        let mut c = Client::start_configured(h.dir.path(), args, |cmd| {
            hostile::user_shell(cmd, &cache).current_dir(&h.rs_toolchain);
            if let Some(v) = env {
                cmd.env("GROUNDED_UNTRUSTED", v);
            }
        });
        for ws in ["py_venv", "py_config"] {
            let (text, _) = c.ok(
                "check_code",
                json!({"path": format!("{ws}/app.py"), "code": APP_PY}),
            );
            assert!(text.contains("helper.missing_fn"), "{text}");
            c.ok("api_context", json!({"path": format!("{ws}/app.py")}));
        }
        for ws in ["rs_toolchain", "rs_config"] {
            let (text, _) = c.ok("api_context", json!({"path": format!("{ws}/src/lib.rs")}));
            assert!(text.contains("untrusted"), "{text}");
            c.ok(
                "lookup",
                json!({"symbol": "std::vec::Vec", "path": format!("{ws}/src/lib.rs")}),
            );
        }
        c.close();
        assert_eq!(h.ran(), Vec::<String>::new(), "{args:?} {env:?}");
    }
}

/// A symbolic link inside the root that points outside, followed by a
/// directory that does not exist, does not lead out of the root: the
/// outside project is neither read nor its interpreter run.
#[test]
fn a_symlink_out_of_the_root_is_refused() {
    use common::hostile::Hostile;
    use std::os::unix::fs::PermissionsExt;
    let h = Hostile::new();
    let root = h.dir.path().join("root");
    let outside = h.dir.path().join("elsewhere");
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    std::fs::write(root.join("pyproject.toml"), "[project]\nname = \"r\"\n").unwrap();
    std::fs::write(root.join("pkg/inside.py"), "def here(): ...\n").unwrap();
    std::fs::create_dir_all(outside.join(".venv/bin")).unwrap();
    std::fs::write(outside.join("pyproject.toml"), "[project]\nname = \"e\"\n").unwrap();
    std::fs::write(outside.join("secretmod.py"), "def outside_name(): ...\n").unwrap();
    std::fs::write(outside.join(".venv/pyvenv.cfg"), "home = /nowhere\n").unwrap();
    let python = outside.join(".venv/bin/python");
    std::fs::write(
        &python,
        format!("#!/bin/sh\necho \"$0\" >> '{}'\nexit 1\n", h.log.display()),
    )
    .unwrap();
    std::fs::set_permissions(&python, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("out")).unwrap();
    std::os::unix::fs::symlink(root.join("pkg"), root.join("inner")).unwrap();
    std::os::unix::fs::symlink(h.dir.path().join("nowhere"), root.join("dangling")).unwrap();

    let mut c = Client::start(&root);
    for path in [
        "out/newdir/x.py",
        "out/secretmod.py",
        "pkg/../out/newdir/x.py",
        "dangling/newdir/x.py",
    ] {
        c.tool_error(
            "lookup",
            json!({"symbol": "secretmod.outside_name", "path": path}),
            "outside the workspace",
        );
        c.tool_error(
            "members",
            json!({"module_or_type": "secretmod", "path": path}),
            "outside the workspace",
        );
        c.tool_error(
            "check_code",
            json!({"path": path, "code": "import secretmod\nsecretmod.outside_name()\n"}),
            "outside the workspace",
        );
        c.tool_error(
            "api_context",
            json!({"path": path}),
            "outside the workspace",
        );
    }
    // `..` after a directory that does not exist is refused too.
    c.tool_error(
        "check_code",
        json!({"path": "newdir/../pkg/x.py", "code": "x = 1\n"}),
        "newdir/../pkg/x.py",
    );
    // A link that stays inside the root is followed.
    let (text, _) = c.ok(
        "check_code",
        json!({"path": "inner/newdir/x.py", "code": "import pkg.inside\npkg.inside.here()\n"}),
    );
    assert!(text.starts_with("No problems found"), "{text}");
    c.close();
    assert_eq!(h.ran(), Vec::<String>::new());
}

/// `mkfifo PATH`: a FIFO nobody writes to, where reading blocks forever.
fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", path.display());
}

/// A FIFO is never read: the tools named one answer with an error at once,
/// and code importing one is checked (the FIFO is no module).
#[test]
fn tools_on_a_fifo_answer_with_an_error() {
    let dir = workspace();
    let root = dir.path();
    mkfifo(&root.join("pipe.py"));
    let mut c = Client::start(root);
    c.tool_error(
        "api_context",
        json!({"path": "pipe.py"}),
        "pipe.py: not a regular file (a FIFO)",
    );
    for append in [true, false] {
        c.tool_error(
            "check_code",
            json!({"path": "pipe.py", "code": "import os\n", "append": append}),
            "pipe.py: not a regular file (a FIFO)",
        );
    }
    let (text, _) = c.ok(
        "check_code",
        json!({"path": "new.py", "code": "import pipe\npipe.run()\n"}),
    );
    if has_python() {
        assert!(text.contains("module `pipe` not found"), "{text}");
    }
    c.close();
}

/// At end of input the server ends, even while a tool call is still being
/// worked on: here `cargo metadata` (a stand-in that never answers, killed
/// only after a minute) holds a Rust lookup.
#[test]
fn end_of_input_ends_the_server_while_a_call_is_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"w\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    std::fs::create_dir(root.join("src")).unwrap();
    std::fs::write(root.join("src/lib.rs"), "pub fn f() {}\n").unwrap();
    let bin = tempfile::tempdir().unwrap();
    let cargo = bin.path().join("cargo");
    let ran = bin.path().join("ran");
    std::fs::write(
        &cargo,
        format!("#!/bin/sh\n: > '{}'\nexec sleep 90\n", ran.display()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).unwrap();
    let cache = tempfile::tempdir().unwrap();
    let mut c = Client::start_with(root, cache.path(), &[("CARGO", &cargo)]);
    c.send(json!({"jsonrpc": "2.0", "id": 99, "method": "tools/call",
                  "params": {"name": "lookup",
                             "arguments": {"symbol": "crate::f", "path": "src/lib.rs"}}}));
    let deadline = Instant::now() + Duration::from_secs(20);
    while !ran.exists() {
        assert!(Instant::now() < deadline, "cargo was never run");
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(c.stdin);
    let deadline = Instant::now() + Duration::from_secs(20);
    while c.child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = c.child.kill();
            panic!("grounded mcp still running 20 s after its input ended");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        c.rx.try_iter().all(|m| m["id"] != 99),
        "the call was answered: the test did not hold it in flight"
    );
}
