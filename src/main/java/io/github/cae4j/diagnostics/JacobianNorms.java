package io.github.cae4j.diagnostics;

import io.github.cae4j.layers.ContractiveDenseLayer;

import io.github.cae4j.internal.ActivationDerivatives;
import io.github.cae4j.internal.ContractivePenalty;
import io.github.cae4j.internal.VectorBroadcasts;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

/**
 * Per-example squared Frobenius norm of an encoder's Jacobian, {@code ‖∂h/∂x‖²_F}, for
 * {@code h = f(xW + b)}, computed in closed form (the Jacobian is never built). Works for any dense
 * layer of a network (a {@code ContractiveDenseLayer} or a plain {@code DenseLayer}) whose activation
 * is one of {@value ActivationDerivatives#SUPPORTED}, so CAEs and their baselines are measured alike.
 * Results are detached from any workspace.
 */
public final class JacobianNorms {

    private JacobianNorms() {
    }

    /**
     * @param x          input {@code [m, nIn]}
     * @param W          weights {@code [nIn, nOut]}
     * @param b          bias {@code [nOut]}, or null
     * @param activation element-wise activation {@code f}
     * @return {@code ‖J_f(x_n)‖²_F} for each example, {@code [m]}
     */
    public static INDArray frobeniusSquared(INDArray x, INDArray W, INDArray b, IActivation activation) {
        ActivationDerivatives derivatives = ActivationDerivatives.of(activation);
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            INDArray z = x.castTo(W.dataType()).mmul(W);
            if (b != null) {
                VectorBroadcasts.addiRowVector(z, b);
            }
            INDArray h = activation.getActivation(z.dup(), false);
            return ContractivePenalty.perExample(derivatives.first(z, h), ContractivePenalty.columnSquaredNorms(W));
        }
    }

    /**
     * {@code ‖J‖²_F} of layer {@code layerIndex} of {@code net}, with respect to that layer's own input
     * (the output of the layers below it, in inference mode).
     *
     * @param features network input {@code [m, nIn of layer 0]}
     * @return {@code [m]}
     * @throws IllegalArgumentException if the layer is not a dense layer with W and b
     */
    public static INDArray frobeniusSquared(MultiLayerNetwork net, int layerIndex, INDArray features) {
        Layer layer = net.getLayer(layerIndex);
        if (!(layer.conf().getLayer() instanceof FeedForwardLayer ff) || layer.getParam(DefaultParamInitializer.WEIGHT_KEY) == null) {
            throw new IllegalArgumentException("layer " + layerIndex + " (" + layer.conf().getLayer().getClass().getSimpleName()
                    + ") is not a dense layer with a weight matrix W; Jacobian norms need one");
        }
        INDArray layerInput = features;
        if (layerIndex > 0) {
            List<INDArray> activations = net.feedForwardToLayer(layerIndex - 1, features, false);
            layerInput = activations.get(layerIndex);
        }
        return frobeniusSquared(layerInput, layer.getParam(DefaultParamInitializer.WEIGHT_KEY),
                layer.getParam(DefaultParamInitializer.BIAS_KEY), ((BaseLayer) ff).getActivationFn());
    }

    /** Mean over examples of {@code ‖J_f(x)‖_F} (not squared), the paper's contraction diagnostic. */
    public static double meanFrobenius(INDArray frobeniusSquared) {
        return Transforms.sqrt(frobeniusSquared, true).meanNumber().doubleValue();
    }
}
