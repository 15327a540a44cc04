package io.github.cae4j.spark;

import io.github.cae4j.pretrain.LayerPretrainOptions;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input on Spark gives a clear error or a valid model, never a silently wrong one. Runs in
 * {@code local[2,2]}: two worker threads, and a task may fail once and be retried, as on a cluster.
 * Small real data: 400 digits of the npm subset, a 784-32-784 CAE.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SparkBadInputTest {

    static final int BATCH = 20;
    static final TrainingOptions OPTIONS = new TrainingOptions(2, BATCH, 5, 1, 11);

    /** Evaluations of partition 0 of {@link #killOnce}'s RDD, across jobs and attempts; static because tasks run in this JVM. */
    static final AtomicInteger PARTITION_ZERO_RUNS = new AtomicInteger();
    static final AtomicInteger KILLED = new AtomicInteger();

    private JavaSparkContext sc;
    private List<DataSet> minibatches;
    private DataSet heldOut;

    @BeforeAll
    void start() {
        sc = SparkContexts.start("SparkBadInputTest", "local[2,2]");
        var data = SparkMnist.splits();
        minibatches = DataSetRdds.minibatches(data.trainX().getRows(java.util.stream.IntStream.range(0, 400).toArray()), null, BATCH);
        heldOut = new DataSet(data.validX(), data.validX());
    }

    @AfterAll
    void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    private static MultiLayerNetwork cae() {
        return Autoencoders.network(LayerPretrainOptions.cae(32, 0.5).withTiedWeights(false).withUpdater(new Adam(1e-2)), 784, 11, DataType.FLOAT);
    }

    @Test
    void recordsOfDifferentWidthsAreRefusedNamingWidthsAndRecord() {
        List<DataSet> mixed = new ArrayList<>(minibatches.subList(0, 6));
        INDArray narrow = Nd4j.rand(DataType.FLOAT, BATCH, 783);
        mixed.add(new DataSet(narrow, narrow));
        var e = assertThrows(IllegalArgumentException.class,
                () -> DistributedTraining.fit(sc, cae(), DataSetRdds.rdd(sc, mixed, 2), OPTIONS, "mixed", null));
        String m = e.getMessage();
        assertTrue(m.contains("784 feature / 784 label columns") && m.contains("783 feature / 783 label columns")
                && m.contains("partition 1, record 3"), m);
    }

    @Test
    void dataOfAnotherWidthThanTheNetworkIsRefused() {
        List<DataSet> narrow = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, 100);
            narrow.add(new DataSet(x, x));
        }
        var e = assertThrows(IllegalArgumentException.class,
                () -> DistributedTraining.fit(sc, cae(), DataSetRdds.rdd(sc, narrow, 2), OPTIONS, "narrow", null));
        assertTrue(e.getMessage().contains("100 feature and 100 label columns") && e.getMessage().contains("nIn = 784"), e.getMessage());
    }

    @Test
    void nonFiniteInputIsRefusedNamingTheRecord() {
        List<DataSet> bad = new ArrayList<>(minibatches.subList(0, 4));
        INDArray x = minibatches.get(4).getFeatures().dup();
        x.putScalar(3, 100, Double.NaN);
        bad.add(new DataSet(x, x));
        var e = assertThrows(IllegalArgumentException.class,
                () -> DistributedTraining.fit(sc, cae(), DataSetRdds.rdd(sc, bad, 1), OPTIONS, "nan", null));
        assertTrue(e.getMessage().contains("partition 0, record 4") && e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void anEmptyRddIsRefused() {
        JavaRDD<DataSet> empty = DataSetRdds.rdd(sc, minibatches, 2).filter(ds -> false);
        var e = assertThrows(IllegalArgumentException.class, () -> DistributedTraining.fit(sc, cae(), empty, OPTIONS, "empty", null));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void tiedOptionsAreRefusedBeforeAnySparkJob() {
        var tied = assertThrows(IllegalArgumentException.class,
                () -> Autoencoders.network(LayerPretrainOptions.cae(8, 0.1), 784, 1, DataType.FLOAT));
        assertTrue(tied.getMessage().contains("tiedWeights = true") && tied.getMessage().contains("withTiedWeights(false)"), tied.getMessage());
        var tiedNoisy = assertThrows(IllegalArgumentException.class, () -> new LayerwiseSparkPretraining(
                List.of(LayerPretrainOptions.cae(8, 0).withGaussianNoise(0.3)), OPTIONS, DataType.FLOAT));
        assertTrue(tiedNoisy.getMessage().contains("tiedWeights = true"), tiedNoisy.getMessage());
    }

    @Test
    void anEmptyPartitionStillGivesAValidModel() {
        // 4 partitions, the third emptied: its worker has nothing to fit and must not drag the average
        JavaRDD<DataSet> withHole = DataSetRdds.rdd(sc, minibatches, 4)
                .mapPartitionsWithIndex((p, it) -> p == 2 ? java.util.Collections.emptyIterator() : it, true);
        MultiLayerNetwork net = cae();
        double before = net.score(heldOut);
        var r = DistributedTraining.fit(sc, net, withHole, OPTIONS.withEpochs(2), "empty partition", n -> n.score(heldOut));
        assertEquals(1, r.data().emptyPartitions());
        assertTrue(r.finalScore() < 0.6 * before, "held-out score " + before + " -> " + r.epochs());
        assertTrue(Double.isFinite(net.params().sumNumber().doubleValue()));
    }

    @Test
    void aTaskKilledOnceIsRetriedAndTheModelIsTheSameAsWithoutTheFailure() {
        MultiLayerNetwork reference = cae();
        DistributedTraining.fit(sc, reference, DataSetRdds.rdd(sc, minibatches, 2), OPTIONS, "no failure", null);

        PARTITION_ZERO_RUNS.set(0);
        KILLED.set(0);
        // The first run of partition 0 is the data check; the second is inside DL4J's training jobs:
        // that one dies once, as a lost executor's task would, and Spark runs it again.
        JavaRDD<DataSet> flaky = DataSetRdds.rdd(sc, minibatches, 2).mapPartitionsWithIndex((p, it) -> {
            if (p == 0 && PARTITION_ZERO_RUNS.incrementAndGet() == 2) {
                KILLED.incrementAndGet();
                throw new IllegalStateException("killed task: partition 0, attempt " + TaskContext.get().attemptNumber());
            }
            return it;
        }, true);
        MultiLayerNetwork net = cae();
        double before = net.score(heldOut);
        var r = DistributedTraining.fit(sc, net, flaky, OPTIONS, "killed once", n -> n.score(heldOut));
        assertEquals(1, KILLED.get(), "the injected failure happened once");
        assertTrue(r.finalScore() < 0.7 * before, "held-out score " + before + " -> " + r.epochs());
        float[] expected = reference.params().data().asFloat();
        float[] actual = net.params().data().asFloat();
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
        }
        System.out.println("retried vs reference: max |param difference| " + maxDiff);
        // Measured 0.0: with two workers the average's sum is the same whichever task finishes first
        // (a + b = b + a in floating point); the tolerance leaves room for more workers' orderings.
        assertArrayEquals(expected, actual, 1e-5f, "the retried run trains the same model as the run without a failure");
    }
}
