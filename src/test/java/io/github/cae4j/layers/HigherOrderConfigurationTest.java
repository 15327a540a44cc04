package io.github.cae4j.layers;

import io.github.cae4j.pretrain.LayerPretrainOptions;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CAE+H settings of {@link ContractiveDenseLayer}: defaults, range checks with clear messages, JSON/YAML, equals. */
class HigherOrderConfigurationTest {

    private static void assertMessage(Throwable t, String... parts) {
        for (String p : parts) {
            assertTrue(t.getMessage().contains(p), "message should contain '" + p + "': " + t.getMessage());
        }
    }

    private static ContractiveDenseLayer.Builder builder() {
        return new ContractiveDenseLayer.Builder().name("enc1").nIn(4).nOut(3);
    }

    @Test
    void offByDefault() {
        ContractiveDenseLayer layer = builder().build();
        assertEquals(0.0, layer.getGamma(), 0.0);
        assertEquals(ContractiveDenseLayer.DEFAULT_SIGMA, layer.getSigma(), 0.0);
        assertEquals(ContractiveDenseLayer.DEFAULT_CORRUPTED_COPIES, layer.getCorruptedCopies());
        assertEquals(0.1, ContractiveDenseLayer.DEFAULT_SIGMA, 0.0);
        assertEquals(4, ContractiveDenseLayer.DEFAULT_CORRUPTED_COPIES);
        LayerPretrainOptions opts = LayerPretrainOptions.cae(10, 0.5);
        assertEquals(0.0, opts.gamma(), 0.0);
        assertEquals(ContractiveDenseLayer.DEFAULT_SIGMA, opts.sigma(), 0.0);
        assertEquals(ContractiveDenseLayer.DEFAULT_CORRUPTED_COPIES, opts.corruptedCopies());
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, Double.NaN, Double.POSITIVE_INFINITY, 1.0000001e6})
    void badGammaFailsAtBuild(double gamma) {
        var e = assertThrows(IllegalArgumentException.class, () -> builder().gamma(gamma).build());
        assertMessage(e, "enc1", "gamma", String.valueOf(gamma), "[0, " + ContractiveDenseLayer.MAX_GAMMA + "]");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -0.1, Double.NaN, Double.POSITIVE_INFINITY})
    void badSigmaFailsAtBuild(double sigma) {
        var e = assertThrows(IllegalArgumentException.class, () -> builder().gamma(1.0).sigma(sigma).build());
        assertMessage(e, "enc1", "sigma", String.valueOf(sigma), "finite and > 0");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65, Integer.MAX_VALUE})
    void badCorruptedCopiesFailAtBuild(int copies) {
        var e = assertThrows(IllegalArgumentException.class, () -> builder().gamma(1.0).corruptedCopies(copies).build());
        assertMessage(e, "enc1", "corruptedCopies", String.valueOf(copies), "[1, " + ContractiveDenseLayer.MAX_CORRUPTED_COPIES + "]");
    }

    @Test
    void boundsAreAccepted() {
        ContractiveDenseLayer layer = builder().higherOrder(ContractiveDenseLayer.MAX_GAMMA, 1e-6, ContractiveDenseLayer.MAX_CORRUPTED_COPIES).build();
        assertEquals(ContractiveDenseLayer.MAX_CORRUPTED_COPIES, layer.getCorruptedCopies());
        assertEquals(1, builder().gamma(0.5).corruptedCopies(1).build().getCorruptedCopies());
    }

    /** Jackson bypasses the builder: an out-of-range value in a JSON configuration fails at init, naming it. */
    @Test
    void outOfRangeValuesFromJsonFailAtInit() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(builder().name("enc").higherOrder(2.0, 0.5, 3).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(4).activation(Activation.IDENTITY).build())
                .build();
        String json = conf.toJson();
        assertTrue(json.contains("\"gamma\" : 2.0") && json.contains("\"sigma\" : 0.5") && json.contains("\"corruptedCopies\" : 3"), json);
        String[][] tamperings = {{"\"gamma\" : 2.0", "\"gamma\" : -1.0", "gamma"}, {"\"sigma\" : 0.5", "\"sigma\" : 0.0", "sigma"},
                {"\"corruptedCopies\" : 3", "\"corruptedCopies\" : 100", "corruptedCopies"}};
        for (String[] t : tamperings) {
            MultiLayerConfiguration tampered = MultiLayerConfiguration.fromJson(json.replace(t[0], t[1]));
            var e = assertThrows(IllegalArgumentException.class, () -> new MultiLayerNetwork(tampered).init());
            assertMessage(e, "enc", t[2]);
        }
    }

    @Test
    void jsonAndYamlRoundTripNonDefaultValues() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(builder().lambda(0.3).gamma(0.8).sigma(0.25).corruptedCopies(7).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(4).activation(Activation.IDENTITY).build())
                .build();
        for (MultiLayerConfiguration restored : new MultiLayerConfiguration[]{
                MultiLayerConfiguration.fromJson(conf.toJson()), MultiLayerConfiguration.fromYaml(conf.toYaml())}) {
            assertEquals(conf, restored);
            ContractiveDenseLayer layer = (ContractiveDenseLayer) restored.getConf(0).getLayer();
            assertEquals(0.8, layer.getGamma(), 0.0);
            assertEquals(0.25, layer.getSigma(), 0.0);
            assertEquals(7, layer.getCorruptedCopies());
        }
    }

    @Test
    void equalsAndHashCodeSeeEachField() {
        ContractiveDenseLayer base = builder().higherOrder(0.5, 0.2, 4).build();
        assertEquals(base, builder().higherOrder(0.5, 0.2, 4).build());
        assertEquals(base.hashCode(), builder().higherOrder(0.5, 0.2, 4).build().hashCode());
        assertNotEquals(base, builder().higherOrder(0.6, 0.2, 4).build());
        assertNotEquals(base, builder().higherOrder(0.5, 0.3, 4).build());
        assertNotEquals(base, builder().higherOrder(0.5, 0.2, 5).build());
        assertTrue(base.toString().contains("gamma=0.5, sigma=0.2, corruptedCopies=4"), base.toString());
    }

    @Test
    void pretrainOptionsCheckTheSameRanges() {
        LayerPretrainOptions ok = LayerPretrainOptions.cae(10, 0.5).withHigherOrder(0.4, 0.3, 6);
        assertEquals(0.4, ok.gamma(), 0.0);
        assertEquals(0.3, ok.sigma(), 0.0);
        assertEquals(6, ok.corruptedCopies());
        assertEquals(0.4, ok.withLambda(0.1).gamma(), 0.0, "other with-methods keep the CAE+H settings");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> ok.withHigherOrder(-1, 0.3, 6)), "gamma", "-1.0");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> ok.withHigherOrder(1, Double.NaN, 6)), "sigma", "NaN");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> ok.withHigherOrder(1, 0.3, 0)), "corruptedCopies", "0");
    }
}
