//! Which language a file is checked as: `.py`/`.pyi` Python, `.rs` Rust, and
//! an extensionless file whose first line is a `python` shebang (a script
//! such as `bin/deploy`) Python. Anything else is no source of ours: a file
//! named on the command line that is neither is skipped with a note.

use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Python,
    Rust,
}

impl Lang {
    /// The extensions a directory walk picks up for this language. Scripts
    /// without an extension are checked only when named (as ruff does).
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Lang::Python => &["py", "pyi"],
            Lang::Rust => &["rs"],
        }
    }
}

/// The language of the file at `path`, or `None` when it is not a source
/// Grounded checks. Only a regular file's first line is ever read.
pub fn lang_of(path: &Path) -> Option<Lang> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("py" | "pyi") => Some(Lang::Python),
        Some("rs") => Some(Lang::Rust),
        Some(_) => None,
        None => python_shebang(path).then_some(Lang::Python),
    }
}

/// Whether the file starts with `#!` naming a Python interpreter
/// (`#!/usr/bin/env python3`, `#!/usr/bin/python3.12 -u`).
fn python_shebang(path: &Path) -> bool {
    // A FIFO or device is never opened: it could block forever.
    let mut head = [0u8; 256];
    match crate::regular_file::read_head(path, &mut head) {
        Ok(n) => is_python_shebang(&head[..n]),
        Err(_) => false,
    }
}

fn is_python_shebang(head: &[u8]) -> bool {
    let Some(rest) = head.strip_prefix(b"#!") else {
        return false;
    };
    let end = rest
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(rest.len());
    let line = String::from_utf8_lossy(&rest[..end]);
    let mut words = line.split_whitespace();
    let Some(program) = words.next() else {
        return false;
    };
    let name = |w: &str| w.rsplit('/').next().unwrap_or(w).starts_with("python");
    if name(program) {
        return true;
    }
    // `#!/usr/bin/env [-S] [VAR=x] python3`
    program.ends_with("/env")
        && words
            .find(|w| !w.starts_with('-') && !w.contains('='))
            .is_some_and(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shebangs_that_name_python() {
        for yes in [
            "#!/usr/bin/env python3\n",
            "#!/usr/bin/python3.12 -u\n",
            "#! /usr/bin/env -S python3 -X dev\n",
            "#!/opt/venv/bin/python\r\nimport x",
            "#!/usr/bin/env PYTHONPATH=. python\n",
        ] {
            assert!(is_python_shebang(yes.as_bytes()), "{yes:?}");
        }
        for no in [
            "#!/bin/sh\nexec python3 x\n",
            "#!/usr/bin/env bash\n",
            "import os\n",
            "",
            "#!/usr/bin/env node # python\n",
        ] {
            assert!(!is_python_shebang(no.as_bytes()), "{no:?}");
        }
    }

    #[test]
    fn languages_by_extension_and_shebang() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            p
        };
        assert_eq!(lang_of(&write("a.py", "")), Some(Lang::Python));
        assert_eq!(lang_of(&write("a.pyi", "")), Some(Lang::Python));
        assert_eq!(lang_of(&write("lib.rs", "")), Some(Lang::Rust));
        assert_eq!(
            lang_of(&write("notes.txt", "#!/usr/bin/env python3\n")),
            None
        );
        assert_eq!(
            lang_of(&write("deploy", "#!/usr/bin/env python3\n")),
            Some(Lang::Python)
        );
        assert_eq!(lang_of(&write("run", "#!/bin/sh\n")), None);
        assert_eq!(lang_of(dir.path()), None);
    }
}
