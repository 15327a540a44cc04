package io.github.cae4j.layers;

import io.github.cae4j.io.ModelFiles;
import io.github.cae4j.testing.Exact;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Layer-wise pretraining resumed from a saved network: DL4J keeps the pretraining optimiser's state
 * in the layer's own solver, which {@code ModelSerializer} does not save, so a resume needs
 * {@link ContractiveDenseLayerImpl#pretrainingUpdaterState} or {@code ModelFiles} with the updater
 * (and ND4J's random state for the noise).
 */
class PretrainingResumeTest {

    private static final int STEPS = 6;
    private static final int BATCH = 8;

    @TempDir
    Path dir;

    private static MultiLayerNetwork fresh() {
        // CAE+H with masking noise: every step draws from ND4J's random generator
        var layer = new ContractiveDenseLayer.Builder().nIn(10).nOut(6).activation(Activation.SIGMOID).lambda(0.3)
                .corruptionLevel(0.2).higherOrder(0.5, 0.2, 2).reconstructionLoss(TinyNets.bce()).build();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(11).dataType(DataType.FLOAT)
                .updater(new Adam(0.05)).weightInit(WeightInit.XAVIER).list().layer(layer).build());
        net.init();
        return net;
    }

    private static final INDArray DATA = TinyNets.manifoldData(STEPS * BATCH, 10, 3, 4).castTo(DataType.FLOAT);

    private static void steps(MultiLayerNetwork net, int from, int to) {
        for (int s = from; s < to; s++) {
            net.pretrainLayer(0, DATA.get(NDArrayIndex.interval(s * BATCH, (s + 1) * BATCH), NDArrayIndex.all()));
        }
    }

    private static ContractiveDenseLayerImpl layer(MultiLayerNetwork net) {
        return (ContractiveDenseLayerImpl) net.getLayer(0);
    }

    /** How the second half gets the first half's pretraining optimiser state. */
    private enum Restore { NOT_AT_ALL, THROUGH_THE_LAYER, THROUGH_THE_MODEL_FILE }

    /** Pretrains the first half, saves, loads (the optimiser state restored as {@code how} says) and ND4J's generator, pretrains the rest. */
    private MultiLayerNetwork resumed(Restore how) throws IOException {
        Nd4j.getRandom().setSeed(5);
        MultiLayerNetwork first = fresh();
        Nd4j.getRandom().setSeed(5);
        steps(first, 0, STEPS / 2);
        Path file = dir.resolve("half.zip");
        boolean withUpdater = how == Restore.THROUGH_THE_MODEL_FILE;
        ModelFiles.saveAtomically(first, file, withUpdater);
        INDArray state = layer(first).pretrainingUpdaterState();
        long root = Nd4j.getRandom().rootState();
        long node = Nd4j.getRandom().nodeState();

        Nd4j.getRandom().setSeed(123);      // whatever happens in between
        MultiLayerNetwork second = ModelFiles.load(file, withUpdater);
        if (how == Restore.THROUGH_THE_LAYER) {
            layer(second).restorePretrainingUpdaterState(state);
        }
        Nd4j.getRandom().setStates(root, node);
        steps(second, STEPS / 2, STEPS);
        return second;
    }

    private static MultiLayerNetwork straight() {
        Nd4j.getRandom().setSeed(5);
        MultiLayerNetwork net = fresh();
        Nd4j.getRandom().setSeed(5);
        steps(net, 0, STEPS);
        return net;
    }

    @Test
    void aResumedPretrainingEndsBitIdenticalToAStraightOne() throws IOException {
        Exact.assertBitIdentical(straight().params(), resumed(Restore.THROUGH_THE_LAYER).params(), "parameters, state restored through the layer");
        Exact.assertBitIdentical(straight().params(), resumed(Restore.THROUGH_THE_MODEL_FILE).params(),
                "parameters, state saved and loaded by ModelFiles with the updater");
    }

    @Test
    void withoutTheRestoredStateAdamStartsAgainAndTheParametersDiffer() throws IOException {
        Exact.assertDiffers(straight().params(), resumed(Restore.NOT_AT_ALL).params(), "parameters after a resume that lost Adam's moments");
    }

    @Test
    void dl4jReadsTheModelFileAndLoadingWithoutTheUpdaterIgnoresTheExtraEntry() throws IOException {
        MultiLayerNetwork net = fresh();
        steps(net, 0, 2);
        Path file = dir.resolve("m.zip");
        ModelFiles.saveAtomically(net, file, true);
        Exact.assertBitIdentical(net.params(), ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true).params(), "DL4J's own loader");
        assertNull(layer(ModelFiles.load(file, false)).pretrainingUpdaterState(), "no updater asked, none restored");
        Exact.assertBitIdentical(layer(net).pretrainingUpdaterState(), layer(ModelFiles.load(file, true)).pretrainingUpdaterState(),
                "pretraining optimiser state after a round trip");
    }

    @Test
    void theStateIsNullBeforeTheFirstStepAndAWrongLengthIsRefused() {
        MultiLayerNetwork net = fresh();
        assertNull(layer(net).pretrainingUpdaterState());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer(net).restorePretrainingUpdaterState(Nd4j.zeros(DataType.FLOAT, 1, 7)));
        // Adam keeps two moments per parameter: W 10x6, b 6, visible bias 10
        assertTrue(e.getMessage().contains("has 7 values") && e.getMessage().contains("needs " + 2 * (60 + 6 + 10)), e.getMessage());
    }
}
