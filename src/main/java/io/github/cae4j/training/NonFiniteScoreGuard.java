package io.github.cae4j.training;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stops training the moment the score becomes NaN or infinite, instead of letting hours of NaN
 * updates overwrite a good model. After every iteration with a finite score and finite parameters
 * it copies the parameters into one preallocated buffer (no per-step allocation); when the score or
 * the parameters stop being finite it copies them back and throws {@link TrainingDivergedException}
 * naming the epoch and iteration.
 *
 * <p>Add it with {@code net.addListeners(new NonFiniteScoreGuard())}. Under DL4J's
 * {@code EarlyStoppingTrainer}, which swallows exceptions, use {@link EarlyStoppingRun} to see it.
 */
public final class NonFiniteScoreGuard extends BaseTrainingListener {

    private INDArray lastGood;
    private int lastGoodEpoch = -1;
    private int lastGoodIteration = -1;

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        double score = model.score();
        INDArray params = model.params();
        // sum of the parameters is finite iff none is NaN/Inf (barring overflow, which is divergence too)
        boolean paramsFinite = Double.isFinite(params.sumNumber().doubleValue());
        if (Double.isFinite(score) && paramsFinite) {
            if (lastGood == null || lastGood.length() != params.length()) {
                lastGood = params.dup().detach();
            } else {
                lastGood.assign(params);
            }
            lastGoodEpoch = epoch;
            lastGoodIteration = iteration;
            return;
        }
        String what = Double.isFinite(score) ? "parameters became NaN/Inf (score " + score + ")" : "score became " + score;
        String restored;
        if (lastGood != null) {
            params.assign(lastGood);
            restored = "parameters restored to the last good state (epoch " + lastGoodEpoch + ", iteration " + lastGoodIteration + ")";
        } else {
            restored = "no good state to restore: the first iteration already failed";
        }
        throw new TrainingDivergedException("training diverged: " + what + " at epoch " + epoch + ", iteration " + iteration
                + " (DL4J's 0-based counters); " + restored
                + ". Lower the learning rate or lambda, or check the input for NaN/Inf.", epoch, iteration, score);
    }

    /** The epoch of the last good state, or -1. */
    public int lastGoodEpoch() {
        return lastGoodEpoch;
    }

    /** The iteration of the last good state, or -1. */
    public int lastGoodIteration() {
        return lastGoodIteration;
    }
}
