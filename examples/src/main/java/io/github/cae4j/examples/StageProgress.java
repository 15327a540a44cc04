package io.github.cae4j.examples;

import io.github.cae4j.training.EarlyStoppingProgressLogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Stage k of n" for a long run: each stage logs its number, what it is, the time so far and an
 * overall ETA (mean time per finished stage times the stages left: stages differ in cost, so the
 * first estimates are rough and settle as the run goes). The current stage is kept for the
 * interrupt message.
 */
public final class StageProgress {

    private static final Logger log = LoggerFactory.getLogger(StageProgress.class);

    private final int total;
    private final long start = System.nanoTime();
    private int started;
    private volatile String current = "starting";

    public StageProgress(int total) {
        if (total < 1) {
            throw new IllegalArgumentException("StageProgress: total must be >= 1, got " + total);
        }
        this.total = total;
    }

    /** Logs the start of the next stage with the mean-time-per-stage ETA. */
    public void begin(String what) {
        begin(what, null);
    }

    /**
     * Logs the start of the next stage.
     *
     * @param eta the caller's ETA text when it knows better (stages of very different costs), else null
     */
    public void begin(String what, String eta) {
        started++;
        current = "stage " + started + " of " + total + " (" + what + ")";
        double elapsed = elapsedSeconds();
        int finished = started - 1;
        if (eta == null) {
            eta = finished == 0 ? "ETA after the first stage"
                    : "ETA ~" + EarlyStoppingProgressLogger.duration(elapsed / finished * (total - finished));
        }
        log.info("stage {}/{}: {} (elapsed {}, {})", started, total, what, EarlyStoppingProgressLogger.duration(elapsed), eta);
    }

    /** The stage running now, e.g. "stage 3 of 12 (pretrain cae, seed 1)". */
    public String current() {
        return current;
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}
