#!/usr/bin/env python3
"""Attack drivers for grounded, bounded in time, loopback and temp dirs only.

    python3 scripts/fuzz.py edits   [--seconds 60] [--seed N]   # LSP: random incremental edits vs a fresh open
    python3 scripts/fuzz.py nesting [--seconds 60] [--seed N]   # check + LSP: deep nesting of every shape
    python3 scripts/fuzz.py framing [--seconds 60] [--seed N]   # LSP: malformed frames and bodies
    python3 scripts/fuzz.py files   [--seconds 60]              # check + MCP: FIFOs, symlinks out of the root
    python3 scripts/fuzz.py cache   [--seconds 60] [--seed N]   # check: bit flips in the facts cache
    python3 scripts/fuzz.py all     [--seconds 60]              # each of them, the time split between them

GROUNDED names the binary (default target/release/grounded). Each driver
prints what it tried and exits 1 on the first failure, with what reproduces
it (the seed, the text); `tests/it/fuzz.rs` runs each for a few seconds.
"""
import argparse
import json
import os
import random
import select
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GROUNDED = os.environ.get("GROUNDED", os.path.join(ROOT, "target", "release", "grounded"))


class Failure(Exception):
    pass


# --------------------------------------------------------------------------
# A minimal LSP client over the server's stdio.


class Lsp:
    def __init__(self, root, cache):
        env = dict(os.environ, GROUNDED_CACHE_DIR=cache)
        self.p = subprocess.Popen(
            [GROUNDED, "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self.buf = b""
        self.next_id = 0
        self.seen = []
        uri = "file://" + root
        self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": uri,
                "workspaceFolders": [{"uri": uri, "name": "ws"}],
                "capabilities": {"general": {"positionEncodings": ["utf-16"]}},
                "initializationOptions": {"debounce": 5},
            },
        )
        self.notify("initialized", {})

    def send_raw(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params, timeout=120):
        self.next_id += 1
        rid = self.next_id
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == rid and "method" not in m, timeout, method)

    def read_message(self, deadline):
        while True:
            head, sep, rest = self.buf.partition(b"\r\n\r\n")
            if sep:
                length = None
                for line in head.split(b"\r\n"):
                    k, _, v = line.partition(b":")
                    if k.strip().lower() == b"content-length":
                        length = int(v.strip())
                if length is not None and len(rest) >= length:
                    self.buf = rest[length:]
                    return json.loads(rest[:length])
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.p.stdout], [], [], left)
            if ready:
                chunk = os.read(self.p.stdout.fileno(), 1 << 16)
                if not chunk:
                    raise Failure(f"the server closed its output (status {self.p.wait()})")
                self.buf += chunk

    def wait(self, pred, timeout, what):
        for i, m in enumerate(self.seen):
            if pred(m):
                return self.seen.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            m = self.read_message(deadline)
            if m is None:
                raise Failure(f"no answer within {timeout} s: {what}")
            if pred(m):
                return m
            self.seen.append(m)
            del self.seen[:-200]

    def diagnostics(self, uri, version, timeout=120):
        m = self.wait(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"].get("version") == version,
            timeout,
            f"diagnostics of {uri} v{version}",
        )
        return m["params"]["diagnostics"]

    def close(self):
        try:
            self.request("shutdown", None, timeout=30)
            self.notify("exit", None)
            self.p.wait(timeout=30)
        except (Failure, OSError, subprocess.TimeoutExpired):
            self.p.kill()


def new_workspace():
    d = tempfile.mkdtemp(prefix="grounded-fuzz-")
    ws = os.path.join(d, "ws")
    os.makedirs(os.path.join(ws, "src"))
    with open(os.path.join(ws, "pyproject.toml"), "w") as f:
        f.write('[project]\nname = "ws"\n')
    with open(os.path.join(ws, "Cargo.toml"), "w") as f:
        f.write('[package]\nname = "ws"\nversion = "0.1.0"\nedition = "2021"\n')
    return d, ws


# --------------------------------------------------------------------------
# edits: random incremental edits, compared with a fresh open of the result.

PY_SEED = """import json
import os.path
from collections import OrderedDict

class Store:
    def __init__(self):
        self.items = OrderedDict()

    def save(self, path):
        with open(path, "w") as f:
            json.dump(dict(self.items), f)
        return os.path.exists(path)

s = Store()
s.save("x.json")
json.parse("1")
"""

# A module of many top-level statements: the language server walks a
# Python module in chunks of top-level statements and keeps the chunks an
# edit did not touch (server/src/syntax/python/chunks.rs), so edits here
# join, split and cross chunks.
PY_MODULE_PART = """
__all__ += ["Store@"]

class Store@(Store):
    def load(self):
        if hasattr(os, "fspath@"):
            return os.fspath@(self)
        return json.loads(self.items)

Store@.extra = 1
setattr(Store@, "more", 2)
NAMES@ = ("a", "b")
NAMES@.count("a")

@staticmethod
def helper@(x):
    global COUNTER
    COUNTER = x
    return x.attr

if sys.version_info >= (3, 8):
    value@ = os.path.joinx("a")
else:
    value@ = Store@().missing
s.save(value@)  # grounded: ignore
"""

PY_MODULE = ('"""Module doc."""\nimport sys\n__all__ = ["Store"]\n' + PY_SEED
             + "".join(PY_MODULE_PART.replace("@", str(i)) for i in range(30)))

RS_SEED = """use std::collections::HashMap;

pub struct Store {
    items: HashMap<String, u32>,
}

impl Store {
    pub fn get(&self, k: &str) -> Option<&u32> {
        self.items.get(k)
    }
}

pub fn f() {
    let v: Vec<u8> = Vec::new();
    v.push_all(1);
    let _ = "x".to_uppercase();
}
"""

# What an edit inserts: code, every line break and every character some
# tools take for one, and text outside the BMP (two UTF-16 units).
PIECES = [
    "json.loads", "json.parse", ".items", "os.path.join", "self.items", "Store()",
    "v.push(1);", "v.push_all", "HashMap::new()", "x", "(", ")", "[", "]", "{", "}",
    ":", ";", ",", ".", " ", "    ", "'", '"', "#", "//", "\\",
    "\n", "\r\n", "\r", "\x0c", "\x0b", "\u0085", "\u2028", "\u2029",
    "é", "日本", "😀", "\t", "def g():\n    return 1\n", "fn g() {}\n",
    # Module-level statements, clauses and decorators (they join and split
    # the chunks of a long module), `__all__`, a string left open.
    "@dec\n", "else:\n    ", "elif x:\n", "if x:\n    ", "class C:\n    ", "\"\"\"",
    "__all__ += ['x']\n", "__all__ = []\n", "Store.extra = 1\n", "global COUNTER\n",
]

BREAKS = ("\r\n", "\n", "\r")


def lines_of(text):
    """[(start, end_of_content, end_with_break)] in code points, LSP's way."""
    out, i, start, n = [], 0, 0, len(text)
    while i < n:
        c = text[i]
        if c == "\r" and i + 1 < n and text[i + 1] == "\n":
            out.append((start, i, i + 2))
            i += 2
            start = i
        elif c in "\r\n":
            out.append((start, i, i + 1))
            i += 1
            start = i
        else:
            i += 1
    out.append((start, n, n))
    return out


def utf16_len(s):
    return sum(2 if ord(c) > 0xFFFF else 1 for c in s)


def position(text, lines, index):
    """The LSP position of code point `index` (never inside a \\r\\n)."""
    for row, (start, end, _) in enumerate(lines):
        if index <= end or row == len(lines) - 1:
            index = min(index, end)
            return {"line": row, "character": utf16_len(text[start:index])}
        if index < lines[row][2]:  # inside the line break: before it
            return {"line": row, "character": utf16_len(text[start:end])}
    raise AssertionError("unreachable")


def index_of(text, lines, pos):
    start, end, _ = lines[min(pos["line"], len(lines) - 1)]
    units, i = 0, start
    while i < end and units < pos["character"]:
        units += 2 if ord(text[i]) > 0xFFFF else 1
        i += 1
    return i


def random_edit(rng, text):
    lines = lines_of(text)
    a = rng.randint(0, len(text))
    b = min(len(text), a + rng.choice([0, 0, 1, 2, 5, 20]))
    pa, pb = position(text, lines, a), position(text, lines, b)
    new = "".join(rng.choice(PIECES) for _ in range(rng.choice([0, 1, 1, 2, 3])))
    ia, ib = index_of(text, lines, pa), index_of(text, lines, pb)
    return {"range": {"start": pa, "end": pb}, "text": new}, text[:ia] + new + text[ib:]


def shape(diags):
    return sorted(
        (d["range"]["start"]["line"], d["range"]["start"]["character"],
         d["range"]["end"]["line"], d["range"]["end"]["character"],
         d.get("code"), d["message"])
        for d in diags
    )


def fuzz_edits(seconds, seed):
    rng = random.Random(seed)
    d, ws = new_workspace()
    lsp = Lsp(ws, os.path.join(d, "cache"))
    deadline = time.monotonic() + seconds
    rounds = edits = 0
    try:
        while time.monotonic() < deadline:
            ext, text = rng.choice([("py", PY_SEED), ("py", PY_MODULE), ("rs", RS_SEED)])
            if rng.random() < 0.3:
                text = text.replace("\n", rng.choice(BREAKS))
            uri = f"file://{ws}/{'src/' if ext == 'rs' else ''}doc{rounds}.{ext}"
            lsp.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "python" if ext == "py" else "rust",
                "version": 1, "text": text}})
            version = 1
            for _ in range(rng.randint(1, 25)):
                changes = []
                for _ in range(rng.randint(1, 4)):
                    change, text = random_edit(rng, text)
                    changes.append(change)
                version += 1
                edits += len(changes)
                lsp.notify("textDocument/didChange", {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": changes})
            edited = lsp.diagnostics(uri, version)
            lsp.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
            lsp.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "python" if ext == "py" else "rust",
                "version": version + 1, "text": text}})
            fresh = lsp.diagnostics(uri, version + 1)
            if shape(edited) != shape(fresh):
                raise Failure(
                    f"edits (seed {seed}, round {rounds}): incremental and fresh disagree\n"
                    f"text: {text!r}\nincremental: {shape(edited)}\nfresh: {shape(fresh)}")
            rounds += 1
    finally:
        lsp.close()
        shutil.rmtree(d, ignore_errors=True)
    print(f"edits: {rounds} documents, {edits} random edits: incremental == fresh (seed {seed})")


# --------------------------------------------------------------------------
# nesting: deep code of random shapes, in the CLI and the language server.

PY_WRAP = [("[", "]"), ("(", ")"), ("{'k': ", "}"), ("f(", ")"), ("not ", ""),
           ("lambda: ", ""), ("-", ""), ("a + ", ""), ("", ".x"), ("", "()"),
           ("", "[0]"), ("a and ", ""), ("x if ", " else y"), ("await ", ""), ("*", "")]
RS_WRAP = [("{ ", " }"), ("(", ")"), ("[", "]"), ("if x { ", " }"), ("|| ", ""),
           ("f(", ")"), ("", ".m()"), ("", ".0"), ("1 + ", ""), ("&", ""), ("!", ""),
           ("loop { ", " }"), ("match x { _ => ", " }"), ("unsafe { ", " }")]
RS_TYPE_WRAP = [("Vec<", ">"), ("(", ",)"), ("[", "; 1]"), ("&", ""), ("Option<", ">")]


def nested(rng, wraps, depth, core):
    kinds = rng.sample(wraps, rng.randint(1, min(4, len(wraps))))
    opens, closes = [], []
    for _ in range(depth):
        o, c = rng.choice(kinds)
        opens.append(o)
        closes.append(c)
    return "".join(opens) + core + "".join(reversed(closes))


def fuzz_nesting(seconds, seed):
    rng = random.Random(seed)
    d, ws = new_workspace()
    lsp = Lsp(ws, os.path.join(d, "cache"))
    deadline = time.monotonic() + seconds
    files = 0
    try:
        while time.monotonic() < deadline:
            depth = rng.choice([rng.randint(1, 2500), rng.randint(1900, 2100), rng.randint(2000, 120000)])
            if rng.random() < 0.5:
                ext, rel = "py", f"deep{files}.py"
                text = f"import json\na = 1\nb = {nested(rng, PY_WRAP, depth, 'a')}\njson.parse('1')\n"
            elif rng.random() < 0.7:
                ext, rel = "rs", f"src/deep{files}.rs"
                text = f"pub fn f(x: bool) {{\n{nested(rng, RS_WRAP, depth, '1')}\n}}\n"
            else:
                ext, rel = "rs", f"src/deep{files}.rs"
                text = f"pub type T = {nested(rng, RS_TYPE_WRAP, depth, 'u8')};\n"
            with open(os.path.join(ws, rel), "w") as f:
                f.write(text)
            what = f"nesting (seed {seed}, file {files}: {rel}, depth {depth})"
            try:
                r = subprocess.run([GROUNDED, "check", rel], cwd=ws, capture_output=True,
                                   timeout=120, env=dict(os.environ, GROUNDED_CACHE_DIR=os.path.join(d, "cache")))
            except subprocess.TimeoutExpired:
                raise Failure(f"{what}: check did not end within 120 s")
            if r.returncode not in (0, 1):
                raise Failure(f"{what}: check exited {r.returncode}: {r.stderr.decode()[-500:]}")
            uri = f"file://{ws}/{rel}"
            lsp.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "python" if ext == "py" else "rust", "version": 1, "text": text}})
            try:
                lsp.diagnostics(uri, 1)
            except Failure as e:
                kept = os.path.join(tempfile.gettempdir(), f"grounded-fuzz-failed.{ext}")
                shutil.copy(os.path.join(ws, rel), kept)
                raise Failure(f"{what}: {e} (the file: {kept})")
            lsp.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
            os.remove(os.path.join(ws, rel))
            files += 1
    finally:
        lsp.close()
        shutil.rmtree(d, ignore_errors=True)
    print(f"nesting: {files} files up to 120,000 levels: no crash, every one answered (seed {seed})")


# --------------------------------------------------------------------------
# framing: malformed frames and bodies; after each, a request must be answered.

NOT_RPC = [b"{}", b"[]", b"1", b"null", b'"x"', b'[{"jsonrpc":"2.0","id":1,"method":"shutdown"}]',
           b'{"jsonrpc":"1.0","id":1,"method":"x"}', b'{"jsonrpc":"2.0","id":{},"method":"x"}',
           b'{"jsonrpc":"2.0","id":1,"method":7}', b'{"jsonrpc":"2.0","method":"textDocument/didOpen","params":1}',
           b"{not json", b"\xff\xfe", b""]


def bad_input(rng):
    body = rng.choice(NOT_RPC + [bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))])
    kind = rng.randrange(7)
    if kind == 0:
        return b"Content-Length: %d\r\n\r\n" % len(body) + body
    if kind == 1:  # too short
        return b"Content-Length: %d\r\n\r\n" % max(0, len(body) - rng.randint(1, 5)) + body
    if kind == 2:  # too long
        return b"Content-Length: %d\r\n\r\n" % (len(body) + rng.randint(1, 50)) + body
    if kind == 3:  # no header at all
        return body + b"\r\n\r\n"
    if kind == 4:  # not a number, or negative
        return rng.choice([b"Content-Length: abc\r\n\r\n", b"Content-Length: -5\r\n\r\n",
                           b"Content-Length: 99999999999999999999\r\n\r\n"]) + body
    if kind == 5:  # other headers, odd spacing
        return b"Content-Type: x\r\ncontent-length:%d\r\n\r\n" % len(body) + body
    return bytes(rng.randrange(256) for _ in range(rng.randint(1, 200)))


def fuzz_framing(seconds, seed):
    rng = random.Random(seed)
    d, ws = new_workspace()
    lsp = Lsp(ws, os.path.join(d, "cache"))
    deadline = time.monotonic() + seconds
    sent = 0
    try:
        while time.monotonic() < deadline:
            data = b"".join(bad_input(rng) for _ in range(rng.randint(1, 3)))
            lsp.send_raw(data)
            sent += 1
            # A request after it: answered, maybe after one more frame when a
            # too-long length swallowed the first (it is sent again).
            lsp.next_id += 1
            rid = lsp.next_id
            msg = {"jsonrpc": "2.0", "id": rid, "method": "grounded/status", "params": None}
            for attempt in range(3):
                lsp.send(msg)
                try:
                    lsp.wait(lambda m: m.get("id") == rid and "method" not in m, 10, "status")
                    break
                except Failure:
                    if lsp.p.poll() is not None:
                        raise Failure(f"framing (seed {seed}): the server ended ({lsp.p.returncode}) after {data!r}")
            else:
                raise Failure(f"framing (seed {seed}): no answer after {data!r}")
    finally:
        lsp.close()
        shutil.rmtree(d, ignore_errors=True)
    print(f"framing: {sent} malformed inputs, each followed by an answered request (seed {seed})")


# --------------------------------------------------------------------------
# files: FIFOs, devices, symlink loops and links out of the root.


def hostile_tree(rng, ws, outside):
    made = []
    def entry(rel, kind):
        p = os.path.join(ws, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        if os.path.lexists(p):
            return
        if kind == "fifo":
            os.mkfifo(p)
        elif kind == "zero":
            os.symlink("/dev/zero", p)
        elif kind == "loop":
            os.symlink(os.path.basename(p), p)
        elif kind == "dangling":
            os.symlink("/nonexistent/x", p)
        elif kind == "outside":
            os.symlink(outside, p)
        elif kind == "dir":
            os.makedirs(p)
        made.append((rel, kind))
    names = ["mod.py", "pkg/__init__.py", "pkg/sub.py", "Cargo.lock", "src/lib.rs", "src/m.rs",
             "grounded.toml", "pyproject.toml", ".venv/pyvenv.cfg", "rust-toolchain.toml", "out", "data.py"]
    for name in rng.sample(names, rng.randint(1, 5)):
        entry(name, rng.choice(["fifo", "zero", "loop", "dangling", "outside", "dir"]))
    with open(os.path.join(ws, "main.py"), "w") as f:
        f.write("import mod\nimport pkg.sub\nimport data\nimport json\njson.parse('1')\n")
    os.makedirs(os.path.join(ws, "src"), exist_ok=True)
    if not os.path.lexists(os.path.join(ws, "src/lib.rs")):
        with open(os.path.join(ws, "src/lib.rs"), "w") as f:
            f.write("mod m;\npub fn f(v: Vec<u8>) { v.push_all(1); }\n")
    return made


def fuzz_files(seconds, seed):
    rng = random.Random(seed)
    deadline = time.monotonic() + seconds
    rounds = 0
    while time.monotonic() < deadline:
        d = tempfile.mkdtemp(prefix="grounded-fuzz-")
        ws, outside = os.path.join(d, "ws"), os.path.join(d, "outside")
        os.makedirs(ws)
        os.makedirs(outside)
        with open(os.path.join(outside, "secret.py"), "w") as f:
            f.write("def outside_name(): ...\n")
        made = hostile_tree(rng, ws, outside)
        env = dict(os.environ, GROUNDED_CACHE_DIR=os.path.join(d, "cache"))
        what = f"files (seed {seed}, round {rounds}: {made})"
        try:
            for args in (["check", "."], ["check", "main.py", "src/lib.rs"], ["context", "main.py"]):
                try:
                    r = subprocess.run([GROUNDED, *args], cwd=ws, capture_output=True, timeout=90,
                                       stdin=subprocess.DEVNULL, env=env)
                except subprocess.TimeoutExpired:
                    raise Failure(f"{what}: `grounded {' '.join(args)}` did not end within 90 s")
                if r.returncode not in (0, 1, 2) or b"panicked" in r.stderr:
                    raise Failure(f"{what}: `grounded {' '.join(args)}` exited {r.returncode}: {r.stderr.decode()[-400:]}")
            mcp_round(ws, env, what)
        finally:
            shutil.rmtree(d, ignore_errors=True)
        rounds += 1
    print(f"files: {rounds} workspaces of FIFOs, devices and links: every command ended (seed {seed})")


def mcp_round(ws, env, what):
    p = subprocess.Popen([GROUNDED, "mcp", "--root", ws], cwd=ws, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    calls = [("api_context", {"path": "mod.py"}), ("check_code", {"path": "out/new/x.py", "code": "import secret\n"}),
             ("members", {"module_or_type": "secret", "path": "out/x.py"}), ("check_code", {"path": "data.py", "code": "x = 1\n"}),
             ("api_context", {"path": "src/m.rs"})]
    msgs = [{"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "fuzz", "version": "0"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"}]
    msgs += [{"jsonrpc": "2.0", "id": i + 1, "method": "tools/call", "params": {"name": n, "arguments": a}}
             for i, (n, a) in enumerate(calls)]
    try:
        out, _ = p.communicate("".join(json.dumps(m) + "\n" for m in msgs).encode(), timeout=90)
    except subprocess.TimeoutExpired:
        p.kill()
        raise Failure(f"{what}: the MCP server did not end within 90 s of end of input")
    answers = {}
    for line in out.decode(errors="replace").splitlines():
        m = json.loads(line)
        answers[m.get("id")] = m
    for i, (n, a) in enumerate(calls):
        m = answers.get(i + 1)
        if m is None:
            continue  # the server may leave before slow answers at end of input
        text = json.dumps(m)
        if "outside_name" in text:
            raise Failure(f"{what}: MCP `{n}` {a} answered with the outside project's names: {text[:300]}")


# --------------------------------------------------------------------------
# cache: bit flips in the facts cache never change what a check reports.


def fuzz_cache(seconds, seed):
    rng = random.Random(seed)
    d = tempfile.mkdtemp(prefix="grounded-fuzz-")
    ws, cache = os.path.join(d, "ws"), os.path.join(d, "cache")
    shutil.copytree(os.path.join(ROOT, "fixtures", "demo"), ws)
    env = dict(os.environ, GROUNDED_CACHE_DIR=cache)

    def check():
        r = subprocess.run([GROUNDED, "check", ".", "--format", "json"], cwd=ws, capture_output=True,
                           timeout=300, env=env)
        if r.returncode not in (0, 1) or b"panicked" in r.stderr:
            raise Failure(f"cache (seed {seed}): check exited {r.returncode}: {r.stderr.decode()[-400:]}")
        report = json.loads(r.stdout)
        report.get("summary", {}).pop("elapsed_ms", None)
        return json.dumps(report["diagnostics"], sort_keys=True)

    deadline = time.monotonic() + seconds
    flips = 0
    try:
        clean = check()
        entries = [os.path.join(r, f) for r, _, fs in os.walk(cache) for f in fs if "facts-v" in r]
        if not entries:
            raise Failure("cache: the check wrote no facts-cache entries")
        while time.monotonic() < deadline:
            path = rng.choice(entries)
            with open(path, "rb") as f:
                data = bytearray(f.read())
            if not data:
                continue
            for _ in range(rng.randint(1, 3)):
                i = rng.randrange(len(data))
                data[i] ^= 1 << rng.randrange(8)
            with open(path, "wb") as f:
                f.write(data)
            flips += 1
            if check() != clean:
                raise Failure(f"cache (seed {seed}): a flipped bit in {os.path.relpath(path, cache)} changed the findings")
    finally:
        shutil.rmtree(d, ignore_errors=True)
    print(f"cache: {flips} damaged entries, the findings unchanged every time (seed {seed})")


DRIVERS = {"edits": fuzz_edits, "nesting": fuzz_nesting, "framing": fuzz_framing, "files": fuzz_files,
           "cache": fuzz_cache}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("driver", choices=sorted(DRIVERS) + ["all"])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    if not os.access(GROUNDED, os.X_OK):
        sys.exit(f"fuzz: no grounded binary at {GROUNDED} (cargo build --release, or set GROUNDED)")
    seed = args.seed if args.seed is not None else random.randrange(1 << 32)
    names = sorted(DRIVERS) if args.driver == "all" else [args.driver]
    try:
        for name in names:
            DRIVERS[name](args.seconds / len(names), seed)
    except Failure as e:
        print(f"FAIL {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
