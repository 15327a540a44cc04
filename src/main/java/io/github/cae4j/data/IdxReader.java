package io.github.cae4j.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads MNIST's IDX files (big-endian: magic 2051, count, rows, cols, then one unsigned byte per
 * pixel; or magic 2049, count, then one byte per label), plain or gzipped (detected by content).
 * A file that is shorter or longer than its header promises, or has a wrong magic number, is
 * rejected with a message naming it: never a partial data set.
 */
public final class IdxReader {

    static final int IMAGES_MAGIC = 2051;
    static final int LABELS_MAGIC = 2049;

    private IdxReader() {
    }

    /** Images and labels of one split, pixels scaled to [0, 1]. */
    public static LabelledDigits read(Path images, Path labels) throws IOException {
        int[] y = readLabels(labels);
        try (DataInputStream in = open(images)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new IOException(images + ": not an IDX image file (magic number " + magic + ", expected " + IMAGES_MAGIC + ")");
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (count < 0 || rows <= 0 || cols <= 0) {
                throw new IOException(images + ": corrupt header (count " + count + ", rows " + rows + ", cols " + cols + ")");
            }
            if (count != y.length) {
                throw new IOException(images + " holds " + count + " images but " + labels + " holds " + y.length + " labels");
            }
            byte[] raw = new byte[Math.multiplyExact(Math.multiplyExact(count, rows), cols)];
            readFully(in, raw, images);
            requireEnd(in, images);
            float[] pixels = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                pixels[i] = (raw[i] & 0xFF) / 255f;
            }
            return new LabelledDigits(pixels, y, rows * cols);
        } catch (EOFException e) {
            throw new IOException(images + ": truncated IDX header", e);
        }
    }

    static int[] readLabels(Path labels) throws IOException {
        try (DataInputStream in = open(labels)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new IOException(labels + ": not an IDX label file (magic number " + magic + ", expected " + LABELS_MAGIC + ")");
            }
            int count = in.readInt();
            if (count < 0) {
                throw new IOException(labels + ": corrupt header (count " + count + ")");
            }
            byte[] raw = new byte[count];
            readFully(in, raw, labels);
            requireEnd(in, labels);
            int[] y = new int[count];
            for (int i = 0; i < count; i++) {
                y[i] = raw[i] & 0xFF;
                if (y[i] > 9) {
                    throw new IOException(labels + ": label " + y[i] + " at index " + i + " is not a digit 0-9");
                }
            }
            return y;
        } catch (EOFException e) {
            throw new IOException(labels + ": truncated IDX header", e);
        }
    }

    private static void readFully(DataInputStream in, byte[] into, Path file) throws IOException {
        try {
            in.readFully(into);
        } catch (EOFException e) {
            throw new IOException(file + ": truncated; the header promises " + into.length + " data bytes", e);
        }
    }

    private static void requireEnd(InputStream in, Path file) throws IOException {
        if (in.read() != -1) {
            throw new IOException(file + ": has bytes after the data its header describes");
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        return new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw);
    }
}
