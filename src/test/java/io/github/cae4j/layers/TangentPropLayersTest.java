package io.github.cae4j.layers;

import io.github.cae4j.testing.DoublePrecision;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

import static io.github.cae4j.layers.TangentPropGradientTest.D;
import static io.github.cae4j.layers.TangentPropGradientTest.K;
import static io.github.cae4j.layers.TangentPropGradientTest.appended;
import static io.github.cae4j.layers.TangentPropGradientTest.net;
import static io.github.cae4j.layers.TangentPropGradientTest.oneHot;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Penalty values against an independent computation, a negative control, serialisation and bad input. */
@ExtendWith(DoublePrecision.class)
class TangentPropLayersTest {

    private static final double BETA = 0.8;

    @Test
    void penaltyEqualsBetaTimesExplicitOutputJacobianAlongEachTangent() {
        MultiLayerNetwork net = net(Activation.TANH, BETA, K);
        int m = 4;
        INDArray input = appended(m, K, 3);
        INDArray y = oneHot(m, 3);
        INDArray x = input.get(NDArrayIndex.all(), NDArrayIndex.interval(0, D)).dup();
        double[] expected = new double[m];
        for (int e = 0; e < m; e++) {
            INDArray jacobian = explicitOutputJacobian(net, x.getRow(e, true));   // [classes, D]
            for (int i = 0; i < K; i++) {
                INDArray u = input.get(NDArrayIndex.point(e), NDArrayIndex.interval((1 + i) * D, (2 + i) * D)).reshape(D, 1);
                INDArray g = jacobian.mmul(u);
                expected[e] += BETA * g.mul(g).sumNumber().doubleValue();
            }
        }
        double[] perExample = net.scoreExamples(new DataSet(input, y), false).sub(net.scoreExamples(new DataSet(x, y), false))
                .toDoubleVector();
        assertArrayEquals(expected, perExample, 1e-9);
        double meanPenalty = java.util.Arrays.stream(expected).sum() / m;
        assertTrue(meanPenalty > 1e-3, "the test needs a penalty that matters, got " + meanPenalty);
        assertEquals(meanPenalty, net.score(new DataSet(input, y)) - net.score(new DataSet(x, y)), 1e-9);
    }

    /** {@code ∂p/∂x} {@code [classes, D]} by central differences of the network's softmax output on plain features. */
    private static INDArray explicitOutputJacobian(MultiLayerNetwork net, INDArray row) {
        double step = 1e-6;
        INDArray plus = Nd4j.repeat(row, D).reshape(D, D).addi(Nd4j.eye(D).muli(step));
        INDArray minus = Nd4j.repeat(row, D).reshape(D, D).subi(Nd4j.eye(D).muli(step));
        return net.output(plus).sub(net.output(minus)).divi(2 * step).transpose();
    }

    @Test
    void negativeControlThePenaltyChangesTheGradientBeyondTheCheckTolerance() {
        // If backprop left out the penalty, the gradient would be the plain-feature one. It differs from the
        // tangent-prop gradient by far more than the gradient check's 1e-5 relative tolerance, so the checks
        // in TangentPropGradientTest would catch a missing or wrong penalty gradient.
        MultiLayerNetwork net = net(Activation.TANH, BETA, K);
        INDArray input = appended(4, K, 3);
        INDArray y = oneHot(4, 3);
        INDArray withTangents = gradient(net, input, y);
        INDArray plain = gradient(net, input.get(NDArrayIndex.all(), NDArrayIndex.interval(0, D)).dup(), y);
        double rel = withTangents.sub(plain).norm2Number().doubleValue() / withTangents.norm2Number().doubleValue();
        assertTrue(rel > 0.05, "relative gradient difference " + rel);
        // ... and zero tangents give the plain gradient and score (up to summation order).
        INDArray zeroTangents = input.dup();
        zeroTangents.get(NDArrayIndex.all(), NDArrayIndex.interval(D, (1 + K) * D)).assign(0);
        assertTrue(gradient(net, zeroTangents, y).sub(plain).norm2Number().doubleValue() < 1e-12);
    }

    private static INDArray gradient(MultiLayerNetwork net, INDArray x, INDArray y) {
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        return net.gradient().gradient().dup();
    }

    /**
     * The layers read their {@code [m, (1+k)·n]} input as one {@code [m·(1+k), n]} block, a free reshape
     * of a row-major array; a column-major input (a user's own array) must give the same score, gradients
     * and outputs, bit for bit, as its row-major copy.
     */
    @Test
    void aColumnMajorInputGivesTheSameScoreAndGradientsAsItsRowMajorCopy() {
        INDArray c = appended(4, K, 3);
        INDArray f = c.dup('f');
        INDArray y = oneHot(4, 3);
        MultiLayerNetwork a = net(Activation.SIGMOID, BETA, K);
        MultiLayerNetwork b = net(Activation.SIGMOID, BETA, K);
        a.setInput(c);
        a.setLabels(y);
        a.computeGradientAndScore();
        b.setInput(f);
        b.setLabels(y);
        b.computeGradientAndScore();
        assertEquals(a.score(), b.score(), 0.0);
        assertArrayEquals(a.gradient().gradient().dup('c').data().asDouble(), b.gradient().gradient().dup('c').data().asDouble(), 0.0);
        assertArrayEquals(a.output(c).dup('c').data().asDouble(), b.output(f).dup('c').data().asDouble(), 0.0);
    }

    @Test
    void configurationJsonAndModelFileRoundTrip() throws Exception {
        MultiLayerNetwork net = net(Activation.SOFTPLUS, BETA, K);
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        String json = conf.toJson();
        assertTrue(json.contains("\"beta\" : 0.8") && json.contains("\"tangents\" : 2"), json);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertEquals(conf, back);
        assertEquals(BETA, ((TangentPropOutputLayer) back.getConf(2).getLayer()).getBeta());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertArrayEquals(net.params().data().asDouble(), restored.params().data().asDouble());
        DataSet ds = new DataSet(appended(4, K, 8), oneHot(4, 3));
        assertEquals(net.score(ds), restored.score(ds), 0.0);
        assertArrayEquals(net.output(ds.getFeatures()).data().asDouble(), restored.output(ds.getFeatures()).data().asDouble());
    }

    @Test
    void wrongFeatureWidthNamesBothAllowedWidths() {
        MultiLayerNetwork net = net(Activation.TANH, BETA, K);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.output(Nd4j.zeros(DataType.DOUBLE, 2, 2 * D)));
        assertTrue(e.getMessage().contains("[2, 10]") && e.getMessage().contains("[m, 15]") && e.getMessage().contains("[m, 5]"),
                e.getMessage());
    }

    @Test
    void badSettingsFailAtBuildWithTheValueAndTheAllowedRange() {
        IllegalArgumentException noBeta = assertThrows(IllegalArgumentException.class,
                () -> new TangentPropOutputLayer.Builder().nIn(3).nOut(2).tangents(1).build());
        assertTrue(noBeta.getMessage().contains("beta") && noBeta.getMessage().contains("not set"), noBeta.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> new TangentPropOutputLayer.Builder().nIn(3).nOut(2).tangents(1).beta(-0.5).build());
        assertTrue(negative.getMessage().contains("got -0.5") && negative.getMessage().contains("(0, 1000000.0]"), negative.getMessage());
        IllegalArgumentException zeroK = assertThrows(IllegalArgumentException.class,
                () -> new TangentPropDenseLayer.Builder().nIn(3).nOut(2).build());
        assertTrue(zeroK.getMessage().contains("got 0"), zeroK.getMessage());
        IllegalArgumentException sigmoidOut = assertThrows(IllegalArgumentException.class,
                () -> new TangentPropOutputLayer.Builder().nIn(3).nOut(2).tangents(1).beta(1).activation(Activation.SIGMOID).build());
        assertTrue(sigmoidOut.getMessage().contains("SOFTMAX"), sigmoidOut.getMessage());
        IllegalArgumentException unsupported = assertThrows(IllegalArgumentException.class,
                () -> new TangentPropDenseLayer.Builder().nIn(3).nOut(2).tangents(1).activation(Activation.RELU6).build());
        assertTrue(unsupported.getMessage().contains("not supported"), unsupported.getMessage());
        IllegalArgumentException dropout = assertThrows(IllegalArgumentException.class,
                () -> new TangentPropDenseLayer.Builder().nIn(3).nOut(2).tangents(1).dropOut(0.5).build());
        assertTrue(dropout.getMessage().contains("dropout"), dropout.getMessage());
        // Jackson bypasses the builder: instantiation validates again.
        TangentPropOutputLayer viaJson = new TangentPropOutputLayer();
        viaJson.setNIn(3);
        viaJson.setNOut(2);
        viaJson.setTangents(1);
        viaJson.setLossFn(new org.nd4j.linalg.lossfunctions.impl.LossMCXENT());
        viaJson.setActivationFn(Activation.SOFTMAX.getActivationFunction());
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list().layer(viaJson).build();
        IllegalArgumentException atInit = assertThrows(IllegalArgumentException.class, () -> new MultiLayerNetwork(conf).init());
        assertTrue(atInit.getMessage().contains("beta"), atInit.getMessage());
    }
}
