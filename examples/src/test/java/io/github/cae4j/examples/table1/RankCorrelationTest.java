package io.github.cae4j.examples.table1;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rank correlations against values worked by hand. */
class RankCorrelationTest {

    @Test
    void sameOrderIsOneAndReverseOrderIsMinusOne() {
        double[] a = {0.5, 1.2, 3.0, 7.0};
        assertEquals(1.0, RankCorrelation.spearman(a, new double[]{10, 20, 30, 40}), 1e-12);
        assertEquals(1.0, RankCorrelation.kendallTauB(a, new double[]{10, 20, 30, 40}), 1e-12);
        assertEquals(-1.0, RankCorrelation.spearman(a, new double[]{4, 3, 2, 1}), 1e-12);
        assertEquals(-1.0, RankCorrelation.kendallTauB(a, new double[]{4, 3, 2, 1}), 1e-12);
    }

    @Test
    void twoSwapsOfFive() {
        // d = -1, 1, -1, 1, 0: rho = 1 - 6*4/(5*24) = 0.8; 2 discordant pairs of 10: tau = (8 - 2)/10 = 0.6
        double[] a = {1, 2, 3, 4, 5};
        double[] b = {2, 1, 4, 3, 5};
        assertEquals(0.8, RankCorrelation.spearman(a, b), 1e-12);
        assertEquals(0.6, RankCorrelation.kendallTauB(a, b), 1e-12);
    }

    @Test
    void tiesGetTheirMeanRankAndTauBCorrectsForThem() {
        double[] a = {1, 1, 2};
        double[] b = {1, 2, 3};
        assertArrayEquals(new double[]{1.5, 1.5, 3}, RankCorrelation.ranks(a), 0.0);
        // ranks (1.5, 1.5, 3) vs (1, 2, 3): sxy = 1.5, sxx = 1.5, syy = 2
        assertEquals(1.5 / Math.sqrt(1.5 * 2), RankCorrelation.spearman(a, b), 1e-12);
        // 2 concordant, 1 pair tied in a only: 2 / sqrt(3 * 2)
        assertEquals(2 / Math.sqrt(6), RankCorrelation.kendallTauB(a, b), 1e-12);
    }

    @Test
    void aConstantRankingHasNoCorrelationAndLengthsMustMatch() {
        assertTrue(Double.isNaN(RankCorrelation.spearman(new double[]{1, 1, 1}, new double[]{1, 2, 3})));
        assertTrue(Double.isNaN(RankCorrelation.kendallTauB(new double[]{1, 1, 1}, new double[]{1, 2, 3})));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RankCorrelation.spearman(new double[]{1, 2}, new double[]{1, 2, 3}));
        assertTrue(e.getMessage().contains("2 and 3"), e.getMessage());
    }
}
