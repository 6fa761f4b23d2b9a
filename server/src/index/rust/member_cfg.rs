//! `cfg(...)` on members: struct fields, enum variants, a trait's items and
//! an impl's associated fns, consts and types under `#[cfg(…)]` are gone
//! when their predicate is false for the crate ([`super::host_cfg`]), so a
//! use of one is a use of nothing. A predicate that is unknown (a custom
//! `--cfg`) keeps the member: both sides of `#[cfg(x)]` / `#[cfg(not(x))]`
//! stay.

use crate::syntax::rust::cfg::{compiled_out, CfgEnv};
use crate::syntax::rust::facts::{RImpl, RItem, RMember, RModule};

/// Whether some member of the module's items or impls is under `cfg`.
pub(super) fn any_conditional(m: &RModule) -> bool {
    let conditional = |ms: &[RMember]| ms.iter().any(|x| !x.cfgs.is_empty());
    m.items.iter().any(|i| conditional(&i.members)) || m.impls.iter().any(|i| conditional(&i.items))
}

/// Drop the item's members that are compiled out in `env`.
pub(super) fn item_members(item: &mut RItem, env: &dyn CfgEnv) {
    retain_compiled(&mut item.members, env);
}

/// Drop the impl's items that are compiled out in `env`.
pub(super) fn impl_items(imp: &mut RImpl, env: &dyn CfgEnv) {
    retain_compiled(&mut imp.items, env);
}

fn retain_compiled(members: &mut Vec<RMember>, env: &dyn CfgEnv) {
    if members.iter().any(|m| !m.cfgs.is_empty()) {
        members.retain(|m| !compiled_out(&m.cfgs, env));
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashMap};
    use std::path::{Path, PathBuf};

    use crate::index::cargo::{CargoWorkspace, CrateInfo, TargetKind};
    use crate::index::facts_cache::FactsCache;
    use crate::index::rust::RustIndex;
    use crate::syntax::rust::facts::{MemberKind, RItemKind};

    const LIB: &str = r#"
pub struct Conn {
    pub host: String,
    #[cfg(feature = "tls")]
    pub cert: String,
    #[cfg(feature = "fast")]
    pub speed: u32,
}
pub enum Mode {
    Plain,
    #[cfg(feature = "tls")]
    Secure,
    #[cfg(any(feature = "fast", windows_only_custom))]
    Quick,
}
pub trait Io {
    fn read(&self);
    #[cfg(feature = "tls")]
    fn handshake(&self) {}
}
impl Conn {
    pub fn new() -> Conn { todo!() }
    #[cfg(feature = "tls")]
    pub fn with_tls() -> Conn { todo!() }
    #[cfg(feature = "fast")]
    pub fn turbo(&self) {}
    #[cfg(not(feature = "fast"))]
    pub const SLOW: u32 = 1;
    #[cfg(feature = "fast")]
    pub const FAST: u32 = 2;
    #[cfg_attr(feature = "tls", cfg(unix))]
    pub fn maybe(&self) {}
    #[cfg(custom_cfg)]
    pub fn only_custom() {}
    #[cfg(not(custom_cfg))]
    pub fn only_plain() {}
}
impl Io for Conn {
    fn read(&self) {}
    #[cfg(feature = "tls")]
    type Cert = String;
}
"#;

    fn index(dir: &Path) -> RustIndex {
        let root = dir.join("dep");
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(root.join("src/lib.rs"), LIB).unwrap();
        let features: BTreeSet<String> = ["fast".to_string()].into();
        let info = CrateInfo {
            name: "dep".to_string(),
            package: "dep".to_string(),
            version: "1.0.0".to_string(),
            kind: TargetKind::Lib,
            root_file: root.join("src/lib.rs"),
            edition: "2021".to_string(),
            features,
            deps: Default::default(),
            opaque_deps: Default::default(),
            workspace: false,
        };
        let ws = CargoWorkspace {
            root: PathBuf::from(dir),
            crates: vec![info],
            graph_known: true,
            notes: Vec::new(),
        };
        RustIndex::new(ws, None, HashMap::new(), FactsCache::new(None))
    }

    fn names<'a>(
        members: impl Iterator<Item = &'a crate::syntax::rust::facts::RMember>,
    ) -> Vec<String> {
        members.map(|m| m.name.clone()).collect()
    }

    #[test]
    fn members_under_a_false_cfg_are_gone_unknown_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let index = index(dir.path());
        let root = index.root(0).expect("the crate's root");
        let m = root.module();
        let item = |name: &str| m.items.iter().find(|i| i.name == name).unwrap();
        // Fields and variants: `fast` on, `tls` off; an unknown custom name
        // in an `any` with a true side is true.
        assert_eq!(names(item("Conn").members.iter()), ["host", "speed"]);
        assert_eq!(names(item("Mode").members.iter()), ["Plain", "Quick"]);
        assert_eq!(item("Io").kind, RItemKind::Trait);
        assert_eq!(names(item("Io").members.iter()), ["read"]);
        // Impl items: `cfg_attr(tls, cfg(unix))` does not apply (tls off);
        // a custom cfg keeps both sides.
        let inherent = m.impls.iter().find(|i| i.trait_path.is_none()).unwrap();
        assert_eq!(
            names(inherent.items.iter()),
            ["new", "turbo", "FAST", "maybe", "only_custom", "only_plain"]
        );
        let io = m.impls.iter().find(|i| i.trait_path.is_some()).unwrap();
        assert_eq!(names(io.items.iter()), ["read"]);
        assert!(io.items.iter().all(|i| i.kind != MemberKind::Type));
        // What the crate's impls offer, as the checks ask.
        let impls = index.crate_impls(0);
        let conn = &impls.members["Conn"];
        assert!(conn.contains("turbo") && conn.contains("only_custom"));
        assert!(!conn.contains("with_tls") && !conn.contains("SLOW"));
        assert!(!conn.contains("Cert"));
    }
}
