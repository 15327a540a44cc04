package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.data.MnistSplits;
import io.github.cae4j.examples.tangents.TangentFigure;
import io.github.cae4j.io.ModelFiles;
import io.github.cae4j.pretrain.PretrainedAutoencoder;
import io.github.cae4j.pretrain.PretrainedStack;
import io.github.cae4j.tangents.ManifoldTangents;
import io.github.cae4j.tangents.TangentOptions;
import io.github.cae4j.tangents.Tangents;
import io.github.cae4j.training.EarlyStoppingProgressLogger;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The MTC row's encoders and tangents for one seed (Rifai et al., NIPS 2011, steps 1 and 2): layer 1
 * is the CAE+H row's chosen setting pretrained with that seed (the CAE+H row's own file), layer 2 a
 * CAE+H with the same lambda, gamma, sigma, copies and length pretrained on layer 1's codes (the MTC
 * row's file), and the tangents are the leading right singular vectors of the Jacobian of the top
 * layer, {@code J = J_2 J_1}, at each of the training digits ({@link ManifoldTangents}).
 *
 * <p>The tangents are computed once per seed with the grid's largest k and stored: a candidate with a
 * smaller k takes the leading k (the iteration ran with more vectors, so they are at least as
 * accurate as a run with k). Storage, as docs/tangents.md plans it: HALF precision (2 bytes a number:
 * 784 MB for 50,000 digits at k = 10, against 1.57 GB in FLOAT), in chunks of {@value #CHUNK} rows
 * under {@code checkpoints/mtc/seed-<s>/tangents/}, {@code tangents.json} written last (a missing or
 * half-written file means "compute again"). Each chunk is one {@link ManifoldTangents#compute} from the
 * same seeded start: the iteration stops before convergence, so a digit's tangents depend (slightly) on
 * its start vectors, which are fixed by its place in its chunk; a rerun gives the same bits. For training, the digits and their k tangents are laid
 * side by side, {@code [x | u_1 | ... | u_k]} in FLOAT, the input {@code TangentPropDenseLayer} takes
 * (as {@code TangentAppendingIterator} builds it), so that {@code ShuffledBatchIterator.seekEpoch}
 * gives every epoch the same order whether a run is resumed or not. Validation and test digits stay
 * plain: the layers accept either width.
 */
final class MtcTangents {

    static final String RECORD = "tangents.json";
    static final String DATA = "tangents-half.bin";
    static final int CHUNK = 1000;
    /** Digits between progress lines (about a minute apart on 2 cores at k = 8). */
    private static final int PROGRESS_EVERY = 5000;
    private static final Logger log = LoggerFactory.getLogger(MtcTangents.class);

    private MtcTangents() {
    }

    /** The CAE+H row's choice, whose setting the MTC's two layers are pretrained with. */
    static Candidate encoder(Training t) throws IOException {
        Candidate c = Selection.chosenIfKnown(t, Table1Row.CAE_H);
        if (c == null) {
            throw new IllegalStateException("the MTC row needs the CAE+H row's choice, and its selection has not finished");
        }
        return c;
    }

    /** The two layers of {@code seed}, loaded only when a fine-tuning starts from scratch. */
    static Training.Layers layers(Training t, Candidate enc, long seed) {
        return Training.Layers.of(2, () -> List.of(t.snapshot(Table1Row.CAE_H, enc, 1, seed), t.snapshot(Table1Row.MTC, enc, 2, seed)));
    }

    /** Pretrains the layers that are missing and computes the tangents unless they are saved (each a step). */
    static Training.Layers prepare(Training t, Candidate enc, long seed) throws IOException {
        TreeSet<Integer> length = new TreeSet<>(List.of(enc.pretraining().epochs()));
        MnistSplits d = t.data();
        t.pretrain(Table1Row.CAE_H, enc, 1, seed, length, d.trainX(), d.validX());
        PretrainedAutoencoder first = t.snapshot(Table1Row.CAE_H, enc, 1, seed);
        t.pretrain(Table1Row.MTC, enc, 2, seed, length, first.encode(d.trainX()), first.encode(d.validX()));
        Training.Layers layers = layers(t, enc, seed);
        compute(t, enc, seed, layers);
        if (seed == Selection.seed(t)) {
            figure(t, layers, seed);
        }
        return layers;
    }

    /** Test digits drawn in the tangent figure: the first ones of distinct classes (MNIST's test split: 7, 2, 1, 0, 4). */
    static final int FIGURE_DIGITS = 5;

    /**
     * The MTC paper's tangent figure from seed 1's stack, unless it exists: the first test digits of
     * {@value #FIGURE_DIGITS} distinct classes and their leading k tangents. It shows the encoder, never
     * chooses anything; the iteration runs 10x longer than the training digits' (cheap for 5 digits),
     * so the tangents drawn are converged.
     */
    private static void figure(Training t, Training.Layers layers, long seed) throws IOException {
        Path png = t.files(Table1Row.MTC).tangentsPng();
        if (Files.isRegularFile(png) || t.data().testX().size(1) != TangentFigure.PIXELS) {
            // drawn once; inputs that are not 28x28 digits (the tests' small ones) have no picture
            return;
        }
        Table1Protocol.FollowUps fu = t.protocol().followUps();
        int iterations = TangentFigure.convergedIterations(fu.tangentIterations());
        INDArray digits = Nd4j.pullRows(t.data().testX(), 1, TangentFigure.onePerClass(t.data().testY(), FIGURE_DIGITS));
        Tangents tangents = ManifoldTangents.of(new PretrainedStack(layers.load(), List.of()),
                TangentOptions.of(fu.maxTangents()).withIterations(iterations).withSeed(seed)).compute(digits);
        TangentFigure.write(digits, tangents, String.format("MTC seed %d: test digits and the leading %d tangents of its 784-%d-%d CAE+H"
                + " stack (grey = 0)", seed, fu.maxTangents(), t.protocol().hidden(), t.protocol().hidden()), png);
    }

    /**
     * How the MTC computes the tangents of {@code seed}'s stack: the protocol's iterations, seeded. The
     * training digits' tangents and the ablation's on validation digits are computed alike.
     */
    static TangentOptions options(Training t, int k, long seed) {
        return TangentOptions.of(k).withIterations(t.protocol().followUps().tangentIterations()).withSeed(seed);
    }

    /** The saved tangents' record, or null when they have not been computed (with this protocol's k and iterations). */
    static JsonNode record(Training t, long seed) throws IOException {
        Path f = t.files(Table1Row.MTC).tangentsDir(seed).resolve(RECORD);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        JsonNode r = RowFiles.read(f);
        Table1Protocol.FollowUps fu = t.protocol().followUps();
        return r.get("k").asInt() == fu.maxTangents() && r.get("iterations").asInt() == fu.tangentIterations() ? r : null;
    }

    private static void compute(Training t, Candidate enc, long seed, Training.Layers layers) throws IOException {
        if (record(t, seed) != null) {
            return;
        }
        Table1Protocol.FollowUps fu = t.protocol().followUps();
        int k = fu.maxTangents();
        // the digits the MTC fine-tunes on: all training digits, or the semi-supervised setting's labelled ones
        INDArray x = t.labelled().trainX();
        long n = x.size(0);
        Path dir = t.files(Table1Row.MTC).tangentsDir(seed);
        t.steps().begin(String.format("MTC tangents of %d training digits, k %d, seed %d", n, k, seed), t.tangentSeconds(k));
        long start = System.nanoTime();
        TangentOptions options = options(t, k, seed);
        ManifoldTangents mt = ManifoldTangents.of(new PretrainedStack(layers.load(), List.of()), options);
        double[] valueSums = new double[k];
        // 627 MB at k = 8: a failed or killed write leaves no temporary file behind for long (writeAtomically deletes it)
        ModelFiles.writeAtomically(dir.resolve(DATA), file -> {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file, 1 << 20))) {
                for (long r = 0; r < n; r += CHUNK) {
                    Tangents chunk = mt.compute(x.get(NDArrayIndex.interval(r, Math.min(n, r + CHUNK)), NDArrayIndex.all()));
                    Nd4j.write(chunk.flattened().castTo(DataType.HALF), out);
                    double[] sums = chunk.values().sum(0).castTo(DataType.DOUBLE).toDoubleVector();
                    for (int j = 0; j < k; j++) {
                        valueSums[j] += sums[j];
                    }
                    long done = Math.min(n, r + CHUNK);
                    if (done % PROGRESS_EVERY == 0 || done == n) {
                        double s = (System.nanoTime() - start) / 1e9;
                        log.info("MTC tangents, seed {}: {} of {} digits, {} elapsed, ETA {}", seed, done, n,
                                EarlyStoppingProgressLogger.duration(s), EarlyStoppingProgressLogger.duration(s / done * (n - done)));
                    }
                }
            }
        });
        List<Double> meanValues = new ArrayList<>();
        for (double v : valueSums) {
            meanValues.add(v / n);
        }
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("k", k);
        rec.put("iterations", fu.tangentIterations());
        rec.put("oversampling", options.oversampling());
        rec.put("digits", n);
        rec.put("encoder", enc.pretrainRunId() + ", " + enc.pretraining().epochs() + " epochs; layers 1 and 2, tangents of layer 2");
        rec.put("seed", seed);
        rec.put("seconds", (System.nanoTime() - start) / 1e9);
        rec.put("mean_singular_values", meanValues);
        rec.put("storage", "HALF [digits, k*784] in chunks of " + CHUNK + " rows (Nd4j.write), " + DATA);
        RowFiles.write(dir.resolve(RECORD), rec);
        t.steps().end();
    }

    /**
     * The training digits with their leading {@code k} tangents appended, {@code [n, (1 + k)·784]} in
     * FLOAT, built chunk by chunk so that memory peaks at the result plus one chunk; validation and
     * test digits unchanged.
     */
    static MnistSplits data(Training t, long seed, int k) throws IOException {
        JsonNode r = record(t, seed);
        if (r == null || k > r.get("k").asInt()) {
            throw new IllegalStateException("the MTC's tangents of seed " + seed + " are not computed (or not for k " + k + ")");
        }
        MnistSplits d = t.labelled();
        long n = d.trainX().size(0);
        long w = d.trainX().size(1);
        INDArray aug = Nd4j.create(DataType.FLOAT, n, (1 + k) * w);
        aug.get(NDArrayIndex.all(), NDArrayIndex.interval(0, w)).assign(d.trainX());
        Path file = t.files(Table1Row.MTC).tangentsDir(seed).resolve(DATA);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            for (long row = 0; row < n; ) {
                INDArray chunk = Nd4j.read(in);
                long m = chunk.size(0);
                aug.get(NDArrayIndex.interval(row, row + m), NDArrayIndex.interval(w, (1 + k) * w))
                        .assign(chunk.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k * w)).castTo(DataType.FLOAT));
                row += m;
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": unreadable (" + e.getMessage() + "); delete " + file.getParent() + " to compute them again", e);
        }
        return new MnistSplits(aug, d.trainY(), d.validX(), d.validY(), d.testX(), d.testY(), d.source() + ", " + k + " tangents appended");
    }

    /**
     * The pending encoder steps of {@code seed} and their cost at most: layer 1 (unless the CAE+H row
     * pretrains it: its open selection for the first seed, its final runs when it runs too), layer 2 and the tangents.
     */
    static void plan(Training t, long seed, Plan plan, boolean caeHRowRuns) throws IOException {
        Candidate enc = Selection.chosenIfKnown(t, Table1Row.CAE_H);
        List<Candidate> possible = enc != null ? List.of(enc) : t.protocol().grid(Table1Row.CAE_H);
        int longest = possible.stream().mapToInt(c -> c.pretraining().epochs()).max().orElseThrow();
        double seconds = 0;
        // the CAE+H row plans seed 1's layer 1 while its selection is open (a finished one pretrains nothing again), and
        // another seed's when it runs in the same invocation and that seed is not done
        boolean layer1ByCaeH = seed == Selection.seed(t) ? enc == null
                : caeHRowRuns && !Files.isRegularFile(t.files(Table1Row.CAE_H).seedFile(seed));
        TreeSet<Integer> length = new TreeSet<>(List.of(longest));
        List<String> parts = new ArrayList<>();
        // done here, or reused from the shared directory: no cost
        if (!layer1ByCaeH && (enc == null || !t.pretrained(Table1Row.CAE_H, enc, 1, seed, length))) {
            seconds += step(plan, longest * t.pretrainEpochSeconds(Table1Row.CAE_H, 1));
            parts.add("layer 1");
        }
        if (enc == null || !t.pretrained(Table1Row.MTC, enc, 2, seed, length)) {
            seconds += step(plan, longest * t.pretrainEpochSeconds(Table1Row.MTC, 2));
            parts.add(String.format("%slayer 2 CAE+H ≤%d epochs", parts.isEmpty() ? "" : ", ", longest));
        }
        if (record(t, seed) == null) {
            seconds += step(plan, t.tangentSeconds(t.protocol().followUps().maxTangents()));
            parts.add(String.format("%stangents k %d of %d digits", parts.isEmpty() ? "" : ", ", t.protocol().followUps().maxTangents(),
                    t.labelled().trainX().size(0)));
        }
        if (seconds > 0) {
            plan.note(String.format("seed %d encoders: %s (%.1f h)", seed, String.join("", parts), seconds / 3600));
        }
    }

    private static double step(Plan plan, double seconds) {
        plan.step(seconds);
        return seconds;
    }
}
