package io.github.cae4j.layers;

import io.github.cae4j.losses.ContractiveLossFunction;
import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Configuration details the mutation pass (docs/mutation-testing.md) found unchecked: the forward pass
 * against an independent {@code f(xW + b)}, equality seeing every field, and the boundaries and
 * messages of {@code validate()}.
 */
@ExtendWith(DoublePrecision.class)
class ContractiveDenseLayerConfigTest {

    /** Against an independent computation with a non-zero bias, so a layer that ignored b or hasBias would show. */
    @Test
    void theEncoderComputesFOfXWPlusB() {
        for (boolean hasBias : new boolean[]{true, false}) {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                    .seed(4).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER).list()
                    .layer(new ContractiveDenseLayer.Builder().nIn(5).nOut(3).activation(Activation.TANH).lambda(0.3)
                            .hasBias(hasBias).biasInit(0.0).build())
                    .layer(new OutputLayer.Builder(TinyNets.bce()).nIn(3).nOut(5).activation(Activation.SIGMOID).build())
                    .build());
            net.init();
            INDArray W = net.getLayer(0).getParam("W");
            INDArray x = TinyNets.manifoldData(4, 5, 2, 9);
            INDArray z = x.mmul(W);
            if (hasBias) {
                INDArray b = Nd4j.linspace(DataType.DOUBLE, -0.7, 0.9, 3).reshape(1, 3);
                net.getLayer(0).setParam("b", b);
                z.addiRowVector(b);
            }
            INDArray expected = Transforms.tanh(z, true);
            INDArray actual = net.feedForwardToLayer(0, x, false).get(1);
            assertArrayEquals(expected.data().asDouble(), actual.dup().data().asDouble(), 1e-14, "hasBias " + hasBias);
            assertEquals(hasBias, net.getLayer(0).paramTable().containsKey("b"), "b is a parameter only with hasBias");
        }
    }

    @Test
    void layersThatDifferInOneFieldAreNotEqual() {
        ContractiveDenseLayer base = builder().build();
        assertEquals(base, builder().build());
        assertEquals(base.hashCode(), builder().build().hashCode());
        List<UnaryOperator<ContractiveDenseLayer.Builder>> changes = List.of(
                b -> b.lambda(0.31), b -> b.hasBias(false), b -> b.visibleBiasInit(0.2), b -> b.corruptionLevel(0.1),
                b -> b.gaussianNoise(0.1), b -> b.decoderActivation(Activation.TANH),
                b -> b.reconstructionLoss(new ContractiveLossFunction(ContractiveLossFunction.Reconstruction.SQUARED_ERROR)),
                b -> b.nOut(4));
        for (int i = 0; i < changes.size(); i++) {
            ContractiveDenseLayer changed = changes.get(i).apply(builder()).build();
            assertNotEquals(base, changed, "change " + i + ": " + changed);
        }
    }

    private static ContractiveDenseLayer.Builder builder() {
        return new ContractiveDenseLayer.Builder().nIn(5).nOut(3).activation(Activation.SIGMOID).lambda(0.3);
    }

    @Test
    void boundaryValuesAreAcceptedAndEachCheckNamesItsFieldAndTheLayer() {
        // the edges of the allowed ranges build
        builder().corruptionLevel(0.0).gaussianNoise(0.0).dropOut(1.0).lambda(ContractiveDenseLayer.MAX_LAMBDA).build();
        builder().corruptionLevel(0.999).build();
        builder().nIn(0).build();    // nIn may still be inferred from an input type

        var unnamed = assertThrows(IllegalArgumentException.class, () -> builder().corruptionLevel(-0.1).build());
        assertTrue(unnamed.getMessage().startsWith("ContractiveDenseLayer \"(unnamed)\": corruptionLevel must be in [0, 1), got -0.1"),
                unnamed.getMessage());
        var big = assertThrows(IllegalArgumentException.class, () -> builder().name("enc").lambda(1e7).build());
        assertTrue(big.getMessage().startsWith("ContractiveDenseLayer \"enc\": lambda must be in [0, 1000000.0], got 1.0E7")
                && big.getMessage().contains("overflow float"), big.getMessage());
        var negative = assertThrows(IllegalArgumentException.class, () -> builder().lambda(-1).build());
        assertTrue(!negative.getMessage().contains("overflow"), "the overflow hint is for large values only: " + negative.getMessage());
        for (double sigma : new double[]{Double.NaN, Double.POSITIVE_INFINITY}) {
            var e = assertThrows(IllegalArgumentException.class, () -> builder().gaussianNoise(sigma).build());
            assertTrue(e.getMessage().contains("gaussianNoise (standard deviation) must be finite and >= 0, got " + sigma), e.getMessage());
        }
        var loss = assertThrows(IllegalArgumentException.class, () -> builder().reconstructionLoss(null).build());
        assertTrue(loss.getMessage().contains("reconstructionLoss must not be null"), loss.getMessage());
        var decoder = assertThrows(IllegalArgumentException.class, () -> builder().decoderActivation((Activation) null).build());
        assertTrue(decoder.getMessage().contains("decoderActivation must not be null"), decoder.getMessage());
    }

    /**
     * Found by the mutation pass: the visible bias belongs to the tied decoder, so supervised backprop
     * reports a zero gradient for it, also when layer-wise pretraining left its gradient view non-zero.
     */
    @Test
    void supervisedBackpropReportsAZeroVisibleBiasGradientAfterPretraining() {
        MultiLayerNetwork net = ContractiveDenseLayerGradientTest.singleLayer(Activation.SIGMOID, 0.5, 0.0);
        INDArray x = TinyNets.manifoldData(6, 6, 2, 44);
        net.initGradientsView();
        net.getLayer(0).setInput(x, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
        net.getLayer(0).computeGradientAndScore(org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
        assertTrue(net.getLayer(0).gradient().getGradientFor("vb").norm2Number().doubleValue() > 0, "pretraining's vb gradient");

        net.setInput(x);
        net.setLabels(x);
        net.computeGradientAndScore();
        assertEquals(0.0, net.gradient().getGradientFor("0_vb").norm2Number().doubleValue(), 0.0, "supervised vb gradient");
    }

    /**
     * Found by the mutation pass: a masked-out example adds no penalty. With example 0 masked, the batch's
     * penalty sum equals that of the batch without example 0 (masked z is 0, where f'(0) is not).
     */
    @Test
    void aMaskedExampleAddsNoPenalty() {
        // softplus: f' is read off z (masked to 0, f'(0) = 0.5), not off the masked h as for sigmoid and tanh
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.SOFTPLUS, 0.7);
        INDArray x = TinyNets.manifoldData(5, 6, 2, 45);
        INDArray mask = Nd4j.ones(DataType.DOUBLE, 5, 1);
        mask.putScalar(0, 0, 0.0);
        net.score(new org.nd4j.linalg.dataset.DataSet(x, x, mask, mask));
        double maskedSum = 5 * net.getLayer(0).calcRegularizationScore(true);
        INDArray rest = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 5), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        net.score(new org.nd4j.linalg.dataset.DataSet(rest, rest));
        double restSum = 4 * net.getLayer(0).calcRegularizationScore(true);
        assertTrue(restSum > 1e-3, "penalty worth checking: " + restSum);
        assertEquals(restSum, maskedSum, 1e-12 * restSum);
    }
}
