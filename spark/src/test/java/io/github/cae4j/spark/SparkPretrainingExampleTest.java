package io.github.cae4j.spark;

import io.github.cae4j.examples.data.MnistDataOptions;
import io.github.cae4j.pretrain.LayerPretrainOptions;
import io.github.cae4j.pretrain.LayerReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example end to end, small: a 2-layer stack pretrained on Spark, the MLP fine-tuned on Spark, saved. */
class SparkPretrainingExampleTest {

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void pretrainsTheStackFineTunesAndSaves(@TempDir Path out) throws Exception {
        var layers = List.of(LayerPretrainOptions.cae(64, 0.3).withTiedWeights(false), LayerPretrainOptions.cae(32, 0.3).withTiedWeights(false));
        var r = SparkPretrainingExample.run(new SparkPretrainingExample.Options("local[2]",
                new MnistDataOptions(null, null, MnistDataOptions.Source.SUBSET, 1, 2000), layers,
                new TrainingOptions(0, 50, 5, 1, 3), new TrainingOptions(0, 50, 5, 3, 3), out));
        assertEquals(2, r.stack().autoencoders().size());
        assertEquals(784, r.stack().autoencoders().get(0).nIn());
        assertEquals(64, r.stack().autoencoders().get(1).nIn());
        for (LayerReport rep : r.stack().reports()) {
            assertTrue(Double.isFinite(rep.heldOutReconstruction()) && rep.heldOutMeanJacobianNorm() > 0, rep.toString());
        }
        // 10 classes: chance is a 90% error; 2,000 digits and 3 short epochs (Adam 1e-3, 20 averaged steps
        // per worker each) reach well under that
        assertTrue(r.testError() < 0.5, "test error " + r.testError());
        assertTrue(r.finetuning().get(2).score() < r.finetuning().get(0).score(), "fine-tuning validation loss falls: " + r.finetuning());
        assertTrue(Files.size(out.resolve("classifier.zip")) > 0);
    }
}
