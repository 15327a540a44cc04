package io.github.cae4j.tangents;

import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tangents against a full eigen-decomposition of {@code JᵀJ}, J built explicitly by central finite
 * differences of the stack's forward pass (no code shared with the closed-form products).
 */
@ExtendWith(DoublePrecision.class)
class ManifoldTangentsTest {

    private static final int D = 12;

    private final List<INDArray> weights = List.of(
            Nd4j.randn(new long[]{D, 10}, Nd4j.getRandomFactory().getNewRandomInstance(3)).castTo(DataType.DOUBLE).muli(0.6),
            Nd4j.randn(new long[]{10, 8}, Nd4j.getRandomFactory().getNewRandomInstance(4)).castTo(DataType.DOUBLE).muli(0.6));
    private final List<INDArray> biases = List.of(Nd4j.linspace(-0.5, 0.5, 10, DataType.DOUBLE), Nd4j.linspace(0.3, -0.3, 8, DataType.DOUBLE));
    private final List<IActivation> activations = List.of(Activation.TANH.getActivationFunction(), Activation.SIGMOID.getActivationFunction());

    @Test
    void leadingSingularPairsMatchAFullDecompositionOfTheExplicitJacobian() {
        int k = 3;
        INDArray x = TinyNets.manifoldData(5, D, 2, 11);
        // oversampling 1: r = 4 < rank J = 8, so the block must really converge; batch 2 exercises batching
        ManifoldTangents tangents = new ManifoldTangents(weights, biases, activations,
                new TangentOptions(k, 300, 1, 2, 7));
        Tangents t = tangents.compute(x);
        assertEquals(List.of(5L, 3L, (long) D), List.of(t.vectors().shape()[0], t.vectors().shape()[1], t.vectors().shape()[2]));
        for (int e = 0; e < 5; e++) {
            INDArray jtj = explicitJacobian(x.getRow(e, true)).transpose().mmul(explicitJacobian(x.getRow(e, true)));
            INDArray eigenvalues = Eigen.symmetricGeneralizedEigenvalues(jtj);   // ascending; jtj := eigenvectors
            INDArray expectedBasis = Nd4j.create(DataType.DOUBLE, k, D);
            for (int j = 0; j < k; j++) {
                long col = D - 1 - j;
                double expectedSigma = Math.sqrt(eigenvalues.getDouble(col));
                assertEquals(expectedSigma, t.values().getDouble(e, j), 1e-7 * (1 + expectedSigma), "example " + e + " sigma " + j);
                expectedBasis.getRow(j).assign(jtj.getColumn(col));
                INDArray u = t.vectors().get(NDArrayIndex.point(e), NDArrayIndex.point(j), NDArrayIndex.all());
                // each vector equals the reference one up to sign (the singular values are distinct here)
                double cos = Math.abs(u.mul(jtj.getColumn(col)).sumNumber().doubleValue());
                assertEquals(1.0, cos, 1e-8, "example " + e + " vector " + j);
                assertEquals(1.0, u.norm2Number().doubleValue(), 1e-10);
                assertTrue(u.sumNumber().doubleValue() >= 0, "sign convention: entries sum to >= 0");
            }
            INDArray got = t.vectors().get(NDArrayIndex.point(e), NDArrayIndex.all(), NDArrayIndex.all());
            INDArray projectorDiff = got.transpose().mmul(got).subi(expectedBasis.transpose().mmul(expectedBasis));
            assertTrue(projectorDiff.norm2Number().doubleValue() < 1e-7, "subspace of example " + e + ": " + projectorDiff.norm2Number());
        }
    }

    @Test
    void fewIterationsWithOversamplingAlreadyFindTheLeadingDirectionOfASteepSpectrum() {
        // A negative control for the test above: one iteration without oversampling is measurably off,
        // so agreement there comes from the iteration, not from the starting block.
        INDArray x = TinyNets.manifoldData(5, D, 2, 11);
        Tangents exact = new ManifoldTangents(weights, biases, activations, new TangentOptions(3, 300, 1, 5, 7)).compute(x);
        Tangents rough = new ManifoldTangents(weights, biases, activations, new TangentOptions(3, 1, 0, 5, 7)).compute(x);
        double worst = 0;
        for (int e = 0; e < 5; e++) {
            INDArray a = exact.vectors().get(NDArrayIndex.point(e), NDArrayIndex.interval(2, 3), NDArrayIndex.all());
            INDArray b = rough.vectors().get(NDArrayIndex.point(e), NDArrayIndex.interval(2, 3), NDArrayIndex.all());
            worst = Math.max(worst, 1 - Math.abs(a.mul(b).sumNumber().doubleValue()));
        }
        assertTrue(worst > 1e-4, "one iteration from a random block should not yet resolve the third direction, 1-|cos| = " + worst);
    }

    @Test
    void badInputIsRejectedWithTheValueAndTheAllowedRange() {
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> new ManifoldTangents(weights, biases, activations, TangentOptions.of(13)));
        assertTrue(tooMany.getMessage().contains("k = 13") && tooMany.getMessage().contains("[1, 8]"), tooMany.getMessage());
        ManifoldTangents t = new ManifoldTangents(weights, biases, activations, TangentOptions.of(2));
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class, () -> t.compute(Nd4j.zeros(DataType.DOUBLE, 3, 11)));
        assertTrue(width.getMessage().contains("[n, 12]") && width.getMessage().contains("[3, 11]"), width.getMessage());
        IllegalArgumentException k0 = assertThrows(IllegalArgumentException.class, () -> TangentOptions.of(0));
        assertTrue(k0.getMessage().contains("got 0"), k0.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TangentOptions(2, 0, 2, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> new TangentOptions(2, 4, -1, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> new TangentOptions(2, 4, 2, 0, 1));
        IllegalArgumentException chain = assertThrows(IllegalArgumentException.class, () -> new ManifoldTangents(
                List.of(weights.get(0), weights.get(0)), biases, activations, TangentOptions.of(1)));
        assertTrue(chain.getMessage().contains("outputs 10 units"), chain.getMessage());
    }

    /** {@code [h_L, d]} by central differences of the forward pass. */
    private INDArray explicitJacobian(INDArray row) {
        double step = 1e-6;
        INDArray plus = Nd4j.repeat(row, D).reshape(D, D).addi(Nd4j.eye(D).muli(step));
        INDArray minus = Nd4j.repeat(row, D).reshape(D, D).subi(Nd4j.eye(D).muli(step));
        return encode(plus).subi(encode(minus)).divi(2 * step).transpose();
    }

    private INDArray encode(INDArray x) {
        INDArray h = x;
        for (int l = 0; l < weights.size(); l++) {
            h = activations.get(l).getActivation(h.mmul(weights.get(l)).addiRowVector(biases.get(l)), false);
        }
        return h;
    }
}
