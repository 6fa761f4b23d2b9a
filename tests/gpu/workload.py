#!/usr/bin/env python3
"""A small PyTorch GPU workload for tests/gpu/check_real_gpu.sh.

    workload.py steady            # takes ~2 GB once, then computes on it, flat
    workload.py leak [--mb 180]   # keeps --mb more of GPU memory every cycle

Both run a matmul each cycle so they look like real work to NVML; the leak
keeps a reference to a fresh tensor each cycle, as a cache that is never
evicted would.
"""
import argparse
import time

import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["steady", "leak"])
    ap.add_argument("--mb", type=int, default=180, help="MB kept per cycle (leak)")
    ap.add_argument("--cycle", type=float, default=1.0, help="seconds per cycle")
    ap.add_argument("--cycles", type=int, default=70, help="cycles that leak, then hold")
    ap.add_argument("--seconds", type=float, default=100.0, help="run this long in all")
    args = ap.parse_args()

    dev = torch.device("cuda")
    a = torch.randn(4096, 4096, device=dev)
    b = torch.randn(4096, 4096, device=dev)
    ballast = torch.empty(2 * 1024**3, dtype=torch.uint8, device=dev) if args.mode == "steady" else None
    kept = []
    start = time.time()
    n = 0
    while time.time() - start < args.seconds:
        c = a @ b
        torch.cuda.synchronize()
        del c
        if args.mode == "leak" and n < args.cycles:
            kept.append(torch.empty(args.mb * 10**6, dtype=torch.uint8, device=dev))
        n += 1
        time.sleep(max(0.0, args.cycle - (time.time() - start - (n - 1) * args.cycle)))
    del ballast, kept


if __name__ == "__main__":
    main()
