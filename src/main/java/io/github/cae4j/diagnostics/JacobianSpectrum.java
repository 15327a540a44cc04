package io.github.cae4j.diagnostics;

import io.github.cae4j.internal.ActivationDerivatives;
import io.github.cae4j.internal.VectorBroadcasts;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Singular values of the encoder Jacobian {@code J(x) = diag(f'(z)) Wᵀ} at given points, the paper's
 * picture of how many directions the representation stays sensitive to (a CAE has a few large
 * singular values, for directions along the data manifold, and the rest near zero). This is the one
 * diagnostic that builds J explicitly, one {@code [nOut, nIn]} matrix per point, so use a few points.
 */
public final class JacobianSpectrum {

    private JacobianSpectrum() {
    }

    /**
     * Mean over the rows of {@code x} of each point's singular values, sorted in descending order.
     *
     * @param x {@code [m, nIn]}, a handful of points
     * @return {@code [min(nIn, nOut)]}
     */
    public static INDArray meanSingularValues(INDArray x, INDArray W, INDArray b, IActivation activation) {
        ActivationDerivatives derivatives = ActivationDerivatives.of(activation);
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            INDArray z = x.castTo(W.dataType()).mmul(W);
            if (b != null) {
                VectorBroadcasts.addiRowVector(z, b);
            }
            INDArray d1 = derivatives.first(z, activation.getActivation(z.dup(), false));
            INDArray wT = W.transpose();
            INDArray sum = null;
            for (int n = 0; n < x.size(0); n++) {
                INDArray jacobian = VectorBroadcasts.mulColumnVector(wT, d1.getRow(n).reshape(-1, 1)).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
                INDArray s = singularValues(jacobian);
                sum = sum == null ? s.dup() : sum.addi(s);
            }
            return Nd4j.sort(sum.divi(x.size(0)), false);
        }
    }

    /**
     * Singular values of a matrix, as the square roots of the eigenvalues of its smaller Gram matrix
     * (LAPACK {@code syev}), clamped at 0 against round-off. ND4J 1.0.0-M2.1's native {@code svd} op
     * fails or crashes on wide matrices such as an MNIST encoder's Jacobian, so it is not used.
     */
    static INDArray singularValues(INDArray matrix) {
        INDArray gram = matrix.size(0) <= matrix.size(1) ? matrix.mmul(matrix.transpose()) : matrix.transpose().mmul(matrix);
        INDArray eigenvalues = Eigen.symmetricGeneralizedEigenvalues(gram);   // overwrites gram with eigenvectors
        return Transforms.sqrt(Transforms.max(eigenvalues, 0.0, false), false);
    }
}
