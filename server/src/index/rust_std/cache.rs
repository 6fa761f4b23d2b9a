//! On-disk cache of the std model: one postcard file per toolchain, keyed by the toolchain's
//! `rustc -V`, its sysroot and the search index root file's name, size and mtime (the root
//! names every chunk by its hash, so it changes whenever the index does). A missing, stale or
//! corrupt file is a miss, never an error. Writes are atomic (temp file + rename).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::model::Model;

/// Bump when the model or the way it is built changes.
const SCHEMA: u32 = 1;

/// What a cached model is valid for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Key {
    schema: u32,
    toolchain: String,
    sysroot: String,
    root_file: String,
    size: u64,
    mtime_ns: u128,
}

impl Key {
    /// None when the root file's metadata cannot be read (then nothing is cached).
    pub(crate) fn new(toolchain: &str, sysroot: &Path, root_file: &Path) -> Option<Key> {
        let meta = fs::metadata(root_file).ok()?;
        let mtime = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(Key {
            schema: SCHEMA,
            toolchain: toolchain.to_string(),
            sysroot: sysroot.to_string_lossy().into_owned(),
            root_file: root_file.to_string_lossy().into_owned(),
            size: meta.len(),
            mtime_ns: mtime.as_nanos(),
        })
    }

    fn file(&self, dir: &Path) -> PathBuf {
        let bytes = postcard::to_stdvec(self).unwrap_or_default();
        dir.join(format!(
            "rust-std-v{SCHEMA}-{:016x}.postcard",
            fnv1a(&bytes)
        ))
    }
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    key: Key,
    model: Model,
}

#[derive(Serialize)]
struct CacheFileRef<'a> {
    key: &'a Key,
    model: &'a Model,
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

pub(crate) fn read(dir: &Path, key: &Key) -> Option<Model> {
    let bytes = fs::read(key.file(dir)).ok()?;
    let file: CacheFile = postcard::from_bytes(&bytes).ok()?;
    (file.key == *key).then_some(file.model)
}

/// Failures are ignored: the cache is an optimisation.
pub(crate) fn write(dir: &Path, key: &Key, model: &Model) {
    let Ok(bytes) = postcard::to_stdvec(&CacheFileRef { key, model }) else {
        return;
    };
    if fs::create_dir_all(dir).is_err() {
        return;
    }
    let target = key.file(dir);
    let nanos = std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let tmp = dir.join(format!(
        ".{}.{}.{nanos}.tmp",
        target
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        std::process::id()
    ));
    if fs::write(&tmp, bytes).is_ok() && fs::rename(&tmp, &target).is_err() {
        let _ = fs::remove_file(&tmp);
    }
}
