package io.github.cae4j.examples.data;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * Rows picked by class from one-hot labels: the first ones of each class in the digits' own order.
 * No seed, so every run, seed and model picks the same digits.
 */
public final class ClassRows {

    private ClassRows() {
    }

    /**
     * The first {@code perClass} rows of each class, in row order (so with {@code perClass} 1, the
     * digits where a new class first appears); fewer of a class that has fewer.
     *
     * @param oneHot labels {@code [n, classes]}
     * @throws IllegalArgumentException when {@code perClass < 1}
     */
    public static int[] first(INDArray oneHot, int perClass) {
        if (perClass < 1) {
            throw new IllegalArgumentException("ClassRows: perClass must be >= 1, got " + perClass);
        }
        int classes = (int) oneHot.size(1);
        int[] label = oneHot.argMax(1).toIntVector();
        int[] taken = new int[classes];
        int[] rows = new int[Math.min(label.length, classes * perClass)];
        int found = 0;
        for (int i = 0; i < label.length && found < rows.length; i++) {
            if (taken[label[i]] < perClass) {
                taken[label[i]]++;
                rows[found++] = i;
            }
        }
        return Arrays.copyOf(rows, found);
    }
}
