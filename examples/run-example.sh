#!/usr/bin/env bash
# One quickstart example in one command (docs/examples.md):
#   examples/run-example.sh CaeMnistExample [--ui] [--ui-port 9000] [--stats-file FILE]
#   examples/run-example.sh StackedCaeExample [--train N] [--epochs N]
#   examples/run-example.sh CaeComputationGraphExample [--train N] [--epochs N]
#   examples/run-example.sh ViewStats FILE [PORT]       # a --stats-file in DL4J's UI
#   examples/run-example.sh NAME --help
# Installs the library, puts full MNIST in $CAE4J_DATA_DIR/mnist-data (default ~/.cache/cae4j) with
# scripts/fetch-mnist unless --data-dir is given, then compiles and runs the example with Maven.
set -euo pipefail
cd "$(dirname "$0")/.."

examples="CaeMnistExample StackedCaeExample CaeComputationGraphExample ViewStats"
name="${1:-}"
if [[ -z "$name" || " $examples " != *" $name "* ]]; then
  echo "usage: examples/run-example.sh NAME [options], NAME one of: $examples" >&2
  exit 2
fi
shift

exec_args="$*"
needs_data=1
[[ $name == ViewStats ]] && needs_data=0
for a in "$@"; do
  case "$a" in --data-dir|--data-dir=*|-h|--help|-V|--version) needs_data=0 ;; esac
done
if [[ $needs_data == 1 ]]; then
  data_dir=$(scripts/fetch-mnist)   # prints the directory; fetches with npm only when the files are missing
  exec_args="--data-dir \"$data_dir\"${exec_args:+ $exec_args}"   # quoted for exec:java's argument parser
fi

source scripts/platform.sh

# ND4J's arrays live off the Java heap and are freed when their Java objects are collected: a small
# heap keeps the process small (see run-mnist.sh).
export MAVEN_OPTS="${MAVEN_OPTS:--Xmx2g}"
announce_blas
install_library
exec mvn -q -B -f examples/pom.xml ${blas_flags[@]+"${blas_flags[@]}"} -Djavacpp.platform="$platform" compile exec:java \
  -Dexec.mainClass="io.github.cae4j.examples.quickstart.$name" -Dexec.args="$exec_args"
