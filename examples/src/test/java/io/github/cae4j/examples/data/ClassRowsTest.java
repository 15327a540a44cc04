package io.github.cae4j.examples.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassRowsTest {

    /** Labels 2 0 2 1 0 2 1 of 4 classes (class 3 absent). */
    private static final INDArray LABELS = oneHot(4, 2, 0, 2, 1, 0, 2, 1);

    @Test
    void theFirstRowsOfEachClassInRowOrder() {
        assertArrayEquals(new int[]{0, 1, 3}, ClassRows.first(LABELS, 1), "where each class first appears; class 3 has none");
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 6}, ClassRows.first(LABELS, 2));
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5, 6}, ClassRows.first(LABELS, 5), "fewer of a class that has fewer");
    }

    @Test
    void perClassBelowOneIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClassRows.first(LABELS, 0));
        assertTrue(e.getMessage().contains("perClass must be >= 1, got 0"), e.getMessage());
    }

    private static INDArray oneHot(int classes, int... labels) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, labels.length, classes);
        for (int i = 0; i < labels.length; i++) {
            y.putScalar(i, labels[i], 1f);
        }
        return y;
    }
}
