package io.github.cae4j.layers;

import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.api.Layer;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backprop against central finite differences of the network score, in double precision, for every
 * supported activation: the layer as the encoder of an autoencoder, in the middle of a stack (which
 * checks the epsilon it passes back, including ∂P/∂x), and as a tied-weight CAE in layer-wise pretraining.
 * {@link PenaltyGradientNegativeControlTest} shows that these checks fail for a layer missing one penalty term.
 */
@ExtendWith(DoublePrecision.class)
class ContractiveDenseLayerGradientTest {

    private static final double EPS = 1e-6;
    private static final double MAX_REL_ERROR = 1e-5;
    private static final double MIN_ABS_ERROR = 1e-8;   // DL4J's default; below it double-precision differences of a ~5 score are noise

    enum Supported {
        SIGMOID(Activation.SIGMOID), TANH(Activation.TANH), SOFTPLUS(Activation.SOFTPLUS), RELU(Activation.RELU),
        LEAKYRELU(Activation.LEAKYRELU), ELU(Activation.ELU), IDENTITY(Activation.IDENTITY);

        final Activation activation;

        Supported(Activation activation) {
            this.activation = activation;
        }
    }

    private static boolean check(MultiLayerNetwork net, INDArray x) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(x)
                .epsilon(EPS).maxRelError(MAX_REL_ERROR).minAbsoluteError(MIN_ABS_ERROR)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    @ParameterizedTest
    @EnumSource(Supported.class)
    void autoencoderGradientsMatchFiniteDifferences(Supported s) {
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, s.activation, 0.7);
        INDArray x = TinyNets.manifoldData(5, 6, 2, 7);
        assertTrue(check(net, x), "gradient check failed for " + s);
    }

    @ParameterizedTest
    @EnumSource(Supported.class)
    void gradientsMatchInTheMiddleOfAStack(Supported s) {
        MultiLayerNetwork net = TinyNets.stack(6, 5, 4, s.activation, 0.9);
        INDArray x = TinyNets.manifoldData(5, 6, 2, 11);
        assertTrue(check(net, x), "gradient check failed for " + s + " in the middle of a stack");
    }

    @ParameterizedTest
    @EnumSource(Supported.class)
    void pretrainGradientsWithTiedDecoderMatchFiniteDifferences(Supported s) {
        MultiLayerNetwork net = singleLayer(s.activation, 0.5, 0.0);
        INDArray x = TinyNets.manifoldData(5, 6, 2, 13);
        assertTrue(pretrainCheck(net, x), "pretrain gradient check failed for " + s);
    }

    @Test
    void pretrainGradientsWithMaskingNoiseMatchFiniteDifferences() {
        MultiLayerNetwork net = singleLayer(Activation.SIGMOID, 0.5, 0.3);
        INDArray x = TinyNets.manifoldData(5, 6, 2, 17);
        assertTrue(pretrainCheck(net, x));
    }

    /** GradientCheckUtil reseeds ND4J's generator before every score, so each sees the same noise draw. */
    @Test
    void pretrainGradientsWithGaussianNoiseMatchFiniteDifferences() {
        MultiLayerNetwork net = singleLayer(Activation.TANH, 0.5, 0.0, 0.2);
        INDArray x = TinyNets.manifoldData(5, 6, 2, 19);
        assertTrue(pretrainCheck(net, x));
    }

    private static boolean pretrainCheck(MultiLayerNetwork net, INDArray x) {
        net.initGradientsView();
        Layer layer = net.getLayer(0);
        return GradientCheckUtil.checkGradientsPretrainLayer(layer, EPS, MAX_REL_ERROR, MIN_ABS_ERROR, false, false, x, 12345);
    }

    static MultiLayerNetwork singleLayer(Activation activation, double lambda, double corruption) {
        return singleLayer(activation, lambda, corruption, 0.0);
    }

    static MultiLayerNetwork singleLayer(Activation activation, double lambda, double corruption, double gaussianNoise) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ContractiveDenseLayer.Builder().nIn(6).nOut(4).activation(activation).lambda(lambda)
                        .reconstructionLoss(TinyNets.bce()).corruptionLevel(corruption).gaussianNoise(gaussianNoise)
                        .visibleBiasInit(0.1).build())
                .layer(new OutputLayer.Builder(TinyNets.bce()).nIn(4).nOut(6).activation(Activation.SIGMOID).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
