#!/usr/bin/env bash
# The whole test suite, from a fresh machine with Rust: installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."

# The engine probes a real Python interpreter; the fixtures need python3 with venv.
if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  echo "== installing python3 (apt)"
  apt-get update -qq && apt-get install -y -qq python3 python3-venv python3-pip >/dev/null
fi

# CI builds a clean clone once: incremental compilation (on in the release
# profile, for developers' edit-test loop) would only add its bookkeeping.
if [[ "${CI:-}" == "true" ]]; then
  export CARGO_INCREMENTAL=0
fi

# rust-src, which every rust-analyzer user has: the real-crates test checks
# that std known from its sources gives the same findings as the search
# index alone (GROUNDED_RUST_STD=index).
if command -v rustup >/dev/null 2>&1 \
  && [[ ! -f "$(rustc --print sysroot)/lib/rustlib/src/rust/library/core/src/lib.rs" ]]; then
  echo "== installing rust-src (rustup)"
  rustup component add rust-src
fi

echo "== cargo fmt / clippy"
cargo fmt --all -- --check
cargo clippy --release --locked --all-targets -q -- -D warnings

echo "== build (the binary and the test binaries, in one go: they compile side by side)"
cargo test --release --locked -q --no-run
# The fake libnvidia-ml the GPU tests load (workspace members, so built above too; named
# here so the GPU tests find them whatever the line above is narrowed to).
cargo build --release --locked -q -p fake-nvml -p fake-nvml-old

echo "== real packages: their own sources must check clean"
# --no-build: the binary the test build made above. A plain `cargo build`
# would compile the crate again (dev-dependencies unify features differently).
bash scripts/real-packages.sh --no-build --allow tests/real_packages_allowed.txt

echo "== real usage: valid uses of pydantic, jinja2, matplotlib, numpy, six give nothing, near misses each one"
bash scripts/real-usage.sh --no-build

echo "== demo: the known hallucinated calls are reported"
set +e
./target/release/grounded check fixtures/demo --format json > target/demo.json
status=$?
set -e
python3 - <<'PY'
import json, sys
report = json.load(open("target/demo.json"))
codes = sorted({d["code"] for d in report["diagnostics"]})
want = ["undefined-name", "unknown-member", "unresolved-module", "unresolved-symbol"]
assert codes == want, f"demo codes {codes} != {want}"
print(f"demo: {len(report['diagnostics'])} findings of {len(codes)} kinds")
PY
[ "$status" -eq 1 ] || { echo "demo: expected exit status 1, got $status"; exit 1; }

echo "== SARIF schema and validator (npm packages, into .tools/sarif)"
if ! command -v npm >/dev/null 2>&1; then
  echo "== installing npm (apt)"
  apt-get update -qq && apt-get install -y -qq npm >/dev/null
fi
bash scripts/fetch-sarif-schema.sh

echo "== pre-commit (pip, pinned, into .tools/pre-commit): the shipped hooks are tested with it"
bash scripts/install-pre-commit.sh

echo "== cargo test"
cargo test --release --locked

echo "== Neovim plugin (headless Neovim 0.11.4 against the release binary)"
bash editors/nvim/tests/run.sh target/release/grounded

echo "== VS Code extension (lint, unit tests, .vsix, GPU panel in Chromium, code-server end to end)"
bash editors/vscode/test/run.sh target/release/grounded
