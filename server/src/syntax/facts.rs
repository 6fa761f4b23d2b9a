//! `FileFacts`: what one source file says, independent of any index.
//!
//! The facts are a small scope tree: every scope holds its name bindings, and
//! every value is kept as an unevaluated [`Expr`]. Name binding in Python is
//! decided at compile time, so the whole scope structure is syntactic; only
//! *what a name refers to* (a module, a class, an instance) needs the index and
//! is computed later by `analysis`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

pub use super::nesting::NestingCut;

pub type ScopeId = u32;
pub type ClassId = u32;
pub type FuncId = u32;
/// Index into [`FileFacts::guards`]; 0 is "no condition".
pub type GuardId = u32;

/// A span of source text: byte offsets plus 0-based (row, byte column) points.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Span {
    pub start_byte: u32,
    pub end_byte: u32,
    pub start_row: u32,
    pub start_col: u32,
    pub end_row: u32,
    pub end_col: u32,
}

/// A value expression, kept unevaluated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Expr {
    Name {
        name: Box<str>,
        scope: ScopeId,
        span: Span,
    },
    Attr {
        base: Box<Expr>,
        attr: Box<str>,
        /// Span of the attribute identifier.
        span: Span,
        /// `hasattr(base, "attr")` or `getattr(base, "attr", ...)` appears in the file.
        guarded: bool,
    },
    Call {
        func: Box<Expr>,
        /// A call with a literal class name and member list
        /// (`namedtuple("P", "a b")`, `Enum("Color", "RED GREEN")`): the
        /// class it builds when the callee is such a factory, kept in
        /// [`FileFacts::classes`] (its bases: the callee).
        builds: Option<ClassId>,
        /// Called with no argument at all (`plt.subplots()`): the first
        /// `@overload` every parameter of which has a default is the one.
        no_args: bool,
        /// Its only argument is `__name__` (`make(__name__)`): a factory's
        /// parameter is then the calling module's name.
        module_name_arg: bool,
    },
    Subscript {
        value: Box<Expr>,
        /// The subscript's items when it reads as a type (`tuple[Figure,
        /// Axes]`, `Final[C]`): names, attribute chains and subscripts of
        /// them; empty otherwise.
        args: Box<[Expr]>,
    },
    Literal(Literal),
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Literal {
    Str,
    Bytes,
    Int,
    Float,
    Complex,
    Bool,
    None,
    List,
    Tuple,
    Dict,
    Set,
}

impl Literal {
    /// The builtins class of the literal's value, `None` for `None`.
    pub fn class_name(self) -> Option<&'static str> {
        Some(match self {
            Literal::Str => "str",
            Literal::Bytes => "bytes",
            Literal::Int => "int",
            Literal::Float => "float",
            Literal::Complex => "complex",
            Literal::Bool => "bool",
            Literal::None => return None,
            Literal::List => "list",
            Literal::Tuple => "tuple",
            Literal::Dict => "dict",
            Literal::Set => "set",
        })
    }
}

impl Expr {
    /// The dotted text of a Name/Attr chain, calls elided (`a.b().c` → `a.b.c`).
    pub fn dotted(&self) -> Option<String> {
        match self {
            Expr::Name { name, .. } => Some(name.to_string()),
            Expr::Attr { base, attr, .. } => Some(format!("{}.{}", base.dotted()?, attr)),
            Expr::Call { func, .. } => func.dotted(),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ParamRole {
    /// First parameter of a plain method: an instance of the class.
    SelfOf(ClassId),
    /// First parameter of a classmethod (or `__new__`, `__init_subclass__`): the class.
    ClsOf(ClassId),
    Plain,
    /// `*args` / `**kwargs`.
    Variadic,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum BindingKind {
    /// `import a.b` binds `a` to module `a`; `import a.b as c` binds `c` to `a.b`.
    Import {
        module: Box<str>,
    },
    /// `from .m import n [as x]`.
    ImportFrom {
        level: u32,
        module: Box<str>,
        name: Box<str>,
    },
    Class(ClassId),
    Function(FuncId),
    Assign(Expr),
    /// `x: T [= v]`: the declared type wins over the value.
    Annotated {
        annotation: Expr,
        value: Option<Expr>,
    },
    Param {
        annotation: Option<Expr>,
        role: ParamRole,
        default_none: bool,
    },
    /// `with v as x`: the result of `v.__enter__()`.
    With(Expr),
    /// `except E as x`: an instance of `E`.
    Except(Expr),
    /// `a, b = value`: item `index` of `count` (a flat target list, no
    /// starred name).
    Unpack {
        value: Expr,
        index: u32,
        count: u32,
    },
    /// Loop targets, other unpacking, augmented assignment, `global` writes…
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Binding {
    pub kind: BindingKind,
    pub guard: GuardId,
    /// Inside `try:` (or its handlers) that catches ImportError.
    pub in_try_import: bool,
    /// Inside the `except ImportError:` handler itself: the fallback path.
    pub in_fallback: bool,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScopeKind {
    Module,
    Class(ClassId),
    Function(FuncId),
    Lambda,
    Comprehension,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StarImport {
    pub level: u32,
    pub module: Box<str>,
    pub guard: GuardId,
    pub in_try_import: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Scope {
    pub kind: ScopeKind,
    pub parent: Option<ScopeId>,
    pub bindings: BTreeMap<Box<str>, Vec<Binding>>,
    /// Names whose type is narrowed somewhere in this scope (`isinstance(x, …)`,
    /// `hasattr(x, …)`, `match x:`): never treated as certain.
    pub narrowed: BTreeSet<Box<str>>,
    pub star_imports: Vec<StarImport>,
    /// `exec`, `locals()`, `vars()` used here: names may appear from nowhere.
    pub dynamic_names: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Param {
    pub name: Box<str>,
    pub annotation: Option<Expr>,
    /// Source text of the annotation and default, for signatures.
    pub annotation_text: Option<String>,
    pub default_text: Option<String>,
    /// `*` or `**` prefix, or `/` and `*` separators as their own entries.
    pub prefix: std::borrow::Cow<'static, str>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FunctionFacts {
    pub name: Box<str>,
    pub span: Span,
    /// The function's body scope.
    pub scope: ScopeId,
    /// The scope the `def` stands in.
    pub parent_scope: ScopeId,
    pub class: Option<ClassId>,
    pub params: Vec<Param>,
    pub returns: Option<Expr>,
    pub returns_text: Option<String>,
    pub return_exprs: Vec<Expr>,
    /// Decorators, as dotted names where they are plain names or attribute chains.
    pub decorators: Vec<String>,
    pub is_async: bool,
    pub is_generator: bool,
    pub doc: Option<String>,
    /// For a `__getattr__(name)` outside a class: its body read as tests on
    /// the parameter (`None` when it cannot be read so: the parameter is
    /// rebound, the body has syntax errors).
    pub getattr_body: Option<Vec<GetattrStep>>,
    /// Every call raises: the body ends in `raise` and never returns (not a
    /// generator). A `__getattr__` calling it closes that path.
    pub always_raises: bool,
}

impl FunctionFacts {
    pub fn has_decorator(&self, last_segment: &str) -> bool {
        self.decorators
            .iter()
            .any(|d| d.rsplit('.').next() == Some(last_segment))
    }

    /// Decorators that keep the function a plain function (or a descriptor we model).
    pub fn decorators_transparent(&self) -> bool {
        self.decorators.iter().all(|d| {
            matches!(
                d.rsplit('.').next().unwrap_or(""),
                "staticmethod"
                    | "classmethod"
                    | "property"
                    | "cached_property"
                    | "abstractmethod"
                    | "override"
                    | "final"
                    | "overload"
                    | "setter"
                    | "getter"
                    | "deleter"
                    | "deprecated"
                    | "no_type_check"
            )
        })
    }

    /// `def name(params) -> ret` as written.
    pub fn signature(&self) -> String {
        let mut out = String::new();
        if self.is_async {
            out.push_str("async ");
        }
        out.push_str("def ");
        out.push_str(&self.name);
        out.push('(');
        for (i, p) in self.params.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&p.prefix);
            out.push_str(&p.name);
            if let Some(a) = &p.annotation_text {
                out.push_str(": ");
                out.push_str(a);
            }
            if let Some(d) = &p.default_text {
                out.push_str(if p.annotation_text.is_some() {
                    " = "
                } else {
                    "="
                });
                out.push_str(d);
            }
        }
        out.push(')');
        if let Some(r) = &self.returns_text {
            out.push_str(" -> ");
            out.push_str(r);
        }
        out
    }
}

/// One step of a `__getattr__(name)` body, read as what happens to each
/// name looked up (`analysis::eval::getattr` follows the paths).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum GetattrStep {
    /// `if test: then else: otherwise` (an `elif` chain nests in `otherwise`).
    If {
        test: NameTest,
        then: Vec<GetattrStep>,
        otherwise: Vec<GetattrStep>,
    },
    /// Any one of the branches may run, for any name: a test not on the
    /// parameter, a loop body (or none), a `try` body or one of its handlers.
    Either(Vec<Vec<GetattrStep>>),
    /// `return …`: the names reaching it are members.
    Return,
    /// `raise …`: the names reaching it are not members; the message is the
    /// first argument of the exception when it is made of literals, the
    /// parameter and literal-dict lookups; the exception is the class
    /// raised (`AttributeError`, `ImportError`) when the code names it.
    Raise {
        exception: Option<Box<str>>,
        message: Option<Vec<MessagePiece>>,
    },
    /// A call statement of a plain name: raises when that function always does.
    Call(Box<str>),
    /// `globals()[name] = …`: the names reaching it become members, and the
    /// path goes on.
    StoreGlobal,
    /// `return helper(name)`: what the function `helper` makes of the name
    /// (a function read the same way, or the one a factory returns:
    /// `helper = make(__name__)`); otherwise a plain `return`.
    Delegate(Box<str>),
}

impl GetattrStep {
    /// Whether this step (or one inside it) tests the parameter.
    pub fn tests(&self) -> bool {
        match self {
            GetattrStep::If { .. } => true,
            GetattrStep::Either(branches) => branches.iter().flatten().any(GetattrStep::tests),
            _ => false,
        }
    }
}

/// A test on the `__getattr__` parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum NameTest {
    /// `name == "x"`, `name in (...)`, `name in COLLECTION`.
    In(NameCollection),
    Not(Box<NameTest>),
    And(Vec<NameTest>),
    Or(Vec<NameTest>),
    /// True for some of the names the inner test is true for, not all
    /// (`D.get(name) is not None`: a value may be `None`).
    Within(Box<NameTest>),
    /// `f"{prefix}{name}" in COLLECTION` (or `== "x"`): the keys that start
    /// with the prefix, the prefix cut off. The prefix is literal text and
    /// names: a factory parameter given the module's `__name__` is its name;
    /// other names make the test an over-estimate.
    Prefixed {
        prefix: Vec<PrefixPiece>,
        collection: NameCollection,
    },
    /// `name in globals()` (or a local bound to it, to
    /// `sys.modules[__name__].__dict__`, or to `sys.modules[p].__dict__` for a
    /// factory parameter `p`): the module's own names, which never reach its
    /// `__getattr__`.
    InModuleDict(Option<Box<str>>),
    Unknown,
}

/// A piece of the text a `Prefixed` test puts before the parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PrefixPiece {
    Text(Box<str>),
    /// `{x}`: a name read where the function is defined.
    Name(Box<str>),
}

/// The strings a test compares the parameter with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum NameCollection {
    Literal(Vec<Box<str>>),
    /// A name the function reads: a module-level literal collection of its
    /// module, or one imported from a sibling module.
    Named(Box<str>),
    /// `A | B`, `A + B`.
    Union(Vec<NameCollection>),
}

/// A piece of an exception message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum MessagePiece {
    Text(Box<str>),
    /// `{name}` (`repr`: `{name!r}`).
    Name {
        repr: bool,
    },
    /// `{COLLECTION[name]}`: the value of a literal dict.
    Lookup(NameCollection),
}

/// A module-level collection of string literals (`X = ("a", "b")`, a dict
/// with string keys, a comprehension over literals): its rows, each the
/// strings of one element (a dict's key and value, a tuple's items; `None`
/// where an item is not a string literal).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiteralCollection {
    pub dict: bool,
    pub rows: Vec<Vec<Option<Box<str>>>>,
}

impl LiteralCollection {
    /// The strings `x in collection` is true for; `None` when an element is
    /// not a string (a tuple, a non-literal).
    pub fn keys(&self) -> Option<Vec<&str>> {
        self.rows
            .iter()
            .map(|r| match r.as_slice() {
                [Some(k)] => Some(&**k),
                [Some(k), ..] if self.dict => Some(&**k),
                _ => None,
            })
            .collect()
    }

    /// A dict's value for `key`, when it is a string literal.
    pub fn value(&self, key: &str) -> Option<&str> {
        if !self.dict {
            return None;
        }
        self.rows.iter().find_map(|r| match r.as_slice() {
            [Some(k), Some(v)] if &**k == key => Some(&**v),
            _ => None,
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClassFacts {
    pub name: Box<str>,
    pub span: Span,
    /// The class body scope.
    pub scope: ScopeId,
    pub parent_scope: ScopeId,
    pub bases: Vec<Expr>,
    pub metaclass: Option<Expr>,
    pub decorators: Vec<String>,
    /// `self.x = …` in any method (and `cls.x = …` in classmethods), with the values.
    pub self_attrs: BTreeMap<Box<str>, Vec<Expr>>,
    /// `setattr(self, …)`, `self.__dict__`, `vars(self)` writes: members appear dynamically.
    pub dynamic: bool,
    /// The class is configured to accept extra attributes (pydantic-style
    /// `extra="allow"` in its keywords, a configuration call or dict in its
    /// body, or a nested `Config`), or configured in a way not read here.
    pub allows_extra: bool,
    /// Built by a call (`namedtuple("P", "a b")`), not a `class` statement:
    /// a class only where the callee is a class factory.
    pub from_call: bool,
    pub doc: Option<String>,
}

/// One import statement, for the unresolved-module / unresolved-symbol checks.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImportFacts {
    pub level: u32,
    pub module: Box<str>,
    /// Span of the module path as written.
    pub span: Span,
    /// For `from m import a, b`: each imported name and its span. Empty for `import m`
    /// and star imports.
    pub names: Vec<(Box<str>, Span)>,
    pub star: bool,
    pub guard: GuardId,
    pub in_try_import: bool,
    pub in_type_checking: bool,
}

/// An attribute chain read somewhere, to be checked.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AttrRef {
    pub expr: Expr,
    pub guard: GuardId,
    /// Inside `try:` whose handlers catch AttributeError.
    pub in_try_attr: bool,
    /// Part of an annotation: read by type checkers, not necessarily run.
    pub in_annotation: bool,
}

/// A name read where no enclosing scope binds it syntactically.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FreeName {
    pub name: Box<str>,
    pub scope: ScopeId,
    pub span: Span,
    pub guard: GuardId,
    pub in_try_name: bool,
}

/// A condition that code may stand under, as far as it can be evaluated statically.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Condition {
    /// `sys.version_info <op> (major, minor, …)`.
    Version {
        op: CmpOp,
        version: Vec<u32>,
    },
    /// `sys.platform <op> "value"` (`==`, `!=`) or `sys.platform.startswith("value")`.
    Platform {
        op: CmpOp,
        value: String,
    },
    TypeChecking,
    /// `__name__ == "__main__"`: true when the file runs as a script.
    Main,
    /// `hasattr(base, "attr")` where base is a dotted name.
    HasAttr {
        base: Expr,
        attr: String,
    },
    Not(Box<Condition>),
    And(Vec<Condition>),
    Or(Vec<Condition>),
    Unknown,
}

impl Condition {
    /// The condition's value when only `TYPE_CHECKING` is known (true):
    /// `Some` when that decides it.
    pub fn when_type_checking(&self) -> Option<bool> {
        match self {
            Condition::TypeChecking => Some(true),
            Condition::Not(inner) => inner.when_type_checking().map(|v| !v),
            Condition::And(parts) => {
                let mut all = Some(true);
                for p in parts {
                    match p.when_type_checking() {
                        Some(false) => return Some(false),
                        None => all = None,
                        Some(true) => {}
                    }
                }
                all
            }
            Condition::Or(parts) => {
                let mut any = Some(false);
                for p in parts {
                    match p.when_type_checking() {
                        Some(true) => return Some(true),
                        None => any = None,
                        Some(false) => {}
                    }
                }
                any
            }
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    StartsWith,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Suppression {
    /// 0-based row.
    pub row: u32,
    /// `None`: every code.
    pub codes: Option<Vec<String>>,
}

/// Whether `suppressions` (sorted by row, as both front ends leave them)
/// hold one on `row` for `code`: a binary search, so a file with as many
/// suppressions as findings costs no more than its findings.
pub fn suppressed(suppressions: &[Suppression], row: u32, code: &str) -> bool {
    let first = suppressions.partition_point(|s| s.row < row);
    suppressions[first..]
        .iter()
        .take_while(|s| s.row == row)
        .any(|s| {
            s.codes
                .as_ref()
                .is_none_or(|codes| codes.iter().any(|c| c == code))
        })
}

/// Markers of a module whose namespace is written dynamically.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DynamicModule {
    pub globals_write: bool,
    pub setattr_self: bool,
    pub sys_modules_self: bool,
    /// `sys.meta_path.append(finder)` (and `insert`, `extend`, `+=`): the
    /// module installs an import hook, which may serve modules under its
    /// name that no file holds (`six.moves`).
    pub meta_path_finder: bool,
}

/// The statements around syntax errors, which nothing is concluded from:
/// error recovery can read a definition as something else (`try` without
/// its colon leaves `import json` as the expression `json`) and make up
/// expressions (`[1, 2` then `json.loads` reads as `2.loads`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Damaged {
    /// Their byte ranges, sorted and disjoint.
    pub ranges: Vec<(u32, u32)>,
    /// Every word in them (identifier-like, in strings and comments too):
    /// any may be a name the file binds.
    pub words: BTreeSet<Box<str>>,
    /// The words of the statements holding the errors themselves: a name
    /// there may be bound again, to anything, so what it holds is unknown.
    pub rebound: BTreeSet<Box<str>>,
    /// They may bind names no word shows, or expect a name to be missing
    /// (`from m import *`, `globals()`, `exec`, `except NameError`).
    pub dynamic: bool,
}

impl Damaged {
    /// Whether `span` starts inside a damaged statement.
    pub fn covers(&self, span: &Span) -> bool {
        let at = span.start_byte;
        let i = self.ranges.partition_point(|r| r.1 <= at);
        self.ranges.get(i).is_some_and(|r| r.0 <= at)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileFacts {
    pub scopes: Vec<Scope>,
    pub classes: Vec<ClassFacts>,
    pub functions: Vec<FunctionFacts>,
    pub imports: Vec<ImportFacts>,
    pub attr_refs: Vec<AttrRef>,
    pub free_names: Vec<FreeName>,
    /// `guards[id]`: the conjunction of (condition, expected truth) the code stands under.
    pub guards: Vec<Vec<(Condition, bool)>>,
    /// `__all__`, when it is a literal list (possibly extended with literals).
    pub all: Option<Vec<String>>,
    pub dynamic: DynamicModule,
    /// Module-level names bound to collections of string literals.
    pub literal_collections: BTreeMap<Box<str>, LiteralCollection>,
    /// `sys.modules["a.b"] = expr`: module aliases registered by this module.
    pub sys_modules_aliases: Vec<(String, Expr)>,
    pub suppressions: Vec<Suppression>,
    /// Attribute names this file assigns on objects other than `self`/`cls`
    /// (`policy._now = …`): some class gets them from outside its body.
    pub foreign_attr_stores: BTreeSet<Box<str>>,
    pub doc: Option<String>,
    /// Number of syntax error nodes; facts are still extracted from what parsed.
    pub syntax_errors: u32,
    /// First syntax error position (row, col), for the note.
    pub first_error: Option<(u32, u32)>,
    /// With syntax errors: what the damaged statements may bind (empty otherwise).
    pub damaged: Damaged,
    /// Statements nested too deeply to be walked, left out (their words are
    /// in `damaged`).
    pub nesting_cut: Option<NestingCut>,
    /// Where the module, a class or a scope was made open, kept beside the
    /// open flags (`dynamic`, `ClassFacts::dynamic`, `allows_extra`,
    /// `Scope::dynamic_names`) for `grounded check --why`.
    pub open_sites: Vec<OpenSite>,
}

/// The construct that made something open, and where: said by `--why`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenSite {
    pub target: OpenTarget,
    /// 0-based row of the construct.
    pub row: u32,
    /// The construct, as a user reads it (`setattr(self, …)`).
    pub what: Box<str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OpenTarget {
    Module,
    Class(ClassId),
    Scope(ScopeId),
}

impl FileFacts {
    /// The first construct recorded as opening `target`.
    pub fn open_site(&self, target: OpenTarget) -> Option<&OpenSite> {
        self.open_sites.iter().find(|s| s.target == target)
    }
}

pub const MODULE_SCOPE: ScopeId = 0;

impl FileFacts {
    /// Whether part of the file was not understood (a syntax error, a
    /// statement nested too deeply): its bindings are not all known.
    pub fn is_damaged(&self) -> bool {
        self.syntax_errors > 0 || self.nesting_cut.is_some()
    }

    pub fn scope(&self, id: ScopeId) -> &Scope {
        &self.scopes[id as usize]
    }

    /// The scope that binds `name` as seen from `from`, by Python's rules: the
    /// scope itself, then enclosing function scopes (class scopes are skipped
    /// except the starting one), then the module.
    pub fn binding_scope(&self, from: ScopeId, name: &str) -> Option<ScopeId> {
        let mut current = Some(from);
        let mut first = true;
        while let Some(id) = current {
            let scope = self.scope(id);
            let visible = first || !matches!(scope.kind, ScopeKind::Class(_));
            if visible && scope.bindings.contains_key(name) {
                return Some(id);
            }
            first = false;
            current = scope.parent;
        }
        None
    }

    pub fn module_bindings(&self, name: &str) -> Option<&[Binding]> {
        self.scopes[MODULE_SCOPE as usize]
            .bindings
            .get(name)
            .map(|v| v.as_slice())
    }

    /// Whether type checkers skip the code under this guard: one of its
    /// conditions is false when `TYPE_CHECKING` is true (`if not
    /// TYPE_CHECKING:`, the `else` of `if TYPE_CHECKING:`).
    pub fn hidden_from_type_checkers(&self, guard: GuardId) -> bool {
        self.guards.get(guard as usize).is_some_and(|conds| {
            conds
                .iter()
                .any(|(c, truth)| c.when_type_checking() == Some(!*truth))
        })
    }

    /// Whether the code under this guard runs only for type checkers (`if
    /// TYPE_CHECKING:`).
    pub fn only_for_type_checkers(&self, guard: GuardId) -> bool {
        self.guards.get(guard as usize).is_some_and(|conds| {
            conds
                .iter()
                .any(|(c, truth)| *c == Condition::TypeChecking && *truth)
        })
    }

    /// Whether a line carries a suppression for `code`.
    pub fn suppressed(&self, row: u32, code: &str) -> bool {
        suppressed(&self.suppressions, row, code)
    }

    /// The enclosing function of a scope, if any (lambdas and comprehensions
    /// belong to the function they stand in).
    pub fn enclosing_function(&self, mut scope: ScopeId) -> Option<FuncId> {
        loop {
            match self.scope(scope).kind {
                ScopeKind::Function(f) => return Some(f),
                ScopeKind::Module | ScopeKind::Class(_) => return None,
                _ => scope = self.scope(scope).parent?,
            }
        }
    }
}

impl FileFacts {
    /// Whether every id the facts hold names an entry that exists (scopes,
    /// classes, functions, guards) and the scopes form a tree under the
    /// module scope, each parent made before its child, and suppressions come
    /// sorted — what the analysis relies on when it indexes with them, walks
    /// up the scopes or searches the suppressions. The
    /// parser's facts always are; facts decoded from a damaged cache entry
    /// may not be, and are then parsed again instead of trusted.
    pub fn is_consistent(&self) -> bool {
        let ids = Ids {
            scopes: self.scopes.len(),
            classes: self.classes.len(),
            functions: self.functions.len(),
            guards: self.guards.len(),
        };
        let Some(module) = self.scopes.first() else {
            return false;
        };
        if module.kind != ScopeKind::Module || module.parent.is_some() {
            return false;
        }
        let scopes_ok = self.scopes.iter().enumerate().all(|(i, s)| {
            let parent_ok = i == 0 || s.parent.is_some_and(|p| (p as usize) < i);
            let kind_ok = match s.kind {
                ScopeKind::Module => i == 0,
                ScopeKind::Class(c) => ids.class(c),
                ScopeKind::Function(f) => ids.function(f),
                ScopeKind::Lambda | ScopeKind::Comprehension => true,
            };
            parent_ok
                && kind_ok
                && s.star_imports.iter().all(|st| ids.guard(st.guard))
                && s.bindings
                    .values()
                    .flatten()
                    .all(|b| ids.guard(b.guard) && ids.binding(&b.kind))
        });
        let classes_ok = self.classes.iter().all(|c| {
            ids.scope(c.scope)
                && ids.scope(c.parent_scope)
                && c.bases.iter().all(|e| ids.expr(e))
                && c.metaclass.as_ref().is_none_or(|e| ids.expr(e))
                && c.self_attrs.values().flatten().all(|e| ids.expr(e))
        });
        let functions_ok = self.functions.iter().all(|f| {
            ids.scope(f.scope)
                && ids.scope(f.parent_scope)
                && f.class.is_none_or(|c| ids.class(c))
                && f.params
                    .iter()
                    .all(|p| p.annotation.as_ref().is_none_or(|e| ids.expr(e)))
                && f.returns.as_ref().is_none_or(|e| ids.expr(e))
                && f.return_exprs.iter().all(|e| ids.expr(e))
        });
        scopes_ok
            && classes_ok
            && functions_ok
            && self.imports.iter().all(|i| ids.guard(i.guard))
            && self
                .attr_refs
                .iter()
                .all(|r| ids.guard(r.guard) && ids.expr(&r.expr))
            && self
                .free_names
                .iter()
                .all(|n| ids.guard(n.guard) && ids.scope(n.scope))
            && self.guards.iter().flatten().all(|(c, _)| ids.condition(c))
            && self.sys_modules_aliases.iter().all(|(_, e)| ids.expr(e))
            && self.suppressions.windows(2).all(|w| w[0].row <= w[1].row)
            && self.damaged.ranges.iter().all(|r| r.0 <= r.1)
            && self.damaged.ranges.windows(2).all(|w| w[0].1 <= w[1].0)
    }
}

/// The lengths of the vectors a [`FileFacts`]' ids index.
struct Ids {
    scopes: usize,
    classes: usize,
    functions: usize,
    guards: usize,
}

impl Ids {
    fn scope(&self, id: ScopeId) -> bool {
        (id as usize) < self.scopes
    }

    fn class(&self, id: ClassId) -> bool {
        (id as usize) < self.classes
    }

    fn function(&self, id: FuncId) -> bool {
        (id as usize) < self.functions
    }

    fn guard(&self, id: GuardId) -> bool {
        (id as usize) < self.guards
    }

    /// An expression is a chain (each node holds at most one other): walked
    /// in a loop, however deep.
    fn expr(&self, mut e: &Expr) -> bool {
        loop {
            e = match e {
                Expr::Name { scope, .. } => return self.scope(*scope),
                Expr::Attr { base, .. } => base,
                Expr::Call { func, builds, .. } => {
                    if builds.is_some_and(|c| !self.class(c)) {
                        return false;
                    }
                    func
                }
                Expr::Subscript { value, args } => {
                    if !args.iter().all(|a| self.expr(a)) {
                        return false;
                    }
                    value
                }
                Expr::Literal(_) | Expr::Unknown => return true,
            }
        }
    }

    fn binding(&self, kind: &BindingKind) -> bool {
        match kind {
            BindingKind::Class(c) => self.class(*c),
            BindingKind::Function(f) => self.function(*f),
            BindingKind::Assign(e)
            | BindingKind::With(e)
            | BindingKind::Except(e)
            | BindingKind::Unpack { value: e, .. } => self.expr(e),
            BindingKind::Annotated { annotation, value } => {
                self.expr(annotation) && value.as_ref().is_none_or(|e| self.expr(e))
            }
            BindingKind::Param {
                annotation, role, ..
            } => {
                let role_ok = match role {
                    ParamRole::SelfOf(c) | ParamRole::ClsOf(c) => self.class(*c),
                    ParamRole::Plain | ParamRole::Variadic => true,
                };
                role_ok && annotation.as_ref().is_none_or(|e| self.expr(e))
            }
            BindingKind::Import { .. } | BindingKind::ImportFrom { .. } | BindingKind::Other => {
                true
            }
        }
    }

    /// Conditions nest (`not`, `and`, `or`): walked with a stack of its own.
    fn condition(&self, c: &Condition) -> bool {
        let mut pending = vec![c];
        while let Some(c) = pending.pop() {
            match c {
                Condition::HasAttr { base, .. } => {
                    if !self.expr(base) {
                        return false;
                    }
                }
                Condition::Not(inner) => pending.push(inner),
                Condition::And(all) | Condition::Or(all) => pending.extend(all.iter()),
                Condition::Version { .. }
                | Condition::Platform { .. }
                | Condition::TypeChecking
                | Condition::Main
                | Condition::Unknown => {}
            }
        }
        true
    }
}
