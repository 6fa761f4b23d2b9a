//! What a CI run reports: the check's findings, less those below the severity
//! threshold, those on lines a `--diff` left unchanged, and those a baseline
//! accepts — in that order. The order of the rest is kept (path, line,
//! column, code).

use std::path::{Path, PathBuf};

use crate::analysis::Severity;
use crate::baseline::{self, Baseline, Entry};
use crate::check::{CheckOutcome, Reported};
use crate::fingerprint;
use crate::git_diff::ChangedLines;

#[derive(Debug, Default)]
pub struct Gate {
    /// Findings below this severity are dropped (`None`: keep all).
    pub min_severity: Option<Severity>,
    /// Keep only findings on these lines.
    pub changed: Option<ChangedLines>,
    /// Drop findings whose fingerprint this baseline holds.
    pub baseline: Option<Baseline>,
    /// The directory baseline paths are relative to; set when a baseline is
    /// read or written.
    pub baseline_root: Option<PathBuf>,
}

/// How many findings each filter took out, and the baseline entries of the
/// findings left (for `--write-baseline`).
#[derive(Debug, Default)]
pub struct GateReport {
    pub below_severity: usize,
    pub outside_diff: usize,
    pub in_baseline: usize,
    pub entries: Vec<Entry>,
}

/// Whether `s` is at least as severe as `min`.
pub fn at_least(s: Severity, min: Severity) -> bool {
    rank(s) >= rank(min)
}

fn rank(s: Severity) -> u8 {
    match s {
        Severity::Info => 0,
        Severity::Warning => 1,
        Severity::Error => 2,
    }
}

pub fn apply(gate: &Gate, outcome: &mut CheckOutcome, cwd: &Path) -> GateReport {
    let mut report = GateReport::default();
    // Fingerprints are taken over every finding of the check, before any
    // filter, so a finding's occurrence index does not depend on the flags.
    let fingerprints = gate.baseline_root.as_ref().map(|root| {
        fingerprint::fingerprints(&outcome.findings, |r| {
            baseline::relative_path(&r.path, cwd, root)
        })
    });
    let findings = std::mem::take(&mut outcome.findings);
    let mut kept: Vec<Reported> = Vec::with_capacity(findings.len());
    for (i, r) in findings.into_iter().enumerate() {
        if gate
            .min_severity
            .is_some_and(|min| !at_least(r.severity, min))
        {
            report.below_severity += 1;
            continue;
        }
        if let Some(changed) = &gate.changed {
            if !changed.contains(Path::new(&r.path), cwd, r.line) {
                report.outside_diff += 1;
                continue;
            }
        }
        let fp = fingerprints.as_ref().map(|f| f[i].clone());
        if let (Some(baseline), Some(fp)) = (&gate.baseline, &fp) {
            if baseline.contains(fp) {
                report.in_baseline += 1;
                continue;
            }
        }
        if let (Some(fp), Some(root)) = (fp, &gate.baseline_root) {
            report.entries.push(Entry {
                fingerprint: fp,
                code: r.finding.code.as_str().to_string(),
                path: baseline::relative_path(&r.path, cwd, root),
                line: r.line,
                symbol: r.finding.symbol.clone(),
            });
        }
        kept.push(r);
    }
    outcome.findings = kept;
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_order() {
        assert!(at_least(Severity::Error, Severity::Warning));
        assert!(at_least(Severity::Warning, Severity::Warning));
        assert!(!at_least(Severity::Info, Severity::Warning));
        assert!(at_least(Severity::Info, Severity::Info));
        assert!(!at_least(Severity::Warning, Severity::Error));
    }
}
