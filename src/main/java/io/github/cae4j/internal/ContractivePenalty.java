package io.github.cae4j.internal;

import io.github.cae4j.layers.ContractiveDenseLayer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.floating.SquaredNorm;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The contractive penalty's value and gradients as whole-minibatch ND4J expressions, with no DL4J
 * layer state, so they can be tested on their own. Notation as in {@link ContractiveDenseLayer}:
 * {@code d1 = f'(z)}, {@code d2 = f''(z)} ({@code [m, nOut]}), {@code s_j = Σ_i W_ij²} ({@code [nOut]}).
 * Everything here is a batch <em>sum</em>; callers divide the score by {@code m} and leave the
 * gradient as a sum, because DL4J's updater divides gradients by the minibatch size.
 *
 * <p>Each function is written with as few native ops as it can be: on a fast BLAS every ND4J op costs
 * a fixed hand-off (tens to hundreds of microseconds on 2 cores, docs/performance.md) that is larger
 * than the arithmetic of a {@code [128, 1000]} element-wise pass, so one fused reduction beats a
 * temporary plus a reduction.
 */
public final class ContractivePenalty {

    private ContractivePenalty() {
    }

    /**
     * {@code s_j = Σ_i W_ij²}: one squared-norm reduction, no {@code [nIn, nOut]} temporary.
     *
     * @param W weights {@code [nIn, nOut]}
     * @return {@code [nOut]}
     */
    public static INDArray columnSquaredNorms(INDArray W) {
        return squaredColumnSums(W);
    }

    /** {@code Σ_rows a²} per column, one native reduction. */
    private static INDArray squaredColumnSums(INDArray a) {
        return Nd4j.getExecutioner().exec(new SquaredNorm(a, 0));
    }

    /**
     * Per-example squared Frobenius norm of the Jacobian {@code ‖∂h/∂x‖²_F = Σ_j d1_nj² s_j}.
     *
     * @param d1 {@code f'(z)}, {@code [m, nOut]}
     * @param s  {@link #columnSquaredNorms}, {@code [nOut]}
     * @return {@code [m]}
     */
    public static INDArray perExample(INDArray d1, INDArray s) {
        // (d1 ⊙ d1) · s as a matrix-vector product: one element-wise pass and one gemv, no row-vector broadcast and sum
        return d1.mul(d1).mmul(s.reshape(s.length(), 1)).reshape(d1.size(0));
    }

    /**
     * {@code Σ_n d1_nj²} per hidden unit, shared by the penalty value and its direct weight gradient.
     *
     * @return {@code [nOut]}
     */
    public static INDArray squaredDerivativeColumnSums(INDArray d1) {
        return squaredColumnSums(d1);
    }

    /** Batch sum {@code Σ_n ‖J_n‖²_F = Σ_j (Σ_n d1_nj²) s_j}, from {@link #squaredDerivativeColumnSums}: one dot product. */
    public static double batchSum(INDArray squaredDerivativeColumnSums, INDArray s) {
        return Nd4j.getExecutioner().exec(new Dot(squaredDerivativeColumnSums, s)).getDouble(0);
    }

    /**
     * {@code δ = ε ⊙ d1 + 2λ d1 d2 s = d1 ⊙ (ε + d2 ⊙ 2λs)}: the data term's {@code ∂L/∂z} plus the penalty's
     * {@code ∂(λ Σ_n ‖J_n‖²)/∂z}, computed in the storage of {@code d1} (and {@code d2} as scratch), so
     * no {@code [m, nOut]} array is allocated and the caller's {@code epsilon} stays untouched. The
     * factored form takes three {@code [m, nOut]} passes (the scale 2λ goes into the {@code [nOut]}
     * vector), the expanded one five. Overwrites {@code d1} and {@code d2}.
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
        INDArray scaled = s.mul(2.0 * lambda).castTo(d2.dataType());
        return d1.muli(VectorBroadcasts.muliRowVector(d2, scaled).addi(epsilon));
    }

    /**
     * Writes the direct term {@code ∂(λ Σ_n ‖J_n‖²)/∂W_ij = 2λ W_ij Σ_n d1_nj²} into {@code target},
     * overwriting it, without a temporary; a following {@code gemm} with {@code beta = 1} then adds
     * the data term. It is the one {@code [nIn, nOut]} element-wise pass of the step: libnd4j's
     * broadcasting {@code multiply} op (a {@code [1, nOut]} operand) does it in about 0.6 ms at
     * 784 x 1000, its legacy {@code BroadcastMulOp} along dimension 1 in about 1 ms (docs/performance.md).
     *
     * @param target {@code [nIn, nOut]}, overwritten
     */
    public static void writeDirectWeightGradient(INDArray target, INDArray W, INDArray squaredDerivativeColumnSums,
                                                 double lambda) {
        INDArray scale = squaredDerivativeColumnSums.mul(2.0 * lambda).castTo(target.dataType());
        Nd4j.exec(new MulOp(W, scale.reshape(1, scale.length()), target));
    }
}
