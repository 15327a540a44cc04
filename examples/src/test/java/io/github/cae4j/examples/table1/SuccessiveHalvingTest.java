package io.github.cae4j.examples.table1;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuccessiveHalvingTest {

    @Test
    void keepsAThirdEachShortRoundButNeverFewerThanTheFinalists() {
        SuccessiveHalving h = new SuccessiveHalving(List.of(2, 6, 18), 3, 3);
        assertEquals(List.of(56, 19, 7, 3), h.counts(56));
        assertEquals(4, h.rounds());
        SuccessiveHalving two = new SuccessiveHalving(List.of(2, 6), 3, 2);
        assertEquals(List.of(7, 3, 2), two.counts(7));
        assertEquals(List.of(1, 1, 1), two.counts(1));
        assertEquals(List.of(2, 2, 2), two.counts(2));
    }

    @Test
    void theLastRoundIsTheFineTunersOwnLimit() {
        SuccessiveHalving h = new SuccessiveHalving(List.of(2, 6), 3, 2);
        assertEquals(2, h.budget(0, 60));
        assertEquals(6, h.budget(1, 60));
        assertEquals(60, h.budget(2, 60));
        assertEquals(4, h.budget(1, 4), "a short round never goes beyond the fine-tuner's own limit");
    }

    @Test
    void badSchedulesAreRefusedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SuccessiveHalving(List.of(4, 2), 3, 2));
        assertTrue(e.getMessage().contains("roundEpochs") && e.getMessage().contains("[4, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SuccessiveHalving(List.of(2), 1, 2));
        assertTrue(e.getMessage().contains("eta must be >= 2, got 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SuccessiveHalving(List.of(2), 2, 0));
        assertTrue(e.getMessage().contains("finalists must be >= 1, got 0"), e.getMessage());
    }

    /** Without short rounds there is one round, the full one, with every candidate. */
    @Test
    void everyCandidateInFullIsOneFullRound() {
        SuccessiveHalving h = SuccessiveHalving.everyCandidateInFull();
        assertEquals(1, h.rounds());
        assertEquals(List.of(48), h.counts(48));
        assertEquals(60, h.budget(0, 60));
        assertEquals(List.of(), h.describe().get("round_epochs"));
    }
}
