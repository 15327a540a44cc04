package io.github.cae4j.spark;

import io.github.cae4j.diagnostics.JacobianNorms;
import io.github.cae4j.examples.data.MnistData;
import io.github.cae4j.examples.data.MnistDataOptions;
import io.github.cae4j.examples.data.MnistSplits;
import io.github.cae4j.pretrain.LayerPretrainOptions;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * The measurements of docs/spark.md: one CAE, the same data and initial parameters, trained in one JVM
 * with {@code fit} and on Spark with each averaging frequency and worker count asked for; prints a
 * Markdown table of seconds per epoch, the final held-out score and mean ||J||_F.
 */
@Command(name = "spark-comparison", mixinStandardHelpOptions = true,
        description = "One-JVM fit vs Spark parameter averaging: time per epoch, held-out score, mean ||J||_F.")
public final class SparkComparison implements Callable<Integer> {

    @Option(names = "--master", defaultValue = "local[2]", description = "Spark master (default: ${DEFAULT-VALUE}).")
    String master;
    @Option(names = "--source", defaultValue = "SUBSET", description = "AUTO, FULL or SUBSET (default: ${DEFAULT-VALUE}).")
    MnistDataOptions.Source source;
    @Option(names = "--train", defaultValue = "0", description = "Training digits, 0 for all (default: ${DEFAULT-VALUE}).")
    int train;
    @Option(names = "--hidden", defaultValue = "256", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hidden;
    @Option(names = "--lambda", defaultValue = "0.3", description = "Contraction strength (default: ${DEFAULT-VALUE}).")
    double lambda;
    @Option(names = "--epochs", defaultValue = "2", description = "Epochs of every run (default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--batch", defaultValue = "50", description = "Minibatch (default: ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--averaging", split = ",", defaultValue = "2,10,50", description = "Averaging frequencies (default: ${DEFAULT-VALUE}).")
    List<Integer> averaging;
    @Option(names = "--workers", split = ",", defaultValue = "1,2", description = "Worker counts (default: ${DEFAULT-VALUE}).")
    List<Integer> workers;
    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkComparison()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        MnistSplits data = MnistData.load(new MnistDataOptions(null, null, source, seed, train));
        LayerPretrainOptions opts = LayerPretrainOptions.cae(hidden, lambda).withTiedWeights(false);
        List<DataSet> minibatches = DataSetRdds.minibatches(data.trainX(), null, batch);
        DataSet heldOut = new DataSet(data.validX(), data.validX());
        StringBuilder table = new StringBuilder(String.format(
                "%s, %d training digits, CAE 784-%d-784, lambda %s, minibatch %d, %d epochs, master %s%n%n"
                        + "| run | workers | averaging frequency | s/epoch | held-out score | mean ‖J‖_F |%n|---|---|---|---|---|---|%n",
                data.source(), data.trainX().size(0), hidden, lambda, batch, epochs, master));

        MultiLayerNetwork single = Autoencoders.network(opts, 784, seed, DataType.FLOAT);
        double before = single.score(heldOut);
        var s = SingleMachineFit.fit(single, minibatches, epochs, seed, n -> n.score(heldOut));
        row(table, "one JVM fit", "-", "-", s, single, data);
        System.out.print(table);

        JavaSparkContext sc = SparkContexts.start("cae4j spark comparison", master);
        try {
            JavaRDD<DataSet> rdd = DataSetRdds.rdd(sc, minibatches, Math.max(2, sc.defaultParallelism()));
            for (int w : workers) {
                for (int f : averaging) {
                    MultiLayerNetwork net = Autoencoders.network(opts, 784, seed, DataType.FLOAT);
                    var r = DistributedTraining.fit(sc, net, rdd, new TrainingOptions(w, batch, f, epochs, seed),
                            "workers " + w + ", averaging " + f, n -> n.score(heldOut));
                    row(table, "Spark", String.valueOf(w), String.valueOf(f), r.epochs(), net, data);
                }
            }
        } finally {
            sc.stop();
        }
        System.out.printf("%n(held-out score before training: %.1f)%n%s", before, table);
        return 0;
    }

    private static void row(StringBuilder table, String run, String workers, String averaging, List<DistributedTraining.Epoch> epochs,
                            MultiLayerNetwork net, MnistSplits data) {
        double secondsPerEpoch = epochs.stream().mapToDouble(DistributedTraining.Epoch::seconds).average().orElseThrow();
        double meanJ = JacobianNorms.meanFrobenius(JacobianNorms.frobeniusSquared(net, 0, data.validX()));
        table.append(String.format("| %s | %s | %s | %.2f | %.1f | %.3f |%n", run, workers, averaging, secondsPerEpoch,
                epochs.get(epochs.size() - 1).score(), meanJ));
    }
}
