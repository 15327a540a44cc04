package io.github.cae4j.training;

import io.github.cae4j.internal.GuardedStep;

import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.listener.EarlyStoppingListener;
import org.deeplearning4j.earlystopping.trainer.EarlyStoppingTrainer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.TreeMap;

/**
 * Runs DL4J's {@link EarlyStoppingTrainer} and returns what it found, correcting two traps of
 * DL4J 1.0.0-M2.1: the trainer catches exceptions and reports them only as a termination reason
 * (here they are rethrown, with DL4J's details), and {@code getBestModelScore()} returns 0 for a
 * cloned model (here the best score is read from the score-per-epoch map).
 *
 * @param best          the best model (a copy, as DL4J's model saver keeps it)
 * @param bestEpoch     0-based epoch of the best model
 * @param epochs        epochs run
 * @param bestScore     the score calculator's value for the best model
 * @param scoreVsEpoch  every evaluated epoch's score
 * @param termination   why training stopped
 * @param seconds       wall time
 */
public record EarlyStoppingRun(MultiLayerNetwork best, int bestEpoch, int epochs, double bestScore,
                               Map<Integer, Double> scoreVsEpoch, String termination, double seconds) {

    private static final Logger log = LoggerFactory.getLogger(EarlyStoppingRun.class);


    /**
     * Adds a {@link NonFiniteScoreGuard} to {@code net} for the run unless it has one already, and
     * removes the guard it added when the run ends; the network keeps its other listeners.
     *
     * @param pretrain true for DL4J's layer-wise {@code pretrain()} of a one-layer network, false for {@code fit()}
     * @throws IllegalStateException if training failed or produced no model; the message carries DL4J's details
     */
    public static EarlyStoppingRun run(String name, EarlyStoppingConfiguration<MultiLayerNetwork> config,
                                       MultiLayerNetwork net, DataSetIterator train, boolean pretrain,
                                       EarlyStoppingListener<MultiLayerNetwork> listener) {
        long start = System.nanoTime();
        if (!train.hasNext()) {
            train.reset();
            if (!train.hasNext()) {
                throw new IllegalArgumentException(name + ": the training iterator is empty");
            }
        }
        NonFiniteScoreGuard added = addGuardIfMissing(net);
        EarlyStoppingTrainer trainer = new EarlyStoppingTrainer(config, net, train, listener);
        EarlyStoppingResult<MultiLayerNetwork> result;
        try {
            result = pretrain ? trainer.pretrain() : trainer.fit();
        } catch (RuntimeException e) {
            throw new IllegalStateException(name + ": training failed before any model was saved: " + e, e);
        } finally {
            removeGuard(net, added);
        }
        if (result.getTerminationReason() == EarlyStoppingResult.TerminationReason.Error) {
            boolean diverged = String.valueOf(result.getTerminationDetails()).contains(TrainingDivergedException.class.getSimpleName());
            if (!diverged || result.getBestModel() == null || result.getScoreVsEpoch().isEmpty()) {
                throw new IllegalStateException(name + ": training failed: " + result.getTerminationDetails());
            }
            // a NaN/Inf score ends training, but the best model of the finished epochs is kept and returned
            log.error("{}: stopped: {}; keeping the best model so far (epoch {})", name, result.getTerminationDetails(),
                    result.getBestModelEpoch() + 1);
        }
        if (result.getBestModel() == null || result.getScoreVsEpoch().isEmpty()) {
            throw new IllegalStateException(name + ": training produced no model (" + result.getTerminationReason()
                    + ": " + result.getTerminationDetails() + ")");
        }
        Map<Integer, Double> scores = new TreeMap<>(result.getScoreVsEpoch());
        return new EarlyStoppingRun(result.getBestModel(), result.getBestModelEpoch(), result.getTotalEpochs(),
                scores.get(result.getBestModelEpoch()), scores,
                result.getTerminationReason() + ": " + result.getTerminationDetails(),
                (System.nanoTime() - start) / 1e9);
    }

    /** Adds a guard unless the caller's network has one, and returns the one added, or null. */
    private static NonFiniteScoreGuard addGuardIfMissing(MultiLayerNetwork net) {
        if (net.getListeners().stream().anyMatch(l -> l instanceof NonFiniteScoreGuard)) {
            return null;
        }
        NonFiniteScoreGuard guard = new NonFiniteScoreGuard();
        net.addListeners(guard);
        return guard;
    }

    /** Leaves the caller's network with the listeners it came with, so repeated runs do not pile up guards. */
    private static void removeGuard(MultiLayerNetwork net, NonFiniteScoreGuard added) {
        if (added == null) {
            return;
        }
        // the layers share this live list (DL4J passes it to them at init); addListeners() with no
        // argument then hands the list to the network's solver, which may hold an older copy
        net.getListeners().remove(added);
        net.addListeners();
        GuardedStep.disarm();       // the next step is no longer watched: its contractive layers must refuse NaN again
    }
}
