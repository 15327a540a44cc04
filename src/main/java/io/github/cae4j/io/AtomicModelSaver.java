package io.github.cae4j.io;

import io.github.cae4j.io.ModelFiles;
import org.deeplearning4j.earlystopping.EarlyStoppingModelSaver;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An early-stopping model saver whose files are written atomically ({@link ModelFiles#saveAtomically}),
 * with updater state: {@code bestModel.zip} and {@code latestModel.zip} in a directory. Unlike DL4J's
 * {@code LocalFileModelSaver}, a crash during a save leaves the previous best model intact.
 */
public final class AtomicModelSaver implements EarlyStoppingModelSaver<MultiLayerNetwork> {

    public static final String BEST = "bestModel.zip";
    public static final String LATEST = "latestModel.zip";

    private final Path dir;

    public AtomicModelSaver(Path dir) {
        if (dir == null) {
            throw new IllegalArgumentException("AtomicModelSaver: directory must not be null");
        }
        this.dir = dir;
    }

    @Override
    public void saveBestModel(MultiLayerNetwork net, double score) throws IOException {
        ModelFiles.saveAtomically(net, dir.resolve(BEST), true);
    }

    @Override
    public void saveLatestModel(MultiLayerNetwork net, double score) throws IOException {
        ModelFiles.saveAtomically(net, dir.resolve(LATEST), true);
    }

    @Override
    public MultiLayerNetwork getBestModel() throws IOException {
        return Files.exists(dir.resolve(BEST)) ? ModelFiles.load(dir.resolve(BEST), true) : null;
    }

    @Override
    public MultiLayerNetwork getLatestModel() throws IOException {
        return Files.exists(dir.resolve(LATEST)) ? ModelFiles.load(dir.resolve(LATEST), true) : null;
    }
}
