package io.github.cae4j.layers;

import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.ExplicitJacobian;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.nn.api.Model;
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
        MultiLayerNetwork cae = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.0);
        assertEquals(0.0, cae.getLayer(0).calcRegularizationScore(true) - 0.0, 0.0);
        cae.score(new DataSet(x, x));
        assertEquals(0.0, cae.getLayer(0).calcRegularizationScore(true), 0.0);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s / v.length;
    }
}
