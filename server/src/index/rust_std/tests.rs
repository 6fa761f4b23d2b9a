use super::*;
use std::fs;
use std::sync::OnceLock;

#[test]
fn explore() {
    let idx = StdIndex::load(None).unwrap();
    for p in ["str", "slice", "alloc::string::String", "core::iter::Iterator", "std::option::Option"] {
        let m = idx.members(p).unwrap();
        eprintln!("{p}: {}", m.iter().map(|m| format!("{}{}", m.name, m.trait_path.as_ref().map(|t| format!("<{t}>")).unwrap_or_default())).collect::<Vec<_>>().join(" "));
    }
    for p in ["array","pointer","tuple","unit","fn","reference","never","f64","char","bool"] {
        eprintln!("{p}: {:?} {:?}", idx.kinds_of(p), idx.members(p).map(|m| m.len()));
    }
    eprintln!("{:?}", idx.children("std").map(|c| c.len()));
    eprintln!("{:?}", idx.children("std::prelude::v1"));
}
