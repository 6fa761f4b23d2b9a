#!/usr/bin/env bash
# Real-code test (issue 2, "Tests"): check the source trees of a few real,
# working packages. Every finding there is a false positive, unless it is
# listed, with a reason, in the allow file (see tests/real_packages_allowed.txt).
# Then check files of uses of real packages (tests/real_packages/): valid uses
# must give nothing, and each near-miss hallucination marked `# expect: CODE`
# exactly that finding (numpy with its stubs and runtime, click, attrs,
# requests with types-requests).
#
# Usage: scripts/real-packages.sh [--allow FILE] [--no-build]
#   --allow FILE   findings listed in FILE are reported as "(allowed)" and not counted
#   --no-build     use the existing target/release/grounded instead of building it
# Exit 0 when no unexplained finding remains, 1 otherwise, 2 on a setup error.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

ALLOW=""
BUILD=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --allow) ALLOW="${2:?--allow needs a file}"; shift 2 ;;
        --allow=*) ALLOW="${1#--allow=}"; shift ;;
        --no-build) BUILD=0; shift ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "real-packages: unknown argument: $1" >&2; exit 2 ;;
    esac
done
if [[ -n "$ALLOW" && ! -f "$ALLOW" ]]; then
    echo "real-packages: allow file not found: $ALLOW" >&2
    exit 2
fi

# Pinned versions, with every dependency: bump them in the requirements file
# (scripts/pinned-venv.sh rebuilds the venv when it changes).
REQS="$ROOT/scripts/requirements/real-packages.txt"
PACKAGES=(requests click flask rich pydantic attrs)

VENV="$ROOT/.tools/realpkgs-venv"
bash "$ROOT/scripts/pinned-venv.sh" real-packages "$REQS" "$VENV" || exit 2
PY="$VENV/bin/python"
SITE="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"

BIN="$ROOT/target/release/grounded"
if [[ "$BUILD" == 1 ]]; then
    cargo build --release --quiet
fi
if [[ ! -x "$BIN" ]]; then
    echo "real-packages: $BIN not found (build it with cargo build --release)" >&2
    exit 2
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

total_findings=0
total_unexplained=0
total_files=0
for pkg in "${PACKAGES[@]}"; do
    dir="$SITE/$pkg"
    if [[ ! -d "$dir" ]]; then
        echo "real-packages: $dir is missing" >&2
        exit 2
    fi
    rc=0
    "$BIN" check --format json --python "$PY" "$dir" > "$TMP/$pkg.json" 2> "$TMP/$pkg.err" || rc=$?
    if [[ "$rc" -gt 1 ]]; then
        echo "$pkg: grounded check failed (exit $rc):"
        sed 's/^/  /' "$TMP/$pkg.err"
        total_unexplained=$((total_unexplained + 1))
        total_findings=$((total_findings + 1))
        continue
    fi
    if [[ -s "$TMP/$pkg.err" ]]; then
        sed 's/^/  note: /' "$TMP/$pkg.err"
    fi
    python3 "$ROOT/scripts/real_packages_report.py" "$pkg" "$dir" "$TMP/$pkg.json" ${ALLOW:+"$ALLOW"} > "$TMP/$pkg.txt" || {
        echo "real-packages: could not report on $pkg (see above)" >&2
        exit 2
    }
    grep -v '^@@ ' "$TMP/$pkg.txt"
    stats="$(grep '^@@ ' "$TMP/$pkg.txt")"
    for kv in $stats; do
        case "$kv" in
            files=*) total_files=$((total_files + ${kv#files=})) ;;
            findings=*) total_findings=$((total_findings + ${kv#findings=})) ;;
            unexplained=*) total_unexplained=$((total_unexplained + ${kv#unexplained=})) ;;
        esac
    done
done

# Uses of the installed packages, as an assistant would write them.
USES=("$ROOT"/tests/real_packages/*.py)
rc=0
"$BIN" check --format json --python "$PY" "${USES[@]}" > "$TMP/uses.json" 2> "$TMP/uses.err" || rc=$?
if [[ "$rc" -gt 1 ]]; then
    echo "uses: grounded check failed (exit $rc):"
    sed 's/^/  /' "$TMP/uses.err"
    total_unexplained=$((total_unexplained + 1))
    total_findings=$((total_findings + 1))
else
    python3 "$ROOT/scripts/real_packages_uses.py" "$TMP/uses.json" "${USES[@]}" > "$TMP/uses.txt" || {
        echo "real-packages: could not compare the uses (see above)" >&2
        exit 2
    }
    grep -v '^@@ ' "$TMP/uses.txt"
    for kv in $(grep '^@@ ' "$TMP/uses.txt"); do
        case "$kv" in
            files=*) total_files=$((total_files + ${kv#files=})) ;;
            unexplained=*)
                total_unexplained=$((total_unexplained + ${kv#unexplained=}))
                total_findings=$((total_findings + ${kv#unexplained=}))
                ;;
        esac
    done
fi

allowed=$((total_findings - total_unexplained))
echo "real-packages: $total_unexplained findings in $total_files files${ALLOW:+ ($allowed more allowed by $ALLOW)}"
if [[ "$total_unexplained" -gt 0 ]]; then
    exit 1
fi
exit 0
