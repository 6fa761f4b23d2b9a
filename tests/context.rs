//! `grounded context` as a user meets it, on `fixtures/context`: the text and
//! JSON output against their snapshots in tests/snapshots/ (`GROUNDED_BLESS=1
//! cargo test --test context` rewrites them), the budget honoured at every
//! size, the members a file uses first, the same output every time.

mod ci_support;

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
            .count();
        // A module with members shown says how many more it has; one with
        // none shown is named, with its count, on the line of such modules.
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
    assert_usage_error(
        &run(&["context", "lib.rs"]),
        "Rust files is not supported yet",
    );
    assert_usage_error(&run(&["context", "notes.txt"]), "not a Python file");
    assert_usage_error(&run(&["context", "missing.py"]), "missing.py");
    assert_usage_error(&run(&["context", "bad.py"]), "not valid UTF-8");
    write(dir.path(), "ok.py", "import os\n");
    assert_usage_error(&run(&["context", "ok.py", "--line", "0"]), "1-based");
    let o = run(&["context", "ok.py", "--budget", "x"]);
    assert_eq!(o.status.code(), Some(2));
}
