package io.github.cae4j.examples.training;

import io.github.cae4j.training.ShuffledBatchIterator;

import io.github.cae4j.io.ModelFiles;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Trains for a fixed number of epochs with a checkpoint after every epoch, and resumes from it:
 * a run killed at any moment and started again with the same arguments ends with the same
 * parameters, bit for bit, as a run that was never interrupted.
 *
 * <p>What makes that hold: the checkpoint is one file, written atomically, holding parameters,
 * updater state and DL4J's epoch and iteration counters (so Adam's bias correction continues
 * where it stopped); epoch {@code e} sees the minibatch order {@link ShuffledBatchIterator} derives
 * from (seed, e); and ND4J's global random generator (masking noise, dropout) is reseeded from
 * (seed, e) at the start of every epoch.
 */
public final class CheckpointedTraining {

    private static final Logger log = LoggerFactory.getLogger(CheckpointedTraining.class);

    /** The checkpoint's file name in the run's directory. */
    public static final String CHECKPOINT = "checkpoint.zip";

    private final Path dir;
    private final int epochs;
    private final long seed;

    /**
     * @param dir    where {@value #CHECKPOINT} is kept
     * @param epochs total epochs of the run, > 0
     * @param seed   seeds ND4J's random generator per epoch
     */
    public CheckpointedTraining(Path dir, int epochs, long seed) {
        if (dir == null) {
            throw new IllegalArgumentException("CheckpointedTraining: directory must not be null");
        }
        if (epochs <= 0) {
            throw new IllegalArgumentException("CheckpointedTraining: epochs must be > 0, got " + epochs);
        }
        this.dir = dir;
        this.epochs = epochs;
        this.seed = seed;
    }

    /**
     * @param fresh     builds the initialised network when there is no checkpoint yet
     * @param train     the training data; its epoch is set before every epoch
     * @param listeners added to the network (fresh or restored)
     * @return the trained network; the checkpoint holds the same state
     */
    public MultiLayerNetwork run(Supplier<MultiLayerNetwork> fresh, ShuffledBatchIterator train,
                                 List<TrainingListener> listeners) throws IOException {
        Path checkpoint = dir.resolve(CHECKPOINT);
        MultiLayerNetwork net;
        if (Files.exists(checkpoint)) {
            net = ModelFiles.load(checkpoint, true);
            log.info("resuming from {} after epoch {} of {}", checkpoint, net.getEpochCount(), epochs);
        } else {
            net = fresh.get();
        }
        if (net.getEpochCount() > epochs) {
            throw new IllegalStateException(checkpoint + " is at epoch " + net.getEpochCount() + ", beyond this run's " + epochs
                    + " epochs; use another directory or more epochs");
        }
        net.setListeners(listeners);
        for (int e = net.getEpochCount(); e < epochs; e++) {
            Nd4j.getRandom().setSeed(seed * 1_000_003L + e);
            train.seekEpoch(e);
            net.fit(train);
            if (net.getEpochCount() != e + 1) {
                // fit(iterator) advances the counter in 1.0.0-M2.1; make the checkpoint say what was done either way
                net.setEpochCount(e + 1);
            }
            ModelFiles.saveAtomically(net, checkpoint, true);
        }
        return net;
    }
}
