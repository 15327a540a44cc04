package io.github.cae4j.examples.training;

import io.github.cae4j.training.ShuffledBatchIterator;

import io.github.cae4j.layers.ContractiveDenseLayer;
import io.github.cae4j.losses.ContractiveLossFunction;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointedTrainingTest {

    @TempDir
    Path dir;

    /** A denoising CAE with dropout and Adam: noise, dropout and updater state all have to survive a resume. */
    static MultiLayerNetwork fresh() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(5).dataType(DataType.FLOAT).updater(new Adam(1e-2)).weightInit(WeightInit.XAVIER).list()
                .layer(new ContractiveDenseLayer.Builder().nIn(10).nOut(6).activation(Activation.SIGMOID).lambda(0.5)
                        .corruptionLevel(0.2).dropOut(0.9).build())
                .layer(new OutputLayer.Builder(new ContractiveLossFunction(ContractiveLossFunction.Reconstruction.BINARY_CROSS_ENTROPY)).nIn(6).nOut(10).activation(Activation.SIGMOID).build())
                .build());
        net.init();
        return net;
    }

    private static ShuffledBatchIterator data() {
        Nd4j.getRandom().setSeed(8);
        INDArray x = Nd4j.rand(DataType.FLOAT, 40, 10);
        return ShuffledBatchIterator.autoencoder(x, 8, 21, true);
    }

    @Test
    void anInterruptedRunResumedFromItsCheckpointEndsBitIdenticalToAStraightRun() throws IOException {
        MultiLayerNetwork straight = new CheckpointedTraining(dir.resolve("straight"), 5, 99)
                .run(CheckpointedTrainingTest::fresh, data(), List.of());

        Path resumedDir = dir.resolve("resumed");
        new CheckpointedTraining(resumedDir, 2, 99).run(CheckpointedTrainingTest::fresh, data(), List.of());  // "killed" after 2 epochs
        MultiLayerNetwork resumed = new CheckpointedTraining(resumedDir, 5, 99)
                .run(() -> { throw new AssertionError("must resume, not start afresh"); }, data(), List.of());

        assertEquals(5, straight.getEpochCount());
        assertEquals(5, resumed.getEpochCount());
        assertEquals(straight.params(), resumed.params());
        assertEquals(straight.getUpdater().getStateViewArray(), resumed.getUpdater().getStateViewArray());
        assertNotEquals(fresh().params(), straight.params(), "training changed the parameters");
        try (var files = Files.list(resumedDir)) {
            assertEquals(List.of(CheckpointedTraining.CHECKPOINT), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void aCheckpointBeyondTheRunIsRefused() throws IOException {
        new CheckpointedTraining(dir, 3, 1).run(CheckpointedTrainingTest::fresh, data(), List.of());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new CheckpointedTraining(dir, 2, 1).run(CheckpointedTrainingTest::fresh, data(), List.of()));
        assertTrue(e.getMessage().contains("is at epoch 3, beyond this run's 2 epochs"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CheckpointedTraining(dir, 0, 1));
    }

    @Test
    void sameSeedSameDataSameThreadsGivesBitIdenticalParameters() throws IOException {
        MultiLayerNetwork a = new CheckpointedTraining(dir.resolve("a"), 3, 7).run(CheckpointedTrainingTest::fresh, data(), List.of());
        MultiLayerNetwork b = new CheckpointedTraining(dir.resolve("b"), 3, 7).run(CheckpointedTrainingTest::fresh, data(), List.of());
        MultiLayerNetwork c = new CheckpointedTraining(dir.resolve("c"), 3, 8).run(CheckpointedTrainingTest::fresh, data(), List.of());
        assertEquals(a.params(), b.params());
        assertNotEquals(a.params(), c.params(), "another seed draws other noise");
    }
}
