package io.github.cae4j.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Spark configurations that work for DL4J on Java 17.
 *
 * <p>Kryo with ND4J's registrator: DL4J refuses Kryo without it, because Kryo's default field
 * serializer cannot copy an INDArray's off-heap buffer. Executors in their own JVMs (a cluster,
 * {@code local-cluster}) get {@link #JAVA17_OPENS}; in {@code local[n]} the driver JVM runs the
 * tasks, so the flags must be on the driver's command line (surefire's argLine, the scripts).
 */
public final class SparkContexts {

    /** The packages Spark and ND4J reach into reflectively; closed by default since Java 17. */
    public static final String JAVA17_OPENS = String.join(" ",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED");

    private SparkContexts() {
    }

    /**
     * @param master {@code local[n]}, {@code local[n,maxFailures]}, {@code local-cluster[...]} or a
     *               cluster URL; null keeps what {@code spark-submit} set
     */
    public static SparkConf conf(String appName, String master) {
        SparkConf conf = new SparkConf().setAppName(appName)
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator")
                .set("spark.ui.enabled", "false")
                .set("spark.executor.extraJavaOptions", JAVA17_OPENS)
                .set("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE");
        if (master != null) {
            conf.setMaster(master);
        }
        return conf;
    }

    public static JavaSparkContext start(String appName, String master) {
        return new JavaSparkContext(conf(appName, master));
    }
}
