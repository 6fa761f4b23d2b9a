#!/usr/bin/env bash
# Cost of `grounded check` on huge inputs (issue 16, point 9): many findings
# in one file, one long line with many findings, a realistic 20 MB Python file
# (the stdlib concatenated, invented calls among it). Prints wall time, CPU time
# (user + system: the figure a loaded machine changes least) and peak resident
# memory of each run, cold (no facts cache); targets: under 10 s and 1 GB.
#
# Usage: scripts/bench_huge_inputs.sh
# Environment:
#   BENCH_NO_BUILD=1            use the existing target/release/grounded
#   BENCH_FORMATS="text sarif"  output formats to run each case in
#   BENCH_CASES="findings line_300k line_1m statements stdlib_20m"
#   BENCH_TIMEOUT=300           seconds before a run is stopped
#   BENCH_MEM_LIMIT_MB=4096     address-space limit of a run (the machine is shared)
# Inputs go under .bench/huge/ (git-ignored), made by scripts/gen_huge_inputs.py.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

FORMATS="${BENCH_FORMATS:-text sarif}"
CASES="${BENCH_CASES:-findings line_300k line_1m statements stdlib_20m}"
TIMEOUT="${BENCH_TIMEOUT:-300}"
MEM_LIMIT_MB="${BENCH_MEM_LIMIT_MB:-4096}"
OUT="$ROOT/.bench/huge"
log() { echo "bench: $*" >&2; }

GEN="$ROOT/scripts/gen_huge_inputs.py"
GEN_KEY="$(sha256sum "$GEN" | cut -d' ' -f1) $(python3 --version 2>&1)"
if [[ ! -f "$OUT/.generated" || "$(cat "$OUT/.generated")" != "$GEN_KEY" ]]; then
    log "generating $OUT"
    rm -rf "$OUT"
    python3 "$GEN" "$OUT" >&2
    echo "$GEN_KEY" > "$OUT/.generated"
fi

if [[ -z "${BENCH_NO_BUILD:-}" ]]; then
    log "building grounded (release)"
    cargo build --release --quiet
fi
GROUNDED="$ROOT/target/release/grounded"
[[ -x "$GROUNDED" ]] || { echo "bench: $GROUNDED not found" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "bench: needs GNU time (/usr/bin/time)" >&2; exit 2; }

CACHE="$(mktemp -d)"
trap 'rm -rf "$CACHE"' EXIT
export GROUNDED_CACHE_DIR="$CACHE"
unset VIRTUAL_ENV CONDA_PREFIX

printf '%-11s %-6s %9s %9s %8s %8s %9s  %s\n' case format "size KB" findings "wall s" "cpu s" "peak MB" status
for case in $CASES; do
    dir="$OUT/$case"
    [[ -d "$dir" ]] || { log "no case $case"; continue; }
    size_kb=$(( $(du -b --exclude=pyproject.toml -s "$dir" | cut -f1) / 1024 ))
    # The environment probe and stdlib introspection, once, outside the figures.
    "$GROUNDED" check "$dir/pyproject.toml" >/dev/null 2>&1 || true
    for format in $FORMATS; do
        stats="$CACHE/time.txt"
        set +e
        (
            cd "$dir"
            ulimit -v $(( MEM_LIMIT_MB * 1024 ))
            timeout "$TIMEOUT" /usr/bin/time -f '%e %M %U %S' -o "$stats" \
                "$GROUNDED" check --format "$format" . >"$CACHE/out.txt" 2>"$CACHE/err.txt"
        )
        rc=$?
        set -e
        read -r wall peak_kb user sys < <(tail -n 1 "$stats" 2>/dev/null || echo "- 0 0 0")
        cpu=$(python3 -c "print(f'{$user + $sys:.2f}')" 2>/dev/null || echo -)
        case "$rc" in
            0|1) status=ok ;;
            124) status="stopped at ${TIMEOUT} s" ;;
            *) status="exit $rc ($(tail -c 200 "$CACHE/err.txt" | tr '\n' ' '))" ;;
        esac
        # A fresh parse each run: the facts cache is emptied between runs.
        rm -rf "$CACHE"/facts-v*
        findings=$(python3 - "$format" "$CACHE/out.txt" <<'EOF'
import json, re, sys
fmt, path = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8", errors="replace").read()
try:
    if fmt == "text":
        m = re.search(r"Found (\d+) problem", text)
        print(m.group(1) if m else (0 if "No hallucinated" in text else "-"))
    elif fmt == "json":
        print(len(json.loads(text)["diagnostics"]))
    elif fmt == "sarif":
        print(len(json.loads(text)["runs"][0]["results"]))
    elif fmt == "gitlab":
        print(len(json.loads(text)))
    else:
        print(sum(1 for l in text.splitlines() if l.startswith("::")))
except Exception:
    print("-")
EOF
)
        printf '%-11s %-6s %9s %9s %8s %8s %9s  %s\n' "$case" "$format" "$size_kb" "$findings" \
            "$wall" "$cpu" "$(( peak_kb / 1024 ))" "$status"
    done
done
