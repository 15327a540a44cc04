package io.github.cae4j.layers;

import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code corruptionLevel} and {@code gaussianNoise} under {@code fit()}: a denoising CAE trained end to
 * end. In training mode the encoder sees the corrupted input x̃ (and its penalty is taken there, as in
 * layer-wise pretraining); the decoder's labels are the caller's clean features; inference sees x.
 */
@ExtendWith(DoublePrecision.class)
class DenoisingUnderFitTest {

    /** An encoder that passes its input through: identity activation, W = I, b = 0, so h = x̃. */
    private static Layer passThrough(double corruptionLevel, double gaussianNoise) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
                .layer(new ContractiveDenseLayer.Builder().nIn(6).nOut(6).activation(Activation.IDENTITY).lambda(0.5)
                        .corruptionLevel(corruptionLevel).gaussianNoise(gaussianNoise).build())
                .build());
        net.init();
        Layer layer = net.getLayer(0);
        layer.setParam("W", Nd4j.eye(6).castTo(DataType.DOUBLE));
        layer.setParam("b", Nd4j.zeros(DataType.DOUBLE, 1, 6));
        return layer;
    }

    @Test
    void inTrainingTheEncoderSeesMaskingNoiseAndInInferenceTheCleanInput() {
        Layer layer = passThrough(0.4, 0.0);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 300, 6).addi(0.5);    // no zeros of its own
        double[] clean = x.dup().data().asDouble();
        double[] h = layer.activate(x, true, LayerWorkspaceMgr.noWorkspaces()).dup().data().asDouble();
        int zeros = 0;
        for (int i = 0; i < h.length; i++) {
            if (h[i] == 0.0) {
                zeros++;
            } else {
                assertEquals(clean[i], h[i], 0.0, "a kept input passes unchanged (masking noise does not rescale)");
            }
        }
        double dropped = zeros / (double) h.length;
        assertTrue(dropped > 0.35 && dropped < 0.45, "fraction masked " + dropped + ", expected about 0.4");
        assertArrayEquals(clean, x.data().asDouble(), 0.0, "the caller's input is left alone");
        assertArrayEquals(clean, layer.activate(x, false, LayerWorkspaceMgr.noWorkspaces()).dup().data().asDouble(), 0.0,
                "inference: no noise");
    }

    @Test
    void inTrainingTheEncoderSeesGaussianNoiseOfTheConfiguredDeviation() {
        Layer layer = passThrough(0.0, 0.2);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 500, 6);
        INDArray noise = layer.activate(x, true, LayerWorkspaceMgr.noWorkspaces()).sub(x);
        double std = noise.stdNumber().doubleValue();
        assertTrue(std > 0.19 && std < 0.21, "noise standard deviation " + std + ", expected about 0.2");
        assertEquals(0.0, noise.meanNumber().doubleValue(), 0.02);
    }

    /** Backprop uses the same x̃ as the forward pass, and passes the epsilon back through the masking. */
    @ParameterizedTest
    @CsvSource({"0.3, 0.0", "0.0, 0.2", "0.3, 0.2"})
    void gradientsWithNoiseUnderFitMatchFiniteDifferences(double corruptionLevel, double gaussianNoise) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(9).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH).build())
                .layer(new ContractiveDenseLayer.Builder().nIn(5).nOut(4).activation(Activation.SIGMOID).lambda(0.9)
                        .corruptionLevel(corruptionLevel).gaussianNoise(gaussianNoise).build())
                .layer(new DecoderOutputLayer.Builder(TinyNets.bce()).nIn(4).nOut(6).build())
                .build());
        net.init();
        INDArray x = TinyNets.manifoldData(5, 6, 2, 71);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(x)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8).print(GradientCheckUtil.PrintMode.FAILURES_ONLY)
                .callEachIter(n -> Nd4j.getRandom().setSeed(123))));
    }

    /** A denoising CAE trained with fit(): the training score (on x̃) differs from the clean one and falls. */
    @Test
    void aDenoisingAutoencoderTrainsWithFit() {
        IUpdater adam = new Adam(0.02);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(10).dataType(DataType.DOUBLE).updater(adam).weightInit(WeightInit.XAVIER).list()
                .layer(new ContractiveDenseLayer.Builder().nIn(6).nOut(4).activation(Activation.SIGMOID).lambda(0.3)
                        .corruptionLevel(0.3).build())
                .layer(new DecoderOutputLayer.Builder(TinyNets.bce()).nIn(4).nOut(6).build())
                .build());
        net.init();
        INDArray x = TinyNets.manifoldData(64, 6, 2, 72);
        DataSet ds = new DataSet(x, x);
        assertTrue(Math.abs(net.score(ds, true) - net.score(ds, false)) > 1e-3, "training mode sees the corrupted input");
        double before = net.score(ds, false);
        for (int i = 0; i < 150; i++) {
            net.fit(ds);
        }
        double after = net.score(ds, false);
        assertTrue(after < 0.9 * before, "clean score " + before + " -> " + after);
    }
}
