#!/usr/bin/env bash
# The levers a DL4J user has, side by side on this machine: ND4J's default natives, one OpenMP
# thread, the AVX2 and AVX-512 native builds, and MKL. Each setting runs the headline size in its
# own process, and the settings alternate for `repeats` rounds so that machine noise hits them
# alike; prints each process's JSON lines with a "setting" field added.
#   benchmarks/compare-levers.sh [repeats]        (default 3; about 1 minute per setting and round)
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-3}"
args=(--hidden 1000 --batch 128 --cases cae,plain,cae-tied --rounds 3)
run() { # run <setting> <env...>
  local setting="$1"; shift
  env "$@" benchmarks/run-bench.sh "${args[@]}" | sed "s/^{/{\"setting\":\"$setting\",/"
}
for i in $(seq "$repeats"); do
  run default
  run omp-1-thread OMP_NUM_THREADS=1
  run avx2 CAE4J_MAVEN_FLAGS=-Pavx2
  run avx512 CAE4J_MAVEN_FLAGS=-Pavx512
  run mkl CAE4J_MAVEN_FLAGS=-Pmkl
done
