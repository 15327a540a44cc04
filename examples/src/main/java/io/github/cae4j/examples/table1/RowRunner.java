package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.Baselines;
import io.github.cae4j.examples.EncoderDiagnostics;
import io.github.cae4j.examples.ResultPlots;
import io.github.cae4j.pretrain.PretrainedAutoencoder;
import io.github.cae4j.training.ShuffledBatchIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Produces one row of the table: the selection on seed 1's validation error ({@link Selection}),
 * then for every seed of the row a pretraining and fine-tuning of the chosen candidate (seed 1's are
 * the selection's own) and one evaluation of its final model on the test digits
 * ({@code rows/<row>/seed-<s>.json}), then the row's means and spreads ({@code row.json}). Every
 * step is saved when it finishes; a rerun on the same directory continues after the last one.
 */
final class RowRunner {

    private static final Logger log = LoggerFactory.getLogger(RowRunner.class);

    private final Training t;
    private final String gitCommit;

    RowRunner(Training training, String gitCommit) {
        this.t = training;
        this.gitCommit = gitCommit;
    }

    static boolean finished(Path out, Table1Row row) {
        return Files.isRegularFile(new RowFiles(out, row).resultFile());
    }

    /** Runs the row unless it is finished; returns its result document. */
    JsonNode run(Table1Row row) throws IOException {
        RowFiles files = t.files(row);
        if (Files.isRegularFile(files.resultFile())) {
            log.info("{}: finished in an earlier run ({}), skipped", row.label(), files.resultFile());
            return RowFiles.read(files.resultFile());
        }
        Selection.Result selection = row == Table1Row.DL4J_AE ? new Selection.Result(t.protocol().grid(row).get(0), List.of())
                : Selection.run(t, row);
        Candidate chosen = selection.chosen();
        log.info("{}: chose {} on validation error", row.label(), chosen.label());
        List<JsonNode> seeds = new ArrayList<>();
        for (long seed : t.protocol().seedsOf(row)) {
            if (!Files.isRegularFile(files.seedFile(seed))) {
                finalRun(row, chosen, seed);
            }
            seeds.add(RowFiles.read(files.seedFile(seed)));
        }
        RowFiles.write(files.resultFile(), RowDocument.of(row, t.protocol(), chosen, selection.rounds(), seeds,
                row == Table1Row.DL4J_AE ? 0 : Selection.seconds(t, row), gitCommit));
        JsonNode doc = RowFiles.read(files.resultFile());
        log.info("{}: test error {}% ± {} over seeds {} (per seed {}), validation {}%", row.label(),
                String.format("%.2f", doc.get("test_error_pct").asDouble()), doc.get("test_error_pct_sd").isNull() ? "-"
                        : String.format("%.2f", doc.get("test_error_pct_sd").asDouble()), doc.get("seeds"), doc.get("test_error_pct_per_seed"),
                String.format("%.2f", doc.get("valid_error_pct").asDouble()));
        return doc;
    }

    /** The row's layers for {@code seed}, pretraining any that are missing; loads them lazily for the MLP. */
    private Training.Layers layers(Table1Row row, Candidate chosen, long seed) throws IOException {
        switch (row) {
            case RANDOM -> {
                return Training.Layers.none();
            }
            case CAE_2 -> {
                return Cae2Stack.prepare(t, chosen, seed);
            }
            case DL4J_AE -> {
                Dl4jAutoEncoderRow.pretrain(t, chosen, seed);
                return Training.Layers.of(1, () -> List.of(t.snapshot(row, chosen, 1, seed)));
            }
            case MTC -> {
                return MtcTangents.prepare(t, MtcTangents.encoder(t), seed);
            }
            default -> {
                t.pretrain(row, chosen, 1, seed, new TreeSet<>(List.of(chosen.pretraining().epochs())), t.data().trainX(), t.data().validX());
                return Selection.layers(t, row, chosen, seed);
            }
        }
    }

    /** One seed: pretraining (unless saved), full fine-tuning (unless saved), one test evaluation. */
    private void finalRun(Table1Row row, Candidate chosen, long seed) throws IOException {
        Training.Layers layers = layers(row, chosen, seed);
        String what = String.format("%s seed %d: fine-tune %s", row.label(), seed, chosen.label());
        FineTuneRun.Progress p = t.finetune(row, chosen, seed, chosen.finetuner().maxEpochs(), layers, what);
        Path dir = t.files(row).candidateDir(seed, chosen);
        MultiLayerNetwork best = FineTuneRun.best(dir);
        List<PretrainedAutoencoder> encoders = layers.load();
        PretrainedAutoencoder first = encoders.isEmpty()
                ? Baselines.firstLayerAsEncoder(untrainedRandomMlp(chosen, seed)) : encoders.get(0);
        EncoderDiagnostics d = EncoderDiagnostics.of(first, t.data().testX(), !encoders.isEmpty());
        // the test digits, once per final model
        double test = 100 * (1 - best.evaluate(new ShuffledBatchIterator(t.data().testX(), t.data().testY(), 1000, 0, false)).accuracy());
        if (seed == Selection.seed(t) && !encoders.isEmpty() && row.hiddenLayers() == 1) {
            ResultPlots.filters(first, 100, "First 100 filters of " + row.label() + " (columns of W)", t.files(row).filtersPng());
        }
        List<JsonNode> pretrained = new ArrayList<>();
        switch (row) {
            case RANDOM -> { }
            case CAE_2 -> {
                pretrained.add(t.snapshotReport(Table1Row.CAE, chosen.forRow(Table1Row.CAE), 1, seed));
                pretrained.add(t.snapshotReport(Table1Row.CAE_2, chosen, 2, seed));
            }
            case MTC -> {
                Candidate enc = MtcTangents.encoder(t);
                pretrained.add(t.snapshotReport(Table1Row.CAE_H, enc, 1, seed));
                pretrained.add(t.snapshotReport(Table1Row.MTC, enc, 2, seed));
            }
            default -> pretrained.add(t.snapshotReport(row, chosen, 1, seed));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("seed", seed);
        doc.put("test_error_pct", test);
        doc.put("valid_error_pct", p.bestErrorPct());
        doc.put("finetune_epochs", p.epochs());
        doc.put("finetune_best_epoch", p.bestEpoch());
        doc.put("finetune_stopped", p.stopped());
        doc.put("finetune_s", p.seconds());
        doc.put("pretrain_s", pretrained.stream().mapToDouble(n -> n.get("seconds").asDouble()).sum());
        doc.put("pretrain_epochs", pretrained.stream().mapToInt(n -> n.get("epochs").asInt()).sum());
        doc.put("mean_jacobian_fro", d.meanJacobianFro());
        doc.put("saturated_pct", d.saturatedPct());
        doc.put("git_commit", gitCommit);
        doc.put("valid_error_pct_by_epoch", p.validErrorPct());
        doc.put("pretrained_layers", pretrained);
        if (row == Table1Row.MTC) {
            doc.put("tangents", MtcTangents.record(t, seed));
        }
        doc.put("diagnostics", Map.of("test_reconstruction", Double.isNaN(d.testReconstruction()) ? "n/a" : d.testReconstruction(),
                "jacobian_singular_values", d.singularValues(), "contraction_radii", d.contractionRadii(),
                "contraction_ratios", d.contractionRatios(),
                "measured_on", "the first hidden layer before fine-tuning, test digits"));
        RowFiles.write(t.files(row).seedFile(seed), doc);
        log.info("{} seed {}: test error {}% (validation {}%), mean ||J||_F {}, SAT {}%", row.label(), seed, String.format("%.2f", test),
                String.format("%.2f", p.bestErrorPct()), String.format("%.3f", d.meanJacobianFro()), String.format("%.1f", d.saturatedPct()));
    }

    /** Random init's encoder before fine-tuning, for the diagnostics: the same Xavier draw the run started from. */
    private MultiLayerNetwork untrainedRandomMlp(Candidate chosen, long seed) {
        return Baselines.randomMlp(t.data().trainX().size(1), t.protocol().hidden(), 1, org.nd4j.linalg.activations.Activation.SIGMOID,
                chosen.finetuner().updater(), seed);
    }

    /**
     * The row's pending steps and their cost at most (see {@link Plan}).
     *
     * @param lowerRowRuns whether the row this one builds on (CAE for CAE-2, CAE+H for the MTC) is in
     *                     the same invocation, which then plans that row's selection and pretrainings
     */
    void plan(Table1Row row, Plan plan, boolean lowerRowRuns) throws IOException {
        if (finished(t.out(), row)) {
            return;
        }
        plan.startPart(row.label());
        RowFiles files = t.files(row);
        switch (row) {
            case CAE_2 -> {
                if (!lowerRowRuns) {
                    Selection.plan(t, Table1Row.CAE, plan);
                }
                Selection.plan(t, row, plan);
            }
            case MTC -> {
                if (!lowerRowRuns) {
                    Selection.plan(t, Table1Row.CAE_H, plan);
                }
                MtcTangents.plan(t, Selection.seed(t), plan, lowerRowRuns);
                Selection.plan(t, row, plan);
            }
            case DL4J_AE -> { }
            default -> Selection.plan(t, row, plan);
        }
        Candidate chosen = row == Table1Row.DL4J_AE ? t.protocol().grid(row).get(0) : Selection.chosenIfKnown(t, row);
        // CAE-2 before the CAE row has chosen: its candidates under each fine-tuner (the same costs whatever the choice)
        List<Candidate> possible = chosen != null ? List.of(chosen) : row == Table1Row.CAE_2
                ? t.protocol().grid(Table1Row.CAE).stream().flatMap(c -> t.protocol().cae2Grid(c).stream()).toList()
                : t.protocol().grid(row);
        double worstPretrain = 0;
        double worstFinetune = 0;
        for (Candidate c : possible) {
            if (c.pretraining() != null) {
                worstPretrain = Math.max(worstPretrain, c.pretraining().epochs() * t.pretrainEpochSeconds(row, row == Table1Row.CAE_2 ? 2 : 1));
            }
            worstFinetune = Math.max(worstFinetune, c.finetuner().maxEpochs() * t.finetuneEpochSeconds(c));
        }
        List<Long> seedsLeft = new ArrayList<>();
        double seconds = 0;
        boolean anyPretraining = false;
        for (long seed : t.protocol().seedsOf(row)) {
            boolean selectionSeed = seed == Selection.seed(t) && row != Table1Row.DL4J_AE;
            if (Files.isRegularFile(files.seedFile(seed)) || selectionSeed) {
                continue;
            }
            seedsLeft.add(seed);
            if (row == Table1Row.MTC) {
                MtcTangents.plan(t, seed, plan, lowerRowRuns);
            }
            // a known choice's pretraining that is done, or reused from the shared directory, costs nothing
            boolean pretrained = chosen != null && chosen.pretraining() != null && row != Table1Row.DL4J_AE
                    && t.pretrained(row, chosen, row == Table1Row.CAE_2 ? 2 : 1, seed, new TreeSet<>(List.of(chosen.pretraining().epochs())));
            if (worstPretrain > 0 && !pretrained) {
                plan.step(worstPretrain);
                seconds += worstPretrain;
                anyPretraining = true;
            }
            plan.step(worstFinetune);
            seconds += worstFinetune;
        }
        // the selection seed's final model is the selection's winner: only its test remains, no step
        if (!seedsLeft.isEmpty()) {
            plan.note(String.format("seed%s %s: %sfull fine-tuning of the choice (%.1f h)", seedsLeft.size() == 1 ? "" : "s",
                    seedsLeft.toString().replace("[", "").replace("]", ""), anyPretraining ? "pretraining and " : "", seconds / 3600));
        }
    }
}
