package io.github.cae4j.examples.table1;

import org.nd4j.linalg.learning.config.IUpdater;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a candidate's MLP is fine-tuned: the optimiser and its settings, and the budget. Every epoch
 * sees the training digits in a new order (derived from the seed and the epoch number); after
 * every epoch the validation error is measured, the best epoch's model is kept, and training stops
 * after {@code patience} epochs without a new best or at {@code maxEpochs}.
 *
 * @param optimizer       Adam, plain SGD or SGD with Nesterov momentum
 * @param lr              initial learning rate, finite and > 0
 * @param batch           minibatch, > 0
 * @param momentum        Nesterov momentum in (0, 1) for {@link Optimizer#NESTEROVS}; 0 for the others
 * @param lrDecayPerEpoch the learning rate is multiplied by this after every epoch, in (0, 1] (1: constant)
 * @param maxEpochs       epoch limit of a full fine-tuning, > 0
 * @param patience        epochs without a lower validation error before stopping, > 0
 * @param l2              DL4J's weight decay on every layer's weights (its penalty is {@code l2/2 ΣW²}, so the
 *                        lab's mlp.py {@code 1e-4 ΣW²} is {@code 2e-4} here), finite and >= 0; 0: none
 */
public record Finetuner(Optimizer optimizer, double lr, int batch, double momentum, double lrDecayPerEpoch, int maxEpochs,
                        int patience, double l2) {

    /** Without weight decay, as every fine-tuner of the table's grids. */
    public Finetuner(Optimizer optimizer, double lr, int batch, double momentum, double lrDecayPerEpoch, int maxEpochs, int patience) {
        this(optimizer, lr, batch, momentum, lrDecayPerEpoch, maxEpochs, patience, 0);
    }

    public Finetuner {
        String who = "Finetuner: ";
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
                    + " (which has none), got " + momentum);
        }
        if (!(lrDecayPerEpoch > 0 && lrDecayPerEpoch <= 1)) {
            throw new IllegalArgumentException(who + "lrDecayPerEpoch must be in (0, 1], got " + lrDecayPerEpoch);
        }
        if (maxEpochs <= 0 || patience <= 0) {
            throw new IllegalArgumentException(who + "maxEpochs and patience must be > 0, got " + maxEpochs + " and " + patience);
        }
        if (!(Double.isFinite(l2) && l2 >= 0)) {
            throw new IllegalArgumentException(who + "l2 must be finite and >= 0 (0: no weight decay), got " + l2);
        }
    }

    /** Adam with a constant rate. */
    public static Finetuner adam(double lr, int batch, int maxEpochs, int patience) {
        return adam(lr, 1, batch, maxEpochs, patience);
    }

    /** Adam with a rate multiplied by {@code decay} after every epoch. */
    public static Finetuner adam(double lr, double decay, int batch, int maxEpochs, int patience) {
        return new Finetuner(Optimizer.ADAM, lr, batch, 0, decay, maxEpochs, patience);
    }

    /** SGD with Nesterov momentum and an exponentially decaying rate. */
    public static Finetuner nesterovs(double lr, double momentum, double decay, int batch, int maxEpochs, int patience) {
        return new Finetuner(Optimizer.NESTEROVS, lr, batch, momentum, decay, maxEpochs, patience);
    }

    /** Plain SGD with an exponentially decaying rate (the authors' lab: minibatch 1-20). */
    public static Finetuner sgd(double lr, double decay, int batch, int maxEpochs, int patience) {
        return new Finetuner(Optimizer.SGD, lr, batch, 0, decay, maxEpochs, patience);
    }

    /** The same fine-tuner with DL4J weight decay {@code l2} (see the record's {@code l2}). */
    public Finetuner withL2(double l2) {
        return new Finetuner(optimizer, lr, batch, momentum, lrDecayPerEpoch, maxEpochs, patience, l2);
    }

    public IUpdater updater() {
        return optimizer.updater(lr, momentum, lrDecayPerEpoch);
    }

    /**
     * For directory names: everything that decides the trajectory, e.g. {@code adam-lr1e-3-b100-p10}
     * or {@code nesterovs-lr0.03-m0.9-d0.97-b100-p10}, {@code -wd2e-4} with weight decay. The epoch limit
     * is left out: a longer budget continues the same run.
     */
    public String id() {
        return optimizer.key() + "-lr" + Ids.number(lr) + (optimizer == Optimizer.NESTEROVS ? "-m" + Ids.number(momentum) : "")
                + (lrDecayPerEpoch == 1 ? "" : "-d" + Ids.number(lrDecayPerEpoch)) + (l2 == 0 ? "" : "-wd" + Ids.number(l2))
                + "-b" + batch + "-p" + patience;
    }

    /**
     * For tables: {@code Adam 1e-3} or {@code Nesterov 0.03 (m 0.9, ×0.97/epoch)}, batch when not 100,
     * weight decay when on ({@code Adam 3e-3 (l2 2e-4)}).
     */
    public String label() {
        String name = switch (optimizer) {
            case ADAM -> "Adam";
            case SGD -> "SGD";
            case NESTEROVS -> "Nesterov";
        };
        List<String> extra = new ArrayList<>();
        if (optimizer == Optimizer.NESTEROVS) {
            extra.add("m " + Ids.number(momentum));
        }
        if (lrDecayPerEpoch != 1) {
            extra.add("×" + Ids.number(lrDecayPerEpoch) + "/epoch");
        }
        if (l2 != 0) {
            extra.add("l2 " + Ids.number(l2));
        }
        return name + " " + Ids.number(lr) + (extra.isEmpty() ? "" : " (" + String.join(", ", extra) + ")")
                + (batch == 100 ? "" : ", batch " + batch);
    }

    /** The same optimiser with another epoch limit. */
    public Finetuner withMaxEpochs(int epochs) {
        return new Finetuner(optimizer, lr, batch, momentum, lrDecayPerEpoch, epochs, patience, l2);
    }

    /** The same optimiser with another minibatch. */
    public Finetuner withBatch(int batch) {
        return new Finetuner(optimizer, lr, batch, momentum, lrDecayPerEpoch, maxEpochs, patience, l2);
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("optimizer", optimizer.key());
        m.put("lr", lr);
        m.put("batch", batch);
        m.put("momentum", momentum);
        m.put("lr_decay_per_epoch", lrDecayPerEpoch);
        m.put("max_epochs", maxEpochs);
        m.put("patience", patience);
        if (l2 != 0) {
            // only when on: the records of runs without it (every run before it existed) stay as they were written
            m.put("l2", l2);
        }
        return m;
    }
}
