package io.github.cae4j.examples.table1;

import io.github.cae4j.pretrain.LayerPretrainOptions;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One point of a row's hyperparameter grid: the value of its regulariser (l2, sigma, p or lambda;
 * 0 for rows without one), how the autoencoder is pretrained (null for random init) and how the
 * MLP is fine-tuned.
 */
public record Candidate(Table1Row row, double regularization, Pretraining pretraining, Finetuner finetuner) {

    public Candidate {
        if (row == null || finetuner == null) {
            throw new IllegalArgumentException("Candidate: row and finetuner must not be null");
        }
        if (row.pretrained() != (pretraining != null)) {
            throw new IllegalArgumentException("Candidate " + row.id() + ": pretraining must be " + (row.pretrained() ? "given" : "null")
                    + " for this row, got " + pretraining);
        }
        if (!(Double.isFinite(regularization) && regularization >= 0)) {
            throw new IllegalArgumentException("Candidate " + row.id() + ": " + row.regularizer().symbol()
                    + " must be finite and >= 0, got " + regularization);
        }
    }

    /**
     * For directory names, e.g. {@code lambda1_pre-adam-lr1e-3-b128-p10-e25_ft-adam-lr1e-3-b100-p10};
     * the fine-tuning's epoch limit is left out (a longer budget continues the same run).
     */
    public String id() {
        String reg = row.regularizer() == Table1Row.Regularizer.NONE ? "" : row.regularizer().symbol() + Ids.number(regularization) + "_";
        return reg + (pretraining == null ? "" : "pre-" + pretraining.id() + "_") + "ft-" + finetuner.id();
    }

    /** For tables: {@code lambda 1, 25 pretraining epochs, Adam 1e-3}. */
    public String label() {
        String reg = row.regularizer() == Table1Row.Regularizer.NONE ? "" : row.regularizer().symbol() + " " + Ids.number(regularization) + ", ";
        return reg + (pretraining == null ? "" : "pretrain ≤" + pretraining.epochs() + " ep, ") + finetuner.label();
    }

    /** How this candidate's autoencoder is pretrained (tied, sigmoid, summed cross-entropy, as in the paper). */
    public LayerPretrainOptions layerOptions(int hidden) {
        if (pretraining == null) {
            throw new IllegalStateException("Candidate " + id() + ": " + row.id() + " has no pretraining");
        }
        LayerPretrainOptions base = LayerPretrainOptions.cae(hidden, 0.0).withUpdater(pretraining.updater());
        return switch (row.regularizer()) {
            case NONE -> base;
            case WEIGHT_DECAY -> base.withL2(regularization);
            case GAUSSIAN_NOISE -> base.withGaussianNoise(regularization);
            case MASKING_NOISE -> base.withCorruptionLevel(regularization);
            case CONTRACTION -> base.withLambda(regularization);
        };
    }

    /** The same candidate for another row (CAE-2 takes the CAE row's). */
    public Candidate forRow(Table1Row other) {
        return new Candidate(other, regularization, pretraining, finetuner);
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id());
        m.put("regularizer", row.regularizer().symbol());
        m.put("regularization", regularization);
        m.put("pretrain", pretraining == null ? null : pretraining.describe());
        m.put("finetune", finetuner.describe());
        return m;
    }
}
