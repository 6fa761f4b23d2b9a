//! The current status in the Prometheus text format (0.0.4), served over
//! HTTP by a small loopback listener (`--prometheus ADDR`): connections are
//! served concurrently (at most [`MAX_CONNECTIONS`] at once), each with a
//! deadline on its whole request head, so that a client trickling bytes
//! holds up nobody else and is dropped.

use std::fmt::Write as _;
use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;

use super::detector::TrendState;
use super::monitor::GpuStatus;

/// The metrics of one status.
pub fn render(status: &GpuStatus) -> String {
    let snap = &status.snapshot;
    let mut out = String::new();
    let mut family = |name: &str, help: &str, samples: Vec<(String, f64)>| {
        if samples.is_empty() && name != "grounded_gpu_up" {
            return;
        }
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
        for (labels, value) in samples {
            let _ = writeln!(out, "{name}{labels} {value}");
        }
    };
    let up = if snap.available { 1.0 } else { 0.0 };
    family(
        "grounded_gpu_up",
        "Whether NVML answered (1) or not (0).",
        vec![(String::new(), up)],
    );
    let per_device = |get: &dyn Fn(&super::snapshot::Device) -> Option<f64>| {
        snap.devices
            .iter()
            .filter_map(|d| {
                let labels = labels(&[
                    ("gpu", &d.index.to_string()),
                    ("uuid", d.uuid.as_deref().unwrap_or("")),
                    ("name", d.name.as_deref().unwrap_or("")),
                ]);
                get(d).map(|v| (labels, v))
            })
            .collect::<Vec<_>>()
    };
    let f = |v: Option<u32>| v.map(f64::from);
    let b = |v: Option<u64>| v.map(|x| x as f64);
    family(
        "grounded_gpu_memory_used_bytes",
        "GPU memory in use.",
        per_device(&|d| b(d.memory_used_bytes)),
    );
    family(
        "grounded_gpu_memory_total_bytes",
        "GPU memory in all.",
        per_device(&|d| b(d.memory_total_bytes)),
    );
    family(
        "grounded_gpu_utilization_percent",
        "Time the GPU was busy over the last sample period.",
        per_device(&|d| f(d.utilization_gpu_pct)),
    );
    family(
        "grounded_gpu_memory_utilization_percent",
        "Time the GPU memory was read or written over the last sample period.",
        per_device(&|d| f(d.utilization_memory_pct)),
    );
    family(
        "grounded_gpu_temperature_celsius",
        "GPU core temperature.",
        per_device(&|d| f(d.temperature_c)),
    );
    family(
        "grounded_gpu_power_watts",
        "Power drawn.",
        per_device(&|d| d.power_mw.map(|p| p as f64 / 1000.0)),
    );
    family(
        "grounded_gpu_power_limit_watts",
        "Enforced power limit.",
        per_device(&|d| d.power_limit_mw.map(|p| p as f64 / 1000.0)),
    );
    family(
        "grounded_gpu_clock_sm_hertz",
        "SM clock.",
        per_device(&|d| d.clock_sm_mhz.map(|c| c as f64 * 1e6)),
    );
    family(
        "grounded_gpu_clock_memory_hertz",
        "Memory clock.",
        per_device(&|d| d.clock_mem_mhz.map(|c| c as f64 * 1e6)),
    );

    let mut used = Vec::new();
    for d in &snap.devices {
        for p in d.processes.iter().flatten() {
            if let Some(bytes) = p.used_memory_bytes {
                used.push((
                    process_labels(d.index, p.pid, p.name.as_deref()),
                    bytes as f64,
                ));
            }
        }
    }
    family(
        "grounded_gpu_process_memory_used_bytes",
        "GPU memory used by a process.",
        used,
    );
    let name_of = |device: u32, pid: u32| {
        snap.devices
            .iter()
            .find(|d| d.index == device)
            .and_then(|d| d.processes.as_ref())
            .and_then(|ps| ps.iter().find(|p| p.pid == pid))
            .and_then(|p| p.name.clone())
    };
    let mut slopes = Vec::new();
    let mut leaking = Vec::new();
    for t in &status.processes {
        let labels = process_labels(t.device, t.pid, name_of(t.device, t.pid).as_deref());
        if let Some(s) = t.trend.slope_bytes_per_s {
            slopes.push((labels.clone(), s));
        }
        let leak = t.trend.state == TrendState::LeakSuspected;
        leaking.push((labels, if leak { 1.0 } else { 0.0 }));
    }
    family(
        "grounded_gpu_process_memory_slope_bytes_per_second",
        "Least-squares growth of a process's GPU memory over the detector's window.",
        slopes,
    );
    family(
        "grounded_gpu_process_leak_suspected",
        "1 when the leak detector suspects the process of leaking GPU memory.",
        leaking,
    );
    let alerts = snap
        .alerts
        .iter()
        .map(|a| {
            let pid = a.pid.map(|p| p.to_string()).unwrap_or_default();
            let l = labels(&[
                ("kind", a.kind.as_str()),
                ("gpu", &a.device.to_string()),
                ("pid", &pid),
            ]);
            (l, 1.0)
        })
        .collect();
    family(
        "grounded_gpu_alert",
        "An alert in force (leak-suspected or threshold).",
        alerts,
    );
    out
}

fn process_labels(device: u32, pid: u32, name: Option<&str>) -> String {
    labels(&[
        ("gpu", &device.to_string()),
        ("pid", &pid.to_string()),
        ("process", name.unwrap_or("")),
    ])
}

fn labels(pairs: &[(&str, &str)]) -> String {
    let inner: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", escape(v)))
        .collect();
    format!("{{{}}}", inner.join(","))
}

fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// `PORT`, `:PORT` (loopback) or `HOST:PORT`.
pub fn parse_addr(addr: &str) -> Result<SocketAddr, String> {
    let spec = addr.trim();
    let spec = if let Ok(port) = spec.trim_start_matches(':').parse::<u16>() {
        format!("127.0.0.1:{port}")
    } else {
        spec.to_string()
    };
    spec.to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| format!("--prometheus {addr}: expected PORT or HOST:PORT"))
}

/// The body served; the sampler replaces it after each reading.
pub type Metrics = Arc<Mutex<String>>;

/// Connections served at once; more wait in the listen backlog.
const MAX_CONNECTIONS: usize = 64;
/// The whole request head must arrive within this, however it trickles in.
const HEAD_DEADLINE: Duration = Duration::from_secs(5);
/// The whole response must be taken within this.
const WRITE_DEADLINE: Duration = Duration::from_secs(5);
/// A longer request head is answered from what was read.
const MAX_HEAD: usize = 16 * 1024;

/// Listen on `addr` and serve `metrics` from a thread of its own, each
/// connection concurrently on that thread's runtime, so that a slow client
/// delays no other; the address actually bound (port 0 picks one) comes
/// back.
pub fn serve(addr: SocketAddr, metrics: Metrics) -> Result<SocketAddr, String> {
    let listener = TcpListener::bind(addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let bound = listener.local_addr().unwrap_or(addr);
    let failed = |e: std::io::Error| format!("cannot start the metrics server: {e}");
    listener.set_nonblocking(true).map_err(failed)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(failed)?;
    std::thread::Builder::new()
        .name("prometheus".into())
        .spawn(move || runtime.block_on(accept_loop(listener, metrics)))
        .map_err(failed)?;
    Ok(bound)
}

async fn accept_loop(listener: TcpListener, metrics: Metrics) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        match listener.accept().await {
            Ok((stream, _)) => {
                let metrics = metrics.clone();
                tokio::spawn(async move {
                    respond(stream, &metrics).await;
                    drop(slot);
                });
            }
            // Out of descriptors, say: try again shortly.
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

async fn respond(mut stream: TcpStream, metrics: &Metrics) {
    let mut head = Vec::new();
    let read = tokio::time::timeout(HEAD_DEADLINE, read_head(&mut stream, &mut head)).await;
    let (status, body) = if read.is_err() {
        (
            "408 Request Timeout",
            "request head not received in time\n".to_string(),
        )
    } else {
        answer(&head, metrics)
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(WRITE_DEADLINE, async {
        stream.write_all(response.as_bytes()).await?;
        stream.shutdown().await
    })
    .await;
}

/// The request head, up to its blank line, the end of input or
/// [`MAX_HEAD`] bytes.
async fn read_head(stream: &mut TcpStream, head: &mut Vec<u8>) {
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < MAX_HEAD {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
}

/// Status and body for a request head.
fn answer(head: &[u8], metrics: &Metrics) -> (&'static str, String) {
    let request = String::from_utf8_lossy(head);
    let mut parts = request.split_whitespace();
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let path = path.split('?').next().unwrap_or("");
    match (method, path) {
        ("GET", "/metrics" | "/") => (
            "200 OK",
            metrics.lock().map(|m| m.clone()).unwrap_or_default(),
        ),
        ("GET", _) => ("404 Not Found", "not found: try /metrics\n".to_string()),
        _ => ("405 Method Not Allowed", "only GET\n".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_default_to_loopback() {
        assert_eq!(parse_addr("9400").unwrap().to_string(), "127.0.0.1:9400");
        assert_eq!(parse_addr(":9400").unwrap().to_string(), "127.0.0.1:9400");
        assert_eq!(parse_addr("0.0.0.0:80").unwrap().to_string(), "0.0.0.0:80");
        assert!(parse_addr("nonsense").is_err());
        assert_eq!(escape("a\"b\\c\n"), "a\\\"b\\\\c\\n");
    }
}
