//! Glob re-exports, which the search index does not record: `pub use core::arch::*;` in
//! `std::arch`, `pub use super::v1::*;` in the edition preludes. rustdoc lists them on the
//! module's page (`<html>/std/arch/index.html`: `<code>pub use core::arch::*;</code>`), which
//! ships in the same rust-docs component as the index. A missing or unreadable page means no
//! globs for that module.

use std::fs;
use std::path::{Path, PathBuf};

/// Reads the glob re-exports of modules from the rustdoc HTML under `html_dir`.
pub(crate) struct GlobReader {
    html_dir: PathBuf,
}

impl GlobReader {
    pub(crate) fn new(html_dir: &Path) -> GlobReader {
        GlobReader {
            html_dir: html_dir.to_path_buf(),
        }
    }

    /// The targets of the glob re-exports of the module shown at `module` ("std::arch"), as
    /// absolute paths ("core::arch"). A path that may be crate-relative or module-relative
    /// (`pub use TestFn::*`) gives both readings; the caller keeps what exists.
    pub(crate) fn globs_of(&self, module: &str) -> Vec<String> {
        let segments: Vec<&str> = module.split("::").collect();
        if segments
            .iter()
            .any(|s| s.is_empty() || s.contains(['/', '\\', '.']))
        {
            return Vec::new();
        }
        let mut page = self.html_dir.clone();
        page.extend(&segments);
        page.push("index.html");
        let Ok(html) = fs::read_to_string(&page) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for target in glob_uses(&html) {
            out.extend(absolute(&segments, &target));
            if !target.starts_with("crate::")
                && !target.starts_with("self::")
                && !target.starts_with("super::")
            {
                out.push(format!("{module}::{target}"));
            }
        }
        out
    }
}

/// The paths of `<code>pub use PATH::*;</code>` on a module page, tags removed.
fn glob_uses(html: &str) -> Vec<String> {
    const OPEN: &str = "<code>pub use ";
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        rest = &rest[at + OPEN.len()..];
        let Some(end) = rest.find("</code>") else {
            break;
        };
        let text = strip_tags(&rest[..end]);
        rest = &rest[end..];
        if let Some(path) = text.trim().strip_suffix("::*;") {
            let path = path.trim();
            if !path.is_empty()
                && path
                    .split("::")
                    .all(|s| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_'))
            {
                out.push(path.to_string());
            }
        }
    }
    out
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// `path` as written in module `segments` (`super::v1`, `self::types::X`, `crate::os::fd`,
/// `core::arch`), made absolute.
fn absolute(segments: &[&str], path: &str) -> Option<String> {
    let mut base: Vec<&str> = segments.to_vec();
    let mut parts = path.split("::").peekable();
    match parts.peek().copied() {
        Some("crate") => {
            base.truncate(1);
            parts.next();
        }
        Some("self") => {
            parts.next();
        }
        Some("super") => {
            while parts.peek() == Some(&"super") {
                parts.next();
                if base.len() <= 1 {
                    return None;
                }
                base.pop();
            }
        }
        _ => base.clear(),
    }
    base.extend(parts);
    (!base.is_empty()).then(|| base.join("::"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_globs_from_a_module_page() {
        let html = r#"<h2 id="reexports">Re-exports</h2><dl><dt id="reexport.panic"><code>pub use super::v1::<a class="macro" href="x">panic</a>;</code></dt>
<dt><code>pub use super::<a class="mod" href="../v1/index.html">v1</a>::*;</code></dt>
<dt><code>pub use core::prelude::<a class="mod" href="y">rust_2021</a>::*;</code></dt></dl>
<pre>use std::arch::x86::*;</pre><code>pub use broken"#;
        assert_eq!(
            glob_uses(html),
            vec!["super::v1", "core::prelude::rust_2021"]
        );
        let m = ["std", "prelude", "rust_2021"];
        assert_eq!(
            absolute(&m, "super::v1").as_deref(),
            Some("std::prelude::v1")
        );
        assert_eq!(absolute(&m, "core::arch").as_deref(), Some("core::arch"));
        assert_eq!(
            absolute(&m, "crate::os::fd").as_deref(),
            Some("std::os::fd")
        );
        assert_eq!(
            absolute(&m, "self::X").as_deref(),
            Some("std::prelude::rust_2021::X")
        );
        assert_eq!(absolute(&["std"], "super::x"), None);

        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("std").join("prelude").join("rust_2021");
        fs::create_dir_all(&page).unwrap();
        fs::write(page.join("index.html"), html).unwrap();
        let r = GlobReader::new(dir.path());
        assert_eq!(
            r.globs_of("std::prelude::rust_2021"),
            vec![
                "std::prelude::v1",
                "core::prelude::rust_2021",
                // The module-relative reading of `core::…`, which resolves to nothing.
                "std::prelude::rust_2021::core::prelude::rust_2021",
            ]
        );
        assert!(r.globs_of("std::nothing").is_empty());
        let t = dir.path().join("test");
        fs::create_dir_all(&t).unwrap();
        fs::write(t.join("index.html"), "<code>pub use TestFn::*;</code>").unwrap();
        assert_eq!(r.globs_of("test"), vec!["TestFn", "test::TestFn"]);
        assert!(r.globs_of("std::..::x").is_empty());
    }
}
