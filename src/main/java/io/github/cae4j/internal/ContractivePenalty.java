package io.github.cae4j.internal;

import io.github.cae4j.layers.ContractiveDenseLayer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The contractive penalty's value and gradients as whole-minibatch ND4J expressions, with no DL4J
 * layer state, so they can be tested on their own. Notation as in {@link ContractiveDenseLayer}:
 * {@code d1 = f'(z)}, {@code d2 = f''(z)} ({@code [m, nOut]}), {@code s_j = Σ_i W_ij²} ({@code [nOut]}).
 * Everything here is a batch <em>sum</em>; callers divide the score by {@code m} and leave the
 * gradient as a sum, because DL4J's updater divides gradients by the minibatch size.
 */
public final class ContractivePenalty {

    private ContractivePenalty() {
    }

    /**
     * {@code s_j = Σ_i W_ij²}, taken as a squared column 2-norm so that no {@code [nIn, nOut]}
     * temporary is allocated.
     *
     * @param W weights {@code [nIn, nOut]}
     * @return {@code [nOut]}
     */
    public static INDArray columnSquaredNorms(INDArray W) {
        INDArray norms = W.norm2(0);
        return norms.muli(norms);
    }

    /**
     * Per-example squared Frobenius norm of the Jacobian {@code ‖∂h/∂x‖²_F = Σ_j d1_nj² s_j}.
     *
     * @param d1 {@code f'(z)}, {@code [m, nOut]}
     * @param s  {@link #columnSquaredNorms}, {@code [nOut]}
     * @return {@code [m]}
     */
    public static INDArray perExample(INDArray d1, INDArray s) {
        return d1.mul(d1).muliRowVector(s).sum(1);
    }

    /**
     * {@code Σ_n d1_nj²} per hidden unit, shared by the penalty value and its direct weight gradient.
     *
     * @return {@code [nOut]}
     */
    public static INDArray squaredDerivativeColumnSums(INDArray d1) {
        return d1.mul(d1).sum(0);
    }

    /** Batch sum {@code Σ_n ‖J_n‖²_F = Σ_j (Σ_n d1_nj²) s_j}, from {@link #squaredDerivativeColumnSums}. */
    public static double batchSum(INDArray squaredDerivativeColumnSums, INDArray s) {
        return squaredDerivativeColumnSums.mul(s).sumNumber().doubleValue();
    }

    /**
     * {@code δ = ε ⊙ d1 + 2λ d1 d2 s}: the data term's {@code ∂L/∂z} plus the penalty's
     * {@code ∂(λ Σ_n ‖J_n‖²)/∂z}, computed in the storage of {@code d1} (and {@code d2} as scratch), so
     * no {@code [m, nOut]} array is allocated and the caller's {@code epsilon} stays untouched.
     * Overwrites {@code d1} and {@code d2}.
     *
     * @param epsilon {@code ∂L/∂h}, {@code [m, nOut]}; not modified
     * @param d1      {@code f'(z)}; overwritten with δ, which is returned
     * @param d2      {@code f''(z)}, or null when zero (piecewise-linear activations) or when {@code lambda} is 0;
     *                overwritten
     * @param s       {@link #columnSquaredNorms}, or null when {@code d2} is null
     */
    public static INDArray preActivationGradient(INDArray epsilon, INDArray d1, INDArray d2, INDArray s, double lambda) {
        if (d2 == null || lambda == 0) {
            return d1.muli(epsilon);
        }
        INDArray penaltyTerm = d2.muli(d1).muliRowVector(s).muli(2.0 * lambda);
        return d1.muli(epsilon).addi(penaltyTerm);
    }

    /**
     * Writes the direct term {@code ∂(λ Σ_n ‖J_n‖²)/∂W_ij = 2λ W_ij Σ_n d1_nj²} into {@code target},
     * overwriting it, without a temporary; a following {@code gemm} with {@code beta = 1} then adds
     * the data term.
     *
     * @param target {@code [nIn, nOut]}, overwritten
     */
    public static void writeDirectWeightGradient(INDArray target, INDArray W, INDArray squaredDerivativeColumnSums,
                                                 double lambda) {
        INDArray scale = squaredDerivativeColumnSums.mul(2.0 * lambda).castTo(target.dataType());
        Nd4j.getExecutioner().exec(new BroadcastMulOp(W, scale, target, 1));
    }
}
