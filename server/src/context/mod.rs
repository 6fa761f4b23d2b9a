//! The API context handed to AI assistants: for one file, what it may call —
//! the members of the modules it imports, its own functions and classes and
//! those of the workspace modules it imports, the packages installed —
//! ranked and fitted to a token budget.
//!
//! Tokens are estimated as one per four characters of the text rendering
//! (`ceil(chars / 4)`, characters counted as Unicode scalar values), the
//! same estimate everywhere: the text output never exceeds the budget unless
//! its skeleton alone (title, instruction, headings, the "… more" lines)
//! does. Pure: speaks in paths, names and text; the shells convert.

mod build;
mod candidates;
pub mod describe;
pub mod lookup;
pub mod lookup_rust;

mod packages;
mod relevance;
pub mod render;
mod rust;
mod rust_cfg;

use serde::Serialize;

pub use build::{build, ContextRequest};
pub use rust::build_rust;

/// The budget when none is given, in tokens.
pub const DEFAULT_BUDGET: usize = 2000;

/// The token estimate used for every budget: `ceil(chars / 4)`.
pub fn estimate_tokens(text: &str) -> usize {
    text.chars().count().div_ceil(4)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    /// Library modules the file imports.
    Api,
    /// The file's own definitions and the workspace modules it imports.
    Local,
    /// Importable top-level packages.
    Packages,
}

/// Why an item is in the context, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relevance {
    /// The file already uses it.
    Used = 0,
    /// Its name shares words with the task or the code around the cursor.
    Related = 1,
    Other = 2,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContextItem {
    pub section: Section,
    /// `module`, `class`, `function`, `method`, `property`, `variable`,
    /// `attribute`, `package`; for Rust also `struct`, `enum`, `trait`,
    /// `type`, `macro`, `variant`, `field`, `crate`…
    pub kind: &'static str,
    /// Qualified name: `requests.get`, `requests.Session.get`, `app.utils.slugify`,
    /// `std::fs::read_to_string`.
    pub name: String,
    /// The module whose heading lists it (empty for a package).
    pub module: String,
    /// For a class member: the qualified name of its class.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_of: Option<String>,
    pub signature: Option<String>,
    /// The first line of its docstring.
    pub doc: Option<String>,
    /// The file that defines it (relative to the workspace root when inside it).
    pub source: Option<String>,
    pub relevance: Relevance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Omitted {
    ModuleMembers,
    ClassMembers,
    Packages,
}

/// What the budget left out: `… 120 more members of numpy`.
#[derive(Debug, Clone, Serialize)]
pub struct Omission {
    pub what: Omitted,
    /// The module or class (empty for packages).
    pub container: String,
    pub count: usize,
}

/// Members listed by name only, after those shown whole: one `also:` line
/// per module or class, so a budget holds every name a file's imports reach
/// before it holds long signatures.
#[derive(Debug, Clone, Serialize)]
pub struct NameList {
    pub section: Section,
    /// The module whose heading lists them.
    pub module: String,
    /// The module or class whose members they are (qualified).
    pub container: String,
    /// Short names, best ranked first.
    pub names: Vec<String>,
}

/// A module heading of the context.
#[derive(Debug, Clone, Serialize)]
pub struct ModuleEntry {
    pub section: Section,
    pub name: String,
    pub source: Option<String>,
    /// The module of the file the context is for.
    pub this_file: bool,
    /// Names can appear in it at run time (module `__getattr__`, a compiled
    /// module without a stub…): what is listed is confirmed, not complete.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub open: bool,
}

/// What the context of a Rust file says about its crate.
#[derive(Debug, Clone, Serialize)]
pub struct RustInfo {
    /// The crate that holds the file; None when no Cargo crate does.
    #[serde(rename = "crate")]
    pub krate: Option<String>,
    /// Why less is known than usual (no Cargo.toml, std unknown…), one line each.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApiContext {
    pub version: u32,
    /// The file, as given (relative to the workspace root when inside it).
    pub path: String,
    pub module: String,
    /// `3.11`, when an environment was found.
    pub python: Option<String>,
    /// For a Rust file: its crate (absent for Python).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rust: Option<RustInfo>,
    pub budget: usize,
    /// The estimate of `text`.
    pub tokens: usize,
    pub task: Option<String>,
    pub modules: Vec<ModuleEntry>,
    /// In the order of the text.
    pub items: Vec<ContextItem>,
    /// Members named without their signatures, by container.
    pub also: Vec<NameList>,
    pub omitted: Vec<Omission>,
    /// The prompt-ready rendering.
    #[serde(skip)]
    pub text: String,
}
