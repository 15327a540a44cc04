package io.github.cae4j.layers;

import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gradient checks (double precision) for activations with a parameter away from DL4J's default:
 * ELU with alpha != 1 (DL4J's own ELU backprop ignores alpha; the layer must not) and LeakyReLU with
 * alpha != 0.01, with the contractive layer first in the network and in the middle of a stack.
 */
@ExtendWith(DoublePrecision.class)
class ActivationParameterGradientTest {

    record Case(String name, IActivation activation, boolean midStack) {
        @Override
        public String toString() {
            return name + (midStack ? " mid-stack" : " first");
        }
    }

    static Stream<IActivation> activations() {
        return Stream.of(new ActivationELU(0.5), new ActivationELU(2.5), new ActivationLReLU(0.2), new ActivationLReLU(0.35));
    }

    static Stream<Case> cases() {
        return activations().flatMap(a -> Stream.of(new Case(a.toString(), a, false), new Case(a.toString(), a, true)));
    }

    private static MultiLayerNetwork network(Case c) {
        var list = new NeuralNetConfiguration.Builder()
                .seed(61).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER).list();
        long nIn = 6;
        if (c.midStack()) {
            list.layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH).build());
            nIn = 5;
        }
        list.layer(new ContractiveDenseLayer.Builder().nIn(nIn).nOut(4).activation(c.activation()).lambda(0.8).build())
                .layer(new DecoderOutputLayer.Builder(TinyNets.bce()).nIn(4).nOut(6).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(Case c) {
        MultiLayerNetwork net = network(c);
        // zero-mean inputs put pre-activations on both sides of the kink at 0
        INDArray x = TinyNets.manifoldData(5, 6, 2, 62).subi(0.5).muli(3.0);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x)
                .labels(TinyNets.manifoldData(5, 6, 2, 62))
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8).print(GradientCheckUtil.PrintMode.FAILURES_ONLY)),
                "gradient check failed for " + c);
    }

    /** Layer-wise pretraining checks the layer alone, so only the first-layer case applies. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("activations")
    void pretrainGradientsMatchFiniteDifferences(IActivation activation) {
        MultiLayerNetwork net = network(new Case(activation.toString(), activation, false));
        net.initGradientsView();
        INDArray x = TinyNets.manifoldData(5, 6, 2, 63);
        assertTrue(GradientCheckUtil.checkGradientsPretrainLayer(net.getLayer(0), 1e-6, 1e-5, 1e-8, false, false, x, 12345),
                "pretrain gradient check failed for " + activation);
    }
}
