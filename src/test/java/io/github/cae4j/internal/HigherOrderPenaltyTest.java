package io.github.cae4j.internal;

import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.TinyNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HigherOrderPenalty} on its own, without DL4J: its gradients for W, b and x against central
 * differences of its own value (the noise held fixed by reseeding ND4J's generator before every
 * evaluation, so each draws the same ε), for every supported activation; a negative control that
 * drops the {@code f''(z̃)} term and must fail; and the value against a per-copy, per-example loop.
 */
@ExtendWith(DoublePrecision.class)
class HigherOrderPenaltyTest {

    private static final long NOISE_SEED = 4242;
    private static final double GAMMA = 1.3;
    private static final double SIGMA = 0.4;
    private static final int COPIES = 3;
    private static final double STEP = 1e-6;

    enum Supported {
        SIGMOID(Activation.SIGMOID), TANH(Activation.TANH), SOFTPLUS(Activation.SOFTPLUS), RELU(Activation.RELU),
        LEAKYRELU(Activation.LEAKYRELU), ELU(Activation.ELU), IDENTITY(Activation.IDENTITY);

        final IActivation fn;

        Supported(Activation a) {
            this.fn = a.getActivationFunction();
        }
    }

    /** A small layer: x [5, 6], W [6, 4], b [4], all seeded. */
    private static final class Problem {
        final INDArray x = TinyNets.manifoldData(5, 6, 2, 3);
        final INDArray W;
        final INDArray b;
        final IActivation act;
        final ActivationDerivatives der;

        Problem(IActivation act) {
            var rng = Nd4j.getRandomFactory().getNewRandomInstance(17);
            this.W = Nd4j.randn(new long[]{6, 4}, rng).castTo(DataType.DOUBLE).muli(0.8);
            this.b = Nd4j.randn(new long[]{4}, rng).castTo(DataType.DOUBLE).muli(0.3);
            this.act = act;
            this.der = ActivationDerivatives.of(act);
        }

        HigherOrderPenalty.Terms terms() {
            Nd4j.getRandom().setSeed(NOISE_SEED);
            INDArray z = x.mmul(W).addiRowVector(b);
            INDArray h = act.getActivation(z.dup(), true);
            return HigherOrderPenalty.compute(z, h, der.first(z, h), W, null, act, der, GAMMA, SIGMA, COPIES);
        }

        double value() {
            return terms().penaltySum();
        }

        /** [dW, db, dx] from the terms, as the layer assembles them. */
        INDArray[] gradients(HigherOrderPenalty.Terms t) {
            INDArray pre = t.preActivationGradient() == null ? Nd4j.zeros(DataType.DOUBLE, x.size(0), W.size(1)) : t.preActivationGradient();
            INDArray dW = x.transpose().mmul(pre);
            HigherOrderPenalty.addWeightGradient(dW, W, t);
            return new INDArray[]{dW, pre.sum(0), pre.mmul(W.transpose())};
        }
    }

    /** Central differences of {@code value} w.r.t. every entry of {@code a} (perturbed in place and restored). */
    private static INDArray numeric(INDArray a, Supplier<Double> value) {
        INDArray flat = a.reshape(a.length());
        INDArray out = Nd4j.zeros(DataType.DOUBLE, a.length());
        for (long i = 0; i < a.length(); i++) {
            double orig = flat.getDouble(i);
            flat.putScalar(i, orig + STEP);
            double plus = value.get();
            flat.putScalar(i, orig - STEP);
            double minus = value.get();
            flat.putScalar(i, orig);
            out.putScalar(i, (plus - minus) / (2 * STEP));
        }
        return out;
    }

    /** Largest relative error, entries where both are below 1e-8 counting as equal (as DL4J's check does). */
    private static double maxRelError(INDArray analytic, INDArray numeric) {
        double[] a = analytic.dup('c').data().asDouble();
        double[] n = numeric.data().asDouble();
        assertEquals(a.length, n.length);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double diff = Math.abs(a[i] - n[i]);
            if (diff < 1e-8) {
                continue;
            }
            worst = Math.max(worst, diff / (Math.abs(a[i]) + Math.abs(n[i])));
        }
        return worst;
    }

    @ParameterizedTest
    @EnumSource(Supported.class)
    void gradientsForWeightsBiasAndInputMatchFiniteDifferences(Supported s) {
        Problem p = new Problem(s.fn);
        INDArray[] g = p.gradients(p.terms());
        INDArray[] params = {p.W, p.b, p.x};
        String[] names = {"W", "b", "x"};
        for (int k = 0; k < 3; k++) {
            double err = maxRelError(g[k].reshape(g[k].length()), numeric(params[k], p::value));
            assertTrue(err < 1e-5, s + ": d/d" + names[k] + " max relative error " + err);
        }
    }

    /**
     * Guards the check above: without the {@code f''(z̃)} part ({@code G̃}, which reaches W through
     * {@code εᵀG̃} and {@code xᵀΣ_c G̃_c}, b and x through {@code Σ_c G̃_c}) the same comparison must fail.
     */
    @ParameterizedTest
    @EnumSource(value = Supported.class, names = {"SIGMOID", "TANH", "SOFTPLUS", "ELU"})
    void droppingTheSecondDerivativeAtTheCorruptedCopiesFailsTheCheck(Supported s) {
        Problem p = new Problem(s.fn);
        HigherOrderPenalty.Terms full = p.terms();
        INDArray cleanOnly = full.preActivationGradient().sub(HigherOrderPenalty.sumOverCopies(full.corruptedGradient(), COPIES, p.x.size(0)));
        var ablated = new HigherOrderPenalty.Terms(full.penaltySum(), full.noise(), null, cleanOnly, full.directWeightScale());
        INDArray[] g = p.gradients(ablated);
        INDArray[] params = {p.W, p.b, p.x};
        for (int k = 0; k < 3; k++) {
            double err = maxRelError(g[k].reshape(g[k].length()), numeric(params[k], p::value));
            assertTrue(err > 1e-2, s + ": the ablated gradient should be caught, max relative error only " + err);
        }
    }

    /** The vectorised value against a loop over copies and examples of Σ_j (f'(z) − f'(z̃))² ‖W_j‖². */
    @ParameterizedTest
    @EnumSource(Supported.class)
    void valueMatchesAPerCopyPerExampleLoop(Supported s) {
        Problem p = new Problem(s.fn);
        HigherOrderPenalty.Terms t = p.terms();
        Nd4j.getRandom().setSeed(NOISE_SEED);
        INDArray eps = HigherOrderPenalty.drawNoise(COPIES, p.x.size(0), p.x.size(1), SIGMA, DataType.DOUBLE);
        assertArrayEquals(eps.data().asDouble(), t.noise().dup('c').data().asDouble(), 0.0, "the documented draw");
        double[] colNorms = p.W.mul(p.W).sum(0).data().asDouble();
        double sum = 0;
        long m = p.x.size(0);
        for (int c = 0; c < COPIES; c++) {
            for (int n = 0; n < m; n++) {
                INDArray row = p.x.getRow(n, true);
                INDArray z = row.mmul(p.W).addiRowVector(p.b);
                INDArray zt = row.add(eps.getRow(c * m + n, true)).mmul(p.W).addiRowVector(p.b);
                double[] d = derivative(p.act, z);
                double[] dt = derivative(p.act, zt);
                for (int j = 0; j < d.length; j++) {
                    sum += (d[j] - dt[j]) * (d[j] - dt[j]) * colNorms[j];
                }
            }
        }
        double expected = GAMMA / COPIES * sum;
        assertEquals(expected, t.penaltySum(), 1e-8 * (1 + expected));   // DL4J's own leaky-ReLU f' differs in the 9th digit
        if (s != Supported.IDENTITY) {
            assertTrue(expected > 1e-4, "the case must be non-trivial: " + expected);
        }
    }

    /** f'(z) from DL4J's own backprop of the activation (ε = 1), independent of ActivationDerivatives. */
    private static double[] derivative(IActivation act, INDArray z) {
        return act.backprop(z.dup(), Nd4j.onesLike(z)).getFirst().data().asDouble();
    }

    @Test
    void maskedOutExamplesAddNothing() {
        Problem p = new Problem(Activation.TANH.getActivationFunction());
        INDArray z = p.x.mmul(p.W).addiRowVector(p.b);
        INDArray h = p.act.getActivation(z.dup(), true);
        INDArray mask = Nd4j.create(new double[]{1, 0, 1, 1, 0}, 5, 1);
        INDArray d1 = p.der.first(z, h).muliColumnVector(mask);
        Nd4j.getRandom().setSeed(NOISE_SEED);
        var masked = HigherOrderPenalty.compute(z, h, d1, p.W, mask, p.act, p.der, GAMMA, SIGMA, COPIES);
        assertEquals(0.0, masked.preActivationGradient().getRow(1).norm2Number().doubleValue(), 0.0);
        assertEquals(0.0, masked.preActivationGradient().getRow(4).norm2Number().doubleValue(), 0.0);
        assertTrue(masked.penaltySum() > 0);
    }
}
