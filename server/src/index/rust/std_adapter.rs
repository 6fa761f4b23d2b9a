//! [`StdApi`] over the toolchain's rustdoc search index.

use super::std_api::{StdApi, StdKind};
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
}
