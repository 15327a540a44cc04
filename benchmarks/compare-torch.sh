#!/usr/bin/env bash
# cae4j against the usual PyTorch CAE on this machine, alternating the two processes so that both
# see the same noise: prints the JSON lines of each run. Needs Debian's python3-torch; install
# libopenblas0-pthread too, or torch falls back to the reference BLAS (25x slower matrix products).
#   benchmarks/compare-torch.sh [repeats] [threads]
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-3}"
threads="${2:-2}"
for i in $(seq "$repeats"); do
  benchmarks/run-bench.sh --hidden 1000 --batch 128 --cases cae,plain,cae-outputlayer,plain-outputlayer --rounds 3 --threads "$threads"
  /usr/bin/python3 benchmarks/torch_cae_bench.py --hidden 1000 --batch 128 --rounds 3 --threads "$threads"
done
