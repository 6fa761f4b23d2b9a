//! `grounded context` as a user meets it, on `fixtures/context` (Python) and
//! `fixtures/context_rust` (Rust): the text and
//! JSON output against their snapshots in tests/snapshots/ (`GROUNDED_BLESS=1
//! cargo test --test it context` rewrites them), the budget honoured at every
//! size, the members a file uses first, the same output every time.

use crate::ci_support;

use ci_support::*;
use serde_json::Value;

fn fixture() -> std::path::PathBuf {
    repo_root().join("fixtures/context")
}

/// The interpreter's minor version is the machine's, not the fixture's.
fn normalize(text: &str) -> String {
    let s = replace_minor(text, "Python 3.");
    replace_minor(&s, "\"python\": \"3.")
}

fn replace_minor(s: &str, marker: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(marker) {
        let after = &rest[i + marker.len()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        out.push_str(&rest[..i + marker.len()]);
        out.push('X');
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

fn check_snapshot(name: &str, actual: &str) {
    let path = repo_root().join("tests/snapshots").join(name);
    if std::env::var_os("GROUNDED_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; GROUNDED_BLESS=1 creates it", path.display()));
    assert!(
        expected == actual,
        "{name} differs from its snapshot (GROUNDED_BLESS=1 rewrites it)\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

fn context(args: &[&str]) -> std::process::Output {
    let mut all = vec!["context", "app/main.py"];
    all.extend_from_slice(args);
    grounded(&fixture(), &all)
}

fn json_of(o: &std::process::Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", stdout(o), stderr(o)))
}

#[test]
fn text_and_json_match_their_snapshots() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let o = context(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    check_snapshot("context_main.txt", &normalize(&stdout(&o)));

    let o = context(&[
        "--budget",
        "700",
        "--line",
        "18",
        "--task",
        "download the report to a file and pivot it",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    check_snapshot("context_task.json", &normalize(&stdout(&o)));

    let o = context(&["--budget", "700", "--task", "pivot the table by region"]);
    check_snapshot("context_task.txt", &normalize(&stdout(&o)));
}

#[test]
fn the_budget_is_honoured_and_no_item_is_cut() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let mut shown_before = 0;
    for budget in [250, 400, 700, 1000, 2000, 5000] {
        let b = budget.to_string();
        let text = stdout(&context(&["--budget", &b]));
        let tokens = text.chars().count().div_ceil(4);
        assert!(
            tokens <= budget,
            "{tokens} tokens over a budget of {budget}:\n{text}"
        );
        let json = json_of(&context(&["--budget", &b, "--format", "json"]));
        assert_eq!(json["tokens"].as_u64(), Some(tokens as u64), "{budget}");
        let items = json["items"].as_array().unwrap();
        // Every member item is one whole line of the text.
        for item in items.iter().filter(|i| i["section"] != "packages") {
            let short = item["name"].as_str().unwrap().rsplit('.').next().unwrap();
            let line = match (item["signature"].as_str(), item["kind"].as_str().unwrap()) {
                (Some(sig), _) => sig.to_string(),
                (None, "module") => format!("module {short}"),
                (None, kind) => format!("{short} ({kind})"),
            };
            assert!(
                text.lines()
                    .any(|l| l.trim_start().starts_with(&format!("- {line}"))),
                "{line} missing from the text at budget {budget}"
            );
        }
        // A bigger budget shows more, and says what it leaves out.
        assert!(items.len() >= shown_before, "{budget}");
        shown_before = items.len();
        let shown_tabular = items
            .iter()
            .filter(|i| i["module"] == "tabular" && i.get("member_of").is_none())
            .count()
            + json["also"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|l| l["container"] == "tabular")
                .map(|l| l["names"].as_array().unwrap().len())
                .sum::<usize>();
        // A module with members shown or named says how many more it has;
        // one with none is named, with its count, on the line of such modules.
        let left = 81 - shown_tabular;
        let said = match shown_tabular {
            0 => text.lines().any(|l| {
                l.starts_with("- Members not shown (budget)") && l.contains("tabular (81)")
            }),
            81 => !text.contains("more members of tabular"),
            _ => text.contains(&format!("- … {left} more members of tabular")),
        };
        assert!(
            said,
            "{budget}: {left} members of tabular left out, not said\n{text}"
        );
    }
    let all = json_of(&context(&["--budget", "5000", "--format", "json"]));
    assert!(all["omitted"].as_array().unwrap().is_empty(), "{all}");
}

#[test]
fn members_the_file_uses_come_first() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let json = json_of(&context(&["--budget", "600", "--format", "json"]));
    let items = json["items"].as_array().unwrap();
    let names: Vec<&str> = items.iter().map(|i| i["name"].as_str().unwrap()).collect();
    for used in [
        "tabular.read_csv",
        "webkit.Client",
        "webkit.Client.get",
        "webkit.fetch_json",
    ] {
        let item = items.iter().find(|i| i["name"] == used);
        let item = item.unwrap_or_else(|| panic!("{used} not in {names:?}"));
        assert_eq!(item["relevance"], "used", "{used}");
    }
    // Within each module, used members before the others.
    for module in ["tabular", "webkit"] {
        let ranks: Vec<&str> = items
            .iter()
            .filter(|i| i["module"] == module && i.get("member_of").is_none())
            .map(|i| i["relevance"].as_str().unwrap())
            .collect();
        assert_eq!(ranks.first(), Some(&"used"), "{module}: {ranks:?}");
        let first_other = ranks
            .iter()
            .position(|r| *r != "used")
            .unwrap_or(ranks.len());
        assert!(
            ranks[first_other..].iter().all(|r| *r != "used"),
            "{module}: {ranks:?}"
        );
    }
    // A used method comes first among its class's members.
    let first_child = items
        .iter()
        .find(|i| i["member_of"] == "webkit.Client")
        .unwrap();
    assert_eq!(first_child["name"], "webkit.Client.get");

    // The task's words bring matching members in, ahead of the rest.
    let json = json_of(&context(&[
        "--budget",
        "600",
        "--task",
        "pivot the rows",
        "--format",
        "json",
    ]));
    let tabular: Vec<&str> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["module"] == "tabular")
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        tabular[..2],
        ["tabular.read_csv", "tabular.pivot_rows"],
        "{tabular:?}"
    );
}

#[test]
fn the_output_is_the_same_every_time() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let cold = tempfile::tempdir().unwrap();
    let args = [
        "context",
        "app/main.py",
        "--budget",
        "900",
        "--task",
        "fetch json",
    ];
    let fresh = std::process::Command::new(env!("CARGO_BIN_EXE_grounded"))
        .args(args)
        .current_dir(fixture())
        .env("GROUNDED_CACHE_DIR", cold.path())
        .env_remove("VIRTUAL_ENV")
        .env_remove("CONDA_PREFIX")
        .output()
        .unwrap();
    let first = stdout(&grounded(&fixture(), &args));
    for _ in 0..3 {
        assert_eq!(stdout(&grounded(&fixture(), &args)), first);
    }
    assert_eq!(stdout(&fresh), first, "a cold cache gives the same context");
}

#[test]
fn bad_input_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "lib.rs", "pub fn f() {}\n");
    write(dir.path(), "notes.txt", "hello\n");
    std::fs::write(dir.path().join("bad.py"), [0xff, 0xfe, b'\n']).unwrap();
    let run = |args: &[&str]| grounded(dir.path(), args);
    let o = run(&["context", "lib.rs"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "Rust files have a context: {}",
        stderr(&o)
    );
    assert_usage_error(&run(&["context", "notes.txt"]), "not a Python file");
    assert_usage_error(&run(&["context", "missing.py"]), "missing.py");
    assert_usage_error(&run(&["context", "bad.py"]), "not valid UTF-8");
    write(dir.path(), "ok.py", "import os\n");
    assert_usage_error(&run(&["context", "ok.py", "--line", "0"]), "1-based");
    let o = run(&["context", "ok.py", "--budget", "x"]);
    assert_eq!(o.status.code(), Some(2));
}

// ---- Rust: fixtures/context_rust (crate `report`, path dependency `textkit`)

fn rust_fixture() -> std::path::PathBuf {
    repo_root().join("fixtures/context_rust")
}

fn rust_context(file: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec!["context", file];
    all.extend_from_slice(args);
    grounded(&rust_fixture(), &all)
}

fn names_in(json: &Value) -> Vec<String> {
    json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_string())
        .collect()
}

fn item<'a>(json: &'a Value, name: &str) -> &'a Value {
    json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in {:?}", names_in(json)))
}

/// A file that imports nothing from std: the same output on every toolchain.
#[test]
fn rust_text_and_json_match_their_snapshots() {
    let o = rust_context(
        "src/summary.rs",
        &["--budget", "560", "--task", "shorten the title"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    check_snapshot("context_rust_summary.txt", &stdout(&o));
    let o = rust_context("src/summary.rs", &["--budget", "330", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    check_snapshot("context_rust_summary.json", &stdout(&o));
}

#[test]
fn rust_std_dependency_and_own_items_are_listed() {
    let json = json_of(&rust_context(
        "src/lib.rs",
        &["--budget", "8000", "--format", "json"],
    ));
    assert_eq!(json["rust"]["crate"], "report", "{json}");
    assert_eq!(json["rust"]["notes"], serde_json::json!([]), "{json}");
    // std: the module, the type the file imports, its real methods.
    for used in [
        "std::collections::HashMap",
        "std::collections::HashMap::new",
        "std::collections::HashMap::insert",
        "std::collections::HashMap::get",
        "std::fs::read_to_string",
        "std::fs::File",
        "std::io::Write",
    ] {
        assert_eq!(item(&json, used)["relevance"], "used", "{used}");
    }
    assert_eq!(item(&json, "std::collections::HashMap")["kind"], "struct");
    assert_eq!(item(&json, "std::fs::read_to_string")["kind"], "function");
    // std items carry the signatures and first doc lines of rustdoc's pages.
    let insert = item(&json, "std::collections::HashMap::insert");
    assert_eq!(insert["kind"], "method");
    assert_eq!(
        insert["signature"],
        "fn insert(&mut self, k: K, v: V) -> Option<V>"
    );
    assert_eq!(insert["doc"], "Inserts a key-value pair into the map.");
    assert_eq!(
        item(&json, "std::collections::HashMap::new")["kind"],
        "associated function"
    );
    let read = item(&json, "std::fs::read_to_string");
    assert_eq!(
        read["signature"],
        "fn read_to_string<P: AsRef<Path>>(path: P) -> Result<String>"
    );
    assert_eq!(
        read["doc"],
        "Reads the entire contents of a file into a string."
    );
    assert_eq!(
        item(&json, "std::collections::BTreeMap")["relevance"],
        "other"
    );
    let names = names_in(&json);
    assert!(
        !names
            .iter()
            .any(|n| n == "std::collections::HashMap::push_all"),
        "{names:?}"
    );
    // Blanket-impl methods every type has are not listed.
    assert!(
        !names
            .iter()
            .any(|n| n == "std::collections::HashMap::type_id"),
        "{names:?}"
    );
    // The dependency's items, with the signatures of its sources.
    let counter_new = item(&json, "textkit::Counter::new");
    assert_eq!(counter_new["signature"], "fn new() -> Self");
    assert_eq!(counter_new["relevance"], "used");
    assert_eq!(counter_new["member_of"], "textkit::Counter");
    assert_eq!(
        item(&json, "textkit::case::upper")["signature"],
        "fn upper(text: &str) -> String"
    );
    assert_eq!(item(&json, "textkit::shout")["kind"], "macro");
    assert_eq!(item(&json, "textkit::Slug")["kind"], "struct");
    // Own items and the crate's modules the file imports, in Local.
    let own = item(&json, "crate::word_counts");
    assert_eq!(own["section"], "local");
    assert_eq!(
        own["signature"],
        "fn word_counts(path: &str) -> io::Result<HashMap<String, usize>>"
    );
    assert_eq!(item(&json, "crate::Report::push_line")["kind"], "method");
    assert_eq!(item(&json, "crate::Format::Json")["kind"], "variant");
    let open = item(&json, "crate::store::Store::open");
    assert_eq!(open["section"], "local");
    assert_eq!(open["relevance"], "used");
    // Private items of another module are not reachable, so not listed.
    assert!(
        !names.iter().any(|n| n == "crate::store::scratch_dir"),
        "{names:?}"
    );
    // The crate's dependencies: what may be imported at all.
    let deps: Vec<&str> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["section"] == "packages")
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(deps, ["textkit"]);
    assert_eq!(item(&json, "textkit")["relevance"], "used");
    // Doc comments give each item its first line: a dependency's item, a
    // member of a local type, a module (from its file's `//!`).
    assert_eq!(
        item(&json, "textkit::case::upper")["doc"],
        "`text` in upper case."
    );
    assert_eq!(
        item(&json, "crate::Report::title")["doc"],
        "Shown on the first line."
    );
    assert_eq!(
        item(&json, "crate::Format::Json")["doc"],
        "One JSON object of counts."
    );
    assert_eq!(
        item(&json, "crate::store")["doc"],
        "Where reports are kept."
    );
    assert_eq!(item(&json, "crate::Report::push_line")["doc"], Value::Null);

    let text = stdout(&rust_context("src/lib.rs", &["--budget", "8000"]));
    assert!(
        text.starts_with("# API context for src/lib.rs (crate report, Rust)\n"),
        "{text}"
    );
    for line in [
        "### std::collections (Rust standard library)\n- struct HashMap<K, V, S = RandomState",
        "  - fn insert(&mut self, k: K, v: V) -> Option<V> — Inserts a key-value pair into the map.\n",
        "### textkit::case (textkit/src/case.rs)\n- fn upper(text: &str) -> String — `text` in upper case.\n",
        "## Local items\n### crate (this file)\n",
        "  - fn push_line(&mut self, line: &str)\n",
        "## Crate dependencies\nDependencies (importable besides std, core, alloc): textkit\nAlso importable: std, core, alloc (Rust's standard library).\n",
    ] {
        assert!(text.contains(line), "{line:?} missing from\n{text}");
    }
    assert!(!text.contains("Python"), "{text}");
}

/// A method called on a receiver of known type marks that type's member
/// only: `seen.insert` (a HashMap) is not BTreeMap's `insert`.
#[test]
fn rust_used_members_follow_the_receivers_type() {
    let json = json_of(&rust_context(
        "src/typed.rs",
        &["--budget", "6000", "--format", "json"],
    ));
    for used in [
        "std::collections::HashMap::insert",
        "std::collections::HashMap::len",
        "std::collections::BTreeMap::entry",
        "std::collections::BTreeMap::pop_first",
    ] {
        assert_eq!(item(&json, used)["relevance"], "used", "{used}");
    }
    for other in [
        "std::collections::BTreeMap::insert",
        "std::collections::BTreeMap::len",
        "std::collections::HashMap::entry",
    ] {
        assert_eq!(item(&json, other)["relevance"], "other", "{other}");
    }
}

#[test]
fn rust_budget_is_honoured_and_used_members_come_first() {
    let mut shown_before = 0;
    for budget in [200, 300, 500, 800, 1200, 2000, 4000] {
        let b = budget.to_string();
        let text = stdout(&rust_context("src/lib.rs", &["--budget", &b]));
        let tokens = text.chars().count().div_ceil(4);
        assert!(tokens <= budget, "{tokens} tokens over {budget}:\n{text}");
        let json = json_of(&rust_context(
            "src/lib.rs",
            &["--budget", &b, "--format", "json"],
        ));
        assert_eq!(json["tokens"].as_u64(), Some(tokens as u64), "{budget}");
        let items = json["items"].as_array().unwrap();
        // Every item is one whole line of the text.
        for item in items.iter().filter(|i| i["section"] != "packages") {
            let name = item["name"].as_str().unwrap();
            let short = name.rsplit("::").next().unwrap();
            let mut line = match (item["signature"].as_str(), item["kind"].as_str().unwrap()) {
                (Some(sig), _) => sig.to_string(),
                (None, "module") => format!("module {short}"),
                (None, kind) => format!("{short} ({kind})"),
            };
            if let Some(doc) = item["doc"].as_str() {
                line = format!("{line} — {doc}");
            }
            let indent = if item.get("member_of").is_some() {
                "  "
            } else {
                ""
            };
            assert!(
                text.lines().any(|l| l == format!("{indent}- {line}")),
                "{line} missing from the text at budget {budget}\n{text}"
            );
        }
        // What is left out is said: "… N more members of std::collections",
        // or the module is named among those with no member shown.
        let shown = items
            .iter()
            .filter(|i| i["module"] == "std::collections" && i.get("member_of").is_none())
            .count()
            + json["also"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|l| l["container"] == "std::collections")
                .count();
        let omitted = json["omitted"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["container"] == "std::collections")
            .map(|o| o["count"].as_u64().unwrap());
        match (shown, omitted) {
            (0, Some(n)) => assert!(
                text.contains(&format!("std::collections ({n})")),
                "{budget}\n{text}"
            ),
            (_, Some(n)) => {
                let s = if n == 1 { "" } else { "s" };
                assert!(
                    text.contains(&format!("- … {n} more member{s} of std::collections\n")),
                    "{budget}\n{text}"
                )
            }
            (_, None) => assert!(!text.contains(" of std::collections\n")),
        }
        assert!(items.len() >= shown_before, "{budget}");
        shown_before = items.len();
        // Within each module, what the file uses comes first.
        let modules: std::collections::BTreeSet<&str> =
            items.iter().filter_map(|i| i["module"].as_str()).collect();
        for module in modules {
            let ranks: Vec<&str> = items
                .iter()
                .filter(|i| i["module"] == module && i.get("member_of").is_none())
                .map(|i| i["relevance"].as_str().unwrap())
                .collect();
            let first_other = ranks
                .iter()
                .position(|r| *r != "used")
                .unwrap_or(ranks.len());
            assert!(
                ranks[first_other..].iter().all(|r| *r != "used"),
                "{budget} {module}: {ranks:?}"
            );
        }
    }
    // A small budget keeps the used std items over the rest (whole, or
    // named first on their module's `also:` line: the methods the file
    // calls on `str`, `Vec` and `Option` are used items too).
    let json = json_of(&rust_context(
        "src/lib.rs",
        &["--budget", "500", "--format", "json"],
    ));
    let names = names_in(&json);
    let named_first = json["also"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["container"] == "std::collections" && a["names"][0] == "HashMap");
    assert!(
        names.iter().any(|n| n == "std::collections::HashMap") || named_first,
        "{names:?} {}",
        json["also"]
    );
    assert!(
        !names.iter().any(|n| n == "std::collections::BTreeMap"),
        "{names:?}"
    );
    // The task's words bring matching members in.
    let json = json_of(&rust_context(
        "src/summary.rs",
        &[
            "--budget",
            "600",
            "--task",
            "count words",
            "--format",
            "json",
        ],
    ));
    assert_eq!(item(&json, "textkit::word_count")["relevance"], "related");
}

#[test]
fn rust_output_is_the_same_every_time() {
    let cold = tempfile::tempdir().unwrap();
    let args = [
        "context",
        "src/lib.rs",
        "--budget",
        "900",
        "--task",
        "write a file",
    ];
    let fresh = std::process::Command::new(env!("CARGO_BIN_EXE_grounded"))
        .args(args)
        .current_dir(rust_fixture())
        .env("GROUNDED_CACHE_DIR", cold.path())
        .output()
        .unwrap();
    let first = stdout(&grounded(&rust_fixture(), &args));
    assert!(first.contains("## Available APIs"), "{first}");
    for _ in 0..3 {
        assert_eq!(stdout(&grounded(&rust_fixture(), &args)), first);
    }
    assert_eq!(stdout(&fresh), first, "a cold cache gives the same context");
}

#[test]
fn a_rust_file_without_cargo_toml_gets_std_only() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.rs",
        "use std::collections::HashMap;\n\nfn main() {\n    let mut m: HashMap<u8, u8> = HashMap::new();\n    m.insert(1, 2);\n}\n",
    );
    let o = grounded(dir.path(), &["context", "main.rs"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.starts_with("# API context for main.rs (module main, no crate, Rust)\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "No Cargo.toml was found: no dependency is known, only the standard library.\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("- struct HashMap<K, V, S = RandomState"),
        "{text}"
    );
    assert!(
        text.contains(
            "  - fn insert(&mut self, k: K, v: V) -> Option<V> — Inserts a key-value pair"
        ),
        "{text}"
    );
    assert!(
        text.contains("### main (this file)\n- fn main()\n"),
        "{text}"
    );
}

// ---- Issue 19: tiers, reach, truth, ranking, suggestions (Python)

/// Every qualified name a JSON context lists: whole items, and the names of
/// its `also:` lists.
fn listed(json: &Value) -> std::collections::BTreeSet<String> {
    let mut out: std::collections::BTreeSet<String> = names_in(json).into_iter().collect();
    for list in json["also"].as_array().into_iter().flatten() {
        let container = list["container"].as_str().unwrap();
        for n in list["names"].as_array().unwrap() {
            out.insert(format!("{container}.{}", n.as_str().unwrap()));
        }
    }
    out
}

fn context_of(file: &str, args: &[&str]) -> Value {
    let mut all = vec!["context", file, "--format", "json"];
    all.extend_from_slice(args);
    json_of(&grounded(&fixture(), &all))
}

/// A budget holds the whole name set of what the file imports before it
/// holds long signatures: the best-ranked members whole, the rest by name.
#[test]
fn names_come_before_long_signatures() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let json = context_of("app/main.py", &["--budget", "700"]);
    let all = listed(&json);
    let tabular: Vec<&String> = all.iter().filter(|n| n.starts_with("tabular.")).collect();
    assert_eq!(tabular.len(), 81, "{tabular:?}");
    assert!(
        !json["omitted"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["container"] == "tabular"),
        "{json}"
    );
    // The members the file uses stay whole.
    assert_eq!(item(&json, "tabular.read_csv")["relevance"], "used");
    let text = stdout(&context(&["--budget", "700"]));
    let also = text
        .lines()
        .find(|l| l.starts_with("- also: "))
        .unwrap_or_else(|| panic!("no also: line\n{text}"));
    assert!(also.chars().count() <= 100, "wrapped: {also}");
    assert!(text.chars().count().div_ceil(4) <= 700, "{text}");
}

/// What the imports reach though the file does not use it yet: a module
/// that is an attribute (`os.path`), the names `os` takes from `posix`, a
/// stub's `name as name` re-export, and the builtin types with their methods.
#[test]
fn the_context_reaches_what_the_imports_hold() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let json = context_of("app/reach.py", &["--budget", "8000"]);
    let all = listed(&json);
    for name in [
        "os.getcwd",
        "os.path.exists",
        "os.path.join",
        "apikit.asdict",
    ] {
        assert!(all.contains(name), "{name} not listed: {all:?}");
    }
    assert!(all.contains("apikit.setters.pipe"), "{all:?}");
    // A plain import in a stub is not a re-export, relative or not; a name
    // a stub only imports is listed when the runtime module beside it binds
    // it too (not `extended`, which it binds on some platforms only).
    for name in [
        "apikit.astuple",
        "apikit.Any",
        "os.sys",
        "apikit.setters.define",
        "apikit.extended",
    ] {
        assert!(!all.contains(name), "{name} listed");
    }
    let json = context_of(
        "app/reach.py",
        &[
            "--budget",
            "400",
            "--task",
            "strip the whitespace of a string",
        ],
    );
    assert_eq!(
        item(&json, "builtins.str")["relevance"],
        "related",
        "{json}"
    );
    assert!(
        listed(&json).contains("builtins.str.strip"),
        "{:?}",
        listed(&json)
    );
    // A builtin type the task speaks of has its members named before the
    // unrelated names of the modules the file imports (`os` has hundreds),
    // though none of them shares a word with the task.
    let json = context_of(
        "app/reach.py",
        &[
            "--budget",
            "700",
            "--task",
            "check whether a string begins with a given text",
        ],
    );
    assert!(
        listed(&json).contains("builtins.str.startswith"),
        "{:?}",
        listed(&json)
    );
}

/// Only what the index confirms: not the file's invented name an open
/// module cannot rule out, nor names bound under `TYPE_CHECKING`, on another
/// platform, by a loop or under `__main__`; an open module says so.
#[test]
fn only_confirmed_names_are_listed() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let json = context_of("app/dyn.py", &["--budget", "4000"]);
    let all = listed(&json);
    for name in ["dynkit.real_function", "dynkit.posix_only"] {
        assert!(all.contains(name), "{name} not listed: {all:?}");
    }
    for name in [
        "dynkit.Invented",
        "dynkit.typed_only",
        "dynkit.windows_only",
        "dynkit.loop_name",
        "dynkit.script_only",
        "dynkit.sys",
    ] {
        assert!(!all.contains(name), "{name} listed: {all:?}");
    }
    let dynkit = json["modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "dynkit")
        .unwrap();
    assert_eq!(dynkit["open"], true, "{json}");
    let text = stdout(&grounded(&fixture(), &["context", "app/dyn.py"]));
    assert!(
        text.contains("### dynkit (venv/lib/python3.11/site-packages/dynkit/__init__.py) — has dynamic attributes"),
        "{text}"
    );
}

/// Task words meet split identifiers (`XMLError` → xml, error), stems,
/// synonyms ("exception") and doc lines.
#[test]
fn task_words_meet_word_parts_and_doc_lines() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let json = context_of(
        "app/docs.py",
        &[
            "--budget",
            "300",
            "--task",
            "get the base exception raised for an invalid XML document",
        ],
    );
    let first = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["module"] == "parsekit")
        .unwrap_or_else(|| panic!("no parsekit item: {json}"));
    assert_eq!(first["name"], "parsekit.XMLError", "{json}");
    assert_eq!(first["relevance"], "related");
    // A doc line alone relates a member: "Deserialize" for "parse".
    let json = context_of(
        "app/docs.py",
        &[
            "--budget",
            "300",
            "--task",
            "parse a document held in a string",
        ],
    );
    assert_eq!(item(&json, "parsekit.loads")["relevance"], "related");
}

/// Suggestions weigh kind and meaning: a call is never offered a constant,
/// a name with no near spelling gets the members whose doc lines mean it,
/// and a missing package the installed ones that hold its name.
#[test]
fn suggestions_fit_the_use_and_the_meaning() {
    if !has_python() {
        eprintln!("SKIP: no python3");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.py",
        "import json\nimport shutil\n\nimport fastjsonx\n\nshutil.copy_buf(\"a\", \"b\")\njson.parse(\"{}\")\n",
    );
    let o = grounded(dir.path(), &["check", "main.py", "--format", "json"]);
    let json = json_of(&o);
    let suggestions = |symbol: &str| -> Vec<String> {
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["symbol"] == symbol)
            .unwrap_or_else(|| panic!("{symbol} not flagged: {json}"))["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    let copy = suggestions("shutil.copy_buf");
    assert!(!copy.is_empty(), "{json}");
    assert!(
        !copy.iter().any(|s| s == "shutil.COPY_BUFSIZE"),
        "a constant for a call: {copy:?}"
    );
    let parse = suggestions("json.parse");
    assert!(
        parse[..2.min(parse.len())].contains(&"json.loads".to_string()),
        "{parse:?}"
    );
    assert_eq!(
        suggestions("fastjsonx").first().map(String::as_str),
        Some("json")
    );
}

// ---- Rust: reach, truth and suggestions (issue 19, point 6)

/// A copy of `fixtures/context_rust` with `extra` files written over it and
/// a module `extra` (src/extra.rs, among them) declared in its crate root.
fn rust_fixture_with(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_dir(&rust_fixture(), dir.path());
    let lib = std::fs::read_to_string(rust_fixture().join("src/lib.rs")).unwrap();
    write(dir.path(), "src/lib.rs", &format!("{lib}pub mod extra;\n"));
    for (name, content) in extra {
        write(dir.path(), name, content);
    }
    dir
}

fn rust_names(dir: &std::path::Path, file: &str, args: &[&str]) -> (Vec<String>, Value) {
    let mut all = vec!["context", file, "--format", "json"];
    all.extend_from_slice(args);
    let json = json_of(&grounded(dir, &all));
    let mut names = names_in(&json);
    for also in json["also"].as_array().unwrap() {
        for n in also["names"].as_array().unwrap() {
            names.push(format!(
                "{}::{}",
                also["container"].as_str().unwrap(),
                n.as_str().unwrap()
            ));
        }
    }
    (names, json)
}

/// An item imported through a re-export is listed under the module the file
/// names it in (the crate root), which also brings the root's functions;
/// the types every file has (`str`, `Vec`) are listed when the task speaks
/// of them, and not otherwise.
#[test]
fn rust_context_reaches_crate_roots_and_prelude_types() {
    let dir = rust_fixture_with(&[(
        "src/extra.rs",
        "use textkit::Slug;\n\npub fn f() -> usize {\n    Slug::new(\"a b\").as_str().len()\n}\n",
    )]);
    let (names, json) = rust_names(
        dir.path(),
        "src/extra.rs",
        &[
            "--budget",
            "2000",
            "--task",
            "trim the whitespace around a string",
        ],
    );
    let headings: Vec<&str> = json["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert!(headings.contains(&"textkit"), "{headings:?}");
    assert!(!headings.contains(&"textkit::case"), "{headings:?}");
    assert_eq!(item(&json, "textkit::Slug")["relevance"], "used", "{json}");
    // Its paths and method calls are noted where the file names it.
    assert_eq!(item(&json, "textkit::Slug::new")["relevance"], "used");
    assert_eq!(item(&json, "textkit::Slug::as_str")["relevance"], "used");
    assert!(
        names.contains(&"textkit::word_count".to_string()),
        "{names:?}"
    );
    assert!(names.contains(&"str::trim".to_string()), "{names:?}");
    // `Vec` is neither used by the file nor spoken of by this task: no
    // heading; a task that speaks of vectors brings it.
    let vec_heading = |json: &Value| {
        json["modules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["name"] == "std::vec::Vec")
    };
    assert!(!vec_heading(&json), "{json}");
    let (names, json) = rust_names(
        dir.path(),
        "src/extra.rs",
        &[
            "--budget",
            "2000",
            "--task",
            "append an element to a vector",
        ],
    );
    assert!(vec_heading(&json), "{json}");
    assert!(
        names.contains(&"std::vec::Vec::push".to_string()),
        "{names:?}"
    );
}

/// Of a dependency only what its users can name is listed: not the private
/// or `pub(crate)` functions of an inherent impl, nor a trait impl's
/// associated type (`Counter::Item` is ambiguous), nor an item its build
/// compiles out; its `pub` functions, the trait impl's methods and what a
/// glob re-export brings in are.
#[test]
fn rust_context_lists_only_what_a_dependency_exposes() {
    let textkit = std::fs::read_to_string(rust_fixture().join("textkit/src/lib.rs")).unwrap();
    let extended = format!(
        "{textkit}\nimpl Counter {{\n    fn checked_total(&self) -> u32 {{\n        self.count\n    }}\n\n    pub(crate) fn internal_total(&self) -> u32 {{\n        self.count\n    }}\n\n    /// The count as text.\n    pub fn label(&self) -> String {{\n        self.count.to_string()\n    }}\n}}\n\nimpl Iterator for Counter {{\n    type Item = u32;\n\n    fn next(&mut self) -> Option<u32> {{\n        None\n    }}\n}}\n\npub mod words {{\n    /// The words of `text`, sorted.\n    pub fn sorted_words(text: &str) -> Vec<&str> {{\n        let mut w: Vec<&str> = text.split(' ').collect();\n        w.sort();\n        w\n    }}\n}}\n\npub use words::*;\n\n#[cfg(any())]\npub fn gated() {{}}\n\npub(crate) fn internal() {{}}\n\npub use case::Slug as UrlSlug;\n"
    );
    let dir = rust_fixture_with(&[
        ("textkit/src/lib.rs", &extended),
        (
            "src/extra.rs",
            "use textkit::Counter;\n\npub fn f() {\n    let c = Counter::new();\n    c.bump();\n}\n",
        ),
    ]);
    let (names, json) = rust_names(dir.path(), "src/extra.rs", &["--budget", "4000"]);
    // A renamed re-export is listed by its new name, signature included.
    assert_eq!(
        item(&json, "textkit::UrlSlug")["signature"],
        "struct UrlSlug"
    );
    for listed in [
        "textkit::Counter::bump",
        "textkit::Counter::label",
        "textkit::Counter::next",
        "textkit::sorted_words",
    ] {
        assert!(names.contains(&listed.to_string()), "{listed}: {names:?}");
    }
    for hidden in [
        "textkit::Counter::checked_total",
        "textkit::Counter::internal_total",
        "textkit::Counter::Item",
        "textkit::gated",
        "textkit::internal",
    ] {
        assert!(!names.contains(&hidden.to_string()), "{hidden}: {names:?}");
    }
}

/// Rust suggestions weigh kind and meaning as Python's do: a call is never
/// offered a constant, and a name with no near spelling gets the items
/// whose names share its words.
#[test]
fn rust_suggestions_fit_the_use_and_the_meaning() {
    let textkit = std::fs::read_to_string(rust_fixture().join("textkit/src/lib.rs")).unwrap();
    let extended = format!(
        "{textkit}\n/// The most words a summary keeps.\npub const WORD_LIMIT: usize = 12;\n\npub mod words {{\n    /// The words of `text`, sorted.\n    pub fn sorted_words(text: &str) -> Vec<&str> {{\n        text.split(' ').collect()\n    }}\n}}\n\npub use words::*;\n"
    );
    let dir = rust_fixture_with(&[
        ("textkit/src/lib.rs", &extended),
        (
            "src/extra.rs",
            "pub fn f() {\n    let n = textkit::word_limit(\"a b\");\n    let k = textkit::count_words(\"a b\");\n    let s = textkit::sort_words(\"a b\");\n}\n",
        ),
    ]);
    let o = grounded(dir.path(), &["check", "src/extra.rs", "--format", "json"]);
    let json = json_of(&o);
    let suggestions = |symbol: &str| -> Vec<String> {
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["symbol"] == symbol)
            .unwrap_or_else(|| panic!("{symbol} not flagged: {json}"))["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    let limit = suggestions("textkit::word_limit");
    assert!(
        !limit.contains(&"textkit::WORD_LIMIT".to_string()),
        "a constant for a call: {limit:?}"
    );
    assert_eq!(
        suggestions("textkit::count_words")
            .first()
            .map(String::as_str),
        Some("textkit::word_count")
    );
    // A name a glob re-export brings in is a real name of the crate root.
    assert_eq!(
        suggestions("textkit::sort_words")
            .first()
            .map(String::as_str),
        Some("textkit::sorted_words")
    );
}

/// The textkit crate of the fixture with a type whose method is a raw
/// identifier (`r#gen`), a method under a cfg only a build script could
/// set, an alias of the type, and a trait the file may import.
fn textkit_with_raw_names() -> String {
    let textkit = std::fs::read_to_string(rust_fixture().join("textkit/src/lib.rs")).unwrap();
    format!(
        "{textkit}\n/// A die.\npub struct Dice;\n\nimpl Dice {{\n    /// A random face.\n    pub fn r#gen(&self) -> u32 {{\n        4\n    }}\n\n    /// Only where a build script sets the cfg.\n    #[cfg(textkit_probe)]\n    pub fn probed(&self) {{}}\n}}\n\n/// The same type.\npub type Die = Dice;\n\n/// Mixing a sequence.\npub trait Mix {{\n    /// Put the items in a random order.\n    fn mix(&mut self);\n}}\n\nimpl Mix for Vec<u32> {{\n    fn mix(&mut self) {{}}\n}}\n"
    )
}

/// `r#gen` is the method `gen`: a use resolves, the listing writes it as
/// the crate's edition must (`gen` before 2024, `r#gen` from 2024 on), and
/// so do suggestions. A method under a cfg nothing decides is not listed.
#[test]
fn rust_raw_identifiers_are_their_names() {
    let extra = "use textkit::Dice;\n\npub fn f() -> u32 {\n    let d: Dice = Dice;\n    d.gen_value();\n    d.r#gen()\n}\n";
    let dir = rust_fixture_with(&[
        ("textkit/src/lib.rs", &textkit_with_raw_names()),
        ("src/extra.rs", extra),
    ]);
    let o = grounded(dir.path(), &["check", "src/extra.rs", "--format", "json"]);
    let json = json_of(&o);
    let flagged: Vec<(&str, Vec<&str>)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = d["suggestions"].as_array().unwrap();
            (
                d["symbol"].as_str().unwrap(),
                s.iter().map(|x| x.as_str().unwrap()).collect(),
            )
        })
        .collect();
    assert_eq!(flagged.len(), 1, "only gen_value: {json}");
    assert_eq!(flagged[0].0, "Dice::gen_value");
    assert_eq!(flagged[0].1.first(), Some(&"Dice::gen"), "{json}");
    let (names, _) = rust_names(dir.path(), "src/extra.rs", &["--budget", "4000"]);
    assert!(
        names.contains(&"textkit::Dice::gen".to_string()),
        "{names:?}"
    );
    assert!(!names.iter().any(|n| n.contains("r#")), "{names:?}");
    assert!(
        !names.contains(&"textkit::Dice::probed".to_string()),
        "{names:?}"
    );
    // Edition 2024: `gen` is a keyword, written raw.
    let manifest = std::fs::read_to_string(dir.path().join("Cargo.toml")).unwrap();
    write(
        dir.path(),
        "Cargo.toml",
        &manifest.replace("edition = \"2021\"", "edition = \"2024\""),
    );
    let (names, _) = rust_names(dir.path(), "src/extra.rs", &["--budget", "4000"]);
    assert!(
        names.contains(&"textkit::Dice::r#gen".to_string()),
        "{names:?}"
    );
    let o = grounded(dir.path(), &["check", "src/extra.rs", "--format", "json"]);
    let json = json_of(&o);
    assert_eq!(
        json["diagnostics"][0]["suggestions"][0], "Dice::r#gen",
        "{json}"
    );
}

/// A type alias of a crate type has that type's items (a missing one is
/// flagged, with the type's names as suggestions); a method call is
/// offered the methods of an imported trait the receiver may implement.
#[test]
fn rust_aliases_and_imported_traits_give_real_members() {
    let extra = "use textkit::{Die, Mix};\n\npub fn f() {\n    let d = Die::make();\n    let mut v: Vec<u32> = Vec::new();\n    v.mix_up();\n}\n";
    let dir = rust_fixture_with(&[
        ("textkit/src/lib.rs", &textkit_with_raw_names()),
        ("src/extra.rs", extra),
    ]);
    let o = grounded(dir.path(), &["check", "src/extra.rs", "--format", "json"]);
    let json = json_of(&o);
    let find = |symbol: &str| {
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["symbol"] == symbol)
            .unwrap_or_else(|| panic!("{symbol} not flagged: {json}"))
            .clone()
    };
    assert!(find("Die::make")["message"]
        .as_str()
        .unwrap()
        .contains("not an associated item"));
    assert_eq!(find("Vec::mix_up")["suggestions"][0], "Vec::mix", "{json}");
}
