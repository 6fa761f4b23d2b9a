//! The language server's test client: the real binary, JSON-RPC over
//! stdio with Content-Length framing, answering the server's own requests
//! (progress tokens, registrations) as an editor would.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub struct Client {
    pub child: Child,
    /// For tests that write raw bytes (broken framing).
    pub stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
    /// Every message received so far that a wait did not consume.
    pub seen: Vec<Value>,
}

impl Client {
    pub fn start(cache: &Path) -> Client {
        Client::spawn(cache, &[], &[])
    }

    pub fn start_with(cache: &Path, args: &[&str]) -> Client {
        Client::spawn(cache, args, &[])
    }

    /// `grounded lsp --stdio ARGS` with the environment `envs` added (and
    /// no NVML library chosen unless `envs` does).
    pub fn spawn(cache: &Path, args: &[&str], envs: &[(&str, &Path)]) -> Client {
        Client::spawn_configured(cache, args, |cmd| {
            for (k, v) in envs {
                cmd.env(k, v);
            }
        })
    }

    /// `grounded lsp --stdio ARGS`, its command adjusted by `configure`
    /// (environment, working directory) before it starts.
    pub fn spawn_configured(
        cache: &Path,
        args: &[&str],
        configure: impl FnOnce(&mut Command),
    ) -> Client {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_grounded"));
        cmd.args(["lsp", "--stdio"])
            .args(args)
            .env("GROUNDED_CACHE_DIR", cache)
            .env_remove("VIRTUAL_ENV")
            .env_remove("CONDA_PREFIX")
            .env_remove("GROUNDED_NVML_LIBRARY")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        configure(&mut cmd);
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
            seen: Vec::new(),
        }
    }

    pub fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).unwrap();
        self.stdin.flush().unwrap();
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait(|m| m["id"] == id)
    }

    /// A request whose message has no `params` field at all.
    pub fn request_without_params(&mut self, method: &str) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method}));
        self.wait(|m| m["id"] == id)
    }

    /// Forget every message received so far.
    pub fn drain(&mut self) {
        while self.rx.try_recv().is_ok() {}
        self.seen.clear();
    }

    /// The next message matching `pred`; panics after 20 s.
    pub fn wait(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        self.wait_at_most(pred, Duration::from_secs(20))
    }

    /// The next message matching `pred`; panics after `limit` (a guard
    /// against a server that never answers, not a speed check: documents of
    /// many megabytes get a long one, since CI machines may be loaded).
    pub fn wait_at_most(&mut self, pred: impl Fn(&Value) -> bool, limit: Duration) -> Value {
        match self.wait_within(&pred, limit) {
            Some(m) => m,
            None => {
                let tail: Vec<String> = self
                    .seen
                    .iter()
                    .rev()
                    .take(6)
                    .map(|m| m.to_string().chars().take(300).collect())
                    .collect();
                panic!("no matching message within {limit:?}; last seen: {tail:#?}")
            }
        }
    }

    /// The next message matching `pred`, or None after `within`.
    pub fn wait_within(
        &mut self,
        pred: impl Fn(&Value) -> bool,
        within: Duration,
    ) -> Option<Value> {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(m) => {
                    // Requests from the server (progress tokens, registrations)
                    // get an empty success, as an editor would send.
                    if m.get("method").is_some() && m.get("id").is_some() {
                        self.seen.push(m.clone());
                        let id = m["id"].clone();
                        self.send(json!({"jsonrpc": "2.0", "id": id, "result": null}));
                    }
                    if pred(&m) {
                        return Some(m);
                    }
                    self.seen.push(m);
                }
                Err(_) => return None,
            }
        }
    }

    /// A message matching `pred`, whether it already arrived (and no wait
    /// took it) or is still to come.
    pub fn find_or_wait(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.seen.iter().position(&pred) {
            return self.seen.remove(i);
        }
        self.wait(pred)
    }

    /// The next diagnostics published for `uri` at `version`.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        self.diagnostics_within(uri, version, Duration::from_secs(20))
    }

    /// The next diagnostics published for `uri` at `version`, waiting up to
    /// `limit`.
    pub fn diagnostics_within(&mut self, uri: &str, version: i64, limit: Duration) -> Vec<Value> {
        let m = self.wait_at_most(
            |m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri
                    && m["params"]["version"] == version
            },
            limit,
        );
        m["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The diagnostics of `uri` at `version` once a publish satisfies
    /// `done` — for a change the server learns of by itself (a file changed
    /// on disk), after which an earlier analysis of the same version may
    /// still publish first.
    pub fn diagnostics_once(
        &mut self,
        uri: &str,
        version: i64,
        done: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        let m = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
                && done(m["params"]["diagnostics"].as_array().map_or(&[][..], |a| a))
        });
        m["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub fn initialize(&mut self, root: &Path, encodings: &[&str]) -> Value {
        self.initialize_folders(&[root], encodings, json!({"debounce": 10}))
    }

    pub fn initialize_folders(
        &mut self,
        roots: &[&Path],
        encodings: &[&str],
        options: Value,
    ) -> Value {
        let folders: Vec<Value> = roots
            .iter()
            .map(|r| json!({"uri": uri_of(r), "name": r.file_name().unwrap().to_string_lossy()}))
            .collect();
        let r = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": roots.first().map(|r| uri_of(r)),
                "workspaceFolders": folders,
                "capabilities": {
                    "general": {"positionEncodings": encodings},
                    "window": {"workDoneProgress": true},
                    "workspace": {
                        "didChangeWatchedFiles": {"dynamicRegistration": true},
                        "workspaceFolders": true,
                    },
                },
                "initializationOptions": options,
            }),
        );
        self.notify("initialized", json!({}));
        r
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}),
        );
    }

    pub fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    pub fn shutdown_and_exit(mut self) -> Duration {
        self.request("shutdown", json!(null));
        self.notify("exit", json!(null));
        let start = Instant::now();
        // stdin stays open (held by self.stdin) while we wait.
        loop {
            if self.child.try_wait().unwrap().is_some() {
                return start.elapsed();
            }
            if start.elapsed() > Duration::from_secs(5) {
                let _ = self.child.kill();
                panic!("server did not exit within 5 s of `exit`");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

pub fn uri_of(p: &Path) -> String {
    format!("file://{}", p.display())
}
