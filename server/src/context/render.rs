//! The context as prompt-ready text: a short instruction, then "Available
//! APIs" (library modules the file imports), "Local functions" (the file's
//! own definitions and those of the workspace modules it imports),
//! "Installed packages" and, when a task was given, "Task". One item per
//! line, so the budget can count lines and never cuts an item in half.

use super::{ApiContext, ContextItem, ModuleEntry, NameList, Omission, Omitted, Section};

/// The width `also:` lines wrap at.
pub const WRAP: usize = 100;

pub const INSTRUCTION: &str = "Use only the APIs listed here: they are what really exists in this \
workspace and its Python environment. Do not invent modules, functions, methods or parameters; \
if something you need is not listed, say so instead of guessing.";

/// The instruction for a Rust file: the same promise, in Rust's words.
pub const RUST_INSTRUCTION: &str = "Use only the APIs listed here: they are what really exists in \
this crate, its Cargo dependencies and Rust's standard library. Do not invent crates, modules, \
functions, types, methods or parameters; if something you need is not listed, say so instead of \
guessing.";

/// The whole text.
pub fn text(ctx: &ApiContext) -> String {
    let rust = ctx.rust.is_some();
    let mut out = String::new();
    out.push_str(&title(ctx));
    out.push_str(if rust { RUST_INSTRUCTION } else { INSTRUCTION });
    out.push('\n');
    let local = if rust {
        "Local items"
    } else {
        "Local functions"
    };
    for (section, heading) in [(Section::Api, "Available APIs"), (Section::Local, local)] {
        let modules: Vec<&ModuleEntry> = ctx
            .modules
            .iter()
            .filter(|m| m.section == section)
            .collect();
        if modules.is_empty() {
            continue;
        }
        out.push_str(&format!("\n## {heading}\n"));
        let mut not_shown = Vec::new();
        for m in modules {
            let shown = ctx
                .items
                .iter()
                .any(|i| i.section == section && i.module == m.name)
                || ctx
                    .also
                    .iter()
                    .any(|l| l.section == section && l.container == m.name);
            if !shown {
                not_shown.push(m);
                continue;
            }
            out.push_str(&module_line(m, rust));
            for item in ctx
                .items
                .iter()
                .filter(|i| i.section == section && i.module == m.name && i.member_of.is_none())
            {
                out.push_str(&item_line(item));
                if item.kind == "class" || rust {
                    for child in ctx
                        .items
                        .iter()
                        .filter(|c| c.member_of.as_deref() == Some(item.name.as_str()))
                    {
                        out.push_str(&item_line(child));
                    }
                    if let Some(list) = ctx.also.iter().find(|l| l.container == item.name) {
                        out.push_str(&also_line(list, true));
                    }
                    if let Some(o) = ctx
                        .omitted
                        .iter()
                        .find(|o| o.what == Omitted::ClassMembers && o.container == item.name)
                    {
                        out.push_str(&omission_line(o));
                    }
                }
            }
            if let Some(list) = ctx
                .also
                .iter()
                .find(|l| l.section == section && l.container == m.name)
            {
                out.push_str(&also_line(list, false));
            }
            if let Some(o) = ctx
                .omitted
                .iter()
                .find(|o| o.what == Omitted::ModuleMembers && o.container == m.name)
            {
                out.push_str(&omission_line(o));
            }
        }
        if !not_shown.is_empty() {
            out.push_str(&not_shown_line(ctx, &not_shown));
        }
    }
    out.push_str(&packages(ctx));
    if let Some(task) = &ctx.task {
        out.push_str("\n## Task\n");
        out.push_str(task.trim_end());
        out.push('\n');
    }
    out
}

fn title(ctx: &ApiContext) -> String {
    if let Some(rust) = &ctx.rust {
        let what = match (&rust.krate, ctx.module.as_str()) {
            (Some(k), "crate") => format!("crate {k}"),
            (Some(k), m) => format!("module {m}, crate {k}"),
            (None, m) => format!("module {m}, no crate"),
        };
        return format!("# API context for {} ({what}, Rust)\n", ctx.path);
    }
    let python = match &ctx.python {
        Some(v) => format!(", Python {v}"),
        None => String::new(),
    };
    format!(
        "# API context for {} (module {}{python})\n",
        ctx.path, ctx.module
    )
}

pub fn module_line(m: &ModuleEntry, rust: bool) -> String {
    let whence = match (&m.source, m.this_file) {
        (_, true) => " (this file)".to_string(),
        (Some(s), false) => format!(" ({s})"),
        (None, false) if rust => " (Rust standard library)".to_string(),
        (None, false) => " (built into the interpreter)".to_string(),
    };
    let open = if m.open { OPEN_NOTE } else { "" };
    format!("### {}{whence}{open}\n", m.name)
}

/// Said of a module whose names can appear at run time.
pub const OPEN_NOTE: &str = " — has dynamic attributes: the names listed exist, others may too";

/// `- also: prod, product, …`, wrapped at [`WRAP`] columns.
pub fn also_line(list: &NameList, member: bool) -> String {
    let mut line = AlsoLine::new(member);
    let mut out = String::new();
    for name in &list.names {
        out.push_str(&line.push(name).0);
    }
    out.push('\n');
    out
}

/// An `also:` line being written: what each next name adds, wrapping
/// included, so its cost is known exactly as it grows.
#[derive(Debug, Clone)]
pub struct AlsoLine {
    indent: &'static str,
    /// The width of the last physical line; None before the first name.
    width: Option<usize>,
}

impl AlsoLine {
    pub fn new(member: bool) -> AlsoLine {
        AlsoLine {
            indent: if member { "  " } else { "" },
            width: None,
        }
    }

    /// The text that `name` adds, and its length in characters (the first
    /// name's count includes the line's final newline).
    pub fn push(&mut self, name: &str) -> (String, usize) {
        let n = name.chars().count();
        match self.width {
            None => {
                let head = format!("{}- also: {name}", self.indent);
                let w = head.chars().count();
                self.width = Some(w);
                (head, w + 1)
            }
            Some(w) if w + 2 + n <= WRAP => {
                self.width = Some(w + 2 + n);
                (format!(", {name}"), 2 + n)
            }
            Some(_) => {
                let cont = format!("{}    ", self.indent);
                let text = format!(",\n{cont}{name}");
                self.width = Some(cont.len() + n);
                (text, 2 + cont.len() + n)
            }
        }
    }
}

/// `- def get(url, params=None, **kwargs) — Sends a GET request.`; class
/// members are indented under their class.
pub fn item_line(item: &ContextItem) -> String {
    let indent = if item.member_of.is_some() { "  " } else { "" };
    // (`::` for Rust names; Python names have no `:`.)
    let short = item.name.rsplit(['.', ':']).next().unwrap_or(&item.name);
    let head = match (&item.signature, item.kind) {
        (Some(sig), "property") => format!("{sig} (property)"),
        (Some(sig), _) => sig.clone(),
        (None, "module") => format!("module {short}"),
        (None, kind) => format!("{short} ({kind})"),
    };
    match &item.doc {
        Some(doc) => format!("{indent}- {head} — {doc}\n"),
        None => format!("{indent}- {head}\n"),
    }
}

/// The modules the budget left no member of, on one line with their counts.
fn not_shown_line(ctx: &ApiContext, modules: &[&ModuleEntry]) -> String {
    let list: Vec<String> = modules
        .iter()
        .map(|m| {
            let count = ctx
                .omitted
                .iter()
                .find(|o| o.what == Omitted::ModuleMembers && o.container == m.name)
                .map_or(0, |o| o.count);
            format!("{} ({count})", m.name)
        })
        .collect();
    format!(
        "- Members not shown (budget) of {}: {}\n",
        if modules.len() == 1 {
            "module"
        } else {
            "modules"
        },
        list.join(", ")
    )
}

pub fn omission_line(o: &Omission) -> String {
    let s = if o.count == 1 { "" } else { "s" };
    match o.what {
        Omitted::ModuleMembers => format!("- … {} more member{s} of {}\n", o.count, o.container),
        Omitted::ClassMembers => format!("  - … {} more member{s} of {}\n", o.count, o.container),
        Omitted::Packages => format!("… {} more package{s}\n", o.count),
    }
}

fn packages(ctx: &ApiContext) -> String {
    if let Some(rust) = &ctx.rust {
        return crate_dependencies(ctx, rust);
    }
    let mut out = String::from("\n## Installed packages\n");
    out.push_str(&package_names_line(
        ctx,
        "Importable besides the standard library: ",
    ));
    if let Some(o) = ctx.omitted.iter().find(|o| o.what == Omitted::Packages) {
        out.push_str(&omission_line(o));
    }
    match &ctx.python {
        Some(v) => out.push_str(&format!(
            "Also importable: the Python {v} standard library.\n"
        )),
        None => out.push_str(
            "No Python environment was found: only the workspace's own modules are known.\n",
        ),
    }
    out
}

/// `prefix` and the names of the packages section, sorted, on one line
/// (nothing when there are none).
fn package_names_line(ctx: &ApiContext, prefix: &str) -> String {
    let mut names: Vec<&str> = ctx
        .items
        .iter()
        .filter(|i| i.section == Section::Packages)
        .map(|i| i.name.as_str())
        .collect();
    if names.is_empty() {
        return String::new();
    }
    names.sort_unstable();
    format!("{prefix}{}\n", names.join(", "))
}

/// The start of the line that lists a Rust crate's dependencies.
const DEPENDENCIES: &str = "Dependencies (importable besides std, core, alloc): ";

/// A Rust file's "Crate dependencies": what `use` can name at all.
fn crate_dependencies(ctx: &ApiContext, rust: &super::RustInfo) -> String {
    let mut out = String::from("\n## Crate dependencies\n");
    out.push_str(&package_names_line(ctx, DEPENDENCIES));
    if let Some(o) = ctx.omitted.iter().find(|o| o.what == Omitted::Packages) {
        let s = if o.count == 1 { "y" } else { "ies" };
        out.push_str(&format!("… {} more dependenc{s}\n", o.count));
    }
    for note in &rust.notes {
        out.push_str(note);
        out.push('\n');
    }
    out.push_str("Also importable: std, core, alloc (Rust's standard library).\n");
    out
}

/// The characters one more package adds to the packages line.
pub fn package_cost(name: &str, first: bool, rust: bool) -> usize {
    let prefix = if rust {
        DEPENDENCIES
    } else {
        "Importable besides the standard library: "
    };
    if first {
        prefix.chars().count() + name.chars().count() + 1
    } else {
        name.chars().count() + 2
    }
}
