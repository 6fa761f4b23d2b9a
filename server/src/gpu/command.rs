//! `grounded gpu`: one snapshot, a watch, a recording, a replay, a metrics
//! endpoint — the same engine ([`Monitor`]) fed at the pace each one needs.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::monitor::{GpuStatus, Monitor, MonitorConfig};
use super::nvml::NvmlSource;
use super::on_alert::AlertHook;
use super::prometheus;
use super::snapshot::Snapshot;
use super::source::GpuSource;
use super::table;
use super::trace::{ReplaySource, TraceWriter};

#[derive(Debug, Clone)]
pub struct GpuCommand {
    pub watch: bool,
    pub json: bool,
    pub interval_s: f64,
    pub record: Option<PathBuf>,
    pub replay: Option<PathBuf>,
    pub prometheus: Option<String>,
    pub on_alert: Option<String>,
    pub alert_cooldown_s: f64,
    pub alert_timeout_s: f64,
    pub threshold_pct: f64,
    pub history_min: f64,
    pub count: Option<u64>,
}

/// Shown under the watch view, and on stderr.
const KEEP_WARNINGS: usize = 3;

/// How a `grounded gpu` run ended, for its exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GpuOutcome {
    /// A status was shown (or a watch, recording or replay ran).
    Shown,
    /// One snapshot was asked for and NVML could not give one; the reason
    /// was printed.
    Unavailable,
}

/// Exit status of a one-shot `grounded gpu` without a GPU status (NVML
/// missing or failing), distinct from 2 (usage or internal error).
pub const UNAVAILABLE_EXIT: u8 = 3;

pub fn run(cmd: GpuCommand) -> Result<GpuOutcome, String> {
    validate(&cmd)?;
    let config = MonitorConfig {
        history_s: cmd.history_min * 60.0,
        ..MonitorConfig::default().with_threshold(cmd.threshold_pct)
    };
    let mut monitor = Monitor::new(config);
    let replay = cmd.replay.is_some();
    let mut source: Box<dyn GpuSource> = match &cmd.replay {
        Some(path) => Box::new(ReplaySource::open(path)?),
        None => Box::new(NvmlSource::from_env()),
    };
    let continuous = replay || cmd.watch || cmd.record.is_some() || cmd.prometheus.is_some();
    if !continuous {
        let snap = source
            .next_snapshot()
            .unwrap_or_else(|| Snapshot::unavailable(0, "no reading"));
        let status = monitor.observe(snap);
        print_final(&cmd, &status, &status.snapshot.alerts, false);
        if !status.snapshot.available {
            eprintln!(
                "grounded: no GPU status; `grounded gpu --replay FILE` shows a recorded trace"
            );
            return Ok(GpuOutcome::Unavailable);
        }
        return Ok(GpuOutcome::Shown);
    }

    let mut recorder = cmd.record.as_deref().map(TraceWriter::create).transpose()?;
    let metrics = match &cmd.prometheus {
        Some(addr) => start_metrics(addr, cmd.watch || cmd.record.is_some())?,
        None => None,
    };
    let mut hook = cmd.on_alert.clone().map(|c| {
        AlertHook::new(
            c,
            Duration::from_secs_f64(cmd.alert_cooldown_s),
            Duration::from_secs_f64(cmd.alert_timeout_s),
        )
    });
    let tty = std::io::stdout().is_terminal();
    let interval = Duration::from_secs_f64(cmd.interval_s);
    let mut warnings: Vec<String> = Vec::new();
    let mut last: Option<GpuStatus> = None;
    let mut taken = 0u64;
    let mut next_at = Instant::now();
    // While NVML stays unavailable for the same reason, a watch says so once
    // and keeps retrying quietly (the source retries its init itself).
    let mut unavailable: Option<String> = None;
    if !cmd.watch && !replay {
        eprintln!(
            "grounded: sampling every {} s{}; Ctrl-C to stop",
            cmd.interval_s,
            cmd.record
                .as_ref()
                .map(|p| format!(", recording to {}", p.display()))
                .unwrap_or_default()
        );
    }
    loop {
        if cmd.count.is_some_and(|n| taken >= n) {
            break;
        }
        let Some(snap) = source.next_snapshot() else {
            break;
        };
        taken += 1;
        let mut fresh = source.take_warnings();
        let status = monitor.observe(snap);
        if let Some(w) = recorder.as_mut() {
            if let Err(e) = w.write(&status.snapshot) {
                fresh.push(e);
                recorder = None;
            }
        }
        if let Some(m) = &metrics {
            if let Ok(mut body) = m.lock() {
                *body = prometheus::render(&status);
            }
        }
        if let Some(h) = hook.as_mut() {
            for alert in &status.raised {
                h.fire(alert, status.snapshot.ts_ms);
            }
            fresh.extend(h.take_warnings());
        }
        for w in &fresh {
            eprintln!("grounded: warning: {w}");
        }
        warnings.extend(fresh);
        let excess = warnings.len().saturating_sub(KEEP_WARNINGS);
        warnings.drain(..excess);
        let reason = (!status.snapshot.available).then(|| {
            status
                .snapshot
                .reason
                .clone()
                .unwrap_or_else(|| "NVML unavailable".into())
        });
        let repeated = reason.is_some() && reason == unavailable;
        if let Some(r) = reason.as_ref().filter(|_| !repeated && !replay) {
            eprintln!("grounded: {r}; still trying quietly");
        }
        unavailable = reason;
        if cmd.watch && !repeated {
            show_frame(&cmd, &status, &warnings, tty);
        } else if !replay {
            for a in &status.raised {
                eprintln!("grounded: alert: {}", a.message);
            }
        }
        last = Some(status);
        if !replay {
            next_at += interval;
            let now = Instant::now();
            if next_at > now {
                std::thread::sleep(next_at - now);
            } else {
                next_at = now;
            }
        }
    }
    for w in source.take_warnings() {
        eprintln!("grounded: warning: {w}");
    }
    if let Some(h) = hook.as_mut() {
        h.finish();
        for w in h.take_warnings() {
            eprintln!("grounded: warning: --on-alert: {w}");
        }
    }
    let Some(status) = last else {
        let path = cmd.replay.as_deref().unwrap_or(std::path::Path::new("-"));
        return Err(format!("{}: no snapshots in the trace", path.display()));
    };
    if replay && !cmd.watch {
        print_final(&cmd, &status, monitor.alert_log(), true);
    }
    if replay && metrics.is_some() {
        eprintln!("grounded: replay done; serving its last metrics until Ctrl-C");
        loop {
            std::thread::sleep(Duration::from_secs(3600));
        }
    }
    Ok(GpuOutcome::Shown)
}

fn validate(cmd: &GpuCommand) -> Result<(), String> {
    if !(cmd.interval_s.is_finite() && cmd.interval_s >= 0.01) {
        return Err("--interval must be at least 0.01 seconds".into());
    }
    if !(cmd.threshold_pct > 0.0 && cmd.threshold_pct <= 100.0) {
        return Err("--threshold must be a percentage between 0 and 100".into());
    }
    if !(cmd.history_min.is_finite() && cmd.history_min > 0.0) {
        return Err("--history must be a positive number of minutes".into());
    }
    let cooldown_ok = cmd.alert_cooldown_s.is_finite() && cmd.alert_cooldown_s >= 0.0;
    let timeout_ok = cmd.alert_timeout_s.is_finite() && cmd.alert_timeout_s > 0.0;
    if !cooldown_ok || !timeout_ok {
        return Err("--alert-cooldown and --alert-timeout must be positive seconds".into());
    }
    if let (Some(a), Some(b)) = (&cmd.record, &cmd.replay) {
        if a == b {
            return Err(format!(
                "--record {} would overwrite the trace being replayed",
                a.display()
            ));
        }
    }
    Ok(())
}

/// Start the metrics endpoint. When it cannot listen and something else is
/// running (a watch, a recording), that goes on with a warning.
fn start_metrics(addr: &str, keep_going: bool) -> Result<Option<prometheus::Metrics>, String> {
    let started = prometheus::parse_addr(addr).and_then(|a| {
        let metrics: prometheus::Metrics = Arc::default();
        prometheus::serve(a, metrics.clone()).map(|bound| (bound, metrics))
    });
    match started {
        Ok((bound, metrics)) => {
            eprintln!("grounded: serving metrics on http://{bound}/metrics");
            Ok(Some(metrics))
        }
        Err(e) if keep_going => {
            eprintln!("grounded: warning: {e}; going on without the metrics endpoint");
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

fn print_final(
    cmd: &GpuCommand,
    status: &GpuStatus,
    alerts: &[super::snapshot::Alert],
    trends: bool,
) {
    let mut out = std::io::stdout().lock();
    if cmd.json {
        let mut snap = status.snapshot.clone();
        snap.alerts = alerts.to_vec();
        let text = serde_json::to_string_pretty(&snap).unwrap_or_default();
        let _ = writeln!(out, "{text}");
    } else {
        let _ = out.write_all(table::render(status, alerts, trends).as_bytes());
    }
    let _ = out.flush();
}

fn show_frame(cmd: &GpuCommand, status: &GpuStatus, warnings: &[String], tty: bool) {
    let mut out = std::io::stdout().lock();
    if cmd.json {
        let line = serde_json::to_string(&status.snapshot).unwrap_or_default();
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
        return;
    }
    let mut frame = String::new();
    if tty {
        // Home, then clear: the view redraws in place.
        frame.push_str("\x1b[H\x1b[2J");
    } else {
        frame.push('\n');
    }
    let source = match &cmd.replay {
        Some(p) => format!("replay of {}", p.display()),
        None => format!("every {} s", cmd.interval_s),
    };
    frame.push_str(&format!(
        "grounded gpu --watch · {source} · Ctrl-C to stop\n"
    ));
    frame.push_str(&table::render(status, &status.snapshot.alerts, true));
    for w in warnings {
        frame.push_str(&format!("warning: {w}\n"));
    }
    let _ = out.write_all(frame.as_bytes());
    let _ = out.flush();
}
