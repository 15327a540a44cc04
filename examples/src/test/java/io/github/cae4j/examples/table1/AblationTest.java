package io.github.cae4j.examples.table1;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The named ablations: their grids, their directories, and which of their points the table's selection already ran. */
class AblationTest {

    private static final Set<String> SELECTION_IDS = Table1Protocol.full().grid(Table1Row.CAE).stream().map(Candidate::id)
            .collect(Collectors.toSet());

    private static long sharedWithSelection(Ablation a) {
        return a.points().stream().filter(c -> SELECTION_IDS.contains(c.id())).count();
    }

    @Test
    void eachNameHasItsGridAndDirectory() {
        Ablation finetuners = Ablation.named("finetuners");
        assertEquals(18, finetuners.points().size());
        assertEquals("ablation", finetuners.dir(), "the first ablation's files stay where they are");

        Ablation pretraining = Ablation.named("pretraining");
        assertEquals(16, pretraining.points().size());
        assertEquals("ablation-pretraining", pretraining.dir());
        assertEquals(Set.of("adam-lr1e-3-b128-p10", "sgd-lr0.1-b20-p10"),
                pretraining.pretrainings().stream().map(Pretraining::runId).collect(Collectors.toSet()));
        // lambda 1 and 3, Adam pretraining to 60 epochs, Adam 1e-3 and 3e-3: the selection's own candidates
        assertEquals(4, sharedWithSelection(pretraining));

        Ablation rate = Ablation.named("adam-rate");
        assertEquals(List.of(3e-3, 1e-2), rate.finetuners().stream().map(Finetuner::lr).toList());
        assertEquals("ablation-adam-rate", rate.dir());
        assertEquals(4, rate.points().size());
        // the two Adam 3e-3 points are the selection's candidates; only the 1e-2 ones are new work
        assertEquals(2, sharedWithSelection(rate));
        assertTrue(rate.points().stream().filter(c -> !SELECTION_IDS.contains(c.id())).allMatch(c -> c.finetuner().lr() == 1e-2));

        Ablation decay = Ablation.named("adam-decay");
        assertEquals("ablation-adam-decay", decay.dir());
        assertEquals(8, decay.points().size());
        assertEquals(List.of("adam-lr3e-3-d0.8-b100-p10", "adam-lr3e-3-d0.9-b100-p10", "adam-lr3e-3-d0.95-b100-p10", "adam-lr0.01-d0.8-b100-p10"),
                decay.finetuners().stream().map(Finetuner::id).toList());
        // every point is new work, on the selection's own pretrainings (lambda 1 and 3, Adam up to 60 epochs)
        assertEquals(0, sharedWithSelection(decay));
        assertEquals(List.of(Table1Protocol.full().pretrainings().get(1)), decay.pretrainings());

        Ablation lab = Ablation.named("lab-finetuning");
        assertEquals("ablation-lab-finetuning", lab.dir());
        // the table's choice (lambda 3, Adam pretraining to 60 epochs) under three new fine-tuners
        assertEquals(List.of(3.0), lab.regularization());
        assertEquals(List.of(Table1Protocol.full().pretrainings().get(1)), lab.pretrainings());
        assertEquals(List.of("adam-lr3e-3-wd2e-4-b100-p10", "adam-lr3e-3-wd2e-5-b100-p10", "sgd-lr0.1-wd2e-4-b20-p30"),
                lab.finetuners().stream().map(Finetuner::id).toList());
        assertEquals(List.of(60, 60, 100), lab.finetuners().stream().map(Finetuner::maxEpochs).toList());
        assertEquals(0, sharedWithSelection(lab));
    }

    @Test
    void anUnknownNameIsRefusedWithTheAllowedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Ablation("optimisers", Table1Row.CAE, List.of(1.0), Ablation.full().pretrainings(), Ablation.full().finetuners()));
        assertEquals("Ablation: unknown ablation 'optimisers'; allowed: finetuners, pretraining, adam-rate, adam-decay, lab-finetuning", e.getMessage());
    }

    @Test
    void studiesByNameIncludeTheMtcsAndRefuseOthersWithEveryAllowedName() {
        assertEquals("ablation-mtc", Study.named("mtc", false).dir());
        assertEquals("ablation-adam-rate", Study.named("adam-rate", false).dir());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Study.named("optimisers", true));
        assertEquals("--ablation: unknown ablation 'optimisers'; allowed: finetuners, pretraining, adam-rate, adam-decay, lab-finetuning, mtc",
                e.getMessage());
    }

    @Test
    void theMtcAblationVariesBetaAndTheRateScheduleAroundTheRowsChoice() {
        Candidate encoder = Table1Protocol.full().grid(Table1Row.CAE_H).get(0);
        Finetuner adam = Finetuner.adam(1e-3, 100, 60, 10);
        Candidate chosen = new Candidate(Table1Row.MTC, 0.1, null, adam, null, 8);
        List<Candidate> points = MtcAblation.points(chosen, encoder);
        assertEquals(8, points.size());
        // beta 0: the MTC's stack as a plain two-layer MLP, on the CAE+H choice's setting
        for (Candidate plain : points.subList(0, 2)) {
            assertEquals(Table1Row.CAE_2, plain.row());
            assertEquals(encoder.regularization(), plain.regularization());
            assertEquals(encoder.pretraining(), plain.pretraining());
        }
        assertEquals(List.of(0.01, 0.01, 0.1, 0.1, 1.0, 1.0), points.subList(2, 8).stream().map(Candidate::regularization).toList());
        assertTrue(points.subList(2, 8).stream().allMatch(c -> c.row() == Table1Row.MTC && c.tangents() == 8));
        assertEquals(chosen, points.get(4), "the choice itself, shared with the selection");
        Finetuner decaying = points.get(5).finetuner();
        assertEquals(0.9, decaying.lrDecayPerEpoch(), 1e-15);
        assertEquals(List.of(adam.lr(), adam.batch(), adam.maxEpochs(), adam.patience()),
                List.of(decaying.lr(), decaying.batch(), decaying.maxEpochs(), decaying.patience()));
        assertEquals(8, points.stream().map(Candidate::id).distinct().count(), "each point has its own run directory");
    }
}
