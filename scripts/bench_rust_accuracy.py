#!/usr/bin/env python3
"""Rust accuracy benchmark (issue 18, "Benchmark"): Grounded next to rust-analyzer on a
held-out labelled set of API uses, each label proved by `cargo check`.

Usage: python3 scripts/bench_rust_accuracy.py [--runs N] [--ra-runs N] [--skip-ra] [--label-only]
                                             [--grounded PATH] [--json FILE]
Environment:
  BENCH_NO_BUILD=1  use the existing target/release/grounded (else `cargo build --release`)

What it does:
  1. Reads bench/rust_accuracy/cases.txt (format in its header) and generates a crate
     under .bench/rust_accuracy: Cargo.toml and Cargo.lock from bench/rust_accuracy/,
     one module file per case (src/cNNN.rs), the judged use on a known line.
  2. Labels: one `cargo check --message-format=json` over all cases. A case is
     invented when cargo reports an error on its line whose code is a
     name-resolution error (RESOLUTION_CODES below, or a message in
     RESOLUTION_MESSAGES for the macro errors rustc gives no code), valid when its
     module has no error at all. Then the cases cargo found valid are checked again
     alone (a crate of only them), so that an error rustc stops reporting once
     another module fails (borrowck runs only on a crate that type-checks) cannot hide.
     Any case whose label disagrees with cargo, or whose module has another error, is
     printed and the bench stops: cargo wins, fix the data.
  3. Runs `grounded check --format json` (cold: an empty cache, then warm; --runs
     times, medians reported) with the user's toolchain, and again with a toolchain
     that has rust-src (the setup every rust-analyzer user has), and
     `rust-analyzer diagnostics` (installed at bench
     time, pinned, into .tools/rustup-bench: a rustup home of its own, so the
     machine's toolchains are not changed). Each tool's wall time, CPU time (user +
     system, its children included: the figure to trust on a loaded machine) and peak
     memory (the process tree's resident memory, sampled every 20 ms) are measured.
     rust-analyzer has no cache between runs; the cargo target directory it runs build
     scripts in is the labelling's, already built (in its favour).
  4. Prints recall (invented cases flagged on their line), false positives (valid
     cases with any finding in their module), the per-kind breakdown, and
     Grounded's misses and false positives.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "bench", "rust_accuracy")
WS = os.path.join(ROOT, ".bench", "rust_accuracy")
TARGET = os.path.join(ROOT, ".bench", "rust_accuracy-target")
# rust-analyzer (and rust-src for it) come from the same release as the toolchain the
# labels were made with; installed by rustup into a rustup home of the bench's own.
RA_TOOLCHAIN = "1.95.0"
RA_RUSTUP_HOME = os.path.join(ROOT, ".tools", "rustup-bench")

# rustc error codes that say a name does not resolve: what Grounded is about.
RESOLUTION_CODES = {
    "E0405": "cannot find trait",
    "E0407": "method is not a member of trait",
    "E0412": "cannot find type",
    "E0422": "cannot find struct, variant or union type",
    "E0423": "expected value, found struct/module",
    "E0425": "cannot find value or function",
    "E0432": "unresolved import",
    "E0433": "failed to resolve a path",
    "E0531": "cannot find tuple struct or variant",
    "E0532": "expected tuple struct or variant",
    "E0559": "variant has no field with that name (rust-analyzer's code for rustc's E0609)",
    "E0560": "struct has no field with that name",
    "E0576": "associated item not found in trait (<T as Trait>::item)",
    "E0599": "no method or associated item with that name on the type "
    "(including: the method exists but the type does not satisfy its trait's bounds, "
    "or its trait is not in scope)",
    "E0609": "no field with that name on the type",
    "E0615": "a field access names a method",
    "E0277": "trait not implemented (a trait method on a type that does not implement it)",
}
# Name-resolution errors rustc reports without a code.
RESOLUTION_MESSAGES = [
    re.compile(r"^cannot find (derive macro|macro|attribute) `"),
    re.compile(r"^expected (derive macro|macro|attribute), found "),
]

# rust-analyzer diagnostics counted as "flagged": its errors with a resolution code
# above, and its own unresolved-* checks. Other errors (type-mismatch, …) are counted
# separately and shown, never as a hit.
RA_NAMED = {
    "unresolved-import",
    "unresolved-macro-call",
    "unresolved-method",
    "unresolved-field",
    "unresolved-ident",
    "unresolved-module",
    "unresolved-extern-crate",
    "unresolved-assoc-item",
    "unresolved-proc-macro",
    "no-such-field",
}


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- the data


class Case:
    def __init__(self, number, label, kind, context, prelude, code, source_line):
        self.number = number
        self.label = label
        self.kind = kind
        self.context = context
        self.prelude = prelude
        self.code = code
        self.source_line = source_line

    @property
    def module(self):
        return f"c{self.number:03}"

    @property
    def path(self):
        return f"src/{self.module}.rs"


def parse_cases(path):
    cases = []
    current = None

    def finish():
        if current is None:
            return
        number, label, kind, context, lines, at = current
        if not lines:
            sys.exit(f"{path}:{at}: case without a line")
        cases.append(Case(number, label, kind, context, lines[:-1], lines[-1], at))

    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("//#"):
                finish()
                words = line[3:].split()
                if len(words) not in (2, 3) or words[0] not in ("valid", "invented"):
                    sys.exit(f"{path}:{i}: bad header {line!r}")
                context = words[2] if len(words) == 3 else "fn"
                if context not in ("fn", "async", "item"):
                    sys.exit(f"{path}:{i}: bad context {context!r}")
                current = (len(cases) + 1, words[0], words[1], context, [], i)
            elif not line.strip() or line.startswith("//"):
                continue
            elif current is None:
                sys.exit(f"{path}:{i}: a line outside a case")
            else:
                current[4].append(line)
    finish()
    return cases


def module_text(case):
    """The case's module and the 1-based line of the judged use in it."""
    lines = [f"// case {case.number} ({case.label} {case.kind}), cases.txt line {case.source_line}"]
    lines += case.prelude
    if case.context == "item":
        lines.append(case.code)
        at = len(lines)
    else:
        lines.append("pub async fn case() {" if case.context == "async" else "pub fn case() {")
        lines.append("    " + case.code)
        at = len(lines)
        lines.append("}")
    return "\n".join(lines) + "\n", at


def write_lib(cases):
    mods = "".join(f"pub mod {c.module};\n" for c in cases)
    with open(os.path.join(WS, "src", "lib.rs"), "w") as f:
        f.write("//! Generated by scripts/bench_rust_accuracy.py from bench/rust_accuracy/cases.txt.\n")
        f.write("#![allow(warnings)]\n" + mods)


def generate(cases):
    if os.path.isdir(WS):
        shutil.rmtree(os.path.join(WS, "src"), ignore_errors=True)
    os.makedirs(os.path.join(WS, "src"), exist_ok=True)
    shutil.copy(os.path.join(DATA, "Cargo.toml.in"), os.path.join(WS, "Cargo.toml"))
    shutil.copy(os.path.join(DATA, "Cargo.lock"), os.path.join(WS, "Cargo.lock"))
    lines = {}
    for c in cases:
        text, at = module_text(c)
        with open(os.path.join(WS, c.path), "w") as f:
            f.write(text)
        lines[c.path] = at
    write_lib(cases)
    return lines


# ---------------------------------------------------------------- labelling


def cargo_errors():
    """{file: [(line, code, message)]} of `cargo check`'s errors."""
    env = dict(os.environ, CARGO_TARGET_DIR=TARGET)
    p = subprocess.run(
        ["cargo", "check", "--locked", "--message-format=json"],
        cwd=WS, env=env, capture_output=True, text=True,
    )
    errors = defaultdict(list)
    for raw in p.stdout.splitlines():
        try:
            msg = json.loads(raw)
        except ValueError:
            continue
        if msg.get("reason") != "compiler-message":
            continue
        m = msg["message"]
        if m["level"] != "error":
            continue
        code = (m.get("code") or {}).get("code") or ""
        spans = [s for s in m["spans"] if s["is_primary"]] or m["spans"]
        if not spans:
            if m["message"].startswith("aborting due to") or m["message"].startswith("could not compile"):
                continue
            errors[""].append((0, code, m["message"]))
            continue
        s = spans[0]
        # An error inside a macro expansion is placed at the use in the case's file.
        while s.get("expansion") and not s["file_name"].startswith("src/"):
            s = s["expansion"]["span"]
        errors[s["file_name"]].append((s["line_start"], code, m["message"]))
    if p.returncode != 0 and not errors:
        sys.exit(f"cargo check failed without compiler errors:\n{p.stderr[-3000:]}")
    return errors


def is_resolution(code, message):
    if code:
        return code in RESOLUTION_CODES
    return any(r.search(message) for r in RESOLUTION_MESSAGES)


def label(cases, lines):
    """Checks every case's label against cargo; returns the cargo errors per case."""
    log("cargo check (labels)")
    errors = cargo_errors()
    problems = []
    seen = {}
    for c in cases:
        errs = errors.get(c.path, [])
        at = lines[c.path]
        on_line = [e for e in errs if e[0] == at]
        elsewhere = [e for e in errs if e[0] != at]
        if elsewhere:
            problems.append((c, "errors off the case's line", elsewhere))
        if c.label == "valid" and errs:
            problems.append((c, "labelled valid, cargo rejects it", errs))
        if c.label == "invented":
            if not on_line:
                problems.append((c, "labelled invented, cargo accepts it", []))
            elif not all(is_resolution(code, m) for _, code, m in on_line):
                problems.append((c, "labelled invented, but not (only) a name error", on_line))
        seen[c.path] = errs
    for f, errs in errors.items():
        if f not in seen:
            problems.append((None, f"errors in {f or 'the crate'}", errs))
    if not problems:
        # Valid cases alone: errors reported only once everything else type-checks.
        log("cargo check (the valid cases alone)")
        valid = [c for c in cases if c.label == "valid"]
        write_lib(valid)
        try:
            again = cargo_errors()
        finally:
            write_lib(cases)
        for c in valid:
            if again.get(c.path):
                problems.append((c, "valid alone, cargo rejects it", again[c.path]))
        for f, errs in again.items():
            if f not in seen:
                problems.append((None, f"errors in {f or 'the crate'}", errs))
    if problems:
        print(f"{len(problems)} case(s) disagree with cargo check (cargo wins: fix cases.txt):")
        for c, why, errs in problems:
            where = f"cases.txt:{c.source_line} {c.label} {c.kind}: {c.code.strip()}" if c else ""
            print(f"- {where}\n    {why}")
            for line, code, m in errs:
                print(f"    line {line}: {code or '-'} {m}")
        sys.exit(1)
    return errors


# ---------------------------------------------------------------- measuring


def tree_rss(root_pid):
    """Resident memory of a process and all its descendants, in bytes."""
    children = defaultdict(list)
    rss = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        pid = int(name)
        children[int(fields[1])].append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


class Run:
    """One measured run: wall seconds, CPU seconds (the process and every descendant it
    waited for) and peak resident memory in bytes (the process tree, sampled)."""

    def __init__(self, wall, cpu, peak):
        self.wall, self.cpu, self.peak = wall, cpu, peak


def median_run(runs):
    runs = sorted(runs, key=lambda r: r.wall)
    mid = runs[len(runs) // 2]
    return Run(mid.wall, statistics.median(r.cpu for r in runs), max(r.peak for r in runs))


def measure(cmd, env=None, cwd=None):
    """Runs cmd; returns (stdout, stderr, Run)."""
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=cwd)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss(p.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, _, usage = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    p.returncode = 0
    done.set()
    sampler.join()
    # The largest single process as the kernel saw it, should sampling have missed it.
    peak = max(peak[0], usage.ru_maxrss * 1024)
    out.seek(0)
    err.seek(0)
    run = Run(wall, usage.ru_utime + usage.ru_stime, peak)
    return out.read().decode(errors="replace"), err.read().decode(errors="replace"), run


def ra_env():
    return dict(os.environ, RUSTUP_HOME=RA_RUSTUP_HOME, RUSTUP_TOOLCHAIN=RA_TOOLCHAIN)


def install_ra_toolchain():
    """rustup into the bench's own rustup home: rustc, cargo, rust-src, rust-docs and
    rust-analyzer of RA_TOOLCHAIN (a no-op once there)."""
    env = ra_env()
    have = subprocess.run(
        ["rustup", "component", "list", "--installed", "--toolchain", RA_TOOLCHAIN],
        env=env, capture_output=True, text=True,
    )
    wanted = ["rust-src", "rust-analyzer", "rust-docs"]
    if have.returncode == 0 and all(w in have.stdout for w in wanted):
        return
    log(f"installing toolchain {RA_TOOLCHAIN} with {', '.join(wanted)} into {RA_RUSTUP_HOME}")
    cmd = ["rustup", "toolchain", "install", RA_TOOLCHAIN, "--profile", "minimal", "--no-self-update"]
    for w in wanted:
        cmd += ["-c", w]
    subprocess.run(cmd, env=env, check=True)


def grounded_findings(binary, env, runs):
    """Runs grounded `runs` times cold (an empty cache), each followed by a warm run;
    returns (findings {file: [(line, text)]} of the last cold run, cold Run, warm Run)."""
    cmd = [binary, "check", "--format", "json", "--exit-zero", "src"]
    colds, warms = [], []
    for i in range(runs):
        cache = tempfile.mkdtemp(prefix="grounded-acc-cache-")
        try:
            run_env = dict(env, GROUNDED_CACHE_DIR=cache)
            out, err, cold = measure(cmd, env=run_env, cwd=WS)
            _, _, warm = measure(cmd, env=run_env, cwd=WS)
        finally:
            shutil.rmtree(cache, ignore_errors=True)
        colds.append(cold)
        warms.append(warm)
    try:
        report = json.loads(out)
    except ValueError:
        sys.exit(f"grounded gave no JSON:\n{err[-3000:]}")
    found = defaultdict(list)
    for d in report["diagnostics"]:
        path = d["path"]
        path = path[path.index("src/"):] if "src/" in path else path
        found[path].append((d["line"], f"{d['code']}: {d['message']}"))
    return found, median_run(colds), median_run(warms)


# One diagnostic of `rust-analyzer diagnostics` (1.95), amid its progress output:
#   at crate rust_accuracy, file /…/src/c002.rs: Error RustcHardError("E0599") from
#   LineCol { line: 2, col: 12 } to LineCol { line: 2, col: 54 }: no such associated item
# (lines and columns 0-based; rust-analyzer's own checks carry their name as the code).
RA_DIAGNOSTIC = re.compile(
    r"at crate [^,]*, file (?P<file>\S+?): (?P<sev>\w+) (?P<kind>\w+)\(\"(?P<code>[^\"]*)\"[^)]*\) "
    r"from LineCol \{ line: (?P<line>\d+), col: \d+ \} to LineCol \{[^}]*\}: (?P<msg>[^\r\n]*)"
)


def ra_findings():
    """rust-analyzer diagnostics on the crate: ({file: [(line, text)]} counted as flagged,
    {file: [(line, text)]} its other errors, Run)."""
    cmd = ["rust-analyzer", "diagnostics", WS]
    out, err, run = measure(cmd, env=dict(ra_env(), CARGO_TARGET_DIR=TARGET), cwd=WS)
    found = defaultdict(list)
    other = defaultdict(list)
    for m in RA_DIAGNOSTIC.finditer(out + "\n" + err):
        if m.group("sev") != "Error":
            continue
        f = m.group("file")
        path = f[f.index("src/"):] if "src/" in f else f
        entry = (int(m.group("line")) + 1, f"{m.group('code')}: {m.group('msg')}")
        if m.group("code") in RESOLUTION_CODES or m.group("code") in RA_NAMED:
            found[path].append(entry)
        else:
            other[path].append(entry)
    if not found and not other:
        sys.exit("rust-analyzer reported nothing; its output ends with:\n" + (out + err)[-2000:])
    return found, other, run


# ---------------------------------------------------------------- scoring and output


def score(cases, lines, found):
    """{case number: 'hit'|'miss'|'fp'|'ok'} and the lines of each case's findings."""
    result = {}
    for c in cases:
        fs = found.get(c.path, [])
        on_line = [f for f in fs if f[0] == lines[c.path]]
        if c.label == "invented":
            result[c.number] = ("hit" if on_line else "miss", fs)
        else:
            result[c.number] = ("fp" if fs else "ok", fs)
    return result


def summary_row(name, cases, result, cold, warm=None):
    invented = [c for c in cases if c.label == "invented"]
    valid = [c for c in cases if c.label == "valid"]
    hits = sum(result[c.number][0] == "hit" for c in invented)
    fps = sum(result[c.number][0] == "fp" for c in valid)
    row = f"| {name} | {hits}/{len(invented)} = {100 * hits / len(invented):.1f}% | {fps}/{len(valid)} | "
    row += f"{cold.wall:.2f} s | {cold.cpu:.2f} s | {cold.peak / 1e6:.0f} MB |"
    if warm:
        row += f" {warm.wall:.2f} s, {warm.peak / 1e6:.0f} MB |"
    else:
        row += " |"
    return row


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-ra", action="store_true", help="leave rust-analyzer (and the rust-src run) out")
    ap.add_argument("--label-only", action="store_true", help="only generate and label with cargo check")
    ap.add_argument("--runs", type=int, default=3, help="grounded runs, cold and warm (medians reported)")
    ap.add_argument("--ra-runs", type=int, default=1, help="rust-analyzer runs (median reported)")
    ap.add_argument("--grounded", metavar="PATH", help="measure this grounded binary (no build)")
    ap.add_argument("--json", metavar="FILE", help="also write every case's outcome per tool, and the figures, as JSON")
    args = ap.parse_args()

    cases = parse_cases(os.path.join(DATA, "cases.txt"))
    n_valid = sum(c.label == "valid" for c in cases)
    log(f"{len(cases)} cases ({n_valid} valid, {len(cases) - n_valid} invented) → {WS}")
    lines = generate(cases)
    label(cases, lines)
    log("every label agrees with cargo check")
    if args.label_only:
        return

    if args.grounded:
        binary = os.path.abspath(args.grounded)
    else:
        if not os.environ.get("BENCH_NO_BUILD"):
            log("building grounded (release)")
            subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        binary = os.path.join(ROOT, "target", "release", "grounded")
    # The binary is built from server/: its last commit names the version measured.
    commit = subprocess.run(
        ["git", "log", "-1", "--format=%h %cs", "--", "server"], cwd=ROOT, capture_output=True, text=True,
    ).stdout.strip()
    if args.grounded:
        commit = f"? ({binary})"

    tools = []
    load = os.getloadavg()[0]  # the machine's load when measuring starts: walls scale with it
    log("grounded check (the machine's toolchain)")
    g_found, g_cold, g_warm = grounded_findings(binary, dict(os.environ), args.runs)
    tools.append(("grounded", score(cases, lines, g_found), g_cold, g_warm))
    if not args.skip_ra:
        install_ra_toolchain()
        log(f"grounded check (toolchain {RA_TOOLCHAIN} with rust-src)")
        s_found, s_cold, s_warm = grounded_findings(binary, ra_env(), args.runs)
        tools.append(("grounded, rust-src installed", score(cases, lines, s_found), s_cold, s_warm))
        log("rust-analyzer diagnostics")
        ra_version = subprocess.run(["rust-analyzer", "--version"], env=ra_env(), capture_output=True, text=True).stdout.strip()
        ra_runs = [ra_findings() for _ in range(max(1, args.ra_runs))]
        r_found, r_other, _ = ra_runs[-1]
        r_time = median_run([r for _, _, r in ra_runs])
        tools.append(("rust-analyzer", score(cases, lines, r_found), r_time, None))

    print(f"\nRust accuracy: {len(cases)} cases ({n_valid} valid, {len(cases) - n_valid} invented), "
          f"labelled by cargo check; grounded built from server/ at {commit}; "
          f"load average {load:.1f} on {os.cpu_count()} CPUs")
    print("\n| tool | recall | false positives | wall (cold) | CPU | peak memory | warm: wall, memory |")
    print("|---|---|---|---|---|---|---|")
    for name, result, cold, warm in tools:
        print(summary_row(name, cases, result, cold, warm))
    if not args.skip_ra:
        print(f"\n{ra_version}; grounded's cold wall is {g_cold.wall / r_time.wall:.3f}x "
              f"rust-analyzer's (CPU {g_cold.cpu / r_time.cpu:.3f}x)")

    if args.json:
        with open(args.json, "w") as f:
            json.dump({
                "server_commit": commit,
                "load_average": load,
                "tools": [
                    {
                        "name": name,
                        "cold": vars(cold),
                        "warm": vars(warm) if warm else None,
                        "cases": [
                            {"line": c.source_line, "kind": c.kind, "label": c.label, "code": c.code.strip(),
                             "outcome": result[c.number][0],
                             "findings": [{"line": l, "text": t} for l, t in result[c.number][1]]}
                            for c in cases
                        ],
                    }
                    for name, result, cold, warm in tools
                ],
            }, f, indent=1)

    kinds = []
    for c in cases:
        if c.kind not in kinds:
            kinds.append(c.kind)
    print("\nper kind: recall (invented flagged) / false positives (valid flagged)")
    header = "| kind | cases | " + " | ".join(name for name, *_ in tools) + " |"
    print(header)
    print("|---" * (2 + len(tools)) + "|")
    for k in kinds:
        inv = [c for c in cases if c.kind == k and c.label == "invented"]
        val = [c for c in cases if c.kind == k and c.label == "valid"]
        cells = []
        for _, result, *_ in tools:
            hits = sum(result[c.number][0] == "hit" for c in inv)
            fps = sum(result[c.number][0] == "fp" for c in val)
            cells.append(f"{hits}/{len(inv)}, fp {fps}")
        print(f"| {k} | {len(inv)} + {len(val)} | " + " | ".join(cells) + " |")

    by_number = {c.number: c for c in cases}
    for name, result, *_ in tools[:2] if len(tools) > 1 else tools:
        misses = [(by_number[n], fs) for n, (r, fs) in sorted(result.items()) if r == "miss"]
        fps = [(by_number[n], fs) for n, (r, fs) in sorted(result.items()) if r == "fp"]
        print(f"\n{name}: {len(misses)} misses")
        for c, fs in misses:
            print(f"  cases.txt:{c.source_line} [{c.kind}] {c.code.strip()}")
            for line, text in fs:  # a finding elsewhere in the case's module
                print(f"      line {line} (not the case's line): {text}")
        print(f"{name}: {len(fps)} false positives")
        for c, fs in fps:
            print(f"  cases.txt:{c.source_line} [{c.kind}] {c.code.strip()}")
            for line, text in fs:
                print(f"      line {line}: {text}")
    if not args.skip_ra:
        ra_result = tools[-1][1]
        missed_by_ra = [by_number[n] for n, (r, _) in sorted(ra_result.items()) if r in ("miss", "fp")]
        print(f"\nrust-analyzer: {len(missed_by_ra)} misses and false positives")
        for c in missed_by_ra:
            print(f"  {ra_result[c.number][0]}: cases.txt:{c.source_line} [{c.kind}] {c.code.strip()}")
        noisy = [c for c in cases if c.label == "valid" and r_other.get(c.path)]
        print(f"rust-analyzer: {len(noisy)} valid cases with other errors (not counted as flagged)")
        for c in noisy:
            print(f"  cases.txt:{c.source_line} [{c.kind}] {c.code.strip()}: {r_other[c.path]}")


if __name__ == "__main__":
    main()
