#!/usr/bin/env python3
"""Python accuracy bench (issue 17, "Benchmark"): how many invented API uses
Grounded flags (recall) and how many real ones it flags (false positives),
next to pyright and mypy on the same files.

The cases are `bench/python_accuracy/cases.txt`: single-line uses of real
packages (numpy, click, pydantic, attrs, jinja2, requests, flask, rich,
matplotlib, PyYAML, six, werkzeug and the stdlib), each with the setup it
needs. Each case is written as its own file; its label is not the data
file's but the oracle's: `scripts/python_accuracy_oracle.py`, run by the
bench venv's interpreter in a child process per case, runs the setup and
reads the use line's names with import and getattr. Cases the oracle cannot
settle are listed and left out; labels that disagree with the data file's
intent are listed (the oracle wins).

Usage: python3 scripts/bench_python_accuracy.py [--no-build] [--skip-pyright]
           [--skip-mypy] [--jobs N] [--keep] [--validate]
  --no-build      use the existing target/release/grounded
  --skip-pyright  leave pyright out (its install needs npm)
  --skip-mypy     leave mypy out
  --jobs N        oracle processes at once (default: the number of CPUs)
  --keep          keep the generated workspace (its path is printed)
  --validate      only parse and check the data file (no venv, no network)

Installs, all under .tools/ (git-ignored), pinned: the bench venv
(scripts/requirements/python-accuracy.txt), mypy in a venv of its own
(scripts/requirements/python-accuracy-mypy.txt) and pyright from npm.

What counts as "flagged": a diagnostic on the use line whose meaning is
"this name does not exist" (see FLAGGING below and the README).
"""

import argparse
import ast
import collections
import concurrent.futures
import dataclasses
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import python_accuracy_oracle as oracle  # stdlib only: its reading rules, for --validate

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "python_accuracy" / "cases.txt"
ORACLE = ROOT / "scripts" / "python_accuracy_oracle.py"
REQS = ROOT / "scripts" / "requirements" / "python-accuracy.txt"
MYPY_REQS = ROOT / "scripts" / "requirements" / "python-accuracy-mypy.txt"
TOOLS = ROOT / ".tools"
VENV = TOOLS / "python-accuracy-venv"
MYPY_VENV = TOOLS / "python-accuracy-mypy"
NODE = TOOLS / "python-accuracy-node"
PYRIGHT_VERSION = "1.1.414"
GROUNDED = ROOT / "target" / "release" / "grounded"
ORACLE_CACHE = TOOLS / "python-accuracy-oracle.json"

MIN_CASES = 300

# The kinds of use; every kind has invented and valid cases. The valid
# cases of a kind are the real names next to its inventions.
KINDS = {
    "module-attr": "a function, class or constant looked up on a module (`np.tensor`, `yaml.loads`)",
    "from-import": "`from pkg import Name`",
    "submodule": "a submodule imported or named (`import numpy.mode`, `from numpy import linalg`)",
    "removed": "an API the library or Python once had and removed (`np.asscalar`, `collections.Mapping`)",
    "near-miss": "a misspelt or wrongly cased real name (`os.path.exist`, `np.concatinate`)",
    "other-library": "a name from another library or language (`json.parse`, `arr.to_numpy()`)",
    "instance-member": "a method or attribute on an instance of a known class (`arr.to_list()`)",
    "class-attr": "an attribute looked up on a class (`datetime.datetime.from_string`)",
    "functional-class": "members of classes made by a call: Enum(...), namedtuple(...), NamedTuple(...), make_dataclass(...)",
}
LABELS = ("valid", "invented")

# Diagnostics that mean "this name does not exist", by tool. Anything else
# on the use line (argument types, Optional access, private re-exports,
# missing stubs) is not a verdict on the name and is not counted; those are
# tallied and printed as "not counted".
GROUNDED_CODES = {"unresolved-module", "unresolved-symbol", "unknown-member", "undefined-name", "removed-api"}
PYRIGHT_RULES = {
    "reportAttributeAccessIssue",  # unknown attribute of a module, class or instance; unknown import symbol
    "reportMissingImports",  # the module (or submodule) does not resolve
    "reportUndefinedVariable",  # a bare name nothing defines
    "reportFunctionMemberAccess",  # an unknown attribute of a function
}
MYPY_CODES = {
    "attr-defined",  # "Module has no attribute", "X has no attribute" (less "does not explicitly export")
    "name-defined",  # a bare name nothing defines
    "import-not-found",  # the module does not resolve
    "import",  # the same, in mypy versions before import-not-found
}
MYPY_NOT_EXISTENCE = re.compile(r"does not explicitly export attribute")


@dataclasses.dataclass
class Case:
    index: int
    group: str
    kind: str
    intent: str  # the data file's label; the oracle's is the one used
    prelude: list
    use: str
    data_line: int

    @property
    def file_name(self):
        slug = re.sub(r"[^a-z0-9]+", "_", self.group.lower()).strip("_")[:40]
        return f"case_{self.index:03d}_{slug}.py"

    @property
    def use_line(self):
        return len(self.prelude) + 1

    def source(self):
        return "".join(line + "\n" for line in self.prelude + [self.use])


def parse_cases(text):
    """The data file's cases; raises ValueError on a malformed file.

    A group is a header `[name] kind`, setup lines, then use lines, each
    `valid    <line>` or `invented <line>`. Every use line is one case: the
    group's setup followed by that line. `#` lines outside setups are
    comments."""
    cases = []
    group = kind = None
    prelude = []
    seen_use = False
    header = re.compile(r"^\[(?P<name>[^\]]+)\]\s+(?P<kind>\S+)\s*$")
    use = re.compile(r"^(?P<label>valid|invented)\s+(?P<line>\S.*)$")
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line or line.startswith("#"):
            continue
        m = header.match(line)
        if m:
            group, kind = m["name"].strip(), m["kind"]
            if kind not in KINDS:
                raise ValueError(f"line {n}: unknown kind {kind!r} (one of {', '.join(KINDS)})")
            prelude, seen_use = [], False
            continue
        if group is None:
            raise ValueError(f"line {n}: text before the first [group] header")
        m = use.match(line)
        if m:
            seen_use = True
            cases.append(Case(len(cases) + 1, group, kind, m["label"], list(prelude), m["line"], n))
            continue
        if seen_use:
            raise ValueError(f"line {n}: a setup line after the group's use lines")
        prelude.append(line)
    return cases


def validate(cases):
    """Problems that make the data file unusable, as lines."""
    problems = []
    if len(cases) < MIN_CASES:
        problems.append(f"only {len(cases)} cases (at least {MIN_CASES})")
    for c in cases:
        try:
            tree = ast.parse(c.source())
        except SyntaxError as e:
            problems.append(f"line {c.data_line}: the case does not parse: {e.msg}")
            continue
        last = tree.body[-1] if tree.body else None
        if last is None or last.lineno != c.use_line or last.end_lineno != c.use_line:
            problems.append(f"line {c.data_line}: the use line is not a statement of its own")
            continue
        try:
            oracle.plan(c.use)
        except oracle.Unreadable as e:
            problems.append(f"line {c.data_line}: the oracle cannot read it: {e}")
    seen = {}
    for c in cases:
        key = (tuple(c.prelude), c.use)
        if key in seen:
            problems.append(f"line {c.data_line}: the same case as line {seen[key]}")
        seen[key] = c.data_line
    by_kind = collections.Counter((c.kind, c.intent) for c in cases)
    for kind in KINDS:
        for label in LABELS:
            if by_kind[(kind, label)] == 0:
                problems.append(f"kind {kind} has no {label} case")
    return problems


def log(msg):
    print(f"bench-python-accuracy: {msg}", file=sys.stderr, flush=True)


def ensure_venv(venv, reqs):
    """A venv with exactly the pinned requirements (rebuilt when they change)."""
    marker = venv / ".grounded-pins"
    want = f"{sys.version.split()[0]} {hashlib.sha256(reqs.read_bytes()).hexdigest()}"
    python = venv / "bin" / "python"
    if python.exists() and marker.exists() and marker.read_text() == want:
        return python
    log(f"creating {venv.relative_to(ROOT)} ({reqs.relative_to(ROOT)})")
    shutil.rmtree(venv, ignore_errors=True)
    TOOLS.mkdir(exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    # --no-deps: a dependency missing from the file is an error, not a silent latest.
    subprocess.run(pip + ["--no-deps", "-r", str(reqs)], check=True)
    subprocess.run([str(python), "-m", "pip", "check", "-q"], check=True, stdout=subprocess.DEVNULL)
    marker.write_text(want)
    return python


def ensure_pyright():
    pyright = NODE / "node_modules" / ".bin" / "pyright"
    version = NODE / ".version"
    if pyright.exists() and version.exists() and version.read_text().strip() == PYRIGHT_VERSION:
        return pyright
    log(f"installing pyright {PYRIGHT_VERSION} into {NODE.relative_to(ROOT)}")
    NODE.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(NODE), f"pyright@{PYRIGHT_VERSION}"],
        check=True,
        stdout=sys.stderr,
    )
    version.write_text(PYRIGHT_VERSION + "\n")
    return pyright


def write_workspace(cases, ws):
    for c in cases:
        (ws / c.file_name).write_text(c.source(), encoding="utf-8")
    # The root marker, so the workspace is its own root for every tool.
    (ws / "pyproject.toml").write_text('[project]\nname = "accuracy-cases"\nversion = "0"\n')


def oracle_key(case):
    """What a verdict depends on: the case, the pinned packages, the
    interpreter and the oracle itself."""
    h = hashlib.sha256()
    for part in (sys.version, REQS.read_bytes(), ORACLE.read_bytes(), case.source().encode()):
        h.update(part if isinstance(part, bytes) else part.encode())
        h.update(b"\0")
    return h.hexdigest()


def run_oracle(python, ws, cases, jobs):
    """Each case's verdict from the oracle, one child process per case
    (verdicts are kept in ORACLE_CACHE, keyed by everything they depend on)."""
    try:
        cache = json.loads(ORACLE_CACHE.read_text())
    except (OSError, ValueError):
        cache = {}
    todo = [c for c in cases if oracle_key(c) not in cache]
    if todo:
        log(f"oracle: {len(todo)} cases to label ({len(cases) - len(todo)} known), {jobs} at a time")
        for c, verdict in zip(todo, run_oracle_processes(python, ws, todo, jobs)):
            cache[oracle_key(c)] = verdict
        keep = {oracle_key(c) for c in cases}  # verdicts of older cases or pins go
        ORACLE_CACHE.write_text(json.dumps({k: v for k, v in cache.items() if k in keep}, indent=0, sort_keys=True))
    return [cache[oracle_key(c)] for c in cases], len(todo)


def run_oracle_processes(python, ws, cases, jobs):
    env = dict(os.environ)
    env["MPLBACKEND"] = "Agg"
    env["MPLCONFIGDIR"] = str(TOOLS / "python-accuracy-mplconfig")

    def one(c):
        mode, items = oracle.plan(c.use)
        try:
            p = subprocess.run(
                [str(python), "-I", "-B", str(ORACLE), str(ws / c.file_name), mode] + items,
                cwd=ws,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
        except subprocess.TimeoutExpired:
            return {"verdict": "undecided", "detail": "the oracle timed out"}
        said = dict(line.split(" ", 1) for line in p.stdout.splitlines() if line.startswith(("VERDICT ", "DETAIL ")))
        if p.returncode != 0 or "VERDICT" not in said:
            tail = (p.stderr.strip().splitlines() or ["no output"])[-1]
            return {"verdict": "undecided", "detail": f"the oracle failed: {tail}"}
        return {"verdict": said["VERDICT"], "detail": said.get("DETAIL", "")}

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, cases))


def timed(cmd, **kw):
    start = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    return p, time.monotonic() - start


def run_grounded(python, ws):
    """{file: {line: [codes]}} and the wall time of a cold check."""
    with tempfile.TemporaryDirectory(prefix="grounded-cache-") as cache:
        env = dict(os.environ, GROUNDED_CACHE_DIR=cache)
        env.pop("VIRTUAL_ENV", None)
        p, wall = timed(
            [str(GROUNDED), "check", ".", "--format", "json", "--python", str(python)], cwd=ws, env=env
        )
    if p.returncode not in (0, 1):
        raise RuntimeError(f"grounded check failed (exit {p.returncode}): {p.stderr.strip()}")
    found = collections.defaultdict(lambda: collections.defaultdict(list))
    for d in json.loads(p.stdout)["diagnostics"]:
        found[Path(d["path"]).name][d["line"]].append(d["code"])
    return found, wall


def run_pyright(pyright, python, ws):
    (ws / "pyrightconfig.json").write_text(json.dumps({"include": ["."]}) + "\n")
    p, wall = timed([str(pyright), "--outputjson", "--pythonpath", str(python), "-p", "pyrightconfig.json"], cwd=ws)
    try:
        report = json.loads(p.stdout)
    except json.JSONDecodeError:
        raise RuntimeError(f"pyright failed (exit {p.returncode}): {p.stderr.strip() or p.stdout[:500]}") from None
    found = collections.defaultdict(lambda: collections.defaultdict(list))
    for d in report.get("generalDiagnostics", []):
        if d.get("severity") not in ("error", "warning"):
            continue
        line = d["range"]["start"]["line"] + 1
        found[Path(d["file"]).name][line].append(d.get("rule") or "(no rule)")
    return found, wall


def run_mypy(mypy_python, python, ws, cases):
    with tempfile.TemporaryDirectory(prefix="mypy-cache-") as cache:
        cmd = [
            str(mypy_python),
            "-m",
            "mypy",
            "--python-executable",
            str(python),
            "--cache-dir",
            cache,
            "--show-error-codes",
            "--no-error-summary",
            "--no-pretty",
            "--no-color-output",
        ] + [c.file_name for c in cases]
        p, wall = timed(cmd, cwd=ws)
    if p.returncode not in (0, 1):
        raise RuntimeError(f"mypy failed (exit {p.returncode}): {(p.stderr or p.stdout).strip()[:500]}")
    found = collections.defaultdict(lambda: collections.defaultdict(list))
    line_re = re.compile(r"^(?P<file>[^:]+\.py):(?P<line>\d+): error: (?P<msg>.*?)(?:  \[(?P<code>[a-z-]+)\])?$")
    for raw in p.stdout.splitlines():
        m = line_re.match(raw)
        if not m:
            continue
        code = m["code"] or "(no code)"
        if code == "attr-defined" and MYPY_NOT_EXISTENCE.search(m["msg"]):
            code = "attr-defined (not exported)"
        found[Path(m["file"]).name][int(m["line"])].append(code)
    return found, wall


def pct(n, d):
    return f"{100.0 * n / d:.1f}%" if d else "-"


def score(cases, labels, found, counted):
    """Per case: flagged or not; plus the uncounted codes on use lines."""
    flagged = {}
    uncounted = collections.Counter()
    for c in cases:
        if c.index not in labels:
            continue
        codes = found.get(c.file_name, {}).get(c.use_line, [])
        flagged[c.index] = any(code in counted for code in codes)
        for code in codes:
            if code not in counted:
                uncounted[code] += 1
    return flagged, uncounted


def figures(cases, labels, flagged):
    inv = [c for c in cases if labels.get(c.index) == "invented"]
    val = [c for c in cases if labels.get(c.index) == "valid"]
    hit = sum(flagged[c.index] for c in inv)
    fp = sum(flagged[c.index] for c in val)
    return hit, len(inv), fp, len(val)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--skip-pyright", action="store_true")
    ap.add_argument("--skip-mypy", action="store_true")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--validate", action="store_true")
    ap.add_argument("--data", type=Path, default=DATA, help=argparse.SUPPRESS)  # the tests' own files
    args = ap.parse_args()

    try:
        cases = parse_cases(args.data.read_text(encoding="utf-8"))
    except ValueError as e:
        print(f"{args.data}: {e}", file=sys.stderr)
        return 2
    problems = validate(cases)
    intents = collections.Counter(c.intent for c in cases)
    summary = (
        f"{len(cases)} cases ({intents['valid']} valid, {intents['invented']} invented) "
        f"in {len(KINDS)} kinds, {len({c.group for c in cases})} groups"
    )
    if problems:
        print(f"{args.data}: {summary}; problems:", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        return 2
    if args.validate:
        print(f"cases: {summary}")
        return 0

    python = ensure_venv(VENV, REQS)
    mypy_python = None if args.skip_mypy else ensure_venv(MYPY_VENV, MYPY_REQS)
    pyright = None if args.skip_pyright else ensure_pyright()
    if not args.no_build:
        log("cargo build --release")
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    if not GROUNDED.exists():
        print(f"{GROUNDED} not found (cargo build --release)", file=sys.stderr)
        return 2

    ws = Path(tempfile.mkdtemp(prefix="grounded-accuracy-"))
    try:
        write_workspace(cases, ws)
        start = time.monotonic()
        verdicts, fresh = run_oracle(python, ws, cases, args.jobs)
        oracle_wall = time.monotonic() - start
        labels = {}
        undecided = []
        for c, v in zip(cases, verdicts):
            if v["verdict"] == "exists":
                labels[c.index] = "valid"
            elif v["verdict"] == "missing":
                labels[c.index] = "invented"
            else:
                undecided.append((c, v["detail"]))
        disagree = [(c, verdicts[c.index - 1]["detail"]) for c in cases if c.index in labels and labels[c.index] != c.intent]

        tools = {}
        log("grounded (cold: empty cache)")
        tools["grounded"] = run_grounded(python, ws) + (GROUNDED_CODES,)
        if pyright:
            log(f"pyright {PYRIGHT_VERSION}")
            tools[f"pyright {PYRIGHT_VERSION}"] = run_pyright(pyright, python, ws) + (PYRIGHT_RULES,)
        if mypy_python:
            log("mypy")
            version = subprocess.run(
                [str(mypy_python), "-m", "mypy", "--version"], capture_output=True, text=True
            ).stdout.split()
            name = f"mypy {version[1]}" if len(version) > 1 else "mypy"
            tools[name] = run_mypy(mypy_python, python, ws, cases) + (MYPY_CODES,)

        report(cases, labels, undecided, disagree, tools, oracle_wall, fresh)
    finally:
        if args.keep:
            print(f"workspace kept: {ws}")
        else:
            shutil.rmtree(ws, ignore_errors=True)
    return 0


def report(cases, labels, undecided, disagree, tools, oracle_wall, fresh):
    decided = [c for c in cases if c.index in labels]
    n_inv = sum(1 for c in decided if labels[c.index] == "invented")
    print(
        f"Python accuracy: {len(cases)} cases in {DATA.relative_to(ROOT)}; the oracle labelled "
        f"{len(decided)} ({n_inv} invented, {len(decided) - n_inv} valid; {fresh} run now in "
        f"{oracle_wall:.1f} s, the rest from its cache), "
        f"left out {len(undecided)} it could not decide; {len(disagree)} labels differ from the data file's intent"
    )
    for c, detail in undecided:
        print(f"  undecided  line {c.data_line}: {c.use}  ({detail})")
    for c, detail in disagree:
        print(f"  oracle says {labels[c.index]} (data: {c.intent})  line {c.data_line}: {c.use}  ({detail})")
    print()

    scored = {}
    print(f"| tool | recall (flagged invented) | false positives (flagged valid) | wall |")
    print("|---|---|---|---|")
    for name, (found, wall, counted) in tools.items():
        flagged, uncounted = score(cases, labels, found, counted)
        scored[name] = (flagged, uncounted)
        hit, inv, fp, val = figures(cases, labels, flagged)
        print(f"| {name} | {hit}/{inv} = {pct(hit, inv)} | {fp}/{val} = {pct(fp, val)} | {wall:.2f} s |")
    print()

    print("Per kind (recall / false positives):")
    names = list(tools)
    print("| kind | invented | valid | " + " | ".join(names) + " |")
    print("|---|---|---|" + "---|" * len(names))
    for kind in KINDS:
        sub = [c for c in cases if c.kind == kind]
        _, inv, _, val = figures(sub, labels, {c.index: False for c in sub if c.index in labels})
        cells = []
        for name in names:
            hit, _, fp, _ = figures(sub, labels, scored[name][0])
            cells.append(f"{pct(hit, inv)} / {fp}")
        print(f"| {kind} | {inv} | {val} | " + " | ".join(cells) + " |")
    print()

    for name in names:
        uncounted = scored[name][1]
        if uncounted:
            print(f"{name}, on use lines but not counted: " + ", ".join(f"{k} ×{v}" for k, v in uncounted.most_common()))
    print()

    flagged = scored["grounded"][0]
    misses = [c for c in decided if labels[c.index] == "invented" and not flagged[c.index]]
    fps = [c for c in decided if labels[c.index] == "valid" and flagged[c.index]]
    others = [n for n in names if n != "grounded"]

    def by_others(c):
        got = [n.split()[0] for n in others if scored[n][0][c.index]]
        return f"  [flagged by {', '.join(got)}]" if got else ""

    print(f"grounded's misses ({len(misses)}):")
    for c in misses:
        print(f"  {c.kind:16} {c.group}: {c.use}{by_others(c)}")
    print(f"grounded's false positives ({len(fps)}):")
    found = tools["grounded"][0]
    for c in fps:
        codes = ", ".join(found[c.file_name][c.use_line])
        print(f"  {c.kind:16} {c.group}: {c.use}  ({codes}){by_others(c)}")
    for name in others:
        other_fps = [c for c in decided if labels[c.index] == "valid" and scored[name][0][c.index]]
        print(f"{name}'s false positives ({len(other_fps)}):")
        for c in other_fps:
            codes = ", ".join(tools[name][0][c.file_name][c.use_line])
            print(f"  {c.kind:16} {c.group}: {c.use}  ({codes})")
    nobody = [c for c in decided if labels[c.index] == "invented" and not any(scored[n][0][c.index] for n in names)]
    print(f"invented uses no tool flags ({len(nobody)}):")
    for c in nobody:
        print(f"  {c.kind:16} {c.group}: {c.use}")


if __name__ == "__main__":
    sys.exit(main())
