//! GPU status: NVML sampling, history, leak detection, alerts.
//!
//! [`source`] gives snapshots ([`snapshot`], the JSON contract) from NVML
//! ([`nvml`], with [`procfs`] naming the processes) or from a recorded
//! trace ([`trace`]); [`monitor`] keeps the [`history`], runs the
//! [`detector`] on every series and the [`threshold`] alarm on every GPU,
//! and turns their verdicts into alerts. [`command`] is `grounded gpu`;
//! [`table`], [`prometheus`] and [`on_alert`] are its outputs. The language
//! server schedules the same engine (`lsp/gpu.rs`).

pub mod command;
pub mod detector;
pub mod history;
pub mod monitor;
pub mod nvml;
pub mod on_alert;
pub mod procfs;
pub mod prometheus;
pub mod regression;
pub mod snapshot;
pub mod source;
pub mod table;
pub mod threshold;
pub mod trace;
pub mod units;

pub use monitor::{GpuStatus, Monitor, MonitorConfig};
pub use snapshot::{Alert, AlertKind, Device, Process, Snapshot};
pub use source::GpuSource;
