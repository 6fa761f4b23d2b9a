//! Finding a module's file on disk, the way Python's path finder does, with
//! stubs first: `pkg-stubs/` (site-packages), then in each directory a package
//! (`__init__.pyi` before `__init__.py`), a module (`.pyi` before `.py`), a
//! compiled extension, and finally namespace-package portions.
//!
//! Directory listings are cached: resolving thousands of imports costs one
//! `read_dir` per directory, not one `stat` per candidate.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use dashmap::DashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Source,
    Stub,
    Compiled,
    Namespace,
}

/// Where a module was found.
#[derive(Debug, Clone)]
pub struct Located {
    /// The file holding the module's code (`__init__.py(i)` for packages); None
    /// for namespace packages.
    pub file: Option<PathBuf>,
    pub kind: FileKind,
    /// For packages: the directories of `__path__`.
    pub package_dirs: Vec<PathBuf>,
    /// The search root it was found under.
    pub root: PathBuf,
}

#[derive(Default, Debug)]
struct Listing {
    /// name → is_dir
    entries: HashMap<String, bool>,
}

#[derive(Default)]
pub struct ModuleFinder {
    listings: DashMap<PathBuf, Arc<Listing>>,
}

impl ModuleFinder {
    /// Forget every listing (files were created or removed).
    pub fn clear(&self) {
        self.listings.clear();
    }

    fn listing(&self, dir: &Path) -> Arc<Listing> {
        if let Some(l) = self.listings.get(dir) {
            return l.clone();
        }
        let mut listing = Listing::default();
        if let Ok(rd) = std::fs::read_dir(dir) {
            for entry in rd.flatten() {
                let Ok(name) = entry.file_name().into_string() else {
                    continue;
                };
                // As CPython's finder: a module is a directory or a regular
                // file (links followed); a FIFO, socket or device named
                // `mod.py` is no module, and is never opened.
                let Ok(t) = entry.file_type() else {
                    continue;
                };
                let (is_dir, is_file) = if t.is_symlink() {
                    match std::fs::metadata(entry.path()) {
                        Ok(m) => (m.is_dir(), m.is_file()),
                        Err(_) => (false, false),
                    }
                } else {
                    (t.is_dir(), t.is_file())
                };
                if is_dir || is_file {
                    listing.entries.insert(name, is_dir);
                }
            }
        }
        let listing = Arc::new(listing);
        self.listings.insert(dir.to_path_buf(), listing.clone());
        listing
    }

    fn has_file(&self, dir: &Path, name: &str) -> bool {
        self.listing(dir).entries.get(name) == Some(&false)
    }

    fn has_dir(&self, dir: &Path, name: &str) -> bool {
        self.listing(dir).entries.get(name) == Some(&true)
    }

    /// Names of the modules directly inside a package's directories.
    pub fn submodules(&self, dirs: &[PathBuf]) -> Vec<String> {
        let mut out = Vec::new();
        for dir in dirs {
            let listing = self.listing(dir);
            for (name, is_dir) in &listing.entries {
                let module = if *is_dir {
                    if is_identifier(name) {
                        Some(name.as_str())
                    } else {
                        None
                    }
                } else {
                    module_name_of_file(name)
                };
                if let Some(m) = module {
                    if m != "__init__" && is_identifier(m) {
                        out.push(m.to_string());
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Find `part` (one name segment) in the given directories, in order.
    /// `stubs_first_dirs`: directories where a `part-stubs` package is honoured.
    pub fn find_in(&self, dirs: &[PathBuf], part: &str, stub_dirs: &[PathBuf]) -> Option<Located> {
        let mut namespace_portions: Vec<PathBuf> = Vec::new();
        let mut namespace_root: Option<PathBuf> = None;
        // PEP 561: a `-stubs` package anywhere on the path wins over the runtime package.
        let stub_name = format!("{part}-stubs");
        for dir in stub_dirs {
            if self.has_dir(dir, &stub_name) {
                let pkg = dir.join(&stub_name);
                if self.has_file(&pkg, "__init__.pyi") {
                    return Some(Located {
                        file: Some(pkg.join("__init__.pyi")),
                        kind: FileKind::Stub,
                        package_dirs: vec![pkg],
                        root: dir.clone(),
                    });
                }
            }
        }
        for dir in dirs {
            if self.has_dir(dir, part) {
                let pkg = dir.join(part);
                for (init, kind) in [
                    ("__init__.pyi", FileKind::Stub),
                    ("__init__.py", FileKind::Source),
                ] {
                    if self.has_file(&pkg, init) {
                        return Some(Located {
                            file: Some(pkg.join(init)),
                            kind,
                            package_dirs: vec![pkg],
                            root: dir.clone(),
                        });
                    }
                }
                if let Some(init) = self.compiled_file(&pkg, "__init__") {
                    return Some(Located {
                        file: Some(init),
                        kind: FileKind::Compiled,
                        package_dirs: vec![pkg],
                        root: dir.clone(),
                    });
                }
            }
            for (ext, kind) in [("pyi", FileKind::Stub), ("py", FileKind::Source)] {
                let file = format!("{part}.{ext}");
                if self.has_file(dir, &file) {
                    return Some(Located {
                        file: Some(dir.join(file)),
                        kind,
                        package_dirs: Vec::new(),
                        root: dir.clone(),
                    });
                }
            }
            if let Some(so) = self.compiled_file(dir, part) {
                return Some(Located {
                    file: Some(so),
                    kind: FileKind::Compiled,
                    package_dirs: Vec::new(),
                    root: dir.clone(),
                });
            }
            if self.has_dir(dir, part) && is_identifier(part) {
                namespace_root.get_or_insert_with(|| dir.clone());
                namespace_portions.push(dir.join(part));
            }
        }
        if !namespace_portions.is_empty() {
            return Some(Located {
                file: None,
                kind: FileKind::Namespace,
                package_dirs: namespace_portions,
                root: namespace_root.unwrap_or_default(),
            });
        }
        None
    }

    /// The compiled extension of module `part` in `dir` (`part.so`,
    /// `part.cpython-311-x86_64-linux-gnu.so`, `part.pyd`…).
    pub fn compiled_file(&self, dir: &Path, part: &str) -> Option<PathBuf> {
        let listing = self.listing(dir);
        let prefix = format!("{part}.");
        listing
            .entries
            .iter()
            .filter(|(name, is_dir)| !**is_dir && name.starts_with(&prefix))
            .map(|(name, _)| name)
            .find(|name| {
                let rest = &name[prefix.len()..];
                rest == "so"
                    || rest == "pyd"
                    || (rest.ends_with(".so") && !rest[..rest.len() - 3].contains('/'))
                    || rest.ends_with(".pyd")
            })
            .map(|name| dir.join(name))
    }
}

/// `foo.py` → `foo`, `foo.pyi` → `foo`, `foo.cpython-311-x86_64-linux-gnu.so` → `foo`.
pub fn module_name_of_file(file: &str) -> Option<&str> {
    if let Some(stem) = file.strip_suffix(".pyi") {
        return Some(stem);
    }
    if let Some(stem) = file.strip_suffix(".py") {
        return Some(stem);
    }
    if file.ends_with(".so") || file.ends_with(".pyd") {
        return file.split('.').next();
    }
    None
}

pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c == '_' || c.is_alphabetic() => {}
        _ => return false,
    }
    chars.all(|c| c == '_' || c.is_alphanumeric())
}
