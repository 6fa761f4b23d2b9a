#!/usr/bin/env python3
"""Inputs for scripts/bench_huge_inputs.sh (issue 16, point 9): one directory
per case under OUT, each a workspace (a pyproject.toml) holding one file.

  findings    11,000 lines, one finding each (`os.path.joinx(1)`)
  line_300k   one 300 KB line with 20,000 findings
  line_1m     one 1 MB line with 70,000 findings
  statements  one 1 MB line of 140,000 statements (`a = 1; `), a finding at its end
  stdlib_20m  a realistic 20 MB file: the interpreter's own stdlib modules
              (tests left out) concatenated — round after round until the
              size is reached — with an invented call every 150 lines

Usage: python3 scripts/gen_huge_inputs.py OUT [--size-mb 20]
"""
import argparse
import os
import sysconfig

INVENTED = [
    "os.path.joinx('a', 'b')",
    "json.parse('{}')",
    "textwrap.finl('text')",
    "re.compil('x')",
    "collections.OrderedDictx()",
]


def workspace(out, case, name, text):
    d = os.path.join(out, case)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "pyproject.toml"), "w") as f:
        f.write('[project]\nname = "%s"\n' % case)
    with open(os.path.join(d, name), "w", encoding="utf-8") as f:
        f.write(text)
    return len(text.encode())


def stdlib_sources():
    lib = sysconfig.get_paths()["stdlib"]
    for dirpath, dirnames, filenames in os.walk(lib):
        dirnames[:] = sorted(
            d for d in dirnames
            if d not in ("site-packages", "test", "tests", "idlelib", "lib2to3", "__pycache__")
        )
        for name in sorted(filenames):
            if name.endswith(".py"):
                yield os.path.join(dirpath, name)


def realistic(size):
    parts = ["import collections\nimport json\nimport os\nimport re\nimport textwrap\n"]
    total = len(parts[0])
    k = 0
    sources = list(stdlib_sources())
    # Round after round over the modules until the size is reached.
    for path in (p for _ in iter(int, 1) for p in sources):
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except (UnicodeDecodeError, OSError):
            continue
        lines = text.splitlines(keepends=True)
        out = []
        last = 0
        for i, line in enumerate(lines):
            out.append(line)
            # At top level, between statements: after a blank line that a
            # top-level statement follows, 150 lines or more after the last.
            following = lines[i + 1] if i + 1 < len(lines) else ""
            top = following[:1] not in ("", " ", "\t", "\n", "#", ")", "]", "}") and not (
                following.startswith(("else", "elif", "except", "finally"))
            )
            if i - last >= 150 and line.strip() == "" and top:
                out.append(INVENTED[k % len(INVENTED)] + "\n")
                k += 1
                last = i
        chunk = "".join(out)
        if not chunk.endswith("\n"):
            chunk += "\n"
        parts.append(chunk)
        total += len(chunk.encode())
        if total >= size:
            break
    return "".join(parts)


# Realistic Rust items using std only, `{i}` the round; every tenth round
# also holds an invented call (`RUST_INVENTED`).
RUST_ROUND = """/// A record of the inventory (round {i}).
#[derive(Debug, Clone, PartialEq)]
pub struct Record{i} {{
    pub id: u64,
    pub name: String,
    pub tags: Vec<String>,
    pub scores: HashMap<String, f64>,
}}

impl Record{i} {{
    pub fn new(id: u64, name: &str) -> Self {{
        Record{i} {{ id, name: name.to_string(), tags: Vec::new(), scores: HashMap::new() }}
    }}

    // Tags are kept in the order they were first added.
    pub fn add_tag(&mut self, tag: &str) -> &mut Self {{
        if !self.tags.iter().any(|t| t == tag) {{
            self.tags.push(tag.to_owned());
        }}
        self
    }}

    pub fn total(&self) -> f64 {{
        self.scores.values().copied().sum::<f64>()
    }}

    pub fn describe(&self) -> String {{
        let mut out = String::with_capacity(64);
        out.push_str(&self.name);
        for (k, v) in &self.scores {{
            out.push_str(&format!(" {{k}}={{v:.2}}"));
        }}
        out.trim_end().to_string()
    }}
}}

pub fn parse_records_{i}(text: &str) -> Result<Vec<Record{i}>, ParseIntError> {{
    let mut records = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {{
        let mut parts = line.splitn(2, ',');
        let id: u64 = parts.next().unwrap_or("").trim().parse()?;
        let name = parts.next().unwrap_or("").trim();
        records.push(Record{i}::new(id, name));
    }}
    records.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(records)
}}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind{i} {{
    Small,
    Medium,
    Large(u32),
}}

impl fmt::Display for Kind{i} {{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {{
        match self {{
            Kind{i}::Small => write!(f, "small"),
            Kind{i}::Medium => write!(f, "medium"),
            Kind{i}::Large(n) => write!(f, "large ({{n}})"),
        }}
    }}
}}

pub fn read_table_{i}(path: &Path) -> io::Result<BTreeMap<String, usize>> {{
    let text = fs::read_to_string(path)?;
    let mut counts = BTreeMap::new();
    for word in text.split_whitespace() {{
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }}
    Ok(counts)
}}

"""

RUST_INVENTED = [
    "pub fn invented_{i}() -> usize {{ let v: Vec<u8> = Vec::with_capacityy(4); v.len() }}\n\n",
    "pub fn invented_{i}(p: &Path) -> bool {{ fs::read_to_strin(p).is_ok() }}\n\n",
    "pub fn invented_{i}() -> usize {{ String::from_utf8_lossyy(&[]).len() }}\n\n",
]


def rust_items(size):
    """A realistic Rust file of about `size` bytes: std `use`s, then round
    after round of structs, impls, enums and functions."""
    parts = ["//! Generated items (scripts/gen_huge_inputs.py).\n\n"
             "use std::collections::{BTreeMap, HashMap};\n"
             "use std::fmt;\n"
             "use std::fs;\n"
             "use std::io;\n"
             "use std::num::ParseIntError;\n"
             "use std::path::Path;\n\n"]
    total = len(parts[0])
    i = 0
    while total < size:
        chunk = RUST_ROUND.format(i=i)
        if i % 10 == 5:
            chunk += RUST_INVENTED[(i // 10) % len(RUST_INVENTED)].format(i=i)
        parts.append(chunk)
        total += len(chunk)
        i += 1
    return "".join(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--size-mb", type=float, default=20)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    head = "import os\n\n"
    n = workspace(args.out, "findings", "many.py", head + "os.path.joinx(1)\n" * 11000)
    print("findings: %d bytes" % n)
    n = workspace(args.out, "line_300k", "line.py",
                  head + "x = [" + "os.path.joinx, " * 20000 + "]\n")
    print("line_300k: %d bytes" % n)
    n = workspace(args.out, "line_1m", "line.py",
                  head + "x = [" + "os.path.joinx, " * 70000 + "]\n")
    print("line_1m: %d bytes" % n)
    n = workspace(args.out, "statements", "semi.py",
                  head + "a = 1; " * 140000 + "os.path.joinx(a)\n")
    print("statements: %d bytes" % n)
    n = workspace(args.out, "stdlib_20m", "big.py", realistic(int(args.size_mb * 1024 * 1024)))
    print("stdlib_20m: %d bytes" % n)


if __name__ == "__main__":
    main()
