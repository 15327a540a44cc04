package io.github.cae4j.layers;

import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.ExplicitJacobian;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * An inference forward pass ({@code output()}) does not compute the penalty (issue 18); a score that
 * asks for it afterwards gets the value of that pass, as when it was computed eagerly.
 */
@ExtendWith(DoublePrecision.class)
class InferencePenaltyTest {

    private static final double LAMBDA = 0.8;

    private static double expectedPenalty(MultiLayerNetwork net, INDArray x) {
        return LAMBDA * Arrays.stream(ExplicitJacobian.frobeniusSquared(net, 0, x, 1e-6)).average().orElseThrow();
    }

    @Test
    void outputComputesNoPenaltyAndAScoreAfterItGetsThatPassesPenalty() {
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.SIGMOID, LAMBDA);
        var layer = (ContractiveDenseLayerImpl) net.getLayer(0);
        INDArray x = TinyNets.manifoldData(7, 6, 2, 41);
        double expected = expectedPenalty(net, x);
        layer.inferencePenaltiesComputed = 0;

        net.output(x);
        net.output(x);
        assertEquals(0, layer.inferencePenaltiesComputed, "output() must not compute the penalty");

        assertEquals(expected, layer.calcRegularizationScore(true), 1e-6 * (1 + expected));
        assertEquals(1, layer.inferencePenaltiesComputed);
        layer.calcRegularizationScore(true);
        assertEquals(1, layer.inferencePenaltiesComputed, "computed once per forward pass");
    }

    /** Softplus reads z, not only h: the kept f'(z) must come from the pre-activation before it was overwritten. */
    @Test
    void theDeferredPenaltyIsRightForAnActivationWhoseDerivativesReadZ() {
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.SOFTPLUS, LAMBDA);
        INDArray x = TinyNets.manifoldData(5, 6, 2, 43);
        double expected = expectedPenalty(net, x);
        net.output(x);
        assertEquals(expected, net.getLayer(0).calcRegularizationScore(true), 1e-6 * (1 + expected));
    }

    /** Setting W through the layer after output() must not change the penalty that output()'s pass reports. */
    @Test
    void settingParametersThroughTheLayerKeepsThePendingPassesPenalty() {
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.TANH, LAMBDA);
        INDArray x = TinyNets.manifoldData(5, 6, 2, 47);
        double expected = expectedPenalty(net, x);
        net.output(x);
        var layer = net.getLayer(0);
        layer.setParam("W", layer.getParam("W").mul(3.0));
        double reported = layer.calcRegularizationScore(true);
        assertEquals(expected, reported, 1e-6 * (1 + expected));
        // and the new weights give another value, so the check above could fail
        assertNotEquals(expected, expectedPenalty(net, x), 1e-3 * expected);
    }
}
