package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.StageProgress;
import io.github.cae4j.training.EarlyStoppingProgressLogger;

/**
 * The steps of one invocation, each saved when it finishes (a pretraining, a candidate's
 * fine-tuning round, a seed's fine-tuning and test): "step k of n" with {@link StageProgress}, its
 * ETA from the cost plan (the planned seconds of the steps done so far against the time they took,
 * applied to the planned seconds left), which copes with steps of very different sizes where a mean
 * time per step does not (a 15-minute pretraining first, then a hundred fine-tunings of seconds).
 * For tests it can stop the run after a number of steps, as an interruption would.
 */
final class Steps {

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
        progress.begin(what, eta(progress.elapsedSeconds(), doneEstimate, plannedSeconds));
        currentEstimate = estimatedSeconds;
    }

    /**
     * The cost plan's ETA: the planned seconds left at this run's pace so far (elapsed time per
     * planned second of the finished steps).
     */
    static String eta(double elapsedSeconds, double doneEstimate, double plannedSeconds) {
        if (!(doneEstimate > 0)) {
            return "ETA after the first planned step";
        }
        double left = Math.max(0, plannedSeconds - doneEstimate);
        return "ETA ~" + EarlyStoppingProgressLogger.duration(left * elapsedSeconds / doneEstimate) + " by the cost plan (~"
                + EarlyStoppingProgressLogger.duration(left) + " of planned work left)";
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
