package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.data.ClassRows;
import io.github.cae4j.examples.data.MnistSplits;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * The labelled digits of the semi-supervised setting: the first {@code n / 10} training digits of
 * each class, in the training digits' order. Fixed (no seed), so every seed and every row fine-tunes
 * on the same digits, and the choice cannot favour one of them; validation and test digits unchanged.
 */
final class LabelledSubset {

    private LabelledSubset() {
    }

    static MnistSplits of(MnistSplits d, int n) {
        int classes = (int) d.trainY().size(1);
        if (n <= 0 || n % classes != 0) {
            throw new IllegalArgumentException("--labels must be a positive multiple of " + classes + ", got " + n);
        }
        int perClass = n / classes;
        int[] rows = ClassRows.first(d.trainY(), perClass);
        if (rows.length < n) {
            int[] label = d.trainY().argMax(1).toIntVector();
            int[] taken = new int[classes];
            Arrays.stream(rows).forEach(r -> taken[label[r]]++);
            throw new IllegalArgumentException("--labels " + n + ": the " + label.length + " training digits hold fewer than " + perClass
                    + " of some class (counts taken: " + Arrays.toString(taken) + ")");
        }
        INDArray x = Nd4j.pullRows(d.trainX(), 1, rows);
        INDArray y = Nd4j.pullRows(d.trainY(), 1, rows);
        return new MnistSplits(x, y, d.validX(), d.validY(), d.testX(), d.testY(), d.source() + ", fine-tuned on " + n + " labelled digits ("
                + perClass + " per class)");
    }
}
