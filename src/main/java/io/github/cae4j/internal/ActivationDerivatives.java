package io.github.cae4j.internal;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftPlus;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Exact first and second derivatives {@code f'(z)} and {@code f''(z)} of an element-wise activation,
 * evaluated on a whole minibatch. The contractive penalty needs {@code f'} for its value and
 * {@code f''} for its gradient; both are read off the pre-activation {@code z} and the activation
 * {@code h = f(z)} the layer already has, so no extra transcendental is computed where {@code h}
 * suffices (sigmoid, tanh, ELU).
 *
 * <p>Supported: SIGMOID, TANH, SOFTPLUS, RELU (plain, no max/threshold/slope), LEAKYRELU, ELU,
 * IDENTITY. For the piecewise-linear ones {@code f''} is zero almost everywhere and
 * {@link #second} returns {@code null}, which callers treat as zero and skip.
 *
 * <p>Neither method modifies its arguments; both return new arrays in the current workspace.
 */
public interface ActivationDerivatives {

    /** Names of the activations this library can differentiate twice, for error messages. */
    String SUPPORTED = "SIGMOID, TANH, SOFTPLUS, RELU (no max, threshold or negative slope), LEAKYRELU, ELU, IDENTITY";

    /**
     * @param z pre-activation {@code [m, nOut]}
     * @param h activation {@code f(z)}, same shape
     * @return {@code f'(z)}, same shape
     */
    INDArray first(INDArray z, INDArray h);

    /**
     * @param z  pre-activation {@code [m, nOut]}
     * @param h  activation {@code f(z)}
     * @param d1 {@code f'(z)} as returned by {@link #first}
     * @return {@code f''(z)}, or {@code null} when it is zero almost everywhere
     */
    INDArray second(INDArray z, INDArray h, INDArray d1);

    /**
     * Whether {@link #first} and {@link #second} read {@code z}. When they do not (sigmoid, tanh: both
     * derivatives follow from {@code h}), a layer need not keep a copy of {@code z} before the
     * activation overwrites it in place, which saves a copy of {@code [m, nOut]} per forward pass.
     * Callers that answer false here may pass null as {@code z}.
     */
    default boolean needsPreActivation() {
        return true;
    }

    /** True if {@link #of} accepts this activation. */
    static boolean isSupported(IActivation activation) {
        return unsupportedReason(activation) == null;
    }

    /**
     * Derivatives for {@code activation}.
     *
     * @throws IllegalArgumentException naming the activation and listing {@link #SUPPORTED}
     */
    static ActivationDerivatives of(IActivation activation) {
        String problem = unsupportedReason(activation);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (activation instanceof ActivationSigmoid) return Sigmoid.INSTANCE;
        if (activation instanceof ActivationTanH) return Tanh.INSTANCE;
        if (activation instanceof ActivationSoftPlus) return SoftPlus.INSTANCE;
        if (activation instanceof ActivationReLU) return new Leaky(0.0);
        if (activation instanceof ActivationLReLU l) return new Leaky(l.getAlpha());
        if (activation instanceof ActivationELU e) return new Elu(e.getAlpha());
        return Identity.INSTANCE;
    }

    /** Null when supported, otherwise a message that names the activation and the supported set. */
    static String unsupportedReason(IActivation activation) {
        if (activation == null) {
            return "activation is not set; supported: " + SUPPORTED;
        }
        if (activation instanceof ActivationReLU r
                && (r.getMax() != null || r.getNegativeSlope() != null
                    || (r.getThreshold() != null && r.getThreshold() != 0.0))) {
            return "activation " + activation + " (max=" + r.getMax() + ", threshold=" + r.getThreshold()
                    + ", negativeSlope=" + r.getNegativeSlope() + ") is not supported: only the plain ReLU is;"
                    + " use LEAKYRELU for a negative slope. Supported: " + SUPPORTED;
        }
        boolean known = activation instanceof ActivationSigmoid || activation instanceof ActivationTanH
                || activation instanceof ActivationSoftPlus || activation instanceof ActivationReLU
                || activation instanceof ActivationLReLU || activation instanceof ActivationELU
                || activation instanceof ActivationIdentity;
        if (!known) {
            return "activation " + activation + " (" + activation.getClass().getSimpleName()
                    + ") is not supported: the contractive penalty needs an element-wise activation with exact"
                    + " first and second derivatives. Supported: " + SUPPORTED;
        }
        return null;
    }

    /** {@code f' = h(1-h)}, {@code f'' = f'(1-2h)}. */
    enum Sigmoid implements ActivationDerivatives {
        INSTANCE;

        @Override
        public INDArray first(INDArray z, INDArray h) {
            return Transforms.timesOneMinus(h, true);     // h(1-h) in one native op
        }

        @Override
        public INDArray second(INDArray z, INDArray h, INDArray d1) {
            return h.mul(-2.0).addi(1.0).muli(d1);
        }

        @Override
        public boolean needsPreActivation() {
            return false;
        }
    }

    /** {@code f' = 1-h²}, {@code f'' = -2h f'}. */
    enum Tanh implements ActivationDerivatives {
        INSTANCE;

        @Override
        public INDArray first(INDArray z, INDArray h) {
            return h.mul(h).rsubi(1.0);
        }

        @Override
        public INDArray second(INDArray z, INDArray h, INDArray d1) {
            return h.mul(-2.0).muli(d1);
        }

        @Override
        public boolean needsPreActivation() {
            return false;
        }
    }

    /** {@code f = log(1+e^z)}: {@code f' = sigmoid(z)}, {@code f'' = f'(1-f')}. */
    enum SoftPlus implements ActivationDerivatives {
        INSTANCE;

        @Override
        public INDArray first(INDArray z, INDArray h) {
            return Transforms.sigmoid(z, true);
        }

        @Override
        public INDArray second(INDArray z, INDArray h, INDArray d1) {
            return d1.rsub(1.0).muli(d1);
        }
    }

    /** ReLU ({@code alpha = 0}) and leaky ReLU: {@code f' = 1} for {@code z > 0}, else {@code alpha}. */
    record Leaky(double alpha) implements ActivationDerivatives {
        @Override
        public INDArray first(INDArray z, INDArray h) {
            INDArray positive = z.gt(0.0).castTo(z.dataType());
            return alpha == 0.0 ? positive : positive.muli(1.0 - alpha).addi(alpha);
        }

        @Override
        public INDArray second(INDArray z, INDArray h, INDArray d1) {
            return null;
        }
    }

    /**
     * ELU: for {@code z <= 0}, {@code h = alpha(e^z - 1)}, so {@code f' = f'' = h + alpha};
     * for {@code z > 0}, {@code f' = 1} and {@code f'' = 0}. (DL4J's own ELU backprop ignores
     * {@code alpha}; this is exact for any {@code alpha}.)
     */
    record Elu(double alpha) implements ActivationDerivatives {
        @Override
        public INDArray first(INDArray z, INDArray h) {
            INDArray negative = z.lte(0.0).castTo(z.dataType());
            return h.add(alpha).subi(1.0).muli(negative).addi(1.0);
        }

        @Override
        public INDArray second(INDArray z, INDArray h, INDArray d1) {
            return z.lte(0.0).castTo(z.dataType()).muli(h.add(alpha));
        }
    }

    /** {@code f' = 1}, {@code f'' = 0}. */
    enum Identity implements ActivationDerivatives {
        INSTANCE;

        @Override
        public INDArray first(INDArray z, INDArray h) {
            return z.ulike().assign(1.0);
        }

        @Override
        public INDArray second(INDArray z, INDArray h, INDArray d1) {
            return null;
        }
    }
}
