package io.github.cae4j.pretrain;

import io.github.cae4j.layers.ContractiveDenseLayer;
import io.github.cae4j.layers.DecoderOutputLayer;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every training option reaches the network that pretrains the layer, tied and untied, and reads back unchanged. */
class AutoencoderNetworksTest {

    private static final LayerPretrainOptions EVERYTHING = LayerPretrainOptions.cae(5, 0.7).withGaussianNoise(0.2)
            .withCorruptionLevel(0.1).withHigherOrder(0.4, 0.3, 3).withL2(1e-3).withUpdater(new Sgd(0.05))
            .withActivation(Activation.TANH.getActivationFunction());

    private static void assertEncoderCarries(LayerPretrainOptions opts, MultiLayerNetwork net, long nIn) {
        var enc = assertInstanceOf(ContractiveDenseLayer.class, net.getLayerWiseConfigurations().getConf(0).getLayer());
        assertEquals(nIn, enc.getNIn());
        assertEquals(opts.nOut(), enc.getNOut());
        assertEquals(opts.activation(), enc.getActivationFn());
        assertEquals(opts.lambda(), enc.getLambda(), 0.0);
        assertEquals(opts.corruptionLevel(), enc.getCorruptionLevel(), 0.0);
        assertEquals(opts.gaussianNoise(), enc.getGaussianNoise(), 0.0);
        assertEquals(opts.gamma(), enc.getGamma(), 0.0);
        assertEquals(opts.sigma(), enc.getSigma(), 0.0);
        assertEquals(opts.corruptedCopies(), enc.getCorruptedCopies());
        var l2 = assertInstanceOf(L2Regularization.class, enc.getRegularization().get(0));
        assertEquals(opts.l2(), l2.getL2().valueAt(0, 0), 0.0);
        assertEquals(opts.updater(), enc.getIUpdater());
    }

    @Test
    void tiedOptionsBuildTheEncoderAloneWithEverySetting() {
        MultiLayerNetwork net = AutoencoderNetworks.network(EVERYTHING, 7, 3, DataType.DOUBLE);
        assertEquals(1, net.getnLayers());
        assertEquals(DataType.DOUBLE, net.params().dataType());
        assertEncoderCarries(EVERYTHING, net, 7);
    }

    @Test
    void untiedOptionsAddTheDecoderAndKeepNoiseAndTheHigherOrderTerm() {
        LayerPretrainOptions untied = EVERYTHING.withTiedWeights(false);
        MultiLayerNetwork net = AutoencoderNetworks.network(untied, 7, 3, DataType.FLOAT);
        assertEquals(2, net.getnLayers());
        assertEncoderCarries(untied, net, 7);
        var dec = assertInstanceOf(DecoderOutputLayer.class, net.getLayerWiseConfigurations().getConf(1).getLayer());
        assertEquals(5, dec.getNIn());
        assertEquals(7, dec.getNOut());
        assertEquals(untied.decoderActivation(), dec.getActivationFn());
    }

    /** The values in row-major order (a parameter is a view into the network's flat buffer). */
    private static double[] flat(INDArray a) {
        return a.dup('c').data().asDouble();
    }

    @Test
    void extractCopiesTheTrainedParametersBufferForBuffer() {
        INDArray x = TinyNets.manifoldData(4, 7, 2, 5);
        for (boolean tied : new boolean[]{true, false}) {
            LayerPretrainOptions opts = LayerPretrainOptions.cae(5, 0.3).withTiedWeights(tied);
            MultiLayerNetwork net = AutoencoderNetworks.network(opts, 7, 9, DataType.DOUBLE);
            PretrainedAutoencoder ae = AutoencoderNetworks.extract(net, opts);
            assertArrayEquals(flat(net.getLayer(0).getParam("W")), flat(ae.W()));
            assertArrayEquals(flat(net.getLayer(0).getParam("b")), flat(ae.b()));
            assertArrayEquals(flat(net.feedForwardToLayer(0, x, false).get(1)), flat(ae.encode(x)));
            INDArray decoderW = tied ? net.getLayer(0).getParam("W").transpose() : net.getLayer(1).getParam("W");
            assertArrayEquals(flat(decoderW), flat(ae.decoderW()), "tied " + tied);
            // a copy: training the network further leaves the extracted autoencoder as it was
            double before = ae.W().getDouble(0, 0);
            net.params().addi(1.0);
            assertEquals(before, ae.W().getDouble(0, 0), 0.0);
        }
    }

    @Test
    void badArgumentsAreRefusedNamingTheValue() {
        var nIn = assertThrows(IllegalArgumentException.class, () -> AutoencoderNetworks.network(EVERYTHING, 0, 1, DataType.FLOAT));
        assertTrue(nIn.getMessage().contains("nIn must be > 0, got 0"), nIn.getMessage());
        var type = assertThrows(IllegalArgumentException.class, () -> AutoencoderNetworks.network(EVERYTHING, 4, 1, DataType.INT));
        assertTrue(type.getMessage().contains("floating-point") && type.getMessage().contains("INT"), type.getMessage());
        MultiLayerNetwork tiedNet = AutoencoderNetworks.network(EVERYTHING, 4, 1, DataType.FLOAT);
        var mismatch = assertThrows(IllegalArgumentException.class,
                () -> AutoencoderNetworks.extract(tiedNet, EVERYTHING.withTiedWeights(false)));
        assertTrue(mismatch.getMessage().contains("untied") && mismatch.getMessage().contains("got 1"), mismatch.getMessage());
    }

    @Test
    void settingsNameWhatIsOn() {
        assertEquals("lambda=1.0", LayerPretrainOptions.cae(3, 1.0).settings());
        assertEquals("lambda=0.7, masking=0.1, gaussian=0.2, l2=0.001, gamma=0.4, sigma=0.3, copies=3", EVERYTHING.settings());
    }
}
