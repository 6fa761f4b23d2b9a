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
}
