package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.testing.FakeMnist;
import io.github.cae4j.io.ModelFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

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
 * {@code scripts/reproduce-table1 --quick --rows cae-h,mtc} in-process on fake MNIST: the CAE+H row
 * (lambda x gamma x length x fine-tuner, successive halving, two seeds), the MTC built on its choice
 * (layer 2, tangents, k x beta x fine-tuner), an interruption inside the MTC's selection and its
 * resumption against an uninterrupted run, a directory of the paper's rows taking the two new rows,
 * and bad input.
 */
class FollowUpRowsSmokeTest {

    private static final String ROWS = "cae-h,mtc";
    /**
     * CAE+H: 2 pretrainings (gamma 0.1 and 1), 8 + 4 halving fine-tunings, seed 2's pretraining and
     * fine-tuning = 16; MTC seed 1: layer 2 and the tangents = 18; then 2 of its 4 first-round candidates.
     */
    private static final int STOP_IN_MTC_SELECTION = 16 + 2 + 2;

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
    void caeHAndMtcRowsWithSelectionSeedsResumeAndTheirFiles() throws Exception {
        Path out = dir.resolve("table");
        QuickCli.Run stopped = run(quick(out, ROWS, "--stop-after-steps", String.valueOf(STOP_IN_MTC_SELECTION)));
        assertEquals(ReproduceTable1.STOPPED, stopped.exit(), stopped.err());
        assertTrue(Files.isRegularFile(out.resolve("rows/cae-h/row.json")));
        assertTrue(Files.isRegularFile(out.resolve("checkpoints/mtc/seed-1/tangents/" + MtcTangents.RECORD)));
        assertFalse(Files.exists(out.resolve("rows/mtc/selection/round-1.json")), "stopped inside the MTC's first round");
        try (Stream<Path> started = Files.list(out.resolve("checkpoints/mtc/seed-1/candidates"))) {
            assertEquals(2, started.count());
        }

        QuickCli.Run resumed = run(quick(out, ROWS));
        assertEquals(0, resumed.exit(), resumed.err());
        JsonNode table = json(out.resolve("table.json"));
        JsonNode caeH = row(table, "cae-h");
        JsonNode mtc = row(table, "mtc");
        for (JsonNode r : List.of(caeH, mtc)) {
            assertEquals("[1,2]", r.get("seeds").toString(), r.get("id").asText());
            // each fake class is a bright stripe: a trained MLP is far better than chance (90% error)
            assertTrue(r.get("test_error_pct").asDouble() < 50, r.toString());
        }
        // the MTC paper's tangent figure from seed 1's stack, in the row's results and in the report
        java.awt.image.BufferedImage figure = javax.imageio.ImageIO.read(out.resolve("rows/mtc/tangents.png").toFile());
        assertTrue(figure != null && figure.getHeight() > MtcTangents.FIGURE_DIGITS * 28, "rows/mtc/tangents.png");
        assertTrue(Files.readString(out.resolve("report.html")).contains("Tangents of the MTC row"), "the report shows the tangent figure");
        assertTrue(caeH.get("paper_test_error_pct").isNull(), "the CAE+H paper's MNIST figure is not known");
        assertEquals(0.81, mtc.get("paper_test_error_pct").asDouble(), 0.0);

        // CAE+H: lambda {1} x gamma {0.1, 1} x 2 lengths x 2 fine-tuners, halved to 4, the best chosen
        JsonNode caeHRounds = caeH.get("selection").get("rounds");
        assertEquals(8, caeHRounds.get(0).get("candidates").size());
        assertEquals(4, caeHRounds.get(1).get("candidates").size());
        assertTrue(caeHRounds.get(0).toString().contains("gamma 0.1 (sigma 0.1, 2 copies)")
                && caeHRounds.get(0).toString().contains("gamma 1 (sigma 0.1, 2 copies)"), caeHRounds.toString());
        assertEquals("[0.1,1.0]", caeH.get("selection").get("grid").get("gamma").toString());
        JsonNode chosenH = caeH.get("config").get("higher_order");
        assertEquals(2, chosenH.get("copies").asInt());
        try (Stream<Path> runs = Files.list(out.resolve("checkpoints/cae-h/seed-1/pretrain-layer1"))) {
            assertEquals(List.of("lambda1-gamma0.1-s0.1-c2-adam-lr3e-3-b64-p2", "lambda1-gamma1-s0.1-c2-adam-lr3e-3-b64-p2"),
                    runs.map(p -> p.getFileName().toString()).sorted().toList());
        }

        // MTC: k {1, 2} x beta {1} x 2 fine-tuners on the CAE+H choice's two layers and their tangents
        JsonNode mtcRounds = mtc.get("selection").get("rounds");
        assertEquals(4, mtcRounds.get(0).get("candidates").size());
        assertEquals("[1,2]", mtc.get("selection").get("grid").get("k").toString());
        JsonNode layers = mtc.get("pretrained_layers");
        assertEquals(2, layers.size());
        assertEquals(layers.get(0).toString(), caeH.get("pretrained_layers").get(0).toString(), "layer 1 is the CAE+H row's seed-1 model");
        assertEquals(32, layers.get(1).get("n_in").asInt());
        int k = mtc.get("config").get("tangents_k").asInt();
        assertTrue(k == 1 || k == 2, mtc.get("config").toString());
        String layer2 = "checkpoints/mtc/seed-%d/pretrain-layer2/" + caeHLayerRun(caeH);
        for (long seed : new long[]{1, 2}) {
            assertTrue(Files.isDirectory(out.resolve(String.format(layer2, seed))), String.format(layer2, seed));
            JsonNode tangents = json(out.resolve("rows/mtc/seed-" + seed + ".json")).get("tangents");
            assertEquals(2, tangents.get("k").asInt(), "computed once at the grid's largest k");
            assertEquals(2000, tangents.get("digits").asInt());
            JsonNode sv = tangents.get("mean_singular_values");
            assertTrue(sv.get(0).asDouble() >= sv.get(1).asDouble() && sv.get(1).asDouble() > 0, sv.toString());
        }
        String md = Files.readString(out.resolve("table.md"));
        assertTrue(md.contains("| CAE+H | - | **") && md.contains("| MTC | 0.81 | **"), md);

        // the interrupted run against the same rows run without interruption
        Path reference = dir.resolve("reference");
        QuickCli.Run uninterrupted = run(quick(reference, ROWS));
        assertEquals(0, uninterrupted.exit(), uninterrupted.err());
        JsonNode ref = json(reference.resolve("table.json"));
        for (String id : List.of("cae-h", "mtc")) {
            for (String key : List.of("test_error_pct_per_seed", "valid_error_pct_per_seed", "selection", "config")) {
                assertEquals(row(ref, id).get(key), row(table, id).get(key), id + " " + key);
            }
        }
        for (long seed : new long[]{1, 2}) {
            assertArrayEquals(ModelFiles.load(bestModel(reference, mtc, seed), false).params().data().asFloat(),
                    ModelFiles.load(bestModel(out, mtc, seed), false).params().data().asFloat(), 0f, "MTC seed " + seed + "'s final model");
        }

        // --ablation mtc on the finished row: beta {0, beta/10, beta} x {its fine-tuner, the same decaying}, seed 1
        QuickCli.Run ablation = run(quick(out, ROWS, "--ablation", "mtc"));
        assertEquals(0, ablation.exit(), ablation.err());
        JsonNode study = json(out.resolve("ablation-mtc/ablation.json"));
        double beta = mtc.get("config").get("regularization").asDouble();
        List<Double> betas = new ArrayList<>();
        study.get("grid").get("beta").forEach(b -> betas.add(b.asDouble()));
        assertEquals(List.of(0.0, beta / 10, beta, beta * 10), betas);
        JsonNode points = study.get("points");
        assertEquals(8, points.size());
        assertTheChoiceIsSharedWithTheSelection(mtc, points);
        // beta 0 fine-tunes the same two layers as a plain MLP: ordinary dense layers on plain digits
        var plain = ModelFiles.load(bestModel(out, 1, points.get(0).get("candidate").asText()), false);
        assertEquals(org.deeplearning4j.nn.conf.layers.DenseLayer.class, plain.getLayerWiseConfigurations().getConf(0).getLayer().getClass());
        assertEquals(3, plain.getnLayers());
        assertTrue(Files.readString(out.resolve("ablation-mtc/ablation.md")).contains("| 0 |"), "one line per beta");
        // each classifier's output sensitivity along the validation digits' k tangents and a random direction
        for (JsonNode point : points) {
            JsonNode sens = point.get("sensitivity");
            assertEquals(k, sens.get("mean_sq_output_derivative_per_tangent_rank").size(), point.toString());
            assertTrue(sens.get("mean_sq_output_derivative_random_direction").asDouble() > 0, point.toString());
        }
        assertTrue(Files.readString(out.resolve("ablation-mtc/ablation.md")).contains("tangents / random"));
    }

    /** A directory of the eight paper rows (its run.json without the follow-up rows) takes the two rows; another protocol does not. */
    @Test
    void aDirectoryOfThePaperRowsTakesTheNewRowsAndBadInputIsNamed() throws Exception {
        Path out = dir.resolve("old");
        QuickCli.Run plan = run(quick(out, ROWS, "--plan"));
        assertEquals(0, plan.exit(), plan.err());
        ObjectNode runJson = (ObjectNode) json(out.resolve("run.json"));
        ((ObjectNode) runJson.get("protocol")).remove(Table1Protocol.FOLLOW_UP_KEY);
        Files.writeString(out.resolve("run.json"), runJson.toString());
        QuickCli.Run again = run(quick(out, ROWS, "--plan"));
        assertEquals(0, again.exit(), again.err());
        assertTrue(json(out.resolve("run.json")).get("protocol").has(Table1Protocol.FOLLOW_UP_KEY), "run.json gained the new rows' settings");
        ((ObjectNode) runJson.get("protocol")).put("hidden", 33);
        Files.writeString(out.resolve("run.json"), runJson.toString());
        QuickCli.Run other = run(quick(out, ROWS, "--plan"));
        assertNotEquals(0, other.exit());
        assertTrue(other.err().contains("holds rows of another protocol"), other.err());

        QuickCli.Run row = run(quick(dir.resolve("bad1"), "cae-h,mtx"));
        assertNotEquals(0, row.exit());
        assertTrue(row.err().contains("unknown row 'mtx'") && row.err().contains("cae-h") && row.err().contains("mtc"), row.err());
        QuickCli.Run check = run(quick(dir.resolve("bad2"), "mtc", "--check-screening", "mtc"));
        assertNotEquals(0, check.exit());
        assertTrue(check.err().contains("--check-screening mtc: not supported"), check.err());
        QuickCli.Run early = run(quick(dir.resolve("bad5"), ROWS, "--ablation", "mtc"));
        assertNotEquals(0, early.exit());
        assertTrue(early.err().contains("--ablation mtc varies the MTC row's choice") && early.err().contains("run --rows mtc first"), early.err());
        QuickCli.Run unknown = run(quick(dir.resolve("bad6"), ROWS, "--ablation", "mtx"));
        assertNotEquals(0, unknown.exit());
        assertTrue(unknown.err().contains("unknown ablation 'mtx'") && unknown.err().contains("lab-finetuning, mtc"), unknown.err());
    }

    /**
     * --labels 500: pretraining on the 2,000 quick digits, fine-tuning (and the MTC's tangents) on 50 per
     * class. The MTC alone: it runs the CAE+H row's selection and pretrains seed 2's layer 1 itself.
     */
    @Test
    void theSemiSupervisedSettingFineTunesOnTheLabelledDigitsOnly() throws Exception {
        Path out = dir.resolve("semi");
        QuickCli.Run semi = run(quick(out, "mtc", "--labels", "500"));
        assertEquals(0, semi.exit(), semi.err());
        JsonNode table = json(out.resolve("table.json"));
        List<String> ids = new ArrayList<>();
        table.get("rows").forEach(r -> ids.add(r.get("id").asText()));
        assertEquals(List.of("mtc"), ids);
        assertTrue(Files.isRegularFile(out.resolve("rows/cae-h/selection/round-1.json")), "the CAE+H selection (one round, every candidate in full) ran for the MTC");
        assertFalse(Files.exists(out.resolve("rows/cae-h/row.json")), "but not the CAE+H row's seeds");
        try (Stream<Path> layer1 = Files.list(out.resolve("checkpoints/cae-h/seed-2/pretrain-layer1"))) {
            assertEquals(1, layer1.count(), "seed 2's layer 1, pretrained by the MTC row in the CAE+H row's files");
        }
        assertTrue(table.get("description").asText().contains("the labels of 500 of them (semi-supervised, 50 per class"),
                table.get("description").asText());
        assertEquals(500, table.get("protocol").get("labels").asInt());
        for (JsonNode r : table.get("rows")) {
            assertEquals(500, r.get("labels").asInt());
            assertTrue(r.get("paper_test_error_pct").isNull(), "the MTC paper's 3.64% is for 1,000 labels");
            assertTrue(r.get("test_error_pct").asDouble() < 50, r.toString());
            assertEquals(20, r.get("config").get("finetune").get("batch").asInt());
        }
        assertEquals(500, json(out.resolve("rows/mtc/seed-1.json")).get("tangents").get("digits").asInt(), "tangents of the labelled digits");

        // --ablation mtc in the same setting: its points fine-tune on the 500 labelled digits too
        QuickCli.Run ablation = run(quick(out, "mtc", "--labels", "500", "--ablation", "mtc"));
        assertEquals(0, ablation.exit(), ablation.err());
        JsonNode study = json(out.resolve("ablation-mtc/ablation.json"));
        assertEquals(500, study.get("grid").get("labels").asInt());
        JsonNode points = study.get("points");
        assertEquals(8, points.size());
        assertTheChoiceIsSharedWithTheSelection(row(table, "mtc"), points);
        for (int p : new int[]{0, 7}) {   // beta 0 (a plain MLP) and ten times beta: 25 steps of 20 labelled digits per epoch
            Path model = bestModel(out, 1, points.get(p).get("candidate").asText());
            var net = ModelFiles.load(model, false);
            assertTrue(net.getEpochCount() > 0, model.toString());
            assertEquals(net.getEpochCount() * 25, net.getIterationCount(), model + ": steps per epoch");
        }
        assertTrue(Files.readString(out.resolve("ablation-mtc/ablation.md")).contains("fine-tuned on 500 labelled digits"));
        QuickCli.Run caeAblation = run(quick(dir.resolve("bad7"), "cae", "--labels", "100", "--ablation", "finetuners"));
        assertNotEquals(0, caeAblation.exit());
        assertTrue(caeAblation.err().contains("--labels runs the table's rows or --ablation mtc; --check-screening and the CAE's"
                + " ablations use every label"), caeAblation.err());

        QuickCli.Run bad = run(quick(dir.resolve("bad3"), "cae", "--labels", "15"));
        assertNotEquals(0, bad.exit());
        assertTrue(bad.err().contains("--labels must be a positive multiple of 10 (the same number of each digit), got 15"), bad.err());
        QuickCli.Run rowsBad = run(quick(dir.resolve("bad4"), "ae", "--labels", "100"));
        assertNotEquals(0, rowsBad.exit());
        assertTrue(rowsBad.err().contains("--labels 100 runs the MTC paper's semi-supervised rows [cae, cae-h, mtc], got --rows ae"),
                rowsBad.err());
    }

    private static String caeHLayerRun(JsonNode caeH) {
        JsonNode c = caeH.get("config");
        JsonNode h = c.get("higher_order");
        return "lambda" + Ids.number(c.get("regularization").asDouble()) + "-gamma" + Ids.number(h.get("gamma").asDouble()) + "-s"
                + Ids.number(h.get("sigma").asDouble()) + "-c" + h.get("copies").asInt() + "-adam-lr3e-3-b64-p2";
    }

    private static Path bestModel(Path out, JsonNode mtc, long seed) throws IOException {
        return bestModel(out, seed, lastRound(mtc).get("kept").get(0).asText());
    }

    /** The best network of one of the MTC's fine-tuning runs. */
    private static Path bestModel(Path out, long seed, String candidate) throws IOException {
        try (Stream<Path> files = Files.list(out.resolve("checkpoints/mtc/seed-" + seed + "/candidates/" + candidate))) {
            return files.filter(p -> p.getFileName().toString().startsWith("best-e")).findFirst()
                    .orElseThrow(() -> new AssertionError("no final model of " + candidate + " for seed " + seed));
        }
    }

    private static JsonNode lastRound(JsonNode row) {
        JsonNode rounds = row.get("selection").get("rounds");
        return rounds.get(rounds.size() - 1);
    }

    /** The MTC ablation's fifth point (the chosen beta, the chosen fine-tuner) is the selection's run of the choice. */
    private static void assertTheChoiceIsSharedWithTheSelection(JsonNode mtc, JsonNode points) {
        JsonNode last = lastRound(mtc);
        String chosen = last.get("kept").get(0).asText();
        assertEquals(chosen, points.get(4).get("candidate").asText(), "the choice itself is the last beta's first point");
        JsonNode inSelection = null;
        for (JsonNode c : last.get("candidates")) {
            inSelection = c.get("candidate").asText().equals(chosen) ? c : inSelection;
        }
        assertNotNull(inSelection, chosen + " among the last round's candidates");
        assertEquals(inSelection.get("valid_error_pct").asDouble(), points.get(4).get("valid_error_pct").asDouble(), 0.0,
                "shared with the selection, not run again");
    }

    private static JsonNode row(JsonNode table, String id) {
        for (JsonNode r : table.get("rows")) {
            if (r.get("id").asText().equals(id)) {
                return r;
            }
        }
        throw new AssertionError("no row " + id + " in " + table);
    }
}
