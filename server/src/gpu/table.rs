//! `grounded gpu` for people: the snapshot as a table, with each process's
//! trend, and the alerts below it.

use std::fmt::Write as _;

use super::detector::{Trend, TrendState};
use super::monitor::GpuStatus;
use super::snapshot::{Alert, Device};
use super::units;

const GIB: f64 = 1024.0 * 1024.0 * 1024.0;
const CMDLINE_WIDTH: usize = 60;

/// The status as a table; `alerts` are listed below it (those in force, or
/// for a replay every alert raised along the trace).
pub fn render(status: &GpuStatus, alerts: &[Alert], trends: bool) -> String {
    let snap = &status.snapshot;
    let mut out = String::new();
    if !snap.available {
        let reason = snap.reason.as_deref().unwrap_or("NVML unavailable");
        let _ = writeln!(out, "No GPU status: {reason}");
        return out;
    }
    let driver = snap
        .driver_version
        .as_deref()
        .map(|v| format!("NVIDIA driver {v}"))
        .unwrap_or_else(|| "NVIDIA driver (version unknown)".into());
    let _ = writeln!(
        out,
        "{driver} · {} · {}",
        count(snap.devices.len(), "GPU"),
        utc(snap.ts_ms)
    );
    if snap.devices.is_empty() {
        let _ = writeln!(out, "No GPUs found.");
    }
    let _ = writeln!(
        out,
        "\n{:<4} {:<28} {:<22} {:>4} {:>4} {:>5} {:>13} {:>16}  {}",
        "GPU",
        "NAME",
        "MEMORY",
        "UTIL",
        "MEM",
        "TEMP",
        "POWER",
        "CLOCK SM/MEM",
        if trends { "TREND" } else { "" }
    );
    for dev in &snap.devices {
        let trend = status
            .devices
            .iter()
            .find(|t| t.device == dev.index)
            .filter(|_| trends)
            .map(|t| trend_cell(&t.trend))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{:<4} {:<28} {:<22} {:>4} {:>4} {:>5} {:>13} {:>16}  {trend}",
            dev.index,
            clip(dev.name.as_deref().unwrap_or("-"), 28),
            memory_cell(dev),
            pct(dev.utilization_gpu_pct),
            pct(dev.utilization_memory_pct),
            dev.temperature_c.map_or("-".into(), |t| format!("{t}°C")),
            pair(
                dev.power_mw.map(|p| p / 1000),
                dev.power_limit_mw.map(|p| p / 1000),
                "W"
            ),
            pair(dev.clock_sm_mhz, dev.clock_mem_mhz, "MHz"),
        );
        match &dev.processes {
            None => {
                let _ = writeln!(out, "     processes: the driver cannot list them");
            }
            Some(list) if list.is_empty() => {
                let _ = writeln!(out, "     no compute processes");
            }
            Some(list) => {
                let _ = writeln!(
                    out,
                    "     {:>8}  {:>9}  {:<22}  PROCESS",
                    "PID",
                    "MEMORY",
                    if trends { "TREND" } else { "" }
                );
                for p in list {
                    let trend = status
                        .processes
                        .iter()
                        .find(|t| t.device == dev.index && t.pid == p.pid)
                        .filter(|_| trends)
                        .map(|t| trend_cell(&t.trend))
                        .unwrap_or_default();
                    let command = p
                        .cmdline
                        .as_deref()
                        .or(p.name.as_deref())
                        .unwrap_or("? (not in /proc)");
                    let _ = writeln!(
                        out,
                        "     {:>8}  {:>9}  {:<22}  {}",
                        p.pid,
                        p.used_memory_bytes
                            .map_or("-".into(), |b| units::bytes(b as f64)),
                        trend,
                        clip(command, CMDLINE_WIDTH)
                    );
                }
            }
        }
    }
    if !alerts.is_empty() {
        let _ = writeln!(out, "\nAlerts:");
        for a in alerts {
            let _ = writeln!(out, "  {:<14} {}", a.kind.as_str(), a.message);
        }
    }
    out
}

/// An arrow for the direction, and the rate when it says something.
fn trend_cell(t: &Trend) -> String {
    let Some(slope) = t.slope_bytes_per_s else {
        return "· warming up".into();
    };
    let rate = units::rate(slope.abs());
    match t.state {
        TrendState::LeakSuspected => format!("↑ LEAK +{rate}"),
        TrendState::Growing => format!("↗ +{rate}"),
        TrendState::Ok if slope < 0.0 && t.r2.unwrap_or(0.0) >= 0.5 => format!("↘ -{rate}"),
        TrendState::Ok => "→ steady".into(),
    }
}

fn memory_cell(dev: &Device) -> String {
    match (dev.memory_used_bytes, dev.memory_total_bytes) {
        // A device reporting no memory at all has no share to show.
        (Some(u), Some(0)) => format!("{:.1}/0 GiB    -", u as f64 / GIB),
        (Some(u), Some(t)) => format!(
            "{:.1}/{:.1} GiB {:>3.0}%",
            u as f64 / GIB,
            t as f64 / GIB,
            u as f64 * 100.0 / t as f64
        ),
        (None, Some(t)) => format!("-/{:.1} GiB", t as f64 / GIB),
        _ => "-".into(),
    }
}

fn pct(v: Option<u32>) -> String {
    v.map_or("-".into(), |v| format!("{v}%"))
}

fn pair(a: Option<u32>, b: Option<u32>, unit: &str) -> String {
    let s = |v: Option<u32>| v.map_or("-".into(), |v| v.to_string());
    if a.is_none() && b.is_none() {
        return "-".into();
    }
    format!("{}/{} {unit}", s(a), s(b))
}

fn clip(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut out: String = s.chars().take(width - 1).collect();
    out.push('…');
    out
}

fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `YYYY-MM-DD HH:MM:SS UTC`.
pub fn utc(ts_ms: u64) -> String {
    let secs = ts_ms / 1000;
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_dates() {
        assert_eq!(super::utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(super::utc(1_709_251_200_000), "2024-03-01 00:00:00 UTC");
        assert_eq!(super::clip("abcdef", 4), "abc…");
    }

    #[test]
    fn a_device_without_memory_has_no_share() {
        let dev = |used, total| super::Device {
            memory_used_bytes: used,
            memory_total_bytes: total,
            ..Default::default()
        };
        const G: u64 = 1 << 30;
        assert_eq!(
            super::memory_cell(&dev(Some(G), Some(4 * G))),
            "1.0/4.0 GiB  25%"
        );
        for (used, total) in [(Some(G), Some(0)), (Some(0), Some(0))] {
            let cell = super::memory_cell(&dev(used, total));
            assert!(!cell.contains("inf") && !cell.contains("NaN"), "{cell}");
            assert!(cell.ends_with('-'), "{cell}");
        }
    }
}
