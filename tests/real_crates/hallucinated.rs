//! Near misses an assistant might write: each is reported.
use anyhow::Result;
use regex::Regex;
use serde_json::Value;
use serde_json::from_string; // expect: unresolved-symbol
use regex::RegexFactory; // expect: unresolved-symbol
use anyhow::Contextual; // expect: unresolved-symbol
use clap::CommandBuilder; // expect: unresolved-symbol

pub fn near_misses(text: &str) -> Result<Value> {
    let v: Value = serde_json::parse(text)?; // expect: unresolved-symbol
    let _ = serde_json::jsonn!({"a": 1}); // expect: unresolved-symbol
    let re = Regex::compile(r"\d+"); // expect: unknown-member
    let _ = anyhow::format_err_fn(); // expect: unresolved-symbol
    let _ = re;
    Ok(v)
}

pub fn method_misses(text: &str) -> usize {
    let v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let n = v.as_obj().is_some() as usize; // expect: unknown-member
    let mut m = serde_json::Map::new();
    m.put("k".to_string(), Value::Bool(true)); // expect: unknown-member
    let re: Regex = Regex::new("a").unwrap();
    let k = re.match_all(text); // expect: unknown-member
    n + m.len() + k
}

pub fn std_macro_misses() -> usize {
    // std's macros are read from rust-src only where the index is silent:
    // a module of std the sources cannot read whole must not hide these.
    let v: Vec<u8> = std::vecc![1, 2]; // expect: unresolved-symbol
    let s = std::format_str!("{}", 1); // expect: unresolved-symbol
    v.len() + s.len()
}
