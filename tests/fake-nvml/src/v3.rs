//! The symbol an old driver lacks.

use std::ffi::c_uint;

use crate::api::{list_processes, Handle, ProcessInfo, Ret};

#[no_mangle]
pub unsafe extern "C" fn nvmlDeviceGetComputeRunningProcesses_v3(
    device: Handle,
    count: *mut c_uint,
    infos: *mut ProcessInfo,
) -> Ret {
    list_processes(device, count, infos)
}
