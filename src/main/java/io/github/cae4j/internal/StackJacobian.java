package io.github.cae4j.internal;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * The Jacobian {@code J(x) = J_L ... J_1} of a stack of dense encoders {@code h_l = f_l(h_{l-1} W_l + b_l)}
 * at each example of a batch, as an operator: {@code J_l = diag(f_l'(a_l)) W_lᵀ}, and products with
 * r vectors per example are computed layer by layer without forming J.
 *
 * <p>Layout of a block of vectors: {@code [n·r, width]}, row {@code e·r + j} is vector j of example e,
 * so that one gemm with {@code W_l} serves all examples and all vectors, and {@code f_l'} multiplies
 * through a broadcast over the r rows of each example ({@code [n, r, h] * [n, 1, h]}).
 */
public final class StackJacobian {

    private final List<INDArray> weights;
    private final List<INDArray> derivatives = new ArrayList<>();
    private final long n;

    /**
     * Runs the forward pass of {@code x} and keeps each layer's {@code f'(a_l)} {@code [n, h_l]}.
     *
     * @param x [n, d]; weights W_l [h_{l-1}, h_l], biases [h_l], supported activations
     */
    public StackJacobian(INDArray x, List<INDArray> weights, List<INDArray> biases, List<IActivation> activations) {
        this.weights = weights;
        this.n = x.size(0);
        INDArray h = x;
        for (int l = 0; l < weights.size(); l++) {
            INDArray z = VectorBroadcasts.addiRowVector(h.mmul(weights.get(l)), biases.get(l));
            INDArray act = activations.get(l).getActivation(z.dup(), false);
            derivatives.add(ActivationDerivatives.of(activations.get(l)).first(z, act));
            h = act;
        }
    }

    /** {@code J v} for r vectors per example: {@code [n·r, d] -> [n·r, h_L]}. */
    public INDArray times(INDArray v, int r) {
        INDArray u = v;
        for (int l = 0; l < weights.size(); l++) {
            u = scaleRows(u.mmul(weights.get(l)), derivatives.get(l), r);
        }
        return u;
    }

    /** {@code Jᵀ y} for r vectors per example: {@code [n·r, h_L] -> [n·r, d]}. */
    public INDArray transposeTimes(INDArray y, int r) {
        INDArray u = y;
        for (int l = weights.size() - 1; l >= 0; l--) {
            u = scaleRows(u, derivatives.get(l), r).mmul(weights.get(l).transpose());
        }
        return u;
    }

    /** Row {@code e·r + j} of {@code u} times {@code d[e]}, element-wise. */
    private INDArray scaleRows(INDArray u, INDArray d, int r) {
        long h = u.size(1);
        return u.reshape('c', n, r, h).mul(d.reshape('c', n, 1, h)).reshape('c', n * r, h);
    }
}
