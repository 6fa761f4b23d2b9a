//! The Rust standard library as Grounded knows it: std, core, alloc (and the other crates the
//! toolchain documents: proc_macro, test, std_detect) for the active toolchain.
//!
//! # Source
//!
//! Two sources describe std: the `rust-src` component (the library's sources, under
//! `$(rustc --print sysroot)/lib/rustlib/src/rust/library`) and the `rust-docs` component's
//! rustdoc search index (`$(sysroot)/share/doc/rust/html/search.index/`). When rust-src is
//! installed, `check_rust::load_toolchain` uses it (`index::rust::std_src`: the sources indexed as
//! crates, tested on a miniature sysroot); this module is the other source, used whenever
//! rust-src is absent and the index parses (`GROUNDED_RUST_STD=index` forces it).
//!
//! # Failure is "std unknown"
//!
//! Every failure — no `rustc`, no search index, an index format this decoder does not read, a
//! corrupt file, an index that decodes but does not describe std as expected — is an
//! `Err(one-line reason)`. The caller then treats std as unknown and reports nothing in it.
//! The format is recognised by the root file's name (`root<version>.js`, version 1.91 or
//! later: the `search.index/` format; older toolchains wrote `search-index<version>.js`, which
//! is not read), by its `rr_('…')` header, by every chunk's content hashing to its file name,
//! by the shape of every row, and by a final check that `core::option::Option` is an enum with
//! a `Some` variant. Versions newer than `search_index::NEWEST_TESTED` (1.95.0) are read under those
//! same checks: a format change fails them and gives `Err`, never a wrong answer.
//!
//! # What the index records
//!
//! - Items at every path rustdoc shows them: `std::vec::Vec` and `alloc::vec::Vec` are one
//!   item; [`StdIndex::canonical`] gives its path in the defining crate (`alloc::vec::Vec`).
//! - Members of types and traits, as on their rustdoc pages: inherent associated items, enum
//!   variants, struct fields, and the items of every trait impl shown on the page with the
//!   trait's path — including blanket impls (`Into`, `From`, `Borrow`, `Any`, `ToOwned`, …).
//!   Methods reached through `Deref` are not merged (`Vec::iter` is under `slice`).
//! - Traits the index names for a type are the traits of its impls' items: impls without
//!   items (marker traits such as `Copy`, `Send`, `Eq`) are not recorded.
//! - `pub use` re-exports rustdoc did not inline (the preludes) resolve to their targets.
//!
//! Two things the index leaves out come from rustdoc's HTML pages beside it (`pages`): glob
//! re-exports (`std::arch` is `pub use core::arch::*`, the edition preludes glob `v1`), so that
//! `std::arch::x86_64::_mm_pause` resolves and `children` lists them; and the type a type alias
//! names, so that `members("std::io::Result")` has `Result`'s methods. Without those pages, glob
//! re-exported names are missing (paths through `std::arch` resolve to nothing) and a type
//! alias has only the members rustdoc lists on its own page (often just variants or fields).
//!
//! Known gaps: three `pub use`s of items rustdoc does not document
//! (`core::intrinsics::mir::{ReasonAbi, ReasonInCleanup}`, `core::ub_checks::check_library_ub`)
//! are left out of their modules; items under `#[cfg]` for other targets are present only as
//! far as rustdoc documents them (it documents all of `core::arch`).

mod cache;
mod doc_pages;
mod html_text;
mod model;
mod pages;
mod roaring;
mod search_index;
mod siphash;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use doc_pages::{PageInfo, PageMember};
use model::Model;

/// What an item of the standard library is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum StdItemKind {
    Module,
    Struct,
    Enum,
    Union,
    Trait,
    TraitAlias,
    Fn,
    TypeAlias,
    Const,
    Static,
    Macro,
    Primitive,
    Variant,
    Field,
    /// Any associated fn, with or without `self`.
    Method,
    AssocConst,
    AssocType,
    Derive,
    Attr,
}

/// A member of a type or trait.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StdMember {
    pub name: String,
    pub kind: StdItemKind,
    /// The trait of the impl it comes from (canonical path); None: inherent (or the trait's own
    /// item, for members of a trait).
    pub trait_path: Option<String>,
}

/// std, core, alloc and the other crates the toolchain documents. Immutable; share it in an Arc.
#[derive(Debug)]
pub struct StdIndex {
    toolchain: String,
    model: Model,
    /// Signatures and docs, read from rustdoc's pages when asked for (not in the disk cache).
    pages: doc_pages::DocPages,
}

impl StdIndex {
    /// The toolchain of `rustc` on PATH (or `RUSTC`): runs `rustc --print sysroot` (and, when
    /// the cache misses, the toolchain's `rustc -V`), loads the search index, cached on disk
    /// (postcard) under cache_dir keyed by the toolchain's rustc and the index files' stamps.
    /// Err(one-line reason) when there is no toolchain or the format is not recognised → the
    /// caller treats std as unknown.
    pub fn load(cache_dir: Option<&Path>) -> Result<Arc<StdIndex>, String> {
        let rustc = std::env::var_os("RUSTC")
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| OsString::from("rustc"));
        let sysroot = PathBuf::from(run_rustc(&rustc, &["--print", "sysroot"])?);
        load_with(&sysroot, Some(&rustc), cache_dir)
    }

    /// As [`StdIndex::load`], for the toolchain installed at `sysroot`. The toolchain's name is
    /// `<sysroot>/bin/rustc -V` when that runs, else taken from the index.
    pub fn load_from_sysroot(
        sysroot: &Path,
        cache_dir: Option<&Path>,
    ) -> Result<Arc<StdIndex>, String> {
        load_with(sysroot, None, cache_dir)
    }

    /// e.g. "rustc 1.95.0 (59807616e 2026-04-14)".
    pub fn toolchain(&self) -> &str {
        &self.toolchain
    }

    /// The version in the search index's root file name, e.g. "1.95.0".
    pub fn index_version(&self) -> &str {
        &self.model.version
    }

    /// "std", "core", "alloc", "proc_macro", "test", ...
    pub fn crates(&self) -> Vec<&str> {
        self.model.crates()
    }

    /// Kinds of the item at a full path, e.g. "std::collections::HashMap" → `[Struct]`; "std::vec" →
    /// `[Module]`; "std::println" → `[Macro]`; a name may have several kinds (a fn and a macro).
    /// Associated items resolve too ("std::vec::Vec::new" → `[Method]`). Empty: nothing there.
    pub fn kinds_of(&self, path: &str) -> Vec<StdItemKind> {
        self.model.kinds_of(path)
    }

    /// The items directly inside a module path ("std::collections"), with their kinds; None if
    /// not a module.
    pub fn children(&self, module: &str) -> Option<Vec<(String, StdItemKind)>> {
        self.model.children(module)
    }

    /// Members of a type or trait at `path` (struct/enum/union/primitive/trait/type alias), e.g.
    /// "std::vec::Vec", "alloc::string::String", primitives by their name ("str", "slice", "u8",
    /// "char", "bool", "array", "f64", "pointer", "tuple", "unit", "fn", "reference", "never"):
    /// inherent associated items (methods and associated fns, consts, types), items from trait
    /// impls (with the trait's path), enum variants, struct fields; None if `path` is not a type
    /// or trait. Sorted by name, then kind, then trait.
    pub fn members(&self, path: &str) -> Option<Vec<StdMember>> {
        self.model.members(path).map(|ms| {
            ms.into_iter()
                .map(|m| StdMember {
                    name: m.name.to_string(),
                    kind: m.kind,
                    trait_path: m.trait_path.map(str::to_string),
                })
                .collect()
        })
    }

    /// Traits the type implements (full paths), as far as the index records it: the traits of
    /// impls that have items (marker traits are missing).
    pub fn implemented_traits(&self, path: &str) -> Vec<String> {
        self.model.implemented_traits(path)
    }

    /// The same item under its other names: std re-exports core/alloc items ("std::vec::Vec" ≡
    /// "alloc::vec::Vec", "std::option::Option" ≡ "core::option::Option"); returns the canonical
    /// path used as the key of `members`. Types win over a module or macro of the same path.
    pub fn canonical(&self, path: &str) -> Option<String> {
        self.model.canonical(path)
    }
}

/// What rustdoc's pages say of items and members (see `doc_pages`).
impl StdIndex {
    /// The item's declaration as one line, from its page: a fn's whole signature (`fn
    /// read_to_string<P: AsRef<Path>>(path: P) -> Result<String>`), a type's or trait's head
    /// (`struct HashMap<K, V, S = RandomState, A: Allocator = Global>`), a type alias, const or
    /// static as declared. None for modules and macros, or when no page shows it.
    pub fn signature(&self, path: &str) -> Option<String> {
        let kinds: Vec<StdItemKind> = self
            .kinds_of(path)
            .into_iter()
            .filter(|k| !matches!(k, StdItemKind::Module | StdItemKind::Macro))
            .collect();
        let page = self.page_of(path, &kinds)?;
        let decl = page.decl.as_deref()?;
        // The page of a type, trait or fn starts with its keyword (after qualifiers).
        let keyword = decl
            .split_whitespace()
            .find(|w| !matches!(*w, "const" | "unsafe" | "async" | "extern" | "safe"))
            .unwrap_or("");
        match keyword {
            "struct" | "enum" | "union" | "trait" => Some(html_text::head_of_declaration(decl)),
            "fn" | "type" | "static" => Some(decl.to_string()),
            _ if kinds.contains(&StdItemKind::Const) => Some(decl.to_string()),
            // A primitive's page, a macro's, another shape.
            _ => None,
        }
    }

    /// The item's declaration as [`StdIndex::signature`] has it, but whole (a type alias's
    /// target included) and with every name the page links written as its full path.
    pub fn qualified_decl(&self, path: &str) -> Option<String> {
        let kinds: Vec<StdItemKind> = self
            .kinds_of(path)
            .into_iter()
            .filter(|k| !matches!(k, StdItemKind::Module | StdItemKind::Macro))
            .collect();
        self.page_of(path, &kinds)?.decl_qualified.clone()
    }

    /// The signatures of the fn or associated fn at `path`, names qualified (see
    /// [`crate::index::rust::StdApi::qualified_signatures`]): a free fn's from its own page, an
    /// associated fn's from its type's page — the inherent item's when the page shows one,
    /// else that of every trait impl that has it.
    pub fn qualified_signatures(&self, path: &str) -> Vec<String> {
        let kinds = self.kinds_of(path);
        if kinds.contains(&StdItemKind::Fn) {
            return self.qualified_decl(path).into_iter().collect();
        }
        let Some((parent, name)) = path.rsplit_once("::") else {
            return Vec::new();
        };
        let pages = self.type_pages(parent);
        for page in &pages {
            if let Some(m) = page.member(name, None) {
                return m.qualified.clone().into_iter().collect();
            }
        }
        pages
            .iter()
            .flat_map(|p| p.entries(name))
            .filter_map(|m| m.qualified.clone())
            .collect()
    }

    /// The first sentence of the item's docs, from its page.
    pub fn doc(&self, path: &str) -> Option<String> {
        let mut kinds = self.kinds_of(path);
        // A type's page before a module's or a macro's of the same name.
        kinds.sort_by_key(|k| matches!(k, StdItemKind::Module | StdItemKind::Macro));
        self.page_of(path, &kinds)?.doc.clone()
    }

    /// The pages that show the members of the type or trait at `path`, for their signatures
    /// and doc lines ([`PageInfo::member`]): its own, and for a type alias the aliased type's
    /// (an alias's page lists variants and fields, not methods). Parsed once, kept for the life
    /// of the index.
    pub fn type_pages(&self, path: &str) -> Vec<Arc<PageInfo>> {
        let kinds: Vec<StdItemKind> = self
            .kinds_of(path)
            .into_iter()
            .filter(|k| !matches!(k, StdItemKind::Module | StdItemKind::Macro))
            .collect();
        let mut out: Vec<Arc<PageInfo>> = self.page_of(path, &kinds).into_iter().collect();
        if kinds.contains(&StdItemKind::TypeAlias) {
            let target = pages::PageReader::new(self.pages.html_dir()).alias_target(path);
            if let Some(target) = target.filter(|t| t != path) {
                let kinds = self.kinds_of(&target);
                out.extend(self.page_of(&target, &kinds));
            }
        }
        out
    }

    /// The first page that shows the item at `path` as one of `kinds`.
    fn page_of(&self, path: &str, kinds: &[StdItemKind]) -> Option<Arc<doc_pages::PageInfo>> {
        let canonical = self.canonical(path);
        doc_pages::page_files(path, canonical.as_deref(), kinds)
            .iter()
            .find_map(|f| self.pages.page(f))
    }
}

fn index_dir(sysroot: &Path) -> PathBuf {
    sysroot
        .join("share")
        .join("doc")
        .join("rust")
        .join("html")
        .join("search.index")
}

fn load_with(
    sysroot: &Path,
    rustc: Option<&std::ffi::OsStr>,
    cache_dir: Option<&Path>,
) -> Result<Arc<StdIndex>, String> {
    let dir = index_dir(sysroot);
    let (root, version) = search_index::find_root(&dir)?;
    let own_rustc = sysroot
        .join("bin")
        .join(format!("rustc{}", std::env::consts::EXE_SUFFIX));
    let key = cache::Key::new(sysroot, &own_rustc, &root);
    let html = dir.parent().unwrap_or(&dir);
    if let (Some(cache_dir), Some(key)) = (cache_dir, key.as_ref()) {
        if let Some((toolchain, model)) = cache::read(cache_dir, key) {
            let pages = doc_pages::DocPages::new(html);
            return Ok(Arc::new(StdIndex {
                toolchain,
                model,
                pages,
            }));
        }
    }
    let raw = search_index::read(&dir)?;
    let pages = pages::PageReader::new(html);
    let model = model::build(&raw, &pages)
        .and_then(|m| sanity_check(&m).map(|()| m))
        .map_err(|e| {
            search_index::with_version_note(format!("{}: {e}", dir.display()), &raw.version)
        })?;
    let toolchain = toolchain_name(&own_rustc, rustc, &version);
    if let (Some(cache_dir), Some(key)) = (cache_dir, key.as_ref()) {
        cache::write(cache_dir, key, &toolchain, &model);
    }
    Ok(Arc::new(StdIndex {
        toolchain,
        model,
        pages: doc_pages::DocPages::new(html),
    }))
}

/// `rustc -V` of the toolchain: its own binary, else the `rustc` that named the sysroot, else
/// a name from the index.
fn toolchain_name(own_rustc: &Path, rustc: Option<&std::ffi::OsStr>, version: &str) -> String {
    if own_rustc.is_file() {
        if let Ok(v) = run_rustc(own_rustc.as_os_str(), &["-V"]) {
            return v;
        }
    }
    if let Some(Ok(v)) = rustc.map(|r| run_rustc(r, &["-V"])) {
        return v;
    }
    format!("unknown toolchain (rustdoc search index {version})")
}

/// A decoded index must describe what every std has; otherwise the format changed in a way the
/// row checks did not catch.
fn sanity_check(model: &Model) -> Result<(), String> {
    let fail = |what: &str| {
        Err(format!(
            "rustdoc search index {} decoded, but {what}: format not recognised",
            model.version
        ))
    };
    let crates = model.crates();
    if !crates.contains(&"core") || !crates.contains(&"std") {
        return fail("it does not list the crates core and std");
    }
    if !model
        .kinds_of("core::option::Option")
        .contains(&StdItemKind::Enum)
    {
        return fail("core::option::Option is not an enum in it");
    }
    let has_some = model
        .members("core::option::Option")
        .unwrap_or_default()
        .iter()
        .any(|m| m.name == "Some" && m.kind == StdItemKind::Variant);
    if !has_some {
        return fail("core::option::Option has no variant Some in it");
    }
    if model.canonical("std::option::Option") != model.canonical("core::option::Option") {
        return fail("std::option::Option is not core::option::Option in it");
    }
    Ok(())
}

/// Runs `rustc ARGS` and returns its trimmed stdout; Err names the command and why it failed.
fn run_rustc(rustc: &std::ffi::OsStr, args: &[&str]) -> Result<String, String> {
    let shown = format!("{} {}", rustc.to_string_lossy(), args.join(" "));
    // A rustup proxy reading a `rust-toolchain` that is a FIFO would wait
    // for good.
    if let Some(what) = crate::regular_file::special_toolchain_file() {
        return Err(format!("{shown} not run: {what}"));
    }
    let out = crate::run_bounded::output_within(
        Command::new(rustc)
            .args(args)
            // Never let a rustup proxy download a toolchain to answer.
            .env("RUSTUP_AUTO_INSTALL", "0"),
        std::time::Duration::from_secs(60),
    )
    .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let first = err
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim();
        return Err(format!("{shown} failed ({}): {first}", out.status));
    }
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if text.is_empty() {
        return Err(format!("{shown} printed nothing"));
    }
    Ok(text)
}

#[cfg(test)]
mod tests;
