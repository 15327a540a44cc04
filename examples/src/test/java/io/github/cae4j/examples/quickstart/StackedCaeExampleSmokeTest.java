package io.github.cae4j.examples.quickstart;

import io.github.cae4j.pretrain.LayerReport;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** StackedCaeExample with a tiny budget on fake full-size MNIST files (no network). */
@Timeout(120)
class StackedCaeExampleSmokeTest {

    @Test
    void bothLayersLearnFromUnlabelledDigitsAndTheFineTunedStackBeatsChance() throws Exception {
        var result = StackedCaeExample.run(new StackedCaeExample.Options(FakeMnistFiles.directory(), 1000, 32, 16, 2));

        assertEquals(2, result.layers().size());
        long nIn = 784;
        for (LayerReport layer : result.layers()) {
            // layer 2 learns from layer 1's 32 features, not from the 784 pixels
            assertEquals(nIn, layer.nIn(), layer.toString());
            var scores = layer.heldOutScoreByEpoch();
            assertEquals(2, scores.size(), layer.toString());
            assertTrue(scores.get(1) < scores.get(0), "held-out objective of layer " + layer.layer() + ": " + scores);
            assertTrue(layer.heldOutMeanJacobianNorm() > 0 && Double.isFinite(layer.heldOutReconstruction()), layer.toString());
            nIn = layer.nOut();
        }
        var conf = result.classifier().getLayerWiseConfigurations();
        assertEquals(3, conf.getConfs().size());
        assertInstanceOf(DenseLayer.class, conf.getConf(1).getLayer());
        assertEquals(16, ((DenseLayer) conf.getConf(1).getLayer()).getNOut());
        assertEquals(10, ((OutputLayer) conf.getConf(2).getLayer()).getNOut());
        // ten striped classes, chance is 0.1
        assertTrue(result.validationAccuracy() > 0.5, "validation accuracy " + result.validationAccuracy());
        assertTrue(result.testAccuracy() > 0.5, "test accuracy " + result.testAccuracy());
    }
}
