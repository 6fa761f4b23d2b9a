//! A fake `libnvidia-ml`: the NVML C symbols `grounded` uses, answering from
//! a scenario chosen by `FAKE_NVML_SCENARIO` (see `scenario.rs`). Loaded
//! through `GROUNDED_NVML_LIBRARY`, it drives the real NVML adapter in tests.
//!
//! This library exports `nvmlDeviceGetComputeRunningProcesses_v3` like a
//! current driver; `fake-nvml-old` is the same library without it.

// The exported names and pointer contracts are NVML's (nvml.h).
#![allow(non_snake_case, clippy::missing_safety_doc)]

mod api;
mod scenario;
mod v3;
