//! GPU status in the language server: the real binary over stdio, fed by a
//! replayed trace or the fake NVML library.

use crate::gpu_support;

use crate::common;

use std::path::Path;
use std::time::Duration;

use common::lsp_client::Client;
use serde_json::{json, Value};

/// A server for these tests: its stderr (GPU warnings) is not asserted.
fn start(envs: &[(&str, &Path)]) -> Client {
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("grounded-cache");
    Client::spawn(&cache, &[], envs)
}

/// `initialize` with `options` and no workspace folder.
fn initialize(c: &mut Client, options: Value) {
    c.initialize_folders(&[], &[], options);
}

/// The next `grounded/gpuStatus` notification whose params match `pred`.
fn gpu_status(c: &mut Client, pred: impl Fn(&Value) -> bool) -> Value {
    c.wait_within(
        |m| m["method"] == "grounded/gpuStatus" && pred(&m["params"]),
        Duration::from_secs(30),
    )
    .expect("a matching grounded/gpuStatus notification within 30 s")["params"]
        .clone()
}

#[test]
fn a_replayed_trace_is_pushed_with_history_trends_and_the_leak_alert() {
    let trace = gpu_support::fixture("leak.jsonl");
    let mut c = start(&[]);
    // The trace's 2-s samples, 200 times faster: 10 ms apart.
    initialize(
        &mut c,
        json!({"gpu": {"enabled": true, "replay": trace, "speed": 200}}),
    );
    let first = gpu_status(&mut c, |_| true);
    assert_eq!(first["source"], "replay");
    let snap = &first["snapshot"];
    assert_eq!(snap["available"], true);
    assert_eq!(snap["driver_version"], "550.54.15");
    let dev = &snap["devices"][0];
    for key in [
        "index",
        "uuid",
        "name",
        "memory_total_bytes",
        "memory_used_bytes",
        "utilization_gpu_pct",
        "utilization_memory_pct",
        "temperature_c",
        "power_mw",
        "power_limit_mw",
        "clock_sm_mhz",
        "clock_mem_mhz",
        "processes",
    ] {
        assert!(dev.get(key).is_some(), "device lacks {key}: {dev}");
    }
    assert_eq!(dev["processes"].as_array().unwrap().len(), 2);

    let leaking = gpu_status(&mut c, |p| {
        p["snapshot"]["alerts"]
            .as_array()
            .is_some_and(|a| a.iter().any(|a| a["kind"] == "leak-suspected"))
    });
    let alert = &leaking["snapshot"]["alerts"][0];
    assert_eq!(alert["pid"], 4242, "{alert}");
    assert_eq!(alert["device"], 0);
    assert!(alert["slope_bytes_per_s"].as_f64().unwrap() > 80e6);
    assert!(alert["r2"].as_f64().unwrap() > 0.9);
    assert!(alert["eta_s"].as_f64().unwrap() > 0.0);
    assert!(alert["message"].as_str().unwrap().contains("pid 4242"));
    assert_eq!(leaking["alerts"][0]["pid"], 4242, "the alert log");
    let history = &leaking["history"];
    assert!(history["devices"][0]["points"].as_array().unwrap().len() > 20);
    let procs = history["processes"].as_array().unwrap();
    assert_eq!(procs.len(), 2);
    let trends = leaking["trends"]["processes"].as_array().unwrap();
    let state_of = |pid: u64| {
        trends
            .iter()
            .find(|t| t["pid"] == pid)
            .map(|t| t["state"].clone())
    };
    assert_eq!(state_of(4242), Some(json!("leak-suspected")));
    assert_eq!(state_of(4343), Some(json!("ok")));

    // The request, with or without params, answers the latest snapshot.
    let r = c.request_without_params("grounded/gpuStatus");
    assert_eq!(r["result"]["available"], true, "{r}");
    let r = c.request("grounded/gpuStatus", json!({}));
    assert!(r["result"]["devices"].is_array(), "{r}");
    c.shutdown_and_exit();
}

#[test]
fn the_fake_nvml_feeds_the_panel_and_turning_it_off_stops_the_notifications() {
    let lib = gpu_support::fake_nvml(false);
    let mut c = start(&[("GROUNDED_NVML_LIBRARY", &lib)]);
    initialize(
        &mut c,
        json!({"grounded": {"gpu": {"enabled": true, "interval": 0.05}}}),
    );
    let status = gpu_status(&mut c, |_| true);
    assert_eq!(status["source"], "nvml");
    let snap = &status["snapshot"];
    assert_eq!(snap["available"], true, "{snap}");
    assert_eq!(snap["devices"].as_array().unwrap().len(), 2);
    assert_eq!(snap["devices"][1]["utilization_gpu_pct"], Value::Null);
    gpu_status(&mut c, |_| true);

    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"gpu": {"enabled": false}}}),
    );
    // What was in flight may still arrive (at 0.05 s a sample, a few):
    // wait until the stream falls quiet, then nothing more may come.
    let quiet = (0..40).any(|_| {
        c.wait_within(
            |m| m["method"] == "grounded/gpuStatus",
            Duration::from_millis(600),
        )
        .is_none()
    });
    assert!(quiet, "the notifications went on after gpu was turned off");
    let more = c.wait_within(
        |m| m["method"] == "grounded/gpuStatus",
        Duration::from_millis(1500),
    );
    assert!(more.is_none(), "a notification after gpu was turned off");

    // With no feed, the request takes a reading of its own.
    let r = c.request_without_params("grounded/gpuStatus");
    assert_eq!(
        r["result"]["devices"][0]["name"],
        "NVIDIA Fake H100 80GB HBM3"
    );
    c.shutdown_and_exit();
}

#[test]
fn without_the_gpu_setting_there_are_no_notifications_and_a_missing_trace_is_a_warning() {
    let mut c = start(&[(
        "GROUNDED_NVML_LIBRARY",
        std::path::Path::new("/nonexistent/libnvidia-ml.so.1"),
    )]);
    initialize(&mut c, json!({"gpu": {"enabled": false}}));
    let r = c.request_without_params("grounded/gpuStatus");
    assert_eq!(r["result"]["available"], false, "{r}");
    assert!(r["result"]["reason"]
        .as_str()
        .unwrap()
        .starts_with("NVML unavailable"));
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"gpu": {"enabled": true, "replay": "/nonexistent/trace.jsonl"}}}),
    );
    let warning = c
        .wait_within(
            |m| {
                m["method"] == "window/logMessage"
                    && m["params"]["message"]
                        .as_str()
                        .is_some_and(|s| s.contains("gpu.replay:"))
            },
            Duration::from_secs(10),
        )
        .expect("a logged warning about the trace");
    let text = warning["params"]["message"].as_str().unwrap();
    assert!(
        text.contains("cannot read /nonexistent/trace.jsonl"),
        "{text}"
    );
    assert_eq!(warning["params"]["type"], 2, "a warning");
    c.shutdown_and_exit();
}
