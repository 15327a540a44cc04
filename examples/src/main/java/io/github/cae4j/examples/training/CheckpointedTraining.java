package io.github.cae4j.examples.training;

import io.github.cae4j.training.ShuffledBatchIterator;

import io.github.cae4j.io.ModelFiles;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Trains for a fixed number of epochs with a checkpoint after every epoch, and resumes from it:
 * a run killed at any moment and started again with the same arguments ends with the same
 * parameters, bit for bit, as a run that was never interrupted.
 *
 * <p>What makes that hold: the checkpoint is one file, written atomically, holding parameters,
 * updater state and DL4J's epoch and iteration counters (so Adam's bias correction continues
 * where it stopped); epoch {@code e} sees the minibatch order {@link ShuffledBatchIterator} derives
 * from (seed, e); and ND4J's global random generator (masking noise, dropout) is reseeded from
 * (seed, e) at the start of every epoch. A directory whose checkpoint holds another network
 * configuration than the run's is refused, naming what differs, rather than resumed.
 */
public final class CheckpointedTraining {

    private static final Logger log = LoggerFactory.getLogger(CheckpointedTraining.class);

    /** The checkpoint's file name in the run's directory. */
    public static final String CHECKPOINT = "checkpoint.zip";

    private static final int MAX_DIFFERENCES_SHOWN = 5;

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
     * @param configuration the network to train; a fresh run builds and initialises it (its seed
     *                      fixes the initial parameters), a resumed run checks that the checkpoint
     *                      holds this same configuration
     * @param train         the training data; its epoch is set before every epoch
     * @param listeners     added to the network (fresh or restored)
     * @return the trained network; the checkpoint holds the same state
     * @throws IllegalStateException if the directory's checkpoint holds another configuration (naming
     *                               the directory and what differs) or is beyond this run's epochs
     */
    public MultiLayerNetwork run(MultiLayerConfiguration configuration, ShuffledBatchIterator train,
                                 List<TrainingListener> listeners) throws IOException {
        if (configuration == null) {
            throw new IllegalArgumentException("CheckpointedTraining: configuration must not be null");
        }
        Path checkpoint = dir.resolve(CHECKPOINT);
        MultiLayerNetwork net;
        if (Files.exists(checkpoint)) {
            net = ModelFiles.load(checkpoint, true);
            requireSameConfiguration(checkpoint, net.getLayerWiseConfigurations(), configuration);
            log.info("resuming from {} after epoch {} of {}", checkpoint, net.getEpochCount(), epochs);
        } else {
            net = new MultiLayerNetwork(configuration.clone());
            net.init();
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

    /** Resuming another network than the one asked for would silently train the wrong model. */
    private void requireSameConfiguration(Path checkpoint, MultiLayerConfiguration saved, MultiLayerConfiguration asked) {
        List<String> differences = ConfigurationDiff.between(saved, asked);
        if (differences.isEmpty()) {
            return;
        }
        int shown = Math.min(differences.size(), MAX_DIFFERENCES_SHOWN);
        throw new IllegalStateException("CheckpointedTraining: " + dir + " holds a checkpoint (" + checkpoint.getFileName()
                + ") of another network configuration than this run's; differences (checkpoint vs this run): "
                + String.join("; ", differences.subList(0, shown))
                + (differences.size() > shown ? "; and " + (differences.size() - shown) + " more" : "")
                + ". Use another directory, or delete the checkpoint to start this configuration afresh");
    }
}
