#!/usr/bin/env bash
# Training-step benchmark; one JSON line per case on stdout (logs go to stderr).
#   benchmarks/run-bench.sh                              # full grid: h in {256,1000,4096} x batch in {32,128,512}
#   benchmarks/run-bench.sh --hidden 1000 --batch 128    # the headline size
#   benchmarks/run-bench.sh --heap-steps 10000 --hidden 1000 --batch 128
#   OMP_WAIT_POLICY=ACTIVE benchmarks/run-bench.sh ...   # thread settings are a real lever (default PASSIVE, scripts/platform.sh), see README
#   CAE4J_MAVEN_FLAGS=-Pmkl benchmarks/run-bench.sh ...  # a native-library profile of benchmarks/pom.xml (-Pavx2, -Pavx512, -Pmkl)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/platform.sh
flags=(${CAE4J_MAVEN_FLAGS:-})
install_library
mvn -q -B -f benchmarks/pom.xml ${flags[@]+"${flags[@]}"} -Djavacpp.platform="$platform" compile >&2
# Maven may put terminal colour codes in front of the first line: keep only the JSON objects.
exec mvn -q -B -f benchmarks/pom.xml ${flags[@]+"${flags[@]}"} -Dstyle.color=never -Djavacpp.platform="$platform" exec:java -Dexec.mainClass=io.github.cae4j.bench.CaeBench -Dexec.args="$*" \
  | grep --line-buffered -o '{.*}'
