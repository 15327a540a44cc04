package io.github.cae4j.examples.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;

/**
 * Checks MNIST's four IDX files before DL4J's {@code MnistDataSetIterator} reads them, and gunzips
 * {@code .gz} copies into a cache, because that iterator reads only uncompressed files and reports
 * a truncated or foreign file as a bare {@code EOFException} or index error without its name.
 * Only headers, sizes and label bytes are looked at; the pixels are DL4J's to read.
 *
 * <p>IDX layout (big-endian): images are magic 2051, count, rows, cols, then one byte per pixel;
 * labels are magic 2049, count, then one byte per label.
 */
public final class IdxFiles {

    static final int IMAGES_MAGIC = 2051;
    static final int LABELS_MAGIC = 2049;
    /** DL4J's iterator reads exactly this many training and test digits. */
    static final int TRAIN_COUNT = 60_000;
    static final int TEST_COUNT = 10_000;

    private IdxFiles() {
    }

    /**
     * Checks that {@code dir} holds the four uncompressed IDX files of full MNIST, complete.
     *
     * @throws IOException naming the file that is missing, truncated, too long, of the wrong kind,
     *                     holding the wrong number of digits, or a label that is not 0-9
     */
    public static void requireCompleteMnist(Path dir) throws IOException {
        String[] names = MnistData.IDX_FILES;
        requireImages(dir.resolve(names[0]), TRAIN_COUNT);
        requireLabels(dir.resolve(names[1]), TRAIN_COUNT);
        requireImages(dir.resolve(names[2]), TEST_COUNT);
        requireLabels(dir.resolve(names[3]), TEST_COUNT);
    }

    static void requireImages(Path file, int expectedCount) throws IOException {
        try (DataInputStream in = header(file)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new IOException(file + ": not an IDX image file (magic number " + magic + ", expected " + IMAGES_MAGIC + ")");
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (rows != 28 || cols != 28) {
                throw new IOException(file + ": images are " + rows + "x" + cols + ", MNIST's are 28x28");
            }
            requireCount(file, count, expectedCount);
            requireSize(file, 16 + (long) count * rows * cols);
        } catch (EOFException e) {
            throw new IOException(file + ": truncated IDX header", e);
        }
    }

    static void requireLabels(Path file, int expectedCount) throws IOException {
        try (DataInputStream in = header(file)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new IOException(file + ": not an IDX label file (magic number " + magic + ", expected " + LABELS_MAGIC + ")");
            }
            int count = in.readInt();
            requireCount(file, count, expectedCount);
            requireSize(file, 8 + (long) count);
            byte[] labels = in.readNBytes(count);
            for (int i = 0; i < labels.length; i++) {
                if ((labels[i] & 0xFF) > 9) {
                    throw new IOException(file + ": label " + (labels[i] & 0xFF) + " at index " + i + " is not a digit 0-9");
                }
            }
        } catch (EOFException e) {
            throw new IOException(file + ": truncated IDX header", e);
        }
    }

    private static DataInputStream header(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": missing (full MNIST needs " + String.join(", ", MnistData.IDX_FILES)
                    + ", uncompressed or .gz, in one directory)");
        }
        return new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
    }

    private static void requireCount(Path file, int count, int expected) throws IOException {
        if (count != expected) {
            throw new IOException(file + ": holds " + count + " digits; MNIST's file holds " + expected);
        }
    }

    private static void requireSize(Path file, long expected) throws IOException {
        long actual = Files.size(file);
        if (actual < expected) {
            throw new IOException(file + ": truncated; " + actual + " bytes, the header promises " + expected);
        }
        if (actual > expected) {
            throw new IOException(file + ": has " + (actual - expected) + " bytes after the data its header describes");
        }
    }

    /**
     * The directory to hand to DL4J: {@code dir} itself when it holds the four files uncompressed,
     * otherwise {@code cache}, into which the {@code .gz} files of {@code dir} are decompressed once
     * (each written to a temporary name and renamed, so an interrupted run leaves no partial file).
     *
     * @throws IOException naming the file that is missing or cannot be decompressed
     */
    static Path uncompressed(Path dir, Path cache) throws IOException {
        boolean allPlain = true;
        for (String name : MnistData.IDX_FILES) {
            allPlain &= Files.isRegularFile(dir.resolve(name));
        }
        if (allPlain) {
            return dir;
        }
        Files.createDirectories(cache);
        for (String name : MnistData.IDX_FILES) {
            Path plain = dir.resolve(name);
            Path target = cache.resolve(name);
            if (Files.isRegularFile(plain)) {
                if (!plain.toAbsolutePath().equals(target.toAbsolutePath())) {
                    Files.copy(plain, target, StandardCopyOption.REPLACE_EXISTING);
                }
                continue;
            }
            if (Files.isRegularFile(target)) {
                continue;   // decompressed by an earlier run (renamed into place whole); checked again by the caller
            }
            Path gz = dir.resolve(name + ".gz");
            if (!Files.isRegularFile(gz)) {
                throw new IOException(dir + ": has neither " + name + " nor " + name + ".gz");
            }
            Path tmp = Files.createTempFile(cache, "." + name + "-", ".tmp");
            try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(gz), 1 << 16), 1 << 16)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new IOException(gz + ": cannot be decompressed (" + e.getMessage() + ")", e);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return cache;
    }
}
