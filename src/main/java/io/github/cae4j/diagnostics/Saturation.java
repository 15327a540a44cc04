package io.github.cae4j.diagnostics;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The paper's SAT: the fraction of hidden activations that are saturated, i.e. within
 * {@code tolerance · (upper − lower)} of either bound of a bounded activation (sigmoid: [0, 1],
 * tolerance 0.05 gives h &lt; 0.05 or h &gt; 0.95), averaged over examples and units.
 */
public final class Saturation {

    /** The paper's threshold. */
    public static final double DEFAULT_TOLERANCE = 0.05;

    private Saturation() {
    }

    /**
     * @param h hidden activations {@code [m, nOut]}
     * @return fraction in [0, 1]
     */
    public static double fraction(INDArray h, double lower, double upper, double tolerance) {
        if (!(upper > lower) || !(tolerance > 0 && tolerance < 0.5)) {
            throw new IllegalArgumentException("need lower < upper and tolerance in (0, 0.5), got lower=" + lower
                    + ", upper=" + upper + ", tolerance=" + tolerance);
        }
        double margin = tolerance * (upper - lower);
        long saturated = h.lt(lower + margin).castTo(org.nd4j.linalg.api.buffer.DataType.INT64).sumNumber().longValue()
                + h.gt(upper - margin).castTo(org.nd4j.linalg.api.buffer.DataType.INT64).sumNumber().longValue();
        return saturated / (double) h.length();
    }

    /** Sigmoid units with the paper's 0.05 threshold. */
    public static double sigmoidFraction(INDArray h) {
        return fraction(h, 0.0, 1.0, DEFAULT_TOLERANCE);
    }
}
