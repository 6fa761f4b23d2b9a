#!/usr/bin/env python3
"""Language-server benchmark (issue 3, "Speed"), on the workspace that
scripts/bench.sh generates (.bench/workspace, .bench/venv).

Prints:
  - time from `initialized` to the first diagnostics of an opened file;
  - didChange -> publishDiagnostics latency over 200 one-character edits in a
    2,000-line file (p50 / p99; the server's debounce is set to 0 so the
    figure is the analysis itself);
  - resident memory once the workspace is indexed.

Usage: python3 scripts/bench_lsp.py [--binary target/release/grounded]
"""
import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Server:
    def __init__(self, binary, cache):
        env = dict(os.environ, GROUNDED_CACHE_DIR=cache)
        env.pop("VIRTUAL_ENV", None)
        self.p = subprocess.Popen([binary, "lsp"] + os.environ.get("BENCH_LSP_ARGS", "").split(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=(open(os.environ["BENCH_LSP_STDERR"], "w") if os.environ.get("BENCH_LSP_STDERR") else subprocess.DEVNULL), env=env)
        self.q = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.next_id = 1

    def _read(self):
        f = self.p.stdout
        while True:
            line = f.readline()
            if not line:
                self.q.put(None)
                return
            if line.lower().startswith(b"content-length"):
                n = int(line.split(b":")[1])
                while f.readline().strip():
                    pass
                self.q.put(json.loads(f.read(n)))

    def send(self, msg):
        b = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(b) + b)
        self.p.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        i = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": i, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == i and "method" not in m)

    def wait(self, pred, timeout=120):
        end = time.time() + timeout
        while time.time() < end:
            try:
                m = self.q.get(timeout=0.5)
            except queue.Empty:
                continue
            if m is None:
                raise SystemExit("server exited")
            if "method" in m and "id" in m:  # a request from the server
                self.send({"jsonrpc": "2.0", "id": m["id"], "result": None})
            if pred(m):
                return m
        raise SystemExit("timeout")

    def rss_mb(self):
        with open(f"/proc/{self.p.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, "target/release/grounded"))
    args = ap.parse_args()
    ws = os.path.join(ROOT, ".bench/workspace")
    venv = os.path.join(ROOT, ".bench/venv")
    if not os.path.isdir(ws):
        sys.exit("run `bash scripts/bench.sh` first: it generates .bench/workspace and .bench/venv")
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(ws, "benchapp")) for f in fs if f.endswith(".py"))
    with tempfile.TemporaryDirectory() as cache:
        s = Server(args.binary, cache)
        uri_ws = "file://" + ws
        s.request("initialize", {
            "processId": None, "rootUri": uri_ws,
            "workspaceFolders": [{"uri": uri_ws, "name": "bench"}],
            "capabilities": {"window": {"workDoneProgress": True}},
            "initializationOptions": {"python": venv, "debounce": 0},
        })
        t0 = time.time()
        s.notify("initialized", {})
        first = files[len(files) // 2]
        uri = "file://" + first
        s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                                             "text": open(first).read()}})
        s.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri)
        first_diag = time.time() - t0
        s.wait(lambda m: m.get("method") == "$/progress" and m["params"]["value"].get("kind") == "end")
        indexed = time.time() - t0
        rss = s.rss_mb()

        # A 2,000-line file: the benchmark's own code, repeated.
        body = []
        for f in files:
            body.extend(open(f).read().splitlines())
            if len(body) >= 2000:
                break
        text = "\n".join(body[:2000]) + "\n"
        big = os.path.join(ws, "benchapp", "_lsp_bench_edit.py")
        big_uri = "file://" + big
        s.notify("textDocument/didOpen", {"textDocument": {"uri": big_uri, "languageId": "python", "version": 1, "text": text}})
        s.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == big_uri)
        latencies = []
        line = 1000
        for i in range(200):
            version = i + 2
            # Type a comment character by character at the end of one line.
            col = len(body[line - 1]) + i
            ch = "#" if i == 0 else "x"
            t = time.time()
            s.notify("textDocument/didChange", {"textDocument": {"uri": big_uri, "version": version},
                                                 "contentChanges": [{"range": {"start": {"line": line - 1, "character": col},
                                                                               "end": {"line": line - 1, "character": col}},
                                                                     "text": ch}]})
            s.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                   and m["params"]["uri"] == big_uri and m["params"].get("version") == version)
            latencies.append((time.time() - t) * 1000)
        latencies.sort()
        p50 = statistics.median(latencies)
        p99 = latencies[int(len(latencies) * 0.99) - 1]
        s.request("shutdown", None)
        s.notify("exit", None)

    print(f"workspace: {len(files)} files ({ws})")
    print(f"{'measure':44} {'value':>10}   target")
    print(f"{'first diagnostics after initialized':44} {first_diag*1000:8.0f} ms   < 2000 ms")
    print(f"{'workspace indexed after initialized':44} {indexed*1000:8.0f} ms")
    print(f"{'didChange -> publishDiagnostics p50 (200x)':44} {p50:8.1f} ms   < 10 ms")
    print(f"{'didChange -> publishDiagnostics p99 (200x)':44} {p99:8.1f} ms   < 30 ms")
    print(f"{'resident memory after indexing':44} {rss:8.0f} MB   < 250 MB")


if __name__ == "__main__":
    main()
