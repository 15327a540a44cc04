package io.github.cae4j.losses;

import io.github.cae4j.testing.DoublePrecision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.conf.serde.JsonMappers;

import java.util.stream.Stream;

import static io.github.cae4j.losses.ContractiveLossFunction.Reconstruction.BINARY_CROSS_ENTROPY;
import static io.github.cae4j.losses.ContractiveLossFunction.Reconstruction.SQUARED_ERROR;
import static io.github.cae4j.losses.ContractiveLossFunction.Reduction.MEAN;
import static io.github.cae4j.losses.ContractiveLossFunction.Reduction.SUM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(DoublePrecision.class)
class ContractiveLossFunctionTest {

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (var r : ContractiveLossFunction.Reconstruction.values()) {
            for (var red : ContractiveLossFunction.Reduction.values()) {
                for (Activation a : new Activation[]{Activation.SIGMOID, Activation.HARDSIGMOID, Activation.IDENTITY, Activation.TANH}) {
                    if (r == BINARY_CROSS_ENTROPY && (a == Activation.IDENTITY || a == Activation.TANH)) {
                        continue;   // cross-entropy needs outputs in (0, 1)
                    }
                    b.add(Arguments.of(r, red, a));
                }
            }
        }
        return b.build();
    }

    private static INDArray labels() {
        return Nd4j.rand(DataType.DOUBLE, 4, 5).muli(0.8).addi(0.1);
    }

    private static INDArray preOutput() {
        return Nd4j.rand(DataType.DOUBLE, 4, 5).subi(0.5).muli(2.0);   // within hard sigmoid's linear part
    }

    @ParameterizedTest
    @MethodSource("cases")
    void gradientMatchesCentralDifferencesOfTheScore(ContractiveLossFunction.Reconstruction r,
                                                      ContractiveLossFunction.Reduction red, Activation a) {
        Nd4j.getRandom().setSeed(1);
        ContractiveLossFunction loss = new ContractiveLossFunction(r, red, 0.0);
        INDArray y = labels();
        INDArray z = preOutput();
        INDArray mask = Nd4j.createFromArray(new double[][]{{1}, {0}, {1}, {1}});
        for (INDArray m : new INDArray[]{null, mask}) {
            INDArray grad = loss.computeGradient(y, z.dup(), a.getActivationFunction(), m);
            double h = 1e-6;
            for (int i = 0; i < z.size(0); i++) {
                for (int j = 0; j < z.size(1); j++) {
                    INDArray plus = z.dup();
                    plus.putScalar(i, j, z.getDouble(i, j) + h);
                    INDArray minus = z.dup();
                    minus.putScalar(i, j, z.getDouble(i, j) - h);
                    double numeric = (loss.computeScore(y, plus, a.getActivationFunction(), m, false)
                            - loss.computeScore(y, minus, a.getActivationFunction(), m, false)) / (2 * h);
                    assertEquals(numeric, grad.getDouble(i, j), 1e-7, r + "/" + red + "/" + a + " at " + i + "," + j);
                }
            }
        }
    }

    /** Squared error of x̂ = (0.5, 1) against x = (0, 1) is 0.25; cross-entropy of x̂ = σ(0) = ½ is log 2 per feature. */
    @Test
    void scoresMatchHandComputedValues() {
        IActivation identity = Activation.IDENTITY.getActivationFunction();
        INDArray x = Nd4j.createFromArray(new double[][]{{0, 1}});
        assertEquals(0.25, new ContractiveLossFunction().computeScore(x, Nd4j.createFromArray(new double[][]{{0.5, 1}}), identity, null, false), 1e-15);
        assertEquals(0.125, new ContractiveLossFunction(SQUARED_ERROR, MEAN, 0).computeScore(x, Nd4j.createFromArray(new double[][]{{0.5, 1}}), identity, null, false), 1e-15);
        INDArray xs = Nd4j.createFromArray(new double[][]{{0.3, 1}, {0, 0.5}});
        ContractiveLossFunction bce = new ContractiveLossFunction(BINARY_CROSS_ENTROPY);
        INDArray perExample = bce.computeScoreArray(xs, Nd4j.zeros(DataType.DOUBLE, 2, 2), Activation.SIGMOID.getActivationFunction(), null);
        assertEquals(2 * Math.log(2), perExample.getDouble(0, 0), 1e-12);
        assertEquals(2 * Math.log(2), perExample.getDouble(1, 0), 1e-12);
        assertEquals(2 * Math.log(2), bce.computeScore(xs, Nd4j.zeros(DataType.DOUBLE, 2, 2), Activation.SIGMOID.getActivationFunction(), null, true), 1e-12);
    }

    @Test
    void sigmoidCrossEntropyIsExactForSaturatedOutputs() {
        ContractiveLossFunction bce = new ContractiveLossFunction(BINARY_CROSS_ENTROPY);
        INDArray x = Nd4j.createFromArray(new double[][]{{0.0, 1.0}});
        INDArray z = Nd4j.createFromArray(new double[][]{{40.0, -40.0}});
        // −log σ(−40) = 40 + log(1 + e^−40): no clipping, no overflow.
        assertEquals(2 * (40 + Math.log1p(Math.exp(-40))), bce.computeScore(x, z, Activation.SIGMOID.getActivationFunction(), null, false), 1e-9);
    }

    @Test
    void perOutputMaskZeroesMaskedTerms() {
        ContractiveLossFunction loss = new ContractiveLossFunction();
        INDArray y = labels();
        INDArray z = preOutput();
        INDArray mask = Nd4j.ones(DataType.DOUBLE, 4, 5);
        mask.putScalar(0, 0, 0.0);
        INDArray full = loss.computeScoreArray(y, z, Activation.IDENTITY.getActivationFunction(), null);
        INDArray masked = loss.computeScoreArray(y, z, Activation.IDENTITY.getActivationFunction(), mask);
        double d = z.getDouble(0, 0) - y.getDouble(0, 0);
        assertEquals(full.getDouble(0, 0) - d * d, masked.getDouble(0, 0), 1e-12);
        assertEquals(0.0, loss.computeGradient(y, z, Activation.IDENTITY.getActivationFunction(), mask).getDouble(0, 0), 0.0);
    }

    @Test
    void jsonRoundTripEqualsAndToString() throws Exception {
        ObjectMapper mapper = JsonMappers.getMapper();
        ContractiveLossFunction loss = new ContractiveLossFunction(BINARY_CROSS_ENTROPY, MEAN, 1e-4);
        String json = mapper.writeValueAsString(loss);
        ILossFunction back = mapper.readValue(json, ILossFunction.class);
        assertEquals(loss, back);
        assertEquals(loss.hashCode(), back.hashCode());
        assertNotEquals(loss, new ContractiveLossFunction(BINARY_CROSS_ENTROPY, SUM, 1e-4));
        assertTrue(loss.toString().contains("BINARY_CROSS_ENTROPY") && loss.toString().contains("MEAN"), loss.toString());
    }

    @Test
    void crossEntropyRefusesLabelsOutsideZeroToOneNamingTheRange() {
        ContractiveLossFunction bce = new ContractiveLossFunction(BINARY_CROSS_ENTROPY, SUM, 0.0);
        IActivation sigmoid = Activation.SIGMOID.getActivationFunction();
        IActivation hardSigmoid = Activation.HARDSIGMOID.getActivationFunction();
        INDArray z = preOutput();
        INDArray scaled255 = labels().muli(255);
        INDArray negative = labels().subi(0.5);
        for (IActivation act : new IActivation[]{sigmoid, hardSigmoid}) {
            for (INDArray bad : new INDArray[]{scaled255, negative}) {
                String range = "[" + bad.minNumber().doubleValue() + ", " + bad.maxNumber().doubleValue() + "]";
                var score = assertThrows(IllegalArgumentException.class, () -> bce.computeScore(bad, z, act, null, true));
                assertTrue(score.getMessage().contains("labels in [0, 1], got labels in " + range), score.getMessage());
                assertThrows(IllegalArgumentException.class, () -> bce.computeScoreArray(bad, z, act, null));
                assertThrows(IllegalArgumentException.class, () -> bce.computeGradient(bad, z, act, null));
                assertThrows(IllegalArgumentException.class, () -> bce.computeGradientAndScore(bad, z, act, null, true));
            }
        }
        // the ends of the range are allowed; squared error takes any label
        INDArray ends = Nd4j.create(new double[][]{{0, 1, 0, 1, 0.5}, {1, 0, 1, 0, 0.5}, {0, 0, 0, 0, 0}, {1, 1, 1, 1, 1}});
        assertTrue(bce.computeScore(ends, z, sigmoid, null, true) > 0);
        new ContractiveLossFunction(SQUARED_ERROR, SUM, 0.0).computeGradientAndScore(scaled255, z, sigmoid, null, true);
        // entries a mask zeroes are not checked
        INDArray partly = labels();
        partly.putScalar(1, 2, 7.0);
        INDArray mask = Nd4j.ones(DataType.DOUBLE, 4, 5);
        mask.putScalar(1, 2, 0.0);
        assertTrue(Double.isFinite(bce.computeScore(partly, z, sigmoid, mask, true)));
        assertThrows(IllegalArgumentException.class, () -> bce.computeScore(partly, z, sigmoid, null, true));
    }

    @Test
    void badArgumentsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ContractiveLossFunction(SQUARED_ERROR, SUM, 0.7));
        assertTrue(e.getMessage().contains("clipEpsilon") && e.getMessage().contains("0.7"), e.getMessage());
        var shape = assertThrows(IllegalArgumentException.class, () -> new ContractiveLossFunction()
                .computeScore(Nd4j.zeros(2, 3), Nd4j.zeros(2, 4), Activation.IDENTITY.getActivationFunction(), null, false));
        assertTrue(shape.getMessage().contains("[2, 3]") && shape.getMessage().contains("[2, 4]"), shape.getMessage());
    }

    /** Found by the mutation pass: constructor checks at their boundaries, the gradient's shape check, equality. */
    @Test
    void constructorBoundariesShapeChecksAndEqualityUseEveryField() {
        new ContractiveLossFunction(SQUARED_ERROR, SUM, 0.0);
        new ContractiveLossFunction(SQUARED_ERROR, SUM, 0.4999);
        var half = assertThrows(IllegalArgumentException.class, () -> new ContractiveLossFunction(SQUARED_ERROR, SUM, 0.5));
        assertEquals("ContractiveLossFunction: clipEpsilon must be in [0, 0.5), got 0.5", half.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ContractiveLossFunction(SQUARED_ERROR, SUM, -1e-9));
        var noReconstruction = assertThrows(IllegalArgumentException.class, () -> new ContractiveLossFunction(null, SUM, 0.0));
        assertTrue(noReconstruction.getMessage().contains("reconstruction must be one of [SQUARED_ERROR, BINARY_CROSS_ENTROPY], got null"),
                noReconstruction.getMessage());
        var noReduction = assertThrows(IllegalArgumentException.class, () -> new ContractiveLossFunction(SQUARED_ERROR, null, 0.0));
        assertTrue(noReduction.getMessage().contains("reduction must be one of [SUM, MEAN], got null"), noReduction.getMessage());

        IActivation identity = Activation.IDENTITY.getActivationFunction();
        var shape = assertThrows(IllegalArgumentException.class, () -> new ContractiveLossFunction()
                .computeGradient(Nd4j.zeros(2, 3), Nd4j.zeros(2, 4), identity, null));
        assertTrue(shape.getMessage().contains("[2, 3]") && shape.getMessage().contains("[2, 4]"), shape.getMessage());

        ContractiveLossFunction base = new ContractiveLossFunction(BINARY_CROSS_ENTROPY, SUM, 1e-4);
        assertEquals(base, new ContractiveLossFunction(BINARY_CROSS_ENTROPY, SUM, 1e-4));
        assertEquals(base.hashCode(), new ContractiveLossFunction(BINARY_CROSS_ENTROPY, SUM, 1e-4).hashCode());
        assertNotEquals(base, new ContractiveLossFunction(SQUARED_ERROR, SUM, 1e-4));
        assertNotEquals(base, new ContractiveLossFunction(BINARY_CROSS_ENTROPY, MEAN, 1e-4));
        assertNotEquals(base, new ContractiveLossFunction(BINARY_CROSS_ENTROPY, SUM, 2e-4));
    }

    /**
     * Cross-entropy after an activation other than sigmoid clips the output to [eps, 1 - eps]: a hard
     * sigmoid that outputs exactly 0 and 1 gives the finite value of the clipped output, not Inf.
     */
    @Test
    void clippingKeepsCrossEntropyFiniteForOutputsOfExactlyZeroOrOne() {
        double eps = 1e-3;
        ContractiveLossFunction bce = new ContractiveLossFunction(BINARY_CROSS_ENTROPY, SUM, eps);
        IActivation hardSigmoid = Activation.HARDSIGMOID.getActivationFunction();
        INDArray z = Nd4j.createFromArray(new double[][]{{-10, 10}});     // hard sigmoid: exactly 0 and 1
        INDArray y = Nd4j.createFromArray(new double[][]{{1, 0}});        // the worst labels for them
        double expected = -2 * Math.log(eps);
        assertEquals(expected, bce.computeScore(y, z, hardSigmoid, null, false), 1e-12);
        assertTrue(Double.isInfinite(new ContractiveLossFunction(BINARY_CROSS_ENTROPY, SUM, 0.0).computeScore(y, z, hardSigmoid, null, false))
                || Double.isNaN(new ContractiveLossFunction(BINARY_CROSS_ENTROPY, SUM, 0.0).computeScore(y, z, hardSigmoid, null, false)),
                "without clipping the same outputs give log(0)");
    }
}
