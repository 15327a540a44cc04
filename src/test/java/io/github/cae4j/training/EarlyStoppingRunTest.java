package io.github.cae4j.training;

import io.github.cae4j.layers.ContractiveDenseLayer;
import io.github.cae4j.pretrain.TiedObjectiveScoreCalculator;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.listener.EarlyStoppingListener;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.optimize.listeners.CollectScoresIterationListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
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

    /** Makes the parameters NaN after one iteration, as a diverging update would. */
    private static final class PoisonParams extends BaseTrainingListener {
        private final int atIteration;

        PoisonParams(int atIteration) {
            this.atIteration = atIteration;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            if (iteration == atIteration) {
                model.params().putScalar(0, Double.NaN);
            }
        }
    }

    @Test
    void theGuardAlsoWatchesLayerwisePretraining() {
        // a tied CAE alone: DL4J's pretrain() trains the layer itself, and the listeners see the layer, not the network
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE)
                .updater(new Adam(0.01)).weightInit(WeightInit.XAVIER).list()
                .layer(new ContractiveDenseLayer.Builder().nIn(6).nOut(4).activation(Activation.SIGMOID).lambda(0.2).build())
                .build());
        net.init();
        INDArray x = TinyNets.manifoldData(32, 6, 2, 2);
        net.addListeners(new PoisonParams(9));   // 4 batches per epoch: inside the third epoch
        EarlyStoppingConfiguration<MultiLayerNetwork> es = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(10))
                .scoreCalculator(new TiedObjectiveScoreCalculator(x, 32))
                .modelSaver(new InMemoryModelSaver<>()).evaluateEveryNEpochs(1).build();

        EarlyStoppingRun run = EarlyStoppingRun.run("tied", es, net, ShuffledBatchIterator.autoencoder(x, 8, 3, true), true, null);

        assertTrue(run.termination().contains("TrainingDivergedException") && run.termination().contains("iteration 9"),
                run.termination());
        assertTrue(run.bestEpoch() <= 1, "best of the two finished epochs, got " + run.bestEpoch());
        assertTrue(Double.isFinite(run.best().params().sumNumber().doubleValue()));
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
