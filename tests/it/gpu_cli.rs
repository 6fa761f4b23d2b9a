//! `grounded gpu` as a user meets it: the fake NVML library behind the real
//! adapter, replayed traces, recording, alerts, the Prometheus endpoint, and
//! bad input.

use crate::gpu_support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use gpu_support::{fake_nvml, fixture};
use serde_json::Value;

fn grounded(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_grounded"));
    cmd.arg("gpu")
        .args(args)
        .env_remove("GROUNDED_NVML_LIBRARY");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("grounded runs")
}

fn with_fake(args: &[&str], old: bool, scenario: &str) -> Output {
    let lib = fake_nvml(old);
    grounded(
        args,
        &[
            ("GROUNDED_NVML_LIBRARY", lib.to_str().unwrap()),
            ("FAKE_NVML_SCENARIO", scenario),
        ],
    )
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn the_fake_nvml_drives_the_real_adapter() {
    let o = with_fake(&["--json"], false, "default");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = json(&o);
    assert_eq!(s["available"], true);
    assert_eq!(s["reason"], Value::Null);
    assert_eq!(s["driver_version"], "555.42.06-fake");
    assert_eq!(s["alerts"], serde_json::json!([]));
    let d0 = &s["devices"][0];
    assert_eq!(d0["index"], 0);
    assert_eq!(d0["uuid"], "GPU-fa4e0000-0000-4000-8000-000000000000");
    assert_eq!(d0["memory_total_bytes"], 80u64 << 30);
    assert_eq!(d0["memory_used_bytes"], 20u64 << 30);
    assert_eq!(d0["utilization_gpu_pct"], 45);
    assert_eq!(d0["utilization_memory_pct"], 30);
    assert_eq!(d0["temperature_c"], 54);
    assert_eq!(d0["power_mw"], 210_000);
    assert_eq!(d0["power_limit_mw"], 700_000);
    assert_eq!(d0["clock_sm_mhz"], 1980);
    assert_eq!(d0["clock_mem_mhz"], 2619);
    // The process that loaded the library is grounded itself: /proc names it.
    let me = &d0["processes"][0];
    assert_eq!(me["name"], "grounded", "{me}");
    assert!(me["cmdline"].as_str().unwrap().contains("gpu --json"));
    assert!(me["start_time"].as_u64().is_some());
    assert_eq!(me["used_memory_bytes"], 12u64 << 30);
    // A pid /proc does not show, with memory `Unavailable`: nulls, no guess.
    let ghost = &d0["processes"][1];
    assert_eq!(ghost["pid"], 2_000_000_000u64);
    for key in ["start_time", "name", "cmdline", "used_memory_bytes"] {
        assert_eq!(ghost[key], Value::Null, "{key}");
    }
    // The MIG-like GPU: NotSupported and implausible readings are null, each alone.
    let d1 = &s["devices"][1];
    for key in [
        "utilization_gpu_pct",
        "utilization_memory_pct",
        "temperature_c",
        "power_mw",
        "power_limit_mw",
        "clock_mem_mhz",
    ] {
        assert_eq!(d1[key], Value::Null, "{key}");
    }
    assert_eq!(d1["clock_sm_mhz"], 1410);
    assert_eq!(d1["memory_used_bytes"], 1u64 << 30);
    assert_eq!(d1["processes"], serde_json::json!([]));

    let table = with_fake(&[], false, "default");
    let out = stdout(&table);
    assert!(
        out.starts_with("NVIDIA driver 555.42.06-fake · 2 GPUs"),
        "{out}"
    );
    assert!(out.contains("NVIDIA Fake H100 80GB HBM3"), "{out}");
    assert!(out.contains("20.0/80.0 GiB"), "{out}");
    assert!(out.contains("? (not in /proc)"), "{out}");
}

#[test]
fn an_old_driver_without_v3_lists_processes_through_v2_or_gives_null() {
    let s = json(&with_fake(&["--json"], true, "default"));
    assert_eq!(s["devices"][0]["processes"].as_array().unwrap().len(), 2);
    // Without `_v3` and with `_v2` refusing: processes null, the rest intact.
    let s = json(&with_fake(&["--json"], true, "no-v2"));
    assert_eq!(s["devices"][0]["processes"], Value::Null);
    assert_eq!(s["devices"][0]["memory_used_bytes"], 20u64 << 30);
    // A current driver answers through `_v3`, whatever `_v2` says.
    let s = json(&with_fake(&["--json"], false, "no-v2"));
    assert_eq!(s["devices"][0]["processes"].as_array().unwrap().len(), 2);
}

#[test]
fn no_driver_or_a_failed_init_is_unavailable_with_the_reason() {
    // A one-shot status without NVML exits 3 (not 0: scripts must tell), and
    // says how to look at a recorded trace instead.
    let o = with_fake(&["--json"], false, "init-fail");
    assert_eq!(o.status.code(), Some(3));
    let s = json(&o);
    assert_eq!(s["available"], false);
    assert_eq!(s["reason"], "NVML unavailable: NVIDIA driver is not loaded");
    assert_eq!(s["devices"], serde_json::json!([]));

    let o = grounded(
        &[],
        &[("GROUNDED_NVML_LIBRARY", "/nonexistent/libnvidia-ml.so.1")],
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stdout(&o).starts_with("No GPU status: NVML unavailable: cannot load the NVML library"),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        stderr(&o),
        "grounded: no GPU status; `grounded gpu --replay FILE` shows a recorded trace\n"
    );

    let s = json(&with_fake(&["--json"], false, "no-devices"));
    assert_eq!(s["available"], true);
    assert_eq!(s["devices"], serde_json::json!([]));
}

/// (kind, device, pid) of the alerts a replay raised.
fn replay_alerts(name: &str) -> Vec<(String, u64, Option<u64>)> {
    let o = grounded(
        &["--replay", fixture(name).to_str().unwrap(), "--json"],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{name}: {}", stderr(&o));
    let s = json(&o);
    s["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["kind"].as_str().unwrap().to_string(),
                a["device"].as_u64().unwrap(),
                a["pid"].as_u64(),
            )
        })
        .collect()
}

#[test]
fn replays_of_the_sample_traces_raise_exactly_the_expected_alerts() {
    let leak = |d, p| ("leak-suspected".to_string(), d, Some(p));
    assert_eq!(replay_alerts("leak.jsonl"), vec![leak(0, 4242)]);
    assert_eq!(replay_alerts("slow-leak.jsonl"), vec![leak(0, 9000)]);
    for quiet in [
        "plateau.jsonl",
        "preallocate.jsonl",
        "warmup-step.jsonl",
        "sawtooth.jsonl",
    ] {
        assert_eq!(replay_alerts(quiet), vec![], "{quiet}");
    }
    let mut multi = replay_alerts("multi-gpu.jsonl");
    multi.sort();
    assert_eq!(
        multi,
        vec![leak(1, 2200), ("threshold".to_string(), 1, None)]
    );
}

#[test]
fn a_replay_prints_the_last_snapshot_with_the_alerts_of_the_whole_trace() {
    let path = fixture("leak.jsonl");
    let o = grounded(&["--replay", path.to_str().unwrap(), "--json"], &[]);
    let s = json(&o);
    let last_line = std::fs::read_to_string(&path).unwrap();
    let last: Value = serde_json::from_str(last_line.lines().last().unwrap()).unwrap();
    assert_eq!(s["ts_ms"], last["ts_ms"]);
    assert_eq!(s["devices"], last["devices"]);
    let a = &s["alerts"][0];
    assert!(
        (a["slope_bytes_per_s"].as_f64().unwrap() - 90e6).abs() < 2e6,
        "{a}"
    );
    assert!(a["r2"].as_f64().unwrap() > 0.99);
    assert!(a["eta_s"].as_f64().unwrap() > 0.0);
    assert!(a["message"]
        .as_str()
        .unwrap()
        .starts_with("GPU 0: pid 4242 (python) grows 86 MiB/s"));

    let table = stdout(&grounded(&["--replay", path.to_str().unwrap()], &[]));
    assert!(table.contains("↑ LEAK +86 MiB/s"), "{table}");
    assert!(table.contains("→ steady"), "{table}");
    assert!(
        table.contains("Alerts:\n  leak-suspected GPU 0: pid 4242"),
        "{table}"
    );
}

#[test]
fn bad_trace_lines_are_skipped_with_a_warning_and_the_replay_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("leak.jsonl")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(5, "{\"ts_ms\": not json");
    lines.insert(9, "[1, 2, 3]");
    let mut broken = lines.join("\n");
    broken.push_str("\n{\"ts_ms\": 1700000400000, \"available\": true, \"devi");
    let path = dir.path().join("broken.jsonl");
    std::fs::write(&path, broken).unwrap();
    let o = grounded(&["--replay", path.to_str().unwrap(), "--json"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    let warnings: Vec<&str> = err.lines().collect();
    assert_eq!(warnings.len(), 3, "{err}");
    assert!(warnings[0].starts_with("grounded: warning: "), "{err}");
    assert!(
        warnings[0].contains("broken.jsonl:6: skipped a malformed snapshot"),
        "{err}"
    );
    assert!(warnings[1].contains("broken.jsonl:10:"), "{err}");
    assert!(warnings[2].contains("broken.jsonl:153:"), "{err}");
    assert_eq!(json(&o)["alerts"][0]["pid"], 4242);
}

#[test]
fn unreadable_or_empty_traces_and_bad_options_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let check = |args: &[&str], want: &str| {
        let o = grounded(args, &[]);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stdout(&o));
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(want), "{args:?}: {err}");
    };
    let missing = dir.path().join("missing.jsonl");
    check(
        &["--replay", missing.to_str().unwrap()],
        "grounded: error: cannot read",
    );
    check(
        &["--replay", dir.path().to_str().unwrap()],
        "is a directory, not a trace",
    );
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "\n\n").unwrap();
    check(
        &["--replay", empty.to_str().unwrap()],
        "no snapshots in the trace",
    );
    check(&["--interval", "0"], "--interval must be at least");
    check(&["--threshold", "150"], "--threshold must be a percentage");
    // A usage error is clap's, with its usage line.
    let o = grounded(&["--on-alert", "true"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--watch"), "{}", stderr(&o));
    let record_dir = dir.path().join("no/such/dir/t.jsonl");
    check(
        &[
            "--replay",
            fixture("leak.jsonl").to_str().unwrap(),
            "--record",
            record_dir.to_str().unwrap(),
        ],
        "cannot write",
    );
}

#[test]
fn a_recording_of_the_fake_gpus_replays() {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("rec.jsonl");
    let o = with_fake(
        &[
            "--record",
            trace.to_str().unwrap(),
            "--count",
            "3",
            "--interval",
            "0.05",
        ],
        false,
        "default",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&trace).unwrap();
    let snaps: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(snaps.len(), 3);
    assert!(snaps
        .windows(2)
        .all(|w| w[0]["ts_ms"].as_u64() < w[1]["ts_ms"].as_u64()));
    assert_eq!(snaps[2]["devices"][0]["name"], "NVIDIA Fake H100 80GB HBM3");
    let o = grounded(&["--replay", trace.to_str().unwrap(), "--json"], &[]);
    assert_eq!(json(&o)["devices"], snaps[2]["devices"]);
}

#[test]
fn watch_streams_json_lines_and_draws_frames() {
    let path = fixture("leak.jsonl");
    let o = grounded(
        &["--replay", path.to_str().unwrap(), "--watch", "--json"],
        &[],
    );
    let out = stdout(&o);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 150);
    assert_eq!(lines[0]["alerts"], serde_json::json!([]));
    assert_eq!(lines[149]["alerts"][0]["kind"], "leak-suspected");

    let o = grounded(&["--replay", path.to_str().unwrap(), "--watch"], &[]);
    let out = stdout(&o);
    assert_eq!(out.matches("grounded gpu --watch · replay of").count(), 150);
    assert!(out.contains("· warming up"));
    assert!(!out.contains('\x1b'), "no terminal codes into a pipe");
}

/// A watch without NVML says why once, then keeps retrying quietly: no
/// frame or JSON line per sample while the reason stays the same.
#[test]
fn a_watch_without_nvml_says_why_once_and_keeps_trying() {
    let missing = [("GROUNDED_NVML_LIBRARY", "/nonexistent/libnvidia-ml.so.1")];
    for json_lines in [false, true] {
        let mut args = vec!["--watch", "--interval", "0.01", "--count", "20"];
        if json_lines {
            args.push("--json");
        }
        let o = grounded(&args, &missing);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let (out, err) = (stdout(&o), stderr(&o));
        assert_eq!(
            err.matches("NVML unavailable: cannot load the NVML library")
                .count(),
            1,
            "{err}"
        );
        assert!(err.contains("still trying quietly"), "{err}");
        if json_lines {
            assert_eq!(out.lines().count(), 1, "{out}");
            assert_eq!(json(&o)["available"], false);
        } else {
            assert_eq!(out.matches("No GPU status:").count(), 1, "{out}");
        }
    }
}

#[test]
fn on_alert_runs_once_per_alert_with_the_details_and_survives_failures() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("alerts.txt");
    let cmd = format!(
        "echo \"$GROUNDED_ALERT_KIND $GROUNDED_ALERT_DEVICE $GROUNDED_ALERT_PID ${{GROUNDED_ALERT_MESSAGE%% grows*}}\" >> {}",
        log.display()
    );
    let path = fixture("multi-gpu.jsonl");
    let o = grounded(
        &[
            "--replay",
            path.to_str().unwrap(),
            "--watch",
            "--json",
            "--on-alert",
            &cmd,
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut got: Vec<String> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    got.sort();
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        got[0].starts_with("leak-suspected 1 2200 GPU 1: pid 2200"),
        "{got:?}"
    );
    assert!(got[1].starts_with("threshold 1 "), "{got:?}");

    let failing = grounded(
        &[
            "--replay",
            path.to_str().unwrap(),
            "--watch",
            "--json",
            "--on-alert",
            "echo out of pagers >&2; exit 3",
        ],
        &[],
    );
    assert_eq!(failing.status.code(), Some(0));
    let err = stderr(&failing);
    assert!(
        err.contains("--on-alert: the command exited with status 3: out of pagers"),
        "{err}"
    );
    assert_eq!(stdout(&failing).lines().count(), 120, "the watch went on");

    let start = Instant::now();
    let hanging = grounded(
        &[
            "--replay",
            path.to_str().unwrap(),
            "--watch",
            "--json",
            "--on-alert",
            "sleep 60",
            "--alert-timeout",
            "0.5",
        ],
        &[],
    );
    assert!(start.elapsed() < Duration::from_secs(20));
    assert_eq!(hanging.status.code(), Some(0));
    assert!(
        stderr(&hanging).contains("ran past 0.5 s and was killed"),
        "{}",
        stderr(&hanging)
    );
}

/// GET `path` from `port` on loopback: (status line, body).
fn http_get(port: u16, path: &str) -> (String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    (head.lines().next().unwrap().to_string(), body.to_string())
}

/// `grounded gpu --replay leak.jsonl --prometheus 0`, and the port it
/// serves the metrics on.
fn metrics_server() -> (std::process::Child, u16) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_grounded"))
        .args(["gpu", "--replay"])
        .arg(fixture("leak.jsonl"))
        .args(["--prometheus", "0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut port = None;
    let mut said = String::new();
    for _ in 0..5 {
        let mut line = String::new();
        if err.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        said.push_str(&line);
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            port = rest.split('/').next().and_then(|p| p.parse::<u16>().ok());
        }
        if line.contains("replay done") {
            break;
        }
    }
    let port = port.unwrap_or_else(|| panic!("no address in: {said}"));
    (child, port)
}

#[test]
fn the_prometheus_endpoint_serves_the_metrics_over_loopback() {
    let (mut child, port) = metrics_server();
    let deadline = Instant::now() + Duration::from_secs(20);
    let body = loop {
        let (status, body) = http_get(port, "/metrics");
        assert_eq!(status, "HTTP/1.1 200 OK");
        if body.contains("grounded_gpu_alert{") || Instant::now() > deadline {
            break body;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let (status, _) = http_get(port, "/nowhere");
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(status, "HTTP/1.1 404 Not Found");
    assert!(body.contains("grounded_gpu_up 1"), "{body}");
    assert!(
        body.contains("# TYPE grounded_gpu_memory_used_bytes gauge"),
        "{body}"
    );
    assert!(
        body.contains("grounded_gpu_memory_total_bytes{gpu=\"0\",uuid=\"GPU-5a1e0000-0000-4000-8000-00000000h100\",name=\"NVIDIA H100 80GB HBM3\"} 85899345920"),
        "{body}"
    );
    assert!(
        body.contains(
            "grounded_gpu_process_leak_suspected{gpu=\"0\",pid=\"4242\",process=\"python\"} 1"
        ),
        "{body}"
    );
    assert!(
        body.contains(
            "grounded_gpu_process_leak_suspected{gpu=\"0\",pid=\"4343\",process=\"python\"} 0"
        ),
        "{body}"
    );
    assert!(
        body.contains("grounded_gpu_alert{kind=\"leak-suspected\",gpu=\"0\",pid=\"4242\"} 1"),
        "{body}"
    );
}

/// A client trickling its request one byte a second holds up no other
/// client, and is dropped once its request head is overdue.
#[test]
fn a_slow_client_does_not_hold_up_the_metrics() {
    let (mut child, port) = metrics_server();
    let mut slow = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut trickle = slow.try_clone().unwrap();
    let writer = std::thread::spawn(move || {
        for b in b"GET /metrics HTTP/1.1\r\nHost: localhost\r\nX-Slow: yes\r\n\r\n" {
            if trickle.write_all(&[*b]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_secs(1));
        }
    });
    // The slow request is being read; another client gets its answer.
    std::thread::sleep(Duration::from_millis(1500));
    let mut fast = TcpStream::connect(("127.0.0.1", port)).unwrap();
    fast.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
    write!(fast, "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut answer = String::new();
    let read = fast.read_to_string(&mut answer);
    let still_connected = !writer.is_finished();
    assert!(
        read.is_ok(),
        "no answer within 3 s while a slow client was connected: {read:?} {answer:?}"
    );
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert!(answer.contains("grounded_gpu_up"), "{answer}");
    assert!(still_connected, "the slow client was done before the check");
    // The slow client is dropped (answered 408 and closed, or reset) long
    // before its request could have been complete.
    slow.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut said = Vec::new();
    let ended = slow.read_to_end(&mut said);
    let _ = child.kill();
    let _ = child.wait();
    let timed_out = matches!(&ended, Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut));
    assert!(!timed_out, "the slow client was never dropped");
    assert!(
        said.is_empty() || said.starts_with(b"HTTP/1.1 408 Request Timeout"),
        "{}",
        String::from_utf8_lossy(&said)
    );
    let _ = writer.join();
}

#[test]
fn a_port_in_use_is_an_error_alone_and_a_warning_beside_a_watch() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let path = fixture("leak.jsonl");
    let o = grounded(
        &["--replay", path.to_str().unwrap(), "--prometheus", &port],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!(
            "grounded: error: cannot listen on 127.0.0.1:{port}"
        )),
        "{err}"
    );

    let o = grounded(
        &[
            "--replay",
            path.to_str().unwrap(),
            "--prometheus",
            &port,
            "--watch",
            "--json",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("going on without the metrics endpoint"),
        "{}",
        stderr(&o)
    );
    assert_eq!(stdout(&o).lines().count(), 150);
    drop(taken);
}
