package io.github.cae4j.layers;

import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link ContractiveDenseLayer} inside DL4J's {@code FrozenLayerWithBackprop}, with a trainable layer
 * below it. The wrapper runs the layer's forward pass in inference mode and reports no regularization
 * score for it, so the objective DL4J trains and reports is the data loss through the frozen layer's
 * inference function; the epsilon the frozen layer hands down must be that objective's gradient.
 */
@ExtendWith(DoublePrecision.class)
class FrozenWithBackpropTest {

    private static MultiLayerNetwork net(String variant) {
        ContractiveDenseLayer.Builder cae = new ContractiveDenseLayer.Builder().nIn(5).nOut(4).activation(Activation.SIGMOID)
                .lambda(0.8);
        switch (variant) {
            case "dropout" -> cae.dropOut(0.6);
            case "noise" -> cae.corruptionLevel(0.3).gaussianNoise(0.2);
            case "higherOrder" -> cae.higherOrder(5.0, 0.3, 2);
            default -> { }
        }
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(42).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH).build())
                .layer(new FrozenLayerWithBackprop(variant.equals("control")
                        ? new DenseLayer.Builder().nIn(5).nOut(4).activation(Activation.SIGMOID).build() : cae.build()))
                .layer(new OutputLayer.Builder(TinyNets.bce()).nIn(4).nOut(6).activation(Activation.SIGMOID).build())
                .build());
        net.init();
        net.params().muli(2.0);       // weights large enough that the penalty's input gradient is not negligible
        return net;
    }

    /** The trainable layer below the frozen CAE: its gradient against central differences of the training score. */
    @ParameterizedTest
    @ValueSource(strings = {"control", "plain", "dropout", "noise", "higherOrder"})
    void theLayerBelowGetsTheGradientOfTheScoreDl4jReports(String variant) {
        MultiLayerNetwork net = net(variant);
        INDArray x = TinyNets.manifoldData(5, 6, 2, 7);
        DataSet ds = new DataSet(x, x);
        Nd4j.getRandom().setSeed(11);
        net.setInput(x);
        net.setLabels(x);
        net.computeGradientAndScore();
        INDArray analytic = net.gradient().getGradientFor("0_W").dup();
        INDArray w = net.getLayer(0).getParam("W");
        double step = 1e-6;
        double worst = 0;
        for (int i = 0; i < w.length(); i++) {
            long r = i / w.size(1);
            long c = i % w.size(1);
            double orig = w.getDouble(r, c);
            w.putScalar(r, c, orig + step);
            Nd4j.getRandom().setSeed(11);
            double plus = net.score(ds, true);
            w.putScalar(r, c, orig - step);
            Nd4j.getRandom().setSeed(11);
            double minus = net.score(ds, true);
            w.putScalar(r, c, orig);
            double numeric = (plus - minus) / (2 * step) * x.size(0);    // the gradient is a batch sum
            double a = analytic.getDouble(r, c);
            if (Math.abs(a - numeric) > 1e-8) {
                worst = Math.max(worst, Math.abs(a - numeric) / (Math.abs(a) + Math.abs(numeric)));
            }
        }
        assertTrue(worst < 1e-5, variant + ": layer 0's W gradient, max relative error " + worst);
    }
}
