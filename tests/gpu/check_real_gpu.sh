#!/usr/bin/env bash
# Run on a machine with an NVIDIA GPU (not part of scripts/test.sh):
#  1. grounded's numbers against nvidia-smi's: memory within 1%, the same
#     compute PIDs on each GPU;
#  2. a PyTorch process leaking ~180 MB per 1-s cycle is reported as a leak
#     within 60 s of appearing on the GPU, and a steady one beside it is not.
# Prints SKIP and exits 0 where there is no nvidia-smi / GPU / PyTorch with CUDA.
#
#   bash tests/gpu/check_real_gpu.sh            # GROUNDED=path/to/grounded, PYTHON=python3
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "SKIP: no nvidia-smi on this machine"; exit 0
fi
if ! nvidia-smi -L >/dev/null 2>&1; then
  echo "SKIP: nvidia-smi finds no GPU"; exit 0
fi
GROUNDED=${GROUNDED:-target/release/grounded}
if [ ! -x "$GROUNDED" ]; then
  cargo build --release --locked -q -p grounded
fi
PYTHON=${PYTHON:-python3}
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

HAVE_TORCH=0
if "$PYTHON" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  HAVE_TORCH=1
fi

echo "== 1. grounded gpu --json against nvidia-smi"
if [ "$HAVE_TORCH" = 1 ]; then
  # A compute process, so there are PIDs to compare.
  "$PYTHON" tests/gpu/workload.py steady --seconds 40 & PIDS+=($!)
  sleep 12
fi
smi_gpus() { nvidia-smi --query-gpu=index,uuid,name,memory.total,memory.used,utilization.gpu,temperature.gpu,power.draw --format=csv,noheader,nounits; }
smi_apps() { nvidia-smi --query-compute-apps=gpu_uuid,pid,process_name,used_gpu_memory --format=csv,noheader,nounits; }
smi_gpus > "$WORK/gpus-before.csv"
smi_apps > "$WORK/apps.csv"
"$GROUNDED" gpu --json > "$WORK/grounded.json"
smi_gpus > "$WORK/gpus-after.csv"
"$PYTHON" - "$WORK" <<'PY'
import csv, json, sys, os
work = sys.argv[1]
snap = json.load(open(os.path.join(work, "grounded.json")))
assert snap["available"], f"grounded says NVML is unavailable: {snap['reason']}"
MIB = 1024 * 1024
def rows(name):
    return [[c.strip() for c in r] for r in csv.reader(open(os.path.join(work, name))) if r]
before = {r[1]: r for r in rows("gpus-before.csv")}
after = {r[1]: r for r in rows("gpus-after.csv")}
apps = rows("apps.csv")
ok = True
by_uuid = {d["uuid"]: d for d in snap["devices"]}
assert set(by_uuid) == set(before), f"GPUs differ: grounded {sorted(by_uuid)} nvidia-smi {sorted(before)}"
for uuid, d in by_uuid.items():
    total = float(before[uuid][3])
    used_lo = min(float(before[uuid][4]), float(after[uuid][4]))
    used_hi = max(float(before[uuid][4]), float(after[uuid][4]))
    g_total = d["memory_total_bytes"] / MIB
    g_used = d["memory_used_bytes"] / MIB
    if abs(g_total - total) > 0.01 * total:
        print(f"FAIL GPU {d['index']}: memory.total {g_total:.0f} MiB vs nvidia-smi {total:.0f} MiB"); ok = False
    if not (used_lo - 0.01 * total <= g_used <= used_hi + 0.01 * total):
        print(f"FAIL GPU {d['index']}: memory.used {g_used:.0f} MiB vs nvidia-smi {used_lo:.0f}..{used_hi:.0f} MiB"); ok = False
    want = sorted(int(a[1]) for a in apps if a[0] == uuid)
    got = sorted(p["pid"] for p in (d["processes"] or []))
    if want != got:
        print(f"FAIL GPU {d['index']}: PIDs {got} vs nvidia-smi {want}"); ok = False
    print(f"GPU {d['index']} {d['name']}: used {g_used:.0f} MiB (nvidia-smi {used_lo:.0f}..{used_hi:.0f}), "
          f"total {g_total:.0f} MiB, PIDs {got}")
sys.exit(0 if ok else 1)
PY
for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
PIDS=()

echo "== 2. a leaking PyTorch process is reported within 60 s; a steady one is not"
if [ "$HAVE_TORCH" != 1 ]; then
  echo "SKIP: no PyTorch with CUDA for $PYTHON (pip install torch)"; exit 0
fi
FREE_MIB=$(nvidia-smi --id=0 --query-gpu=memory.free --format=csv,noheader,nounits | head -1 | tr -d ' ')
if [ "${FREE_MIB:-0}" -lt 16000 ]; then
  echo "SKIP: GPU 0 has ${FREE_MIB} MiB free; the leak test needs 16000"; exit 0
fi
sleep 3
timeout 100 "$GROUNDED" gpu --watch --json --interval 1 > "$WORK/watch.jsonl" & WATCH=$!
PIDS+=("$WATCH")
sleep 2
CUDA_DEVICE_ORDER=PCI_BUS_ID CUDA_VISIBLE_DEVICES=0 "$PYTHON" tests/gpu/workload.py steady --seconds 90 & STEADY=$!
PIDS+=("$STEADY")
CUDA_DEVICE_ORDER=PCI_BUS_ID CUDA_VISIBLE_DEVICES=0 "$PYTHON" tests/gpu/workload.py leak --mb 180 --cycle 1 --cycles 70 --seconds 90 & LEAK=$!
PIDS+=("$LEAK")
wait "$LEAK" || true
wait "$WATCH" || true
"$PYTHON" - "$WORK/watch.jsonl" "$LEAK" "$STEADY" <<'PY'
import json, sys
path, leak, steady = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
seen_at = alert_at = None
steady_alerts = []
for line in open(path):
    try:
        s = json.loads(line)
    except ValueError:
        continue
    pids = {p["pid"] for d in s["devices"] for p in (d["processes"] or [])}
    if leak in pids and seen_at is None:
        seen_at = s["ts_ms"]
    for a in s["alerts"]:
        if a["kind"] == "leak-suspected" and a["pid"] == leak and alert_at is None:
            alert_at = s["ts_ms"]
            print("alert:", a["message"])
        if a["pid"] == steady:
            steady_alerts.append(a["message"])
assert seen_at is not None, f"pid {leak} never appeared in grounded's snapshots"
assert alert_at is not None, f"the leak of pid {leak} was not reported"
delay = (alert_at - seen_at) / 1000
print(f"leak reported {delay:.0f} s after the process appeared on the GPU")
assert delay <= 60, f"reported after {delay:.0f} s (> 60 s)"
assert not steady_alerts, f"the steady process was flagged: {steady_alerts[0]}"
print("PASS")
PY
