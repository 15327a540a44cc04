#!/usr/bin/env python3
"""The usual PyTorch CAE, timed the way CaeBench times cae4j, for a side-by-side comparison.

A sigmoid d-h-d autoencoder, float32, plain SGD, cross-entropy summed over pixels and averaged over
the batch, plus lambda * sum_j h_j(1-h_j))^2 * ||W_j||^2 (the closed-form sigmoid penalty as most
PyTorch CAE code writes it) with autograd for the gradient. Prints one JSON line per case:
torch-cae, torch-plain and torch-gemm (the same [batch, d] x [d, h] product).

    /usr/bin/python3 benchmarks/torch_cae_bench.py --hidden 1000 --batch 128 --threads 2
(Debian: apt-get install python3-torch; it is built against the system's BLAS.)
"""
import argparse
import json
import os
import statistics
import time

import torch
import torch.nn.functional as F


def make_step(d, h, batch, lam, contractive):
    g = torch.Generator().manual_seed(1)
    W = ((torch.rand(d, h, generator=g) - 0.5) * 0.1).requires_grad_()
    b = torch.zeros(h, requires_grad=True)
    W2 = ((torch.rand(h, d, generator=g) - 0.5) * 0.1).requires_grad_()
    b2 = torch.zeros(d, requires_grad=True)
    x = torch.rand(batch, d, generator=g)
    opt = torch.optim.SGD([W, b, W2, b2], lr=1e-3)

    def step():
        opt.zero_grad(set_to_none=True)
        hid = torch.sigmoid(x @ W + b)
        logits = hid @ W2 + b2
        loss = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / batch
        if contractive:
            dh = hid * (1 - hid)
            loss = loss + lam * torch.sum(dh ** 2 * torch.sum(W ** 2, dim=0)) / batch
        loss.backward()
        opt.step()

    return step


def make_gemm(d, h, batch):
    a = torch.rand(batch, d)
    w = torch.rand(d, h)
    out = torch.empty(batch, h)
    return lambda: torch.mm(a, w, out=out)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def load_average():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "unknown"


def blas_name():
    """The BLAS this process really loaded (torch is imported by now): MKL or OpenBLAS, from its memory map."""
    try:
        with open("/proc/self/maps") as f:
            maps = f.read()
    except OSError:
        return "unknown"
    if "libmkl_rt" in maps:
        return "mkl_rt"
    if "openblas" in maps:
        return "openblas (system)"
    return "system BLAS"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--nin", type=int, default=784)
    p.add_argument("--hidden", type=lambda s: [int(v) for v in s.split(",")], default=[1000])
    p.add_argument("--batch", type=lambda s: [int(v) for v in s.split(",")], default=[128])
    p.add_argument("--seconds", type=float, default=1.0)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: leave as is)")
    args = p.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    print(json.dumps({"case": "machine", "torch": torch.__version__, "threads": torch.get_num_threads(), "cpu": cpu_model(),
                      "blas": blas_name(), "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "null"),
                      "loadavg": load_average()}), flush=True)
    for h in args.hidden:
        for batch in args.batch:
            cases = [("torch-gemm", make_gemm(args.nin, h, batch), 2.0 * batch * args.nin * h),
                     ("torch-cae", make_step(args.nin, h, batch, 0.1, True), 10.0 * batch * args.nin * h),
                     ("torch-plain", make_step(args.nin, h, batch, 0.1, False), 10.0 * batch * args.nin * h)]
            for _, fn, _ in cases:
                for _ in range(3):
                    fn()
            ms = {name: [] for name, _, _ in cases}
            load_before = load_average()
            for _ in range(args.rounds):
                for name, fn, _ in cases:
                    start = time.perf_counter()
                    steps = 0
                    while True:
                        fn()
                        steps += 1
                        now = time.perf_counter()
                        if now - start >= args.seconds:
                            break
                    ms[name].append((now - start) * 1000 / steps)
            gemm_gflops = cases[0][2] / statistics.median(ms["torch-gemm"]) / 1e6
            plain = statistics.median(ms["torch-plain"])
            for name, _, flops in cases:
                med = statistics.median(ms[name])
                gflops = flops / med / 1e6
                print(json.dumps({"case": name, "nIn": args.nin, "nOut": h, "batch": batch,
                                  "examples_per_s": round(batch / med * 1000, 2), "ms_per_step": round(med, 4),
                                  "ms_per_step_rounds": [round(v, 4) for v in ms[name]], "gflops": round(gflops, 3),
                                  "flop_efficiency": round(gflops / gemm_gflops, 4), "x_plain": round(med / plain, 4),
                                  "gemm_gflops": round(gemm_gflops, 3), "cpu": cpu_model(),
                                  "loadavg": load_before + " -> " + load_average()}),
                      flush=True)


if __name__ == "__main__":
    main()
