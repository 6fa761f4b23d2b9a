//! Decoder for rustdoc's search index as the toolchain's `rust-docs` component ships it
//! (`$(rustc --print sysroot)/share/doc/rust/html/search.index/`): the "stringdex" format
//! rustdoc has written since Rust 1.91.
//!
//! Layout:
//! - `root<version>.js`: `rr_('<json>')`. The JSON maps each column name to `{"N": counts,
//!   "E": empty rows, "H": chunk hashes, "I": search tree}`. `N` is a list of nibble-encoded
//!   numbers (one per chunk: how many non-empty rows it holds), `E` a base64 Roaring bitmap
//!   of the rows that are empty in this column, `H` base64 of 6 bytes per chunk.
//! - `<column>/<hex of hash>.js`: `rd_("<bytes as a JS string>")` (or `rb_("<base64>")`).
//!   The file's name is the low 48 bits of the SipHash-1-3 of the decoded bytes. The bytes are
//!   a record stream: a byte in `0x30..=0x3f` repeats one of the last 16 literal records
//!   (0 = the newest); otherwise a length follows as nibbles (`@`..`O` more to come, `` ` ``..`o`
//!   the last), then that many bytes.
//! - Rows are shared by all columns: row `i` of `name` is the name of the item whose entry is
//!   row `i` of `entry`. A column's rows are its chunks' records in order, with the rows of
//!   its empty set left out.
//!
//! Everything is checked: file names against hashes, counts against records, every offset
//! against its buffer. Anything unexpected is an `Err` naming the file, never a panic.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::roaring;
use super::siphash::siphash13;

/// The first release whose rustdoc writes `search.index/root<version>.js` (stringdex).
pub(crate) const FIRST_VERSION: (u32, u32) = (1, 91);
/// The newest toolchain this decoder was checked against.
pub(crate) const NEWEST_TESTED: &str = "1.95.0";

/// The columns the model needs.
pub(crate) const COLUMNS: [&str; 4] = ["crateNames", "name", "entry", "path"];

/// One column: its rows, each empty or a byte range of `data`.
#[derive(Debug, Default)]
pub(crate) struct Column {
    data: Vec<u8>,
    rows: Vec<Option<(u32, u32)>>,
}

impl Column {
    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    pub(crate) fn get(&self, row: usize) -> Option<&[u8]> {
        let (start, end) = (*self.rows.get(row)?)?;
        self.data.get(start as usize..end as usize)
    }
}

/// The decoded columns of one search index.
#[derive(Debug)]
pub(crate) struct RawIndex {
    /// The version in the root file's name, e.g. "1.95.0".
    pub version: String,
    pub crate_names: Column,
    pub name: Column,
    pub entry: Column,
    pub path: Column,
}

/// The root file of the index in `index_dir` and the version its name carries.
///
/// Errors: no directory, no root file, a version this decoder does not read.
pub(crate) fn find_root(index_dir: &Path) -> Result<(PathBuf, String), String> {
    let entries = fs::read_dir(index_dir).map_err(|e| {
        format!(
            "no rustdoc search index at {} ({e}); install the rust-docs component",
            index_dir.display()
        )
    })?;
    let mut best: Option<((u32, u32, u32), PathBuf, String)> = None;
    let mut seen = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(version) = name
            .strip_prefix("root")
            .and_then(|rest| rest.strip_suffix(".js"))
        else {
            continue;
        };
        seen.push(name.clone());
        let Some(key) = parse_version(version) else {
            continue;
        };
        if best.as_ref().is_none_or(|(k, _, _)| key > *k) {
            best = Some((key, entry.path(), version.to_string()));
        }
    }
    let Some((key, path, version)) = best else {
        return Err(if seen.is_empty() {
            format!(
                "no root*.js in {}: not a rustdoc search index this version of Grounded reads",
                index_dir.display()
            )
        } else {
            format!(
                "unrecognised search index root {} in {}",
                seen.join(", "),
                index_dir.display()
            )
        });
    };
    if (key.0, key.1) < FIRST_VERSION {
        return Err(format!(
            "rustdoc search index format {version} is older than {}.{} (the first in the \
             search.index/ format); not supported",
            FIRST_VERSION.0, FIRST_VERSION.1
        ));
    }
    Ok((path, version))
}

/// "1.95.0", "1.97.0-nightly" → (1, 95, 0).
fn parse_version(v: &str) -> Option<(u32, u32, u32)> {
    let core = v.split(['-', '+']).next()?;
    let mut parts = core.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    let patch = parts.next().map_or(Some(0), |p| p.parse().ok())?;
    if parts.next().is_some() {
        return None;
    }
    Some((major, minor, patch))
}

/// Reads and checks the columns the model needs from the index in `index_dir`.
pub(crate) fn read(index_dir: &Path) -> Result<RawIndex, String> {
    let (root_path, version) = find_root(index_dir)?;
    read_root(index_dir, &root_path, version.clone()).map_err(|e| with_version_note(e, &version))
}

/// Adds, for an index newer than the newest tested, that this is the likely cause.
pub(crate) fn with_version_note(e: String, version: &str) -> String {
    match (parse_version(version), parse_version(NEWEST_TESTED)) {
        (Some(v), Some(t)) if v > t => {
            format!("{e} (search index format {version}; newest known: {NEWEST_TESTED})")
        }
        _ => e,
    }
}

fn read_root(index_dir: &Path, root_path: &Path, version: String) -> Result<RawIndex, String> {
    let root_text = crate::regular_file::read(root_path)
        .map_err(|e| format!("{}: {e}", root_path.display()))?;
    let metas = parse_root(&root_text).map_err(|e| format!("{}: {e}", root_path.display()))?;

    // Decode every chunk of every needed column, in parallel.
    let mut jobs = Vec::new();
    for (col_index, col) in COLUMNS.iter().enumerate() {
        let meta = &metas[col_index];
        for (chunk, hash) in meta.hashes.iter().enumerate() {
            jobs.push((col_index, *col, chunk, *hash, meta.counts[chunk]));
        }
    }
    let decoded: Vec<Result<Chunk, String>> = jobs
        .par_iter()
        .map(|&(_, col, _, hash, count)| {
            let file = index_dir.join(col).join(format!("{}.js", hex(&hash)));
            read_chunk(&file, &hash, count).map_err(|e| format!("{}: {e}", file.display()))
        })
        .collect();
    let mut chunks: Vec<Vec<Chunk>> = COLUMNS.iter().map(|_| Vec::new()).collect();
    for ((col_index, ..), chunk) in jobs.iter().zip(decoded) {
        chunks[*col_index].push(chunk?);
    }

    let mut columns = Vec::new();
    for ((col, meta), col_chunks) in COLUMNS.iter().zip(&metas).zip(chunks) {
        columns.push(assemble(col_chunks, &meta.empty).map_err(|e| format!("column {col}: {e}"))?);
    }
    let mut columns = columns.into_iter();
    let (Some(crate_names), Some(name), Some(entry), Some(path)) = (
        columns.next(),
        columns.next(),
        columns.next(),
        columns.next(),
    ) else {
        return Err("internal: column count".into());
    };
    if entry.len() > name.len() || path.len() > name.len() {
        return Err(format!(
            "columns disagree: {} names, {} entries, {} paths",
            name.len(),
            entry.len(),
            path.len()
        ));
    }
    Ok(RawIndex {
        version,
        crate_names,
        name,
        entry,
        path,
    })
}

/// What the root file says about one column.
#[derive(Debug)]
struct ColumnMeta {
    counts: Vec<u32>,
    hashes: Vec<[u8; 6]>,
    empty: Vec<u32>,
}

/// Parses `rr_('<json>')` and returns the metadata of [`COLUMNS`], in that order.
fn parse_root(text: &[u8]) -> Result<Vec<ColumnMeta>, String> {
    let (func, json) = call_payload(text)?;
    if func != "rr_" {
        return Err(format!("expected rr_(…), found {func}(…)"));
    }
    let value: serde_json::Value =
        serde_json::from_slice(&json).map_err(|e| format!("root is not JSON: {e}"))?;
    let obj = value.as_object().ok_or("root is not a JSON object")?;
    let mut out = Vec::new();
    for col in COLUMNS {
        let meta = obj
            .get(col)
            .and_then(|m| m.as_object())
            .ok_or_else(|| format!("root has no column {col:?}"))?;
        let field = |k: &str| {
            meta.get(k)
                .and_then(|v| v.as_str())
                .ok_or_else(|| format!("column {col}: no {k:?} string"))
        };
        let counts =
            parse_counts(field("N")?.as_bytes()).map_err(|e| format!("column {col}: {e}"))?;
        let hash_bytes = base64_decode(field("H")?).map_err(|e| format!("column {col}: H: {e}"))?;
        if hash_bytes.len() != counts.len() * 6 {
            return Err(format!(
                "column {col}: {} chunk counts but {} bytes of hashes",
                counts.len(),
                hash_bytes.len()
            ));
        }
        let hashes = hash_bytes
            .chunks_exact(6)
            .map(|c| {
                let mut h = [0u8; 6];
                h.copy_from_slice(c);
                h
            })
            .collect();
        let empty_bytes =
            base64_decode(field("E")?).map_err(|e| format!("column {col}: E: {e}"))?;
        let (empty, used) =
            roaring::decode(&empty_bytes).map_err(|e| format!("column {col}: E: {e}"))?;
        if used != empty_bytes.len() {
            return Err(format!("column {col}: E: trailing bytes after the bitmap"));
        }
        out.push(ColumnMeta {
            counts,
            hashes,
            empty,
        });
    }
    Ok(out)
}

/// Nibble-encoded numbers: `@`..`O` carry four bits with more to come, `` ` ``..`o` the last four.
fn parse_counts(s: &[u8]) -> Result<Vec<u32>, String> {
    let mut out = Vec::new();
    let mut n: u32 = 0;
    let mut open = false;
    for &c in s {
        match c {
            b'@'..=b'O' => {
                n = push_nibble(n, c)?;
                open = true;
            }
            b'`'..=b'o' => {
                out.push(push_nibble(n, c)?);
                n = 0;
                open = false;
            }
            _ => return Err(format!("bad byte {c:#04x} in chunk counts")),
        }
    }
    if open {
        return Err("chunk counts end mid-number".into());
    }
    Ok(out)
}

fn push_nibble(n: u32, c: u8) -> Result<u32, String> {
    if n >> 27 != 0 {
        return Err("number too large".into());
    }
    Ok((n << 4) | u32::from(c & 0x0f))
}

/// One decoded chunk: its bytes and the byte range of each record.
#[derive(Debug)]
struct Chunk {
    data: Vec<u8>,
    records: Vec<(u32, u32)>,
}

fn read_chunk(file: &Path, hash: &[u8; 6], count: u32) -> Result<Chunk, String> {
    let text = crate::regular_file::read(file).map_err(|e| e.to_string())?;
    let (func, payload) = call_payload(&text)?;
    let data = match func.as_str() {
        "rd_" => payload,
        "rb_" => base64_decode(
            std::str::from_utf8(&payload).map_err(|_| "rb_ payload is not base64".to_string())?,
        )?,
        other => return Err(format!("expected rd_(…) or rb_(…), found {other}(…)")),
    };
    let h = siphash13(&data).to_be_bytes();
    if h[2..] != hash[..] {
        return Err("content does not match its hash (corrupt, or an unknown encoding)".into());
    }
    let records = parse_records(&data)?;
    if records.len() != count as usize {
        return Err(format!(
            "{} records where the root promises {count}",
            records.len()
        ));
    }
    Ok(Chunk { data, records })
}

/// The record stream of a chunk: literal records (nibble length + bytes) and back-references
/// (`0x30 + k`: the k-th most recent literal record).
fn parse_records(data: &[u8]) -> Result<Vec<(u32, u32)>, String> {
    if data.len() > u32::MAX as usize {
        return Err("chunk too large".into());
    }
    let mut records = Vec::new();
    // Most recent first, at most 16.
    let mut backrefs: std::collections::VecDeque<(u32, u32)> = std::collections::VecDeque::new();
    let mut i = 0usize;
    while i < data.len() {
        let c = data[i];
        if (0x30..=0x3f).contains(&c) {
            let k = usize::from(c - 0x30);
            let r = *backrefs.get(k).ok_or_else(|| {
                format!(
                    "back-reference {k} at byte {i} with only {} records",
                    backrefs.len()
                )
            })?;
            records.push(r);
            i += 1;
            continue;
        }
        let mut n: u32 = 0;
        loop {
            let c = *data.get(i).ok_or("record length runs past the end")?;
            i += 1;
            match c {
                b'@'..=b'O' => n = push_nibble(n, c)?,
                b'`'..=b'o' => {
                    n = push_nibble(n, c)?;
                    break;
                }
                _ => return Err(format!("bad byte {c:#04x} in a record length at {}", i - 1)),
            }
        }
        let end = i
            .checked_add(n as usize)
            .filter(|&e| e <= data.len())
            .ok_or_else(|| format!("record of {n} bytes at {i} runs past the end"))?;
        let r = (i as u32, end as u32);
        records.push(r);
        backrefs.push_front(r);
        backrefs.truncate(16);
        i = end;
    }
    Ok(records)
}

/// Lays a column's chunks out as rows, skipping the rows in `empty`.
fn assemble(chunks: Vec<Chunk>, empty: &[u32]) -> Result<Column, String> {
    let records: usize = chunks.iter().map(|c| c.records.len()).sum();
    let total = records + empty.len();
    if total > u32::MAX as usize {
        return Err("too many rows".into());
    }
    if let Some(&last) = empty.last() {
        if last as usize >= total {
            return Err(format!("empty row {last} past the last row {}", total - 1));
        }
    }
    let bytes: usize = chunks.iter().map(|c| c.data.len()).sum();
    if bytes > u32::MAX as usize {
        return Err("column too large".into());
    }
    let mut data = Vec::with_capacity(bytes);
    let mut all = Vec::with_capacity(records);
    for chunk in chunks {
        let base = data.len() as u32;
        all.extend(chunk.records.iter().map(|&(s, e)| (s + base, e + base)));
        data.extend_from_slice(&chunk.data);
    }
    let mut rows = Vec::with_capacity(total);
    let mut next = all.into_iter();
    let mut empties = empty.iter().peekable();
    for row in 0..total as u32 {
        if empties.peek() == Some(&&row) {
            empties.next();
            rows.push(None);
        } else {
            rows.push(Some(next.next().ok_or("fewer records than rows")?));
        }
    }
    Ok(Column { data, rows })
}

/// `func(<JS string literal>)` with optional `;` and whitespace around: the name and the
/// string's bytes (each UTF-16 code unit of the literal is one byte, as in `charCodeAt`).
fn call_payload(text: &[u8]) -> Result<(String, Vec<u8>), String> {
    let text = text.trim_ascii();
    let open = text
        .iter()
        .position(|&b| b == b'(')
        .filter(|&p| p > 0 && p <= 8)
        .ok_or("not a rustdoc search index file (no call)")?;
    let func = &text[..open];
    if !func.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_') {
        return Err("not a rustdoc search index file (bad call)".into());
    }
    let (payload, end) = js_string(text, open + 1)?;
    let rest = &text[end..];
    let rest = rest
        .strip_prefix(b")")
        .ok_or("missing ')' after the string")?;
    let rest = rest.trim_ascii();
    if !(rest.is_empty() || rest == b";") {
        return Err("unexpected text after the call".into());
    }
    Ok((String::from_utf8_lossy(func).into_owned(), payload))
}

/// Decodes the JS string literal starting at `text[start]` (a quote); returns its bytes and
/// the index just past the closing quote.
fn js_string(text: &[u8], start: usize) -> Result<(Vec<u8>, usize), String> {
    let quote = *text.get(start).ok_or("missing string")?;
    if quote != b'\'' && quote != b'"' {
        return Err("missing string".into());
    }
    let mut out = Vec::with_capacity(text.len().saturating_sub(start));
    let mut i = start + 1;
    loop {
        let c = *text.get(i).ok_or("unterminated string")?;
        match c {
            _ if c == quote => return Ok((out, i + 1)),
            b'\\' => {
                let e = *text.get(i + 1).ok_or("unterminated escape")?;
                i += 2;
                match e {
                    b'x' => {
                        out.push(hex_byte(text, i, 2)? as u8);
                        i += 2;
                    }
                    b'u' => {
                        let v = hex_byte(text, i, 4)?;
                        if v > 0xff {
                            return Err(format!("\\u{v:04x} is not a byte"));
                        }
                        out.push(v as u8);
                        i += 4;
                    }
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'b' => out.push(0x08),
                    b'f' => out.push(0x0c),
                    b'v' => out.push(0x0b),
                    b'0' if !text.get(i).is_some_and(u8::is_ascii_digit) => out.push(0),
                    b'\\' | b'\'' | b'"' | b'/' => out.push(e),
                    _ => return Err(format!("unsupported escape \\{}", e as char)),
                }
            }
            b'\n' | b'\r' => return Err("line break inside a string".into()),
            0x80.. => {
                // A raw non-ASCII character: one code unit, which must fit a byte.
                let len = match c {
                    0xc0..=0xdf => 2,
                    0xe0..=0xef => 3,
                    0xf0..=0xf7 => 4,
                    _ => return Err("invalid UTF-8".into()),
                };
                let s = text.get(i..i + len).ok_or("invalid UTF-8")?;
                let ch = std::str::from_utf8(s)
                    .ok()
                    .and_then(|s| s.chars().next())
                    .ok_or("invalid UTF-8")?;
                let v = u32::from(ch);
                if v > 0xff {
                    return Err(format!("character U+{v:04X} is not a byte"));
                }
                out.push(v as u8);
                i += len;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
}

fn hex_byte(text: &[u8], at: usize, digits: usize) -> Result<u32, String> {
    let s = text.get(at..at + digits).ok_or("truncated escape")?;
    let s = std::str::from_utf8(s).map_err(|_| "bad escape")?;
    u32::from_str_radix(s, 16).map_err(|_| format!("bad hex escape {s:?}"))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Standard base64 (`+/`, `=` padding optional).
fn base64_decode(s: &str) -> Result<Vec<u8>, String> {
    fn val(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let body = s.trim_end_matches('=').as_bytes();
    if s.len() - body.len() > 2 || body.len() % 4 == 1 {
        return Err("bad base64 length".into());
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    for group in body.chunks(4) {
        let mut acc: u32 = 0;
        for &c in group {
            acc = (acc << 6) | val(c).ok_or_else(|| format!("bad base64 byte {c:#04x}"))?;
        }
        match group.len() {
            4 => out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]),
            3 => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
            2 => out.push((acc >> 4) as u8),
            _ => return Err("bad base64 length".into()),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(parse_version("1.95.0"), Some((1, 95, 0)));
        assert_eq!(parse_version("1.97.0-nightly"), Some((1, 97, 0)));
        assert_eq!(parse_version("1.95"), Some((1, 95, 0)));
        assert_eq!(parse_version("x"), None);
        assert_eq!(parse_version("1.2.3.4"), None);
    }

    #[test]
    fn base64() {
        assert_eq!(
            base64_decode("OjAAAAAAAAA=").unwrap(),
            vec![0x3a, 0x30, 0, 0, 0, 0, 0, 0]
        );
        assert_eq!(base64_decode("TWE").unwrap(), b"Ma");
        assert_eq!(base64_decode("TQ==").unwrap(), b"M");
        assert!(base64_decode("T").is_err());
        assert!(base64_decode("T*==").is_err());
    }

    #[test]
    fn counts() {
        assert_eq!(parse_counts(b"f").unwrap(), vec![6]);
        assert_eq!(parse_counts(b"AAEIfALAn").unwrap(), vec![0x11596, 0x1c1e]);
        assert!(parse_counts(b"AA").is_err());
        assert!(parse_counts(b"a!").is_err());
    }

    #[test]
    fn records_with_backrefs() {
        // "std", "core", back-reference to "std" (1: second newest), "" (empty record).
        let data = b"cstddcore1`";
        let recs = parse_records(data).unwrap();
        let get = |r: (u32, u32)| &data[r.0 as usize..r.1 as usize];
        assert_eq!(recs.len(), 4);
        assert_eq!(get(recs[0]), b"std");
        assert_eq!(get(recs[1]), b"core");
        assert_eq!(get(recs[2]), b"std");
        assert_eq!(get(recs[3]), b"");
        for cut in [1, 2, 5, 6] {
            assert!(parse_records(&data[..cut]).is_err(), "cut {cut}");
        }
        assert!(parse_records(b"5").is_err(), "back-reference to nothing");
        assert!(parse_records(b"A").is_err(), "length without its end");
        assert!(parse_records(b"\x01").is_err());
    }

    #[test]
    fn call_payloads() {
        let (f, p) = call_payload(br#"rd_("a\"b\x41\\\u0042")"#).unwrap();
        assert_eq!((f.as_str(), p.as_slice()), ("rd_", &b"a\"bA\\B"[..]));
        let (f, p) = call_payload(b"rr_('{\"x\":1}');\n").unwrap();
        assert_eq!((f.as_str(), p.as_slice()), ("rr_", &b"{\"x\":1}"[..]));
        let (_, p) = call_payload("rd_(\"\u{e9}\")".as_bytes()).unwrap();
        assert_eq!(p, vec![0xe9]);
        for bad in [
            &b"rd_(\"abc"[..],
            b"rd_(\"abc\"",
            b"rd_(\"a\\x4\")",
            b"rd_(\"a\\q\")",
            b"rd_(abc)",
            b"garbage",
            b"rd_(\"a\") trailing",
            "rd_(\"\u{2603}\")".as_bytes(),
        ] {
            assert!(
                call_payload(bad).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn assemble_fills_empty_rows() {
        let chunk = Chunk {
            data: b"ab".to_vec(),
            records: vec![(0, 1), (1, 2)],
        };
        let col = assemble(vec![chunk], &[0, 2]).unwrap();
        assert_eq!(col.len(), 4);
        assert_eq!(col.get(0), None);
        assert_eq!(col.get(1), Some(&b"a"[..]));
        assert_eq!(col.get(2), None);
        assert_eq!(col.get(3), Some(&b"b"[..]));
        assert_eq!(col.get(4), None);
        let chunk = Chunk {
            data: b"a".to_vec(),
            records: vec![(0, 1)],
        };
        assert!(assemble(vec![chunk], &[5]).is_err());
    }
}
