package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.data.MnistSplits;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The semi-supervised setting's labelled digits: the first n/10 of each class, in order, rows and labels together. */
class LabelledSubsetTest {

    @Test
    void theFirstDigitsOfEachClassInTrainingOrder() {
        MnistSplits d = TinyDigits.of(400, 20, 12, 3);
        MnistSplits s = LabelledSubset.of(d, 20);
        int[] all = d.trainY().argMax(1).toIntVector();
        int[] expectedRows = new int[20];
        int[] taken = new int[10];
        int found = 0;
        for (int i = 0; i < all.length && found < 20; i++) {
            if (taken[all[i]] < 2) {
                taken[all[i]]++;
                expectedRows[found++] = i;
            }
        }
        assertEquals(20, found);
        for (int r = 0; r < 20; r++) {
            assertArrayEquals(d.trainX().getRow(expectedRows[r]).dup().data().asFloat(), s.trainX().getRow(r).dup().data().asFloat(), 0f);
            assertEquals(all[expectedRows[r]], s.trainY().getRow(r).argMax().getInt(0));
        }
        int[] counts = new int[10];
        for (int c : s.trainY().argMax(1).toIntVector()) {
            counts[c]++;
        }
        assertArrayEquals(new int[]{2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, counts);
        assertSame(d.validX(), s.validX());
        assertSame(d.testX(), s.testX());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelledSubset.of(d, 4000));
        assertTrue(e.getMessage().contains("--labels 4000: the 400 training digits hold fewer than 400 of some class"), e.getMessage());
    }
}
