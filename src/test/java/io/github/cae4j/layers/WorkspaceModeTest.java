package io.github.cae4j.layers;

import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DL4J's workspaces only decide where arrays live; with {@code WorkspaceMode.NONE} and {@code ENABLED}
 * the layers must compute bit-identical outputs, scores, gradients and training trajectories. (The layer
 * keeps its forward pass for backprop only while the arrays' workspace is open, so the two modes can take
 * different code paths; both must give the same bits.)
 */
@ExtendWith(DoublePrecision.class)
class WorkspaceModeTest {

    /** Dense → CAE (with dropout and masking noise, so the random paths are covered too) → CAE → decoder. */
    private static MultiLayerNetwork network(WorkspaceMode mode) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(51).dataType(DataType.DOUBLE).updater(new Adam(0.01)).weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(mode).inferenceWorkspaceMode(mode)
                .list()
                .layer(new DenseLayer.Builder().nIn(8).nOut(7).activation(Activation.TANH).build())
                .layer(new ContractiveDenseLayer.Builder().nIn(7).nOut(6).activation(Activation.SOFTPLUS).lambda(0.5)
                        .dropOut(0.8).corruptionLevel(0.2).gaussianNoise(0.05).build())
                .layer(new ContractiveDenseLayer.Builder().nIn(6).nOut(4).activation(Activation.SIGMOID).lambda(0.9).build())
                .layer(new DecoderOutputLayer.Builder(TinyNets.bce()).nIn(4).nOut(8).build())
                .build());
        net.init();
        return net;
    }

    private static double[] values(INDArray a) {
        return a.dup('c').data().asDouble();
    }

    @Test
    void noneAndEnabledAreBitIdentical() {
        MultiLayerNetwork none = network(WorkspaceMode.NONE);
        MultiLayerNetwork enabled = network(WorkspaceMode.ENABLED);
        assertArrayEquals(values(none.params()), values(enabled.params()), 0.0, "same initial parameters");
        INDArray x = TinyNets.manifoldData(10, 8, 3, 52);
        DataSet ds = new DataSet(x, x);

        assertArrayEquals(values(none.output(x)), values(enabled.output(x)), 0.0, "output");
        assertEquals(none.score(ds), enabled.score(ds), 0.0, "score");
        assertArrayEquals(values(none.scoreExamples(ds, true)), values(enabled.scoreExamples(ds, true)), 0.0, "scoreExamples");

        for (MultiLayerNetwork net : new MultiLayerNetwork[]{none, enabled}) {
            Nd4j.getRandom().setSeed(53);
            net.setInput(x);
            net.setLabels(x);
            net.computeGradientAndScore();
        }
        assertEquals(none.score(), enabled.score(), 0.0, "training score");
        assertArrayEquals(values(none.gradient().gradient()), values(enabled.gradient().gradient()), 0.0, "gradient");

        for (int step = 0; step < 10; step++) {
            for (MultiLayerNetwork net : new MultiLayerNetwork[]{none, enabled}) {
                Nd4j.getRandom().setSeed(100 + step);
                net.fit(ds);
            }
            assertEquals(none.score(), enabled.score(), 0.0, "score of step " + step);
        }
        assertArrayEquals(values(none.params()), values(enabled.params()), 0.0, "parameters after 10 Adam steps");
        assertArrayEquals(values(none.getUpdater().getStateViewArray()), values(enabled.getUpdater().getStateViewArray()), 0.0,
                "Adam state");
    }

    /** DL4J's layer-wise pretraining ({@code pretrainLayer}, which opens workspaces by the training mode). */
    @Test
    void pretrainingIsBitIdenticalToo() {
        MultiLayerNetwork none = pretrainable(WorkspaceMode.NONE);
        MultiLayerNetwork enabled = pretrainable(WorkspaceMode.ENABLED);
        INDArray x = TinyNets.manifoldData(10, 7, 3, 54);
        for (int step = 0; step < 5; step++) {
            for (MultiLayerNetwork net : new MultiLayerNetwork[]{none, enabled}) {
                Nd4j.getRandom().setSeed(200 + step);
                net.pretrainLayer(0, x);
            }
            assertEquals(none.getLayer(0).score(), enabled.getLayer(0).score(), 0.0, "pretraining score of step " + step);
        }
        assertArrayEquals(values(none.getLayer(0).params()), values(enabled.getLayer(0).params()), 0.0, "pretrained parameters");
    }

    private static MultiLayerNetwork pretrainable(WorkspaceMode mode) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(55).dataType(DataType.DOUBLE).updater(new Adam(0.01)).weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(mode).inferenceWorkspaceMode(mode)
                .list()
                .layer(new ContractiveDenseLayer.Builder().nIn(7).nOut(5).activation(Activation.TANH).lambda(0.5)
                        .reconstructionLoss(TinyNets.bce()).dropOut(0.8).corruptionLevel(0.2).gaussianNoise(0.05).build())
                .layer(new DecoderOutputLayer.Builder(TinyNets.bce()).nIn(5).nOut(7).build())
                .build());
        net.init();
        return net;
    }
}
