package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.Baselines;
import io.github.cae4j.examples.FileTrees;
import io.github.cae4j.examples.data.MnistSplits;
import io.github.cae4j.pretrain.ClassifierOptions;
import io.github.cae4j.pretrain.LayerPretrainOptions;
import io.github.cae4j.pretrain.PretrainedAutoencoder;
import io.github.cae4j.pretrain.PretrainedStack;
import io.github.cae4j.tangents.ManifoldTangentClassifier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The two kinds of step every mode is made of, each saved when it finishes and skipped when it
 * was: a pretraining (with a snapshot per length) and a candidate's fine-tuning to a budget.
 */
final class Training {

    static final int N_CLASSES = 10;
    private static final org.nd4j.shade.jackson.databind.ObjectMapper JSON = new org.nd4j.shade.jackson.databind.ObjectMapper();

    private final Table1Protocol protocol;
    private final MnistSplits data;
    private final MnistSplits labelled;
    private final Path out;
    private final Steps steps;
    private final EpochTimes times;
    private final SharedPretrainings shared;

    Training(Table1Protocol protocol, MnistSplits data, Path out, Steps steps, EpochTimes times) {
        this(protocol, data, out, steps, times, null);
    }

    /** @param shared another directory's pretrainings to reuse when they are the same computation, or null */
    Training(Table1Protocol protocol, MnistSplits data, Path out, Steps steps, EpochTimes times, SharedPretrainings shared) {
        this.shared = shared;
        this.protocol = protocol;
        this.data = data;
        this.labelled = protocol.labels() == 0 ? data : LabelledSubset.of(data, protocol.labels());
        this.out = out;
        this.steps = steps;
        this.times = times;
    }

    Table1Protocol protocol() {
        return protocol;
    }

    /** Every training digit (pretraining, without labels), the validation and the test digits. */
    MnistSplits data() {
        return data;
    }

    /** What fine-tuning trains on: every training digit, or the semi-supervised setting's labelled ones. */
    MnistSplits labelled() {
        return labelled;
    }

    Path out() {
        return out;
    }

    EpochTimes times() {
        return times;
    }

    Steps steps() {
        return steps;
    }

    RowFiles files(Table1Row row) {
        return new RowFiles(out, row);
    }

    /** The lengths of {@code c}'s pretraining run that a grid uses. */
    static SortedSet<Integer> lengths(List<Candidate> grid, Candidate c) {
        SortedSet<Integer> lengths = new TreeSet<>();
        for (Candidate o : grid) {
            if (o.pretraining() != null && o.pretrainRunId().equals(c.pretrainRunId())) {
                lengths.add(o.pretraining().epochs());
            }
        }
        return lengths;
    }

    /**
     * Pretrains layer {@code layer} of {@code c} for {@code seed} unless a finished run has every
     * length; a run missing some length is redone with all of them (a snapshot is what a shorter run
     * gives, so the lengths it had come out the same).
     *
     * @param owner   the row whose files hold it (CAE-2's layer 2 is CAE-2's, its layer 1 the CAE row's)
     * @param train   the layer's input: the digits, or the codes of the layer below
     */
    void pretrain(Table1Row owner, Candidate c, int layer, long seed, SortedSet<Integer> lengths, INDArray train, INDArray heldOut)
            throws IOException {
        Path dir = files(owner).pretrainDir(seed, layer, c);
        SortedSet<Integer> wanted = new TreeSet<>(lengths);
        JsonNode existing = RowFiles.pretrainRecord(dir);
        if (existing != null) {
            existing.get("snapshots").forEach(s -> wanted.add(s.get("max_epochs").asInt()));
            boolean all = true;
            for (int l : lengths) {
                all &= RowFiles.hasSnapshot(dir, l);
            }
            if (all) {
                FileTrees.delete(dir.resolve(RowFiles.PARTIAL_PRETRAINING));     // left if a stop came between run.json and its deletion
                return;
            }
        }
        String what = String.format("pretrain %s layer %d, %s, up to %d epochs, seed %d", owner.label(), layer, c.pretrainRunId(),
                wanted.last(), seed);
        Path theirs = shared == null ? null : shared.find(owner, c, layer, seed, wanted, false);
        if (theirs != null) {
            // the same computation finished in the other directory: copied, not a step
            shared.copy(theirs, dir, c, layer, seed, wanted, what);
            return;
        }
        Path partial = dir.resolve(RowFiles.PARTIAL_PRETRAINING);
        // a stopped run continues after its checkpoint's epoch (if the checkpoint turns out to be another run's, it starts over)
        steps.begin(what, Math.max(0, wanted.last() - PretrainingCheckpoint.epochsDone(partial)) * pretrainEpochSeconds(owner, layer));
        LayerPretrainOptions opts = c.layerOptions(protocol.hidden());
        List<SnapshotPretraining.Snapshot> snapshots = SnapshotPretraining.run(what, opts, c.pretraining().batch(),
                c.pretraining().patience(), seed + layer - 1, train, heldOut, wanted, partial);
        List<Map<String, Object>> reports = new ArrayList<>();
        for (SnapshotPretraining.Snapshot s : snapshots) {
            JsonNode kept = existing == null || !RowFiles.hasSnapshot(dir, s.length()) ? null : RowFiles.snapshotReport(dir, s.length());
            if (kept != null) {
                // the same model (the run is repeatable), but the file fine-tunings may have started from stays untouched
                reports.add(JSON.convertValue(kept, Map.class));
                continue;
            }
            RowFiles.saveAutoencoder(RowFiles.snapshotFile(dir, s.length()), s.ae());
            reports.add(s.toJson(layer, train.size(1), protocol.hidden()));
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("candidate", c.describe());
        record.put("seed", seed + layer - 1);
        record.put("snapshots", reports);
        RowFiles.write(dir.resolve(RowFiles.RUN_RECORD), record);
        FileTrees.delete(partial);     // kept in the snapshots and the record now
        steps.end();
    }

    /**
     * Whether layer {@code layer} of {@code c} for {@code seed} has every length in {@code lengths}
     * here, or can take them from the shared directory: for the plan, a pretraining that costs nothing.
     */
    boolean pretrained(Table1Row owner, Candidate c, int layer, long seed, SortedSet<Integer> lengths) throws IOException {
        Path dir = files(owner).pretrainDir(seed, layer, c);
        boolean all = true;
        for (int l : lengths) {
            all &= RowFiles.hasSnapshot(dir, l);
        }
        return all || shared != null && shared.find(owner, c, layer, seed, lengths, true) != null;
    }

    /** The snapshot of {@code c}'s length; it must exist. */
    PretrainedAutoencoder snapshot(Table1Row owner, Candidate c, int layer, long seed) throws IOException {
        return RowFiles.loadAutoencoder(RowFiles.snapshotFile(files(owner).pretrainDir(seed, layer, c), c.pretraining().epochs()));
    }

    JsonNode snapshotReport(Table1Row owner, Candidate c, int layer, long seed) throws IOException {
        return RowFiles.snapshotReport(files(owner).pretrainDir(seed, layer, c), c.pretraining().epochs());
    }

    /**
     * Fine-tunes {@code c}'s MLP for {@code seed} to {@code budget} epochs, continuing an earlier
     * call (a step unless it is there already).
     *
     * @param layers the pretrained layers, bottom first (empty: random init)
     */
    FineTuneRun.Progress finetune(Table1Row owner, Candidate c, long seed, int budget, Layers layers, String what) throws IOException {
        Path dir = files(owner).candidateDir(seed, c);
        FineTuneRun.Progress p = FineTuneRun.progress(dir);
        int target = Math.min(budget, c.finetuner().maxEpochs());
        if (p.reached(target)) {
            return p;
        }
        steps.begin(what, (target - p.epochs()) * finetuneEpochSeconds(c));
        MnistSplits splits = c.row() == Table1Row.MTC ? withTangents(seed, c.tangents()) : labelled;
        FineTuneRun.Progress done = FineTuneRun.advance(what, dir, () -> mlp(c, seed, layers), c.finetuner(), budget, seed, splits);
        steps.end();
        return done;
    }

    /** The last training set with tangents appended: successive halving visits the candidates of one k in a row. */
    private long tangentSeed;
    private int tangentK;
    private MnistSplits tangentData;

    private MnistSplits withTangents(long seed, int k) throws IOException {
        if (tangentData == null || tangentSeed != seed || tangentK != k) {
            if (tangentData != null && tangentData.trainX().closeable()) {
                // 1.4 GB off the heap at k = 8 on 50,000 digits: freed now, not when the collector gets to it
                tangentData.trainX().close();
            }
            tangentData = null;
            tangentData = MtcTangents.data(this, seed, k);
            tangentSeed = seed;
            tangentK = k;
        }
        return tangentData;
    }

    /** Supplies the pretrained layers of an MLP only when a run has to start from scratch. */
    interface Layers {
        List<PretrainedAutoencoder> load() throws IOException;

        int count();

        static Layers none() {
            return of(0, List::of);
        }

        static Layers of(int count, IoSupplier s) {
            return new Layers() {
                @Override
                public List<PretrainedAutoencoder> load() throws IOException {
                    return s.get();
                }

                @Override
                public int count() {
                    return count;
                }
            };
        }
    }

    @FunctionalInterface
    interface IoSupplier {
        List<PretrainedAutoencoder> get() throws IOException;
    }

    /** The untrained MLP: Xavier for random init, otherwise the encoders (W and b) plus a new softmax layer. */
    MultiLayerNetwork mlp(Candidate c, long seed, Layers layers) {
        try {
            List<PretrainedAutoencoder> encoders = layers.load();
            if (encoders.isEmpty()) {
                return Baselines.randomMlp(labelled.trainX().size(1), protocol.hidden(), 1, Activation.SIGMOID, c.finetuner().updater(),
                        c.finetuner().l2(), seed);
            }
            ClassifierOptions options = new ClassifierOptions(N_CLASSES, c.finetuner().updater(), c.finetuner().l2(), seed, DataType.FLOAT);
            if (c.row() == Table1Row.MTC) {
                // the same initialisation as the other rows' MLPs (encoders' W and b, Xavier softmax), in tangent-propagation layers
                return ManifoldTangentClassifier.fromPretrained(new PretrainedStack(encoders, List.of()), c.tangents(), c.regularization(),
                        options).network();
            }
            return new PretrainedStack(encoders, List.of()).classifier(options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Estimated seconds per pretraining epoch of a row's layer at the protocol's size (the epoch times are for 50,000 digits). */
    double pretrainEpochSeconds(Table1Row row, int layer) {
        double t = layer > 1 ? (row == Table1Row.MTC ? times.pretrainCaeHLayer2() : times.pretrainLayer2()) : times.pretrain(row);
        return t * scale(data);
    }

    double finetuneEpochSeconds(Finetuner f, int layers) {
        return (layers > 1 ? times.finetuneTwoLayers(f.batch()) : times.finetune(f.batch())) * scale(labelled);
    }

    /**
     * A candidate's fine-tuning epoch: its row's depth, and for the MTC its number of tangents, which
     * only the training digits carry: the validation digits' share of the epoch costs what a plain
     * two-layer network's does (at 1,000 labels that share is most of the epoch).
     */
    double finetuneEpochSeconds(Candidate c) {
        if (c.row() == Table1Row.MTC) {
            int batch = c.finetuner().batch();
            return times.finetuneMtc(batch, c.tangents()) * scale(labelled.trainX().size(0))
                    + times.finetuneTwoLayers(batch) * scale(labelled.validX().size(0));
        }
        return finetuneEpochSeconds(c.finetuner(), c.row().hiddenLayers());
    }

    /** Computing k tangents of every training digit with the MTC's stack (linear in the digits and the width). */
    double tangentSeconds(int k) {
        return times.tangents(labelled.trainX().size(0), k) * protocol.hidden() / 1000.0;
    }

    /** The epoch times are for 50,000 training and 10,000 validation digits with 1,000 units; scale linearly in both. */
    private double scale(MnistSplits d) {
        return scale(d.trainX().size(0) + d.validX().size(0));
    }

    private double scale(long digits) {
        return digits / 60_000.0 * protocol.hidden() / 1000.0;
    }
}
