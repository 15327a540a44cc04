package io.github.cae4j.internal;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Matrix products whose result is row-major ('c') without a transposing copy.
 *
 * <p>ND4J's gemm writes column-major results natively. A row-major {@code [m, n]} matrix has the same
 * memory as a column-major {@code [n, m]} one, so computing {@code (AB)ᵀ = BᵀAᵀ} into a column-major
 * {@code [n, m]} buffer and viewing it transposed gives {@code AB} in row-major order for the price of
 * the product alone. Row-major is what the layers' neighbours are: DL4J's inputs, labels and epsilons
 * are row-major, and ND4J's element-wise ops on operands of different orders run about ten times
 * slower than on operands of the same order (measured here: 0.4-0.8 ms against 0.04-0.07 ms for a
 * {@code [128, 784]} subtraction). The result is bit-identical to {@code a.mmul(b)}.
 */
public final class RowMajorProduct {

    private RowMajorProduct() {
    }

    /**
     * @param a       left factor; {@code op(a)} is {@code [m, k]}
     * @param b       right factor; {@code op(b)} is {@code [k, n]}
     * @param storage uninitialised column-major {@code [n, m]} buffer the product is written into
     * @return {@code op(a)·op(b)} {@code [m, n]}, a row-major view of {@code storage}
     */
    public static INDArray of(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray storage) {
        if (storage.ordering() != 'f') {
            throw new IllegalArgumentException("storage must be column-major ('f'), got '" + storage.ordering() + "'");
        }
        Nd4j.gemm(b, a, storage, !transposeB, !transposeA, 1.0, 0.0);
        return storage.transpose();
    }

    /**
     * A dense layer's pre-activation {@code z = xW (+ b)}, row-major, in the ACTIVATIONS workspace,
     * after DL4J's own input checks (same messages as {@code BaseLayer}).
     *
     * @param input   layer input {@code [m, nIn]}, cast to W's data type here
     * @param W       weights {@code [nIn, nOut]}
     * @param b       bias {@code [nOut]}, or null for none
     * @param layerId DL4J's layer description for the error message
     */
    public static INDArray preActivation(INDArray input, INDArray W, INDArray b, LayerWorkspaceMgr workspaceMgr, String layerId) {
        INDArray in = input.castTo(W.dataType());
        if (in.rank() != 2 || in.columns() != W.rows()) {
            throw new DL4JInvalidInputException(in.rank() != 2
                    ? "Input that is not a matrix; expected matrix (rank 2), got rank " + in.rank() + " array with shape "
                    + Arrays.toString(in.shape()) + ". Missing preprocessor or wrong input type? " + layerId
                    : "Input size (" + in.columns() + " columns; shape = " + Arrays.toString(in.shape())
                    + ") is invalid: does not match layer input size (layer # inputs = " + W.size(0) + ") " + layerId);
        }
        INDArray z = of(in, false, W, false,
                workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, W.dataType(), new long[]{W.size(1), in.size(0)}, 'f'));
        return b == null ? z : VectorBroadcasts.addiRowVector(z, b);
    }

    /**
     * A dense layer's epsilon for the layer below, {@code ∂L/∂x = δWᵀ}, row-major, in the
     * ACTIVATION_GRAD workspace (where DL4J requires a layer's returned epsilon to live).
     *
     * @param delta {@code ∂L/∂z} {@code [m, nOut]}
     * @param W     weights {@code [nIn, nOut]}
     * @return {@code [m, nIn]}
     */
    public static INDArray inputGradient(INDArray delta, INDArray W, LayerWorkspaceMgr workspaceMgr) {
        return of(delta, false, W, true, workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, delta.dataType(),
                new long[]{W.size(0), delta.size(0)}, 'f'));
    }
}
