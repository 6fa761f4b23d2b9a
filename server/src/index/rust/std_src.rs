//! [`StdApi`] over rust-src: the standard library's own sources
//! (`<sysroot>/lib/rustlib/src/rust/library/{core,alloc,std}`), indexed like
//! any other crates. Preferred when installed (`rustup component add
//! rust-src`): the sources say exactly what exists. What its macros generate
//! (most integer methods, for one) is open, so nothing is reported there.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::std_api::{StdApi, StdKind, StdMemberInfo};
use super::RustIndex;
use crate::analysis::rust::resolve::{Outcome, Res, Resolver};
use crate::index::cargo::{CargoWorkspace, CrateInfo, TargetKind};
use crate::index::facts_cache::FactsCache;
use crate::syntax::rust::facts::{RItemKind, RMember};

const CRATES: [&str; 3] = ["core", "alloc", "std"];

pub struct StdSource {
    index: RustIndex,
    /// Per crate, the impl items of each self type (by its last name), built on first use.
    impl_items: OnceLock<Vec<ImplItems>>,
}

/// A crate's impl items by self type name, each with the path of the trait
/// of its impl (None: inherent), in source order.
type ImplItems = HashMap<String, Vec<(RMember, Option<String>)>>;

/// The library sources of a sysroot, when rust-src is installed.
pub fn library_dir(sysroot: &Path) -> Option<PathBuf> {
    let dir = sysroot.join("lib/rustlib/src/rust/library");
    CRATES
        .iter()
        .all(|c| dir.join(c).join("src/lib.rs").is_file())
        .then_some(dir)
}

impl StdSource {
    pub fn load(library: &Path, cache: FactsCache) -> StdSource {
        let mut crates = Vec::new();
        for (i, name) in CRATES.iter().enumerate() {
            let mut deps = std::collections::BTreeMap::new();
            for (j, dep) in CRATES.iter().enumerate().take(i) {
                deps.insert(dep.to_string(), j);
            }
            crates.push(CrateInfo {
                name: name.to_string(),
                package: name.to_string(),
                version: String::new(),
                kind: TargetKind::Lib,
                root_file: library.join(name).join("src/lib.rs"),
                edition: "2021".to_string(),
                features: Default::default(),
                deps,
                opaque_deps: Default::default(),
                workspace: false,
            });
        }
        let ws = CargoWorkspace {
            root: library.to_path_buf(),
            crates,
            graph_known: true,
            notes: Vec::new(),
        };
        StdSource {
            index: RustIndex::new(ws, None, Default::default(), cache).for_std_sources(),
            impl_items: OnceLock::new(),
        }
    }

    fn resolver(&self) -> Resolver<'_> {
        Resolver {
            index: &self.index,
            scope_methods: Default::default(),
            visiting: Default::default(),
        }
    }

    fn resolve(&self, path: &str) -> Option<Outcome> {
        let segs: Vec<String> = path.split("::").map(str::to_string).collect();
        let krate = CRATES.iter().position(|c| *c == segs[0])?;
        let root = self.index.root(krate)?;
        if segs.len() == 1 {
            return Some(Outcome::Res(Res::Module(root)));
        }
        Some(self.resolver().resolve(&root, &segs[1..], false, None, 0))
    }

    /// Every crate's impl items, read once.
    fn impl_items(&self) -> &[ImplItems] {
        self.impl_items.get_or_init(|| {
            (0..CRATES.len())
                .map(|k| {
                    let mut table = ImplItems::new();
                    for node in self.index.all_modules(k).0 {
                        for imp in &node.module().impls {
                            let Some(ty) = imp.self_ty.as_ref().and_then(|t| t.path.last()) else {
                                continue;
                            };
                            let from_trait = imp.trait_path.as_ref().map(|t| t.join("::"));
                            let entry = table.entry(ty.clone()).or_default();
                            for item in imp.items.iter().filter(|i| i.name != "*") {
                                entry.push((item.clone(), from_trait.clone()));
                            }
                        }
                    }
                    table
                })
                .collect()
        })
    }

    /// A member as the sources declare it: the type's own (variants, fields,
    /// a trait's items), else an inherent impl's, else a trait impl's.
    /// `crates`: those whose impls count (a type's own; all for a primitive).
    fn member_facts(
        &self,
        own: &[RMember],
        type_name: &str,
        crates: &[usize],
        name: &str,
    ) -> Option<(RMember, Option<String>)> {
        if let Some(m) = own.iter().find(|m| m.name == name) {
            return Some((m.clone(), None));
        }
        let tables = self.impl_items();
        let found: Vec<&(RMember, Option<String>)> = crates
            .iter()
            .filter_map(|k| tables.get(*k)?.get(type_name))
            .flatten()
            .filter(|(m, _)| m.name == name)
            .collect();
        found
            .iter()
            .find(|(_, t)| t.is_none())
            .or_else(|| found.first())
            .map(|f| (*f).clone())
    }

    /// A primitive's inherent items are spread over core, alloc and std.
    fn primitive_members(&self, name: &str) -> Option<Vec<String>> {
        let mut out = BTreeSet::new();
        for k in 0..CRATES.len() {
            let impls = self.index.crate_impls(k);
            if impls.open_types.contains(name) {
                return None;
            }
            if let Some(m) = impls.members.get(name) {
                out.extend(m.iter().cloned());
            }
        }
        Some(out.into_iter().collect())
    }
}

fn std_kind(kind: RItemKind) -> StdKind {
    {
        match kind {
            RItemKind::Mod => StdKind::Module,
            RItemKind::Struct | RItemKind::Enum | RItemKind::Union | RItemKind::TypeAlias => {
                StdKind::Type
            }
            RItemKind::Trait => StdKind::Trait,
            RItemKind::Fn => StdKind::Fn,
            RItemKind::Macro => StdKind::Macro,
            _ => StdKind::Other,
        }
    }
}

const PRIMITIVES: &[&str] = &[
    "bool", "char", "str", "slice", "array", "u8", "u16", "u32", "u64", "u128", "usize", "i8",
    "i16", "i32", "i64", "i128", "isize", "f32", "f64",
];

impl StdSource {
    /// Whether `path` surely exists in the sources: it resolves to a
    /// module, a crate, an item or a primitive — not merely to what a
    /// module that cannot be read whole (its macros) might hold.
    pub fn surely_has(&self, path: &str) -> bool {
        PRIMITIVES.contains(&path)
            || matches!(
                self.resolve(path),
                Some(Outcome::Res(
                    Res::Module(_) | Res::Crate(_) | Res::Item(..) | Res::Std(..)
                ))
            )
    }
}

impl StdApi for StdSource {
    fn kinds_of(&self, path: &str) -> Vec<StdKind> {
        if PRIMITIVES.contains(&path) {
            return vec![StdKind::Type];
        }
        match self.resolve(path) {
            Some(Outcome::Res(Res::Module(_))) | Some(Outcome::Res(Res::Crate(_))) => {
                vec![StdKind::Module]
            }
            Some(Outcome::Res(Res::Item(n, i))) => vec![std_kind(n.module().items[i].kind)],
            // Exists, but what it is cannot be told (an open module, a
            // re-export through a macro): nothing further is checked.
            Some(Outcome::Res(_)) | Some(Outcome::Unknown) => vec![StdKind::Other],
            Some(Outcome::Missing { .. }) | None => Vec::new(),
        }
    }

    fn children(&self, module: &str) -> Option<Vec<String>> {
        let Some(Outcome::Res(Res::Module(n))) = self.resolve(module) else {
            return None;
        };
        let m = n.module();
        let mut names: Vec<String> = m.items.iter().map(|i| i.name.clone()).collect();
        names.extend(m.uses.iter().filter_map(|u| u.binds().map(str::to_string)));
        names.sort();
        names.dedup();
        Some(names)
    }

    fn members(&self, path: &str) -> Option<Vec<String>> {
        if PRIMITIVES.contains(&path) {
            return self.primitive_members(path);
        }
        let Some(Outcome::Res(Res::Item(n, i))) = self.resolve(path) else {
            return None;
        };
        let item = &n.module().items[i];
        if !item.kind.is_type() || item.kind == RItemKind::TypeAlias {
            return None;
        }
        // A trait's items are those its body declares: what std's macros
        // generate elsewhere (impls) adds none, so the prelude traits keep
        // their methods however open the rest of core is.
        if item.kind == RItemKind::Trait && item.attr_macros.is_empty() {
            if item.members.iter().any(|m| m.name == "*") {
                return None;
            }
            return Some(item.members.iter().map(|m| m.name.clone()).collect());
        }
        self.resolver()
            .crate_type_members(&n, item)
            .map(|m| m.into_iter().collect())
    }

    fn signature(&self, path: &str) -> Option<String> {
        let Some(Outcome::Res(Res::Item(n, i))) = self.resolve(path) else {
            return None;
        };
        let item = &n.module().items[i];
        (item.kind == RItemKind::Fn)
            .then(|| item.signature.clone())
            .flatten()
    }

    fn member_details(&self, path: &str) -> Option<Vec<StdMemberInfo>> {
        let names = self.members(path)?;
        // The type's own members, and the crates whose impls count.
        let (own, type_name, crates): (Vec<RMember>, String, Vec<usize>) =
            if PRIMITIVES.contains(&path) {
                (Vec::new(), path.to_string(), (0..CRATES.len()).collect())
            } else {
                let Some(Outcome::Res(Res::Item(n, i))) = self.resolve(path) else {
                    return None;
                };
                let item = &n.module().items[i];
                (item.members.clone(), item.name.clone(), vec![n.key.0])
            };
        let details = names
            .into_iter()
            .map(|name| {
                let facts = self.member_facts(&own, &type_name, &crates, &name);
                StdMemberInfo {
                    kind: facts.as_ref().map(|(m, _)| m.kind.label()),
                    from_trait: facts.as_ref().and_then(|(_, t)| t.clone()),
                    signature: facts.and_then(|(m, _)| m.signature),
                    // (Doc comments are not in the facts yet.)
                    doc: None,
                    // (Stability attributes are not in the facts.)
                    unavailable: false,
                    name,
                }
            })
            .collect();
        Some(details)
    }

    fn implemented_traits(&self, path: &str) -> Vec<String> {
        let name = path.rsplit("::").next().unwrap_or(path);
        let mut out = BTreeSet::new();
        for k in 0..CRATES.len() {
            if let Some(t) = self.index.crate_impls(k).traits.get(name) {
                out.extend(t.iter().cloned());
            }
        }
        out.into_iter().collect()
    }
}

/// std's sources with the syntax newer than tree-sitter-rust's grammar
/// blanked to spaces (offsets kept): `const trait`, `impl const Trait`,
/// `[const]`/`~const` bounds. Left as written, they are syntax errors that
/// lose the traits of `core::convert` and `core::cmp`.
pub fn newer_syntax_blanked(text: &str) -> String {
    const REWRITES: [(&str, &str); 5] = [
        ("const trait ", "      trait "),
        ("impl const ", "impl       "),
        ("> const ", ">       "),
        ("[const] ", "        "),
        ("~const ", "       "),
    ];
    let mut out = text.to_string();
    for (from, to) in REWRITES {
        debug_assert_eq!(from.len(), to.len());
        out = out.replace(from, to);
    }
    out
}

/// Whether a name is found in a module (for tests and callers that only
/// need existence).
pub fn exists(source: &StdSource, path: &str) -> bool {
    !source.kinds_of(path).is_empty()
}

/// The std of `sysroot` from rust-src, when installed.
pub fn load_from_sysroot(sysroot: &Path, cache: FactsCache) -> Option<Arc<StdSource>> {
    library_dir(sysroot).map(|dir| Arc::new(StdSource::load(&dir, cache)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// A miniature sysroot with rust-src: core, alloc and std as sources.
    #[test]
    fn std_from_rust_src_sources() {
        let dir = tempfile::tempdir().unwrap();
        let lib = "lib/rustlib/src/rust/library";
        write(
            dir.path(),
            &format!("{lib}/core/src/lib.rs"),
            "#![no_core]\npub mod option;\npub mod str;\n#[stable(feature = \"x\", since = \"1.0\")]\npub mod num { pub fn helper() {} }\n",
        );
        write(
            dir.path(),
            &format!("{lib}/core/src/option.rs"),
            "pub enum Option<T> { None, Some(T) }\nimpl<T> Option<T> {\n    #[rustc_const_stable(feature = \"x\", since = \"1.0\")]\n    pub fn is_some(&self) -> bool { true }\n}\n",
        );
        write(
            dir.path(),
            &format!("{lib}/core/src/str.rs"),
            "impl str {\n    pub fn len(&self) -> usize { 0 }\n    pub fn trim(&self) -> &str { self }\n}\n",
        );
        write(
            dir.path(),
            &format!("{lib}/alloc/src/lib.rs"),
            "pub mod vec;\npub mod str;\n",
        );
        write(
            dir.path(),
            &format!("{lib}/alloc/src/vec.rs"),
            "pub struct Vec<T> { p: T }\nimpl<T> Vec<T> {\n    pub const fn new() -> Self { loop {} }\n    pub fn push(&mut self, v: T) {}\n}\nimpl<T: Clone> Clone for Vec<T> { fn clone(&self) -> Self { loop {} } }\n",
        );
        write(
            dir.path(),
            &format!("{lib}/alloc/src/str.rs"),
            "impl str {\n    pub fn to_uppercase(&self) -> u8 { 0 }\n}\n",
        );
        write(
            dir.path(),
            &format!("{lib}/std/src/lib.rs"),
            "pub use core::option;\npub use alloc::vec;\npub mod collections;\n",
        );
        write(
            dir.path(),
            &format!("{lib}/std/src/collections/mod.rs"),
            "pub struct HashMap<K, V> { k: K, v: V }\nimpl<K, V> HashMap<K, V> { pub fn new() -> Self { loop {} } pub fn insert(&mut self, k: K, v: V) {} }\n",
        );
        let source = load_from_sysroot(dir.path(), FactsCache::disabled()).expect("rust-src found");
        assert_eq!(
            source.kinds_of("std::collections::HashMap"),
            [StdKind::Type]
        );
        assert_eq!(source.kinds_of("std::collections"), [StdKind::Module]);
        assert!(source.kinds_of("std::collections::HashMapp").is_empty());
        assert_eq!(source.kinds_of("std::vec::Vec"), [StdKind::Type]);
        assert_eq!(source.kinds_of("alloc::vec::Vec"), [StdKind::Type]);
        assert!(exists(&source, "core::num::helper"));
        let vec = source.members("std::vec::Vec").unwrap();
        assert!(vec.contains(&"push".to_string()) && vec.contains(&"clone".to_string()));
        assert!(!vec.contains(&"with_len".to_string()));
        let s = source.members("str").unwrap();
        for m in ["len", "trim", "to_uppercase"] {
            assert!(s.contains(&m.to_string()), "{m} in {s:?}");
        }
        let opt = source.members("std::option::Option").unwrap();
        assert!(opt.contains(&"is_some".to_string()) && opt.contains(&"Some".to_string()));
        assert!(source
            .implemented_traits("alloc::vec::Vec")
            .contains(&"Clone".to_string()));
        // Signatures from the sources.
        assert_eq!(
            source.signature("core::num::helper").as_deref(),
            Some("fn helper()")
        );
        assert_eq!(source.signature("std::collections::HashMap"), None);
        let details = source.member_details("std::collections::HashMap").unwrap();
        let insert = details.iter().find(|m| m.name == "insert").unwrap();
        assert_eq!(
            insert.signature.as_deref(),
            Some("fn insert(&mut self, k: K, v: V)")
        );
        assert_eq!(insert.kind, Some("method"));
        assert_eq!(insert.from_trait, None);
        let new = details.iter().find(|m| m.name == "new").unwrap();
        assert_eq!(new.kind, Some("associated function"));
        assert_eq!(new.signature.as_deref(), Some("fn new() -> Self"));
        let vec = source.member_details("std::vec::Vec").unwrap();
        let clone = vec.iter().find(|m| m.name == "clone").unwrap();
        assert_eq!(clone.from_trait.as_deref(), Some("Clone"));
        assert_eq!(clone.signature.as_deref(), Some("fn clone(&self) -> Self"));
        let opt = source.member_details("core::option::Option").unwrap();
        let some = opt.iter().find(|m| m.name == "Some").unwrap();
        assert_eq!(some.kind, Some("variant"));
        let is_some = opt.iter().find(|m| m.name == "is_some").unwrap();
        assert_eq!(
            is_some.signature.as_deref(),
            Some("fn is_some(&self) -> bool")
        );
        let s = source.member_details("str").unwrap();
        let upper = s.iter().find(|m| m.name == "to_uppercase").unwrap();
        assert_eq!(
            upper.signature.as_deref(),
            Some("fn to_uppercase(&self) -> u8")
        );
        assert_eq!(source.member_details("std::collections::Nope"), None);
        let children = source.children("std::collections").unwrap();
        assert_eq!(children, ["HashMap"]);
        assert!(library_dir(&dir.path().join("nowhere")).is_none());
    }

    /// A trait keeps its methods however open the rest of core is (an
    /// item-level macro, syntax newer than the parser's), so the prelude
    /// traits keep theirs with rust-src.
    #[test]
    fn traits_keep_their_methods_in_an_open_core() {
        let dir = tempfile::tempdir().unwrap();
        let lib = "lib/rustlib/src/rust/library";
        write(
            dir.path(),
            &format!("{lib}/core/src/lib.rs"),
            "pub mod iter;\npub mod convert;\nint_impl! { u8 }\n",
        );
        write(
            dir.path(),
            &format!("{lib}/core/src/iter.rs"),
            "some_macro!();\npub trait Iterator {\n    type Item;\n    fn next(&mut self) -> Option<Self::Item>;\n    fn map<B>(self) -> B { loop {} }\n}\n",
        );
        write(
            dir.path(),
            &format!("{lib}/core/src/convert.rs"),
            "pub const trait AsRef<T: [const] Sized> {\n    fn as_ref(&self) -> &T;\n}\nimpl<T> const AsRef<T> for T { fn as_ref(&self) -> &T { self } }\n",
        );
        write(dir.path(), &format!("{lib}/alloc/src/lib.rs"), "");
        write(
            dir.path(),
            &format!("{lib}/std/src/lib.rs"),
            "pub use core::iter;\n",
        );
        let source = load_from_sysroot(dir.path(), FactsCache::disabled()).expect("rust-src found");
        let iter = source
            .members("core::iter::Iterator")
            .expect("closed trait");
        for m in ["next", "map", "Item"] {
            assert!(iter.contains(&m.to_string()), "{m} in {iter:?}");
        }
        assert_eq!(source.kinds_of("core::convert::AsRef"), [StdKind::Trait]);
        assert_eq!(source.members("core::convert::AsRef").unwrap(), ["as_ref"]);
        assert_eq!(
            newer_syntax_blanked("pub const trait A: [const] B {} impl<T> const A for T {}"),
            "pub       trait A:         B {} impl<T>       A for T {}"
        );
    }
}
