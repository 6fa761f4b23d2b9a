//! GPU status for the editor: while `gpu.enabled`, a task samples (NVML, or
//! the `gpu.replay` trace at its recorded pace) on the blocking pool, off the
//! protocol threads, and pushes `grounded/gpuStatus` notifications; the
//! request `grounded/gpuStatus` returns one snapshot. The feed stops when the
//! settings turn it off and at shutdown. All the work is in [`crate::gpu`].

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::notification::Notification;
use tower_lsp_server::Client;

use super::log;
use super::settings::GpuSettings;
use super::Backend;
use crate::gpu::nvml::NvmlSource;
use crate::gpu::trace::ReplaySource;
use crate::gpu::{GpuSource, Monitor, MonitorConfig, Snapshot};

pub const METHOD: &str = "grounded/gpuStatus";

/// The notification: `{snapshot, history, trends, alerts, source}`.
pub enum GpuStatusNotification {}

impl Notification for GpuStatusNotification {
    type Params = Value;
    const METHOD: &'static str = METHOD;
}

/// Alerts kept in each notification's log.
const ALERT_LOG: usize = 50;
/// Live sampling interval when the settings give none.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(2);
/// A replay never waits longer than this between two snapshots.
const MAX_REPLAY_GAP: Duration = Duration::from_secs(60);

#[derive(Default)]
pub struct GpuFeed {
    running: Mutex<Option<(GpuSettings, tokio::task::JoinHandle<()>)>>,
    latest: Arc<Mutex<Option<Snapshot>>>,
}

impl GpuFeed {
    /// Start, restart or stop the feed to match `settings`.
    pub fn apply(&self, client: &Client, settings: &GpuSettings) {
        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((current, task)) = running.as_ref() {
            if current == settings && settings.enabled && !task.is_finished() {
                return;
            }
        }
        if let Some((_, task)) = running.take() {
            task.abort();
            log::info("GPU status stopped");
        }
        if let Ok(mut l) = self.latest.lock() {
            *l = None;
        }
        if !settings.enabled {
            return;
        }
        let what = match &settings.replay {
            Some(p) => format!("replaying {}", p.display()),
            None => "sampling NVML".to_string(),
        };
        log::info(format!("GPU status: {what}"));
        let task = tokio::spawn(feed(client.clone(), settings.clone(), self.latest.clone()));
        *running = Some((settings.clone(), task));
    }

    pub fn stop(&self) {
        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, task)) = running.take() {
            task.abort();
        }
    }

    fn latest(&self) -> Option<Snapshot> {
        self.latest.lock().ok().and_then(|l| l.clone())
    }
}

impl Backend {
    /// `grounded/gpuStatus` request: the feed's latest snapshot, or a reading
    /// taken now when no feed runs.
    pub(crate) async fn gpu_status(&self, _params: Value) -> Result<Value> {
        let snap = match self.state.gpu.latest() {
            Some(s) => s,
            None => {
                let settings = self.state.settings().gpu;
                tokio::task::spawn_blocking(move || {
                    let mut source = open_source(&settings).ok()?;
                    source.next_snapshot()
                })
                .await
                .ok()
                .flatten()
                .unwrap_or_else(|| {
                    Snapshot::unavailable(crate::gpu::snapshot::now_ms(), "no reading")
                })
            }
        };
        Ok(serde_json::to_value(snap).unwrap_or(Value::Null))
    }
}

/// A request for `grounded/gpuStatus` may come without `params` (the
/// router wants them); they are added as `null` before it sees the frame.
pub fn fill_missing_params(body: Vec<u8>) -> Vec<u8> {
    if !body.windows(METHOD.len()).any(|w| w == METHOD.as_bytes()) {
        return body;
    }
    let Ok(mut msg) = serde_json::from_slice::<Value>(&body) else {
        return body;
    };
    match msg.as_object_mut() {
        Some(obj) if obj.get("method").and_then(Value::as_str) == Some(METHOD) => {
            obj.entry("params").or_insert(Value::Null);
        }
        _ => return body,
    }
    serde_json::to_vec(&msg).unwrap_or(body)
}

fn open_source(settings: &GpuSettings) -> std::result::Result<Box<dyn GpuSource>, String> {
    Ok(match &settings.replay {
        Some(path) => Box::new(ReplaySource::open(path)?),
        None => Box::new(NvmlSource::from_env()),
    })
}

struct Engine {
    source: Box<dyn GpuSource>,
    monitor: Monitor,
}

async fn feed(client: Client, settings: GpuSettings, latest: Arc<Mutex<Option<Snapshot>>>) {
    let source = match open_source(&settings) {
        Ok(s) => s,
        Err(e) => {
            log::warn(format!("gpu.replay: {e}"));
            return;
        }
    };
    let replay = source.is_replay();
    let config = MonitorConfig::default().with_threshold(settings.threshold_pct);
    let engine = Arc::new(Mutex::new(Engine {
        source,
        monitor: Monitor::new(config),
    }));
    let interval = settings.interval_s.map(Duration::from_secs_f64);
    let mut prev_ts: Option<u64> = None;
    loop {
        let e = engine.clone();
        let read = tokio::task::spawn_blocking(move || {
            let mut e = e.lock().unwrap_or_else(|p| p.into_inner());
            let snap = e.source.next_snapshot();
            (snap, e.source.take_warnings())
        })
        .await;
        let Ok((snap, warnings)) = read else { return };
        for w in warnings {
            log::warn(w);
        }
        let Some(snap) = snap else {
            log::info("GPU status: the replay reached the end of its trace");
            return;
        };
        // A replay plays at its recorded pace unless an interval is given.
        if replay && interval.is_none() {
            if let Some(prev) = prev_ts {
                let gap = Duration::from_millis(snap.ts_ms.saturating_sub(prev))
                    .div_f64(settings.speed)
                    .min(MAX_REPLAY_GAP);
                tokio::time::sleep(gap).await;
            }
            prev_ts = Some(snap.ts_ms);
        }
        let e = engine.clone();
        let points = settings.history_points;
        let observed = tokio::task::spawn_blocking(move || {
            let mut e = e.lock().unwrap_or_else(|p| p.into_inner());
            let status = e.monitor.observe(snap);
            let log = e.monitor.alert_log();
            let payload = json!({
                "snapshot": status.snapshot,
                "history": e.monitor.recent_history(points),
                "trends": {"devices": status.devices, "processes": status.processes},
                "alerts": log[log.len().saturating_sub(ALERT_LOG)..],
                "source": if replay { "replay" } else { "nvml" },
            });
            (status.snapshot, payload)
        })
        .await;
        let Ok((snapshot, payload)) = observed else {
            return;
        };
        if let Ok(mut l) = latest.lock() {
            *l = Some(snapshot);
        }
        client
            .send_notification::<GpuStatusNotification>(payload)
            .await;
        if !replay || interval.is_some() {
            tokio::time::sleep(interval.unwrap_or(DEFAULT_INTERVAL)).await;
        }
    }
}
