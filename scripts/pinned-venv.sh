#!/usr/bin/env bash
# Make (or keep) a venv holding exactly a requirements file's pins, every
# dependency listed and installed with --no-deps (a dependency missing from
# the file is an error, not a silent latest). A marker of the interpreter's
# version and the file's hash rebuilds the venv when either changes.
#
# Usage: scripts/pinned-venv.sh WHO REQUIREMENTS VENV   (WHO prefixes messages)
# Exit 0 when the venv is ready, 2 on a setup error.
set -euo pipefail
WHO="$1" REQS="$2" VENV="$3"
MARKER="$VENV/.grounded-pins"
WANT="$(python3 --version 2>&1) $(sha256sum "$REQS" | cut -d' ' -f1)"
if [[ -x "$VENV/bin/python" && -f "$MARKER" && "$(cat "$MARKER")" == "$WANT" ]]; then
    exit 0
fi
echo "$WHO: creating $VENV ($REQS)" >&2
rm -rf "$VENV"
mkdir -p "$(dirname "$VENV")"
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps -r "$REQS"
"$VENV/bin/python" -m pip check -q >/dev/null || { "$VENV/bin/python" -m pip check >&2; exit 2; }
echo "$WANT" > "$MARKER"
