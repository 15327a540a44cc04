package io.github.cae4j.examples.training;

import io.github.cae4j.testing.Exact;
import io.github.cae4j.training.ShuffledBatchIterator;

import io.github.cae4j.layers.ContractiveDenseLayer;
import io.github.cae4j.losses.ContractiveLossFunction;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointedTrainingTest {

    @TempDir
    Path dir;

    /** A denoising CAE with dropout and Adam: noise, dropout and updater state all have to survive a resume. */
    static MultiLayerConfiguration configuration(double lambda, long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(DataType.FLOAT).updater(new Adam(1e-2)).weightInit(WeightInit.XAVIER).list()
                .layer(new ContractiveDenseLayer.Builder().nIn(10).nOut(6).activation(Activation.SIGMOID).lambda(lambda)
                        .corruptionLevel(0.2).dropOut(0.9).build())
                .layer(new OutputLayer.Builder(new ContractiveLossFunction(ContractiveLossFunction.Reconstruction.BINARY_CROSS_ENTROPY)).nIn(6).nOut(10).activation(Activation.SIGMOID).build())
                .build();
    }

    static MultiLayerConfiguration configuration() {
        return configuration(0.5, 5);
    }

    /** Counts training iterations. */
    private static final class Iterations extends BaseTrainingListener {
        int count;

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            count++;
        }
    }

    private static ShuffledBatchIterator data() {
        Nd4j.getRandom().setSeed(8);
        INDArray x = Nd4j.rand(DataType.FLOAT, 40, 10);
        return ShuffledBatchIterator.autoencoder(x, 8, 21, true);
    }

    @Test
    void anInterruptedRunResumedFromItsCheckpointEndsBitIdenticalToAStraightRun() throws IOException {
        MultiLayerNetwork straight = new CheckpointedTraining(dir.resolve("straight"), 5, 99)
                .run(configuration(), data(), List.of());

        Path resumedDir = dir.resolve("resumed");
        new CheckpointedTraining(resumedDir, 2, 99).run(configuration(), data(), List.of());  // "killed" after 2 epochs
        Iterations iterations = new Iterations();
        MultiLayerNetwork resumed = new CheckpointedTraining(resumedDir, 5, 99).run(configuration(), data(), List.of(iterations));

        assertEquals(3 * 5, iterations.count, "resumed: 3 more epochs of 5 batches, not 5 epochs afresh");
        assertEquals(5, straight.getEpochCount());
        assertEquals(5, resumed.getEpochCount());
        Exact.assertBitIdentical(straight.params(), resumed.params(), "resumed parameters");
        Exact.assertBitIdentical(straight.getUpdater().getStateViewArray(), resumed.getUpdater().getStateViewArray(),
                "resumed updater state");
        MultiLayerNetwork initial = new MultiLayerNetwork(configuration());
        initial.init();
        Exact.assertDiffers(initial.params(), straight.params(), "training changed the parameters");
        // The noise is not inert: the same run with another random seed (same data order; only the masking
        // noise and dropout draws change) ends elsewhere, so the resume above had to replay those draws exactly.
        MultiLayerNetwork otherNoise = new CheckpointedTraining(dir.resolve("other-noise"), 5, 100)
                .run(configuration(), data(), List.of());
        Exact.assertDiffers(straight.params(), otherNoise.params(), "another seed draws other noise");
        try (var files = Files.list(resumedDir)) {
            assertEquals(List.of(CheckpointedTraining.CHECKPOINT), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void aCheckpointBeyondTheRunIsRefused() throws IOException {
        new CheckpointedTraining(dir, 3, 1).run(configuration(), data(), List.of());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new CheckpointedTraining(dir, 2, 1).run(configuration(), data(), List.of()));
        assertTrue(e.getMessage().contains("is at epoch 3, beyond this run's 2 epochs"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CheckpointedTraining(dir, 0, 1));
    }

    @Test
    void aCheckpointOfAnotherConfigurationIsRefusedNamingWhatDiffers() throws IOException {
        new CheckpointedTraining(dir, 2, 1).run(configuration(0.5, 5), data(), List.of());
        Path checkpoint = dir.resolve(CheckpointedTraining.CHECKPOINT);
        byte[] before = Files.readAllBytes(checkpoint);

        IllegalStateException lambda = assertThrows(IllegalStateException.class,
                () -> new CheckpointedTraining(dir, 4, 1).run(configuration(0.3, 5), data(), List.of()));
        assertTrue(lambda.getMessage().contains(dir + " holds a checkpoint")
                && lambda.getMessage().contains("$.confs[0].layer.lambda: 0.5 vs 0.3"), lambda.getMessage());
        IllegalStateException seed = assertThrows(IllegalStateException.class,
                () -> new CheckpointedTraining(dir, 4, 1).run(configuration(0.5, 6), data(), List.of()));
        assertTrue(seed.getMessage().contains("seed: 5 vs 6"), seed.getMessage());
        assertArrayEquals(before, Files.readAllBytes(checkpoint), "the checkpoint is left as it was");

        // the same configuration resumes
        assertEquals(4, new CheckpointedTraining(dir, 4, 1).run(configuration(0.5, 5), data(), List.of()).getEpochCount());
    }

    @Test
    void sameSeedSameDataSameThreadsGivesBitIdenticalParameters() throws IOException {
        MultiLayerNetwork a = new CheckpointedTraining(dir.resolve("a"), 3, 7).run(configuration(), data(), List.of());
        MultiLayerNetwork b = new CheckpointedTraining(dir.resolve("b"), 3, 7).run(configuration(), data(), List.of());
        MultiLayerNetwork c = new CheckpointedTraining(dir.resolve("c"), 3, 8).run(configuration(), data(), List.of());
        Exact.assertBitIdentical(a.params(), b.params(), "same seed");
        Exact.assertDiffers(a.params(), c.params(), "another seed draws other noise");
    }
}
