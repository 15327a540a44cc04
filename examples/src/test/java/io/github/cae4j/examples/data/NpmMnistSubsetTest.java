package io.github.cae4j.examples.data;

import io.github.cae4j.examples.testing.FakeMnist;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpmMnistSubsetTest {

    private static final int[] PER_DIGIT = {3, 4, 2, 5, 3, 3, 4, 2, 3, 6};

    @TempDir
    Path dir;

    @Test
    void readsTheTarballDigitByDigitWithExactValues() throws IOException {
        Path tgz = FakeMnist.writeNpmTarball(dir.resolve(NpmMnistSubset.TARBALL), PER_DIGIT, 7);

        LabelledDigits digits = NpmMnistSubset.read(tgz);

        assertEquals(Arrays.stream(PER_DIGIT).sum(), digits.count());
        Random rng = new Random(7);
        int row = 0;
        for (int d = 0; d < 10; d++) {
            for (int i = 0; i < PER_DIGIT[d]; i++, row++) {
                assertEquals(d, digits.labels()[row]);
                for (int p = 0; p < 784; p++) {
                    int b = FakeMnist.pixelByte(d, i, p, rng);
                    assertEquals(b / 255f, digits.pixels()[row * 784 + p], 0f, "digit " + d + " #" + i + " pixel " + p);
                }
            }
        }
    }

    @Test
    void readsAnExtractedPackageDirectoryTheSameAsTheTarball() throws IOException {
        Path tgz = FakeMnist.writeNpmTarball(dir.resolve(NpmMnistSubset.TARBALL), PER_DIGIT, 7);
        Path extracted = dir.resolve("x");
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(Files.newInputStream(tgz)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextTarEntry()) != null) {
                Path out = extracted.resolve(e.getName());
                Files.createDirectories(out.getParent());
                Files.copy(tar, out);
            }
        }
        LabelledDigits fromDir = NpmMnistSubset.read(extracted);
        LabelledDigits fromTgz = NpmMnistSubset.read(tgz);
        assertArrayEquals(fromTgz.labels(), fromDir.labels());
        assertArrayEquals(fromTgz.pixels(), fromDir.pixels());
    }

    @Test
    void truncatedTarballIsRejectedNamingTheFile() throws IOException {
        Path tgz = FakeMnist.writeNpmTarball(dir.resolve(NpmMnistSubset.TARBALL), PER_DIGIT, 7);
        byte[] all = Files.readAllBytes(tgz);
        Files.write(tgz, Arrays.copyOf(all, all.length * 2 / 3));

        IOException e = assertThrows(IOException.class, () -> NpmMnistSubset.read(tgz));
        assertTrue(e.getMessage().startsWith(tgz.toString()), e.getMessage());
    }

    @Test
    void garbageIsRejectedNamingTheFile() throws IOException {
        Path tgz = dir.resolve(NpmMnistSubset.TARBALL);
        Files.write(tgz, "not a tarball at all".getBytes());
        IOException e = assertThrows(IOException.class, () -> NpmMnistSubset.read(tgz));
        assertTrue(e.getMessage().contains(tgz.toString()), e.getMessage());
    }

    @Test
    void missingDigitFileIsRejected() throws IOException {
        Path tgz = FakeMnist.writeNpmTarball(dir.resolve(NpmMnistSubset.TARBALL), Arrays.copyOf(PER_DIGIT, 9), 7);
        IOException e = assertThrows(IOException.class, () -> NpmMnistSubset.read(tgz));
        assertTrue(e.getMessage().contains("has no package/src/digits/9.json"), e.getMessage());
    }

    @Test
    void valueOutsideUnitIntervalOrPartialDigitIsRejected() throws IOException {
        Path pkg = dir.resolve("pkg");
        Path digits = Files.createDirectories(pkg.resolve("package/src/digits"));
        String ok = "{\"data\":[" + String.join(",", java.util.Collections.nCopies(784, "0.5")) + "]}";
        for (int d = 0; d < 10; d++) {
            Files.writeString(digits.resolve(d + ".json"), ok);
        }
        Files.writeString(digits.resolve("4.json"), ok.replaceFirst("0\\.5", "3.0"));
        IOException range = assertThrows(IOException.class, () -> NpmMnistSubset.read(pkg));
        assertTrue(range.getMessage().contains("4.json: value 3.0 at index 0 is outside [0, 1]"), range.getMessage());

        Files.writeString(digits.resolve("4.json"), ok.replaceFirst("0\\.5,", ""));
        IOException partial = assertThrows(IOException.class, () -> NpmMnistSubset.read(pkg));
        assertTrue(partial.getMessage().contains("783 values is not a whole number"), partial.getMessage());
    }
}
