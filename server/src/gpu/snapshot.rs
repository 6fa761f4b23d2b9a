//! One reading of every GPU: the contract shared by `grounded gpu --json`,
//! `--record`, `--replay` and the language server's `grounded/gpuStatus`.
//!
//! Every reading the driver may not give is an `Option`: `null` in JSON means
//! "the driver could not say", never zero.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// When it was taken: milliseconds since the Unix epoch (the trace's own
    /// clock in a replay).
    pub ts_ms: u64,
    /// NVML answered.
    pub available: bool,
    /// Why it is not available (no driver, no library, init failed).
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub driver_version: Option<String>,
    #[serde(default)]
    pub devices: Vec<Device>,
    /// The alerts in force when the snapshot was taken.
    #[serde(default)]
    pub alerts: Vec<Alert>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Device {
    pub index: u32,
    #[serde(default)]
    pub uuid: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub memory_total_bytes: Option<u64>,
    #[serde(default)]
    pub memory_used_bytes: Option<u64>,
    #[serde(default)]
    pub utilization_gpu_pct: Option<u32>,
    #[serde(default)]
    pub utilization_memory_pct: Option<u32>,
    #[serde(default)]
    pub temperature_c: Option<u32>,
    #[serde(default)]
    pub power_mw: Option<u32>,
    #[serde(default)]
    pub power_limit_mw: Option<u32>,
    #[serde(default)]
    pub clock_sm_mhz: Option<u32>,
    #[serde(default)]
    pub clock_mem_mhz: Option<u32>,
    /// The compute processes; `None` when the driver cannot list them.
    #[serde(default)]
    pub processes: Option<Vec<Process>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Process {
    pub pid: u32,
    /// When the process started, in milliseconds since the Unix epoch (from
    /// `/proc`); with the pid it names one process even when pids are reused.
    #[serde(default)]
    pub start_time: Option<u64>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub cmdline: Option<String>,
    #[serde(default)]
    pub used_memory_bytes: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AlertKind {
    LeakSuspected,
    Threshold,
}

impl AlertKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::LeakSuspected => "leak-suspected",
            AlertKind::Threshold => "threshold",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub kind: AlertKind,
    /// The device index.
    pub device: u32,
    /// The process, for a per-process leak; `None` for the whole device.
    pub pid: Option<u32>,
    pub slope_bytes_per_s: Option<f64>,
    pub r2: Option<f64>,
    /// Projected seconds until the device's memory is exhausted.
    pub eta_s: Option<f64>,
    pub message: String,
}

impl Snapshot {
    /// The reading of a machine where NVML cannot be used.
    pub fn unavailable(ts_ms: u64, reason: impl Into<String>) -> Snapshot {
        Snapshot {
            ts_ms,
            available: false,
            reason: Some(reason.into()),
            ..Snapshot::default()
        }
    }
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}
