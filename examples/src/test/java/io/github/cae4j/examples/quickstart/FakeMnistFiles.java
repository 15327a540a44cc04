package io.github.cae4j.examples.quickstart;

import io.github.cae4j.examples.testing.FakeMnist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The four MNIST IDX files, full size but fake ({@link FakeMnist}'s striped digits), written once per
 * test JVM and shared by the quickstart smoke tests. Full size because DL4J's MnistDataSetIterator
 * reads exactly 60,000 training and 10,000 test entries (shorter files fail with EOFException);
 * about 55 MB, written in about a second.
 */
final class FakeMnistFiles {

    private static Path dir;

    private FakeMnistFiles() {
    }

    static synchronized Path directory() throws IOException {
        if (dir == null) {
            Path d = Files.createTempDirectory("cae4j-quickstart-mnist");
            FakeMnist.writeFullMnist(d, false);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(d)));
            dir = d;
        }
        return dir;
    }

    private static void deleteTree(Path d) {
        try (Stream<Path> files = Files.walk(d)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
