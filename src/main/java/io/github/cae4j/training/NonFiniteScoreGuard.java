package io.github.cae4j.training;

import io.github.cae4j.internal.GuardedStep;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.ConvexOptimizer;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Stops training when the score, the parameters or the updater state become NaN or infinite, instead
 * of letting hours of NaN updates overwrite a good model: puts back the last good <em>parameters and
 * updater state</em> (Adam's moments, for example) and throws {@link TrainingDivergedException} naming
 * the epoch and iteration.
 *
 * <p>What is guaranteed, with {@code checkEvery = N} (constructor; default {@value #DEFAULT_CHECK_EVERY}):
 * <ul>
 *   <li>The score of every step is checked (DL4J has it before the update, {@link #onGradientCalculation}).
 *       A NaN/Inf score stops that step before its update.</li>
 *   <li>The parameters and the updater state are checked after every {@code N}th step's update, after
 *       the last step of each epoch of {@code fit(DataSetIterator)} ({@link #onEpochEnd}), and at the
 *       first step the guard sees and after any step it did not see (another {@code fit} without it,
 *       a failed step, another model). NaN/Inf there is caught even when the score is finite, e.g.
 *       Adam's {@code g²} overflowing to Inf while the update ({@code m / √v = 0}) and the parameters
 *       stay finite. So a non-finite state is found at most {@code N - 1} steps after it appears, or at
 *       the end of the epoch, whichever comes first.</li>
 *   <li>Snapshots are only ever taken of a state checked finite and with a finite score: before the
 *       first step the guard sees, after any step it did not see, and then before every {@code N}th
 *       step. A divergence puts back the latest snapshot, so it costs at most {@code N} steps of
 *       progress. A divergence at the first guarded step restores the network as it was given; a
 *       non-finite score there changes nothing.</li>
 *   <li>With {@code N = 1} every step is checked and preceded by a snapshot: the state put back is the
 *       one the failed step started from (for a non-finite score, the one the previous step started
 *       from, since its update may be what made the score NaN/Inf, and a NaN batch, which cannot be told
 *       apart, costs one step), and the next {@code fit} on clean data goes on as if the failed step
 *       had not happened.</li>
 * </ul>
 * A {@code ContractiveDenseLayer} above layer 0 of a {@code MultiLayerNetwork}, which refuses NaN/Inf
 * input in its forward pass (before the score and any listener), lets it through in a step this guard
 * watches, so NaN parameters below it between checks still end in a restore rather than in the layer's
 * exception. In a {@code ComputationGraph} the layer cannot tell the data from a diverged layer below, so
 * there the layer's exception ends {@code fit} with the parameters as they are (use {@code checkEvery = 1}).
 * Not guaranteed: a state that turns non-finite in the last {@code N - 1} steps of a run of single-batch
 * {@code fit(DataSet)} calls is only seen by the guard's next step (or epoch end). DL4J's iteration
 * counter is not rolled back.
 *
 * <p>Why every {@code N} steps: the check is a sum over the parameters and one over the updater state,
 * and a snapshot copies both; for a 784-1000 CAE with Adam (4.7 million values) doing that every step
 * costs several times the 5 % of a step that a safety net may take, while the default keeps it at a
 * few per cent (docs/robustness.md gives the measurement). The score check is free.
 *
 * <p>Add it with {@code net.addListeners(new NonFiniteScoreGuard())}; it works for a
 * {@code MultiLayerNetwork}, a {@code ComputationGraph} and a layer in DL4J's layer-wise
 * pretraining. Under DL4J's {@code EarlyStoppingTrainer}, which swallows exceptions, use
 * {@link EarlyStoppingRun} to see it. Memory: one copy of the parameters and of the updater state.
 */
public final class NonFiniteScoreGuard extends BaseTrainingListener {

    /** Steps between checks of the parameters and updater state (and between snapshots) by default. */
    public static final int DEFAULT_CHECK_EVERY = 10;

    private final int checkEvery;
    private Model savedFrom;
    private INDArray savedParams;
    private INDArray savedUpdaterState;
    /** The iteration that started from the saved state (DL4J's 0-based counter), or -1. */
    private int savedBeforeIteration = -1;
    private int savedEpoch = -1;
    /** The step in progress, if its start was seen with every step since the snapshot seen too. */
    private Model watchedModel;
    private int watchedIteration = -1;
    /** The latest step that ended without a divergence, and the latest whose state was checked finite. */
    private Model seenModel;
    private int seenIteration = -1;
    private int checkedIteration = -1;

    /** Checks parameters and updater state, and snapshots, every {@value #DEFAULT_CHECK_EVERY} steps. */
    public NonFiniteScoreGuard() {
        this(DEFAULT_CHECK_EVERY);
    }

    /**
     * @param checkEvery steps between checks of the parameters and updater state and between snapshots,
     *                   >= 1; 1 restores exactly the state the failed step started from, larger values
     *                   trade up to that many steps of lost progress (and of detection delay) for speed
     */
    public NonFiniteScoreGuard(int checkEvery) {
        if (checkEvery < 1) {
            throw new IllegalArgumentException("NonFiniteScoreGuard: checkEvery must be >= 1, got " + checkEvery);
        }
        this.checkEvery = checkEvery;
    }

    @Override
    public void onGradientCalculation(Model model) {
        GuardedStep.disarm();
        int iteration = BaseOptimizer.getIterationCount(model);
        int epoch = BaseOptimizer.getEpochCount(model);
        double score = model.score();
        watchedModel = null;
        boolean unbroken = model == seenModel && seenIteration == iteration - 1;
        boolean restorable = unbroken && model == savedFrom;
        if (!Double.isFinite(score)) {
            throw diverged("score became " + score, epoch, iteration, score, restorable ? restore(model) : NOTHING_CHANGED);
        }
        if (restorable && iteration - savedBeforeIteration < checkEvery) {
            watch(model, iteration);
            return;
        }
        // a snapshot is due: the state must be known finite (checked after the previous step, or now)
        INDArray params = model.params();
        INDArray updaterState = updaterState(model);
        if (!(unbroken && checkedIteration == iteration - 1) && !finite(params, updaterState)) {
            throw diverged("parameters or updater state are NaN/Inf (score " + score + ")", epoch, iteration, score,
                    restorable ? restore(model) : NOTHING_CHANGED);
        }
        save(model, params, updaterState, iteration, epoch);
        watch(model, iteration);
    }

    private static final String NOTHING_CHANGED = "nothing to restore: the guard had seen no finite state of this network"
            + " before this step, and the failed step changed nothing";

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        boolean watched = model == watchedModel && watchedIteration == iteration;
        watchedModel = null;
        if (!watched) {
            savedFrom = null;   // a step began unseen: the snapshot may not be this run's
        } else if (iteration + 1 - savedBeforeIteration < checkEvery) {
            seen(model, iteration, false);
            armNextStep(model, iteration);
            return;
        }
        check(model, iteration, epoch, watched);
        armNextStep(model, iteration);
    }

    /**
     * A contractive layer above layer 0 lets a NaN/Inf input through in the next step instead of
     * throwing during the forward pass, before any listener runs ({@link GuardedStep}): NaN parameters
     * below it that no check has seen yet then give a NaN score, and this guard restores its snapshot.
     * A {@code MultiLayerNetwork} only: a graph's layer cannot tell whether its input is the data.
     */
    private void armNextStep(Model model, int iteration) {
        if (model == savedFrom && model instanceof MultiLayerNetwork net) {
            GuardedStep.arm(net, this, iteration + 1);
        }
    }

    /** Checks the steps since the last check at the end of each epoch of {@code fit(DataSetIterator)}. */
    @Override
    public void onEpochEnd(Model model) {
        GuardedStep.disarm();   // the state is checked now, so a NaN in the next step's forward pass can only be data
        if (model == seenModel && checkedIteration != seenIteration) {
            check(model, seenIteration, BaseOptimizer.getEpochCount(model), model == savedFrom);
        }
    }

    private void check(Model model, int iteration, int epoch, boolean restorable) {
        INDArray params = model.params();
        INDArray updaterState = updaterState(model);
        if (finite(params, updaterState)) {
            seen(model, iteration, true);
            return;
        }
        seenModel = null;
        boolean paramsFinite = allFinite(params);
        String what = (paramsFinite ? "the updater state became NaN/Inf with finite parameters"
                : "parameters became NaN/Inf") + " (score " + model.score() + ")";
        throw diverged(what, epoch, iteration, model.score(), restorable && model == savedFrom ? restore(model)
                : "nothing to restore: the guard did not see the start of this step");
    }

    private void watch(Model model, int iteration) {
        watchedModel = model;
        watchedIteration = iteration;
    }

    private void seen(Model model, int iteration, boolean checked) {
        if (model != seenModel) {
            checkedIteration = -1;
        }
        seenModel = model;
        seenIteration = iteration;
        if (checked) {
            checkedIteration = iteration;
        }
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
        seenModel = null;
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

    private static boolean finite(INDArray params, INDArray updaterState) {
        return allFinite(params) && (updaterState == null || allFinite(updaterState));
    }

    /**
     * One vectorised sum decides in the common case: NaN and Inf propagate into it, so a finite sum means
     * every element is finite. Only a non-finite sum (a NaN/Inf, or finite values whose sum overflows)
     * pays for the exact count, which is slower than the sum.
     */
    private static boolean allFinite(INDArray x) {
        if (Double.isFinite(x.sumNumber().doubleValue())) {
            return true;
        }
        return Nd4j.getExecutioner().exec(new MatchCondition(x, Conditions.isFinite())).getLong(0) == x.length();
    }

    /** Steps between checks of the parameters and updater state, and between snapshots. */
    public int checkEvery() {
        return checkEvery;
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
