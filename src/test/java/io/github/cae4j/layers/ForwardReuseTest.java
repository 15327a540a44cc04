package io.github.cae4j.layers;

import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Backprop reuses the derivatives its training-mode forward pass computed (the gradient checks cover
 * that path); it must recompute them when the forward pass it would reuse was for another input.
 */
@ExtendWith(DoublePrecision.class)
class ForwardReuseTest {

    private static Pair<Gradient, INDArray> backprop(Layer layer, INDArray input, INDArray epsilon) {
        layer.setInput(input, LayerWorkspaceMgr.noWorkspaces());
        return layer.backpropGradient(epsilon.dup(), LayerWorkspaceMgr.noWorkspaces());
    }

    @Test
    void backpropAfterAForwardPassOnOtherInputMatchesAFreshForwardPass() {
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.SOFTPLUS, 0.8);
        net.initGradientsView();
        Layer layer = net.getLayer(0);
        INDArray a = TinyNets.manifoldData(5, 6, 2, 21);
        INDArray b = TinyNets.manifoldData(5, 6, 2, 22);
        INDArray epsilon = Nd4j.rand(a.dataType(), 5, 4);

        layer.activate(b, true, LayerWorkspaceMgr.noWorkspaces());
        Pair<Gradient, INDArray> fresh = backprop(layer, b, epsilon);
        INDArray freshW = fresh.getFirst().getGradientFor("W").dup();
        INDArray freshEps = fresh.getSecond().dup();

        layer.activate(a, true, LayerWorkspaceMgr.noWorkspaces());   // leaves a's derivatives behind
        Pair<Gradient, INDArray> afterOther = backprop(layer, b, epsilon);

        assertEquals(freshW, afterOther.getFirst().getGradientFor("W"));
        assertEquals(freshEps, afterOther.getSecond());
        // and the inputs differ enough that reusing a's derivatives would have shown
        layer.activate(a, true, LayerWorkspaceMgr.noWorkspaces());
        assertNotEquals(freshW, backprop(layer, a, epsilon).getFirst().getGradientFor("W"));
    }
}
