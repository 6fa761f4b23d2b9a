//! The NVML source: `libnvidia-ml` loaded at run time through `nvml-wrapper`.
//!
//! No library, no driver or a failed init is a snapshot with
//! `available: false` and the reason. Each reading the driver refuses
//! (an old driver without a symbol, `NotSupported` on a MIG instance,
//! `Unavailable`) or answers with a value no GPU can have becomes `None`
//! for that reading alone.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use nvml_wrapper::enum_wrappers::device::{Clock, TemperatureSensor};
use nvml_wrapper::enums::device::UsedGpuMemory;
use nvml_wrapper::error::NvmlError;
use nvml_wrapper::struct_wrappers::device::ProcessInfo;
use nvml_wrapper::Nvml;

use super::procfs::ProcFs;
use super::snapshot::{now_ms, Device, Process, Snapshot};
use super::source::GpuSource;

/// Load this library instead of the system's `libnvidia-ml.so.1`.
pub const LIBRARY_ENV: &str = "GROUNDED_NVML_LIBRARY";

/// A failed init is retried at most this often (a driver may come up later).
const RETRY_AFTER: Duration = Duration::from_secs(10);

// Values past these are driver noise (sentinels, overflow), not readings.
const MAX_TEMPERATURE_C: u32 = 150;
const MAX_POWER_MW: u32 = 5_000_000;
const MAX_CLOCK_MHZ: u32 = 20_000;

pub struct NvmlSource {
    lib_path: Option<PathBuf>,
    nvml: Option<Nvml>,
    failure: Option<(String, Instant)>,
    procfs: ProcFs,
}

impl NvmlSource {
    /// The system's NVML, or the library named by `GROUNDED_NVML_LIBRARY`.
    pub fn from_env() -> NvmlSource {
        let lib_path = std::env::var_os(LIBRARY_ENV)
            .filter(|p| !p.is_empty())
            .map(PathBuf::from);
        NvmlSource::with_library(lib_path)
    }

    pub fn with_library(lib_path: Option<PathBuf>) -> NvmlSource {
        NvmlSource {
            lib_path,
            nvml: None,
            failure: None,
            procfs: ProcFs::default(),
        }
    }

    fn connect(&mut self) -> Result<(), String> {
        if self.nvml.is_none() {
            if let Some((reason, at)) = &self.failure {
                if at.elapsed() < RETRY_AFTER {
                    return Err(reason.clone());
                }
            }
            let mut builder = Nvml::builder();
            if let Some(p) = &self.lib_path {
                builder.lib_path(OsStr::new(p.as_os_str()));
            }
            match builder.init() {
                Ok(nvml) => {
                    self.nvml = Some(nvml);
                    self.failure = None;
                }
                Err(e) => {
                    let reason = format!("NVML unavailable: {}", describe_init_error(&e));
                    self.failure = Some((reason.clone(), Instant::now()));
                    return Err(reason);
                }
            }
        }
        Ok(())
    }
}

fn describe_init_error(e: &NvmlError) -> String {
    match e {
        NvmlError::LibloadingError(inner) => format!("cannot load the NVML library ({inner})"),
        NvmlError::FailedToLoadSymbol(s) => format!("the NVML library lacks {s}"),
        other => other.to_string(),
    }
}

impl GpuSource for NvmlSource {
    fn next_snapshot(&mut self) -> Option<Snapshot> {
        let ts_ms = now_ms();
        if let Err(reason) = self.connect() {
            return Some(Snapshot::unavailable(ts_ms, reason));
        }
        let Some(nvml) = self.nvml.as_ref() else {
            return Some(Snapshot::unavailable(ts_ms, "NVML unavailable"));
        };
        let count = match nvml.device_count() {
            Ok(c) => c,
            Err(e) => {
                return Some(Snapshot::unavailable(
                    ts_ms,
                    format!("NVML cannot count the GPUs: {e}"),
                ))
            }
        };
        let devices = (0..count)
            .map(|i| read_device(nvml, i, &self.procfs))
            .collect();
        Some(Snapshot {
            ts_ms,
            available: true,
            reason: None,
            driver_version: nvml.sys_driver_version().ok(),
            devices,
            alerts: Vec::new(),
        })
    }
}

fn read_device(nvml: &Nvml, index: u32, procfs: &ProcFs) -> Device {
    let blank = Device {
        index,
        ..Device::default()
    };
    let Ok(dev) = nvml.device_by_index(index) else {
        return blank;
    };
    let memory = dev.memory_info().ok().filter(|m| m.total > 0);
    let total = memory.as_ref().map(|m| m.total);
    let used = memory
        .as_ref()
        .filter(|m| m.used <= m.total)
        .map(|m| m.used);
    let utilization = dev.utilization_rates().ok();
    let pct = |v: u32| (v <= 100).then_some(v);
    let clock = |c: Clock| dev.clock_info(c).ok().filter(|v| *v <= MAX_CLOCK_MHZ);
    let processes = match dev.running_compute_processes() {
        Ok(list) => Some(list),
        // An old driver has no `_v3`: ask the `_v2` it does have.
        Err(NvmlError::FailedToLoadSymbol(_)) => dev.running_compute_processes_v2().ok(),
        Err(_) => None,
    };
    Device {
        index,
        uuid: dev.uuid().ok(),
        name: dev.name().ok(),
        memory_total_bytes: total,
        memory_used_bytes: used,
        utilization_gpu_pct: utilization.as_ref().and_then(|u| pct(u.gpu)),
        utilization_memory_pct: utilization.as_ref().and_then(|u| pct(u.memory)),
        temperature_c: dev
            .temperature(TemperatureSensor::Gpu)
            .ok()
            .filter(|t| *t <= MAX_TEMPERATURE_C),
        power_mw: dev.power_usage().ok().filter(|p| *p <= MAX_POWER_MW),
        power_limit_mw: dev
            .enforced_power_limit()
            .ok()
            .filter(|p| *p > 0 && *p <= MAX_POWER_MW),
        clock_sm_mhz: clock(Clock::SM),
        clock_mem_mhz: clock(Clock::Memory),
        processes: processes.map(|list| processes_of(list, total, procfs)),
    }
}

/// One entry per pid (a process with several contexts on one GPU is listed
/// once, with their memory added up), named from `/proc`.
fn processes_of(list: Vec<ProcessInfo>, total: Option<u64>, procfs: &ProcFs) -> Vec<Process> {
    let mut out: Vec<Process> = Vec::new();
    for p in list {
        let used = match p.used_gpu_memory {
            UsedGpuMemory::Used(b) if total.is_none_or(|t| b <= t) => Some(b),
            _ => None,
        };
        if let Some(seen) = out.iter_mut().find(|q| q.pid == p.pid) {
            seen.used_memory_bytes = match (seen.used_memory_bytes, used) {
                (Some(a), Some(b)) => Some(a.saturating_add(b)),
                (a, b) => a.or(b),
            };
            continue;
        }
        let info = procfs.info(p.pid);
        out.push(Process {
            pid: p.pid,
            start_time: info.start_time,
            name: info.name,
            cmdline: info.cmdline,
            used_memory_bytes: used,
        });
    }
    out.sort_by_key(|p| p.pid);
    out
}
