package io.github.cae4j.examples.quickstart;

import io.github.cae4j.testing.Exact;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CaeMnistExample with a tiny budget on fake full-size MNIST files (no network), one run shared by the checks. */
@Timeout(120)
class CaeMnistExampleSmokeTest {

    static final int TRAIN = 400;

    @TempDir
    static Path dir;
    static Path out;
    static Path statsFile;
    static CaeMnistExample.Result result;

    @BeforeAll
    static void runOnce() throws Exception {
        out = dir.resolve("models");
        statsFile = dir.resolve("stats.dl4j");
        result = CaeMnistExample.run(new CaeMnistExample.Options(FakeMnistFiles.directory(), TRAIN, 32, 3, 3, out, statsFile, null));
    }

    @Test
    void trainingLowersTheHeldOutLossAndTheClassifierBeatsChance() {
        assertTrue(result.validLossAfter() < result.validLossBefore(),
                "held-out loss " + result.validLossBefore() + " -> " + result.validLossAfter());
        assertEquals(3, result.caeEpochs());
        // ten striped classes, chance is 0.1
        assertTrue(result.testAccuracy() > 0.5, "test accuracy " + result.testAccuracy());
    }

    @Test
    void savedModelsReloadWithIdenticalParametersAndOutputs() throws Exception {
        INDArray x = QuickstartMnist.test(FakeMnistFiles.directory(), 200, 200).next().getFeatures();
        assertSameNetwork(result.cae(), new File(out.toFile(), "cae.zip"), x);
        assertSameNetwork(result.classifier(), new File(out.toFile(), "classifier.zip"), x);
    }

    private static void assertSameNetwork(MultiLayerNetwork saved, File file, INDArray x) throws Exception {
        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(saved.getLayerWiseConfigurations().toJson(), loaded.getLayerWiseConfigurations().toJson(), file.getName());
        assertNotSame(saved, loaded);
        Exact.assertBitIdentical(saved.params(), loaded.params(), file.getName() + " parameters");
        Exact.assertBitIdentical(saved.getUpdater().getStateViewArray(), loaded.getUpdater().getStateViewArray(),
                file.getName() + " updater state");
        Exact.assertBitIdentical(saved.output(x), loaded.output(x), file.getName() + " outputs");
    }

    @Test
    void statsFileHoldsOneSessionWithAnUpdateEveryTenIterations() {
        assertTrue(Files.isRegularFile(statsFile) && statsFile.toFile().length() > 0, statsFile.toString());
        FileStatsStorage stats = new FileStatsStorage(statsFile.toFile());
        try {
            List<String> sessions = stats.listSessionIDs();
            assertEquals(1, sessions.size(), sessions.toString());
            String session = sessions.get(0);
            String worker = stats.listWorkerIDsForSession(session).get(0);
            assertTrue(stats.getStaticInfo(session, StatsListener.TYPE_ID, worker) != null, "static info (model, hardware)");
            List<Persistable> updates = stats.getAllUpdatesAfter(session, StatsListener.TYPE_ID, worker, 0);
            // 3 epochs of ceil(400 / 64) = 7 minibatches: iterations 0..20, reported at 10 and 20
            int iterations = result.caeEpochs() * ((TRAIN + CaeMnistExample.BATCH - 1) / CaeMnistExample.BATCH);
            assertEquals(21, iterations);
            assertEquals(2, updates.size());
        } finally {
            stats.close();
        }
    }

    @Test
    void missingMnistNamesTheDirectoryTheFilesAndTheFetchScript(@TempDir Path empty) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CaeMnistExample.run(
                new CaeMnistExample.Options(empty, TRAIN, 32, 1, 1, out, null, null)));
        assertTrue(e.getMessage().contains(empty.toAbsolutePath().toString()) && e.getMessage().contains("train-images-idx3-ubyte")
                && e.getMessage().contains("scripts/fetch-mnist"), e.getMessage());
    }
}
