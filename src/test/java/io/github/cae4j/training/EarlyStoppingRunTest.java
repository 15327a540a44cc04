package io.github.cae4j.training;

import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.listener.EarlyStoppingListener;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.optimize.listeners.CollectScoresIterationListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EarlyStoppingRunTest {

    /** Counts the guards on the network while the run is going on. */
    private static final class GuardsDuringRun implements EarlyStoppingListener<MultiLayerNetwork> {
        final List<Long> guardsPerEpoch = new ArrayList<>();

        @Override
        public void onStart(EarlyStoppingConfiguration<MultiLayerNetwork> esConfig, MultiLayerNetwork net) {
        }

        @Override
        public void onEpoch(int epochNum, double score, EarlyStoppingConfiguration<MultiLayerNetwork> esConfig, MultiLayerNetwork net) {
            guardsPerEpoch.add(net.getListeners().stream().filter(l -> l instanceof NonFiniteScoreGuard).count());
        }

        @Override
        public void onCompletion(EarlyStoppingResult<MultiLayerNetwork> result) {
        }
    }

    private static EarlyStoppingConfiguration<MultiLayerNetwork> twoEpochs(DataSet data) {
        return new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(2))
                .scoreCalculator(new DataSetLossCalculator(ShuffledBatchIterator.of(data, 16, 0, false), true))
                .modelSaver(new InMemoryModelSaver<>()).evaluateEveryNEpochs(1).build();
    }

    @Test
    void repeatedRunsDoNotPileUpGuards() {
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.2, new Adam(0.01), 1);
        TrainingListener own = new CollectScoresIterationListener();
        net.setListeners(own);
        DataSet data = TinyNets.autoencoderData(16, 6, 2);

        for (int run = 0; run < 3; run++) {
            GuardsDuringRun guards = new GuardsDuringRun();
            EarlyStoppingRun.run("run " + run, twoEpochs(data), net, ShuffledBatchIterator.of(data, 8, run, true), false, guards);
            assertEquals(List.of(1L, 1L), guards.guardsPerEpoch, "one guard while run " + run + " trains");
            assertEquals(List.of(own), new ArrayList<>(net.getListeners()), "after run " + run);
        }
    }

    @Test
    void noGuardIsLeftInTheNetworksSolver() {
        // not yet initialised: DL4J builds the network's solver during the run, from a copy of the listeners
        MultiLayerNetwork net = new MultiLayerNetwork(
                TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.2, new Adam(0.01), 1).getLayerWiseConfigurations().clone());
        DataSet data = TinyNets.autoencoderData(16, 6, 2);

        EarlyStoppingRun.run("once", twoEpochs(data), net, ShuffledBatchIterator.of(data, 8, 0, true), false, null);

        assertEquals(List.of(), new ArrayList<>(net.getListeners()));
        DataSet nanLabels = data.copy();
        nanLabels.getLabels().putScalar(0, 0, Double.NaN);
        assertDoesNotThrow(() -> net.fit(nanLabels), "a NaN score no longer stops fit");
        assertTrue(Double.isNaN(net.score()));
    }

    @Test
    void aGuardTheCallerAddedIsUsedAndKept() {
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.2, new Adam(0.01), 1);
        NonFiniteScoreGuard own = new NonFiniteScoreGuard();
        net.setListeners(own);
        DataSet data = TinyNets.autoencoderData(16, 6, 2);
        GuardsDuringRun guards = new GuardsDuringRun();

        EarlyStoppingRun.run("own guard", twoEpochs(data), net, ShuffledBatchIterator.of(data, 8, 0, true), false, guards);

        assertEquals(List.of(1L, 1L), guards.guardsPerEpoch);
        assertEquals(1, net.getListeners().size());
        assertSame(own, net.getListeners().iterator().next());
    }
}
