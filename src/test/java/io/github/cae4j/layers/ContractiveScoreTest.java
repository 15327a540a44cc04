package io.github.cae4j.layers;

import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.ExplicitJacobian;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The network score includes exactly λ · mean ‖J‖²_F, wherever DL4J reads a score. */
@ExtendWith(DoublePrecision.class)
class ContractiveScoreTest {

    @ParameterizedTest
    @EnumSource(ContractiveDenseLayerGradientTest.Supported.class)
    void scoreDifferenceEqualsLambdaTimesMeanJacobianNorm(ContractiveDenseLayerGradientTest.Supported s) {
        double lambda = 0.8;
        INDArray x = TinyNets.manifoldData(9, 6, 2, 31);
        DataSet ds = new DataSet(x, x);
        MultiLayerNetwork withPenalty = TinyNets.autoencoder(6, 4, s.activation, lambda);
        MultiLayerNetwork without = TinyNets.autoencoder(6, 4, s.activation, 0.0);
        without.setParams(withPenalty.params());

        double[] explicit = ExplicitJacobian.frobeniusSquared(withPenalty, 0, x, 1e-6);
        double expected = lambda * mean(explicit);
        assertEquals(expected, withPenalty.score(ds, false) - without.score(ds, false), 1e-6 * (1 + expected));
        assertEquals(expected, withPenalty.score(ds, true) - without.score(ds, true), 1e-6 * (1 + expected));
    }

    @Test
    void computeGradientAndScoreAndListenersSeeTheSameScore() {
        INDArray x = TinyNets.manifoldData(12, 6, 2, 37);
        DataSet ds = new DataSet(x, x);
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 1.5, new NoOp(), 5);
        List<Double> seen = new ArrayList<>();
        net.setListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                seen.add(model.score());
            }
        });
        double viaScore = net.score(ds, true);
        net.setInput(x);
        net.setLabels(x);
        net.computeGradientAndScore();
        assertEquals(viaScore, net.score(), 1e-12);
        net.fit(ds);    // NoOp updater: parameters do not move, so the listener must report the same number
        assertEquals(1, seen.size());
        assertEquals(viaScore, seen.get(0), 1e-12);
    }

    @Test
    void penaltyIsZeroWhenLambdaIsZero() {
        INDArray x = TinyNets.manifoldData(6, 6, 2, 41);
        DataSet ds = new DataSet(x, x);
        MultiLayerNetwork cae = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.0);
        MultiLayerNetwork twin = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.9);
        twin.setParams(cae.params());
        double scoreWithout = cae.score(ds);
        double scoreWith = twin.score(ds);
        assertEquals(0.0, cae.getLayer(0).calcRegularizationScore(true), 0.0);
        // the same forward pass with lambda 0.9 does give a penalty, so the zero above is lambda's doing
        // (read before ExplicitJacobian, whose forward passes replace the layer's latest penalty)
        double twinPenalty = twin.getLayer(0).calcRegularizationScore(true);
        double expected = 0.9 * mean(ExplicitJacobian.frobeniusSquared(twin, 0, x, 1e-6));
        assertTrue(expected > 1e-3, "the data must give a penalty worth checking: " + expected);
        assertEquals(expected, twinPenalty, 1e-6 * expected);
        assertEquals(expected, scoreWith - scoreWithout, 1e-6 * expected);
    }

    /**
     * Before any forward pass the layer has no Jacobian to penalise: its regularisation score is DL4J's
     * own (here l2 on W, {@code 0.5 · l2 · Σ W²}) and nothing else; after one it adds {@code λ · mean ‖J‖²_F}.
     */
    @Test
    void regularizationScoreIsDl4jsOwnBeforeAForwardPassAndAddsThePenaltyAfter() {
        double l2 = 0.03;
        double lambda = 0.6;
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(5).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER).list()
                .layer(new ContractiveDenseLayer.Builder().nIn(6).nOut(4).activation(Activation.TANH).lambda(lambda).l2(l2).build())
                .layer(new OutputLayer.Builder(TinyNets.bce()).nIn(4).nOut(6).activation(Activation.SIGMOID).build())
                .build());
        net.init();
        INDArray W = net.getLayer(0).getParam("W");
        double l2Score = 0.5 * l2 * W.mul(W).sumNumber().doubleValue();
        assertTrue(l2Score > 1e-3, "l2 term worth checking: " + l2Score);
        assertEquals(l2Score, net.getLayer(0).calcRegularizationScore(true), 1e-12 * l2Score, "before any forward pass");

        INDArray x = TinyNets.manifoldData(7, 6, 2, 43);
        net.score(new DataSet(x, x));
        double after = net.getLayer(0).calcRegularizationScore(true);
        double penalty = lambda * mean(ExplicitJacobian.frobeniusSquared(net, 0, x, 1e-6));
        assertTrue(penalty > 1e-3, "penalty worth checking: " + penalty);
        assertEquals(l2Score + penalty, after, 1e-6 * (l2Score + penalty), "after a forward pass");
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s / v.length;
    }
}
