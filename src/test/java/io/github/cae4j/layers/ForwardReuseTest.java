package io.github.cae4j.layers;

import io.github.cae4j.testing.Exact;
import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    /** The elements in row-major order, copied (a gradient is a view into the layer's flat gradient array). */
    private static double[] values(INDArray a) {
        return a.dup('c').data().asDouble();
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

        Exact.assertBitIdentical(freshW, afterOther.getFirst().getGradientFor("W"), "W gradient");
        Exact.assertBitIdentical(freshEps, afterOther.getSecond(), "epsilon");
        // and the inputs differ enough that reusing a's derivatives would have shown
        layer.activate(a, true, LayerWorkspaceMgr.noWorkspaces());
        assertNotEquals(freshW, backprop(layer, a, epsilon).getFirst().getGradientFor("W"));
    }

    /**
     * The kept forward pass lives in the activations workspace; when that workspace has been closed
     * before backprop (a caller driving the layer with its own workspace manager), backprop must notice,
     * recompute, and give the same gradient as with the forward pass at hand.
     */
    @Test
    void backpropAfterTheForwardsWorkspaceClosedRecomputesAndMatches() {
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.SOFTPLUS, 0.8);
        net.initGradientsView();
        var layer = (ContractiveDenseLayerImpl) net.getLayer(0);
        INDArray x = TinyNets.manifoldData(5, 6, 2, 25);
        INDArray epsilon = Nd4j.rand(x.dataType(), 5, 4);

        // Reference: forward pass and backprop without workspaces, the kept forward pass reused.
        layer.activate(x, true, LayerWorkspaceMgr.noWorkspaces());
        int before = layer.keptForwardsDiscarded;
        Pair<Gradient, INDArray> reused = layer.backpropGradient(epsilon.dup(), LayerWorkspaceMgr.noWorkspaces());
        assertEquals(before, layer.keptForwardsDiscarded, "the reference reuses its forward pass");
        double[] w = values(reused.getFirst().getGradientFor("W"));
        double[] b = values(reused.getFirst().getGradientFor("b"));
        double[] eps = values(reused.getSecond());

        WorkspaceConfiguration config = WorkspaceConfiguration.builder().initialSize(0)
                .policyAllocation(AllocationPolicy.OVERALLOCATE).policyLearning(LearningPolicy.FIRST_LOOP).build();
        LayerWorkspaceMgr withWorkspace = LayerWorkspaceMgr.builder()
                .with(ArrayType.ACTIVATIONS, "CAE4J_TEST_ACT", config).defaultNoWorkspace().build();
        layer.setInput(x, LayerWorkspaceMgr.noWorkspaces());
        try (MemoryWorkspace ws = withWorkspace.notifyScopeEntered(ArrayType.ACTIVATIONS)) {
            layer.activate(true, withWorkspace);      // z, f'(z), f''(z) ... now live in CAE4J_TEST_ACT
        }
        Pair<Gradient, INDArray> recomputed = layer.backpropGradient(epsilon.dup(), LayerWorkspaceMgr.noWorkspaces());
        assertEquals(before + 1, layer.keptForwardsDiscarded, "backprop saw the closed workspace and recomputed");
        assertArrayEquals(w, values(recomputed.getFirst().getGradientFor("W")), 0.0, "W gradient");
        assertArrayEquals(b, values(recomputed.getFirst().getGradientFor("b")), 0.0, "b gradient");
        assertArrayEquals(eps, values(recomputed.getSecond()), 0.0, "epsilon");

        // The same workspace opened again (a new generation, its memory reused and overwritten) is no better.
        layer.setInput(x, LayerWorkspaceMgr.noWorkspaces());
        try (MemoryWorkspace ws = withWorkspace.notifyScopeEntered(ArrayType.ACTIVATIONS)) {
            layer.activate(true, withWorkspace);
        }
        Pair<Gradient, INDArray> inNextGeneration;
        try (MemoryWorkspace ws = withWorkspace.notifyScopeEntered(ArrayType.ACTIVATIONS)) {
            Nd4j.rand(x.dataType(), 64, 64);      // scribbles over the old generation's memory
            inNextGeneration = layer.backpropGradient(epsilon.dup(), LayerWorkspaceMgr.noWorkspaces());
            assertEquals(before + 2, layer.keptForwardsDiscarded, "backprop saw the workspace's new generation and recomputed");
            assertArrayEquals(w, values(inNextGeneration.getFirst().getGradientFor("W")), 0.0, "W gradient, new generation");
            assertArrayEquals(eps, values(inNextGeneration.getSecond()), 0.0, "epsilon, new generation");
        }
        Nd4j.getWorkspaceManager().destroyWorkspace(Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread("CAE4J_TEST_ACT"));
    }

    /**
     * clear() drops the forward pass kept for backprop: after it, the same input array with parameters
     * changed in place must not meet the derivatives of the old parameters.
     */
    @Test
    void clearDropsTheKeptForwardPass() {
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.TANH, 0.8);
        net.initGradientsView();
        Layer layer = net.getLayer(0);
        INDArray x = TinyNets.manifoldData(5, 6, 2, 23);
        INDArray epsilon = Nd4j.rand(x.dataType(), 5, 4);

        layer.activate(x, true, LayerWorkspaceMgr.noWorkspaces());
        layer.clear();
        layer.getParam("W").muli(1.7);      // in place: nothing tells the layer but clear()
        Pair<Gradient, INDArray> afterClear = backprop(layer, x, epsilon);
        double[] w = values(afterClear.getFirst().getGradientFor("W"));
        double[] eps = values(afterClear.getSecond());

        MultiLayerNetwork twin = TinyNets.autoencoder(6, 4, Activation.TANH, 0.8);
        twin.setParams(net.params());
        twin.initGradientsView();
        Pair<Gradient, INDArray> fresh = backprop(twin.getLayer(0), x.dup(), epsilon);
        assertArrayEquals(values(fresh.getFirst().getGradientFor("W")), w, 0.0, "W gradient after clear()");
        assertArrayEquals(values(fresh.getSecond()), eps, 0.0, "epsilon after clear()");
    }

    /** Setting parameters through the layer also drops the kept forward pass. */
    @Test
    void settingParametersDropsTheKeptForwardPass() {
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.8);
        net.initGradientsView();
        Layer layer = net.getLayer(0);
        INDArray x = TinyNets.manifoldData(5, 6, 2, 24);
        INDArray epsilon = Nd4j.rand(x.dataType(), 5, 4);

        layer.activate(x, true, LayerWorkspaceMgr.noWorkspaces());
        layer.setParam("W", layer.getParam("W").mul(0.6));
        double[] w = values(backprop(layer, x, epsilon).getFirst().getGradientFor("W"));

        MultiLayerNetwork twin = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.8);
        twin.setParams(net.params());
        twin.initGradientsView();
        assertArrayEquals(values(backprop(twin.getLayer(0), x.dup(), epsilon).getFirst().getGradientFor("W")), w, 0.0);
    }

    /**
     * Found by the mutation pass: the whole-vector and table setters drop the kept forward pass too
     * (the test above covers setParam only; MultiLayerNetwork.setParams assigns in place and never calls them).
     */
    @Test
    void setParamsAndSetParamTableDropTheKeptForwardPass() {
        for (String way : new String[]{"setParams", "setParamTable"}) {
            MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.8);
            net.initGradientsView();
            Layer layer = net.getLayer(0);
            INDArray x = TinyNets.manifoldData(5, 6, 2, 25);
            INDArray epsilon = Nd4j.rand(x.dataType(), 5, 4);

            layer.activate(x, true, LayerWorkspaceMgr.noWorkspaces());
            if (way.equals("setParams")) {
                layer.setParams(layer.params().mul(0.6));
            } else {
                java.util.Map<String, INDArray> table = new java.util.LinkedHashMap<>();
                layer.paramTable().forEach((k, v) -> table.put(k, v.mul(0.6)));
                layer.setParamTable(table);
            }
            double[] w = values(backprop(layer, x, epsilon).getFirst().getGradientFor("W"));

            MultiLayerNetwork twin = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.8);
            twin.setParams(net.params());
            // DL4J's setParamTable replaces the layer's map, so the network's flat vector no longer shows it
            layer.paramTable().forEach((k, v) -> twin.getLayer(0).getParam(k).assign(v));
            twin.initGradientsView();
            assertArrayEquals(values(backprop(twin.getLayer(0), x.dup(), epsilon).getFirst().getGradientFor("W")), w, 0.0, way);
        }
    }
}
