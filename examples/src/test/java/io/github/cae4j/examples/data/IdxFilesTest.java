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
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

    /** A directory of the four files of {@code n} digits each, gzipped, pixels drawn with {@code seed}. */
    private Path gzipped(String name, int n, long seed) throws IOException {
        Path src = Files.createDirectories(dir.resolve(name));
        int[] labels = FakeMnist.cyclicLabels(n);
        for (int k = 0; k < 4; k += 2) {
            FakeMnist.writeIdx(src.resolve(MnistData.IDX_FILES[k] + ".gz"), src.resolve(MnistData.IDX_FILES[k + 1] + ".gz"),
                    labels, true, seed + k);
        }
        return src;
    }

    private static byte[] pixelsOf(Path imagesFile) throws IOException {
        byte[] all = Files.readAllBytes(imagesFile);
        return java.util.Arrays.copyOfRange(all, 16, all.length);
    }

    @Test
    void gzippedFilesAreDecompressedIntoTheCacheByteForByte() throws IOException {
        Path src = gzipped("src", 30, 0);
        Path cache = dir.resolve("cache");
        Path plain = IdxFiles.uncompressed(src, cache, 30, 30);
        assertEquals(cache, plain.getParent());
        assertArrayEquals(FakeMnist.pixelBytes(FakeMnist.cyclicLabels(30), 0), pixelsOf(plain.resolve("train-images-idx3-ubyte")));
        assertArrayEquals(FakeMnist.pixelBytes(FakeMnist.cyclicLabels(30), 2), pixelsOf(plain.resolve("t10k-images-idx3-ubyte")));
        // a directory with the plain files is used as it is
        assertEquals(plain, IdxFiles.uncompressed(plain, dir.resolve("other"), 30, 30));
    }

    @Test
    void twoDirectoriesOfGzippedFilesWithTheSameNamesGetTheirOwnPixels() throws IOException {
        // MNIST and Fashion-MNIST use the same four file names
        Path mnist = gzipped("mnist", 30, 0);
        Path fashion = gzipped("fashion", 30, 100);
        Path cache = dir.resolve("cache");

        Path fromMnist = IdxFiles.uncompressed(mnist, cache, 30, 30);
        Path fromFashion = IdxFiles.uncompressed(fashion, cache, 30, 30);

        assertArrayEquals(FakeMnist.pixelBytes(FakeMnist.cyclicLabels(30), 100), pixelsOf(fromFashion.resolve("train-images-idx3-ubyte")),
                "the second directory's pixels, not the first one's");
        assertNotEquals(fromMnist, fromFashion);
        assertArrayEquals(FakeMnist.pixelBytes(FakeMnist.cyclicLabels(30), 0), pixelsOf(IdxFiles.uncompressed(mnist, cache, 30, 30)
                .resolve("train-images-idx3-ubyte")));
        // the same files found again use the same decompressed copy
        assertEquals(fromMnist, IdxFiles.uncompressed(mnist, cache, 30, 30));
    }

    @Test
    void aCachedFileThatFailsItsCheckIsDecompressedAgain() throws IOException {
        Path src = gzipped("src", 30, 0);
        Path cache = dir.resolve("cache");
        Path plain = IdxFiles.uncompressed(src, cache, 30, 30);
        Path images = plain.resolve("train-images-idx3-ubyte");
        byte[] whole = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(whole, whole.length - 100));   // as a full disk or a crash might leave it

        assertEquals(plain, IdxFiles.uncompressed(src, cache, 30, 30));
        assertArrayEquals(whole, Files.readAllBytes(images));
    }

    @Test
    void aGzipWhoseContentIsNotAnIdxFileIsRefusedNamingIt() throws IOException {
        Path src = gzipped("src", 30, 0);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(src.resolve("t10k-labels-idx1-ubyte.gz")))) {
            out.write("<html>404 Not Found</html>".getBytes());
        }
        Path cache = dir.resolve("cache");
        String m = message(() -> IdxFiles.uncompressed(src, cache, 30, 30));
        assertTrue(m.startsWith(src.resolve("t10k-labels-idx1-ubyte.gz") + ": does not hold a complete MNIST IDX file")
                && m.contains("not an IDX label file"), m);
        try (var entries = Files.list(cache)) {
            Path entry = entries.findFirst().orElseThrow();
            assertTrue(Files.notExists(entry.resolve("t10k-labels-idx1-ubyte")), "the bad file is not kept");
        }
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
        try (var entries = Files.list(dir.resolve("cache"))) {
            Path entry = entries.findFirst().orElseThrow();
            try (var left = Files.list(entry)) {
                assertEquals(List.of(), left.toList(), "no partial file is left, under the final name or a temporary one");
            }
        }
    }
}
