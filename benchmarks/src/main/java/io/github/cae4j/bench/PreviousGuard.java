package io.github.cae4j.bench;

import io.github.cae4j.training.TrainingDivergedException;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.ConvexOptimizer;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * The {@code NonFiniteScoreGuard} of before issue 17 (a copy of parameters and updater state and three
 * NaN/Inf counts at every step), kept only so that {@link GuardBench} can show, in the same run, what
 * the library's guard (a snapshot every {@code checkEvery} steps) saves. Not used by the library.
 */
final class PreviousGuard extends BaseTrainingListener {

    private Model savedFrom;
    private INDArray savedParams;
    private INDArray savedUpdaterState;
    /** The iteration that started from the saved state (DL4J's 0-based counter), or -1. */
    private int savedBeforeIteration = -1;
    private int savedEpoch = -1;

    @Override
    public void onGradientCalculation(Model model) {
        int iteration = BaseOptimizer.getIterationCount(model);
        int epoch = BaseOptimizer.getEpochCount(model);
        double score = model.score();
        INDArray params = model.params();
        INDArray updaterState = updaterState(model);
        if (Double.isFinite(score) && allFinite(params) && (updaterState == null || allFinite(updaterState))) {
            save(model, params, updaterState, iteration, epoch);
            return;
        }
        String what = Double.isFinite(score) ? "parameters or updater state are NaN/Inf (score " + score + ")"
                : "score became " + score;
        // the state before the previous step scored finite; the previous step's update broke it
        boolean restorable = model == savedFrom && savedBeforeIteration == iteration - 1;
        String restored = restorable ? restore(model)
                : "nothing to restore: no finite state of this network was seen before iteration " + iteration
                  + ", and the failed step changed nothing";
        throw diverged(what, epoch, iteration, score, restored);
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (allFinite(model.params())) {
            return;
        }
        // onGradientCalculation of this same step saved the state the update started from
        String restored = model == savedFrom && savedBeforeIteration == iteration ? restore(model)
                : "nothing to restore: the guard did not see the start of this step";
        throw diverged("parameters became NaN/Inf (score " + model.score() + ")", epoch, iteration, model.score(), restored);
    }

    private void save(Model model, INDArray params, INDArray updaterState, int iteration, int epoch) {
        savedParams = copyInto(savedParams, params);
        savedUpdaterState = updaterState == null ? null : copyInto(savedUpdaterState, updaterState);
        savedFrom = model;
        savedBeforeIteration = iteration;
        savedEpoch = epoch;
    }

    private String restore(Model model) {
        model.params().assign(savedParams);
        INDArray updaterState = updaterState(model);
        if (updaterState != null && savedUpdaterState != null) {
            updaterState.assign(savedUpdaterState);
        }
        return "parameters and updater state restored to the state iteration " + savedBeforeIteration
                + " started from (epoch " + savedEpoch + ")";
    }

    private static TrainingDivergedException diverged(String what, int epoch, int iteration, double score, String restored) {
        return new TrainingDivergedException("training diverged: " + what + " at epoch " + epoch + ", iteration " + iteration
                + " (DL4J's 0-based counters); " + restored
                + ". Lower the learning rate or lambda, or check the input for NaN/Inf.", epoch, iteration, score);
    }

    private static INDArray copyInto(INDArray buffer, INDArray source) {
        if (buffer == null || buffer.length() != source.length() || buffer.dataType() != source.dataType()) {
            return source.dup().detach();
        }
        return buffer.assign(source);
    }

    /** The flat updater state the next update reads and writes (created if DL4J has not yet), or null if it has none. */
    private static INDArray updaterState(Model model) {
        ConvexOptimizer optimizer = model.getOptimizer();
        if (optimizer == null) {
            return null;
        }
        // DL4J keeps a graph's updater apart from the one it creates for networks and layers
        Object updater = model instanceof ComputationGraph ? optimizer.getComputationGraphUpdater(true) : optimizer.getUpdater(true);
        return updater instanceof BaseMultiLayerUpdater<?> u ? u.getStateViewArray() : null;
    }

    private static boolean allFinite(INDArray x) {
        return Nd4j.getExecutioner().exec(new MatchCondition(x, Conditions.isFinite())).getLong(0) == x.length();
    }

    /**
     * The last iteration whose update the saved state includes (the saved state is the one iteration
     * {@code lastGoodIteration() + 1} started from), or -1 if it is the state before the first guarded
     * iteration or nothing was saved.
     */
    public int lastGoodIteration() {
        return savedBeforeIteration < 0 ? -1 : savedBeforeIteration - 1;
    }

    /** DL4J's epoch counter when the saved state was recorded, or -1. */
    public int lastGoodEpoch() {
        return savedEpoch;
    }
}
