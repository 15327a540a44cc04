package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.data.MnistSplits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
        assertEquals(List.of(1L), full.seedsOf(Table1Row.CAE_2));
        assertEquals(List.of(1L), full.seedsOf(Table1Row.DL4J_AE));
        for (Table1Row row : Table1Row.values()) {
            Set<String> ids = new HashSet<>();
            List<Candidate> grid = row == Table1Row.CAE_2 ? full.cae2Grid(full.grid(Table1Row.CAE).get(0)) : full.grid(row);
            grid.forEach(c -> assertTrue(ids.add(c.id()), "two candidates of " + row.id() + " share the id " + c.id()));
        }
    }

    /** CAE-2 keeps the CAE row's lambda and pretraining for both layers and chooses only its fine-tuner. */
    @Test
    void cae2sGridIsTheCaeChoiceUnderEachFineTuner() {
        Table1Protocol full = Table1Protocol.full();
        Candidate cae = full.grid(Table1Row.CAE).get(full.grid(Table1Row.CAE).size() - 1);
        List<Candidate> grid = full.cae2Grid(cae);
        assertEquals(full.finetuners(), grid.stream().map(Candidate::finetuner).toList());
        for (Candidate c : grid) {
            assertEquals(Table1Row.CAE_2, c.row());
            assertEquals(cae.regularization(), c.regularization());
            assertEquals(cae.pretraining(), c.pretraining());
            // one layer-2 pretraining for all of them
            assertEquals(cae.pretrainRunId(), c.pretrainRunId());
        }
        assertTrue(grid.contains(cae.forRow(Table1Row.CAE_2)), "the CAE row's own fine-tuner is one of them");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> full.grid(Table1Row.CAE_2));
        assertTrue(e.getMessage().contains("cae2Grid"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> full.cae2Grid(full.grid(Table1Row.AE).get(0)));
        assertEquals("cae2Grid needs a candidate of the CAE row, got one of ae", e.getMessage());
        assertEquals(Map.of("encoders", Table1Protocol.CAE_2_ENCODERS, "candidates", 6),
                ((Map<?, ?>) full.describe().get("grids")).get(Table1Row.CAE_2.id()));
    }

    /**
     * CAE-2 alone on an empty directory: the CAE row's selection (which pretrains its layer 1), CAE-2's
     * layer 2, and successive halving over one candidate per fine-tuner; its one seed is the winner.
     */
    @Test
    void cae2PlansTheCaeSelectionItsLayer2AndItsOwnHalving() throws IOException {
        Table1Protocol full = Table1Protocol.full();
        Plan cae = ReproduceTable1.plan(full, SIZES, dir, EpochTimes.DOCUMENTED, List.of(Table1Row.CAE), null, null);
        Plan cae2 = ReproduceTable1.plan(full, SIZES, dir, EpochTimes.DOCUMENTED, List.of(Table1Row.CAE_2), null, null);
        int halving = full.halving().counts(full.finetuners().size()).stream().mapToInt(Integer::intValue).sum();
        int caeSelection = cae.totalSteps() - 2 * 2; // the CAE row's seeds 2 and 3: a pretraining and a fine-tuning each
        System.out.println("CAE-2 alone:\n" + cae2.markdown());
        assertEquals(caeSelection + 1 + halving, cae2.totalSteps(), cae2.markdown());
        assertTrue(cae2.markdown().contains("selection: layer 2 pretraining <=60 epochs"), cae2.markdown());
        Plan both = ReproduceTable1.plan(full, SIZES, dir, EpochTimes.DOCUMENTED, List.of(Table1Row.CAE, Table1Row.CAE_2), null, null);
        assertEquals(cae.totalSteps() + 1 + halving, both.totalSteps(), both.markdown());
    }

    /**
     * A directory written before CAE+H and the MTC existed, or before CAE-2 chose its fine-tuner,
     * holds the same protocol for its rows: upgraded, with the changes named; another protocol is not.
     */
    @Test
    void olderDescriptionsOfTheSameProtocolAreUpgradedAndOthersRefused() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode wanted = (ObjectNode) mapper.readTree(mapper.writeValueAsString(Map.of("protocol", Table1Protocol.full().describe())));
        ObjectNode beforeSelection = wanted.deepCopy();
        ((ObjectNode) beforeSelection.get("protocol").get("grids")).put("cae-2", Table1Protocol.CAE_2_BEFORE_SELECTION);
        assertEquals(List.of(ReproduceTable1.CAE_2_SELECTS), ReproduceTable1.upgrades(beforeSelection, wanted));
        ObjectNode eightRows = beforeSelection.deepCopy();
        ((ObjectNode) eightRows.get("protocol")).remove(Table1Protocol.FOLLOW_UP_KEY);
        assertEquals(List.of(ReproduceTable1.FOLLOW_UPS_ADDED, ReproduceTable1.CAE_2_SELECTS), ReproduceTable1.upgrades(eightRows, wanted));
        assertNull(ReproduceTable1.upgrades(wanted, wanted), "nothing to upgrade");
        ObjectNode otherLambdas = beforeSelection.deepCopy();
        ((ObjectNode) otherLambdas.get("protocol")).put("hidden", 500);
        assertNull(ReproduceTable1.upgrades(otherLambdas, wanted));
        ObjectNode otherCae2 = wanted.deepCopy();
        ((ObjectNode) otherCae2.get("protocol").get("grids")).put("cae-2", "something else");
        assertNull(ReproduceTable1.upgrades(otherCae2, wanted));
    }

    /**
     * The committed full table and 1,000-label directories were written with the MTC's first grid:
     * they take the second (the MTC alone chooses again), unless their encoders or tangents differ.
     */
    @Test
    void directoriesOfTheMtcsFirstGridTakeTheSecond() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Table1Protocol> fixtures = Map.of("/table1/run-mtc-first-grid.json", Table1Protocol.full(),
                "/table1/run-mtc-first-grid-1000-labels.json", Table1Protocol.full().semiSupervised(1000));
        for (Map.Entry<String, Table1Protocol> f : fixtures.entrySet()) {
            JsonNode existing;
            try (InputStream in = getClass().getResourceAsStream(f.getKey())) {
                existing = mapper.readTree(in);
            }
            JsonNode wanted = mapper.readTree(mapper.writeValueAsString(Map.of("protocol", f.getValue().describe())));
            // the 1,000-label directory also drops the short rounds (its epochs are 50 steps)
            List<String> expected = f.getValue().labels() == 0 ? List.of(ReproduceTable1.MTC_CHOOSES_AGAIN)
                    : List.of(ReproduceTable1.MTC_CHOOSES_AGAIN, ReproduceTable1.FULL_RUNS_AT_FEW_LABELS);
            assertEquals(expected, ReproduceTable1.upgrades(existing, wanted), f.getKey());
            assertEquals(List.of(1.0, 3.0, 10.0), mapper.convertValue(wanted.at("/protocol/follow_up_rows/mtc/beta"), List.class));
            for (String other : List.of("tangents_k", "tangent_iterations", "gamma")) {
                ObjectNode changed = existing.deepCopy();
                ((ObjectNode) changed.at("/protocol/follow_up_rows/cae-h/higher_order")).putArray(other).add(3);
                assertNull(ReproduceTable1.upgrades(changed, wanted), f.getKey() + " with another " + other);
            }
            ObjectNode otherEncoders = existing.deepCopy();
            ((ObjectNode) otherEncoders.at("/protocol/follow_up_rows/mtc")).put("encoders", "three layers");
            assertNull(ReproduceTable1.upgrades(otherEncoders, wanted), f.getKey() + " with other encoders");
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
     * seeds 2 and 3; MTC: layer 2 and tangents per seed, one 15-epoch round 6→2, seeds 2 and 3) and the
     * hours docs/table1-protocol.md quotes. With the CAE+H row in the same run the MTC does not plan
     * that row's selection again; without it, it does.
     */
    @Test
    void theFollowUpRowsPlanTheirEncodersTangentsAndSelection() throws IOException {
        Table1Protocol full = Table1Protocol.full();
        assertEquals(48, full.grid(Table1Row.CAE_H).size());
        assertEquals(2 * 3, full.grid(Table1Row.MTC).size());
        Plan both = ReproduceTable1.plan(full, SIZES, dir, EpochTimes.DOCUMENTED, List.of(Table1Row.CAE_H, Table1Row.MTC), null, null);
        Plan.Part caeH = both.parts().get(0);
        Plan.Part mtc = both.parts().get(1);
        System.out.println("follow-up rows' plan (documented s/epoch):\n" + both.markdown());
        // CAE+H: 4 pretrainings + 48 + 16 + 6 + 2 rounds + 2 seeds x (pretraining + fine-tuning)
        assertEquals(4 + 48 + 16 + 6 + 2 + 4, caeH.steps(), caeH.toString());
        // MTC: seed 1's layer 2 and tangents + 6 + 2 rounds + 2 seeds x (layer 2, tangents, fine-tuning); layer 1 is CAE+H's
        assertEquals(2 + 6 + 2 + 2 * 3, mtc.steps(), mtc.toString());
        assertEquals(3.55, caeH.seconds() / 3600, 0.01, both.markdown());
        assertEquals(11.39, mtc.seconds() / 3600, 0.01, both.markdown());
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
        // the MTC's grid: its own fine-tuner and the shared decaying ones, at minibatch 20
        assertEquals(List.of("Adam 1e-3 (×0.9/epoch), batch 20", "Nesterov 0.01 (m 0.9, ×0.97/epoch), batch 20",
                        "Nesterov 0.03 (m 0.9, ×0.97/epoch), batch 20", "Nesterov 0.1 (m 0.9, ×0.97/epoch), batch 20"),
                semi.followUps().mtcFinetuners().stream().map(Finetuner::label).toList());
        assertEquals(2 * 3 * 4, semi.grid(Table1Row.MTC).size());
        assertEquals(1000, semi.describe().get("labels"));
        assertTrue(!Table1Protocol.full().describe().containsKey("labels"), "Table 1's run.json is unchanged");
        MnistSplits sizes = new MnistSplits(Nd4j.zeros(DataType.FLOAT, 50_000, 1), Nd4j.eye(10).repeat(0, 5000).castTo(DataType.FLOAT),
                Nd4j.zeros(DataType.FLOAT, 10_000, 1), null, null, null, "sizes only");
        Plan plan = ReproduceTable1.plan(semi, sizes, dir, EpochTimes.DOCUMENTED, Table1Protocol.SEMI_SUPERVISED_ROWS, null, null);
        System.out.println("semi-supervised plan, 1,000 labels (documented s/epoch):\n" + plan.markdown());
        // every candidate in full, no short rounds: CAE and CAE+H 4 pretrainings + 48 candidates + 2 seeds x (pretraining,
        // fine-tuning); the MTC seed 1's layer 2 and tangents + 24 candidates (4 fine-tuners) + 2 seeds x (layer 2, tangents, fine-tuning)
        List<Integer> steps = List.of(4 + 48 + 4, 4 + 48 + 4, 2 + 24 + 6);
        for (int p = 0; p < 3; p++) {
            assertEquals(steps.get(p), plan.parts().get(p).steps(), plan.markdown());
        }
        assertTrue(plan.markdown().contains("every candidate in full: 48 candidates, <=2880 fine-tuning epochs"), plan.markdown());
        assertEquals(1, semi.halving(Table1Row.CAE).rounds());
        assertEquals(1, semi.halving(Table1Row.MTC).rounds());
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
