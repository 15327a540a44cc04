package io.github.cae4j.examples.data;

import io.github.cae4j.examples.testing.FakeMnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks that run before DL4J's MNIST reader: each bad file is refused with its name and what is
 * wrong, so DL4J never sees a partial or foreign file (it would fail without a name, or try to download).
 */
class IdxFilesTest {

    @TempDir
    Path dir;

    /** An IDX image file whose header says {@code count} 28x28 images, followed by {@code dataBytes} bytes. */
    private Path images(String name, int magic, int count, long dataBytes) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(magic);
        d.writeInt(count);
        d.writeInt(28);
        d.writeInt(28);
        d.write(new byte[(int) dataBytes]);
        return Files.write(dir.resolve(name), b.toByteArray());
    }

    private static String message(ThrowingRunnable r) {
        return assertThrows(IOException.class, r::run).getMessage();
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws IOException;
    }

    @Test
    void truncatedImageFileIsRefusedNamingIt() throws IOException {
        Path f = images("t10k-images-idx3-ubyte", IdxFiles.IMAGES_MAGIC, 10_000, 10_000L * 784 - 1);
        String m = message(() -> IdxFiles.requireImages(f, 10_000));
        assertTrue(m.startsWith(f + ": truncated") && m.contains(String.valueOf(16 + 10_000L * 784)), m);
    }

    @Test
    void trailingBytesAreRefused() throws IOException {
        Path f = images("t10k-images-idx3-ubyte", IdxFiles.IMAGES_MAGIC, 10_000, 10_000L * 784 + 3);
        String m = message(() -> IdxFiles.requireImages(f, 10_000));
        assertTrue(m.startsWith(f.toString()) && m.contains("3 bytes after the data"), m);
    }

    @Test
    void wrongMagicAndWrongCountAreRefused() throws IOException {
        Path labelsAsImages = images("train-images-idx3-ubyte", IdxFiles.LABELS_MAGIC, 60_000, 60_000L * 784);
        assertTrue(message(() -> IdxFiles.requireImages(labelsAsImages, 60_000)).contains("magic number 2049, expected 2051"));
        Path fewer = images("t10k-images-idx3-ubyte", IdxFiles.IMAGES_MAGIC, 9_999, 9_999L * 784);
        assertTrue(message(() -> IdxFiles.requireImages(fewer, 10_000)).contains("holds 9999 digits; MNIST's file holds 10000"));
        Path headerOnly = Files.write(dir.resolve("cut"), new byte[]{0, 0, 8});
        assertTrue(message(() -> IdxFiles.requireImages(headerOnly, 10_000)).contains("truncated IDX header"));
    }

    @Test
    void labelThatIsNotADigitIsRefusedWithItsIndex() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(IdxFiles.LABELS_MAGIC);
        d.writeInt(10_000);
        byte[] labels = new byte[10_000];
        labels[4321] = 12;
        d.write(labels);
        Path f = Files.write(dir.resolve("t10k-labels-idx1-ubyte"), b.toByteArray());
        assertTrue(message(() -> IdxFiles.requireLabels(f, 10_000)).contains("label 12 at index 4321 is not a digit"));
    }

    @Test
    void missingFileIsNamedWithTheFilesFullMnistNeeds() {
        String m = message(() -> IdxFiles.requireCompleteMnist(dir));
        assertTrue(m.contains(dir.resolve("train-images-idx3-ubyte") + ": missing") && m.contains("t10k-labels-idx1-ubyte"), m);
    }

    @Test
    void gzippedFilesAreDecompressedIntoTheCacheByteForByte() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        int[] labels = FakeMnist.cyclicLabels(30);
        for (int k = 0; k < 4; k += 2) {
            FakeMnist.writeIdx(src.resolve(MnistData.IDX_FILES[k] + ".gz"), src.resolve(MnistData.IDX_FILES[k + 1] + ".gz"), labels, true, k);
        }
        Path cache = dir.resolve("cache");
        assertEquals(cache, IdxFiles.uncompressed(src, cache));
        byte[] expected = FakeMnist.pixelBytes(labels, 0);
        byte[] actual = Files.readAllBytes(cache.resolve("train-images-idx3-ubyte"));
        assertEquals(16 + expected.length, actual.length);
        assertArrayEquals(expected, java.util.Arrays.copyOfRange(actual, 16, actual.length));
        // a directory with the plain files is used as it is
        assertEquals(cache, IdxFiles.uncompressed(cache, dir.resolve("other")));
    }

    @Test
    void corruptGzipIsRefusedNamingIt() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        for (String name : MnistData.IDX_FILES) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(src.resolve(name + ".gz")))) {
                out.write(new byte[1000]);
            }
        }
        byte[] whole = Files.readAllBytes(src.resolve("train-images-idx3-ubyte.gz"));
        Files.write(src.resolve("train-images-idx3-ubyte.gz"), java.util.Arrays.copyOf(whole, whole.length / 2));
        String m = message(() -> IdxFiles.uncompressed(src, dir.resolve("cache")));
        assertTrue(m.startsWith(src.resolve("train-images-idx3-ubyte.gz") + ": cannot be decompressed"), m);
        assertTrue(Files.notExists(dir.resolve("cache").resolve("train-images-idx3-ubyte")), "no partial file is left under the final name");
    }
}
