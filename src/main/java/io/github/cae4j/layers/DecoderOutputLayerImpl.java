package io.github.cae4j.layers;

import io.github.cae4j.internal.RowMajorProduct;
import io.github.cae4j.internal.ThreadSettingCheck;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseOutputLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.deeplearning4j.nn.params.DefaultParamInitializer.BIAS_KEY;
import static org.deeplearning4j.nn.params.DefaultParamInitializer.WEIGHT_KEY;

/**
 * Runtime half of {@link DecoderOutputLayer}; see that class for what differs from DL4J's
 * {@code OutputLayer} and why.
 *
 * <p>The step's score is kept from {@link #backpropGradient} together with the input and labels it
 * was computed for, and {@link #computeScore} uses it only for that same input and labels array,
 * once, in training mode, at the same iteration and epoch, and only if no parameter was set through the
 * layer in between ({@code setParams}, {@code setParam}, {@code setParamTable}, {@code setParamsViewArray})
 * and {@code clear()} was not called; anything else (a new input or labels, {@code score(DataSet)},
 * evaluation) computes the score afresh. {@code MultiLayerNetwork.computeGradientAndScore} (and
 * {@code ComputationGraph}'s) calls backprop and then {@code computeScore} with nothing in between, which
 * is the case this serves; DL4J's network-level methods set a new input on this layer before any other
 * score. What the layer cannot see is a write into its parameter arrays that bypasses it (an in-place op
 * on {@code getParam(...)}, or {@code MultiLayerNetwork.setParams}, which assigns into the network's
 * array) between a caller's own {@code backpropGradient} and {@code computeScore} calls on this layer;
 * detecting that would cost a pass over the parameters every step. Such a caller should call
 * {@code clear()} or set the input again.
 */
public class DecoderOutputLayerImpl extends BaseOutputLayer<DecoderOutputLayer> {

    /**
     * Unreduced loss sum of the latest backprop, valid for {@link #scoredInput} and {@link #scoredLabels}
     * at {@link #scoredIteration} and {@link #scoredEpoch} only. Transient, like the contractive layer's
     * forward cache: a per-step cache whose arrays may sit in a closed workspace does not travel with the layer.
     */
    private transient double stepLossSum;
    private transient INDArray scoredInput;
    private transient INDArray scoredLabels;
    private transient int scoredIteration;
    private transient int scoredEpoch;

    public DecoderOutputLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        ThreadSettingCheck.warnOnce();
    }

    @Override
    protected INDArray getLabels2d(LayerWorkspaceMgr workspaceMgr, ArrayType arrayType) {
        return labels;
    }

    /** As {@code BaseLayer}'s, with the product computed the way {@link RowMajorProduct} explains. */
    @Override
    protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray W = getParamWithNoise(WEIGHT_KEY, training, workspaceMgr);
        INDArray z = RowMajorProduct.preActivation(input, W,
                hasBias() ? getParamWithNoise(BIAS_KEY, training, workspaceMgr) : null, workspaceMgr, layerId());
        if (maskArray != null) {
            applyMask(z);
        }
        return z;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray delta = gradientAndDelta(workspaceMgr);
        INDArray W = getParamWithNoise(WEIGHT_KEY, true, workspaceMgr);
        INDArray epsilonNext = RowMajorProduct.inputGradient(delta, W, workspaceMgr);
        // Weight-noise parameters are cleared by the network after backprop and score, as for OutputLayer.
        return new Pair<>(gradient, backpropDropOutIfPresent(epsilonNext));
    }

    /** Layer-alone training (a Solver on this layer): the same one-product path. */
    @Override
    public void computeGradientAndScore(LayerWorkspaceMgr workspaceMgr) {
        if (input == null || labels == null) {
            return;
        }
        gradientAndDelta(workspaceMgr);
        score = computeScore(calcRegularizationScore(true), true, workspaceMgr);
    }

    /**
     * Writes {@code ∂L/∂W = hᵀδ} and {@code ∂L/∂b = Σ_n δ_n} into the gradient views (sets {@link #gradient})
     * and keeps the step's loss sum for {@link #computeScore}.
     *
     * @return δ = {@code ∂L/∂(hV + c)} {@code [m, nOut]}, in the ACTIVATION_GRAD workspace
     */
    private INDArray gradientAndDelta(LayerWorkspaceMgr workspaceMgr) {
        INDArray preOut = preOutput2d(true, workspaceMgr);
        INDArray labels2d = getLabels2d(workspaceMgr, ArrayType.BP_WORKING_MEM);
        Pair<Double, INDArray> lossAndDelta = layerConf().getLossFn()
                .computeGradientAndScore(labels2d, preOut, layerConf().getActivationFn(), maskArray, false);
        INDArray delta = lossAndDelta.getSecond();

        Gradient g = new DefaultGradient(gradientsFlattened);
        INDArray wGrad = gradientViews.get(WEIGHT_KEY);
        Nd4j.gemm(input.castTo(wGrad.dataType()), delta, wGrad, true, false, 1.0, 0.0);
        g.gradientForVariable().put(WEIGHT_KEY, wGrad);
        if (hasBias()) {
            INDArray bGrad = gradientViews.get(BIAS_KEY);
            delta.sum(bGrad, 0);
            g.gradientForVariable().put(BIAS_KEY, bGrad);
        }
        gradient = g;

        stepLossSum = lossAndDelta.getFirst();
        scoredInput = input;
        scoredLabels = labels;
        scoredIteration = getIterationCount();
        scoredEpoch = getEpochCount();
        return workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, delta);
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        boolean fromThisStep = training && scoredInput != null && scoredInput == input && scoredLabels == labels
                && scoredIteration == getIterationCount() && scoredEpoch == getEpochCount();
        forgetStepScore();
        if (!fromThisStep) {
            return super.computeScore(fullNetRegTerm, training, workspaceMgr);
        }
        double s = stepLossSum;
        if (conf().isMiniBatch()) {
            s /= getInputMiniBatchSize();
        }
        score = s + fullNetRegTerm;
        return score;
    }

    /**
     * As {@code OutputLayer}'s, except that the contractive penalties of the network's
     * {@link ContractiveDenseLayer}s enter each row as that example's own {@code λ‖J_f(x_n)‖²_F}: DL4J
     * passes in one regularization term for the whole batch, which holds their batch means
     * ({@link PerExamplePenalties} explains how the per-example values get here). l1/l2 terms are added
     * to every row, as DL4J does. With {@code fullNetRegTerm == 0} (DL4J's
     * {@code addRegularizationTerms = false}) no penalty is added.
     */
    @Override
    public INDArray computeScoreForExamples(double fullNetRegTerm, LayerWorkspaceMgr workspaceMgr) {
        INDArray scores = super.computeScoreForExamples(fullNetRegTerm, workspaceMgr);
        if (fullNetRegTerm == 0.0) {
            return scores;
        }
        PerExamplePenalties.Totals penalties = PerExamplePenalties.totalsFor(this, scores.size(0));
        if (penalties == null) {
            return scores;
        }
        INDArray perExample = penalties.perExample().castTo(scores.dataType()).reshape(scores.shape());
        return scores.addi(perExample).subi(penalties.reported());
    }

    private void forgetStepScore() {
        scoredInput = null;
        scoredLabels = null;
    }

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        super.setInput(input, workspaceMgr);
        forgetStepScore();
    }

    @Override
    public void setLabels(INDArray labels) {
        super.setLabels(labels);
        forgetStepScore();
    }

    @Override
    public void setParams(INDArray params) {
        super.setParams(params);
        forgetStepScore();
    }

    @Override
    public void setParam(String key, INDArray val) {
        super.setParam(key, val);
        forgetStepScore();
    }

    @Override
    public void setParamTable(Map<String, INDArray> paramTable) {
        super.setParamTable(paramTable);
        forgetStepScore();
    }

    @Override
    public void setParamsViewArray(INDArray params) {
        super.setParamsViewArray(params);
        forgetStepScore();
    }

    @Override
    public void clear() {
        super.clear();
        forgetStepScore();
    }
}
