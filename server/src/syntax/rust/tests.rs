use super::facts::*;
use super::parse;

const SAMPLE: &str = r#"
use std::collections::{HashMap, hash_map::Entry as E};
use serde_json::*;
pub use crate::inner::Thing;
mod outer;
#[path = "x.rs"] mod renamed;
mod inner {
    pub struct Thing { pub items: Vec<String>, count: usize }
    impl Thing {
        pub fn new() -> Self { Thing { items: Vec::new(), count: 0 } }
        fn len(&self) -> usize { self.items.len() }
    }
}
#[derive(Debug, Clone, Serialize)]
enum Color { Red, Green(u8) }
trait Shape { fn area(&self) -> f64; fn name(&self) -> String { String::new() } }
impl<T: Clone> Shape for T { fn area(&self) -> f64 { 0.0 } }
macro_rules! twice { ($e:expr) => { $e; $e } }
cfg_if! { if #[cfg(unix)] { fn sys() {} } }
fn run<T: Default>(v: Vec<u8>, s: &str, t: T) -> Option<u8> {
    let m: HashMap<u8, u8> = HashMap::new();
    let w = Vec::with_len(3);
    let x = 5;
    let x = 6;
    let f = |a| a + 1;
    f(1);
    helper();
    T::default();
    serde_json::from_string("1");
    std::collections::HashMapp::<u8, u8>::new();
    v.push_all(1);
    "abc".to_upper();
    w.len();
    if let Some(y) = v.first() { y.foo(); }
    for (i, z) in v.iter().enumerate() { z.bar(i); }
    match s { q if q.is_empty() => {}, _ => {} }
    fn nested() {}
    nested();
    println!("{}", x);
    None
}
"#;

#[test]
fn items_uses_and_modules() {
    let f = parse(SAMPLE);
    assert_eq!(f.syntax_errors, 0, "{:?}", f.first_error);
    let root = &f.modules[0];
    let names: Vec<&str> = root.items.iter().map(|i| i.name.as_str()).collect();
    for n in [
        "outer", "renamed", "inner", "Color", "Shape", "twice", "run",
    ] {
        assert!(names.contains(&n), "{n} in {names:?}");
    }
    let renamed = root.items.iter().find(|i| i.name == "renamed").unwrap();
    assert_eq!(
        renamed.module,
        Some(ModTarget::File {
            path_attr: Some("x.rs".into())
        })
    );
    let color = root.items.iter().find(|i| i.name == "Color").unwrap();
    assert_eq!(color.derives, ["Debug", "Clone", "Serialize"]);
    assert_eq!(color.members.len(), 2);
    let uses: Vec<(String, Option<&str>, bool)> = root
        .uses
        .iter()
        .map(|u| (u.path.join("::"), u.binds(), u.glob))
        .collect();
    assert!(uses.contains(&("std::collections::HashMap".into(), Some("HashMap"), false)));
    assert!(uses.contains(&("std::collections::hash_map::Entry".into(), Some("E"), false)));
    assert!(uses.contains(&("serde_json".into(), None, true)));
    assert!(root
        .uses
        .iter()
        .any(|u| u.public && u.path == ["crate", "inner", "Thing"]));
    assert_eq!(root.open_reasons, ["cfg_if!"]);
    let inner = &f.modules[1];
    assert_eq!(inner.name, "inner");
    let thing = &inner.items[0];
    assert!(thing.public);
    assert_eq!(
        thing.members[0].ty,
        Some(TypeRef {
            path: vec!["Vec".into()]
        })
    );
    assert_eq!(inner.impls[0].items.len(), 2);
    let blanket = &root.impls[0];
    assert!(blanket.blanket, "{blanket:?}");
    assert_eq!(blanket.trait_path, Some(vec!["Shape".to_string()]));
    let shape = root.items.iter().find(|i| i.name == "Shape").unwrap();
    assert!(matches!(
        shape.members[1].kind,
        MemberKind::Fn {
            has_self: true,
            has_default: true
        }
    ));
}

#[test]
fn references_calls_and_locals() {
    let f = parse(SAMPLE);
    let refs: Vec<String> = f.refs.iter().map(|r| r.segs.join("::")).collect();
    for r in [
        "Vec::with_len",
        "serde_json::from_string",
        "T::default",
        "HashMap::new",
    ] {
        assert!(refs.contains(&r.to_string()), "{r} in {refs:?}");
    }
    // The turbofish is no segment.
    assert!(
        refs.contains(&"std::collections::HashMapp::new".to_string()),
        "{refs:?}"
    );
    let calls: Vec<&str> = f.calls.iter().map(|c| c.name.as_str()).collect();
    assert!(calls.contains(&"helper") && calls.contains(&"f") && calls.contains(&"nested"));
    let helper = f.calls.iter().find(|c| c.name == "helper").unwrap();
    assert!(!f.bound_locally(helper.scope, "helper"));
    let fcall = f.calls.iter().find(|c| c.name == "f").unwrap();
    assert!(f.bound_locally(fcall.scope, "f"));
    let nested = f.calls.iter().find(|c| c.name == "nested").unwrap();
    assert!(f.bound_locally(nested.scope, "nested"));
    let m = |name: &str| f.method_calls.iter().find(|m| m.method == name).unwrap();
    let push_all = m("push_all");
    assert_eq!(push_all.receiver, Receiver::Var("v".into()));
    assert_eq!(
        f.var_type(push_all.scope, "v"),
        Some(&VarType::Declared(TypeRef {
            path: vec!["Vec".into()]
        }))
    );
    assert_eq!(f.var_type(push_all.scope, "x"), None, "bound twice");
    assert_eq!(
        f.var_type(push_all.scope, "w"),
        Some(&VarType::Constructed(vec!["Vec".into()], "with_len".into()))
    );
    assert_eq!(
        m("to_upper").receiver,
        Receiver::Literal(TypeRef {
            path: vec!["str".into()]
        })
    );
    let foo = m("foo");
    assert!(f.bound_locally(foo.scope, "y"));
    assert_eq!(f.var_type(foo.scope, "y"), None);
    let bar = m("bar");
    assert!(f.bound_locally(bar.scope, "z") && f.bound_locally(bar.scope, "i"));
    let is_empty = m("is_empty");
    assert!(f.bound_locally(is_empty.scope, "q"));
    let len = f
        .method_calls
        .iter()
        .find(|m| m.method == "len" && m.receiver == Receiver::SelfField("items".into()));
    assert!(len.is_some());
    let tdefault = f.refs.iter().find(|r| r.segs == ["T", "default"]).unwrap();
    assert!(f.bound_locally(tdefault.scope, "T"), "generic parameter");
}

#[test]
fn suppressions_and_errors() {
    let f = parse("fn a() {\n    b(); // grounded: ignore[undefined-name]\n    c(\n}\n");
    assert!(f.suppressed(1, "undefined-name"));
    assert!(!f.suppressed(1, "unknown-member"));
    assert!(f.syntax_errors > 0);
}

const DOCUMENTED: &str = r#"//! The crate's own docs.
//! Second line of them.

/// Count the words of a file,
/// upper-cased. Missing files are errors.
///
/// # Errors
/// When the file cannot be read.
pub fn word_counts() {}

/** A block doc,
 * with stars. */
pub fn block() {}

#[doc = "From an \"attribute\"."]
pub const LIMIT: usize = 3;

/// Has attributes between.
#[derive(Debug)]
#[cfg_attr(test, derive(Clone))]
pub struct Report {
    /// The title, as shown.
    pub title: String,
    // A plain comment, not docs.
    pub lines: Vec<String>,
}

/// Links: see [`Report`] and [the book](https://x.y).
pub struct Slug(
    /// The text.
    pub String,
);

// Only a comment.
pub fn plain() {}

//// Four slashes: a comment too.
pub static ZERO: u8 = 0;

/// An enum.
pub enum Format {
    /// Plain text.
    Text,
    #[allow(dead_code)]
    /// JSON, one object a line.
    Json,
    Other,
}

impl Report {
    /// Make an empty report.
    pub fn new() -> Report { todo!() }
    /// The maximum.
    pub const MAX: usize = 1;
    pub fn undocumented(&self) {}
}

/// A trait.
pub trait Render {
    /// Render it.
    fn render(&self) -> String;
}

/// A type alias.
pub type Lines = Vec<String>;

/// A macro.
macro_rules! shout { () => {} }

mod inline {
    //! Inside an inline module.
    /// In the inline module.
    pub fn f() {}
}

/// Outer docs win.
mod outer_doc {
    //! Inner docs lose.
}

/// A file module.
mod store;
"#;

fn doc_of<'f>(items: &'f [RItem], name: &str) -> Option<&'f str> {
    let item = items.iter().find(|i| i.name == name);
    item.unwrap_or_else(|| panic!("{name}")).doc.as_deref()
}

fn member_doc<'f>(members: &'f [RMember], name: &str) -> Option<&'f str> {
    let member = members.iter().find(|m| m.name == name);
    member.unwrap_or_else(|| panic!("{name}")).doc.as_deref()
}

#[test]
fn docs_of_items() {
    let f = parse(DOCUMENTED);
    assert_eq!(f.syntax_errors, 0, "{:?}", f.first_error);
    let items = &f.modules[0].items;
    let doc = |name| doc_of(items, name);
    assert_eq!(
        doc("word_counts"),
        Some("Count the words of a file, upper-cased.")
    );
    assert_eq!(doc("block"), Some("A block doc, with stars."));
    assert_eq!(doc("LIMIT"), Some("From an \"attribute\"."));
    assert_eq!(doc("Report"), Some("Has attributes between."));
    assert_eq!(doc("Slug"), Some("Links: see `Report` and the book."));
    assert_eq!(doc("plain"), None);
    assert_eq!(doc("ZERO"), None);
    assert_eq!(doc("Format"), Some("An enum."));
    assert_eq!(doc("Render"), Some("A trait."));
    assert_eq!(doc("Lines"), Some("A type alias."));
    assert_eq!(doc("shout"), Some("A macro."));
    assert_eq!(doc("store"), Some("A file module."));
    // The derive is still seen through the docs.
    let report = items.iter().find(|i| i.name == "Report").unwrap();
    assert_eq!(report.derives, ["Debug", "Clone"]);
}

#[test]
fn docs_of_members() {
    let f = parse(DOCUMENTED);
    let items = &f.modules[0].items;
    let members = |name: &str| &items.iter().find(|i| i.name == name).unwrap().members;
    assert_eq!(
        member_doc(members("Report"), "title"),
        Some("The title, as shown.")
    );
    assert_eq!(member_doc(members("Report"), "lines"), None);
    assert_eq!(member_doc(members("Slug"), "0"), Some("The text."));
    assert_eq!(member_doc(members("Format"), "Text"), Some("Plain text."));
    assert_eq!(
        member_doc(members("Format"), "Json"),
        Some("JSON, one object a line.")
    );
    assert_eq!(member_doc(members("Format"), "Other"), None);
    assert_eq!(member_doc(members("Render"), "render"), Some("Render it."));
    let imp = &f.modules[0].impls[0].items;
    assert_eq!(member_doc(imp, "new"), Some("Make an empty report."));
    assert_eq!(member_doc(imp, "MAX"), Some("The maximum."));
    assert_eq!(member_doc(imp, "undocumented"), None);
}

#[test]
fn module_docs() {
    let f = parse(DOCUMENTED);
    assert_eq!(f.modules[0].doc.as_deref(), Some("The crate's own docs."));
    let items = &f.modules[0].items;
    assert_eq!(doc_of(items, "inline"), Some("Inside an inline module."));
    assert_eq!(doc_of(items, "outer_doc"), Some("Outer docs win."));
    let inline = f.modules.iter().find(|m| m.name == "inline").unwrap();
    assert_eq!(inline.doc.as_deref(), Some("Inside an inline module."));
    assert_eq!(doc_of(&inline.items, "f"), Some("In the inline module."));
    // `#![doc = ".."]` documents the module too.
    let f = parse("#![doc = \"Attribute docs.\"]\nfn x() {}\n");
    assert_eq!(f.modules[0].doc.as_deref(), Some("Attribute docs."));
}

#[test]
fn docs_on_odd_input_do_not_panic() {
    for src in [
        "///",
        "/**/ fn a() {}",
        "/***/ fn a() {}",
        "/// é\n#[doc = r#\"x\"#]\n#[doc = include_str!(\"a\")]\nfn a() {}",
        "/// [unclosed\nstruct S { /// f\n a: u8 }",
        "#[doc = \"\\u{1F600}\\\n   continued\"] fn a() {}",
    ] {
        let _ = parse(src);
    }
    let f = parse("/// [unclosed\nstruct S;");
    assert_eq!(f.modules[0].items[0].doc.as_deref(), Some("[unclosed"));
}

/// Receivers made of calls: method chains, `?`, bare calls, range literals;
/// `x.0` is the tuple's element; `x.await` what the future gives.
#[test]
fn tuple_field_and_await_receivers() {
    let f = parse("async fn g() {\n    pair().1.next();\n    load().await.len();\n    let v = pair().0;\n    v.go();\n}\n");
    let m = |name: &str| f.method_calls.iter().find(|m| m.method == name).unwrap();
    let call = |n: &str| Receiver::Constructed(Vec::new(), n.into());
    assert_eq!(
        m("next").receiver,
        Receiver::TupleField(Box::new(call("pair")), 1)
    );
    assert_eq!(m("len").receiver, Receiver::Await(Box::new(call("load"))));
    assert_eq!(
        f.var_type(m("go").scope, "v"),
        Some(&VarType::Expr(Receiver::TupleField(
            Box::new(call("pair")),
            0
        )))
    );
}

/// a variable bound to one keeps the expression.
#[test]
fn receivers_through_calls() {
    let f = parse(
        "fn g() -> Result<(), E> {\n    let re = Regex::new(\"a\").unwrap();\n    re.test(1);\n    Regex::new(\"a\")?.find_all(1);\n    load().name();\n    (0..3).windows(2);\n    (1..=2).a();\n    (1..).b();\n    (..4).c();\n    x.y.z();\n    Ok(())\n}\n",
    );
    let m = |name: &str| f.method_calls.iter().find(|m| m.method == name).unwrap();
    let new = || Receiver::Constructed(vec!["Regex".into()], "new".into());
    assert_eq!(m("test").receiver, Receiver::Var("re".into()));
    assert_eq!(
        f.var_type(m("test").scope, "re"),
        Some(&VarType::Expr(Receiver::Method(
            Box::new(new()),
            "unwrap".into()
        )))
    );
    assert_eq!(m("find_all").receiver, Receiver::Try(Box::new(new())));
    assert_eq!(
        m("name").receiver,
        Receiver::Constructed(Vec::new(), "load".into())
    );
    let range = |name: &str| {
        Receiver::Literal(TypeRef {
            path: ["core", "ops", name].map(String::from).to_vec(),
        })
    };
    assert_eq!(m("windows").receiver, range("Range"));
    assert_eq!(m("a").receiver, range("RangeInclusive"));
    assert_eq!(m("b").receiver, range("RangeFrom"));
    assert_eq!(m("c").receiver, range("RangeTo"));
    assert_eq!(m("z").receiver, Receiver::Other);
}

/// An item-level call's body is read as items marked `via` the call (the
/// index decides whether the macro passes them through); nested calls
/// record their parent; the paths inside are not the file's.
#[test]
fn item_macro_bodies_are_read_as_items() {
    let src = r#"
#[cfg(unix)]
cfg_rt! {
    pub mod runtime;
    pub use task::spawn;
    impl Handle { pub fn current() -> Handle { other::thing() } }
    cfg_net! {
        pub fn bind() {}
    }
}
feature! {
    #![any(feature = "a", feature = "b")]
    pub struct Both;
}
make_fn!(generated);
thread_local! {
    pub static COUNTER: u32 = const { 0 };
    static PRIVATE: u32 = 1;
}
#[cfg(feature = "x")]
#[cfg_attr(docsrs, doc(cfg(feature = "x")))]
#[cfg_attr(feature = "serde", derive(Serialize))]
pub fn gated() {}
"#;
    let f = parse(src);
    let root = &f.modules[0];
    let calls: Vec<(&str, Option<u32>, bool)> = root
        .macro_calls
        .iter()
        .map(|c| (c.name.as_str(), c.parent, c.items_ok))
        .collect();
    assert_eq!(
        calls,
        [
            ("cfg_rt", None, true),
            ("cfg_net", Some(0), true),
            ("feature", None, true),
            ("make_fn", None, false)
        ]
    );
    assert_eq!(root.macro_calls[0].cfgs, ["unix"]);
    assert_eq!(
        root.macro_calls[2].inner_meta.as_deref(),
        Some(r#"any(feature = "a", feature = "b")"#)
    );
    let item = |n: &str| root.items.iter().find(|i| i.name == n).unwrap();
    assert_eq!(item("runtime").via, Some(0));
    assert_eq!(item("bind").via, Some(1));
    assert_eq!(item("Both").via, Some(2));
    assert!(root
        .uses
        .iter()
        .any(|u| u.via == Some(0) && u.path == ["task", "spawn"]));
    assert!(root.impls.iter().any(|i| i.via == Some(0)));
    // thread_local! declares its statics; the module stays closed by it.
    assert!(item("COUNTER").public && item("COUNTER").kind == RItemKind::Static);
    assert!(!item("PRIVATE").public);
    let mut reasons = root.open_reasons.clone();
    reasons.sort();
    assert_eq!(reasons, ["cfg_net!", "cfg_rt!", "feature!", "make_fn!"]);
    // Paths inside bodies are the macro's business.
    assert!(!f
        .refs
        .iter()
        .any(|r| r.segs.first().is_some_and(|s| s == "other")));
    let gated = item("gated");
    assert_eq!(gated.cfgs, [r#"feature = "x""#]);
    assert_eq!(gated.cfg_attrs.len(), 1);
    assert_eq!(gated.cfg_attrs[0].pred, r#"feature = "serde""#);
    assert_eq!(gated.cfg_attrs[0].derives, ["Serialize"]);
    assert!(f.cfg_regions.iter().any(|r| r.cfgs == [r#"feature = "x""#]));
    assert!(f.is_consistent());
}

/// Derive paths are references in the macro namespace, with a span per
/// segment; `cfg_attr`'s derives (maybe off) and derives of `cfg` items are not.
#[test]
fn derive_paths_are_macro_references() {
    let src = "#[derive(Debug, serde::Serialize, ::thiserror::Error)]\npub struct A;\n\
               #[cfg_attr(feature = \"x\", derive(Nope))]\npub struct B;\n\
               #[cfg(test)]\n#[derive(Gone)]\npub struct C;\n";
    let f = parse(src);
    let derives: Vec<(String, bool)> = f
        .refs
        .iter()
        .filter(|r| r.kind == RefKind::Derive)
        .map(|r| (r.segs.join("::"), r.absolute))
        .collect();
    assert_eq!(
        derives,
        [
            ("Debug".to_string(), false),
            ("serde::Serialize".to_string(), false),
            ("thiserror::Error".to_string(), true),
        ]
    );
    let serialize = f.refs.iter().find(|r| r.segs.len() == 2).unwrap();
    assert_eq!(
        &src[serialize.spans[1].start_byte as usize..serialize.spans[1].end_byte as usize],
        "Serialize"
    );
    assert_eq!(RefKind::Derive.namespace(), Namespace::DeriveMacro);
}

/// A proc-macro crate's fns carry the macro they export, by its name.
#[test]
fn proc_macro_attributes_name_the_macro() {
    let f = parse(
        "#[proc_macro_derive(Hello, attributes(hello))]\npub fn derive_hello(i: TokenStream) -> TokenStream { i }\n\
         #[proc_macro]\npub fn answer(i: TokenStream) -> TokenStream { i }\n\
         #[proc_macro_attribute]\npub fn traced(a: TokenStream, i: TokenStream) -> TokenStream { i }\n\
         #[macro_use]\nextern crate log;\n",
    );
    let exported: Vec<(String, ProcMacroKind)> = f.modules[0]
        .items
        .iter()
        .filter_map(|i| i.proc_macro.as_ref().map(|p| (p.name.clone(), p.kind)))
        .collect();
    assert_eq!(
        exported,
        [
            ("Hello".to_string(), ProcMacroKind::Derive),
            ("answer".to_string(), ProcMacroKind::Bang),
            ("traced".to_string(), ProcMacroKind::Attr),
        ]
    );
    assert!(f.modules[0]
        .items
        .iter()
        .any(|i| i.name == "log" && i.macro_use));
}

/// `<T as Trait>::item`, in expressions and types, records the trait's path
/// (generic arguments dropped) and the item.
#[test]
fn qualified_paths_name_the_trait_and_item() {
    let f = parse(
        "fn f() {\n    let _ = <Vec<u8> as Default>::new();\n    let _: Option<<Vec<u8> as IntoIterator>::Element> = None;\n    let _ = <String as From<&str>>::from(\"a\");\n    let _ = <u8 as ::std::str::FromStr>::from_str(\"1\");\n}\n",
    );
    let q: Vec<(String, String, bool)> = f
        .qualified
        .iter()
        .map(|q| (q.trait_segs.join("::"), q.item.clone(), q.absolute))
        .collect();
    assert_eq!(
        q,
        [
            ("Default".to_string(), "new".to_string(), false),
            ("IntoIterator".to_string(), "Element".to_string(), false),
            ("From".to_string(), "from".to_string(), false),
            (
                "std::str::FromStr".to_string(),
                "from_str".to_string(),
                true
            ),
        ]
    );
    assert!(f.is_consistent());
}

/// A struct literal records its path and the fields it names (shorthand
/// included; the functional update's base is no field).
#[test]
fn struct_literals_record_their_fields() {
    let f = parse("fn f(y: i32, p: P) {\n    let _ = std::ops::Range { start: 0, end: 3 };\n    let _ = P { x: 1, y, ..p };\n}\n");
    let lits: Vec<(String, Vec<String>)> = f
        .struct_literals
        .iter()
        .map(|l| {
            (
                l.segs.join("::"),
                l.fields.iter().map(|f| f.0.clone()).collect(),
            )
        })
        .collect();
    assert_eq!(
        lits,
        [
            (
                "std::ops::Range".to_string(),
                vec!["start".to_string(), "end".to_string()]
            ),
            ("P".to_string(), vec!["x".to_string(), "y".to_string()]),
        ]
    );
}

/// Receivers of literal shapes: `vec![…]`, array literals, paths as values.
#[test]
fn receivers_of_literals_and_paths() {
    let f = parse(
        "fn g() {\n    vec![1].a();\n    [1, 2].b();\n    Value::Null.c();\n    other![1].d();\n    let v = Level::Low;\n    v.e();\n}\n",
    );
    let m = |name: &str| f.method_calls.iter().find(|m| m.method == name).unwrap();
    assert_eq!(
        m("a").receiver,
        Receiver::Literal(TypeRef {
            path: ["alloc", "vec", "Vec"].map(String::from).to_vec(),
        })
    );
    assert_eq!(
        m("b").receiver,
        Receiver::Literal(TypeRef {
            path: vec!["array".to_string()],
        })
    );
    let path = |a: &str, b: &str| Receiver::Path(vec![a.to_string(), b.to_string()]);
    assert_eq!(m("c").receiver, path("Value", "Null"));
    assert_eq!(m("d").receiver, Receiver::Other);
    assert_eq!(
        f.var_type(m("e").scope, "v"),
        Some(&VarType::Expr(path("Level", "Low")))
    );
}

/// Blanket impls keep their self parameter's bounds; macros the traits
/// they may implement.
#[test]
fn blanket_bounds_and_macro_trait_impls() {
    let f = parse(
        "impl<T: Iterator + ?Sized> Ext for T {}\nimpl<T> Shout for T\nwhere\n    T: std::fmt::Display,\n{}\nimpl Ext for Vec<u8> {}\nmacro_rules! m {\n    ($t:ty) => { impl Greet for $t {} impl fmt::$tr for $t {} impl<X> $name for X {} };\n}\n",
    );
    let impls = &f.modules[0].impls;
    let bounds = |i: usize| impls[i].blanket_bounds.clone();
    assert_eq!(bounds(0), Some(vec![vec!["Iterator".to_string()]]));
    assert_eq!(
        bounds(1),
        Some(vec![["std", "fmt", "Display"].map(String::from).to_vec()])
    );
    assert_eq!(bounds(2), None);
    let m = f.modules[0].items.iter().find(|i| i.name == "m").unwrap();
    assert_eq!(m.macro_trait_impls, ["Greet", "fmt::*", "*"]);
}

#[test]
fn raw_identifiers_are_their_bare_names() {
    let f = parse(
        "use rand::r#gen as g;\npub trait Rng { fn r#gen(&self) -> u32; }\nimpl Rng for u8 { fn r#gen(&self) -> u32 { 1 } }\nfn r#match(r#type: u8) -> u32 { let x = 1u8; x.r#gen() + r#type as u32 }\n",
    );
    let m = &f.modules[0];
    assert_eq!(m.uses[0].path, ["rand", "gen"]);
    let rng = m.items.iter().find(|i| i.name == "Rng").unwrap();
    assert_eq!(rng.members[0].name, "gen");
    assert!(m.items.iter().any(|i| i.name == "match"));
    assert_eq!(m.impls[0].items[0].name, "gen");
    assert!(f.method_calls.iter().any(|c| c.method == "gen"));
}

/// A struct literal's field under `#[cfg(…)]` is code for that
/// configuration (its findings are dropped where the predicate is false);
/// members under `cfg` keep their predicates.
#[test]
fn cfg_on_literal_fields_and_members() {
    let text = "pub struct S { a: u8, #[cfg(feature = \"t\")] b: u8 }\nimpl S {\n    #[cfg(unix)]\n    pub fn f() {}\n}\nfn g() -> S {\n    S {\n        a: 1,\n        #[cfg(feature = \"t\")]\n        b: 2,\n    }\n}\n";
    let f = parse(text);
    let at = text.find("#[cfg(feature = \"t\")]\n        b").unwrap() as u32;
    assert!(f
        .cfg_regions
        .iter()
        .any(|r| r.cfgs == [r#"feature = "t""#] && r.start_byte == at));
    let s = &f.modules[0].items[0];
    assert_eq!(s.members[1].cfgs, [r#"feature = "t""#]);
    assert_eq!(f.modules[0].impls[0].items[0].cfgs, ["unix"]);
}
