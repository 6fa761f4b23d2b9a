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
    assert!(
        refs.iter()
            .any(|r| r.starts_with("std::collections::HashMapp")),
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
