package io.github.cae4j.tangents;

import io.github.cae4j.internal.ActivationDerivatives;
import io.github.cae4j.internal.SmallSymmetricEigen;
import io.github.cae4j.internal.StackJacobian;
import io.github.cae4j.internal.VectorBroadcasts;
import io.github.cae4j.pretrain.PretrainedAutoencoder;
import io.github.cae4j.pretrain.PretrainedStack;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Manifold tangents (Rifai et al., "The Manifold Tangent Classifier", NIPS 2011): at each input x, the
 * leading k right singular vectors of the Jacobian of a trained encoder stack,
 * <pre>
 *   J(x) = ∂h_L/∂x = J_L ... J_1,   J_l = diag(f_l'(a_l)) W_lᵀ,   a_l = h_{l-1} W_l + b_l,   h_0 = x,
 * </pre>
 * the input-space directions the representation is most sensitive to; a contractive encoder is
 * sensitive only along the data manifold, so they span its tangent plane at x. The singular values
 * say how strongly.
 *
 * <p>Method: block subspace iteration on {@code JᵀJ}, batched over examples. Each example starts from
 * r = k + oversampling seeded random vectors; an iteration computes {@code J V} and {@code Jᵀ(J V)}
 * layer by layer with the closed-form layer Jacobians (two gemms per layer for the whole batch, J is
 * never formed, no finite differences) and re-orthonormalises each example's block (Gram-Schmidt
 * with reorthogonalisation). A final Rayleigh-Ritz step diagonalises the r x r matrix {@code (JV)(JV)ᵀ} of each example
 * and rotates the block onto its eigenvectors. Cost per example: {@code (2·iterations + 1)·r} products
 * with the stack (each {@code Σ_l h_{l-1}·h_l} multiply-adds) plus {@code O(r²·d)} for the
 * orthonormalisation.
 *
 * <p>Immutable: holds copies of the encoders' parameters, so it can stream tangents for minibatches
 * while the classifier initialised from the same parameters trains.
 */
public final class ManifoldTangents {

    private final List<INDArray> weights;
    private final List<INDArray> biases;
    private final List<IActivation> activations;
    private final TangentOptions options;
    private final int subspace;

    /**
     * @param weights     {@code W_l [h_{l-1}, h_l]}, bottom first
     * @param biases      {@code b_l [h_l]}
     * @param activations {@code f_l}, each one of {@value ActivationDerivatives#SUPPORTED}
     * @throws IllegalArgumentException when the layers do not chain, an activation is not supported, or
     *                                  k exceeds the input width or the narrowest layer (J has no more
     *                                  non-zero singular values than that)
     */
    public ManifoldTangents(List<INDArray> weights, List<INDArray> biases, List<IActivation> activations, TangentOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("ManifoldTangents: options must not be null");
        }
        if (weights == null || weights.isEmpty() || biases == null || activations == null
                || biases.size() != weights.size() || activations.size() != weights.size()) {
            throw new IllegalArgumentException("ManifoldTangents: one weight matrix, bias and activation per layer are required, got "
                    + (weights == null ? "null" : weights.size()) + ", " + (biases == null ? "null" : biases.size()) + " and "
                    + (activations == null ? "null" : activations.size()));
        }
        long narrowest = Long.MAX_VALUE;
        for (int l = 0; l < weights.size(); l++) {
            INDArray W = weights.get(l);
            if (W == null || W.rank() != 2) {
                throw new IllegalArgumentException("ManifoldTangents: layer " + l + ": W must be a matrix [nIn, nOut], got "
                        + (W == null ? "null" : Arrays.toString(W.shape())));
            }
            if (l > 0 && W.size(0) != weights.get(l - 1).size(1)) {
                throw new IllegalArgumentException("ManifoldTangents: layer " + (l - 1) + " outputs " + weights.get(l - 1).size(1)
                        + " units but layer " + l + " takes nIn = " + W.size(0));
            }
            if (biases.get(l) == null || biases.get(l).length() != W.size(1)) {
                throw new IllegalArgumentException("ManifoldTangents: layer " + l + ": b must hold " + W.size(1) + " values, got "
                        + (biases.get(l) == null ? "null" : Arrays.toString(biases.get(l).shape())));
            }
            String problem = ActivationDerivatives.unsupportedReason(activations.get(l));
            if (problem != null) {
                throw new IllegalArgumentException("ManifoldTangents: layer " + l + ": " + problem);
            }
            narrowest = Math.min(narrowest, W.size(1));
        }
        long d = weights.get(0).size(0);
        if (options.k() > d || options.k() > narrowest) {
            throw new IllegalArgumentException("ManifoldTangents: k = " + options.k() + " tangents requested, but J(x) has at most min(input width "
                    + d + ", narrowest layer " + narrowest + ") = " + Math.min(d, narrowest)
                    + " non-zero singular values; k must be in [1, " + Math.min(d, narrowest) + "]");
        }
        List<INDArray> w = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        for (int l = 0; l < weights.size(); l++) {
            w.add(weights.get(l).dup('c'));
            b.add(biases.get(l).castTo(weights.get(l).dataType()).reshape(weights.get(l).size(1)).dup());
        }
        this.weights = List.copyOf(w);
        this.biases = List.copyOf(b);
        this.activations = List.copyOf(activations);
        this.options = options;
        this.subspace = (int) Math.min(options.k() + (long) options.oversampling(), Math.min(d, narrowest));
    }

    /** Tangents of the encoders of a pretrained stack (all layers; the paper uses the top one's J). */
    public static ManifoldTangents of(PretrainedStack stack, TangentOptions options) {
        List<INDArray> w = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        List<IActivation> a = new ArrayList<>();
        for (PretrainedAutoencoder ae : stack.autoencoders()) {
            w.add(ae.W());
            b.add(ae.b());
            a.add(ae.activation());
        }
        return new ManifoldTangents(w, b, a, options);
    }

    public TangentOptions options() {
        return options;
    }

    /** Width d of the inputs. */
    public long inputWidth() {
        return weights.get(0).size(0);
    }

    /** Vectors iterated per example: {@code min(k + oversampling, d, narrowest layer)}. */
    public int subspaceSize() {
        return subspace;
    }

    /**
     * @param x inputs {@code [n, d]}, n >= 1
     * @return the leading k singular values and right singular vectors of J at every row of x, in the
     *         encoders' data type
     * @throws IllegalArgumentException when x is not {@code [n, d]} with d the stack's input width
     */
    public Tangents compute(INDArray x) {
        if (x == null || x.rank() != 2 || x.size(1) != inputWidth() || x.size(0) == 0) {
            throw new IllegalArgumentException("ManifoldTangents: inputs must be [n, " + inputWidth()
                    + "] (n >= 1; the stack's first layer takes nIn = " + inputWidth() + "), got "
                    + (x == null ? "null" : Arrays.toString(x.shape())));
        }
        long n = x.size(0);
        int k = options.k();
        INDArray values = Nd4j.create(weights.get(0).dataType(), n, k);
        INDArray vectors = Nd4j.create(weights.get(0).dataType(), n, k, inputWidth());
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(options.seed());
        for (long start = 0; start < n; start += options.batchSize()) {
            long end = Math.min(n, start + options.batchSize());
            INDArray xb = x.get(NDArrayIndex.interval(start, end), NDArrayIndex.all()).castTo(weights.get(0).dataType());
            Tangents t = batch(xb, rng);
            values.get(NDArrayIndex.interval(start, end), NDArrayIndex.all()).assign(t.values());
            vectors.get(NDArrayIndex.interval(start, end), NDArrayIndex.all(), NDArrayIndex.all()).assign(t.vectors());
        }
        return new Tangents(values, vectors);
    }

    private Tangents batch(INDArray x, Random rng) {
        long n = x.size(0);
        long d = inputWidth();
        int r = subspace;
        int k = options.k();
        StackJacobian jacobian = new StackJacobian(x, weights, biases, activations);
        INDArray v = Nd4j.randn(new long[]{n * r, d}, rng).castTo(weights.get(0).dataType());
        orthonormalise(v, n, r);
        for (int it = 0; it < options.iterations(); it++) {
            v = jacobian.transposeTimes(jacobian.times(v, r), r).dup('c');
            orthonormalise(v, n, r);
        }
        // Rayleigh-Ritz: G = (JV)(JV)ᵀ per example, G = Q Λ Qᵀ, Ritz vectors Qᵀ V, singular values √λ.
        INDArray y = jacobian.times(v, r);
        INDArray y3 = y.reshape('c', n, r, y.size(1));
        INDArray gram = Nd4j.matmul(y3, y3.permute(0, 2, 1).dup('c'));
        SmallSymmetricEigen.Result eig = SmallSymmetricEigen.decompose(gram);
        INDArray qT = eig.vectors().permute(0, 2, 1).dup('c');
        INDArray ritz = Nd4j.matmul(qT, v.reshape('c', n, r, d));
        INDArray top = ritz.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k), NDArrayIndex.all()).dup('c');
        INDArray sign = top.sum(2).gte(0.0).castTo(top.dataType()).muli(2.0).subi(1.0);   // [n, k], ±1
        top.muli(sign.reshape('c', n, k, 1));
        INDArray sigma = Transforms.sqrt(Transforms.max(eig.values().get(NDArrayIndex.all(), NDArrayIndex.interval(0, k)), 0.0, true), false);
        return new Tangents(sigma, top);
    }

    /**
     * Orthonormalises, in place, each example's r rows of {@code v [n·r, d]} (c order): classical
     * Gram-Schmidt with reorthogonalisation (CGS2: each vector is projected off all earlier ones twice),
     * which keeps orthogonality in float even when the block is ill-conditioned, as it becomes after a
     * few iterations with a steep spectrum. The projections onto the earlier vectors of all examples are
     * two batched products per vector, so the op count grows with r, not r². A vector that vanishes (J of
     * lower rank than r) stays zero.
     */
    static void orthonormalise(INDArray v, long n, int r) {
        long d = v.size(1);
        INDArray v3 = v.reshape('c', n, r, d);
        for (int j = 0; j < r; j++) {
            INDArray vj = v3.get(NDArrayIndex.all(), NDArrayIndex.point(j), NDArrayIndex.all());
            if (j > 0) {
                INDArray previous = v3.get(NDArrayIndex.all(), NDArrayIndex.interval(0, j), NDArrayIndex.all()).dup('c');
                for (int pass = 0; pass < 2; pass++) {
                    INDArray column = vj.dup('c').reshape('c', n, d, 1);
                    INDArray dots = Nd4j.matmul(previous, column);                           // [n, j, 1]
                    INDArray projection = Nd4j.matmul(previous, dots, true, false, false);   // [n, d, 1]
                    vj.subi(projection.reshape('c', n, d));
                }
            }
            INDArray norm = vj.norm2(1).reshape(n, 1);
            VectorBroadcasts.diviColumnVector(vj, Transforms.max(norm, 1e-30, false));
        }
    }
}
