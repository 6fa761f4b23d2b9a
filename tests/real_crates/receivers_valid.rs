//! Receivers whose type is followed through calls (return types of the
//! crates' fns and methods, std's by their signatures, `unwrap`/`?`, type
//! aliases, range literals): real uses, nothing may be reported.
use regex::Regex;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub fn regexes(text: &str) -> usize {
    let n = Regex::new(r"\d+").unwrap().find_iter(text).count();
    let re = Regex::new(r"(\w+)").expect("valid");
    let caps = re.captures(text).unwrap();
    let first = caps.get(1).map(|m| m.as_str().len()).unwrap_or(0);
    let whole = caps.get(0).unwrap().as_str().len() + caps.len();
    let names = re.capture_names().count() + re.captures_len();
    let s = re.as_str().len();
    let replaced = re.replace_all(text, "x").len();
    let set = regex::RegexSet::new(["a", "b"]).unwrap().matches(text).len();
    let b = regex::bytes::Regex::new("a").unwrap().is_match(b"abc");
    let built = regex::RegexBuilder::new("a")
        .case_insensitive(true)
        .build()
        .unwrap()
        .shortest_match(text)
        .unwrap_or(0);
    n + first + whole + names + s + replaced + set + b as usize + built
}

pub fn times() -> u128 {
    let start = Instant::now();
    let d = Duration::from_secs(1).as_millis() + Duration::from_millis(5).as_nanos();
    let e = start.elapsed().as_micros();
    let later = Instant::now().checked_add(Duration::from_secs(2)).is_some();
    let f = Duration::from_secs_f64(0.5).mul_f64(2.0).as_millis();
    let g = Instant::now().duration_since(start).as_secs() as u128;
    d + e + later as u128 + f + g
}

pub fn paths(p: &str) -> Option<usize> {
    let ext = Path::new(p).extension()?.len();
    let parent = Path::new(p).parent()?.to_path_buf().join("x").exists();
    let owned = PathBuf::from(p).with_extension("rs").display().to_string().len();
    let stem = Path::new(p).file_stem().and_then(|s| s.to_str()).map(str::len);
    let comps = Path::new(p).components().count();
    Some(ext + parent as usize + owned + stem.unwrap_or(0) + comps)
}

pub fn ranges() -> usize {
    let a: i32 = (0..3).map(|x| x * 2).sum();
    let b = (0..=3).rev().count();
    let c = (1..).take(3).count();
    let d = (0..10).step_by(2).len();
    let contains = (0..3).contains(&1) && !(0..=3).is_empty();
    let e = (0..5).start + (0..5).end + (0..=5).end();
    let f = (0..4).chain(5..6).filter(|x| x % 2 == 0).count();
    a as usize + b + c + d + contains as usize + e as usize + f
}

pub fn strings(text: &str) -> std::io::Result<usize> {
    let s = std::fs::read_to_string(text)?.trim().to_uppercase();
    let lines = std::fs::read_to_string(text).unwrap_or_default().lines().count();
    let m: HashMap<String, usize> = HashMap::new();
    let k = m.get("a").copied().unwrap_or(0);
    let n = text.to_string().trim_end().len();
    let parsed = "5".parse::<usize>().unwrap().pow(2);
    let v = vec![1, 2, 3].into_iter().rev().collect::<Vec<_>>().len();
    let json = serde_json::to_string(&v).unwrap().len();
    let pretty = serde_json::to_string_pretty(&v).unwrap_or_default().is_empty();
    let value = serde_json::from_str::<serde_json::Value>("1").unwrap().is_number();
    let bytes = String::from_utf8(vec![b'a']).unwrap().into_bytes().len();
    let meta = std::fs::metadata(text)?.len() as usize;
    Ok(s.len() + lines + k + n + parsed + v + json + pretty as usize + value as usize + bytes + meta)
}
