package io.github.cae4j.layers;

import io.github.cae4j.internal.TangentPropagation;
import io.github.cae4j.internal.VectorBroadcasts;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseOutputLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.deeplearning4j.nn.params.DefaultParamInitializer.BIAS_KEY;
import static org.deeplearning4j.nn.params.DefaultParamInitializer.WEIGHT_KEY;

/**
 * Runtime half of {@link TangentPropOutputLayer}. Scores follow DL4J's output-layer convention: the
 * summed loss (cross-entropy plus penalty) divided by the minibatch size when the network is in
 * minibatch mode, plus the network's regularization term. The cross-entropy is computed from a
 * log-softmax without clipping, so gradient checks see the exact function.
 */
public class TangentPropOutputLayerImpl extends BaseOutputLayer<TangentPropOutputLayer> {

    public TangentPropOutputLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    protected INDArray getLabels2d(LayerWorkspaceMgr workspaceMgr, ArrayType arrayType) {
        return labels;
    }

    /** Logits {@code hW + b} of the feature part of the input; the tangents do not change them. */
    @Override
    protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        requireNoMask();
        INDArray W = getParamWithNoise(WEIGHT_KEY, training, workspaceMgr);
        INDArray in = input.castTo(W.dataType());
        INDArray x = hasTangents(in) ? TangentPropagation.featuresOf(in, layerConf().getTangents()) : in;
        INDArray z = VectorBroadcasts.addiRowVector(x.mmul(W), getParamWithNoise(BIAS_KEY, training, workspaceMgr));
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, z);
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (input == null || labels == null) {
            throw new IllegalStateException("Cannot calculate score without input and labels " + layerId());
        }
        INDArray perExample = perExampleLoss(training, workspaceMgr);
        double s = perExample.sumNumber().doubleValue();
        if (conf().isMiniBatch()) {
            s /= getInputMiniBatchSize();
        }
        score = s + fullNetRegTerm;
        return score;
    }

    @Override
    public INDArray computeScoreForExamples(double fullNetRegTerm, LayerWorkspaceMgr workspaceMgr) {
        if (input == null || labels == null) {
            throw new IllegalStateException("Cannot calculate score without input and labels " + layerId());
        }
        INDArray scores = perExampleLoss(false, workspaceMgr).reshape(input.size(0), 1);
        if (fullNetRegTerm != 0.0) {
            scores.addi(fullNetRegTerm);
        }
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, scores);
    }

    @Override
    public void computeGradientAndScore(LayerWorkspaceMgr workspaceMgr) {
        if (input == null || labels == null) {
            return;
        }
        backpropGradient(null, workspaceMgr);
        score = computeScore(calcRegularizationScore(true), true, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        requireNoMask();
        INDArray W = getParamWithNoise(WEIGHT_KEY, true, workspaceMgr);
        INDArray x = input.castTo(W.dataType());
        TangentPropagation.Softmax f = forward(x, W, true, workspaceMgr);
        INDArray wGrad = gradientViews.get(WEIGHT_KEY);
        INDArray bGrad = gradientViews.get(BIAS_KEY);
        INDArray epsilonNext = f.backward(labels.castTo(W.dataType()), layerConf().getBeta(), W, wGrad, bGrad);
        Gradient g = new DefaultGradient(gradientsFlattened);
        g.gradientForVariable().put(WEIGHT_KEY, wGrad);
        g.gradientForVariable().put(BIAS_KEY, bGrad);
        gradient = g;
        return new Pair<>(g, workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, epsilonNext));
    }

    /** Cross-entropy plus {@code β Σ_i ‖g_i‖²} per example, {@code [m]}. */
    private INDArray perExampleLoss(boolean training, LayerWorkspaceMgr workspaceMgr) {
        requireNoMask();
        INDArray W = getParamWithNoise(WEIGHT_KEY, training, workspaceMgr);
        TangentPropagation.Softmax f = forward(input.castTo(W.dataType()), W, training, workspaceMgr);
        return f.crossEntropy(labels.castTo(W.dataType())).addi(f.penalty(layerConf().getBeta()));
    }

    /** The penalty {@code β Σ_i ‖g_i‖²} alone per example, {@code [m]} (zeros for plain input), at the current input. */
    public INDArray tangentPenalty() {
        assertInputSet(false);
        INDArray W = getParam(WEIGHT_KEY);
        return forward(input.castTo(W.dataType()), W, false, LayerWorkspaceMgr.noWorkspaces()).penalty(layerConf().getBeta());
    }

    private TangentPropagation.Softmax forward(INDArray x, INDArray W, boolean training, LayerWorkspaceMgr workspaceMgr) {
        return TangentPropagation.Softmax.forward(x, hasTangents(x), W, getParamWithNoise(BIAS_KEY, training, workspaceMgr),
                layerConf().getTangents());
    }

    /**
     * True for features and tangents {@code [m, (1+k)·nIn]}, false for features only {@code [m, nIn]}.
     *
     * @throws IllegalArgumentException for any other width, naming both allowed ones
     */
    private boolean hasTangents(INDArray x) {
        long nIn = layerConf().getNIn();
        int k = layerConf().getTangents();
        if (x.rank() == 2 && x.size(1) == (1 + k) * nIn) {
            return true;
        }
        if (x.rank() == 2 && x.size(1) == nIn) {
            return false;
        }
        throw new IllegalArgumentException("TangentPropOutputLayer: input of shape " + java.util.Arrays.toString(x.shape())
                + " is invalid: expected [m, " + (1 + k) * nIn + "] (nIn = " + nIn + " values followed by k = " + k
                + " directional derivatives, from a TangentPropDenseLayer with tangents(" + k + ")) or [m, " + nIn + "]" + layerId());
    }

    private void requireNoMask() {
        if (maskArray != null) {
            throw new UnsupportedOperationException("TangentPropOutputLayer does not support label or feature masks" + layerId());
        }
    }
}
