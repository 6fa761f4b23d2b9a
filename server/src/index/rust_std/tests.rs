//! Tests against the real toolchain (skipped, with a message, where there is no rustc or no
//! rust-docs), against small synthetic indexes written by the encoder below (everywhere), and
//! against truncated and garbled copies of the real index files.

use super::siphash::siphash13;
use super::*;
use std::collections::VecDeque;
use std::fs;
use std::sync::OnceLock;

use StdItemKind as K;

// ---------------------------------------------------------------------------------------------
// The real toolchain
// ---------------------------------------------------------------------------------------------

/// The sysroot of `rustc` when it has a search index; None (with a message) otherwise.
fn real_sysroot() -> Option<PathBuf> {
    let rustc = std::env::var_os("RUSTC")
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| OsString::from("rustc"));
    let sysroot = match run_rustc(&rustc, &["--print", "sysroot"]) {
        Ok(s) => PathBuf::from(s),
        Err(e) => {
            eprintln!("skipping: no rustc toolchain ({e})");
            return None;
        }
    };
    if !index_dir(&sysroot).is_dir() {
        eprintln!(
            "skipping: no rustdoc search index at {} (the rust-docs component is not installed)",
            index_dir(&sysroot).display()
        );
        return None;
    }
    Some(sysroot)
}

/// The real toolchain's index, loaded once. Where the index exists it must load.
fn real() -> Option<Arc<StdIndex>> {
    static REAL: OnceLock<Option<Arc<StdIndex>>> = OnceLock::new();
    REAL.get_or_init(|| {
        real_sysroot()?;
        Some(StdIndex::load(None).unwrap_or_else(|e| panic!("the toolchain's std index: {e}")))
    })
    .clone()
}

fn names(members: &[StdMember]) -> Vec<&str> {
    members.iter().map(|m| m.name.as_str()).collect()
}

fn member<'a>(members: &'a [StdMember], name: &str) -> Vec<&'a StdMember> {
    members.iter().filter(|m| m.name == name).collect()
}

#[test]
fn real_kinds_of_paths() {
    let Some(idx) = real() else { return };
    assert!(idx.toolchain().starts_with("rustc "), "{}", idx.toolchain());
    let crates = idx.crates();
    for c in ["std", "core", "alloc", "proc_macro", "test"] {
        assert!(crates.contains(&c), "{crates:?}");
    }
    assert_eq!(idx.kinds_of("std::collections::HashMap"), vec![K::Struct]);
    assert_eq!(
        idx.kinds_of("std::collections::hash_map::HashMap"),
        vec![K::Struct]
    );
    assert_eq!(idx.kinds_of("std::collections::HashMapp"), vec![]);
    assert_eq!(idx.kinds_of("std::vec"), vec![K::Module, K::Macro]);
    assert_eq!(idx.kinds_of("std::println"), vec![K::Macro]);
    assert_eq!(idx.kinds_of("std::vec::Vec"), vec![K::Struct]);
    assert_eq!(idx.kinds_of("alloc::vec::Vec"), vec![K::Struct]);
    assert_eq!(idx.kinds_of("::std::vec::Vec"), vec![K::Struct]);
    assert_eq!(idx.kinds_of("std::option::Option"), vec![K::Enum]);
    assert_eq!(idx.kinds_of("core::iter::Iterator"), vec![K::Trait]);
    assert_eq!(idx.kinds_of("std"), vec![K::Module]);
    assert_eq!(idx.kinds_of("core"), vec![K::Module]);
    // Associated items and variants through their owner.
    assert_eq!(idx.kinds_of("std::vec::Vec::new"), vec![K::Method]);
    assert_eq!(idx.kinds_of("std::vec::Vec::with_len"), vec![]);
    assert_eq!(idx.kinds_of("std::option::Option::Some"), vec![K::Variant]);
    assert_eq!(idx.kinds_of("str::len"), vec![K::Method]);
    assert_eq!(idx.kinds_of("u8::MAX"), vec![K::AssocConst]);
    // Primitives by name; `std::str` is the module, `std::primitive::str` the type.
    assert_eq!(idx.kinds_of("str"), vec![K::Primitive]);
    assert_eq!(idx.kinds_of("std::primitive::str"), vec![K::Primitive]);
    assert_eq!(idx.kinds_of("core::primitive::u8"), vec![K::Primitive]);
    assert_eq!(idx.kinds_of("std::str"), vec![K::Module]);
    // Re-exports that rustdoc does not inline (the prelude).
    assert_eq!(idx.kinds_of("std::prelude::v1::Some"), vec![K::Variant]);
    assert_eq!(idx.kinds_of("std::prelude::v1::Vec"), vec![K::Struct]);
    assert_eq!(idx.kinds_of("std::prelude::v1::println"), vec![K::Macro]);
    assert_eq!(idx.kinds_of("core::prelude::v1::None"), vec![K::Variant]);
    // Other kinds.
    assert_eq!(idx.kinds_of("std::f64::consts::PI"), vec![K::Const]);
    assert_eq!(idx.kinds_of("std::mem::swap"), vec![K::Fn]);
    assert_eq!(idx.kinds_of("std::mem::MaybeUninit"), vec![K::Union]);
    assert_eq!(idx.kinds_of("std::io::Result"), vec![K::TypeAlias]);
    assert!(idx.kinds_of("std::fmt::Debug").contains(&K::Derive));
    assert!(idx.kinds_of("std::fmt::Debug").contains(&K::Trait));
    assert_eq!(idx.kinds_of("std::prelude::v1::test"), vec![K::Attr]);
    // Crates that are not part of the toolchain are unknown.
    for p in [
        "tokio",
        "tokio::spawn",
        "serde::Serialize",
        "",
        "::",
        "std::",
        "std::::vec",
    ] {
        assert_eq!(idx.kinds_of(p), vec![], "{p:?}");
        assert!(idx.members(p).is_none(), "{p:?}");
        assert!(idx.children(p).is_none(), "{p:?}");
        assert_eq!(idx.canonical(p), None, "{p:?}");
    }
}

#[test]
fn real_children() {
    let Some(idx) = real() else { return };
    let c = idx.children("std::collections").expect("a module");
    for want in [
        ("HashMap", K::Struct),
        ("BTreeMap", K::Struct),
        ("hash_map", K::Module),
    ] {
        assert!(
            c.contains(&(want.0.to_string(), want.1)),
            "{want:?} in {c:?}"
        );
    }
    assert!(!c.iter().any(|(n, _)| n == "HashMapp"));
    let root = idx.children("std").expect("the crate root");
    for want in [
        ("vec", K::Module),
        ("vec", K::Macro),
        ("println", K::Macro),
        ("collections", K::Module),
    ] {
        assert!(root.contains(&(want.0.to_string(), want.1)), "{want:?}");
    }
    // The same module under its other name.
    assert_eq!(idx.children("std::vec"), idx.children("alloc::vec"));
    assert!(
        idx.children("std::vec::Vec").is_none(),
        "a struct is not a module"
    );
    assert!(idx.children("std::println").is_none());
}

#[test]
fn real_members_of_vec_string_str() {
    let Some(idx) = real() else { return };
    let vec = idx.members("std::vec::Vec").expect("a type");
    let ns = names(&vec);
    for want in ["push", "with_capacity", "len", "pop", "new", "retain"] {
        assert!(ns.contains(&want), "Vec::{want}");
    }
    assert!(!ns.contains(&"with_len"));
    // `len` is inherent on Vec; `iter` comes through Deref and is under `slice`.
    assert!(member(&vec, "len")
        .iter()
        .any(|m| m.trait_path.is_none() && m.kind == K::Method));
    assert!(!ns.contains(&"iter"));
    assert!(names(&idx.members("slice").unwrap()).contains(&"iter"));
    // Trait impl items carry their trait; blanket impls are listed per type.
    let clone = member(&vec, "clone");
    assert!(clone
        .iter()
        .any(|m| m.trait_path.as_deref() == Some("core::clone::Clone")));
    for (name, tr) in [
        ("into", "core::convert::Into"),
        ("from", "core::convert::From"),
        ("type_id", "core::any::Any"),
        ("borrow", "core::borrow::Borrow"),
        ("to_owned", "alloc::borrow::ToOwned"),
    ] {
        assert!(
            member(&vec, name)
                .iter()
                .any(|m| m.trait_path.as_deref() == Some(tr)),
            "Vec::{name} from {tr}"
        );
    }
    // Both names of Vec have the same members.
    assert_eq!(idx.members("alloc::vec::Vec"), Some(vec.clone()));

    let string = idx.members("alloc::string::String").expect("a type");
    for want in ["push_str", "from_utf8_lossy", "as_str", "to_string"] {
        assert!(names(&string).contains(&want), "String::{want}");
    }
    assert_eq!(idx.members("std::string::String"), Some(string.clone()));
    assert!(
        !names(&string).contains(&"trim"),
        "str methods stay under str"
    );

    let s = idx.members("str").expect("a primitive");
    for want in ["trim", "split_whitespace", "len", "to_uppercase", "parse"] {
        assert!(names(&s).contains(&want), "str::{want}");
    }
    assert_eq!(idx.members("std::primitive::str"), Some(s));
}

#[test]
fn real_members_of_option_iterator_primitives() {
    let Some(idx) = real() else { return };
    let opt = idx.members("std::option::Option").expect("an enum");
    assert!(names(&opt).contains(&"unwrap_or_default"));
    for v in ["Some", "None"] {
        assert!(member(&opt, v).iter().any(|m| m.kind == K::Variant), "{v}");
    }
    assert_eq!(idx.members("core::option::Option"), Some(opt));

    let it = idx.members("core::iter::Iterator").expect("a trait");
    for want in ["map", "filter", "collect", "next", "fold"] {
        assert!(names(&it).contains(&want), "Iterator::{want}");
    }
    assert!(member(&it, "Item").iter().any(|m| m.kind == K::AssocType));
    assert_eq!(idx.members("std::iter::Iterator"), Some(it));

    for p in [
        "str",
        "slice",
        "u8",
        "char",
        "bool",
        "array",
        "f64",
        "pointer",
        "tuple",
        "unit",
        "fn",
        "reference",
        "never",
    ] {
        assert_eq!(idx.kinds_of(p), vec![K::Primitive], "{p}");
        assert!(idx.members(p).is_some(), "{p}");
        assert_eq!(idx.canonical(p).as_deref(), Some(p));
    }
    let u8m = idx.members("u8").unwrap();
    assert!(member(&u8m, "MAX").iter().any(|m| m.kind == K::AssocConst));
    assert!(names(&u8m).contains(&"checked_add"));
    // Fields.
    let range = idx.members("std::ops::Range").unwrap();
    assert!(member(&range, "start").iter().any(|m| m.kind == K::Field));
    assert!(
        idx.members("std::collections").is_none(),
        "a module is not a type"
    );
    assert!(idx.members("std::println").is_none());
}

#[test]
fn real_traits_and_canonical_paths() {
    let Some(idx) = real() else { return };
    let traits = idx.implemented_traits("std::vec::Vec");
    for want in [
        "core::clone::Clone",
        "core::iter::Extend",
        "core::iter::IntoIterator",
        "std::io::Write",
    ] {
        assert!(traits.iter().any(|t| t == want), "{want} in {traits:?}");
    }
    assert_eq!(traits, idx.implemented_traits("alloc::vec::Vec"));
    assert!(idx.implemented_traits("std::vec::Vecc").is_empty());

    let vec = idx.canonical("std::vec::Vec");
    assert_eq!(vec.as_deref(), Some("alloc::vec::Vec"));
    assert_eq!(vec, idx.canonical("alloc::vec::Vec"));
    assert_eq!(vec, idx.canonical("std::prelude::v1::Vec"));
    let opt = idx.canonical("std::option::Option");
    assert_eq!(opt.as_deref(), Some("core::option::Option"));
    assert_eq!(opt, idx.canonical("core::option::Option"));
    assert_eq!(
        idx.canonical("std::collections::hash_map::HashMap")
            .as_deref(),
        Some("std::collections::HashMap")
    );
    assert_eq!(
        idx.canonical("std::iter::Iterator").as_deref(),
        Some("core::iter::Iterator")
    );
    assert_eq!(idx.canonical("std::vec").as_deref(), Some("alloc::vec"));
    assert_eq!(
        idx.canonical("std::vec::Vec::push").as_deref(),
        Some("alloc::vec::Vec::push")
    );
    assert_eq!(idx.canonical("std::primitive::str").as_deref(), Some("str"));
    assert_eq!(idx.canonical("std::collections::HashMapp"), None);
    assert_eq!(idx.canonical("std::vec::Vec::push_all"), None);
    // Every canonical path resolves to itself.
    for p in [
        "std::collections::HashMap",
        "alloc::string::String",
        "core::iter::Iterator",
    ] {
        let c = idx.canonical(p).unwrap();
        assert_eq!(idx.canonical(&c), Some(c.clone()));
        assert!(idx.members(&c).is_some());
    }
}

/// Cold decode and cached load of the real index; run with
/// `cargo test --release --lib rust_std::tests::timing -- --ignored --nocapture`.
#[test]
#[ignore]
fn timing() {
    let Some(sysroot) = real_sysroot() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let t = std::time::Instant::now();
    let raw = search_index::read(&index_dir(&sysroot)).unwrap();
    let decoded = t.elapsed();
    let html = index_dir(&sysroot).parent().unwrap().to_path_buf();
    let pages = pages::PageReader::new(&html);
    let model = model::build(&raw, &pages).unwrap();
    let built = t.elapsed();
    drop(model);
    let t = std::time::Instant::now();
    StdIndex::load_from_sysroot(&sysroot, Some(dir.path())).unwrap();
    let cold = t.elapsed();
    let mut cached = Vec::new();
    for _ in 0..5 {
        let t = std::time::Instant::now();
        StdIndex::load_from_sysroot(&sysroot, Some(dir.path())).unwrap();
        cached.push(t.elapsed());
    }
    let t = std::time::Instant::now();
    StdIndex::load(Some(dir.path())).unwrap();
    let via_rustc = t.elapsed();
    let size: u64 = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.metadata().unwrap().len())
        .sum();
    eprintln!(
        "decode {decoded:?}, decode+build {built:?}, cold load_from_sysroot {cold:?}, \
         cached load_from_sysroot {cached:?}, cached load (spawning rustc) {via_rustc:?}, cache file {size} bytes"
    );
}

// ---------------------------------------------------------------------------------------------
// Synthetic indexes
// ---------------------------------------------------------------------------------------------

/// One row: its name, its `entry` JSON and its `path` JSON.
type Row = (&'static str, Option<&'static str>, Option<&'static str>);

/// A small std: core and std crates, `Option` defined in core and inlined into std, a trait
/// impl, a primitive with a method, a macro, a prelude re-export, a non-ASCII name.
fn synthetic_rows() -> Vec<Row> {
    vec![
        /* 0 */ ("core", Some("[0,3,0,0,0,0,0,0]"), Some(r#"[3,""]"#)),
        /* 1 */ ("std", Some("[1,3,0,0,0,0,0,0]"), Some(r#"[3,""]"#)),
        /* 2 */ ("option", None, Some(r#"[2,"core"]"#)),
        /* 3 */ ("option", None, Some(r#"[2,"std"]"#)),
        /* 4 */ ("option", Some("[0,2,1,0,0,0,0,0]"), None),
        /* 5 */ ("option", Some("[1,2,2,1,0,0,0,0]"), None),
        /* 6 */
        (
            "Option",
            Some("[0,6,3,0,0,0,0,0]"),
            Some(r#"[6,"core::option"]"#),
        ),
        /* 7 */
        (
            "Option",
            Some("[1,6,4,3,0,0,0,0]"),
            Some(r#"[6,"std::option"]"#),
        ),
        /* 8 */ ("Some", Some("[0,15,3,0,7,0,0,0]"), None),
        /* 9 */ ("None", Some("[1,15,4,3,8,0,0,0]"), None),
        /* 10 */ ("unwrap", Some("[1,13,4,3,8,0,0,0]"), None),
        /* 11 */ ("Clone", Some("[0,10,1,0,0,0,0,0]"), Some(r#"[10,"core"]"#)),
        /* 12 */
        (
            "clone",
            Some(r#"[0,13,3,0,7,12,0,0,"impl-Clone-for-Option%3CT%3E"]"#),
            None,
        ),
        /* 13 */ ("str", Some("[1,1,2,0,0,0,0,0]"), Some(r#"[1,"std"]"#)),
        /* 14 */ ("len", Some("[1,13,2,0,14,0,0,0]"), None),
        /* 15 */ ("println", Some("[1,16,2,0,0,0,0,0]"), None),
        /* 16 */ ("prelude", None, Some(r#"[2,"std"]"#)),
        /* 17 */ ("Some", Some("[1,4,17,7,0,0,0,0]"), None),
        /* 18 */ ("prelude", Some("[1,2,2,0,0,0,0,0]"), None),
        /* 19 */ ("h\u{e9}\"llo", Some("[1,7,2,0,0,0,0,1]"), None),
        /* 20 */ ("Maybe", Some("[1,8,4,0,0,0,0,0]"), None),
    ]
}

/// Writes a search index for `rows` under `<sysroot>/share/doc/rust/html/search.index/`, in
/// chunks of at most three records, with back-references where a record repeats.
fn write_synthetic(sysroot: &Path, version: &str, crates: &[&str], rows: &[Row]) {
    let dir = index_dir(sysroot);
    fs::create_dir_all(&dir).unwrap();
    let columns: Vec<(&str, Vec<Option<Vec<u8>>>)> = vec![
        (
            "crateNames",
            crates.iter().map(|c| Some(c.as_bytes().to_vec())).collect(),
        ),
        (
            "name",
            rows.iter().map(|r| Some(r.0.as_bytes().to_vec())).collect(),
        ),
        (
            "entry",
            rows.iter()
                .map(|r| r.1.map(|s| s.as_bytes().to_vec()))
                .collect(),
        ),
        (
            "path",
            rows.iter()
                .map(|r| r.2.map(|s| s.as_bytes().to_vec()))
                .collect(),
        ),
    ];
    let mut root = String::from("{");
    for (i, (name, values)) in columns.iter().enumerate() {
        let empty: Vec<u32> = (0..values.len() as u32)
            .filter(|&r| values[r as usize].is_none())
            .collect();
        let present: Vec<&Vec<u8>> = values.iter().flatten().collect();
        fs::create_dir_all(dir.join(name)).unwrap();
        let mut counts = String::new();
        let mut hashes = Vec::new();
        for chunk in present.chunks(3) {
            let data = encode_records(chunk);
            let h = siphash13(&data).to_be_bytes();
            let file = dir.join(name).join(format!(
                "{}.js",
                h[2..]
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
            ));
            fs::write(file, format!("rd_(\"{}\")", js_escape(&data))).unwrap();
            counts.push_str(&nibbles(chunk.len() as u32));
            hashes.extend_from_slice(&h[2..]);
        }
        if i > 0 {
            root.push(',');
        }
        root.push_str(&format!(
            r#""{name}":{{"N":"{counts}","E":"{}","H":"{}","I":""}}"#,
            base64(&roaring_portable(&empty)),
            base64(&hashes)
        ));
    }
    root.push('}');
    fs::write(
        dir.join(format!("root{version}.js")),
        format!("rr_('{root}')\n"),
    )
    .unwrap();
    // A type alias's page.
    let page = dir.parent().unwrap().join("std").join("option");
    fs::create_dir_all(&page).unwrap();
    fs::write(
        page.join("type.Maybe.html"),
        r#"<pre class="rust item-decl"><code>pub type Maybe = <a class="enum" href="enum.Option.html" title="enum core::option::Option">Option</a>&lt;u8&gt;;</code></pre>"#,
    )
    .unwrap();
    // A glob re-export, as rustdoc lists it on the module's page.
    let page = dir.parent().unwrap().join("std").join("prelude");
    fs::create_dir_all(&page).unwrap();
    fs::write(
        page.join("index.html"),
        r#"<dt><code>pub use super::<a class="mod" href="../option/index.html">option</a>::*;</code></dt>"#,
    )
    .unwrap();
}

fn nibbles(n: u32) -> String {
    let hex = format!("{n:x}");
    let len = hex.len();
    hex.bytes()
        .enumerate()
        .map(|(i, d)| {
            let v = (d as char).to_digit(16).unwrap() as u8;
            (if i + 1 == len { 0x60 | v } else { 0x40 | v }) as char
        })
        .collect()
}

fn encode_records(records: &[&Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut recent: VecDeque<&Vec<u8>> = VecDeque::new();
    for &r in records {
        if let Some(k) = recent.iter().position(|x| *x == r) {
            out.push(0x30 + k as u8);
            continue;
        }
        out.extend_from_slice(nibbles(r.len() as u32).as_bytes());
        out.extend_from_slice(r);
        recent.push_front(r);
        recent.truncate(16);
    }
    out
}

fn js_escape(data: &[u8]) -> String {
    let mut s = String::new();
    for &b in data {
        match b {
            b'"' => s.push_str("\\\""),
            b'\\' => s.push_str("\\\\"),
            0x20..=0x7e => s.push(b as char),
            _ => s.push_str(&format!("\\x{b:02x}")),
        }
    }
    s
}

fn roaring_portable(values: &[u32]) -> Vec<u8> {
    let mut groups: Vec<(u16, Vec<u16>)> = Vec::new();
    for &v in values {
        let key = (v >> 16) as u16;
        match groups.last_mut() {
            Some((k, vs)) if *k == key => vs.push(v as u16),
            _ => groups.push((key, vec![v as u16])),
        }
    }
    let mut out = Vec::new();
    out.extend_from_slice(&12346u32.to_le_bytes());
    out.extend_from_slice(&(groups.len() as u32).to_le_bytes());
    for (k, vs) in &groups {
        out.extend_from_slice(&k.to_le_bytes());
        out.extend_from_slice(&(vs.len() as u16 - 1).to_le_bytes());
    }
    let mut offset = out.len() + 4 * groups.len();
    for (_, vs) in &groups {
        out.extend_from_slice(&(offset as u32).to_le_bytes());
        offset += 2 * vs.len();
    }
    for (_, vs) in &groups {
        for v in vs {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    out
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                s.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

fn synthetic(rows: &[Row]) -> (tempfile::TempDir, Result<Arc<StdIndex>, String>) {
    let dir = tempfile::tempdir().unwrap();
    write_synthetic(dir.path(), "1.95.0", &["core", "std"], rows);
    let r = StdIndex::load_from_sysroot(dir.path(), None);
    (dir, r)
}

#[test]
fn synthetic_model() {
    let (_dir, idx) = synthetic(&synthetic_rows());
    let idx = idx.unwrap();
    assert_eq!(idx.crates(), vec!["core", "std"]);
    assert_eq!(idx.index_version(), "1.95.0");
    assert!(idx.toolchain().contains("1.95.0"), "{}", idx.toolchain());
    assert_eq!(idx.kinds_of("std::option::Option"), vec![K::Enum]);
    assert_eq!(idx.kinds_of("core::option::Option"), vec![K::Enum]);
    assert_eq!(
        idx.canonical("std::option::Option").as_deref(),
        Some("core::option::Option")
    );
    assert_eq!(
        idx.canonical("std::option").as_deref(),
        Some("core::option")
    );
    let want = vec![
        StdMember {
            name: "None".into(),
            kind: K::Variant,
            trait_path: None,
        },
        StdMember {
            name: "Some".into(),
            kind: K::Variant,
            trait_path: None,
        },
        StdMember {
            name: "clone".into(),
            kind: K::Method,
            trait_path: Some("core::Clone".into()),
        },
        StdMember {
            name: "unwrap".into(),
            kind: K::Method,
            trait_path: None,
        },
    ];
    assert_eq!(idx.members("std::option::Option"), Some(want.clone()));
    assert_eq!(idx.members("core::option::Option"), Some(want));
    assert_eq!(
        idx.implemented_traits("std::option::Option"),
        vec!["core::Clone".to_string()]
    );
    assert_eq!(idx.kinds_of("std::prelude::Some"), vec![K::Variant]);
    assert_eq!(
        idx.canonical("std::prelude::Some").as_deref(),
        Some("core::option::Option::Some")
    );
    assert_eq!(
        idx.children("std::prelude"),
        Some(vec![
            ("Maybe".to_string(), K::TypeAlias),
            ("Option".to_string(), K::Enum),
            ("Some".to_string(), K::Variant)
        ])
    );
    // Through the glob: `std::prelude::Option` is `std::option::Option`.
    assert_eq!(idx.kinds_of("std::prelude::Option"), vec![K::Enum]);
    assert_eq!(
        idx.canonical("std::prelude::Option").as_deref(),
        Some("core::option::Option")
    );
    assert_eq!(
        idx.kinds_of("std::prelude::Option::unwrap"),
        vec![K::Method]
    );
    assert_eq!(idx.kinds_of("std::prelude::Optio"), vec![]);
    assert_eq!(idx.kinds_of("str"), vec![K::Primitive]);
    assert_eq!(names(&idx.members("str").unwrap()), vec!["len"]);
    assert_eq!(idx.kinds_of("std::str"), vec![]);
    assert_eq!(idx.kinds_of("std::println"), vec![K::Macro]);
    assert_eq!(idx.kinds_of("std::h\u{e9}\"llo"), vec![K::Fn]);
    assert_eq!(
        idx.children("std"),
        Some(vec![
            ("h\u{e9}\"llo".to_string(), K::Fn),
            ("option".to_string(), K::Module),
            ("prelude".to_string(), K::Module),
            ("println".to_string(), K::Macro),
        ])
    );
    assert_eq!(
        idx.children("core"),
        Some(vec![
            ("Clone".to_string(), K::Trait),
            ("option".to_string(), K::Module)
        ])
    );
    assert_eq!(
        idx.children("std::option"),
        Some(vec![
            ("Maybe".to_string(), K::TypeAlias),
            ("Option".to_string(), K::Enum)
        ])
    );
    // A type alias has the members of the type it names.
    assert_eq!(idx.kinds_of("std::option::Maybe"), vec![K::TypeAlias]);
    assert_eq!(
        idx.members("std::option::Maybe"),
        idx.members("core::option::Option")
    );
    assert_eq!(idx.kinds_of("std::option::Maybe::unwrap"), vec![K::Method]);
    assert_eq!(idx.kinds_of("tokio"), vec![]);
}

/// Rows whose chunks hash correctly but whose content is not what rustdoc writes.
#[test]
fn synthetic_garbled_rows_are_errors() {
    let cases: Vec<(usize, Row, &str)> = vec![
        (
            6,
            ("Option", Some("[0,99,3,0,0,0,0,0]"), None),
            "unknown item type",
        ),
        (
            6,
            ("Option", Some("[0,6,300,0,0,0,0,0]"), None),
            "out of range",
        ),
        (6, ("Option", Some("[0,6,3,0,0,0,0]"), None), "fields"),
        (
            6,
            ("Option", Some("{\"a\":1}"), None),
            "not a flat JSON array",
        ),
        (
            6,
            ("Option", Some("[0,6,3,0,0,0,0,0]"), Some("[6]")),
            "path row",
        ),
        (
            6,
            (
                "Optio",
                Some("[0,6,3,0,0,0,0,0]"),
                Some(r#"[6,"core::option"]"#),
            ),
            "format not recognised",
        ),
    ];
    for (at, row, want) in cases {
        let mut rows = synthetic_rows();
        rows[at] = row;
        let (_dir, r) = synthetic(&rows);
        let e = r.expect_err(want);
        assert!(e.contains(want), "{want:?} not in {e:?}");
        assert!(!e.contains('\n'), "one line: {e:?}");
    }
}

#[test]
fn unknown_versions_and_missing_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let e = StdIndex::load_from_sysroot(dir.path(), None).unwrap_err();
    assert!(e.contains("no rustdoc search index"), "{e}");

    write_synthetic(dir.path(), "1.90.0", &["core", "std"], &synthetic_rows());
    let e = StdIndex::load_from_sysroot(dir.path(), None).unwrap_err();
    assert!(e.contains("older than 1.91"), "{e}");

    let idx_dir = index_dir(dir.path());
    fs::rename(idx_dir.join("root1.90.0.js"), idx_dir.join("rootnext.js")).unwrap();
    let e = StdIndex::load_from_sysroot(dir.path(), None).unwrap_err();
    assert!(e.contains("unrecognised search index root"), "{e}");

    // A newer version is read under the same checks; a failure says which version it was.
    fs::rename(
        idx_dir.join("rootnext.js"),
        idx_dir.join("root1.99.0-nightly.js"),
    )
    .unwrap();
    StdIndex::load_from_sysroot(dir.path(), None).expect("same format, newer name");
    fs::remove_dir_all(idx_dir.join("path")).unwrap();
    let e = StdIndex::load_from_sysroot(dir.path(), None).unwrap_err();
    assert!(e.contains("newest known: 1.95.0"), "{e}");

    let root = idx_dir.join("root1.99.0-nightly.js");
    let text = fs::read_to_string(&root).unwrap();
    fs::write(&root, text.replace("\"path\":", "\"paths\":")).unwrap();
    let e = StdIndex::load_from_sysroot(dir.path(), None).unwrap_err();
    assert!(e.contains("no column \"path\""), "{e}");
}

#[test]
fn cache_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    write_synthetic(dir.path(), "1.95.0", &["core", "std"], &synthetic_rows());
    let first = StdIndex::load_from_sysroot(dir.path(), Some(cache.path())).unwrap();
    let files: Vec<PathBuf> = fs::read_dir(cache.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    // Remove the chunks: the root is unchanged, so the model comes from the cache.
    let idx_dir = index_dir(dir.path());
    for col in search_index::COLUMNS {
        fs::remove_dir_all(idx_dir.join(col)).unwrap();
    }
    let second = StdIndex::load_from_sysroot(dir.path(), Some(cache.path())).unwrap();
    assert_eq!(second.toolchain(), first.toolchain());
    assert_eq!(second.index_version(), first.index_version());
    for p in ["std::option::Option", "str", "std::prelude::Some"] {
        assert_eq!(second.kinds_of(p), first.kinds_of(p));
        assert_eq!(second.members(p), first.members(p));
        assert_eq!(second.canonical(p), first.canonical(p));
    }
    assert_eq!(second.children("std"), first.children("std"));
    // A corrupt cache file is a miss (here: then the missing chunks are the error), not a panic.
    fs::write(&files[0], b"\x01\x02garbage").unwrap();
    assert!(StdIndex::load_from_sysroot(dir.path(), Some(cache.path())).is_err());
    // A changed root is a miss too.
    write_synthetic(dir.path(), "1.95.0", &["core", "std"], &synthetic_rows());
    StdIndex::load_from_sysroot(dir.path(), Some(cache.path())).unwrap();
    assert_eq!(
        fs::read_dir(cache.path()).unwrap().count(),
        1,
        "one file per toolchain, replaced"
    );
    let root = idx_dir.join("root1.95.0.js");
    let text = fs::read_to_string(&root).unwrap();
    fs::write(&root, format!("{text}\n")).unwrap();
    for col in search_index::COLUMNS {
        fs::remove_dir_all(idx_dir.join(col)).unwrap();
    }
    assert!(StdIndex::load_from_sysroot(dir.path(), Some(cache.path())).is_err());
}

// ---------------------------------------------------------------------------------------------
// Truncated and garbled copies of the real index
// ---------------------------------------------------------------------------------------------

/// Copies the real index's root and the columns the loader reads into a fresh sysroot.
fn copy_real_index(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = index_dir(from);
    let dst = index_dir(dir.path());
    fs::create_dir_all(&dst).unwrap();
    let (root, _) = search_index::find_root(&src).unwrap();
    fs::copy(&root, dst.join(root.file_name().unwrap())).unwrap();
    for col in search_index::COLUMNS {
        fs::create_dir_all(dst.join(col)).unwrap();
        for f in fs::read_dir(src.join(col)).unwrap().flatten() {
            fs::copy(f.path(), dst.join(col).join(f.file_name())).unwrap();
        }
    }
    dir
}

fn files_of(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    v.sort();
    v
}

#[test]
fn real_corrupt_copies_are_errors() {
    let Some(sysroot) = real_sysroot() else {
        return;
    };
    let copy = copy_real_index(&sysroot);
    let sys = copy.path();
    let idx = index_dir(sys);
    StdIndex::load_from_sysroot(sys, None).expect("an intact copy loads");
    let (root, _) = search_index::find_root(&idx).unwrap();

    let check = |what: &str| {
        let r = std::panic::catch_unwind(|| StdIndex::load_from_sysroot(sys, None));
        match r {
            Ok(Err(e)) => assert!(!e.contains('\n'), "{what}: one line: {e}"),
            Ok(Ok(_)) => panic!("{what}: loaded"),
            Err(_) => panic!("{what}: panicked"),
        }
    };
    // The root and the first chunk of each column, cut at several points and with bytes
    // flipped (every chunk is read the same way; more files only make the test slower).
    let mut targets = vec![root.clone()];
    for col in search_index::COLUMNS {
        targets.push(files_of(&idx.join(col)).remove(0));
    }
    for file in &targets {
        let orig = fs::read(file).unwrap();
        let n = orig.len();
        let mut cuts: Vec<usize> = vec![0, 5, n / 2, n - 1];
        cuts.retain(|&c| c < n);
        cuts.dedup();
        for cut in cuts {
            fs::write(file, &orig[..cut]).unwrap();
            check(&format!("{} cut at {cut}", file.display()));
        }
        let flips: &[usize] = if file == &root {
            &[9]
        } else {
            &[n / 7, n - n / 5]
        };
        for &at in flips {
            let mut garbled = orig.clone();
            garbled[at] = garbled[at].wrapping_add(1);
            fs::write(file, &garbled).unwrap();
            // A flip in the root may land in data the loader does not read (another column's
            // search tree): that must load or fail cleanly, never panic.
            let r = std::panic::catch_unwind(|| StdIndex::load_from_sysroot(sys, None));
            assert!(r.is_ok(), "{} flipped at {at}: panicked", file.display());
            if file != &root {
                assert!(
                    r.unwrap().is_err(),
                    "{} flipped at {at}: loaded",
                    file.display()
                );
            }
        }
        fs::write(file, &orig).unwrap();
    }
    // A chunk file missing, and one swapped for another of the same column.
    let names_dir = idx.join("name");
    let chunks = files_of(&names_dir);
    let saved = fs::read(&chunks[0]).unwrap();
    fs::remove_file(&chunks[0]).unwrap();
    check("missing chunk");
    if chunks.len() > 1 {
        fs::copy(&chunks[1], &chunks[0]).unwrap();
        check("swapped chunk");
    }
    fs::write(&chunks[0], saved).unwrap();
    // Garbage in place of the root.
    fs::write(&root, "rr_('{not json}')").unwrap();
    check("root not JSON");
    fs::write(&root, "<html>404</html>").unwrap();
    check("root not a call");
}

/// Type aliases have the members of the type they name (from the alias's page).
#[test]
fn real_type_aliases() {
    let Some(idx) = real() else { return };
    assert_eq!(idx.kinds_of("std::io::Result"), vec![K::TypeAlias]);
    let io = idx.members("std::io::Result").unwrap();
    for want in ["map_err", "unwrap", "is_ok", "Ok", "Err"] {
        assert!(names(&io).contains(&want), "io::Result::{want}");
    }
    assert!(names(&idx.members("std::fmt::Result").unwrap()).contains(&"is_err"));
    assert!(names(&idx.members("core::ffi::c_int").unwrap()).contains(&"checked_add"));
    assert!(names(&idx.members("std::thread::Result").unwrap()).contains(&"unwrap"));
}

/// Glob re-exports are not in the search index; they come from the module pages.
#[test]
fn real_glob_reexports() {
    let Some(idx) = real() else { return };
    assert_eq!(idx.kinds_of("std::arch::x86_64"), vec![K::Module]);
    assert_eq!(idx.kinds_of("std::arch::x86_64::_mm_add_epi8"), vec![K::Fn]);
    assert_eq!(idx.kinds_of("std::arch::x86_64::_mm_add_epi88"), vec![]);
    assert_eq!(
        idx.kinds_of("std::arch::is_x86_feature_detected"),
        vec![K::Macro]
    );
    assert_eq!(
        idx.kinds_of("std::prelude::rust_2021::TryFrom"),
        vec![K::Trait]
    );
    assert_eq!(
        idx.kinds_of("std::prelude::rust_2021::Vec"),
        vec![K::Struct]
    );
    assert_eq!(
        idx.kinds_of("std::prelude::rust_2024::Future"),
        vec![K::Trait]
    );
    assert_eq!(
        idx.kinds_of("core::prelude::rust_2021::Some"),
        vec![K::Variant]
    );
    assert_eq!(idx.kinds_of("std::os::unix::io::AsRawFd"), vec![K::Trait]);
    assert_eq!(idx.kinds_of("test::StaticTestFn"), vec![K::Variant]);
    assert_eq!(
        idx.kinds_of("std::prelude::rust_2021::Vec::new"),
        vec![K::Method]
    );
    assert_eq!(
        idx.canonical("std::prelude::rust_2021::Vec").as_deref(),
        Some("alloc::vec::Vec")
    );
    let prelude = idx.children("std::prelude::rust_2021").unwrap();
    for want in [
        ("Vec", K::Struct),
        ("TryFrom", K::Trait),
        ("FromIterator", K::Trait),
        ("Some", K::Variant),
    ] {
        assert!(prelude.contains(&(want.0.to_string(), want.1)), "{want:?}");
    }
    let arch = idx.children("std::arch").unwrap();
    assert!(arch.contains(&("x86_64".to_string(), K::Module)));
}

/// Signatures and doc lines come from rustdoc's pages beside the index.
#[test]
fn real_signatures_and_docs() {
    use crate::index::rust::StdApi;
    let Some(idx) = real() else { return };
    let html = index_dir(&real_sysroot().unwrap())
        .parent()
        .unwrap()
        .to_path_buf();
    if !html.join("std").join("index.html").is_file() {
        eprintln!(
            "skipping: no rustdoc HTML pages under {} (rust-docs without pages)",
            html.display()
        );
        return;
    }
    let api: &dyn StdApi = idx.as_ref();
    assert_eq!(
        api.signature("std::fs::read_to_string").as_deref(),
        Some("fn read_to_string<P: AsRef<Path>>(path: P) -> Result<String>")
    );
    assert_eq!(
        api.doc("std::fs::read_to_string").as_deref(),
        Some("Reads the entire contents of a file into a string.")
    );
    let map = api.signature("std::collections::HashMap").unwrap();
    assert!(
        map.starts_with("struct HashMap<K, V, S = RandomState"),
        "{map}"
    );
    assert_eq!(
        api.signature("std::io::Read").as_deref(),
        Some("trait Read")
    );
    assert_eq!(api.signature("std::collections"), None);
    assert_eq!(
        api.doc("std::collections").as_deref(),
        Some("Collection types.")
    );
    assert_eq!(api.signature("std::nothing::here"), None);
    assert_eq!(api.doc("std::nothing::here"), None);

    let member = |ty: &str, name: &str| {
        api.member_details(ty)
            .unwrap_or_else(|| panic!("{ty} has members"))
            .into_iter()
            .find(|m| m.name == name)
            .unwrap_or_else(|| panic!("{ty}::{name}"))
    };
    let insert = member("std::collections::HashMap", "insert");
    assert_eq!(
        insert.signature.as_deref(),
        Some("fn insert(&mut self, k: K, v: V) -> Option<V>")
    );
    assert!(
        insert
            .doc
            .as_deref()
            .is_some_and(|d| d.starts_with("Inserts a key-value pair")),
        "{insert:?}"
    );
    assert_eq!(insert.kind, Some("method"));
    let new = member("std::vec::Vec", "new");
    assert_eq!(new.kind, Some("associated function"));
    assert!(
        new.signature
            .as_deref()
            .is_some_and(|s| s.contains("fn new() -> Vec<T>")),
        "{new:?}"
    );
    let clone = member("std::vec::Vec", "clone");
    assert_eq!(
        clone.signature.as_deref(),
        Some("fn clone(&self) -> Vec<T, A>")
    );
    assert_eq!(clone.from_trait.as_deref(), Some("core::clone::Clone"));
    let some = member("std::option::Option", "Some");
    assert_eq!(some.signature.as_deref(), Some("Some(T)"));
    assert_eq!(some.kind, Some("variant"));
    let read = member("std::io::Read", "read");
    assert_eq!(
        read.signature.as_deref(),
        Some("fn read(&mut self, buf: &mut [u8]) -> Result<usize>")
    );
    let len = member("str", "len");
    assert_eq!(
        len.signature.as_deref(),
        Some("const fn len(&self) -> usize")
    );
    assert_eq!(len.kind, Some("method"));
    // A primitive's methods defined in alloc are on std's page.
    assert!(member("str", "to_uppercase").signature.is_some());
    let start = member("std::ops::Range", "start");
    assert_eq!(start.signature.as_deref(), Some("start: Idx"));
    // A type alias's methods are on the aliased type's page.
    let unwrap = member("std::io::Result", "unwrap");
    assert_eq!(unwrap.kind, Some("method"));
    assert!(unwrap.signature.is_some(), "{unwrap:?}");
}
