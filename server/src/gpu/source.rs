//! Where readings come from: NVML on this machine, or a recorded trace.

use super::snapshot::Snapshot;

pub trait GpuSource: Send {
    /// The next reading; `None` when there are no more (the end of a replay).
    /// A source that cannot read the GPU returns a snapshot with
    /// `available: false` and the reason, never an error.
    fn next_snapshot(&mut self) -> Option<Snapshot>;

    /// Readings follow the trace's own clock rather than this machine's.
    fn is_replay(&self) -> bool {
        false
    }

    /// Problems met since the last call (skipped trace lines), one line each.
    fn take_warnings(&mut self) -> Vec<String> {
        Vec::new()
    }
}
