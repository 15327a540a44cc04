package io.github.cae4j.examples.table1;

import org.nd4j.linalg.learning.config.IUpdater;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a candidate's autoencoder is pretrained (tied sigmoid, cross-entropy summed over pixels,
 * penalty and reconstruction averaged over the minibatch): optimiser, minibatch, the epoch limit
 * and early stopping on the held-out objective of the validation digits (no labels).
 *
 * <p>Candidates that differ only in {@code epochs} share one pretraining: it runs to the largest
 * limit and keeps the best-so-far model at each smaller one (see {@link SnapshotPretraining}).
 *
 * @param optimizer Adam (the default) or plain SGD / Nesterov
 * @param lr        learning rate, finite and > 0
 * @param batch     minibatch, > 0
 * @param momentum  Nesterov momentum in (0, 1) for {@link Optimizer#NESTEROVS}, 0 otherwise
 * @param epochs    epoch limit (the pretraining length this candidate uses), > 0
 * @param patience  stop after this many epochs without a lower held-out objective, > 0
 */
public record Pretraining(Optimizer optimizer, double lr, int batch, double momentum, int epochs, int patience) {

    public Pretraining {
        String who = "Pretraining: ";
        if (optimizer == null) {
            throw new IllegalArgumentException(who + "optimizer must not be null; allowed: adam, sgd, nesterovs");
        }
        if (!(Double.isFinite(lr) && lr > 0)) {
            throw new IllegalArgumentException(who + "lr must be finite and > 0, got " + lr);
        }
        if (batch <= 0) {
            throw new IllegalArgumentException(who + "batch must be > 0, got " + batch);
        }
        if (optimizer == Optimizer.NESTEROVS ? !(momentum > 0 && momentum < 1) : momentum != 0) {
            throw new IllegalArgumentException(who + "momentum must be in (0, 1) for nesterovs and 0 for " + optimizer.key()
                    + ", got " + momentum);
        }
        if (epochs <= 0 || patience <= 0) {
            throw new IllegalArgumentException(who + "epochs and patience must be > 0, got " + epochs + " and " + patience);
        }
    }

    /** Adam, the pretraining of the committed table. */
    public static Pretraining adam(double lr, int batch, int epochs, int patience) {
        return new Pretraining(Optimizer.ADAM, lr, batch, 0, epochs, patience);
    }

    public IUpdater updater() {
        return optimizer.updater(lr, momentum, 1.0);
    }

    /** The shared run of every length: {@code adam-lr1e-3-b128-p10}. */
    public String runId() {
        return optimizer.key() + "-lr" + Ids.number(lr) + (optimizer == Optimizer.NESTEROVS ? "-m" + Ids.number(momentum) : "")
                + "-b" + batch + "-p" + patience;
    }

    /** {@link #runId} plus the length: {@code adam-lr1e-3-b128-p10-e25}. */
    public String id() {
        return runId() + "-e" + epochs;
    }

    /** Another length of the same run. */
    public Pretraining withEpochs(int value) {
        return new Pretraining(optimizer, lr, batch, momentum, value, patience);
    }

    /** Whether the two differ at most in their length. */
    public boolean sameRun(Pretraining other) {
        return runId().equals(other.runId());
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("optimizer", optimizer.key());
        m.put("lr", lr);
        m.put("batch", batch);
        m.put("momentum", momentum);
        m.put("max_epochs", epochs);
        m.put("patience", patience);
        m.put("early_stopping", "held-out objective of the validation digits (no labels)");
        return m;
    }
}
