//! The queryable model of std/core/alloc built from the decoded search index.
//!
//! Identity: rustdoc documents a re-exported item once per crate that shows it (`alloc::vec::Vec`
//! and, inlined, `std::vec::Vec`), and gives each copy the module where it is defined
//! (`exactModulePath`). Copies with the same defining path and kind are one item here; every
//! path a copy is shown at, and every `pub use` of it, resolves to that item. Its members and a
//! module's children are the union over all copies.
//!
//! The canonical path of an item is the path it is shown at in its defining crate (the first
//! segment of the defining path), shortest first: `alloc::vec::Vec`, `core::option::Option`,
//! `std::collections::HashMap` (defined in the private `std::collections::hash::map`).
//! Primitives are named by their bare name (`str`, `slice`, `u8`); `std::primitive::u8` and
//! `core::primitive::u8` resolve to them, while `std::str` is the module, as in Rust.
//!
//! The whole model is flat (a string pool, item records, sorted path table) so that the
//! on-disk cache deserializes without rebuilding maps.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::pages::PageReader;
use super::search_index::RawIndex;
use super::StdItemKind;

/// rustdoc's item type numbers (`itemTypes` in its search.js).
mod ty {
    pub const KEYWORD: u8 = 0;
    pub const PRIMITIVE: u8 = 1;
    pub const MOD: u8 = 2;
    pub const EXTERNCRATE: u8 = 3;
    pub const IMPORT: u8 = 4;
    pub const STRUCT: u8 = 5;
    pub const ENUM: u8 = 6;
    pub const FN: u8 = 7;
    pub const TYPE: u8 = 8;
    pub const STATIC: u8 = 9;
    pub const TRAIT: u8 = 10;
    pub const IMPL: u8 = 11;
    pub const TYMETHOD: u8 = 12;
    pub const METHOD: u8 = 13;
    pub const STRUCTFIELD: u8 = 14;
    pub const VARIANT: u8 = 15;
    pub const MACRO: u8 = 16;
    pub const ASSOCIATEDTYPE: u8 = 17;
    pub const CONSTANT: u8 = 18;
    pub const ASSOCIATEDCONSTANT: u8 = 19;
    pub const UNION: u8 = 20;
    pub const FOREIGNTYPE: u8 = 21;
    pub const EXISTENTIAL: u8 = 22;
    pub const ATTR: u8 = 23;
    pub const DERIVE: u8 = 24;
    pub const TRAITALIAS: u8 = 25;
    pub const GENERIC: u8 = 26;
    pub const ATTRIBUTE: u8 = 27;
    pub const LAST: u8 = ATTRIBUTE;
}

/// The kind an item type number stands for; None for what is not an item (keywords, impls,
/// generics, documented attributes).
fn kind_of(t: u8) -> Option<StdItemKind> {
    use StdItemKind as K;
    Some(match t {
        ty::PRIMITIVE => K::Primitive,
        ty::MOD | ty::EXTERNCRATE => K::Module,
        ty::STRUCT | ty::FOREIGNTYPE => K::Struct,
        ty::ENUM => K::Enum,
        ty::FN => K::Fn,
        ty::TYPE => K::TypeAlias,
        ty::STATIC => K::Static,
        ty::TRAIT => K::Trait,
        ty::TYMETHOD | ty::METHOD => K::Method,
        ty::STRUCTFIELD => K::Field,
        ty::VARIANT => K::Variant,
        ty::MACRO => K::Macro,
        ty::ASSOCIATEDTYPE => K::AssocType,
        ty::CONSTANT => K::Const,
        ty::ASSOCIATEDCONSTANT => K::AssocConst,
        ty::UNION => K::Union,
        ty::ATTR => K::Attr,
        ty::DERIVE => K::Derive,
        ty::TRAITALIAS => K::TraitAlias,
        ty::KEYWORD | ty::IMPORT | ty::IMPL | ty::EXISTENTIAL | ty::GENERIC | ty::ATTRIBUTE => {
            return None
        }
        _ => return None,
    })
}

/// Kinds whose members [`Model::members`] lists.
pub(crate) fn is_type_like(k: StdItemKind) -> bool {
    use StdItemKind as K;
    matches!(
        k,
        K::Struct | K::Enum | K::Union | K::Trait | K::TraitAlias | K::TypeAlias | K::Primitive
    )
}

const NONE: u32 = u32::MAX;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ItemRec {
    kind: StdItemKind,
    canonical: u32,
    /// Range of `Model::children`.
    children: (u32, u32),
    /// Range of `Model::members`.
    members: (u32, u32),
    /// Range of `Model::globs`: modules whose items this module re-exports.
    globs: (u32, u32),
    /// For a type alias, the type it names (`NONE`: unknown or not a single type).
    alias: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ChildRec {
    name: u32,
    item: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct MemberRec {
    name: u32,
    kind: StdItemKind,
    /// String id of the trait's canonical path; `NONE` for inherent items.
    trait_path: u32,
}

/// The queryable model. See the module documentation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Model {
    /// The search index format version (from the root file's name).
    pub version: String,
    crates: Vec<String>,
    text: String,
    /// String `i` is `text[ends[i - 1]..ends[i]]` (from 0 for the first).
    ends: Vec<u32>,
    items: Vec<ItemRec>,
    children: Vec<ChildRec>,
    members: Vec<MemberRec>,
    globs: Vec<u32>,
    /// (path string, item), sorted by the string.
    paths: Vec<(u32, u32)>,
}

/// A member as [`Model::members`] returns it.
pub(crate) struct MemberView<'a> {
    pub name: &'a str,
    pub kind: StdItemKind,
    pub trait_path: Option<&'a str>,
}

impl Model {
    fn str(&self, id: u32) -> &str {
        let i = id as usize;
        let start = if i == 0 {
            0
        } else {
            self.ends.get(i - 1).copied().unwrap_or(0) as usize
        };
        let end = self.ends.get(i).copied().unwrap_or(0) as usize;
        self.text.get(start..end).unwrap_or("")
    }

    pub(crate) fn crates(&self) -> Vec<&str> {
        self.crates.iter().map(String::as_str).collect()
    }

    /// Items shown at exactly `path`.
    fn lookup(&self, path: &str) -> Vec<u32> {
        let start = self.paths.partition_point(|&(s, _)| self.str(s) < path);
        self.paths[start..]
            .iter()
            .take_while(|&&(s, _)| self.str(s) == path)
            .map(|&(_, item)| item)
            .collect()
    }

    /// Items at `path` (a leading `::` is ignored): where rustdoc shows them, or reached
    /// through a module's glob re-exports (`std::arch::x86_64::_mm_pause`).
    fn resolve(&self, path: &str) -> Vec<u32> {
        self.resolve_depth(path.trim().trim_start_matches("::"), 0)
    }

    fn resolve_depth(&self, path: &str, depth: usize) -> Vec<u32> {
        let direct = self.lookup(path);
        if !direct.is_empty() || depth > 12 {
            return direct;
        }
        let Some((owner, name)) = path.rsplit_once("::") else {
            return direct;
        };
        let mut out = Vec::new();
        for m in self.resolve_depth(owner, depth + 1) {
            if self
                .item(m)
                .is_some_and(|it| it.kind == StdItemKind::Module)
            {
                let mut seen = Vec::new();
                self.module_children(m, &mut seen, &mut |c| {
                    if self.str(c.name) == name {
                        out.push(c.item);
                    }
                });
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Calls `f` with each child of module `m`, its own and those of its glob re-exports.
    fn module_children<'a>(&'a self, m: u32, seen: &mut Vec<u32>, f: &mut dyn FnMut(&'a ChildRec)) {
        if seen.contains(&m) || seen.len() > 32 {
            return;
        }
        seen.push(m);
        self.item_children(m).iter().for_each(&mut *f);
        let globs = self
            .item(m)
            .and_then(|it| self.globs.get(it.globs.0 as usize..it.globs.1 as usize))
            .unwrap_or(&[]);
        for &g in globs {
            self.module_children(g, seen, f);
        }
    }

    fn item(&self, id: u32) -> Option<&ItemRec> {
        self.items.get(id as usize)
    }

    fn own_members(&self, id: u32) -> &[MemberRec] {
        self.item(id)
            .and_then(|it| {
                self.members
                    .get(it.members.0 as usize..it.members.1 as usize)
            })
            .unwrap_or(&[])
    }

    /// The members of `id`, and for a type alias those of the type it names
    /// (`std::io::Result` → `Result`).
    fn item_members(&self, id: u32) -> Vec<&MemberRec> {
        let mut chain = Vec::new();
        let mut cur = id;
        while cur != NONE && !chain.contains(&cur) && chain.len() < 64 {
            chain.push(cur);
            cur = self.item(cur).map_or(NONE, |it| it.alias);
        }
        chain
            .into_iter()
            .flat_map(|i| self.own_members(i))
            .collect()
    }

    fn item_children(&self, id: u32) -> &[ChildRec] {
        self.item(id)
            .and_then(|it| {
                self.children
                    .get(it.children.0 as usize..it.children.1 as usize)
            })
            .unwrap_or(&[])
    }

    fn type_items(&self, path: &str) -> Vec<u32> {
        self.resolve(path)
            .into_iter()
            .filter(|&id| self.item(id).is_some_and(|it| is_type_like(it.kind)))
            .collect()
    }

    pub(crate) fn kinds_of(&self, path: &str) -> Vec<StdItemKind> {
        let mut kinds: Vec<StdItemKind> = self
            .resolve(path)
            .into_iter()
            .filter_map(|id| self.item(id).map(|it| it.kind))
            .collect();
        if kinds.is_empty() {
            // An associated item: `std::vec::Vec::new`, `core::option::Option::Some`, `str::len`.
            if let Some((owner, name)) = path.trim().rsplit_once("::") {
                for id in self.type_items(owner) {
                    kinds.extend(
                        self.item_members(id)
                            .iter()
                            .filter(|m| self.str(m.name) == name)
                            .map(|m| m.kind),
                    );
                }
            }
        }
        kinds.sort();
        kinds.dedup();
        kinds
    }

    pub(crate) fn children(&self, module: &str) -> Option<Vec<(String, StdItemKind)>> {
        let modules: Vec<u32> = self
            .resolve(module)
            .into_iter()
            .filter(|&id| {
                self.item(id)
                    .is_some_and(|it| it.kind == StdItemKind::Module)
            })
            .collect();
        if modules.is_empty() {
            return None;
        }
        let mut out: Vec<(String, StdItemKind)> = Vec::new();
        let mut seen = Vec::new();
        for id in modules {
            self.module_children(id, &mut seen, &mut |c| {
                if let Some(it) = self.item(c.item) {
                    out.push((self.str(c.name).to_string(), it.kind));
                }
            });
        }
        out.sort();
        out.dedup();
        Some(out)
    }

    pub(crate) fn members(&self, path: &str) -> Option<Vec<MemberView<'_>>> {
        let owners = self.type_items(path);
        if owners.is_empty() {
            return None;
        }
        let mut out: Vec<MemberView<'_>> = Vec::new();
        for id in owners {
            for m in self.item_members(id) {
                out.push(MemberView {
                    name: self.str(m.name),
                    kind: m.kind,
                    trait_path: (m.trait_path != NONE).then(|| self.str(m.trait_path)),
                });
            }
        }
        out.sort_by(|a, b| (a.name, a.kind, a.trait_path).cmp(&(b.name, b.kind, b.trait_path)));
        out.dedup_by(|a, b| (a.name, a.kind, a.trait_path) == (b.name, b.kind, b.trait_path));
        Some(out)
    }

    pub(crate) fn implemented_traits(&self, path: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .members(path)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|m| m.trait_path.map(str::to_string))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    pub(crate) fn canonical(&self, path: &str) -> Option<String> {
        let items = self.resolve(path);
        let rank = |k: StdItemKind| {
            if is_type_like(k) {
                0
            } else if k == StdItemKind::Module {
                1
            } else {
                2
            }
        };
        if let Some(best) = items
            .iter()
            .filter_map(|&id| self.item(id))
            .min_by_key(|it| (rank(it.kind), self.str(it.canonical)))
        {
            return Some(self.str(best.canonical).to_string());
        }
        let (owner, name) = path.trim().rsplit_once("::")?;
        let owner_id = *self.type_items(owner).first()?;
        let found = self
            .item_members(owner_id)
            .iter()
            .any(|m| self.str(m.name) == name);
        let owner = self.str(self.item(owner_id)?.canonical);
        found.then(|| format!("{owner}::{name}"))
    }
}

// ---------------------------------------------------------------------------------------------
// Building
// ---------------------------------------------------------------------------------------------

/// One row of the `entry` column.
#[derive(Debug, Clone, Copy)]
struct Entry {
    ty: u8,
    /// Rows (not +1) or NONE.
    module: u32,
    exact: u32,
    parent: u32,
    trait_parent: u32,
}

/// One row of the `path` column.
#[derive(Debug, Clone)]
struct PathData {
    module_path: String,
    exact_module_path: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Json<'a> {
    Int(u64),
    Str(&'a [u8]),
}

/// Parses a flat JSON array of non-negative integers and strings (what `entry` and `path`
/// rows are). Strings are returned raw (escapes undecoded).
fn parse_flat_array(s: &[u8]) -> Result<Vec<Json<'_>>, String> {
    let bad = || format!("not a flat JSON array: {:?}", String::from_utf8_lossy(s));
    let mut out = Vec::with_capacity(9);
    let mut i = 0;
    if s.first() != Some(&b'[') {
        return Err(bad());
    }
    i += 1;
    if s.get(i) == Some(&b']') {
        return if i + 1 == s.len() {
            Ok(out)
        } else {
            Err(bad())
        };
    }
    loop {
        match s.get(i) {
            Some(b'0'..=b'9') => {
                let start = i;
                while s.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                let n = std::str::from_utf8(&s[start..i])
                    .ok()
                    .and_then(|t| t.parse().ok())
                    .ok_or_else(bad)?;
                out.push(Json::Int(n));
            }
            Some(b'"') => {
                let start = i + 1;
                i += 1;
                loop {
                    match s.get(i) {
                        Some(b'"') => break,
                        Some(b'\\') => i += 2,
                        Some(_) => i += 1,
                        None => return Err(bad()),
                    }
                }
                out.push(Json::Str(s.get(start..i).ok_or_else(bad)?));
                i += 1;
            }
            _ => return Err(bad()),
        }
        match s.get(i) {
            Some(b',') => i += 1,
            Some(b']') if i + 1 == s.len() => return Ok(out),
            _ => return Err(bad()),
        }
    }
}

/// A JSON string body (as between the quotes) to a Rust string.
fn json_str(raw: &[u8]) -> Result<String, String> {
    if !raw.contains(&b'\\') {
        return String::from_utf8(raw.to_vec()).map_err(|_| "invalid UTF-8 in a path".to_string());
    }
    let mut quoted = Vec::with_capacity(raw.len() + 2);
    quoted.push(b'"');
    quoted.extend_from_slice(raw);
    quoted.push(b'"');
    serde_json::from_slice(&quoted).map_err(|e| format!("bad JSON string: {e}"))
}

fn parse_entry(bytes: &[u8], rows: usize) -> Result<Entry, String> {
    let v = parse_flat_array(bytes)?;
    if !(8..=9).contains(&v.len()) {
        return Err(format!("an entry of {} fields (expected 8 or 9)", v.len()));
    }
    let mut ints = [0u64; 8];
    for (slot, value) in ints.iter_mut().zip(&v) {
        match value {
            Json::Int(n) => *slot = *n,
            Json::Str(_) => return Err("a string where an entry has a number".into()),
        }
    }
    if v.len() == 9 && !matches!(v[8], Json::Str(_)) {
        return Err("an entry's disambiguator is not a string".into());
    }
    let [krate, t, module, exact, parent, trait_parent, deprecated, unstable] = ints;
    if t > u64::from(ty::LAST) {
        return Err(format!("unknown item type {t}"));
    }
    if deprecated > 1 || unstable > 1 {
        return Err("entry flags out of range".into());
    }
    if krate as usize >= rows {
        return Err(format!("crate row {krate} out of range"));
    }
    let row_ref = |n: u64| -> Result<u32, String> {
        if n == 0 {
            Ok(NONE)
        } else if (n as usize) <= rows {
            Ok(n as u32 - 1)
        } else {
            Err(format!("row {n} out of range"))
        }
    };
    Ok(Entry {
        ty: t as u8,
        module: row_ref(module)?,
        exact: row_ref(exact)?,
        parent: row_ref(parent)?,
        trait_parent: row_ref(trait_parent)?,
    })
}

fn parse_path(bytes: &[u8]) -> Result<PathData, String> {
    let v = parse_flat_array(bytes)?;
    match v.as_slice() {
        [Json::Int(t), Json::Str(m), rest @ ..] if *t <= u64::from(ty::LAST) && rest.len() <= 1 => {
            let exact = match rest.first() {
                None | Some(Json::Int(0)) => None,
                Some(Json::Str(e)) => Some(json_str(e)?),
                Some(Json::Int(_)) => return Err("a path's exact module is a number".into()),
            };
            Ok(PathData {
                module_path: json_str(m)?,
                exact_module_path: exact,
            })
        }
        _ => Err(format!(
            "unexpected path row {:?}",
            String::from_utf8_lossy(bytes)
        )),
    }
}

fn join(module: &str, name: &str) -> String {
    if module.is_empty() {
        name.to_string()
    } else {
        format!("{module}::{name}")
    }
}

#[derive(Default)]
struct Interner {
    map: HashMap<String, u32>,
    text: String,
    ends: Vec<u32>,
}

impl Interner {
    fn str(&self, id: u32) -> &str {
        let i = id as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.map.get(s) {
            return id;
        }
        self.text.push_str(s);
        let id = self.ends.len() as u32;
        self.ends.push(self.text.len() as u32);
        self.map.insert(s.to_string(), id);
        id
    }
}

struct ItemB {
    kind: StdItemKind,
    /// Paths the item's copies are shown at (not `pub use` paths).
    shown: Vec<String>,
    defining: String,
    children: Vec<(u32, u32)>,
    members: Vec<(u32, StdItemKind, u32)>,
    globs: Vec<u32>,
    alias: u32,
}

/// Builds the model; Err when the rows do not have the shape this decoder knows.
/// `pages` gives what the index does not record: glob re-exports and type alias targets.
pub(crate) fn build(raw: &RawIndex, pages: &PageReader) -> Result<Model, String> {
    let rows = raw.name.len();
    if rows == 0 {
        return Err("the index has no rows".into());
    }
    let name_of = |row: usize| -> &str {
        raw.name
            .get(row)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    };
    let mut entries: Vec<Option<Entry>> = Vec::with_capacity(rows);
    let mut paths: Vec<Option<PathData>> = Vec::with_capacity(rows);
    for row in 0..rows {
        entries.push(match raw.entry.get(row) {
            Some(b) if !b.is_empty() => {
                Some(parse_entry(b, rows).map_err(|e| format!("entry row {row}: {e}"))?)
            }
            _ => None,
        });
        paths.push(match raw.path.get(row) {
            Some(b) if !b.is_empty() => {
                Some(parse_path(b).map_err(|e| format!("path row {row}: {e}"))?)
            }
            _ => None,
        });
    }
    // The full path of a row used as a module (its path data + its name).
    let module_path_of = |row: u32| -> Option<String> {
        let p = paths.get(row as usize)?.as_ref()?;
        Some(join(&p.module_path, name_of(row as usize)))
    };

    let mut items: Vec<ItemB> = Vec::new();
    let mut by_ident: HashMap<(String, StdItemKind), u32> = HashMap::new();
    let mut ident_paths: HashMap<String, Vec<u32>> = HashMap::new();
    let mut by_path: HashMap<String, Vec<u32>> = HashMap::new();
    let mut row_item: Vec<u32> = vec![NONE; rows];
    let mut primitive_by_name: HashMap<String, u32> = HashMap::new();
    let mut imports: Vec<usize> = Vec::new();
    let mut assoc: Vec<usize> = Vec::new();
    // (row, module path) of every item that sits in a module.
    let mut placed: Vec<(usize, String)> = Vec::new();

    for row in 0..rows {
        let Some(e) = entries[row] else { continue };
        if e.parent != NONE {
            assoc.push(row);
            continue;
        }
        if e.ty == ty::IMPORT {
            imports.push(row);
            continue;
        }
        let Some(kind) = kind_of(e.ty) else { continue };
        let name = name_of(row);
        if name.is_empty() {
            continue;
        }
        let (shown, ident) = match e.ty {
            ty::EXTERNCRATE => (name.to_string(), name.to_string()),
            ty::PRIMITIVE => (name.to_string(), format!("{{primitive}}{name}")),
            _ => {
                let Some(module) = module_path_of(e.module) else {
                    continue;
                };
                let shown = join(&module, name);
                let ident = match module_path_of(e.exact) {
                    Some(m) if e.exact != NONE => join(&m, name),
                    _ => shown.clone(),
                };
                placed.push((row, module));
                (shown, ident)
            }
        };
        let id = *by_ident.entry((ident.clone(), kind)).or_insert_with(|| {
            items.push(ItemB {
                kind,
                shown: Vec::new(),
                defining: ident.clone(),
                children: Vec::new(),
                members: Vec::new(),
                globs: Vec::new(),
                alias: NONE,
            });
            ident_paths
                .entry(ident.clone())
                .or_default()
                .push(items.len() as u32 - 1);
            items.len() as u32 - 1
        });
        if kind == StdItemKind::Primitive {
            primitive_by_name.insert(name.to_string(), id);
        }
        if !items[id as usize].shown.contains(&shown) {
            items[id as usize].shown.push(shown.clone());
        }
        let ids = by_path.entry(shown).or_default();
        if !ids.contains(&id) {
            ids.push(id);
        }
        row_item[row] = id;
    }

    // Canonical paths.
    let mut strings = Interner::default();
    let mut canonical: Vec<u32> = items
        .iter()
        .map(|it| {
            if it.kind == StdItemKind::Primitive {
                return strings.id(it.shown.first().map_or("", String::as_str));
            }
            let home = it.defining.split("::").next().unwrap_or("");
            let best = it
                .shown
                .iter()
                .min_by_key(|p| (p.split("::").next() != Some(home), p.len(), p.as_str()));
            strings.id(best.map_or(it.defining.as_str(), String::as_str))
        })
        .collect();

    // Members of types and traits.
    let lookup_row = |row: u32, want: &dyn Fn(StdItemKind) -> bool| -> Vec<u32> {
        if row == NONE {
            return Vec::new();
        }
        let id = row_item[row as usize];
        if id != NONE {
            return if want(items[id as usize].kind) {
                vec![id]
            } else {
                Vec::new()
            };
        }
        if entries[row as usize].is_some_and(|e| e.parent != NONE) {
            // A variant (its fields) or another associated item: not a type.
            return Vec::new();
        }
        let Some(p) = paths[row as usize].as_ref() else {
            return Vec::new();
        };
        let name = name_of(row as usize);
        let mut ids: Vec<u32> = Vec::new();
        for path in [Some(&p.module_path), p.exact_module_path.as_ref()]
            .into_iter()
            .flatten()
        {
            let full = join(path, name);
            ids.extend(
                by_path
                    .get(&full)
                    .into_iter()
                    .flatten()
                    .chain(ident_paths.get(&full).into_iter().flatten())
                    .filter(|&&id| want(items[id as usize].kind)),
            );
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let mut additions: Vec<(u32, (u32, StdItemKind, u32))> = Vec::new();
    for &row in &assoc {
        let Some(e) = entries[row] else { continue };
        let Some(kind) = kind_of(e.ty) else { continue };
        let owners = lookup_row(e.parent, &is_type_like);
        if owners.is_empty() {
            continue;
        }
        let trait_path = if e.trait_parent == NONE {
            NONE
        } else {
            let traits = lookup_row(e.trait_parent, &|k| {
                matches!(k, StdItemKind::Trait | StdItemKind::TraitAlias)
            });
            match traits.first() {
                Some(&t) => canonical[t as usize],
                None => match paths[e.trait_parent as usize].as_ref() {
                    // A trait the index names but does not document: keep its path.
                    Some(p) => strings.id(&join(
                        p.exact_module_path.as_ref().unwrap_or(&p.module_path),
                        name_of(e.trait_parent as usize),
                    )),
                    // Not even a path: keep the member under the trait's bare name.
                    None => strings.id(name_of(e.trait_parent as usize)),
                },
            }
        };
        let name = strings.id(name_of(row));
        for owner in owners {
            additions.push((owner, (name, kind, trait_path)));
        }
    }
    for (owner, m) in additions {
        items[owner as usize].members.push(m);
    }

    // `pub use` re-exports that rustdoc did not inline: resolve their targets (chains too).
    let mut pending: Vec<(usize, String, Option<String>)> = Vec::new();
    for &row in &imports {
        let Some(e) = entries[row] else { continue };
        let Some(module) = module_path_of(e.module) else {
            continue;
        };
        let name = name_of(row);
        let target = (e.exact != NONE)
            .then(|| module_path_of(e.exact))
            .flatten()
            .map(|m| join(&m, name));
        placed.push((row, module.clone()));
        pending.push((row, join(&module, name), target));
    }
    let mut variants = Variants::default();
    let mut import_targets: HashMap<usize, Vec<u32>> = HashMap::new();
    let mut by_last: Option<NameIndex> = None;
    for pass in 0..4 {
        let last_pass = pass == 3;
        let mut still = Vec::new();
        for (row, shown, target) in pending {
            let name = name_of(row);
            let mut ids: Vec<u32> = Vec::new();
            if let Some(t) = &target {
                ids.extend(by_path.get(t).into_iter().flatten());
                ids.extend(ident_paths.get(t).into_iter().flatten());
                if ids.is_empty() {
                    // `pub use core::option::Option::Some`: a variant.
                    if let Some((owner, _)) = t.rsplit_once("::") {
                        let owners: Vec<u32> = by_path
                            .get(owner)
                            .into_iter()
                            .flatten()
                            .chain(ident_paths.get(owner).into_iter().flatten())
                            .copied()
                            .collect();
                        for owner in owners {
                            ids.extend(variants.get(
                                owner,
                                name,
                                &mut items,
                                &mut canonical,
                                &mut strings,
                            ));
                        }
                    }
                }
            } else {
                ids.extend(primitive_by_name.get(name));
            }
            if ids.is_empty() && last_pass {
                let by_last = by_last.get_or_insert_with(|| NameIndex::new(&items, &strings));
                ids.extend(fallback_by_name(
                    by_last,
                    &mut items,
                    &mut variants,
                    &mut canonical,
                    &mut strings,
                    Unresolved {
                        name,
                        target: target.as_deref(),
                        import_crate: shown.split("::").next().unwrap_or(""),
                    },
                ));
            }
            if ids.is_empty() {
                still.push((row, shown, target));
                continue;
            }
            ids.sort_unstable();
            ids.dedup();
            let slot = by_path.entry(shown).or_default();
            for &id in &ids {
                if !slot.contains(&id) {
                    slot.push(id);
                }
            }
            import_targets.insert(row, ids);
        }
        pending = still;
        if pending.is_empty() {
            break;
        }
    }
    // Children of modules.
    for (row, module) in &placed {
        let Some(modules) = by_path.get(module) else {
            continue;
        };
        let targets: Vec<u32> = match import_targets.get(row) {
            Some(ids) => ids.clone(),
            None if row_item[*row] != NONE => vec![row_item[*row]],
            None => continue,
        };
        let name = strings.id(name_of(*row));
        for &m in modules {
            if items[m as usize].kind != StdItemKind::Module {
                continue;
            }
            for &t in &targets {
                items[m as usize].children.push((name, t));
            }
        }
    }

    // Glob re-exports: a module target is searched at query time; an enum's variants
    // (`pub use self::TestFn::*`) become children.
    for m in 0..items.len() {
        if items[m].kind != StdItemKind::Module {
            continue;
        }
        let mut targets: Vec<u32> = Vec::new();
        for shown in items[m].shown.clone() {
            for glob in pages.globs_of(&shown) {
                targets.extend(by_path.get(&glob).into_iter().flatten());
                targets.extend(ident_paths.get(&glob).into_iter().flatten());
            }
        }
        targets.sort_unstable();
        targets.dedup();
        for t in targets {
            match items[t as usize].kind {
                StdItemKind::Module if t as usize != m => items[m].globs.push(t),
                StdItemKind::Enum => {
                    let names: Vec<u32> = items[t as usize]
                        .members
                        .iter()
                        .filter(|&&(_, k, _)| k == StdItemKind::Variant)
                        .map(|&(n, _, _)| n)
                        .collect();
                    for n in names {
                        let name = strings.str(n).to_string();
                        if let Some(v) =
                            variants.get(t, &name, &mut items, &mut canonical, &mut strings)
                        {
                            items[m].children.push((n, v));
                        }
                    }
                }
                _ => {}
            }
        }
    }

    // Type aliases: the type each names, so that its members are the alias's too.
    for a in 0..items.len() {
        if items[a].kind != StdItemKind::TypeAlias {
            continue;
        }
        for shown in items[a].shown.clone() {
            let Some(target) = pages.alias_target(&shown) else {
                continue;
            };
            let found = if target.contains("::") {
                by_path
                    .get(&target)
                    .into_iter()
                    .flatten()
                    .chain(ident_paths.get(&target).into_iter().flatten())
                    .copied()
                    .find(|&t| t as usize != a && is_type_like(items[t as usize].kind))
            } else {
                primitive_by_name.get(&target).copied()
            };
            if let Some(t) = found {
                items[a].alias = t;
                break;
            }
        }
    }

    // Flatten.
    let mut model_items = Vec::with_capacity(items.len());
    let mut children = Vec::new();
    let mut members = Vec::new();
    let mut globs = Vec::new();
    for (i, mut it) in items.into_iter().enumerate() {
        it.children.sort_unstable();
        it.children.dedup();
        it.members.sort_unstable_by_key(|&(n, k, t)| (n, k, t));
        it.members.dedup();
        let c0 = children.len() as u32;
        children.extend(
            it.children
                .iter()
                .map(|&(name, item)| ChildRec { name, item }),
        );
        let m0 = members.len() as u32;
        members.extend(
            it.members
                .iter()
                .map(|&(name, kind, trait_path)| MemberRec {
                    name,
                    kind,
                    trait_path,
                }),
        );
        let g0 = globs.len() as u32;
        globs.extend_from_slice(&it.globs);
        model_items.push(ItemRec {
            kind: it.kind,
            canonical: canonical[i],
            children: (c0, children.len() as u32),
            members: (m0, members.len() as u32),
            globs: (g0, globs.len() as u32),
            alias: it.alias,
        });
    }
    let mut path_table: Vec<(u32, u32)> = Vec::new();
    let mut by_path: Vec<(String, Vec<u32>)> = by_path.into_iter().collect();
    by_path.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, ids) in &by_path {
        let s = strings.id(path);
        path_table.extend(ids.iter().map(|&id| (s, id)));
    }
    let crates = (0..raw.crate_names.len())
        .filter_map(|r| raw.crate_names.get(r))
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    let Interner { text, ends, .. } = strings;
    Ok(Model {
        version: raw.version.clone(),
        crates,
        text,
        ends,
        items: model_items,
        children,
        members,
        globs,
        paths: path_table,
    })
}

/// Items for enum variants, made when a `pub use` names one (`std::prelude::v1::Some`).
#[derive(Default)]
struct Variants {
    made: HashMap<(u32, String), u32>,
}

impl Variants {
    /// The variant `name` of the enum `owner`, if it has one.
    fn get(
        &mut self,
        owner: u32,
        name: &str,
        items: &mut Vec<ItemB>,
        canonical: &mut Vec<u32>,
        strings: &mut Interner,
    ) -> Option<u32> {
        let enum_item = items.get(owner as usize)?;
        if enum_item.kind != StdItemKind::Enum {
            return None;
        }
        let key = (owner, name.to_string());
        if let Some(&id) = self.made.get(&key) {
            return Some(id);
        }
        let has = enum_item
            .members
            .iter()
            .any(|&(n, k, _)| k == StdItemKind::Variant && strings.str(n) == name);
        if !has {
            return None;
        }
        let defining = format!("{}::{name}", enum_item.defining);
        let canon = format!("{}::{name}", strings.str(canonical[owner as usize]));
        items.push(ItemB {
            kind: StdItemKind::Variant,
            shown: Vec::new(),
            defining,
            children: Vec::new(),
            members: Vec::new(),
            globs: Vec::new(),
            alias: NONE,
        });
        let id = items.len() as u32 - 1;
        canonical.push(strings.id(&canon));
        self.made.insert(key, id);
        Some(id)
    }
}

/// Items by the last segment of their paths, and enums by their variants' names: what
/// [`fallback_by_name`] searches.
struct NameIndex {
    items: HashMap<String, Vec<u32>>,
    enums: HashMap<String, Vec<u32>>,
}

impl NameIndex {
    fn new(items: &[ItemB], strings: &Interner) -> NameIndex {
        let mut by_name: HashMap<String, Vec<u32>> = HashMap::new();
        let mut enums: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, it) in items.iter().enumerate() {
            let i = i as u32;
            for p in std::iter::once(&it.defining).chain(&it.shown) {
                let last = p.rsplit("::").next().unwrap_or(p);
                let slot = by_name.entry(last.to_string()).or_default();
                if slot.last() != Some(&i) {
                    slot.push(i);
                }
            }
            if it.kind == StdItemKind::Enum {
                for &(n, k, _) in &it.members {
                    if k == StdItemKind::Variant {
                        let slot = enums.entry(strings.str(n).to_string()).or_default();
                        if slot.last() != Some(&i) {
                            slot.push(i);
                        }
                    }
                }
            }
        }
        NameIndex {
            items: by_name,
            enums,
        }
    }
}

/// An import [`fallback_by_name`] resolves: its name, its target path if the index gives one,
/// and the crate it is in.
struct Unresolved<'a> {
    name: &'a str,
    target: Option<&'a str>,
    import_crate: &'a str,
}

/// For an import whose target does not resolve by path (macros are documented at the crate root
/// but imported from their private defining module; prelude variants carry no target): items of
/// that name in the target's crate, macros only when the target is in a `macros` module;
/// without a target, variants of that name, else top-level items of that name in the
/// importing crate.
fn fallback_by_name(
    index: &NameIndex,
    items: &mut Vec<ItemB>,
    variants: &mut Variants,
    canonical: &mut Vec<u32>,
    strings: &mut Interner,
    import: Unresolved<'_>,
) -> Vec<u32> {
    let Unresolved {
        name,
        target,
        import_crate,
    } = import;
    let suffix = format!("::{name}");
    let has_name = |it: &ItemB| {
        !matches!(it.kind, StdItemKind::Primitive | StdItemKind::Variant)
            && (it.defining.ends_with(&suffix) || it.shown.iter().any(|s| s.ends_with(&suffix)))
    };
    let in_crate = |it: &ItemB, krate: &str| {
        it.defining.split("::").next() == Some(krate)
            || it.shown.iter().any(|s| s.split("::").next() == Some(krate))
    };
    let named = index.items.get(name).map_or(&[][..], Vec::as_slice);
    if let Some(t) = target {
        let krate = t.split("::").next().unwrap_or("");
        let macros_only = t.contains("::macros::") || t.contains("::builtin::");
        return named
            .iter()
            .map(|&i| (i as usize, &items[i as usize]))
            .filter(|(_, it)| {
                has_name(it)
                    && in_crate(it, krate)
                    && (!macros_only
                        || matches!(
                            it.kind,
                            StdItemKind::Macro | StdItemKind::Attr | StdItemKind::Derive
                        ))
            })
            .map(|(i, _)| i as u32)
            .collect();
    }
    let enums: Vec<u32> = index
        .enums
        .get(name)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .map(|&i| (i as usize, &items[i as usize]))
        .filter(|(_, it)| {
            it.kind == StdItemKind::Enum
                && it
                    .members
                    .iter()
                    .any(|&(n, k, _)| k == StdItemKind::Variant && strings.str(n) == name)
        })
        .map(|(i, _)| i as u32)
        .collect();
    // Prefer the importing crate's enums (`core::prelude::v1::None` is `Option::None`, not
    // `proc_macro::Delimiter::None`).
    let own: Vec<u32> = enums
        .iter()
        .copied()
        .filter(|&e| in_crate(&items[e as usize], import_crate))
        .collect();
    let enums = if own.is_empty() { enums } else { own };
    if !enums.is_empty() {
        return enums
            .into_iter()
            .filter_map(|e| variants.get(e, name, items, canonical, strings))
            .collect();
    }
    named
        .iter()
        .map(|&i| (i as usize, &items[i as usize]))
        .filter(|(_, it)| has_name(it) && in_crate(it, import_crate))
        .map(|(i, _)| i as u32)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_arrays() {
        assert_eq!(
            parse_flat_array(br#"[1,0,"a\"b",23]"#).unwrap(),
            vec![
                Json::Int(1),
                Json::Int(0),
                Json::Str(br#"a\"b"#),
                Json::Int(23)
            ]
        );
        assert_eq!(parse_flat_array(b"[]").unwrap(), vec![]);
        for bad in [
            &b"["[..],
            b"[1,",
            b"[1 2]",
            b"[-1]",
            b"[1]x",
            b"[\"abc]",
            b"{}",
            b"[[1]]",
            b"",
        ] {
            assert!(
                parse_flat_array(bad).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn entries_and_paths() {
        let e = parse_entry(b"[3,13,2,0,5,0,0,1,\"impl-X\"]", 10).unwrap();
        assert_eq!(
            (e.ty, e.module, e.exact, e.parent, e.trait_parent),
            (13, 1, NONE, 4, NONE)
        );
        assert!(
            parse_entry(b"[3,13,2,0,5,0,0,1]", 4).is_err(),
            "row out of range"
        );
        assert!(
            parse_entry(b"[3,99,2,0,5,0,0,1]", 10).is_err(),
            "unknown type"
        );
        assert!(parse_entry(b"[3,13,2,0,5,0,0]", 10).is_err(), "short");
        assert!(parse_entry(b"[3,13,2,0,5,0,0,2]", 10).is_err(), "flag");
        let p = parse_path(br#"[5,"std::collections","std::collections::hash::map"]"#).unwrap();
        assert_eq!(p.module_path, "std::collections");
        assert_eq!(
            p.exact_module_path.as_deref(),
            Some("std::collections::hash::map")
        );
        let p = parse_path(br#"[1,"",0]"#).unwrap();
        assert_eq!((p.module_path.as_str(), p.exact_module_path), ("", None));
        assert!(parse_path(br#"["std"]"#).is_err());
        assert!(parse_path(br#"[5,"a","b","c"]"#).is_err());
    }
}
