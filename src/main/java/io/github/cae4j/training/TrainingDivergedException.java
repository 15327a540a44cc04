package io.github.cae4j.training;

/**
 * The score, the parameters or the updater state became NaN or infinite. When the message says so, the
 * network's parameters and updater state have been put back to the guard's latest snapshot, a state
 * whose score, parameters and updater state were finite (see {@link NonFiniteScoreGuard} for how old it can be).
 */
public final class TrainingDivergedException extends IllegalStateException {

    private final int epoch;
    private final int iteration;
    private final double score;

    public TrainingDivergedException(String message, int epoch, int iteration, double score) {
        super(message);
        this.epoch = epoch;
        this.iteration = iteration;
        this.score = score;
    }

    /** DL4J's 0-based epoch counter when the score went bad. */
    public int epoch() {
        return epoch;
    }

    /** DL4J's 0-based iteration counter when the score went bad. */
    public int iteration() {
        return iteration;
    }

    public double score() {
        return score;
    }
}
