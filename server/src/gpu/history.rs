//! What the sampler saw: memory used per GPU and per process, kept for a
//! while (30 minutes by default) in time order.

use std::collections::{BTreeMap, VecDeque};

use serde::Serialize;

use super::snapshot::Snapshot;

/// Whatever the interval, a series never holds more points than this.
const MAX_POINTS: usize = 100_000;

/// One process on one GPU. The start time tells apart two processes that
/// got the same pid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProcessKey {
    pub device: u32,
    pub pid: u32,
    pub start_time: Option<u64>,
}

#[derive(Debug, Clone, Default)]
pub struct ProcessSeries {
    pub name: Option<String>,
    /// (ms since the epoch, bytes used).
    pub points: VecDeque<(u64, u64)>,
}

#[derive(Debug, Clone)]
pub struct History {
    retention_ms: u64,
    pub devices: BTreeMap<u32, VecDeque<(u64, u64)>>,
    pub processes: BTreeMap<ProcessKey, ProcessSeries>,
}

impl History {
    pub fn new(retention_s: f64) -> History {
        History {
            retention_ms: (retention_s.max(1.0) * 1000.0) as u64,
            devices: BTreeMap::new(),
            processes: BTreeMap::new(),
        }
    }

    pub fn record(&mut self, snap: &Snapshot) {
        let ts = snap.ts_ms;
        for dev in &snap.devices {
            if let Some(used) = dev.memory_used_bytes {
                push(self.devices.entry(dev.index).or_default(), ts, used);
            }
            for p in dev.processes.iter().flatten() {
                let Some(used) = p.used_memory_bytes else {
                    continue;
                };
                let key = ProcessKey {
                    device: dev.index,
                    pid: p.pid,
                    start_time: p.start_time,
                };
                let series = self.processes.entry(key).or_default();
                if p.name.is_some() {
                    series.name = p.name.clone();
                }
                push(&mut series.points, ts, used);
            }
        }
        let oldest = ts.saturating_sub(self.retention_ms);
        let forget = |points: &mut VecDeque<(u64, u64)>| {
            while points.front().is_some_and(|(t, _)| *t < oldest) {
                points.pop_front();
            }
            !points.is_empty()
        };
        self.devices.retain(|_, points| forget(points));
        self.processes.retain(|_, s| forget(&mut s.points));
    }

    /// The last `max_points` of every series, for a panel.
    pub fn recent(&self, max_points: usize) -> RecentHistory {
        let tail = |points: &VecDeque<(u64, u64)>| -> Vec<(u64, u64)> {
            points
                .iter()
                .skip(points.len().saturating_sub(max_points))
                .copied()
                .collect()
        };
        RecentHistory {
            devices: self
                .devices
                .iter()
                .map(|(index, points)| DeviceHistory {
                    index: *index,
                    points: tail(points),
                })
                .collect(),
            processes: self
                .processes
                .iter()
                .map(|(key, s)| ProcessHistory {
                    device: key.device,
                    pid: key.pid,
                    start_time: key.start_time,
                    name: s.name.clone(),
                    points: tail(&s.points),
                })
                .collect(),
        }
    }
}

fn push(points: &mut VecDeque<(u64, u64)>, ts: u64, value: u64) {
    if points.back().is_some_and(|(t, _)| *t >= ts) {
        return;
    }
    if points.len() >= MAX_POINTS {
        points.pop_front();
    }
    points.push_back((ts, value));
}

/// Points are `[ts_ms, bytes]` pairs.
#[derive(Debug, Clone, Serialize)]
pub struct RecentHistory {
    pub devices: Vec<DeviceHistory>,
    pub processes: Vec<ProcessHistory>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeviceHistory {
    pub index: u32,
    pub points: Vec<(u64, u64)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProcessHistory {
    pub device: u32,
    pub pid: u32,
    pub start_time: Option<u64>,
    pub name: Option<String>,
    pub points: Vec<(u64, u64)>,
}
