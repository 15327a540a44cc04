package io.github.cae4j.training;

import io.github.cae4j.testing.Exact;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import io.github.cae4j.layers.ContractiveDenseLayer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    /**
     * Puts a NaN into the gradient of one iteration after the score is known and before the updater
     * runs, as an overflowing backward pass would: Adam's moments and then the parameters become NaN.
     */
    private static final class PoisonGradient extends BaseTrainingListener {
        private final int atIteration;
        private boolean done;

        PoisonGradient(int atIteration) {
            this.atIteration = atIteration;
        }

        @Override
        public void onGradientCalculation(Model model) {
            // once: the failed iteration is not counted, so the next fit has the same iteration number
            if (!done && ((MultiLayerNetwork) model).getIterationCount() == atIteration) {
                done = true;
                model.gradient().gradient().putScalar(0, Double.NaN);
            }
        }
    }

    /**
     * Puts a huge but finite value into one gradient element: Adam's second moment {@code g²} overflows to
     * Inf while its first moment, the update ({@code m / sqrt(Inf) = 0}), the parameters and the score stay
     * finite, so only the updater state shows the damage (and the parameter silently stops learning).
     */
    private static final class OverflowingGradient extends BaseTrainingListener {
        private final int atIteration;

        OverflowingGradient(int atIteration) {
            this.atIteration = atIteration;
        }

        @Override
        public void onGradientCalculation(Model model) {
            if (org.deeplearning4j.optimize.solvers.BaseOptimizer.getIterationCount(model) == atIteration) {
                model.gradient().gradient().putScalar(0, 1e200);
            }
        }
    }

    private static double[] updaterState(MultiLayerNetwork net) {
        return net.getUpdater().getStateViewArray().toDoubleVector();
    }

    @Test
    void afterADivergenceTheNextCleanFitGoesOnAsIfTheFailedStepHadNotHappened() {
        DataSet ds = TinyNets.autoencoderData(8, 6, 2);
        MultiLayerNetwork guarded = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.2, new Adam(0.01), 1);
        MultiLayerNetwork reference = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.2, new Adam(0.01), 1);
        guarded.setListeners(new PoisonGradient(3), new NonFiniteScoreGuard(1));
        for (int i = 0; i < 3; i++) {
            guarded.fit(ds);
            reference.fit(ds);
        }
        double[] paramsBefore = guarded.params().toDoubleVector();
        double[] stateBefore = updaterState(guarded);

        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> guarded.fit(ds));
        assertEquals(3, e.iteration());
        assertTrue(e.getMessage().contains("restored to the state iteration 3 started from"), e.getMessage());
        assertArrayEquals(paramsBefore, guarded.params().toDoubleVector(), 0.0, "parameters");
        assertArrayEquals(stateBefore, updaterState(guarded), 0.0, "Adam's moments");

        for (int i = 0; i < 5; i++) {
            guarded.fit(ds);
            reference.fit(ds);
        }
        assertTrue(Double.isFinite(guarded.score()), "score " + guarded.score());
        assertArrayEquals(reference.params().toDoubleVector(), guarded.params().toDoubleVector(), 0.0,
                "the failed step leaves no trace: same parameters as a run without it");
        assertArrayEquals(updaterState(reference), updaterState(guarded), 0.0);
    }

    @Test
    void aStepThatLeavesInfInTheUpdaterStateWithFiniteParametersIsUndone() {
        DataSet ds = TinyNets.autoencoderData(8, 6, 2);
        MultiLayerNetwork guarded = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.2, new Adam(0.01), 1);
        MultiLayerNetwork reference = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.2, new Adam(0.01), 1);
        guarded.setListeners(new OverflowingGradient(3), new NonFiniteScoreGuard(1));
        for (int i = 0; i < 3; i++) {
            guarded.fit(ds);
            reference.fit(ds);
        }
        INDArray paramsBefore = guarded.params().dup();
        INDArray stateBefore = guarded.getUpdater().getStateViewArray().dup();

        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> guarded.fit(ds));
        assertEquals(3, e.iteration());
        assertTrue(e.getMessage().contains("updater state") && e.getMessage().contains("restored to the state iteration 3 started from"),
                e.getMessage());
        Exact.assertBitIdentical(paramsBefore, guarded.params(), "parameters");
        Exact.assertBitIdentical(stateBefore, guarded.getUpdater().getStateViewArray(), "Adam's moments");
        guarded.setListeners(new NonFiniteScoreGuard(1));
        guarded.fit(ds);
        reference.fit(ds);
        Exact.assertBitIdentical(reference.params(), guarded.params(), "the next fit goes on as if the step had not happened");
    }

    /**
     * Checks and snapshots every 4 steps: snapshots before iterations 0 and 4, checks after iterations 3
     * and 7. Adam's state overflows at iteration 6 with finite parameters and score; the check after
     * iteration 7 catches it and puts back the state iteration 4 started from, bit for bit.
     */
    @Test
    void withChecksEveryFourStepsADivergenceGoesBackToTheLatestSnapshot() {
        DataSet ds = TinyNets.autoencoderData(8, 6, 2);
        MultiLayerNetwork guarded = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.2, new Adam(0.01), 1);
        MultiLayerNetwork reference = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.2, new Adam(0.01), 1);
        NonFiniteScoreGuard guard = new NonFiniteScoreGuard(4);
        guarded.setListeners(new OverflowingGradient(6), guard);
        for (int i = 0; i < 7; i++) {
            guarded.fit(ds);
        }
        assertTrue(Double.isInfinite(guarded.getUpdater().getStateViewArray().sumNumber().doubleValue())
                && Double.isFinite(guarded.params().sumNumber().doubleValue()), "unchecked yet: Inf in Adam's state only");
        for (int i = 0; i < 4; i++) {
            reference.fit(ds);
        }
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> guarded.fit(ds));
        assertEquals(7, e.iteration());
        assertTrue(e.getMessage().contains("updater state became NaN/Inf with finite parameters")
                && e.getMessage().contains("restored to the state iteration 4 started from"), e.getMessage());
        assertEquals(3, guard.lastGoodIteration());
        Exact.assertBitIdentical(reference.params(), guarded.params(), "parameters after 4 steps");
        Exact.assertBitIdentical(reference.getUpdater().getStateViewArray(), guarded.getUpdater().getStateViewArray(),
                "updater state after 4 steps");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new NonFiniteScoreGuard(0));
        assertEquals("NonFiniteScoreGuard: checkEvery must be >= 1, got 0", bad.getMessage());
    }

    /** fit(DataSetIterator) checks at the end of each epoch, so a run never ends with an unchecked state. */
    @Test
    void theEndOfAnEpochChecksTheStepsSinceTheLastCheck() {
        DataSet ds = TinyNets.autoencoderData(16, 6, 2);
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.2, new Adam(0.01), 1);
        net.setListeners(new OverflowingGradient(1), new NonFiniteScoreGuard(10));
        // one epoch of 2 batches: iteration 1 overflows Adam's state, and is the epoch's last step
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> net.fit(ShuffledBatchIterator.of(ds, 8, 0, false)));
        assertEquals(1, e.iteration());
        assertTrue(e.getMessage().contains("restored to the state iteration 0 started from"), e.getMessage());
        assertTrue(Double.isFinite(net.getUpdater().getStateViewArray().sumNumber().doubleValue()));
    }

    /** A NaN score right after a check (iteration 4 with checks after 3) goes back to the snapshot before iteration 0. */
    @Test
    void aNonFiniteScoreBetweenSnapshotsGoesBackToTheLatestSnapshot() {
        DataSet ds = TinyNets.autoencoderData(8, 6, 2);
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.2, new Adam(0.01), 1);
        MultiLayerNetwork twin = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.2, new Adam(0.01), 1);
        net.setListeners(new NonFiniteScoreGuard(5));
        for (int i = 0; i < 4; i++) {
            net.fit(ds);
        }
        DataSet nanLabels = ds.copy();
        nanLabels.getLabels().putScalar(0, 0, Double.NaN);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> net.fit(nanLabels));
        assertEquals(4, e.iteration());
        assertTrue(e.getMessage().contains("score became NaN") && e.getMessage().contains("restored to the state iteration 0 started from"),
                e.getMessage());
        Exact.assertBitIdentical(twin.params(), net.params(), "the initial parameters");
        Exact.assertBitIdentical(twin.getUpdater().getStateViewArray(), net.getUpdater().getStateViewArray(), "a fresh updater state");
    }

    /** A ComputationGraph keeps its updater apart from a network's: the guard must restore that one. */
    @Test
    void aComputationGraphGetsItsParametersAndUpdaterStateBack() {
        ComputationGraph g = new ComputationGraph(new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .seed(1).dataType(org.nd4j.linalg.api.buffer.DataType.DOUBLE).updater(new Adam(0.01)).graphBuilder()
                .addInputs("in")
                .addLayer("enc", new io.github.cae4j.layers.ContractiveDenseLayer.Builder().nIn(6).nOut(4)
                        .activation(Activation.SIGMOID).lambda(0.2).build(), "in")
                .addLayer("dec", new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(TinyNets.bce()).nIn(4).nOut(6)
                        .activation(Activation.SIGMOID).build(), "enc")
                .setOutputs("dec").build());
        g.init();
        g.setListeners(new OverflowingGradient(2), new NonFiniteScoreGuard(1));
        DataSet ds = TinyNets.autoencoderData(8, 6, 2);
        g.fit(ds);
        g.fit(ds);
        INDArray paramsBefore = g.params().dup();
        INDArray stateBefore = g.getUpdater().getStateViewArray().dup();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> g.fit(ds));
        assertTrue(e.getMessage().contains("updater state became NaN/Inf"), e.getMessage());
        Exact.assertBitIdentical(paramsBefore, g.params(), "graph parameters");
        Exact.assertBitIdentical(stateBefore, g.getUpdater().getStateViewArray(), "graph updater state");
    }

    /** A network handed over with NaN in a parameter the score does not read is refused before any update. */
    @Test
    void aNetworkThatStartsWithNaNParametersIsRefusedChangingNothing() {
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.2, new Adam(0.01), 1);
        net.getLayer(0).getParam("vb").putScalar(0, Double.NaN);   // the pretraining-only visible bias
        INDArray before = net.params().dup();
        net.setListeners(new NonFiniteScoreGuard(10));
        DataSet ds = TinyNets.autoencoderData(8, 6, 2);
        assertTrue(Double.isFinite(net.score(ds)), "the score does not see it");
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> net.fit(ds));
        assertEquals(0, e.iteration());
        assertTrue(e.getMessage().contains("parameters or updater state are NaN/Inf") && e.getMessage().contains("nothing to restore"),
                e.getMessage());
        Exact.assertBitIdentical(before, net.params(), "nothing changed");
    }

    /** One guard on two networks of different sizes keeps a snapshot of the right one. */
    @Test
    void aGuardMovedToAnotherNetworkSnapshotsThatNetwork() {
        NonFiniteScoreGuard guard = new NonFiniteScoreGuard(1);
        MultiLayerNetwork small = TinyNets.autoencoder(6, 3, Activation.SIGMOID, 0.2, new Adam(0.01), 1);
        small.setListeners(guard);
        small.fit(TinyNets.autoencoderData(8, 6, 2));
        MultiLayerNetwork wide = TinyNets.autoencoder(9, 5, Activation.SIGMOID, 0.2, new Adam(0.01), 1);
        wide.setListeners(new PoisonGradient(1), guard);
        DataSet ds = TinyNets.autoencoderData(8, 9, 2);
        wide.fit(ds);
        INDArray paramsBefore = wide.params().dup();
        INDArray stateBefore = wide.getUpdater().getStateViewArray().dup();
        assertThrows(TrainingDivergedException.class, () -> wide.fit(ds));
        Exact.assertBitIdentical(paramsBefore, wide.params(), "the wide network's own parameters");
        Exact.assertBitIdentical(stateBefore, wide.getUpdater().getStateViewArray(), "the wide network's own updater state");
    }

    /** The fast check is a sum; finite values whose float sum overflows must not be taken for a divergence. */
    @Test
    void finiteParametersWhoseSumOverflowsAreNotADivergence() {
        MultiLayerNetwork net = new MultiLayerNetwork(TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.2, new Adam(0.01), 1)
                .getLayerWiseConfigurations().clone());
        net.init();
        // the visible bias of a ContractiveDenseLayer is pretraining-only: supervised fit neither reads nor moves it
        INDArray vb = net.getLayer(0).getParam("vb");
        vb.putScalar(0, 1.7e308);
        vb.putScalar(1, 1.7e308);
        assertTrue(Double.isInfinite(net.params().sumNumber().doubleValue()), "the sum overflows");
        net.setListeners(new NonFiniteScoreGuard(1));
        DataSet ds = TinyNets.autoencoderData(8, 6, 2);
        for (int i = 0; i < 3; i++) {
            net.fit(ds);
        }
        assertEquals(1.7e308, net.getLayer(0).getParam("vb").getDouble(1), 0.0);
    }

    @Test
    void divergenceAtTheFirstStepRestoresTheInitialStateBitForBit() {
        DataSet ds = TinyNets.autoencoderData(8, 6, 2);
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.2, new Adam(0.01), 1);
        MultiLayerNetwork twin = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.2, new Adam(0.01), 1);
        double[] initial = net.params().toDoubleVector();
        net.setListeners(new PoisonGradient(0), new NonFiniteScoreGuard(1));

        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> net.fit(ds));
        assertEquals(0, e.iteration());
        assertArrayEquals(initial, net.params().toDoubleVector(), 0.0, "initial parameters, bit for bit");
        assertArrayEquals(updaterState(twin), updaterState(net), 0.0, "a fresh updater state");

        net.fit(ds);
        twin.fit(ds);
        assertArrayEquals(twin.params().toDoubleVector(), net.params().toDoubleVector(), 0.0);
    }

    @Test
    void aNonFiniteScoreChangesNothingAtTheFirstStep() {
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.2, new Adam(0.01), 1);
        double[] initial = net.params().toDoubleVector();
        net.setListeners(new NonFiniteScoreGuard());
        DataSet ds = TinyNets.autoencoderData(8, 6, 2);
        ds.getLabels().putScalar(0, 0, Double.NaN);   // a NaN label: finite input, NaN score

        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> net.fit(ds));
        assertTrue(e.getMessage().contains("score became NaN") && e.getMessage().contains("changed nothing"), e.getMessage());
        assertArrayEquals(initial, net.params().toDoubleVector(), 0.0);
        assertTrue(Double.isFinite(net.getUpdater().getStateViewArray().sumNumber().doubleValue()));
    }

    @Test
    void divergenceStopsFitNamingEpochAndIterationAndRestoresTheLastGoodParameters() {
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.2, new Sgd(0.1), 1);
        Poison poison = new Poison(5);
        NonFiniteScoreGuard guard = new NonFiniteScoreGuard(1);
        net.setListeners(poison, guard);   // poison runs first, so the guard sees NaN parameters at iteration 5
        DataSet ds = TinyNets.autoencoderData(8, 6, 2);

        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> {
            for (int i = 0; i < 20; i++) {
                net.fit(ds);
            }
        });
        assertEquals(5, e.iteration());
        assertEquals(0, e.epoch());
        assertTrue(e.getMessage().contains("parameters became NaN/Inf") && e.getMessage().contains("at epoch 0, iteration 5")
                && e.getMessage().contains("the state iteration 5 started from"), e.getMessage());
        assertEquals(4, guard.lastGoodIteration());
        assertArrayEquals(poison.goodParams.toDoubleVector(), net.params().toDoubleVector(), 0.0,
                "parameters are those after iteration 4");
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
        assertTrue(Double.isFinite(net.score(ds)), "the restored parameters score finite, got " + net.score(ds));
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

    /**
     * A contractive layer in the middle of a stack refuses a NaN/Inf input during the forward pass, before
     * any score exists: with checks every 4 steps, NaN parameters in the layer below (put there after
     * iteration 5, not a check step) must still be caught at the next step and the snapshot taken before
     * iteration 4 put back, not left in the network behind the layer's IllegalArgumentException.
     */
    @Test
    void nanParametersBelowAContractiveLayerBetweenChecksAreCaughtAndRestored() {
        DataSet ds = TinyNets.autoencoderData(8, 6, 2);
        MultiLayerNetwork net = midStack();
        MultiLayerNetwork reference = midStack();
        NonFiniteScoreGuard guard = new NonFiniteScoreGuard(4);
        net.setListeners(new Poison(5), guard);
        for (int i = 0; i < 6; i++) {
            net.fit(ds);
        }
        assertTrue(Double.isNaN(net.params().getDouble(0)), "poisoned after iteration 5, unchecked yet");
        for (int i = 0; i < 4; i++) {
            reference.fit(ds);
        }
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> net.fit(ds));
        assertEquals(6, e.iteration());
        assertTrue(e.getMessage().contains("restored to the state iteration 4 started from"), e.getMessage());
        Exact.assertBitIdentical(reference.params(), net.params(), "parameters after 4 steps");
        Exact.assertBitIdentical(reference.getUpdater().getStateViewArray(), net.getUpdater().getStateViewArray(),
                "updater state after 4 steps");
    }

    /** Without a guard the layer still refuses the NaN input the diverged layer below hands it, naming itself. */
    @Test
    void withoutAGuardTheContractiveLayerStillRefusesTheNanInput() {
        DataSet ds = TinyNets.autoencoderData(8, 6, 2);
        MultiLayerNetwork net = midStack();
        net.setListeners(new Poison(1));
        net.fit(ds);
        net.fit(ds);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.fit(ds));
        assertTrue(e.getMessage().contains("(layer index 1): input contains 8 NaN/Inf"), e.getMessage());
    }

    /**
     * A guard arms the step after the one it checked; a user who removes it between two
     * {@code fit(DataSet)} calls must get the layer's own refusal of a NaN input in that step, not a
     * NaN let through for a guard that is no longer there to restore anything.
     */
    @Test
    void aGuardRemovedBetweenStepsNoLongerLetsANanInputThrough() {
        DataSet ds = TinyNets.autoencoderData(8, 6, 2);
        MultiLayerNetwork net = midStack();
        net.setListeners(new NonFiniteScoreGuard(1));
        net.fit(ds);
        net.setListeners();
        net.getLayer(0).getParam("W").putScalar(0, Double.NaN);   // the layer below diverged, no guard watching
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.fit(ds));
        assertTrue(e.getMessage().contains("(layer index 1): input contains"), e.getMessage());
    }

    /** Dense(tanh) → ContractiveDenseLayer → decoder, Adam. */
    private static MultiLayerNetwork midStack() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.DOUBLE).updater(new Adam(0.01)).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH).build())
                .layer(new ContractiveDenseLayer.Builder().nIn(5).nOut(4).activation(Activation.SIGMOID).lambda(0.2).build())
                .layer(new OutputLayer.Builder(TinyNets.bce()).nIn(4).nOut(6).activation(Activation.SIGMOID).build())
                .build());
        net.init();
        return net;
    }
}
