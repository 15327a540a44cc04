package io.github.cae4j.examples.testing;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * (A copy of the library's test helper {@code io.github.cae4j.testing.Exact}: the examples build against the
 * installed library jar, which has no test classes.) Bit-for-bit comparison of ND4J arrays, for the tests that claim "identical": {@code INDArray.equals}
 * (and JUnit's {@code assertEquals} on two arrays, which calls it) accepts differences up to 1e-5, so
 * a test built on it cannot see a resume or a round trip that is off in the last bits.
 *
 * <p>Compares data type, shape and every element's raw bits ({@code Float.floatToRawIntBits},
 * {@code Double.doubleToRawLongBits}) in logical row-major order, so two arrays with the same values in
 * 'c' and 'f' order, or a view and a compact copy, are identical; {@code 0.0} and {@code -0.0}, or two
 * NaNs with different payloads, are not.
 */
public final class Exact {

    private Exact() {
    }

    /** Fails naming the first differing element (row-major index and coordinates) and both values. */
    public static void assertBitIdentical(INDArray expected, INDArray actual, String what) {
        String difference = firstDifference(expected, actual);
        if (difference != null) {
            fail(what + ": not bit-identical: " + difference);
        }
    }

    public static void assertBitIdentical(INDArray expected, INDArray actual) {
        assertBitIdentical(expected, actual, "arrays");
    }

    /** The negative of {@link #assertBitIdentical}: at least one bit differs (same dtype and shape required). */
    public static void assertDiffers(INDArray a, INDArray b, String what) {
        if (a.dataType() != b.dataType() || !Arrays.equals(a.shape(), b.shape())) {
            fail(what + ": cannot compare " + a.dataType() + Arrays.toString(a.shape()) + " with "
                    + b.dataType() + Arrays.toString(b.shape()));
        }
        if (firstDifference(a, b) == null) {
            fail(what + ": expected the arrays to differ, but they are bit-identical");
        }
    }

    /** Null when bit-identical, otherwise a description of the first difference. */
    public static String firstDifference(INDArray expected, INDArray actual) {
        if (expected == null || actual == null) {
            return expected == actual ? null : "one array is null: " + expected + " vs " + actual;
        }
        if (expected.dataType() != actual.dataType()) {
            return "data type " + expected.dataType() + " vs " + actual.dataType();
        }
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            return "shape " + Arrays.toString(expected.shape()) + " vs " + Arrays.toString(actual.shape());
        }
        long[] e = rawBits(expected);
        long[] a = rawBits(actual);
        for (int i = 0; i < e.length; i++) {
            if (e[i] != a[i]) {
                return "first difference at row-major index " + i + " " + Arrays.toString(coordinates(i, expected.shape()))
                        + " of " + e.length + ": " + value(expected, e[i]) + " vs " + value(actual, a[i])
                        + " (raw bits 0x" + Long.toHexString(e[i]) + " vs 0x" + Long.toHexString(a[i]) + ")";
            }
        }
        return null;
    }

    /** Each element's raw bits, in logical row-major order; dup('c') copies values without rounding. */
    static long[] rawBits(INDArray x) {
        INDArray c = x.dup('c');
        DataType t = x.dataType();
        if (t == DataType.DOUBLE) {
            return Arrays.stream(c.data().asDouble()).mapToLong(Double::doubleToRawLongBits).toArray();
        }
        if (t == DataType.FLOAT) {
            float[] f = c.data().asFloat();
            long[] bits = new long[f.length];
            for (int i = 0; i < f.length; i++) {
                bits[i] = Float.floatToRawIntBits(f[i]) & 0xFFFFFFFFL;
            }
            return bits;
        }
        if (t.isFPType()) {
            // HALF, BFLOAT16: widening to float is exact, so equal floats mean equal 16-bit values
            float[] f = c.castTo(DataType.FLOAT).data().asFloat();
            long[] bits = new long[f.length];
            for (int i = 0; i < f.length; i++) {
                bits[i] = Float.floatToRawIntBits(f[i]) & 0xFFFFFFFFL;
            }
            return bits;
        }
        return c.data().asLong();
    }

    private static String value(INDArray x, long bits) {
        return switch (x.dataType()) {
            case DOUBLE -> Double.toString(Double.longBitsToDouble(bits));
            case FLOAT, HALF, BFLOAT16 -> Float.toString(Float.intBitsToFloat((int) bits));
            default -> Long.toString(bits);
        };
    }

    private static long[] coordinates(long index, long[] shape) {
        long[] c = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            c[d] = shape[d] == 0 ? 0 : index % shape[d];
            index = shape[d] == 0 ? 0 : index / shape[d];
        }
        return c;
    }
}
