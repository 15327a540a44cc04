package io.github.cae4j.layers;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad configurations fail early with a message that names the layer, the field and the value. */
class ContractiveDenseLayerValidationTest {

    private static void assertMessage(Throwable t, String... parts) {
        for (String p : parts) {
            assertTrue(t.getMessage().contains(p), "message should contain '" + p + "': " + t.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, Double.NaN, Double.POSITIVE_INFINITY})
    void badLambdaFailsAtBuild(double lambda) {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new ContractiveDenseLayer.Builder().name("enc1").nIn(4).nOut(3).lambda(lambda).build());
        assertMessage(e, "enc1", "lambda", String.valueOf(lambda), ">= 0");
    }

    @Test
    void unsupportedActivationFailsAtBuildAndListsTheSupportedOnes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new ContractiveDenseLayer.Builder().nIn(4).nOut(3).activation(Activation.SOFTMAX).build());
        assertMessage(e, "softmax", "SIGMOID", "TANH", "SOFTPLUS", "RELU", "LEAKYRELU", "ELU", "IDENTITY");
        var capped = assertThrows(IllegalArgumentException.class,
                () -> new ContractiveDenseLayer.Builder().nIn(4).nOut(3).activation(new ActivationReLU(6.0, null, null)).build());
        assertMessage(capped, "max=6.0");
    }

    @Test
    void unsupportedNetworkDefaultActivationFailsAtInit() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().activation(Activation.SOFTMAX).list()
                .layer(new ContractiveDenseLayer.Builder().name("enc").nIn(4).nOut(3).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(4).activation(Activation.IDENTITY).build())
                .build();
        var e = assertThrows(IllegalArgumentException.class, () -> new MultiLayerNetwork(conf).init());
        assertMessage(e, "enc", "softmax", "Supported");
    }

    @Test
    void badSizesAndPretrainingSettingsFailAtBuild() {
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new ContractiveDenseLayer.Builder().nIn(-3).nOut(3).build()), "nIn", "-3");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new ContractiveDenseLayer.Builder().nIn(3).nOut(-1).build()), "nOut", "-1");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new ContractiveDenseLayer.Builder().nIn(3).nOut(2).corruptionLevel(1.0).build()), "corruptionLevel", "1.0", "[0, 1)");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new ContractiveDenseLayer.Builder().nIn(3).nOut(2).visibleBiasInit(Double.NaN).build()), "visibleBiasInit", "NaN");
    }

    @Test
    void missingNOutFailsAtInit() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new ContractiveDenseLayer.Builder().name("enc").nIn(4).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(4).build())
                .build();
        var e = assertThrows(DL4JInvalidConfigException.class, () -> new MultiLayerNetwork(conf).init());
        assertMessage(e, "enc", "nOut");
    }

    @Test
    void inputWidthThatDoesNotMatchNInIsNamed() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new ContractiveDenseLayer.Builder().nIn(4).nOut(3).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(4).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        var e = assertThrows(DL4JInvalidInputException.class, () -> net.output(Nd4j.rand(2, 5)));
        assertMessage(e, "5", "4");
    }
}
