//! What may be imported at all: the top-level packages and modules of the
//! workspace and of the environment's site-packages (the standard library is
//! named as a whole). An assistant that knows this list does not invent
//! packages.

use std::cmp::Reverse;
use std::collections::BTreeSet;

use super::relevance::Interest;
use super::Relevance;
use crate::index::Index;

pub struct Package {
    pub name: String,
    pub relevance: Relevance,
    pub key: (u8, Reverse<u32>, String),
}

impl Package {
    /// Used when the file names it, related when the task or cursor does.
    pub fn ranked(name: String, used: bool, interest: &Interest) -> Package {
        let score = interest.score(&name);
        let relevance = if used {
            Relevance::Used
        } else if score > 0 {
            Relevance::Related
        } else {
            Relevance::Other
        };
        Package {
            key: (relevance as u8, Reverse(score), name.clone()),
            name,
            relevance,
        }
    }
}

/// Importable top-level names outside the standard library, ranked: the
/// ones the file imports, those the task or cursor mentions, the rest.
pub fn importable(index: &Index, imported: &BTreeSet<String>, interest: &Interest) -> Vec<Package> {
    let stdlib = index.env.as_ref().map(|e| &e.stdlib_module_names);
    let mut out: Vec<Package> = index
        .installed_top_level_names()
        .into_iter()
        .filter(|n| !n.starts_with('_'))
        .filter(|n| stdlib.is_none_or(|s| !s.contains(n)))
        .map(|name| {
            let used = imported.contains(&name);
            Package::ranked(name, used, interest)
        })
        .collect();
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out
}
