package io.github.cae4j.examples.table1;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The ETA of a run whose steps differ a thousandfold in cost comes from the cost plan, not from the step count. */
class StepsTest {

    @Test
    void theEtaScalesThePlannedWorkLeftByThisRunsPace() {
        assertEquals("ETA after the first planned step", Steps.eta(0, 0, 3600));
        // a 15-minute pretraining planned at 20 minutes, done: 3 h 40 min planned left at 0.75 of the plan's pace
        assertEquals("ETA ~2h45m by the cost plan (~3h40m of planned work left)", Steps.eta(900, 1200, 4 * 3600));
        // more done than planned: nothing left
        assertEquals("ETA ~0m00s by the cost plan (~0m00s of planned work left)", Steps.eta(100, 200, 150));
    }
}
