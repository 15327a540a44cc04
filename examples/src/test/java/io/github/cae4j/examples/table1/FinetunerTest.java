package io.github.cae4j.examples.table1;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fine-tuner and pretraining settings: DL4J updaters, schedules, ids, refusals. */
class FinetunerTest {

    @Test
    void nesterovsDecaysItsRateEveryEpoch() {
        Nesterovs n = assertInstanceOf(Nesterovs.class, Finetuner.nesterovs(0.1, 0.9, 0.5, 100, 60, 10).updater());
        assertEquals(0.9, n.getMomentum(), 0.0);
        for (int epoch = 0; epoch < 4; epoch++) {
            // lr 0.1 * 0.5^epoch, whatever the iteration
            assertEquals(0.1 * Math.pow(0.5, epoch), n.getLearningRateSchedule().valueAt(123, epoch), 1e-15);
        }
        Sgd s = assertInstanceOf(Sgd.class, Finetuner.sgd(0.1, 0.97, 20, 60, 10).updater());
        assertEquals(0.1 * 0.97 * 0.97, s.getLearningRateSchedule().valueAt(0, 2), 1e-15);
    }

    @Test
    void adamCanDecayItsRateEveryEpoch() {
        Finetuner decaying = Finetuner.adam(3e-3, 0.9, 100, 60, 10);
        Adam a = assertInstanceOf(Adam.class, decaying.updater());
        for (int epoch = 0; epoch < 4; epoch++) {
            assertEquals(3e-3 * Math.pow(0.9, epoch), a.getLearningRateSchedule().valueAt(77, epoch), 1e-15);
        }
        // the id the adam-decay ablation's finished points were stored under
        assertEquals("adam-lr3e-3-d0.9-b100-p10", decaying.id());
        assertEquals("Adam 3e-3 (×0.9/epoch)", decaying.label());
        assertEquals(new Finetuner(Optimizer.ADAM, 3e-3, 100, 0, 0.9, 60, 10), decaying);
    }

    @Test
    void weightDecayIsNamedOnlyWhenOn() {
        Finetuner plain = Finetuner.sgd(0.1, 1, 20, 300, 30);
        Finetuner decayed = plain.withL2(2e-4);
        assertEquals(0, plain.l2(), 0.0);
        assertEquals(2e-4, decayed.l2(), 0.0);
        assertEquals("sgd-lr0.1-b20-p30", plain.id());
        assertEquals("sgd-lr0.1-wd2e-4-b20-p30", decayed.id());
        assertEquals("SGD 0.1 (l2 2e-4), batch 20", decayed.label());
        assertEquals("Nesterov 0.03 (m 0.9, ×0.97/epoch, l2 2e-5)", Finetuner.nesterovs(0.03, 0.9, 0.97, 100, 60, 10).withL2(2e-5).label());
        // records written before weight decay existed keep their form
        assertTrue(!plain.describe().containsKey("l2"));
        assertEquals(2e-4, decayed.describe().get("l2"));
        assertEquals(2e-4, decayed.withMaxEpochs(5).l2(), 0.0);
        assertMessage(() -> plain.withL2(-1e-4), "l2 must be finite and >= 0 (0: no weight decay), got -1.0E-4");
        assertMessage(() -> plain.withL2(Double.NaN), "l2 must be finite and >= 0 (0: no weight decay), got NaN");
    }

    @Test
    void aConstantRateHasNoSchedule() {
        Adam a = assertInstanceOf(Adam.class, Finetuner.adam(3e-4, 100, 60, 10).updater());
        assertEquals(3e-4, a.getLearningRate(), 0.0);
        assertNull(a.getLearningRateSchedule());
        Adam p = assertInstanceOf(Adam.class, Pretraining.adam(1e-3, 128, 25, 10).updater());
        assertEquals(1e-3, p.getLearningRate(), 0.0);
    }

    @Test
    void idsNameWhatDecidesTheTrajectoryButNotTheEpochLimit() {
        assertEquals("adam-lr1e-3-b100-p10", Finetuner.adam(1e-3, 100, 60, 10).id());
        assertEquals(Finetuner.adam(1e-3, 100, 60, 10).id(), Finetuner.adam(1e-3, 100, 5, 10).id());
        assertEquals("nesterovs-lr0.03-m0.9-d0.97-b100-p10", Finetuner.nesterovs(0.03, 0.9, 0.97, 100, 60, 10).id());
        assertEquals("Nesterov 0.03 (m 0.9, ×0.97/epoch)", Finetuner.nesterovs(0.03, 0.9, 0.97, 100, 60, 10).label());
        assertEquals("SGD 0.1 (×0.97/epoch), batch 20", Finetuner.sgd(0.1, 0.97, 20, 60, 10).label());
        assertEquals("adam-lr1e-3-b128-p10-e25", Pretraining.adam(1e-3, 128, 25, 10).id());
        assertEquals("adam-lr1e-3-b128-p10", Pretraining.adam(1e-3, 128, 100, 10).runId());
        assertEquals("3e-4", Ids.number(3e-4));
        assertEquals("0.25", Ids.number(0.25));
        assertEquals("10", Ids.number(10.0));
        assertEquals("1e-2", Ids.number(0.01 - 1e-18));
    }

    @Test
    void badSettingsAreRefusedNamingFieldAndValue() {
        assertMessage(() -> Finetuner.adam(-1e-3, 100, 60, 10), "lr must be finite and > 0, got -0.001");
        assertMessage(() -> Finetuner.adam(1e-3, 0, 60, 10), "batch must be > 0, got 0");
        assertMessage(() -> new Finetuner(Optimizer.ADAM, 1e-3, 100, 0.9, 1, 60, 10), "momentum must be in (0, 1) for nesterovs and 0 for adam");
        assertMessage(() -> Finetuner.nesterovs(0.1, 1.0, 1, 100, 60, 10), "got 1.0");
        assertMessage(() -> Finetuner.sgd(0.1, 1.5, 20, 60, 10), "lrDecayPerEpoch must be in (0, 1], got 1.5");
        assertMessage(() -> Finetuner.adam(1e-3, 100, 0, 10), "maxEpochs and patience must be > 0, got 0 and 10");
        assertMessage(() -> Pretraining.adam(1e-3, 128, 0, 10), "epochs and patience must be > 0, got 0 and 10");
        assertMessage(() -> new Candidate(Table1Row.CAE, -1, Pretraining.adam(1e-3, 128, 25, 10), Finetuner.adam(1e-3, 100, 60, 10)),
                "lambda must be finite and >= 0, got -1.0");
        assertMessage(() -> new Candidate(Table1Row.RANDOM, 0, Pretraining.adam(1e-3, 128, 25, 10), Finetuner.adam(1e-3, 100, 60, 10)),
                "pretraining must be null for this row");
        assertMessage(() -> Optimizer.parse("rmsprop"), "unknown optimizer 'rmsprop'; allowed: adam, sgd, nesterovs");
    }

    private static void assertMessage(Runnable r, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
