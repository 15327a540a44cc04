package io.github.cae4j.examples.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Digits as read from disk: {@code pixels} holds {@code count × 784} values in [0, 1], row-major,
 * and {@code labels} the digit of each.
 */
public record LabelledDigits(float[] pixels, int[] labels, int pixelsPerDigit) {

    public LabelledDigits {
        if (pixelsPerDigit <= 0 || pixels.length != (long) labels.length * pixelsPerDigit) {
            throw new IllegalArgumentException("pixels (" + pixels.length + ") must be labels (" + labels.length
                    + ") x pixelsPerDigit (" + pixelsPerDigit + ")");
        }
    }

    public int count() {
        return labels.length;
    }

    /** Features {@code [count, pixelsPerDigit]} FLOAT, built in one call. */
    public INDArray features() {
        return Nd4j.create(pixels, new long[]{labels.length, pixelsPerDigit}, 'c');
    }

    /** One-hot labels {@code [count, 10]} FLOAT. */
    public INDArray oneHot() {
        float[] oh = new float[labels.length * 10];
        for (int i = 0; i < labels.length; i++) {
            oh[i * 10 + labels[i]] = 1f;
        }
        return Nd4j.create(oh, new long[]{labels.length, 10}, 'c').castTo(DataType.FLOAT);
    }
}
