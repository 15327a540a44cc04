package io.github.cae4j.examples.table1;

import io.github.cae4j.pretrain.GreedyLayerwisePretrainer;
import io.github.cae4j.testing.Exact;
import io.github.cae4j.pretrain.LayerPretrainOptions;
import io.github.cae4j.pretrain.PretrainSchedule;
import io.github.cae4j.pretrain.PretrainedAutoencoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A snapshot after L epochs is exactly what the library's pretrainer returns when limited to L epochs. */
class SnapshotPretrainingTest {

    private static final INDArray X;
    private static final INDArray V;

    static {
        Nd4j.getRandom().setSeed(11);
        X = Nd4j.rand(DataType.FLOAT, 96, 12);
        V = Nd4j.rand(DataType.FLOAT, 40, 12);
    }

    static Stream<LayerPretrainOptions> kinds() {
        LayerPretrainOptions base = LayerPretrainOptions.cae(6, 0).withUpdater(new Adam(1e-2));
        // CAE+H: the higher-order term must reach the snapshot run's layer (it did not before the CAE+H row)
        return Stream.of(base.withLambda(0.5), base.withGaussianNoise(0.2), base.withCorruptionLevel(0.25), base.withL2(1e-2),
                base.withLambda(0.5).withHigherOrder(0.5, 0.1, 2));
    }

    private static PretrainedAutoencoder library(LayerPretrainOptions opts, int maxEpochs, int patience) {
        return new GreedyLayerwisePretrainer(List.of(opts), new PretrainSchedule(16, maxEpochs, patience, 7), DataType.FLOAT)
                .pretrain(X, V).autoencoders().get(0);
    }

    private static void assertSame(PretrainedAutoencoder expected, PretrainedAutoencoder actual) {
        assertArrayEquals(expected.W().dup().data().asFloat(), actual.W().dup().data().asFloat(), 0f);
        assertArrayEquals(expected.b().dup().data().asFloat(), actual.b().dup().data().asFloat(), 0f);
        assertArrayEquals(expected.decoderB().dup().data().asFloat(), actual.decoderB().dup().data().asFloat(), 0f);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void eachSnapshotIsTheModelOfAShorterRun(LayerPretrainOptions opts) {
        List<SnapshotPretraining.Snapshot> s = SnapshotPretraining.run("test", opts, 16, 100, 7, X, V, new TreeSet<>(List.of(1, 3)));
        assertEquals(List.of(1, 3), s.stream().map(SnapshotPretraining.Snapshot::length).toList());
        assertSame(library(opts, 1, 100), s.get(0).ae());
        assertSame(library(opts, 3, 100), s.get(1).ae());
        assertEquals(3, s.get(1).epochs());
        assertEquals(3, s.get(1).heldOutByEpoch().size());
    }

    @Test
    void aLengthBeyondAnEarlyStopGetsTheFinalBestModel() {
        // no learning at all: epoch 1 stays the best and patience 1 stops the run after epoch 2
        LayerPretrainOptions still = LayerPretrainOptions.cae(6, 0.5).withUpdater(new Sgd(0.0));
        List<SnapshotPretraining.Snapshot> s = SnapshotPretraining.run("test", still, 16, 1, 7, X, V, new TreeSet<>(List.of(1, 50)));
        SnapshotPretraining.Snapshot longest = s.get(1);
        assertEquals(50, longest.length());
        assertEquals(2, longest.epochs());
        assertEquals(1, longest.bestEpoch());
        assertSame(library(still, 50, 1), longest.ae());
    }

    private static void assertBitIdentical(SnapshotPretraining.Snapshot expected, SnapshotPretraining.Snapshot actual, String what) {
        Exact.assertBitIdentical(expected.ae().W(), actual.ae().W(), what + " W");
        Exact.assertBitIdentical(expected.ae().b(), actual.ae().b(), what + " b");
        Exact.assertBitIdentical(expected.ae().decoderW(), actual.ae().decoderW(), what + " decoder W");
        Exact.assertBitIdentical(expected.ae().decoderB(), actual.ae().decoderB(), what + " decoder bias");
        assertEquals(expected.epochs(), actual.epochs(), what + " epochs");
        assertEquals(expected.bestEpoch(), actual.bestEpoch(), what + " best epoch");
        assertEquals(expected.heldOutObjective(), actual.heldOutObjective(), 0.0, what + " held-out objective");
        assertEquals(expected.heldOutMeanJacobianFro(), actual.heldOutMeanJacobianFro(), 0.0, what + " Jacobian norm");
        assertEquals(expected.heldOutByEpoch(), actual.heldOutByEpoch(), what + " objective per epoch");
    }

    /** Stops the run right after epoch {@code stopAfter}'s checkpoint, then runs it again from the checkpoint. */
    private static List<SnapshotPretraining.Snapshot> stoppedAndResumed(LayerPretrainOptions opts, int patience, TreeSet<Integer> lengths,
                                                                      int stopAfter, Path dir) throws IOException {
        IllegalStateException stop = assertThrows(IllegalStateException.class,
                () -> SnapshotPretraining.run("test", opts, 16, patience, 7, X, V, lengths, dir, stopAfter));
        assertTrue(String.valueOf(stop.getCause()).contains("stopped after epoch " + stopAfter), String.valueOf(stop));
        assertEquals(stopAfter, PretrainingCheckpoint.epochsDone(dir), "epochs in the checkpoint");
        Nd4j.getRandom().setSeed(999);      // whatever ran in between
        return SnapshotPretraining.run("test", opts, 16, patience, 7, X, V, lengths, dir);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aStoppedRunResumedFromItsCheckpointEndsBitIdentical(LayerPretrainOptions opts, @TempDir Path dir) throws IOException {
        TreeSet<Integer> lengths = new TreeSet<>(List.of(2, 4));
        List<SnapshotPretraining.Snapshot> straight = SnapshotPretraining.run("test", opts, 16, 100, 7, X, V, lengths);
        // after epoch 1 (no snapshot taken yet) and after epoch 3 (the 2-epoch snapshot comes from the checkpoint)
        for (int stopAfter : new int[]{1, 3}) {
            List<SnapshotPretraining.Snapshot> resumed = stoppedAndResumed(opts, 100, lengths, stopAfter, dir.resolve("stop" + stopAfter));
            assertEquals(2, resumed.size());
            for (int i = 0; i < 2; i++) {
                assertBitIdentical(straight.get(i), resumed.get(i), "length " + lengths.toArray()[i] + ", stopped after epoch " + stopAfter);
            }
        }
    }

    @Test
    void theEarlyStopOfAResumedRunFallsOnTheSameEpoch(@TempDir Path dir) throws IOException {
        // no learning: epoch 1 stays the best and patience 2 stops the run after epoch 3
        LayerPretrainOptions still = LayerPretrainOptions.cae(6, 0.5).withUpdater(new Sgd(0.0));
        TreeSet<Integer> lengths = new TreeSet<>(List.of(1, 50));
        List<SnapshotPretraining.Snapshot> straight = SnapshotPretraining.run("test", still, 16, 2, 7, X, V, lengths);
        assertEquals(3, straight.get(1).epochs());
        // resumed after epoch 2: DL4J's own patience condition would forget epoch 1 and stop after epoch 4;
        // after epoch 3 the checkpoint is the finished run
        for (int stopAfter : new int[]{2, 3}) {
            List<SnapshotPretraining.Snapshot> resumed = stoppedAndResumed(still, 2, lengths, stopAfter, dir.resolve("stop" + stopAfter));
            assertBitIdentical(straight.get(1), resumed.get(1), "early-stopped run, stopped after epoch " + stopAfter);
        }
    }

    @Test
    void aCheckpointOfAnotherRunIsNotResumed(@TempDir Path dir) throws IOException {
        LayerPretrainOptions opts = LayerPretrainOptions.cae(6, 0.5).withUpdater(new Adam(1e-2));
        assertThrows(IllegalStateException.class,
                () -> SnapshotPretraining.run("test", opts, 16, 100, 7, X, V, new TreeSet<>(List.of(3)), dir, 2));
        // another lambda: the checkpoint is deleted and the run starts from epoch 1
        LayerPretrainOptions other = opts.withLambda(0.1);
        List<SnapshotPretraining.Snapshot> fresh = SnapshotPretraining.run("test", other, 16, 100, 7, X, V, new TreeSet<>(List.of(3)), dir);
        List<SnapshotPretraining.Snapshot> straight = SnapshotPretraining.run("test", other, 16, 100, 7, X, V, new TreeSet<>(List.of(3)));
        assertBitIdentical(straight.get(0), fresh.get(0), "run after another run's checkpoint");
    }

    @Test
    void theIdentityOfTheTableRunsNamesValuesNotObjectAddresses() {
        // an address (a default toString) would differ in the next process, and no checkpoint would ever be resumed
        for (Table1Row row : Table1Row.values()) {
            if (row == Table1Row.CAE_2 || row == Table1Row.MTC) {
                continue;       // grids built on another row's choice, of the same kinds of layers
            }
            for (Candidate c : Table1Protocol.full().grid(row)) {
                if (c.pretraining() == null) {
                    continue;
                }
                String id = SnapshotPretraining.identity(c.layerOptions(1000), 128, 10, 1, new TreeSet<>(List.of(20, 60)), X, V);
                assertFalse(id.matches("(?s).*@[0-9a-f]{4,}.*"), id);
                assertTrue(id.contains("Adam") || id.contains("Nesterovs") || id.contains("Sgd"), id);
            }
        }
    }
}
