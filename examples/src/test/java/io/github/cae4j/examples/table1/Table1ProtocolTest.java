package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.data.MnistSplits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The full protocol's grids, and that the whole table fits its time budget by the cost plan. */
class Table1ProtocolTest {

    @TempDir
    Path dir;

    @Test
    void theFullGridsAreTheIssuesAndEveryCandidateHasItsOwnId() {
        Table1Protocol full = Table1Protocol.full();
        assertEquals(List.of(0.3, 1.0, 3.0, 10.0), full.regularization().get(Table1Row.CAE));
        assertEquals(List.of(0.1, 0.2, 0.3, 0.5), full.regularization().get(Table1Row.DAE_G));
        assertEquals(List.of(0.1, 0.25, 0.4), full.regularization().get(Table1Row.DAE_B));
        assertEquals(List.of(1e-4, 1e-3, 1e-2), full.regularization().get(Table1Row.AE_WD));
        assertEquals(List.of(1L, 2L, 3L), full.seeds());
        assertTrue(full.finetuners().stream().anyMatch(f -> f.optimizer() == Optimizer.ADAM));
        assertTrue(full.finetuners().stream().anyMatch(f -> f.optimizer() == Optimizer.NESTEROVS));
        int perRegValue = full.pretrainings().size() * full.finetuners().size();
        assertEquals(4 * perRegValue, full.grid(Table1Row.CAE).size());
        assertEquals(full.finetuners().size(), full.grid(Table1Row.RANDOM).size());
        assertEquals(1, full.grid(Table1Row.DL4J_AE).size());
        assertEquals(0, full.grid(Table1Row.CAE_2).size());
        assertEquals(List.of(1L), full.seedsOf(Table1Row.CAE_2));
        assertEquals(List.of(1L), full.seedsOf(Table1Row.DL4J_AE));
        for (Table1Row row : Table1Row.values()) {
            Set<String> ids = new HashSet<>();
            full.grid(row).forEach(c -> assertTrue(ids.add(c.id()), "two candidates of " + row.id() + " share the id " + c.id()));
        }
    }

    @Test
    void theQuickProtocolCoversTwoSeedsTwoRoundsAndBothKindsOfFineTuner() {
        Table1Protocol q = Table1Protocol.quick();
        assertEquals(2, q.seeds().size());
        assertEquals(2, q.halving().rounds());
        assertTrue(q.finetuners().stream().anyMatch(f -> f.optimizer() == Optimizer.ADAM));
        assertTrue(q.finetuners().stream().anyMatch(f -> f.optimizer() != Optimizer.ADAM));
        assertTrue(q.grid(Table1Row.CAE).size() >= 4);
    }

    /** The paper's rows (every seed, the selection's worst case) by the documented seconds per epoch. */
    @Test
    void thePaperRowsFitInTwelveHoursAtMost() throws IOException {
        List<Table1Row> paperRows = Arrays.stream(Table1Row.values()).filter(r -> r != Table1Row.CAE_H && r != Table1Row.MTC).toList();
        Plan plan = ReproduceTable1.plan(Table1Protocol.full(), SIZES, dir, EpochTimes.DOCUMENTED, paperRows, null, null);
        double hours = plan.totalSeconds() / 3600;
        assertTrue(hours <= 12, "the plan needs " + hours + " h:\n" + plan.markdown());
        assertEquals(paperRows.size(), plan.parts().size());
        Map<String, Object> json = plan.toJson();
        assertEquals(plan.totalSteps(), json.get("total_steps"));
    }

    private static final MnistSplits SIZES = new MnistSplits(Nd4j.zeros(DataType.FLOAT, 50_000, 1), null,
            Nd4j.zeros(DataType.FLOAT, 10_000, 1), null, null, null, "sizes only");

    /**
     * CAE+H and the MTC by the documented estimates: their steps (CAE+H: 4 pretrainings, halving 48→16→6→2,
     * seeds 2 and 3; MTC: layer 2 and tangents per seed, halving 18→6→2→2, seeds 2 and 3) and the
     * hours docs/table1-protocol.md quotes. With the CAE+H row in the same run the MTC does not plan
     * that row's selection again; without it, it does.
     */
    @Test
    void theFollowUpRowsPlanTheirEncodersTangentsAndSelection() throws IOException {
        Table1Protocol full = Table1Protocol.full();
        assertEquals(48, full.grid(Table1Row.CAE_H).size());
        assertEquals(2 * 3 * 3, full.grid(Table1Row.MTC).size());
        Plan both = ReproduceTable1.plan(full, SIZES, dir, EpochTimes.DOCUMENTED, List.of(Table1Row.CAE_H, Table1Row.MTC), null, null);
        Plan.Part caeH = both.parts().get(0);
        Plan.Part mtc = both.parts().get(1);
        System.out.println("follow-up rows' plan (documented s/epoch):\n" + both.markdown());
        // CAE+H: 4 pretrainings + 48 + 16 + 6 + 2 rounds + 2 seeds x (pretraining + fine-tuning)
        assertEquals(4 + 48 + 16 + 6 + 2 + 4, caeH.steps(), caeH.toString());
        // MTC: seed 1's layer 2 and tangents + 36 + 12 + 4 + 2 rounds + 2 seeds x (layer 2, tangents, fine-tuning); layer 1 is CAE+H's
        assertEquals(2 + 18 + 6 + 2 + 2 + 2 * 3, mtc.steps(), mtc.toString());
        assertEquals(3.55, caeH.seconds() / 3600, 0.01, both.markdown());
        assertEquals(12.86, mtc.seconds() / 3600, 0.01, both.markdown());
        Plan alone = ReproduceTable1.plan(full, SIZES, dir, EpochTimes.DOCUMENTED, List.of(Table1Row.MTC), null, null);
        // alone it also plans CAE+H's selection and seeds 2 and 3's layer 1
        assertEquals(mtc.steps() + 4 + 48 + 16 + 6 + 2 + 2, alone.totalSteps(), alone.markdown());
    }

    /**
     * The semi-supervised setting at 1,000 labels: the same pretrainings (all 50,000 digits), fine-tuning
     * epochs of 1,000 digits at minibatch 20, the MTC's tangents of the 1,000 labelled digits only.
     */
    @Test
    void theSemiSupervisedSettingPlansPretrainingOnAllDigitsAndFineTuningOnTheLabelledOnes() throws IOException {
        Table1Protocol semi = Table1Protocol.full().semiSupervised(1000);
        assertEquals(1000, semi.labels());
        assertTrue(semi.finetuners().stream().allMatch(f -> f.batch() == 20), semi.finetuners().toString());
        assertEquals(1000, semi.describe().get("labels"));
        assertTrue(!Table1Protocol.full().describe().containsKey("labels"), "Table 1's run.json is unchanged");
        MnistSplits sizes = new MnistSplits(Nd4j.zeros(DataType.FLOAT, 50_000, 1), Nd4j.eye(10).repeat(0, 5000).castTo(DataType.FLOAT),
                Nd4j.zeros(DataType.FLOAT, 10_000, 1), null, null, null, "sizes only");
        Plan plan = ReproduceTable1.plan(semi, sizes, dir, EpochTimes.DOCUMENTED, Table1Protocol.SEMI_SUPERVISED_ROWS, null, null);
        System.out.println("semi-supervised plan, 1,000 labels (documented s/epoch):\n" + plan.markdown());
        Plan full = ReproduceTable1.plan(Table1Protocol.full(), SIZES, dir, EpochTimes.DOCUMENTED, Table1Protocol.SEMI_SUPERVISED_ROWS, null, null);
        for (int p = 0; p < 3; p++) {
            assertEquals(full.parts().get(p).steps(), plan.parts().get(p).steps(), "the same steps: " + plan.markdown());
            assertTrue(plan.parts().get(p).seconds() < full.parts().get(p).seconds(), plan.markdown());
        }
        assertTrue(plan.parts().get(2).items().get(0).contains("tangents k 8 of 1000 digits"), plan.parts().get(2).items().toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Table1Protocol.full().semiSupervised(15));
        assertTrue(e.getMessage().contains("--labels must be a positive multiple of 10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Table1Protocol.quick().semiSupervised(2000));
        assertTrue(e.getMessage().contains("--labels must be below the 2000 training digits of this setting, got 2000"), e.getMessage());
    }

    @Test
    void badProtocolsAreRefused() {
        Table1Protocol f = Table1Protocol.full();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Table1Protocol(f.hidden(), 0, List.of(1L, 1L),
                f.regularization(), f.pretrainings(), f.finetuners(), f.halving(), f.dl4jPretraining(), f.referenceFinetuner(), 8, f.followUps()));
        assertTrue(e.getMessage().contains("seeds must be distinct and at least one, got [1, 1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Table1Protocol(f.hidden(), 0, f.seeds(), f.regularization(),
                f.pretrainings(), f.finetuners(), f.halving(), f.dl4jPretraining(), f.referenceFinetuner(), 1, f.followUps()));
        assertTrue(e.getMessage().contains("checkPoints must be >= 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ScreeningCheck.points(f, Table1Row.DL4J_AE));
        assertTrue(e.getMessage().contains("--check-screening dl4j-ae"), e.getMessage());
    }
}
