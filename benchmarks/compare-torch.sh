#!/usr/bin/env bash
# cae4j against the usual PyTorch CAE on this machine, alternating the two processes so that both
# see the same noise: prints the JSON lines of each run. Needs Debian's python3-torch; install
# libopenblas0-pthread too, or torch falls back to the reference BLAS (25x slower matrix products).
#   benchmarks/compare-torch.sh [repeats] [threads] [openblas|mkl]
# With mkl, cae4j runs with -Pmkl and torch with the same MKL library (JavaCPP's copy, extracted to
# ~/.javacpp/cache by the cae4j run) standing in for the system BLAS, so both sides multiply with MKL.
# The thread setting is whatever OMP_WAIT_POLICY says (scripts/platform.sh sets PASSIVE unless
# CAE4J_OMP_DEFAULTS=1), for both sides alike: it is set here, before either side starts, so that
# torch gets the same value as cae4j (run-bench.sh sets it only for itself).
# CAE4J_RUN_BENCH and CAE4J_TORCH_PYTHON replace the two sides' commands (for the test of this script).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/platform.sh
run_bench="${CAE4J_RUN_BENCH:-benchmarks/run-bench.sh}"
torch_python="${CAE4J_TORCH_PYTHON:-/usr/bin/python3}"
repeats="${1:-3}"
threads="${2:-2}"
blas="${3:-openblas}"
torch_env=()
case "$blas" in
  openblas) ;;
  mkl) export CAE4J_MAVEN_FLAGS="${CAE4J_MAVEN_FLAGS:-} -Pmkl" ;;
  *) echo "error: the BLAS must be openblas or mkl, got '$blas'" >&2; exit 2 ;;
esac
for i in $(seq "$repeats"); do
  "$run_bench" --hidden 1000 --batch 128 --cases cae,plain,cae-outputlayer,plain-outputlayer --rounds 3 --threads "$threads"
  if [[ $blas == mkl && ${#torch_env[@]} -eq 0 ]]; then
    mkl_dir="$(dirname "$(find "$HOME/.javacpp/cache" -path '*/org/bytedeco/mkl/*' -name 'libmkl_rt.so.2' -print -quit)")"
    if [[ "$mkl_dir" == . ]]; then
      echo "error: no libmkl_rt.so.2 under ~/.javacpp/cache (the -Pmkl cae4j run extracts it)" >&2; exit 1
    fi
    shim="$(mktemp -d)"
    trap 'rm -rf "$shim"' EXIT
    # torch links the system BLAS/LAPACK (libblas.so.3, which pulls in libopenblas.so.0); MKL's single
    # dynamic library provides both interfaces, and MKL_THREADING_LAYER=GNU makes it use torch's libgomp
    for lib in libblas.so.3 liblapack.so.3 libopenblas.so.0; do ln -s "$mkl_dir/libmkl_rt.so.2" "$shim/$lib"; done
    torch_env=(MKL_THREADING_LAYER=GNU "LD_LIBRARY_PATH=$shim:$mkl_dir")
  fi
  env ${torch_env[@]+"${torch_env[@]}"} "$torch_python" benchmarks/torch_cae_bench.py --hidden 1000 --batch 128 --rounds 3 --threads "$threads"
done
