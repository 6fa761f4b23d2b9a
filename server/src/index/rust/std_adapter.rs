//! [`StdApi`] over the toolchain's rustdoc search index.

use super::std_api::{StdApi, StdKind, StdMemberInfo};
use crate::index::rust_std::{StdIndex, StdItemKind};

fn kind(k: StdItemKind) -> StdKind {
    match k {
        StdItemKind::Module => StdKind::Module,
        StdItemKind::Struct
        | StdItemKind::Enum
        | StdItemKind::Union
        | StdItemKind::TypeAlias
        | StdItemKind::Primitive => StdKind::Type,
        StdItemKind::Trait | StdItemKind::TraitAlias => StdKind::Trait,
        StdItemKind::Fn => StdKind::Fn,
        StdItemKind::Macro => StdKind::Macro,
        _ => StdKind::Other,
    }
}

impl StdApi for StdIndex {
    fn kinds_of(&self, path: &str) -> Vec<StdKind> {
        StdIndex::kinds_of(self, path)
            .into_iter()
            .map(kind)
            .collect()
    }

    fn children(&self, module: &str) -> Option<Vec<String>> {
        StdIndex::children(self, module).map(|c| c.into_iter().map(|(n, _)| n).collect())
    }

    fn members(&self, path: &str) -> Option<Vec<String>> {
        StdIndex::members(self, path).map(|m| m.into_iter().map(|m| m.name).collect())
    }

    fn implemented_traits(&self, path: &str) -> Vec<String> {
        StdIndex::implemented_traits(self, path)
    }

    fn label(&self, path: &str) -> Option<&'static str> {
        let kinds = StdIndex::kinds_of(self, path);
        // A type wins over a module or a macro of the same path.
        let best = kinds.iter().min_by_key(|k| match k {
            StdItemKind::Struct | StdItemKind::Enum | StdItemKind::Union => 0,
            StdItemKind::Trait | StdItemKind::TypeAlias | StdItemKind::Primitive => 1,
            StdItemKind::Fn => 2,
            StdItemKind::Module => 3,
            _ => 4,
        })?;
        Some(match best {
            StdItemKind::Module => "module",
            StdItemKind::Struct => "struct",
            StdItemKind::Enum => "enum",
            StdItemKind::Union => "union",
            StdItemKind::Trait | StdItemKind::TraitAlias => "trait",
            StdItemKind::Fn => "function",
            StdItemKind::TypeAlias => "type alias",
            StdItemKind::Const => "constant",
            StdItemKind::Static => "static",
            StdItemKind::Macro => "macro",
            StdItemKind::Primitive => "primitive",
            StdItemKind::Variant => "variant",
            StdItemKind::Field => "field",
            StdItemKind::Method => "method",
            StdItemKind::AssocConst => "associated constant",
            StdItemKind::AssocType => "associated type",
            StdItemKind::Derive => "derive macro",
            StdItemKind::Attr => "attribute macro",
        })
    }

    fn signature(&self, path: &str) -> Option<String> {
        StdIndex::signature(self, path)
    }

    fn doc(&self, path: &str) -> Option<String> {
        StdIndex::doc(self, path)
    }

    fn unavailable(&self, path: &str) -> bool {
        StdIndex::unavailable(self, path)
    }

    fn qualified_signatures(&self, path: &str) -> Vec<String> {
        StdIndex::qualified_signatures(self, path)
    }

    fn impl_headers(&self, path: &str) -> Option<Vec<String>> {
        StdIndex::impl_headers(self, path)
    }

    fn member_traits(&self, path: &str, name: &str) -> Vec<Option<String>> {
        StdIndex::members(self, path)
            .unwrap_or_default()
            .into_iter()
            .filter(|m| m.name == name)
            .map(|m| m.trait_path)
            .collect()
    }

    fn type_alias(&self, path: &str) -> Option<String> {
        StdIndex::qualified_decl(self, path).filter(|d| d.starts_with("type "))
    }

    fn member_details(&self, path: &str) -> Option<Vec<StdMemberInfo>> {
        let members = StdIndex::members(self, path)?;
        // One entry per name: the inherent item before a trait's.
        let mut merged: Vec<(String, StdItemKind, Option<String>)> = Vec::new();
        for m in members {
            if let Some(prev) = merged.iter_mut().find(|p| p.0 == m.name) {
                if prev.2.is_some() && m.trait_path.is_none() {
                    prev.2 = None;
                }
                continue;
            }
            merged.push((m.name, m.kind, m.trait_path));
        }
        // The page tells methods from other associated fns and has signatures and docs.
        let pages = self.type_pages(path);
        let details = merged
            .into_iter()
            .map(|(name, k, from_trait)| {
                let shown = pages
                    .iter()
                    .find_map(|p| p.member(&name, from_trait.as_deref()));
                let kind = match k {
                    StdItemKind::Method if shown.and_then(|s| s.has_self) == Some(true) => "method",
                    StdItemKind::Method => "associated function",
                    StdItemKind::Variant => "variant",
                    StdItemKind::Field => "field",
                    StdItemKind::AssocConst => "associated constant",
                    StdItemKind::AssocType => "associated type",
                    _ => "item",
                };
                StdMemberInfo {
                    kind: Some(kind),
                    signature: shown.and_then(|s| s.signature.clone()),
                    doc: shown.and_then(|s| s.doc.clone()),
                    unavailable: shown.is_some_and(|s| s.unstable || s.elsewhere),
                    name,
                    from_trait,
                }
            })
            .collect();
        Some(details)
    }
}
