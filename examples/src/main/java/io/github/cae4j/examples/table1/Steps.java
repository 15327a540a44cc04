package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.StageProgress;
import io.github.cae4j.training.EarlyStoppingProgressLogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one invocation, each saved when it finishes (a pretraining, a candidate's
 * fine-tuning round, a seed's fine-tuning and test): "step k of n" with {@link StageProgress}'s
 * ETA, plus one from the cost plan (the planned seconds of the steps done so far against the time
 * they took, applied to the planned seconds left), which copes with steps of very different sizes.
 * For tests it can stop the run after a number of steps, as an interruption would.
 */
final class Steps {

    private static final Logger log = LoggerFactory.getLogger(Steps.class);

    /** Thrown after the requested number of steps; everything finished so far is saved. */
    static final class StopRequested extends RuntimeException {
        StopRequested(int steps) {
            super("stopped after " + steps + " steps, as asked (--stop-after-steps); run the same command again to continue");
        }
    }

    private final StageProgress progress;
    private final double plannedSeconds;
    private final int stopAfter;
    private double doneEstimate;
    private double currentEstimate;
    private int finished;

    /**
     * @param pending        steps left to do (an upper bound: later rounds' survivors may have finished already)
     * @param plannedSeconds their estimated cost
     * @param stopAfter      stop after this many steps, 0 for never
     */
    Steps(int pending, double plannedSeconds, int stopAfter) {
        this.progress = new StageProgress(Math.max(1, pending));
        this.plannedSeconds = plannedSeconds;
        this.stopAfter = stopAfter;
    }

    void begin(String what, double estimatedSeconds) {
        progress.begin(what);
        currentEstimate = estimatedSeconds;
        if (doneEstimate > 0) {
            double elapsed = progress.elapsedSeconds();
            double left = Math.max(0, plannedSeconds - doneEstimate);
            log.info("  cost plan: ~{} of planned work left; at this run's pace ~{}", EarlyStoppingProgressLogger.duration(left),
                    EarlyStoppingProgressLogger.duration(left * elapsed / doneEstimate));
        }
    }

    void end() {
        doneEstimate += currentEstimate;
        finished++;
        if (stopAfter > 0 && finished >= stopAfter) {
            throw new StopRequested(finished);
        }
    }

    /** The step running now, for the interrupt message. */
    String current() {
        return progress.current();
    }
}
