package io.github.cae4j.examples.table1;

import io.github.cae4j.pretrain.GreedyLayerwisePretrainer;
import io.github.cae4j.pretrain.LayerPretrainOptions;
import io.github.cae4j.pretrain.PretrainSchedule;
import io.github.cae4j.pretrain.PretrainedAutoencoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
