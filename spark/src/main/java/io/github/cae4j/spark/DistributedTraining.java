package io.github.cae4j.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Trains a {@link MultiLayerNetwork} (any network, cae4j's layers included) on an RDD of minibatches
 * with DL4J's {@link SparkDl4jMultiLayer} and {@link ParameterAveragingTrainingMaster}.
 *
 * <p>Choices, each because the default failed or misled here:
 * <ul>
 *   <li>{@link RDDTrainingApproach#Direct}: the default {@code Export} writes the minibatches to a
 *       directory every executor must see; with executors in other JVMs and no shared file system
 *       (a standalone cluster without HDFS, {@code local-cluster}) the workers find no data.</li>
 *   <li>The RDD is not cached here: DL4J persists what it splits itself, and a second cache only
 *       doubles the memory.</li>
 *   <li>{@link TrainingDataCheck} runs first, so mismatched widths, NaN or an empty RDD fail on the
 *       driver with the record named, not deep inside a worker (or, for NaN, never).</li>
 * </ul>
 * The network passed in is trained in place and returned.
 */
public final class DistributedTraining {

    private static final Logger log = LoggerFactory.getLogger(DistributedTraining.class);

    /** Called after each epoch, e.g. to score held-out data; returns the value to log and keep. */
    @FunctionalInterface
    public interface EpochScore {
        double score(MultiLayerNetwork net);
    }

    /** One epoch: its wall time on the driver and the score {@link EpochScore} gave after it. */
    public record Epoch(int epoch, double seconds, double score) {
    }

    public record Result(MultiLayerNetwork network, List<Epoch> epochs, TrainingDataCheck.Summary data) {
        public double secondsPerEpoch() {
            return epochs.stream().mapToDouble(Epoch::seconds).average().orElse(Double.NaN);
        }

        public double finalScore() {
            return epochs.get(epochs.size() - 1).score();
        }
    }

    private DistributedTraining() {
    }

    /**
     * @param stage a name for the log lines, e.g. "stage 1 of 3: CAE 784->500"
     * @throws IllegalArgumentException when the RDD fails {@link TrainingDataCheck}, its widths are not the
     *                                  network's nIn/nOut, or its records are not {@code batchSizePerWorker} examples
     */
    public static Result fit(JavaSparkContext sc, MultiLayerNetwork net, JavaRDD<DataSet> data, TrainingOptions o,
                             String stage, EpochScore epochScore) {
        TrainingDataCheck.Summary summary = TrainingDataCheck.check(data);
        requireWidths(net, summary);
        if (summary.records() > 0 && summary.examples() > (long) o.batchSizePerWorker() * summary.records()) {
            throw new IllegalArgumentException(stage + ": RDD records hold " + summary.examples() + " examples in " + summary.records()
                    + " records, more than batchSizePerWorker = " + o.batchSizePerWorker()
                    + " each; build the RDD with minibatches of that size (DataSetRdds.minibatches)");
        }
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(
                o.workers() == 0 ? null : o.workers(), o.batchSizePerWorker())
                .batchSizePerWorker(o.batchSizePerWorker())
                .averagingFrequency(o.averagingFrequency())
                .workerPrefetchNumBatches(0)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .repartionData(Repartition.Always)
                .saveUpdater(true)
                .rngSeed(o.seed())
                .build();
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net, master);
        List<Epoch> epochs = new ArrayList<>();
        for (int e = 0; e < o.epochs(); e++) {
            long t0 = System.nanoTime();
            sparkNet.fit(data);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double score = epochScore == null ? sparkNet.getScore() : epochScore.score(sparkNet.getNetwork());
            if (!Double.isFinite(score)) {
                throw new IllegalStateException(stage + ": score became " + score + " after epoch " + (e + 1)
                        + "; lower the learning rate or check the inputs");
            }
            epochs.add(new Epoch(e + 1, seconds, score));
            log.info("{}: epoch {} of {}, score {}, {} s", stage, e + 1, o.epochs(), String.format("%.4f", score),
                    String.format("%.1f", seconds));
        }
        return new Result(sparkNet.getNetwork(), epochs, summary);
    }

    private static void requireWidths(MultiLayerNetwork net, TrainingDataCheck.Summary data) {
        int n = net.getnLayers();
        long nIn = ((FeedForwardLayer) net.getLayerWiseConfigurations().getConf(0).getLayer()).getNIn();
        long nOut = ((FeedForwardLayer) net.getLayerWiseConfigurations().getConf(n - 1).getLayer()).getNOut();
        if (data.featureWidth() != nIn || data.labelWidth() != nOut) {
            throw new IllegalArgumentException("training RDD has " + data.featureWidth() + " feature and " + data.labelWidth()
                    + " label columns but the network takes nIn = " + nIn + " and outputs nOut = " + nOut
                    + (nIn == nOut ? " (an autoencoder: labels = features)" : ""));
        }
    }
}
