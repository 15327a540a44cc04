package io.github.cae4j.layers;

import io.github.cae4j.internal.DiscardedInputGradient;
import io.github.cae4j.internal.KeptArrays;
import io.github.cae4j.internal.TangentPropagation;
import io.github.cae4j.internal.VectorBroadcasts;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.deeplearning4j.nn.params.DefaultParamInitializer.BIAS_KEY;
import static org.deeplearning4j.nn.params.DefaultParamInitializer.WEIGHT_KEY;

/**
 * Runtime half of {@link TangentPropDenseLayer} (the math is in that class and in
 * {@code internal.TangentPropagation}). Backprop reuses the products of the same step's training
 * forward pass with tangents (a quarter of the step's multiply-adds) instead of recomputing them, as
 * {@link ContractiveDenseLayerImpl} reuses its own.
 */
public class TangentPropDenseLayerImpl extends BaseLayer<TangentPropDenseLayer> {

    /** How often backprop skipped the input gradient DL4J discards. Package-private, for its test. */
    int inputGradientsSkipped;

    /**
     * How often backprop of an input with tangents found no usable kept forward pass (none, another
     * input array, or one of its arrays' workspaces closed) and recomputed it. Package-private, for its test.
     */
    int forwardsRecomputed;

    /**
     * The latest training forward pass with tangents, held in the activations workspace (which DL4J keeps
     * open from the forward pass through backprop), and the input array it was for. Backprop uses it only
     * for that input while its arrays are readable ({@link KeptArrays}); cleared by backprop, by
     * {@code clear()} and by the parameter setters, so it never outlives a step. A write into the
     * parameters that bypasses the layer between a forward pass and its backprop is not seen (DL4J makes
     * none). Transient: a one-step cache whose arrays may live in a closed workspace must not be serialised.
     */
    private transient Kept lastForward;

    private record Kept(INDArray input, TangentPropagation.Dense dense) {

        boolean usableFor(INDArray currentInput) {
            return input == currentInput && KeptArrays.readable(dense.in(), dense.y(), dense.h(), dense.d1());
        }
    }

    public TangentPropDenseLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray W = getParamWithNoise(WEIGHT_KEY, training, workspaceMgr);
        INDArray x = input.castTo(W.dataType());
        lastForward = null;
        INDArray out;
        if (hasTangents(x)) {
            if (training) {
                // The forward pass's arrays are kept for backprop, so they are allocated where the activations live.
                try (MemoryWorkspace ignored = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
                    TangentPropagation.Dense f = forward(x, W, true, workspaceMgr);
                    lastForward = new Kept(input, f);
                    out = f.output();
                }
            } else {
                out = forward(x, W, false, workspaceMgr).output();
            }
        } else {
            INDArray z = VectorBroadcasts.addiRowVector(x.mmul(W), getParamWithNoise(BIAS_KEY, training, workspaceMgr));
            out = layerConf().getActivationFn().getActivation(z, training);
        }
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, out);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray W = getParamWithNoise(WEIGHT_KEY, true, workspaceMgr);
        INDArray x = input.castTo(W.dataType());
        INDArray eps = epsilon.castTo(W.dataType());
        INDArray wGrad = gradientViews.get(WEIGHT_KEY);
        INDArray bGrad = gradientViews.get(BIAS_KEY);
        // In fit, DL4J throws layer 0's input gradient away: skip its 1 + k products (DiscardedInputGradient).
        boolean inputGradient = !DiscardedInputGradient.inFitOfFirstLayer(getIndex());
        Kept kept = lastForward;
        lastForward = null;
        INDArray epsilonNext;
        if (hasTangents(x)) {
            TangentPropagation.Dense f;
            if (kept != null && kept.usableFor(input)) {
                f = kept.dense();
            } else {
                forwardsRecomputed++;
                f = forward(x, W, true, workspaceMgr);
            }
            epsilonNext = f.backward(eps, W, layerConf().getActivationFn(), wGrad, bGrad, inputGradient);
        } else {
            // Features only: an ordinary dense layer's backprop.
            INDArray z = VectorBroadcasts.addiRowVector(x.mmul(W), getParamWithNoise(BIAS_KEY, true, workspaceMgr));
            INDArray delta = layerConf().getActivationFn().backprop(z, eps.dup()).getFirst();
            Nd4j.gemm(x, delta, wGrad, true, false, 1.0, 0.0);
            delta.sum(bGrad, 0);
            epsilonNext = inputGradient ? delta.mmul(W.transpose()) : null;
        }
        Gradient g = new DefaultGradient(gradientsFlattened);
        g.gradientForVariable().put(WEIGHT_KEY, wGrad);
        g.gradientForVariable().put(BIAS_KEY, bGrad);
        if (epsilonNext == null) {
            inputGradientsSkipped++;
            // zeros of the input's shape, where DL4J expects an input gradient, for it to drop
            return new Pair<>(g, workspaceMgr.create(ArrayType.ACTIVATION_GRAD, x.dataType(), x.shape(), 'c'));
        }
        return new Pair<>(g, workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, epsilonNext));
    }

    @Override
    public void clear() {
        super.clear();
        lastForward = null;
    }

    @Override
    public void setParams(INDArray params) {
        super.setParams(params);
        lastForward = null;
    }

    @Override
    public void setParam(String key, INDArray val) {
        super.setParam(key, val);
        lastForward = null;
    }

    @Override
    public void setParamTable(Map<String, INDArray> paramTable) {
        super.setParamTable(paramTable);
        lastForward = null;
    }

    @Override
    public void setParamsViewArray(INDArray params) {
        super.setParamsViewArray(params);
        lastForward = null;
    }

    private TangentPropagation.Dense forward(INDArray x, INDArray W, boolean training, LayerWorkspaceMgr workspaceMgr) {
        return TangentPropagation.Dense.forward(x, W, getParamWithNoise(BIAS_KEY, training, workspaceMgr),
                layerConf().getActivationFn(), layerConf().getTangents());
    }

    /**
     * True for {@code [m, (1+k)·nIn]}, false for {@code [m, nIn]}.
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
        throw new IllegalArgumentException("TangentPropDenseLayer: input of shape " + java.util.Arrays.toString(x.shape())
                + " is invalid: expected [m, " + (1 + k) * nIn + "] (nIn = " + nIn + " features followed by k = " + k
                + " tangents of width " + nIn + ", as TangentAppendingIterator makes) or [m, " + nIn
                + "] (features only, for prediction)" + layerId());
    }
}
