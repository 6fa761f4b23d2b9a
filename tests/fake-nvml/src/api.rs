//! The NVML C API, as much of it as `grounded` calls.

use std::ffi::{c_char, c_uint, c_ulonglong, c_void};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::scenario::{devices, scenario, FakeDevice, Scenario};

pub type Ret = c_uint;
pub type Handle = *mut c_void;

const SUCCESS: Ret = 0;
const UNINITIALIZED: Ret = 1;
const INVALID_ARGUMENT: Ret = 2;
const NOT_SUPPORTED: Ret = 3;
const INSUFFICIENT_SIZE: Ret = 7;
const DRIVER_NOT_LOADED: Ret = 9;

const CLOCK_SM: c_uint = 1;
const CLOCK_MEM: c_uint = 2;

static INITIALIZED: AtomicBool = AtomicBool::new(false);

#[repr(C)]
pub struct Memory2 {
    version: c_uint,
    total: c_ulonglong,
    reserved: c_ulonglong,
    free: c_ulonglong,
    used: c_ulonglong,
}

#[repr(C)]
pub struct Utilization {
    gpu: c_uint,
    memory: c_uint,
}

/// `nvmlProcessInfo_t` (the same layout for `_v2` and `_v3`).
#[repr(C)]
pub struct ProcessInfo {
    pid: c_uint,
    used_gpu_memory: c_ulonglong,
    gpu_instance_id: c_uint,
    compute_instance_id: c_uint,
}

#[no_mangle]
pub extern "C" fn nvmlInit_v2() -> Ret {
    if scenario() == Scenario::InitFail {
        return DRIVER_NOT_LOADED;
    }
    INITIALIZED.store(true, Ordering::SeqCst);
    SUCCESS
}

#[no_mangle]
pub extern "C" fn nvmlInitWithFlags(_flags: c_uint) -> Ret {
    nvmlInit_v2()
}

#[no_mangle]
pub extern "C" fn nvmlShutdown() -> Ret {
    INITIALIZED.store(false, Ordering::SeqCst);
    SUCCESS
}

#[no_mangle]
pub extern "C" fn nvmlErrorString(_result: Ret) -> *const c_char {
    c"fake NVML error".as_ptr()
}

#[no_mangle]
pub unsafe extern "C" fn nvmlSystemGetDriverVersion(buf: *mut c_char, len: c_uint) -> Ret {
    if !INITIALIZED.load(Ordering::SeqCst) {
        return UNINITIALIZED;
    }
    copy_str("555.42.06-fake", buf, len)
}

#[no_mangle]
pub unsafe extern "C" fn nvmlDeviceGetCount_v2(count: *mut c_uint) -> Ret {
    if !INITIALIZED.load(Ordering::SeqCst) {
        return UNINITIALIZED;
    }
    if count.is_null() {
        return INVALID_ARGUMENT;
    }
    *count = devices().len() as c_uint;
    SUCCESS
}

#[no_mangle]
pub unsafe extern "C" fn nvmlDeviceGetHandleByIndex_v2(index: c_uint, device: *mut Handle) -> Ret {
    if device.is_null() || index as usize >= devices().len() {
        return INVALID_ARGUMENT;
    }
    // The handle is the index + 1: never null.
    *device = (index as usize + 1) as Handle;
    SUCCESS
}

#[no_mangle]
pub unsafe extern "C" fn nvmlDeviceGetUUID(device: Handle, buf: *mut c_char, len: c_uint) -> Ret {
    with_device(device, |d| copy_str(d.uuid, buf, len))
}

#[no_mangle]
pub unsafe extern "C" fn nvmlDeviceGetName(device: Handle, buf: *mut c_char, len: c_uint) -> Ret {
    with_device(device, |d| copy_str(d.name, buf, len))
}

#[no_mangle]
pub unsafe extern "C" fn nvmlDeviceGetMemoryInfo_v2(device: Handle, memory: *mut Memory2) -> Ret {
    with_device(device, |d| {
        if memory.is_null() {
            return INVALID_ARGUMENT;
        }
        (*memory).total = d.total;
        (*memory).used = d.used;
        (*memory).free = d.total - d.used;
        (*memory).reserved = 0;
        SUCCESS
    })
}

#[no_mangle]
pub unsafe extern "C" fn nvmlDeviceGetUtilizationRates(
    device: Handle,
    out: *mut Utilization,
) -> Ret {
    with_device(device, |d| match d.utilization {
        Some((gpu, memory)) if !out.is_null() => {
            *out = Utilization { gpu, memory };
            SUCCESS
        }
        Some(_) => INVALID_ARGUMENT,
        None => NOT_SUPPORTED,
    })
}

#[no_mangle]
pub unsafe extern "C" fn nvmlDeviceGetTemperature(
    device: Handle,
    _sensor: c_uint,
    out: *mut c_uint,
) -> Ret {
    with_device(device, |d| put(d.temperature, out))
}

#[no_mangle]
pub unsafe extern "C" fn nvmlDeviceGetPowerUsage(device: Handle, out: *mut c_uint) -> Ret {
    with_device(device, |d| put(d.power_mw, out))
}

#[no_mangle]
pub unsafe extern "C" fn nvmlDeviceGetEnforcedPowerLimit(device: Handle, out: *mut c_uint) -> Ret {
    with_device(device, |d| put(d.power_limit_mw, out))
}

#[no_mangle]
pub unsafe extern "C" fn nvmlDeviceGetClockInfo(
    device: Handle,
    clock: c_uint,
    out: *mut c_uint,
) -> Ret {
    with_device(device, |d| match clock {
        CLOCK_SM => put(d.clock_sm, out),
        CLOCK_MEM => put(d.clock_mem, out),
        _ => NOT_SUPPORTED,
    })
}

#[no_mangle]
pub unsafe extern "C" fn nvmlDeviceGetComputeRunningProcesses_v2(
    device: Handle,
    count: *mut c_uint,
    infos: *mut ProcessInfo,
) -> Ret {
    if scenario() == Scenario::NoV2 {
        return NOT_SUPPORTED;
    }
    list_processes(device, count, infos)
}

/// NVML's two-call protocol: with too small a buffer (or none), the count
/// needed and `INSUFFICIENT_SIZE`.
pub unsafe fn list_processes(device: Handle, count: *mut c_uint, infos: *mut ProcessInfo) -> Ret {
    with_device(device, |d| {
        if count.is_null() {
            return INVALID_ARGUMENT;
        }
        let needed = d.processes.len() as c_uint;
        if infos.is_null() || *count < needed {
            *count = needed;
            return if needed == 0 {
                SUCCESS
            } else {
                INSUFFICIENT_SIZE
            };
        }
        for (i, (pid, used)) in d.processes.iter().enumerate() {
            *infos.add(i) = ProcessInfo {
                pid: *pid,
                used_gpu_memory: *used,
                gpu_instance_id: u32::MAX,
                compute_instance_id: u32::MAX,
            };
        }
        *count = needed;
        SUCCESS
    })
}

fn with_device(device: Handle, f: impl FnOnce(&FakeDevice) -> Ret) -> Ret {
    if !INITIALIZED.load(Ordering::SeqCst) {
        return UNINITIALIZED;
    }
    let list = devices();
    match (device as usize).checked_sub(1).and_then(|i| list.get(i)) {
        Some(d) => f(d),
        None => INVALID_ARGUMENT,
    }
}

unsafe fn put(value: Option<u32>, out: *mut c_uint) -> Ret {
    match value {
        Some(_) if out.is_null() => INVALID_ARGUMENT,
        Some(v) => {
            *out = v;
            SUCCESS
        }
        None => NOT_SUPPORTED,
    }
}

unsafe fn copy_str(s: &str, buf: *mut c_char, len: c_uint) -> Ret {
    if buf.is_null() {
        return INVALID_ARGUMENT;
    }
    let bytes = s.as_bytes();
    if bytes.len() + 1 > len as usize {
        return INSUFFICIENT_SIZE;
    }
    std::ptr::copy_nonoverlapping(bytes.as_ptr() as *const c_char, buf, bytes.len());
    *buf.add(bytes.len()) = 0;
    SUCCESS
}
