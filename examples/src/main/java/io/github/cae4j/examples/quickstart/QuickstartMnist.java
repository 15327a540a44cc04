package io.github.cae4j.examples.quickstart;

import org.deeplearning4j.datasets.fetchers.MnistDataFetcher;
import org.deeplearning4j.datasets.iterator.impl.MnistDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.SplitTestAndTrain;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * MNIST for the quickstart examples, read by DL4J's own {@link MnistDataSetIterator} from a local
 * directory, so nothing is downloaded at run time. {@code scripts/fetch-mnist} puts the four IDX
 * files in {@code ~/.cache/cae4j/mnist-data} (or {@code $CAE4J_DATA_DIR/mnist-data}) and prints that
 * directory; any directory holding the four uncompressed files works. Pixels are scaled to [0, 1],
 * labels are one-hot digits {@code [n, 10]}.
 */
public final class QuickstartMnist {

    /** The files DL4J's iterator reads; without them it would try to download MNIST from the web. */
    public static final List<String> FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private QuickstartMnist() {
    }

    /** Where {@code scripts/fetch-mnist} puts the files: {@code $CAE4J_DATA_DIR/mnist-data}, default {@code ~/.cache/cae4j/mnist-data}. */
    public static Path defaultDir() {
        String cache = System.getenv("CAE4J_DATA_DIR");
        Path base = cache == null || cache.isBlank() ? Path.of(System.getProperty("user.home"), ".cache", "cae4j") : Path.of(cache);
        return base.resolve("mnist-data");
    }

    /**
     * A seeded random sample of {@code nTrain + nValid} of the 60,000 training digits, split into
     * {@code getTrain()} ({@code nTrain} digits to train on) and {@code getTest()} ({@code nValid}
     * held-out digits for early stopping, so that the test digits are only used for the final report).
     */
    public static SplitTestAndTrain trainAndValidation(Path dir, int nTrain, int nValid, long seed) throws IOException {
        requireFiles(dir);
        if (nTrain <= 0 || nValid <= 0 || nTrain + nValid > MnistDataFetcher.NUM_EXAMPLES) {
            throw new IllegalArgumentException("MNIST: training and validation digits must be > 0 and together <= "
                    + MnistDataFetcher.NUM_EXAMPLES + ", got " + nTrain + " and " + nValid);
        }
        int n = nTrain + nValid;
        // batch = n: one next() returns the whole sample. binarize = false keeps grey levels (/255);
        // train = true reads the 60,000-digit files; shuffle with a seed picks a random, repeatable sample.
        DataSet sample = new MnistDataSetIterator(n, n, false, true, true, seed, dir.toFile()).next();
        return sample.splitTestAndTrain(nTrain);
    }

    /** The first {@code n} of the 10,000 test digits, in minibatches of {@code batchSize}. */
    public static DataSetIterator test(Path dir, int n, int batchSize) throws IOException {
        requireFiles(dir);
        if (n <= 0 || n > MnistDataFetcher.NUM_EXAMPLES_TEST) {
            throw new IllegalArgumentException("MNIST: test digits must be in [1, " + MnistDataFetcher.NUM_EXAMPLES_TEST + "], got " + n);
        }
        return new MnistDataSetIterator(batchSize, n, false, false, false, 0, dir.toFile());
    }

    /** @throws IllegalArgumentException naming the directory and the missing files, and how to get them */
    public static void requireFiles(Path dir) {
        List<String> missing = FILES.stream().filter(f -> !Files.isRegularFile(dir.resolve(f))).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("MNIST: " + dir.toAbsolutePath() + " lacks " + missing + ". Run scripts/fetch-mnist"
                    + " (it prints the directory it fills) or pass --data-dir DIR with the four uncompressed IDX files " + FILES);
        }
    }
}
