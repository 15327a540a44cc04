package io.github.cae4j.internal;

import io.github.cae4j.layers.ContractiveDenseLayer;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The higher-order CAE's term (Rifai et al., ECML-PKDD 2011) as whole-minibatch ND4J expressions, with
 * no DL4J layer state. Notation as in {@link ContractiveDenseLayer}; for {@code n_c} corrupted copies
 * {@code x̃_c = x + ε_c}, {@code ε_c ~ N(0, σ²I)}, stacked copy-major into {@code [n_c·m, ·]} arrays:
 * <pre>
 *   z̃_c = z + ε_c W                       (same W and b as the clean pass)
 *   Δ_c = f'(z) − f'(z̃_c)                  [m, nOut]
 *   H   = γ/n_c · Σ_c Σ_n Σ_j Δ_c,nj² s_j    (= γ/n_c Σ_c Σ_n ‖J(x_n) − J(x̃_c,n)‖²_F, exactly)
 *   ∂H/∂z_nj   =  2γ/n_c · s_j f''(z_nj) Σ_c Δ_c,nj
 *   ∂H/∂z̃_c,nj = −2γ/n_c · s_j f''(z̃_c,nj) Δ_c,nj     (= G̃_c)
 *   ∂H/∂W_ij   = 2γ/n_c · W_ij Σ_c,n Δ_c,nj²  +  Σ_c (ε_cᵀ G̃_c)_ij  +  the part through z and z̃'s x
 * </pre>
 * Since {@code z̃_c = (x + ε_c)W + b}, everything that reaches {@code z̃_c} through {@code x}, {@code W}'s
 * {@code x}-factor and {@code b} equals what a pre-activation gradient {@code Σ_c G̃_c} at the clean
 * {@code z} would give. So the caller adds {@link Terms#preActivationGradient()} ({@code ∂H/∂z + Σ_c G̃_c})
 * to its own {@code δ} (which then carries the term into {@code ∂/∂b}, {@code xᵀδ} and the epsilon for the
 * layer below) and calls {@link #addWeightGradient} for the rest. Like {@link ContractivePenalty},
 * everything is a batch <em>sum</em>. The noise comes from ND4J's global generator: reseeding it gives the
 * same {@code ε}.
 */
public final class HigherOrderPenalty {

    private HigherOrderPenalty() {
    }

    /**
     * What one forward pass computed, kept for backprop.
     *
     * @param penaltySum            {@code H}, a batch sum (γ included)
     * @param noise                 {@code ε}, {@code [n_c·m, nIn]}, copy-major
     * @param corruptedGradient     {@code G̃}, {@code [n_c·m, nOut]}; null when {@code f''} is zero almost everywhere
     * @param preActivationGradient {@code ∂H/∂z + Σ_c G̃_c}, {@code [m, nOut]}; null when {@code f''} is zero almost everywhere
     * @param directWeightScale     {@code 2γ/n_c · Σ_c,n Δ_c,nj²}, {@code [nOut]}
     */
    public record Terms(double penaltySum, INDArray noise, INDArray corruptedGradient, INDArray preActivationGradient,
                        INDArray directWeightScale) {

        /** The arrays held, for a caller that checks whether they are still readable; nulls included. */
        public INDArray[] arrays() {
            return new INDArray[]{noise, corruptedGradient, preActivationGradient, directWeightScale};
        }
    }

    /**
     * Draws the noise and computes the term's value and the pre-activation gradients. Does not modify its
     * arguments.
     *
     * @param z          clean pre-activation {@code [m, nOut]}
     * @param h          {@code f(z)}
     * @param d1         {@code f'(z)}, with masked-out examples zeroed
     * @param W          weights {@code [nIn, nOut]}
     * @param mask       per-example mask {@code [m, 1]} (0 drops an example from the term), or null
     * @param activation the layer's activation {@code f}
     * @param copies     {@code n_c >= 1}
     */
    public static Terms compute(INDArray z, INDArray h, INDArray d1, INDArray W, INDArray mask, IActivation activation,
                                ActivationDerivatives derivatives, double gamma, double sigma, int copies) {
        long m = z.size(0);
        long nIn = W.size(0);
        long nOut = W.size(1);
        INDArray noise = drawNoise(copies, m, nIn, sigma, W.dataType());
        // z̃ = z + εW: one product for all copies, row-major like z (see RowMajorProduct), then z added
        // copy by copy. Each copy's block is contiguous, and this is several times faster than Nd4j.tile.
        INDArray zTilde = RowMajorProduct.of(noise, false, W, false,
                Nd4j.createUninitialized(W.dataType(), new long[]{nOut, copies * m}, 'f'));
        for (int c = 0; c < copies; c++) {
            block(zTilde, c, m).addi(z);
        }
        INDArray hTilde = activation.getActivation(zTilde.dup('c'), true);
        INDArray d1Tilde = derivatives.first(zTilde, hTilde);
        INDArray d2Tilde = derivatives.second(zTilde, hTilde, d1Tilde);

        INDArray diff = d1Tilde;                                                  // Δ = f'(z) − f'(z̃), in place
        INDArray exampleMask = mask == null ? null : mask.reshape(m, 1).castTo(diff.dataType());
        for (int c = 0; c < copies; c++) {
            INDArray b = block(diff, c, m).rsubi(d1);
            if (exampleMask != null) {
                VectorBroadcasts.muliColumnVector(b, exampleMask);
            }
        }
        INDArray s = ContractivePenalty.columnSquaredNorms(W);
        INDArray squaredColumnSums = diff.mul(diff).sum(0);
        double scale = 2.0 * gamma / copies;
        double penaltySum = gamma / copies * squaredColumnSums.mul(s).sumNumber().doubleValue();
        INDArray directWeightScale = squaredColumnSums.muli(scale);

        INDArray diffS = VectorBroadcasts.muliRowVector(diff, s);                // Δ ⊙ s, in place of Δ
        INDArray d2 = derivatives.second(z, h, d1);
        INDArray clean = d2 == null ? null : d2.muli(sumOverCopies(diffS, copies, m)).muli(scale);
        INDArray corrupted = d2Tilde == null ? null : d2Tilde.muli(diffS).muli(-scale);
        if (corrupted != null) {
            INDArray summed = sumOverCopies(corrupted, copies, m);
            clean = clean == null ? summed : clean.addi(summed);
        }
        return new Terms(penaltySum, noise, corrupted, clean, directWeightScale);
    }

    /**
     * The noise {@link #compute} draws: {@code σ · N(0, 1)} from ND4J's global generator, one
     * {@code [m, nIn]} block per copy, copy-major ({@code ε_c} = rows {@code c·m .. c·m + m − 1}).
     *
     * @return {@code [copies·m, nIn]}
     */
    public static INDArray drawNoise(int copies, long m, long nIn, double sigma, DataType dataType) {
        return Nd4j.randn(dataType, copies * m, nIn).muli(sigma);
    }

    /**
     * Adds the parts of {@code ∂H/∂W} that the caller's {@code xᵀδ} does not give:
     * {@code 2γ/n_c · W ⊙ Σ Δ²} and {@code εᵀG̃}. Overwrites (adds into) {@code wGrad}.
     *
     * @param wGrad {@code [nIn, nOut]}, added to
     */
    public static void addWeightGradient(INDArray wGrad, INDArray W, Terms terms) {
        wGrad.addi(VectorBroadcasts.mulRowVector(W, terms.directWeightScale().castTo(W.dataType())));
        if (terms.corruptedGradient() != null) {
            Nd4j.gemm(terms.noise(), terms.corruptedGradient(), wGrad, true, false, 1.0, 1.0);
        }
    }

    /** Copy {@code c}'s rows {@code [c·m, c·m + m)} of a copy-major array, as a view. */
    private static INDArray block(INDArray a, int c, long m) {
        return a.get(NDArrayIndex.interval(c * m, (c + 1) * m), NDArrayIndex.all());
    }

    /** {@code Σ_c a_c} of a copy-major {@code [n_c·m, k]} array: {@code [m, k]}. */
    static INDArray sumOverCopies(INDArray a, int copies, long m) {
        long k = a.size(1);
        INDArray rowMajor = a.ordering() == 'c' && a.elementWiseStride() == 1 ? a : a.dup('c');
        return rowMajor.reshape('c', copies, m * k).sum(0).reshape('c', m, k);
    }
}
