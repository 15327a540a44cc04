package io.github.cae4j.layers;

import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Callers of {@code MultiLayerNetwork.backpropGradient(epsilon, …)} (GAN generators, RL policies)
 * keep using their epsilon afterwards; backprop must leave it exactly as it was.
 */
@ExtendWith(DoublePrecision.class)
class EpsilonUntouchedTest {

    /** An encoder stack without an output layer, the shape a GAN generator or an RL policy has. */
    private static MultiLayerNetwork generator(Activation activation, WorkspaceMode mode) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(8).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(mode).inferenceWorkspaceMode(mode)
                .list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH).build())
                .layer(new ContractiveDenseLayer.Builder().nIn(5).nOut(4).activation(activation).lambda(0.9).build())
                .build());
        net.init();
        return net;
    }

    @ParameterizedTest
    @EnumSource(ContractiveDenseLayerGradientTest.Supported.class)
    void networkBackpropLeavesTheCallersEpsilonBitIdentical(ContractiveDenseLayerGradientTest.Supported s) {
        for (WorkspaceMode mode : WorkspaceMode.values()) {
            MultiLayerNetwork net = generator(s.activation, mode);
            INDArray x = TinyNets.manifoldData(5, 6, 2, 3);
            INDArray epsilon = Nd4j.rand(DataType.DOUBLE, 5, 4).subi(0.5);
            double[] before = epsilon.data().asDouble();
            net.setInput(x);
            net.feedForward(true, false);   // keep the layer inputs for backprop, as external-error training does
            net.backpropGradient(epsilon, LayerWorkspaceMgr.noWorkspaces());
            assertArrayEquals(before, epsilon.data().asDouble(), 0.0, s + ", workspace mode " + mode);
        }
    }

    @ParameterizedTest
    @EnumSource(ContractiveDenseLayerGradientTest.Supported.class)
    void layerBackpropLeavesItsEpsilonBitIdentical(ContractiveDenseLayerGradientTest.Supported s) {
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, s.activation, 0.7);
        net.initGradientsView();
        var layer = net.getLayer(0);
        INDArray x = TinyNets.manifoldData(5, 6, 2, 4);
        INDArray epsilon = Nd4j.rand(DataType.DOUBLE, 5, 4).subi(0.5);
        double[] before = epsilon.data().asDouble();
        layer.activate(x, true, LayerWorkspaceMgr.noWorkspaces());     // the reused-forward path
        layer.backpropGradient(epsilon, LayerWorkspaceMgr.noWorkspaces());
        assertArrayEquals(before, epsilon.data().asDouble(), 0.0, s + " after a forward pass");
        layer.setInput(x.dup(), LayerWorkspaceMgr.noWorkspaces());       // the recomputing path
        layer.backpropGradient(epsilon, LayerWorkspaceMgr.noWorkspaces());
        assertArrayEquals(before, epsilon.data().asDouble(), 0.0, s + " without a forward pass");
    }
}
