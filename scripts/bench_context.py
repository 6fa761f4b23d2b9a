#!/usr/bin/env python3
"""API-context benchmark (issue 5, "Speed"), on the workspace that
scripts/bench.sh generates (.bench/workspace, .bench/venv).

Drives `grounded mcp` over stdio, as an assistant would, and prints warm
round-trip times (median and p90 of --runs calls, after --warmup calls):
  - api_context for one file of the 1,000-file workspace (default budget);
  - check_code on a 200-line snippet (the first 200 lines of a workspace file).
Targets: both under 20 ms warm.

When scripts/bench_rust.sh has generated .bench/rust (300 files, 30 crates.io
dependencies), the same is measured for a Rust file of it (--rust-file), and
lookup of a std and a dependency path.

Usage: python3 scripts/bench_context.py [--binary target/release/grounded] [--runs 30]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Mcp:
    def __init__(self, binary, root, python, cache):
        env = dict(os.environ, GROUNDED_CACHE_DIR=cache)
        env.pop("VIRTUAL_ENV", None)
        self.p = subprocess.Popen(
            [binary, "mcp", "--root", root, "--python", python],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=(None if os.environ.get("BENCH_STDERR") else subprocess.DEVNULL),
            env=env, text=True)
        self.next_id = 1
        self.request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                    "clientInfo": {"name": "bench", "version": "0"}})
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})

    def send(self, msg):
        self.p.stdin.write(json.dumps(msg) + "\n")
        self.p.stdin.flush()

    def request(self, method, params):
        i = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": i, "method": method, "params": params})
        while True:
            line = self.p.stdout.readline()
            if not line:
                sys.exit("bench: grounded mcp exited")
            m = json.loads(line)
            if m.get("id") == i:
                return m

    def call(self, tool, args):
        r = self.request("tools/call", {"name": tool, "arguments": args})
        if r.get("result", {}).get("isError") or "error" in r:
            sys.exit(f"bench: {tool} failed: {r}")
        return r["result"]

    def close(self):
        self.p.stdin.close()
        self.p.wait(timeout=10)


def timed(mcp, tool, args, warmup, runs):
    for _ in range(warmup):
        mcp.call(tool, args)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        result = mcp.call(tool, args)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9) - 1], result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, "target/release/grounded"))
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--file", default="benchapp/net/m021_device.py")
    ap.add_argument("--rust-file", default="bench_app/src/m292.rs")
    a = ap.parse_args()
    ws = os.path.join(ROOT, ".bench/workspace")
    py = os.path.join(ROOT, ".bench/venv")
    if not os.path.isdir(ws) or not os.path.isdir(py):
        sys.exit("bench: run scripts/bench.sh once first (it generates .bench/)")
    with open(os.path.join(ws, a.file)) as f:
        snippet = "".join(f.readlines()[:200])
    with tempfile.TemporaryDirectory() as cache:
        mcp = Mcp(a.binary, ws, py, cache)
        first = time.perf_counter()
        mcp.call("api_context", {"path": a.file})
        cold = (time.perf_counter() - first) * 1000
        p50, p90, result = timed(mcp, "api_context", {"path": a.file}, a.warmup, a.runs)
        tokens = result["structuredContent"]["tokens"]
        items = len(result["structuredContent"]["items"])
        print(f"api_context {a.file}: first call {cold:.0f} ms (environment probe and parse), "
              f"warm p50 {p50:.1f} ms, p90 {p90:.1f} ms ({items} items, {tokens} tokens)  target < 20 ms")
        args = {"path": a.file, "code": snippet}
        p50, p90, result = timed(mcp, "check_code", args, a.warmup, a.runs)
        found = len(result["structuredContent"]["findings"])
        print(f"check_code, 200-line snippet: warm p50 {p50:.1f} ms, p90 {p90:.1f} ms "
              f"({found} findings)  target < 20 ms")
        mcp.close()
    rust_ws = os.path.join(ROOT, ".bench/rust")
    if os.path.isdir(rust_ws):
        bench_rust(a, rust_ws, py)
    else:
        print("(no .bench/rust: run scripts/bench_rust.sh once for the Rust figures)")


def bench_rust(a, ws, py):
    with open(os.path.join(ws, a.rust_file)) as f:
        code = f.read()
    with tempfile.TemporaryDirectory() as cache:
        mcp = Mcp(a.binary, ws, py, cache)
        first = time.perf_counter()
        mcp.call("api_context", {"path": a.rust_file})
        cold = (time.perf_counter() - first) * 1000
        p50, p90, result = timed(mcp, "api_context", {"path": a.rust_file}, a.warmup, a.runs)
        tokens = result["structuredContent"]["tokens"]
        items = len(result["structuredContent"]["items"])
        print(f"api_context {a.rust_file}: first call {cold:.0f} ms (cargo metadata, std, parses), "
              f"warm p50 {p50:.1f} ms, p90 {p90:.1f} ms ({items} items, {tokens} tokens)  target < 20 ms")
        lines = code.count("\n")
        p50, p90, result = timed(mcp, "check_code", {"path": a.rust_file, "code": code}, a.warmup, a.runs)
        found = len(result["structuredContent"]["findings"])
        print(f"check_code, the {lines}-line Rust file: warm p50 {p50:.1f} ms, p90 {p90:.1f} ms "
              f"({found} findings)  target < 20 ms")
        for symbol in ["std::collections::HashMap::insert", "indexmap::IndexMap::insert"]:
            p50, p90, result = timed(mcp, "lookup", {"symbol": symbol}, a.warmup, a.runs)
            status = result["structuredContent"]["status"]
            print(f"lookup {symbol}: warm p50 {p50:.1f} ms, p90 {p90:.1f} ms ({status})")
        mcp.close()


if __name__ == "__main__":
    main()
