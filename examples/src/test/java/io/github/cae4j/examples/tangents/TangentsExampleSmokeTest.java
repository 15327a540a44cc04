package io.github.cae4j.examples.tangents;

import io.github.cae4j.examples.data.MnistDataOptions;
import io.github.cae4j.examples.testing.FakeMnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TangentsExample with a tiny budget on fake full-size MNIST files (no network): figure, summary, comparison. */
@Timeout(180)
class TangentsExampleSmokeTest {

    @Test
    void writesTheTangentFigureAndTheValidationComparison(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("mnist");
        Files.createDirectories(data);
        FakeMnist.writeFullMnist(data, false);
        Path out = tmp.resolve("out");
        TangentsExample.Result r = TangentsExample.run(new TangentsExample.Options(data, MnistDataOptions.Source.FULL, 300,
                List.of(24, 12), 0.1, 2, 3, 4, 4, 300, List.of(1.0, 10.0), 4, out));

        BufferedImage png = ImageIO.read(r.figure().toFile());
        assertNotNull(png);
        assertTrue(png.getWidth() > 4 * 84 && png.getHeight() > 4 * 84, png.getWidth() + "x" + png.getHeight());
        assertEquals(4, r.shownTangents().size());
        assertEquals(3, r.shownTangents().k());
        for (int d = 0; d < 4; d++) {
            for (int j = 0; j < 3; j++) {
                double s = r.shownTangents().values().getDouble(d, j);
                assertTrue(s >= 0 && Double.isFinite(s) && (j == 0 || s <= r.shownTangents().values().getDouble(d, j - 1)));
            }
        }
        assertTrue(r.secondsPer1000Digits() > 0);
        JsonNode summary = new ObjectMapper().readTree(r.summary().toFile());
        assertEquals(3, summary.get("tangents_k").asInt());
        assertEquals(40, summary.get("figure_iterations").asInt());
        for (JsonNode captured : summary.get("subspace_captured_at_run_iterations")) {
            assertTrue(captured.asDouble() > 0 && captured.asDouble() <= 1 + 1e-4, summary.toString());
        }
        JsonNode c = summary.get("comparison");
        assertEquals(300, c.get("labels").asInt());
        assertTrue(c.get("cae").get("validationAccuracy").asDouble() > 0.2, c.toString());
        assertEquals(2, c.get("mtc").size());
        for (JsonNode m : c.get("mtc")) {
            assertTrue(m.get("validationAccuracy").asDouble() > 0.2 && m.get("meanSquaredTangentDerivative").asDouble() >= 0, c.toString());
        }
        assertEquals(10.0, c.get("mtc").get(1).get("beta").asDouble());
    }
}
