#!/usr/bin/env bash
# Rust benchmark (issue 4, "Speed"): grounded check on a generated 300-file
# workspace using 30 crates.io dependencies, cold and warm, next to cargo check
# on the same workspace.
#
# Usage: scripts/bench_rust.sh
# Environment:
#   BENCH_RUNS=3         runs of each grounded measurement (the median is reported)
#   BENCH_NO_BUILD=1     use the existing target/release/grounded
#   BENCH_SKIP_CARGO=1   leave cargo check out (its first run compiles every dependency)
# Everything goes under .bench/rust (git-ignored); cargo fetches the dependencies.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUNS="${BENCH_RUNS:-3}"
WS="$ROOT/.bench/rust"
log() { echo "bench: $*" >&2; }

GEN="$ROOT/scripts/gen_rust_bench.py"
GEN_KEY="$(sha256sum "$GEN" | cut -d' ' -f1)"
if [[ ! -f "$WS/.generated" || "$(cat "$WS/.generated")" != "$GEN_KEY" ]]; then
    log "generating $WS"
    rm -rf "$WS"
    python3 "$GEN" "$WS" >&2
    echo "$GEN_KEY" > "$WS/.generated"
fi
log "cargo fetch"
(cd "$WS" && cargo fetch --quiet)

if [[ -z "${BENCH_NO_BUILD:-}" ]]; then
    log "building grounded (release)"
    cargo build --release --quiet
fi
GROUNDED="$ROOT/target/release/grounded"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
now() { date +%s.%N; }
elapsed() { python3 -c "print(round($2 - $1, 3))"; }

cold=(); warm=(); findings=""
for i in $(seq 1 "$RUNS"); do
    CACHE="$(mktemp -d "$TMP/cache.XXXX")"
    log "grounded run $i/$RUNS (cold, then warm)"
    t0="$(now)"; GROUNDED_CACHE_DIR="$CACHE" "$GROUNDED" check --exit-zero -q "$WS" > "$TMP/cold.txt"; t1="$(now)"
    GROUNDED_CACHE_DIR="$CACHE" "$GROUNDED" check --exit-zero -q "$WS" > "$TMP/warm.txt"; t2="$(now)"
    cold+=("$(elapsed "$t0" "$t1")"); warm+=("$(elapsed "$t1" "$t2")")
    findings="$(tail -n 1 "$TMP/warm.txt")"
done

cargo_full="-"; cargo_incr="-"
if [[ -z "${BENCH_SKIP_CARGO:-}" ]]; then
    export CARGO_TARGET_DIR="$ROOT/.bench/rust-target"
    log "cargo check (first: compiles every dependency)"
    (cd "$WS" && cargo clean --quiet 2>/dev/null || true)
    t0="$(now)"; (cd "$WS" && cargo check --quiet --workspace 2> "$TMP/cargo.txt") || log "cargo check failed: $(head -n 3 "$TMP/cargo.txt")"; t1="$(now)"
    cargo_full="$(elapsed "$t0" "$t1")"
    touch "$WS/bench_app/src/m250.rs"
    t0="$(now)"; (cd "$WS" && cargo check --quiet --workspace 2>> "$TMP/cargo.txt") || true; t1="$(now)"
    cargo_incr="$(elapsed "$t0" "$t1")"
fi

python3 - "$findings" "$cargo_full" "$cargo_incr" "${cold[*]}" "${warm[*]}" <<'EOF'
import statistics, sys
findings, full, incr, cold, warm = sys.argv[1:6]
cold = statistics.median(float(x) for x in cold.split())
warm = statistics.median(float(x) for x in warm.split())
print("workspace: 300 files (3 crates), 30 crates.io dependencies (.bench/rust)")
print(f"grounded findings: {findings}")
print(f"{'measure':48} {'wall':>9}   target")
print(f"{'grounded check, cold (no cache: std index, every parse)':48} {cold:8.2f}s   < 3 s")
print(f"{'grounded check, warm':48} {warm:8.2f}s   < 1 s")
if full != "-":
    full, incr = float(full), float(incr)
    print(f"{'cargo check, first (dependencies compiled)':48} {full:8.2f}s   grounded cold is {cold / full:.3f}x")
    print(f"{'cargo check, after touching one file':48} {incr:8.2f}s   grounded warm is {warm / incr:.3f}x")
EOF
