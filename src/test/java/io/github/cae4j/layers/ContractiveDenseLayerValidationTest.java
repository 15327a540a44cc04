package io.github.cae4j.layers;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
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
    @ValueSource(doubles = {-0.1, Double.NaN, Double.POSITIVE_INFINITY, 1e300, 1.0000001e6, Double.MAX_VALUE})
    void badLambdaFailsAtBuild(double lambda) {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new ContractiveDenseLayer.Builder().name("enc1").nIn(4).nOut(3).lambda(lambda).build());
        assertMessage(e, "enc1", "lambda", String.valueOf(lambda), "[0, " + ContractiveDenseLayer.MAX_LAMBDA + "]");
    }

    /** Up to the bound, a float network's score and gradients stay finite. */
    @ParameterizedTest
    @ValueSource(doubles = {0.0, 1e-12, 3.0, 1e6})
    void lambdaInRangeIsAcceptedAndStaysFiniteInFloat(double lambda) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list()
                .layer(new ContractiveDenseLayer.Builder().nIn(4).nOut(3).activation(Activation.TANH).lambda(lambda).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(4).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 4);
        net.setInput(x);
        net.setLabels(x);
        net.computeGradientAndScore();
        assertTrue(Double.isFinite(net.score()), "score " + net.score() + " at lambda " + lambda);
        assertTrue(Double.isFinite(net.gradient().gradient().norm2Number().doubleValue()), "gradient at lambda " + lambda);
    }

    /** Jackson bypasses the builder: an out-of-range lambda in a JSON configuration fails at init. */
    @Test
    void lambdaOutOfRangeFromJsonFailsAtInit() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new ContractiveDenseLayer.Builder().name("enc").nIn(4).nOut(3).lambda(2.0).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(4).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerConfiguration tampered = MultiLayerConfiguration.fromJson(conf.toJson().replace("\"lambda\" : 2.0", "\"lambda\" : 1.0E300"));
        var e = assertThrows(IllegalArgumentException.class, () -> new MultiLayerNetwork(tampered).init());
        assertMessage(e, "enc", "lambda", "1.0E300", "[0, " + ContractiveDenseLayer.MAX_LAMBDA + "]");
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
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new ContractiveDenseLayer.Builder().nIn(3).nOut(2).gaussianNoise(-0.1).build()), "gaussianNoise", "-0.1", ">= 0");
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

    @Test
    void dropoutOutOfRangeFailsAtBuild() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new ContractiveDenseLayer.Builder().name("enc").nIn(4).nOut(3).dropOut(1.5).build());
        assertMessage(e, "enc", "dropOut", "1.5", "(0, 1]");
        var nan = assertThrows(IllegalArgumentException.class,
                () -> new ContractiveDenseLayer.Builder().name("enc").nIn(4).nOut(3).dropOut(new Dropout(Double.NaN)).build());
        assertMessage(nan, "enc", "dropOut", "NaN");
        // DL4J's own Dropout refuses p <= 0 where it is made, naming the value
        var negative = assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.5));
        assertMessage(negative, "-0.5");
    }

    @Test
    void nInThatDisagreesWithThePreviousLayerFailsAtBuildWithInputTypes() {
        var e = assertThrows(IllegalArgumentException.class, () -> new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nOut(5).build())
                .layer(new ContractiveDenseLayer.Builder().name("cae").nIn(4).nOut(3).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(7))
                .build());
        assertMessage(e, "cae", "nIn is 4", "gives 5");
        // unset nIn is inferred as usual
        MultiLayerConfiguration ok = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nOut(5).build())
                .layer(new ContractiveDenseLayer.Builder().nOut(3).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(7))
                .build();
        assertTrue(((ContractiveDenseLayer) ok.getConf(1).getLayer()).getNIn() == 5);
    }

    @Test
    void nanOrInfInputIsRejectedNamingTheLayerAndTheCount() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new ContractiveDenseLayer.Builder().name("enc").nIn(4).nOut(3).lambda(0.1).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(4).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        var x = Nd4j.rand(3, 4);
        x.putScalar(1, 2, Double.NaN);
        x.putScalar(2, 0, Double.POSITIVE_INFINITY);
        var forward = assertThrows(IllegalArgumentException.class, () -> net.output(x));
        assertMessage(forward, "enc", "layer index 0", "2 NaN/Inf", "[3, 4]");
        var training = assertThrows(IllegalArgumentException.class, () -> net.fit(x, Nd4j.rand(3, 4)));
        assertMessage(training, "enc", "NaN/Inf");
        // one big but finite input is not mistaken for NaN
        var big = Nd4j.rand(3, 4).muli(1e30);
        net.output(big);
    }
}
