//! On-disk cache of the std model: one postcard file per toolchain directory (sysroot), valid
//! while the toolchain's `bin/rustc` and the search index root file keep their size and mtime
//! (the root names every chunk by its hash, so it changes whenever the index does; a toolchain
//! update replaces both). It also keeps the toolchain's `rustc -V`, so a hit runs nothing.
//! A missing, stale or corrupt file is a miss, never an error. Writes are atomic (temp file +
//! rename) and replace the toolchain's previous file.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::model::Model;

/// Bump when the model or the way it is built changes.
const SCHEMA: u32 = 3;

/// Size and mtime of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct FileStamp {
    size: u64,
    mtime_ns: u128,
}

impl FileStamp {
    fn of(path: &Path) -> Option<FileStamp> {
        let meta = fs::metadata(path).ok()?;
        let mtime = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(FileStamp {
            size: meta.len(),
            mtime_ns: mtime.as_nanos(),
        })
    }
}

/// What a cached model is valid for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Key {
    schema: u32,
    sysroot: String,
    /// The toolchain's own `bin/rustc`; None where there is none.
    rustc: Option<FileStamp>,
    root_file: String,
    root: FileStamp,
}

impl Key {
    /// None when the root file's metadata cannot be read (then nothing is cached).
    pub(crate) fn new(sysroot: &Path, rustc: &Path, root_file: &Path) -> Option<Key> {
        Some(Key {
            schema: SCHEMA,
            sysroot: sysroot.to_string_lossy().into_owned(),
            rustc: FileStamp::of(rustc),
            root_file: root_file.to_string_lossy().into_owned(),
            root: FileStamp::of(root_file)?,
        })
    }

    fn file(&self, dir: &Path) -> PathBuf {
        dir.join(format!(
            "rust-std-v{SCHEMA}-{:016x}.postcard",
            fnv1a(self.sysroot.as_bytes())
        ))
    }
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    key: Key,
    toolchain: String,
    model: Model,
}

#[derive(Serialize)]
struct CacheFileRef<'a> {
    key: &'a Key,
    toolchain: &'a str,
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

/// The cached toolchain name and model, if the cache holds them for `key`.
pub(crate) fn read(dir: &Path, key: &Key) -> Option<(String, Model)> {
    let bytes = crate::regular_file::read(&key.file(dir)).ok()?;
    let file: CacheFile = postcard::from_bytes(&bytes).ok()?;
    (file.key == *key).then_some((file.toolchain, file.model))
}

/// Failures are ignored: the cache is an optimisation.
pub(crate) fn write(dir: &Path, key: &Key, toolchain: &str, model: &Model) {
    let Ok(bytes) = postcard::to_stdvec(&CacheFileRef {
        key,
        toolchain,
        model,
    }) else {
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
