package io.github.cae4j.layers;

import io.github.cae4j.internal.ContractivePenalty;
import io.github.cae4j.internal.DiscardedInputGradient;
import io.github.cae4j.internal.GuardedStep;
import io.github.cae4j.internal.HigherOrderPenalty;
import io.github.cae4j.internal.KeptArrays;
import io.github.cae4j.internal.RowMajorProduct;
import io.github.cae4j.internal.ThreadSettingCheck;

import io.github.cae4j.diagnostics.JacobianNorms;
import io.github.cae4j.internal.VectorBroadcasts;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.Solver;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.github.cae4j.layers.ContractiveParamInitializer.BIAS_KEY;
import static io.github.cae4j.layers.ContractiveParamInitializer.VISIBLE_BIAS_KEY;
import static io.github.cae4j.layers.ContractiveParamInitializer.WEIGHT_KEY;

/**
 * Runtime half of {@link ContractiveDenseLayer}; the math and notation are in that class's Javadoc.
 *
 * <p>Gradients are batch sums and score terms follow DL4J's {@code miniBatch} flag: batch means with
 * {@code miniBatch(true)} (the default), because DL4J's updater then divides gradients by the
 * minibatch size, and batch sums with {@code miniBatch(false)}, where it does not (as DL4J's output
 * layers do). The penalty's score term belongs to the latest forward pass ({@link #activate}) and is
 * reported through {@link #calcRegularizationScore}, which is how DL4J adds a hidden layer's terms to the
 * network score: {@code fit}, {@code score(DataSet)}, early stopping's loss calculator and gradient
 * checks all run a forward pass first, so the value is never stale. A training pass computes it with
 * the quantities backprop needs anyway; an inference pass keeps only {@code f'(z)} and computes it when
 * {@code calcRegularizationScore} first asks (so {@code output()} does not pay for it), with the
 * weights the layer holds then. The layer's parameter setters compute it first, but a write into W that
 * bypasses them between an inference pass and that call is seen: {@code MultiLayerNetwork.setParams}
 * and {@code ComputationGraph.setParams} (for a parameter vector of the same length) and writes into
 * {@code params()} assign in place, so {@code output(x)}, then such a write, then an explicit
 * {@code calcRegularizationScore} gives the pass's {@code f'(z)} with the new W. DL4J's own scores
 * ({@code score}, {@code scoreExamples}, early stopping, gradient checks) always run their forward pass
 * right before, so they never see a mix.
 *
 * <p>Backprop does not call {@code IActivation.backprop}: {@code ∂L/∂z = ε ⊙ f'(z)} for an element-wise
 * activation, and {@code f'(z)} is needed for the penalty anyway.
 */
public class ContractiveDenseLayerImpl extends BaseLayer<ContractiveDenseLayer> {

    /** λ · batch mean (batch sum with {@code miniBatch(false)}) of ‖J‖²_F from the most recent forward pass. */
    private double lastPenalty;
    /**
     * The latest inference forward pass's penalty, not yet computed: {@code output()} never asks for it,
     * so it is computed only when a score does ({@link #calcRegularizationScore}), or before the
     * parameters are replaced through the layer. Null when there is none pending.
     */
    private transient PendingPenalty pendingInference;

    /**
     * How many inference penalties were computed. Package-private, for the test that {@code output()}
     * computes none.
     */
    int inferencePenaltiesComputed;
    /**
     * What the latest training-mode forward pass computed that backprop of the same step needs,
     * held in the activations workspace (which DL4J keeps open from the forward pass through
     * backprop). Backprop uses it only for the same input array and while none of its arrays'
     * workspaces has been closed; otherwise it recomputes. Cleared by backprop, so it never outlives a
     * step, and by {@code clear()} and the parameter setters. A write into the parameters that bypasses the
     * layer between a forward pass and its backprop is not seen (DL4J makes none). Transient: a cache of
     * one step, whose arrays may live in a workspace that is closed by then, must not travel with the
     * layer (Kryo, as Spark uses it, serialises runtime layers field by field, and cannot serialise a record).
     */
    private transient Forward lastForward;

    /**
     * How often backprop found the kept forward pass unusable (another input array, or one of its arrays'
     * workspaces closed) and recomputed it. Package-private, for the tests that reach that branch.
     */
    int keptForwardsDiscarded;

    /**
     * How often backprop skipped the input gradient because DL4J discards it ({@link DiscardedInputGradient}).
     * Package-private, for the tests of that path.
     */
    int inputGradientsSkipped;

    /**
     * Whether {@code input} already carries this step's masking/Gaussian noise (as DL4J's
     * {@code dropoutApplied} does for dropout); reset by {@link #setInput}.
     */
    private transient boolean inputNoiseApplied;
    /** {@code ∂x̃/∂x} of that noise (the masking noise's keep mask), or null: backprop multiplies it into the epsilon. */
    private transient INDArray inputKeepMask;
    /**
     * The input of the latest forward pass if it was an inference pass, else null. Backprop right after an
     * inference pass on the same input (DL4J's {@code FrozenLayerWithBackprop} does exactly that, and reports
     * no regularization score for the layer) differentiates that pass ({@link #backpropThroughInference}).
     */
    private transient INDArray inferenceInput;
    /** Optimiser state for layer-wise pretraining to continue from, set by {@link #restorePretrainingUpdaterState}. */
    private transient INDArray pendingPretrainingState;

    public ContractiveDenseLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        ThreadSettingCheck.warnOnce();
    }

    @Override
    public boolean isPretrainLayer() {
        return true;
    }

    @Override
    public boolean hasBias() {
        return layerConf().hasBias();
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        // Above layer 0 a non-finite training input is the layers below diverging; a guard watching the step
        // needs the NaN to reach the score, which it sees only after this forward pass (GuardedStep).
        if (!(training && getIndex() > 0 && GuardedStep.isArmed(params(), getIterationCount()))) {
            requireFiniteInput();
        }
        INDArray z = preOutput(training, workspaceMgr);
        lastForward = null;
        pendingInference = null;
        inferenceInput = training ? null : input;
        if (!training) {
            return inferenceActivation(z, workspaceMgr);
        }
        PerExamplePenalties.forget(this);
        INDArray W = getParamWithNoise(WEIGHT_KEY, true, workspaceMgr);
        // The derivatives are kept for backprop, so they are allocated where the activations live.
        try (MemoryWorkspace ignored = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
            INDArray zCopy = keptPreActivation(z);
            INDArray h = activation(z, true);
            Forward f = forward(input, zCopy, h, W);
            lastPenalty = batchScore(f.penaltySum(), z.size(0));
            lastForward = f;
            return h;
        }
    }

    /**
     * Inference forward pass: {@code f(z)}, and {@code f'(z)} kept outside any workspace so that the
     * penalty can be computed if a score asks for it ({@link #resolveInferencePenalty}); {@code output()}
     * pays one element-wise pass for it instead of the penalty's reductions over W and the batch.
     */
    private INDArray inferenceActivation(INDArray z, LayerWorkspaceMgr workspaceMgr) {
        PerExamplePenalties.forget(this);
        if (layerConf().getLambda() == 0) {
            lastPenalty = 0.0;
            return activation(z, false);
        }
        INDArray zCopy = keptPreActivation(z);
        INDArray h = activation(z, false);
        // Detached: DL4J closes the activations workspace (and calls clear()) before it sums the score terms.
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            pendingInference = new PendingPenalty(derivativeOf(zCopy, h), getParamWithNoise(WEIGHT_KEY, false, workspaceMgr));
        }
        return h;
    }

    /** What an inference pass's penalty needs: {@code f'(z)} (masked, detached) and the W of the forward product. */
    private record PendingPenalty(INDArray d1, INDArray W) {
    }

    /**
     * Computes the pending inference penalty, if any: each example's {@code λ‖J_n‖²_F}, recorded for
     * {@code scoreExamples} ({@link PerExamplePenalties}), and the batch's score term.
     */
    private void resolveInferencePenalty() {
        PendingPenalty p = pendingInference;
        if (p == null) {
            return;
        }
        pendingInference = null;
        inferencePenaltiesComputed++;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray s = ContractivePenalty.columnSquaredNorms(p.W());
            INDArray perExample = ContractivePenalty.perExample(p.d1(), s).muli(layerConf().getLambda());
            lastPenalty = batchScore(perExample.sumNumber().doubleValue(), p.d1().size(0));
            PerExamplePenalties.record(this, perExample, lastPenalty);
        }
    }

    /**
     * A copy of {@code z} for the derivatives, taken before the activation overwrites {@code z} in place;
     * null (no copy) when they are read off {@code h} alone (sigmoid, tanh) and there is no higher-order
     * term (CAE+H shifts {@code z} by {@code εW}, so it always needs it).
     */
    private INDArray keptPreActivation(INDArray z) {
        ContractiveDenseLayer conf = layerConf();
        return conf.activationDerivatives().needsPreActivation() || conf.getGamma() != 0 ? z.dup() : null;
    }

    /** {@code f(z)} in place, masked. */
    private INDArray activation(INDArray z, boolean training) {
        INDArray h = layerConf().getActivationFn().getActivation(z, training);
        if (maskArray != null) {
            applyMask(h);
        }
        return h;
    }

    /**
     * The encoder quantities of one forward pass that the penalty and backprop share.
     *
     * @param input       encoder input {@code x} {@code [m, nIn]} (after dropout or masking noise)
     * @param d1          {@code f'(z)}, masked
     * @param d2          {@code f''(z)}, or null when λ = 0 or the activation is piecewise linear
     * @param columnNorms {@code s_j = ‖W_j‖²}, null when λ = 0
     * @param d1SqColSums {@code Σ_n d1_nj²}, null when λ = 0
     * @param penaltySum  {@code λ Σ_n ‖J_n‖²_F}, plus the higher-order term's batch sum when γ > 0
     * @param higherOrder the higher-order term (CAE+H, {@link HigherOrderPenalty}), null when γ = 0
     */
    private record Forward(INDArray input, INDArray d1, INDArray d2, INDArray columnNorms, INDArray d1SqColSums,
                           double penaltySum, HigherOrderPenalty.Terms higherOrder) {

        boolean stillValidFor(INDArray currentInput) {
            return input == currentInput && KeptArrays.readable(d1, d2, columnNorms, d1SqColSums)
                    && (higherOrder == null || KeptArrays.readable(higherOrder.arrays()));
        }
    }

    /**
     * @param z pre-activation {@code [m, nOut]} (not modified), or null when neither the derivatives nor
     *          the higher-order term read it ({@link #keptPreActivation})
     * @param h {@code f(z)}
     */
    private Forward forward(INDArray x, INDArray z, INDArray h, INDArray W) {
        ContractiveDenseLayer conf = layerConf();
        double lambda = conf.getLambda();
        INDArray d1 = derivativeOf(z, h);
        HigherOrderPenalty.Terms higher = higherOrderTerms(z, h, d1, W);
        double higherSum = higher == null ? 0.0 : higher.penaltySum();
        if (lambda == 0) {
            return new Forward(x, d1, null, null, null, higherSum, higher);
        }
        INDArray s = ContractivePenalty.columnSquaredNorms(W);
        INDArray colSums = ContractivePenalty.squaredDerivativeColumnSums(d1);
        INDArray d2 = conf.activationDerivatives().second(z, h, d1);
        return new Forward(x, d1, d2, s, colSums, lambda * ContractivePenalty.batchSum(colSums, s) + higherSum, higher);
    }

    /**
     * The CAE+H term for a training forward pass, or null when γ = 0. Every call draws fresh noise from
     * ND4J's generator; {@link #forward} runs only in training (inference leaves the stochastic term out,
     * as it leaves out dropout and input noise), once per step, or a second time when backprop must
     * recompute a forward pass whose workspace was closed (then with a new draw: an equally valid estimate).
     */
    private HigherOrderPenalty.Terms higherOrderTerms(INDArray z, INDArray h, INDArray d1, INDArray W) {
        ContractiveDenseLayer conf = layerConf();
        if (conf.getGamma() == 0) {
            return null;
        }
        return HigherOrderPenalty.compute(z, h, d1, W, maskArray, conf.getActivationFn(), conf.activationDerivatives(),
                conf.getGamma(), conf.getSigma(), conf.getCorruptedCopies());
    }

    /**
     * As {@code BaseLayer}'s, with the product computed the way {@link RowMajorProduct} explains: ND4J's
     * native gemm layout, and the same row-major order as the epsilon that backprop multiplies with
     * {@code f'(z)}.
     */
    @Override
    protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        applyInputNoiseIfNecessary(training, workspaceMgr);
        INDArray W = getParamWithNoise(WEIGHT_KEY, training, workspaceMgr);
        INDArray z = RowMajorProduct.preActivation(input, W,
                hasBias() ? getParamWithNoise(BIAS_KEY, training, workspaceMgr) : null, workspaceMgr, layerId());
        if (maskArray != null) {
            applyMask(z);
        }
        return z;
    }

    /**
     * Training with {@code corruptionLevel}/{@code gaussianNoise} ({@code fit()}, a denoising CAE): the
     * encoder sees {@code x̃} ({@link InputNoise}) instead of {@code x}, after DL4J's dropout, once per
     * input as DL4J applies dropout. The labels the network is given (the clean features, for an
     * autoencoder) are untouched, and the penalty is taken at {@code x̃}, where the encoder is evaluated,
     * exactly as in layer-wise pretraining ({@link #computeGradientAndScore}): the forward pass has
     * {@code f'(z̃)} at hand, and the two training paths optimise the same objective. Inference never adds noise.
     */
    private void applyInputNoiseIfNecessary(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!training || inputNoiseApplied || !InputNoise.isConfigured(layerConf())) {
            return;
        }
        InputNoise.Noisy noisy = InputNoise.apply(input.castTo(dataType), layerConf(), workspaceMgr);
        input = noisy.input();
        inputKeepMask = noisy.keepMask();
        inputNoiseApplied = true;
    }

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        super.setInput(input, workspaceMgr);
        inputNoiseApplied = false;
        inputKeepMask = null;
    }

    /**
     * NaN or Inf in the input would silently turn every parameter into NaN at the next update. One
     * sum over the input (a single native reduction, cheap next to the layer's matrix product) tells
     * whether any value is non-finite; only then are they counted, for the message.
     */
    private void requireFiniteInput() {
        if (input == null || Double.isFinite(input.sumNumber().doubleValue())) {
            return;
        }
        long bad = input.length() - Nd4j.getExecutioner().exec(new MatchCondition(input, Conditions.isFinite())).getLong(0);
        if (bad > 0) {
            throw new IllegalArgumentException("ContractiveDenseLayer \"" + (layerConf().getLayerName() == null ? "(unnamed)"
                    : layerConf().getLayerName()) + "\" (layer index " + getIndex() + "): input contains " + bad
                    + " NaN/Inf value(s) in a batch of shape " + java.util.Arrays.toString(input.shape())
                    + "; inputs must be finite (check the data, or the layer below for divergence)");
        }
    }

    /** {@code f'(z)} with masked-out examples zeroed, so they add neither penalty nor gradient. */
    private INDArray derivativeOf(INDArray z, INDArray h) {
        INDArray d1 = layerConf().activationDerivatives().first(z, h);
        if (maskArray != null) {
            applyMask(d1);
        }
        return d1;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray W = getParamWithNoise(WEIGHT_KEY, true, workspaceMgr);
        Forward f = lastForward;
        lastForward = null;
        if (f != null && !f.stillValidFor(input)) {
            f = null;
            keptForwardsDiscarded++;
        }
        if (f == null && inferenceInput != null && inferenceInput == input) {
            return backpropThroughInference(epsilon, workspaceMgr);
        }
        if (f == null) {
            INDArray z = preOutput(true, workspaceMgr);
            INDArray zCopy = keptPreActivation(z);
            f = forward(input, zCopy, layerConf().getActivationFn().getActivation(z, true), W);
        }

        Gradient gradient = new DefaultGradient(gradientsFlattened);
        INDArray delta = accumulateEncoderGradients(f, epsilon, W, gradient, 0.0);

        INDArray epsilonNext;
        if (DiscardedInputGradient.inFitOfFirstLayer(getIndex())) {
            // DL4J drops layer 0's epsilon in fit: hand back zeros of the right shape, in the right workspace,
            // instead of the step's sixth product (an input preprocessor's backprop still gets a valid array).
            epsilonNext = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, delta.dataType(), new long[]{delta.size(0), W.size(0)}, 'c');
            inputGradientsSkipped++;
        } else {
            epsilonNext = RowMajorProduct.inputGradient(delta, W, workspaceMgr);
            if (inputKeepMask != null) {
                epsilonNext.muli(inputKeepMask);      // through the masking noise; Gaussian noise passes it unchanged
            }
        }

        // vb belongs to the tied decoder; supervised backprop leaves it alone (DL4J skips its updater block).
        INDArray vbGrad = gradientViews.get(VISIBLE_BIAS_KEY);
        vbGrad.assign(0);
        gradient.gradientForVariable().put(VISIBLE_BIAS_KEY, vbGrad);

        weightNoiseParams.clear();
        return new Pair<>(gradient, backpropDropOutIfPresent(epsilonNext));     // also releases the dropout's mask
    }

    /**
     * Backprop of an inference forward pass, as DL4J's {@code FrozenLayerWithBackprop} runs it (forward in
     * inference mode, then backprop; it reports no regularization score for the layer and zeroes its
     * parameter gradients): the gradient of the function that pass computed, {@code f(xW + b)} without
     * dropout, input noise, weight noise or penalty, so the layers below train on the score DL4J reports.
     * Recomputing a training pass instead would hand down the penalty's input gradient (and a dropout or
     * noise draw the forward pass never applied).
     */
    private Pair<Gradient, INDArray> backpropThroughInference(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        INDArray W = getParamWithNoise(WEIGHT_KEY, false, workspaceMgr);
        INDArray z = preOutput(false, workspaceMgr);
        INDArray zCopy = layerConf().activationDerivatives().needsPreActivation() ? z.dup() : null;
        INDArray delta = derivativeOf(zCopy, layerConf().getActivationFn().getActivation(z, false)).muli(epsilon);
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        INDArray wGrad = gradientViews.get(WEIGHT_KEY);
        Nd4j.gemm(input.castTo(W.dataType()), delta, wGrad, true, false, 1.0, 0.0);
        gradient.gradientForVariable().put(WEIGHT_KEY, wGrad);
        if (hasBias()) {
            INDArray bGrad = gradientViews.get(BIAS_KEY);
            delta.sum(bGrad, 0);
            gradient.gradientForVariable().put(BIAS_KEY, bGrad);
        }
        INDArray vbGrad = gradientViews.get(VISIBLE_BIAS_KEY);
        vbGrad.assign(0);
        gradient.gradientForVariable().put(VISIBLE_BIAS_KEY, vbGrad);
        return new Pair<>(gradient, RowMajorProduct.inputGradient(delta, W, workspaceMgr));
    }

    /**
     * Encoder part shared by backprop and pretraining: turns {@code ∂L/∂h} into {@code δ = ∂(L+P)/∂z},
     * writes {@code ∂/∂W = xᵀδ + direct penalty term (+ beta · existing)} and {@code ∂/∂b} into the
     * gradient views and records them in {@code gradient}. δ is computed in the storage of {@code f}'s
     * derivatives (see {@link ContractivePenalty#preActivationGradient}), so {@code f} is spent afterwards
     * and {@code epsilon}, which may belong to the caller of {@code MultiLayerNetwork.backpropGradient},
     * is left untouched.
     *
     * @param epsilon {@code ∂L/∂h} {@code [m, nOut]}; not modified
     * @param beta    1 to add to what the W gradient view already holds (the tied decoder's term), 0 to overwrite
     * @return δ {@code [m, nOut]}
     */
    private INDArray accumulateEncoderGradients(Forward f, INDArray epsilon, INDArray W, Gradient gradient, double beta) {
        double lambda = layerConf().getLambda();
        INDArray wGrad = gradientViews.get(WEIGHT_KEY);
        if (lambda > 0) {
            if (beta == 0.0) {
                ContractivePenalty.writeDirectWeightGradient(wGrad, W, f.d1SqColSums(), lambda);
            } else {
                INDArray direct = wGrad.ulike();
                ContractivePenalty.writeDirectWeightGradient(direct, W, f.d1SqColSums(), lambda);
                wGrad.addi(direct);
            }
            beta = 1.0;
        }
        INDArray delta = ContractivePenalty.preActivationGradient(epsilon, f.d1(), f.d2(), f.columnNorms(), lambda);
        HigherOrderPenalty.Terms higher = f.higherOrder();
        if (higher != null && higher.preActivationGradient() != null) {
            delta.addi(higher.preActivationGradient());   // from here on it reaches ∂/∂b, xᵀδ and the epsilon like the rest
        }
        Nd4j.gemm(f.input().castTo(W.dataType()), delta, wGrad, true, false, 1.0, beta);
        if (higher != null) {
            HigherOrderPenalty.addWeightGradient(wGrad, W, higher);
        }
        gradient.gradientForVariable().put(WEIGHT_KEY, wGrad);
        if (hasBias()) {
            INDArray bGrad = gradientViews.get(BIAS_KEY);
            delta.sum(bGrad, 0);
            gradient.gradientForVariable().put(BIAS_KEY, bGrad);
        }
        return delta;
    }

    /**
     * As {@code BaseLayer.fit} (DL4J's layer-wise pretraining entry), except that the input is not
     * dropped out here: DL4J would overwrite the layer's input with the dropped-out one, and the tied
     * decoder would then learn to reconstruct that (targets up to {@code 1/p}, where cross-entropy is
     * unbounded below). {@link #computeGradientAndScore} applies dropout to a copy instead and keeps the
     * clean input as the target.
     */
    @Override
    public void fit(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        if (input != null) {
            setInput(input, workspaceMgr);
        }
        if (pendingPretrainingState != null) {
            // the solver BaseLayer.fit would build now, with the restored state in place of a zero one; outside
            // DL4J's working memory, which is reset after every step while the updater's state lives on
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                solver = new Solver.Builder().model(this).configure(conf()).listeners(getListeners()).build();
                BaseMultiLayerUpdater<?> updater = (BaseMultiLayerUpdater<?>) solver.getOptimizer().getUpdater();
                updater.setStateViewArray(pendingPretrainingState.reshape(updater.getStateViewArray().shape()));
            }
            pendingPretrainingState = null;
        }
        super.fit(null, workspaceMgr);
    }

    /**
     * A copy of the optimiser state of layer-wise pretraining (Adam's moments, momentum), or null
     * before the first pretraining step. DL4J keeps it in the layer's own solver, not in the
     * network's updater, so {@code ModelSerializer} does not save it: a pretraining resumed from
     * such a file would restart the optimiser from zero ({@code ModelFiles} with the updater saves it).
     */
    public INDArray pretrainingUpdaterState() {
        if (pendingPretrainingState != null) {
            return pendingPretrainingState.dup();
        }
        if (solver == null) {
            return null;
        }
        INDArray state = ((BaseMultiLayerUpdater<?>) solver.getOptimizer().getUpdater()).getStateViewArray();
        return state == null ? null : state.dup();
    }

    /**
     * Makes the next layer-wise pretraining step continue from {@code state}, a value of
     * {@link #pretrainingUpdaterState()} saved with the parameters (together with the network's
     * iteration count, which {@code ModelSerializer} does save, Adam's bias correction continues).
     *
     * @throws IllegalArgumentException if {@code state} does not have the length this layer's
     *                                  updater needs
     */
    public void restorePretrainingUpdaterState(INDArray state) {
        if (state == null) {
            throw new IllegalArgumentException("layer " + getIndex() + ": pretraining updater state must not be null");
        }
        long needed = 0;
        for (Map.Entry<String, INDArray> p : paramTable().entrySet()) {
            needed += conf().getLayer().getUpdaterByParam(p.getKey()).stateSize(p.getValue().length());
        }
        if (state.length() != needed) {
            throw new IllegalArgumentException("layer " + getIndex() + ": pretraining updater state has " + state.length()
                    + " values, but this layer's updater (" + conf().getLayer().getUpdaterByParam(WEIGHT_KEY) + ") needs " + needed);
        }
        // a stateless updater (plain SGD) has nothing to continue from
        pendingPretrainingState = needed == 0 ? null : state.castTo(params().dataType()).dup();
    }

    /**
     * The encoder's input in pretraining, {@code x̃}: {@code x} after DL4J's dropout (if the layer has
     * one), then masking noise ({@code corruptionLevel > 0}), then additive Gaussian noise
     * ({@code gaussianNoise > 0}); {@code x} itself when none is set. Never modifies {@code x}, which stays
     * the reconstruction target.
     */
    private INDArray corrupted(INDArray x, LayerWorkspaceMgr workspaceMgr) {
        ContractiveDenseLayer conf = layerConf();
        INDArray xTilde = x;
        if (conf.getIDropout() != null) {
            xTilde = conf.getIDropout().applyDropout(x, x.ulike(), getIterationCount(), getEpochCount(), workspaceMgr);
            conf.getIDropout().clear();    // no backprop through it here: the input is data
        }
        return InputNoise.isConfigured(conf) ? InputNoise.apply(xTilde, conf, workspaceMgr).input() : xTilde;
    }

    /**
     * Layer-wise pretraining step, called by DL4J's {@code pretrainLayer}/{@code fit(INDArray)}: the
     * layer is a CAE with a tied decoder {@code x̂ = g(f(x̃W + b)Wᵀ + vb)}. Score per example:
     * {@code reconstruction(x, x̂) + λ‖J_f(x̃)‖²_F} plus l1/l2, where {@code x} is the clean input (the
     * target) and {@code x̃} the encoder's input after dropout and noise ({@link #corrupted}).
     */
    @Override
    public void computeGradientAndScore(LayerWorkspaceMgr workspaceMgr) {
        if (input == null) {
            return;
        }
        requireFiniteInput();
        lastForward = null;
        pendingInference = null;
        inferenceInput = null;
        ContractiveDenseLayer conf = layerConf();
        INDArray W = getParamWithNoise(WEIGHT_KEY, true, workspaceMgr);
        INDArray x = input.castTo(W.dataType());
        long m = x.size(0);
        INDArray xTilde = corrupted(x, workspaceMgr);

        // Products are row-major like x, so the element-wise work between them never mixes orders (see RowMajorProduct).
        INDArray z = RowMajorProduct.of(xTilde, false, W, false, Nd4j.createUninitialized(W.dataType(), new long[]{W.size(1), m}, 'f'));
        if (hasBias()) {
            VectorBroadcasts.addiRowVector(z, getParam(BIAS_KEY));
        }
        INDArray zCopy = keptPreActivation(z);
        INDArray h = conf.getActivationFn().getActivation(z, true);
        Forward f = forward(xTilde, zCopy, h, W);
        INDArray zHat = VectorBroadcasts.addiRowVector(
                RowMajorProduct.of(h, false, W, true, Nd4j.createUninitialized(W.dataType(), new long[]{W.size(0), m}, 'f')),
                getParam(VISIBLE_BIAS_KEY));

        // One call, so a loss that checks its labels or shares work between the two does it once; ILossFunction's
        // score does not modify the pre-output it is given (DL4J's and cae4j's losses work on copies).
        Pair<Double, INDArray> lossAndGradient = conf.getReconstructionLoss()
                .computeGradientAndScore(x, zHat, conf.getDecoderActivation(), null, false);
        double reconstructionSum = lossAndGradient.getFirst();
        INDArray dLdzHat = lossAndGradient.getSecond();

        Gradient gradient = new DefaultGradient(gradientsFlattened);
        INDArray wGrad = gradientViews.get(WEIGHT_KEY);
        dLdzHat.sum(gradientViews.get(VISIBLE_BIAS_KEY), 0);
        INDArray dLdh = RowMajorProduct.of(dLdzHat, false, W, false, Nd4j.createUninitialized(W.dataType(), new long[]{W.size(1), m}, 'f'));
        // Encoder's terms first, so the penalty's direct term is written straight into the view (no [nIn, nOut]
        // temporary and extra pass), then the decoder's use of W is added by its product (beta = 1). h is intact:
        // δ is computed in the storage of f'(z).
        accumulateEncoderGradients(f, dLdh, W, gradient, 0.0);
        Nd4j.gemm(dLdzHat, h, wGrad, true, false, 1.0, 1.0);          // decoder's use of W
        gradient.gradientForVariable().put(VISIBLE_BIAS_KEY, gradientViews.get(VISIBLE_BIAS_KEY));

        this.gradient = gradient;
        this.score = batchScore(reconstructionSum + f.penaltySum(), m) + regularizationScore(false);
        weightNoiseParams.clear();
    }

    /**
     * The tied-decoder pretraining objective on clean input, without gradients or noise: batch mean of
     * {@code reconstruction(x, g(hWᵀ + vb)) + λ‖J_f(x)‖²_F}, no l1/l2. Early stopping uses it on held-out data.
     * The CAE+H term is left out: it is random, and a noisy held-out score would make early stopping noisy.
     *
     * @param x input {@code [m, nIn]}
     */
    public double tiedObjective(INDArray x) {
        ContractiveDenseLayer conf = layerConf();
        INDArray W = getParam(WEIGHT_KEY);
        INDArray xd = x.castTo(W.dataType());
        INDArray h = conf.getActivationFn().getActivation(preActivation(xd), false);
        INDArray zHat = VectorBroadcasts.addiRowVector(h.mmul(W.transpose()), getParam(VISIBLE_BIAS_KEY));
        double reconstruction = conf.getReconstructionLoss().computeScore(xd, zHat, conf.getDecoderActivation(), null, false);
        double penalty = conf.getLambda() == 0 ? 0.0 : conf.getLambda() * jacobianFrobeniusSquared(xd).sumNumber().doubleValue();
        return (reconstruction + penalty) / xd.size(0);
    }

    private INDArray preActivation(INDArray x) {
        INDArray z = x.mmul(getParam(WEIGHT_KEY));
        return hasBias() ? VectorBroadcasts.addiRowVector(z, getParam(BIAS_KEY)) : z;
    }

    /**
     * Per-example {@code ‖J_f(x)‖²_F} for this layer's current parameters (no dropout, no weight noise).
     *
     * @param x input {@code [m, nIn]}
     * @return {@code [m]}
     */
    public INDArray jacobianFrobeniusSquared(INDArray x) {
        return JacobianNorms.frobeniusSquared(x.castTo(dataType), getParam(WEIGHT_KEY),
                hasBias() ? getParam(BIAS_KEY) : null, layerConf().getActivationFn());
    }

    /**
     * DL4J's score convention, as in {@code BaseOutputLayer.computeScore}: a batch mean with
     * {@code miniBatch(true)} (the default), a batch sum with {@code miniBatch(false)}, matching its
     * updater, which divides the (summed) gradients by the batch size only in the first case.
     */
    private double batchScore(double batchSum, long m) {
        return conf().isMiniBatch() ? batchSum / m : batchSum;
    }

    /** l1/l2/weight decay of the chosen parameters, without the penalty. */
    private double regularizationScore(boolean backpropParamsOnly) {
        double sum = 0.0;
        for (Map.Entry<String, INDArray> e : paramTable(backpropParamsOnly).entrySet()) {
            List<Regularization> regs = layerConf().getRegularizationByParam(e.getKey());
            if (regs != null) {
                for (Regularization r : regs) {
                    sum += r.score(e.getValue(), getIterationCount(), getEpochCount());
                }
            }
        }
        return sum;
    }

    /** DL4J's regularization score plus the contractive penalty of the latest forward pass. */
    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        resolveInferencePenalty();
        return regularizationScore(backpropParamsOnly) + lastPenalty;
    }

    /**
     * Drops the forward pass kept for backprop, with DL4J's input and mask. Keeps the penalty's score
     * term and the per-example penalties: DL4J clears each layer right after its inference forward pass
     * ({@code MultiLayerNetwork.outputOfLayerDetached}) and only then sums {@code calcRegularizationScore}
     * for {@code score(DataSet)} and {@code scoreExamples}.
     */
    @Override
    public void clear() {
        super.clear();
        lastForward = null;
        inputNoiseApplied = false;
        inputKeepMask = null;
        inferenceInput = null;
    }

    @Override
    public void setParams(INDArray params) {
        resolveInferencePenalty();     // with the W of the forward pass, as if computed then
        super.setParams(params);
        lastForward = null;
    }

    @Override
    public void setParam(String key, INDArray val) {
        resolveInferencePenalty();     // with the W of the forward pass, as if computed then
        super.setParam(key, val);
        lastForward = null;
    }

    @Override
    public void setParamTable(Map<String, INDArray> paramTable) {
        resolveInferencePenalty();     // with the W of the forward pass, as if computed then
        super.setParamTable(paramTable);
        lastForward = null;
    }

    @Override
    public void setParamsViewArray(INDArray params) {
        resolveInferencePenalty();     // with the W of the forward pass, as if computed then
        super.setParamsViewArray(params);
        lastForward = null;
    }

    /** With {@code backpropParamsOnly}, W and b without the pretrain-only visible bias. */
    @Override
    public Map<String, INDArray> paramTable(boolean backpropParamsOnly) {
        if (!backpropParamsOnly) {
            return params;
        }
        Map<String, INDArray> map = new LinkedHashMap<>(params);
        map.remove(VISIBLE_BIAS_KEY);
        return map;
    }
}
