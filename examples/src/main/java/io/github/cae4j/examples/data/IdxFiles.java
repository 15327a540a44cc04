package io.github.cae4j.examples.data;

import io.github.cae4j.io.ModelFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Checks MNIST's four IDX files before DL4J's {@code MnistDataSetIterator} reads them, and gunzips
 * {@code .gz} copies into a cache keyed by their content, because that iterator reads only uncompressed files and reports
 * a truncated or foreign file as a bare {@code EOFException} or index error without its name.
 * Only headers, sizes and label bytes are looked at; the pixels are DL4J's to read.
 *
 * <p>IDX layout (big-endian): images are magic 2051, count, rows, cols, then one byte per pixel;
 * labels are magic 2049, count, then one byte per label.
 */
public final class IdxFiles {

    private static final Logger log = LoggerFactory.getLogger(IdxFiles.class);

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
     * otherwise a directory of {@code cache} named after the content of {@code dir}'s four files
     * (size and SHA-256 of each, plain or {@code .gz}), into which the {@code .gz} files are
     * decompressed and the plain ones copied, once. Two data sets whose files have the same names
     * (MNIST and Fashion-MNIST) therefore never share a decompressed file. Every file is checked
     * (header, size, labels) before it is used, also when it comes from the cache: a cached file that
     * fails is decompressed again; a source whose content fails is refused, naming it. Each file is
     * written under a temporary name and renamed, so an interrupted run leaves no partial file.
     *
     * @throws IOException naming the file that is missing, cannot be decompressed, or holds no
     *                     complete MNIST IDX content
     */
    static Path uncompressed(Path dir, Path cache) throws IOException {
        return uncompressed(dir, cache, TRAIN_COUNT, TEST_COUNT);
    }

    /** {@link #uncompressed(Path, Path)} for files of other digit counts (tests use small ones). */
    static Path uncompressed(Path dir, Path cache, int trainCount, int testCount) throws IOException {
        boolean allPlain = true;
        for (String name : MnistData.IDX_FILES) {
            allPlain &= Files.isRegularFile(dir.resolve(name));
        }
        if (allPlain) {
            return dir;
        }
        List<Path> sources = new ArrayList<>();
        for (String name : MnistData.IDX_FILES) {
            Path plain = dir.resolve(name);
            Path gz = dir.resolve(name + ".gz");
            if (!Files.isRegularFile(plain) && !Files.isRegularFile(gz)) {
                throw new IOException(dir + ": has neither " + name + " nor " + name + ".gz");
            }
            sources.add(Files.isRegularFile(plain) ? plain : gz);
        }
        Path entry = cache.resolve("idx-" + contentKey(sources));
        Files.createDirectories(entry);
        int[] counts = {trainCount, trainCount, testCount, testCount};
        for (int i = 0; i < sources.size(); i++) {
            Path source = sources.get(i);
            Path target = entry.resolve(MnistData.IDX_FILES[i]);
            if (Files.isRegularFile(target)) {
                try {
                    require(target, i, counts[i]);
                    continue;
                } catch (IOException stale) {
                    log.warn("{}: the cached copy of {} fails its check ({}); decompressing it again", target, source, stale.getMessage());
                    Files.delete(target);
                }
            }
            writeUncompressed(source, target);
            try {
                require(target, i, counts[i]);
            } catch (IOException bad) {
                Files.deleteIfExists(target);
                throw new IOException(source + ": does not hold a complete MNIST IDX file (" + bad.getMessage() + ")", bad);
            }
        }
        return entry;
    }

    /** The check for {@code MnistData.IDX_FILES[index]}: train images, train labels, test images, test labels. */
    private static void require(Path file, int index, int count) throws IOException {
        if (index % 2 == 0) {
            requireImages(file, count);
        } else {
            requireLabels(file, count);
        }
    }

    /** 16 hex digits of a SHA-256 over each source's kind, size and SHA-256: the same files, the same key. */
    private static String contentKey(List<Path> sources) throws IOException {
        StringBuilder id = new StringBuilder();
        for (Path source : sources) {
            id.append(source.getFileName()).append(' ').append(Files.size(source)).append(' ')
                    .append(MnistData.sha256(source)).append('\n');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Gunzips ({@code .gz}) or copies {@code source} to {@code target} atomically ({@link ModelFiles#writeAtomically}). */
    private static void writeUncompressed(Path source, Path target) throws IOException {
        boolean gz = source.getFileName().toString().endsWith(".gz");
        try {
            ModelFiles.writeAtomically(target, out -> {
                try (InputStream raw = new BufferedInputStream(Files.newInputStream(source), 1 << 16);
                     InputStream in = gz ? new GZIPInputStream(raw, 1 << 16) : raw) {
                    in.transferTo(out);
                }
            });
        } catch (IOException e) {
            throw new IOException(source + ": cannot be " + (gz ? "decompressed" : "copied") + " (" + e.getMessage() + ")", e);
        }
    }
}
