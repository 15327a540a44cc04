package io.github.cae4j.layers;

import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import static io.github.cae4j.testing.Exact.assertBitIdentical;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In {@code fit}, DL4J throws layer 0's input gradient away; the layer then skips that product
 * ({@code io.github.cae4j.internal.DiscardedInputGradient}). Every path that reads the input gradient
 * must still get it, and the parameters' gradients must not change by a bit.
 */
@ExtendWith(DoublePrecision.class)
class DiscardedInputGradientTest {

    private static ContractiveDenseLayerImpl first(MultiLayerNetwork net) {
        return (ContractiveDenseLayerImpl) net.getLayer(0);
    }

    @Test
    void fitSkipsItAndTheParameterGradientIsBitIdenticalToOneThatComputedIt() {
        DataSet data = TinyNets.autoencoderData(9, 6, 7);
        MultiLayerNetwork fitted = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.7);
        MultiLayerNetwork reference = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.7);

        fitted.setInput(data.getFeatures());
        fitted.setLabels(data.getLabels());
        fitted.computeGradientAndScore();                        // the path fit takes
        assertEquals(1, first(fitted).inputGradientsSkipped, "fit's backprop skips layer 0's input gradient");

        Pair<Gradient, INDArray> withInputGradient = reference.calculateGradients(data.getFeatures(), data.getLabels(), null, null);
        assertEquals(0, first(reference).inputGradientsSkipped, "calculateGradients returns the input gradient");
        assertNotNull(withInputGradient.getSecond());
        assertTrue(withInputGradient.getSecond().norm2Number().doubleValue() > 0, "a real input gradient");
        assertBitIdentical(withInputGradient.getFirst().gradient(), fitted.gradient().gradient(), "parameter gradients");
    }

    /** The MTC's first layer skips its 1 + k input-gradient products in fit, features with tangents or without. */
    @Test
    void aTangentPropFirstLayerSkipsItToo() {
        for (boolean withTangents : new boolean[]{true, false}) {
            INDArray x = TangentPropGradientTest.appended(6, TangentPropGradientTest.K, 17);
            if (!withTangents) {
                x = x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, TangentPropGradientTest.D)).dup();
            }
            INDArray y = TangentPropGradientTest.oneHot(6, 3);
            MultiLayerNetwork fitted = TangentPropGradientTest.net(Activation.TANH, 0.8, TangentPropGradientTest.K);
            MultiLayerNetwork reference = TangentPropGradientTest.net(Activation.TANH, 0.8, TangentPropGradientTest.K);
            fitted.setInput(x);
            fitted.setLabels(y);
            fitted.computeGradientAndScore();
            assertEquals(1, ((TangentPropDenseLayerImpl) fitted.getLayer(0)).inputGradientsSkipped, "tangents " + withTangents);
            assertEquals(0, ((TangentPropDenseLayerImpl) fitted.getLayer(1)).inputGradientsSkipped);
            Pair<Gradient, INDArray> withInputGradient = reference.calculateGradients(x, y, null, null);
            assertEquals(0, ((TangentPropDenseLayerImpl) reference.getLayer(0)).inputGradientsSkipped);
            assertEquals(x.size(1), withInputGradient.getSecond().size(1));
            assertTrue(withInputGradient.getSecond().norm2Number().doubleValue() > 0);
            assertBitIdentical(withInputGradient.getFirst().gradient(), fitted.gradient().gradient(), "parameter gradients, tangents " + withTangents);
        }
    }

    @Test
    void fitWithDropoutOnTheFirstLayerStillTrains() {
        DataSet data = TinyNets.autoencoderData(16, 6, 8);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE)
                .updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new ContractiveDenseLayer.Builder().nIn(6).nOut(4).activation(Activation.SIGMOID).lambda(0.3).dropOut(0.8).build())
                .layer(new OutputLayer.Builder(TinyNets.bce()).nIn(4).nOut(6).activation(Activation.SIGMOID).build())
                .build());
        net.init();
        for (int i = 0; i < 5; i++) {
            net.fit(data);
        }
        assertEquals(5, first(net).inputGradientsSkipped);
        assertTrue(Double.isFinite(net.score()) && Double.isFinite(net.params().sumNumber().doubleValue()));
    }

    @Test
    void anExternalBackpropGradientGetsTheInputGradient() {
        // the network used as a layer (GANs, RL): no output layer, an epsilon from outside
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.DOUBLE)
                .updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new ContractiveDenseLayer.Builder().nIn(6).nOut(4).activation(Activation.SIGMOID).lambda(0.7).build())
                .layer(new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.TANH).build())
                .build());
        net.init();
        net.setInput(TinyNets.autoencoderData(5, 6, 9).getFeatures());
        net.feedForward(true, false);       // keep the layer inputs for backprop, as external-error training does
        Pair<Gradient, INDArray> p = net.backpropGradient(Nd4j.rand(DataType.DOUBLE, 5, 3), LayerWorkspaceMgr.noWorkspaces());
        assertEquals(0, first(net).inputGradientsSkipped);
        assertTrue(p.getSecond() != null && p.getSecond().norm2Number().doubleValue() > 0);
    }

    @Test
    void aContractiveLayerThatIsNotTheFirstNeverSkips() {
        DataSet data = TinyNets.autoencoderData(6, 6, 10);
        MultiLayerNetwork net = TinyNets.stack(6, 5, 4, Activation.SIGMOID, 0.4);
        net.fit(data);
        assertEquals(0, ((ContractiveDenseLayerImpl) net.getLayer(1)).inputGradientsSkipped);
    }

    @Test
    void aComputationGraphNeverSkips() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("x")
                .addLayer("cae", new ContractiveDenseLayer.Builder().nIn(6).nOut(4).activation(Activation.SIGMOID).lambda(0.3).build(), "x")
                .addLayer("out", new OutputLayer.Builder(TinyNets.bce()).nIn(4).nOut(6).activation(Activation.SIGMOID).build(), "cae")
                .setOutputs("out").build());
        graph.init();
        graph.fit(TinyNets.autoencoderData(6, 6, 11));
        Layer cae = graph.getLayer("cae");
        assertEquals(0, ((ContractiveDenseLayerImpl) cae).inputGradientsSkipped);
    }
}
