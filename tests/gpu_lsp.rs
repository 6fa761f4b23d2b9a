//! GPU status in the language server: the real binary over stdio, fed by a
//! replayed trace or the fake NVML library.

mod gpu_support;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

struct Client {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start(envs: &[(&str, &std::path::Path)]) -> Client {
        let cache = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("grounded-cache");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_grounded"));
        cmd.args(["lsp", "--stdio"])
            .env("GROUNDED_CACHE_DIR", cache)
            .env_remove("GROUNDED_NVML_LIBRARY")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("grounded lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length:") {
                        len = v.trim().parse::<usize>().ok();
                    }
                }
                let Some(len) = len else { return };
                let mut body = vec![0; len];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                if let Ok(v) = serde_json::from_slice(&body) {
                    if tx.send(v).is_err() {
                        return;
                    }
                }
            }
        });
        Client {
            child,
            stdin,
            rx,
            next_id: 1,
        }
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// A request; `params: None` leaves the field out.
    fn request(&mut self, method: &str, params: Option<Value>) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut msg = json!({"jsonrpc": "2.0", "id": id, "method": method});
        if let Some(p) = params {
            msg["params"] = p;
        }
        self.send(msg);
        self.wait(|m| m["id"] == id, Duration::from_secs(20))
            .expect("a response within 20 s")
    }

    fn wait(&mut self, pred: impl Fn(&Value) -> bool, within: Duration) -> Option<Value> {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let m = self.rx.recv_timeout(left).ok()?;
            if m.get("method").is_some() && m.get("id").is_some() {
                let id = m["id"].clone();
                self.send(json!({"jsonrpc": "2.0", "id": id, "result": null}));
            }
            if pred(&m) {
                return Some(m);
            }
        }
    }

    fn gpu_status(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        self.wait(
            |m| m["method"] == "grounded/gpuStatus" && pred(&m["params"]),
            Duration::from_secs(30),
        )
        .expect("a matching grounded/gpuStatus notification within 30 s")["params"]
            .clone()
    }

    fn initialize(&mut self, options: Value) {
        self.request(
            "initialize",
            Some(
                json!({"processId": null, "rootUri": null, "capabilities": {},
                        "initializationOptions": options}),
            ),
        );
        self.notify("initialized", json!({}));
    }

    fn exit(mut self) {
        self.request("shutdown", None);
        self.notify("exit", json!(null));
        let start = Instant::now();
        while self.child.try_wait().unwrap().is_none() {
            if start.elapsed() > Duration::from_secs(5) {
                let _ = self.child.kill();
                panic!("server did not exit within 5 s of `exit`");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

#[test]
fn a_replayed_trace_is_pushed_with_history_trends_and_the_leak_alert() {
    let trace = gpu_support::fixture("leak.jsonl");
    let mut c = Client::start(&[]);
    // The trace's 2-s samples, 200 times faster: 10 ms apart.
    c.initialize(json!({"gpu": {"enabled": true, "replay": trace, "speed": 200}}));
    let first = c.gpu_status(|_| true);
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

    let leaking = c.gpu_status(|p| {
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
    let r = c.request("grounded/gpuStatus", None);
    assert_eq!(r["result"]["available"], true, "{r}");
    let r = c.request("grounded/gpuStatus", Some(json!({})));
    assert!(r["result"]["devices"].is_array(), "{r}");
    c.exit();
}

#[test]
fn the_fake_nvml_feeds_the_panel_and_turning_it_off_stops_the_notifications() {
    let lib = gpu_support::fake_nvml(false);
    let mut c = Client::start(&[("GROUNDED_NVML_LIBRARY", &lib)]);
    c.initialize(json!({"grounded": {"gpu": {"enabled": true, "interval": 0.05}}}));
    let status = c.gpu_status(|_| true);
    assert_eq!(status["source"], "nvml");
    let snap = &status["snapshot"];
    assert_eq!(snap["available"], true, "{snap}");
    assert_eq!(snap["devices"].as_array().unwrap().len(), 2);
    assert_eq!(snap["devices"][1]["utilization_gpu_pct"], Value::Null);
    c.gpu_status(|_| true);

    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"gpu": {"enabled": false}}}),
    );
    // What was in flight may still arrive; then nothing more.
    std::thread::sleep(Duration::from_millis(300));
    while c.rx.try_recv().is_ok() {}
    let more = c.wait(
        |m| m["method"] == "grounded/gpuStatus",
        Duration::from_millis(600),
    );
    assert!(more.is_none(), "a notification after gpu was turned off");

    // With no feed, the request takes a reading of its own.
    let r = c.request("grounded/gpuStatus", None);
    assert_eq!(
        r["result"]["devices"][0]["name"],
        "NVIDIA Fake H100 80GB HBM3"
    );
    c.exit();
}

#[test]
fn without_the_gpu_setting_there_are_no_notifications_and_a_missing_trace_is_a_warning() {
    let mut c = Client::start(&[(
        "GROUNDED_NVML_LIBRARY",
        std::path::Path::new("/nonexistent/libnvidia-ml.so.1"),
    )]);
    c.initialize(json!({"gpu": {"enabled": false}}));
    let r = c.request("grounded/gpuStatus", None);
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
        .wait(
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
    c.exit();
}
