//! On-disk cache of parsed facts ([`FileFacts`], Rust facts), keyed by the file's path, size and
//! mtime, so a second check parses only what changed (workspace and library
//! files alike). Writes are atomic (temp file + rename).
//!
//! An entry is the postcard encoding followed by its SHA-256. A disk, a
//! copy or a hand can damage an entry, and postcard decodes most damaged
//! bytes into other, valid-looking facts (a name spelled differently, an
//! index past its vector): so an entry whose checksum does not match, that
//! does not decode, or whose facts are not [consistent](Facts::is_consistent)
//! is a miss — the file is parsed again and the entry rewritten — never an
//! error, a wrong answer or a panic.

use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::syntax::facts::FileFacts;
use crate::syntax::rust::facts::RustFacts;

/// Bump when `FileFacts`, `RustFacts`, a front end changes what it extracts,
/// or the entry's layout changes (6: the trailing checksum; 7: nesting cuts;
/// 8: `__getattr__` bodies, literal collections, `globals()` names; 9: functional
/// classes, `__slots__`, extra-attribute configuration, `TYPE_CHECKING`-only names).
const SCHEMA: u32 = 9;

/// Length of the checksum that ends every entry.
const CHECKSUM_LEN: usize = 32;

/// Facts a front end stores in the cache.
pub trait Facts: Serialize + serde::de::DeserializeOwned {
    /// Whether the ids inside the facts are ones the analysis may index
    /// with (the checksum catches damage; this, facts that decode but
    /// would still not hold together).
    fn is_consistent(&self) -> bool;
}

impl Facts for FileFacts {
    fn is_consistent(&self) -> bool {
        FileFacts::is_consistent(self)
    }
}

impl Facts for RustFacts {
    fn is_consistent(&self) -> bool {
        RustFacts::is_consistent(self)
    }
}

/// What identifies one version of a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub size: u64,
    pub mtime_ns: u128,
}

impl Stamp {
    pub fn of(meta: &fs::Metadata) -> Option<Stamp> {
        let mtime = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(Stamp {
            size: meta.len(),
            mtime_ns: mtime.as_nanos(),
        })
    }
}

#[derive(Serialize, Deserialize)]
struct Entry<T> {
    schema: u32,
    path: String,
    stamp: Stamp,
    facts: T,
}

#[derive(Clone, Debug)]
pub struct FactsCache {
    dir: Option<PathBuf>,
}

impl FactsCache {
    /// `cache_root`: Grounded's cache directory; None disables the cache.
    ///
    /// Entries are only valid for the build that wrote them (a new front end
    /// extracts different facts), so the directory is named after this
    /// executable's size and mtime; other builds' directories are removed.
    pub fn new(cache_root: Option<&Path>) -> FactsCache {
        let Some(root) = cache_root else {
            return FactsCache { dir: None };
        };
        let dir = root.join(format!("facts-v{SCHEMA}-{:016x}", build_fingerprint()));
        if !dir.exists() {
            if let Ok(entries) = fs::read_dir(root) {
                for e in entries.flatten() {
                    let name = e.file_name().to_string_lossy().into_owned();
                    if name.starts_with("facts-v") {
                        let _ = fs::remove_dir_all(e.path());
                    }
                }
            }
        }
        FactsCache { dir: Some(dir) }
    }

    pub fn disabled() -> FactsCache {
        FactsCache { dir: None }
    }

    fn entry_path(&self, path: &Path) -> Option<PathBuf> {
        let dir = self.dir.as_ref()?;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        path.hash(&mut h);
        let key = format!("{:016x}", h.finish());
        Some(dir.join(&key[..2]).join(&key[2..]))
    }

    pub fn load(&self, path: &Path, stamp: Stamp) -> Option<FileFacts> {
        self.load_any(path, stamp)
    }

    pub fn store(&self, path: &Path, stamp: Stamp, facts: &FileFacts) {
        self.store_any(path, stamp, facts)
    }

    /// Facts of any front end (the key is the file's path, so a `.rs` and a
    /// `.py` file never share an entry).
    pub fn load_any<T: Facts>(&self, path: &Path, stamp: Stamp) -> Option<T> {
        let entry_path = self.entry_path(path)?;
        let bytes = crate::regular_file::read(&entry_path).ok()?;
        let entry: Entry<T> = decode(&bytes)?;
        let same = entry.schema == SCHEMA
            && entry.stamp == stamp
            && Path::new(&entry.path) == path
            && entry.facts.is_consistent();
        same.then_some(entry.facts)
    }

    pub fn store_any<T: Facts>(&self, path: &Path, stamp: Stamp, facts: &T) {
        let Some(entry_path) = self.entry_path(path) else {
            return;
        };
        // Serialize a borrowed view: FileFacts is cloned only if encoding needs it.
        let entry = EntryRef {
            schema: SCHEMA,
            path: &path.to_string_lossy(),
            stamp,
            facts,
        };
        let Some(bytes) = encode(&entry) else {
            return;
        };
        let Some(parent) = entry_path.parent() else {
            return;
        };
        if fs::create_dir_all(parent).is_err() {
            return;
        }
        let tmp = parent.join(format!(
            ".{}.{}.tmp",
            entry_path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        if fs::write(&tmp, bytes).is_ok() && fs::rename(&tmp, &entry_path).is_err() {
            let _ = fs::remove_file(&tmp);
        }
    }
}

/// An entry's bytes: the encoding, then its checksum.
fn encode<T: Serialize>(entry: &T) -> Option<Vec<u8>> {
    let mut bytes = postcard::to_stdvec(entry).ok()?;
    let checksum = Sha256::digest(&bytes);
    bytes.extend_from_slice(&checksum);
    Some(bytes)
}

/// The entry in `bytes`, when its checksum matches and it decodes.
fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    let split = bytes.len().checked_sub(CHECKSUM_LEN)?;
    let (body, checksum) = bytes.split_at(split);
    if Sha256::digest(body).as_slice() != checksum {
        return None;
    }
    postcard::from_bytes(body).ok()
}

/// Identifies the running build of Grounded.
fn build_fingerprint() -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    if let Some(stamp) = std::env::current_exe()
        .ok()
        .and_then(|exe| fs::metadata(exe).ok())
        .and_then(|m| Stamp::of(&m))
    {
        stamp.size.hash(&mut h);
        stamp.mtime_ns.hash(&mut h);
    }
    h.finish()
}

#[derive(Serialize)]
struct EntryRef<'a, T> {
    schema: u32,
    path: &'a str,
    stamp: Stamp,
    facts: &'a T,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn round_trip_and_staleness() {
        let dir = tempfile::tempdir().unwrap();
        let cache = FactsCache::new(Some(dir.path()));
        let src = dir.path().join("m.py");
        fs::write(&src, "import os\nos.path.join('a')\n").unwrap();
        let stamp = Stamp::of(&fs::metadata(&src).unwrap()).unwrap();
        let facts = crate::syntax::python::parse("import os\nos.path.join('a')\n");
        assert!(cache.load(&src, stamp).is_none());
        cache.store(&src, stamp, &facts);
        let loaded = cache.load(&src, stamp).expect("hit");
        assert_eq!(loaded.imports.len(), 1);
        assert_eq!(loaded.attr_refs.len(), facts.attr_refs.len());
        // A different size or mtime is a miss.
        let newer = Stamp {
            size: stamp.size + 1,
            ..stamp
        };
        assert!(cache.load(&src, newer).is_none());
    }

    #[test]
    fn corrupt_entries_are_misses() {
        let dir = tempfile::tempdir().unwrap();
        let cache = FactsCache::new(Some(dir.path()));
        let src = dir.path().join("m.py");
        let stamp = Stamp {
            size: 1,
            mtime_ns: 1,
        };
        let entry = cache.entry_path(&src).unwrap();
        fs::create_dir_all(entry.parent().unwrap()).unwrap();
        fs::write(&entry, b"\xff\x00garbage").unwrap();
        assert!(cache.load(&src, stamp).is_none());
        // And a store over it repairs it.
        cache.store(&src, stamp, &crate::syntax::python::parse("x = 1\n"));
        assert!(cache.load(&src, stamp).is_some());
    }

    /// Python that exercises every kind of id the facts hold: scopes of
    /// each kind, classes, methods (self and cls), guards, imports under
    /// `try`, names, attribute chains, `hasattr` conditions.
    const PYTHON: &str = "import os\nimport sys\ntry:\n    import json\nexcept ImportError:\n    json = None\n\
__all__ = ['Box', 'make']\n\nclass Box(object):\n    size: int = 3\n    def __init__(self, n: int = 1) -> None:\n\
        self.n = n\n    @classmethod\n    def make(cls, *args, **kw):\n        return cls(len(args))\n\
    def each(self):\n        return [lambda y: y + x for x in range(self.n)]\n\n\
if sys.version_info >= (3, 8) and not hasattr(os, 'fork'):\n    def make():\n        return Box.make()\n\
else:\n    make = Box\n\nprint(os.path.joinx('a'), json.dumps(1), undefined_thing)\n";

    fn entry_of(cache: &FactsCache, src: &Path) -> PathBuf {
        cache.entry_path(src).unwrap()
    }

    /// Every single flipped bit of a real entry — in the encoding or in its
    /// checksum — is a miss; a store then writes the entry again.
    #[test]
    fn every_flipped_bit_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = FactsCache::new(Some(dir.path()));
        let src = dir.path().join("m.py");
        let stamp = Stamp {
            size: PYTHON.len() as u64,
            mtime_ns: 7,
        };
        let facts = crate::syntax::python::parse(PYTHON);
        cache.store(&src, stamp, &facts);
        let clean = fs::read(entry_of(&cache, &src)).unwrap();
        assert!(decode::<Entry<FileFacts>>(&clean).is_some());
        for bit in 0..clean.len() * 8 {
            let mut bytes = clean.clone();
            bytes[bit / 8] ^= 1 << (bit % 8);
            assert!(
                decode::<Entry<FileFacts>>(&bytes).is_none(),
                "bit {bit} of {} flipped still decodes",
                clean.len() * 8
            );
        }
        // Through the files: damaged, a miss; stored again, the clean entry.
        for at in [0, clean.len() / 2, clean.len() - 1] {
            let mut bytes = clean.clone();
            bytes[at] ^= 0x10;
            fs::write(entry_of(&cache, &src), &bytes).unwrap();
            assert!(cache.load(&src, stamp).is_none(), "byte {at}");
            cache.store(&src, stamp, &facts);
            assert_eq!(fs::read(entry_of(&cache, &src)).unwrap(), clean);
        }
        // Cut short, or only a checksum: misses too.
        for len in [0, CHECKSUM_LEN - 1, CHECKSUM_LEN, clean.len() - 1] {
            fs::write(entry_of(&cache, &src), &clean[..len]).unwrap();
            assert!(cache.load(&src, stamp).is_none(), "{len} bytes");
        }
    }

    /// Damage under a checksum that matches (a cache written by a faulty
    /// build, or by hand): each byte changed in three ways decodes to
    /// nothing or to facts whose ids all hold, and checking them does not
    /// panic.
    #[test]
    fn damaged_python_facts_with_a_valid_checksum_never_panic() {
        use crate::index::module_finder::FileKind;
        use crate::index::{Index, IndexOptions, Module, Origin};
        let dir = tempfile::tempdir().unwrap();
        let cache = FactsCache::new(Some(&dir.path().join("cache")));
        let src = dir.path().join("m.py");
        let stamp = Stamp {
            size: PYTHON.len() as u64,
            mtime_ns: 7,
        };
        cache.store(&src, stamp, &crate::syntax::python::parse(PYTHON));
        let clean = fs::read(entry_of(&cache, &src)).unwrap();
        let body = &clean[..clean.len() - CHECKSUM_LEN];
        let index = Index::new(
            None,
            None,
            IndexOptions {
                workspace_roots: vec![dir.path().to_path_buf()],
                preparsed: std::collections::HashMap::new(),
                open_modules: None,
                facts_cache: FactsCache::disabled(),
                memory: None,
                finder: None,
            },
        );
        let (mut rejected, mut accepted) = (0, 0);
        for at in 0..body.len() {
            for mask in [0x01u8, 0x80, 0xff] {
                let mut damaged = body.to_vec();
                damaged[at] ^= mask;
                let checksum = Sha256::digest(&damaged);
                damaged.extend_from_slice(&checksum);
                fs::write(entry_of(&cache, &src), &damaged).unwrap();
                let Some(facts) = cache.load(&src, stamp) else {
                    rejected += 1;
                    continue;
                };
                accepted += 1;
                assert!(facts.is_consistent());
                let module = Arc::new(Module {
                    name: "m".into(),
                    file: Some(src.clone()),
                    kind: FileKind::Source,
                    origin: Origin::Workspace,
                    package_dirs: vec![],
                    facts: Some(Arc::new(facts)),
                    submodules: Default::default(),
                    configured_open: false,
                    package_known: true,
                    runtime_companion: false,
                });
                let shared = crate::analysis::eval::SharedCache::default();
                crate::analysis::check_file(&index, &shared, module);
            }
        }
        // Both happen: ids out of range are refused, a changed name is not
        // something the facts themselves can tell.
        assert!(rejected > 0 && accepted > 0, "{rejected} {accepted}");
    }

    /// The same for Rust facts, checked against a one-crate workspace.
    #[test]
    fn damaged_rust_facts_with_a_valid_checksum_never_panic() {
        use crate::index::cargo::{CargoWorkspace, CrateInfo, TargetKind};
        use crate::index::rust::{load_rust_facts, RustIndex};
        let rust = "//! Docs.\nuse std::collections::HashMap;\nmod inner {\n    pub fn deep() {}\n    \
pub mod more { pub struct S; }\n}\npub struct App { map: HashMap<String, u8> }\nimpl App {\n    \
pub fn run(&self, n: u8) -> u8 {\n        let v: Vec<u8> = Vec::new();\n        let m = HashMap::<u8, u8>::new();\n        \
inner::deep();\n        inner::more::S;\n        v.len();\n        m.get(&n);\n        \
self.map.len() as u8 + std::cmp::max(n, 1)\n    }\n}\nfn f() { let c = |x: u8| x; c(1); }\n";
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("app");
        let file = root.join("src/lib.rs");
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(&file, rust).unwrap();
        let cache = FactsCache::new(Some(&dir.path().join("cache")));
        let ws = CargoWorkspace {
            root: root.clone(),
            crates: vec![CrateInfo {
                name: "app".to_string(),
                package: "app".to_string(),
                version: "1.0.0".to_string(),
                kind: TargetKind::Lib,
                root_file: file.clone(),
                edition: "2021".to_string(),
                features: Default::default(),
                deps: Default::default(),
                opaque_deps: Default::default(),
                workspace: true,
            }],
            graph_known: true,
            notes: Vec::new(),
        };
        load_rust_facts(&file, &cache).expect("parsed and stored");
        let clean = fs::read(entry_of(&cache, &file)).unwrap();
        let body = &clean[..clean.len() - CHECKSUM_LEN];
        let (mut rejected, mut accepted) = (0, 0);
        for at in 0..body.len() {
            for mask in [0x01u8, 0x80, 0xff] {
                let mut damaged = body.to_vec();
                damaged[at] ^= mask;
                let checksum = Sha256::digest(&damaged);
                damaged.extend_from_slice(&checksum);
                fs::write(entry_of(&cache, &file), &damaged).unwrap();
                let stamp = Stamp::of(&fs::metadata(&file).unwrap()).unwrap();
                let Some(facts) = cache.load_any::<RustFacts>(&file, stamp) else {
                    rejected += 1;
                    continue;
                };
                accepted += 1;
                assert!(facts.is_consistent());
                // The index reads the damaged entry too (for the crate root).
                let index = RustIndex::new(
                    ws.clone(),
                    None,
                    std::collections::HashMap::new(),
                    cache.clone(),
                );
                crate::analysis::rust::check_rust_file(&index, &file, Arc::new(facts));
            }
        }
        assert!(rejected > 0 && accepted > 0, "{rejected} {accepted}");
    }
}
