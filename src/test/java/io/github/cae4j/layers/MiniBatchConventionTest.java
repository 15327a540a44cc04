package io.github.cae4j.layers;

import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.ExplicitJacobian;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.NoOp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's {@code miniBatch} flag decides whether scores are batch means ({@code true}, the default) or
 * batch sums ({@code false}); its updater divides gradients by the batch size only in the first case.
 * The penalty's score, supervised and in tied pretraining, must follow the same flag, or score and
 * gradient disagree.
 */
@ExtendWith(DoublePrecision.class)
class MiniBatchConventionTest {

    private static final double LAMBDA = 0.7;

    private static MultiLayerNetwork autoencoder(boolean miniBatch) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(12345).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER).miniBatch(miniBatch)
                .list()
                .layer(new ContractiveDenseLayer.Builder().nIn(6).nOut(4).activation(Activation.TANH).lambda(LAMBDA)
                        .reconstructionLoss(TinyNets.bce()).visibleBiasInit(0.1).build())
                .layer(new OutputLayer.Builder(TinyNets.bce()).nIn(4).nOut(6).activation(Activation.SIGMOID).build())
                .build());
        net.init();
        return net;
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void supervisedGradientsMatchFiniteDifferencesOfTheScore(boolean miniBatch) {
        MultiLayerNetwork net = autoencoder(miniBatch);
        INDArray x = TinyNets.manifoldData(5, 6, 2, 7);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(x)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8).print(GradientCheckUtil.PrintMode.FAILURES_ONLY)),
                "gradient check failed with miniBatch(" + miniBatch + ")");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void pretrainGradientsMatchFiniteDifferencesOfTheScore(boolean miniBatch) {
        MultiLayerNetwork net = autoencoder(miniBatch);
        net.initGradientsView();
        INDArray x = TinyNets.manifoldData(5, 6, 2, 13);
        assertTrue(GradientCheckUtil.checkGradientsPretrainLayer(net.getLayer(0), 1e-6, 1e-5, 1e-8, false, false, x, 12345),
                "pretrain gradient check failed with miniBatch(" + miniBatch + ")");
    }

    /** With miniBatch(false) the penalty enters the score as λ Σ_n ‖J(x_n)‖², the sum over the batch. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void thePenaltyInTheScoreIsASumExactlyWhenTheLossIs(boolean miniBatch) {
        INDArray x = TinyNets.manifoldData(7, 6, 2, 31);
        DataSet ds = new DataSet(x, x);
        MultiLayerNetwork net = autoencoder(miniBatch);
        double[] explicit = ExplicitJacobian.frobeniusSquared(net, 0, x, 1e-6);
        double sum = 0;
        for (double v : explicit) {
            sum += v;
        }
        double expectedPenalty = LAMBDA * (miniBatch ? sum / explicit.length : sum);
        double withoutPenalty = new OutputLayerOnly(net).score(ds);
        assertEquals(expectedPenalty, net.score(ds, false) - withoutPenalty, 1e-6 * (1 + expectedPenalty));
        assertEquals(expectedPenalty, net.getLayer(0).calcRegularizationScore(true), 1e-6 * (1 + expectedPenalty));

        // tied pretraining objective: reconstruction + penalty, summed or averaged the same way
        net.initGradientsView();
        var layer = (ContractiveDenseLayerImpl) net.getLayer(0);
        layer.setInput(x, LayerWorkspaceMgr.noWorkspaces());
        layer.computeGradientAndScore(LayerWorkspaceMgr.noWorkspaces());
        double meanObjective = layer.tiedObjective(x);
        assertEquals(miniBatch ? meanObjective : meanObjective * x.size(0), layer.score(), 1e-9 * (1 + Math.abs(layer.score())));
    }

    /** The same network with λ = 0: its score is the reconstruction term alone. */
    private record OutputLayerOnly(MultiLayerNetwork withPenalty) {
        double score(DataSet ds) {
            MultiLayerNetwork copy = withPenalty.clone();
            ((ContractiveDenseLayer) copy.getLayerWiseConfigurations().getConf(0).getLayer()).setLambda(0.0);
            return copy.score(ds, false);
        }
    }
}
