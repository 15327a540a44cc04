package io.github.cae4j.examples.table1;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.Locale;

/**
 * The optimisers a Table 1 candidate can pretrain or fine-tune with, as DL4J updaters: Adam, plain
 * SGD (the authors' lab) and SGD with Nesterov momentum.
 */
public enum Optimizer {
    ADAM, SGD, NESTEROVS;

    /**
     * The DL4J updater. A decay below 1 multiplies the learning rate by {@code decayPerEpoch} after
     * every epoch ({@code ExponentialSchedule(EPOCH, lr, decay)}: lr at epoch e is lr·decay^e); the
     * schedule reads the network's epoch count, which its saved configuration keeps, so a resumed
     * run continues the same schedule.
     *
     * @param momentum used by {@link #NESTEROVS} only
     */
    public IUpdater updater(double lr, double momentum, double decayPerEpoch) {
        ISchedule schedule = decayPerEpoch == 1.0 ? null : new ExponentialSchedule(ScheduleType.EPOCH, lr, decayPerEpoch);
        return switch (this) {
            case ADAM -> schedule == null ? new Adam(lr) : new Adam(schedule);
            case SGD -> schedule == null ? new Sgd(lr) : new Sgd(schedule);
            case NESTEROVS -> schedule == null ? new Nesterovs(lr, momentum) : new Nesterovs(schedule, momentum);
        };
    }

    /** Lower case, for ids and tables: adam, sgd, nesterovs. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Case-insensitive. */
    public static Optimizer parse(String s) {
        for (Optimizer o : values()) {
            if (o.key().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown optimizer '" + s + "'; allowed: adam, sgd, nesterovs");
    }
}
