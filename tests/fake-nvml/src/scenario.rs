//! What the fake GPUs report. `FAKE_NVML_SCENARIO`:
//! - unset or `default`: two GPUs. GPU 0 runs two compute processes: the
//!   process that loaded this library (12 GiB) and a pid no `/proc` shows
//!   (memory `Unavailable`, as under WDDM or in another pid namespace).
//!   GPU 1 is a MIG-like device: utilization, power and the memory clock are
//!   `NotSupported`, its temperature is implausible (511 °C), no processes.
//! - `init-fail`: `nvmlInit_v2` answers `NVML_ERROR_DRIVER_NOT_LOADED`.
//! - `no-devices`: NVML works but sees no GPU.
//! - `no-v2`: as `default`, but `nvmlDeviceGetComputeRunningProcesses_v2`
//!   answers `NotSupported`: a driver without `_v3` then lists no processes.

pub const GIB: u64 = 1 << 30;
/// A pid above any `pid_max`: never in `/proc`.
pub const GHOST_PID: u32 = 2_000_000_000;
/// NVML's `NVML_VALUE_NOT_AVAILABLE` for unsigned long long.
pub const NOT_AVAILABLE: u64 = u64::MAX;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    Default,
    InitFail,
    NoDevices,
    NoV2,
}

pub fn scenario() -> Scenario {
    match std::env::var("FAKE_NVML_SCENARIO").as_deref() {
        Ok("init-fail") => Scenario::InitFail,
        Ok("no-devices") => Scenario::NoDevices,
        Ok("no-v2") => Scenario::NoV2,
        _ => Scenario::Default,
    }
}

/// `None` stands for `NVML_ERROR_NOT_SUPPORTED`.
pub struct FakeDevice {
    pub uuid: &'static str,
    pub name: &'static str,
    pub total: u64,
    pub used: u64,
    pub utilization: Option<(u32, u32)>,
    pub temperature: Option<u32>,
    pub power_mw: Option<u32>,
    pub power_limit_mw: Option<u32>,
    pub clock_sm: Option<u32>,
    pub clock_mem: Option<u32>,
    pub processes: Vec<(u32, u64)>,
}

pub fn devices() -> Vec<FakeDevice> {
    if matches!(scenario(), Scenario::InitFail | Scenario::NoDevices) {
        return Vec::new();
    }
    vec![
        FakeDevice {
            uuid: "GPU-fa4e0000-0000-4000-8000-000000000000",
            name: "NVIDIA Fake H100 80GB HBM3",
            total: 80 * GIB,
            used: 20 * GIB,
            utilization: Some((45, 30)),
            temperature: Some(54),
            power_mw: Some(210_000),
            power_limit_mw: Some(700_000),
            clock_sm: Some(1980),
            clock_mem: Some(2619),
            processes: vec![(std::process::id(), 12 * GIB), (GHOST_PID, NOT_AVAILABLE)],
        },
        FakeDevice {
            uuid: "GPU-fa4e0001-0000-4000-8000-000000000001",
            name: "NVIDIA Fake A100 MIG 3g.40gb",
            total: 40 * GIB,
            used: GIB,
            utilization: None,
            temperature: Some(511),
            power_mw: None,
            power_limit_mw: None,
            clock_sm: Some(1410),
            clock_mem: None,
            processes: Vec::new(),
        },
    ]
}
