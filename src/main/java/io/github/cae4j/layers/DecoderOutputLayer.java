package io.github.cae4j.layers;

import io.github.cae4j.internal.RowMajorProduct;

import io.github.cae4j.losses.ContractiveLossFunction;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.util.Collection;
import java.util.Map;

/**
 * An autoencoder's decoder: a dense output layer {@code x̂ = g(hV + c)} with {@code V [nIn, nOut]},
 * {@code c [nOut]}, an element-wise or softmax activation {@code g} and any {@link ILossFunction}.
 * Its math, parameters (DL4J's {@code W}, {@code b} keys and layout), scores and gradients are those of
 * DL4J's {@code OutputLayer}, so the two can be swapped, parameters copied across, and a saved network
 * keeps its meaning. What differs is cost, which matters when {@code nOut} is the input size
 * (784 for MNIST) rather than a handful of classes:
 * <ul>
 *   <li>the product {@code hV} is computed in ND4J's native gemm layout and comes out row-major, the
 *       order of the labels it is compared with, with no copy ({@link RowMajorProduct});</li>
 *   <li>a training step computes {@code hV} once. DL4J's {@code MultiLayerNetwork} asks its output
 *       layer for the gradient and then, separately, for the score, and {@code OutputLayer} runs its
 *       forward product again for the second; this layer scores the step from the product the
 *       gradient used (via {@link ILossFunction#computeGradientAndScore}).</li>
 * </ul>
 * Defaults suit a CAE on inputs in [0, 1]: sigmoid activation and {@link ContractiveLossFunction}'s
 * binary cross-entropy; the network's own default activation does not apply. Required: {@code nIn}
 * (or an input type) and {@code nOut}.
 *
 * <pre>
 *   .layer(new ContractiveDenseLayer.Builder().nIn(784).nOut(500).lambda(0.1).build())
 *   .layer(new DecoderOutputLayer.Builder().nIn(500).nOut(784).build())   // labels = features
 * </pre>
 */
public class DecoderOutputLayer extends BaseOutputLayer {

    /** For Jackson; use the {@link Builder}. */
    public DecoderOutputLayer() {
    }

    private DecoderOutputLayer(Builder b) {
        super(b);
        initializeConstraints(b);
    }

    /**
     * Checks the settings the builder cannot: sizes once they are known, and a loss function.
     *
     * @throws IllegalArgumentException naming the layer, the field, the bad value and what is allowed
     */
    public void validate(int layerIndex) {
        LayerValidation.assertNInNOutSet("DecoderOutputLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        if (getLossFn() == null) {
            throw new IllegalArgumentException("DecoderOutputLayer \"" + (getLayerName() == null ? "(unnamed)" : getLayerName())
                    + "\" (layer index " + layerIndex + "): lossFunction must not be null");
        }
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        validate(layerIndex);
        DecoderOutputLayerImpl layer = new DecoderOutputLayerImpl(conf, networkDataType);
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

    /** Builder; {@code nIn} and {@code nOut} are required, everything else has a decoder's default. */
    public static class Builder extends BaseOutputLayer.Builder<Builder> {

        /** Sigmoid units with binary cross-entropy ({@link ContractiveLossFunction}, summed over outputs). */
        public Builder() {
            this(new ContractiveLossFunction(ContractiveLossFunction.Reconstruction.BINARY_CROSS_ENTROPY));
        }

        /** Sigmoid units with the given reconstruction loss. */
        public Builder(ILossFunction lossFunction) {
            if (lossFunction == null) {
                throw new IllegalArgumentException("DecoderOutputLayer: lossFunction must not be null");
            }
            this.setLossFn(lossFunction);
            this.setActivationFn(Activation.SIGMOID.getActivationFunction());
        }

        @Override
        @SuppressWarnings("unchecked")
        public DecoderOutputLayer build() {
            return new DecoderOutputLayer(this);
        }
    }
}
