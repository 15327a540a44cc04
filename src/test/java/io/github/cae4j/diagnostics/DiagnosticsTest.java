package io.github.cae4j.diagnostics;

import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.ExplicitJacobian;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(DoublePrecision.class)
class DiagnosticsTest {

    /** Σ σ_i² of one point's Jacobian is its squared Frobenius norm, here from an explicit finite-difference Jacobian. */
    @Test
    void singularValuesSquaredSumToTheFiniteDifferenceNorm() {
        MultiLayerNetwork net = TinyNets.autoencoder(7, 5, Activation.TANH, 0.1);
        INDArray x = TinyNets.manifoldData(1, 7, 2, 3);
        INDArray s = JacobianSpectrum.meanSingularValues(x, net.getLayer(0).getParam("W"), net.getLayer(0).getParam("b"),
                Activation.TANH.getActivationFunction());
        assertEquals(5, s.length());
        assertEquals(ExplicitJacobian.frobeniusSquared(net, 0, x, 1e-6)[0], s.mul(s).sumNumber().doubleValue(), 1e-7);
        for (int i = 1; i < s.length(); i++) {
            assertEquals(true, s.getDouble(i - 1) >= s.getDouble(i), "descending");
        }
    }

    /** A wide Jacobian of MNIST's shape (500 x 784), the case ND4J's SVD without U/V crashed on. */
    @Test
    void spectrumOfALargeWideJacobianMatchesItsFrobeniusNorm() {
        INDArray w = Nd4j.randn(new long[]{784, 500}, Nd4j.getRandomFactory().getNewRandomInstance(5)).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).muli(0.05);
        INDArray b = Nd4j.zeros(500);
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 2, 784);
        INDArray s = JacobianSpectrum.meanSingularValues(x.getRow(0, true), w, b, Activation.SIGMOID.getActivationFunction());
        double expected = JacobianNorms.frobeniusSquared(x.getRow(0, true), w, b, Activation.SIGMOID.getActivationFunction()).getDouble(0);
        assertEquals(500, s.length());
        assertEquals(expected, s.mul(s).sumNumber().doubleValue(), 1e-9 * expected);
    }

    @Test
    void spectrumOfAScaledIdentityIsFlat() {
        INDArray w = Nd4j.eye(3).muli(2.0);
        INDArray s = JacobianSpectrum.meanSingularValues(Nd4j.zeros(2, 3), w, null, Activation.IDENTITY.getActivationFunction());
        assertArrayEquals(new double[]{2, 2, 2}, s.toDoubleVector(), 1e-12);
    }

    @Test
    void saturationCountsUnitsNearEitherBound() {
        INDArray h = Nd4j.createFromArray(new double[][]{{0.01, 0.5, 0.97, 0.96}, {0.2, 0.049, 0.051, 0.3}});
        assertEquals(4.0 / 8, Saturation.sigmoidFraction(h), 1e-15);
    }

    @Test
    void contractionRatioOfALinearMapIsItsGain() {
        double[] ratios = ContractionCurve.meanRatios(v -> v.mul(3.0), Nd4j.rand(5, 4), new double[]{0.01, 1, 10}, 1);
        assertArrayEquals(new double[]{3, 3, 3}, ratios, 1e-9);
    }
}
