package io.github.cae4j.layers;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * Softmax classifier output with the tangent-propagation penalty of the Manifold Tangent Classifier
 * (Rifai, Dauphin, Vincent, Bengio, Muller, NIPS 2011). For an input row {@code [h | t_1 | ... | t_k]}
 * from a {@link TangentPropDenseLayer} ({@code t_i = ∂h/∂x · u_i}, the derivative of this layer's
 * input along the tangent {@code u_i} of x), with {@code W [nIn, nOut]}:
 * <pre>
 *   p   = softmax(hW + b)
 *   g_i = (diag(p) - p pᵀ) (t_i W)                    (= ∂p/∂x · u_i)
 *   L   = 1/m Σ_x [ -Σ_c y_c log p_c  +  β Σ_i ‖g_i‖² ]
 * </pre>
 * The penalty is on the softmax probabilities, as the paper states it ({@code ‖∂o/∂x · u‖²} with o the
 * classifier's output); it is a batch mean like the cross-entropy, and its gradient (for W, b and the
 * input) is exact and gradient-checked. An input of width nIn has no tangents: cross-entropy only,
 * which is how the network is scored and evaluated on plain features.
 *
 * <p>Required: {@code nIn}, {@code nOut}, {@code tangents(k)} and {@code beta(β)}, β finite and in
 * (0, {@value #MAX_BETA}]. Activation and loss are fixed (softmax, multi-class cross-entropy);
 * parameters are DL4J's {@code W}, {@code b}, as in {@code OutputLayer}. Label masks are not supported.
 */
public class TangentPropOutputLayer extends BaseOutputLayer {

    /** Largest accepted β: larger values overflow float scores. */
    public static final double MAX_BETA = 1e6;

    private int tangents;
    private double beta = Double.NaN;

    /** For Jackson; use the {@link Builder}. */
    public TangentPropOutputLayer() {
    }

    private TangentPropOutputLayer(Builder b) {
        super(b);
        this.tangents = b.tangents;
        this.beta = b.beta;
        initializeConstraints(b);
    }

    /**
     * @throws IllegalArgumentException naming the layer, the field, the bad value and what is allowed
     */
    public void validate(boolean requireSizes) {
        String who = "TangentPropOutputLayer \"" + (getLayerName() == null ? "(unnamed)" : getLayerName()) + "\": ";
        if (tangents < 1) {
            throw new IllegalArgumentException(who + "tangents (k, tangent vectors per example) must be >= 1, got " + tangents
                    + " (set tangents(k) to the k of the TangentAppendingIterator)");
        }
        if (!(beta > 0 && beta <= MAX_BETA)) {
            throw new IllegalArgumentException(who + "beta (weight of the tangent penalty) is required and must be in (0, "
                    + MAX_BETA + "], got " + beta + (Double.isNaN(beta) ? " (not set: call beta(...))" : "")
                    + "; for no penalty use an ordinary OutputLayer");
        }
        if (!(getActivationFn() instanceof ActivationSoftmax)) {
            throw new IllegalArgumentException(who + "activation must be SOFTMAX (the penalty's Jacobian is the softmax's), got "
                    + getActivationFn());
        }
        if (getLossFn() == null || getLossFn().getClass() != LossMCXENT.class) {
            throw new IllegalArgumentException(who + "the loss is fixed to multi-class cross-entropy (LossMCXENT without weights), got "
                    + getLossFn());
        }
        if (iDropout != null) {
            throw new IllegalArgumentException(who + "dropout is not supported (got " + iDropout + ")");
        }
        if (requireSizes && (nIn <= 0 || nOut < 2)) {
            throw new IllegalArgumentException(who + "nIn must be > 0 and nOut (classes) >= 2, got " + nIn + " and " + nOut);
        }
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("TangentPropOutputLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        validate(true);
        TangentPropOutputLayerImpl layer = new TangentPropOutputLayerImpl(conf, networkDataType);
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

    /** Tangent vectors per example, k. */
    public int getTangents() {
        return tangents;
    }

    public void setTangents(int tangents) {
        this.tangents = tangents;
    }

    /** Weight β of the tangent penalty. */
    public double getBeta() {
        return beta;
    }

    public void setBeta(double beta) {
        this.beta = beta;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TangentPropOutputLayer other) || !super.equals(o)) {
            return false;
        }
        return tangents == other.tangents && Double.compare(beta, other.beta) == 0;
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof TangentPropOutputLayer;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), tangents, beta);
    }

    @Override
    public String toString() {
        return "TangentPropOutputLayer(" + super.toString() + ", tangents=" + tangents + ", beta=" + beta + ")";
    }

    /** Builder; {@code nIn}, {@code nOut}, {@link #tangents(int)} and {@link #beta(double)} are required. */
    public static class Builder extends BaseOutputLayer.Builder<Builder> {
        private int tangents;
        private double beta = Double.NaN;

        /** Softmax with multi-class cross-entropy (fixed). */
        public Builder() {
            this.setLossFn(new LossMCXENT());
            this.setActivationFn(Activation.SOFTMAX.getActivationFunction());
        }

        /** Required: tangent vectors per example k, >= 1. */
        public Builder tangents(int k) {
            this.tangents = k;
            return this;
        }

        /** Required: weight β of the tangent penalty, in (0, {@value #MAX_BETA}]. */
        public Builder beta(double beta) {
            this.beta = beta;
            return this;
        }

        /** @throws IllegalArgumentException if a setting is missing or out of range; the message names it */
        @Override
        @SuppressWarnings("unchecked")
        public TangentPropOutputLayer build() {
            TangentPropOutputLayer layer = new TangentPropOutputLayer(this);
            layer.validate(false);
            return layer;
        }
    }
}
