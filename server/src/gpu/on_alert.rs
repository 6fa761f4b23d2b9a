//! `--on-alert CMD`: run the user's command (through `sh -c`) when an alert
//! is raised, with the alert in `GROUNDED_ALERT_*` environment variables.
//!
//! Each command runs on a thread of its own so the watcher never waits on it;
//! one that outlives the timeout is killed with its process group. The same
//! alert (kind, GPU, pid) runs the command at most once per cooldown.

use std::collections::HashMap;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::snapshot::Alert;

pub struct AlertHook {
    command: String,
    cooldown_ms: u64,
    timeout: Duration,
    last_run: HashMap<(&'static str, u32, Option<u32>), u64>,
    running: Vec<JoinHandle<()>>,
    warnings: Arc<Mutex<Vec<String>>>,
}

impl AlertHook {
    pub fn new(command: String, cooldown: Duration, timeout: Duration) -> AlertHook {
        AlertHook {
            command,
            cooldown_ms: cooldown.as_millis() as u64,
            timeout,
            last_run: HashMap::new(),
            running: Vec::new(),
            warnings: Arc::default(),
        }
    }

    /// Run the command for `alert`, raised at `ts_ms` (the snapshot's clock),
    /// unless the same alert ran it within the cooldown.
    pub fn fire(&mut self, alert: &Alert, ts_ms: u64) {
        let key = (alert.kind.as_str(), alert.device, alert.pid);
        if let Some(last) = self.last_run.get(&key) {
            if ts_ms.saturating_sub(*last) < self.cooldown_ms {
                return;
            }
        }
        self.last_run.insert(key, ts_ms);
        self.running.retain(|h| !h.is_finished());
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(&self.command)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .process_group(0);
        let opt = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        cmd.env("GROUNDED_ALERT_KIND", alert.kind.as_str())
            .env("GROUNDED_ALERT_DEVICE", alert.device.to_string())
            .env(
                "GROUNDED_ALERT_PID",
                alert.pid.map(|p| p.to_string()).unwrap_or_default(),
            )
            .env(
                "GROUNDED_ALERT_SLOPE_BYTES_PER_S",
                opt(alert.slope_bytes_per_s),
            )
            .env("GROUNDED_ALERT_R2", opt(alert.r2))
            .env("GROUNDED_ALERT_ETA_S", opt(alert.eta_s))
            .env("GROUNDED_ALERT_MESSAGE", &alert.message)
            .env(
                "GROUNDED_ALERT_JSON",
                serde_json::to_string(alert).unwrap_or_default(),
            );
        let timeout = self.timeout;
        let warnings = self.warnings.clone();
        let spawned = std::thread::Builder::new()
            .name("on-alert".into())
            .spawn(move || {
                if let Err(w) = run(cmd, timeout) {
                    if let Ok(mut list) = warnings.lock() {
                        list.push(format!("--on-alert: {w}"));
                    }
                }
            });
        match spawned {
            Ok(h) => self.running.push(h),
            Err(e) => self.warn(format!("--on-alert: cannot start a thread: {e}")),
        }
    }

    fn warn(&self, w: String) {
        if let Ok(mut list) = self.warnings.lock() {
            list.push(w);
        }
    }

    /// Problems since the last call: commands that failed or timed out.
    pub fn take_warnings(&self) -> Vec<String> {
        self.warnings
            .lock()
            .map(|mut l| std::mem::take(&mut *l))
            .unwrap_or_default()
    }

    /// Wait for the commands still running (each is bounded by the timeout).
    pub fn finish(&mut self) {
        for h in self.running.drain(..) {
            let _ = h.join();
        }
    }
}

fn run(mut cmd: Command, timeout: Duration) -> Result<(), String> {
    let mut child = cmd.spawn().map_err(|e| format!("cannot run sh: {e}"))?;
    let stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut s) = stderr {
            let _ = s.by_ref().take(64 * 1024).read_to_string(&mut text);
        }
        text
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= timeout => {
                // SAFETY: signals the process group the child leads (process_group(0)).
                unsafe {
                    libc::kill(-(child.id() as i32), libc::SIGKILL);
                }
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "the command ran past {} s and was killed",
                    timeout.as_secs_f64()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("cannot wait for the command: {e}")),
        }
    };
    let said = reader.join().unwrap_or_default();
    if status.success() {
        return Ok(());
    }
    let first = said.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let code = status
        .code()
        .map(|c| format!("exited with status {c}"))
        .unwrap_or_else(|| "was killed by a signal".into());
    Err(if first.is_empty() {
        format!("the command {code}")
    } else {
        format!("the command {code}: {}", first.trim())
    })
}
