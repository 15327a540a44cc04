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
 * <p>Layout: a layer's input is {@code [m, (1+k)·n]}, row e = {@code [x_e | t_e1 | ... | t_ek]}. Read as
 * {@code [m·(1+k), n]} (a free reshape of a c-order array), its row {@code e·(1+k)} is {@code x_e} and row
 * {@code e·(1+k) + i} is {@code t_ei}: one gemm with W moves the features and every tangent through a
 * layer, and in the reverse pass one gemm gives dW and one the input gradient, already in the
 * appended layout. Nothing is split off or joined back (those copies of the {@code [m·(1+k), n]} block
 * cost a tangent step as much as its products on a 2-core machine); the features' rows are strided
 * views into the block.
 *
 * <p>Parameter gradients are batch sums (DL4J's updater divides by m); scores are sums too, the layer
 * divides. No method modifies its arguments.
 */
public final class TangentPropagation {

    private TangentPropagation() {
    }

    /** {@code [m, (1+k)·n]} read as {@code [m·(1+k), n]}: a view when c-order, else a c-order copy. */
    static INDArray rows(INDArray appended, int k) {
        return appended.reshape('c', appended.size(0) * (1 + k), appended.size(1) / (1 + k));
    }

    /** {@code a [m·(1+k), w]} as {@code [m, 1+k, w]}: slot 0 the features' rows, slots 1..k the tangents'. */
    static INDArray slots(INDArray a, int k) {
        return a.reshape('c', a.size(0) / (1 + k), 1 + k, a.size(1));
    }

    /** Slot 0 of {@code [m, 1+k, w]}: a strided {@code [m, w]} view. */
    static INDArray features(INDArray slots) {
        return slots.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all());
    }

    /** Slots 1..k of {@code [m, 1+k, w]}: a strided {@code [m, k, w]} view. */
    static INDArray tangents(INDArray slots) {
        return slots.get(NDArrayIndex.all(), NDArrayIndex.interval(1, slots.size(1)), NDArrayIndex.all());
    }

    /** The features of an appended input, {@code [m, n]}, as a new c-order array. */
    public static INDArray featuresOf(INDArray appended, int k) {
        return features(slots(rows(appended, k), k)).dup('c');
    }

    /** {@code a b} (or {@code a bᵀ}) into a new c-order array, so that {@link #slots} is a view of it. */
    static INDArray product(INDArray a, INDArray b, boolean transposeB) {
        INDArray c = Nd4j.createUninitialized(a.dataType(), a.size(0), transposeB ? b.size(0) : b.size(1));
        Nd4j.gemm(a, b, c, false, transposeB, 1.0, 0.0);
        return c;
    }

    /**
     * Forward pass of a dense layer {@code h = f(xW + b)} with tangents: {@code s = f'(z)},
     * {@code v_i = t_i W}, output tangents {@code s ⊙ v_i}.
     *
     * @param in {@code [m·(1+k), nIn]} rows as {@link #rows} gives them
     * @param y  {@code [m, 1+k, nOut]}: slot 0 {@code z}, slots 1..k {@code v_i}
     */
    public record Dense(INDArray in, INDArray y, INDArray h, INDArray d1, int k) {

        /** @param input {@code [m, (1+k)·nIn]}; not modified */
        public static Dense forward(INDArray input, INDArray W, INDArray b, org.nd4j.linalg.activations.IActivation activation, int k) {
            INDArray in = rows(input, k);
            INDArray y = slots(product(in, W, false), k);
            INDArray z = features(y);
            if (b != null) {
                VectorBroadcasts.addiRowVector(z, b);
            }
            INDArray h = activation.getActivation(z.dup('c'), true);
            INDArray d1 = ActivationDerivatives.of(activation).first(z, h);
            return new Dense(in, y, h, d1, k);
        }

        /** {@code [h | s⊙v_1 | ... | s⊙v_k]}, {@code [m, (1+k)·nOut]}. */
        public INDArray output() {
            long m = h.size(0);
            long nOut = h.size(1);
            INDArray out = y.mul(d1.reshape('c', m, 1, nOut));
            features(out).assign(h);
            return out.reshape('c', m, (1 + k) * nOut);
        }

        /**
         * Reverse pass. With the incoming gradient {@code [e_h | e_1..e_k]}: {@code ∂/∂v_i = e_i ⊙ s},
         * {@code ∂/∂s = Σ_i e_i ⊙ v_i}, {@code δ = ∂/∂z = e_h ⊙ s + (∂/∂s) ⊙ f''(z)};
         * {@code dW = xᵀδ + Σ_i t_iᵀ(e_i ⊙ s)}, {@code db = Σ_rows δ}, input gradient
         * {@code [δWᵀ | (e_1⊙s)Wᵀ | ...]}. The rows {@code [δ | e_1⊙s | ...]} form one
         * {@code [m·(1+k), nOut]} block G: {@code dW = inᵀG}, input gradient {@code G Wᵀ}.
         *
         * @param epsilon       {@code [m, (1+k)·nOut]}
         * @param wGrad         {@code [nIn, nOut]}, overwritten with dW
         * @param bGrad         {@code [nOut]}, overwritten with db; may be null (no bias)
         * @param inputGradient false skips the input gradient's product (DL4J discards layer 0's) and returns null
         * @return the input gradient {@code [m, (1+k)·nIn]}, or null
         */
        public INDArray backward(INDArray epsilon, INDArray W, org.nd4j.linalg.activations.IActivation activation,
                                 INDArray wGrad, INDArray bGrad, boolean inputGradient) {
            long m = h.size(0);
            long nOut = h.size(1);
            INDArray e = slots(rows(epsilon, k), k);
            INDArray g = e.mul(d1.reshape('c', m, 1, nOut));                           // [e_h⊙s | e_i⊙s]
            INDArray delta = features(g);
            INDArray d2 = ActivationDerivatives.of(activation).second(features(y), h, d1);
            if (d2 != null) {
                INDArray dS = tangents(e).mul(tangents(y)).sum(1);                      // Σ_i e_i ⊙ v_i, [m, nOut]
                delta.addi(dS.muli(d2));
            }
            INDArray gRows = g.reshape('c', m * (1 + k), nOut);
            Nd4j.gemm(in, gRows, wGrad, true, false, 1.0, 0.0);
            if (bGrad != null) {
                delta.sum(bGrad, 0);
            }
            return inputGradient ? product(gRows, W, true).reshape('c', m, (1 + k) * W.size(0)) : null;
        }
    }

    /**
     * Softmax output {@code p = softmax(xW + b)} with the cross-entropy {@code -Σ y log p} and the
     * tangent-propagation penalty {@code β Σ_i ‖g_i‖²}, {@code g_i = (diag(p) - p pᵀ) z_i},
     * {@code z_i = t_i W}: the directional derivative of p along the input tangent i.
     *
     * @param in {@code [m·(1+k), n]} rows, or {@code [m, n]} features without tangents ({@code zt} null)
     */
    public record Softmax(INDArray in, INDArray p, INDArray logP, INDArray zt, INDArray g, int k) {

        /** @param input {@code [m, (1+k)·n]}, or {@code [m, n]} features when {@code tangents} is false */
        public static Softmax forward(INDArray input, boolean tangents, INDArray W, INDArray b, int k) {
            if (!tangents) {
                INDArray a = input.mmul(W);
                if (b != null) {
                    VectorBroadcasts.addiRowVector(a, b);
                }
                INDArray logP = logSoftmax(a);
                return new Softmax(input, Transforms.exp(logP, true), logP, null, null, k);
            }
            INDArray in = rows(input, k);
            INDArray y = slots(product(in, W, false), k);
            INDArray a = features(y).dup('c');
            if (b != null) {
                VectorBroadcasts.addiRowVector(a, b);
            }
            INDArray logP = logSoftmax(a);
            INDArray p = Transforms.exp(logP, true);
            long m = a.size(0);
            long c = a.size(1);
            INDArray zt = tangents(y).dup('c');                                       // z_i, [m, k, c]
            INDArray p3 = p.reshape('c', m, 1, c);
            INDArray dot = zt.mul(p3).sum(true, 2);                                  // p·z_i, [m, k, 1]
            INDArray g = zt.sub(dot).muli(p3);
            return new Softmax(in, p, logP, zt, g, k);
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
         * {@code db = Σ_rows δ}, input gradient {@code [δWᵀ | (∂/∂z_1)Wᵀ | ...]} (the rows
         * {@code [δ | ∂/∂z_1 | ...]} as one block, as in {@link Dense#backward}).
         *
         * @param wGrad overwritten with dW; bGrad overwritten with db (may be null)
         * @return the input gradient, {@code [m, (1+k)·nIn]}, or {@code [m, nIn]} without tangents
         */
        public INDArray backward(INDArray labels, double beta, INDArray W, INDArray wGrad, INDArray bGrad) {
            INDArray delta = VectorBroadcasts.mulColumnVector(p, labels.sum(1).reshape(labels.size(0), 1)).subi(labels);
            if (g == null) {
                Nd4j.gemm(in, delta, wGrad, true, false, 1.0, 0.0);
                if (bGrad != null) {
                    delta.sum(bGrad, 0);
                }
                return delta.mmul(W.transpose());
            }
            long m = p.size(0);
            long c = p.size(1);
            INDArray p3 = p.reshape('c', m, 1, c);
            INDArray e = g.mul(2 * beta);
            INDArray pe = e.mul(p3).sum(true, 2);                                     // p·E_i, [m, k, 1]
            INDArray pz = zt.mul(p3).sum(true, 2);                                    // p·z_i
            INDArray q = e.mul(zt.sub(pz)).subi(zt.mul(pe)).sum(1);                 // [m, c]
            INDArray pq = q.mul(p).sum(true, 1);
            delta.addi(VectorBroadcasts.subiColumnVector(q, pq).muli(p));
            INDArray rowsGrad = Nd4j.createUninitialized(p.dataType(), m, 1 + k, c);
            features(rowsGrad).assign(delta);
            tangents(rowsGrad).assign(e.subi(pe).muli(p3));                           // ∂/∂z_i
            INDArray gRows = rowsGrad.reshape('c', m * (1 + k), c);
            Nd4j.gemm(in, gRows, wGrad, true, false, 1.0, 0.0);
            if (bGrad != null) {
                delta.sum(bGrad, 0);
            }
            return product(gRows, W, true).reshape('c', m, (1 + k) * W.size(0));
        }
    }

    /** {@code a - log Σ exp(a)} per row, computed stably (no overflow, no log of 0). */
    static INDArray logSoftmax(INDArray a) {
        INDArray max = a.max(true, 1);
        INDArray shifted = VectorBroadcasts.subColumnVector(a, max);
        INDArray lse = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        return VectorBroadcasts.subiColumnVector(shifted, lse);
    }
}
