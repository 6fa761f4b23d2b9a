//! Each tool call: its arguments checked, the core asked, the answer written
//! twice — as text for the model, and as JSON for programs. A bad argument is
//! an `Err` with one clear line, which the server returns as a tool error.

use serde_json::{json, Map, Value};

use super::tools;
use super::workspace::Workspace;
use crate::context::describe::Described;
use crate::context::lookup::Existence;
use crate::context::DEFAULT_BUDGET;
use crate::report::text::with_suggestions;
use crate::session::ContextQuery;
use crate::snippet::{self, SnippetMode};

pub struct Answer {
    pub text: String,
    pub json: Value,
}

pub fn call(ws: &Workspace, tool: &str, args: &Map<String, Value>) -> Result<Answer, String> {
    match tool {
        tools::API_CONTEXT => api_context(ws, args),
        tools::CHECK_CODE => check_code(ws, args),
        tools::LOOKUP => lookup(ws, args),
        tools::MEMBERS => members(ws, args),
        other => Err(format!(
            "unknown tool `{other}` (the tools are {})",
            tools::NAMES.join(", ")
        )),
    }
}

/// Arguments, checked against what each tool accepts.
struct Args<'a> {
    tool: &'a str,
    map: &'a Map<String, Value>,
}

impl<'a> Args<'a> {
    fn new(tool: &'a str, map: &'a Map<String, Value>, known: &[&str]) -> Result<Args<'a>, String> {
        if let Some(k) = map.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(format!(
                "{tool}: unknown argument `{k}` (it takes {})",
                known.join(", ")
            ));
        }
        Ok(Args { tool, map })
    }

    fn string(&self, name: &str) -> Result<Option<&'a str>, String> {
        match self.map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(other) => Err(format!(
                "{}: `{name}` must be a string, not {other}",
                self.tool
            )),
        }
    }

    fn required(&self, name: &str) -> Result<&'a str, String> {
        self.string(name)?
            .ok_or_else(|| format!("{}: the argument `{name}` is required", self.tool))
    }

    fn positive(&self, name: &str) -> Result<Option<usize>, String> {
        match self.map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => match v.as_u64() {
                Some(n) if n >= 1 => Ok(Some(n as usize)),
                _ => Err(format!(
                    "{}: `{name}` must be a positive integer, not {v}",
                    self.tool
                )),
            },
        }
    }

    fn boolean(&self, name: &str) -> Result<bool, String> {
        match self.map.get(name) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(other) => Err(format!(
                "{}: `{name}` must be true or false, not {other}",
                self.tool
            )),
        }
    }
}

fn api_context(ws: &Workspace, map: &Map<String, Value>) -> Result<Answer, String> {
    let args = Args::new(tools::API_CONTEXT, map, &["path", "line", "budget", "task"])?;
    let given = args.required("path")?;
    let path = ws.resolve(given)?;
    let bytes = crate::regular_file::read(&path).map_err(|e| format!("{given}: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{given}: not valid UTF-8"))?;
    let query = ContextQuery {
        line: args.positive("line")?.map(|l| l - 1),
        task: args.string("task")?.map(str::to_string),
        budget: args.positive("budget")?.unwrap_or(DEFAULT_BUDGET),
    };
    let session = ws.session_for(&path);
    let context = session.context(&path, &text, &Default::default(), &query)?;
    let json = serde_json::to_value(&context).map_err(|e| format!("cannot encode: {e}"))?;
    Ok(Answer {
        text: context.text,
        json,
    })
}

fn check_code(ws: &Workspace, map: &Map<String, Value>) -> Result<Answer, String> {
    let args = Args::new(tools::CHECK_CODE, map, &["path", "code", "append"])?;
    let given = args.required("path")?;
    let code = args.required("code")?;
    let mode = if args.boolean("append")? {
        SnippetMode::Append
    } else {
        SnippetMode::Replace
    };
    let path = ws.resolve(given)?;
    let session = ws.session_for(&path);
    let found = snippet::check_snippet(&session, &path, code, mode)?;
    let mut text = String::new();
    if found.is_empty() {
        text.push_str(
            "No problems found: every module, name and attribute Grounded could verify exists.\n",
        );
    } else {
        let n = found.len();
        text.push_str(&format!(
            "{n} problem{} in the code (lines and columns counted in `code`):\n",
            if n == 1 { "" } else { "s" }
        ));
        for r in &found {
            text.push_str(&format!(
                "line {}, column {}: {}[{}] {}\n",
                r.line,
                r.column,
                r.severity.as_str(),
                r.finding.code.as_str(),
                with_suggestions(&r.finding)
            ));
        }
    }
    let findings: Vec<Value> = found
        .iter()
        .map(|r| {
            json!({
                "line": r.line, "column": r.column,
                "end_line": r.end_line, "end_column": r.end_column,
                "severity": r.severity.as_str(), "code": r.finding.code.as_str(),
                "message": r.finding.message, "symbol": r.finding.symbol,
                "suggestions": r.finding.suggestions,
            })
        })
        .collect();
    Ok(Answer {
        text,
        json: json!({
            "path": given,
            "mode": if mode == SnippetMode::Append { "append" } else { "replace" },
            "findings": findings,
        }),
    })
}

fn session_of(
    ws: &Workspace,
    args: &Args,
) -> Result<
    (
        std::sync::Arc<crate::session::Session>,
        Option<std::path::PathBuf>,
    ),
    String,
> {
    Ok(match args.string("path")? {
        Some(p) => {
            let path = ws.resolve(p)?;
            (ws.session_for(&path), Some(path))
        }
        None => (ws.default_session(), None),
    })
}

fn described_json(d: &Described, root: &std::path::Path) -> Value {
    json!({
        "name": d.name, "kind": d.kind, "signature": d.signature, "doc": d.doc,
        "source": d.source.as_ref().map(|p| p.strip_prefix(root).unwrap_or(p).to_string_lossy().into_owned()),
    })
}

fn described_line(d: &Described) -> String {
    // `requests.get`, `std::fs::read`: the last segment.
    let short = d.name.rsplit(['.', ':']).next().unwrap_or(&d.name);
    let mut line = match &d.signature {
        // `struct HashMap` says its kind already.
        Some(sig) if sig.starts_with(&format!("{} ", d.kind)) => sig.clone(),
        Some(sig) => format!("{sig} ({})", d.kind),
        None => format!("{short} ({})", d.kind),
    };
    if let Some(doc) = &d.doc {
        line.push_str(" — ");
        line.push_str(doc);
    }
    line
}

fn lookup(ws: &Workspace, map: &Map<String, Value>) -> Result<Answer, String> {
    let args = Args::new(tools::LOOKUP, map, &["symbol", "path"])?;
    let symbol = args.required("symbol")?;
    let (session, from) = session_of(ws, &args)?;
    let found = session.lookup(symbol, from.as_deref())?;
    let root = session.root().to_path_buf();
    let text = match (found.existence, &found.found) {
        (Existence::Exists, Some(d)) => {
            let mut t = format!("`{symbol}` exists: {}", described_line(d));
            if let Some(src) = &d.source {
                t.push_str(&format!(
                    "\nDefined in {}",
                    src.strip_prefix(&root).unwrap_or(src).display()
                ));
            }
            t
        }
        (Existence::Missing, _) => {
            let mut t = format!(
                "`{symbol}` does not exist: {}.",
                found.reason.clone().unwrap_or_default()
            );
            if !found.suggestions.is_empty() {
                t.push_str(&format!(
                    " Nearest real names: {}.",
                    found.suggestions.join(", ")
                ));
            }
            t
        }
        _ => format!(
            "Cannot tell whether `{symbol}` exists: {}.",
            found.reason.clone().unwrap_or_default()
        ),
    };
    Ok(Answer {
        text: text + "\n",
        json: json!({
            "symbol": symbol,
            "exists": match found.existence {
                Existence::Exists => json!(true),
                Existence::Missing => json!(false),
                Existence::Unknown => Value::Null,
            },
            "status": found.existence.as_str(),
            "found": found.found.as_ref().map(|d| described_json(d, &root)),
            "reason": found.reason,
            "suggestions": found.suggestions,
        }),
    })
}

fn members(ws: &Workspace, map: &Map<String, Value>) -> Result<Answer, String> {
    let args = Args::new(tools::MEMBERS, map, &["module_or_type", "path"])?;
    let name = args.required("module_or_type")?;
    let (session, from) = session_of(ws, &args)?;
    let list = session.members(name, from.as_deref())?;
    let root = session.root().to_path_buf();
    let mut text = format!(
        "{} `{}`: {} member{}, {}\n",
        list.container.kind,
        list.container.name,
        list.members.len(),
        if list.members.len() == 1 { "" } else { "s" },
        if list.closed {
            "closed (complete: a name not listed does not exist)".to_string()
        } else {
            format!(
                "open ({}: the list may be incomplete)",
                list.open_because.unwrap_or("not every member is known")
            )
        }
    );
    for d in &list.members {
        text.push_str("- ");
        text.push_str(&described_line(d));
        text.push('\n');
    }
    Ok(Answer {
        text,
        json: json!({
            "name": list.container.name,
            "kind": list.container.kind,
            "closed": list.closed,
            "open_because": list.open_because,
            "members": list.members.iter().map(|d| described_json(d, &root)).collect::<Vec<_>>(),
        }),
    })
}
