package io.github.cae4j.data;

import io.github.cae4j.testing.FakeMnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {

    private static final int[] LABELS = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 0};

    @TempDir
    Path dir;

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void readsEveryPixelAndLabelOfAFileTheTestWrote(boolean gzip) throws IOException {
        Path images = dir.resolve("img");
        Path labels = dir.resolve("lab");
        FakeMnist.writeIdx(images, labels, LABELS, gzip, 42);

        LabelledDigits digits = IdxReader.read(images, labels);

        assertArrayEquals(LABELS, digits.labels());
        assertEquals(784, digits.pixelsPerDigit());
        Random rng = new Random(42);
        float[] expected = new float[LABELS.length * 784];
        for (int i = 0; i < LABELS.length; i++) {
            for (int p = 0; p < 784; p++) {
                expected[i * 784 + p] = FakeMnist.pixelByte(LABELS[i], i, p, rng) / 255f;
            }
        }
        assertArrayEquals(expected, digits.pixels());
        assertEquals(1f, digits.oneHot().getFloat(0, 3));
        assertEquals(LABELS.length, digits.oneHot().sumNumber().doubleValue(), 0.0);
        assertArrayEquals(new long[]{LABELS.length, 784}, digits.features().shape());
    }

    @Test
    void truncatedImageFileIsRejectedNamingTheFile() throws IOException {
        Path images = dir.resolve("train-images-idx3-ubyte");
        Path labels = dir.resolve("train-labels-idx1-ubyte");
        FakeMnist.writeIdx(images, labels, LABELS, false, 1);
        byte[] all = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(all, all.length - 100));

        IOException e = assertThrows(IOException.class, () -> IdxReader.read(images, labels));
        assertTrue(e.getMessage().contains(images.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedGzipIsRejectedNamingTheFile() throws IOException {
        Path images = dir.resolve("img.gz");
        Path labels = dir.resolve("lab.gz");
        FakeMnist.writeIdx(images, labels, LABELS, true, 1);
        byte[] all = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(all, all.length / 2));

        IOException e = assertThrows(IOException.class, () -> IdxReader.read(images, labels));
        assertTrue(e.getMessage().contains(images.toString()), e.getMessage());
    }

    @Test
    void wrongMagicNumberIsRejected() throws IOException {
        Path images = dir.resolve("img");
        Path labels = dir.resolve("lab");
        FakeMnist.writeIdx(images, labels, LABELS, false, 1);
        // label file given as the image file
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(labels, labels));
        assertTrue(e.getMessage().contains(labels + ": not an IDX image file (magic number 2049"), e.getMessage());
        IOException e2 = assertThrows(IOException.class, () -> IdxReader.read(images, images));
        assertTrue(e2.getMessage().contains(images + ": not an IDX label file"), e2.getMessage());
    }

    @Test
    void trailingBytesAndCountMismatchAreRejected() throws IOException {
        Path images = dir.resolve("img");
        Path labels = dir.resolve("lab");
        FakeMnist.writeIdx(images, labels, LABELS, false, 1);
        Files.write(images, new byte[]{1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        IOException trailing = assertThrows(IOException.class, () -> IdxReader.read(images, labels));
        assertTrue(trailing.getMessage().contains("bytes after the data"), trailing.getMessage());

        Path fewer = dir.resolve("lab-fewer");
        FakeMnist.writeIdx(dir.resolve("img2"), fewer, Arrays.copyOf(LABELS, 5), false, 1);
        FakeMnist.writeIdx(images, labels, LABELS, false, 1);
        IOException mismatch = assertThrows(IOException.class, () -> IdxReader.read(images, fewer));
        assertTrue(mismatch.getMessage().contains("holds 15 images but") && mismatch.getMessage().contains("5 labels"),
                mismatch.getMessage());
    }

    @Test
    void labelThatIsNotADigitIsRejected() throws IOException {
        Path labels = dir.resolve("lab");
        Files.write(labels, ByteBuffer.allocate(10).putInt(2049).putInt(2).put((byte) 4).put((byte) 12).array());
        IOException e = assertThrows(IOException.class, () -> IdxReader.readLabels(labels));
        assertTrue(e.getMessage().contains("label 12 at index 1"), e.getMessage());
    }
}
