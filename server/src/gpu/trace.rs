//! Traces: snapshots as JSON lines, one per line. `--record` writes them;
//! `--replay` and the language server's `gpu.replay` read them back in place
//! of NVML.

use std::fs::File;
use std::io::{BufRead, BufReader, Lines, Write};
use std::path::{Path, PathBuf};

use super::snapshot::Snapshot;
use super::source::GpuSource;

/// A recorded trace, read line by line. A line that is not a snapshot (a
/// truncated last line, a stray edit) is skipped with a warning.
pub struct ReplaySource {
    path: PathBuf,
    lines: Lines<BufReader<File>>,
    line_no: usize,
    read: usize,
    warnings: Vec<String>,
}

impl ReplaySource {
    pub fn open(path: &Path) -> Result<ReplaySource, String> {
        if path.is_dir() {
            return Err(format!("{}: is a directory, not a trace", path.display()));
        }
        let file = File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Ok(ReplaySource {
            path: path.to_path_buf(),
            lines: BufReader::new(file).lines(),
            line_no: 0,
            read: 0,
            warnings: Vec::new(),
        })
    }

    /// Snapshots read so far.
    pub fn snapshots_read(&self) -> usize {
        self.read
    }
}

impl GpuSource for ReplaySource {
    fn next_snapshot(&mut self) -> Option<Snapshot> {
        loop {
            self.line_no += 1;
            let line = match self.lines.next()? {
                Ok(l) => l,
                Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                    self.warnings.push(format!(
                        "{}:{}: skipped a line that is not UTF-8",
                        self.path.display(),
                        self.line_no
                    ));
                    continue;
                }
                Err(e) => {
                    self.warnings.push(format!(
                        "{}:{}: stopped reading: {e}",
                        self.path.display(),
                        self.line_no
                    ));
                    return None;
                }
            };
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Snapshot>(&line) {
                Ok(s) => {
                    self.read += 1;
                    return Some(s);
                }
                Err(e) => self.warnings.push(format!(
                    "{}:{}: skipped a malformed snapshot ({e})",
                    self.path.display(),
                    self.line_no
                )),
            }
        }
    }

    fn is_replay(&self) -> bool {
        true
    }

    fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }
}

/// Appends snapshots to a trace file, one line each, flushed as written so
/// an interrupted recording keeps every complete line.
pub struct TraceWriter {
    path: PathBuf,
    file: File,
}

impl TraceWriter {
    pub fn create(path: &Path) -> Result<TraceWriter, String> {
        let file =
            File::create(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(TraceWriter {
            path: path.to_path_buf(),
            file,
        })
    }

    pub fn write(&mut self, snap: &Snapshot) -> Result<(), String> {
        let mut line = serde_json::to_string(snap).map_err(|e| e.to_string())?;
        line.push('\n');
        self.file
            .write_all(line.as_bytes())
            .and_then(|_| self.file.flush())
            .map_err(|e| format!("cannot write {}: {e}", self.path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trace_round_trips_and_bad_lines_are_skipped_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.jsonl");
        let mut w = TraceWriter::create(&path).unwrap();
        let snap = Snapshot {
            ts_ms: 1000,
            available: true,
            ..Snapshot::default()
        };
        w.write(&snap).unwrap();
        drop(w);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("\n{\"ts_ms\": oops}\n{\"ts_ms\": 2000, \"available\": true, \"devi");
        std::fs::write(&path, text).unwrap();
        let mut r = ReplaySource::open(&path).unwrap();
        assert_eq!(r.next_snapshot(), Some(snap));
        assert_eq!(r.next_snapshot(), None);
        let warnings = r.take_warnings();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("t.jsonl:3: skipped a malformed snapshot"));
        assert!(warnings[1].contains("t.jsonl:4:"));
        assert!(ReplaySource::open(&dir.path().join("missing.jsonl"))
            .err()
            .unwrap()
            .starts_with("cannot read"));
    }
}
