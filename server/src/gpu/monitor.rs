//! The GPU status engine: readings in, history kept, every series judged by
//! the leak detector and every GPU by the threshold alarm, alerts out.
//!
//! It does no I/O: whoever holds it (the CLI, the language server) feeds it
//! snapshots from a [`super::source::GpuSource`] at its own pace.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::detector::{LeakParams, SeriesTracker, Trend, TrendState};
use super::history::{History, ProcessKey, RecentHistory};
use super::snapshot::{Alert, AlertKind, Device, Process, Snapshot};
use super::threshold::{ThresholdAlarm, ThresholdParams};
use super::units;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonitorConfig {
    pub leak: LeakParams,
    pub threshold: ThresholdParams,
    /// How long history is kept, in seconds.
    pub history_s: f64,
}

impl Default for MonitorConfig {
    fn default() -> MonitorConfig {
        MonitorConfig {
            leak: LeakParams::default(),
            threshold: ThresholdParams::default(),
            history_s: 30.0 * 60.0,
        }
    }
}

impl MonitorConfig {
    /// The threshold as a percentage of total memory.
    pub fn with_threshold(mut self, percent: f64) -> MonitorConfig {
        self.threshold.percent = percent;
        self
    }
}

/// One process's trend, for a table or a panel.
#[derive(Debug, Clone, Serialize)]
pub struct ProcessTrend {
    pub device: u32,
    pub pid: u32,
    pub start_time: Option<u64>,
    #[serde(flatten)]
    pub trend: Trend,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeviceTrend {
    pub device: u32,
    #[serde(flatten)]
    pub trend: Trend,
}

/// What one reading produced.
#[derive(Debug, Clone)]
pub struct GpuStatus {
    /// The reading, with the alerts in force.
    pub snapshot: Snapshot,
    pub devices: Vec<DeviceTrend>,
    pub processes: Vec<ProcessTrend>,
    /// Alerts raised by this reading (not in force before it).
    pub raised: Vec<Alert>,
}

type AlertKey = (AlertKind, u32, Option<u32>, Option<u64>);

pub struct Monitor {
    config: MonitorConfig,
    history: History,
    devices: BTreeMap<u32, SeriesTracker>,
    processes: BTreeMap<ProcessKey, SeriesTracker>,
    thresholds: BTreeMap<u32, ThresholdAlarm>,
    active: BTreeMap<AlertKey, Alert>,
    /// Every alert raised so far, one per episode, its evidence kept current
    /// while the episode lasts.
    log: Vec<Alert>,
    open_episodes: BTreeMap<AlertKey, usize>,
}

impl Monitor {
    pub fn new(config: MonitorConfig) -> Monitor {
        Monitor {
            config,
            history: History::new(config.history_s),
            devices: BTreeMap::new(),
            processes: BTreeMap::new(),
            thresholds: BTreeMap::new(),
            active: BTreeMap::new(),
            log: Vec::new(),
            open_episodes: BTreeMap::new(),
        }
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    pub fn recent_history(&self, max_points: usize) -> RecentHistory {
        self.history.recent(max_points)
    }

    /// Every alert raised so far, oldest first.
    pub fn alert_log(&self) -> &[Alert] {
        &self.log
    }

    pub fn observe(&mut self, mut snap: Snapshot) -> GpuStatus {
        snap.alerts.clear();
        if !snap.available {
            return GpuStatus {
                snapshot: snap,
                devices: Vec::new(),
                processes: Vec::new(),
                raised: Vec::new(),
            };
        }
        self.history.record(&snap);
        let mut alerts = BTreeMap::new();
        let mut device_trends = Vec::new();
        let mut process_trends = Vec::new();
        let mut seen_devices = BTreeSet::new();
        let mut seen_processes = BTreeSet::new();
        for dev in &snap.devices {
            seen_devices.insert(dev.index);
            let free = match (dev.memory_total_bytes, dev.memory_used_bytes) {
                (Some(t), Some(u)) => Some(t.saturating_sub(u)),
                _ => None,
            };
            let mut process_leak = false;
            for p in dev.processes.iter().flatten() {
                let key = ProcessKey {
                    device: dev.index,
                    pid: p.pid,
                    start_time: p.start_time,
                };
                seen_processes.insert(key);
                let tracker = self
                    .processes
                    .entry(key)
                    .or_insert_with(|| SeriesTracker::new(self.config.leak));
                let trend = match p.used_memory_bytes {
                    Some(used) => tracker.push(snap.ts_ms, used, free).clone(),
                    None => tracker.trend().clone(),
                };
                if trend.state == TrendState::LeakSuspected {
                    process_leak = true;
                    alerts.insert(
                        (
                            AlertKind::LeakSuspected,
                            dev.index,
                            Some(p.pid),
                            p.start_time,
                        ),
                        leak_alert(dev, Some(p), &trend),
                    );
                }
                process_trends.push(ProcessTrend {
                    device: dev.index,
                    pid: p.pid,
                    start_time: p.start_time,
                    trend,
                });
            }
            if dev.processes.is_none() {
                // The driver could not list them: those we knew are not gone.
                seen_processes.extend(self.processes.keys().filter(|k| k.device == dev.index));
            }
            let (Some(used), Some(total)) = (dev.memory_used_bytes, dev.memory_total_bytes) else {
                continue;
            };
            let trend = self
                .devices
                .entry(dev.index)
                .or_insert_with(|| SeriesTracker::new(self.config.leak))
                .push(snap.ts_ms, used, free)
                .clone();
            // A leaking process explains its device's growth: one alert, not two.
            if trend.state == TrendState::LeakSuspected && !process_leak {
                alerts.insert(
                    (AlertKind::LeakSuspected, dev.index, None, None),
                    leak_alert(dev, None, &trend),
                );
            }
            device_trends.push(DeviceTrend {
                device: dev.index,
                trend,
            });
            let alarm = self
                .thresholds
                .entry(dev.index)
                .or_insert_with(|| ThresholdAlarm::new(self.config.threshold));
            alarm.push(snap.ts_ms, used, total);
            if alarm.firing() {
                alerts.insert(
                    (AlertKind::Threshold, dev.index, None, None),
                    threshold_alert(dev, used, total, self.config.threshold.percent),
                );
            }
        }
        // A process that ended took its memory (and its trend) with it.
        self.processes.retain(|k, _| seen_processes.contains(k));
        self.devices.retain(|d, _| seen_devices.contains(d));
        self.thresholds.retain(|d, _| seen_devices.contains(d));

        let raised = self.update_episodes(&alerts);
        self.active = alerts;
        snap.alerts = self.active.values().cloned().collect();
        GpuStatus {
            snapshot: snap,
            devices: device_trends,
            processes: process_trends,
            raised,
        }
    }

    fn update_episodes(&mut self, now: &BTreeMap<AlertKey, Alert>) -> Vec<Alert> {
        self.open_episodes.retain(|k, _| now.contains_key(k));
        let mut raised = Vec::new();
        for (key, alert) in now {
            match self.open_episodes.get(key) {
                Some(&i) => self.log[i] = alert.clone(),
                None => {
                    self.open_episodes.insert(*key, self.log.len());
                    self.log.push(alert.clone());
                    raised.push(alert.clone());
                }
            }
        }
        raised
    }
}

fn leak_alert(dev: &Device, process: Option<&Process>, trend: &Trend) -> Alert {
    let slope = trend.slope_bytes_per_s.unwrap_or(0.0);
    let who = match process {
        Some(p) => match p.name.as_deref().or(p.cmdline.as_deref()) {
            Some(name) => format!("pid {} ({name})", p.pid),
            None => format!("pid {}", p.pid),
        },
        None => "memory used".to_string(),
    };
    let eta = trend
        .eta_s
        .map(|s| format!("; GPU memory full in ~{}", units::duration(s)))
        .unwrap_or_default();
    Alert {
        kind: AlertKind::LeakSuspected,
        device: dev.index,
        pid: process.map(|p| p.pid),
        slope_bytes_per_s: trend.slope_bytes_per_s,
        r2: trend.r2,
        eta_s: trend.eta_s,
        message: format!(
            "GPU {}: {who} grows {} over {} (R² {:.2}){eta}",
            dev.index,
            units::rate(slope),
            units::duration(trend.window_s),
            trend.r2.unwrap_or(0.0),
        ),
    }
}

fn threshold_alert(dev: &Device, used: u64, total: u64, percent: f64) -> Alert {
    Alert {
        kind: AlertKind::Threshold,
        device: dev.index,
        pid: None,
        slope_bytes_per_s: None,
        r2: None,
        eta_s: None,
        message: format!(
            "GPU {}: memory {:.1}% used ({} of {}), above the {percent}% threshold",
            dev.index,
            used as f64 * 100.0 / total as f64,
            units::bytes(used as f64),
            units::bytes(total as f64),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIB: u64 = 1 << 30;

    fn snap(ts_ms: u64, processes: Vec<Process>) -> Snapshot {
        let used = processes
            .iter()
            .filter_map(|p| p.used_memory_bytes)
            .sum::<u64>();
        Snapshot {
            ts_ms,
            available: true,
            devices: vec![Device {
                index: 0,
                memory_total_bytes: Some(80 * GIB),
                memory_used_bytes: Some(used),
                processes: Some(processes),
                ..Device::default()
            }],
            ..Snapshot::default()
        }
    }

    fn process(pid: u32, start_time: u64, used: u64) -> Process {
        Process {
            pid,
            start_time: Some(start_time),
            name: Some("python".into()),
            cmdline: None,
            used_memory_bytes: Some(used),
        }
    }

    #[test]
    fn a_reused_pid_is_a_new_process_and_an_ended_leak_is_cleared() {
        let mut m = Monitor::new(MonitorConfig::default());
        let mut raised = Vec::new();
        for i in 0..60u64 {
            let s = m.observe(snap(i * 2000, vec![process(7, 1, GIB + i * 200_000_000)]));
            raised.extend(s.raised);
        }
        assert_eq!(raised.len(), 1, "{raised:?}");
        assert_eq!(raised[0].pid, Some(7));
        // The same pid, started later: a new process, in its grace period.
        let s = m.observe(snap(120_000, vec![process(7, 2, 30 * GIB)]));
        assert!(s.snapshot.alerts.is_empty(), "{:?}", s.snapshot.alerts);
        assert_eq!(s.processes.len(), 1);
        assert_eq!(s.processes[0].start_time, Some(2));
        assert_eq!(s.processes[0].trend.state, TrendState::Ok);
        assert_eq!(m.alert_log().len(), 1, "the log keeps the ended episode");
        assert_eq!(m.history().processes.len(), 2, "both are in the history");
    }

    #[test]
    fn history_is_kept_for_the_configured_time() {
        let config = MonitorConfig {
            history_s: 60.0,
            ..MonitorConfig::default()
        };
        let mut m = Monitor::new(config);
        for i in 0..100u64 {
            m.observe(snap(i * 2000, vec![process(7, 1, GIB)]));
        }
        let points = &m.history().devices[&0];
        assert_eq!(points.front().map(|p| p.0), Some(138_000));
        assert_eq!(points.len(), 31);
        assert_eq!(m.recent_history(5).processes[0].points.len(), 5);
    }

    #[test]
    fn an_unavailable_reading_changes_nothing() {
        let mut m = Monitor::new(MonitorConfig::default());
        let s = m.observe(Snapshot::unavailable(5, "NVML unavailable: no driver"));
        assert!(!s.snapshot.available);
        assert!(m.history().devices.is_empty());
    }
}
