#!/usr/bin/env bash
# Real-usage test (issue 17, "Tests"): code that uses real packages, checked
# against them installed. tests/real_usage/valid.py holds valid uses (nothing
# may be reported), near_miss.py invented ones, each line marked with the
# finding it must give (`# expect: CODE`); any other finding fails.
#
# Usage: scripts/real-usage.sh [--no-build]
#   --no-build     use the existing target/release/grounded instead of building it
# Exit 0 when the findings are exactly the expected ones, 1 otherwise, 2 on a setup error.
# Grounded never imports the packages; only pip installs them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BUILD=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-build) BUILD=0; shift ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "real-usage: unknown argument: $1" >&2; exit 2 ;;
    esac
done

# Pinned versions, with every dependency (installed with --no-deps); the
# marker rebuilds the venv when the file changes.
REQS="$ROOT/scripts/requirements/real-usage.txt"
VENV="$ROOT/.tools/realusage-venv"
bash "$ROOT/scripts/pinned-venv.sh" real-usage "$REQS" "$VENV" || exit 2

BIN="$ROOT/target/release/grounded"
if [[ "$BUILD" == 1 ]]; then
    cargo build --release --quiet
fi
if [[ ! -x "$BIN" ]]; then
    echo "real-usage: $BIN not found (build it with cargo build --release)" >&2
    exit 2
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
rc=0
"$BIN" check --format json --python "$VENV/bin/python" tests/real_usage > "$TMP/report.json" 2> "$TMP/err" || rc=$?
if [[ "$rc" -gt 1 ]]; then
    echo "real-usage: grounded check failed (exit $rc):" >&2
    cat "$TMP/err" >&2
    exit 2
fi

python3 - "$TMP/report.json" tests/real_usage <<'PY'
import json, pathlib, sys

report = json.load(open(sys.argv[1]))
root = pathlib.Path(sys.argv[2])
expected = {}
for f in sorted(root.glob("*.py")):
    for i, line in enumerate(f.read_text().splitlines(), 1):
        if "# expect:" in line:
            codes = line.split("# expect:", 1)[1].split("#")[0]
            expected[(f.name, i)] = sorted(c.strip() for c in codes.split(",") if c.strip())
actual = {}
messages = {}
for d in report["diagnostics"]:
    key = (pathlib.Path(d["path"]).name, d["line"])
    actual.setdefault(key, []).append(d["code"])
    messages[key] = d["message"]
problems = []
for key, codes in sorted(expected.items()):
    got = sorted(actual.get(key, []))
    if got != codes:
        problems.append(f"{key[0]}:{key[1]}: expected {codes}, got {got or 'nothing'}")
for key, codes in sorted(actual.items()):
    if key not in expected:
        problems.append(f"{key[0]}:{key[1]}: unexpected {sorted(codes)}: {messages[key]}")
for p in problems:
    print(p)
print(f"real-usage: {len(expected)} near misses expected, {sum(map(len, actual.values()))} findings, {len(problems)} problems")
sys.exit(1 if problems else 0)
PY
