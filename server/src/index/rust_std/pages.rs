//! What the search index does not record, read from rustdoc's HTML pages, which ship in the same
//! rust-docs component as the index:
//! - glob re-exports: `pub use core::arch::*;` in `std::arch`, `pub use super::v1::*;` in the
//!   edition preludes, listed on the module's page (`<html>/std/arch/index.html`:
//!   `<code>pub use core::arch::*;</code>`);
//! - the type a type alias names: `pub type Result<T> = <a … title="enum std::result::Result">`
//!   on `<html>/std/io/type.Result.html`.
//!
//! A missing or unreadable page, or one in another shape, means nothing is known from it.

use std::path::{Path, PathBuf};

/// Reads module and type alias pages of the rustdoc HTML under `html_dir`.
pub(crate) struct PageReader {
    html_dir: PathBuf,
}

impl PageReader {
    pub(crate) fn new(html_dir: &Path) -> PageReader {
        PageReader {
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
        let Ok(html) = crate::regular_file::read_to_string(&page) else {
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

    /// The type the alias shown at `alias` ("std::io::Result") names, when its definition is that
    /// type, possibly with generic arguments: "std::result::Result", or a primitive's name ("i32").
    pub(crate) fn alias_target(&self, alias: &str) -> Option<String> {
        let segments: Vec<&str> = alias.split("::").collect();
        if segments.len() < 2
            || segments
                .iter()
                .any(|s| s.is_empty() || s.contains(['/', '\\', '.']))
        {
            return None;
        }
        let (name, module) = segments.split_last()?;
        let mut page = self.html_dir.clone();
        page.extend(module);
        page.push(format!("type.{name}.html"));
        let html = crate::regular_file::read_to_string(&page).ok()?;
        aliased_type(&html)
    }
}

/// From a type alias page: the type after `=` in `pub type NAME<…> = <a …>`, by the link's
/// `title` ("enum std::result::Result") or, for a primitive, its `href` (`primitive.i32.html`).
fn aliased_type(html: &str) -> Option<String> {
    let decl = html.find("<pre class=\"rust item-decl\"><code>pub type ")?;
    let decl = &html[decl..];
    let decl = &decl[..decl.find("</code>")?];
    let rhs = &decl[decl.find(" = ")? + 3..];
    let tag = &rhs[..rhs.find('>')?];
    if !tag.starts_with("<a ") {
        return None;
    }
    let attr = |name: &str| -> Option<&str> {
        let key = format!("{name}=\"");
        let at = tag.find(&key)? + key.len();
        let v = &tag[at..];
        Some(&v[..v.find('"')?])
    };
    let class = attr("class")?;
    let path = if class == "primitive" {
        let href = attr("href")?;
        let file = href.rsplit('/').next()?;
        file.strip_prefix("primitive.")?
            .strip_suffix(".html")?
            .to_string()
    } else {
        attr("title")?.split_once(' ')?.1.to_string()
    };
    let ok = !path.is_empty()
        && path
            .split("::")
            .all(|s| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_'));
    ok.then_some(path)
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
    use std::fs;

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
        let r = PageReader::new(dir.path());
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

    #[test]
    fn reads_alias_targets() {
        let io = r#"<h1>Type Alias <span>Result</span></h1><pre class="rust item-decl"><code>pub type Result&lt;T&gt; = <a class="enum" href="../result/enum.Result.html" title="enum std::result::Result">Result</a>&lt;T, <a class="struct" href="struct.Error.html" title="struct std::io::Error">Error</a>&gt;;</code></pre>"#;
        assert_eq!(aliased_type(io).as_deref(), Some("std::result::Result"));
        let c_int = r#"<pre class="rust item-decl"><code>pub type c_int = <a class="primitive" href="../primitive.i32.html">i32</a>;</code></pre>"#;
        assert_eq!(aliased_type(c_int).as_deref(), Some("i32"));
        let reference = r#"<pre class="rust item-decl"><code>pub type X = &amp;'static <a class="primitive" href="../primitive.str.html">str</a>;</code></pre>"#;
        assert_eq!(aliased_type(reference), None);
        assert_eq!(aliased_type("<html>garbage"), None);

        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("std").join("io")).unwrap();
        fs::write(
            dir.path().join("std").join("io").join("type.Result.html"),
            io,
        )
        .unwrap();
        let r = PageReader::new(dir.path());
        assert_eq!(
            r.alias_target("std::io::Result").as_deref(),
            Some("std::result::Result")
        );
        assert_eq!(r.alias_target("std::io::Nope"), None);
        assert_eq!(r.alias_target("std"), None);
    }
}
