#!/usr/bin/env bash
# The levers a DL4J user has, side by side on this machine: cae4j's default (OpenMP threads wait
# passively, scripts/platform.sh), ND4J's own OpenMP behaviour (spinning), ACTIVE waiting, one
# OpenMP thread, the AVX2 and AVX-512 native builds, and MKL. Each setting runs the headline size
# in its own process, and the settings alternate for `repeats` rounds so that machine noise hits
# them alike; prints each process's JSON lines with a "setting" field added.
#   benchmarks/compare-levers.sh [repeats] [settings]   (default 3 rounds of all settings; about 1 minute per setting and round)
#   benchmarks/compare-levers.sh 3 passive,nd4j-default,omp-1-thread
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-3}"
settings="${2:-passive,nd4j-default,active,omp-1-thread,avx2,avx512,mkl}"
args=(--hidden 1000 --batch 128 --cases cae,plain,cae-outputlayer,cae-tied --rounds 3)
run() { # run <setting> <env...>
  local setting="$1"; shift
  env "$@" benchmarks/run-bench.sh "${args[@]}" | sed "s/^{/{\"setting\":\"$setting\",/"
}
for i in $(seq "$repeats"); do
  for s in ${settings//,/ }; do
    case "$s" in
      passive) run passive OMP_WAIT_POLICY=PASSIVE ;;
      nd4j-default) run nd4j-default -u OMP_WAIT_POLICY CAE4J_OMP_DEFAULTS=1 ;;
      active) run active OMP_WAIT_POLICY=ACTIVE ;;
      omp-1-thread) run omp-1-thread OMP_NUM_THREADS=1 ;;
      avx2) run avx2 CAE4J_MAVEN_FLAGS=-Pavx2 ;;
      avx512) run avx512 CAE4J_MAVEN_FLAGS=-Pavx512 ;;
      mkl) run mkl CAE4J_MAVEN_FLAGS=-Pmkl ;;
      *) echo "error: unknown setting '$s' (passive, nd4j-default, active, omp-1-thread, avx2, avx512, mkl)" >&2; exit 2 ;;
    esac
  done
done
