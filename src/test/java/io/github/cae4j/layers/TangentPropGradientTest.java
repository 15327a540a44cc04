package io.github.cae4j.layers;

import io.github.cae4j.testing.DoublePrecision;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backprop of the tangent-propagation layers (W and b of every layer) against central finite
 * differences of the network score, in double precision: cross-entropy plus the tangent penalty,
 * through two hidden layers so that the epsilon each layer passes back (features and tangents) is
 * checked too, including the second-order path through f''.
 */
@ExtendWith(DoublePrecision.class)
public class TangentPropGradientTest {

    static final int D = 5;
    static final int K = 2;

    enum Smooth {
        SIGMOID(Activation.SIGMOID), TANH(Activation.TANH), SOFTPLUS(Activation.SOFTPLUS), ELU(Activation.ELU);

        final Activation activation;

        Smooth(Activation activation) {
            this.activation = activation;
        }
    }

    /** {@code TangentPropDense(D→4, first) → TangentPropDense(4→3, sigmoid) → TangentPropOutput(3→3, β)}. */
    public static MultiLayerNetwork net(Activation first, double beta, int k) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(7).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER).list()
                .layer(new TangentPropDenseLayer.Builder().nIn(D).nOut(4).activation(first).tangents(k).build())
                .layer(new TangentPropDenseLayer.Builder().nIn(4).nOut(3).activation(Activation.SIGMOID).tangents(k).build())
                .layer(new TangentPropOutputLayer.Builder().nIn(3).nOut(3).tangents(k).beta(beta).build())
                .build());
        net.init();
        // Larger weights than Xavier's, so the penalty is not negligible next to the cross-entropy.
        net.params().muli(2.5);
        return net;
    }

    /** Features {@code [m, D]} in (-1, 1) and k unit-norm tangents each, appended: {@code [m, (1+k)·D]}. */
    public static INDArray appended(int m, int k, long seed) {
        var rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        INDArray x = Nd4j.rand(rng, m, D).castTo(DataType.DOUBLE).muli(2).subi(1);
        INDArray u = Nd4j.randn(rng, new long[]{m * k, D}).castTo(DataType.DOUBLE);
        u.diviColumnVector(u.norm2(1).reshape(m * k, 1));
        return Nd4j.hstack(x, u.reshape('c', m, k * D));
    }

    public static INDArray oneHot(int m, int classes) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, m, classes);
        for (int i = 0; i < m; i++) {
            y.putScalar(i, (i * 2 + 1) % classes, 1.0);
        }
        return y;
    }

    static boolean check(MultiLayerNetwork net, INDArray x, INDArray y) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9).print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    @ParameterizedTest
    @EnumSource(Smooth.class)
    void tangentPropGradientsMatchFiniteDifferences(Smooth s) {
        MultiLayerNetwork net = net(s.activation, 0.8, K);
        assertTrue(check(net, appended(4, K, 3), oneHot(4, 3)), "gradient check failed, first activation " + s);
    }

    @Test
    void gradientsWithOneTangentAndALargePenaltyMatchFiniteDifferences() {
        MultiLayerNetwork net = net(Activation.TANH, 20.0, 1);
        assertTrue(check(net, appended(3, 1, 5), oneHot(3, 3)));
    }

    @Test
    void plainFeaturesGiveTheCrossEntropyGradient() {
        MultiLayerNetwork net = net(Activation.TANH, 0.8, K);
        INDArray x = appended(4, K, 3).getColumns(0, 1, 2, 3, 4);
        assertTrue(check(net, x, oneHot(4, 3)));
    }

    @Test
    void reluFirstLayerGradientsMatchFiniteDifferences() {
        MultiLayerNetwork net = net(Activation.RELU, 0.8, K);
        assertTrue(check(net, appended(4, K, 9), oneHot(4, 3)));
    }
}
