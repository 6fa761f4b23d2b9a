#!/usr/bin/env python3
"""Generate the Rust benchmark workspace (issue 4, "Speed"): 300 files in
three member crates using the real APIs of 30 crates.io dependencies.

Usage: python3 scripts/gen_rust_bench.py OUT_DIR
Every generated line compiles: `cargo check` on the workspace is the
comparison, and `grounded check` should find nothing.
"""
import os
import sys

DEPS = """
serde = { version = "1", features = ["derive"] }
serde_json = "1"
regex = "1"
anyhow = "1"
thiserror = "2"
clap = { version = "4", features = ["derive"] }
log = "0.4"
chrono = "0.4"
itertools = "0.14"
once_cell = "1"
bytes = "1"
uuid = "1"
url = "2"
base64 = "0.22"
hex = "0.4"
sha2 = "0.10"
rand = "0.9"
tokio = { version = "1", features = ["full"] }
futures = "0.3"
rayon = "1"
parking_lot = "0.12"
smallvec = "1"
indexmap = "2"
toml = "0.8"
walkdir = "2"
tempfile = "3"
semver = "1"
humantime = "2"
memchr = "2"
crossbeam-channel = "0.5"
""".strip()

# Snippets of real API use; {i} is the file number, {k} the snippet number.
SNIPPETS = [
    ("use serde_json::{json, Value};",
     """pub fn json_{k}(text: &str) -> usize {{
    let v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let doc = json!({{"id": {i}, "ok": v.is_null()}});
    serde_json::to_string(&doc).map(|s| s.len()).unwrap_or(0) + v.as_array().map(|a| a.len()).unwrap_or(0)
}}"""),
    ("use regex::Regex;",
     """pub fn regex_{k}(text: &str) -> bool {{
    let re: Regex = Regex::new(r"^[a-z]+{i}$").unwrap();
    re.is_match(text) || re.find(text).is_some()
}}"""),
    ("use anyhow::{{Context, Result}};",
     """pub fn anyhow_{k}(text: &str) -> anyhow::Result<u32> {{
    let n: u32 = text.trim().parse().context("not a number")?;
    if n > {i} {{
        anyhow::bail!("too big: {{}}", n);
    }}
    Ok(n)
}}"""),
    ("use itertools::Itertools;",
     """pub fn itertools_{k}(items: &[u32]) -> String {{
    items.iter().map(|x| x + {i}).join(",")
}}"""),
    ("use sha2::{{Digest, Sha256}};",
     """pub fn digest_{k}(data: &[u8]) -> String {{
    let hash = Sha256::digest(data);
    hex::encode(hash)
}}"""),
    ("use base64::Engine;",
     """pub fn base64_{k}(data: &[u8]) -> String {{
    base64::engine::general_purpose::STANDARD.encode(data)
}}"""),
    ("use indexmap::IndexMap;",
     """pub fn indexmap_{k}() -> usize {{
    let mut m: IndexMap<String, u32> = IndexMap::new();
    m.insert("k{i}".to_string(), {i});
    m.len() + m.get("k{i}").copied().unwrap_or(0) as usize
}}"""),
    ("use std::collections::HashMap;",
     """pub fn std_{k}(words: &[&str]) -> usize {{
    let mut counts: HashMap<String, usize> = HashMap::new();
    for w in words {{
        *counts.entry(w.to_string()).or_insert(0) += 1;
    }}
    let mut v: Vec<usize> = Vec::with_capacity(counts.len());
    v.extend(counts.values().copied());
    v.sort_unstable();
    v.iter().sum::<usize>() + "{i}".trim().len()
}}"""),
    ("",
     """pub fn misc_{k}(data: &[u8]) -> usize {{
    let b = bytes::Bytes::from(data.to_vec());
    let id = uuid::Uuid::nil();
    let u = url::Url::parse("https://example.com/{i}").unwrap();
    let v = semver::Version::parse("1.2.{i}").unwrap();
    let d = humantime::format_duration(std::time::Duration::from_secs({i}));
    let at = memchr::memchr(b'a', data).unwrap_or(0);
    b.len() + id.to_string().len() + u.host_str().map(|h| h.len()).unwrap_or(0) + v.major as usize + d.to_string().len() + at
}}"""),
    ("",
     """pub fn sync_{k}() -> usize {{
    let m = parking_lot::Mutex::new({i}usize);
    let (tx, rx) = crossbeam_channel::unbounded::<usize>();
    tx.send(*m.lock()).unwrap();
    let mut sv: smallvec::SmallVec<[u8; 4]> = smallvec::SmallVec::new();
    sv.push(1);
    rx.recv().unwrap_or(0) + sv.len() + rand::random::<u8>() as usize % 2
}}"""),
    ("use rayon::prelude::*;",
     """pub fn rayon_{k}(v: &[u64]) -> u64 {{
    v.par_iter().map(|x| x * {i}).sum::<u64>()
}}"""),
    ("",
     """pub async fn tokio_{k}() -> usize {{
    let m = tokio::sync::Mutex::new({i}usize);
    tokio::time::sleep(std::time::Duration::from_millis(0)).await;
    let n = *m.lock().await;
    n + futures::future::ready(1usize).await
}}"""),
    ("",
     """pub fn files_{k}() -> usize {{
    let dir = tempfile::tempdir().unwrap();
    let n = walkdir::WalkDir::new(dir.path()).max_depth(1).into_iter().count();
    let t: toml::Value = toml::from_str("a = {i}").unwrap();
    log::debug!("files {{}}", n);
    n + t.as_table().map(|x| x.len()).unwrap_or(0) + chrono::Utc::now().timestamp() as usize % 2
}}"""),
]

LOCAL = """
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Record{i} {{
    pub id: u64,
    pub name: String,
    pub tags: Vec<String>,
}}

impl Record{i} {{
    pub fn new(name: &str) -> Self {{
        Record{i} {{ id: {i}, name: name.to_string(), tags: Vec::new() }}
    }}

    pub fn tag(&mut self, t: &str) -> usize {{
        self.tags.push(t.to_string());
        self.tags.len() + self.name.len()
    }}
}}

#[derive(Debug, thiserror::Error)]
pub enum Error{i} {{
    #[error("bad input: {{0}}")]
    Bad(String),
}}

pub fn local_{i}() -> usize {{
    let mut r = Record{i}::new("x");
    let n = r.tag("y");
    let e = Error{i}::Bad("z".to_string());
    n + e.to_string().len() + r.clone().tags.len()
}}
"""


def module(i, crate_files):
    picks = [SNIPPETS[(i + j) % len(SNIPPETS)] for j in range(7)]
    uses = sorted({u for u, _ in picks if u})
    body = "\n\n".join(s.format(i=i, k=k) for k, (_, s) in enumerate(picks))
    calls = ""
    if i > 0 and i % crate_files != 0:
        calls = f"\npub fn chain_{i}() -> usize {{\n    super::m{i - 1}::local_{i - 1}() + local_{i}()\n}}\n"
    return "//! Generated.\n" + "\n".join(u.replace("{{", "{").replace("}}", "}") for u in uses) + "\n\n" + body + "\n" + LOCAL.format(i=i) + calls


def main(out):
    crates = ["bench_core", "bench_util", "bench_app"]
    per = 100
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "Cargo.toml"), "w") as f:
        f.write('[workspace]\nresolver = "2"\nmembers = [%s]\n\n[workspace.dependencies]\n%s\n' % (
            ", ".join(f'"{c}"' for c in crates), DEPS))
    dep_names = [line.split("=")[0].strip() for line in DEPS.splitlines()]
    n = 0
    for c in crates:
        src = os.path.join(out, c, "src")
        os.makedirs(src, exist_ok=True)
        with open(os.path.join(out, c, "Cargo.toml"), "w") as f:
            f.write(f'[package]\nname = "{c}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n')
            for d in dep_names:
                f.write(f"{d} = {{ workspace = true }}\n")
        mods = []
        for j in range(per - 1):
            i = n
            n += 1
            mods.append(f"m{i}")
            with open(os.path.join(src, f"m{i}.rs"), "w") as f:
                f.write(module(i, per - 1))
        with open(os.path.join(src, "lib.rs"), "w") as f:
            f.write("//! Generated.\n" + "".join(f"pub mod {m};\n" for m in mods))
    print(f"generated {n} modules + {len(crates)} crate roots in {out}")


if __name__ == "__main__":
    main(sys.argv[1])
