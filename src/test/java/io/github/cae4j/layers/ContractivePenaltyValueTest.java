package io.github.cae4j.layers;

import io.github.cae4j.diagnostics.JacobianNorms;
import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.ExplicitJacobian;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Penalty values against independent computations: an explicit finite-difference Jacobian and a hand-worked case. */
@ExtendWith(DoublePrecision.class)
class ContractivePenaltyValueTest {

    @ParameterizedTest
    @EnumSource(ContractiveDenseLayerGradientTest.Supported.class)
    void closedFormNormEqualsExplicitJacobian(ContractiveDenseLayerGradientTest.Supported s) {
        MultiLayerNetwork net = TinyNets.autoencoder(7, 5, s.activation, 0.3);
        INDArray x = TinyNets.manifoldData(6, 7, 2, 5).subi(0.5).muli(3);   // spread z so every activation regime is hit
        double[] expected = ExplicitJacobian.frobeniusSquared(net, 0, x, 1e-6);
        double[] closedForm = JacobianNorms.frobeniusSquared(net, 0, x).toDoubleVector();
        double[] fromLayer = ((ContractiveDenseLayerImpl) net.getLayer(0)).jacobianFrobeniusSquared(x).toDoubleVector();
        assertArrayEquals(expected, closedForm, 1e-6 * (1 + max(expected)), s + ": closed form vs explicit Jacobian");
        assertArrayEquals(closedForm, fromLayer, 1e-12);
    }

    @Test
    void normOfALayerInsideAStackIsTakenWithRespectToItsOwnInput() {
        MultiLayerNetwork net = TinyNets.stack(6, 5, 4, Activation.SIGMOID, 0.3);
        INDArray x = TinyNets.manifoldData(4, 6, 2, 9);
        INDArray h1 = net.feedForwardToLayer(0, x, false).get(1);
        MultiLayerNetwork encoderOnly = TinyNets.autoencoder(5, 4, Activation.SIGMOID, 0.3);
        encoderOnly.getLayer(0).setParams(net.getLayer(1).params());
        double[] expected = ExplicitJacobian.frobeniusSquared(encoderOnly, 0, h1, 1e-6);
        assertArrayEquals(expected, JacobianNorms.frobeniusSquared(net, 1, x).toDoubleVector(), 1e-7);
    }

    /**
     * 2→2 sigmoid, W = [[1, 2], [3, 4]] (rows = inputs), b = 0, x = (0, 0): h = (½, ½), f' = ¼,
     * Σ_i W_i1² = 10, Σ_i W_i2² = 20, so ‖J‖² = (1/16)(10 + 20) = 1.875.
     */
    @Test
    void handWorkedTwoByTwo() {
        INDArray w = Nd4j.createFromArray(new double[][]{{1, 2}, {3, 4}});
        INDArray b = Nd4j.zeros(2);
        INDArray x = Nd4j.zeros(1, 2);
        assertEquals(1.875, JacobianNorms.frobeniusSquared(x, w, b, Activation.SIGMOID.getActivationFunction()).getDouble(0), 1e-15);
    }

    @Test
    void oneBatchOfMEqualsTheSumOfMSingleExamples() {
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.TANH, 0.4);
        INDArray x = TinyNets.manifoldData(8, 6, 2, 21);
        double batch = net.score(new DataSet(x, x), false);
        double sumOfSingles = 0;
        for (int n = 0; n < 8; n++) {
            INDArray row = x.getRow(n, true).dup();
            sumOfSingles += net.score(new DataSet(row, row), false);
        }
        assertEquals(sumOfSingles / 8, batch, 1e-12);
    }

    @Test
    void penaltyIsLinearInLambdaAndNonNegative() {
        INDArray x = TinyNets.manifoldData(10, 6, 2, 23);
        MultiLayerNetwork base = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.0);
        double s0 = base.score(new DataSet(x, x), false);
        double previous = 0;
        for (double lambda : new double[]{0.1, 0.5, 2.0}) {
            MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.SIGMOID, lambda);
            net.setParams(base.params());
            double penalty = net.score(new DataSet(x, x), false) - s0;
            assertEquals(lambda * JacobianNorms.frobeniusSquared(net, 0, x).meanNumber().doubleValue(), penalty, 1e-12);
            assertEquals(true, penalty > previous);
            previous = penalty;
        }
    }

    private static double max(double[] v) {
        double m = 0;
        for (double d : v) {
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }
}
