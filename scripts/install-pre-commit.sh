#!/usr/bin/env bash
# pre-commit, pinned with its dependencies (scripts/requirements/pre-commit.txt),
# into .tools/pre-commit: the tests drive the shipped .pre-commit-hooks.yaml
# through it (tests/it/named_files.rs). Re-installed when the pins change.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQS="$ROOT/scripts/requirements/pre-commit.txt"
VENV="$ROOT/.tools/pre-commit"
MARKER="$VENV/.grounded-pins"
WANT="$(python3 --version 2>&1) $(sha256sum "$REQS" | cut -d' ' -f1)"
if [[ -x "$VENV/bin/pre-commit" && -f "$MARKER" && "$(cat "$MARKER")" == "$WANT" ]]; then
    exit 0
fi
echo "== installing pre-commit (pip, pinned) into .tools/pre-commit"
rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check --no-deps -r "$REQS"
"$VENV/bin/pip" check -q >/dev/null || { "$VENV/bin/pip" check; exit 1; }
echo "$WANT" > "$MARKER"
