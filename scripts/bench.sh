#!/usr/bin/env bash
# Benchmark of issue 2 ("Speed"): grounded check on a generated 1,000-file, ~200k-line
# Python workspace that uses real packages, cold and warm, against pyright and ruff.
#
# Usage: scripts/bench.sh
# Environment:
#   BENCH_RUNS=3          runs of each grounded / ruff measurement (the median is reported)
#   PYRIGHT_RUNS=1        runs of pyright (slow: about a minute a run on 2 cores)
#   BENCH_SKIP_PYRIGHT=1  leave pyright out
#   BENCH_NO_BUILD=1      use the existing target/release/grounded
# Everything it installs goes under .bench/ (workspace, venv, node) — git-ignored.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RUNS="${BENCH_RUNS:-3}"
PYRIGHT_RUNS="${PYRIGHT_RUNS:-1}"
PINS=(requests==2.34.2 click==8.5.1 flask==3.1.3 rich==15.0.0 pydantic==2.14.4 ruff==0.17.6)
PYRIGHT_VERSION=1.1.414

BENCH="$ROOT/.bench"
WS="$BENCH/workspace"
VENV="$BENCH/venv"
NODE="$BENCH/node"
mkdir -p "$BENCH"
log() { echo "bench: $*" >&2; }

# --- (a) workspace and venv -----------------------------------------------------------
GEN="$ROOT/scripts/gen_bench_workspace.py"
GEN_KEY="$(sha256sum "$GEN" | cut -d' ' -f1)"
if [[ ! -f "$WS/.generated" || "$(cat "$WS/.generated")" != "$GEN_KEY" ]]; then
    log "generating $WS"
    rm -rf "$WS"
    mkdir -p "$WS"
    python3 "$GEN" "$WS" >&2
    echo "$GEN_KEY" > "$WS/.generated"
fi
cat > "$WS/pyrightconfig.json" <<'EOF'
{
  "venvPath": "..",
  "venv": "venv",
  "include": ["benchapp"],
  "typeCheckingMode": "standard"
}
EOF

WANT="$(python3 --version 2>&1) ${PINS[*]}"
if [[ ! -x "$VENV/bin/python" || ! -f "$VENV/.bench-pins" || "$(cat "$VENV/.bench-pins")" != "$WANT" ]]; then
    log "creating $VENV (${PINS[*]})"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "${PINS[@]}"
    echo "$WANT" > "$VENV/.bench-pins"
fi
PY="$VENV/bin/python"

# --- (b) build ------------------------------------------------------------------------
if [[ -z "${BENCH_NO_BUILD:-}" ]]; then
    log "building grounded (release)"
    cargo build --release --quiet
fi
GROUNDED="$ROOT/target/release/grounded"
[[ -x "$GROUNDED" ]] || { echo "bench: $GROUNDED not found" >&2; exit 2; }

# --- tools ----------------------------------------------------------------------------
if [[ ! -x /usr/bin/time ]]; then
    log "installing GNU time"
    apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
PYRIGHT="$NODE/node_modules/.bin/pyright"
if [[ -z "${BENCH_SKIP_PYRIGHT:-}" ]]; then
    if [[ ! -x "$PYRIGHT" || "$(cat "$NODE/.version" 2>/dev/null)" != "$PYRIGHT_VERSION" ]]; then
        log "installing pyright $PYRIGHT_VERSION"
        mkdir -p "$NODE"
        npm install --silent --no-audit --no-fund --prefix "$NODE" "pyright@$PYRIGHT_VERSION" >&2
        echo "$PYRIGHT_VERSION" > "$NODE/.version"
    fi
fi
RUFF="$VENV/bin/ruff"

# --- (c, d) measurements --------------------------------------------------------------
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
RESULTS="$TMP/results.tsv"
: > "$RESULTS"

# measure NAME OUTFILE CMD... : one run; appends "NAME wall_s peak_kb rc" to RESULTS
measure() {
    local name="$1" out="$2"; shift 2
    local start end rc=0
    start="$(date +%s.%N)"
    /usr/bin/time -f "%M" -o "$TMP/time.txt" "$@" > "$out" 2> "$TMP/stderr.txt" || rc=$?
    end="$(date +%s.%N)"
    local kb
    kb="$(tail -n 1 "$TMP/time.txt")"
    printf '%s\t%s\t%s\t%s\n' "$name" "$(python3 -c "print(round($end - $start, 3))")" "$kb" "$rc" >> "$RESULTS"
    if [[ "$rc" -gt 1 ]]; then
        log "$name exited $rc:"; head -n 5 "$TMP/stderr.txt" >&2
    fi
}

cd "$WS"
for i in $(seq 1 "$RUNS"); do
    CACHE="$(mktemp -d "$TMP/cache.XXXX")"
    log "grounded run $i/$RUNS (cold, then warm)"
    GROUNDED_CACHE_DIR="$CACHE" measure grounded-cold "$TMP/grounded-cold.json" \
        "$GROUNDED" check --format json --python "$PY" .
    GROUNDED_CACHE_DIR="$CACHE" measure grounded-warm "$TMP/grounded-warm.json" \
        "$GROUNDED" check --format json --python "$PY" .
done
for i in $(seq 1 "$RUNS"); do
    log "ruff run $i/$RUNS"
    measure ruff "$TMP/ruff.txt" "$RUFF" check --isolated --no-cache --output-format concise benchapp
done
if [[ -z "${BENCH_SKIP_PYRIGHT:-}" ]]; then
    for i in $(seq 1 "$PYRIGHT_RUNS"); do
        log "pyright run $i/$PYRIGHT_RUNS"
        measure pyright "$TMP/pyright.txt" "$PYRIGHT" -p pyrightconfig.json
    done
fi
cd "$ROOT"

# --- (e) report -----------------------------------------------------------------------
python3 - "$RESULTS" "$WS" "$TMP/grounded-warm.json" "$TMP/ruff.txt" "$TMP/pyright.txt" "$BENCH/grounded-findings.txt" <<'EOF'
import json, os, statistics, sys
results, ws, gjson, ruff_out, pyright_out, findings_file = sys.argv[1:7]
rows = {}
for line in open(results):
    name, wall, kb, rc = line.rstrip("\n").split("\t")
    rows.setdefault(name, []).append((float(wall), int(kb) / 1024.0, int(rc)))

files = lines = 0
for d, _, fs in os.walk(os.path.join(ws, "benchapp")):
    for f in fs:
        if f.endswith(".py"):
            files += 1
            with open(os.path.join(d, f), "rb") as fh:
                lines += fh.read().count(b"\n")

def med(name, k):
    return statistics.median(r[k] for r in rows[name]) if name in rows else None

targets = {"grounded-cold": (2.0, 300), "grounded-warm": (0.5, 300)}
print()
print(f"workspace: {files} files, {lines} lines ({ws})")
print(f"{'tool':<16}{'runs':>5}{'wall s':>9}{'peak MB':>9}   target")
for name in ["grounded-cold", "grounded-warm", "ruff", "pyright"]:
    if name not in rows:
        continue
    w, m = med(name, 0), med(name, 1)
    t = ""
    if name in targets:
        tw, tm = targets[name]
        ok = "ok" if (w < tw and m < tm) else "MISSED"
        t = f"wall < {tw} s, peak < {tm} MB: {ok}"
    print(f"{name:<16}{len(rows[name]):>5}{w:>9.2f}{m:>9.1f}   {t}")
print()
for other in ["pyright", "ruff"]:
    if other in rows:
        for g in ["grounded-cold", "grounded-warm"]:
            print(f"{g}/{other}: wall x{med(g, 0) / med(other, 0):.2f}, peak x{med(g, 1) / med(other, 1):.2f}")
if "ruff" in rows:
    n = sum(1 for l in open(ruff_out) if l.startswith(("benchapp", "/")) and ": " in l)
    print(f"ruff: {n} diagnostics")
if "pyright" in rows:
    tail = [l.strip() for l in open(pyright_out) if " errors" in l or " error" in l]
    print(f"pyright: {tail[-1] if tail else 'no summary line'}")

data = json.load(open(gjson))
diags = data.get("diagnostics", [])
print(f"grounded findings: {len(diags)} (the generated code is valid: each one is a false positive)")
with open(findings_file, "w") as out:
    for d in diags:
        out.write(f"{d['path']}:{d['line']}:{d['column']} {d['code']} {d['message']}\n")
for d in diags[:50]:
    print(f"  {d['path']}:{d['line']}:{d['column']} {d['code']} {d['message']}")
if len(diags) > 50:
    print(f"  ... {len(diags) - 50} more in {findings_file}")
EOF
