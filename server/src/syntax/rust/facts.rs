//! What one Rust file says, as the index and analysis need it: its modules
//! (the file's own and inline `mod x { }` blocks) with their items, `use`
//! declarations and impls; the paths, method calls and bare calls it makes;
//! and the local scopes (function bodies) that bind names. Pure data.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::syntax::facts::{Span, Suppression};

pub type ModuleId = u32;

/// Macros of std every module can use unqualified (they bind no names in
/// the caller's scope).
pub const STD_MACROS: &[&str] = &[
    "assert",
    "assert_eq",
    "assert_ne",
    "cfg",
    "column",
    "compile_error",
    "concat",
    "dbg",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "env",
    "eprint",
    "eprintln",
    "file",
    "format",
    "format_args",
    "include",
    "include_bytes",
    "include_str",
    "line",
    "matches",
    "module_path",
    "option_env",
    "panic",
    "print",
    "println",
    "stringify",
    "todo",
    "unimplemented",
    "unreachable",
    "vec",
    "write",
    "writeln",
    "thread_local",
    "macro_rules",
];
pub type ScopeId = u32;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RustFacts {
    /// Index 0 is the file's own module; inline `mod x { }` blocks follow.
    pub modules: Vec<RModule>,
    /// Function bodies and impl/trait blocks: the names they bind.
    pub scopes: Vec<LocalScope>,
    pub refs: Vec<PathRef>,
    /// `<T as Trait>::item` paths.
    pub qualified: Vec<QualifiedRef>,
    /// Struct literals (`Range { start: 0, end: 3 }`) with the fields they name.
    pub struct_literals: Vec<StructLiteral>,
    pub method_calls: Vec<MethodCall>,
    /// Named field reads and writes (`r.start`), as calls without a call:
    /// `method` is the field's name.
    pub field_accesses: Vec<MethodCall>,
    pub calls: Vec<BareCall>,
    pub suppressions: Vec<Suppression>,
    pub syntax_errors: u32,
    /// (row, column), 0-based.
    pub first_error: Option<(u32, u32)>,
    /// Statements and items nested too deeply to be walked, left out.
    pub nesting_cut: Option<crate::syntax::nesting::NestingCut>,
    /// Items (and impl or trait items) under `#[cfg(…)]`: code that is not
    /// compiled where a predicate is false.
    pub cfg_regions: Vec<CfgRegion>,
}

/// Code under `#[cfg(…)]`: its bytes and predicates.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CfgRegion {
    pub start_byte: u32,
    pub end_byte: u32,
    pub cfgs: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RModule {
    /// "" for the file's own module.
    pub name: String,
    pub parent: Option<ModuleId>,
    pub items: Vec<RItem>,
    pub uses: Vec<RUse>,
    pub impls: Vec<RImpl>,
    /// Why items may exist that the source does not spell out (an
    /// item-level macro invocation, `include!`, an attribute macro…); empty
    /// when every item is visible.
    pub open_reasons: Vec<String>,
    /// The 0-based row of each of `open_reasons`, where it is known (for
    /// `--why`; `u32::MAX` or missing: not known).
    #[serde(default)]
    pub open_lines: Vec<u32>,
    /// The first line of its inner docs (`//!`, `/*! */`, `#![doc = ".."]`).
    pub doc: Option<String>,
    /// Item-level macro invocations whose body was read as items (the
    /// items, uses and impls marked `via` one of them): what a macro that
    /// passes its items through would make. Each also opened the module
    /// (`name!` in `open_reasons`) until the index knows the macro.
    pub macro_calls: Vec<MacroCall>,
    /// The macros a `macro_rules!` body or an item-level invocation here
    /// may define (`__ensure![#[macro_export] macro_rules! ensure { .. }]`):
    /// with `#[macro_export]` they live at the crate root.
    pub defined_macros: Vec<String>,
    /// One of those is named by a metavariable (`macro_rules! $name`): which
    /// macros it defines is not known.
    pub defined_macros_unnamed: bool,
}

/// An item-level macro invocation (`cfg_rt! { … }`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MacroCall {
    /// The macro's path as written (`cfg_rt`, `crate::cfg_rt`).
    pub name: String,
    /// The call whose body holds this one.
    pub parent: Option<u32>,
    /// The body read as items, without a syntax error.
    pub items_ok: bool,
    /// `#![…]` at the start of the body (tokio's `feature! { #![any(…)] … }`):
    /// what it holds.
    pub inner_meta: Option<String>,
    /// The capitalised identifiers of its tokens: the types a macro that
    /// writes `impl $t { … }` may give members to.
    pub idents: Vec<String>,
    /// The open reason it gave its module (`name!`).
    pub reason: String,
    /// The call's own `#[cfg(…)]` predicates (they hold for its items).
    pub cfgs: Vec<String>,
    /// The byte range of its tokens (inside the delimiters): what a call of
    /// another crate's macro may add is bounded by them
    /// (`index::rust::foreign_macro`).
    pub body: Option<(u32, u32)>,
    /// The statics its body would declare were it `thread_local!`'s
    /// (`static NAME:` at its top level): for a macro that hands its tokens
    /// to `thread_local!`.
    pub statics: Vec<RItem>,
}

/// What a `macro_rules!` expands to, as far as its text tells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum MacroShape {
    /// Every arm passes `$item` fragments through, each under these
    /// attributes (their text inside `#[…]`); `meta` names the fragment of
    /// a leading `#![$meta:meta]` the attributes may use.
    PassThrough {
        attrs: Vec<String>,
        meta: Option<String>,
        /// `#[cfg(unix)] cfg_signal_internal! { $($item)* }`: the items go
        /// on to that macro (of the same crate), which must pass them through.
        forward: Option<String>,
    },
    /// Every arm writes `impl` blocks only: the self types they name
    /// (`impl Foo<$t>` → `Foo`); `from_call` when a self type is a fragment
    /// (`impl $t`), whose types the call names.
    Impls { types: Vec<String>, from_call: bool },
    /// Every arm hands its tokens to `thread_local!` (tokio's
    /// `tokio_thread_local!`): the call declares the statics it names.
    ThreadLocal,
}

/// `#[cfg_attr(pred, …)]`: what it adds when `pred` holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CfgAttr {
    pub pred: String,
    pub derives: Vec<String>,
    pub macros: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RItemKind {
    Fn,
    Struct,
    Enum,
    Union,
    Trait,
    TypeAlias,
    Const,
    Static,
    Mod,
    Macro,
    ExternCrate,
}

impl RItemKind {
    pub fn is_type(self) -> bool {
        matches!(
            self,
            RItemKind::Struct
                | RItemKind::Enum
                | RItemKind::Union
                | RItemKind::Trait
                | RItemKind::TypeAlias
        )
    }

    pub fn label(self) -> &'static str {
        match self {
            RItemKind::Fn => "function",
            RItemKind::Struct => "struct",
            RItemKind::Enum => "enum",
            RItemKind::Union => "union",
            RItemKind::Trait => "trait",
            RItemKind::TypeAlias => "type alias",
            RItemKind::Const => "constant",
            RItemKind::Static => "static",
            RItemKind::Mod => "module",
            RItemKind::Macro => "macro",
            RItemKind::ExternCrate => "crate",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RItem {
    pub name: String,
    pub kind: RItemKind,
    pub public: bool,
    /// Its visibility is restricted (`pub(crate)`, `pub(super)`, `pub(in
    /// …)`): not reachable from another crate.
    #[serde(default)]
    pub restricted: bool,
    /// Under `#[cfg(...)]` (or `cfg_attr`): may not exist in every build.
    pub cfg: bool,
    /// `macro_rules!` with `#[macro_export]`: lives at the crate root.
    pub macro_export: bool,
    /// Under `#[cfg(test)]`: compiled into test builds only.
    pub test_only: bool,
    /// For `macro_rules!`: its expansion may contain an inherent impl
    /// (`impl X { ... }`, as opposed to `impl Trait for X`).
    pub macro_inherent_impls: bool,
    /// For `macro_rules!`: what it expands to, when its text tells.
    pub macro_shape: Option<MacroShape>,
    /// The predicates of its `#[cfg(…)]` attributes, as written (squashed:
    /// `feature = "std"`); all must hold for it to exist.
    pub cfgs: Vec<String>,
    /// Its `#[cfg_attr(…)]` attributes that add derives or attribute macros.
    pub cfg_attrs: Vec<CfgAttr>,
    /// Written in the body of this module's macro call (an index in
    /// `macro_calls`): exists when the macro passes it through.
    pub via: Option<u32>,
    /// `#[macro_use]`: on `mod`, its macros stay in scope after it; on
    /// `extern crate`, its macros join every module's scope.
    pub macro_use: bool,
    /// For `macro_rules!`: the traits its expansion may implement (the last
    /// name of each `impl … Trait for …` it writes; `*` for a trait named by
    /// a metavariable).
    #[serde(default)]
    pub macro_trait_impls: Vec<String>,
    /// `#[derive(...)]` names.
    pub derives: Vec<String>,
    /// In a proc-macro crate: the macro this fn exports
    /// (`#[proc_macro_derive(Name)]`, `#[proc_macro]`, `#[proc_macro_attribute]`).
    pub proc_macro: Option<ProcMacro>,
    /// Attributes that are not built in (attribute macros may rewrite the item).
    pub attr_macros: Vec<String>,
    /// For `mod`: where its body is.
    pub module: Option<ModTarget>,
    /// Enum variants, struct fields, trait items.
    pub members: Vec<RMember>,
    /// For `extern crate x as y`: the crate's name (the item's name is `y`).
    pub extern_crate: Option<String>,
    /// For fns: the signature as written, squashed to one line.
    pub signature: Option<String>,
    /// For fns: the return type, when it is a plain path.
    pub ret: Option<TypeRef>,
    /// For type aliases: the aliased type, when it is a plain path.
    pub aliased: Option<TypeRef>,
    /// The first line of its docs (`///`, `/** */`, `#[doc = ".."]`; for an
    /// inline `mod`, its inner docs when it has no outer ones).
    pub doc: Option<String>,
    pub span: Span,
}

/// A macro a proc-macro crate exports, by its name in the macro namespace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcMacro {
    pub name: String,
    pub kind: ProcMacroKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProcMacroKind {
    /// `#[proc_macro]`: `name!(...)`.
    Bang,
    /// `#[proc_macro_derive(Name)]`: `#[derive(Name)]`.
    Derive,
    /// `#[proc_macro_attribute]`: `#[name]`.
    Attr,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ModTarget {
    /// `mod x { ... }`: this file's module with that id.
    Inline(ModuleId),
    /// `mod x;`: another file; `#[path = "..."]` when given.
    File { path_attr: Option<String> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberKind {
    /// An associated function; `has_self` for methods.
    Fn {
        has_self: bool,
        has_default: bool,
    },
    Const,
    Type,
    Variant,
    Field,
}

impl MemberKind {
    /// What the member is, in Rust's words (`method`, `associated function`…).
    pub fn label(self) -> &'static str {
        match self {
            MemberKind::Fn { has_self: true, .. } => "method",
            MemberKind::Fn { .. } => "associated function",
            MemberKind::Const => "associated constant",
            MemberKind::Type => "associated type",
            MemberKind::Variant => "variant",
            MemberKind::Field => "field",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RMember {
    pub name: String,
    pub kind: MemberKind,
    /// The predicates of its `#[cfg(…)]` attributes, as [`RItem::cfgs`].
    #[serde(default)]
    pub cfgs: Vec<String>,
    /// Declared plain `pub` (not `pub(crate)`…): another crate can name it.
    /// An inherent impl's items are private without it; a trait's own
    /// items, a trait impl's and an enum's variants are as visible as their
    /// owner whatever this says.
    pub public: bool,
    /// Fields: the declared type; fns: the return type (plain paths only).
    pub ty: Option<TypeRef>,
    pub signature: Option<String>,
    /// The first line of its docs.
    pub doc: Option<String>,
}

/// A type written as a plain path: `Vec<u8>` → `["Vec"]`, `&str` → `["str"]`,
/// `[T]` → `["slice"]`, `std::path::PathBuf`. Generic arguments are dropped.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TypeRef {
    pub path: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RUse {
    /// `use a::b::c` → ["a", "b", "c"]; a glob's path is its module's.
    pub path: Vec<String>,
    pub spans: Vec<Span>,
    /// `as y` (`_` for an anonymous import).
    pub alias: Option<String>,
    pub glob: bool,
    pub public: bool,
    /// Its visibility is restricted (`pub(crate)`…), as [`RItem::restricted`].
    #[serde(default)]
    pub restricted: bool,
    /// `use ::a::b`.
    pub absolute: bool,
    /// Inside a function body: that scope.
    pub scope: Option<ScopeId>,
    pub cfg: bool,
    /// As [`RItem::cfgs`].
    pub cfgs: Vec<String>,
    /// As [`RItem::via`].
    pub via: Option<u32>,
}

impl RUse {
    /// The name the import binds (None for globs and `_`).
    pub fn binds(&self) -> Option<&str> {
        if self.glob {
            return None;
        }
        match self.alias.as_deref() {
            Some("_") => None,
            Some(a) => Some(a),
            None => self.path.last().map(String::as_str),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RImpl {
    pub self_ty: Option<TypeRef>,
    /// `impl Trait for X`: the trait's path.
    pub trait_path: Option<Vec<String>>,
    /// `impl<T> Trait for T`: the self type is a generic parameter.
    pub blanket: bool,
    /// For a blanket impl: the trait bounds on its self parameter, from its
    /// generics and `where` clause (`impl<T: Iterator + ?Sized> X for T` →
    /// `[["Iterator"]]`; `?Sized` and lifetimes left out); None when they
    /// cannot be read (a bound with parentheses or a higher-ranked one).
    #[serde(default)]
    pub blanket_bounds: Option<Vec<Vec<String>>>,
    /// The impl's generic parameters (`impl<T, E> X<T, E>` → `T`, `E`).
    pub generics: Vec<String>,
    pub items: Vec<RMember>,
    pub attr_macros: Vec<String>,
    /// As [`RItem::cfgs`].
    pub cfgs: Vec<String>,
    /// As [`RItem::via`].
    pub via: Option<u32>,
    pub span: Span,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LocalScope {
    pub parent: Option<ScopeId>,
    pub module: ModuleId,
    /// Every name bound here: parameters, `let`/pattern bindings, closure
    /// parameters, nested items, generic parameters, block-level imports.
    pub names: BTreeSet<String>,
    /// Variables whose type is certain: exactly one binding, with a declared
    /// type or a constructor. A variable bound twice maps to None.
    pub typed: BTreeMap<String, Option<VarType>>,
    /// The impl's self type (for `self`, `Self`).
    pub self_ty: Option<TypeRef>,
    /// The body contains a macro invocation whose tokens may bind names.
    pub has_macros: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum VarType {
    /// Declared: `let v: Vec<u8>`, `fn f(v: &str)`.
    Declared(TypeRef),
    /// `let v = Type::ctor(...)`: the type's path and the constructor.
    Constructed(Vec<String>, String),
    /// A literal: `let s = "x"` (str), `let n = 1u8`.
    Literal(TypeRef),
    /// Another expression whose type may be followed: a method call, a
    /// call of a function, `?` (`let re = Regex::new(p).unwrap()`).
    Expr(Receiver),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RefKind {
    /// A path in an expression (`serde_json::from_str`, `Vec::with_len`).
    Expr,
    /// The callee of a call.
    Call,
    /// A type position.
    Type,
    /// A macro invocation (`serde_json::json!`).
    Macro,
    /// A derive macro's path (`#[derive(serde::Serialize)]`, `#[derive(Debug)]`).
    Derive,
}

impl RefKind {
    /// The namespace the path's last segment names (Rust keeps types and
    /// modules, values and macros apart: `anyhow::error!` is not the module
    /// `anyhow::error`). An expression path may name a value or, for a
    /// struct literal or a unit struct, a type: it is looked up among both.
    pub fn namespace(self) -> Namespace {
        match self {
            RefKind::Expr | RefKind::Call => Namespace::Value,
            RefKind::Type => Namespace::Type,
            RefKind::Macro => Namespace::BangMacro,
            RefKind::Derive => Namespace::DeriveMacro,
        }
    }
}

/// Rust's namespaces: what a name may be looked up as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Namespace {
    /// Modules, crates, types, traits (every path segment but the last).
    Type,
    /// Functions, constants, statics, unit and tuple structs (and, here,
    /// every type: what is not a module, a trait or a macro).
    Value,
    /// `macro_rules!` and proc macros.
    Macro,
    /// A macro called as `name!(...)`: `macro_rules!`, `#[proc_macro]`.
    BangMacro,
    /// A macro named in `#[derive(...)]`: `#[proc_macro_derive(Name)]`.
    DeriveMacro,
    /// Whatever the name is (a `use` binds every namespace its target has).
    Any,
}

impl Namespace {
    /// One of the macro namespaces (they are one in Rust; the kinds tell
    /// how a macro may be used).
    pub fn is_macro(self) -> bool {
        matches!(
            self,
            Namespace::Macro | Namespace::BangMacro | Namespace::DeriveMacro
        )
    }

    /// Whether a proc macro of `kind` can be used as this namespace asks.
    pub fn takes(self, kind: ProcMacroKind) -> bool {
        match self {
            Namespace::Any | Namespace::Macro => true,
            Namespace::BangMacro => kind == ProcMacroKind::Bang,
            Namespace::DeriveMacro => kind == ProcMacroKind::Derive,
            Namespace::Type | Namespace::Value => false,
        }
    }

    /// Whether an item of `kind` lives in this namespace. (A struct is also
    /// a value when it is a unit or tuple struct: counted in both.)
    pub fn holds(self, kind: RItemKind) -> bool {
        match self {
            Namespace::Any => true,
            // (`macro_rules!` macros are never derives.)
            Namespace::Macro | Namespace::BangMacro => kind == RItemKind::Macro,
            Namespace::DeriveMacro => false,
            Namespace::Type => matches!(
                kind,
                RItemKind::Mod
                    | RItemKind::ExternCrate
                    | RItemKind::Struct
                    | RItemKind::Enum
                    | RItemKind::Union
                    | RItemKind::Trait
                    | RItemKind::TypeAlias
            ),
            // (Types too: a unit or tuple struct is a value, and a struct
            // literal's path is read as one.)
            Namespace::Value => !matches!(
                kind,
                RItemKind::Mod | RItemKind::Trait | RItemKind::Macro | RItemKind::ExternCrate
            ),
        }
    }
}

/// `Path { field: value, .. }`: the fields a struct literal names.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StructLiteral {
    pub segs: Vec<String>,
    pub absolute: bool,
    /// Named fields (`a: 1` and shorthand `a`), with their spans.
    pub fields: Vec<(String, Span)>,
    pub module: ModuleId,
    pub scope: Option<ScopeId>,
}

/// `<T as Trait>::item`: an associated item named through a trait, which
/// must be one of the trait's own items.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QualifiedRef {
    /// The trait's path, generic arguments dropped (`From<&str>` → `From`).
    pub trait_segs: Vec<String>,
    pub trait_spans: Vec<Span>,
    pub absolute: bool,
    pub item: String,
    pub item_span: Span,
    pub module: ModuleId,
    pub scope: Option<ScopeId>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PathRef {
    pub segs: Vec<String>,
    pub spans: Vec<Span>,
    pub absolute: bool,
    pub kind: RefKind,
    pub module: ModuleId,
    pub scope: Option<ScopeId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Receiver {
    /// A variable (or parameter) by name.
    Var(String),
    /// `self.field`.
    SelfField(String),
    /// A literal of this type.
    Literal(TypeRef),
    /// `Type::ctor(...)`, `module::func(...)`; a bare `func(...)` has an
    /// empty path.
    Constructed(Vec<String>, String),
    /// `receiver.method(...)`.
    Method(Box<Receiver>, String),
    /// `receiver?`.
    Try(Box<Receiver>),
    /// `receiver.0`: a tuple's element.
    TupleField(Box<Receiver>, u32),
    /// `receiver.await`.
    Await(Box<Receiver>),
    /// A path used as a value (`Value::Null`): a unit variant's enum, when
    /// it names one.
    Path(Vec<String>),
    /// Anything else: not analyzed.
    Other,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MethodCall {
    pub receiver: Receiver,
    pub method: String,
    pub span: Span,
    pub module: ModuleId,
    pub scope: Option<ScopeId>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BareCall {
    pub name: String,
    pub span: Span,
    pub module: ModuleId,
    pub scope: Option<ScopeId>,
}

impl RustFacts {
    /// Whether `name` is bound in `scope` or an enclosing one.
    pub fn bound_locally(&self, mut scope: Option<ScopeId>, name: &str) -> bool {
        while let Some(id) = scope {
            let Some(s) = self.scopes.get(id as usize) else {
                return false;
            };
            if s.names.contains(name) {
                return true;
            }
            scope = s.parent;
        }
        false
    }

    /// Whether a macro in `scope` or an enclosing one may bind names.
    pub fn macros_around(&self, mut scope: Option<ScopeId>) -> bool {
        while let Some(id) = scope {
            let Some(s) = self.scopes.get(id as usize) else {
                return false;
            };
            if s.has_macros {
                return true;
            }
            scope = s.parent;
        }
        false
    }

    /// The type of variable `name` as seen from `scope`, when certain.
    pub fn var_type(&self, mut scope: Option<ScopeId>, name: &str) -> Option<&VarType> {
        while let Some(id) = scope {
            let s = self.scopes.get(id as usize)?;
            if let Some(t) = s.typed.get(name) {
                return t.as_ref();
            }
            if s.names.contains(name) {
                return None;
            }
            scope = s.parent;
        }
        None
    }

    /// The impl self type around `scope`.
    pub fn self_type(&self, mut scope: Option<ScopeId>) -> Option<&TypeRef> {
        while let Some(id) = scope {
            let s = self.scopes.get(id as usize)?;
            if let Some(t) = &s.self_ty {
                return Some(t);
            }
            scope = s.parent;
        }
        None
    }

    pub fn suppressed(&self, row: u32, code: &str) -> bool {
        crate::syntax::facts::suppressed(&self.suppressions, row, code)
    }
}

impl RustFacts {
    /// Whether every module and scope id the facts hold names one that
    /// exists, each module's and scope's parent made before it, every path
    /// has its first segment and one span per segment, and suppressions come
    /// sorted — what the
    /// analysis relies on when it indexes with them or walks up the
    /// parents. The parser's facts always are; facts decoded from a damaged
    /// cache entry may not be, and are then parsed again instead of trusted.
    pub fn is_consistent(&self) -> bool {
        let modules = self.modules.len();
        let scopes = self.scopes.len();
        let module = |id: ModuleId| (id as usize) < modules;
        let scope = |id: Option<ScopeId>| id.is_none_or(|s| (s as usize) < scopes);
        let Some(root) = self.modules.first() else {
            return false;
        };
        root.parent.is_none()
            && self
                .modules
                .iter()
                .enumerate()
                .skip(1)
                .all(|(i, m)| m.parent.is_some_and(|p| (p as usize) < i))
            && self.modules.iter().enumerate().all(|(i, m)| {
                // An inline module is its parent's child, and nothing else's
                // (one pointing back up would be a module tree without end).
                let child = |id: ModuleId| {
                    self.modules
                        .get(id as usize)
                        .is_some_and(|c| c.parent == Some(i as ModuleId))
                };
                let via = |v: Option<u32>| v.is_none_or(|c| (c as usize) < m.macro_calls.len());
                m.uses.iter().all(|u| scope(u.scope) && via(u.via))
                    && m.items.iter().all(|i| via(i.via))
                    && m.impls.iter().all(|i| via(i.via))
                    && m.macro_calls
                        .iter()
                        .enumerate()
                        .all(|(c, call)| call.parent.is_none_or(|p| (p as usize) < c))
                    && m.items.iter().all(|item| match &item.module {
                        Some(ModTarget::Inline(id)) => child(*id),
                        Some(ModTarget::File { .. }) | None => true,
                    })
            })
            && self
                .scopes
                .iter()
                .enumerate()
                .all(|(i, s)| s.parent.is_none_or(|p| (p as usize) < i) && module(s.module))
            && self.refs.iter().all(|r| {
                !r.segs.is_empty()
                    && r.spans.len() == r.segs.len()
                    && module(r.module)
                    && scope(r.scope)
            })
            && self
                .struct_literals
                .iter()
                .all(|l| !l.segs.is_empty() && module(l.module) && scope(l.scope))
            && self.qualified.iter().all(|q| {
                !q.trait_segs.is_empty()
                    && q.trait_spans.len() == q.trait_segs.len()
                    && module(q.module)
                    && scope(q.scope)
            })
            && self
                .method_calls
                .iter()
                .chain(&self.field_accesses)
                .all(|c| module(c.module) && scope(c.scope))
            && self
                .calls
                .iter()
                .all(|c| module(c.module) && scope(c.scope))
            && self.suppressions.windows(2).all(|w| w[0].row <= w[1].row)
    }
}
