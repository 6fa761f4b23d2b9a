//! What the analysis asks of the standard library (std, core, alloc), so it
//! does not depend on where that knowledge comes from (the toolchain's
//! rustdoc search index today).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StdKind {
    Module,
    /// A struct, enum, union, type alias or primitive: has members.
    Type,
    Trait,
    Fn,
    Macro,
    /// A constant, static, variant, field…: nothing further is checked.
    Other,
}

/// A member of a std type or trait, with what the source knows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StdMemberInfo {
    pub name: String,
    /// `method`, `associated function`, `variant`, `field`, `associated constant`, `associated
    /// type`; None when the source does not say.
    pub kind: Option<&'static str>,
    /// For an item of a trait impl: the trait's path.
    pub from_trait: Option<String>,
    /// `fn insert(&mut self, k: K, v: V) -> Option<V>`, when the source has it.
    pub signature: Option<String>,
    /// The first sentence of its docs, when the source has them.
    pub doc: Option<String>,
    /// Not usable here, when the source says so: a nightly-only API
    /// (`#[unstable]`) or one of another platform ("Available on Windows only").
    pub unavailable: bool,
}

pub trait StdApi: Send + Sync {
    /// The kinds of the item at a full path (`std::collections::HashMap`);
    /// empty when nothing is there.
    fn kinds_of(&self, path: &str) -> Vec<StdKind>;
    /// The names directly inside a module; None when `path` is not a module.
    fn children(&self, module: &str) -> Option<Vec<String>>;
    /// The associated items, variants and trait-impl methods of a type or
    /// trait; None when `path` is not one.
    fn members(&self, path: &str) -> Option<Vec<String>>;
    /// The traits a type implements (full paths).
    fn implemented_traits(&self, path: &str) -> Vec<String>;

    /// What the item at a full path is, in Rust's words (`struct`, `enum`,
    /// `trait`, `function`, `macro`…); None when the source does not say.
    fn label(&self, _path: &str) -> Option<&'static str> {
        None
    }
    /// The item's signature as written (fns; types and traits may get their
    /// declaration's head, `struct HashMap<K, V, S = RandomState>`), when the
    /// source has it.
    fn signature(&self, _path: &str) -> Option<String> {
        None
    }
    /// The first sentence of the item's docs, when the source has them.
    fn doc(&self, _path: &str) -> Option<String> {
        None
    }
    /// Whether the item at `path` exists but code built here cannot use it:
    /// a nightly-only API (`#[unstable]`) or one of another platform. False
    /// when the source does not say.
    fn unavailable(&self, _path: &str) -> bool {
        false
    }
    /// The signatures of the fn or associated fn at `path`
    /// (`std::time::Instant::now`, `std::fs::read_to_string`) with every name
    /// the source can tell written as its full path (`fn now() ->
    /// std::time::Instant`): the inherent item's alone when there is one, else
    /// one per trait impl that provides it (`String::from`). Empty when not
    /// known.
    fn qualified_signatures(&self, _path: &str) -> Vec<String> {
        Vec::new()
    }
    /// The declaration of the type alias at `path`, names qualified as in
    /// [`StdApi::qualified_signatures`]: `type Result<T> =
    /// core::result::Result<T, std::io::Error>`.
    fn type_alias(&self, _path: &str) -> Option<String> {
        None
    }
    /// The header of every impl std's documentation shows for the type at
    /// `path` (`impl<T> ToString for T where T: Display + ?Sized`, `impl<T>
    /// !Iterator for [T]`): what it implements, blanket impls included; None
    /// when not known.
    fn impl_headers(&self, _path: &str) -> Option<Vec<String>> {
        None
    }
    /// Where each member named `name` of the type at `path` comes from: None
    /// for an inherent item, else the trait of its impl (full path). Empty
    /// when the type has none, or is not known.
    fn member_traits(&self, _path: &str, _name: &str) -> Vec<Option<String>> {
        Vec::new()
    }
    /// The members of a type or trait with their kinds and signatures, as
    /// far as the source knows them; None when `path` is not one.
    fn member_details(&self, path: &str) -> Option<Vec<StdMemberInfo>> {
        self.members(path).map(|names| {
            names
                .into_iter()
                .map(|name| StdMemberInfo {
                    name,
                    kind: None,
                    from_trait: None,
                    signature: None,
                    doc: None,
                    unavailable: false,
                })
                .collect()
        })
    }
}
