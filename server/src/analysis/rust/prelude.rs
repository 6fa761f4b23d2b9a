//! Names every Rust module sees without importing them, and the few facts
//! about std types that the search index does not carry.

/// The std prelude (2021 edition): name → full path.
pub const PRELUDE: &[(&str, &str)] = &[
    ("Copy", "core::marker::Copy"),
    ("Send", "core::marker::Send"),
    ("Sized", "core::marker::Sized"),
    ("Sync", "core::marker::Sync"),
    ("Unpin", "core::marker::Unpin"),
    ("Drop", "core::ops::Drop"),
    ("Fn", "core::ops::Fn"),
    ("FnMut", "core::ops::FnMut"),
    ("FnOnce", "core::ops::FnOnce"),
    ("drop", "core::mem::drop"),
    ("Box", "alloc::boxed::Box"),
    ("ToOwned", "alloc::borrow::ToOwned"),
    ("Clone", "core::clone::Clone"),
    ("PartialEq", "core::cmp::PartialEq"),
    ("PartialOrd", "core::cmp::PartialOrd"),
    ("Eq", "core::cmp::Eq"),
    ("Ord", "core::cmp::Ord"),
    ("AsRef", "core::convert::AsRef"),
    ("AsMut", "core::convert::AsMut"),
    ("Into", "core::convert::Into"),
    ("From", "core::convert::From"),
    ("Default", "core::default::Default"),
    ("Iterator", "core::iter::Iterator"),
    ("Extend", "core::iter::Extend"),
    ("IntoIterator", "core::iter::IntoIterator"),
    ("DoubleEndedIterator", "core::iter::DoubleEndedIterator"),
    ("ExactSizeIterator", "core::iter::ExactSizeIterator"),
    ("Option", "core::option::Option"),
    ("Some", "core::option::Option::Some"),
    ("None", "core::option::Option::None"),
    ("Result", "core::result::Result"),
    ("Ok", "core::result::Result::Ok"),
    ("Err", "core::result::Result::Err"),
    ("String", "alloc::string::String"),
    ("ToString", "alloc::string::ToString"),
    ("Vec", "alloc::vec::Vec"),
    ("TryFrom", "core::convert::TryFrom"),
    ("TryInto", "core::convert::TryInto"),
    ("FromIterator", "core::iter::FromIterator"),
];

/// The traits of the prelude, whose methods any value may have.
pub fn prelude_traits() -> impl Iterator<Item = &'static str> {
    PRELUDE
        .iter()
        .filter(|(n, _)| {
            matches!(
                *n,
                "Clone"
                    | "PartialEq"
                    | "PartialOrd"
                    | "Eq"
                    | "Ord"
                    | "AsRef"
                    | "AsMut"
                    | "Into"
                    | "From"
                    | "Default"
                    | "Iterator"
                    | "Extend"
                    | "IntoIterator"
                    | "DoubleEndedIterator"
                    | "ExactSizeIterator"
                    | "ToOwned"
                    | "ToString"
                    | "TryFrom"
                    | "TryInto"
                    | "FromIterator"
                    | "Drop"
                    | "Fn"
                    | "FnMut"
                    | "FnOnce"
            )
        })
        .map(|(_, p)| *p)
}

/// Methods every type has through blanket impls of prelude traits, or that
/// the search index may not list per type.
pub const UNIVERSAL_METHODS: &[&str] = &[
    "clone",
    "clone_from",
    "to_owned",
    "clone_into",
    "to_string",
    "into",
    "try_into",
    "from",
    "try_from",
    "eq",
    "ne",
    "cmp",
    "partial_cmp",
    "lt",
    "le",
    "gt",
    "ge",
    "max",
    "min",
    "clamp",
    "as_ref",
    "as_mut",
    "default",
    "into_iter",
    "extend",
    "drop",
    "borrow",
    "borrow_mut",
    "type_id",
];

pub const PRIMITIVES: &[&str] = &[
    "bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64",
    "i128", "isize", "f32", "f64",
];

pub use crate::syntax::rust::facts::STD_MACROS;

/// What a std type dereferences to (methods of the target are callable).
/// Types that deref to a generic parameter are not here: a method call
/// through them is never reported.
pub fn deref_target(canonical: &str) -> Option<&'static str> {
    Some(match last(canonical) {
        "String" => "str",
        "Vec" => "slice",
        "PathBuf" => "std::path::Path",
        "OsString" => "std::ffi::OsStr",
        "CString" => "core::ffi::CStr",
        // Arrays coerce to slices for method calls.
        "array" => "slice",
        _ => return None,
    })
}

/// Std types whose `Deref` target is a type parameter (or unknown).
pub fn derefs_to_unknown(canonical: &str) -> bool {
    matches!(
        last(canonical),
        "Box"
            | "Rc"
            | "Arc"
            | "Ref"
            | "RefMut"
            | "MutexGuard"
            | "RwLockReadGuard"
            | "RwLockWriteGuard"
            | "Cow"
            | "ManuallyDrop"
            | "Pin"
            | "LazyLock"
            | "LazyCell"
            | "AssertUnwindSafe"
            | "Weak"
    )
}

/// Std constructors known to return `Self` (the receiver of a later method
/// call is then certain).
pub fn returns_self(canonical: &str, ctor: &str) -> bool {
    let ty = last(canonical);
    let collections = matches!(
        ty,
        "Vec"
            | "String"
            | "HashMap"
            | "HashSet"
            | "BTreeMap"
            | "BTreeSet"
            | "VecDeque"
            | "BinaryHeap"
            | "PathBuf"
            | "OsString"
    );
    collections && matches!(ctor, "new" | "with_capacity" | "default")
        || matches!(ty, "String" | "PathBuf") && ctor == "from"
}

fn last(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path)
}

/// Methods that std's built-in derives give a type.
pub fn derived_methods(derive: &str) -> &'static [&'static str] {
    match derive {
        "Clone" => &["clone", "clone_from"],
        "PartialEq" => &["eq", "ne"],
        "PartialOrd" => &["partial_cmp", "lt", "le", "gt", "ge"],
        "Ord" => &["cmp", "max", "min", "clamp"],
        "Hash" => &["hash", "hash_slice"],
        "Debug" => &["fmt"],
        "Default" => &["default"],
        _ => &[],
    }
}
