//! Near misses on receivers whose type is followed through calls: each is
//! reported.
use regex::Regex;
use std::path::Path;
use std::time::{Duration, Instant};

pub fn misses(text: &str) {
    let _ = Regex::new(r"\d+").unwrap().test(text); // expect: unknown-member
    let re = Regex::new("a").expect("valid");
    let _ = re.find_all(text); // expect: unknown-member
    let _ = re.captures(text).unwrap().get_name("x"); // expect: unknown-member
    let _ = Instant::now().elapsed_ms(); // expect: unknown-member
    let _ = Duration::from_secs(1).as_seconds(); // expect: unknown-member
    let _ = Instant::now().elapsed().as_milis(); // expect: unknown-member
    let _ = Path::new(text).ext(); // expect: unknown-member
    let _ = (0..3).windows(2); // expect: unknown-member
    let _ = (0..=3).last_item(); // expect: unknown-member
    let _ = serde_json::to_string(&1).unwrap().length(); // expect: unknown-member
    let _ = std::fs::read_to_string(text).unwrap().trim_all(); // expect: unknown-member
    let _ = regex::RegexSet::new(["a"]).unwrap().is_matching(text); // expect: unknown-member
}

pub fn through_try(text: &str) -> std::io::Result<()> {
    let _ = std::fs::read_to_string(text)?.to_upper(); // expect: unknown-member
    let meta = std::fs::metadata(text)?;
    let _ = meta.length(); // expect: unknown-member
    Ok(())
}
