package io.github.cae4j.layers;

import io.github.cae4j.internal.ActivationDerivatives;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * A dense layer {@code h = f(xW + b)} that also carries k tangent vectors forward, for tangent
 * propagation (Simard et al. 1992; the Manifold Tangent Classifier of Rifai et al., NIPS 2011).
 * For an input row {@code [x | t_1 | ... | t_k]} ({@code [m, (1+k)·nIn]}) it outputs
 * <pre>
 *   [h | s ⊙ (t_1 W) | ... | s ⊙ (t_k W)],   s = f'(xW + b)      ([m, (1+k)·nOut])
 * </pre>
 * where {@code s ⊙ (t_i W)} is the directional derivative of h along the input tangent (forward-mode
 * differentiation). Stacked under a {@link TangentPropOutputLayer}, the network's output layer sees the
 * derivative of its input along each tangent of x, and backprop through this layer is exact
 * (gradient-checked), including the second-order path through {@code f''}.
 *
 * <p>An input of width nIn (no tangents) is an ordinary dense layer's: that is how the network
 * predicts and is evaluated on plain features. Same parameters ({@code W}, {@code b}, DL4J's
 * layout) as DL4J's {@code DenseLayer}, so weights copy across both ways.
 *
 * <p>Required: {@code nIn} (the feature width, without tangents), {@code nOut}, {@code tangents(k)}.
 * The activation must have an exact second derivative: one of {@value ActivationDerivatives#SUPPORTED}.
 * Dropout is not supported (the tangents would need the same mask).
 */
public class TangentPropDenseLayer extends FeedForwardLayer {

    private int tangents;

    /** For Jackson; use the {@link Builder}. */
    public TangentPropDenseLayer() {
    }

    private TangentPropDenseLayer(Builder b) {
        super(b);
        this.tangents = b.tangents;
        initializeConstraints(b);
    }

    /**
     * Checks the tangent count, the activation and, once known, the sizes. Called from
     * {@link Builder#build()} and {@link #instantiate} (Jackson bypasses the builder).
     *
     * @throws IllegalArgumentException naming the layer, the field, the bad value and what is allowed
     */
    public void validate(boolean requireSizes) {
        String who = "TangentPropDenseLayer \"" + (getLayerName() == null ? "(unnamed)" : getLayerName()) + "\": ";
        if (tangents < 1) {
            throw new IllegalArgumentException(who + "tangents (k, tangent vectors per example) must be >= 1, got " + tangents
                    + " (set tangents(k) to the k of the TangentAppendingIterator)");
        }
        if (activationFn != null || requireSizes) {
            String problem = ActivationDerivatives.unsupportedReason(activationFn);
            if (problem != null) {
                throw new IllegalArgumentException(who + problem);
            }
        }
        if (iDropout != null) {
            throw new IllegalArgumentException(who + "dropout is not supported (got " + iDropout
                    + "): the tangents would have to be masked like the features");
        }
        if (requireSizes && (nIn <= 0 || nOut <= 0)) {
            throw new IllegalArgumentException(who + "nIn and nOut must be > 0, got " + nIn + " and " + nOut);
        }
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("TangentPropDenseLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        validate(true);
        TangentPropDenseLayerImpl layer = new TangentPropDenseLayerImpl(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return DefaultParamInitializer.getInstance();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long numParams = initializer().numParams(this);
        int updaterStateSize = (int) getIUpdater().stateSize(numParams);
        long perExample = (1L + tangents) * (inputType.arrayElementsPerExample() + 3 * outputType.arrayElementsPerExample());
        return new LayerMemoryReport.Builder(layerName, TangentPropDenseLayer.class, inputType, outputType)
                .standardMemory(numParams, updaterStateSize)
                .workingMemory(0, perExample, 0, 2 * perExample)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    /** Tangent vectors per example, k. */
    public int getTangents() {
        return tangents;
    }

    public void setTangents(int tangents) {
        this.tangents = tangents;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TangentPropDenseLayer other) || !super.equals(o)) {
            return false;
        }
        return tangents == other.tangents;
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof TangentPropDenseLayer;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), tangents);
    }

    @Override
    public String toString() {
        return "TangentPropDenseLayer(" + super.toString() + ", tangents=" + tangents + ")";
    }

    /** Builder: everything {@code DenseLayer.Builder} offers except dropout, plus the required {@link #tangents(int)}. */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {
        private int tangents;

        /** Required: tangent vectors per example k, >= 1, as appended by {@code TangentAppendingIterator}. */
        public Builder tangents(int k) {
            this.tangents = k;
            return this;
        }

        /** @throws IllegalArgumentException if a setting is out of range; the message names it */
        @Override
        @SuppressWarnings("unchecked")
        public TangentPropDenseLayer build() {
            TangentPropDenseLayer layer = new TangentPropDenseLayer(this);
            layer.validate(false);
            return layer;
        }
    }
}
