#!/usr/bin/env bash
# Manifold Tangent Classifier cost: MTC training step vs plain fine-tuning step for each k, and the
# time to compute tangents per 1000 inputs; one JSON line per case on stdout (logs go to stderr).
#   benchmarks/run-tangent-bench.sh                                  # 784-1000-10, batch 100, k = 1..10
#   benchmarks/run-tangent-bench.sh --k 1,5,10 --hidden 1000,1000    # a two-layer stack
# Timings depend on machine load: the "machine" line records the load average at the start.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/platform.sh
install_library
mvn -q -B -f benchmarks/pom.xml -Djavacpp.platform="$platform" compile >&2
exec mvn -q -B -f benchmarks/pom.xml -Dstyle.color=never -Djavacpp.platform="$platform" exec:java -Dexec.mainClass=io.github.cae4j.bench.TangentBench -Dexec.args="$*" \
  | grep --line-buffered -o '{.*}'
