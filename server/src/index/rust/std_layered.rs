//! [`StdApi`] when both sources of std are installed: the rustdoc search
//! index (rust-docs) and the library's sources (rust-src).
//!
//! The index answers what exists — kinds, module children, members,
//! implemented traits, return types — because it is complete where the
//! sources are not: rustdoc lists what std's macros generate (most integer
//! and float methods, the `impl_fn_for_zst!` closures), and it is read from
//! one cached file, where the sources would have to be parsed whole before
//! any type's members could be told (every impl block of core, alloc and
//! std; ~12 s cold). So a check gives the same findings, at the same speed,
//! with rust-src as without it (`GROUNDED_RUST_STD=index` hides rust-src to
//! compare). The sources only add: a path the index does not know is asked
//! of them (an item rustdoc hides, `#[doc(hidden)]`, still exists), and so
//! is a signature rustdoc's pages do not show (an API context reads the
//! same with rust-src as without it).

use std::sync::Arc;

use super::std_api::{StdApi, StdKind, StdMemberInfo};
use super::std_src::StdSource;
use crate::index::rust_std::StdIndex;

pub struct StdLayered {
    pub index: Arc<StdIndex>,
    pub source: Arc<StdSource>,
}

impl StdApi for StdLayered {
    fn kinds_of(&self, path: &str) -> Vec<StdKind> {
        let kinds = StdApi::kinds_of(&*self.index, path);
        if !kinds.is_empty() {
            return kinds;
        }
        // Not in the index: hidden from the docs, or not there at all. The
        // sources are asked only then (rare: a path about to be reported),
        // and count only when they show the item: a module they cannot read
        // whole (its macros) says nothing the index has not said better —
        // with it, `std::hashmap!` went unreported with rust-src installed
        // and reported without.
        if self.source.surely_has(path) {
            // Exists; what it is matters less than never reporting it.
            vec![StdKind::Other]
        } else {
            Vec::new()
        }
    }

    fn children(&self, module: &str) -> Option<Vec<String>> {
        StdApi::children(&*self.index, module)
    }

    fn members(&self, path: &str) -> Option<Vec<String>> {
        StdApi::members(&*self.index, path)
    }

    fn implemented_traits(&self, path: &str) -> Vec<String> {
        StdApi::implemented_traits(&*self.index, path)
    }

    fn label(&self, path: &str) -> Option<&'static str> {
        StdApi::label(&*self.index, path)
    }

    fn signature(&self, path: &str) -> Option<String> {
        StdApi::signature(&*self.index, path).or_else(|| self.source.signature(path))
    }

    fn doc(&self, path: &str) -> Option<String> {
        StdApi::doc(&*self.index, path)
    }

    fn unavailable(&self, path: &str) -> bool {
        StdApi::unavailable(&*self.index, path)
    }

    fn member_details(&self, path: &str) -> Option<Vec<StdMemberInfo>> {
        StdApi::member_details(&*self.index, path)
    }

    fn qualified_signatures(&self, path: &str) -> Vec<String> {
        StdApi::qualified_signatures(&*self.index, path)
    }

    fn impl_headers(&self, path: &str) -> Option<Vec<String>> {
        StdApi::impl_headers(&*self.index, path)
    }

    fn member_traits(&self, path: &str, name: &str) -> Vec<Option<String>> {
        StdApi::member_traits(&*self.index, path, name)
    }

    fn type_alias(&self, path: &str) -> Option<String> {
        StdApi::type_alias(&*self.index, path)
    }
}
