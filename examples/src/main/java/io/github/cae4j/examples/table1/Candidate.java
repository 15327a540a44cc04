package io.github.cae4j.examples.table1;

import io.github.cae4j.pretrain.LayerPretrainOptions;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One point of a row's hyperparameter grid: the value of its regulariser (l2, sigma, p, lambda or
 * the MTC's beta; 0 for rows without one), how the autoencoder is pretrained (null for random init
 * and for the MTC, whose encoders are the CAE+H row's), how the MLP is fine-tuned, and for the two
 * follow-up rows their own settings: CAE+H's higher-order term, the MTC's number of tangents k.
 *
 * @param higherOrder the CAE+H term, given for the CAE+H row only (and for candidates derived from it)
 * @param tangents    tangents per training digit k, > 0 for the MTC row only, else 0
 */
public record Candidate(Table1Row row, double regularization, Pretraining pretraining, Finetuner finetuner, HigherOrder higherOrder,
                        int tangents) {

    public Candidate {
        if (row == null || finetuner == null) {
            throw new IllegalArgumentException("Candidate: row and finetuner must not be null");
        }
        if (row.ownPretraining() != (pretraining != null)) {
            throw new IllegalArgumentException("Candidate " + row.id() + ": pretraining must be " + (row.ownPretraining() ? "given" : "null")
                    + " for this row, got " + pretraining);
        }
        if (!(Double.isFinite(regularization) && regularization >= 0)) {
            throw new IllegalArgumentException("Candidate " + row.id() + ": " + row.regularizer().symbol()
                    + " must be finite and >= 0, got " + regularization);
        }
        if ((row == Table1Row.CAE_H) != (higherOrder != null)) {
            throw new IllegalArgumentException("Candidate " + row.id() + ": the higher-order term is " + (row == Table1Row.CAE_H
                    ? "required for" : "only for the CAE+H row, not for") + " this row, got " + higherOrder);
        }
        if ((row == Table1Row.MTC) != (tangents > 0) || tangents < 0) {
            throw new IllegalArgumentException("Candidate " + row.id() + ": tangents k must be " + (row == Table1Row.MTC ? "> 0" : "0")
                    + " for this row, got " + tangents);
        }
        if (row == Table1Row.MTC && !(regularization > 0)) {
            throw new IllegalArgumentException("Candidate mtc: beta must be > 0 (beta 0 is plain fine-tuning), got " + regularization);
        }
    }

    /** A candidate of a row without CAE+H's or the MTC's settings. */
    public Candidate(Table1Row row, double regularization, Pretraining pretraining, Finetuner finetuner) {
        this(row, regularization, pretraining, finetuner, null, 0);
    }

    /**
     * For directory names, e.g. {@code lambda1_pre-adam-lr1e-3-b128-p10-e25_ft-adam-lr1e-3-b100-p10},
     * {@code lambda1_gamma0.1-s0.1-c4_pre-…_ft-…} or {@code k5_beta1_ft-…}; the fine-tuning's epoch
     * limit is left out (a longer budget continues the same run).
     */
    public String id() {
        String k = tangents > 0 ? "k" + tangents + "_" : "";
        String reg = row.regularizer() == Table1Row.Regularizer.NONE ? "" : row.regularizer().symbol() + Ids.number(regularization) + "_";
        String h = higherOrder == null ? "" : higherOrder.id() + "_";
        return k + reg + h + (pretraining == null ? "" : "pre-" + pretraining.id() + "_") + "ft-" + finetuner.id();
    }

    /** For tables: {@code lambda 1, 25 pretraining epochs, Adam 1e-3}. */
    public String label() {
        String k = tangents > 0 ? "k " + tangents + ", " : "";
        String reg = row.regularizer() == Table1Row.Regularizer.NONE ? "" : row.regularizer().symbol() + " " + Ids.number(regularization) + ", ";
        String h = higherOrder == null ? "" : higherOrder.label() + ", ";
        return k + reg + h + (pretraining == null ? "" : "pretrain ≤" + pretraining.epochs() + " ep, ") + finetuner.label();
    }

    /**
     * Names one pretraining run, shared by the candidates that differ only in its length or the
     * fine-tuner: {@code lambda1-adam-lr1e-3-b128-p10}, {@code lambda1-gamma0.1-s0.1-c4-adam-…}.
     */
    public String pretrainRunId() {
        if (pretraining == null) {
            throw new IllegalStateException("Candidate " + id() + ": " + row.id() + " has no pretraining of its own");
        }
        String reg = row.regularizer() == Table1Row.Regularizer.NONE ? "" : row.regularizer().symbol() + Ids.number(regularization) + "-";
        return reg + (higherOrder == null ? "" : higherOrder.id() + "-") + pretraining.runId();
    }

    /** How this candidate's autoencoder is pretrained (tied, sigmoid, summed cross-entropy, as in the paper). */
    public LayerPretrainOptions layerOptions(int hidden) {
        if (pretraining == null) {
            throw new IllegalStateException("Candidate " + id() + ": " + row.id() + " has no pretraining of its own");
        }
        LayerPretrainOptions base = LayerPretrainOptions.cae(hidden, 0.0).withUpdater(pretraining.updater());
        LayerPretrainOptions opts = switch (row.regularizer()) {
            case NONE -> base;
            case WEIGHT_DECAY -> base.withL2(regularization);
            case GAUSSIAN_NOISE -> base.withGaussianNoise(regularization);
            case MASKING_NOISE -> base.withCorruptionLevel(regularization);
            case CONTRACTION -> base.withLambda(regularization);
            case TANGENT_PROP -> throw new IllegalStateException("the MTC's candidates are not pretrained");
        };
        return higherOrder == null ? opts : opts.withHigherOrder(higherOrder.gamma(), higherOrder.sigma(), higherOrder.copies());
    }

    /** The same candidate for another row (CAE-2 takes the CAE row's). */
    public Candidate forRow(Table1Row other) {
        return new Candidate(other, regularization, pretraining, finetuner, higherOrder, tangents);
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id());
        m.put("regularizer", row.regularizer().symbol());
        m.put("regularization", regularization);
        if (higherOrder != null) {
            m.put("higher_order", higherOrder.describe());
        }
        if (tangents > 0) {
            m.put("tangents_k", tangents);
        }
        m.put("pretrain", pretraining == null ? null : pretraining.describe());
        m.put("finetune", finetuner.describe());
        return m;
    }
}
