package io.github.cae4j.training;

import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NonFiniteScoreGuardTest {

    /** Poisons the parameters after a given iteration, as a diverging update would. */
    private static final class Poison extends BaseTrainingListener {
        private final int atIteration;
        INDArray goodParams;

        Poison(int atIteration) {
            this.atIteration = atIteration;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            if (iteration == atIteration - 1) {
                goodParams = model.params().dup();
            }
            if (iteration == atIteration) {
                model.params().putScalar(0, Double.NaN);
            }
        }
    }

    @Test
    void divergenceStopsFitNamingEpochAndIterationAndRestoresTheLastGoodParameters() {
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.2, new Sgd(0.1), 1);
        Poison poison = new Poison(5);
        NonFiniteScoreGuard guard = new NonFiniteScoreGuard();
        net.setListeners(poison, guard);   // poison runs first, so the guard sees NaN parameters at iteration 5
        DataSet ds = TinyNets.autoencoderData(8, 6, 2);

        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> {
            for (int i = 0; i < 20; i++) {
                net.fit(ds);
            }
        });
        assertEquals(5, e.iteration());
        assertEquals(0, e.epoch());
        assertTrue(e.getMessage().contains("at epoch 0, iteration 5") && e.getMessage().contains("iteration 4"), e.getMessage());
        assertEquals(4, guard.lastGoodIteration());
        assertEquals(poison.goodParams, net.params(), "parameters are those after iteration 4");
    }

    @Test
    void aScoreThatExplodesIsCaughtOnTheFirstNonFiniteIteration() {
        // identity units, squared error and an absurd learning rate: the score overflows within a few steps
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.IDENTITY, 0.0, new Sgd(1e12), 1);
        net.setListeners(new NonFiniteScoreGuard());
        DataSet ds = TinyNets.autoencoderData(8, 6, 2);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> {
            for (int i = 0; i < 200; i++) {
                net.fit(ds);
            }
        });
        assertTrue(e.getMessage().startsWith("training diverged"), e.getMessage());
        assertTrue(Double.isFinite(net.params().sumNumber().doubleValue()), "the restored parameters are finite");
    }

    @Test
    void underEarlyStoppingTheBestModelOfFinishedEpochsIsKept() {
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.2, new Sgd(0.1), 1);
        DataSet data = TinyNets.autoencoderData(32, 6, 2);
        // 4 batches per epoch: poison at iteration 9, inside the third epoch
        net.setListeners(new Poison(9));
        EarlyStoppingConfiguration<MultiLayerNetwork> es = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(10))
                .scoreCalculator(new DataSetLossCalculator(ShuffledBatchIterator.of(data, 32, 0, false), true))
                .modelSaver(new InMemoryModelSaver<>()).evaluateEveryNEpochs(1).build();

        EarlyStoppingRun run = EarlyStoppingRun.run("diverging", es, net, ShuffledBatchIterator.of(data, 8, 3, true), false, null);

        assertTrue(run.bestEpoch() <= 1, "the best model comes from the two finished epochs, got epoch " + run.bestEpoch());
        assertTrue(run.termination().contains("TrainingDivergedException") && run.termination().contains("iteration 9"), run.termination());
        assertTrue(Double.isFinite(run.best().params().sumNumber().doubleValue()));
        assertTrue(Double.isFinite(run.bestScore()));
    }
}
