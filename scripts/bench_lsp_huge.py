#!/usr/bin/env python3
"""Language server on huge documents (issue 16, point 10): drives the real
`grounded lsp` over stdio with generated Python documents (the interpreter's
stdlib modules concatenated, as scripts/gen_huge_inputs.py makes them; or a
finding on every line, or a table of numbers) or Rust ones (`--kind rust`:
structs, impls, enums and functions using std) and prints, per document
size:

  - time from didOpen to its diagnostics;
  - resident memory per source byte once it is analyzed (VmRSS over the
    server's before the document was opened), and at the peak (VmHWM);
    a document of its top-level imports alone is opened first, so that the
    library modules it uses (loaded once per session) are not counted as
    the document's;
  - keystroke latency: one-character edits in a comment in the middle of
    the document, didChange -> publishDiagnostics of that version, and the
    server's CPU time (user + system) for each, with the load average, for
    a shared machine;
  - the peak of the open alone and of the keystrokes alone (the resident
    size after the open is where the keystrokes' peak starts).

Then two scenarios:
  - stale: a document replaced by a large text (version 2) and at once by a
    small one (version 3): how soon version 3's diagnostics come, whether
    version 2's were ever published (they must not be), the peak memory;
  - over the limit: a document larger than `maxDocumentSize` gets one
    information diagnostic at once and no analysis.

Usage: python3 scripts/bench_lsp_huge.py [--sizes 1,10] [--keystrokes 10]
                                         [--kind stdlib|findings|data|rust]
                                         [--binary target/release/grounded]
Targets: <= 60 bytes per source byte, a keystroke in a 10 MB document < 1 s.
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
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import gen_huge_inputs  # noqa: E402

MB = 1_000_000


class Server:
    def __init__(self, binary, cache):
        env = dict(os.environ, GROUNDED_CACHE_DIR=cache)
        env.pop("VIRTUAL_ENV", None)
        self.p = subprocess.Popen([binary, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, env=env)
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

    def wait(self, pred, timeout=600, seen=None):
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
            if seen is not None:
                seen.append(m)
            if pred(m):
                return m
        raise SystemExit("timeout")

    def mem_mb(self, key):
        with open(f"/proc/{self.p.pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def cpu_s(self):
        """The server's CPU time so far (user + system), in seconds."""
        with open(f"/proc/{self.p.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def reset_peak(self):
        """VmHWM back to the current resident size (Linux's clear_refs)."""
        try:
            with open(f"/proc/{self.p.pid}/clear_refs", "w") as f:
                f.write("5")
        except OSError:
            pass

    def stop(self):
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.p.wait(timeout=30)
        except Exception:
            self.p.kill()


def diagnostics_of(uri, version):
    return lambda m: (m.get("method") == "textDocument/publishDiagnostics"
                      and m["params"]["uri"] == uri and m["params"].get("version") == version)


def start(binary, cache, ws):
    s = Server(binary, cache)
    uri_ws = "file://" + ws
    s.request("initialize", {
        "processId": None, "rootUri": uri_ws,
        "workspaceFolders": [{"uri": uri_ws, "name": "huge"}],
        "capabilities": {"window": {"workDoneProgress": True}},
        "initializationOptions": {"debounce": 0},
    })
    s.notify("initialized", {})
    s.wait(lambda m: m.get("method") == "$/progress" and m["params"]["value"].get("kind") == "end")
    # A small document first: the environment and stdlib the big one uses
    # are loaded outside the figures.
    warm = "file://" + os.path.join(ws, "warm.py")
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": warm, "languageId": "python", "version": 1,
        "text": "import collections, json, os, re, textwrap\n"}})
    s.wait(diagnostics_of(warm, 1))
    return s


KINDS = {
    # The stdlib concatenated: realistic code.
    "stdlib": gen_huge_inputs.realistic,
    # A finding on every line.
    "findings": lambda size: "import os\n" + "os.path.joinx(1)\n" * (size // 17 + 1),
    # Data: one long list of numbers per line.
    "data": lambda size: "DATA = [\n" + ("    " + "1, 22, 333, " * 8 + "\n") * (size // 101 + 1) + "]\n",
    # Rust: realistic items (structs, impls, enums, functions) using std.
    "rust": gen_huge_inputs.rust_items,
}
KIND = "stdlib"


def is_rust():
    return KIND == "rust"


def make_workspace(tmp):
    """A workspace for the kind's language: (its root, the path of the big
    document, its languageId)."""
    ws = os.path.join(tmp, "ws")
    os.makedirs(ws)
    if is_rust():
        os.makedirs(os.path.join(ws, "src"))
        with open(os.path.join(ws, "Cargo.toml"), "w") as f:
            f.write('[package]\nname = "huge"\nversion = "0.1.0"\nedition = "2021"\n')
        with open(os.path.join(ws, "src", "lib.rs"), "w") as f:
            f.write("")
        return ws, os.path.join(ws, "src", "lib.rs"), "rust"
    with open(os.path.join(ws, "pyproject.toml"), "w") as f:
        f.write('[project]\nname = "huge"\n')
    return ws, os.path.join(ws, "big.py"), "python"


def document(size):
    text = KINDS[KIND](size)
    # Cut at a line end at most `size` bytes in.
    data = text.encode()[:size]
    cut = data.rfind(b"\n") + 1
    text = data[:cut].decode("utf-8", errors="ignore")
    if KIND == "data":
        # The table closed (cut short, the whole document was one syntax
        # error: a table being typed, not one at rest).
        text += "]\n"
    return text


def comment_line(text):
    """The 0-based line of a comment near the middle, and its length in UTF-16 units."""
    lines = text.split("\n")
    for i in range(len(lines) // 2, len(lines)):
        comment = (lines[i].lstrip().startswith("// ") if is_rust() else lines[i].startswith("#"))
        if comment:
            return i, len(lines[i].encode("utf-16-le")) // 2
    return len(lines) - 1, 0


def measure_size(binary, size, keystrokes):
    text = document(size)
    nbytes = len(text.encode())
    with tempfile.TemporaryDirectory() as tmp:
        ws, big, language = make_workspace(tmp)
        s = start(binary, os.path.join(tmp, "cache"), ws)
        # The document's own top-level imports, opened first under another
        # name: the library modules it uses are loaded in the session (a
        # cost of the environment, once per session, not of the document)
        # and stay out of the figures.
        heads = ("use ",) if is_rust() else ("import ", "from ")
        imports = "".join(line + "\n" for line in text.split("\n") if line.startswith(heads))
        # (Rust: std is loaded with the first document of the crate.)
        twin_name = "src/main.rs" if is_rust() else "imports.py"
        if is_rust():
            imports += "fn main() {\n    let v: Vec<u8> = Vec::new();\n    println!(\"{}\", v.len());\n}\n"
        twin = "file://" + os.path.join(ws, twin_name)
        s.notify("textDocument/didOpen", {"textDocument": {
            "uri": twin, "languageId": language, "version": 1, "text": imports}})
        s.wait(diagnostics_of(twin, 1))
        time.sleep(1.0)
        s.reset_peak()
        base_rss, base_hwm = s.mem_mb("VmRSS"), s.mem_mb("VmHWM")
        uri = "file://" + big
        t = time.time()
        s.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": language, "version": 1, "text": text}})
        first = s.wait(diagnostics_of(uri, 1))
        opened = time.time() - t
        # The peak of the open alone, then of the keystrokes alone (from
        # the resident size after the open).
        time.sleep(0.5)
        open_hwm = s.mem_mb("VmHWM")
        s.reset_peak()
        line, col = comment_line(text)
        latencies, cpu = [], []
        for i in range(keystrokes):
            version = i + 2
            t = time.time()
            c = s.cpu_s()
            s.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": {"line": line, "character": col + i},
                                              "end": {"line": line, "character": col + i}},
                                    "text": "x"}]})
            s.wait(diagnostics_of(uri, version))
            latencies.append(time.time() - t)
            cpu.append(s.cpu_s() - c)
        time.sleep(0.5)
        rss, hwm = s.mem_mb("VmRSS"), s.mem_mb("VmHWM")
        s.stop()
    return {
        "bytes": nbytes,
        "diagnostics": len(first["params"]["diagnostics"]),
        "open_s": opened,
        "rss_per_byte": (rss - base_rss) * 1024 * 1024 / nbytes,
        "peak_per_byte": max(hwm - base_hwm, open_hwm - base_hwm, 0) * 1024 * 1024 / nbytes,
        "open_peak_per_byte": max(open_hwm - base_hwm, 0) * 1024 * 1024 / nbytes,
        "key_peak_per_byte": max(hwm - base_hwm, 0) * 1024 * 1024 / nbytes,
        "key_p50": statistics.median(latencies) if latencies else float("nan"),
        "key_max": max(latencies) if latencies else float("nan"),
        "key_cpu_p50": statistics.median(cpu) if cpu else float("nan"),
        "key_cpu_max": max(cpu) if cpu else float("nan"),
    }


def measure_stale(binary, size):
    big = document(size)
    with tempfile.TemporaryDirectory() as tmp:
        ws = os.path.join(tmp, "ws")
        os.makedirs(ws)
        with open(os.path.join(ws, "pyproject.toml"), "w") as f:
            f.write('[project]\nname = "huge"\n')
        s = start(binary, os.path.join(tmp, "cache"), ws)
        base_hwm = s.mem_mb("VmHWM")
        uri = "file://" + os.path.join(ws, "stale.py")
        s.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": "import os\n"}})
        s.wait(diagnostics_of(uri, 1))
        t = time.time()
        s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": big}]})
        # Long enough for the server to start on version 2.
        time.sleep(0.3)
        s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                             "contentChanges": [{"text": "import os\nos.path.joinx\n"}]})
        seen = []
        s.wait(diagnostics_of(uri, 3), seen=seen)
        took = time.time() - t
        published_v2 = any(diagnostics_of(uri, 2)(m) for m in seen)
        hwm = s.mem_mb("VmHWM")
        s.stop()
    return {"bytes": len(big.encode()), "v3_s": took, "v2_published": published_v2,
            "peak_mb": max(hwm - base_hwm, 0)}


def measure_over_limit(binary, size):
    text = document(size)
    with tempfile.TemporaryDirectory() as tmp:
        ws = os.path.join(tmp, "ws")
        os.makedirs(ws)
        with open(os.path.join(ws, "pyproject.toml"), "w") as f:
            f.write('[project]\nname = "huge"\n')
        s = start(binary, os.path.join(tmp, "cache"), ws)
        base_rss = s.mem_mb("VmRSS")
        uri = "file://" + os.path.join(ws, "over.py")
        t = time.time()
        s.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": text}})
        m = s.wait(diagnostics_of(uri, 1))
        took = time.time() - t
        time.sleep(0.5)
        rss = s.mem_mb("VmRSS")
        s.stop()
    diags = m["params"]["diagnostics"]
    return {"bytes": len(text.encode()), "s": took, "diagnostics": len(diags),
            "message": diags[0]["message"] if diags else "",
            "rss_per_byte": (rss - base_rss) * 1024 * 1024 / len(text.encode())}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, "target/release/grounded"))
    ap.add_argument("--sizes", default="1,10", help="document sizes in MB (10^6 bytes)")
    ap.add_argument("--keystrokes", type=int, default=10)
    ap.add_argument("--stale-mb", type=float, default=10)
    ap.add_argument("--over-mb", type=float, default=12)
    ap.add_argument("--skip", default="", help="comma-separated: sizes, stale, over")
    ap.add_argument("--kind", default="stdlib", choices=sorted(KINDS),
                    help="stdlib: the stdlib concatenated; findings: one on every line; data: lists of "
                    "numbers; rust: Rust items using std (sizes only: the stale and over-the-limit "
                    "scenarios are Python's)")
    args = ap.parse_args()
    global KIND
    KIND = args.kind
    skip = set(args.skip.split(","))
    if is_rust():
        skip |= {"stale", "over"}
    if "sizes" not in skip:
        # The machine may be shared: the load, and the server's CPU time
        # per keystroke next to the wall time.
        print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
        print(f"{'document':>9} {'findings':>8} {'open s':>7} {'B/B now':>8} {'B/B peak':>9} "
              f"{'key p50 s':>9} {'key max s':>9} {'cpu p50 s':>9} {'cpu max s':>9} "
              f"{'peak open':>9} {'peak keys':>9}")
        for mb in [float(x) for x in args.sizes.split(",") if x]:
            r = measure_size(args.binary, int(mb * MB), args.keystrokes)
            print(f"{r['bytes'] / MB:7.2f}MB {r['diagnostics']:8d} {r['open_s']:7.2f} "
                  f"{r['rss_per_byte']:8.1f} {r['peak_per_byte']:9.1f} {r['key_p50']:9.3f} {r['key_max']:9.3f} "
                  f"{r['key_cpu_p50']:9.3f} {r['key_cpu_max']:9.3f} "
                  f"{r['open_peak_per_byte']:9.1f} {r['key_peak_per_byte']:9.1f}", flush=True)
    if "stale" not in skip:
        r = measure_stale(args.binary, int(args.stale_mb * MB))
        print(f"stale: {r['bytes'] / MB:.1f} MB version then a small one: its diagnostics after "
              f"{r['v3_s']:.2f} s; the large version's published: {r['v2_published']}; "
              f"peak +{r['peak_mb']:.0f} MB", flush=True)
    if "over" not in skip:
        r = measure_over_limit(args.binary, int(args.over_mb * MB))
        print(f"over the limit: {r['bytes'] / MB:.1f} MB document answered in {r['s']:.2f} s with "
              f"{r['diagnostics']} diagnostic(s) ({r['message'][:80]!r}); "
              f"{r['rss_per_byte']:.1f} bytes per source byte", flush=True)


if __name__ == "__main__":
    main()
