//! On-disk cache of parsed facts ([`FileFacts`], Rust facts), keyed by the file's path, size and
//! mtime, so a second check parses only what changed (workspace and library
//! files alike). Entries are postcard-encoded; a corrupt or stale entry is a
//! miss, never an error. Writes are atomic (temp file + rename).

use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::syntax::facts::FileFacts;

/// Bump when `FileFacts`, `RustFacts` or a front end changes what it extracts.
const SCHEMA: u32 = 6;

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
    pub fn load_any<T: serde::de::DeserializeOwned>(&self, path: &Path, stamp: Stamp) -> Option<T> {
        let entry_path = self.entry_path(path)?;
        let bytes = crate::regular_file::read(&entry_path).ok()?;
        let entry: Entry<T> = postcard::from_bytes(&bytes).ok()?;
        let same = entry.schema == SCHEMA && entry.stamp == stamp && Path::new(&entry.path) == path;
        same.then_some(entry.facts)
    }

    pub fn store_any<T: Serialize>(&self, path: &Path, stamp: Stamp, facts: &T) {
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
        let Ok(bytes) = postcard::to_stdvec(&entry) else {
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
}
