package io.github.cae4j.internal;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Forward-mode tangent propagation through dense layers and a softmax output, and its exact reverse
 * pass, on whole minibatches (the math of {@code TangentPropDenseLayer} and {@code TangentPropOutputLayer},
 * whose Javadoc has the formulas).
 *
 * <p>Layout: a layer's input is {@code [m, (1+k)·n]}, row e = {@code [x_e | t_e1 | ... | t_ek]}. Inside,
 * the tangents are one block {@code T [m·k, n]} (row {@code e·k + i} is {@code t_ei}), so one gemm
 * {@code T W} moves all of them through a layer: the (1 + k)x cost of tangent propagation is this
 * product and its two transposed counterparts in the reverse pass.
 *
 * <p>Parameter gradients are batch sums (DL4J's updater divides by m); scores are sums too, the layer
 * divides. No method modifies its arguments.
 */
public final class TangentPropagation {

    private TangentPropagation() {
    }

    /** {@code x [m, n]} and {@code T [m·k, n]}, both new c-order arrays. */
    public record Split(INDArray x, INDArray t) {
    }

    /** Splits {@code [m, (1+k)·n]} into the features and the tangent block. */
    public static Split split(INDArray input, int k, long n) {
        long m = input.size(0);
        INDArray r = input.reshape('c', m, 1 + k, n);
        INDArray x = r.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).dup('c');
        INDArray t = r.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 1 + k), NDArrayIndex.all()).dup('c').reshape('c', m * k, n);
        return new Split(x, t);
    }

    /** Inverse of {@link #split}: {@code [m, (1+k)·n]}. */
    public static INDArray join(INDArray x, INDArray t, int k) {
        long m = x.size(0);
        long n = x.size(1);
        return Nd4j.concat(1, x.reshape('c', m, 1, n), t.reshape('c', m, k, n)).reshape('c', m, (1 + k) * n);
    }

    /**
     * Forward pass of a dense layer {@code h = f(xW + b)} with tangents: {@code s = f'(z)},
     * {@code V = T W}, output tangents {@code s ⊙ v_i}.
     */
    public record Dense(INDArray x, INDArray t, INDArray z, INDArray h, INDArray d1, INDArray v, int k) {

        public static Dense forward(Split in, INDArray W, INDArray b, org.nd4j.linalg.activations.IActivation activation, int k) {
            INDArray z = in.x().mmul(W);
            if (b != null) {
                z.addiRowVector(b);
            }
            INDArray h = activation.getActivation(z.dup(), true);
            INDArray d1 = ActivationDerivatives.of(activation).first(z, h);
            return new Dense(in.x(), in.t(), z, h, d1, in.t().mmul(W), k);
        }

        /** Output tangents {@code s ⊙ v_i}, {@code [m·k, nOut]}. */
        public INDArray outputTangents() {
            return scaleRows(v, d1, k);
        }

        /** {@code [h | s⊙v_1 | ... | s⊙v_k]}, {@code [m, (1+k)·nOut]}. */
        public INDArray output() {
            return join(h, outputTangents(), k);
        }

        /**
         * Reverse pass. With the incoming gradient {@code [e_h | e_1..e_k]}: {@code ∂/∂v_i = e_i ⊙ s},
         * {@code ∂/∂s = Σ_i e_i ⊙ v_i}, {@code δ = ∂/∂z = e_h ⊙ s + (∂/∂s) ⊙ f''(z)};
         * {@code dW = xᵀδ + Σ_i t_iᵀ(e_i ⊙ s)}, {@code db = Σ_rows δ}, input gradient
         * {@code [δWᵀ | (e_1⊙s)Wᵀ | ...]}.
         *
         * @param epsilon {@code [m, (1+k)·nOut]}
         * @param wGrad   {@code [nIn, nOut]}, overwritten with dW
         * @param bGrad   {@code [nOut]}, overwritten with db; may be null (no bias)
         * @return the input gradient {@code [m, (1+k)·nIn]}
         */
        public INDArray backward(INDArray epsilon, INDArray W, org.nd4j.linalg.activations.IActivation activation,
                                 INDArray wGrad, INDArray bGrad) {
            return backward(epsilon, W, activation, wGrad, bGrad, true);
        }

        /**
         * As {@link #backward(INDArray, INDArray, org.nd4j.linalg.activations.IActivation, INDArray, INDArray)};
         * with {@code inputGradient} false the gradients are written but the input's is not computed (its
         * {@code 1 + k} products skipped) and null is returned.
         */
        public INDArray backward(INDArray epsilon, INDArray W, org.nd4j.linalg.activations.IActivation activation,
                                 INDArray wGrad, INDArray bGrad, boolean inputGradient) {
            Split e = split(epsilon, k, h.size(1));
            INDArray ev = scaleRows(e.t(), d1, k);                                   // ∂/∂V, [m·k, nOut]
            INDArray delta = e.x().mul(d1);
            INDArray d2 = ActivationDerivatives.of(activation).second(z, h, d1);
            if (d2 != null) {
                long m = h.size(0);
                long nOut = h.size(1);
                INDArray dS = e.t().reshape('c', m, k, nOut).mul(v.reshape('c', m, k, nOut)).sum(1);   // [m, nOut]
                delta.addi(dS.muli(d2));
            }
            Nd4j.gemm(x, delta, wGrad, true, false, 1.0, 0.0);
            Nd4j.gemm(t, ev, wGrad, true, false, 1.0, 1.0);
            if (bGrad != null) {
                delta.sum(bGrad, 0);
            }
            return inputGradient ? join(delta.mmul(W.transpose()), ev.mmul(W.transpose()), k) : null;
        }
    }

    /**
     * Softmax output {@code p = softmax(xW + b)} with the cross-entropy {@code -Σ y log p} and the
     * tangent-propagation penalty {@code β Σ_i ‖g_i‖²}, {@code g_i = (diag(p) - p pᵀ) z_i},
     * {@code z_i = t_i W}: the directional derivative of p along the input tangent i.
     */
    public record Softmax(INDArray x, INDArray t, INDArray p, INDArray logP, INDArray zt, INDArray g, int k) {

        /** @param in the split input; {@code in.t()} may be null (no tangents: cross-entropy only) */
        public static Softmax forward(Split in, INDArray W, INDArray b, int k) {
            INDArray a = in.x().mmul(W);
            if (b != null) {
                a.addiRowVector(b);
            }
            INDArray logP = logSoftmax(a);
            INDArray p = Transforms.exp(logP, true);
            if (in.t() == null) {
                return new Softmax(in.x(), null, p, logP, null, null, k);
            }
            long m = a.size(0);
            long c = a.size(1);
            INDArray zt = in.t().mmul(W).reshape('c', m, k, c);
            INDArray p3 = p.reshape('c', m, 1, c);
            INDArray dot = zt.mul(p3).sum(true, 2);                                  // p·z_i, [m, k, 1]
            INDArray g = zt.sub(dot).muli(p3);
            return new Softmax(in.x(), in.t(), p, logP, zt, g, k);
        }

        /** Cross-entropy per example, {@code [m]}. */
        public INDArray crossEntropy(INDArray labels) {
            return labels.mul(logP).sum(1).negi();
        }

        /** {@code β Σ_i ‖g_i‖²} per example, {@code [m]}; zeros without tangents. */
        public INDArray penalty(double beta) {
            if (g == null) {
                return Nd4j.zeros(p.dataType(), p.size(0));
            }
            return g.mul(g).sum(1, 2).muli(beta);
        }

        /**
         * Reverse pass of the summed cross-entropy plus penalty. With {@code E_i = 2β g_i}:
         * {@code ∂/∂z_i = p ⊙ (E_i - p·E_i)}; {@code q = ∂/∂p = Σ_i [E_i ⊙ (z_i - p·z_i) - (p·E_i) z_i]};
         * {@code δ = ∂/∂a = p Σy - y + p ⊙ (q - p·q)}; {@code dW = xᵀδ + Σ_i t_iᵀ ∂/∂z_i},
         * {@code db = Σ_rows δ}, input gradient {@code [δWᵀ | (∂/∂z_1)Wᵀ | ...]}.
         *
         * @param wGrad overwritten with dW; bGrad overwritten with db (may be null)
         * @return the input gradient, {@code [m, (1+k)·nIn]}, or {@code [m, nIn]} without tangents
         */
        public INDArray backward(INDArray labels, double beta, INDArray W, INDArray wGrad, INDArray bGrad) {
            INDArray delta = p.mulColumnVector(labels.sum(1).reshape(labels.size(0), 1)).subi(labels);
            INDArray dZ = null;
            if (g != null) {
                long m = p.size(0);
                long c = p.size(1);
                INDArray p3 = p.reshape('c', m, 1, c);
                INDArray e = g.mul(2 * beta);
                INDArray pe = e.mul(p3).sum(true, 2);                                 // p·E_i, [m, k, 1]
                INDArray pz = zt.mul(p3).sum(true, 2);                                // p·z_i
                dZ = e.sub(pe).muli(p3).reshape('c', m * k, c);
                INDArray q = e.mul(zt.sub(pz)).subi(zt.mul(pe)).sum(1);             // [m, c]
                INDArray pq = q.mul(p).sum(true, 1);
                delta.addi(q.subiColumnVector(pq).muli(p));
            }
            Nd4j.gemm(x, delta, wGrad, true, false, 1.0, 0.0);
            if (dZ != null) {
                Nd4j.gemm(t, dZ, wGrad, true, false, 1.0, 1.0);
            }
            if (bGrad != null) {
                delta.sum(bGrad, 0);
            }
            INDArray ex = delta.mmul(W.transpose());
            return dZ == null ? ex : join(ex, dZ.mmul(W.transpose()), k);
        }
    }

    /** {@code a - log Σ exp(a)} per row, computed stably (no overflow, no log of 0). */
    static INDArray logSoftmax(INDArray a) {
        INDArray max = a.max(true, 1);
        INDArray shifted = a.subColumnVector(max);
        INDArray lse = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        return shifted.subiColumnVector(lse);
    }

    /** Row {@code e·k + i} of {@code u [m·k, w]} times {@code d [m, w]} row e, element-wise. */
    static INDArray scaleRows(INDArray u, INDArray d, int k) {
        long m = d.size(0);
        long w = d.size(1);
        return u.reshape('c', m, k, w).mul(d.reshape('c', m, 1, w)).reshape('c', m * k, w);
    }
}
