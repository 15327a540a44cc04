package io.github.cae4j.layers;

import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.Exact;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static io.github.cae4j.layers.TangentPropGradientTest.K;
import static io.github.cae4j.layers.TangentPropGradientTest.appended;
import static io.github.cae4j.layers.TangentPropGradientTest.net;
import static io.github.cae4j.layers.TangentPropGradientTest.oneHot;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Backprop of a {@code TangentPropDenseLayer} reuses the products of its training forward pass (the
 * gradient checks run that path); it must recompute them, with the same result bit for bit, when the
 * pass it would reuse was for another input, lives in a closed workspace, or predates {@code clear()}.
 * Checked on the middle layer (4→3, sigmoid), whose input gradient is computed.
 */
@ExtendWith(DoublePrecision.class)
class TangentPropForwardReuseTest {

    private static final int M = 4;
    private static final int WIDTH = (1 + K) * 4;

    private static INDArray input(long seed) {
        return Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(seed), M, WIDTH).castTo(DataType.DOUBLE).subi(0.5);
    }

    /** An incoming gradient for the middle layer's output, {@code [M, (1+K)·3]}. */
    private static INDArray epsilon(long seed) {
        return Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(seed), M, (1 + K) * 3).castTo(DataType.DOUBLE).subi(0.5);
    }

    private static TangentPropDenseLayerImpl middle(MultiLayerNetwork net) {
        net.initGradientsView();
        return (TangentPropDenseLayerImpl) net.getLayer(1);
    }

    private static Pair<Gradient, INDArray> backprop(TangentPropDenseLayerImpl layer, INDArray x, INDArray epsilon) {
        layer.setInput(x, LayerWorkspaceMgr.noWorkspaces());
        Pair<Gradient, INDArray> p = layer.backpropGradient(epsilon.dup(), LayerWorkspaceMgr.noWorkspaces());
        // copies: the gradients are views into the layer's flat gradient array, overwritten by the next backprop
        return new Pair<>(copy(p.getFirst()), p.getSecond().dup());
    }

    private static Gradient copy(Gradient g) {
        Gradient c = new DefaultGradient();
        g.gradientForVariable().forEach((k, v) -> c.gradientForVariable().put(k, v.dup()));
        return c;
    }

    private static void assertSame(Pair<Gradient, INDArray> expected, Pair<Gradient, INDArray> actual, String when) {
        Exact.assertBitIdentical(expected.getFirst().getGradientFor("W"), actual.getFirst().getGradientFor("W"), "W gradient, " + when);
        Exact.assertBitIdentical(expected.getFirst().getGradientFor("b"), actual.getFirst().getGradientFor("b"), "b gradient, " + when);
        Exact.assertBitIdentical(expected.getSecond(), actual.getSecond(), "input gradient, " + when);
    }

    @Test
    void dl4jsFitReusesEveryHiddenLayersForwardPass() {
        MultiLayerNetwork net = net(Activation.SIGMOID, 0.8, K);
        net.fit(appended(M, K, 3), oneHot(M, 3));
        net.fit(appended(M, K, 4), oneHot(M, 3));
        assertEquals(0, ((TangentPropDenseLayerImpl) net.getLayer(0)).forwardsRecomputed, "layer 0 recomputed its forward pass");
        assertEquals(0, ((TangentPropDenseLayerImpl) net.getLayer(1)).forwardsRecomputed, "layer 1 recomputed its forward pass");
    }

    @Test
    void aKeptForwardPassGivesTheGradientsOfARecomputedOne() {
        TangentPropDenseLayerImpl layer = middle(net(Activation.SIGMOID, 0.8, K));
        INDArray x = input(11);
        INDArray epsilon = epsilon(12);

        Pair<Gradient, INDArray> recomputed = backprop(layer, x, epsilon);       // no forward pass before it
        assertEquals(1, layer.forwardsRecomputed);
        layer.activate(x, true, LayerWorkspaceMgr.noWorkspaces());
        Pair<Gradient, INDArray> reused = backprop(layer, x, epsilon);
        assertEquals(1, layer.forwardsRecomputed, "backprop right after its forward pass reuses it");
        assertSame(recomputed, reused, "kept forward pass");

        // A forward pass on another input is not reused for this one.
        layer.activate(input(13), true, LayerWorkspaceMgr.noWorkspaces());
        assertSame(recomputed, backprop(layer, x, epsilon), "after a forward pass on another input");
        assertEquals(2, layer.forwardsRecomputed);
    }

    @Test
    void aForwardPassWhoseWorkspaceClosedIsRecomputed() {
        TangentPropDenseLayerImpl layer = middle(net(Activation.TANH, 0.8, K));
        INDArray x = input(21);
        INDArray epsilon = epsilon(22);
        layer.activate(x, true, LayerWorkspaceMgr.noWorkspaces());
        Pair<Gradient, INDArray> reference = backprop(layer, x, epsilon);
        int before = layer.forwardsRecomputed;

        WorkspaceConfiguration config = WorkspaceConfiguration.builder().initialSize(0)
                .policyAllocation(AllocationPolicy.OVERALLOCATE).policyLearning(LearningPolicy.FIRST_LOOP).build();
        LayerWorkspaceMgr withWorkspace = LayerWorkspaceMgr.builder()
                .with(ArrayType.ACTIVATIONS, "CAE4J_TANGENT_TEST_ACT", config).defaultNoWorkspace().build();
        layer.setInput(x, LayerWorkspaceMgr.noWorkspaces());
        try (MemoryWorkspace ws = withWorkspace.notifyScopeEntered(ArrayType.ACTIVATIONS)) {
            layer.activate(true, withWorkspace);
        }
        try (MemoryWorkspace ws = withWorkspace.notifyScopeEntered(ArrayType.ACTIVATIONS)) {
            Nd4j.rand(DataType.DOUBLE, 64, 64);      // the reopened workspace overwrites the old generation's memory
            Pair<Gradient, INDArray> afterClose = backprop(layer, x, epsilon);
            assertEquals(before + 1, layer.forwardsRecomputed, "backprop saw the closed workspace and recomputed");
            assertSame(reference, afterClose, "after the workspace closed");
        }
        Nd4j.getWorkspaceManager().destroyWorkspace(Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread("CAE4J_TANGENT_TEST_ACT"));
    }

    @Test
    void clearAndTheParameterSettersDropTheKeptForwardPass() {
        TangentPropDenseLayerImpl layer = middle(net(Activation.SIGMOID, 0.8, K));
        INDArray x = input(31);
        INDArray epsilon = epsilon(32);

        layer.activate(x, true, LayerWorkspaceMgr.noWorkspaces());
        layer.clear();
        layer.getParam("W").muli(1.7);      // in place: nothing tells the layer but clear()
        Pair<Gradient, INDArray> afterClear = backprop(layer, x, epsilon);
        Pair<Gradient, INDArray> fresh = backprop(layer, x, epsilon);
        assertSame(fresh, afterClear, "after clear()");

        layer.activate(x, true, LayerWorkspaceMgr.noWorkspaces());
        layer.setParam("W", layer.getParam("W").mul(0.5));
        Pair<Gradient, INDArray> afterSet = backprop(layer, x, epsilon);
        assertSame(backprop(layer, x, epsilon), afterSet, "after setParam");
    }
}
